/* portolan-application.c: the application object. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "portolan-application.h"
#include "portolan-free-window.h"
#include "portolan-preferences.h"
#include "portolan-resources.h"
#include "portolan-window.h"
#include "ptl-i18n.h"

struct _PortolanApplication
{
  GtkApplication parent_instance;

  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (PortolanApplication, portolan_application, GTK_TYPE_APPLICATION)

static const char *
translate_core (const char *msgid)
{
  return g_dgettext (GETTEXT_PACKAGE, msgid);
}

static const char *
translate_core_plural (const char *msgid, const char *plural, unsigned long n)
{
  return g_dngettext (GETTEXT_PACKAGE, msgid, plural, n);
}

/* The build tree's catalogs when PORTOLAN_LOCALEDIR says so (tests, meson
 * devenv); on Windows the share/locale beside the installed program, which
 * may live anywhere; else the install's localedir. */
static char *
locale_dir (void)
{
  const char *dir = g_getenv ("PORTOLAN_LOCALEDIR");

  if (dir != NULL && dir[0] != '\0')
    return g_strdup (dir);
#ifdef G_OS_WIN32
  {
    g_autofree char *base = g_win32_get_package_installation_directory_of_module (NULL);

    if (base != NULL)
      return g_build_filename (base, "share", "locale", NULL);
  }
#endif
  return g_strdup (LOCALEDIR);
}

static gint64 start_time;

gint64
portolan_gui_start_time (void)
{
  return start_time;
}

void
portolan_gui_init (void)
{
  static gsize done;
  g_autofree char *dir = NULL;

  if (!g_once_init_enter (&done))
    return;
  start_time = g_get_monotonic_time ();
  portolan_register_resource ();
  dir = locale_dir ();
  /* gtk_init would set every category from the environment again,
   * LC_NUMERIC included. */
  if (!gtk_is_initialized ())
    gtk_disable_setlocale ();
  setlocale (LC_ALL, "");
  /* Exported CSV and JSON come from the core's writers: their numbers keep
   * the same '.' in every language. */
  setlocale (LC_NUMERIC, "C");
  bindtextdomain (GETTEXT_PACKAGE, dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  ptl_i18n_set_translate (translate_core, translate_core_plural);
  g_once_init_leave (&done, 1);
}

GSettings *
portolan_application_get_settings (PortolanApplication *self)
{
  g_return_val_if_fail (PORTOLAN_IS_APPLICATION (self), NULL);
  return self->settings;
}

static PortolanWindow *
get_window (PortolanApplication *self)
{
  GtkWindow *win = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (PORTOLAN_IS_WINDOW (win))
    return PORTOLAN_WINDOW (win);
  /* The active window may be Find a Free Port (it belongs to the app too):
   * the main window is the most recently used one among the app's. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (PORTOLAN_IS_WINDOW (l->data))
      return PORTOLAN_WINDOW (l->data);
  win = GTK_WINDOW (portolan_window_new (self));
  return PORTOLAN_WINDOW (win);
}

static void
portolan_application_activate (GApplication *app)
{
  gtk_window_present (GTK_WINDOW (get_window (PORTOLAN_APPLICATION (app))));
}

/* `portolan [QUERY] [--view=port|connections] [--free-ports]`: a second
 * launch reaches the running instance through here too. */
static int
portolan_application_command_line (GApplication *app, GApplicationCommandLine *cmdline)
{
  PortolanApplication *self = PORTOLAN_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);
  g_autofree const char **rest = NULL;
  const char *view = NULL;
  PortolanWindow *win = get_window (self);

  /* The view is settled before the window shows: `portolan 1644` opens on
   * the Port view even when the last view was Connections, which would
   * otherwise show (and scan) first. */
  if (g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&s", &rest) && rest && rest[0])
    {
      if (rest[1])
        g_application_command_line_printerr (cmdline,
                                             _ ("portolan: one query at a time; "
                                                "showing %s\n"),
                                             rest[0]);
      portolan_window_set_view (win, "port");
      portolan_window_search (win, rest[0]);
    }
  if (g_variant_dict_lookup (options, "view", "&s", &view))
    portolan_window_set_view (win, view);
  gtk_window_present (GTK_WINDOW (win));
  if (g_variant_dict_contains (options, "free-ports"))
    g_action_group_activate_action (G_ACTION_GROUP (app), "free-ports", NULL);
  return 0;
}

/* --version answers in the launching process, without a window or the
 * session bus. --new-instance (what "Restart as Administrator…" passes)
 * makes this process the app instead of handing its command line to the
 * one already running, which is not elevated and is about to close. */
static int
portolan_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("portolan %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (g_variant_dict_contains (options, "new-instance"))
    g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
  return -1;
}

static void
quit_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
free_ports_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  PortolanWindow *win = get_window (PORTOLAN_APPLICATION (user_data));

  portolan_free_window_present (win);
}

static void
preferences_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  PortolanApplication *self = PORTOLAN_APPLICATION (user_data);

  portolan_preferences_present (GTK_WINDOW (get_window (self)), self->settings);
}

