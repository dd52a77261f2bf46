/* test-ui-connections.c: the Connections view under Xvfb, on this
 * machine's real socket table. A child (ptl-test-holder) listens on a
 * loopback port the kernel picked; the view must show its row with the
 * child's PID after a refresh, the filter must narrow to it, export must
 * write it, and End Process… must end it after confirmation, its row then
 * turning REMOVED and leaving.
 *
 * PORTOLAN_TEST_SCREENSHOT_DIR=DIR also saves DIR/connections.png and
 * DIR/connections-marks.png (new rows green, removed rows red).
 */
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>
#include <unistd.h>

#include "portolan-connections-view.h"
#include "ptl-test-spec.h"
#include "ptl-test-util.h"
#include "ptl-test-ui.h"

static GtkWidget *window;
static PortolanConnectionsView *view;
static PtlTestHolder *holder;
static guint holder_port;

/* The holder's listening row in @model, or NULL. */
static PortolanSocketRow *
find_holder_row (GListModel *model)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (PortolanSocketRow) row = g_list_model_get_item (model, i);

      if (portolan_socket_row_get_local_port (row) == holder_port
          && g_strcmp0 (portolan_socket_row_get_state (row), "LISTEN") == 0
          && g_strcmp0 (portolan_socket_row_get_protocol (row), "tcp") == 0)
        return row;
    }
  return NULL;
}

static gboolean
holder_row_shown (void)
{
  PortolanSocketRow *row
      = find_holder_row (G_LIST_MODEL (portolan_connections_view_get_model (view)));

  return row != NULL && portolan_socket_row_get_pid (row) == holder->pid;
}

static gboolean
only_holder_shown (void)
{
  GListModel *shown = portolan_connections_view_get_shown (view);

  return g_list_model_get_n_items (shown) == 1 && find_holder_row (shown) != NULL;
}

static gboolean
nothing_shown (void)
{
  return g_list_model_get_n_items (portolan_connections_view_get_shown (view)) == 0;
}

static gboolean
not_busy (void)
{
  return !portolan_connections_view_get_busy (view);
}

static GtkWidget *
find_toggle (GtkWidget *w, const char *label)
{
  if (GTK_IS_TOGGLE_BUTTON (w) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (w)), label) == 0)
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_toggle (c, label);
      if (found)
        return found;
    }
  return NULL;
}

static void
set_toggle (const char *label, gboolean active)
{
  GtkWidget *toggle = find_toggle (GTK_WIDGET (view), label);

  g_assert_nonnull (toggle);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), active);
}

static void
set_filter (const char *text)
{
  gtk_editable_set_text (portolan_connections_view_get_filter_entry (view), text);
  /* GtkSearchEntry waits a moment before it says; do not wait for it. */
  g_signal_emit_by_name (portolan_connections_view_get_filter_entry (view), "search-changed");
}

static GtkWidget *
find_type (GtkWidget *w, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (w, type))
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_type (c, type);
      if (found)
        return found;
    }
  return NULL;
}

/* All Namespaces: a listener in a network namespace of its own shows, with
 * the Namespace column; off again, it goes. */
static PtlTestHolder *ns_holder;

static gboolean
ns_row_shown (void)
{
  GListModel *shown = portolan_connections_view_get_shown (view);

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr (PortolanSocketRow) row = g_list_model_get_item (shown, i);

      if (portolan_socket_row_get_pid (row) == ns_holder->pid
          && g_str_has_prefix (portolan_socket_row_get_namespace (row), "net:["))
        return TRUE;
    }
  return FALSE;
}

static gboolean
ns_row_gone (void)
{
  return !ns_row_shown () && not_busy ();
}

static gboolean
namespace_column_visible (void)
{
  GtkWidget *cv = find_type (GTK_WIDGET (view), GTK_TYPE_COLUMN_VIEW);
  GListModel *columns;

  if (cv == NULL)
    return FALSE;
  columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (cv));
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr (GtkColumnViewColumn) c = g_list_model_get_item (columns, i);
      if (g_strcmp0 (gtk_column_view_column_get_title (c), "Namespace") == 0)
        return gtk_column_view_column_get_visible (c);
    }
  return FALSE;
}

