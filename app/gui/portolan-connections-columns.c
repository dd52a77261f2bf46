/* portolan-connections-columns.c: columns of the Connections view. A cell
 * is bound to its row once and then follows the row's notifications, so a
 * refresh that changes a state repaints one label and rebuilds nothing. */
#include "config.h"

#include "portolan-connections-columns.h"

#include <glib/gi18n.h>

#include "portolan-socket-row.h"

typedef enum
{
  KIND_TEXT,
  KIND_NUMBER,
} ColumnKind;

typedef struct
{
  const char *title;
  const char *property;
  ColumnKind kind;
  gboolean expand;
  int chars; /* the column's width, in average characters of the view's font */
} ColumnSpec;

/* Widths are fixed, in characters: a column does not jump when the filter
 * shows other rows, and grows with the text size (1.5x text keeps Process
 * and State whole). Extra room goes to the expanding columns. */
static const ColumnSpec columns[] = {
  { N_ ("Process"), "process", KIND_TEXT, TRUE, 16 },
  /* Shown only with All Namespaces on (portolan_connections_columns_show_namespace),
   * beside the process: where it runs. */
  { N_ ("Namespace"), "namespace", KIND_TEXT, TRUE, 16 },
  { N_ ("PID"), "pid", KIND_NUMBER, FALSE, 7 },
  { N_ ("Protocol"), "protocol", KIND_TEXT, FALSE, 8 },
  { N_ ("Local address"), "local-address", KIND_TEXT, TRUE, 14 },
  { N_ ("Local port"), "local-port", KIND_NUMBER, FALSE, 10 },
  { N_ ("Remote address"), "remote-address", KIND_TEXT, TRUE, 14 },
  { N_ ("Remote port"), "remote-port", KIND_NUMBER, FALSE, 11 },
  { N_ ("State"), "state", KIND_TEXT, FALSE, 12 },
  { N_ ("User"), "user", KIND_TEXT, FALSE, 9 },
  { N_ ("Unit"), "unit", KIND_TEXT, TRUE, 14 },
  { N_ ("Note"), "note", KIND_TEXT, TRUE, 16 },
};

#define NAMESPACE_COLUMN 1

typedef struct
{
  const ColumnSpec *spec;
  PortolanCellMenuFunc menu_func;
  gpointer user_data;
} ColumnData;

static gboolean
is_wildcard (const char *address)
{
  return g_strcmp0 (address, "0.0.0.0") == 0 || g_strcmp0 (address, "::") == 0
         || g_strcmp0 (address, "*") == 0;
}

char *
portolan_connections_cell_text (GObject *row, const char *property)
{
  g_auto (GValue) value = G_VALUE_INIT;
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (row), property);
  gboolean remote = g_str_has_prefix (property, "remote-");

  g_return_val_if_fail (pspec != NULL, g_strdup (""));
  g_value_init (&value, pspec->value_type);
  g_object_get_property (row, property, &value);
  if (G_VALUE_HOLDS_STRING (&value))
    {
      const char *s = g_value_get_string (&value);

      return g_strdup (remote && is_wildcard (s) ? "*" : s ? s : "");
    }
  if (G_VALUE_HOLDS_INT64 (&value))
    return g_value_get_int64 (&value)
               ? g_strdup_printf ("%" G_GINT64_FORMAT, g_value_get_int64 (&value))
               : g_strdup ("");
  if (G_VALUE_HOLDS_UINT (&value))
    return remote && g_value_get_uint (&value) == 0
               ? g_strdup ("*")
               : g_strdup_printf ("%u", g_value_get_uint (&value));
  return g_strdup ("");
}

/* Row marks colour the whole cell (the label's parent), as TCPView does. */
static void
set_mark_classes (GtkWidget *label, PortolanRowMark mark)
{
  GtkWidget *cell = gtk_widget_get_parent (label);
  GtkWidget *targets[] = { label, cell };

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      if (targets[i] == NULL)
        continue;
      if (mark == PORTOLAN_ROW_NEW)
        gtk_widget_add_css_class (targets[i], "socket-new");
      else
        gtk_widget_remove_css_class (targets[i], "socket-new");
      if (mark == PORTOLAN_ROW_REMOVED)
        gtk_widget_add_css_class (targets[i], "socket-removed");
      else
        gtk_widget_remove_css_class (targets[i], "socket-removed");
    }
}

