/* test-format.c: the JSON, CSV and text writers, on tables and report sets
 * built by hand. Nothing here asks the platform anything.
 */
#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "ptl-report.h"

#define U_FFFD "\xef\xbf\xbd"

/* Helpers: buffers, JSON documents and lines of text. */

static char *
buf_steal (PtlBuf *buf)
{
  char *s;

  g_assert_false (buf->failed);
  s = g_strdup (ptl_buf_str (buf));
  ptl_buf_clear (buf);
  return s;
}

static char *
json_string_of (const char *s)
{
  PtlBuf buf;

  ptl_buf_init (&buf);
  ptl_json_string (&buf, s);
  return buf_steal (&buf);
}

static char *
text_safe_of (const char *s)
{
  PtlBuf buf;

  ptl_buf_init (&buf);
  ptl_text_safe (&buf, s);
  return buf_steal (&buf);
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

/* Every line fits @width columns (code points), and the text is valid
 * UTF-8 with no control byte but the newline: nothing can drive the terminal.
 * A line too wide fails the test without aborting the run, so that one
 * layout bug does not hide the results of the tests after it. */
static void
assert_terminal_safe (const char *text, size_t width)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p; p++)
    g_assert_true ((unsigned char)*p >= 0x20 || *p == '\n');
  for (size_t i = 0; lines[i]; i++)
    {
      glong cols = g_utf8_strlen (lines[i], -1);

      if ((size_t)cols <= width)
        continue;
      g_test_message ("line %zu is %ld columns: '%s'", i + 1, cols, lines[i]);
      g_test_fail_printf ("a line is %ld columns, more than %zu: '%s'", cols, width, lines[i]);
    }
}

/* Helpers: tables and report sets. */

static PtlSocket *
add_socket (PtlSocketTable *t, PtlProto proto, PtlFamily family, const char *local, unsigned port,
            PtlState state)
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

static void
own (PtlSocketTable *t, size_t row, long pid, const char *name, const char *path,
     const char *cmdline)
{
  size_t proc = ptl_socket_table_add_process (t, pid, 1, 1000, "alice", name, path, cmdline);
  PtlSocket *s = &t->rows[row];
  size_t procs[8];
  size_t n = s->n_owners;

  g_assert_cmpuint (proc, !=, (size_t)-1);
  g_assert_cmpuint (n, <, G_N_ELEMENTS (procs));
  for (size_t i = 0; i < n; i++)
    procs[i] = t->owner_links[s->owners_first + i];
  procs[n] = proc;
  g_assert_cmpint (ptl_socket_table_set_owners (t, row, procs, n + 1), ==, 0);
}

static void
set_rules (PtlReportSet *set)
{
  set->rules_known = true;
  set->rules.known = true;
  set->rules.ephemeral_first = 32768;
  set->rules.ephemeral_last = 60999;
  set->rules.unprivileged_known = true;
  set->rules.unprivileged_start = 1024;
  g_strlcpy (set->rules.source, "/proc/sys/net/ipv4", sizeof set->rules.source);
}

/* A report set for @query with the knowledge filled in, every port free. */
static void
set_init (PtlReportSet *set, const char *query)
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

/* Recomputes the machine facts once the table and bind results are set. */
static void
set_fill_machine (PtlReportSet *set)
{
  for (size_t i = 0; i < set->n_reports; i++)
    ptl_report_fill_machine (&set->reports[i], &set->rules, set->rules_known, &set->table);
}

static char *
report_json (const PtlReportSet *set)
{
  PtlBuf buf;

  ptl_buf_init (&buf);
  ptl_format_report_json (set, &buf);
  return buf_steal (&buf);
}

static char *
report_text (const PtlReportSet *set)
{
  PtlBuf buf;

  ptl_buf_init (&buf);
  ptl_format_report_text (set, &buf);
  return buf_steal (&buf);
}

static char *
table_output (const PtlSocketTable *t, void (*writer) (const PtlSocketTable *, PtlBuf *))
{
  PtlBuf buf;

  ptl_buf_init (&buf);
  writer (t, &buf);
  return buf_steal (&buf);
}

/* ptl_json_string */

typedef struct
{
  const char *in;
  const char *out;
} StrCase;