static void
test_all_namespaces (void)
{
  g_autofree char *port = NULL;

  ns_holder = ptl_test_situation_start_netns ((const char *const[]){ "port", "0", NULL });
  if (ns_holder == NULL)
    {
      g_test_skip ("needs root and unshare --net for a network namespace of its own");
      return;
    }
  port = g_strdup_printf ("port:%u", ptl_test_holder_port (ns_holder, "listen"));
  set_filter (port);
  g_assert_false (namespace_column_visible ());
  set_toggle ("All _Namespaces", TRUE);
  g_assert_true (namespace_column_visible ());
  g_assert_true (ptl_test_ui_wait (ns_row_shown, 20000));
  set_toggle ("All _Namespaces", FALSE);
  g_assert_false (namespace_column_visible ());
  portolan_connections_view_refresh (view);
  g_assert_true (ptl_test_ui_wait (ns_row_gone, 20000));
  set_filter ("");
  g_clear_pointer (&ns_holder, ptl_test_holder_free);
}

static void
test_row_with_pid (void)
{
  PortolanSocketRow *row;

  g_assert_true (ptl_test_ui_wait (holder_row_shown, 20000));
  row = find_holder_row (G_LIST_MODEL (portolan_connections_view_get_model (view)));
  g_assert_cmpint (portolan_socket_row_get_pid (row), ==, holder->pid);
  g_assert_cmpstr (portolan_socket_row_get_process (row), ==, "ptl-test-holder");
  g_assert_cmpstr (portolan_socket_row_get_local_address (row), ==, "127.0.0.1");
}

/* What the view shows, for a failure message: other rows with the holder's
 * port or PID are the machine's own, and say why the filter let them in. */
static void
log_shown (void)
{
  GListModel *shown = portolan_connections_view_get_shown (view);

  g_test_message ("holder: port %u, PID %d; %u rows shown:", holder_port, (int) holder->pid,
                  g_list_model_get_n_items (shown));
  for (guint i = 0; i < g_list_model_get_n_items (shown) && i < 20; i++)
    {
      g_autoptr (PortolanSocketRow) row = g_list_model_get_item (shown, i);

      g_test_message (
          "  %s %s:%u -> %s:%u %s PID %ld %s", portolan_socket_row_get_protocol (row),
          portolan_socket_row_get_local_address (row), portolan_socket_row_get_local_port (row),
          portolan_socket_row_get_remote_address (row), portolan_socket_row_get_remote_port (row),
          portolan_socket_row_get_state (row), (long) portolan_socket_row_get_pid (row),
          portolan_socket_row_get_process (row));
    }
}

static void
test_filter (void)
{
  g_autofree char *port_text = g_strdup_printf ("%u", holder_port);

  set_filter (port_text);
  if (!ptl_test_ui_wait (only_holder_shown, 5000))
    log_shown ();
  g_assert_true (only_holder_shown ());
  set_filter ("ptl-test-holder");
  g_assert_true (find_holder_row (portolan_connections_view_get_shown (view)) != NULL);
  set_filter (port_text);
  set_toggle ("_Listening only", TRUE);
  g_assert_true (only_holder_shown ());
  set_toggle ("IPv4", FALSE);
  g_assert_true (nothing_shown ());
  set_toggle ("IPv4", TRUE);
  set_toggle ("TCP", FALSE);
  g_assert_true (nothing_shown ());
  set_toggle ("TCP", TRUE);
  g_assert_true (only_holder_shown ());
}

