/* portolan-cli check: is a port free? For scripts: the answer is the exit code. */
#define _GNU_SOURCE

#include <getopt.h> /* optind */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portolan-cli.h"
#include "ptl-platform.h"
#include "ptl-describe.h"
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

/* Process names come from whoever started the process: the line goes out
 * through the sanitiser, like every other writer's. */
static void
print_safe (PtlBuf *line)
{
  PtlBuf safe;

  ptl_buf_init (&safe);
  ptl_text_safe (&safe, ptl_buf_str (line));
  fputs (ptl_buf_str (&safe), stdout);
  fputs ("\n", stdout);
  ptl_buf_clear (&safe);
  ptl_buf_clear (line);
}

#define MAX_NAMED 256

static bool
same_group (const PtlSocket *a, const PtlSocket *b)
{
  return a->proto == b->proto && a->state == b->state && a->local_port == b->local_port;
}

/* The holders of the rows from @first on that share its protocol and state:
 * each process once, then the notes of rows without one. */
static void
describe_group (const PtlSocketTable *t, size_t first, PtlBuf *who)
{
  long named[MAX_NAMED];
  size_t n_named = 0, n_said = 0;

  for (size_t i = first; i < t->len; i++)
    for (size_t k = 0; same_group (&t->rows[i], &t->rows[first]) && k < t->rows[i].n_owners; k++)
      {
        const PtlProcess *p = ptl_socket_owner (t, &t->rows[i], k);
        bool seen = false;

        for (size_t j = 0; j < n_named && !seen; j++)
          seen = named[j] == p->pid;
        if (seen)
          continue;
        if (n_named < MAX_NAMED)
          named[n_named++] = p->pid;
        ptl_buf_printf (who, "%s%ld/%s", n_said++ ? C_ ("list", ", ") : "", p->pid, p->name);
      }
  for (size_t i = first; i < t->len; i++)
    if (same_group (&t->rows[i], &t->rows[first]) && t->rows[i].n_owners == 0)
      {
        PtlBuf note;
        bool said = false;

        /* Three connections waiting in one queue: one sentence. */
        ptl_buf_init (&note);
        ptl_describe_owner_note (&t->rows[i], &note);
        for (size_t j = first; j < i && !said; j++)
          if (same_group (&t->rows[j], &t->rows[first]) && t->rows[j].n_owners == 0)
            {
              PtlBuf before;

              ptl_buf_init (&before);
              ptl_describe_owner_note (&t->rows[j], &before);
              said = strcmp (ptl_buf_str (&before), ptl_buf_str (&note)) == 0;
              ptl_buf_clear (&before);
            }
        if (!said)
          ptl_buf_printf (who, "%s%s", n_said++ ? "; " : "", ptl_buf_str (&note));
        ptl_buf_clear (&note);
      }
}

/* One clause per protocol and state on the port, joined into @who: with a
 * process known, "tcp LISTEN by 10/a, 11/b, 12/c; udp UNCONN by 10/a"
 * (every process holding one, each named once: four SO_REUSEPORT
 * listeners are four rows, each with its own holder); with none known,
 * "a tcp LISTEN socket; owner hidden: needs root (socket of user www)".
 * Returns whether a process was named. */
static bool
describe_holders (const PtlReportSet *set, unsigned port, PtlBuf *who)
{
  const PtlSocketTable *t = &set->table;
  bool named = false;

  for (size_t i = 0; i < t->len && !named; i++)
    named = t->rows[i].local_port == port && t->rows[i].n_owners > 0;
  for (size_t i = 0; i < t->len; i++)
    {
      bool new_group = t->rows[i].local_port == port;
      const char *proto = ptl_proto_name (t->rows[i].proto);
      const char *state = ptl_state_name (t->rows[i].state);
      size_t n = 0;
      PtlBuf holders;

      for (size_t j = 0; j < i && new_group; j++)
        new_group = !same_group (&t->rows[j], &t->rows[i]);
      if (!new_group)
        continue;
      for (size_t j = i; j < t->len; j++)
        n += same_group (&t->rows[j], &t->rows[i]);
      ptl_buf_init (&holders);
      describe_group (t, i, &holders);
      if (who->len)
        ptl_buf_puts (who, named ? "; " : _ ("; and "));
      if (named)
        /* TRANSLATORS: "tcp LISTEN by 10/nginx, 11/nginx": protocol, state, processes. */
        ptl_buf_printf (who, _ ("%s %s by %s"), proto, state, ptl_buf_str (&holders));
      else if (n == 1)
        /* TRANSLATORS: "a tcp LISTEN socket; owner hidden: needs root". */
        ptl_buf_printf (who, _ ("a %s %s socket; %s"), proto, state, ptl_buf_str (&holders));
      else
        ptl_buf_printf (who, ptl_ntr ("%zu %s %s socket; %s", "%zu %s %s sockets; %s", n), n, proto,
                        state, ptl_buf_str (&holders));
      ptl_buf_clear (&holders);
    }
  return named;
}

static void
describe (const CheckArgs *a, const PtlReportSet *set, bool free)
{
  const PtlPortReport *r = &set->reports[0];
  const char *proto = a->protos == PTL_PROTO_TCP   ? "tcp"
                      : a->protos == PTL_PROTO_UDP ? "udp"
                                                   : "tcp+udp";
  PtlBuf who, line;
  bool named;

  if (a->quiet)
    return;
  if (free)
    {
      if (r->bind_tcp == PTL_BIND_NEEDS_PRIVILEGE || r->bind_udp == PTL_BIND_NEEDS_PRIVILEGE)
        printf (_ ("Port %u/%s is free (binding it needs privilege).\n"), a->port, proto);
      else
        printf (_ ("Port %u/%s is free.\n"), a->port, proto);
      return;
    }
  if (r->n_sockets == 0 && (r->bind_tcp == PTL_BIND_RESERVED || r->bind_udp == PTL_BIND_RESERVED))
    {
      printf (_ ("Port %u/%s is reserved by the system (an excluded port range): binding fails "
                 "even though nothing listens.\n"),
              a->port, proto);
      return;
    }
  ptl_buf_init (&who);
  named = describe_holders (set, a->port, &who);
  ptl_buf_init (&line);
  if (who.len == 0)
    ptl_buf_printf (&line, _ ("Port %u/%s is in use."), a->port, proto);
  else if (named)
    /* TRANSLATORS: the last %s says who: "tcp LISTEN by 10/nginx; udp UNCONN by 10/nginx". */
    ptl_buf_printf (&line, _ ("Port %u/%s is in use (%s)."), a->port, proto, ptl_buf_str (&who));
  else
    /* TRANSLATORS: the last %s: "a tcp LISTEN socket; owner hidden: needs root". */
    ptl_buf_printf (&line, _ ("Port %u/%s is in use by %s."), a->port, proto, ptl_buf_str (&who));
  print_safe (&line);
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
    printf (_ ("Still in use after waiting %lu s.\n"), a.wait);
  ptl_report_clear (&set);
  return free ? CLI_OK : CLI_NEGATIVE;
}
