/* test-ui-port.c: the main window and the Port view under Xvfb, asserting
 * on widget state: a search for 1644 shows what it is, a port held by a
 * child shows the child's PID, bad input shows the core's sentence inline
 * and keeps the page, and End Process… ends the child after confirmation.
 */
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "portolan-application.h"
#include "portolan-connections-view.h"
#include "portolan-end-process.h"
#include "portolan-free-window.h"
#include "portolan-port-map.h"
#include "portolan-port-view.h"
#include "portolan-window.h"
#include "ptl-bad-inputs.h"
#include "ptl-free.h"
#include "ptl-platform.h"
#include "ptl-port.h"
#include "ptl-test-util.h"
#include "ptl-test-ui.h"

static PortolanApplication *app;
static PortolanWindow *win;

static gboolean
never (gpointer data)
{
  return FALSE;
}

static void
spin_for (guint ms)
{
  ptl_test_ui_wait_data (never, NULL, ms);
}

static gboolean
not_busy (gpointer data)
{
  return !portolan_window_get_busy (PORTOLAN_WINDOW (data));
}

static void
collect_text (GtkWidget *w, GString *out)
{
  if (GTK_IS_LABEL (w) && gtk_widget_get_mapped (w))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (w)));
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    collect_text (c, out);
}

/* Every label the Port view shows right now, one per line. */
static char *
port_view_text (void)
{
  GString *out = g_string_new (NULL);

  collect_text (portolan_window_get_port_view (win), out);
  return g_string_free (out, FALSE);
}

static GtkWidget *
find_widget (GtkWidget *w, GType type, const char *label)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_mapped (w)
      && (label == NULL || g_strcmp0 (gtk_button_get_label (GTK_BUTTON (w)), label) == 0))
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_widget (c, type, label);
      if (found)
        return found;
    }
  return NULL;
}

static void
search (const char *text)
{
  gtk_editable_set_text (portolan_window_get_search_entry (win), text);
  g_signal_emit_by_name (portolan_window_get_search_entry (win), "activate");
  g_assert_true (ptl_test_ui_wait_data (not_busy, win, 20000));
}

static gboolean
error_shown (void)
{
  GtkWidget *revealer = gtk_widget_get_ancestor (
      GTK_WIDGET (portolan_window_get_search_error (win)), GTK_TYPE_REVEALER);

  return gtk_revealer_get_reveal_child (GTK_REVEALER (revealer));
}

static void
test_port_1644 (void)
{
  g_autofree char *text = NULL;
  GtkWidget *map;

  search ("1644");
  g_assert_false (error_shown ());
  text = port_view_text ();
  g_assert_nonnull (strstr (text, "Port 1644\n"));
  g_assert_nonnull (strstr (text, "saiseh"));
  g_assert_nonnull (strstr (text, "Satellite-data Acquisition System 4"));
  g_assert_nonnull (strstr (text, "\nRegistered\n"));
  g_assert_nonnull (strstr (text, "Assigned by IANA"));
  g_assert_nonnull (strstr (text, "Official Assignment (IANA)"));
  g_assert_nonnull (strstr (text, "ss -tanup 'sport = :1644'"));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (win)), ==, "Port 1644 — Portolan");
  map = find_widget (portolan_window_get_port_view (win), PORTOLAN_TYPE_PORT_MAP, NULL);
  g_assert_nonnull (map);
  g_assert_cmpuint (portolan_port_map_get_port (PORTOLAN_PORT_MAP (map)), ==, 1644);
}

/* A listener in a network namespace of its own has a section of its own,
 * with its process and where it lives; the banner points at it. */
