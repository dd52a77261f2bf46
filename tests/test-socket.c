/* test-socket.c: the socket table model, without any platform calls.
 *
 * Tables are rendered as short strings ("tcp4:80 udp6:53") so that a test
 * states the whole expected table in one line.
 */
#include <glib.h>
#include <string.h>

#include "ptl-socket.h"

static PtlSocket
make_socket (PtlProto proto, PtlFamily family, unsigned port, PtlState state)
{
  PtlSocket s;

  memset (&s, 0, sizeof s);
  s.proto = proto;
  s.family = family;
  s.local_port = port;
  s.state = state;
  s.uid = -1;
  g_strlcpy (s.local_address, family == PTL_FAMILY_IPV6 ? "::" : "0.0.0.0", sizeof s.local_address);
  g_strlcpy (s.remote_address, family == PTL_FAMILY_IPV6 ? "::" : "0.0.0.0",
             sizeof s.remote_address);
  return s;
}

static PtlSocket *
add_socket (PtlSocketTable *t, PtlProto proto, PtlFamily family, unsigned port, PtlState state)
{
  PtlSocket s = make_socket (proto, family, port, state);
  PtlSocket *row = ptl_socket_table_append (t, &s);

  g_assert_nonnull (row);
  return row;
}

static size_t
add_proc (PtlSocketTable *t, long pid, const char *name)
{
  size_t i = ptl_socket_table_add_process (t, pid, 1000 + pid, 1000, "alice", name, "/usr/bin/x",
                                           "x --serve");

  g_assert_cmpuint (i, !=, (size_t) -1);
  return i;
}

/* "tcp4:80" per row; an address is shown when it is not the wildcard. */
static char *
table_string (const PtlSocketTable *t)
{
  GString *s = g_string_new (NULL);

  for (size_t i = 0; i < t->len; i++)
    {
      const PtlSocket *r = &t->rows[i];

      g_string_append_printf (s, "%s%s%c:", i ? " " : "", ptl_proto_name (r->proto),
                              r->family == PTL_FAMILY_IPV6 ? '6' : '4');
      if (strcmp (r->local_address, "0.0.0.0") != 0 && strcmp (r->local_address, "::") != 0)
        g_string_append_printf (s, "%s:", r->local_address);
      g_string_append_printf (s, "%u", r->local_port);
      if (r->remote_port)
        g_string_append_printf (s, ">%s:%u", r->remote_address, r->remote_port);
    }
  return g_string_free (s, FALSE);
}

/* The owners of a row as "pid,pid". */
static char *
owners_string (const PtlSocketTable *t, const PtlSocket *s)
{
  GString *out = g_string_new (NULL);

  for (size_t i = 0; i < s->n_owners; i++)
    g_string_append_printf (out, "%s%ld", i ? "," : "", ptl_socket_owner (t, s, i)->pid);
  return g_string_free (out, FALSE);
}

static void
assert_table (const PtlSocketTable *t, const char *expected)
{
  g_autofree char *got = table_string (t);
  g_assert_cmpstr (got, ==, expected);
}

static void
assert_owners (const PtlSocketTable *t, size_t row, const char *expected)
{
  g_autofree char *got = NULL;

  g_assert_cmpuint (row, <, t->len);
  got = owners_string (t, &t->rows[row]);
  g_assert_cmpstr (got, ==, expected);
}

static void
test_init_empty (void)
{
  PtlSocketTable t;

  memset (&t, 0xAB, sizeof t);
  ptl_socket_table_init (&t);
  g_assert_cmpuint (t.len, ==, 0);
  g_assert_cmpuint (t.n_procs, ==, 0);
  g_assert_cmpuint (t.n_links, ==, 0);
  g_assert_cmpuint (t.n_notes, ==, 0);
  g_assert_null (t.rows);
  g_assert_null (t.procs);
  assert_table (&t, "");
  ptl_socket_table_sort (&t);
  ptl_socket_table_filter_pid (&t, 1);
  g_assert_cmpuint (t.len, ==, 0);
  ptl_socket_table_clear (&t);
}

