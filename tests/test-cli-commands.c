/* test-cli-commands.c: `portolan-cli check` (and `check --wait`), `free`,
 * `kill`, the exit codes for bad input, and `--help` on every command.
 */
#define _GNU_SOURCE

#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "ptl-test-util.h"

/* ---- check ------------------------------------------------------------------ */

static void
test_check (void)
{
  PtlTestHolder *h = ptl_test_holder_start ("tcp4-listen");
  g_autofree char *port_arg = g_strdup_printf ("%u", ptl_test_holder_port (h, "tcp4-listen"));

  g_assert_cmpint (ptl_test_cli_run (NULL, NULL, "check", port_arg), ==, 1);
  ptl_test_holder_free (h);
  g_assert_cmpint (ptl_test_cli_run (NULL, NULL, "check", port_arg), ==, 0);
}

/* A loopback listener on a port below the ephemeral range. The kernel
 * hands out only ephemeral ports by itself, so once this one is closed no
 * other socket of a busy machine takes it by chance (a port the kernel
 * picked was seen taken again, by someone else's connection, within the
 * 9 s check --wait had left). */
static int
listen_below_ephemeral (guint *port)
{
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  guint first, last;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  ptl_test_read_ephemeral_range (&first, &last);
  g_assert_cmpuint (first, >, 10100);
  for (guint tries = 0; tries < 500; tries++)
    {
      *port = (guint) g_random_int_range (10000, (gint32) first);
      a.sin_port = htons ((uint16_t) *port);
      if (bind (fd, (struct sockaddr *) &a, sizeof a) == 0 && listen (fd, 4) == 0)
        return fd;
    }
  g_error ("no free port between 10000 and %u in 500 tries", first);
}

static char *
read_all (int fd)
{
  GString *text = g_string_new (NULL);
  char buf[512];
  ssize_t n;

  while ((n = read (fd, buf, sizeof buf)) > 0)
    g_string_append_len (text, buf, n);
  close (fd);
  return g_string_free (text, FALSE);
}

static void
test_check_wait (void)
{
  guint port;
  int fd = listen_below_ephemeral (&port);
  g_autofree char *port_arg = g_strdup_printf ("%u", port);
  const char *argv[] = { ptl_test_cli_path (), "check", port_arg, "--wait", "10", NULL };
  GError *error = NULL;
  GPid cli_pid;
  int status = 0, out_fd;
  pid_t early;
  gint64 freed_at;
  g_autofree char *out = NULL;

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &cli_pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);
  g_usleep (G_USEC_PER_SEC);
  /* while the port is held, check must still be waiting */
  early = waitpid (cli_pid, &status, WNOHANG);
  close (fd);
  freed_at = g_get_monotonic_time ();
  if (early == 0)
    g_assert_cmpint (waitpid (cli_pid, &status, 0), ==, cli_pid);
  g_spawn_close_pid (cli_pid);
  out = read_all (out_fd);
  g_test_message ("check %s --wait 10 -> status %d: %s", port_arg, status, out);
  if (early != 0)
    g_test_message ("check --wait ended (status %d) while the port was still held", status);
  g_assert_cmpint (early, ==, 0);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  /* it noticed the port free, rather than sitting out the whole wait */
  g_assert_cmpint (g_get_monotonic_time () - freed_at, <, 8 * G_USEC_PER_SEC);
}

/* ---- free ------------------------------------------------------------------- */

/* ip_local_reserved_ports: "8080,9000-9010" or empty. */
static gboolean
port_is_reserved (guint port)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) parts = NULL;

  if (!g_file_get_contents ("/proc/sys/net/ipv4/ip_local_reserved_ports", &text, NULL, NULL))
    return FALSE;
  parts = g_strsplit (g_strstrip (text), ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint lo = 0, hi = 0;
      int n = sscanf (parts[i], "%u-%u", &lo, &hi);
      if (n == 1)
        hi = lo;
      if (n >= 1 && port >= lo && port <= hi)
        return TRUE;
    }
  return FALSE;
}

static gboolean
can_bind_loopback (int type, guint port)
{
  struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons (port) };
  int fd = socket (AF_INET, type | SOCK_CLOEXEC, 0);
  gboolean ok;

  sin.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  ok = fd >= 0 && bind (fd, (struct sockaddr *) &sin, sizeof sin) == 0;
  if (fd >= 0)
    close (fd);
  return ok;
}