static void
test_other_namespace (void)
{
  g_autoptr (PtlTestHolder) h
      = ptl_test_situation_start_netns ((const char *const[]){ "port", "0", NULL });
  g_autofree char *port = NULL, *text = NULL, *flat = NULL, *pid = NULL, *where = NULL;
  g_autofree char *link = NULL;
  struct stat st;

  if (h == NULL)
    {
      g_test_skip ("needs root and unshare --net for a network namespace of its own");
      return;
    }
  link = g_strdup_printf ("/proc/%d/ns/net", h->pid);
  g_assert_cmpint (stat (link, &st), ==, 0);
  port = g_strdup_printf ("%u", ptl_test_holder_port (h, "listen"));
  search (port);
  text = port_view_text ();
  flat = ptl_test_flatten (text);
  g_assert_nonnull (strstr (text, "Inside Containers and Other Network Namespaces\n"));
  pid = g_strdup_printf ("ptl-test-situat (PID %d)\n", h->pid);
  g_assert_nonnull (strstr (text, pid));
  where = g_strdup_printf ("Namespace network namespace net:[%" G_GUINT64_FORMAT "]",
                           (guint64) st.st_ino);
  g_assert_nonnull (strstr (flat, where));
  g_assert_nonnull (strstr (flat, "It is also used inside a container or another network "
                                  "namespace (below)"));
}

/* A process in a cgroup named like a systemd unit shows that unit. */
static void
test_unit (void)
{
  g_autofree char *why = NULL, *port = NULL, *flat = NULL, *text = NULL, *want = NULL;
  PtlTestUnitCgroup *cg = ptl_test_unit_cgroup_new ("ptl-ui", &why);
  g_autoptr (PtlTestHolder) h = NULL;

  if (cg == NULL)
    {
      g_test_skip (why);
      return;
    }
  h = ptl_test_situation_start ("cgroup", cg->dir);
  port = g_strdup_printf ("%u", ptl_test_holder_port (h, "listen"));
  search (port);
  text = port_view_text ();
  flat = ptl_test_flatten (text);
  want = g_strdup_printf ("Unit %s", cg->unit);
  g_assert_nonnull (strstr (flat, want));
  ptl_test_holder_free (g_steal_pointer (&h));
  ptl_test_unit_cgroup_free (cg);
}

/* Port 0 is no port a program can listen on: the banner says so. */
static void
test_port_zero (void)
{
  g_autofree char *text = NULL;

  search ("0");
  text = port_view_text ();
  g_assert_nonnull (strstr (text, "Port 0 is not a usable port\n"));
  g_assert_nonnull (strstr (text, "gets any free port from the system"));
  g_assert_null (strstr (text, "A program can listen on it now"));
  g_assert_null (strstr (text, "\nFree\n"));
}

/* The widgets Tab stops at, in tree order (the order GTK walks them):
 * mapped, focusable, their ancestors all accepting focus. */
static void
collect_stops (GtkWidget *w, GPtrArray *stops)
{
  if (!gtk_widget_get_mapped (w) || !gtk_widget_get_can_focus (w) || !gtk_widget_is_sensitive (w))
    return;
  /* A scrolled window hands the focus on to its content when it can. */
  if (gtk_widget_get_focusable (w) && !GTK_IS_SCROLLED_WINDOW (w))
    g_ptr_array_add (stops, w);
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    collect_stops (c, stops);
}

/* The Port page has few Tab stops: the status title first, then only
 * buttons (text is no stop, a related port one stop); the map after. */
static void
test_tab_stops (void)
{
  g_autoptr (GPtrArray) stops = g_ptr_array_new ();
  GtkWidget *map;
  guint map_at = 0;

  search ("1644");
  map = find_widget (portolan_window_get_port_view (win), PORTOLAN_TYPE_PORT_MAP, NULL);
  collect_stops (portolan_window_get_port_view (win), stops);
  /* The map's stop is its scale (its keyboard and screen-reader side). */
  for (guint i = 0; i < stops->len; i++)
    if (stops->pdata[i] == map || gtk_widget_is_ancestor (stops->pdata[i], map))
      map_at = i + 1;
  g_test_message ("%u Tab stops in the Port view, the map is stop %u", stops->len, map_at);
  g_assert_cmpuint (stops->len, >, 0);
  g_assert_true (gtk_widget_has_css_class (stops->pdata[0], "status-title"));
  for (guint i = 1; i + 1 < map_at; i++)
    g_assert_true (GTK_IS_BUTTON (stops->pdata[i]));
  g_assert_cmpuint (map_at, >, 0);
  g_assert_cmpuint (map_at, <=, 20);
}