static void
test_append (void)
{
  PtlSocketTable t;
  PtlSocket s = make_socket (PTL_PROTO_TCP, PTL_FAMILY_IPV4, 1644, PTL_STATE_LISTEN);
  PtlSocket *row;

  ptl_socket_table_init (&t);
  /* Owners come from set_owners only: whatever the caller's copy says is dropped. */
  s.owners_first = 7;
  s.n_owners = 3;
  s.inode = 4242;
  s.uid = 1000;
  g_strlcpy (s.user, "alice", sizeof s.user);
  row = ptl_socket_table_append (&t, &s);
  g_assert_nonnull (row);
  g_assert_true (row == &t.rows[0]);
  g_assert_cmpuint (row->n_owners, ==, 0);
  g_assert_cmpuint (row->owners_first, ==, 0);
  g_assert_cmpuint (row->inode, ==, 4242);
  g_assert_cmpint (row->uid, ==, 1000);
  g_assert_cmpstr (row->user, ==, "alice");
  g_assert_null (ptl_socket_owner (&t, row, 0));

  /* The table keeps a copy. */
  s.local_port = 1;
  g_strlcpy (s.user, "mallory", sizeof s.user);
  g_assert_cmpuint (t.rows[0].local_port, ==, 1644);
  g_assert_cmpstr (t.rows[0].user, ==, "alice");

  add_socket (&t, PTL_PROTO_UDP, PTL_FAMILY_IPV6, 53, PTL_STATE_UNCONN);
  assert_table (&t, "tcp4:1644 udp6:53");
  ptl_socket_table_clear (&t);
}

static void
test_append_many (void)
{
  PtlSocketTable t;

  ptl_socket_table_init (&t);
  for (unsigned i = 0; i < 5000; i++)
    add_socket (&t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, i, PTL_STATE_ESTABLISHED);
  g_assert_cmpuint (t.len, ==, 5000);
  g_assert_cmpuint (t.cap, >=, t.len);
  for (unsigned i = 0; i < 5000; i++)
    g_assert_cmpuint (t.rows[i].local_port, ==, i);
  ptl_socket_table_clear (&t);
}

static void
test_add_process (void)
{
  PtlSocketTable t;
  char name[] = "python3";
  g_autofree char *long_user = g_strnfill (200, 'u');
  size_t a, b, again;
  const PtlProcess *p;

  ptl_socket_table_init (&t);
  a = ptl_socket_table_add_process (&t, 100, 5, 1000, "alice", name, "/usr/bin/python3",
                                    "python3 -m http.server");
  b = ptl_socket_table_add_process (&t, 200, 6, 0, NULL, NULL, NULL, NULL);
  g_assert_cmpuint (a, ==, 0);
  g_assert_cmpuint (b, ==, 1);

  /* Strings are copied, not borrowed. */
  name[0] = 'X';
  p = &t.procs[a];
  g_assert_cmpint (p->pid, ==, 100);
  g_assert_cmpuint (p->start_time, ==, 5);
  g_assert_cmpint (p->uid, ==, 1000);
  g_assert_cmpstr (p->user, ==, "alice");
  g_assert_cmpstr (p->name, ==, "python3");
  g_assert_cmpstr (p->path, ==, "/usr/bin/python3");
  g_assert_cmpstr (p->cmdline, ==, "python3 -m http.server");

  p = &t.procs[b];
  g_assert_cmpstr (p->user, ==, "");
  g_assert_nonnull (p->name);
  g_assert_cmpstr (p->name, ==, "");
  g_assert_cmpstr (p->path, ==, "");
  g_assert_cmpstr (p->cmdline, ==, "");

  /* The same PID again is the same process: the first details stay. */
  again = ptl_socket_table_add_process (&t, 100, 9, 0, "bob", "other", "", "");
  g_assert_cmpuint (again, ==, a);
  g_assert_cmpuint (t.n_procs, ==, 2);
  g_assert_cmpstr (t.procs[a].name, ==, "python3");
  g_assert_cmpstr (t.procs[a].user, ==, "alice");

  /* An over-long user name is cut, never overflows. */
  g_assert_cmpuint (ptl_socket_table_add_process (&t, 300, 0, 1, long_user, "n", "", ""), ==, 2);
  g_assert_cmpuint (strlen (t.procs[2].user), ==, PTL_USER_MAX - 1);
  ptl_socket_table_clear (&t);
}