static void
update_cell (GtkWidget *label, PortolanSocketRow *row, const ColumnSpec *spec)
{
  g_autofree char *text = portolan_connections_cell_text (G_OBJECT (row), spec->property);

  gtk_label_set_text (GTK_LABEL (label), text);
  set_mark_classes (label, portolan_socket_row_get_mark (row));
}

/* The process's command line, asked for only when the pointer rests on
 * it: setting tooltip text at every bind costs an X round trip. */
static gboolean
on_process_tooltip (GtkWidget *label, int x, int y, gboolean keyboard, GtkTooltip *tooltip,
                    GtkListItem *item)
{
  PortolanSocketRow *row = gtk_list_item_get_item (item);
  const char *text;

  (void) label, (void) x, (void) y, (void) keyboard;
  if (row == NULL)
    return FALSE;
  /* No owner: the process column shows "—" and the tooltip says why; a
   * note or a namespace too long for its column shows whole. */
  if (g_str_equal (g_object_get_data (G_OBJECT (label), "tooltip-of"), "note"))
    text = portolan_socket_row_get_note (row);
  else if (g_str_equal (g_object_get_data (G_OBJECT (label), "tooltip-of"), "namespace"))
    text = portolan_socket_row_get_namespace (row);
  else
    text = portolan_socket_row_get_n_owners (row) ? portolan_socket_row_get_cmdline (row)
                                                  : portolan_socket_row_get_note (row);
  if (*text == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
on_row_notify (PortolanSocketRow *row, GParamSpec *pspec, GtkWidget *label)
{
  const ColumnSpec *spec = g_object_get_data (G_OBJECT (label), "column-spec");
  const char *name = g_param_spec_get_name (pspec);

  /* Every column's cell listens to its row: each repaints only for what it shows. */
  if (g_str_equal (name, spec->property) || g_str_equal (name, "mark"))
    update_cell (label, row, spec);
}

static void
on_secondary_pressed (GtkGestureClick *gesture, int n_press, double x, double y, GtkListItem *item)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  const ColumnData *data = g_object_get_data (G_OBJECT (label), "column-data");

  (void) n_press;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  if (gtk_list_item_get_item (item) != NULL && data->menu_func != NULL)
    data->menu_func (label, gtk_list_item_get_position (item), x, y, data->user_data);
}

static void
setup_cell (GtkSignalListItemFactory *factory, GtkListItem *item, ColumnData *data)
{
  GtkWidget *label = gtk_label_new (NULL);
  GtkGesture *menu_click = gtk_gesture_click_new ();

  (void) factory;
  gtk_label_set_xalign (GTK_LABEL (label), data->spec->kind == KIND_NUMBER ? 1.0f : 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (data->spec->kind == KIND_NUMBER)
    gtk_widget_add_css_class (label, "numeric");
  g_object_set_data (G_OBJECT (label), "column-spec", (gpointer) data->spec);
  g_object_set_data (G_OBJECT (label), "column-data", data);
  if (g_str_equal (data->spec->property, "process") || g_str_equal (data->spec->property, "note")
      || g_str_equal (data->spec->property, "namespace"))
    {
      g_object_set_data (G_OBJECT (label), "tooltip-of", (gpointer) data->spec->property);
      gtk_widget_set_has_tooltip (label, TRUE);
      g_signal_connect (label, "query-tooltip", G_CALLBACK (on_process_tooltip), item);
    }
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (menu_click), GDK_BUTTON_SECONDARY);
  g_signal_connect (menu_click, "pressed", G_CALLBACK (on_secondary_pressed), item);
  gtk_widget_add_controller (label, GTK_EVENT_CONTROLLER (menu_click));
  gtk_list_item_set_child (item, label);
}

/* The row a screen reader lands on is named by its content ("nginx, tcp,
 * 0.0.0.0:80, LISTEN"), not by its widget class. The cell's parent is the
 * row; the first column names it. */
static void
name_row (GtkWidget *label, PortolanSocketRow *row)
{
  GtkWidget *cell = gtk_widget_get_parent (label);
  GtkWidget *row_widget = cell ? gtk_widget_get_parent (cell) : NULL;
  g_autofree char *name = NULL;

  if (row_widget == NULL)
    return;
  name = g_strdup_printf (
      "%s, %s, %s:%u, %s", portolan_socket_row_get_process (row),
      portolan_socket_row_get_protocol (row), portolan_socket_row_get_local_address (row),
      portolan_socket_row_get_local_port (row), portolan_socket_row_get_state (row));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row_widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
}

static void
bind_cell (GtkSignalListItemFactory *factory, GtkListItem *item, ColumnData *data)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  PortolanSocketRow *row = gtk_list_item_get_item (item);

  (void) factory;
  update_cell (label, row, data->spec);
  if (data->spec == &columns[0])
    name_row (label, row);
  g_signal_connect (row, "notify", G_CALLBACK (on_row_notify), label);
}