static gboolean
narrow_window_at_360 (gpointer data)
{
  GtkWidget *w = data;

  return gtk_widget_get_mapped (w) && gtk_widget_get_width (w) > 0
         && gtk_widget_get_width (w) <= 360 + 10;
}

/* A window 360 px wide (GNOME's narrowest): the switcher moves under the
 * views, the map folds into a button that shows it in the page's place,
 * and the Connections view fits too. 800 px wide keeps the map beside. */
static void
test_narrow_window (void)
{
  PortolanWindow *narrow = portolan_window_new (app);
  GtkWidget *view = portolan_window_get_port_view (narrow), *map, *toggle;
  int min_width = 0;

  gtk_window_set_default_size (GTK_WINDOW (narrow), 360, 640);
  portolan_window_fold_for_width (narrow, 360);
  gtk_window_present (GTK_WINDOW (narrow));
  portolan_window_search (narrow, "1644");
  g_assert_true (ptl_test_ui_wait_data (narrow_window_at_360, narrow, 10000));
  g_assert_true (ptl_test_ui_wait_data (not_busy, narrow, 20000));
  gtk_widget_measure (GTK_WIDGET (narrow), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL,
                      NULL);
  g_test_message ("narrow window: %d px wide, minimum %d px",
                  gtk_widget_get_width (GTK_WIDGET (narrow)), min_width);
  g_assert_cmpint (min_width, <=, 360);
  g_assert_true (portolan_window_get_narrow (narrow));
  g_assert_true (portolan_port_view_get_narrow (PORTOLAN_PORT_VIEW (view)));
  map = find_widget (view, PORTOLAN_TYPE_PORT_MAP, NULL);
  g_assert_null (map); /* folded: not mapped */
  toggle = find_widget (view, GTK_TYPE_TOGGLE_BUTTON, "_Port Map");
  g_assert_nonnull (toggle);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), TRUE);
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_nonnull (find_widget (view, PORTOLAN_TYPE_PORT_MAP, NULL));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), FALSE);
  portolan_window_set_view (narrow, "connections");
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  gtk_widget_measure (GTK_WIDGET (narrow), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL,
                      NULL);
  g_assert_cmpint (min_width, <=, 360);
  portolan_window_set_view (narrow, "port");
  /* Wide again: the map beside the page. */
  portolan_window_fold_for_width (narrow, 800);
  g_assert_false (portolan_port_view_get_narrow (PORTOLAN_PORT_VIEW (view)));
  gtk_window_destroy (GTK_WINDOW (narrow));
}

static gboolean
connections_has_rows (gpointer data)
{
  return g_list_model_get_n_items (
             portolan_connections_view_get_shown (PORTOLAN_CONNECTIONS_VIEW (data)))
         > 0;
}

/* Ctrl+F goes to the filter of the view in front and selects its text;
 * Enter on a Connections row opens its port in the Port view. */
