/* portolan-cli check: is a port free? For scripts: the answer is the exit code. */
#define _GNU_SOURCE

#include <getopt.h> /* optind */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portolan-cli.h"
#include "ptl-platform.h"
#include "ptl-report.h"

typedef struct
{
  unsigned port, protos;
  unsigned long wait;
  bool quiet;
} CheckArgs;

typedef struct
{
  CheckArgs *args;
  unsigned flags;
} CheckOptions;

static int
handle_option (int key, const char *value, void *data)
{
  CheckOptions *o = data;

  if (key == 'w')
    return cli_parse_uint (value, "--wait", 1, 86400, &o->args->wait) != 0 ? CLI_USAGE : 0;
  o->flags |= key == 't' ? PTL_PROTO_TCP : key == 'u' ? PTL_PROTO_UDP : 0;
  o->args->quiet |= key == 'q';
  return 0;
}

static int
parse_args (int argc, char **argv, CheckArgs *a)
{
  CheckOptions o = { a, 0 };
  char buf[64];
  unsigned flags, qprotos = 0;
  int rc;

  if ((rc = cli_parse_options ("check", argc, argv, handle_option, &o)) != 0)
    return rc;
  flags = o.flags;
  if (optind >= argc)
    return cli_fail (CLI_USAGE, "No port given: 'portolan-cli check 8080'.");
  if (argc - optind > 1)
    return cli_fail (CLI_USAGE, "'check' takes one port; '%s' is one too many.",
                     cli_shown (argv[optind + 1], buf, sizeof buf));
  if ((rc = cli_parse_single_port (argv[optind], &a->port, &qprotos)) != 0)
    return -rc;
  if (a->port == 0)
    return cli_fail (CLI_USAGE, "Port 0 cannot be checked: a bind to port 0 lets the system pick "
                                "any free port.");
  if (qprotos & ~(unsigned) (PTL_PROTO_TCP | PTL_PROTO_UDP))
    return cli_fail (CLI_USAGE, "'check' tests tcp and udp only, not %s.",
                     ptl_proto_name ((PtlProto) qprotos));
  if (qprotos && flags && !(qprotos & flags))
    return cli_fail (CLI_USAGE, "The port names %s but the options ask for another protocol.",
                     ptl_proto_name ((PtlProto) qprotos));
  a->protos = flags ? flags : qprotos ? qprotos : PTL_PROTO_TCP;
  return 0;
}

/* Uses the report logic for one port so "free" means the same as in
 * 'portolan-cli PORT': needs-privilege with no socket on it still counts
 * as free. */
static int
test_once (const CheckArgs *a, PtlReportSet *set, PtlError *err)
{
  PtlQuery q;

  memset (&q, 0, sizeof q);
  q.kind = PTL_QUERY_PORT;
  q.first = q.last = a->port;
  q.protos = a->protos;
  return ptl_report_build (&q, "", set, err);
}

static bool
is_free (const CheckArgs *a, const PtlPortReport *r)
{
  return (!(a->protos & PTL_PROTO_TCP) || r->free_tcp)
         && (!(a->protos & PTL_PROTO_UDP) || r->free_udp);
}

/* " (tcp LISTEN by 1234/python3)", or for a socket without a known owner a
 * clause of its own: " by a tcp LISTEN socket; no owner (TIME_WAIT)". */
static void
describe_socket (const PtlSocketTable *t, const PtlSocket *s, PtlBuf *who)
{
  const char *proto = ptl_proto_name (s->proto), *state = ptl_state_name (s->state);

  if (s->n_owners == 0)
    {
      ptl_buf_printf (who, " by a %s %s socket", proto, state);
      if (s->owner_note)
        ptl_buf_printf (who, "; %s", s->owner_note);
      return;
    }
  ptl_buf_printf (who, " (%s %s by ", proto, state);
  ptl_socket_owner_summary (t, s, who);
  ptl_buf_puts (who, ")");
}

static void
describe (const CheckArgs *a, const PtlReportSet *set, bool free)
{
  const PtlPortReport *r = &set->reports[0];
  const char *proto = a->protos == PTL_PROTO_TCP   ? "tcp"
                      : a->protos == PTL_PROTO_UDP ? "udp"
                                                   : "tcp+udp";
  PtlBuf who;

  if (a->quiet)
    return;
  if (free)
    {
      printf ("Port %u/%s is free%s.\n", a->port, proto,
              (r->bind_tcp == PTL_BIND_NEEDS_PRIVILEGE || r->bind_udp == PTL_BIND_NEEDS_PRIVILEGE)
                  ? " (binding it needs privilege)"
                  : "");
      return;
    }
  if (r->n_sockets == 0 && (r->bind_tcp == PTL_BIND_RESERVED || r->bind_udp == PTL_BIND_RESERVED))
    {
      printf ("Port %u/%s is reserved by the system (an excluded port range): binding fails even "
              "though nothing listens.\n",
              a->port, proto);
      return;
    }
  ptl_buf_init (&who);
  for (size_t i = 0; i < set->table.len && who.len == 0; i++)
    if (set->table.rows[i].local_port == a->port)
      describe_socket (&set->table, &set->table.rows[i], &who);
  printf ("Port %u/%s is in use%s.\n", a->port, proto, ptl_buf_str (&who));
  ptl_buf_clear (&who);
}

static double
now_seconds (void)
{
  return (double) ptl_platform_monotonic_ms () / 1000.0;
}

int
cli_check (int argc, char **argv)
{
  CheckArgs a = { 0 };
  PtlReportSet set;
  PtlError err;
  double deadline;
  bool free = false;
  int rc;

  if ((rc = parse_args (argc, argv, &a)) != 0)
    return rc < 0 ? CLI_OK : rc;
  deadline = now_seconds () + (double) a.wait;
  for (;;)
    {
      if (test_once (&a, &set, &err) < 0)
        {
          ptl_report_clear (&set);
          return cli_fail_error (&err);
        }
      free = is_free (&a, &set.reports[0]);
      if (free || now_seconds () >= deadline)
        break;
      ptl_report_clear (&set);
      ptl_platform_sleep_ms (200);
    }
  describe (&a, &set, free);
  if (!free && a.wait && !a.quiet)
    printf ("Still in use after waiting %lu s.\n", a.wait);
  ptl_report_clear (&set);
  return free ? CLI_OK : CLI_NEGATIVE;
}
