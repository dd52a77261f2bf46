/* portolan-cli --host [USER@]HOST[:PORT] COMMAND …: the same command, run by
 * portolan-cli on another machine over OpenSSH.
 *
 * ssh runs with an argument vector (no local shell), BatchMode=yes and a
 * connect timeout. The remote command line is built by core/ptl-remote,
 * which quotes each word so that sh, bash, cmd.exe and PowerShell all read
 * it back unchanged. The remote answer streams to our stdout as it comes
 * (so `watch` works too); ssh's and the remote program's stderr are
 * collected, so a failure of the connection can be told from the remote
 * program's own answer, whose text and exit code then stand as if local.
 */
#define _GNU_SOURCE

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portolan-cli.h"
#include "ptl-platform.h"
#include "ptl-remote.h"

typedef struct
{
  PtlRemoteSsh ssh;
  const char *program;
  bool have_host;
  int first_arg; /* index in argv of the remote command */
} RemoteArgs;

/* "--name VALUE" or "--name=VALUE" at argv[*i]; NULL when argv[*i] is another option. */
static const char *
option_value (int argc, char **argv, int *i, const char *name, bool *missing)
{
  size_t n = strlen (name);
  const char *a = argv[*i];

  if (strncmp (a, name, n) != 0)
    return NULL;
  if (a[n] == '=')
    return a + n + 1;
  if (a[n] != '\0')
    return NULL;
  if (*i + 1 >= argc)
    {
      *missing = true;
      return NULL;
    }
  return argv[++*i];
}

static int
take_option (int argc, char **argv, int *i, RemoteArgs *r)
{
  unsigned long v;
  bool missing = false;
  const char *val;
  PtlError err;
  char buf[64];

  if ((val = option_value (argc, argv, i, "--host", &missing)) != NULL)
    {
      if (ptl_remote_parse_host (val, &r->ssh.host, &err) < 0)
        return cli_fail_error (&err);
      r->have_host = true;
    }
  else if ((val = option_value (argc, argv, i, "--ssh-config", &missing)) != NULL)
    r->ssh.config = val;
  else if ((val = option_value (argc, argv, i, "--ssh-option", &missing)) != NULL)
    {
      if (r->ssh.n_options == PTL_REMOTE_MAX_OPTIONS)
        return cli_fail (CLI_USAGE, "At most %d --ssh-option are taken.", PTL_REMOTE_MAX_OPTIONS);
      r->ssh.options[r->ssh.n_options++] = val;
    }
  else if ((val = option_value (argc, argv, i, "--remote-cli", &missing)) != NULL)
    r->program = val;
  else if ((val = option_value (argc, argv, i, "--connect-timeout", &missing)) != NULL)
    {
      if (cli_parse_uint (val, "--connect-timeout", 1, 600, &v) != 0)
        return CLI_USAGE;
      r->ssh.connect_timeout = (unsigned) v;
    }
  else if (!missing)
    return cli_fail (CLI_USAGE,
                     "Unknown option '%s' before the command; see 'portolan-cli --help'.",
                     cli_shown (argv[*i], buf, sizeof buf));
  if (missing)
    return cli_fail (CLI_USAGE, "Option '%s' needs a value; see 'portolan-cli --help'.",
                     cli_shown (argv[*i], buf, sizeof buf));
  return 0;
}

static int
parse_args (int argc, char **argv, RemoteArgs *r)
{
  int i, rc;

  memset (r, 0, sizeof *r);
  r->program = "portolan-cli";
  for (i = 1; i < argc && strncmp (argv[i], "--", 2) == 0 && argv[i][2] != '\0'; i++)
    if ((rc = take_option (argc, argv, &i, r)) != 0)
      return rc;
  if (!r->have_host)
    return cli_fail (CLI_USAGE, "--ssh-config, --ssh-option, --remote-cli and --connect-timeout "
                                "go with --host [USER@]HOST[:PORT].");
  if (i >= argc)
    return cli_fail (CLI_USAGE, "No command after --host %s: try 'portolan-cli --host %s list'.",
                     r->ssh.host.host, r->ssh.host.host);
  r->first_arg = i;
  return 0;
}

/* What the caller sees after ssh ended with @status. */
static int
verdict (const RemoteArgs *r, const char *command, int status, const PtlBuf *messages)
{
  bool watching = strcmp (command, "watch") == 0;
  PtlRemoteOutcome outcome;
  PtlError err;

  if (status >= 256 || ptl_platform_stop_requested ())
    {
      /* Ctrl+C or SIGTERM ended it: for watch that is how it ends. */
      fputs (ptl_buf_str (messages), stderr);
      return watching ? CLI_OK
                      : cli_fail (CLI_SYSTEM, "Interrupted before %s answered.", r->ssh.host.host);
    }
  outcome = ptl_remote_classify (status, ptl_buf_str (messages));
  if (outcome != PTL_REMOTE_RAN)
    {
      ptl_remote_explain (outcome, &r->ssh, r->program, ptl_buf_str (messages), &err);
      return cli_fail_text (CLI_SYSTEM, err.message);
    }
  fputs (ptl_buf_str (messages), stderr);
  return status;
}

static int
run_ssh (const RemoteArgs *r, const char *command_line, const char *command)
{
  PtlRemoteArgv av;
  PtlBuf messages;
  PtlError err;
  int status = 0, rc;

  ptl_remote_ssh_argv (&r->ssh, command_line, &av);
  ptl_buf_init (&messages);
  fflush (stdout);
  /* A watch is ended with Ctrl+C: outlive it to report how ssh ended. */
  ptl_platform_catch_stop ();
  rc = ptl_platform_run (av.argv, NULL, &messages, &status, &err);
  if (rc == PTL_ENOTFOUND)
    rc = cli_fail (CLI_SYSTEM,
                   "ssh (the OpenSSH client) is not installed here, so --host cannot reach %s; "
                   "install it (Debian and Ubuntu: openssh-client; Windows: the OpenSSH Client "
                   "feature).",
                   r->ssh.host.host);
  else if (rc < 0)
    rc = cli_fail_error (&err);
  else
    rc = verdict (r, command, status, &messages);
  ptl_buf_clear (&messages);
  return rc;
}

int
cli_remote (int argc, char **argv)
{
  RemoteArgs r;
  PtlBuf line;
  PtlError err;
  int rc;

  if ((rc = parse_args (argc, argv, &r)) != 0)
    return rc;
  ptl_buf_init (&line);
  if (ptl_remote_command_line (r.program, (const char *const *) argv + r.first_arg,
                               (size_t) (argc - r.first_arg), &line, &err)
      < 0)
    rc = cli_fail_error (&err);
  else
    rc = run_ssh (&r, ptl_buf_str (&line), argv[r.first_arg]);
  ptl_buf_clear (&line);
  return rc;
}
