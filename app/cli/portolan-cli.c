/* portolan-cli: what is on port N? The console tool. */
#define _GNU_SOURCE

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portolan-cli.h"
#include "ptl-platform.h"

#ifndef PORTOLAN_VERSION
#define PORTOLAN_VERSION "0.1.0"
#endif

static const char usage_text[]
    = "Usage: portolan-cli [port] QUERY [--tcp|--udp] [--json]\n"
      "       portolan-cli list [-l] [-t] [-u] [--port N] [--pid N] [--json|--csv]\n"
      "       portolan-cli free [--from N] [--to M] [--count K] [--json]\n"
      "       portolan-cli check PORT [--tcp|--udp] [--wait SECONDS]\n"
      "       portolan-cli kill PORT [--yes]\n"
      "       portolan-cli watch [QUERY] [-l] [--interval MS] [--json]\n"
      "       portolan-cli metrics [--output FILE] [--max-series N]\n"
      "       portolan-cli --host [USER@]HOST[:PORT] COMMAND ...\n"
      "\n"
      "What is on port N? Portolan tells what a port means (IANA assignments,\n"
      "unofficial uses, its range) and what this machine does with it (sockets,\n"
      "owning processes, whether it is free to bind).\n"
      "\n"
      "A QUERY is a port (1644), a port and protocol (1644/udp), a range (6660-6669)\n"
      "or a service name (ssh, ircu).\n"
      "\n"
      "Commands:\n"
      "  port    the report for a port (the default command)\n"
      "  list    the socket table with owning processes, like ss -tanup or netstat -ano\n"
      "  free    suggest ports a new service can use: unassigned, unused, bindable\n"
      "  check   exit 0 if a port is free, 1 if it is in use\n"
      "  kill    end the processes listening on a port, after asking\n"
      "  watch   print each change on a port (or on every port) as it happens\n"
      "  metrics listeners and connection counts for Prometheus's textfile collector\n"
      "\n"
      "Another machine: --host [USER@]HOST[:PORT] before the command runs it there\n"
      "with that machine's portolan-cli, over ssh (BatchMode=yes, so a key that\n"
      "needs no prompt). Also before the command: --ssh-config FILE, --ssh-option\n"
      "OPTION (repeatable), --remote-cli PATH (default portolan-cli),\n"
      "--connect-timeout SECONDS (default 10). Exit code 3 says ssh is missing, the\n"
      "host is unreachable, the login was refused or portolan-cli is not there.\n"
      "\n"
      "Every command has --help (or -?, /?). Exit codes: 0 ok/free, 1 negative\n"
      "answer (in use, nothing found), 2 bad usage or input, 3 system error or\n"
      "permission.\n";

int
cli_exit_code (int ptl_code)
{
  if (ptl_code == PTL_EINVAL)
    return CLI_USAGE;
  if (ptl_code == PTL_ENOTFOUND)
    return CLI_NEGATIVE;
  return CLI_SYSTEM;
}

int
cli_fail (int code, const char *fmt, ...)
{
  va_list ap;

  fflush (stdout);
  fputs ("portolan-cli: ", stderr);
  va_start (ap, fmt);
  vfprintf (stderr, fmt, ap);
  va_end (ap);
  fputc ('\n', stderr);
  return code;
}

int
cli_fail_error (const PtlError *err)
{
  return cli_fail (cli_exit_code (err->code), "%s", err->message);
}

static int stream_errno; /* set when a streamed piece could not be written */

/* The most one write hands to stdout: less than its buffer (64 KB on
 * Windows, ptl_platform_init_console), so the C library never flushes a
 * piece on its own, at a byte that may sit inside a character. */
#define CLI_WRITE_PIECE (16 * 1024)

/* Writes @text in pieces that end on whole UTF-8 characters, each flushed
 * on its own: a console showing UTF-8 never gets half a character in one
 * write (older Windows consoles show those as two '?'). */
static bool
cli_write (const char *text, size_t len)
{
  while (len > 0)
    {
      size_t n = ptl_utf8_cut (text, len, CLI_WRITE_PIECE);

      if (fflush (stdout) != 0 || fwrite (text, 1, n, stdout) != n)
        return false;
      text += n;
      len -= n;
    }
  return fflush (stdout) == 0;
}

static void
stdout_sink (const char *text, size_t len, void *data)
{
  (void) data;
  if (stream_errno == 0 && !cli_write (text, len))
    stream_errno = errno ? errno : EIO;
}

