/* portolan-connections-timing.c: with PORTOLAN_DEBUG_TIMING set, the
 * Connections view says for every refresh how long applying the snapshot
 * took on the UI thread, how the list the column view sees changed
 * (items-changed signals, rows removed and added by them), and how long
 * the next frame took from before-paint to after-paint (layout, snapshot
 * and render of the rows). One line per refresh, through g_message:
 *
 *   timing: apply 3.1 ms, 18213 rows, 2 items-changed (-0 +5, largest -0),
 *   frame 6.4 ms
 *
 * Without the variable nothing is connected and nothing is measured. */
#include "config.h"

#include "portolan-connections-view-private.h"

struct _PortolanConnectionsTiming
{
  gint64 apply_start, apply_us;
  gint64 paint_start;
  guint signals, removed, added, largest_removed;
  gulong before_id, after_id;
  GdkFrameClock *clock; /* connected to, while waiting for a frame */
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
disconnect_clock (PortolanConnectionsTiming *t)
{
  if (t->clock == NULL)
    return;
  g_clear_signal_handler (&t->before_id, t->clock);
  g_clear_signal_handler (&t->after_id, t->clock);
  g_clear_object (&t->clock);
}

static void
say (PortolanConnectionsView *self, double frame_ms)
{
  PortolanConnectionsTiming *t = self->timing;
  guint rows = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  g_autofree char *frame
      = frame_ms < 0 ? g_strdup ("no frame") : g_strdup_printf ("frame %.1f ms", frame_ms);

  g_message ("timing: apply %.1f ms, %u rows, %u items-changed (-%u +%u, largest -%u), %s",
             t->apply_us / 1000.0, rows, t->signals, t->removed, t->added, t->largest_removed,
             frame);
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

  (void) clock;
  if (t->paint_start == 0)
    return;
  say (self, (g_get_monotonic_time () - t->paint_start) / 1000.0);
  disconnect_clock (t);
}

void
portolan_connections_timing_init (PortolanConnectionsView *self)
{
  if (g_getenv ("PORTOLAN_DEBUG_TIMING") == NULL)
    return;
  self->timing = g_new0 (PortolanConnectionsTiming, 1);
  g_signal_connect (self->selection, "items-changed", G_CALLBACK (on_items_changed), self->timing);
}

void
portolan_connections_timing_begin (PortolanConnectionsView *self)
{
  PortolanConnectionsTiming *t = self->timing;

  if (t == NULL)
    return;
  disconnect_clock (t);
  t->signals = t->removed = t->added = t->largest_removed = 0;
  t->paint_start = 0;
  t->apply_start = g_get_monotonic_time ();
}

void
portolan_connections_timing_end (PortolanConnectionsView *self)
{
  PortolanConnectionsTiming *t = self->timing;
  GdkFrameClock *clock;

  if (t == NULL)
    return;
  t->apply_us = g_get_monotonic_time () - t->apply_start;
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  if (clock == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      say (self, -1);
      return;
    }
  t->clock = g_object_ref (clock);
  t->before_id = g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_paint), t);
  t->after_id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), self);
}

void
portolan_connections_timing_free (PortolanConnectionsView *self)
{
  if (self->timing == NULL)
    return;
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_func (self->selection, on_items_changed, self->timing);
  disconnect_clock (self->timing);
  g_clear_pointer (&self->timing, g_free);
}
