/* test-ui-refresh.c: what a person sees of a refresh in the Connections
 * view, under Xvfb.
 *
 * Scroll position: the view holds 2,000 synthetic rows, scrolled to the
 * middle with a row selected there. Refreshed snapshots then add, remove
 * and change rows above and below the visible part, as separate ranges,
 * as one spanning items-changed (past the model's range limit), and when
 * removed rows leave. After each, the painted selected row must be the
 * same object, still at the same height on screen, and the list must not
 * have jumped to the top.
 *
 * Spinner: PORTOLAN_TEST_SCAN_DELAY_MS slows the worker's scan (meson
 * runs this test with 50 and with 600). A scan whose table comes before
 * 200 ms never shows the spinner; one of 600 ms shows it from 200 ms on,
 * and hides it with the result. As root the test runs in a network
 * namespace of its own, so a scan reads a table of a few sockets, not the
 * machine's thousands, and "a scan of about 50 ms" is one.
 */
#include <gtk/gtk.h>
#include <string.h>

#include "portolan-connections-view.h"
#ifdef __linux__
#include "ptl-test-netns.h"
#endif
#include "ptl-test-spec.h"
#include "ptl-test-ui.h"

static GtkWidget *window;
static PortolanConnectionsView *view;
static GtkWidget *column_view;
static GtkAdjustment *vadj;

static void
on_after_paint (GdkFrameClock *clock, guint *frames)
{
  (void) clock;
  (*frames)++;
}

/* Lets the view lay out and paint @n frames. */
static void
paint_frames (guint n)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  guint frames = 0;
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &frames);

  while (frames < n)
    {
      gtk_widget_queue_draw (window);
      g_main_context_iteration (NULL, TRUE);
    }
  g_signal_handler_disconnect (clock, id);
}

static GtkWidget *
find_widget (GtkWidget *w, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (w, type))
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_widget (c, type);
      if (found)
        return found;
    }
  return NULL;
}

/* The painted row widget with the selected state, or NULL. */
static GtkWidget *
find_selected_row (GtkWidget *w)
{
  if (g_strcmp0 (gtk_widget_get_css_name (w), "row") == 0 && gtk_widget_get_child_visible (w)
      && (gtk_widget_get_state_flags (w) & GTK_STATE_FLAG_SELECTED))
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_selected_row (c);
      if (found)
        return found;
    }
  return NULL;
}

/* Where the selected row is painted, from the column view's top. */
static double
selected_row_y (void)
{
  GtkWidget *row = find_selected_row (column_view);
  graphene_rect_t bounds;

  g_assert_nonnull (row);
  g_assert_true (gtk_widget_compute_bounds (row, column_view, &bounds));
  return bounds.origin.y;
}

/* Ports @first, @first + 2, … @last, less those in @gone, plus those in
 * @extra (a spec, may be empty). */
static PortolanTable *
table_of (guint first, guint last, const GHashTable *gone, const char *extra)
{
  PortolanTable *t = g_new0 (PortolanTable, 1);
  g_autoptr (GString) spec = g_string_new (extra);

  for (guint port = first; port <= last; port += 2)
    if (gone == NULL || !g_hash_table_contains ((GHashTable *) gone, GUINT_TO_POINTER (port)))
      g_string_append_printf (spec, " %u", port);
  ptl_test_table_from_spec (&t->table, spec->str);
  return t;
}

#define FIRST_PORT 2
#define LAST_PORT 4000 /* 2,000 rows */

static PortolanSocketRow *selected;
static guint selected_port;
static double selected_y;

static gboolean
laid_out (void)
{
  return gtk_adjustment_get_upper (vadj) > 10 * gtk_adjustment_get_page_size (vadj);
}

