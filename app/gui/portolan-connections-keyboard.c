/* portolan-connections-keyboard.c: the Connections table from the
 * keyboard. Tab leaves the table instead of walking its rows (GtkListBase
 * moves Tab from row to row: 18,000 presses to get past it); Shift+Tab from
 * a row goes to the column headers, where Left and Right move between
 * them and Enter or Space sorts, as a click does; each header says its
 * column and its sort state to screen readers.
 *
 * GTK 4.8 makes the header row unfocusable and its titles are internal
 * widgets: they are found by their CSS names ("header", "button") and
 * their sort state read from the sort indicator's classes, which is what
 * GTK itself shows. Without those widgets the table keeps GTK's own
 * behaviour. */
#include "config.h"

#include <glib/gi18n.h>

#include "portolan-connections-view-private.h"

static GtkWidget *
header_row (GtkWidget *column_view)
{
  GtkWidget *c = gtk_widget_get_first_child (column_view);

  return c && g_strcmp0 (gtk_widget_get_css_name (c), "header") == 0 ? c : NULL;
}

static GtkWidget *
row_list (GtkWidget *column_view)
{
  for (GtkWidget *c = gtk_widget_get_first_child (column_view); c;
       c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_LIST_VIEW (c))
      return c;
  return NULL;
}

/* "ascending", "descending" or NULL, from the title's sort indicator. */
static const char *
title_sort (GtkWidget *title)
{
  if (gtk_widget_get_visible (title) && gtk_widget_has_css_class (title, "ascending"))
    return "ascending";
  if (gtk_widget_get_visible (title) && gtk_widget_has_css_class (title, "descending"))
    return "descending";
  for (GtkWidget *c = gtk_widget_get_first_child (title); c; c = gtk_widget_get_next_sibling (c))
    {
      const char *found = title_sort (c);
      if (found)
        return found;
    }
  return NULL;
}

static GtkColumnViewColumn *
title_column (GtkWidget *column_view, GtkWidget *title)
{
  GtkWidget *header = header_row (column_view);
  GListModel *columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (column_view));
  guint i = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (header); c; c = gtk_widget_get_next_sibling (c))
    {
      if (c == title)
        {
          g_autoptr (GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
          return column; /* the column view holds it */
        }
      i++;
    }
  return NULL;
}

/* Each title names its column and says how it sorts (GTK 4.8 exports no
 * sort property over AT-SPI: the description carries it). */
static gboolean
describe_titles (gpointer data)
{
  PortolanConnectionsView *self = data;
  GtkWidget *header = header_row (self->column_view);

  for (GtkWidget *t = header ? gtk_widget_get_first_child (header) : NULL; t;
       t = gtk_widget_get_next_sibling (t))
    {
      GtkColumnViewColumn *column = title_column (self->column_view, t);
      const char *sort = title_sort (t);
      const char *text = g_strcmp0 (sort, "ascending") == 0    ? _ ("Sorted ascending")
                         : g_strcmp0 (sort, "descending") == 0 ? _ ("Sorted descending")
                                                               : _ ("Not sorted");

      if (column == NULL)
        continue;
      gtk_accessible_update_property (GTK_ACCESSIBLE (t), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      gtk_column_view_column_get_title (column),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
    }
  return G_SOURCE_REMOVE;
}

/* As a click on the title does: a new column sorts ascending, the column
 * already sorting turns around. */
static void
sort_by_title (PortolanConnectionsView *self, GtkWidget *title)
{
  GtkColumnViewColumn *column = title_column (self->column_view, title);

  if (column == NULL || gtk_column_view_column_get_sorter (column) == NULL)
    return;
  gtk_column_view_sort_by_column (
      GTK_COLUMN_VIEW (self->column_view), column,
      g_strcmp0 (title_sort (title), "ascending") == 0 ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
}

/* Out of the table in @dir: the table refuses focus for one step of the
 * window's own focus chain, which then moves past it. */
static void
leave_table (PortolanConnectionsView *self, GtkDirectionType dir)
{
  GtkRoot *root = gtk_widget_get_root (self->column_view);

  gtk_widget_set_can_focus (self->column_view, FALSE);
  if (!gtk_widget_child_focus (GTK_WIDGET (root), dir))
    gtk_widget_child_focus (GTK_WIDGET (root), dir); /* wrapped around */
  gtk_widget_set_can_focus (self->column_view, TRUE);
}

static GtkWidget *
focused_title (PortolanConnectionsView *self)
{
  GtkWidget *header = header_row (self->column_view);
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (self->column_view));

  for (GtkWidget *w = focus; w != NULL && header != NULL; w = gtk_widget_get_parent (w))
    if (gtk_widget_get_parent (w) == header)
      return w;
  return NULL;
}

/* Shift+Tab from a row: the title of the column that sorts, or the first. */
static gboolean
focus_titles (PortolanConnectionsView *self)
{
  GtkWidget *header = header_row (self->column_view);
  GtkWidget *target = header ? gtk_widget_get_first_child (header) : NULL;

  for (GtkWidget *t = target; t; t = gtk_widget_get_next_sibling (t))
    if (title_sort (t) != NULL)
      target = t;
  return target != NULL && gtk_widget_grab_focus (target);
}

static gboolean
on_key (GtkEventControllerKey *key, guint keyval, guint keycode, GdkModifierType state,
        PortolanConnectionsView *self)
{
  gboolean tab = keyval == GDK_KEY_Tab || keyval == GDK_KEY_KP_Tab;
  gboolean back = keyval == GDK_KEY_ISO_Left_Tab || (tab && (state & GDK_SHIFT_MASK));
  GtkWidget *title = focused_title (self);

  (void) key, (void) keycode;
  if (title != NULL
      && (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_space
          || keyval == GDK_KEY_KP_Space))
    {
      sort_by_title (self, title);
      return GDK_EVENT_STOP;
    }
  if (!tab && !back)
    return GDK_EVENT_PROPAGATE;
  if (title != NULL && !back && row_list (self->column_view) != NULL)
    return gtk_widget_grab_focus (row_list (self->column_view));
  if (title == NULL && back && focus_titles (self))
    return GDK_EVENT_STOP;
  leave_table (self, back ? GTK_DIR_TAB_BACKWARD : GTK_DIR_TAB_FORWARD);
  return GDK_EVENT_STOP;
}

static void
on_sort_changed (GtkSorter *sorter, GtkSorterChange change, PortolanConnectionsView *self)
{
  (void) sorter, (void) change;
  /* After GTK has turned the indicators. */
  g_idle_add_full (G_PRIORITY_HIGH_IDLE, describe_titles, g_object_ref (self), g_object_unref);
}

void
portolan_connections_keyboard_init (PortolanConnectionsView *self)
{
  GtkWidget *header = header_row (self->column_view);
  GtkEventController *key = gtk_event_controller_key_new ();
  GtkSorter *sorter = gtk_column_view_get_sorter (GTK_COLUMN_VIEW (self->column_view));

  gtk_event_controller_set_propagation_phase (key, GTK_PHASE_CAPTURE);
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_key), self);
  gtk_widget_add_controller (self->column_view, key);
  if (header == NULL)
    return;
  gtk_widget_set_can_focus (header, TRUE);
  for (GtkWidget *t = gtk_widget_get_first_child (header); t; t = gtk_widget_get_next_sibling (t))
    gtk_widget_set_focusable (t, TRUE);
  if (sorter != NULL)
    g_signal_connect_object (sorter, "changed", G_CALLBACK (on_sort_changed), self, 0);
  describe_titles (self);
}
