/* portolan-connections-view.h: the live socket table (GtkColumnView) with
 * filter entry, toggles, auto-refresh and pause, row menu and export. */
#pragma once

#include <gtk/gtk.h>

#include "portolan-admin.h"
#include "portolan-socket-model.h"

G_BEGIN_DECLS

#define PORTOLAN_TYPE_CONNECTIONS_VIEW (portolan_connections_view_get_type ())
G_DECLARE_FINAL_TYPE (PortolanConnectionsView, portolan_connections_view, PORTOLAN,
                      CONNECTIONS_VIEW, GtkWidget)

GtkWidget *portolan_connections_view_new (void);

/* Starts a scan now (the header bar's refresh button). */
void portolan_connections_view_refresh (PortolanConnectionsView *self);

/* "refresh-interval" property (uint, milliseconds; 0 = paused by the user);
 * "paused" (boolean). The view scans only while it is mapped. */
void portolan_connections_view_set_refresh_interval (PortolanConnectionsView *self, guint ms);

PortolanSocketModel *portolan_connections_view_get_model (PortolanConnectionsView *self);

guint portolan_connections_view_get_refresh_interval (PortolanConnectionsView *self);
gboolean portolan_connections_view_get_paused (PortolanConnectionsView *self);
void portolan_connections_view_set_paused (PortolanConnectionsView *self, gboolean paused);

/* A narrow window stacks the filter entry over the toolbar's buttons. */
void portolan_connections_view_set_narrow (PortolanConnectionsView *self, gboolean narrow);

/* Whether the window is where someone can see it (not minimised, not sent
 * behind another window); the window says. Refreshes stop while it is
 * not, and one runs at once when it is again. */
void portolan_connections_view_set_watched (PortolanConnectionsView *self, gboolean watched);
gboolean portolan_connections_view_get_watched (PortolanConnectionsView *self);

/* "busy" (boolean, read-only): a scan is running. */
gboolean portolan_connections_view_get_busy (PortolanConnectionsView *self);

/* The rows as shown: filtered and sorted (for tests and the window). */
GListModel *portolan_connections_view_get_shown (PortolanConnectionsView *self);

/* The column view's selection model (over the shown rows). */
GtkSelectionModel *portolan_connections_view_get_selection (PortolanConnectionsView *self);

/* Writes the rows shown (filtered, in the order shown), or with @all every
 * socket of the last table, to @file as JSON or CSV with the core's
 * writers, the same as `portolan-cli list --json` / `--csv`. Export… in
 * the view asks for the file and which rows, and says where it wrote how
 * many. @n_rows (may be NULL) gets the number of sockets written. */
void portolan_connections_view_export_async (PortolanConnectionsView *self, GFile *file,
                                             gboolean json, gboolean all, GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
gboolean portolan_connections_view_export_finish (PortolanConnectionsView *self,
                                                  GAsyncResult *result, guint *n_rows,
                                                  GError **error);

/* The filter entry (matches process, port, address and state). */
GtkEditable *portolan_connections_view_get_filter_entry (PortolanConnectionsView *self);

/* Shows every socket on local port @port: the filter becomes "port:@port"
 * and the toggles show every protocol, family and state. */
void portolan_connections_view_show_port (PortolanConnectionsView *self, guint port);

/* Whether the table shows owners read with administrator rights, and the
 * quiet @note (may be NULL) after a refusal, which joins the table's
 * notes. The toolbar offers "Show All Owners…" (or "Restart as
 * Administrator…") while owners are hidden, and a way to stop while they
 * are shown; refreshes read hidden owners as root while @state is ON.
 * Turning it off refreshes without the owners read as root. */
void portolan_connections_view_set_all_owners (PortolanConnectionsView *self,
                                               PortolanAllOwners state, const char *note);

/* Owners read as root (@root, a reference is taken), merged by the next
 * refresh, which starts now when the view is shown. */
void portolan_connections_view_merge_root_owners (PortolanConnectionsView *self,
                                                  PortolanTable *root);

/* Emitted as "show-port" (guint port) from the row menu's Show Port;
 * "show-all-owners" and "stop-all-owners" from the toolbar's button;
 * "all-owners-failed" (GError) when a refresh could not read hidden owners
 * as root (polkit would ask again, or said no). */

G_END_DECLS