static void
test_keyboard (void)
{
  GtkWidget *stack = gtk_widget_get_ancestor (portolan_window_get_port_view (win), GTK_TYPE_STACK);
  GtkWidget *conn = gtk_stack_get_child_by_name (GTK_STACK (stack), "connections");
  GtkEditable *filter
      = portolan_connections_view_get_filter_entry (PORTOLAN_CONNECTIONS_VIEW (conn));
  GtkWidget *focus, *cv;
  int start = -1, end = -1;
  g_autoptr (PortolanSocketRow) row = NULL;
  g_autofree char *title = NULL;

  portolan_window_set_view (win, "connections");
  gtk_editable_set_text (filter, "tcp");
  g_action_group_activate_action (G_ACTION_GROUP (win), "search", NULL);
  focus = gtk_root_get_focus (GTK_ROOT (win));
  g_assert_true (focus == GTK_WIDGET (filter)
                 || gtk_widget_is_ancestor (focus, GTK_WIDGET (filter)));
  g_assert_true (gtk_editable_get_selection_bounds (filter, &start, &end));
  g_assert_cmpint (start, ==, 0);
  g_assert_cmpint (end, ==, 3);
  gtk_editable_set_text (filter, "");
  g_signal_emit_by_name (filter, "search-changed");

  g_assert_true (ptl_test_ui_wait_data (connections_has_rows, conn, 20000));
  cv = find_widget (conn, GTK_TYPE_COLUMN_VIEW, NULL);
  g_assert_nonnull (cv);
  row = g_list_model_get_item (
      portolan_connections_view_get_shown (PORTOLAN_CONNECTIONS_VIEW (conn)), 0);
  title = g_strdup_printf ("Port %u — Portolan", portolan_socket_row_get_local_port (row));
  g_signal_emit_by_name (cv, "activate", 0);
  g_assert_true (ptl_test_ui_wait_data (not_busy, win, 20000));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "port");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (win)), ==, title);

  g_action_group_activate_action (G_ACTION_GROUP (win), "search", NULL);
  focus = gtk_root_get_focus (GTK_ROOT (win));
  g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (portolan_window_get_search_entry (win)))
                 || focus == GTK_WIDGET (portolan_window_get_search_entry (win)));
}

static GtkWidget *
find_by_tooltip (GtkWidget *w, const char *tooltip)
{
  if (gtk_widget_get_mapped (w) && g_strcmp0 (gtk_widget_get_tooltip_text (w), tooltip) == 0)
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_by_tooltip (c, tooltip);
      if (found)
        return found;
    }
  return NULL;
}

static void
clipboard_text_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  char **out = user_data;

  *out = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  if (*out == NULL)
    *out = g_strdup ("");
}

static gboolean
have_text (gpointer data)
{
  return *(char **) data != NULL;
}

/* Check It Yourself: the copy button puts the exact command on the
 * clipboard. */
static void
test_copy_command (void)
{
  const char *cmd = "ss -tanup 'sport = :1644'";
  g_autofree char *tip = g_strdup_printf ("Copy “%s”", cmd);
  g_autofree char *got = NULL;
  GtkWidget *button;

  search ("1644");
  button = find_by_tooltip (portolan_window_get_port_view (win), tip);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (button), NULL, clipboard_text_cb, &got);
  g_assert_true (ptl_test_ui_wait_data (have_text, &got, 5000));
  g_assert_cmpstr (got, ==, cmd);
}

/* The CLI's sentence for @query, without its "portolan-cli: " prefix. */
static char *
cli_sentence (const char *query)
{
  g_autofree char *out = NULL, *err = NULL;
  int status = ptl_test_cli_run (&out, &err, query);

  g_assert_cmpint (status, ==, 2);
  g_assert_true (g_str_has_prefix (err, "portolan-cli: "));
  return g_strdup (g_strstrip (err + strlen ("portolan-cli: ")));
}

/* One query the core refuses: the entry shows the core's sentence, the
 * same the CLI prints, and the page people were reading stays. */
static void
check_bad_query (const char *query, const char *shown, gboolean linger)
{
  PtlQuery q;
  PtlError err = { 0 };
  g_autofree char *cli = cli_sentence (query);
  g_autofree char *text = NULL;

  g_test_message ("search %s -> %s", shown, cli);
  g_assert_cmpint (ptl_query_parse (query, &q, &err), ==, PTL_EINVAL);
  g_assert_cmpstr (err.message, ==, cli);
  search (query);
  g_assert_true (error_shown ());
  /* It stays: nothing that fires later (a delayed search-changed) hides it. */
  if (linger)
    spin_for (400);
  g_assert_true (error_shown ());
  g_assert_cmpstr (gtk_label_get_text (portolan_window_get_search_error (win)), ==, cli);
  text = port_view_text ();
  g_assert_nonnull (strstr (text, "Port 1644\n"));
}