static const StrCase json_cases[] = {
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
    all_controls[c - 1] = (char)c;
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
        g_assert_cmpuint ((unsigned char)*p, >=, 0x20);
      g_assert_null (strstr (out, "\xe2\x80\xa8"));
      g_assert_null (strstr (out, "\xe2\x80\xa9"));
    }
}

/* ptl_format_table_json */

#define EVIL_NAME "evil\"name\\\n\x1b[31m"
#define EVIL_PATH "/tmp/\xff\xfe/bin\x1b]0;title\x07"

static char *
long_cmdline (size_t size)
{
  GString *s = g_string_new ("sh -c ");

  while (s->len < size)
    g_string_append (s, "x\"y\\z\n\t\x1b[0m\xc3(");
  return g_string_free (s, FALSE);
}

static void
hostile_table (PtlSocketTable *t, const char *cmdline)
{
  PtlSocket *s;

  ptl_socket_table_init (t);
  add_socket (t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, "127.0.0.1", 1644, PTL_STATE_LISTEN);
  own (t, 0, 100, EVIL_NAME, EVIL_PATH, cmdline);
  own (t, 0, 200, "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac", "", "");
  s = add_socket (t, PTL_PROTO_UDP, PTL_FAMILY_IPV6, "::1", 53, PTL_STATE_UNCONN);
  s->uid = -1;
  s->user[0] = '\0';
  s->owner_note = "owner hidden: needs root";
  s = add_socket (t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, "10.0.0.2", 22, PTL_STATE_TIME_WAIT);
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

  g_assert_cmpuint (json_object_get_size (p), ==, 5);
  g_assert_cmpint (get_int (p, "pid"), ==, pid);
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
  (void)get_str (s, "remote_address");
  (void)get_int (s, "remote_port");
  g_assert_cmpstr (get_str (s, "state"), ==, state);
  (void)member (s, "uid");
  (void)get_str (s, "user");
  (void)get_array (s, "processes");
  (void)member (s, "owner_note");
}

static void
test_table_json_hostile (void)
{
  g_autofree char *cmdline = long_cmdline (5 * 1024);
  g_autofree char *out = NULL, *path_ok = g_utf8_make_valid (EVIL_PATH, -1);
  g_autoptr (JsonNode) root = NULL;
  PtlSocketTable t;
  JsonObject *top, *s;
  JsonArray *sockets, *procs, *notes;

  hostile_table (&t, cmdline);
  out = table_output (&t, ptl_format_table_json);
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
  assert_process (array_object (procs, 0), 100, EVIL_NAME, EVIL_PATH, cmdline);
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
  out = table_output (&t, ptl_format_table_json);
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

/* 1644 with a TCP listener owned by an IRC server, a socket on another
 * port (which the report must leave out), UDP free. */
static void
set_1644 (PtlReportSet *set)
{
  set_init (set, "1644");
  set_rules (set);
  add_socket (&set->table, PTL_PROTO_TCP, PTL_FAMILY_IPV4, "0.0.0.0", 1644, PTL_STATE_LISTEN);
  own (&set->table, 0, 4321, "ircd", "/usr/sbin/ircd", "/usr/sbin/ircd -foreground");
  add_socket (&set->table, PTL_PROTO_TCP, PTL_FAMILY_IPV4, "0.0.0.0", 80, PTL_STATE_LISTEN);
  set->reports[0].bind_tcp = PTL_BIND_IN_USE;
  set->reports[0].bind_udp = PTL_BIND_FREE;
  set_fill_machine (set);
}

static void
test_report_json_port (void)
{
  g_autofree char *out = NULL;
  g_autoptr (JsonNode) root = NULL;
  PtlReportSet set;
  JsonObject *r, *eph, *free_;
  JsonArray *sockets;

  set_1644 (&set);
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

  set_init (&set, "40000");
  set_rules (&set);
  set_fill_machine (&set);
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

  set_init (&set, "6665-6667");
  set_rules (&set);
  g_assert_cmpint (set.query.kind, ==, PTL_QUERY_RANGE);
  add_socket (&set.table, PTL_PROTO_TCP, PTL_FAMILY_IPV6, "::", 6667, PTL_STATE_LISTEN);
  own (&set.table, 0, 77, "ngircd", "/usr/sbin/ngircd", "ngircd");
  set.reports[2].bind_tcp = PTL_BIND_IN_USE;
  set_fill_machine (&set);

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
      (void)get_array (r, "iana");
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

  set_init (&set, "6665-6666");
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
      out = buf_steal (&buf);
      root = parse_json (out);
      g_assert_cmpuint (json_object_get_size (json_node_get_object (root)), ==, 1);
      a = get_array (json_node_get_object (root), "ports");
      assert_int_array (a);
      g_assert_cmpuint (json_array_get_length (a), ==, n);
      for (guint i = 0; i < n; i++)
        g_assert_cmpint (json_array_get_int_element (a, i), ==, ports[i]);
    }
}

