/* test-admin-none.c: the app where there is no helper that runs as root
 * (app/gui/portolan-admin-none.c, what Windows builds): each call says so,
 * and the hint names the command to run as administrator instead. Built
 * here so that file keeps compiling where it is not the one in use. */
#include <string.h>

#include <glib.h>

#include "portolan-admin.h"

static void
test_no_helper (void)
{
  g_autoptr (GError) e1 = NULL, e2 = NULL, e3 = NULL;
  g_autofree char *said = NULL, *hint = portolan_admin_sudo_hint (1644);

  g_assert_null (portolan_admin_read_owners (0, 65535, TRUE, NULL, &e1));
  g_assert_error (e1, PORTOLAN_ADMIN_ERROR, PORTOLAN_ADMIN_ERROR_UNAVAILABLE);
  g_assert_false (portolan_admin_end_process (1644, 12, 34, &said, &e2));
  g_assert_error (e2, PORTOLAN_ADMIN_ERROR, PORTOLAN_ADMIN_ERROR_UNAVAILABLE);
  g_assert_null (portolan_admin_parse_table ("{}", 2, &e3));
  g_assert_error (e3, PORTOLAN_ADMIN_ERROR, PORTOLAN_ADMIN_ERROR_UNAVAILABLE);
  g_assert_nonnull (strstr (hint, "portolan-cli 1644"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/portolan/admin/no-helper", test_no_helper);
  return g_test_run ();
}
