/* test-watch.c: the watch event stream on hand-built tables (no platform),
 * its writers, and the time format.
 *
 * Tables are written as in ptl-test-spec.h ("80 443:E 8080/7"); the events
 * of an update are recorded as one string: "+80" added, "-80" removed,
 * "~80[state,owners]" changed, "=80" an initial added, "!80" a notified
 * close.
 */
#include <glib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ptl-test-spec.h"
#include "ptl-watch.h"

static void
record (const PtlWatchEvent *ev, void *data)
{
  GString *s = data;

  if (s->len)
    g_string_append_c (s, ' ');
  if (ev->initial)
    g_string_append_printf (s, "=%u", ev->sock->local_port);
  else if (ev->kind == PTL_WATCH_ADDED)
    g_string_append_printf (s, "+%u", ev->sock->local_port);
  else if (ev->kind == PTL_WATCH_REMOVED)
    g_string_append_printf (s, "%c%u", ev->notified ? '!' : '-', ev->sock->local_port);
  else
    g_string_append_printf (s, "~%u[%s%s%s]", ev->sock->local_port,
                            ev->changes & PTL_WATCH_STATE ? "state," : "",
                            ev->changes & PTL_WATCH_OWNERS ? "owners," : "",
                            ev->changes & PTL_WATCH_USER ? "user," : "");
}

/* Feeds @spec to @w and returns the events it made. */
static char *
update (PtlWatch *w, const char *spec)
{
  GString *s = g_string_new (NULL);
  PtlSocketTable t;

  ptl_test_table_from_spec (&t, spec);
  g_assert_cmpint (ptl_watch_update (w, &t, record, s), ==, 0);
  g_assert_cmpuint (t.len, ==, 0); /* taken over */
  ptl_socket_table_clear (&t);
  return g_string_free (s, FALSE);
}

#define CHECK_UPDATE(w, spec, expected)                                                            \
  do                                                                                               \
    {                                                                                              \
      g_autofree char *got_ = update ((w), (spec));                                                \
      g_assert_cmpstr (got_, ==, (expected));                                                      \
    }                                                                                              \
  while (0)

static void
test_stream (void)
{
  PtlWatch w;

  ptl_watch_init (&w);
  CHECK_UPDATE (&w, "", "");
  CHECK_UPDATE (&w, "80/7 443", "+80 +443");
  ptl_watch_clear (&w);

  ptl_watch_init (&w);
  CHECK_UPDATE (&w, "443 80/7", "=80 =443");
  CHECK_UPDATE (&w, "80/7 443", "");
  CHECK_UPDATE (&w, "80/7 443:E 8080", "~443[state,] +8080");
  CHECK_UPDATE (&w, "80/8 8080", "~80[owners,] -443");
  CHECK_UPDATE (&w, "80:T/8 8080/9", "~80[state,] ~8080[owners,]");
  CHECK_UPDATE (&w, "", "-80 -8080");
  ptl_watch_clear (&w);
}

static void
closed_table (PtlSocketTable *c, unsigned port, uint64_t cookie)
{
  PtlSocket s;

  memset (&s, 0, sizeof s);
  s.proto = PTL_PROTO_TCP;
  s.family = PTL_FAMILY_IPV4;
  s.state = PTL_STATE_CLOSE;
  s.local_port = port;
  s.cookie = cookie;
  g_strlcpy (s.local_address, "0.0.0.0", sizeof s.local_address);
  g_strlcpy (s.remote_address, "0.0.0.0", sizeof s.remote_address);
  ptl_socket_table_init (c);
  g_assert_nonnull (ptl_socket_table_append (c, &s));
}