/* Every "query" case of tests/data/bad-inputs.txt, as the CLI test runs
 * them, and a few of our own. */
static void
test_bad_input (void)
{
  const char *own[] = { "16x44" };
  PtlBadInput *cases;
  size_t n, tried = 0;
  char why[256];
  FILE *f = fopen (PTL_BAD_INPUTS_FILE, "r");

  g_assert_nonnull (f);
  if (!ptl_bad_inputs_read (f, &cases, &n, why, sizeof why))
    g_error ("%s", why);
  fclose (f);
  search ("1644");
  for (size_t i = 0; i < n; i++)
    {
      char cmd[256];

      if (!cases[i].query)
        continue;
      ptl_bad_input_describe (&cases[i], cmd, sizeof cmd);
      /* A GtkEditable holds UTF-8 text only: these bytes cannot be typed. */
      if (!g_utf8_validate (cases[i].args[0], -1, NULL))
        {
          g_test_message ("not tried in the entry (not UTF-8, so no entry can hold it): %s", cmd);
          continue;
        }
      check_bad_query (cases[i].args[0], cmd + strlen ("portolan-cli "), tried == 0);
      tried++;
    }
  for (size_t i = 0; i < G_N_ELEMENTS (own); i++)
    {
      g_autofree char *shown = g_strdup_printf ("'%s'", own[i]);

      check_bad_query (own[i], shown, FALSE);
    }
  g_test_message ("%zu bad queries tried in the search entry", tried + G_N_ELEMENTS (own));
  g_assert_cmpuint (tried, >=, 15);
  ptl_bad_inputs_free (cases, n);
  search ("1644");
  g_assert_false (error_shown ());
}

static void
test_range_list (void)
{
  g_autofree char *text = NULL;

  search ("6665-6669");
  text = port_view_text ();
  g_assert_nonnull (strstr (text, "Ports 6665–6669\n"));
  for (guint p = 6665; p <= 6669; p++)
    {
      g_autofree char *line = g_strdup_printf ("Port %u\n", p);
      g_assert_nonnull (strstr (text, line));
    }
  g_assert_nonnull (strstr (text, "ircu"));
}

/* Activates the row of @port in the range list, as a click does. */
static void
activate_list_port (guint port)
{
  const PtlReportSet *set
      = portolan_port_view_get_report (PORTOLAN_PORT_VIEW (portolan_window_get_port_view (win)));
  GtkWidget *view = find_widget (portolan_window_get_port_view (win), GTK_TYPE_LIST_VIEW, NULL);

  g_assert_nonnull (view);
  for (guint i = 0; i < set->n_reports; i++)
    if (set->reports[i].port == port)
      {
        g_signal_emit_by_name (view, "activate", i);
        return;
      }
  g_assert_not_reached ();
}

/* The largest range a query may cover becomes a list people can scroll,
 * laid out fast: only the rows on screen are built. */
static void
test_large_range (void)
{
  gint64 start = g_get_monotonic_time ();
  GtkWidget *view;
  GListModel *model;
  double secs;

  search ("1024-5119");
  spin_for (200);
  secs = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_test_message ("4096 ports listed and drawn in %.2f s", secs);
  g_assert_false (error_shown ());
  view = find_widget (portolan_window_get_port_view (win), GTK_TYPE_LIST_VIEW, NULL);
  g_assert_nonnull (view);
  model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (view)));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4096);
  g_assert_cmpfloat (secs, <, 10.0);
}

/* A row of a range's list and a related port both open that port. */
static void
test_open_from_list_and_related (void)
{
  GtkWidget *button;
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;

  search ("6665-6669");
  activate_list_port (6667);
  g_assert_true (ptl_test_ui_wait_data (not_busy, win, 20000));
  text = port_view_text ();
  g_assert_nonnull (strstr (text, "Port 6667\n"));
  g_assert_cmpstr (gtk_editable_get_text (portolan_window_get_search_entry (win)), ==, "6667");

  search ("1644");
  button = find_widget (portolan_window_get_port_view (win), GTK_TYPE_BUTTON, "194");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (ptl_test_ui_wait_data (not_busy, win, 20000));
  text2 = port_view_text ();
  g_assert_nonnull (strstr (text2, "Port 194\n"));
}