static void
test_add_process_many (void)
{
  PtlSocketTable t;

  ptl_socket_table_init (&t);
  for (long pid = 1; pid <= 300; pid++)
    g_assert_cmpuint (add_proc (&t, pid, "worker"), ==, (size_t) pid - 1);
  for (long pid = 300; pid >= 1; pid--)
    g_assert_cmpuint (add_proc (&t, pid, "again"), ==, (size_t) pid - 1);
  g_assert_cmpuint (t.n_procs, ==, 300);
  g_assert_cmpstr (t.procs[299].name, ==, "worker");
  ptl_socket_table_clear (&t);
}

static void
test_owners (void)
{
  PtlSocketTable t;
  size_t p100, p200, p300;
  PtlSocket *s;

  ptl_socket_table_init (&t);
  add_socket (&t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, 80, PTL_STATE_LISTEN);
  add_socket (&t, PTL_PROTO_TCP, PTL_FAMILY_IPV6, 80, PTL_STATE_LISTEN);
  s = add_socket (&t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, 443, PTL_STATE_TIME_WAIT);
  s->owner_note = "no owner (TIME_WAIT)";
  p100 = add_proc (&t, 100, "nginx");
  p200 = add_proc (&t, 200, "nginx");
  p300 = add_proc (&t, 300, "nginx");

  /* A forked server: every worker holds the listening socket. */
  {
    const size_t three[] = { p100, p200, p300 }, one[] = { p300 };
    g_assert_cmpint (ptl_socket_table_set_owners (&t, 0, three, 3), ==, 0);
    g_assert_cmpint (ptl_socket_table_set_owners (&t, 1, one, 1), ==, 0);
  }
  assert_owners (&t, 0, "100,200,300");
  assert_owners (&t, 1, "300");
  assert_owners (&t, 2, "");
  g_assert_cmpstr (ptl_socket_owner (&t, &t.rows[0], 1)->name, ==, "nginx");
  g_assert_true (ptl_socket_owner (&t, &t.rows[0], 2) == &t.procs[p300]);
  g_assert_null (ptl_socket_owner (&t, &t.rows[0], 3));
  g_assert_null (ptl_socket_owner (&t, &t.rows[2], 0));
  g_assert_cmpstr (t.rows[2].owner_note, ==, "no owner (TIME_WAIT)");

  /* Replacing owners forgets the old ones, and an owner clears the note. */
  {
    const size_t two[] = { p200, p100 };
    g_assert_cmpint (ptl_socket_table_set_owners (&t, 0, two, 2), ==, 0);
    g_assert_cmpint (ptl_socket_table_set_owners (&t, 2, two, 1), ==, 0);
  }
  assert_owners (&t, 0, "200,100");
  assert_owners (&t, 1, "300");
  assert_owners (&t, 2, "200");
  g_assert_null (t.rows[2].owner_note);

  /* No owners at all. */
  g_assert_cmpint (ptl_socket_table_set_owners (&t, 1, NULL, 0), ==, 0);
  assert_owners (&t, 1, "");
  ptl_socket_table_clear (&t);
}

