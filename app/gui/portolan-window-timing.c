/* portolan-window-timing.c: with PORTOLAN_DEBUG_TIMING set, the window says
 * when its first frame was painted, and for each search how long it took
 * until the page showing the answer was painted, with the UI thread's
 * longest stall meanwhile (the longest gap between two ticks of a 5 ms
 * timer, which only the UI thread runs) and the longest frame. Through
 * g_message, one line each, for tools/bench/gui.py:
 *
 *   timing: first frame at 1234567890 us (monotonic), 182.4 ms after main
 *   timing: search 40123: page painted 212.5 ms after the search, built in
 *   3.1 ms; UI thread's longest stall 18.2 ms; longest frame 9.3 ms (CPU: UI
 *   thread 7.5 ms, all threads 8.1 ms)
 *
 * A frame's CPU time is the UI thread's own (CLOCK_THREAD_CPUTIME_ID) and
 * the whole process's (a GL driver may draw in threads of its own): on a
 * loaded machine a frame's wall time can be several times either.
 * Monotonic times are CLOCK_MONOTONIC, the clock a launcher can read too.
 * Without the variable nothing is connected and nothing is measured. */
#include "config.h"

#include "portolan-window-timing.h"

#include <time.h>

struct _PortolanWindowTiming
{
  GtkWidget *window;
  gint64 main_us;
  gboolean first_done;
  /* The search being timed. */
  char *query;
  gint64 search_us, built_us, build_cost_us;
  gint64 tick_last, stall_longest;
  gint64 paint_start, frame_longest;
  gint64 paint_cpu_start, frame_longest_cpu;
  gint64 paint_all_start, frame_longest_all;
  guint tick_id;
  gboolean want_page_frame;
  int watched; /* -1 until first said */
};

static gboolean
tick (gpointer data)
{
  PortolanWindowTiming *t = data;
  gint64 now = g_get_monotonic_time ();

  t->stall_longest = MAX (t->stall_longest, now - t->tick_last);
  t->tick_last = now;
  return G_SOURCE_CONTINUE;
}

/* CPU time of the UI thread or of the whole process; 0 µs where the C
 * library has no such clocks (HAVE_CPUTIME_CLOCKS, from meson). */
static gint64
cpu_us (gboolean thread)
{
#ifdef HAVE_CPUTIME_CLOCKS
  struct timespec ts;

  if (clock_gettime (thread ? CLOCK_THREAD_CPUTIME_ID : CLOCK_PROCESS_CPUTIME_ID, &ts) == 0)
    return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
#else
  (void) thread;
#endif
  return 0;
}

static void
before_paint (GdkFrameClock *clock, PortolanWindowTiming *t)
{
  t->paint_start = g_get_monotonic_time ();
  t->paint_cpu_start = cpu_us (TRUE);
  t->paint_all_start = cpu_us (FALSE);
}

static void
after_paint (GdkFrameClock *clock, PortolanWindowTiming *t)
{
  gint64 now = g_get_monotonic_time ();

  if (t->paint_start && now - t->paint_start > t->frame_longest)
    {
      t->frame_longest = now - t->paint_start;
      t->frame_longest_cpu = cpu_us (TRUE) - t->paint_cpu_start;
      t->frame_longest_all = cpu_us (FALSE) - t->paint_all_start;
    }
  if (!t->first_done)
    {
      t->first_done = TRUE;
      g_message ("timing: first frame at %" G_GINT64_FORMAT " us (monotonic), %.1f ms after main",
                 now, (now - t->main_us) / 1000.0);
    }
  if (!t->want_page_frame)
    return;
  t->want_page_frame = FALSE;
  tick (t);
  g_clear_handle_id (&t->tick_id, g_source_remove);
  g_message ("timing: search %s: page painted %.1f ms after the search, built in %.1f ms; UI "
             "thread's longest stall %.1f ms; longest frame %.1f ms (CPU: UI thread %.1f ms, all "
             "threads %.1f ms)",
             t->query, (now - t->search_us) / 1000.0, t->build_cost_us / 1000.0,
             t->stall_longest / 1000.0, t->frame_longest / 1000.0, t->frame_longest_cpu / 1000.0,
             t->frame_longest_all / 1000.0);
}

static void
on_realize (GtkWidget *window, PortolanWindowTiming *t)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint), t);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint), t);
}

PortolanWindowTiming *
portolan_window_timing_new (GtkWidget *window, gint64 main_us)
{
  PortolanWindowTiming *t;

  if (g_getenv ("PORTOLAN_DEBUG_TIMING") == NULL)
    return NULL;
  t = g_new0 (PortolanWindowTiming, 1);
  t->window = window;
  t->main_us = main_us;
  t->watched = -1;
  g_signal_connect (window, "realize", G_CALLBACK (on_realize), t);
  return t;
}

void
portolan_window_timing_search (PortolanWindowTiming *t, const char *query)
{
  if (t == NULL)
    return;
  g_free (t->query);
  t->query = g_strdup (query);
  t->search_us = t->tick_last = g_get_monotonic_time ();
  t->stall_longest = t->frame_longest = t->frame_longest_cpu = t->frame_longest_all = 0;
  t->want_page_frame = FALSE;
  if (t->tick_id == 0)
    t->tick_id = g_timeout_add (5, tick, t);
}

void
portolan_window_timing_built (PortolanWindowTiming *t, gint64 build_start_us)
{
  if (t == NULL)
    return;
  t->built_us = g_get_monotonic_time ();
  t->build_cost_us = t->built_us - build_start_us;
  t->want_page_frame = TRUE;
  gtk_widget_queue_draw (t->window);
}

void
portolan_window_timing_watched (PortolanWindowTiming *t, gboolean watched, const char *why)
{
  if (t == NULL || t->watched == !!watched)
    return;
  t->watched = !!watched;
  if (watched)
    g_message ("timing: refreshes on");
  else
    g_message ("timing: refreshes off (%s)", why);
}

void
portolan_window_timing_free (PortolanWindowTiming *t)
{
  GdkFrameClock *clock;

  if (t == NULL)
    return;
  g_clear_handle_id (&t->tick_id, g_source_remove);
  clock = gtk_widget_get_frame_clock (t->window);
  if (clock != NULL)
    {
      g_signal_handlers_disconnect_by_func (clock, before_paint, t);
      g_signal_handlers_disconnect_by_func (clock, after_paint, t);
    }
  g_signal_handlers_disconnect_by_func (t->window, on_realize, t);
  g_free (t->query);
  g_free (t);
}
