/* portolan-cli: what is on port N? The console tool. */
#define _GNU_SOURCE

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portolan-cli.h"
#include "ptl-platform.h"
#include "ptl-text.h"

/* The command table: every usage line, --help, getopt table and
 * completion answer is made from it (portolan-cli-help.c,
 * portolan-cli-complete.c), and the man page is tested against it. A new
 * option is one line here and one case in its command's option handler.
 *
 * An "about" text is a paragraph per line, wrapped when printed; a line
 * that starts with "- " is a list item. {signal} and {protected} stand for
 * the platform's way of ending a process and the PIDs it never ends. */

static const CliOption port_options[] = {
  { 't', "tcp", NULL, N_ ("only TCP (assignments and sockets)"), 0 },
  { 'u', "udp", NULL, N_ ("only UDP"), 0 },
  { 'j', "json", NULL, N_ ("JSON output (fields in portolan-json(5))"), 0 },
  { 0 },
};

static const CliOption list_options[] = {
  { 'l', "listening", NULL, N_ ("only listening TCP sockets and bound UDP sockets"), 0 },
  { 't', "tcp", NULL, N_ ("only TCP"), 0 },
  { 'u', "udp", NULL, N_ ("only UDP"), 0 },
  { '4', "ipv4", NULL, N_ ("only IPv4"), 0 },
  { '6', "ipv6", NULL, N_ ("only IPv6"), 0 },
  { 'p', "port", "N", N_ ("only sockets whose local port is N (or a range, 6660-6669)"), 0 },
  { CLI_KEY_PID, "pid", "N", N_ ("only sockets owned by process N"), 0 },
  { 'a', "all-namespaces", NULL,
    N_ ("also the sockets of other network namespaces (containers, ip netns), in a block each; "
        "needs root. Without it, a note says how many other namespaces there are"),
    0 },
  { 'j', "json", NULL,
    N_ ("JSON output: {\"sockets\": [...], \"other_namespaces\": {...}, \"notes\": [...]}"), 'f' },
  { 'c', "csv", NULL, N_ ("CSV output, one row per socket"), 'f' },
  { 0 },
};

static const CliOption free_options[] = {
  { 'f', "from", "N", N_ ("lowest port to consider (default 1024)"), 0 },
  { 't', "to", "M", N_ ("highest port to consider (default 49151, the registered range)"), 0 },
  { 'c', "count", "K", N_ ("how many ports to suggest, 1 to 1000 (default 5)"), 0 },
  { 'j', "json", NULL, N_ ("JSON output: {\"ports\": [...]}"), 0 },
  { 0 },
};

static const CliOption check_options[] = {
  { 't', "tcp", NULL, N_ ("check TCP (the default)"), 0 },
  { 'u', "udp", NULL, N_ ("check UDP"), 0 },
  { 'w', "wait", "SECONDS", N_ ("poll until the port is free, for up to SECONDS (1-86400)"), 0 },
  { 'q', "quiet", NULL, N_ ("print nothing; only the exit code answers"), 0 },
  { 0 },
};

static const CliOption kill_options[] = {
  { 'y', "yes", NULL, N_ ("do not ask (for scripts)"), 0 },
  { 't', "tcp", NULL, N_ ("only TCP listeners"), 0 },
  { 'u', "udp", NULL, N_ ("only UDP sockets"), 0 },
  { CLI_KEY_PID, "pid", "PID",
    N_ ("end only process PID, which must hold a socket on PORT (listening, bound or connected); "
        "other holders stay"),
    0 },
  { CLI_KEY_START_TIME, "start-time", "T",
    N_ ("with --pid: only if PID is still the process that started at T (start_time in list "
        "--json), so a PID reused since T is never hit"),
    0 },
  { 0 },
};

static const CliOption watch_options[] = {
  { 'l', "listening", NULL, N_ ("only listening TCP sockets and bound UDP sockets"), 0 },
  { 't', "tcp", NULL, N_ ("only TCP"), 0 },
  { 'u', "udp", NULL, N_ ("only UDP"), 0 },
  { '4', "ipv4", NULL, N_ ("only IPv4"), 0 },
  { '6', "ipv6", NULL, N_ ("only IPv6"), 0 },
  { 'i', "interval", "MS", N_ ("time between polls in milliseconds (50-3600000, default 1000)"),
    0 },
  { 'j', "json", NULL,
    N_ ("JSON Lines: one object per line with \"event\" (added, removed, changed; also ready), "
        "\"time\" (RFC 3339) and \"socket\" (as in list --json)"),
    0 },
  { 0 },
};