/* Thousands of sockets owned by one process, as with a busy proxy. */
static void
test_owners_many (void)
{
  PtlSocketTable t;
  size_t proc;

  ptl_socket_table_init (&t);
  proc = add_proc (&t, 4242, "haproxy");
  for (unsigned i = 0; i < 3000; i++)
    {
      add_socket (&t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, 10000 + i, PTL_STATE_ESTABLISHED);
      g_assert_cmpint (ptl_socket_table_set_owners (&t, i, &proc, 1), ==, 0);
    }
  for (unsigned i = 0; i < 3000; i++)
    g_assert_cmpint (ptl_socket_owner (&t, &t.rows[i], 0)->pid, ==, 4242);
  g_assert_cmpuint (t.n_procs, ==, 1);
  ptl_socket_table_clear (&t);
}

static void
test_filter_pid (void)
{
  PtlSocketTable t;
  size_t p1, p2;

  ptl_socket_table_init (&t);
  add_socket (&t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, 1, PTL_STATE_LISTEN);
  add_socket (&t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, 2, PTL_STATE_LISTEN);
  add_socket (&t, PTL_PROTO_UDP, PTL_FAMILY_IPV4, 3, PTL_STATE_UNCONN);
  add_socket (&t, PTL_PROTO_UDP, PTL_FAMILY_IPV6, 4, PTL_STATE_UNCONN);
  p1 = add_proc (&t, 111, "a");
  p2 = add_proc (&t, 222, "b");
  {
    const size_t both[] = { p1, p2 };
    g_assert_cmpint (ptl_socket_table_set_owners (&t, 0, &p1, 1), ==, 0);
    g_assert_cmpint (ptl_socket_table_set_owners (&t, 1, &p2, 1), ==, 0);
    g_assert_cmpint (ptl_socket_table_set_owners (&t, 2, both, 2), ==, 0);
  }
  /* Row 3 has no owner and so belongs to no PID. */
  ptl_socket_table_filter_pid (&t, 222);
  assert_table (&t, "tcp4:2 udp4:3");
  assert_owners (&t, 0, "222");
  assert_owners (&t, 1, "111,222");

  ptl_socket_table_filter_pid (&t, 111);
  assert_table (&t, "udp4:3");
  ptl_socket_table_filter_pid (&t, 999);
  assert_table (&t, "");
  ptl_socket_table_clear (&t);
}

static void
test_sort (void)
{
  PtlSocketTable t;
  PtlSocket *s;
  size_t p;

  ptl_socket_table_init (&t);
  add_socket (&t, PTL_PROTO_UDP, PTL_FAMILY_IPV6, 53, PTL_STATE_UNCONN);
  add_socket (&t, PTL_PROTO_UDP, PTL_FAMILY_IPV4, 5353, PTL_STATE_UNCONN);
  add_socket (&t, PTL_PROTO_UDP, PTL_FAMILY_IPV4, 53, PTL_STATE_UNCONN);
  add_socket (&t, PTL_PROTO_TCP, PTL_FAMILY_IPV6, 22, PTL_STATE_LISTEN);
  s = add_socket (&t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, 22, PTL_STATE_ESTABLISHED);
  g_strlcpy (s->local_address, "192.168.1.5", sizeof s->local_address);
  g_strlcpy (s->remote_address, "192.168.1.9", sizeof s->remote_address);
  s->remote_port = 51000;
  s = add_socket (&t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, 22, PTL_STATE_ESTABLISHED);
  g_strlcpy (s->local_address, "192.168.1.5", sizeof s->local_address);
  g_strlcpy (s->remote_address, "192.168.1.9", sizeof s->remote_address);
  s->remote_port = 50000;
  add_socket (&t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, 22, PTL_STATE_LISTEN);
  add_socket (&t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, 8080, PTL_STATE_LISTEN);
  s = add_socket (&t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, 631, PTL_STATE_LISTEN);
  g_strlcpy (s->local_address, "127.0.0.1", sizeof s->local_address);

  /* Owners travel with their rows. */
  p = add_proc (&t, 631, "cupsd");
  g_assert_cmpint (ptl_socket_table_set_owners (&t, t.len - 1, &p, 1), ==, 0);

  ptl_socket_table_sort (&t);
  assert_table (&t, "tcp4:22 tcp4:192.168.1.5:22>192.168.1.9:50000 "
                    "tcp4:192.168.1.5:22>192.168.1.9:51000 tcp4:127.0.0.1:631 tcp4:8080 "
                    "tcp6:22 udp4:53 udp4:5353 udp6:53");
  assert_owners (&t, 3, "631");
  for (size_t i = 0; i < t.len; i++)
    if (i != 3)
      assert_owners (&t, i, "");

  /* Sorting a sorted table changes nothing. */
  ptl_socket_table_sort (&t);
  assert_table (&t, "tcp4:22 tcp4:192.168.1.5:22>192.168.1.9:50000 "
                    "tcp4:192.168.1.5:22>192.168.1.9:51000 tcp4:127.0.0.1:631 tcp4:8080 "
                    "tcp6:22 udp4:53 udp4:5353 udp6:53");
  ptl_socket_table_clear (&t);
}