static void
test_closed (void)
{
  GString *s = g_string_new (NULL);
  PtlSocketTable c;
  PtlWatch w;

  ptl_watch_init (&w);
  g_free (update (&w, "22 80/7 443"));
  closed_table (&c, 80, 0);
  g_assert_cmpuint (ptl_watch_closed (&w, &c, record, s), ==, 1);
  g_assert_cmpstr (s->str, ==, "!80");
  ptl_socket_table_clear (&c);
  g_assert_cmpuint (ptl_watch_current (&w)->len, ==, 2);
  /* The next poll does not report it again; a socket never seen is ignored. */
  CHECK_UPDATE (&w, "22 443", "");
  closed_table (&c, 9999, 0);
  g_assert_cmpuint (ptl_watch_closed (&w, &c, record, s), ==, 0);
  ptl_socket_table_clear (&c);
  /* With cookies, only the one named. */
  w.table.rows[0].cookie = 11;
  closed_table (&c, 22, 12);
  g_assert_cmpuint (ptl_watch_closed (&w, &c, record, s), ==, 0);
  c.rows[0].cookie = 11;
  g_assert_cmpuint (ptl_watch_closed (&w, &c, record, s), ==, 1);
  g_assert_cmpstr (s->str, ==, "!80 !22");
  ptl_socket_table_clear (&c);
  g_string_free (s, TRUE);
  ptl_watch_clear (&w);
}

static GHashTable *dead_pids;

static bool
alive (const PtlProcess *p, void *data)
{
  int *calls = data;

  (*calls)++;
  return !g_hash_table_contains (dead_pids, GINT_TO_POINTER ((int) p->pid));
}

/* Carrying owners: the rows of the fresh table that match keep the old
 * owners while their processes live; the rest are left for the search. */
static void
test_carry (void)
{
  PtlSocketTable t;
  PtlWatch w;
  int calls = 0;

  dead_pids = g_hash_table_new (NULL, NULL);
  ptl_watch_init (&w);
  g_free (update (&w, "22/5 80/7 443/7 8080"));
  w.table.rows[3].owner_note = "owner hidden: needs root";
  ptl_test_table_from_spec (&t, "22 80 443 8080 9090");
  g_hash_table_add (dead_pids, GINT_TO_POINTER (5));
  g_assert_cmpint (ptl_watch_carry_owners (&w, &t, alive, &calls), ==, 3);
  g_assert_cmpint (calls, ==, 2);               /* once per process, not per row */
  g_assert_cmpuint (t.rows[0].n_owners, ==, 0); /* 22: its owner died */
  g_assert_cmpint (ptl_socket_owner (&t, &t.rows[1], 0)->pid, ==, 7); /* 80 */
  g_assert_cmpint (ptl_socket_owner (&t, &t.rows[2], 0)->pid, ==, 7); /* 443 */
  g_assert_cmpuint (t.n_procs, ==, 1);
  g_assert_cmpstr (t.rows[3].owner_note, ==, "owner hidden: needs root");
  g_assert_cmpuint (t.rows[4].n_owners, ==, 0); /* 9090 is new */
  g_assert_null (t.rows[4].owner_note);
  ptl_socket_table_clear (&t);
  ptl_watch_clear (&w);
  g_hash_table_destroy (dead_pids);
}

static char *
event_json (PtlWatchKind kind, bool initial, const char *spec_old, const char *spec_new)
{
  PtlSocketTable a, b;
  PtlWatchEvent ev = { .kind = kind, .initial = initial };
  PtlBuf out;
  char *s;

  ptl_test_table_from_spec (&a, spec_old);
  ptl_test_table_from_spec (&b, spec_new);
  ev.table = &b;
  ev.sock = &b.rows[0];
  if (kind == PTL_WATCH_CHANGED)
    ev.old_table = &a, ev.old = &a.rows[0], ev.changes = PTL_WATCH_STATE;
  ptl_buf_init (&out);
  ptl_format_watch_event_json (&ev, INT64_C (1796203428078), &out);
  s = g_strdup (ptl_buf_str (&out));
  ptl_buf_clear (&out);
  ptl_socket_table_clear (&a);
  ptl_socket_table_clear (&b);
  return s;
}