/* ptl_format_table_csv */

#define CSV_HEADER                                                                                 \
  "protocol,family,local_address,local_port,remote_address,remote_port,state,uid,user,pid,"        \
  "process,path,cmdline,owner_note"

/* A small RFC 4180 reader: records of fields. */
static GPtrArray *
csv_parse (const char *text)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  GPtrArray *fields = g_ptr_array_new ();
  GString *field = g_string_new (NULL);
  gboolean quoted = FALSE;

  for (const char *p = text; *p; p++)
    {
      if (quoted && *p == '"' && p[1] == '"')
        g_string_append_c (field, *p++);
      else if (*p == '"')
        quoted = !quoted;
      else if (!quoted && (*p == ',' || *p == '\n'))
        {
          g_ptr_array_add (fields, g_string_free (g_steal_pointer (&field), FALSE));
          field = g_string_new (NULL);
          if (*p == '\n')
            {
              g_ptr_array_add (fields, NULL);
              g_ptr_array_add (records, g_ptr_array_free (fields, FALSE));
              fields = g_ptr_array_new ();
            }
        }
      else
        g_string_append_c (field, *p);
    }
  g_assert_false (quoted);
  g_assert_cmpuint (field->len, ==, 0); /* the last record ends with a newline */
  g_string_free (field, TRUE);
  g_assert_cmpuint (fields->len, ==, 0);
  g_ptr_array_free (fields, TRUE);
  return records;
}

static void
assert_csv_record (GPtrArray *records, guint i, const char *const *expected)
{
  char **got;

  g_assert_cmpuint (i, <, records->len);
  got = g_ptr_array_index (records, i);
  g_assert_cmpuint (g_strv_length (got), ==, 14);
  for (guint k = 0; k < 14; k++)
    g_assert_cmpstr (got[k], ==, expected[k]);
}

static void
test_table_csv (void)
{
  static const char cmd[] = "say \"hi\", then\nbye";
  g_autofree char *out = NULL;
  g_autoptr (GPtrArray) records = NULL;
  PtlSocketTable t;
  PtlSocket *s;

  ptl_socket_table_init (&t);
  add_socket (&t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, "127.0.0.1", 1644, PTL_STATE_LISTEN);
  own (&t, 0, 100, "ircd", "/usr/sbin/ircd", cmd);
  own (&t, 0, 200, "ircd,child", "/usr/sbin/ircd", "ircd");
  s = add_socket (&t, PTL_PROTO_UDP, PTL_FAMILY_IPV6, "::1", 53, PTL_STATE_UNCONN);
  s->uid = -1;
  s->user[0] = '\0';
  s->owner_note = "owner hidden: needs root";
  out = table_output (&t, ptl_format_table_csv);

  g_assert_true (g_str_has_prefix (out, CSV_HEADER "\n"));
  /* The quote-bearing cell, exactly: quoted, quotes doubled, newline kept. */
  g_assert_nonnull (strstr (out, ",\"say \"\"hi\"\", then\nbye; ircd\","));
  g_assert_nonnull (strstr (out, ",\"ircd; ircd,child\","));

  records = csv_parse (out);
  g_assert_cmpuint (records->len, ==, 3);
  {
    const char *const header[]
        = { "protocol",    "family", "local_address", "local_port", "remote_address",
            "remote_port", "state",  "uid",           "user",       "pid",
            "process",     "path",   "cmdline",       "owner_note" };
    const char *const row1[] = { "tcp",
                                 "ipv4",
                                 "127.0.0.1",
                                 "1644",
                                 "0.0.0.0",
                                 "0",
                                 "LISTEN",
                                 "1000",
                                 "alice",
                                 "100; 200",
                                 "ircd; ircd,child",
                                 "/usr/sbin/ircd; /usr/sbin/ircd",
                                 "say \"hi\", then\nbye; ircd",
                                 "" };
    const char *const row2[]
        = { "udp", "ipv6", "::1", "53", "::", "0", "UNCONN",
            "",    "",     "",    "",   "",   "",  "owner hidden: needs root" };
    assert_csv_record (records, 0, header);
    assert_csv_record (records, 1, row1);
    assert_csv_record (records, 2, row2);
  }
  ptl_socket_table_clear (&t);
}