/* A refresh keeps the selected row selected: the list is not rebuilt. */
static void
test_selection_survives (void)
{
  GtkSingleSelection *selection
      = GTK_SINGLE_SELECTION (portolan_connections_view_get_selection (view));
  GListModel *list = G_LIST_MODEL (selection);
  PortolanSocketRow *wanted;

  set_filter ("");
  g_assert_true (ptl_test_ui_wait (not_busy, 20000));
  wanted = find_holder_row (list);
  g_assert_nonnull (wanted);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (PortolanSocketRow) row = g_list_model_get_item (list, i);

      if (row == wanted)
        gtk_single_selection_set_selected (selection, i);
    }
  g_assert_true (gtk_single_selection_get_selected_item (selection) == wanted);
  portolan_connections_view_refresh (view);
  g_assert_true (ptl_test_ui_wait (not_busy, 20000));
  g_assert_true (gtk_single_selection_get_selected_item (selection) == wanted);
}

static guint shown_port;

static void
on_show_port (PortolanConnectionsView *v, guint port, gpointer data)
{
  (void) v, (void) data;
  shown_port = port;
}

static void
test_show_port (void)
{
  g_signal_connect (view, "show-port", G_CALLBACK (on_show_port), NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "conn.show-port", NULL));
  g_assert_cmpuint (shown_port, ==, holder_port);
}

static guint busy_changes;

static void
on_busy (GObject *object, GParamSpec *pspec, gpointer data)
{
  (void) object, (void) pspec, (void) data;
  busy_changes++;
}

static gboolean
timed_out (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_pause (void)
{
  gboolean done = FALSE;
  gulong id;

  g_assert_true (ptl_test_ui_wait (not_busy, 20000));
  portolan_connections_view_set_paused (view, TRUE);
  busy_changes = 0;
  id = g_signal_connect (view, "notify::busy", G_CALLBACK (on_busy), NULL);
  g_timeout_add (portolan_connections_view_get_refresh_interval (view) * 4, timed_out, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (busy_changes, ==, 0);
  portolan_connections_view_set_paused (view, FALSE);
  done = FALSE;
  g_timeout_add (portolan_connections_view_get_refresh_interval (view) * 4, timed_out, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (busy_changes, >, 0);
  g_signal_handler_disconnect (view, id);
}

/* A window nobody can see (minimised, behind another) does not refresh;
 * seen again, it refreshes at once. */
static void
test_unwatched (void)
{
  gboolean done = FALSE;
  gulong id;

  g_assert_true (ptl_test_ui_wait (not_busy, 20000));
  portolan_connections_view_set_watched (view, FALSE);
  busy_changes = 0;
  id = g_signal_connect (view, "notify::busy", G_CALLBACK (on_busy), NULL);
  g_timeout_add (portolan_connections_view_get_refresh_interval (view) * 4, timed_out, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (busy_changes, ==, 0);
  portolan_connections_view_set_watched (view, TRUE);
  /* At once, not one interval later. */
  g_assert_cmpuint (busy_changes, ==, 1);
  g_assert_true (portolan_connections_view_get_busy (view));
  g_signal_handler_disconnect (view, id);
  g_assert_true (ptl_test_ui_wait (not_busy, 20000));
}

static gboolean
holder_row_removed (void)
{
  PortolanSocketRow *row
      = find_holder_row (G_LIST_MODEL (portolan_connections_view_get_model (view)));

  return row != NULL && portolan_socket_row_get_mark (row) == PORTOLAN_ROW_REMOVED;
}

static gboolean
holder_row_gone (void)
{
  return find_holder_row (G_LIST_MODEL (portolan_connections_view_get_model (view))) == NULL;
}

static gboolean
dialog_shown (void)
{
  return ptl_test_ui_find_message_dialog () != NULL;
}

static gboolean
holder_gone (void)
{
  return !ptl_test_holder_alive (holder);
}

static void
select_holder_row (void)
{
  GtkSingleSelection *selection
      = GTK_SINGLE_SELECTION (portolan_connections_view_get_selection (view));
  GListModel *list = G_LIST_MODEL (selection);
  PortolanSocketRow *wanted = find_holder_row (list);

  g_assert_nonnull (wanted);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (PortolanSocketRow) row = g_list_model_get_item (list, i);

      if (row == wanted)
        gtk_single_selection_set_selected (selection, i);
    }
  g_assert_true (gtk_single_selection_get_selected_item (selection) == wanted);
}

/* End Process… from the row menu names the child and ends it only once
 * confirmed; its row then turns red, and leaves. */
static void
test_end_process (void)
{
  g_autofree char *title = g_strdup_printf ("End ptl-test-holder (PID %d)?", (int) holder->pid);
  g_autofree char *text = NULL;
  GtkWidget *dialog;

  select_holder_row ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "conn.end-process", NULL));
  g_assert_true (ptl_test_ui_wait (dialog_shown, 5000));
  dialog = ptl_test_ui_find_message_dialog ();
  g_object_get (dialog, "text", &text, NULL);
  g_assert_cmpstr (text, ==, title);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_usleep (300 * 1000);
  g_assert_true (ptl_test_holder_alive (holder));

  select_holder_row ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "conn.end-process", NULL));
  g_assert_true (ptl_test_ui_wait (dialog_shown, 5000));
  gtk_dialog_response (GTK_DIALOG (ptl_test_ui_find_message_dialog ()), GTK_RESPONSE_ACCEPT);
  g_assert_true (ptl_test_ui_wait (holder_gone, 10000));
  g_assert_true (ptl_test_ui_wait (holder_row_removed, 20000));
  g_assert_true (ptl_test_ui_wait (holder_row_gone, 20000));
  /* The result was said in a dialog of its own. */
  g_assert_true (ptl_test_ui_wait (dialog_shown, 5000));
  gtk_window_destroy (GTK_WINDOW (ptl_test_ui_find_message_dialog ()));
}

