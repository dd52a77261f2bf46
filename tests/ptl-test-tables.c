/* ptl-test-tables.c: hand-built tables and report sets (see the header). */
#include "ptl-test-tables.h"

#include <stdlib.h>
#include <string.h>

/* The buffer's text, which must not have failed; the buffer is cleared. */
char *
ptl_test_buf_steal (PtlBuf *buf)
{
  char *s;

  g_assert_false (buf->failed);
  s = g_strdup (ptl_buf_str (buf));
  ptl_buf_clear (buf);
  return s;
}

/* What @writer makes of @t. */
char *
ptl_test_table_output (const PtlSocketTable *t, void (*writer) (const PtlSocketTable *, PtlBuf *))
{
  PtlBuf buf;

  ptl_buf_init (&buf);
  writer (t, &buf);
  return ptl_test_buf_steal (&buf);
}

/* A command line of at least @size bytes, full of quotes, escapes, control
 * characters and invalid UTF-8. */
char *
ptl_test_long_cmdline (size_t size)
{
  GString *s = g_string_new ("sh -c ");

  while (s->len < size)
    g_string_append (s, "x\"y\\z\n\t\x1b[0m\xc3(");
  return g_string_free (s, FALSE);
}

/* Appends a socket of alice's (uid 1000) with no owner and a wildcard remote. */
PtlSocket *
ptl_test_add_socket (PtlSocketTable *t, PtlProto proto, PtlFamily family, const char *local,
                     unsigned port, PtlState state)
{
  PtlSocket s;
  PtlSocket *row;

  memset (&s, 0, sizeof s);
  s.proto = proto;
  s.family = family;
  s.state = state;
  s.local_port = port;
  s.uid = 1000;
  g_strlcpy (s.user, "alice", sizeof s.user);
  g_strlcpy (s.local_address, local, sizeof s.local_address);
  g_strlcpy (s.remote_address, family == PTL_FAMILY_IPV6 ? "::" : "0.0.0.0",
             sizeof s.remote_address);
  row = ptl_socket_table_append (t, &s);
  g_assert_nonnull (row);
  return row;
}

/* Adds a process of alice's as one more owner of socket @row. */
void
ptl_test_own (PtlSocketTable *t, size_t row, long pid, const char *name, const char *path,
              const char *cmdline)
{
  size_t proc = ptl_socket_table_add_process (t, pid, 1, 1000, "alice", name, path, cmdline);
  PtlSocket *s = &t->rows[row];
  size_t procs[8];
  size_t n = s->n_owners;

  g_assert_cmpuint (proc, !=, (size_t) -1);
  g_assert_cmpuint (n, <, G_N_ELEMENTS (procs));
  for (size_t i = 0; i < n; i++)
    procs[i] = t->owner_links[s->owners_first + i];
  procs[n] = proc;
  g_assert_cmpint (ptl_socket_table_set_owners (t, row, procs, n + 1), ==, 0);
}

/* A report set for @query with the knowledge filled in, every port free. */
void
ptl_test_set_init (PtlReportSet *set, const char *query)
{
  size_t n, k = 0;

  memset (set, 0, sizeof *set);
  ptl_socket_table_init (&set->table);
  g_assert_cmpint (ptl_query_parse (query, &set->query, NULL), ==, 0);
  g_strlcpy (set->query_text, query, sizeof set->query_text);
  n = ptl_query_n_ports (&set->query);
  set->reports = calloc (n, sizeof *set->reports);
  g_assert_nonnull (set->reports);
  for (unsigned port = set->query.first; port <= set->query.last && k < n; port++)
    {
      PtlPortReport *r = &set->reports[k++];

      ptl_report_fill_knowledge (r, port, set->query.protos);
      r->bind_tcp = r->bind_udp = PTL_BIND_FREE;
      r->free_tcp = r->free_udp = true;
    }
  set->n_reports = k;
}

/* Linux's defaults: ephemeral 32768-60999, unprivileged from 1024. */
void
ptl_test_set_rules (PtlReportSet *set)
{
  set->rules_known = true;
  set->rules.known = true;
  set->rules.ephemeral_first = 32768;
  set->rules.ephemeral_last = 60999;
  set->rules.unprivileged_known = true;
  set->rules.unprivileged_start = 1024;
  g_strlcpy (set->rules.source, "/proc/sys/net/ipv4", sizeof set->rules.source);
}

/* Recomputes the machine facts once the table and bind results are set. */
void
ptl_test_set_fill_machine (PtlReportSet *set)
{
  for (size_t i = 0; i < set->n_reports; i++)
    ptl_report_fill_machine (&set->reports[i], &set->rules, set->rules_known, &set->table);
}

/* 1644 with a TCP listener owned by an IRC server, a socket on another
 * port (which the report must leave out), UDP free. */
void
ptl_test_set_1644 (PtlReportSet *set)
{
  ptl_test_set_init (set, "1644");
  ptl_test_set_rules (set);
  ptl_test_add_socket (&set->table, PTL_PROTO_TCP, PTL_FAMILY_IPV4, "0.0.0.0", 1644,
                       PTL_STATE_LISTEN);
  ptl_test_own (&set->table, 0, 4321, "ircd", "/usr/sbin/ircd", "/usr/sbin/ircd -foreground");
  ptl_test_add_socket (&set->table, PTL_PROTO_TCP, PTL_FAMILY_IPV4, "0.0.0.0", 80,
                       PTL_STATE_LISTEN);
  set->reports[0].bind_tcp = PTL_BIND_IN_USE;
  set->reports[0].bind_udp = PTL_BIND_FREE;
  ptl_test_set_fill_machine (set);
}
