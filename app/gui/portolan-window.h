/* portolan-window.h: the main window: header bar (search entry, view
 * switcher, refresh, main menu), the Port view and the Connections view. */
#pragma once

#include <gtk/gtk.h>

#include "portolan-admin.h"
#include "portolan-application.h"

G_BEGIN_DECLS

#define PORTOLAN_TYPE_WINDOW (portolan_window_get_type ())
G_DECLARE_FINAL_TYPE (PortolanWindow, portolan_window, PORTOLAN, WINDOW, GtkApplicationWindow)

PortolanWindow *portolan_window_new (PortolanApplication *app);

/* Puts @query into the search entry and answers it in the Port view. A
 * query that does not parse leaves the current page and shows the core's
 * sentence under the search entry. */
void portolan_window_search (PortolanWindow *self, const char *query);

/* Answers the last query again where the Port view is, in front or not
 * (nothing when there was none). */
void portolan_window_search_again (PortolanWindow *self);

/* Opens @port in the Port view. */
void portolan_window_open_port (PortolanWindow *self, guint port);

/* "port" or "connections". */
void portolan_window_set_view (PortolanWindow *self, const char *view);
const char *portolan_window_get_view (PortolanWindow *self);

/* The last query searched for, or NULL. */
const char *portolan_window_get_query (PortolanWindow *self);

/* Shows @text in a notice at the bottom of the window that fades after a
 * few seconds (the outcome of End Process…, of an export). A screen reader
 * hears it as a status. */
void portolan_window_show_notice (PortolanWindow *self, const char *text);

/* Shows a notice in @widget's window when it is a PortolanWindow, else a
 * message dialog with @text. */
void portolan_show_notice (GtkWidget *widget, const char *text);

/* Whether the window is folded for a narrow width (under 720 px): the view
 * switcher under the views, the Port view's map behind a button. */
gboolean portolan_window_get_narrow (PortolanWindow *self);

/* Folds (or unfolds) the window now for @width, before it is shown at that
 * width: a window shown wide cannot be narrower than the wide layout. */
void portolan_window_fold_for_width (PortolanWindow *self, int width);

/* For the tests: the notice shown now, or NULL. */
const char *portolan_window_get_notice (PortolanWindow *self);

/* For the tests: "busy" (boolean property) is TRUE while a search runs. */
gboolean portolan_window_get_busy (PortolanWindow *self);
GtkEditable *portolan_window_get_search_entry (PortolanWindow *self);
GtkLabel *portolan_window_get_search_error (PortolanWindow *self);
GtkWidget *portolan_window_get_port_view (PortolanWindow *self);
GtkWidget *portolan_window_get_connections_view (PortolanWindow *self);
/* Whether the window shows owners read with administrator rights. */
PortolanAllOwners portolan_window_get_all_owners (PortolanWindow *self);

G_END_DECLS
