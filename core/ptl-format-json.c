/* ptl-format-json.c: the stable JSON documented in README.md.
 *
 * Names here are a contract with users' scripts: add fields, never rename.
 */
#include "ptl-report.h"

#include <stdlib.h>
#include <string.h>

/* The hot path of the table writer: append into the free space directly
 * (no call) while it lasts and no sink is waiting for a full piece. */
static inline void
put (PtlBuf *out, const char *s, size_t n)
{
  if (out->len + n < out->cap && (out->sink == NULL || out->len + n < PTL_BUF_DRAIN_AT))
    {
      memcpy (out->data + out->len, s, n);
      out->len += n;
      out->data[out->len] = '\0';
      return;
    }
  ptl_buf_append (out, s, n);
}

#define PUT(out, literal) put ((out), (literal), sizeof (literal) - 1)
#define PUTS(out, str) put ((out), (str), strlen (str))

static void
json_escape_char (PtlBuf *out, unsigned cp)
{
  switch (cp)
    {
    case '"':
      PUT (out, "\\\"");
      return;
    case '\\':
      PUT (out, "\\\\");
      return;
    case '\n':
      PUT (out, "\\n");
      return;
    case '\r':
      PUT (out, "\\r");
      return;
    case '\t':
      PUT (out, "\\t");
      return;
    }
  ptl_buf_printf (out, "\\u%04x", cp);
}

#define ROW16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v

/* 1 for the bytes that end a plain run: NUL, control characters, '"',
 * '\\', and every byte from 0x80 (checked as UTF-8). */
static const unsigned char json_special[256] = {
  ROW16 (1), ROW16 (1), /* 0x00-0x1f */
  0,         0,         1,         0,         0,         0,         0,         0,         0,
  0,         0,         0,         0,         0,         0,         0, /* 0x20-0x2f: '"' */
  ROW16 (0), ROW16 (0),                                                /* 0x30-0x4f */
  0,         0,         0,         0,         0,         0,         0,         0,         0,
  0,         0,         0,         1,         0,         0,         0, /* 0x50-0x5f: '\\' */
  ROW16 (0), ROW16 (0),                                                /* 0x60-0x7f */
  ROW16 (1), ROW16 (1), ROW16 (1), ROW16 (1), ROW16 (1), ROW16 (1), ROW16 (1), ROW16 (1),
};

/* How many bytes, up to 4, precede the NUL: enough for one UTF-8 sequence. */
static size_t
up_to_4 (const unsigned char *p)
{
  size_t n = 0;

  while (n < 4 && p[n] != '\0')
    n++;
  return n;
}

/* Plain characters go out in runs, one append per run, found with one
 * table lookup per byte: a table of 20,000 rows writes some 100,000
 * strings. */
void
ptl_json_string (PtlBuf *out, const char *s)
{
  const unsigned char *p = (const unsigned char *) (s ? s : ""), *run = p;

  put (out, "\"", 1);
  for (;;)
    {
      unsigned cp;
      size_t step = 1;

      while (!json_special[*p])
        p++;
      if (*p == '\0')
        break;
      cp = *p;
      if (*p >= 0x80 && (step = ptl_utf8_decode ((const char *) p, up_to_4 (p), &cp)) != 0
          && cp != 0x2028 && cp != 0x2029)
        {
          p += step;
          continue;
        }
      if (p > run)
        put (out, (const char *) run, (size_t) (p - run));
      /* Control characters, quotes, invalid bytes, and the two separators
       * JavaScript chokes on. */
      if (step == 0)
        put (out, "\\ufffd", 6);
      else
        json_escape_char (out, cp);
      p += step ? step : 1;
      run = p;
    }
  if (p > run)
    put (out, (const char *) run, (size_t) (p - run));
  put (out, "\"", 1);
}

/* "key": with @key a string literal: keys are ours and need no escaping,
 * so they go out as one constant piece. */
#define json_key(out, key) PUT ((out), "\"" key "\": ")

/* "key": "value" followed by @after (", " between members, "" at the end). */
#define json_member(out, key, value, after)                                                        \
  do                                                                                               \
    {                                                                                              \
      json_key ((out), key);                                                                       \
      ptl_json_string ((out), (value));                                                            \
      PUTS ((out), (after));                                                                       \
    }                                                                                              \
  while (0)