void
cli_stream (PtlBuf *buf)
{
  ptl_buf_set_sink (buf, stdout_sink, NULL);
}

int
cli_print (const PtlBuf *buf)
{
  if (buf->failed)
    return cli_fail (CLI_SYSTEM, "Out of memory while writing the answer.");
  if (stream_errno != 0)
    return cli_fail (CLI_SYSTEM, "Cannot write the answer: %s.", strerror (stream_errno));
  if (!cli_write (ptl_buf_str (buf), buf->len))
    return cli_fail (CLI_SYSTEM, "Cannot write the answer: %s.", strerror (errno));
  return CLI_OK;
}

const char *
cli_shown (const char *arg, char *out, size_t size)
{
  return ptl_echo_input (arg, 40, out, size);
}

/* The argument that starts with '-' and then @digit: what a person typed as
 * a negative port ("-1", "-5-10"), which getopt takes for options. */
static const char *
negative_argument (int argc, char **argv, int digit)
{
  for (int i = 1; i < argc; i++)
    if (argv[i][0] == '-' && argv[i][1] == digit)
      return argv[i];
  return NULL;
}

/* getopt_long leaves no pointer to the argument it choked on, so the
 * sentence is rebuilt from what it does leave: optopt (0 for a long
 * option), and optind (past the option, except inside a cluster "-jz"). */
int
cli_bad_option (const char *command, int ch, int argc, char **argv, const char *shortopts)
{
  const char *arg = optind >= 2 && optind <= argc ? argv[optind - 1] : "?";
  const char *neg;
  char buf[64];
  PtlQuery q;
  PtlError err;

  if (ch == ':')
    return cli_fail (CLI_USAGE, "Option '%s' for '%s' needs a value; see 'portolan-cli %s --help'.",
                     cli_shown (arg, buf, sizeof buf), command, command);
  if (optopt >= '0' && optopt <= '9' && (neg = negative_argument (argc, argv, optopt)) != NULL
      && ptl_query_parse (neg, &q, &err) < 0)
    return cli_fail_error (&err);
  if (optopt > 0 && strchr (shortopts, optopt) != NULL)
    return cli_fail (CLI_USAGE,
                     "Option '%s' for '%s' takes no value; see 'portolan-cli %s --help'.",
                     cli_shown (arg, buf, sizeof buf), command, command);
  if (optopt > 0x20 && optopt < 0x7F)
    snprintf (buf, sizeof buf, "-%c", optopt);
  else if (optopt != 0)
    snprintf (buf, sizeof buf, "-?");
  else
    cli_shown (arg, buf, sizeof buf);
  return cli_fail (CLI_USAGE, "Unknown option '%s' for '%s'; see 'portolan-cli %s --help'.", buf,
                   command, command);
}

int
cli_parse_uint (const char *text, const char *what, unsigned long min, unsigned long max,
                unsigned long *out)
{
  unsigned long v = 0;
  char buf[64];
  size_t i;

  for (i = 0; text[i]; i++)
    {
      if (text[i] < '0' || text[i] > '9' || i >= 10)
        return cli_fail (CLI_USAGE, "%s must be a whole number from %lu to %lu, not '%s'.", what,
                         min, max, cli_shown (text, buf, sizeof buf));
      v = v * 10 + (unsigned long) (text[i] - '0');
    }
  if (i == 0 || v < min || v > max)
    return cli_fail (CLI_USAGE, "%s must be a whole number from %lu to %lu, not '%s'.", what, min,
                     max, cli_shown (text, buf, sizeof buf));
  *out = v;
  return 0;
}

bool
cli_filter_flag (int ch, PtlSocketFilter *filter)
{
  switch (ch)
    {
    case 'l':
      filter->listening_only = true;
      return true;
    case 't':
    case 'u':
      filter->protos |= ch == 't' ? PTL_PROTO_TCP : PTL_PROTO_UDP;
      return true;
    case '4':
    case '6':
      filter->families |= ch == '4' ? PTL_FAMILY_IPV4 : PTL_FAMILY_IPV6;
      return true;
    }
  return false;
}

