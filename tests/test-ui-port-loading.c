/* test-ui-port-loading.c: the Port view's loading page and the header
 * spinner appear only when a search takes more than 200 ms. Every scan of
 * this process takes PORTOLAN_TEST_SCAN_DELAY_MS longer (meson runs it
 * with 50 and with 600; the environment is set before the process starts,
 * as setenv() is unsafe once threads run).
 *
 * The checks are made at marks: timeouts of the test's own on the window's
 * main loop, never at a time read from the clock. A loaded machine can hold
 * the main loop for hundreds of milliseconds (a software renderer compiling
 * a shader in one frame, the CPU given to others), and then the window's
 * 200 ms timer runs late; but the main loop runs sources that are due in
 * the order they were added, so a mark added after the window's timer and
 * due later always sees what that timer did, and one added before it and
 * due sooner always runs before it.
 *
 * As root the test runs in a network namespace of its own: a search then
 * reads a table of a few sockets, not the machine's thousands, so "a scan
 * of about 50 ms" is one.
 */
#include <gtk/gtk.h>
#include <string.h>

#include "portolan-application.h"
#include "portolan-port-view.h"
#include "portolan-window.h"
#ifdef __linux__
#include "ptl-test-netns.h"
#endif
#include "ptl-test-ui.h"

static PortolanApplication *app;
static PortolanWindow *win;
static GtkStack *pages;
static GtkWidget *header_spinner;

/* What happened during one search, in monotonic microseconds. */
static struct
{
  gint64 started, loading_shown_at, spinner_shown_at, done_at;
  gboolean busy_when_loading_shown, busy_when_spinner_shown;
  gboolean mark_ran, done_by_mark;
} seen;

static gboolean
not_busy (void)
{
  return !portolan_window_get_busy (win);
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

/* The Port view's pages: the stack with a "loading" child. */
static GtkStack *
find_pages (GtkWidget *w)
{
  if (GTK_IS_STACK (w) && gtk_stack_get_child_by_name (GTK_STACK (w), "loading") != NULL)
    return GTK_STACK (w);
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkStack *found = find_pages (c);
      if (found)
        return found;
    }
  return NULL;
}

/* The header bar's spinner. */
static GtkWidget *
find_header_spinner (GtkWidget *w)
{
  if (GTK_IS_SPINNER (w))
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_header_spinner (c);
      if (found)
        return found;
    }
  return NULL;
}

static gboolean
loading_page_shown (void)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (pages), "loading") == 0;
}

static void
on_page (GObject *object, GParamSpec *pspec, gpointer data)
{
  (void) object, (void) pspec, (void) data;
  if (loading_page_shown () && seen.loading_shown_at == 0)
    {
      seen.loading_shown_at = g_get_monotonic_time ();
      seen.busy_when_loading_shown = portolan_window_get_busy (win);
    }
}

static void
on_spinner (GObject *object, GParamSpec *pspec, gpointer data)
{
  (void) object, (void) pspec, (void) data;
  if (gtk_widget_get_visible (header_spinner) && seen.spinner_shown_at == 0)
    {
      seen.spinner_shown_at = g_get_monotonic_time ();
      seen.busy_when_spinner_shown = portolan_window_get_busy (win);
    }
}

static void
on_busy (GObject *object, GParamSpec *pspec, gpointer data)
{
  (void) object, (void) pspec, (void) data;
  if (!portolan_window_get_busy (win) && seen.done_at == 0)
    seen.done_at = g_get_monotonic_time ();
}

static void
start_search (const char *text)
{
  g_assert_true (ptl_test_ui_wait (not_busy, 20000));
  memset (&seen, 0, sizeof seen);
  seen.started = g_get_monotonic_time ();
  gtk_editable_set_text (portolan_window_get_search_entry (win), text);
  g_signal_emit_by_name (portolan_window_get_search_entry (win), "activate");
  g_assert_true (portolan_window_get_busy (win));
}

/* Whatever showed, showed 200 ms or more after the search started and
 * while it ran; the answer took its place. */
static void
assert_after (guint delay)
{
  g_assert_true (ptl_test_ui_wait (not_busy, 20000));
  g_test_message ("busy for %.0f ms (the answer, then its page's sections); loading page "
                  "at %.0f ms, spinner at %.0f ms (0: never)",
                  ms_after_start (seen.done_at),
                  seen.loading_shown_at ? ms_after_start (seen.loading_shown_at) : 0,
                  seen.spinner_shown_at ? ms_after_start (seen.spinner_shown_at) : 0);
  if (seen.loading_shown_at)
    {
      g_assert_cmpint (seen.loading_shown_at - seen.started, >=, 200 * 1000);
      g_assert_true (seen.busy_when_loading_shown);
    }
  if (seen.spinner_shown_at)
    {
      g_assert_cmpint (seen.spinner_shown_at - seen.started, >=, 200 * 1000);
      g_assert_true (seen.busy_when_spinner_shown);
    }
  g_assert_cmpfloat (ms_after_start (seen.done_at), >=, delay);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (pages), ==, "report");
  g_assert_false (gtk_widget_get_visible (header_spinner));
}

/* 250 ms into a slow search, added after the window's 200 ms timer: that
 * timer has run. The answer cannot have come: the scan sleeps 600 ms, and
 * its completion is queued behind this mark. */