static const CliOption metrics_options[] = {
  { 'o', "output", "FILE",
    N_ ("write FILE atomically (a temporary file in the same directory, then renamed), e.g. into "
        "node_exporter's textfile directory as portolan.prom; default: stdout"),
    0 },
  { 'm', "max-series", "N",
    N_ ("at most N listener and connection series (1-100000, default 1000); the rest are counted "
        "in portolan_series_dropped"),
    0 },
  { 0 },
};

const CliCommand cli_commands[] = {
  {
      "port",
      cli_port,
      "QUERY",
      N_ ("the report for a port (the default command)"),
      N_ ("Tells what a port means and what this machine does with it: its IANA range and "
          "assignments, known unofficial uses, related ports, the sockets on it with their "
          "processes, whether it is free to bind (a real bind test), and the commands to check it "
          "yourself.\n"
          "QUERY: 1644, 1644/udp, 6660-6669, or a service name such as ssh or ircu. A range or a "
          "service gets one line per port."),
      port_options,
      N_ ("Exit codes: 0 answered, 1 unknown service, 2 bad input, 3 system error."),
  },
  {
      "list",
      cli_list,
      "",
      N_ ("the socket table with owning processes, like ss -tanup or netstat -ano"),
      N_ ("Prints every TCP and UDP socket on this machine, IPv4 and IPv6, in every state, with "
          "the processes that own them (like ss -tanup or netstat -ano). Without root, other "
          "users' processes are hidden; their sockets still show, with their user and the note "
          "\"owner hidden: needs root\"."),
      list_options,
      N_ ("Exit codes: 0 listed, 2 bad input, 3 system error."),
  },
  {
      "free",
      cli_free,
      "",
      N_ ("suggest ports a new service can use: unassigned, unused, bindable"),
      N_ ("Suggests ports for a new service. Each suggested port is:\n"
          "- unassigned by IANA for both TCP and UDP,\n"
          "- outside this machine's ephemeral range and reserved ports,\n"
          "- used by no socket on this machine,\n"
          "- and bindable right now (TCP and UDP, IPv4 and IPv6, tested by binding)."),
      free_options,
      N_ ("Exit codes: 0 found some, 1 none in the span, 2 bad input, 3 system error."),
  },
  {
      "check",
      cli_check,
      "PORT",
      N_ ("exit 0 if a port is free, 1 if it is in use"),
      N_ ("Exits 0 when PORT is free and 1 when it is in use, by trying to bind it on the "
          "wildcard address over IPv4 and IPv6. Checks TCP unless told otherwise (--udp, or "
          "PORT/udp); --tcp --udp checks both."),
      check_options,
      N_ ("Exit codes: 0 free, 1 in use, 2 bad input, 3 system error."),
  },
  {
      "kill",
      cli_kill,
      "PORT",
      N_ ("end the processes listening on a port, after asking"),
      N_ ("Ends the processes that listen on PORT (TCP listeners and bound UDP sockets). It shows "
          "what it will end and asks first; without a terminal it refuses unless --yes is given. "
          "Just before sending {signal} it checks again that each process still holds the port "
          "and is the same process. It never ends {protected} or itself."),
      kill_options,
      N_ ("Exit codes: 0 all ended, 1 nothing listens, PID does not hold the port or was replaced, "
          "or a process did not end, 2 bad input or no confirmation, 3 not allowed or system error."),
  },
  {
      "watch",
      cli_watch,
      "[QUERY]",
      N_ ("print each change on a port (or on every port) as it happens"),
      N_ ("Prints one line per change on the matching sockets until Ctrl+C: a socket appeared "
          "(added) or closed (removed), its state changed, or its owner appeared, changed or left "
          "(changed). Each line has a timestamp; the first lines are the sockets present now, then "
          "a 'ready' line. With no QUERY it watches every port. Ctrl+C or SIGTERM ends it with exit "
          "code 0.\n"
          "QUERY: 8080, 8080/tcp, 6660-6669, or a service name such as ssh.\n"
          "Closes show at once where the kernel announces them (Linux sock_diag destroy "
          "notifications), else at the next poll."),
      watch_options,
      N_ ("Exit codes: 0 stopped by Ctrl+C or SIGTERM, 2 bad input, 3 system error."),
  },
  {
      "metrics",
      cli_metrics,
      "",
      N_ ("listeners and connection counts for Prometheus's textfile collector"),
      N_ ("Writes this machine's listening sockets and connection counts in the Prometheus text "
          "format: portolan_listening{protocol,address,port,process}, "
          "portolan_established{protocol,port} for ports something here listens on, "
          "portolan_established_other{protocol}, portolan_sockets{protocol,state}, portolan_up, "
          "portolan_scrape_timestamp_seconds and portolan_scrape_duration_seconds. No PIDs and no "
          "remote ports become labels. Run it as root (or elevated) so every listener has its "
          "process name."),
      metrics_options,
      N_ ("Exit codes: 0 written, 2 bad input, 3 system error (the table could not be read: "
          "portolan_up 0 is still written)."),
  },
};