/* Scrolls to the middle and selects the row in the middle of the page. */
static void
scroll_and_select (void)
{
  GtkSingleSelection *selection
      = GTK_SINGLE_SELECTION (portolan_connections_view_get_selection (view));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (selection));
  double upper = gtk_adjustment_get_upper (vadj), page = gtk_adjustment_get_page_size (vadj);
  double row_h = upper / n, value = (upper - page) / 2;
  guint pos = (guint) ((value + page / 2) / row_h);

  gtk_adjustment_set_value (vadj, value);
  gtk_single_selection_set_selected (selection, pos);
  paint_frames (2);
  selected = gtk_single_selection_get_selected_item (selection);
  selected_port = portolan_socket_row_get_local_port (selected);
  selected_y = selected_row_y ();
  g_test_message ("row height %.1f, page %.0f, value %.0f, selected port %u painted at y %.1f",
                  row_h, page, gtk_adjustment_get_value (vadj), selected_port, selected_y);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadj), >, page);
  g_assert_cmpfloat (selected_y, >, 0);
  g_assert_cmpfloat (selected_y, <, page);
}

/* The same row is selected and painted where it was; the list did not jump. */
static void
assert_in_place (const char *what)
{
  GtkSingleSelection *selection
      = GTK_SINGLE_SELECTION (portolan_connections_view_get_selection (view));
  double y;

  paint_frames (2);
  y = selected_row_y ();
  g_test_message ("%s: value %.0f, selected port %u painted at y %.1f (was %.1f)", what,
                  gtk_adjustment_get_value (vadj), selected_port, y, selected_y);
  g_assert_true (gtk_single_selection_get_selected_item (selection) == selected);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadj), >, gtk_adjustment_get_page_size (vadj));
  g_assert_cmpfloat (ABS (y - selected_y), <, 2.0);
}

static guint signals_seen;

static void
count_signal (GListModel *m, guint p, guint r, guint a, gpointer data)
{
  (void) m, (void) p, (void) r, (void) a, (void) data;
  signals_seen++;
}

/* Applies @t and returns how many items-changed the model emitted. */
static guint
apply (PortolanTable *t)
{
  PortolanSocketModel *model = portolan_connections_view_get_model (view);
  gulong id = g_signal_connect (model, "items-changed", G_CALLBACK (count_signal), NULL);

  signals_seen = 0;
  portolan_socket_model_apply (model, t);
  g_signal_handler_disconnect (model, id);
  return signals_seen;
}

static GHashTable *
ports_set (const guint *ports, guint n)
{
  GHashTable *set = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < n; i++)
    g_hash_table_add (set, GUINT_TO_POINTER (ports[i]));
  return set;
}

/* A few ranges: rows come and go far above and far below the page, and
 * some change state. */
static void
test_scroll_few_ranges (void)
{
  guint s = selected_port;
  guint gone_ports[] = { 10, 200, 400, s - 300, s - 100, s + 300, 3990 };
  g_autoptr (GHashTable) gone = ports_set (gone_ports, G_N_ELEMENTS (gone_ports));
  /* s - 100 is back as ESTABLISHED: a row that changes (or is replaced). */
  g_autofree char *extra
      = g_strdup_printf ("3 5 7 %u %u %u:E %u 3999", s - 201, s - 199, s - 100, s + 201);
  guint n;

  scroll_and_select ();
  n = apply (table_of (FIRST_PORT, LAST_PORT, gone, extra));
  g_test_message ("%u items-changed", n);
  g_assert_cmpuint (n, >, 1);
  assert_in_place ("few ranges");
}

/* Past the range limit the model emits one items-changed spanning every
 * range, the page included: GTK must find the anchor row among the rows
 * re-added. */
static void
test_scroll_spanning (void)
{
  g_autoptr (GString) extra = g_string_new (NULL);
  guint n;

  /* New odd ports spread over the whole table, but not on the page (about
   * 16 rows around the selected one): more ranges than the view announces
   * one by one (512). */
  for (guint port = FIRST_PORT + 1; port < LAST_PORT; port += 6)
    if (port + 80 < selected_port || port > selected_port + 80)
      g_string_append_printf (extra, " %u", port);
  n = apply (table_of (FIRST_PORT, LAST_PORT, NULL, extra->str));
  g_test_message ("%u items-changed", n);
  g_assert_cmpuint (n, ==, 1);
  assert_in_place ("spanning");
}

static guint expected_rows;

static gboolean
removed_rows_left (void)
{
  return g_list_model_get_n_items (G_LIST_MODEL (portolan_connections_view_get_model (view)))
         == expected_rows;
}