static GAsyncResult *export_result;

static void
store_result (GObject *source, GAsyncResult *result, gpointer data)
{
  (void) source, (void) data;
  export_result = g_object_ref (result);
}

static gboolean
exported (void)
{
  return export_result != NULL;
}

static char *
export_to (const char *dir, const char *name, gboolean json, gboolean all, guint *n_rows)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  char *contents = NULL;

  g_clear_object (&export_result);
  portolan_connections_view_export_async (view, file, json, all, NULL, store_result, NULL);
  g_assert_true (ptl_test_ui_wait (exported, 10000));
  g_assert_true (portolan_connections_view_export_finish (view, export_result, n_rows, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_unlink (path);
  return contents;
}

/* Export writes the core's JSON and CSV, with the child's row. */
static void
test_export (void)
{
  g_autofree char *dir = g_dir_make_tmp ("portolan-export-XXXXXX", NULL);
  g_autofree char *json = export_to (dir, "sockets.json", TRUE, TRUE, NULL);
  g_autofree char *csv = export_to (dir, "sockets.csv", FALSE, TRUE, NULL);
  g_autofree char *csv_row = g_strdup_printf (",%u,", holder_port);
  g_autoptr (JsonNode) root = ptl_test_parse_json ("export", json);
  PtlTestSockKey key = { "tcp", "ipv4", "127.0.0.1", "LISTEN", holder_port };
  JsonObject *sock = ptl_test_find_socket (ptl_test_list_sockets (root), &key);

  g_assert_nonnull (sock);
  g_assert_true (ptl_test_socket_has_pid (sock, holder->pid));
  g_assert_nonnull (strstr (csv, csv_row));
  g_assert_nonnull (strstr (csv, "ptl-test-holder"));
  g_rmdir (dir);
  g_clear_object (&export_result);
}

static guint
csv_rows (const char *csv)
{
  g_auto (GStrv) lines = g_strsplit (csv, "\n", -1);
  guint n = 0;

  for (guint i = 1; lines[i]; i++) /* after the header */
    n += *lines[i] != '\0';
  return n;
}

/* Export writes what is shown: the filtered rows, in the order shown;
 * "all" writes every socket. The filter matches every word. */
static void
test_export_filtered (void)
{
  g_autofree char *dir = g_dir_make_tmp ("portolan-export-XXXXXX", NULL);
  g_autofree char *filter = g_strdup_printf ("ptl-test-holder port:%u", holder_port);
  g_autofree char *csv = NULL, *all_csv = NULL, *json = NULL;
  g_autofree char *row_start = g_strdup_printf ("tcp,ipv4,127.0.0.1,%u,", holder_port);
  GListModel *shown = portolan_connections_view_get_shown (view);
  g_autoptr (JsonNode) root = NULL;
  guint n = 0, n_all = 0;

  g_assert_true (ptl_test_ui_wait (holder_row_shown, 20000));
  set_filter (filter);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
  csv = export_to (dir, "shown.csv", FALSE, FALSE, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (csv_rows (csv), ==, 1);
  g_assert_nonnull (strstr (csv, row_start));
  json = export_to (dir, "shown.json", TRUE, FALSE, &n);
  g_assert_cmpuint (n, ==, 1);
  root = ptl_test_parse_json ("shown", json);
  g_assert_cmpuint (json_array_get_length (ptl_test_list_sockets (root)), ==, 1);
  all_csv = export_to (dir, "all.csv", FALSE, TRUE, &n_all);
  /* The table is live and other programs' command lines may hold line
   * breaks (quoted in the CSV), so lines are no count here: all is more
   * than the one row shown, and holds the holder's row. */
  g_assert_cmpuint (n_all, >, 1);
  g_assert_cmpuint (n_all, >, n);
  g_assert_nonnull (strstr (all_csv, row_start));
  /* Each word must match: a second word no row has leaves nothing. */
  set_filter ("ptl-test-holder zzz-no-such-word");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 0);
  set_filter ("");
  g_rmdir (dir);
  g_clear_object (&export_result);
}

static void save_screenshot (const char *dir, const char *name);

static PortolanTable *
spec_table (guint first, guint last, guint step, guint skip_every, guint extra_every)
{
  PortolanTable *t = g_new0 (PortolanTable, 1);
  g_autoptr (GString) spec = g_string_new (NULL);

  for (guint port = first; port <= last; port += step)
    if (skip_every == 0 || (port / step) % skip_every != 0)
      g_string_append_printf (spec, "%u ", port);
  for (guint port = first + 1; extra_every && port <= last; port += extra_every * step)
    g_string_append_printf (spec, "%u ", port);
  ptl_test_table_from_spec (&t->table, spec->str);
  return t;
}

static guint synthetic_rows;

static gboolean
model_has_synthetic_rows_only (void)
{
  return g_list_model_get_n_items (G_LIST_MODEL (portolan_connections_view_get_model (view)))
         == synthetic_rows;
}

static void
count_signal (GListModel *m, guint p, guint r, guint a, guint *calls)
{
  (void) m, (void) p, (void) r, (void) a;
  (*calls)++;
}

/* With a filter on, a refresh with scattered changes is announced as one
 * spanning items-changed; the selected row stays selected through it. */
static void
test_selection_survives_filtered (void)
{
  PortolanSocketModel *model = portolan_connections_view_get_model (view);
  GtkSingleSelection *selection
      = GTK_SINGLE_SELECTION (portolan_connections_view_get_selection (view));
  GListModel *list = G_LIST_MODEL (selection);
  PortolanSocketRow *wanted = NULL;
  guint calls = 0;
  gulong id;

  portolan_connections_view_set_paused (view, TRUE);
  g_assert_true (ptl_test_ui_wait (not_busy, 20000));
  set_filter ("");
  portolan_socket_model_apply (model, spec_table (2, 4000, 2, 0, 0));
  synthetic_rows = 2000;
  g_assert_true (ptl_test_ui_wait (model_has_synthetic_rows_only, 10000));
  set_filter ("LISTEN");
  for (guint i = 0; i < g_list_model_get_n_items (list) && wanted == NULL; i++)
    {
      g_autoptr (PortolanSocketRow) row = g_list_model_get_item (list, i);

      if (portolan_socket_row_get_local_port (row) == 2000)
        {
          gtk_single_selection_set_selected (selection, i);
          wanted = row;
        }
    }
  g_assert_nonnull (wanted);
  id = g_signal_connect (model, "items-changed", G_CALLBACK (count_signal), &calls);
  /* Every 25th port goes, an odd port comes every 74 ports. */
  portolan_socket_model_apply (model, spec_table (2, 4000, 2, 25, 37));
  g_signal_handler_disconnect (model, id);
  g_assert_cmpuint (calls, ==, 1);
  g_assert_true (gtk_single_selection_get_selected_item (selection) == wanted);
  set_filter ("");
  g_assert_true (gtk_single_selection_get_selected_item (selection) == wanted);
  if (g_getenv ("PORTOLAN_TEST_SCREENSHOT_DIR"))
    save_screenshot (g_getenv ("PORTOLAN_TEST_SCREENSHOT_DIR"), "connections-marks.png");
  portolan_connections_view_set_paused (view, FALSE);
}

static gboolean
label_shown_in (GtkWidget *w, const char *text)
{
  if (GTK_IS_LABEL (w) && gtk_widget_get_mapped (w)
      && g_strcmp0 (gtk_label_get_text (GTK_LABEL (w)), text) == 0)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    if (label_shown_in (c, text))
      return TRUE;
  return FALSE;
}

static const char *wanted_label;

static gboolean
wanted_label_shown (void)
{
  return label_shown_in (GTK_WIDGET (view), wanted_label);
}

static gboolean
wanted_label_hidden (void)
{
  return !wanted_label_shown ();
}

/* Sorting by a column, descending, keeps the selected row in view: the
 * view follows the row rather than an offset that now shows other rows. */
static void
test_sort_keeps_view (void)
{
  PortolanSocketModel *model = portolan_connections_view_get_model (view);
  GtkSingleSelection *selection
      = GTK_SINGLE_SELECTION (portolan_connections_view_get_selection (view));
  GListModel *list = G_LIST_MODEL (selection);
  GtkWidget *cv = find_type (GTK_WIDGET (view), GTK_TYPE_COLUMN_VIEW);
  GListModel *columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (cv));
  g_autoptr (GtkColumnViewColumn) local_port = NULL;

  portolan_connections_view_set_paused (view, TRUE);
  g_assert_true (ptl_test_ui_wait (not_busy, 20000));
  set_filter ("");
  portolan_socket_model_apply (model, spec_table (2, 4000, 2, 0, 0));
  synthetic_rows = 2000;
  g_assert_true (ptl_test_ui_wait (model_has_synthetic_rows_only, 10000));
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (PortolanSocketRow) row = g_list_model_get_item (list, i);

      if (portolan_socket_row_get_local_port (row) == 3000)
        {
          gtk_single_selection_set_selected (selection, i);
          gtk_widget_activate_action (find_type (cv, GTK_TYPE_LIST_VIEW), "list.scroll-to-item",
                                      "u", i);
        }
    }
  wanted_label = "3000";
  g_assert_true (ptl_test_ui_wait (wanted_label_shown, 5000));
  for (guint i = 0; i < g_list_model_get_n_items (columns) && local_port == NULL; i++)
    {
      g_autoptr (GtkColumnViewColumn) c = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (c), "Local port") == 0)
        local_port = g_object_ref (c);
    }
  g_assert_nonnull (local_port);
  gtk_column_view_sort_by_column (GTK_COLUMN_VIEW (cv), local_port, GTK_SORT_DESCENDING);
  {
    g_autoptr (PortolanSocketRow) first = g_list_model_get_item (list, 0);
    g_assert_cmpuint (portolan_socket_row_get_local_port (first), ==, 4000);
  }
  g_assert_cmpuint (
      portolan_socket_row_get_local_port (gtk_single_selection_get_selected_item (selection)), ==,
      3000);
  g_assert_true (ptl_test_ui_wait (wanted_label_shown, 5000));
  gtk_column_view_sort_by_column (GTK_COLUMN_VIEW (cv), NULL, GTK_SORT_ASCENDING);
  portolan_connections_view_set_paused (view, FALSE);
}