/* Rows that differ only in state, then only in inode, still get one order. */
static void
test_sort_ties (void)
{
  PtlSocketTable t;
  PtlSocket *s;

  ptl_socket_table_init (&t);
  s = add_socket (&t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, 80, PTL_STATE_TIME_WAIT);
  s->inode = 0;
  s = add_socket (&t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, 80, PTL_STATE_LISTEN);
  s->inode = 9;
  s = add_socket (&t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, 80, PTL_STATE_LISTEN);
  s->inode = 3;
  ptl_socket_table_sort (&t);
  g_assert_cmpint (t.rows[0].state, ==, PTL_STATE_TIME_WAIT);
  g_assert_cmpint (t.rows[1].state, ==, PTL_STATE_LISTEN);
  g_assert_cmpuint (t.rows[1].inode, ==, 3);
  g_assert_cmpuint (t.rows[2].inode, ==, 9);
  ptl_socket_table_clear (&t);
}

/* The order ptl_socket_table_sort must give, written the plain way. */
static int
reference_cmp (const void *pa, const void *pb)
{
  const PtlSocket *a = pa, *b = pb;
  int c = ptl_socket_cmp_endpoints (a, b);

  if (c != 0)
    return c;
  if (a->state != b->state)
    return a->state < b->state ? -1 : 1;
  return (a->inode > b->inode) - (a->inode < b->inode);
}

static void
fill_random_table (PtlSocketTable *t, guint n, unsigned max_port)
{
  /* Prefixes of one another, text order unlike number order, empty, scoped. */
  static const char *const addrs[]
      = { "127.0.0.1", "127.0.0.10", "127.0.0.9", "0.0.0.0",      "10.0.0.2", "9.0.0.1",
          "",          "::",         "::1",       "fe80::1%eth0", "fe80::1",  "2001:db8::a" };
  static const PtlProto protos[] = { PTL_PROTO_TCP, PTL_PROTO_UDP };

  for (guint i = 0; i < n; i++)
    {
      PtlSocket *s = add_socket (t, protos[g_test_rand_int_range (0, 2)],
                                 g_test_rand_bit () ? PTL_FAMILY_IPV4 : PTL_FAMILY_IPV6,
                                 (unsigned) g_test_rand_int_range (0, 4) * (max_port / 3),
                                 (PtlState) g_test_rand_int_range (0, PTL_N_STATES));
      g_strlcpy (s->local_address, addrs[g_test_rand_int_range (0, G_N_ELEMENTS (addrs))],
                 sizeof s->local_address);
      g_strlcpy (s->remote_address, addrs[g_test_rand_int_range (0, G_N_ELEMENTS (addrs))],
                 sizeof s->remote_address);
      s->remote_port = (unsigned) g_test_rand_int_range (0, 3);
      s->inode = (uint64_t) g_test_rand_int_range (0, 4) << (g_test_rand_bit () ? 40 : 0);
      s->uid = (long) i; /* tells rows apart after sorting */
    }
}