/* Removed rows stay red for the mark timeout, then leave: from above the
 * page too, and the page does not move. */
static void
test_scroll_marks_expire (void)
{
  guint gone_ports[] = { 20, 40, 60, selected_port - 400, selected_port + 400 };
  g_autoptr (GHashTable) gone = ports_set (gone_ports, G_N_ELEMENTS (gone_ports));

  apply (table_of (FIRST_PORT, LAST_PORT, gone, ""));
  expected_rows = (LAST_PORT - FIRST_PORT) / 2 + 1 - G_N_ELEMENTS (gone_ports);
  g_assert_true (ptl_test_ui_wait (removed_rows_left, 5000));
  assert_in_place ("removed rows left");
}

/* ---- the spinner --------------------------------------------------------------------- */

/* Checked at marks, timeouts of the test's own on the main loop, never at
 * a time read from the clock: a loaded machine can hold the main loop for
 * hundreds of milliseconds, and the view's 200 ms timer then runs late.
 * The main loop runs the sources that are due in the order they were
 * added, so a mark added after the view's timer and due later sees what
 * that timer did, and one added before it and due sooner runs before it. */

static GtkWidget *spinner;

/* What happened during one refresh, in monotonic microseconds. */
static struct
{
  gint64 started, shown_at, done_at;
  gboolean busy_when_shown, mark_ran, done_by_mark;
} seen;

static void
on_spinner_visible (GObject *object, GParamSpec *pspec, gpointer data)
{
  (void) object, (void) pspec, (void) data;
  if (gtk_widget_get_visible (spinner) && seen.shown_at == 0)
    {
      seen.shown_at = g_get_monotonic_time ();
      seen.busy_when_shown = portolan_connections_view_get_busy (view);
    }
}

static void
on_busy (GObject *object, GParamSpec *pspec, gpointer data)
{
  (void) object, (void) pspec, (void) data;
  if (!portolan_connections_view_get_busy (view) && seen.done_at == 0)
    seen.done_at = g_get_monotonic_time ();
}

static gboolean
not_busy (void)
{
  return !portolan_connections_view_get_busy (view);
}

static gboolean
mark_ran (void)
{
  return seen.mark_ran;
}

static double
ms_after_start (gint64 t)
{
  return (t - seen.started) / 1000.0;
}

/* 250 ms into a slow scan, added after the view's 200 ms timer: that timer
 * has run. The table cannot have come: the scan sleeps 600 ms, and its
 * completion is queued behind this mark. */
static gboolean
slow_mark (gpointer data)
{
  (void) data;
  seen.mark_ran = TRUE;
  g_test_message ("mark at %.0f ms: busy %d, spinner %d", ms_after_start (g_get_monotonic_time ()),
                  portolan_connections_view_get_busy (view), gtk_widget_get_visible (spinner));
  g_assert_true (portolan_connections_view_get_busy (view));
  g_assert_true (gtk_widget_get_visible (spinner));
  g_assert_true (gtk_widget_get_mapped (spinner));
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
  return G_SOURCE_REMOVE;
}

/* 190 ms into a quick scan, added before the view's 200 ms timer: it runs
 * before that timer could. Whether the table is in by then is the
 * machine's doing (a loaded one can take longer over 50 ms). */
static gboolean
quick_mark (gpointer data)
{
  (void) data;
  seen.mark_ran = TRUE;
  seen.done_by_mark = !portolan_connections_view_get_busy (view);
  return G_SOURCE_REMOVE;
}

/* Added after the view's 200 ms timer and due later: when it runs, that
 * timer would have run, had the table not removed it. */
static gboolean
settle_mark (gpointer data)
{
  (void) data;
  seen.mark_ran = TRUE;
  return G_SOURCE_REMOVE;
}

/* Every scan of this process takes PORTOLAN_TEST_SCAN_DELAY_MS longer
 * (meson runs the test twice: 50 and 600). The environment is set before
 * the process starts: setenv() is unsafe once threads run. */
