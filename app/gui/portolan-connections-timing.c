/* portolan-connections-timing.c: with PORTOLAN_DEBUG_TIMING set, the
 * Connections view says for every refresh how long applying the snapshot
 * took on the UI thread, how the list the column view sees changed since
 * the line before (items-changed signals, rows removed and added by them:
 * this refresh's additions and the expiry of earlier removals), how long the
 * first frame after it took from before-paint to after-paint (layout,
 * snapshot and render), and how many frames were painted since the
 * refresh before, with their mean and longest time. One line per refresh,
 * through g_message:
 *
 *   timing: apply 0.6 ms, 18204 rows, 0 items-changed (-0 +0, largest -0),
 *   next frame 92.6 ms; 14 frames before it, mean 40.2 ms, max 95.0 ms
 *
 * Without the variable nothing is connected and nothing is measured. */
#include "config.h"

#include "portolan-connections-view-private.h"

struct _PortolanConnectionsTiming
{
  gint64 apply_start, apply_us;
  gint64 paint_start;
  gboolean want_frame;
  guint signals, removed, added, largest_removed;
  guint frames;
  gint64 frames_us, longest_us;
  gulong before_id, after_id;
  GdkFrameClock *clock;
};

static void
on_items_changed (GListModel *list, guint pos, guint removed, guint added,
                  PortolanConnectionsTiming *t)
{
  (void) list, (void) pos;
  t->signals++;
  t->removed += removed;
  t->added += added;
  t->largest_removed = MAX (t->largest_removed, removed);
}

static void
say (PortolanConnectionsView *self, double frame_ms)
{
  PortolanConnectionsTiming *t = self->timing;
  guint rows = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  g_autofree char *frame
      = frame_ms < 0 ? g_strdup ("no frame") : g_strdup_printf ("next frame %.1f ms", frame_ms);

  g_message ("timing: apply %.1f ms, %u rows, %u items-changed (-%u +%u, largest -%u), %s; "
             "%u frames before it, mean %.1f ms, max %.1f ms",
             t->apply_us / 1000.0, rows, t->signals, t->removed, t->added, t->largest_removed,
             frame, t->frames, t->frames ? t->frames_us / 1000.0 / t->frames : 0.0,
             t->longest_us / 1000.0);
  t->frames = 0;
  t->frames_us = t->longest_us = 0;
  t->signals = t->removed = t->added = t->largest_removed = 0;
}

static void
on_before_paint (GdkFrameClock *clock, PortolanConnectionsTiming *t)
{
  (void) clock;
  t->paint_start = g_get_monotonic_time ();
}

static void
on_after_paint (GdkFrameClock *clock, PortolanConnectionsView *self)
{
  PortolanConnectionsTiming *t = self->timing;
  gint64 us;

  (void) clock;
  if (t->paint_start == 0)
    return;
  us = g_get_monotonic_time () - t->paint_start;
  t->paint_start = 0;
  if (t->want_frame)
    {
      t->want_frame = FALSE;
      say (self, us / 1000.0);
      return;
    }
  t->frames++;
  t->frames_us += us;
  t->longest_us = MAX (t->longest_us, us);
}

static void
on_realize (GtkWidget *widget, PortolanConnectionsView *self)
{
  PortolanConnectionsTiming *t = self->timing;

  if (t->clock != NULL)
    return;
  t->clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  t->before_id = g_signal_connect (t->clock, "before-paint", G_CALLBACK (on_before_paint), t);
  t->after_id = g_signal_connect (t->clock, "after-paint", G_CALLBACK (on_after_paint), self);
}

void
portolan_connections_timing_init (PortolanConnectionsView *self)
{
  if (g_getenv ("PORTOLAN_DEBUG_TIMING") == NULL)
    return;
  self->timing = g_new0 (PortolanConnectionsTiming, 1);
  g_signal_connect (self->selection, "items-changed", G_CALLBACK (on_items_changed), self->timing);
  g_signal_connect (self, "realize", G_CALLBACK (on_realize), self);
}

void
portolan_connections_timing_begin (PortolanConnectionsView *self)
{
  PortolanConnectionsTiming *t = self->timing;

  if (t == NULL)
    return;
  if (t->want_frame)
    say (self, -1); /* the last refresh's frame never came */
  t->apply_start = g_get_monotonic_time ();
}

void
portolan_connections_timing_end (PortolanConnectionsView *self)
{
  PortolanConnectionsTiming *t = self->timing;

  if (t == NULL)
    return;
  t->apply_us = g_get_monotonic_time () - t->apply_start;
  if (t->clock == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    say (self, -1);
  else
    t->want_frame = TRUE;
}

void
portolan_connections_timing_free (PortolanConnectionsView *self)
{
  PortolanConnectionsTiming *t = self->timing;

  if (t == NULL)
    return;
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_func (self->selection, on_items_changed, t);
  g_signal_handlers_disconnect_by_func (self, on_realize, self);
  if (t->clock != NULL)
    {
      g_clear_signal_handler (&t->before_id, t->clock);
      g_clear_signal_handler (&t->after_id, t->clock);
      g_clear_object (&t->clock);
    }
  g_clear_pointer (&self->timing, g_free);
}