/* @value as a JSON string, or null when it is NULL or empty. */
static void
json_string_or_null (PtlBuf *out, const char *value)
{
  if (value != NULL && value[0] != '\0')
    ptl_json_string (out, value);
  else
    PUT (out, "null");
}

/* "key": "value", or "key": null for an empty @value; then @after. */
#define json_member_or_null(out, key, value, after)                                                \
  do                                                                                               \
    {                                                                                              \
      json_key ((out), key);                                                                       \
      json_string_or_null ((out), (value));                                                        \
      PUTS ((out), (after));                                                                       \
    }                                                                                              \
  while (0)

/* {"engine", "id", "name", "pod"}, or null outside a container. */
static void
json_container (PtlBuf *out, const PtlContainer *c)
{
  if (c->engine == PTL_ENGINE_NONE)
    {
      PUT (out, "null");
      return;
    }
  PUT (out, "{");
  json_member (out, "engine", ptl_engine_name (c->engine), ", ");
  json_member (out, "id", c->id, ", ");
  json_member_or_null (out, "name", c->name, ", ");
  json_member_or_null (out, "pod", c->pod, "}");
}

static void
json_relay (PtlBuf *out, const PtlRelay *r)
{
  if (r->proto == 0)
    {
      PUT (out, "null");
      return;
    }
  ptl_buf_printf (out, "{\"protocol\": \"%s\", ", ptl_proto_name (r->proto));
  json_member_or_null (out, "address", r->address, ", ");
  if (r->port)
    ptl_buf_printf (out, "\"port\": %u, ", r->port);
  else
    PUT (out, "\"port\": null, ");
  json_key (out, "container");
  json_container (out, &r->container);
  PUT (out, "}");
}

/* Where the process lives, each member only when there is something to
 * say: a table of 20,000 rows repeats its processes' objects, and most
 * processes have no thread of note, no unit, no container and no relay. */
static void
json_process_context (PtlBuf *out, const PtlProcess *p)
{
  if (p->thread)
    ptl_buf_printf (out, ", \"thread\": %ld, \"main_thread_exited\": %s", p->thread,
                    p->main_thread_exited ? "true" : "false");
  if (p->unit[0])
    {
      PUT (out, ", ");
      json_member (out, "unit", p->unit, "");
    }
  if (p->user_unit[0])
    {
      PUT (out, ", ");
      json_member (out, "user_unit", p->user_unit, "");
    }
  if (p->container.engine != PTL_ENGINE_NONE)
    {
      PUT (out, ", \"container\": ");
      json_container (out, &p->container);
    }
  if (p->relay.proto)
    {
      PUT (out, ", \"relay_to\": ");
      json_relay (out, &p->relay);
    }
}

/* start_time is what `kill --start-time` takes: with the PID it names one
 * process, not whichever holds the PID later. */
static void
json_process (PtlBuf *out, const PtlProcess *p)
{
  ptl_buf_printf (out, "{\"pid\": %ld, ", p->pid);
  if (p->uid >= 0)
    ptl_buf_printf (out, "\"uid\": %ld, ", p->uid);
  else
    PUT (out, "\"uid\": null, ");
  ptl_buf_printf (out, "\"start_time\": %llu, ", (unsigned long long) p->start_time);
  json_member (out, "name", p->name, ", ");
  json_member (out, "path", p->path, ", ");
  json_member (out, "cmdline", p->cmdline, ", ");
  json_member (out, "user", p->user, "");
  json_process_context (out, p);
  PUT (out, "}");
}

/* Numbers without printf: a 20,000-row table writes 80,000 of them. */
static void
json_uint (PtlBuf *out, unsigned long long v)
{
  char tmp[24];
  size_t n = sizeof tmp;

  do
    tmp[--n] = (char) ('0' + v % 10);
  while ((v /= 10) > 0);
  put (out, tmp + n, sizeof tmp - n);
}

static void
json_socket_addresses (PtlBuf *out, const PtlSocket *s)
{
  PUT (out, "\"protocol\": \"");
  PUTS (out, ptl_proto_name (s->proto));
  PUT (out, "\", \"family\": \"");
  PUTS (out, ptl_family_name (s->family));
  PUT (out, "\", ");
  json_member (out, "local_address", s->local_address, ", ");
  PUT (out, "\"local_port\": ");
  json_uint (out, s->local_port);
  PUT (out, ", ");
  json_member (out, "remote_address", s->remote_address, ", ");
  PUT (out, "\"remote_port\": ");
  json_uint (out, s->remote_port);
  PUT (out, ", \"state\": \"");
  PUTS (out, ptl_state_name (s->state));
  PUT (out, "\", ");
}

