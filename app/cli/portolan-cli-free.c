/* portolan-cli free: suggest ports a new service can safely use. */
#define _GNU_SOURCE

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portolan-cli.h"
#include "ptl-free.h"
#include "ptl-platform.h"
#include "ptl-report.h"

static const char free_help[]
    = "Usage: portolan-cli free [--from N] [--to M] [--count K] [--json]\n"
      "\n"
      "Suggests ports for a new service. Each suggested port is:\n"
      "  - unassigned by IANA for both TCP and UDP,\n"
      "  - outside this machine's ephemeral range and reserved ports,\n"
      "  - used by no socket on this machine,\n"
      "  - and bindable right now (TCP and UDP, IPv4 and IPv6, tested by binding).\n"
      "\n"
      "Options:\n"
      "  -f, --from N    lowest port to consider (default 1024)\n"
      "  -t, --to M      highest port to consider (default 49151, the registered range)\n"
      "  -c, --count K   how many ports to suggest, 1 to 1000 (default 5)\n"
      "  -j, --json      JSON output: {\"ports\": [...]}\n"
      "  -h, --help      show this help\n"
      "\n"
      "Exit codes: 0 found some, 1 none in the span, 2 bad input, 3 system error.\n";

typedef struct
{
  unsigned long from, to, count;
  bool json;
} FreeArgs;

static int
parse_args (int argc, char **argv, FreeArgs *a)
{
  static const struct option longopts[] = {
    { "from", required_argument, NULL, 'f' },  { "to", required_argument, NULL, 't' },
    { "count", required_argument, NULL, 'c' }, { "json", no_argument, NULL, 'j' },
    { "help", no_argument, NULL, 'h' },        { NULL, 0, NULL, 0 },
  };
  char buf[64];
  static const char shortopts[] = ":f:t:c:jh";
  int ch, rc = 0;

  opterr = 0;
  while (rc == 0 && (ch = getopt_long (argc, argv, shortopts, longopts, NULL)) != -1)
    {
      if (ch == 'h')
        return fputs (free_help, stdout) == EOF ? CLI_SYSTEM : -1;
      if (ch == '?' || ch == ':')
        return cli_bad_option ("free", ch, argc, argv, shortopts);
      if (ch == 'f')
        rc = cli_parse_uint (optarg, "--from", 1, PTL_PORT_MAX, &a->from);
      else if (ch == 't')
        rc = cli_parse_uint (optarg, "--to", 1, PTL_PORT_MAX, &a->to);
      else if (ch == 'c')
        rc = cli_parse_uint (optarg, "--count", 1, 1000, &a->count);
      else
        a->json = true;
    }
  if (rc != 0)
    return rc;
  if (optind < argc)
    return cli_fail (CLI_USAGE,
                     "'free' takes no arguments, so not '%s'; use --from and --to for a span.",
                     cli_shown (argv[optind], buf, sizeof buf));
  if (a->from > a->to)
    return cli_fail (CLI_USAGE, "--from %lu is above --to %lu: the span is empty.", a->from, a->to);
  return 0;
}

static void
print_text (const FreeArgs *a, const PtlPortRules *rules, const unsigned *ports, size_t n,
            PtlBuf *out)
{
  ptl_buf_printf (out, "Free ports between %lu and %lu: unassigned by IANA,", a->from, a->to);
  if (rules->known)
    ptl_buf_printf (out, " outside the ephemeral range %u-%u,\n", rules->ephemeral_first,
                    rules->ephemeral_last);
  else
    ptl_buf_puts (out, "\n");
  ptl_buf_puts (out, "not reserved, unused, and bindable just now (tcp and udp, IPv4 and IPv6):\n");
  for (size_t i = 0; i < n; i++)
    ptl_buf_printf (out, "  %u\n", ports[i]);
}

int
cli_free (int argc, char **argv)
{
  FreeArgs a = { 1024, 49151, 5, false };
  unsigned ports[1000];
  size_t n = 0;
  PtlPortRules rules;
  PtlError err;
  PtlBuf out;
  int rc;

  if ((rc = parse_args (argc, argv, &a)) != 0)
    return rc < 0 ? CLI_OK : rc;
  ptl_platform_port_rules (&rules, NULL);
  if (ptl_free_ports_find ((unsigned) a.from, (unsigned) a.to, &rules, ports, a.count, &n, &err)
      < 0)
    return cli_fail_error (&err);
  if (n == 0)
    return cli_fail (CLI_NEGATIVE,
                     "No free port between %lu and %lu passes every test "
                     "(unassigned, outside the ephemeral range, unused, bindable).",
                     a.from, a.to);
  ptl_buf_init (&out);
  if (a.json)
    ptl_format_ports_json (ports, n, &out);
  else
    print_text (&a, &rules, ports, n, &out);
  rc = cli_print (&out);
  ptl_buf_clear (&out);
  return rc;
}