/* Many random tables full of ties: the keyed sort gives the reference order,
 * and so does the plain fallback (a port too wide for the key forces it). */
static void
test_sort_matches_reference (void)
{
  for (guint round = 0; round < 200; round++)
    {
      PtlSocketTable t;
      g_autofree PtlSocket *want = NULL;
      gboolean wide = round % 4 == 3;
      guint n = (guint) g_test_rand_int_range (0, 400);

      ptl_socket_table_init (&t);
      fill_random_table (&t, n, wide ? 70000 : 65535);
      want = g_memdup2 (t.rows, t.len * sizeof *t.rows);
      if (t.len > 1) /* an empty table has no array to pass */
        qsort (want, t.len, sizeof *want, reference_cmp);
      ptl_socket_table_sort (&t);
      for (size_t i = 0; i < t.len; i++)
        if (reference_cmp (&t.rows[i], &want[i]) != 0)
          g_error ("round %u (%u rows%s): row %zu differs from the reference order", round, n,
                   wide ? ", wide ports" : "", i);
      /* Every row is still there once: none lost, none doubled. */
      g_autofree gboolean *seen = g_new0 (gboolean, t.len + 1);
      for (size_t i = 0; i < t.len; i++)
        {
          g_assert_false (seen[t.rows[i].uid]);
          seen[t.rows[i].uid] = TRUE;
        }
      ptl_socket_table_clear (&t);
    }
}

static void
test_notes (void)
{
  PtlSocketTable t;
  g_autofree char *long_note = g_strnfill (1000, 'n');

  ptl_socket_table_init (&t);
  ptl_socket_table_add_note (&t, "Netlink was refused; read /proc/net instead.");
  ptl_socket_table_add_note (&t, "Netlink was refused; read /proc/net instead.");
  g_assert_cmpuint (t.n_notes, ==, 1);
  ptl_socket_table_add_note (&t, "Second.");
  ptl_socket_table_add_note (&t, long_note);
  g_assert_cmpuint (t.n_notes, ==, 3);
  g_assert_cmpstr (t.notes[0], ==, "Netlink was refused; read /proc/net instead.");
  g_assert_cmpstr (t.notes[1], ==, "Second.");
  /* A long note is cut to fit, and stays a terminated string. */
  g_assert_cmpuint (strlen (t.notes[2]), ==, sizeof t.notes[2] - 1);
  g_assert_true (strncmp (t.notes[2], long_note, sizeof t.notes[2] - 1) == 0);

  /* The cap holds: notes past it are dropped, earlier ones stay. */
  for (int i = 4; i <= PTL_TABLE_MAX_NOTES + 2; i++)
    {
      char note[32];
      g_snprintf (note, sizeof note, i == 4 ? "Fourth." : "Note %d.", i);
      ptl_socket_table_add_note (&t, note);
    }
  g_assert_cmpuint (t.n_notes, ==, PTL_TABLE_MAX_NOTES);
  g_assert_cmpstr (t.notes[3], ==, "Fourth.");
  ptl_socket_table_add_note (&t, "Second.");
  g_assert_cmpuint (t.n_notes, ==, PTL_TABLE_MAX_NOTES);
  ptl_socket_table_clear (&t);
  g_assert_cmpuint (t.n_notes, ==, 0);
}

typedef struct
{
  PtlProto proto;
  PtlFamily family;
  unsigned port;
  PtlState state;
} Row;