/* Our Tab handler: the column view's key controller in the capture phase
 * (GTK has no way to inject a key press; the handler is what is tested). */
static gboolean
press (GtkWidget *cv, guint keyval, GdkModifierType state)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (cv);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GtkEventController) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (c)
          && gtk_event_controller_get_propagation_phase (c) == GTK_PHASE_CAPTURE)
        {
          g_signal_emit_by_name (c, "key-pressed", keyval, 0, state, &handled);
          return handled;
        }
    }
  g_assert_not_reached ();
}

static GtkWidget *
focus_widget (void)
{
  return gtk_root_get_focus (GTK_ROOT (window));
}

static gboolean
focus_in (GtkWidget *ancestor)
{
  GtkWidget *f = focus_widget ();

  return f != NULL && (f == ancestor || gtk_widget_is_ancestor (f, ancestor));
}

/* A column title holding the focus: a child of the header row. */
static GtkWidget *
focused_title (void)
{
  GtkWidget *f = focus_widget ();
  GtkWidget *parent = f ? gtk_widget_get_parent (f) : NULL;

  return parent && g_strcmp0 (gtk_widget_get_css_name (parent), "header") == 0 ? f : NULL;
}

static gboolean
title_has_class (GtkWidget *w, const char *css)
{
  if (gtk_widget_get_visible (w) && gtk_widget_has_css_class (w, css))
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    if (title_has_class (c, css))
      return TRUE;
  return FALSE;
}