/* Every process's JSON, written once: one process can own thousands of
 * rows (a busy server), and its command line is the longest field. */
typedef struct
{
  PtlBuf text;
  size_t *ends; /* process i is text[ends[i-1] .. ends[i]) */
} ProcCache;

static void
proc_cache_init (ProcCache *c, const PtlSocketTable *table)
{
  ptl_buf_init (&c->text);
  c->ends = table->n_procs ? malloc (table->n_procs * sizeof *c->ends) : NULL;
  for (size_t i = 0; c->ends && i < table->n_procs; i++)
    {
      json_process (&c->text, &table->procs[i]);
      c->ends[i] = c->text.len;
    }
  if (c->text.failed)
    free (c->ends), c->ends = NULL;
}

static void
proc_cache_clear (ProcCache *c)
{
  ptl_buf_clear (&c->text);
  free (c->ends);
}

static void
json_owner (PtlBuf *out, const ProcCache *c, const PtlSocketTable *table, size_t proc)
{
  size_t from;

  if (c->ends == NULL)
    {
      json_process (out, &table->procs[proc]);
      return;
    }
  from = proc ? c->ends[proc - 1] : 0;
  put (out, c->text.data + from, c->ends[proc] - from);
}

/* {"id", "name", "container"} of another network namespace; null for ours. */
static void
json_netns (PtlBuf *out, const PtlNetns *ns)
{
  if (ns == NULL)
    {
      PUT (out, "null");
      return;
    }
  PUT (out, "{\"id\": ");
  json_uint (out, ns->id);
  PUT (out, ", ");
  json_member_or_null (out, "name", ns->name, ", ");
  json_key (out, "container");
  json_container (out, &ns->container);
  PUT (out, "}");
}

/* The particulars of a row, each only when there is one (see
 * json_process_context). */
static void
json_socket_context (PtlBuf *out, const PtlSocketTable *table, const PtlSocket *s)
{
  if (s->owner_detail)
    {
      PUT (out, ", ");
      json_member (out, "owner_detail", s->owner_detail, "");
    }
  if (s->owners_partial)
    PUT (out, ", \"owners_partial\": true");
  if (s->unit)
    {
      PUT (out, ", ");
      json_member (out, "unit", s->unit, "");
    }
  if (s->netns)
    {
      PUT (out, ", \"netns\": ");
      json_netns (out, ptl_socket_netns (table, s));
    }
}

static void
json_socket (PtlBuf *out, const PtlSocketTable *table, const ProcCache *c, const PtlSocket *s)
{
  PUT (out, "{");
  json_socket_addresses (out, s);
  PUT (out, "\"uid\": ");
  if (s->uid >= 0)
    json_uint (out, (unsigned long long) s->uid);
  else
    PUT (out, "null");
  PUT (out, ", ");
  json_member (out, "user", s->user, ", ");
  PUT (out, "\"inode\": ");
  json_uint (out, (unsigned long long) s->inode);
  PUT (out, ", \"processes\": [");
  for (size_t i = 0; i < s->n_owners; i++)
    {
      PUTS (out, i ? ", " : "");
      json_owner (out, c, table, table->owner_links[s->owners_first + i]);
    }
  PUT (out, "], ");
  json_key (out, "owner_note");
  if (s->owner_note)
    ptl_json_string (out, s->owner_note);
  else
    PUT (out, "null");
  json_socket_context (out, table, s);
  PUT (out, "}");
}

/* The notes of @table, then of @more (may be NULL; a note in both is
 * given once), then @extra. */