static void
assert_free_port (guint port, guint eph_first, guint eph_last)
{
  g_autofree char *arg = g_strdup_printf ("%u", port);
  g_autoptr (JsonNode) root = ptl_test_cli_json (arg, "--json");
  JsonArray *iana = ptl_test_obj_array (json_node_get_object (root), "iana");

  g_assert_true (port < eph_first || port > eph_last);
  g_assert_false (port_is_reserved (port));
  g_assert_true (can_bind_loopback (SOCK_STREAM, port));
  g_assert_true (can_bind_loopback (SOCK_DGRAM, port));
  for (guint i = 0; i < json_array_get_length (iana); i++)
    {
      const char *proto = ptl_test_obj_str (json_array_get_object_element (iana, i), "protocol");
      if (g_str_equal (proto, "tcp") || g_str_equal (proto, "udp"))
        g_test_message ("free suggested %u, which IANA assigns for %s", port, proto);
      g_assert_true (!g_str_equal (proto, "tcp") && !g_str_equal (proto, "udp"));
    }
}

static void
test_free (void)
{
  g_autoptr (JsonNode) root = ptl_test_cli_json ("free", "--count", "3", "--json");
  g_autoptr (JsonNode) span
      = ptl_test_cli_json ("free", "--from", "20000", "--to", "20100", "--count", "2", "--json");
  JsonArray *ports = ptl_test_obj_array (json_node_get_object (root), "ports");
  guint first, last;

  ptl_test_read_ephemeral_range (&first, &last);
  g_assert_cmpuint (json_array_get_length (ports), ==, 3);
  for (guint i = 0; i < 3; i++)
    assert_free_port ((guint) json_array_get_int_element (ports, i), first, last);

  ports = ptl_test_obj_array (json_node_get_object (span), "ports");
  g_assert_cmpuint (json_array_get_length (ports), ==, 2);
  g_assert_cmpint (json_array_get_int_element (ports, 0), !=,
                   json_array_get_int_element (ports, 1));
  for (guint i = 0; i < 2; i++)
    {
      gint64 p = json_array_get_int_element (ports, i);
      g_assert_cmpint (p, >=, 20000);
      g_assert_cmpint (p, <=, 20100);
    }
}

/* ---- exit codes ------------------------------------------------------------ */

static void
assert_usage_error (const char *const *args)
{
  g_autofree char *out = NULL, *err = NULL, *cmd = ptl_test_cli_cmdline (args);
  int code = ptl_test_cli_runv (NULL, args, &out, &err);
  g_autofree char *shown = g_strchomp (g_strdup (err));

  g_test_message ("%s -> exit %d, stderr: %s", cmd, code, shown);
  g_assert_cmpint (code, ==, 2);
  g_assert_cmpstr (out, ==, "");
  /* one sentence: a single, non-empty, newline-terminated line */
  g_assert_cmpuint (strlen (err), >, 1);
  g_assert_true (g_str_has_suffix (err, "\n"));
  g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
}