/* Tab leaves the table from any row; Shift+Tab from a row reaches the
 * column titles, Enter on one sorts by it and again turns it around, Tab
 * from a title goes back to the rows. */
static void
test_keyboard (void)
{
  GtkWidget *cv = find_type (GTK_WIDGET (view), GTK_TYPE_COLUMN_VIEW);
  GtkWidget *list = find_type (cv, GTK_TYPE_LIST_VIEW);
  GListModel *shown = portolan_connections_view_get_shown (view);
  GtkWidget *title;
  const char *name;

  portolan_connections_view_set_paused (view, TRUE);
  g_assert_true (ptl_test_ui_wait (not_busy, 20000));
  set_filter ("");
  portolan_socket_model_apply (portolan_connections_view_get_model (view),
                               spec_table (2, 400, 2, 0, 0));
  synthetic_rows = 200;
  g_assert_true (ptl_test_ui_wait (model_has_synthetic_rows_only, 10000));
  g_assert_cmpuint (g_list_model_get_n_items (shown), >, 10);
  gtk_widget_activate_action (list, "list.scroll-to-item", "u", 5);
  g_assert_true (gtk_widget_grab_focus (list));
  g_assert_true (focus_in (list));

  /* Tab from a row: out of the table (GTK alone would go to the next row). */
  g_assert_true (press (cv, GDK_KEY_Tab, 0));
  g_assert_nonnull (focus_widget ());
  g_assert_false (focus_in (cv));

  /* Shift+Tab from a row: the titles. */
  gtk_widget_activate_action (list, "list.scroll-to-item", "u", 5);
  g_assert_true (gtk_widget_grab_focus (list));
  g_assert_true (focus_in (list));
  g_assert_true (press (cv, GDK_KEY_ISO_Left_Tab, GDK_SHIFT_MASK));
  title = focused_title ();
  g_assert_nonnull (title);
  g_assert_true (gtk_widget_get_focusable (title));

  /* Enter sorts by the focused column, ascending, then descending. */
  g_assert_true (press (cv, GDK_KEY_Return, 0));
  g_assert_true (title_has_class (title, "ascending"));
  g_assert_true (press (cv, GDK_KEY_space, 0));
  g_assert_true (title_has_class (title, "descending"));
  name = gtk_widget_get_name (title);
  g_test_message ("sorted by the title %s", name);

  /* Tab from a title: back to the rows. */
  g_assert_true (press (cv, GDK_KEY_Tab, 0));
  g_assert_true (focus_in (list));
  gtk_column_view_sort_by_column (GTK_COLUMN_VIEW (cv), NULL, GTK_SORT_ASCENDING);
  portolan_connections_view_set_paused (view, FALSE);
}

