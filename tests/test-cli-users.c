/* test-cli-users.c: sockets of another user. As root, setpriv runs a holder
 * as nobody (its owner must be named), and the CLI as nobody (a root-owned
 * socket's owner must be reported as hidden, not guessed).
 *
 * nobody must be able to run both binaries: when the build tree is out of
 * its reach (a checkout under a private home), copies in a world-readable
 * temporary directory are run instead.
 */
#define _GNU_SOURCE

#include <stdlib.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ptl-test-util.h"

/* setpriv execs the command, so the PID we see is the command's own. */
static const char *const *
as_nobody (void)
{
  static const char *argv[]
      = { NULL, "--reuid", "nobody", "--regid", "nogroup", "--clear-groups", NULL };

  if (argv[0] == NULL)
    argv[0] = g_find_program_in_path ("setpriv");
  return argv;
}

/* ---- copies nobody can run ------------------------------------------------ */

static char *cli_copy, *holder_copy, *copies_dir;

static void
remove_copies (void)
{
  if (cli_copy)
    g_unlink (cli_copy);
  if (holder_copy)
    g_unlink (holder_copy);
  if (copies_dir)
    g_rmdir (copies_dir);
}

static char *
copy_runnable (const char *src, const char *dir)
{
  g_autofree char *base = g_path_get_basename (src);
  char *dst = g_build_filename (dir, base, NULL);
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (src, &data, &len, NULL)
      || !g_file_set_contents_full (dst, data, (gssize) len, G_FILE_SET_CONTENTS_NONE, 0755, NULL))
    g_clear_pointer (&dst, g_free);
  return dst;
}

/* When nobody cannot reach the build tree, run copies from /tmp instead. */
static void
copy_binaries_for_nobody (void)
{
  if (copies_dir || (copies_dir = g_dir_make_tmp ("ptl-cli-XXXXXX", NULL)) == NULL)
    return;
  g_chmod (copies_dir, 0755);
  holder_copy = copy_runnable (ptl_test_holder_path (), copies_dir);
  cli_copy = copy_runnable (ptl_test_cli_path (), copies_dir);
  ptl_test_set_holder_path (holder_copy);
  ptl_test_set_cli_path (cli_copy);
  atexit (remove_copies);
}

/* Why the cross-user tests cannot run here, or NULL when they can. */
static char *
cross_user_skip_reason (void)
{
  if (geteuid () != 0)
    return g_strdup ("needs root to run a child as nobody; run the suite as root to cover it");
  if (as_nobody ()[0] == NULL)
    return g_strdup ("setpriv (util-linux) is not installed");
  const char *probe[] = { ptl_test_holder_path (), "--help", NULL };
  if (ptl_test_spawn_sync (as_nobody (), probe, NULL, NULL, NULL) != 0)
    copy_binaries_for_nobody ();
  const char *probe_holder[] = { ptl_test_holder_path (), "--help", NULL };
  const char *probe_cli[] = { ptl_test_cli_path (), "--help", NULL };
  if (ptl_test_spawn_sync (as_nobody (), probe_holder, NULL, NULL, NULL) != 0)
    return g_strdup_printf ("nobody cannot run %s (directory permissions?)",
                            ptl_test_holder_path ());
  if (ptl_test_spawn_sync (as_nobody (), probe_cli, NULL, NULL, NULL) != 0)
    return g_strdup_printf ("nobody cannot run %s (directory permissions?)", ptl_test_cli_path ());
  return NULL;
}

/* ---- the tests ---------------------------------------------------------------- */

static void
test_other_user_holder (void)
{
  g_autofree char *reason = cross_user_skip_reason ();
  g_autoptr (PtlTestHolder) h = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *port_arg = NULL;
  JsonObject *sock, *p;
  guint port;

  if (reason != NULL)
    {
      g_test_skip (reason);
      return;
    }
  h = ptl_test_holder_start_full (as_nobody (), ptl_test_holder_path (),
                                  (const char *const[]){ "tcp4-listen", NULL });
  port = ptl_test_holder_port (h, "tcp4-listen");
  port_arg = g_strdup_printf ("%u", port);
  root = ptl_test_cli_json (port_arg, "--json");
  sock = ptl_test_expect_socket (ptl_test_list_sockets (root),
                                 &(PtlTestSockKey){ "tcp", "ipv4", "127.0.0.1", "LISTEN", port });
  g_assert_cmpstr (ptl_test_obj_str (sock, "user"), ==, "nobody");
  g_assert_cmpuint (json_array_get_length (ptl_test_obj_array (sock, "processes")), >=, 1);
  p = json_array_get_object_element (ptl_test_obj_array (sock, "processes"), 0);
  g_assert_cmpint (ptl_test_obj_int (p, "pid"), ==, h->pid);
  g_assert_cmpstr (ptl_test_obj_str (p, "user"), ==, "nobody");
  g_assert_cmpstr (ptl_test_obj_str (p, "name"), ==, "ptl-test-holder");
}

static void
assert_hidden_owner (JsonObject *sock)
{
  g_assert_cmpuint (json_array_get_length (ptl_test_obj_array (sock, "processes")), ==, 0);
  g_assert_cmpstr (ptl_test_obj_str (sock, "owner_note"), ==, "owner hidden: needs root");
  g_assert_cmpstr (ptl_test_obj_str (sock, "user"), ==, "root");
}

static void
test_other_user_cli (void)
{
  g_autofree char *reason = cross_user_skip_reason ();
  const PtlTestCliCtx ctx = { as_nobody (), NULL };
  g_autoptr (PtlTestHolder) h = NULL;
  g_autoptr (JsonNode) root = NULL, list = NULL;
  g_autofree char *port_arg = NULL;
  guint port;

  if (reason != NULL)
    {
      g_test_skip (reason);
      return;
    }
  h = ptl_test_holder_start ("tcp4-listen");
  port = ptl_test_holder_port (h, "tcp4-listen");
  port_arg = g_strdup_printf ("%u", port);
  root = ptl_test_cli_json_ctx (&ctx, (const char *const[]){ port_arg, "--json", NULL });
  list = ptl_test_cli_json_ctx (&ctx, (const char *const[]){ "list", "--json", NULL });
  assert_hidden_owner (
      ptl_test_expect_socket (ptl_test_list_sockets (root),
                              &(PtlTestSockKey){ "tcp", "ipv4", "127.0.0.1", "LISTEN", port }));
  assert_hidden_owner (
      ptl_test_expect_socket (ptl_test_list_sockets (list),
                              &(PtlTestSockKey){ "tcp", "ipv4", "127.0.0.1", "LISTEN", port }));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/portolan/cli/other-user-holder", test_other_user_holder);
  g_test_add_func ("/portolan/cli/other-user-cli", test_other_user_cli);

  return g_test_run ();
}
