/* portolan-cli watch: one line per change on the watched ports, until stopped.
 *
 * Each poll reads the table with the port span in the kernel's request
 * (so one port costs a filtered dump, not the machine), carries the owners
 * of sockets it already knows (their processes still run), looks up only
 * the new ones, and turns the snapshot diff into events (core/ptl-watch).
 * Every 30 s the owners are looked up afresh, which also finds a process
 * that came to share a socket its living owner still holds (a fork).
 * Where the kernel announces closed sockets, closes are printed as they
 * arrive instead of at the next poll.
 */
#define _GNU_SOURCE

#include <getopt.h> /* optind */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portolan-cli.h"
#include "ptl-platform.h"
#include "ptl-report.h"
#include "ptl-watch.h"

#define FULL_OWNER_SCAN_MS 30000

typedef struct
{
  PtlSocketFilter filter;
  PtlQuery query;
  bool has_query, json;
  unsigned long interval;
} WatchArgs;

typedef struct
{
  const WatchArgs *args;
  PtlBuf out;
  int64_t now_ms;
  int offset_min;
  size_t n_initial;
} Printer;

static int
parse_query (const char *text, WatchArgs *a)
{
  PtlError err;

  if (ptl_query_parse (text, &a->query, &err) < 0)
    return cli_fail_error (&err);
  if (a->query.protos & ~(unsigned) (PTL_PROTO_TCP | PTL_PROTO_UDP))
    return cli_fail (CLI_USAGE, "'watch' sees tcp and udp sockets only, not %s.",
                     ptl_proto_name ((PtlProto) a->query.protos));
  a->has_query = true;
  a->filter.port_first = a->query.first;
  a->filter.port_last = a->query.last;
  a->filter.protos |= a->query.protos;
  return 0;
}

static int
handle_option (int key, const char *value, void *data)
{
  WatchArgs *a = data;

  if (cli_filter_flag (key, &a->filter))
    return 0;
  switch (key)
    {
    case 'i':
      return cli_parse_uint (value, "--interval", 50, 3600000, &a->interval) != 0 ? CLI_USAGE : 0;
    case 'j':
      a->json = true;
      return 0;
    }
  return CLI_USAGE;
}

static int
parse_args (int argc, char **argv, WatchArgs *a)
{
  char buf[64];
  int rc;

  if ((rc = cli_parse_options ("watch", argc, argv, handle_option, a)) != 0)
    return rc;
  if (argc - optind > 1)
    return cli_fail (CLI_USAGE, "'watch' takes one query at most; '%s' is one too many.",
                     cli_shown (argv[optind + 1], buf, sizeof buf));
  if (optind < argc)
    return parse_query (argv[optind], a);
  return 0;
}

/* A service's ports need not be one span: keep only the rows on them. */
static void
keep_query_ports (const WatchArgs *a, PtlSocketTable *t)
{
  size_t j = 0;

  if (!a->has_query || a->query.kind != PTL_QUERY_SERVICE)
    return;
  for (size_t i = 0; i < t->len; i++)
    for (size_t k = 0; k < a->query.n_spans; k++)
      if (t->rows[i].local_port >= a->query.spans[k].first
          && t->rows[i].local_port <= a->query.spans[k].last)
        {
          t->rows[j++] = t->rows[i];
          break;
        }
  t->len = j;
}

static bool
still_alive (const PtlProcess *p, void *data)
{
  (void) data;
  return ptl_platform_process_alive (p->pid, p->start_time);
}

/* Reads the table, with the known owners carried unless @full. */
static int
poll_table (const WatchArgs *a, const PtlWatch *w, bool full, PtlSocketTable *t, PtlError *err)
{
  int rc;

  ptl_socket_table_init (t);
  if ((rc = ptl_platform_read_sockets (&a->filter, t, err)) < 0)
    return rc;
  keep_query_ports (a, t);
  if (!full && ptl_watch_carry_owners (w, t, still_alive, NULL) < 0)
    return ptl_error_set (err, PTL_ENOMEM, "Out of memory while watching.");
  return ptl_platform_find_owners (t, err);
}

static void
print_event (const PtlWatchEvent *ev, void *data)
{
  Printer *p = data;

  p->n_initial += ev->initial;
  if (p->args->json)
    ptl_format_watch_event_json (ev, p->now_ms, &p->out);
  else
    ptl_format_watch_event_text (ev, p->now_ms, p->offset_min, &p->out);
}

/* Writes what the printer holds and empties it; false when stdout failed. */
static bool
flush_printer (Printer *p)
{
  bool ok = !p->out.failed && fwrite (ptl_buf_str (&p->out), 1, p->out.len, stdout) == p->out.len
            && fflush (stdout) == 0;

  p->out.len = 0;
  if (p->out.data)
    p->out.data[0] = '\0';
  return ok;
}

/* What is watched: in English for the JSON "watching" field, in the
 * reader's language (@human) for the text line. */
static void
describe_target (const WatchArgs *a, bool human, char *out, size_t size)
{
  if (!a->has_query)
    snprintf (out, size, "%s", human ? _ ("every port") : "every port");
  else if (a->query.kind == PTL_QUERY_SERVICE)
    snprintf (out, size, human ? _ ("service %s") : "service %s", a->query.service);
  else if (a->query.first == a->query.last)
    snprintf (out, size, human ? _ ("port %u") : "port %u", a->query.first);
  else
    snprintf (out, size, human ? _ ("ports %u-%u") : "ports %u-%u", a->query.first, a->query.last);
}

