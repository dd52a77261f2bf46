/* test-format-json.c: the JSON writers (ptl_json_string, the socket table,
 * port reports and free-port lists), on tables and report sets built by hand.
 * Nothing here asks the platform anything.
 */
#include <glib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ptl-report.h"
#include "ptl-test-tables.h"

#define U_FFFD "\xef\xbf\xbd"

/* Helpers: strings and JSON documents. */

static char *
json_string_of (const char *s)
{
  PtlBuf buf;

  ptl_buf_init (&buf);
  ptl_json_string (&buf, s);
  return ptl_test_buf_steal (&buf);
}

/* Parses @text, which must be one valid JSON document in valid UTF-8. */
static JsonNode *
parse_json (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (g_utf8_validate (text, -1, NULL));
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (json_parser_get_root (parser));
  return json_node_copy (json_parser_get_root (parser));
}

static JsonNode *
member (JsonObject *o, const char *key)
{
  if (!json_object_has_member (o, key))
    g_test_message ("the object has no member '%s'", key);
  g_assert_true (json_object_has_member (o, key));
  return json_object_get_member (o, key);
}

static const char *
get_str (JsonObject *o, const char *key)
{
  JsonNode *n = member (o, key);

  g_assert_true (JSON_NODE_HOLDS_VALUE (n));
  g_assert_true (json_node_get_value_type (n) == G_TYPE_STRING);
  return json_node_get_string (n);
}

static gint64
get_int (JsonObject *o, const char *key)
{
  JsonNode *n = member (o, key);

  g_assert_true (JSON_NODE_HOLDS_VALUE (n));
  g_assert_true (json_node_get_value_type (n) == G_TYPE_INT64);
  return json_node_get_int (n);
}

static gboolean
get_bool (JsonObject *o, const char *key)
{
  JsonNode *n = member (o, key);

  g_assert_true (JSON_NODE_HOLDS_VALUE (n));
  g_assert_true (json_node_get_value_type (n) == G_TYPE_BOOLEAN);
  return json_node_get_boolean (n);
}

static JsonArray *
get_array (JsonObject *o, const char *key)
{
  JsonNode *n = member (o, key);

  g_assert_true (JSON_NODE_HOLDS_ARRAY (n));
  return json_node_get_array (n);
}

static JsonObject *
get_object (JsonObject *o, const char *key)
{
  JsonNode *n = member (o, key);

  g_assert_true (JSON_NODE_HOLDS_OBJECT (n));
  return json_node_get_object (n);
}

static void
assert_null_member (JsonObject *o, const char *key)
{
  g_assert_true (JSON_NODE_HOLDS_NULL (member (o, key)));
}

static JsonObject *
array_object (JsonArray *a, guint i)
{
  JsonNode *n;

  g_assert_cmpuint (i, <, json_array_get_length (a));
  n = json_array_get_element (a, i);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (n));
  return json_node_get_object (n);
}

static char *
report_json (const PtlReportSet *set)
{
  PtlBuf buf;

  ptl_buf_init (&buf);
  ptl_format_report_json (set, &buf);
  return ptl_test_buf_steal (&buf);
}

/* ptl_json_string */