static void
json_notes (PtlBuf *out, const PtlSocketTable *table, const PtlSocketTable *more,
            const char *const *extra, size_t n_extra)
{
  size_t k = 0;

  json_key (out, "notes");
  PUT (out, "[");
  for (size_t i = 0; i < table->n_notes; i++, k++)
    {
      ptl_buf_puts (out, k ? ", " : "");
      ptl_json_string (out, table->notes[i]);
    }
  for (size_t i = 0; more != NULL && i < more->n_notes; i++)
    {
      bool dup = false;

      for (size_t j = 0; j < table->n_notes && !dup; j++)
        dup = strcmp (table->notes[j], more->notes[i]) == 0;
      if (dup)
        continue;
      ptl_buf_puts (out, k++ ? ", " : "");
      ptl_json_string (out, more->notes[i]);
    }
  for (size_t i = 0; i < n_extra; i++, k++)
    {
      ptl_buf_puts (out, k ? ", " : "");
      ptl_json_string (out, extra[i]);
    }
  PUT (out, "]");
}

static void
json_sockets_on (PtlBuf *out, const PtlSocketTable *table, bool all, unsigned port)
{
  size_t k = 0;
  ProcCache cache;

  proc_cache_init (&cache, table);
  PUT (out, "[");
  for (size_t i = 0; i < table->len; i++)
    {
      if (!all && table->rows[i].local_port != port)
        continue;
      PUTS (out, k ? ",\n    " : "\n    ");
      k++;
      json_socket (out, table, &cache, &table->rows[i]);
    }
  ptl_buf_puts (out, k ? "\n  ]" : "]");
  proc_cache_clear (&cache);
}

/* "count": other namespaces seen (null: not counted), "read": whether
 * their sockets are in the table, "needs_root": why not. */
static void
json_namespace_counts (PtlBuf *out, const PtlSocketTable *table)
{
  PUT (out, "\"count\": ");
  if (table->n_other_netns >= 0)
    json_uint (out, (unsigned long long) table->n_other_netns);
  else
    PUT (out, "null");
  ptl_buf_printf (out, ", \"read\": %s, \"needs_root\": %s",
                  table->other_netns_read ? "true" : "false",
                  table->other_netns_need_root ? "true" : "false");
}

void
ptl_format_table_json (const PtlSocketTable *table, PtlBuf *out)
{
  PUT (out, "{\n  \"sockets\": ");
  json_sockets_on (out, table, true, 0);
  PUT (out, ",\n  \"other_namespaces\": {");
  json_namespace_counts (out, table);
  PUT (out, "},\n  ");
  json_notes (out, table, NULL, NULL, 0);
  PUT (out, "\n}\n");
}

static void
json_iana (PtlBuf *out, const PtlPortReport *r)
{
  PUT (out, "[");
  for (size_t i = 0; i < r->n_iana; i++)
    {
      const PtlIanaEntry *e = r->iana[i];

      ptl_buf_printf (out, "%s{\"protocol\": \"%s\", ", i ? ", " : "",
                      ptl_proto_name ((PtlProto) e->proto));
      json_member (out, "service", e->service, ", ");
      json_member (out, "description", e->description, ", ");
      ptl_buf_printf (out, "\"first\": %u, \"last\": %u}", e->first, e->last);
    }
  PUT (out, "]");
}

static void
json_protocols (PtlBuf *out, unsigned protos)
{
  size_t k = 0;

  PUT (out, "[");
  for (size_t i = 0; i < PTL_N_PROTOS; i++)
    if (protos & ptl_protos[i])
      ptl_buf_printf (out, "%s\"%s\"", k++ ? ", " : "", ptl_proto_name (ptl_protos[i]));
  PUT (out, "]");
}

static void
json_unofficial (PtlBuf *out, const PtlPortReport *r)
{
  PUT (out, "[");
  for (size_t i = 0; i < r->n_unofficial; i++)
    {
      const PtlUnofficial *u = r->unofficial[i];

      ptl_buf_puts (out, i ? ", {" : "{");
      json_key (out, "protocols");
      json_protocols (out, u->protos);
      PUT (out, ", ");
      json_member (out, "use", u->use, ", ");
      json_member (out, "note", u->note, ", ");
      ptl_buf_printf (out, "\"first\": %u, \"last\": %u}", u->first, u->last);
    }
  PUT (out, "]");
}

static void
json_related (PtlBuf *out, const PtlPortReport *r)
{
  size_t k = 0;

  PUT (out, "[");
  for (size_t i = 0; i < r->n_related; i++)
    for (unsigned p = r->related_first[i]; p <= r->related_last[i]; p++)
      ptl_buf_printf (out, "%s%u", k++ ? ", " : "", p);
  PUT (out, "]");
}

/* Windows: the dynamic ranges of other protocols and families, when one
 * differs from IPv4 TCP's (which "first" and "last" give). */
