/* test-remote.c: --host's pure parts: the destination, the quoting of the
 * remote command line, the ssh argument vector, and reading ssh's failures.
 * The quoting is also checked against a real POSIX shell: every accepted
 * argument must come back from `sh -c` unchanged.
 */
#include <glib.h>
#include <string.h>

#include "ptl-remote.h"

static void
check_host (const char *text, const char *user, const char *host, unsigned port)
{
  PtlRemoteHost h;
  PtlError err;

  g_assert_cmpint (ptl_remote_parse_host (text, &h, &err), ==, 0);
  g_assert_cmpstr (h.user, ==, user);
  g_assert_cmpstr (h.host, ==, host);
  g_assert_cmpuint (h.port, ==, port);
}

static void
test_parse_host (void)
{
  static const char *const bad[] = { "",         "-oProxyCommand=x",
                                     "user@",    "@host",
                                     "host:0",   "host:65536",
                                     "host:22x", "[::1",
                                     "[::1]x",   "ho st",
                                     "h;rm",     "h$(x)",
                                     "-l@host",  "user@-host",
                                     "[]:22",    "host:",
                                     "a b@h" };
  PtlRemoteHost h;
  PtlError err;

  check_host ("web1", "", "web1", 0);
  check_host ("admin@web1.example.org:2222", "admin", "web1.example.org", 2222);
  check_host ("127.0.0.1:22", "", "127.0.0.1", 22);
  check_host ("[::1]:2222", "", "::1", 2222);
  check_host ("root@[fe80::1%eth0]", "root", "fe80::1%eth0", 0);
  check_host ("::1", "", "::1", 0);
  check_host ("CORP\\ops@[2001:db8::7]:22", "CORP\\ops", "2001:db8::7", 22);
  check_host ("me@corp.example@bastion", "me@corp.example", "bastion", 0);
  for (size_t i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("bad host: '%s'", bad[i]);
      g_assert_cmpint (ptl_remote_parse_host (bad[i], &h, &err), ==, PTL_EINVAL);
      g_assert_cmpstr (err.message, !=, "");
    }
}

static char *
quoted (const char *arg)
{
  PtlBuf out;
  PtlError err;
  char *s = NULL;

  ptl_buf_init (&out);
  if (ptl_remote_quote_arg (arg, &out, &err) == 0)
    s = g_strdup (ptl_buf_str (&out));
  ptl_buf_clear (&out);
  return s;
}

/* What sh makes of "printf '%s\n' WORD": the remote side's shell is the
 * thing under test here, so this test runs one on purpose. */
static char *
sh_reads (const char *word)
{
  g_autofree char *script = g_strdup_printf ("printf '%%s\\n' %s", word);
  g_autofree char *sh = g_find_program_in_path ("sh");
  const char *argv[] = { sh, "-c", script, NULL };
  char *out = NULL;
  int status;

  g_assert_nonnull (sh);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                               &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_str_has_suffix (out, "\n"));
  out[strlen (out) - 1] = '\0';
  return out;
}

static void
test_quote (void)
{
  static const struct
  {
    const char *arg, *want;
  } cases[] = {
    { "list", "list" },
    { "--port=6660-6669", "--port=6660-6669" },
    { "1644/udp", "1644/udp" },
    { "/usr/local/bin/portolan-cli", "/usr/local/bin/portolan-cli" },
    { "sql*net", "\"sql*net\"" },
    { "Escale-(Newton", "\"Escale-(Newton\"" },
    { "2 3", "\"2 3\"" },
    { "a,b", "\"a,b\"" },
    { "@file", "\"@file\"" },
    { "a&b|c<d>e;f", "\"a&b|c<d>e;f\"" },
    { "'single'", "\"'single'\"" },
    { "", "\"\"" },
  };
  static const char *const refused[] = { "a\"b", "$HOME", "`id`",      "a\\b",  "%PATH%",     "!x",
                                         "a^b",  "--%",   "new\nline", "tab\t", "caf\xc3\xa9" };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *q = quoted (cases[i].arg);
      g_autofree char *back = NULL;

      g_assert_cmpstr (q, ==, cases[i].want);
      back = sh_reads (q);
      g_assert_cmpstr (back, ==, cases[i].arg);
    }
  for (size_t i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *q = quoted (refused[i]);

      g_test_message ("refused: '%s'", refused[i]);
      g_assert_null (q);
    }
}

static void
test_command_line (void)
{
  const char *args[] = { "list", "--port", "2 3", "--json" };
  const char *bad[] = { "list", "$(reboot)" };
  PtlBuf out;
  PtlError err;

  ptl_buf_init (&out);
  g_assert_cmpint (ptl_remote_command_line ("portolan-cli", args, 4, &out, &err), ==, 0);
  g_assert_cmpstr (ptl_buf_str (&out), ==, "portolan-cli list --port \"2 3\" --json");
  ptl_buf_clear (&out);
  ptl_buf_init (&out);
  g_assert_cmpint (ptl_remote_command_line ("portolan-cli", bad, 2, &out, &err), ==, PTL_EINVAL);
  g_assert_nonnull (strstr (err.message, "Argument 2"));
  ptl_buf_clear (&out);
}

