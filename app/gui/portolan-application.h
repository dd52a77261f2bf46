/* portolan-application.h: the GtkApplication (io.github.portolan.Portolan):
 * command line (`portolan 1644`), app actions, accelerators, About,
 * Preferences and Find a Free Port. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PORTOLAN_APP_ID "io.github.portolan.Portolan"

#define PORTOLAN_TYPE_APPLICATION (portolan_application_get_type ())
G_DECLARE_FINAL_TYPE (PortolanApplication, portolan_application, PORTOLAN, APPLICATION,
                      GtkApplication)

/* @extra_flags is or'ed into the defaults (tests pass G_APPLICATION_NON_UNIQUE). */
PortolanApplication *portolan_application_new (GApplicationFlags extra_flags);

/* The app's settings, or NULL when the schema is not installed (an
 * uninstalled build run without GSETTINGS_SCHEMA_DIR). */
GSettings *portolan_application_get_settings (PortolanApplication *self);

/* Registers the GResource, binds the text domain and registers the GUI's
 * translator with the core (ptl_tr). Call it first, from main () and from
 * the tests; later calls do nothing. */
void portolan_gui_init (void);

/* g_get_monotonic_time () at the first portolan_gui_init (). */
gint64 portolan_gui_start_time (void);

G_END_DECLS
