/* portolan-connections-columns.h: the Connections view's columns: cells
 * that follow their row in place (property notifications, NEW/REMOVED
 * colours) and a sorter per column, numeric where the column is a number. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Called when a cell is right-clicked: @cell is the cell's widget, (@x, @y)
 * the pointer in its coordinates and @position the row in the view's model. */
typedef void (*PortolanCellMenuFunc) (GtkWidget *cell, guint position, double x, double y,
                                      gpointer user_data);

/* Appends Process, PID, Protocol, Local address, Local port, Remote
 * address, Remote port, State, User, Unit, Note and Namespace to @view
 * (Namespace hidden until portolan_connections_columns_show_namespace). */
void portolan_connections_columns_add (GtkColumnView *view, PortolanCellMenuFunc menu_func,
                                       gpointer user_data);

/* Sets every column's width from the view's font (done at realize and when
 * the font or the text scale changes). */
void portolan_connections_columns_fit (GtkColumnView *view);

/* Shows or hides the Namespace column (with "Other namespaces" on). */
void portolan_connections_columns_show_namespace (GtkColumnView *view, gboolean show);

/* The text a cell shows for @property of @row ("" for PID 0, "*" for a
 * wildcard remote address or port). */
char *portolan_connections_cell_text (GObject *row, const char *property);

G_END_DECLS