static void
test_exit_codes_bad_input (void)
{
  static const char *const bad[][4] = {
    { "70000" },
    { "-1" },
    { "" },
    { "12ab" },
    { "0x50" },
    { "abc!@#" },
    { "1644/xyz" },
    { "10-5" },
    { "1e3" },
    { "a-b" },
    { "list", "--bogus" },
    { "free", "--count", "0" },
    { "check" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_usage_error (bad[i]);
}

static void
test_exit_codes_negative (void)
{
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (ptl_test_cli_run (&out, &err, "nosuchservicezz"), ==, 1);
}

static void
test_help (void)
{
  static const char *const cmds[][3] = {
    { "--help" },          { "list", "--help" }, { "free", "--help" },
    { "check", "--help" }, { "kill", "--help" }, { "port", "--help" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cmds); i++)
    {
      g_autofree char *out = NULL, *err = NULL, *lower = NULL;
      g_autofree char *cmd = ptl_test_cli_cmdline (cmds[i]);
      int code = ptl_test_cli_runv (NULL, cmds[i], &out, &err);

      g_test_message ("%s -> exit %d", cmd, code);
      g_assert_cmpint (code, ==, 0);
      lower = g_ascii_strdown (out, -1);
      g_assert_nonnull (strstr (lower, "usage"));
      if (cmds[i][1] != NULL)
        g_assert_nonnull (strstr (out, cmds[i][0]));
    }
}

/* "-?" and "/?" are --help, before or after a command. */
static void
test_help_aliases (void)
{
  static const char *const cmds[][3] = {
    { "-?" }, { "/?" }, { "kill", "/?" }, { "list", "-?" }, { "check", "/?" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cmds); i++)
    {
      g_autofree char *out = NULL, *err = NULL, *want = NULL;
      const char *const help[]
          = { cmds[i][1] ? cmds[i][0] : "--help", cmds[i][1] ? "--help" : NULL, NULL };

      g_test_message ("%s %s", cmds[i][0], cmds[i][1] ? cmds[i][1] : "");
      g_assert_cmpint (ptl_test_cli_runv (NULL, cmds[i], &out, &err), ==, 0);
      g_assert_cmpint (ptl_test_cli_runv (NULL, help, &want, NULL), ==, 0);
      g_assert_cmpstr (out, ==, want);
      g_assert_cmpstr (err, ==, "");
    }
}

/* A query with non-ASCII characters is echoed as typed, escape bytes and
 * invalid UTF-8 as '?'. */
static void
test_echo_non_ascii (void)
{
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (ptl_test_cli_run (&out, &err, "caf\xc3\xa9"), ==, 2);
  g_assert_nonnull (strstr (err, "'caf\xc3\xa9'"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ptl_test_cli_run (&out, &err, "kill", "\xe6\xbc\xa2"), ==, 2);
  g_assert_nonnull (strstr (err, "'\xe6\xbc\xa2'"));
}

/* ---- kill ------------------------------------------------------------------ */

static void
test_kill (void)
{
  g_autoptr (PtlTestHolder) h = ptl_test_holder_start ("tcp4-listen");
  g_autofree char *port_arg = g_strdup_printf ("%u", ptl_test_holder_port (h, "tcp4-listen"));
  const char *argv[] = { ptl_test_cli_path (), "kill", port_arg, "--yes", NULL };
  g_autofree char *out = NULL, *err = NULL;
  GError *error = NULL;
  GPid cli_pid;
  int cli_status = 0;
  gboolean cli_done = FALSE;

  /* no terminal, no --yes: refuse */
  g_assert_cmpint (ptl_test_cli_run (&out, &err, "kill", port_arg), ==, 2);
  g_assert_true (ptl_test_holder_alive (h));

  /* We reap the holder while the CLI runs, as a parent would, so the CLI
   * can see it gone instead of a zombie of ours. */
  g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                 NULL, NULL, &cli_pid, &error);
  g_assert_no_error (error);
  for (guint waited = 0; (!cli_done || !h->reaped) && waited < 20000; waited += 10)
    {
      if (!cli_done && waitpid (cli_pid, &cli_status, WNOHANG) == cli_pid)
        cli_done = TRUE;
      ptl_test_holder_wait (h, 0);
      g_usleep (10 * 1000);
    }
  if (!cli_done)
    {
      kill (cli_pid, SIGKILL);
      waitpid (cli_pid, &cli_status, 0);
    }
  g_spawn_close_pid (cli_pid);
  g_assert_true (cli_done);
  g_assert_true (WIFEXITED (cli_status));
  g_assert_cmpint (WEXITSTATUS (cli_status), ==, 0);
  g_assert_true (h->reaped);
  g_assert_true (WIFSIGNALED (h->wait_status));
  g_assert_cmpint (WTERMSIG (h->wait_status), ==, SIGTERM);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/portolan/cli/check", test_check);
  g_test_add_func ("/portolan/cli/check-wait", test_check_wait);
  g_test_add_func ("/portolan/cli/free", test_free);
  g_test_add_func ("/portolan/cli/exit-codes-bad-input", test_exit_codes_bad_input);
  g_test_add_func ("/portolan/cli/exit-codes-negative", test_exit_codes_negative);
  g_test_add_func ("/portolan/cli/help", test_help);
  g_test_add_func ("/portolan/cli/help-aliases", test_help_aliases);
  g_test_add_func ("/portolan/cli/echo-non-ascii", test_echo_non_ascii);
  g_test_add_func ("/portolan/cli/kill", test_kill);

  return g_test_run ();
}
