/* portolan-cli free: suggest ports a new service can safely use. */
#define _GNU_SOURCE

#include <getopt.h> /* optind */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portolan-cli.h"
#include "ptl-free.h"
#include "ptl-platform.h"
#include "ptl-report.h"

typedef struct
{
  unsigned long from, to, count;
  bool json;
} FreeArgs;

static int
handle_option (int key, const char *value, void *data)
{
  FreeArgs *a = data;

  if (key == 'f')
    return cli_parse_uint (value, "--from", 1, PTL_PORT_MAX, &a->from);
  if (key == 't')
    return cli_parse_uint (value, "--to", 1, PTL_PORT_MAX, &a->to);
  if (key == 'c')
    return cli_parse_uint (value, "--count", 1, 1000, &a->count);
  a->json = true;
  return 0;
}

static int
parse_args (int argc, char **argv, FreeArgs *a)
{
  char buf[64];
  int rc;

  if ((rc = cli_parse_options ("free", argc, argv, handle_option, a)) != 0)
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
  if (rules->known)
    ptl_buf_printf (out,
                    _ ("Free ports between %lu and %lu: unassigned by IANA, outside the ephemeral "
                       "range %u-%u,\nnot reserved, unused, and bindable just now (tcp and udp, "
                       "IPv4 and IPv6):\n"),
                    a->from, a->to, rules->ephemeral_first, rules->ephemeral_last);
  else
    ptl_buf_printf (out,
                    _ ("Free ports between %lu and %lu: unassigned by IANA,\nnot reserved, unused, "
                       "and bindable just now (tcp and udp, IPv4 and IPv6):\n"),
                    a->from, a->to);
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