static void
test_csv_field (void)
{
  static const StrCase cases[] = {
    { "", "" },
    { "plain", "plain" },
    { "a,b", "\"a,b\"" },
    { "a\"b", "\"a\"\"b\"" },
    { "a\nb", "\"a\nb\"" },
    { "a\rb", "\"a\rb\"" },
    { "\"", "\"\"\"\"" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PtlBuf buf;
      g_autofree char *got = NULL;

      ptl_buf_init (&buf);
      ptl_csv_field (&buf, cases[i].in);
      got = buf_steal (&buf);
      g_assert_cmpstr (got, ==, cases[i].out);
    }
}

/* ptl_text_safe */

static void
test_text_safe (void)
{
  static const StrCase cases[] = {
    { "", "" },
    { "python3 -m http.server", "python3 -m http.server" },
    { "a\x1b[31mb", "a?[31mb" },
    { "\x1b]0;title\x07", "?]0;title?" },
    { "tab\there\nnl\rcr", "tab?here?nl?cr" },
    { "\x01\x1f\x7f", "???" },
    { "\xc2\x9bH", "?H" }, /* C1 CSI */
    { "\xff\xfe", "??" },
    { "a\xc3(b", "a?(b" },
    { "\xed\xa0\x80", "???" },
    { "\xc0\xaf", "??" },
    { "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80",
      "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = text_safe_of (cases[i].in);

      g_test_message ("case %zu", i);
      g_assert_cmpstr (got, ==, cases[i].out);
    }
}

/* ptl_format_report_text */

static void
test_report_text_1644 (void)
{
  g_autofree char *out = NULL;
  PtlReportSet set;

  set_1644 (&set);
  out = report_text (&set);
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "saiseh"));
  g_assert_nonnull (strstr (out, "registered"));
  g_assert_nonnull (strstr (out, "IRC"));
  g_assert_nonnull (strstr (out, "Check it yourself"));
  g_assert_nonnull (strstr (out, "ircd"));
  g_assert_nonnull (strstr (out, "4321"));
  g_assert_nonnull (strstr (out, "6665-6669"));
  assert_terminal_safe (out, 100);
  ptl_report_clear (&set);
}

static void
test_report_text_long_cmdline (void)
{
  g_autofree char *cmdline = g_strnfill (2048, 'k');
  g_autofree char *evil = long_cmdline (2048);
  g_autofree char *path = g_strnfill (300, 'p');
  g_autofree char *wide = NULL;
  g_autofree char *out = NULL;
  PtlReportSet set;
  GString *w = g_string_new (NULL);

  /* 700 two-byte characters: a cut must land between characters. */
  for (int i = 0; i < 700; i++)
    g_string_append (w, "\xc3\xa9");
  wide = g_string_free (w, FALSE);
  set_1644 (&set);
  own (&set.table, 0, 4322, "ircd", path, cmdline);
  own (&set.table, 0, 4323, EVIL_NAME, EVIL_PATH, evil);
  own (&set.table, 0, 4324, wide, wide, wide);
  out = report_text (&set);
  g_assert_nonnull (strstr (out, "kkkkkkkkkkkkkkkkkkkk"));
  g_assert_nonnull (strstr (out, "4324"));
  g_assert_null (strchr (out, '\x1b'));
  assert_terminal_safe (out, 100);
  ptl_report_clear (&set);
}

/* Notes on a socket with no owner, and on the table, wrap as well. */
static void
test_report_text_owner_note (void)
{
  g_autofree char *out = NULL;
  PtlReportSet set;
  PtlSocket *s;

  set_init (&set, "40000");
  set_rules (&set);
  s = add_socket (&set.table, PTL_PROTO_UDP, PTL_FAMILY_IPV4, "0.0.0.0", 40000, PTL_STATE_UNCONN);
  s->owner_note = "owner hidden: needs root";
  g_strlcpy (s->user, "postgres", sizeof s->user);
  ptl_socket_table_add_note (&set.table, "Netlink sock_diag was refused, so the table comes "
                                         "from /proc/net instead, which is slower and knows "
                                         "less about each socket than the kernel could say.");
  set.reports[0].bind_udp = PTL_BIND_IN_USE;
  set_fill_machine (&set);
  out = report_text (&set);
  g_assert_nonnull (strstr (out, "owner hidden: needs root"));
  g_assert_nonnull (strstr (out, "postgres"));
  g_assert_nonnull (strstr (out, "ephemeral"));
  assert_terminal_safe (out, 100);
  ptl_report_clear (&set);
}