static gboolean
holder_gone (gpointer data)
{
  return !ptl_test_holder_alive (data);
}

static gboolean
dialog_shown (gpointer data)
{
  return ptl_test_ui_find_message_dialog () != NULL;
}

/* A port held by a child names the child, and End Process… ends it after
 * the confirmation (and only then). */
static gboolean
notice_shown (gpointer data)
{
  return portolan_window_get_notice (win) != NULL;
}

static void
test_held_port_and_end (void)
{
  g_autoptr (PtlTestHolder) h = ptl_test_holder_start ("tcp4-listen");
  guint port = ptl_test_holder_port (h, "tcp4-listen");
  g_autofree char *query = g_strdup_printf ("%u", port);
  g_autofree char *pid = g_strdup_printf ("(PID %d)", (int) h->pid);
  g_autofree char *text = NULL;
  GtkWidget *button, *dialog;

  search (query);
  text = port_view_text ();
  g_assert_nonnull (strstr (text, pid));
  g_assert_nonnull (strstr (text, "is listening"));
  button = find_widget (portolan_window_get_port_view (win), GTK_TYPE_BUTTON, "_End Process…");
  g_assert_nonnull (button);

  g_signal_emit_by_name (button, "clicked");
  g_assert_true (ptl_test_ui_wait_data (dialog_shown, NULL, 5000));
  dialog = ptl_test_ui_find_message_dialog ();
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_usleep (300 * 1000);
  g_assert_true (ptl_test_holder_alive (h));

  g_signal_emit_by_name (button, "clicked");
  g_assert_true (ptl_test_ui_wait_data (dialog_shown, NULL, 5000));
  gtk_dialog_response (GTK_DIALOG (ptl_test_ui_find_message_dialog ()), GTK_RESPONSE_ACCEPT);
  g_assert_true (ptl_test_ui_wait_data (holder_gone, h, 10000));
  /* The result is said in a notice in the window, not a second dialog,
   * then the page is refreshed. */
  g_assert_true (ptl_test_ui_wait_data (notice_shown, NULL, 5000));
  g_assert_nonnull (strstr (portolan_window_get_notice (win), "has ended"));
  g_assert_nonnull (strstr (portolan_window_get_notice (win), pid));
  g_assert_null (ptl_test_ui_find_message_dialog ());
}

static PortolanFreeWindow *
find_free_window (void)
{
  GListModel *tops = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (tops); i++)
    {
      g_autoptr (GObject) w = g_list_model_get_item (tops, i);
      if (PORTOLAN_IS_FREE_WINDOW (w))
        return PORTOLAN_FREE_WINDOW (w);
    }
  return NULL;
}

static gboolean
free_search_done (gpointer data)
{
  return portolan_free_window_get_n_found (data) >= 0;
}

/* Find a Free Port lists ports that pass the same rules as the CLI's
 * `free` (checked here port by port), and clicking one opens it. */
static gboolean
has_selectable_label (GtkWidget *w)
{
  if (GTK_IS_LABEL (w) && gtk_label_get_selectable (GTK_LABEL (w)))
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    if (has_selectable_label (c))
      return TRUE;
  return FALSE;
}