static void
print_ready (Printer *p, const PtlSocketTable *t, bool notified)
{
  char what[96];
  size_t n = p->n_initial;

  describe_target (p->args, !p->args->json, what, sizeof what);
  if (p->args->json)
    {
      ptl_buf_puts (&p->out, "{\"event\": \"ready\", \"time\": \"");
      ptl_format_time_rfc3339 (p->now_ms, 0, &p->out);
      ptl_buf_puts (&p->out, "\", \"watching\": ");
      ptl_json_string (&p->out, what);
      ptl_buf_printf (&p->out,
                      ", \"sockets\": %zu, \"interval_ms\": %lu, \"close_notifications\": %s, "
                      "\"notes\": [",
                      p->n_initial, p->args->interval, notified ? "true" : "false");
      for (size_t i = 0; i < t->n_notes; i++)
        {
          ptl_buf_puts (&p->out, i ? ", " : "");
          ptl_json_string (&p->out, t->notes[i]);
        }
      ptl_buf_puts (&p->out, "]}\n");
      return;
    }
  ptl_format_time_local (p->now_ms, p->offset_min, &p->out);
  ptl_buf_puts (&p->out, "  ");
  ptl_buf_pad (&p->out, C_ ("watch event", "ready"), 9);
  if (notified)
    ptl_buf_printf (&p->out,
                    ptl_ntr ("%s: %zu socket now; a poll every %lu ms, closes at once (kernel "
                             "notifications). Ctrl+C stops.\n",
                             "%s: %zu sockets now; a poll every %lu ms, closes at once (kernel "
                             "notifications). Ctrl+C stops.\n",
                             n),
                    what, n, p->args->interval);
  else
    ptl_buf_printf (&p->out,
                    ptl_ntr ("%s: %zu socket now; a poll every %lu ms, closes at the next poll. "
                             "Ctrl+C stops.\n",
                             "%s: %zu sockets now; a poll every %lu ms, closes at the next poll. "
                             "Ctrl+C stops.\n",
                             n),
                    what, n, p->args->interval);
  for (size_t i = 0; i < t->n_notes; i++)
    ptl_buf_printf (&p->out, "%s%s\n", _ ("Note: "), ptl_tr (t->notes[i]));
}

typedef struct
{
  WatchArgs args;
  PtlWatch watch;
  PtlCloseFeed *feed;
  Printer printer;
  uint64_t last_full;
} Watcher;

static void
stamp (Printer *p)
{
  ptl_platform_wall_clock (&p->now_ms, &p->offset_min);
}

static int
poll_once (Watcher *w, PtlError *err)
{
  uint64_t now = ptl_platform_monotonic_ms ();
  bool full = !w->watch.started || now - w->last_full >= FULL_OWNER_SCAN_MS;
  bool first = !w->watch.started;
  PtlSocketTable t;
  int rc;

  if ((rc = poll_table (&w->args, &w->watch, full, &t, err)) < 0)
    {
      ptl_socket_table_clear (&t);
      return rc;
    }
  if (full)
    w->last_full = now;
  stamp (&w->printer);
  if (ptl_watch_update (&w->watch, &t, print_event, &w->printer) < 0)
    {
      ptl_socket_table_clear (&t);
      return ptl_error_set (err, PTL_ENOMEM, "Out of memory while watching.");
    }
  if (first)
    print_ready (&w->printer, ptl_watch_current (&w->watch), w->feed != NULL);
  return 0;
}

static void
take_closes (Watcher *w)
{
  PtlSocketTable closed;

  ptl_socket_table_init (&closed);
  if (ptl_platform_close_feed_read (w->feed, &closed) > 0)
    {
      stamp (&w->printer);
      ptl_watch_closed (&w->watch, &closed, print_event, &w->printer);
    }
  ptl_socket_table_clear (&closed);
}

/* Waits until the next poll is due; false when a stop was asked. */
static bool
wait_next (Watcher *w)
{
  uint64_t due = ptl_platform_monotonic_ms () + w->args.interval;

  for (;;)
    {
      uint64_t now = ptl_platform_monotonic_ms ();
      PtlWaitResult r;

      if (now >= due)
        return !ptl_platform_stop_requested ();
      r = ptl_platform_wait ((unsigned) (due - now), w->feed);
      if (r == PTL_WAIT_STOP)
        return false;
      if (r == PTL_WAIT_CLOSES)
        {
          take_closes (w);
          if (!flush_printer (&w->printer))
            return false;
        }
    }
}

static int
run (Watcher *w)
{
  PtlError err;

  ptl_platform_catch_stop ();
  if (ptl_platform_close_feed_open (&w->args.filter, &w->feed, &err) < 0)
    w->feed = NULL; /* closes then show at the next poll, as the ready line says */
  for (;;)
    {
      if (poll_once (w, &err) < 0)
        {
          flush_printer (&w->printer);
          return cli_fail_error (&err);
        }
      if (!flush_printer (&w->printer))
        return cli_fail (CLI_SYSTEM, "Cannot write the events; stopping.");
      if (!wait_next (w))
        break;
    }
  /* Stopped by Ctrl+C or SIGTERM: everything printed is flushed already. */
  return flush_printer (&w->printer) ? CLI_OK : CLI_SYSTEM;
}

int
cli_watch (int argc, char **argv)
{
  Watcher w;
  int rc;

  memset (&w, 0, sizeof w);
  ptl_socket_filter_init (&w.args.filter);
  w.args.interval = 1000;
  if ((rc = parse_args (argc, argv, &w.args)) != 0)
    return rc < 0 ? CLI_OK : rc;
  ptl_watch_init (&w.watch);
  ptl_buf_init (&w.printer.out);
  w.printer.args = &w.args;
  rc = run (&w);
  ptl_platform_close_feed_free (w.feed);
  ptl_watch_clear (&w.watch);
  ptl_buf_clear (&w.printer.out);
  return rc;
}
