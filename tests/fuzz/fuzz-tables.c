/* fuzz-tables.c: tables and report sets from fuzzer bytes (see the header). */
#include "fuzz-tables.h"

#include <stdlib.h>
#include <string.h>

/* The sentences a platform may attach to a row (pointers to static text). */
static const char *const owner_notes[] = {
  NULL,
  "owner hidden: needs root",
  "no owner (TIME_WAIT)",
  "no owner yet: waiting in the listener's accept queue",
};

static unsigned
take_u16 (PtlFuzzInput *in)
{
  unsigned hi = ptl_fuzz_byte (in);
  return hi << 8 | ptl_fuzz_byte (in);
}

/* A container (and sometimes a relay) of arbitrary bytes; the engine is
 * one of ours, or one past them. */
static void
fuzz_container (PtlFuzzInput *in, PtlContainer *c)
{
  c->engine = (PtlEngine) (ptl_fuzz_byte (in) % (PTL_ENGINE_KUBERNETES + 2));
  ptl_fuzz_strlcpy (in, c->id, sizeof c->id);
  ptl_fuzz_strlcpy (in, c->name, sizeof c->name);
  ptl_fuzz_strlcpy (in, c->pod, sizeof c->pod);
}

/* Where the process lives: thread, units, container, relay. */
static void
fuzz_context (PtlFuzzInput *in, PtlProcess *p)
{
  uint8_t pick = ptl_fuzz_byte (in);

  p->thread = pick & 1 ? (long) take_u16 (in) : 0;
  p->main_thread_exited = pick & 2;
  if (pick & 4)
    ptl_fuzz_strlcpy (in, p->unit, sizeof p->unit);
  if (pick & 8)
    ptl_fuzz_strlcpy (in, p->user_unit, sizeof p->user_unit);
  if (pick & 16)
    fuzz_container (in, &p->container);
  if (pick & 32)
    {
      p->relay.proto = pick & 64 ? PTL_PROTO_UDP : PTL_PROTO_TCP;
      ptl_fuzz_strlcpy (in, p->relay.address, sizeof p->relay.address);
      p->relay.port = take_u16 (in);
      if (pick & 128)
        fuzz_container (in, &p->relay.container);
    }
}

static void
add_process (PtlFuzzInput *in, PtlSocketTable *t)
{
  PtlProcess p;

  memset (&p, 0, sizeof p);
  p.pid = (long) take_u16 (in) + 1;
  p.start_time = 1;
  p.uid = p.pid % 3 ? 1000 : -1;
  ptl_fuzz_strlcpy (in, p.user, sizeof p.user);
  p.name = ptl_fuzz_string (in, 255);
  p.path = ptl_fuzz_string (in, 255);
  p.cmdline = ptl_fuzz_string (in, 255);
  fuzz_context (in, &p);
  if (ptl_socket_table_add_proc (t, &p) == (size_t) -1)
    abort ();
  ptl_process_clear (&p);
}

/* Table-owned text for a row, or NULL. */
static const char *
fuzz_kept (PtlFuzzInput *in, PtlSocketTable *t)
{
  char *text = ptl_fuzz_string (in, 255);
  const char *kept = ptl_socket_table_keep_string (t, text);

  free (text);
  return kept;
}

/* A row's particulars: the detail of its note, a unit, partial owners,
 * another network namespace. */
static void
fuzz_row_context (PtlFuzzInput *in, PtlSocketTable *t, PtlSocket *s)
{
  uint8_t pick = ptl_fuzz_byte (in);

  s->owners_partial = pick & 1;
  s->rqueue = pick & 2 ? take_u16 (in) : 0;
  if (pick & 4)
    s->owner_detail = fuzz_kept (in, t);
  if (pick & 8)
    s->unit = fuzz_kept (in, t);
  if (pick & 16)
    {
      PtlNetns ns;

      memset (&ns, 0, sizeof ns);
      ns.id = (uint64_t) take_u16 (in) << 20 | take_u16 (in);
      ptl_fuzz_strlcpy (in, ns.name, sizeof ns.name);
      if (pick & 32)
        fuzz_container (in, &ns.container);
      s->netns = ptl_socket_table_add_netns (t, &ns);
    }
}

