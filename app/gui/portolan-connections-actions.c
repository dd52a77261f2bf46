/* portolan-connections-actions.c: what can be done with a row of the
 * Connections view (Copy, Show Port, End Process…) and with the whole
 * table (Export… as CSV or JSON through the core's writers). */
#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "portolan-connections-columns.h"
#include "portolan-connections-view-private.h"
#include "portolan-end-process.h"
#include "portolan-window.h"
#include "ptl-report.h"
#include "ptl-snapshot.h"

static const char *const copy_columns[] = {
  "process",        "pid",         "protocol", "local-address", "local-port",
  "remote-address", "remote-port", "state",    "user",
};

static PortolanSocketRow *
selected_row (PortolanConnectionsView *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

static void
show_message (PortolanConnectionsView *self, const char *title, const char *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = gtk_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                              GTK_MESSAGE_INFO, GTK_BUTTONS_CLOSE, "%s", title);

  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", text);
  gtk_window_set_title (GTK_WINDOW (dialog), title);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_window_destroy), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The row as one tab-separated line, in column order, ready for a
 * spreadsheet or a bug report. */
static void
copy_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  PortolanConnectionsView *self = PORTOLAN_CONNECTIONS_VIEW (widget);
  PortolanSocketRow *row = selected_row (self);
  g_autoptr (GString) line = g_string_new (NULL);

  (void) action, (void) param;
  if (row == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (copy_columns); i++)
    {
      g_autofree char *text = portolan_connections_cell_text (G_OBJECT (row), copy_columns[i]);

      g_string_append_printf (line, "%s%s", i ? "\t" : "", text);
    }
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), line->str);
}

static void
show_port_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  PortolanConnectionsView *self = PORTOLAN_CONNECTIONS_VIEW (widget);
  PortolanSocketRow *row = selected_row (self);

  (void) action, (void) param;
  if (row != NULL)
    portolan_connections_emit_show_port (self, portolan_socket_row_get_local_port (row));
}

static void
process_ended (GtkWidget *parent)
{
  if (PORTOLAN_IS_CONNECTIONS_VIEW (parent))
    portolan_connections_view_refresh (PORTOLAN_CONNECTIONS_VIEW (parent));
}

/* The same rules as `portolan-cli kill` (portolan-end-process.c): the
 * dialog names the process, and the PID must still be the process that
 * started at the time the scan saw. */
static void
end_process_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  PortolanConnectionsView *self = PORTOLAN_CONNECTIONS_VIEW (widget);
  PortolanSocketRow *row = selected_row (self);
  PtlProcess proc = { 0 };
  const char *note;

  (void) action, (void) param;
  if (row == NULL)
    return;
  if (portolan_socket_row_get_pid (row) == 0)
    {
      note = portolan_socket_row_get_owner_note (row);
      show_message (self, _ ("No process to end"),
                    note ? _ (note) : _ ("No process is known to own this socket."));
      return;
    }
  proc.pid = (long) portolan_socket_row_get_pid (row);
  proc.start_time = portolan_socket_row_get_start_time (row);
  proc.name = (char *) portolan_socket_row_get_owner_name (row);
  portolan_end_process_ask (widget, portolan_socket_row_get_local_port (row), &proc, process_ended);
}

/* ---- export ------------------------------------------------------------------------ */

