/* portolan-cli port: the report for a port, a range or a service. */
#define _GNU_SOURCE

#include <getopt.h> /* optind */
#include <stdio.h>
#include <string.h>

#include "portolan-cli.h"
#include "ptl-report.h"

typedef struct
{
  unsigned protos;
  bool json;
  const char *query;
} PortArgs;

static int
handle_option (int key, const char *value, void *data)
{
  PortArgs *a = data;

  (void) value;
  a->protos |= key == 't' ? PTL_PROTO_TCP : key == 'u' ? PTL_PROTO_UDP : 0;
  a->json |= key == 'j';
  return 0;
}

static int
parse_args (int argc, char **argv, PortArgs *a)
{
  char buf[64];
  int rc;

  if ((rc = cli_parse_options ("port", argc, argv, handle_option, a)) != 0)
    return rc;
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
                                              : _ ("both"));
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