static const Row filter_rows[] = {
  { PTL_PROTO_TCP, PTL_FAMILY_IPV4, 22, PTL_STATE_LISTEN },
  { PTL_PROTO_TCP, PTL_FAMILY_IPV6, 22, PTL_STATE_ESTABLISHED },
  { PTL_PROTO_TCP, PTL_FAMILY_IPV4, 1644, PTL_STATE_TIME_WAIT },
  { PTL_PROTO_UDP, PTL_FAMILY_IPV4, 53, PTL_STATE_UNCONN },
  { PTL_PROTO_UDP, PTL_FAMILY_IPV6, 1644, PTL_STATE_ESTABLISHED },
  { PTL_PROTO_UDP, PTL_FAMILY_IPV6, 65535, PTL_STATE_UNCONN },
  { PTL_PROTO_TCP, PTL_FAMILY_IPV4, 0, PTL_STATE_CLOSE },
};

/* The rows of filter_rows that pass @f, as "1 3 5" (indices). */
static char *
matches (const PtlSocketFilter *f)
{
  GString *s = g_string_new (NULL);

  for (size_t i = 0; i < G_N_ELEMENTS (filter_rows); i++)
    {
      const Row *r = &filter_rows[i];
      PtlSocket sock = make_socket (r->proto, r->family, r->port, r->state);

      if (ptl_socket_filter_match (f, &sock))
        g_string_append_printf (s, "%s%zu", s->len ? " " : "", i);
    }
  return g_string_free (s, FALSE);
}

static void
assert_matches (const PtlSocketFilter *f, const char *expected)
{
  g_autofree char *got = matches (f);
  g_assert_cmpstr (got, ==, expected);
}

static void
test_filter_match (void)
{
  PtlSocketFilter f;

  memset (&f, 0xFF, sizeof f);
  ptl_socket_filter_init (&f);
  g_assert_cmpuint (f.protos, ==, 0);
  g_assert_cmpuint (f.families, ==, 0);
  g_assert_cmpuint (f.port_first, ==, 0);
  g_assert_cmpuint (f.port_last, ==, 65535);
  g_assert_false (f.listening_only);
  assert_matches (&f, "0 1 2 3 4 5 6");

  f.protos = PTL_PROTO_TCP;
  assert_matches (&f, "0 1 2 6");
  f.protos = PTL_PROTO_UDP;
  assert_matches (&f, "3 4 5");
  f.protos = PTL_PROTO_TCP | PTL_PROTO_UDP;
  assert_matches (&f, "0 1 2 3 4 5 6");

  ptl_socket_filter_init (&f);
  f.families = PTL_FAMILY_IPV6;
  assert_matches (&f, "1 4 5");
  f.families = PTL_FAMILY_IPV4;
  assert_matches (&f, "0 2 3 6");
  f.protos = PTL_PROTO_UDP;
  assert_matches (&f, "3");

  ptl_socket_filter_init (&f);
  f.port_first = f.port_last = 1644;
  assert_matches (&f, "2 4");
  f.port_first = 22;
  f.port_last = 53;
  assert_matches (&f, "0 1 3");
  f.port_first = 65535;
  f.port_last = 65535;
  assert_matches (&f, "5");
  f.port_first = 0;
  f.port_last = 0;
  assert_matches (&f, "6");

  ptl_socket_filter_init (&f);
  f.listening_only = true;
  assert_matches (&f, "0 3 5");
  f.protos = PTL_PROTO_UDP;
  f.families = PTL_FAMILY_IPV6;
  assert_matches (&f, "5");
}