static void
unbind_cell (GtkSignalListItemFactory *factory, GtkListItem *item, ColumnData *data)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  PortolanSocketRow *row = gtk_list_item_get_item (item);

  (void) factory, (void) data;
  g_signal_handlers_disconnect_by_func (row, on_row_notify, label);
  set_mark_classes (label, PORTOLAN_ROW_STEADY);
}

static GtkSorter *
column_sorter (const ColumnSpec *spec)
{
  GtkExpression *expr
      = gtk_property_expression_new (PORTOLAN_TYPE_SOCKET_ROW, NULL, spec->property);

  if (spec->kind == KIND_NUMBER)
    return GTK_SORTER (gtk_numeric_sorter_new (expr));
  return GTK_SORTER (gtk_string_sorter_new (expr));
}

/* One column of @spec's width, from the view's font: the larger of the
 * title and @spec->chars average characters, plus the cell's padding. */
static int
column_width (GtkWidget *view, const ColumnSpec *spec)
{
  PangoContext *ctx = gtk_widget_get_pango_context (view);
  PangoFontMetrics *m = pango_context_get_metrics (ctx, NULL, NULL);
  int char_w = pango_font_metrics_get_approximate_char_width (m);
  g_autoptr (PangoLayout) title = gtk_widget_create_pango_layout (view, _ (spec->title));
  int title_w;

  pango_font_metrics_unref (m);
  pango_layout_get_pixel_size (title, &title_w, NULL);
  /* The title needs room for the sort arrow too. */
  return MAX (spec->chars * char_w / PANGO_SCALE, title_w + 22) + 16;
}

void
portolan_connections_columns_fit (GtkColumnView *view)
{
  GListModel *list = gtk_column_view_get_columns (view);

  for (guint i = 0; i < G_N_ELEMENTS (columns) && i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (GtkColumnViewColumn) column = g_list_model_get_item (list, i);

      gtk_column_view_column_set_fixed_width (column,
                                              column_width (GTK_WIDGET (view), &columns[i]));
    }
}

static void
refit (GtkWidget *view)
{
  portolan_connections_columns_fit (GTK_COLUMN_VIEW (view));
}

void
portolan_connections_columns_add (GtkColumnView *view, PortolanCellMenuFunc menu_func,
                                  gpointer user_data)
{
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      ColumnData *data = g_new0 (ColumnData, 1);
      GtkColumnViewColumn *column;
      g_autoptr (GtkSorter) sorter = column_sorter (&columns[i]);

      *data = (ColumnData){ &columns[i], menu_func, user_data };
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), data);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), data);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), data);
      /* The factory lives as long as the column; so does its data. */
      g_object_set_data_full (G_OBJECT (factory), "column-data", data, g_free);
      column = gtk_column_view_column_new (_ (columns[i].title), factory);
      gtk_column_view_column_set_sorter (column, sorter);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_column_set_visible (column, i != NAMESPACE_COLUMN);
      gtk_column_view_append_column (view, column);
      g_object_unref (column);
    }
  g_signal_connect (view, "realize", G_CALLBACK (refit), NULL);
  g_signal_connect_object (gtk_settings_get_default (), "notify::gtk-xft-dpi", G_CALLBACK (refit),
                           view, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_settings_get_default (), "notify::gtk-font-name", G_CALLBACK (refit),
                           view, G_CONNECT_SWAPPED);
}

void
portolan_connections_columns_show_namespace (GtkColumnView *view, gboolean show)
{
  g_autoptr (GtkColumnViewColumn) column
      = g_list_model_get_item (gtk_column_view_get_columns (view), NAMESPACE_COLUMN);

  if (column != NULL)
    gtk_column_view_column_set_visible (column, show);
}