int
cli_parse_u64 (const char *text, const char *what, uint64_t min, uint64_t *out)
{
  uint64_t v = 0;
  char buf[64];
  size_t i;

  for (i = 0; text[i]; i++)
    {
      unsigned d = (unsigned) (text[i] - '0');

      if (text[i] < '0' || text[i] > '9' || v > (UINT64_MAX - d) / 10)
        break;
      v = v * 10 + d;
    }
  if (i == 0 || text[i] != '\0' || v < min)
    return cli_fail (CLI_USAGE, "%s must be a whole number from %llu to %llu, not '%s'.", what,
                     (unsigned long long) min, (unsigned long long) UINT64_MAX,
                     cli_shown (text, buf, sizeof buf));
  *out = v;
  return 0;
}

int
cli_parse_single_port (const char *text, unsigned *port, unsigned *protos)
{
  PtlQuery q;
  PtlError err;
  int rc = ptl_query_parse (text, &q, &err);

  if (rc < 0)
    return cli_fail_error (&err) == CLI_NEGATIVE ? -CLI_NEGATIVE : -CLI_USAGE;
  if (ptl_query_n_ports (&q) != 1)
    {
      char buf[64];
      cli_fail (CLI_USAGE, "'%s' covers %zu ports; give a single port here.",
                cli_shown (text, buf, sizeof buf), ptl_query_n_ports (&q));
      return -CLI_USAGE;
    }
  *port = q.first;
  *protos = q.protos;
  return 0;
}

static int
dispatch (const char *name, int argc, char **argv)
{
  static const struct
  {
    const char *name;
    int (*run) (int, char **);
  } commands[] = {
    { "port", cli_port },       { "list", cli_list }, { "free", cli_free },
    { "check", cli_check },     { "kill", cli_kill }, { "watch", cli_watch },
    { "metrics", cli_metrics },
  };

  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp (name, commands[i].name) == 0)
      return commands[i].run (argc, argv);
  return -1;
}

/* The options that send the command to another machine come first. */
static bool
is_remote_option (const char *arg)
{
  static const char *const names[]
      = { "--host", "--ssh-config", "--ssh-option", "--remote-cli", "--connect-timeout" };

  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    {
      size_t n = strlen (names[i]);

      if (strncmp (arg, names[i], n) == 0 && (arg[n] == '\0' || arg[n] == '='))
        return true;
    }
  return false;
}

/* "help" alone, or "help COMMAND" for that command's own help. */
static int
help (int argc, char **argv)
{
  char *sub[] = { argc > 2 ? argv[2] : NULL, "--help", NULL };
  char buf[64];
  int rc;

  if (argc == 2)
    return fputs (usage_text, stdout) == EOF ? CLI_SYSTEM : CLI_OK;
  if (argc > 3)
    return cli_fail (CLI_USAGE, "'help' takes one command name at most (got %d).", argc - 2);
  if ((rc = dispatch (argv[2], 2, sub)) >= 0)
    return rc;
  return cli_fail (
      CLI_USAGE,
      "'%s' is not a command: help knows port, list, free, check, kill, watch and metrics.",
      cli_shown (argv[2], buf, sizeof buf));
}

int
main (int argc, char **argv)
{
  char buf[64];
  int rc;

  ptl_platform_init_console ();
  ptl_platform_utf8_argv (&argc, &argv);
  /* "/?" and "-?" ask for help, as Windows tools have taught admins;
   * anywhere on the line, like --help ("portolan-cli kill /?"). */
  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "/?") == 0 || strcmp (argv[i], "-?") == 0)
      argv[i] = (char *) "--help";
  if (argc < 2)
    return cli_fail (CLI_USAGE,
                     "No query given: try 'portolan-cli 1644' or 'portolan-cli --help'.");
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0
      || strcmp (argv[1], "help") == 0)
    return help (argc, argv);
  if (strcmp (argv[1], "--version") == 0 && argc > 2)
    return cli_fail (CLI_USAGE, "'--version' takes nothing after it, not '%s'.",
                     cli_shown (argv[2], buf, sizeof buf));
  if (strcmp (argv[1], "--version") == 0)
    return printf ("portolan-cli %s\n", PORTOLAN_VERSION) < 0 ? CLI_SYSTEM : CLI_OK;
  if (is_remote_option (argv[1]))
    return cli_remote (argc, argv);
  if ((rc = dispatch (argv[1], argc - 1, argv + 1)) >= 0)
    return rc;
  /* A bare query means "port": keep argv[0] as the command name slot. */
  return cli_port (argc, argv);
}
