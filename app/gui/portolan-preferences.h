/* portolan-preferences.h: the Preferences window (refresh interval). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Shows the preferences for @settings (NULL: explains they cannot be kept). */
void portolan_preferences_present (GtkWindow *parent, GSettings *settings);

G_END_DECLS