static char *
joined (const PtlRemoteArgv *a)
{
  return g_strjoinv ("|", (char **) a->argv);
}

static void
test_argv (void)
{
  PtlRemoteSsh ssh = { 0 };
  PtlRemoteArgv av;
  PtlError err;
  g_autofree char *plain = NULL, *full = NULL;

  g_assert_cmpint (ptl_remote_parse_host ("web1", &ssh.host, &err), ==, 0);
  ptl_remote_ssh_argv (&ssh, "portolan-cli list", &av);
  plain = joined (&av);
  g_assert_cmpstr (plain, ==,
                   "ssh|-n|-T|-o|BatchMode=yes|-o|ConnectTimeout=10|--|web1|portolan-cli list");
  g_assert_cmpint (ptl_remote_parse_host ("ops@[::1]:2222", &ssh.host, &err), ==, 0);
  ssh.config = "/tmp/cfg";
  ssh.options[ssh.n_options++] = "IdentitiesOnly=yes";
  ssh.connect_timeout = 3;
  ptl_remote_ssh_argv (&ssh, "portolan-cli 22", &av);
  full = joined (&av);
  g_assert_cmpstr (full, ==,
                   "ssh|-n|-T|-o|BatchMode=yes|-o|ConnectTimeout=3|-F|/tmp/cfg|-o|IdentitiesOnly="
                   "yes|-p|2222|-l|ops|--|::1|portolan-cli 22");
  g_assert_null (av.argv[av.argc]);
}

static void
test_classify (void)
{
  static const struct
  {
    int status;
    const char *messages;
    PtlRemoteOutcome want;
  } cases[] = {
    { 0, "", PTL_REMOTE_RAN },
    { 1, "portolan-cli: Unknown service 'x'.\n", PTL_REMOTE_RAN },
    { 2, "", PTL_REMOTE_RAN },
    { 3, "portolan-cli: permission denied\n", PTL_REMOTE_RAN },
    { 255, "ssh: connect to host 127.0.0.1 port 1: Connection refused\r\n",
      PTL_REMOTE_UNREACHABLE },
    { 255, "ssh: Could not resolve hostname nowhere: Name or service not known\r\n",
      PTL_REMOTE_UNREACHABLE },
    { 255, "ssh: connect to host 10.0.0.1 port 22: Connection timed out\r\n",
      PTL_REMOTE_UNREACHABLE },
    { 255, "root@127.0.0.1: Permission denied (publickey).\r\n", PTL_REMOTE_AUTH_FAILED },
    { 255, "Host key verification failed.\r\n", PTL_REMOTE_HOST_KEY },
    { 255, "something else\n", PTL_REMOTE_SSH_FAILED },
    { 127, "sh: 1: portolan-cli: not found\n", PTL_REMOTE_NOT_INSTALLED },
    { 127, "bash: line 1: /opt/x: No such file or directory\n", PTL_REMOTE_NOT_INSTALLED },
    { 1,
      "'portolan-cli' is not recognized as an internal or external command,\r\noperable program "
      "or batch file.\r\n",
      PTL_REMOTE_NOT_INSTALLED },
    { 1, "portolan-cli : The term 'portolan-cli' is not recognized as a name of a cmdlet",
      PTL_REMOTE_NOT_INSTALLED },
    { 126, "sh: 1: /x/portolan-cli: Permission denied\n", PTL_REMOTE_CANNOT_RUN },
  };
  PtlRemoteSsh ssh = { 0 };
  PtlError err;

  g_strlcpy (ssh.host.host, "web1", sizeof ssh.host.host);
  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PtlRemoteOutcome got = ptl_remote_classify (cases[i].status, cases[i].messages);

      g_test_message ("case %zu: %s", i, cases[i].messages);
      g_assert_cmpint (got, ==, cases[i].want);
      if (got == PTL_REMOTE_RAN)
        continue;
      g_assert_cmpint (ptl_remote_explain (got, &ssh, "portolan-cli", cases[i].messages, &err), ==,
                       PTL_ESYSTEM);
      g_assert_nonnull (strstr (err.message, "web1"));
      g_assert_null (strchr (err.message, '\r'));
      g_assert_null (strchr (err.message, '\n'));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ptl/remote/parse-host", test_parse_host);
  g_test_add_func ("/ptl/remote/quote", test_quote);
  g_test_add_func ("/ptl/remote/command-line", test_command_line);
  g_test_add_func ("/ptl/remote/ssh-argv", test_argv);
  g_test_add_func ("/ptl/remote/classify", test_classify);
  return g_test_run ();
}