static void
test_free_ports (void)
{
  PortolanFreeWindow *fw;
  PtlPortRules rules;
  GtkWidget *list, *row;
  guint first = 0;
  int n;

  g_action_group_activate_action (G_ACTION_GROUP (app), "free-ports", NULL);
  fw = find_free_window ();
  g_assert_nonnull (fw);
  g_assert_true (ptl_test_ui_wait_data (free_search_done, fw, 30000));
  n = portolan_free_window_get_n_found (fw);
  g_assert_cmpint (n, >, 0);
  ptl_platform_port_rules (&rules, NULL);
  list = find_widget (GTK_WIDGET (fw), GTK_TYPE_LIST_BOX, NULL);
  g_assert_nonnull (list);
  for (int i = 0; i < n; i++)
    {
      guint port;

      row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), i));
      g_assert_nonnull (row);
      port = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "port"));
      g_assert_cmpuint (port, >=, 1024);
      g_assert_cmpuint (port, <=, 49151);
      g_assert_true (ptl_free_port_passes (port, &rules));
      if (i == 0)
        first = port;
    }
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0));
  /* A click anywhere on the row opens it: no label in it takes the click. */
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
  g_assert_false (has_selectable_label (row));
  g_signal_emit_by_name (list, "row-activated", row);
  g_assert_true (ptl_test_ui_wait_data (not_busy, win, 20000));
  {
    g_autofree char *title = g_strdup_printf ("Port %u\n", first);
    g_autofree char *text = port_view_text ();
    g_assert_nonnull (strstr (text, title));
  }
  /* The dialog no longer covers the page it opened; the menu brings back
   * the same list. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fw)));
  g_action_group_activate_action (G_ACTION_GROUP (app), "free-ports", NULL);
  g_assert_true (find_free_window () == fw);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fw)));
  g_assert_cmpint (portolan_free_window_get_n_found (fw), ==, n);
  gtk_window_destroy (GTK_WINDOW (fw));
}

/* The last view is remembered through GSettings (memory backend here). */
static void
test_settings (void)
{
  GSettings *settings = portolan_application_get_settings (app);
  g_autofree char *view = NULL;

  g_assert_nonnull (settings);
  portolan_window_set_view (win, "connections");
  view = g_settings_get_string (settings, "last-view");
  g_assert_cmpstr (view, ==, "connections");
  portolan_window_set_view (win, "port");
  g_free (g_steal_pointer (&view));
  view = g_settings_get_string (settings, "last-view");
  g_assert_cmpstr (view, ==, "port");
}

static void
test_refusals (void)
{
  g_assert_nonnull (portolan_end_process_refusal (0));
  g_assert_nonnull (portolan_end_process_refusal (1));
  g_assert_nonnull (portolan_end_process_refusal (4));
  g_assert_nonnull (portolan_end_process_refusal (ptl_platform_self_pid ()));
  g_assert_null (portolan_end_process_refusal (ptl_platform_self_pid () + 1));
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int rc;

  gtk_test_init (&argc, &argv, NULL);
  portolan_gui_init ();
  app = portolan_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  win = portolan_window_new (app);
  gtk_window_present (GTK_WINDOW (win));

  g_test_add_func ("/portolan/ui/port/1644", test_port_1644);
  g_test_add_func ("/portolan/ui/port/bad-input", test_bad_input);
  g_test_add_func ("/portolan/ui/port/zero", test_port_zero);
  g_test_add_func ("/portolan/ui/port/other-namespace", test_other_namespace);
  g_test_add_func ("/portolan/ui/port/unit", test_unit);
  g_test_add_func ("/portolan/ui/port/tab-stops", test_tab_stops);
  g_test_add_func ("/portolan/ui/port/narrow-window", test_narrow_window);
  g_test_add_func ("/portolan/ui/keyboard", test_keyboard);
  g_test_add_func ("/portolan/ui/port/copy-command", test_copy_command);
  g_test_add_func ("/portolan/ui/port/range-list", test_range_list);
  g_test_add_func ("/portolan/ui/port/large-range", test_large_range);
  g_test_add_func ("/portolan/ui/port/open-from-list-and-related", test_open_from_list_and_related);
  g_test_add_func ("/portolan/ui/port/held-and-end-process", test_held_port_and_end);
  g_test_add_func ("/portolan/ui/port/end-process-refusals", test_refusals);
  g_test_add_func ("/portolan/ui/free-ports", test_free_ports);
  g_test_add_func ("/portolan/ui/settings/last-view", test_settings);
  rc = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (win));
  g_clear_object (&app);
  return rc;
}