static gboolean
slow_mark (gpointer data)
{
  (void) data;
  seen.mark_ran = TRUE;
  g_test_message ("mark at %.0f ms: page %s, spinner %d, busy %d",
                  ms_after_start (g_get_monotonic_time ()),
                  gtk_stack_get_visible_child_name (pages), gtk_widget_get_visible (header_spinner),
                  portolan_window_get_busy (win));
  g_assert_true (portolan_window_get_busy (win));
  g_assert_true (loading_page_shown ());
  g_assert_true (gtk_widget_get_visible (header_spinner));
  g_assert_true (gtk_widget_get_mapped (header_spinner));
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (header_spinner)));
  return G_SOURCE_REMOVE;
}

/* 190 ms into a quick search, added before the window's 200 ms timer:
 * it runs before that timer could. Whether the answer is in by then is
 * the machine's doing (a loaded one can take longer over 50 ms). The
 * answer is in once the page builds its sections under it (the window
 * stays busy until they are built) or the window is no longer busy. */
static gboolean
quick_mark (gpointer data)
{
  (void) data;
  seen.mark_ran = TRUE;
  seen.done_by_mark = !portolan_window_get_busy (win)
                      || portolan_port_view_get_building (
                          PORTOLAN_PORT_VIEW (portolan_window_get_port_view (win)));
  return G_SOURCE_REMOVE;
}

/* Added after the window's 200 ms timer and due later: when it runs, that
 * timer would have run, had the answer not removed it. */
static gboolean
settle_mark (gpointer data)
{
  (void) data;
  seen.mark_ran = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_loading (void)
{
  const char *text = g_getenv ("PORTOLAN_TEST_SCAN_DELAY_MS");
  guint delay = text ? (guint) g_ascii_strtoull (text, NULL, 10) : 0;

  if (delay == 0)
    {
      g_test_skip ("PORTOLAN_TEST_SCAN_DELAY_MS is not set (meson test sets it)");
      return;
    }
  g_assert_true (ptl_test_ui_wait (not_busy, 20000));
  if (delay < 200)
    {
      g_timeout_add (190, quick_mark, NULL);
      start_search ("1644");
      g_assert_true (ptl_test_ui_wait (mark_ran, 20000));
      if (seen.done_by_mark)
        {
          /* The answer came before the window's timer was due: nothing
           * shows, then or later. */
          seen.mark_ran = FALSE;
          g_timeout_add (250, settle_mark, NULL);
          g_assert_true (ptl_test_ui_wait (mark_ran, 20000));
          g_test_message ("the answer came before the window's 200 ms timer was due");
          g_assert_cmpint (seen.loading_shown_at, ==, 0);
          g_assert_cmpint (seen.spinner_shown_at, ==, 0);
        }
      else
        g_test_message ("the answer was not in by 190 ms here: the loading page and the spinner "
                        "may show, and are checked to come after 200 ms");
      assert_after (delay);
      return;
    }
  start_search ("1644");
  g_timeout_add (250, slow_mark, NULL);
  assert_after (delay);
  g_assert_true (seen.mark_ran);
  g_assert_cmpint (seen.loading_shown_at, !=, 0);
  g_assert_cmpint (seen.spinner_shown_at, !=, 0);
}

static void
on_after_paint (GdkFrameClock *clock, guint *frames)
{
  (void) clock;
  (*frames)++;
}

/* Lets the window lay out and paint @n frames. */
static void
paint_frames (guint n)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (win));
  guint frames = 0;
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &frames);

  while (frames < n)
    {
      gtk_widget_queue_draw (GTK_WIDGET (win));
      g_main_context_iteration (NULL, TRUE);
    }
  g_signal_handler_disconnect (clock, id);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  const char *why = "no network namespaces here";
#ifdef __linux__
  gboolean own_netns = ptl_test_enter_netns (&why); /* before any thread starts */
#else
  gboolean own_netns = FALSE;
#endif
  int rc;

  gtk_test_init (&argc, &argv, NULL);
  if (!own_netns)
    g_test_message ("searches read the machine's socket table: %s", why);
  portolan_gui_init ();
  app = portolan_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  win = portolan_window_new (app);
  gtk_window_present (GTK_WINDOW (win));
  pages = find_pages (portolan_window_get_port_view (win));
  header_spinner = find_header_spinner (gtk_window_get_titlebar (GTK_WINDOW (win)));
  g_assert_nonnull (pages);
  g_assert_nonnull (header_spinner);
  g_signal_connect (pages, "notify::visible-child-name", G_CALLBACK (on_page), NULL);
  g_signal_connect (header_spinner, "notify::visible", G_CALLBACK (on_spinner), NULL);
  g_signal_connect (win, "notify::busy", G_CALLBACK (on_busy), NULL);
  /* The window is painted, and one search has shown what the timed one
   * will, before timing: a software renderer compiles the shaders of what
   * it draws first, and holds the main loop meanwhile. */
  paint_frames (2);
  start_search ("1644");
  g_assert_true (ptl_test_ui_wait (not_busy, 20000));
  paint_frames (2);

  g_test_add_func ("/portolan/ui/port/loading", test_loading);
  rc = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (win));
  g_clear_object (&app);
  return rc;
}
