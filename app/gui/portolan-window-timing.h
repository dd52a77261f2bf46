/* portolan-window-timing.h: PORTOLAN_DEBUG_TIMING for the main window: the
 * first frame, and each search until its page is painted. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _PortolanWindowTiming PortolanWindowTiming;

/* NULL (and every call below does nothing) unless PORTOLAN_DEBUG_TIMING is
 * set. @main_us: g_get_monotonic_time () when main() began. */
PortolanWindowTiming *portolan_window_timing_new (GtkWidget *window, gint64 main_us);
void portolan_window_timing_search (PortolanWindowTiming *t, const char *query);
/* The page with the answer was built, starting at @build_start_us. */
void portolan_window_timing_built (PortolanWindowTiming *t, gint64 build_start_us);
/* Whether the Connections view may refresh, and why not (a window state
 * such as "minimised"), each time that changes. */
void portolan_window_timing_watched (PortolanWindowTiming *t, gboolean watched, const char *why);
void portolan_window_timing_free (PortolanWindowTiming *t);

G_END_DECLS
