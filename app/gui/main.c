/* main.c: the desktop app `portolan`. */
#include "config.h"

#include <glib/gi18n.h>

#include "portolan-application.h"
#include "portolan-label-dump.h"

/* portolan-cli beside this program (installed), in the build tree's
 * app/cli (uninstalled), or on PATH. */
static char *
find_cli (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = self ? g_path_get_dirname (self) : NULL;
  const char *const places[] = { "portolan-cli", "../cli/portolan-cli" };

  for (guint i = 0; dir != NULL && i < G_N_ELEMENTS (places); i++)
    {
      g_autofree char *path = g_build_filename (dir, places[i], NULL);
      if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&path);
    }
  return g_find_program_in_path ("portolan-cli");
}

/* Without a display there is no window to open: `portolan QUERY` prints
 * the console report instead, as `portolan-cli QUERY` would, and exits
 * with its status. Returns -1 when that is not the case. */
static int
console_report (int argc, char *argv[])
{
  g_autofree char *cli = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  if (argc != 2 || argv[1][0] == '-' || gtk_init_check ())
    return -1;
  if ((cli = find_cli ()) == NULL)
    return -1;
  g_printerr (_ ("portolan: no display to open a window on; the console report "
                 "follows (portolan-cli %s)\n"),
              argv[1]);
  if (!g_spawn_sync (NULL, (char *[]){ cli, argv[1], NULL }, NULL, G_SPAWN_CHILD_INHERITS_STDIN,
                     NULL, NULL, NULL, NULL, &status, &error))
    {
      g_printerr ("portolan: cannot run %s: %s\n", cli, error->message);
      return 1;
    }
  if (g_spawn_check_wait_status (status, &error))
    return 0;
  return error->domain == G_SPAWN_EXIT_ERROR ? error->code : 1;
}

int
main (int argc, char *argv[])
{
  g_autoptr (PortolanApplication) app = NULL;
  int rc;

  portolan_gui_init ();
  if ((rc = console_report (argc, argv)) >= 0)
    return rc;
  app = portolan_application_new (G_APPLICATION_DEFAULT_FLAGS);
  portolan_label_dump_setup (GTK_APPLICATION (app));
  return g_application_run (G_APPLICATION (app), argc, argv);
}