const size_t cli_n_commands = sizeof cli_commands / sizeof cli_commands[0];

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
  vfprintf (stderr, _ (fmt), ap);
  va_end (ap);
  fputc ('\n', stderr);
  return code;
}

int
cli_fail_text (int code, const char *text)
{
  fflush (stdout);
  fprintf (stderr, "portolan-cli: %s\n", text);
  return code;
}

int
cli_fail_error (const PtlError *err)
{
  return cli_fail_text (cli_exit_code (err->code), err->message);
}

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

static int stream_errno; /* set when a streamed piece could not be written */

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

/* The value is gathered in 64 bits: ten digits overflow a 32-bit unsigned
 * long (Windows), where 4294967297 would wrap to 1 and pass. */
int
cli_parse_uint (const char *text, const char *what, unsigned long min, unsigned long max,
                unsigned long *out)
{
  uint64_t v = 0;
  char buf[64];
  size_t i;

  for (i = 0; text[i]; i++)
    {
      if (text[i] < '0' || text[i] > '9' || i >= 10)
        return cli_fail (CLI_USAGE, "%s must be a whole number from %lu to %lu, not '%s'.", what,
                         min, max, cli_shown (text, buf, sizeof buf));
      v = v * 10 + (uint64_t) (text[i] - '0');
    }
  if (i == 0 || v < min || v > max)
    return cli_fail (CLI_USAGE, "%s must be a whole number from %lu to %lu, not '%s'.", what, min,
                     max, cli_shown (text, buf, sizeof buf));
  *out = (unsigned long) v;
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

const char *
cli_command_names (void)
{
  static char names[256];
  size_t len = 0;

  for (size_t i = 0; i < cli_n_commands && len < sizeof names; i++)
    len += (size_t) snprintf (names + len, sizeof names - len, "%s%s", cli_commands[i].name,
                              i + 2 < cli_n_commands   ? C_ ("list", ", ")
                              : i + 1 < cli_n_commands ? C_ ("list", " and ")
                                                       : "");
  return names;
}

const CliCommand *
cli_command_find (const char *name)
{
  for (size_t i = 0; i < cli_n_commands; i++)
    if (strcmp (name, cli_commands[i].name) == 0)
      return &cli_commands[i];
  return NULL;
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
  const CliCommand *cmd;
  char buf[64];

  if (argc == 2)
    return cli_print_help (NULL);
  if (argc > 3)
    return cli_fail (CLI_USAGE, "'help' takes one command name at most (got %d).", argc - 2);
  if ((cmd = cli_command_find (argv[2])) != NULL)
    return cli_print_help (cmd);
  return cli_fail (CLI_USAGE, "'%s' is not a command: help knows %s.",
                   cli_shown (argv[2], buf, sizeof buf), cli_command_names ());
}

int
main (int argc, char **argv)
{
  const CliCommand *cmd;
  char buf[64];

  cli_i18n_init ();
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
  if (strcmp (argv[1], "__complete") == 0)
    return cli_complete (argc - 1, argv + 1);
  if ((cmd = cli_command_find (argv[1])) != NULL)
    return cmd->run (argc - 1, argv + 1);
  /* A bare query means "port": keep argv[0] as the command name slot. */
  return cli_port (argc, argv);
}
