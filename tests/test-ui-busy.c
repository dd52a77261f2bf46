/* test-ui-busy.c: a port with 9,001 sockets (ptl-bench-load: one
 * listener and 9,000 connections through it, both ends held by one
 * process) under Xvfb. The Port view summarises them (groups with counts,
 * the first few in full, "Show All in Connections") instead of building a
 * card per socket, the range list and the map cope, and Show All opens
 * the Connections view filtered to the port.
 *
 * Timings belong to the benchmark (tools/bench); the one bound asserted
 * here is the UI thread's longest stall while the page is built, set far
 * above what a loaded 2-core machine shows (tens of ms) and far below what
 * a card per socket cost (minutes), so it fails only on that regression.
 */
#include <gtk/gtk.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "portolan-application.h"
#include "portolan-connections-view.h"
#include "portolan-port-map.h"
#include "portolan-port-view.h"
#include "portolan-window.h"
#include "ptl-test-ui.h"

#define PAIRS 9000
#define STALL_LIMIT_MS 3000

static PortolanApplication *app;
static PortolanWindow *win;
static GPid load_pid;
static int load_stdin = -1;
static guint busy_port;
static char *skip_reason;

/* ---- the load ------------------------------------------------------------------- */

static gboolean
start_load (void)
{
  const char *loader = g_getenv ("PORTOLAN_BENCH_LOAD");
  g_autofree char *pairs = g_strdup_printf ("%d", PAIRS);
  const char *argv[] = { loader, "big", pairs, "0", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GIOChannel) out = NULL;
  g_autofree char *line = NULL;
  g_auto (GStrv) words = NULL;
  int out_fd;

  if (loader == NULL)
    return (skip_reason = g_strdup ("PORTOLAN_BENCH_LOAD is not set")), FALSE;
  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                 &load_pid, &load_stdin, &out_fd, NULL, &error))
    return (skip_reason = g_strdup_printf ("ptl-bench-load: %s", error->message)), FALSE;
  out = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (out, TRUE);
  /* "big PID PORT LASTPORT NFDS" once every connection is made; nothing
   * when it failed (it says why on stderr, e.g. the fd limit). */
  if (g_io_channel_read_line (out, &line, NULL, NULL, NULL) != G_IO_STATUS_NORMAL)
    return (skip_reason = g_strdup ("ptl-bench-load could not open its 18,001 sockets (fd limit? "
                                    "it needs root to raise the hard limit)")),
           FALSE;
  words = g_strsplit (g_strstrip (line), " ", -1);
  g_assert_cmpstr (words[0], ==, "big");
  busy_port = (guint) g_ascii_strtoull (words[2], NULL, 10);
  g_assert_cmpuint (busy_port, >, 0);
  return TRUE;
}

static void
stop_load (void)
{
  if (load_stdin >= 0)
    close (load_stdin); /* the loader ends at EOF on stdin */
  if (load_pid > 0)
    {
      int status;

      kill (load_pid, SIGTERM);
      waitpid (load_pid, &status, 0);
      g_spawn_close_pid (load_pid);
    }
}

/* ---- looking at the window --------------------------------------------------------- */

static void
collect (GtkWidget *w, GString *text, guint *rows)
{
  if (!gtk_widget_get_mapped (w))
    return;
  if (GTK_IS_LABEL (w))
    g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (w)));
  if (gtk_widget_has_css_class (w, "card-row"))
    (*rows)++;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    collect (c, text, rows);
}

static GtkWidget *
find_button (GtkWidget *w, const char *label)
{
  if (GTK_IS_BUTTON (w) && gtk_widget_get_mapped (w)
      && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (w)), label) == 0)
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button (c, label);
      if (found)
        return found;
    }
  return NULL;
}

/* The section under the heading @title. */
static GtkWidget *
find_section (GtkWidget *w, const char *title)
{
  if (GTK_IS_LABEL (w) && gtk_widget_get_mapped (w)
      && g_strcmp0 (gtk_label_get_text (GTK_LABEL (w)), title) == 0)
    return gtk_widget_get_parent (w);
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_section (c, title);
      if (found)
        return found;
    }
  return NULL;
}

static gboolean
not_busy (gpointer data)
{
  return !portolan_window_get_busy (win);
}

/* The UI thread's longest gap between two ticks of a 5 ms timer. */
typedef struct
{
  gint64 last, longest;
} Stall;

static gboolean
stall_tick (gpointer data)
{
  Stall *s = data;
  gint64 now = g_get_monotonic_time ();

  s->longest = MAX (s->longest, now - s->last);
  s->last = now;
  return G_SOURCE_CONTINUE;
}

static void
search (const char *text, Stall *stall)
{
  guint id;

  stall->last = g_get_monotonic_time ();
  stall->longest = 0;
  id = g_timeout_add (5, stall_tick, stall);
  portolan_window_search (win, text);
  g_assert_true (ptl_test_ui_wait_data (not_busy, NULL, 120000));
  /* Let the page lay out and paint before the timer stops. */
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_source_remove (id);
}

/* ---- the tests ------------------------------------------------------------------- */

