/* portolan-cli list: the socket table with owners. */
#define _GNU_SOURCE

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "portolan-cli.h"
#include "ptl-platform.h"
#include "ptl-report.h"

static const char list_help[]
    = "Usage: portolan-cli list [-l] [-t] [-u] [--port N] [--pid N] [--json|--csv]\n"
      "\n"
      "Prints every TCP and UDP socket on this machine, IPv4 and IPv6, in every\n"
      "state, with the processes that own them (like ss -tanup or netstat -ano).\n"
      "Without root, other users' processes are hidden; their sockets still show,\n"
      "with their user and the note \"owner hidden: needs root\".\n"
      "\n"
      "Options:\n"
      "  -l, --listening   only listening TCP sockets and bound UDP sockets\n"
      "  -t, --tcp         only TCP\n"
      "  -u, --udp         only UDP\n"
      "  -4, --ipv4        only IPv4\n"
      "  -6, --ipv6        only IPv6\n"
      "  -p, --port N      only sockets whose local port is N (or a range, 6660-6669)\n"
      "      --pid N       only sockets owned by process N\n"
      "  -j, --json        JSON output: {\"sockets\": [...], \"notes\": [...]}\n"
      "  -c, --csv         CSV output, one row per socket\n"
      "  -h, --help        show this help\n";

typedef struct
{
  PtlSocketFilter filter;
  bool json, csv;
} ListArgs;

static int
parse_port_option (const char *text, PtlSocketFilter *f)
{
  PtlQuery q;
  PtlError err;

  if (ptl_query_parse (text, &q, &err) < 0)
    return cli_fail (CLI_USAGE, "%s", err.message);
  /* Dropping an sctp or dccp here would list every protocol instead. */
  if (q.protos & ~(unsigned) (PTL_PROTO_TCP | PTL_PROTO_UDP))
    return cli_fail (CLI_USAGE,
                     "The socket table has tcp and udp only, not %s: drop '/%s' from --port.",
                     ptl_proto_name ((PtlProto) q.protos), ptl_proto_name ((PtlProto) q.protos));
  f->port_first = q.first;
  f->port_last = q.last;
  f->protos |= q.protos;
  return 0;
}

static int
handle_option (int ch, ListArgs *a)
{
  unsigned long v;

  if (cli_filter_flag (ch, &a->filter))
    return 0;
  switch (ch)
    {
    case 'p':
      return parse_port_option (optarg, &a->filter);
    case 'P':
      if (cli_parse_uint (optarg, "The PID", 1, 4194304, &v) != 0)
        return CLI_USAGE;
      a->filter.pid = (long) v;
      return 0;
    case 'j':
      a->json = true;
      return 0;
    case 'c':
      a->csv = true;
      return 0;
    }
  return CLI_USAGE;
}

static int
parse_args (int argc, char **argv, ListArgs *a)
{
  static const struct option longopts[] = {
    { "listening", no_argument, NULL, 'l' },
    { "tcp", no_argument, NULL, 't' },
    { "udp", no_argument, NULL, 'u' },
    { "ipv4", no_argument, NULL, '4' },
    { "ipv6", no_argument, NULL, '6' },
    { "port", required_argument, NULL, 'p' },
    { "pid", required_argument, NULL, 'P' },
    { "json", no_argument, NULL, 'j' },
    { "csv", no_argument, NULL, 'c' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  char buf[64];
  static const char shortopts[] = ":ltu46p:jch";
  int ch, rc;

  opterr = 0;
  while ((ch = getopt_long (argc, argv, shortopts, longopts, NULL)) != -1)
    {
      if (ch == 'h')
        return fputs (list_help, stdout) == EOF ? CLI_SYSTEM : -1;
      if (ch == '?' || ch == ':')
        return cli_bad_option ("list", ch, argc, argv, shortopts);
      if ((rc = handle_option (ch, a)) != 0)
        return rc;
    }
  if (optind < argc)
    return cli_fail (CLI_USAGE,
                     "'list' takes options only, so not '%s'; to filter by port use --port.",
                     cli_shown (argv[optind], buf, sizeof buf));
  if (a->json && a->csv)
    return cli_fail (CLI_USAGE, "Choose one output format: --json or --csv, not both.");
  return 0;
}

int
cli_list (int argc, char **argv)
{
  ListArgs a;
  PtlSocketTable table;
  PtlError err;
  PtlBuf out;
  int rc;

  memset (&a, 0, sizeof a);
  ptl_socket_filter_init (&a.filter);
  if ((rc = parse_args (argc, argv, &a)) != 0)
    return rc < 0 ? CLI_OK : rc;
  ptl_socket_table_init (&table);
  a.filter.owners_follow = true;
  if (ptl_platform_read_sockets (&a.filter, &table, &err) < 0
      || ptl_platform_find_owners (&table, &err) < 0)
    {
      ptl_socket_table_clear (&table);
      return cli_fail_error (&err);
    }
  if (a.filter.pid)
    ptl_socket_table_filter_pid (&table, a.filter.pid);
  ptl_socket_table_sort (&table);
  ptl_buf_init (&out);
  cli_stream (&out);
  if (a.json)
    ptl_format_table_json (&table, &out);
  else if (a.csv)
    ptl_format_table_csv (&table, &out);
  else
    ptl_format_table_text (&table, &out);
  rc = cli_print (&out);
  ptl_buf_clear (&out);
  /* The output stays whole (an empty JSON list is still JSON); the exit
   * code and one sentence say that the PID owns nothing. */
  if (rc == CLI_OK && a.filter.pid && table.len == 0)
    rc = cli_fail (CLI_NEGATIVE, "No socket is owned by PID %ld.", a.filter.pid);
  ptl_socket_table_clear (&table);
  return rc;
}