static void
test_report_text_range (void)
{
  g_autofree char *out = NULL;
  PtlReportSet set;

  set_init (&set, "6665-6669");
  set_rules (&set);
  add_socket (&set.table, PTL_PROTO_TCP, PTL_FAMILY_IPV4, "0.0.0.0", 6667, PTL_STATE_LISTEN);
  own (&set.table, 0, 77, "ngircd", "/usr/sbin/ngircd", "ngircd");
  set.reports[2].bind_tcp = PTL_BIND_IN_USE;
  set_fill_machine (&set);
  out = report_text (&set);
  g_assert_nonnull (strstr (out, "6665"));
  g_assert_nonnull (strstr (out, "6669"));
  g_assert_nonnull (strstr (out, "ircu"));
  g_assert_nonnull (strstr (out, "77/ngircd"));
  assert_terminal_safe (out, 100);
  ptl_report_clear (&set);
}

/* Port 80 as an ordinary user: the bind test says "needs privilege" and
 * the sentence that reports it must still fit, whatever the results. */
static void
test_report_text_bind_results (void)
{
  for (int tcp = PTL_BIND_FREE; tcp <= PTL_BIND_ERROR; tcp++)
    for (int udp = PTL_BIND_FREE; udp <= PTL_BIND_ERROR; udp++)
      {
        g_autofree char *out = NULL;
        PtlReportSet set;

        set_init (&set, "80");
        set_rules (&set);
        set.reports[0].bind_tcp = (PtlBindResult)tcp;
        set.reports[0].bind_udp = (PtlBindResult)udp;
        set_fill_machine (&set);
        out = report_text (&set);
        g_test_message ("bind tcp %s, udp %s", ptl_bind_result_name (set.reports[0].bind_tcp),
                        ptl_bind_result_name (set.reports[0].bind_udp));
        g_assert_nonnull (strstr (out, "http"));
        g_assert_nonnull (strstr (out, "well-known"));
        assert_terminal_safe (out, 100);
        ptl_report_clear (&set);
      }
}

/* Global IPv6 addresses without a zero group are 39 characters long. */
#define LONG_V6_LOCAL "2a02:8108:1234:5678:a1b2:c3d4:e5f6:789a"
#define LONG_V6_REMOTE "2001:db8:1234:5678:9abc:def0:1234:5678"

static void
add_long_v6 (PtlSocketTable *t, unsigned port)
{
  PtlSocket *s
      = add_socket (t, PTL_PROTO_TCP, PTL_FAMILY_IPV6, LONG_V6_LOCAL, port, PTL_STATE_ESTABLISHED);

  g_strlcpy (s->remote_address, LONG_V6_REMOTE, sizeof s->remote_address);
  s->remote_port = 65535;
  own (t, t->len - 1, 4321, "ircd", "/usr/sbin/ircd", "ircd");
}

static void
test_report_text_ipv6 (void)
{
  g_autofree char *out = NULL;
  PtlReportSet set;

  set_init (&set, "1644");
  set_rules (&set);
  add_long_v6 (&set.table, 1644);
  set_fill_machine (&set);
  out = report_text (&set);
  g_assert_nonnull (strstr (out, LONG_V6_LOCAL));
  g_assert_nonnull (strstr (out, LONG_V6_REMOTE));
  assert_terminal_safe (out, 100);
  ptl_report_clear (&set);
}

/* One short line per port, even when the socket there has several owners
 * or none that can be shown. */