static void
about_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  const char *authors[] = { _ ("The Portolan authors"), NULL };
  GtkWindow *parent = GTK_WINDOW (get_window (PORTOLAN_APPLICATION (user_data)));

  gtk_show_about_dialog (parent, "program-name", _ ("Portolan"), "logo-icon-name", PORTOLAN_APP_ID,
                         "version", PACKAGE_VERSION, "comments",
                         _ ("What is on port N? What a port means, and who holds it on this "
                            "computer."),
                         "website", "https://github.com/portolan/portolan", "license-type",
                         GTK_LICENSE_MIT_X11, "authors", authors, "translator-credits",
                         _ ("translator-credits"), NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated, NULL, NULL, NULL },
  { "free-ports", free_ports_activated, NULL, NULL, NULL },
  { "preferences", preferences_activated, NULL, NULL, NULL },
  { "about", about_activated, NULL, NULL, NULL },
};

static void
set_accels (GtkApplication *app)
{
  static const struct
  {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.free-ports", { "<Control><Shift>f", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "win.search", { "<Control>f", "<Control>l", NULL } },
    { "win.refresh", { "F5", "<Control>r", NULL } },
    { "win.view::port", { "<Alt>1", NULL } },
    { "win.view::connections", { "<Alt>2", NULL } },
    { "window.close", { "<Control>w", NULL } },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (app, accels[i].action, accels[i].accels);
}

static gboolean
theme_is_dark (GtkSettings *settings)
{
  g_autofree char *theme = NULL;
  const char *env = g_getenv ("GTK_THEME");
  gboolean prefer_dark = FALSE;

  if (env && g_str_has_suffix (env, ":dark"))
    return TRUE;
  g_object_get (settings, "gtk-theme-name", &theme, "gtk-application-prefer-dark-theme",
                &prefer_dark, NULL);
  return prefer_dark || (theme && g_str_has_suffix (theme, "-dark"))
         || (theme && g_str_has_suffix (theme, ":dark"));
}

/* GTK 4.8 has no prefers-color-scheme in CSS: a second sheet follows the
 * theme instead. */
static void
update_dark_css (GtkSettings *settings, GParamSpec *pspec, GtkCssProvider *dark)
{
  GdkDisplay *display = gdk_display_get_default ();

  gtk_style_context_remove_provider_for_display (display, GTK_STYLE_PROVIDER (dark));
  if (theme_is_dark (settings))
    gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (dark),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
}

static void
load_css (void)
{
  g_autoptr (GtkCssProvider) css = gtk_css_provider_new ();
  GtkCssProvider *dark = gtk_css_provider_new ();
  GtkSettings *settings = gtk_settings_get_default ();

  gtk_css_provider_load_from_resource (css, "/io/github/portolan/Portolan/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_css_provider_load_from_resource (dark, "/io/github/portolan/Portolan/style-dark.css");
  /* The settings object lives as long as the display; it keeps @dark. */
  g_object_set_data_full (G_OBJECT (settings), "portolan-dark-css", dark, g_object_unref);
  g_signal_connect (settings, "notify::gtk-theme-name", G_CALLBACK (update_dark_css), dark);
  g_signal_connect (settings, "notify::gtk-application-prefer-dark-theme",
                    G_CALLBACK (update_dark_css), dark);
  update_dark_css (settings, NULL, dark);
}

static GSettings *
settings_if_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;

  if (source)
    schema = g_settings_schema_source_lookup (source, PORTOLAN_APP_ID, TRUE);
  if (schema == NULL)
    {
      g_message ("The settings schema %s is not installed: settings will not be kept. "
                 "Run the app through tools/portolan or after meson install.",
                 PORTOLAN_APP_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

static void
portolan_application_startup (GApplication *app)
{
  PortolanApplication *self = PORTOLAN_APPLICATION (app);

  G_APPLICATION_CLASS (portolan_application_parent_class)->startup (app);
  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  set_accels (GTK_APPLICATION (app));
  load_css ();
  gtk_window_set_default_icon_name (PORTOLAN_APP_ID);
  self->settings = settings_if_installed ();
}

static void
portolan_application_finalize (GObject *object)
{
  PortolanApplication *self = PORTOLAN_APPLICATION (object);

  g_clear_object (&self->settings);
  G_OBJECT_CLASS (portolan_application_parent_class)->finalize (object);
}

static void
portolan_application_class_init (PortolanApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = portolan_application_finalize;
  app_class->startup = portolan_application_startup;
  app_class->activate = portolan_application_activate;
  app_class->command_line = portolan_application_command_line;
  app_class->handle_local_options = portolan_application_handle_local_options;
}

static const GOptionEntry option_entries[] = {
  { "view", 0, 0, G_OPTION_ARG_STRING, NULL, N_ ("Open a view: port or connections"), N_ ("VIEW") },
  { "free-ports", 0, 0, G_OPTION_ARG_NONE, NULL, N_ ("Open Find a Free Port"), NULL },
  { "new-instance", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_ ("Start a window of its own, even when Portolan already runs"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_ ("Show the version and exit"), NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL, NULL, N_ ("[PORT|RANGE|SERVICE]") },
  { NULL },
};

static void
portolan_application_init (PortolanApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (
      G_APPLICATION (self), _ ("Shows what a port means and who holds it on this computer."));
}

PortolanApplication *
portolan_application_new (GApplicationFlags extra_flags)
{
  return g_object_new (PORTOLAN_TYPE_APPLICATION, "application-id", PORTOLAN_APP_ID, "flags",
                       G_APPLICATION_HANDLES_COMMAND_LINE | extra_flags, "resource-base-path",
                       "/io/github/portolan/Portolan", NULL);
}
