/* test-cli-users.c: sockets of another user. As root, setpriv runs a holder
 * as nobody (its owner must be named), and the CLI as nobody (a root-owned
 * socket's owner must be reported as hidden, not guessed). See
 * ptl_test_nobody_skip_reason() for how nobody gets to run the binaries.
 */
#define _GNU_SOURCE

#include <glib.h>
#include <json-glib/json-glib.h>

#include "ptl-test-util.h"

/* ---- the tests ---------------------------------------------------------------- */

static void
test_other_user_holder (void)
{
  g_autofree char *reason = ptl_test_nobody_skip_reason ();
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
  h = ptl_test_holder_start_full (ptl_test_nobody_prefix (), ptl_test_holder_path (),
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
  g_autofree char *reason = ptl_test_nobody_skip_reason ();
  const PtlTestCliCtx ctx = { ptl_test_nobody_prefix (), NULL };
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
