/* portolan-admin-none.c: where there is no helper to run as root (Windows,
 * where the app restarts elevated instead): every helper call says so. */
#include "config.h"

#include <glib/gi18n.h>

#include "portolan-admin.h"

static void
no_helper (GError **error)
{
  g_set_error (error, PORTOLAN_ADMIN_ERROR, PORTOLAN_ADMIN_ERROR_UNAVAILABLE,
               _ ("Portolan has no helper that runs as administrator here."));
}

const char *
portolan_admin_helper_path (void)
{
  return "portolan-cli";
}

char *
portolan_admin_sudo_hint (guint port)
{
  if (port > 0)
    return g_strdup_printf (_ ("Run “portolan-cli %u” as administrator to see every owner of port "
                               "%u."),
                            port, port);
  return g_strdup (_ ("Run “portolan-cli list” as administrator to see every socket with its "
                      "owner."));
}

PortolanTable *
portolan_admin_read_owners (guint first, guint last, gboolean interactive,
                            GCancellable *cancellable, GError **error)
{
  no_helper (error);
  return NULL;
}

gboolean
portolan_admin_end_process (guint port, long pid, guint64 start_time, char **said, GError **error)
{
  no_helper (error);
  return FALSE;
}

PortolanTable *
portolan_admin_parse_table (const char *json, gsize len, GError **error)
{
  no_helper (error);
  return NULL;
}
