/* ptl-report.c: builds the answer for a query. */
#include "ptl-report.h"

#include "ptl-i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *
ptl_bind_result_name (PtlBindResult result)
{
  switch (result)
    {
    case PTL_BIND_FREE:
      return "free";
    case PTL_BIND_IN_USE:
      return "in-use";
    case PTL_BIND_NEEDS_PRIVILEGE:
      return "needs-privilege";
    case PTL_BIND_UNAVAILABLE:
      return "unavailable";
    case PTL_BIND_RESERVED:
      return "reserved";
    case PTL_BIND_ERROR:
      break;
    }
  return "error";
}

void
ptl_report_fill_knowledge (PtlPortReport *r, unsigned port, unsigned protos)
{
  r->port = port;
  r->range = ptl_port_range (port);
  r->n_iana = ptl_iana_lookup (port, protos, r->iana, PTL_REPORT_MAX_IANA);
  if (r->n_iana > PTL_REPORT_MAX_IANA)
    r->n_iana = PTL_REPORT_MAX_IANA;
  r->n_unofficial = ptl_unofficial_lookup (port, r->unofficial, PTL_REPORT_MAX_UNOFFICIAL);
  if (r->n_unofficial > PTL_REPORT_MAX_UNOFFICIAL)
    r->n_unofficial = PTL_REPORT_MAX_UNOFFICIAL;
  r->n_related
      = ptl_related_ports (port, r->related_first, r->related_last, PTL_REPORT_MAX_RELATED);
}

PtlBindResult
ptl_bind_port (unsigned port, PtlProto proto)
{
  PtlBindResult v4 = ptl_platform_bind_test (port, proto, PTL_FAMILY_IPV4);
  PtlBindResult v6 = ptl_platform_bind_test (port, proto, PTL_FAMILY_IPV6);

  if (v4 == PTL_BIND_IN_USE || v6 == PTL_BIND_IN_USE)
    return PTL_BIND_IN_USE;
  if (v4 == PTL_BIND_RESERVED || v6 == PTL_BIND_RESERVED)
    return PTL_BIND_RESERVED;
  if (v4 == PTL_BIND_NEEDS_PRIVILEGE || v6 == PTL_BIND_NEEDS_PRIVILEGE)
    return PTL_BIND_NEEDS_PRIVILEGE;
  if (v4 == PTL_BIND_FREE && (v6 == PTL_BIND_FREE || v6 == PTL_BIND_UNAVAILABLE))
    return PTL_BIND_FREE;
  if (v4 == PTL_BIND_UNAVAILABLE && v6 == PTL_BIND_FREE)
    return PTL_BIND_FREE;
  return PTL_BIND_ERROR;
}

/* Rows of other network namespaces do not take a port here. */
static bool
table_has_proto_on (const PtlSocketTable *table, unsigned port, PtlProto proto)
{
  for (size_t i = 0; i < table->len; i++)
    if (table->rows[i].local_port == port && table->rows[i].proto == proto
        && table->rows[i].netns == 0)
      return true;
  return false;
}

/* "Needs privilege" says nothing about use: the kernel checks privilege
 * before it looks for a conflict. The table settles it then. */
static bool
is_free (PtlBindResult result, bool seen)
{
  if (result == PTL_BIND_FREE)
    return true;
  if (result == PTL_BIND_NEEDS_PRIVILEGE)
    return !seen;
  return false; /* in use, reserved (every bind fails), or unknown */
}

static void
add_note (PtlPortReport *r, const char *note)
{
  if (r->n_notes < PTL_REPORT_MAX_NOTES)
    r->notes[r->n_notes++] = note;
}

/* The range that holds @port, for the sentence that names it. */
static bool
reserved_range_of (const PtlPortRules *rules, unsigned port, unsigned *first, unsigned *last)
{
  for (size_t i = 0; i < rules->n_reserved; i++)
    if (port >= rules->reserved[i].first && port <= rules->reserved[i].last)
      {
        *first = rules->reserved[i].first;
        *last = rules->reserved[i].last;
        return true;
      }
  return false;
}

/* Windows excluded ranges (Hyper-V, WSL, Docker) make a port look free in
 * netstat while every bind fails: the note names the very range. */
static const char excluded_sentence[]
    = PTL_N_ ("Reserved by Windows (excluded port range %u\xe2\x80\x93%u): binding fails even "
              "though nothing listens.");

