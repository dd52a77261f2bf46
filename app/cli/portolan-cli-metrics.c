/* portolan-cli metrics: the listeners and connection counts in Prometheus's
 * text format, for node_exporter's or windows_exporter's textfile
 * collector. A command of its own rather than a list option: it sums
 * sockets into series instead of listing rows, and it writes its file
 * atomically (--output), which no list format needs.
 */
#define _GNU_SOURCE

#include <getopt.h> /* optind */
#include <stdio.h>
#include <string.h>

#include "portolan-cli.h"
#include "ptl-platform.h"
#include "ptl-prom.h"

typedef struct
{
  const char *output;
  unsigned long max_series;
} MetricsArgs;

static int
handle_option (int key, const char *value, void *data)
{
  MetricsArgs *a = data;

  if (key == 'o' && value[0] == '\0')
    return cli_fail (CLI_USAGE, "--output needs a file name.");
  if (key == 'o')
    a->output = value;
  if (key == 'm' && cli_parse_uint (value, "--max-series", 1, 100000, &a->max_series) != 0)
    return CLI_USAGE;
  return 0;
}

static int
parse_args (int argc, char **argv, MetricsArgs *a)
{
  char buf[64];
  int rc;

  if ((rc = cli_parse_options ("metrics", argc, argv, handle_option, a)) != 0)
    return rc;
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