static void
test_report_text_range_owners (void)
{
  static const PtlState states[]
      = { PTL_STATE_LISTEN, PTL_STATE_ESTABLISHED, PTL_STATE_CLOSE_WAIT };
  g_autofree char *out = NULL;
  PtlReportSet set;
  PtlSocket *s;

  set_init (&set, "6665-6669");
  set_rules (&set);
  for (size_t i = 0; i < G_N_ELEMENTS (states); i++)
    {
      s = add_socket (&set.table, PTL_PROTO_TCP, PTL_FAMILY_IPV4, "0.0.0.0", 6665 + i, states[i]);
      s->owner_note = "owner hidden: needs root";
    }
  add_socket (&set.table, PTL_PROTO_TCP, PTL_FAMILY_IPV4, "0.0.0.0", 6669, PTL_STATE_LISTEN);
  for (long pid = 100000; pid < 100006; pid++)
    own (&set.table, set.table.len - 1, pid, "systemd-resolve", "", "");
  set_fill_machine (&set);
  out = report_text (&set);
  g_assert_nonnull (strstr (out, "100000/systemd-resolve"));
  g_assert_nonnull (strstr (out, "owner hidden"));
  assert_terminal_safe (out, 100);
  ptl_report_clear (&set);
}

/* ptl_format_table_text */

static void
test_table_text (void)
{
  g_autofree char *name = g_strnfill (200, 'n');
  g_autofree char *out = NULL;
  PtlSocketTable t;
  PtlSocket *s;

  ptl_socket_table_init (&t);
  s = add_socket (&t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, "255.255.255.255", 65535,
                  PTL_STATE_ESTABLISHED);
  g_strlcpy (s->remote_address, "255.255.255.254", sizeof s->remote_address);
  s->remote_port = 65534;
  s->owner_note = "owner hidden: needs root, and this sentence goes on for long enough to "
                  "need more than one line in any terminal";
  g_strlcpy (s->user, "a-rather-long-user-name-from-ldap", sizeof s->user);
  add_socket (&t, PTL_PROTO_UDP, PTL_FAMILY_IPV4, "127.0.0.53", 53, PTL_STATE_UNCONN);
  own (&t, 1, 100, name, "", "");
  own (&t, 1, 101, EVIL_NAME, "", "");
  for (long pid = 1000; pid < 1005; pid++)
    own (&t, 1, pid, "systemd-resolved", "", "");
  ptl_socket_table_add_note (&t, "Netlink sock_diag was refused, so the table comes from "
                                 "/proc/net instead, which is slower and knows less.");
  out = table_output (&t, ptl_format_table_text);
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "255.255.255.255:65535"));
  g_assert_nonnull (strstr (out, "127.0.0.53:53"));
  g_assert_nonnull (strstr (out, "UNCONN"));
  g_assert_nonnull (strstr (out, "owner hidden"));
  g_assert_nonnull (strstr (out, "100/nnnn"));
  g_assert_nonnull (strstr (out, "(alice)"));
  assert_terminal_safe (out, 100);
  ptl_socket_table_clear (&t);
}

static void
test_table_text_ipv6 (void)
{
  g_autofree char *out = NULL;
  PtlSocketTable t;

  ptl_socket_table_init (&t);
  add_long_v6 (&t, 1644);
  out = table_output (&t, ptl_format_table_text);
  g_assert_nonnull (strstr (out, LONG_V6_LOCAL));
  g_assert_nonnull (strstr (out, "4321/ircd"));
  assert_terminal_safe (out, 100);
  ptl_socket_table_clear (&t);
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
  g_test_add_func ("/ptl/format/table-csv", test_table_csv);
  g_test_add_func ("/ptl/format/csv-field", test_csv_field);
  g_test_add_func ("/ptl/format/text-safe", test_text_safe);
  g_test_add_func ("/ptl/format/report-text-1644", test_report_text_1644);
  g_test_add_func ("/ptl/format/report-text-long-cmdline", test_report_text_long_cmdline);
  g_test_add_func ("/ptl/format/report-text-owner-note", test_report_text_owner_note);
  g_test_add_func ("/ptl/format/report-text-range", test_report_text_range);
  g_test_add_func ("/ptl/format/table-text", test_table_text);
  g_test_add_func ("/ptl/format/report-text-bind-results", test_report_text_bind_results);
  g_test_add_func ("/ptl/format/report-text-range-owners", test_report_text_range_owners);
  g_test_add_func ("/ptl/format/report-text-ipv6", test_report_text_ipv6);
  g_test_add_func ("/ptl/format/table-text-ipv6", test_table_text_ipv6);

  return g_test_run ();
}
