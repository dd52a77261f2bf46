/* portolan-preferences.c: Preferences. Few enough settings that a small
 * window built in code reads better than a template. */
#include "config.h"

#include <glib/gi18n.h>

#include "portolan-preferences.h"
#include "portolan-port-sections.h"

/* The setting is in milliseconds; people think in seconds. */
static gboolean
ms_to_seconds (GValue *value, GVariant *variant, gpointer user_data)
{
  g_value_set_double (value, g_variant_get_uint32 (variant) / 1000.0);
  return TRUE;
}

static GVariant *
seconds_to_ms (const GValue *value, const GVariantType *type, gpointer user_data)
{
  return g_variant_new_uint32 ((guint32) (g_value_get_double (value) * 1000.0 + 0.5));
}

static GtkWidget *
interval_row (GSettings *settings)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (0.5, 60, 0.5);
  GtkWidget *row;

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Refresh interval in seconds"), -1);
  if (settings)
    g_settings_bind_with_mapping (settings, "refresh-interval", spin, "value",
                                  G_SETTINGS_BIND_DEFAULT, ms_to_seconds, seconds_to_ms, NULL,
                                  NULL);
  else
    gtk_widget_set_sensitive (spin, FALSE);
  row = portolan_card_row_new (_ ("Refresh interval"),
                               _ ("How often, in seconds, the Connections view reads the socket "
                                  "table again. Use its pause button to stop refreshing."),
                               spin);
  return row;
}

void
portolan_preferences_present (GtkWindow *parent, GSettings *settings)
{
  GtkWidget *win = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *list = gtk_list_box_new ();
  GtkEventController *keys = gtk_shortcut_controller_new ();

  gtk_window_set_title (GTK_WINDOW (win), _ ("Preferences"));
  gtk_window_set_titlebar (GTK_WINDOW (win), gtk_header_bar_new ());
  gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (keys), gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                        gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (win, keys);
  gtk_window_set_transient_for (GTK_WINDOW (win), parent);
  gtk_window_set_modal (GTK_WINDOW (win), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (win), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (win), 480, -1);
  gtk_widget_add_css_class (box, "free-page");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "card-list");
  gtk_list_box_append (GTK_LIST_BOX (list), interval_row (settings));
  gtk_box_append (GTK_BOX (box), portolan_section_new (_ ("Connections View"), list));
  if (settings == NULL)
    gtk_box_append (GTK_BOX (box),
                    portolan_text_new (_ ("Settings cannot be kept: the settings schema is not "
                                          "installed."),
                                       "dim-label"));
  gtk_window_set_child (GTK_WINDOW (win), box);
  gtk_window_present (GTK_WINDOW (win));
}