static void
json_ephemeral_other (PtlBuf *out, const PtlPortRules *rules)
{
  if (rules->n_ephemeral_other == 0)
    return;
  PUT (out, ", \"other\": [");
  for (size_t i = 0; i < rules->n_ephemeral_other; i++)
    ptl_buf_printf (out,
                    "%s{\"protocol\": \"%s\", \"family\": \"%s\", \"first\": %u, \"last\": %u}",
                    i ? ", " : "", ptl_proto_name (rules->ephemeral_other[i].proto),
                    ptl_family_name (rules->ephemeral_other[i].family),
                    rules->ephemeral_other[i].first, rules->ephemeral_other[i].last);
  PUT (out, "]");
}

static void
json_machine (PtlBuf *out, const PtlReportSet *set, const PtlPortReport *r)
{
  ptl_buf_printf (out, ",\n  \"free\": {\"tcp\": %s, \"udp\": %s}", r->free_tcp ? "true" : "false",
                  r->free_udp ? "true" : "false");
  ptl_buf_printf (out, ",\n  \"bind\": {\"tcp\": \"%s\", \"udp\": \"%s\"}",
                  ptl_bind_result_name (r->bind_tcp), ptl_bind_result_name (r->bind_udp));
  if (set->rules_known)
    {
      ptl_buf_printf (out, ",\n  \"ephemeral\": {\"first\": %u, \"last\": %u, \"contains\": %s",
                      set->rules.ephemeral_first, set->rules.ephemeral_last,
                      r->in_ephemeral ? "true" : "false");
      json_ephemeral_other (out, &set->rules);
      PUT (out, "}");
    }
  else
    PUT (out, ",\n  \"ephemeral\": null");
  ptl_buf_printf (out, ",\n  \"reserved\": %s, \"privileged\": %s", r->reserved ? "true" : "false",
                  r->privileged ? "true" : "false");
  if (set->rules.unprivileged_known)
    ptl_buf_printf (out, ", \"unprivileged_start\": %u", set->rules.unprivileged_start);
}

static void
json_report (PtlBuf *out, const PtlReportSet *set, const PtlPortReport *r)
{
  ptl_buf_printf (out, "{\n  \"port\": %u,\n  \"range\": \"%s\",\n  \"iana\": ", r->port,
                  ptl_range_name (r->range));
  json_iana (out, r);
  PUT (out, ",\n  \"unofficial\": ");
  json_unofficial (out, r);
  PUT (out, ",\n  \"related\": ");
  json_related (out, r);
  PUT (out, ",\n  \"sockets\": ");
  json_sockets_on (out, &set->table, false, r->port);
  PUT (out, ",\n  \"other_namespaces\": {");
  json_namespace_counts (out, &set->elsewhere);
  PUT (out, ", \"sockets\": ");
  json_sockets_on (out, &set->elsewhere, false, r->port);
  PUT (out, "}");
  json_machine (out, set, r);
  PUT (out, ",\n  ");
  json_notes (out, &set->table, &set->elsewhere, r->notes, r->n_notes);
  PUT (out, "\n}");
}

void
ptl_format_report_json (const PtlReportSet *set, PtlBuf *out)
{
  if (set->query.kind == PTL_QUERY_PORT && set->n_reports == 1)
    {
      json_report (out, set, &set->reports[0]);
      PUT (out, "\n");
      return;
    }
  PUT (out, "{\"query\": ");
  ptl_json_string (out, set->query_text);
  PUT (out, ", \"reports\": [\n");
  for (size_t i = 0; i < set->n_reports; i++)
    {
      ptl_buf_puts (out, i ? ",\n" : "");
      json_report (out, set, &set->reports[i]);
    }
  PUT (out, "\n]}\n");
}

void
ptl_format_socket_json (const PtlSocketTable *table, const PtlSocket *s, PtlBuf *out)
{
  ProcCache none = { .ends = NULL }; /* owners written as they come */

  json_socket (out, table, &none, s);
}

void
ptl_format_ports_json (const unsigned *ports, size_t n, PtlBuf *out)
{
  PUT (out, "{\"ports\": [");
  for (size_t i = 0; i < n; i++)
    ptl_buf_printf (out, "%s%u", i ? ", " : "", ports[i]);
  PUT (out, "]}\n");
}
