/* portolan-cli list: the socket table with owners. */
#define _GNU_SOURCE

#include <getopt.h> /* optind */
#include <stdio.h>
#include <string.h>

#include "portolan-cli.h"
#include "ptl-platform.h"
#include "ptl-report.h"

typedef struct
{
  PtlSocketFilter filter;
  long pid; /* --pid: applied once owners are known */
  bool json, csv;
} ListArgs;

static int
parse_port_option (const char *text, PtlSocketFilter *f)
{
  PtlQuery q;
  PtlError err;

  if (ptl_query_parse (text, &q, &err) < 0)
    return cli_fail_text (CLI_USAGE, err.message);
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
handle_option (int key, const char *value, void *data)
{
  ListArgs *a = data;
  unsigned long v;

  if (cli_filter_flag (key, &a->filter))
    return 0;
  switch (key)
    {
    case 'p':
      return parse_port_option (value, &a->filter);
    case CLI_KEY_PID:
      if (cli_parse_uint (value, _ ("The PID"), 1, 4194304, &v) != 0)
        return CLI_USAGE;
      a->pid = (long) v;
      return 0;
    case 'j':
      a->json = true;
      return 0;
    case 'c':
      a->csv = true;
      return 0;
    case 'a':
      a->filter.netns = PTL_NETNS_ALL;
      return 0;
    }
  return CLI_USAGE;
}

static int
parse_args (int argc, char **argv, ListArgs *a)
{
  char buf[64];
  int rc;

  if ((rc = cli_parse_options ("list", argc, argv, handle_option, a)) != 0)
    return rc;
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
  a.filter.netns = PTL_NETNS_COUNT; /* the note says how many others there are */
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
  if (a.pid)
    ptl_socket_table_filter_pid (&table, a.pid);
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
  if (rc == CLI_OK && a.pid && table.len == 0)
    rc = cli_fail (CLI_NEGATIVE, "No socket is owned by PID %ld.", a.pid);
  ptl_socket_table_clear (&table);
  return rc;
}