static void
add_excluded_note (PtlPortReport *r, const PtlPortRules *rules)
{
  unsigned first = r->port, last = r->port;

  reserved_range_of (rules, r->port, &first, &last);
  r->excluded_first = first;
  r->excluded_last = last;
  /* In English: JSON carries it as it is. */
  snprintf (r->excluded_note, sizeof r->excluded_note, excluded_sentence, first, last);
  add_note (r, r->excluded_note);
}

const char *
ptl_report_note (const PtlPortReport *r, size_t i, char *buf, size_t size)
{
  if (r->notes[i] != r->excluded_note)
    return ptl_tr (r->notes[i]);
  snprintf (buf, size, ptl_tr (excluded_sentence), r->excluded_first, r->excluded_last);
  return buf;
}

const char ptl_port_zero_note[]
    = PTL_N_ ("Port 0 is not a port a program can use: a program that asks for port 0 gets any "
              "free port from the system, and nothing can listen on port 0 itself.");

static void
fill_rules (PtlPortReport *r, const PtlPortRules *rules)
{
  r->in_ephemeral = ptl_port_rules_in_ephemeral (rules, r->port);
  r->reserved = ptl_port_rules_is_reserved (rules, r->port);
  r->privileged = rules->unprivileged_known && r->port < rules->unprivileged_start;
  if (r->reserved && rules->reserved_blocks_bind)
    add_excluded_note (r, rules);
  else if (r->reserved)
    add_note (r, PTL_N_ ("Reserved: the system will not hand it to outgoing connections, but "
                         "a program can still bind it on purpose."));
  if (r->in_ephemeral && !r->reserved)
    add_note (r, PTL_N_ ("Inside this machine's ephemeral range: any outgoing connection may "
                         "borrow it, so a server that starts later can find it taken."));
  if (r->privileged && r->port != 0)
    add_note (r, PTL_N_ ("Below this machine's unprivileged port start: binding it needs "
                         "root (or CAP_NET_BIND_SERVICE)."));
}

void
ptl_report_fill_machine (PtlPortReport *r, const PtlPortRules *rules, bool rules_known,
                         const PtlSocketTable *table)
{
  r->seen_tcp |= table_has_proto_on (table, r->port, PTL_PROTO_TCP);
  r->seen_udp |= table_has_proto_on (table, r->port, PTL_PROTO_UDP);
  r->free_tcp = r->port != 0 && is_free (r->bind_tcp, r->seen_tcp);
  r->free_udp = r->port != 0 && is_free (r->bind_udp, r->seen_udp);
  if (r->port == 0)
    add_note (r, ptl_port_zero_note);
  r->n_sockets = 0;
  for (size_t i = 0; i < table->len; i++)
    r->n_sockets += table->rows[i].local_port == r->port && table->rows[i].netns == 0;
  if (rules_known)
    fill_rules (r, rules);
}

static bool
query_covers (const PtlQuery *q, unsigned port)
{
  if (q->kind != PTL_QUERY_SERVICE)
    return port >= q->first && port <= q->last;
  for (size_t i = 0; i < q->n_spans; i++)
    if (port >= q->spans[i].first && port <= q->spans[i].last)
      return true;
  return false;
}

/* Keeps only the rows on a port the query covers (a service's spans can
 * leave gaps inside the span the kernel was asked for). */
static void
keep_covered_rows (const PtlQuery *q, PtlSocketTable *table)
{
  size_t kept = 0;

  for (size_t i = 0; i < table->len; i++)
    if (query_covers (q, table->rows[i].local_port))
      table->rows[kept++] = table->rows[i];
  table->len = kept;
}

/* The sockets of the query's ports, in @scope, with owners. */
static int
read_table (const PtlQuery *q, PtlNetnsScope scope, PtlSocketTable *table, PtlError *err)
{
  PtlSocketFilter filter;
  int rc;

  ptl_socket_filter_init (&filter);
  filter.port_first = q->first;
  filter.port_last = q->last;
  filter.protos = q->protos & (PTL_PROTO_TCP | PTL_PROTO_UDP);
  filter.netns = scope;
  filter.owners_follow = true;
  if (q->protos && filter.protos == 0)
    return 0; /* sctp/dccp sockets are not listed yet */
  if ((rc = ptl_platform_read_sockets (&filter, table, err)) < 0)
    return rc;
  keep_covered_rows (q, table);
  if ((rc = ptl_platform_find_owners (table, err)) < 0)
    return rc;
  ptl_socket_table_sort (table);
  return 0;
}