static void
add_row (PtlFuzzInput *in, PtlSocketTable *t)
{
  uint8_t pick = ptl_fuzz_byte (in);
  size_t owners[3], n_owners = 0;
  PtlSocket s;

  memset (&s, 0, sizeof s);
  s.proto = pick & 1 ? PTL_PROTO_UDP : PTL_PROTO_TCP;
  s.family = pick & 2 ? PTL_FAMILY_IPV6 : PTL_FAMILY_IPV4;
  s.state = (PtlState) (ptl_fuzz_byte (in) % (PTL_N_STATES + 2)); /* a few unknown ones too */
  ptl_fuzz_strlcpy (in, s.local_address, sizeof s.local_address);
  ptl_fuzz_strlcpy (in, s.remote_address, sizeof s.remote_address);
  s.local_port = take_u16 (in);
  s.remote_port = take_u16 (in);
  s.uid = pick & 4 ? -1 : (long) take_u16 (in);
  ptl_fuzz_strlcpy (in, s.user, sizeof s.user);
  s.inode = (uint64_t) take_u16 (in) << 48 | take_u16 (in);
  s.owner_note = owner_notes[(pick >> 3) & 3];
  fuzz_row_context (in, t, &s);
  if (ptl_socket_table_append (t, &s) == NULL)
    abort ();
  for (size_t i = 0; t->n_procs > 0 && i < (size_t) ((pick >> 5) % 4); i++)
    owners[n_owners++] = ptl_fuzz_byte (in) % t->n_procs;
  if (n_owners > 0 && ptl_socket_table_set_owners (t, t->len - 1, owners, n_owners) < 0)
    abort ();
}

void
ptl_fuzz_table (PtlFuzzInput *in, PtlSocketTable *table)
{
  size_t n_procs = ptl_fuzz_byte (in) % 5, n_rows = ptl_fuzz_byte (in) % 9;
  size_t n_notes = ptl_fuzz_byte (in) % 3;

  for (size_t i = 0; i < n_procs; i++)
    add_process (in, table);
  for (size_t i = 0; i < n_rows; i++)
    add_row (in, table);
  for (size_t i = 0; i < n_notes; i++)
    {
      char *note = ptl_fuzz_string (in, 255);
      ptl_socket_table_add_note (table, note);
      free (note);
    }
  /* Other namespaces seen: none (-1: not counted), some, read or not. */
  table->n_other_netns = (long) (ptl_fuzz_byte (in) % 4) - 1;
  table->other_netns_read = ptl_fuzz_byte (in) & 1;
  table->other_netns_need_root = !table->other_netns_read && (ptl_fuzz_byte (in) & 1);
}

static void
fuzz_rules (PtlFuzzInput *in, PtlPortRules *rules)
{
  memset (rules, 0, sizeof *rules);
  rules->known = true;
  rules->ephemeral_first = take_u16 (in);
  rules->ephemeral_last = take_u16 (in);
  rules->unprivileged_known = ptl_fuzz_byte (in) & 1;
  rules->unprivileged_start = take_u16 (in);
  rules->n_reserved = ptl_fuzz_byte (in) % 4;
  for (size_t i = 0; i < rules->n_reserved; i++)
    {
      rules->reserved[i].first = take_u16 (in);
      rules->reserved[i].last = take_u16 (in);
    }
  ptl_fuzz_strlcpy (in, rules->source, sizeof rules->source);
}

void
ptl_fuzz_report_set (PtlFuzzInput *in, PtlReportSet *set)
{
  uint8_t pick = ptl_fuzz_byte (in);
  size_t n = pick % 4 + 1;

  ptl_fuzz_strlcpy (in, set->query_text, sizeof set->query_text);
  set->query.kind = n == 1 && (pick & 4) ? PTL_QUERY_PORT : PTL_QUERY_RANGE;
  set->rules_known = pick & 8;
  fuzz_rules (in, &set->rules);
  ptl_fuzz_table (in, &set->table);
  ptl_socket_table_init (&set->elsewhere);
  ptl_fuzz_table (in, &set->elsewhere);
  set->reports = calloc (n, sizeof *set->reports);
  if (set->reports == NULL)
    abort ();
  set->n_reports = n;
  for (size_t i = 0; i < n; i++)
    {
      PtlPortReport *r = &set->reports[i];
      uint8_t bits = ptl_fuzz_byte (in);
      unsigned port = take_u16 (in);

      /* Often a port some row is on, so the report lists sockets. */
      if ((bits & 1) && set->table.len > 0)
        port = set->table.rows[ptl_fuzz_byte (in) % set->table.len].local_port % 65536;
      ptl_report_fill_knowledge (r, port, (bits >> 1) & PTL_PROTO_ALL);
      r->bind_tcp = (PtlBindResult) ((bits >> 5) % 6);
      r->bind_udp = (PtlBindResult) (ptl_fuzz_byte (in) % 6);
      ptl_report_fill_machine (r, &set->rules, set->rules_known, &set->table);
      for (size_t k = 0; k < set->elsewhere.len; k++)
        r->n_elsewhere += set->elsewhere.rows[k].local_port == r->port;
    }
}
