/* portolan-port-view.h: the Port view: the whole story of one port (or a
 * list for a range or service query), with the port map beside it. */
#pragma once

#include <gtk/gtk.h>

#include "portolan-admin.h"
#include "portolan-scan.h"

G_BEGIN_DECLS

#define PORTOLAN_TYPE_PORT_VIEW (portolan_port_view_get_type ())
G_DECLARE_FINAL_TYPE (PortolanPortView, portolan_port_view, PORTOLAN, PORT_VIEW, GtkWidget)

GtkWidget *portolan_port_view_new (void);

/* Shows @set (taken over). */
void portolan_port_view_show_report (PortolanPortView *self, PtlReportSet *set);

/* Shows the loading state while TRUE; FALSE returns to the last page. */
void portolan_port_view_set_loading (PortolanPortView *self, gboolean loading);

/* In a narrow window the map folds into a "Port Map" button at the bottom
 * that shows it in the page's place (the window decides). */
void portolan_port_view_set_narrow (PortolanPortView *self, gboolean narrow);
gboolean portolan_port_view_get_narrow (PortolanPortView *self);

/* The report shown, or NULL. */
const PtlReportSet *portolan_port_view_get_report (PortolanPortView *self);
/* TRUE while the sections under a search's answer are still being added
 * (in the frame after the answer's); "notify::building" says when done. */
gboolean portolan_port_view_get_building (PortolanPortView *self);

/* Whether the page shows owners read with administrator rights, and the
 * quiet @note (may be NULL) after a refusal: the status banner says so,
 * with the button that asks ("Show All Owners…" or "Restart as
 * Administrator…") while owners are hidden, or Stop. */
void portolan_port_view_set_all_owners (PortolanPortView *self, PortolanAllOwners state,
                                        const char *note);

/* Signals: "open-query" (const char *) when a related port, a row of a
 * range's list or a map cell is activated; "changed" after End Process…,
 * so the owner re-runs the query; "show-connections" (guint port) from a
 * busy port's "Show All in Connections"; "show-all-owners" and
 * "stop-all-owners" from the banner's buttons. */

G_END_DECLS