/* A query for one protocol still judges the other's bind result (a
 * "needs privilege" is settled by the table): read that protocol's
 * sockets on the ports too, without owners, just to know they exist. */
static void
see_other_protocol (const PtlQuery *q, PtlReportSet *set)
{
  unsigned shown = q->protos & (PTL_PROTO_TCP | PTL_PROTO_UDP);
  PtlSocketFilter filter;
  PtlSocketTable other;

  if (shown == 0 || shown == (PTL_PROTO_TCP | PTL_PROTO_UDP))
    return;
  ptl_socket_filter_init (&filter);
  filter.port_first = q->first;
  filter.port_last = q->last;
  filter.protos = (PTL_PROTO_TCP | PTL_PROTO_UDP) & ~shown;
  ptl_socket_table_init (&other);
  if (ptl_platform_read_sockets (&filter, &other, NULL) == 0)
    for (size_t i = 0; i < set->n_reports; i++)
      {
        PtlPortReport *r = &set->reports[i];
        r->seen_tcp |= table_has_proto_on (&other, r->port, PTL_PROTO_TCP);
        r->seen_udp |= table_has_proto_on (&other, r->port, PTL_PROTO_UDP);
        r->free_tcp = r->port != 0 && is_free (r->bind_tcp, r->seen_tcp);
        r->free_udp = r->port != 0 && is_free (r->bind_udp, r->seen_udp);
      }
  ptl_socket_table_clear (&other);
}

static int
add_reports (PtlReportSet *set, PtlError *err)
{
  const PtlQuery *q = &set->query;
  size_t n = ptl_query_n_ports (q), k = 0;

  set->reports = calloc (n, sizeof *set->reports);
  if (set->reports == NULL)
    return ptl_error_set (err, PTL_ENOMEM, PTL_N_ ("Out of memory."));
  for (unsigned port = q->first; port <= q->last && k < n; port++)
    {
      PtlPortReport *r;

      if (!query_covers (q, port))
        continue;
      r = &set->reports[k++];
      ptl_report_fill_knowledge (r, port, q->protos);
      /* Binding port 0 succeeds with some other port: it tests nothing. */
      r->bind_tcp = port ? ptl_bind_port (port, PTL_PROTO_TCP) : PTL_BIND_UNAVAILABLE;
      r->bind_udp = port ? ptl_bind_port (port, PTL_PROTO_UDP) : PTL_BIND_UNAVAILABLE;
      ptl_report_fill_machine (r, &set->rules, set->rules_known, &set->table);
      for (size_t i = 0; i < set->elsewhere.len; i++)
        r->n_elsewhere += set->elsewhere.rows[i].local_port == port;
    }
  set->n_reports = k;
  see_other_protocol (q, set);
  return 0;
}

int
ptl_report_build (const PtlQuery *query, const char *query_text, PtlReportSet *set, PtlError *err)
{
  size_t n = ptl_query_n_ports (query);
  int rc;

  memset (set, 0, sizeof *set);
  ptl_socket_table_init (&set->table);
  ptl_socket_table_init (&set->elsewhere);
  set->query = *query;
  snprintf (set->query_text, sizeof set->query_text, "%s", query_text ? query_text : "");
  if (n > PTL_REPORT_MAX_PORTS)
    return ptl_error_set (err, PTL_EINVAL,
                          PTL_N_ ("The query covers %zu ports; ask about at most %d at a time, "
                                  "or use 'list --port'."),
                          n, PTL_REPORT_MAX_PORTS);
  set->rules_known = ptl_platform_port_rules (&set->rules, NULL) == 0;
  if ((rc = read_table (query, PTL_NETNS_CURRENT, &set->table, err)) < 0)
    return rc;
  /* What listens inside containers is what people mean by "what is on
   * port 8080?" on a Docker host, though it does not take the port here. */
  if ((rc = read_table (query, PTL_NETNS_OTHERS, &set->elsewhere, err)) < 0)
    return rc;
  return add_reports (set, err);
}

void
ptl_report_clear (PtlReportSet *set)
{
  ptl_socket_table_clear (&set->table);
  ptl_socket_table_clear (&set->elsewhere);
  free (set->reports);
  set->reports = NULL;
  set->n_reports = 0;
}