static const PtlTestStrCase json_cases[] = {
  { "", "\"\"" },
  { "plain", "\"plain\"" },
  { "say \"hi\"", "\"say \\\"hi\\\"\"" },
  { "C:\\dir\\", "\"C:\\\\dir\\\\\"" },
  { "a\nb\rc\td", "\"a\\nb\\rc\\td\"" },
  { "\x01\x1f", "\"\\u0001\\u001f\"" },
  { "\x1b[31mred", "\"\\u001b[31mred\"" },
  { "\x08\x0c", "\"\\u0008\\u000c\"" },
  { "/", "\"/\"" },
  { "\xe2\x80\xa8|\xe2\x80\xa9", "\"\\u2028|\\u2029\"" },
  { "caf\xc3\xa9", "\"caf\xc3\xa9\"" },
  { "\xe6\x97\xa5\xe6\x9c\xac", "\"\xe6\x97\xa5\xe6\x9c\xac\"" },
  { "\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"" },
  { "\xef\xbf\xbd", "\"\xef\xbf\xbd\"" },
  { "a\377b", "\"a\\ufffdb\"" },
  { "\xfe\xff", "\"\\ufffd\\ufffd\"" },
  { "\xc0\xaf", "\"\\ufffd\\ufffd\"" },                       /* overlong '/' */
  { "\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\"" },            /* overlong '/' */
  { "\xc1\xbf", "\"\\ufffd\\ufffd\"" },                       /* overlong DEL */
  { "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"" },            /* surrogate */
  { "\xed\xbf\xbf", "\"\\ufffd\\ufffd\\ufffd\"" },            /* surrogate */
  { "\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" }, /* past U+10FFFF */
  { "\xe6\x97", "\"\\ufffd\\ufffd\"" },                       /* truncated */
  { "\x80x", "\"\\ufffdx\"" },                                /* lone continuation */
  { "\xc3(", "\"\\ufffd(\"" },
};

/* JSON allows either case in the hex digits of a \u escape. */
static void
lower_escapes (char *json)
{
  for (char *p = json; *p; p++)
    {
      if (*p != '\\' || p[1] == '\0')
        continue;
      if (p[1] == 'u')
        for (int k = 2; k < 6 && p[k]; k++)
          p[k] = g_ascii_tolower (p[k]);
      p++;
    }
}

static void
test_json_string_exact (void)
{
  for (size_t i = 0; i < G_N_ELEMENTS (json_cases); i++)
    {
      g_autofree char *got = json_string_of (json_cases[i].in);

      g_test_message ("case %zu", i);
      lower_escapes (got);
      g_assert_cmpstr (got, ==, json_cases[i].out);
    }
}

/* Decoding the output gives back the input, with U+FFFD for each bad byte. */
static void
test_json_string_round_trip (void)
{
  g_autofree char *all_controls = g_malloc (32);

  for (int c = 1; c < 32; c++)
    all_controls[c - 1] = (char) c;
  all_controls[31] = '\0';
  for (size_t i = 0; i <= G_N_ELEMENTS (json_cases); i++)
    {
      const char *in = i < G_N_ELEMENTS (json_cases) ? json_cases[i].in : all_controls;
      g_autofree char *out = json_string_of (in);
      g_autofree char *doc = g_strdup_printf ("[%s]", out);
      g_autofree char *expected = g_utf8_make_valid (in, -1);
      g_autoptr (JsonNode) root = parse_json (doc);
      JsonArray *a = json_node_get_array (root);

      g_test_message ("case %zu", i);
      g_assert_cmpuint (json_array_get_length (a), ==, 1);
      g_assert_cmpstr (json_array_get_string_element (a, 0), ==, expected);
      if (g_utf8_validate (in, -1, NULL))
        g_assert_cmpstr (json_array_get_string_element (a, 0), ==, in);
      for (const char *p = out; *p; p++)
        g_assert_cmpuint ((unsigned char) *p, >=, 0x20);
      g_assert_null (strstr (out, "\xe2\x80\xa8"));
      g_assert_null (strstr (out, "\xe2\x80\xa9"));
    }
}

/* ptl_format_table_json */

static void
hostile_table (PtlSocketTable *t, const char *cmdline)
{
  PtlSocket *s;

  ptl_socket_table_init (t);
  ptl_test_add_socket (t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, "127.0.0.1", 1644, PTL_STATE_LISTEN);
  ptl_test_own (t, 0, 100, PTL_TEST_EVIL_NAME, PTL_TEST_EVIL_PATH, cmdline);
  ptl_test_own (t, 0, 200, "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac", "", "");
  s = ptl_test_add_socket (t, PTL_PROTO_UDP, PTL_FAMILY_IPV6, "::1", 53, PTL_STATE_UNCONN);
  s->uid = -1;
  s->user[0] = '\0';
  s->owner_note = "owner hidden: needs root";
  s = ptl_test_add_socket (t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, "10.0.0.2", 22, PTL_STATE_TIME_WAIT);
  g_strlcpy (s->remote_address, "10.0.0.9", sizeof s->remote_address);
  s->remote_port = 50123;
  s->owner_note = "no owner (TIME_WAIT)";
  ptl_socket_table_add_note (t, "Netlink was refused \"here\"\n; read /proc/net instead.");
}

static void
assert_process (JsonObject *p, long pid, const char *name, const char *path, const char *cmdline)
{
  g_autofree char *name_ok = g_utf8_make_valid (name, -1);
  g_autofree char *path_ok = g_utf8_make_valid (path, -1);
  g_autofree char *cmdline_ok = g_utf8_make_valid (cmdline, -1);

  /* Hand-built processes have no thread, unit, container or relay, and
   * then those members are absent: pid, uid, start_time, name, path,
   * cmdline and user. */
  g_assert_cmpuint (json_object_get_size (p), ==, 7);
  g_assert_cmpint (get_int (p, "pid"), ==, pid);
  /* ptl_test_own's uid and start time: what `kill --pid --start-time` takes. */
  g_assert_cmpint (get_int (p, "uid"), ==, 1000);
  g_assert_cmpint (get_int (p, "start_time"), ==, 1);
  g_assert_cmpstr (get_str (p, "name"), ==, name_ok);
  g_assert_cmpstr (get_str (p, "path"), ==, path_ok);
  g_assert_cmpstr (get_str (p, "cmdline"), ==, cmdline_ok);
  g_assert_cmpstr (get_str (p, "user"), ==, "alice");
}

static void
assert_socket_fields (JsonObject *s, const char *proto, const char *family, const char *local,
                      gint64 port, const char *state)
{
  g_assert_cmpstr (get_str (s, "protocol"), ==, proto);
  g_assert_cmpstr (get_str (s, "family"), ==, family);
  g_assert_cmpstr (get_str (s, "local_address"), ==, local);
  g_assert_cmpint (get_int (s, "local_port"), ==, port);
  (void) get_str (s, "remote_address");
  (void) get_int (s, "remote_port");
  g_assert_cmpstr (get_str (s, "state"), ==, state);
  (void) member (s, "uid");
  (void) get_str (s, "user");
  (void) get_array (s, "processes");
  (void) member (s, "owner_note");
}

static void
test_table_json_hostile (void)
{
  g_autofree char *cmdline = ptl_test_long_cmdline (5 * 1024);
  g_autofree char *out = NULL, *path_ok = g_utf8_make_valid (PTL_TEST_EVIL_PATH, -1);
  g_autoptr (JsonNode) root = NULL;
  PtlSocketTable t;
  JsonObject *top, *s;
  JsonArray *sockets, *procs, *notes;

  hostile_table (&t, cmdline);
  out = ptl_test_table_output (&t, ptl_format_table_json);
  root = parse_json (out);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  top = json_node_get_object (root);
  sockets = get_array (top, "sockets");
  g_assert_cmpuint (json_array_get_length (sockets), ==, 3);

  s = array_object (sockets, 0);
  assert_socket_fields (s, "tcp", "ipv4", "127.0.0.1", 1644, "LISTEN");
  g_assert_cmpint (get_int (s, "uid"), ==, 1000);
  g_assert_cmpstr (get_str (s, "user"), ==, "alice");
  g_assert_cmpstr (get_str (s, "remote_address"), ==, "0.0.0.0");
  g_assert_cmpint (get_int (s, "remote_port"), ==, 0);
  assert_null_member (s, "owner_note");
  procs = get_array (s, "processes");
  g_assert_cmpuint (json_array_get_length (procs), ==, 2);
  assert_process (array_object (procs, 0), 100, PTL_TEST_EVIL_NAME, PTL_TEST_EVIL_PATH, cmdline);
  assert_process (array_object (procs, 1), 200, "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac", "", "");
  g_assert_nonnull (strstr (path_ok, "/tmp/" U_FFFD U_FFFD "/bin"));

  s = array_object (sockets, 1);
  assert_socket_fields (s, "udp", "ipv6", "::1", 53, "UNCONN");
  g_assert_cmpuint (json_array_get_length (get_array (s, "processes")), ==, 0);
  g_assert_cmpstr (get_str (s, "owner_note"), ==, "owner hidden: needs root");

  s = array_object (sockets, 2);
  assert_socket_fields (s, "tcp", "ipv4", "10.0.0.2", 22, "TIME_WAIT");
  g_assert_cmpstr (get_str (s, "remote_address"), ==, "10.0.0.9");
  g_assert_cmpint (get_int (s, "remote_port"), ==, 50123);
  g_assert_cmpstr (get_str (s, "owner_note"), ==, "no owner (TIME_WAIT)");

  notes = get_array (top, "notes");
  g_assert_cmpuint (json_array_get_length (notes), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (notes, 0), ==,
                   "Netlink was refused \"here\"\n; read /proc/net instead.");
  ptl_socket_table_clear (&t);
}

static void
test_table_json_empty (void)
{
  g_autofree char *out = NULL;
  g_autoptr (JsonNode) root = NULL;
  PtlSocketTable t;

  ptl_socket_table_init (&t);
  out = ptl_test_table_output (&t, ptl_format_table_json);
  root = parse_json (out);
  g_assert_cmpuint (json_array_get_length (get_array (json_node_get_object (root), "sockets")), ==,
                    0);
  g_assert_cmpuint (json_array_get_length (get_array (json_node_get_object (root), "notes")), ==,
                    0);
  ptl_socket_table_clear (&t);
}

/* ptl_format_report_json */

static gboolean
int_array_has (JsonArray *a, gint64 v)
{
  for (guint i = 0; i < json_array_get_length (a); i++)
    if (json_array_get_int_element (a, i) == v)
      return TRUE;
  return FALSE;
}

static void
assert_int_array (JsonArray *a)
{
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *n = json_array_get_element (a, i);
      g_assert_true (JSON_NODE_HOLDS_VALUE (n));
      g_assert_true (json_node_get_value_type (n) == G_TYPE_INT64);
    }
}

static void
assert_iana_1644 (JsonObject *report)
{
  JsonArray *iana = get_array (report, "iana");
  unsigned seen = 0;

  for (guint i = 0; i < json_array_get_length (iana); i++)
    {
      JsonObject *e = array_object (iana, i);
      const char *proto = get_str (e, "protocol");

      if (strcmp (get_str (e, "service"), "saiseh") != 0)
        continue;
      g_assert_cmpstr (get_str (e, "description"), ==, "Satellite-data Acquisition System 4");
      g_assert_cmpint (get_int (e, "first"), ==, 1644);
      g_assert_cmpint (get_int (e, "last"), ==, 1644);
      seen |= strcmp (proto, "tcp") == 0 ? 1 : strcmp (proto, "udp") == 0 ? 2 : 4;
    }
  g_assert_cmpuint (seen, ==, 3);
}

static void
assert_unofficial_irc (JsonObject *report)
{
  JsonArray *unofficial = get_array (report, "unofficial");
  gboolean irc = FALSE;

  for (guint i = 0; i < json_array_get_length (unofficial); i++)
    {
      JsonObject *u = array_object (unofficial, i);
      JsonArray *protos = get_array (u, "protocols");

      g_assert_cmpuint (json_array_get_length (protos), >=, 1);
      g_assert_cmpuint (strlen (get_str (u, "note")), >, 0);
      if (strcmp (get_str (u, "use"), "IRC") != 0)
        continue;
      irc = TRUE;
      g_assert_cmpuint (json_array_get_length (protos), ==, 1);
      g_assert_cmpstr (json_array_get_string_element (protos, 0), ==, "tcp");
    }
  g_assert_true (irc);
}

static void
assert_related_irc (JsonObject *report)
{
  JsonArray *related = get_array (report, "related");

  assert_int_array (related);
  g_assert_true (int_array_has (related, 194));
  for (gint64 p = 6665; p <= 6669; p++)
    g_assert_true (int_array_has (related, p));
  g_assert_true (int_array_has (related, 6697));
  g_assert_false (int_array_has (related, 1644));
}

static void
test_report_json_port (void)
{
  g_autofree char *out = NULL;
  g_autoptr (JsonNode) root = NULL;
  PtlReportSet set;
  JsonObject *r, *eph, *free_;
  JsonArray *sockets;

  ptl_test_set_1644 (&set);
  g_assert_false (set.reports[0].free_tcp);
  g_assert_true (set.reports[0].free_udp);
  out = report_json (&set);
  root = parse_json (out);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  r = json_node_get_object (root);
  g_assert_cmpint (get_int (r, "port"), ==, 1644);
  g_assert_cmpstr (get_str (r, "range"), ==, "registered");
  assert_iana_1644 (r);
  assert_unofficial_irc (r);
  assert_related_irc (r);

  sockets = get_array (r, "sockets");
  g_assert_cmpuint (json_array_get_length (sockets), ==, 1);
  assert_socket_fields (array_object (sockets, 0), "tcp", "ipv4", "0.0.0.0", 1644, "LISTEN");
  g_assert_cmpint (
      get_int (array_object (get_array (array_object (sockets, 0), "processes"), 0), "pid"), ==,
      4321);

  free_ = get_object (r, "free");
  g_assert_false (get_bool (free_, "tcp"));
  g_assert_true (get_bool (free_, "udp"));
  eph = get_object (r, "ephemeral");
  g_assert_cmpint (get_int (eph, "first"), ==, 32768);
  g_assert_cmpint (get_int (eph, "last"), ==, 60999);
  g_assert_false (get_bool (eph, "contains"));
  ptl_report_clear (&set);
}

static void
test_report_json_ephemeral (void)
{
  PtlReportSet set;

  ptl_test_set_init (&set, "40000");
  ptl_test_set_rules (&set);
  ptl_test_set_fill_machine (&set);
  {
    g_autofree char *out = report_json (&set);
    g_autoptr (JsonNode) root = parse_json (out);
    JsonObject *r = json_node_get_object (root);
    JsonObject *free_ = get_object (r, "free");

    g_assert_cmpstr (get_str (r, "range"), ==, "registered");
    g_assert_true (get_bool (get_object (r, "ephemeral"), "contains"));
    g_assert_true (get_bool (free_, "tcp"));
    g_assert_true (get_bool (free_, "udp"));
    g_assert_cmpuint (json_array_get_length (get_array (r, "sockets")), ==, 0);
  }

  /* When the system would not tell, "ephemeral" is null, not made up. */
  set.rules_known = false;
  memset (&set.rules, 0, sizeof set.rules);
  {
    g_autofree char *out = report_json (&set);
    g_autoptr (JsonNode) root = parse_json (out);

    assert_null_member (json_node_get_object (root), "ephemeral");
  }
  ptl_report_clear (&set);
}

static void
test_report_json_range (void)
{
  g_autofree char *out = NULL;
  g_autoptr (JsonNode) root = NULL;
  PtlReportSet set;
  JsonObject *top;
  JsonArray *reports;

  ptl_test_set_init (&set, "6665-6667");
  ptl_test_set_rules (&set);
  g_assert_cmpint (set.query.kind, ==, PTL_QUERY_RANGE);
  ptl_test_add_socket (&set.table, PTL_PROTO_TCP, PTL_FAMILY_IPV6, "::", 6667, PTL_STATE_LISTEN);
  ptl_test_own (&set.table, 0, 77, "ngircd", "/usr/sbin/ngircd", "ngircd");
  set.reports[2].bind_tcp = PTL_BIND_IN_USE;
  ptl_test_set_fill_machine (&set);

  out = report_json (&set);
  root = parse_json (out);
  top = json_node_get_object (root);
  g_assert_cmpstr (get_str (top, "query"), ==, "6665-6667");
  reports = get_array (top, "reports");
  g_assert_cmpuint (json_array_get_length (reports), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *r = array_object (reports, i);
      gboolean busy = i == 2;

      g_assert_cmpint (get_int (r, "port"), ==, 6665 + i);
      g_assert_cmpstr (get_str (r, "range"), ==, "registered");
      g_assert_cmpuint (json_array_get_length (get_array (r, "sockets")), ==, busy ? 1 : 0);
      g_assert_true (get_bool (get_object (r, "free"), "tcp") == !busy);
      (void) get_array (r, "iana");
    }
  ptl_report_clear (&set);
}

/* The query text is the user's: it is escaped like any other string. */
static void
test_report_json_query_text (void)
{
  g_autofree char *out = NULL;
  g_autoptr (JsonNode) root = NULL;
  PtlReportSet set;

  ptl_test_set_init (&set, "6665-6666");
  g_strlcpy (set.query_text, "66\"65\\-\n66\xff", sizeof set.query_text);
  out = report_json (&set);
  root = parse_json (out);
  g_assert_cmpstr (get_str (json_node_get_object (root), "query"), ==, "66\"65\\-\n66" U_FFFD);
  ptl_report_clear (&set);
}

static void
test_ports_json (void)
{
  static const unsigned ports[] = { 1024, 5000, 65535 };
  PtlBuf buf;

  for (size_t n = 0; n <= G_N_ELEMENTS (ports); n++)
    {
      g_autofree char *out = NULL;
      g_autoptr (JsonNode) root = NULL;
      JsonArray *a;

      ptl_buf_init (&buf);
      ptl_format_ports_json (ports, n, &buf);
      out = ptl_test_buf_steal (&buf);
      root = parse_json (out);
      g_assert_cmpuint (json_object_get_size (json_node_get_object (root)), ==, 1);
      a = get_array (json_node_get_object (root), "ports");
      assert_int_array (a);
      g_assert_cmpuint (json_array_get_length (a), ==, n);
      for (guint i = 0; i < n; i++)
        g_assert_cmpint (json_array_get_int_element (a, i), ==, ports[i]);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/format/json-string", test_json_string_exact);
  g_test_add_func ("/ptl/format/json-string-round-trip", test_json_string_round_trip);
  g_test_add_func ("/ptl/format/table-json-hostile", test_table_json_hostile);
  g_test_add_func ("/ptl/format/table-json-empty", test_table_json_empty);
  g_test_add_func ("/ptl/format/report-json-port", test_report_json_port);
  g_test_add_func ("/ptl/format/report-json-ephemeral", test_report_json_ephemeral);
  g_test_add_func ("/ptl/format/report-json-range", test_report_json_range);
  g_test_add_func ("/ptl/format/report-json-query-text", test_report_json_query_text);
  g_test_add_func ("/ptl/format/ports-json", test_ports_json);

  return g_test_run ();
}