static void
test_state_names (void)
{
  static const char *const names[PTL_N_STATES] = {
    [PTL_STATE_UNKNOWN] = "UNKNOWN",       [PTL_STATE_ESTABLISHED] = "ESTABLISHED",
    [PTL_STATE_SYN_SENT] = "SYN_SENT",     [PTL_STATE_SYN_RECV] = "SYN_RECV",
    [PTL_STATE_FIN_WAIT1] = "FIN_WAIT1",   [PTL_STATE_FIN_WAIT2] = "FIN_WAIT2",
    [PTL_STATE_TIME_WAIT] = "TIME_WAIT",   [PTL_STATE_CLOSE] = "CLOSE",
    [PTL_STATE_CLOSE_WAIT] = "CLOSE_WAIT", [PTL_STATE_LAST_ACK] = "LAST_ACK",
    [PTL_STATE_LISTEN] = "LISTEN",         [PTL_STATE_CLOSING] = "CLOSING",
    [PTL_STATE_UNCONN] = "UNCONN",         [PTL_STATE_DELETE_TCB] = "DELETE_TCB",
  };

  for (int st = 0; st < PTL_N_STATES; st++)
    {
      g_assert_nonnull (names[st]);
      g_assert_cmpstr (ptl_state_name ((PtlState) st), ==, names[st]);
    }
  /* Values from a newer platform fall back instead of reading past the table. */
  g_assert_cmpstr (ptl_state_name (PTL_N_STATES), ==, "UNKNOWN");
  g_assert_cmpstr (ptl_state_name ((PtlState) 1000), ==, "UNKNOWN");
  g_assert_cmpstr (ptl_state_name ((PtlState) -1), ==, "UNKNOWN");
}

static void
test_family_names (void)
{
  g_assert_cmpstr (ptl_family_name (PTL_FAMILY_IPV4), ==, "ipv4");
  g_assert_cmpstr (ptl_family_name (PTL_FAMILY_IPV6), ==, "ipv6");
}

/* Clear frees everything and leaves a table that can be used again; run
 * this binary under valgrind --leak-check=full to see that nothing leaks. */
static void
test_clear (void)
{
  PtlSocketTable t;
  g_autofree char *big = g_strnfill (8192, 'c');

  ptl_socket_table_init (&t);
  for (int round = 0; round < 2; round++)
    {
      for (long pid = 1; pid <= 100; pid++)
        {
          size_t p = ptl_socket_table_add_process (&t, pid, 0, 0, "root", big, big, big);
          add_socket (&t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, (unsigned) pid, PTL_STATE_LISTEN);
          g_assert_cmpint (ptl_socket_table_set_owners (&t, t.len - 1, &p, 1), ==, 0);
          g_assert_cmpint (ptl_socket_table_set_owners (&t, t.len - 1, &p, 1), ==, 0);
        }
      ptl_socket_table_add_note (&t, "A note.");
      ptl_socket_table_clear (&t);
      g_assert_cmpuint (t.len, ==, 0);
      g_assert_cmpuint (t.cap, ==, 0);
      g_assert_cmpuint (t.n_procs, ==, 0);
      g_assert_cmpuint (t.n_links, ==, 0);
      g_assert_cmpuint (t.n_notes, ==, 0);
      g_assert_null (t.rows);
      g_assert_null (t.procs);
      g_assert_null (t.owner_links);
    }
  ptl_socket_table_clear (&t); /* twice is harmless */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/socket/init", test_init_empty);
  g_test_add_func ("/ptl/socket/append", test_append);
  g_test_add_func ("/ptl/socket/append-many", test_append_many);
  g_test_add_func ("/ptl/socket/add-process", test_add_process);
  g_test_add_func ("/ptl/socket/add-process-many", test_add_process_many);
  g_test_add_func ("/ptl/socket/owners", test_owners);
  g_test_add_func ("/ptl/socket/owners-many", test_owners_many);
  g_test_add_func ("/ptl/socket/filter-pid", test_filter_pid);
  g_test_add_func ("/ptl/socket/sort", test_sort);
  g_test_add_func ("/ptl/socket/sort-ties", test_sort_ties);
  g_test_add_func ("/ptl/socket/sort-reference", test_sort_matches_reference);
  g_test_add_func ("/ptl/socket/notes", test_notes);
  g_test_add_func ("/ptl/socket/filter-match", test_filter_match);
  g_test_add_func ("/ptl/socket/state-names", test_state_names);
  g_test_add_func ("/ptl/socket/family-names", test_family_names);
  g_test_add_func ("/ptl/socket/clear", test_clear);

  return g_test_run ();
}