static void
test_summary (void)
{
  g_autofree char *query = g_strdup_printf ("%u", busy_port);
  g_autofree char *group = g_strdup_printf ("%d connections ESTABLISHED from 127.0.0.1, held by "
                                            "ptl-bench-load (PID %d)\n",
                                            PAIRS, (int) load_pid);
  g_autofree char *listener
      = g_strdup_printf ("1 socket LISTEN, held by ptl-bench-load (PID %d)\n", (int) load_pid);
  g_autofree char *intro = g_strdup_printf ("%d sockets use port %u.", PAIRS + 1, busy_port);
  g_autoptr (GString) text = g_string_new (NULL);
  GtkWidget *section;
  Stall stall;
  guint rows = 0;

  if (skip_reason)
    {
      g_test_skip (skip_reason);
      return;
    }
  search (query, &stall);
  section = find_section (portolan_window_get_port_view (win), "On This Machine");
  g_assert_nonnull (section);
  collect (section, text, &rows);
  g_test_message ("UI thread's longest stall while the page was built: %.1f ms; %u rows",
                  stall.longest / 1000.0, rows);
  g_assert_nonnull (strstr (text->str, intro));
  g_assert_nonnull (strstr (text->str, group));
  g_assert_nonnull (strstr (text->str, listener));
  /* Two groups, and the first three sockets in full: a fixed handful of
   * rows whatever the count, not one per socket. */
  g_assert_cmpuint (rows, >=, 5);
  g_assert_cmpuint (rows, <=, 5 + 1);
  g_assert_nonnull (find_button (section, "_Show All in Connections"));
  g_assert_cmpint (stall.longest / 1000, <, STALL_LIMIT_MS);
}

static gboolean
answer_shown (gpointer data)
{
  PortolanPortView *view = data;
  const PtlReportSet *set = portolan_port_view_get_report (view);

  return set != NULL && set->n_reports == 1 && set->reports[0].port == busy_port;
}

/* The answer (status, On This Machine) is painted first; the sections
 * under it come in a later frame, and the window stays busy until they
 * are in. */
static void
test_answer_first (void)
{
  GtkWidget *port_view = portolan_window_get_port_view (win);
  g_autofree char *query = g_strdup_printf ("%u", busy_port);

  if (skip_reason)
    {
      g_test_skip (skip_reason);
      return;
    }
  portolan_window_search (win, "1644");
  g_assert_true (ptl_test_ui_wait_data (not_busy, NULL, 120000));
  portolan_window_search (win, query);
  g_assert_true (ptl_test_ui_wait_data (answer_shown, port_view, 120000));
  g_assert_true (portolan_port_view_get_building (PORTOLAN_PORT_VIEW (port_view)));
  g_assert_true (portolan_window_get_busy (win));
  g_assert_null (find_section (port_view, "Check It Yourself"));
  g_assert_true (ptl_test_ui_wait_data (not_busy, NULL, 120000));
  g_assert_false (portolan_port_view_get_building (PORTOLAN_PORT_VIEW (port_view)));
  g_assert_nonnull (find_section (port_view, "On This Machine"));
  g_assert_nonnull (find_section (port_view, "The Range"));
  g_assert_nonnull (find_section (port_view, "Check It Yourself"));
}

static gboolean
shown_all (gpointer data)
{
  PortolanConnectionsView *view = data;

  return !portolan_connections_view_get_busy (view)
         && g_list_model_get_n_items (portolan_connections_view_get_shown (view)) == PAIRS + 1;
}

static void
test_show_all (void)
{
  GtkWidget *button, *stack;
  PortolanConnectionsView *view;
  g_autofree char *filter = NULL;
  GListModel *shown;

  if (skip_reason)
    {
      g_test_skip (skip_reason);
      return;
    }
  button = find_button (portolan_window_get_port_view (win), "_Show All in Connections");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  stack = gtk_widget_get_ancestor (portolan_window_get_port_view (win), GTK_TYPE_STACK);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "connections");
  view = PORTOLAN_CONNECTIONS_VIEW (gtk_stack_get_child_by_name (GTK_STACK (stack), "connections"));
  filter = g_strdup_printf ("port:%u", busy_port);
  g_assert_cmpstr (gtk_editable_get_text (portolan_connections_view_get_filter_entry (view)), ==,
                   filter);
  g_assert_true (ptl_test_ui_wait_data (shown_all, view, 120000));
  shown = portolan_connections_view_get_shown (view);
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr (PortolanSocketRow) row = g_list_model_get_item (shown, i);

      g_assert_cmpuint (portolan_socket_row_get_local_port (row), ==, busy_port);
    }
  portolan_window_set_view (win, "port");
}

/* A range that holds the busy port lists it in one line. */
static void
test_range_list (void)
{
  g_autofree char *query = g_strdup_printf ("%u-%u", busy_port, busy_port + 1);
  g_autofree char *line = g_strdup_printf ("In use: ptl-bench-load (PID %d)\n", (int) load_pid);
  g_autoptr (GString) text = g_string_new (NULL);
  Stall stall;
  guint rows = 0;

  if (skip_reason)
    {
      g_test_skip (skip_reason);
      return;
    }
  search (query, &stall);
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  collect (portolan_window_get_port_view (win), text, &rows);
  g_assert_nonnull (strstr (text->str, line));
  g_assert_cmpint (stall.longest / 1000, <, STALL_LIMIT_MS);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int rc;

  gtk_test_init (&argc, &argv, NULL);
  portolan_gui_init ();
  start_load ();
  app = portolan_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  win = portolan_window_new (app);
  gtk_window_present (GTK_WINDOW (win));

  g_test_add_func ("/portolan/ui/busy-port/summary", test_summary);
  g_test_add_func ("/portolan/ui/busy-port/answer-first", test_answer_first);
  g_test_add_func ("/portolan/ui/busy-port/show-all", test_show_all);
  g_test_add_func ("/portolan/ui/busy-port/range-list", test_range_list);
  rc = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (win));
  g_clear_object (&app);
  stop_load ();
  g_free (skip_reason);
  return rc;
}
