/* portolan-cli metrics: the listeners and connection counts in Prometheus's
 * text format, for node_exporter's or windows_exporter's textfile
 * collector. A command of its own rather than a list option: it sums
 * sockets into series instead of listing rows, and it writes its file
 * atomically (--output), which no list format needs.
 */
#define _GNU_SOURCE

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "portolan-cli.h"
#include "ptl-platform.h"
#include "ptl-prom.h"

static const char metrics_help[]
    = "Usage: portolan-cli metrics [--output FILE] [--max-series N]\n"
      "\n"
      "Writes this machine's listening sockets and connection counts in the\n"
      "Prometheus text format: portolan_listening{protocol,address,port,process},\n"
      "portolan_established{protocol,port} for ports something here listens on,\n"
      "portolan_established_other{protocol}, portolan_sockets{protocol,state},\n"
      "portolan_up, portolan_scrape_timestamp_seconds and\n"
      "portolan_scrape_duration_seconds. No PIDs and no remote ports become labels.\n"
      "Run it as root (or elevated) so every listener has its process name.\n"
      "\n"
      "Options:\n"
      "  -o, --output FILE     write FILE atomically (a temporary file in the same\n"
      "                        directory, then renamed), e.g. into node_exporter's\n"
      "                        textfile directory as portolan.prom; default: stdout\n"
      "  -m, --max-series N    at most N listener and connection series (1-100000,\n"
      "                        default 1000); the rest are counted in\n"
      "                        portolan_series_dropped\n"
      "  -h, --help            show this help\n"
      "\n"
      "Exit codes: 0 written, 2 bad input, 3 system error (the table could not be\n"
      "read: portolan_up 0 is still written).\n";

typedef struct
{
  const char *output;
  unsigned long max_series;
} MetricsArgs;

static int
parse_args (int argc, char **argv, MetricsArgs *a)
{
  static const struct option longopts[] = {
    { "output", required_argument, NULL, 'o' },
    { "max-series", required_argument, NULL, 'm' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  static const char shortopts[] = ":o:m:h";
  char buf[64];
  int ch;

  opterr = 0;
  while ((ch = getopt_long (argc, argv, shortopts, longopts, NULL)) != -1)
    {
      if (ch == 'h')
        return fputs (metrics_help, stdout) == EOF ? CLI_SYSTEM : -1;
      if (ch == '?' || ch == ':')
        return cli_bad_option ("metrics", ch, argc, argv, shortopts);
      if (ch == 'o' && optarg[0] == '\0')
        return cli_fail (CLI_USAGE, "--output needs a file name.");
      if (ch == 'o')
        a->output = optarg;
      if (ch == 'm' && cli_parse_uint (optarg, "--max-series", 1, 100000, &a->max_series) != 0)
        return CLI_USAGE;
    }
  if (optind < argc)
    return cli_fail (CLI_USAGE, "'metrics' takes options only, so not '%s'.",
                     cli_shown (argv[optind], buf, sizeof buf));
  return 0;
}

/* Reads the table with owners; on failure @err says why and opt->up is false. */
static void
read_table (PtlSocketTable *t, PtlPromOptions *opt, PtlError *err)
{
  PtlSocketFilter filter;
  PtlPortRules rules;
  int offset;
  uint64_t start = ptl_platform_monotonic_ms ();

  ptl_socket_filter_init (&filter);
  ptl_platform_wall_clock (&opt->unix_ms, &offset);
  opt->up
      = ptl_platform_read_sockets (&filter, t, err) == 0 && ptl_platform_find_owners (t, err) == 0;
  opt->duration_seconds = (double) (ptl_platform_monotonic_ms () - start) / 1000.0;
  if (ptl_platform_port_rules (&rules, NULL) == 0 && rules.known)
    {
      opt->ephemeral_known = true;
      opt->ephemeral_first = rules.ephemeral_first;
      opt->ephemeral_last = rules.ephemeral_last;
    }
}

static int
emit (const MetricsArgs *a, const PtlBuf *out)
{
  PtlError err;

  if (out->failed)
    return cli_fail (CLI_SYSTEM, "Out of memory while writing the metrics.");
  if (a->output == NULL)
    return cli_print (out);
  if (ptl_platform_write_file_atomic (a->output, ptl_buf_str (out), out->len, &err) < 0)
    return cli_fail_error (&err);
  return CLI_OK;
}

int
cli_metrics (int argc, char **argv)
{
  MetricsArgs a = { NULL, PTL_PROM_DEFAULT_MAX_SERIES };
  PtlPromOptions opt;
  PtlSocketTable t;
  PtlError err;
  PtlBuf out;
  int rc;

  if ((rc = parse_args (argc, argv, &a)) != 0)
    return rc < 0 ? CLI_OK : rc;
  memset (&opt, 0, sizeof opt);
  opt.max_series = a.max_series;
  ptl_socket_table_init (&t);
  ptl_error_clear (&err);
  read_table (&t, &opt, &err);
  ptl_buf_init (&out);
  if (ptl_format_table_prometheus (&t, &opt, &out) < 0)
    out.failed = true;
  rc = emit (&a, &out);
  if (rc == CLI_OK && !opt.up)
    rc = cli_fail_error (&err);
  ptl_buf_clear (&out);
  ptl_socket_table_clear (&t);
  return rc;
}
