/* portolan-clamp.h: a container of one child that grows up to a maximum
 * width and centres the child beyond it, so lines of text stop stretching
 * on very wide windows (GTK 4.8 has no AdwClamp). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PORTOLAN_TYPE_CLAMP (portolan_clamp_get_type ())
G_DECLARE_FINAL_TYPE (PortolanClamp, portolan_clamp, PORTOLAN, CLAMP, GtkWidget)

/* "child" (GtkWidget) and "maximum-size" (int, pixels; default 860). */
GtkWidget *portolan_clamp_new (void);
void portolan_clamp_set_child (PortolanClamp *self, GtkWidget *child);

G_END_DECLS
