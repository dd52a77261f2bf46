/* portolan-cli port: the report for a port, a range or a service. */
#define _GNU_SOURCE

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "portolan-cli.h"
#include "ptl-report.h"

static const char port_help[]
    = "Usage: portolan-cli [port] QUERY [--tcp|--udp] [--json]\n"
      "\n"
      "Tells what a port means and what this machine does with it: its IANA\n"
      "range and assignments, known unofficial uses, related ports, the sockets\n"
      "on it with their processes, whether it is free to bind (a real bind test),\n"
      "and the commands to check it yourself.\n"
      "\n"
      "QUERY: 1644, 1644/udp, 6660-6669, or a service name such as ssh or ircu.\n"
      "A range or a service gets one line per port.\n"
      "\n"
      "Options:\n"
      "  -t, --tcp    only TCP (assignments and sockets)\n"
      "  -u, --udp    only UDP\n"
      "  -j, --json   JSON output (fields documented in README.md)\n"
      "  -h, --help   show this help\n"
      "\n"
      "Exit codes: 0 answered, 1 unknown service, 2 bad input, 3 system error.\n";

typedef struct
{
  unsigned protos;
  bool json;
  const char *query;
} PortArgs;

static int
parse_args (int argc, char **argv, PortArgs *a)
{
  static const struct option longopts[] = {
    { "tcp", no_argument, NULL, 't' },
    { "udp", no_argument, NULL, 'u' },
    { "json", no_argument, NULL, 'j' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  char buf[64];
  static const char shortopts[] = ":tujh";
  int ch;

  opterr = 0;
  while ((ch = getopt_long (argc, argv, shortopts, longopts, NULL)) != -1)
    {
      switch (ch)
        {
        case 't':
          a->protos |= PTL_PROTO_TCP;
          break;
        case 'u':
          a->protos |= PTL_PROTO_UDP;
          break;
        case 'j':
          a->json = true;
          break;
        case 'h':
          return fputs (port_help, stdout) == EOF ? CLI_SYSTEM : -1;
        default:
          return cli_bad_option ("port", ch, argc, argv, shortopts);
        }
    }
  if (optind >= argc)
    return cli_fail (CLI_USAGE, "No query given: name a port, a range or a service, as in "
                                "'portolan-cli 1644'.");
  if (argc - optind > 1)
    return cli_fail (CLI_USAGE,
                     "Give one query at a time ('%s' is one too many); for several ports use a "
                     "range such as 6660-6669.",
                     cli_shown (argv[optind + 1], buf, sizeof buf));
  a->query = argv[optind];
  return 0;
}

static int
merge_protocols (PtlQuery *q, unsigned flags)
{
  if (flags == 0)
    return 0;
  if (q->protos && !(q->protos & flags))
    return cli_fail (CLI_USAGE, "The query names %s but the options ask for %s: choose one.",
                     ptl_proto_name ((PtlProto) q->protos),
                     flags == PTL_PROTO_TCP   ? "--tcp"
                     : flags == PTL_PROTO_UDP ? "--udp"
                                              : "both");
  if (q->protos == 0)
    q->protos = flags;
  return 0;
}

int
cli_port (int argc, char **argv)
{
  PortArgs a = { 0 };
  PtlQuery q;
  PtlError err;
  PtlReportSet set;
  PtlBuf out;
  int rc;

  if ((rc = parse_args (argc, argv, &a)) != 0)
    return rc < 0 ? CLI_OK : rc;
  if (ptl_query_parse (a.query, &q, &err) < 0)
    return cli_fail_error (&err);
  if ((rc = merge_protocols (&q, a.protos)) != 0)
    return rc;
  rc = ptl_report_build (&q, a.query, &set, &err);
  if (rc < 0)
    {
      ptl_report_clear (&set);
      return cli_fail_error (&err);
    }
  ptl_buf_init (&out);
  cli_stream (&out);
  if (a.json)
    ptl_format_report_json (&set, &out);
  else
    ptl_format_report_text (&set, &out);
  rc = cli_print (&out);
  ptl_buf_clear (&out);
  ptl_report_clear (&set);
  return rc;
}