/* Empty results and the table's notes are said in sentences. */
static void
test_states (void)
{
  PortolanTable *t = spec_table (2, 40, 2, 0, 0);
  /* A note of our own, so a real one (an unprivileged run) cannot mix in. */
  const char *note = "This table was written by test-ui-connections.";

  portolan_connections_view_set_paused (view, TRUE);
  g_assert_true (ptl_test_ui_wait (not_busy, 20000));
  ptl_socket_table_add_note (&t->table, note);
  wanted_label = note;
  g_assert_false (wanted_label_shown ());
  portolan_socket_model_apply (portolan_connections_view_get_model (view), t);
  g_assert_true (ptl_test_ui_wait (wanted_label_shown, 5000));
  portolan_connections_view_set_paused (view, FALSE);
  set_filter ("zzz-no-such-process");
  wanted_label = "No sockets match the filter.";
  g_assert_true (ptl_test_ui_wait (wanted_label_shown, 5000));
  set_filter ("");
  g_assert_true (ptl_test_ui_wait (wanted_label_hidden, 5000));
}

typedef struct
{
  const char *path;
  gboolean done;
} Shot;

/* Right after a frame is painted every widget has its allocation, so the
 * window's render node is complete. */
static void
take_shot (GdkFrameClock *clock, Shot *shot)
{
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  int w = gtk_widget_get_width (window), h = gtk_widget_get_height (window);

  if (shot->done)
    return;
  GTK_WIDGET_GET_CLASS (window)->snapshot (window, snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  g_assert_true (gdk_texture_save_to_png (texture, shot->path));
  shot->done = TRUE;
}

static void
save_screenshot (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  Shot shot = { path, FALSE };
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (take_shot), &shot);

  gtk_widget_queue_draw (window);
  while (!shot.done)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, id);
}