static void
test_json (void)
{
  g_autofree char *added = event_json (PTL_WATCH_ADDED, true, "80", "80/7");
  g_autofree char *changed = event_json (PTL_WATCH_CHANGED, false, "80", "80:E");
  g_autoptr (JsonParser) p = json_parser_new ();
  JsonObject *o;

  g_assert_true (g_str_has_suffix (added, "}\n"));
  g_assert_null (strchr (added, '\n') == added + strlen (added) - 1 ? NULL : "a second line");
  g_assert_true (json_parser_load_from_data (p, added, -1, NULL));
  o = json_node_get_object (json_parser_get_root (p));
  g_assert_cmpstr (json_object_get_string_member (o, "event"), ==, "added");
  g_assert_cmpstr (json_object_get_string_member (o, "time"), ==, "2026-12-02T09:23:48.078Z");
  g_assert_true (json_object_get_boolean_member (o, "initial"));
  o = json_object_get_object_member (o, "socket");
  g_assert_cmpint (json_object_get_int_member (o, "local_port"), ==, 80);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (o, "processes")), ==, 1);

  g_assert_true (json_parser_load_from_data (p, changed, -1, NULL));
  o = json_node_get_object (json_parser_get_root (p));
  g_assert_cmpstr (json_object_get_string_member (o, "event"), ==, "changed");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (o, "changes"), 0),
                   ==, "state");
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (o, "socket"), "state"), ==,
      "ESTABLISHED");
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (o, "before"), "state"), ==,
      "LISTEN");
}

static void
check_time (int64_t ms, int offset, const char *rfc, const char *local)
{
  PtlBuf a, b;

  ptl_buf_init (&a);
  ptl_buf_init (&b);
  ptl_format_time_rfc3339 (ms, offset, &a);
  ptl_format_time_local (ms, offset, &b);
  g_assert_cmpstr (ptl_buf_str (&a), ==, rfc);
  g_assert_cmpstr (ptl_buf_str (&b), ==, local);
  ptl_buf_clear (&a);
  ptl_buf_clear (&b);
}

static void
test_time (void)
{
  check_time (0, 0, "1970-01-01T00:00:00.000Z", "1970-01-01 00:00:00.000");
  check_time (951782400000, 0, "2000-02-29T00:00:00.000Z", "2000-02-29 00:00:00.000");
  check_time (1796203428078, 60, "2026-12-02T10:23:48.078+01:00", "2026-12-02 10:23:48.078");
  check_time (1796203428078, -570, "2026-12-01T23:53:48.078-09:30", "2026-12-01 23:53:48.078");
  check_time (-1, 0, "1969-12-31T23:59:59.999Z", "1969-12-31 23:59:59.999");
  check_time (4102444799999, 0, "2099-12-31T23:59:59.999Z", "2099-12-31 23:59:59.999");
}

static void
test_text (void)
{
  PtlSocketTable a, b;
  PtlWatchEvent ev = { .kind = PTL_WATCH_CHANGED, .changes = PTL_WATCH_STATE | PTL_WATCH_OWNERS };
  PtlBuf out;

  ptl_test_table_from_spec (&a, "80/7");
  ptl_test_table_from_spec (&b, "80:E/8");
  ev.table = &b, ev.sock = &b.rows[0], ev.old_table = &a, ev.old = &a.rows[0];
  ptl_buf_init (&out);
  ptl_format_watch_event_text (&ev, 0, 0, &out);
  g_assert_cmpstr (ptl_buf_str (&out), ==,
                   "1970-01-01 00:00:00.000  changed  tcp4 ESTABLISHED 0.0.0.0:80 0.0.0.0:* "
                   "8/server (alice)  [was LISTEN, 7/server (alice)]\n");
  ptl_buf_clear (&out);
  ptl_socket_table_clear (&a);
  ptl_socket_table_clear (&b);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ptl/watch/stream", test_stream);
  g_test_add_func ("/ptl/watch/closed", test_closed);
  g_test_add_func ("/ptl/watch/carry-owners", test_carry);
  g_test_add_func ("/ptl/watch/json", test_json);
  g_test_add_func ("/ptl/watch/text", test_text);
  g_test_add_func ("/ptl/watch/time", test_time);
  return g_test_run ();
}
