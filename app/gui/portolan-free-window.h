/* portolan-free-window.h: Find a Free Port, under the rules of
 * `portolan-cli free` (ptl_free_ports_find), searched off the UI thread. */
#pragma once

#include "portolan-window.h"

G_BEGIN_DECLS

#define PORTOLAN_TYPE_FREE_WINDOW (portolan_free_window_get_type ())
G_DECLARE_FINAL_TYPE (PortolanFreeWindow, portolan_free_window, PORTOLAN, FREE_WINDOW, GtkWindow)

/* Shows the window for @parent (one per main window), searching at once. */
void portolan_free_window_present (PortolanWindow *parent);

/* For the tests: how many ports the last search listed; -1 while searching. */
int portolan_free_window_get_n_found (PortolanFreeWindow *self);

G_END_DECLS
