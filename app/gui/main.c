/* main.c: the desktop app `portolan`. */
#include "config.h"

#include "portolan-application.h"
#include "portolan-label-dump.h"

int
main (int argc, char *argv[])
{
  g_autoptr (PortolanApplication) app = NULL;

  portolan_gui_init ();
  app = portolan_application_new (G_APPLICATION_DEFAULT_FLAGS);
  portolan_label_dump_setup (GTK_APPLICATION (app));
  return g_application_run (G_APPLICATION (app), argc, argv);
}