int
main (int argc, char **argv)
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  holder = ptl_test_holder_start ("tcp4-listen");
  holder_port = ptl_test_holder_port (holder, "tcp4-listen");
  window = gtk_window_new ();
  view = PORTOLAN_CONNECTIONS_VIEW (portolan_connections_view_new ());
  portolan_connections_view_set_refresh_interval (view, 300);
  portolan_socket_model_set_mark_timeout (portolan_connections_view_get_model (view), 600);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 640);
  gtk_window_present (GTK_WINDOW (window));

  g_test_add_func ("/portolan/connections/row-with-pid", test_row_with_pid);
  g_test_add_func ("/portolan/connections/filter", test_filter);
  g_test_add_func ("/portolan/connections/selection-survives", test_selection_survives);
  g_test_add_func ("/portolan/connections/show-port", test_show_port);
  g_test_add_func ("/portolan/connections/all-namespaces", test_all_namespaces);
  g_test_add_func ("/portolan/connections/pause", test_pause);
  g_test_add_func ("/portolan/connections/unwatched", test_unwatched);
  g_test_add_func ("/portolan/connections/export", test_export);
  g_test_add_func ("/portolan/connections/export-filtered", test_export_filtered);
  g_test_add_func ("/portolan/connections/end-process", test_end_process);
  g_test_add_func ("/portolan/connections/selection-survives-filtered",
                   test_selection_survives_filtered);
  g_test_add_func ("/portolan/connections/states", test_states);
  g_test_add_func ("/portolan/connections/sort-keeps-view", test_sort_keeps_view);
  g_test_add_func ("/portolan/connections/keyboard", test_keyboard);
  status = g_test_run ();
  if (status == 0 && g_getenv ("PORTOLAN_TEST_SCREENSHOT_DIR"))
    save_screenshot (g_getenv ("PORTOLAN_TEST_SCREENSHOT_DIR"), "connections.png");
  gtk_window_destroy (GTK_WINDOW (window));
  ptl_test_holder_free (holder);
  return status;
}