static void
export_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  if (g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
free_buf_data (gpointer data)
{
  free (data);
}

/* The snapshot's row with @key, or NULL (a closed row still on show). */
static const PtlSocket *
snapshot_row (const PtlSocketTable *t, const PtlSocket *key)
{
  size_t lo = 0, hi = t->len;

  while (lo < hi)
    {
      size_t mid = lo + (hi - lo) / 2;
      int c = ptl_snapshot_key_cmp (&t->rows[mid], key);

      if (c == 0)
        return &t->rows[mid];
      if (c < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return NULL;
}

/* Appends @s with its owners to @out; FALSE when memory runs out. */
static gboolean
copy_row (PtlSocketTable *out, const PtlSocketTable *t, const PtlSocket *s)
{
  const PtlNetns *ns = ptl_socket_netns (t, s);
  PtlSocket *row = ptl_socket_table_append (out, s);

  if (row == NULL)
    return FALSE;
  /* The namespace is an index into the table's own list. */
  row->netns = ns ? ptl_socket_table_add_netns (out, ns) : 0;
  if (ns && row->netns == 0)
    return FALSE;
  return ptl_socket_table_copy_owners (out, out->len - 1, t, s) == 0;
}

/* The rows shown, filtered and in the order shown, with their owners from
 * the last snapshot. Rows of closed sockets still on show (red) are left
 * out: they are no longer in the table. */
static gboolean
shown_table (PortolanConnectionsView *self, const PtlSocketTable *t, PtlSocketTable *out)
{
  GListModel *shown = G_LIST_MODEL (self->sorted);

  ptl_socket_table_init (out);
  for (size_t i = 0; i < t->n_notes; i++)
    ptl_socket_table_add_note (out, t->notes[i]);
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr (PortolanSocketRow) row = g_list_model_get_item (shown, i);
      const PtlSocket *s = snapshot_row (t, portolan_socket_row_get_socket (row));

      if (s != NULL && !copy_row (out, t, s))
        return FALSE;
    }
  return TRUE;
}

static gboolean
format_table (const PtlSocketTable *t, gboolean json, PtlBuf *buf)
{
  ptl_buf_init (buf);
  if (json)
    ptl_format_table_json (t, buf);
  else
    ptl_format_table_csv (t, buf);
  return !buf->failed && buf->data != NULL;
}

void
portolan_connections_view_export_async (PortolanConnectionsView *self, GFile *file, gboolean json,
                                        gboolean all, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data)
{
  const PtlSocketTable *table = portolan_socket_model_get_table (self->model);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GBytes) bytes = NULL;
  PtlSocketTable shown;
  gboolean ok;
  PtlBuf buf;

  g_task_set_source_tag (task, portolan_connections_view_export_async);
  if (table == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, "%s",
                               _ ("There is no table to export yet."));
      return;
    }
  if (all)
    ok = format_table (table, json, &buf);
  else
    {
      ok = shown_table (self, table, &shown) && format_table (&shown, json, &buf);
      table = &shown;
    }
  g_task_set_task_data (task, GUINT_TO_POINTER ((guint) table->len), NULL);
  if (!all)
    ptl_socket_table_clear (&shown);
  if (!ok)
    {
      ptl_buf_clear (&buf);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                               _ ("Portolan ran out of memory."));
      return;
    }
  /* The writer's buffer becomes the bytes written, without a copy. */
  bytes = g_bytes_new_with_free_func (buf.data, buf.len, free_buf_data, buf.data);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       cancellable, export_written, g_steal_pointer (&task));
}

gboolean
portolan_connections_view_export_finish (PortolanConnectionsView *self, GAsyncResult *result,
                                         guint *n_rows, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  if (n_rows != NULL)
    *n_rows = GPOINTER_TO_UINT (g_task_get_task_data (G_TASK (result)));
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
export_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  PortolanConnectionsView *self = PORTOLAN_CONNECTIONS_VIEW (source);
  g_autoptr (GFile) file = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_file_get_parse_name (file);
  g_autofree char *text = NULL;
  guint n = 0;

  if (!portolan_connections_view_export_finish (self, result, &n, &error))
    {
      show_message (self, _ ("The table was not exported"), error->message);
      return;
    }
  text = g_strdup_printf (ngettext ("Exported %u socket to %s.", "Exported %u sockets to %s.", n),
                          n, path);
  portolan_show_notice (GTK_WIDGET (self), text);
}

static void
export_response (GtkNativeDialog *native, int response, PortolanConnectionsView *self)
{
  g_autoptr (GFile) file = NULL;
  g_autofree char *name = NULL;
  GtkFileFilter *filter;
  gboolean json, all;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      name = g_file_get_basename (file);
      filter = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (native));
      /* The name decides; the chosen filter settles a name without .csv/.json. */
      json = g_str_has_suffix (name, ".json")
             || (!g_str_has_suffix (name, ".csv") && filter != NULL
                 && g_strcmp0 (gtk_file_filter_get_name (filter), _ ("JSON")) == 0);
      all = g_strcmp0 (gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (native), "rows"), "all") == 0;
      portolan_connections_view_export_async (self, file, json, all, NULL, export_done,
                                              g_object_ref (file));
    }
  gtk_native_dialog_destroy (native);
  g_object_unref (native);
}

static GtkFileFilter *
new_filter (const char *name, const char *pattern, const char *mime)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_filter_add_mime_type (filter, mime);
  return filter;
}