static void
test_spinner (void)
{
  const char *text = g_getenv ("PORTOLAN_TEST_SCAN_DELAY_MS");
  guint delay = text ? (guint) g_ascii_strtoull (text, NULL, 10) : 0;

  if (delay == 0)
    {
      g_test_skip ("PORTOLAN_TEST_SCAN_DELAY_MS is not set (meson test sets it)");
      return;
    }
  g_assert_true (ptl_test_ui_wait (not_busy, 20000));
  memset (&seen, 0, sizeof seen);
  if (delay < 200)
    g_timeout_add (190, quick_mark, NULL);
  seen.started = g_get_monotonic_time ();
  portolan_connections_view_refresh (view);
  g_assert_true (portolan_connections_view_get_busy (view));
  if (delay < 200)
    {
      g_assert_true (ptl_test_ui_wait (mark_ran, 20000));
      if (seen.done_by_mark)
        {
          /* The table came before the view's timer was due: no spinner,
           * then or later. */
          seen.mark_ran = FALSE;
          g_timeout_add (250, settle_mark, NULL);
          g_assert_true (ptl_test_ui_wait (mark_ran, 20000));
          g_test_message ("the table came before the view's 200 ms timer was due");
          g_assert_cmpint (seen.shown_at, ==, 0);
        }
      else
        g_test_message ("the table was not in by 190 ms here: the spinner may show, and is "
                        "checked to come after 200 ms");
    }
  else
    g_timeout_add (250, slow_mark, NULL);
  g_assert_true (ptl_test_ui_wait (not_busy, 20000));
  g_test_message ("the scan took %.0f ms; spinner at %.0f ms (0: never)",
                  ms_after_start (seen.done_at),
                  seen.shown_at ? ms_after_start (seen.shown_at) : 0);
  if (delay >= 200)
    {
      g_assert_true (seen.mark_ran);
      g_assert_cmpint (seen.shown_at, !=, 0);
    }
  if (seen.shown_at)
    {
      g_assert_cmpint (seen.shown_at - seen.started, >=, 200 * 1000);
      g_assert_true (seen.busy_when_shown);
    }
  g_assert_cmpfloat (ms_after_start (seen.done_at), >=, delay);
  g_assert_false (gtk_widget_get_visible (spinner));
  g_assert_false (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
}

int
main (int argc, char **argv)
{
  const char *why = "no network namespaces here";
#ifdef __linux__
  gboolean own_netns = ptl_test_enter_netns (&why); /* before any thread starts */
#else
  gboolean own_netns = FALSE;
#endif
  int status;

  gtk_test_init (&argc, &argv, NULL);
  if (!own_netns)
    g_test_message ("the spinner's scans read the machine's socket table: %s", why);
  window = gtk_window_new ();
  view = PORTOLAN_CONNECTIONS_VIEW (portolan_connections_view_new ());
  /* Paused, with a table already there: no real scan comes in between. */
  portolan_connections_view_set_paused (view, TRUE);
  /* Marks last 300 ms: removed rows may leave while a check paints,
   * which must not move the page either. */
  portolan_socket_model_set_mark_timeout (portolan_connections_view_get_model (view), 300);
  apply (table_of (FIRST_PORT, LAST_PORT, NULL, ""));
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 600);
  gtk_window_present (GTK_WINDOW (window));
  column_view = find_widget (GTK_WIDGET (view), GTK_TYPE_COLUMN_VIEW);
  spinner = find_widget (GTK_WIDGET (view), GTK_TYPE_SPINNER);
  g_assert_nonnull (column_view);
  g_assert_nonnull (spinner);
  g_signal_connect (spinner, "notify::visible", G_CALLBACK (on_spinner_visible), NULL);
  g_signal_connect (view, "notify::busy", G_CALLBACK (on_busy), NULL);
  vadj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (column_view));
  paint_frames (2);
  g_assert_true (ptl_test_ui_wait (laid_out, 10000));

  g_test_add_func ("/portolan/refresh/scroll-few-ranges", test_scroll_few_ranges);
  g_test_add_func ("/portolan/refresh/scroll-spanning", test_scroll_spanning);
  g_test_add_func ("/portolan/refresh/scroll-marks-expire", test_scroll_marks_expire);
  g_test_add_func ("/portolan/refresh/spinner", test_spinner);
  status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  return status;
}