/* What to write: the rows shown (the default) or every socket. */
static void
add_rows_choice (PortolanConnectionsView *self, GtkFileChooser *chooser)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->sorted));
  const PtlSocketTable *t = portolan_socket_model_get_table (self->model);
  guint all = t ? (guint) t->len : 0;
  g_autofree char *shown_label
      = g_strdup_printf (ngettext ("The %u socket shown", "The %u sockets shown", shown), shown);
  g_autofree char *all_label
      = g_strdup_printf (ngettext ("All %u socket", "All %u sockets", all), all);
  const char *ids[] = { "shown", "all", NULL };
  const char *labels[] = { shown_label, all_label, NULL };

  gtk_file_chooser_add_choice (chooser, "rows", _ ("Export"), ids, labels);
  gtk_file_chooser_set_choice (chooser, "rows", "shown");
}

static void
export_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *native;
  g_autoptr (GtkFileFilter) csv = new_filter (_ ("CSV"), "*.csv", "text/csv");
  g_autoptr (GtkFileFilter) json = new_filter (_ ("JSON"), "*.json", "application/json");

  (void) action, (void) param;
  native = gtk_file_chooser_native_new (_ ("Export Sockets"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Export"), _ ("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), csv);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), json);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), "sockets.csv");
  add_rows_choice (PORTOLAN_CONNECTIONS_VIEW (widget), GTK_FILE_CHOOSER (native));
  g_signal_connect (native, "response", G_CALLBACK (export_response), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

/* ---- the row menu --------------------------------------------------------------------- */

static void
popup_at (PortolanConnectionsView *self, double x, double y)
{
  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &(GdkRectangle){ (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

void
portolan_connections_popup_menu (GtkWidget *cell, guint position, double x, double y,
                                 gpointer user_data)
{
  PortolanConnectionsView *self = user_data;
  double vx, vy;

  gtk_single_selection_set_selected (self->selection, position);
  if (!gtk_widget_translate_coordinates (cell, GTK_WIDGET (self), x, y, &vx, &vy))
    vx = x, vy = y;
  popup_at (self, vx, vy);
}

/* The Menu key and Shift+F10 open the menu at the focused row. */
static gboolean
menu_key (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  PortolanConnectionsView *self = user_data;
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));
  graphene_rect_t bounds;

  (void) args;
  if (selected_row (self) == NULL)
    return FALSE;
  if (focus != NULL && gtk_widget_compute_bounds (focus, GTK_WIDGET (self), &bounds))
    popup_at (self, bounds.origin.x + 24, bounds.origin.y + bounds.size.height / 2);
  else
    popup_at (self, 24, 24);
  return TRUE;
}

void
portolan_connections_actions_install (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "conn.copy", NULL, copy_activated);
  gtk_widget_class_install_action (widget_class, "conn.show-port", NULL, show_port_activated);
  gtk_widget_class_install_action (widget_class, "conn.end-process", NULL, end_process_activated);
  gtk_widget_class_install_action (widget_class, "conn.export", NULL, export_activated);
}

/* Enter (or a double click) on a row opens its port in the Port view. */
static void
row_activated (GtkColumnView *view, guint position, PortolanConnectionsView *self)
{
  g_autoptr (PortolanSocketRow) row
      = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  (void) view;
  if (row != NULL)
    portolan_connections_emit_show_port (self, portolan_socket_row_get_local_port (row));
}

void
portolan_connections_actions_init (PortolanConnectionsView *self)
{
  g_autoptr (GMenu) menu = g_menu_new ();
  GtkEventController *keys = gtk_shortcut_controller_new ();
  GtkShortcutAction *open = gtk_callback_action_new (menu_key, self, NULL);

  g_menu_append (menu, _ ("_Copy"), "conn.copy");
  g_menu_append (menu, _ ("Show _Port"), "conn.show-port");
  g_menu_append (menu, _ ("_End Process…"), "conn.end-process");
  self->menu = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  /* Escape (or any close) gives the focus back to the table's row. */
  g_signal_connect_swapped (self->menu, "closed", G_CALLBACK (gtk_widget_grab_focus),
                            self->column_view);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
  gtk_widget_set_halign (self->menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->menu, GTK_WIDGET (self));
  gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (keys),
      gtk_shortcut_new (
          gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Menu, 0),
                                       gtk_keyval_trigger_new (GDK_KEY_F10, GDK_SHIFT_MASK)),
          open));
  gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (keys),
      gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_c, GDK_CONTROL_MASK),
                        gtk_named_action_new ("conn.copy")));
  gtk_widget_add_controller (self->column_view, keys);
  g_signal_connect (self->column_view, "activate", G_CALLBACK (row_activated), self);
}
