/* test-format-text.c: the text and CSV writers (ptl_text_safe,
 * ptl_csv_field, the socket table, port reports), on tables and report sets
 * built by hand. Nothing here asks the platform anything.
 */
#include <glib.h>
#include <string.h>

#include "ptl-report.h"
#include "ptl-test-tables.h"

/* Helpers: strings and lines of text. */

static char *
text_safe_of (const char *s)
{
  PtlBuf buf;

  ptl_buf_init (&buf);
  ptl_text_safe (&buf, s);
  return ptl_test_buf_steal (&buf);
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
    g_assert_true ((unsigned char) *p >= 0x20 || *p == '\n');
  for (size_t i = 0; lines[i]; i++)
    {
      glong cols = g_utf8_strlen (lines[i], -1);

      if ((size_t) cols <= width)
        continue;
      g_test_message ("line %zu is %ld columns: '%s'", i + 1, cols, lines[i]);
      g_test_fail_printf ("a line is %ld columns, more than %zu: '%s'", cols, width, lines[i]);
    }
}

static char *
report_text (const PtlReportSet *set)
{
  PtlBuf buf;

  ptl_buf_init (&buf);
  ptl_format_report_text (set, &buf);
  return ptl_test_buf_steal (&buf);
}

/* ptl_format_table_csv */

#define DOCKER_ID "5115e0907c6c7a65ae700b0f256c90afe1ceb5675156a3777a5bd23a171be4da"
#define DOCKER_CELL "docker:5115e0907c6c7a65ae700b0f256c90afe1ceb5675156a3777a5bd23a171be4da"

#define CSV_HEADER                                                                                 \
  "protocol,family,local_address,local_port,remote_address,remote_port,state,uid,user,pid,"        \
  "process,path,cmdline,owner_note,unit,container,netns,owner_detail"

/* A small RFC 4180 reader: records of fields. */
static GPtrArray *
csv_parse (const char *text)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
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
  g_assert_cmpuint (g_strv_length (got), ==, 18);
  for (guint k = 0; k < 18; k++)
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
  ptl_test_add_socket (&t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, "127.0.0.1", 1644, PTL_STATE_LISTEN);
  ptl_test_own (&t, 0, 100, "ircd", "/usr/sbin/ircd", cmd);
  ptl_test_own (&t, 0, 200, "ircd,child", "/usr/sbin/ircd", "ircd");
  s = ptl_test_add_socket (&t, PTL_PROTO_UDP, PTL_FAMILY_IPV6, "::1", 53, PTL_STATE_UNCONN);
  s->uid = -1;
  s->user[0] = '\0';
  s->owner_note = "owner hidden: needs root";
  s->owner_detail = "socket of user redis";
  s->unit = "redis-server.service";
  /* The first owner has a unit, the second a container; the UDP row sits
   * in another network namespace. */
  g_strlcpy (t.procs[0].unit, "ircd.service", sizeof t.procs[0].unit);
  t.procs[1].container.engine = PTL_ENGINE_DOCKER;
  g_strlcpy (t.procs[1].container.id, DOCKER_ID, sizeof t.procs[1].container.id);
  s->netns = ptl_socket_table_add_netns (&t, &(PtlNetns){ .id = 4026532185 });
  out = ptl_test_table_output (&t, ptl_format_table_csv);

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
            "process",     "path",   "cmdline",       "owner_note", "unit",
            "container",   "netns",  "owner_detail" };
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
                                 "",
                                 "ircd.service",
                                 DOCKER_CELL,
                                 "",
                                 "" };
    const char *const row2[] = { "udp",
                                 "ipv6",
                                 "::1",
                                 "53",
                                 "::",
                                 "0",
                                 "UNCONN",
                                 "",
                                 "",
                                 "",
                                 "",
                                 "",
                                 "",
                                 "owner hidden: needs root",
                                 "redis-server.service",
                                 "",
                                 "4026532185",
                                 "socket of user redis" };
    assert_csv_record (records, 0, header);
    assert_csv_record (records, 1, row1);
    assert_csv_record (records, 2, row2);
  }
  ptl_socket_table_clear (&t);
}

static void
test_csv_field (void)
{
  static const PtlTestStrCase cases[] = {
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
      got = ptl_test_buf_steal (&buf);
      g_assert_cmpstr (got, ==, cases[i].out);
    }
}

/* ptl_text_safe */

static void
test_text_safe (void)
{
  static const PtlTestStrCase cases[] = {
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
    /* Bidi controls reorder what follows them on screen (RLO, LRI, PDF,
     * RLM, ALM); the line and paragraph separators break lines. */
    { "evil\xe2\x80\xae"
      "txt.exe",
      "evil?txt.exe" },
    { "\xe2\x81\xa6"
      "a\xe2\x80\xac\xe2\x80\x8f\xd8\x9c",
      "?a???" },
    { "a\xe2\x80\xa8"
      "b\xe2\x80\xa9"
      "c",
      "a?b?c" },
    /* Neighbours of those ranges stay: a dash, a zero-width joiner. */
    { "\xe2\x80\x94\xe2\x80\x8d", "\xe2\x80\x94\xe2\x80\x8d" },
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

  ptl_test_set_1644 (&set);
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
  g_autofree char *evil = ptl_test_long_cmdline (2048);
  g_autofree char *path = g_strnfill (300, 'p');
  g_autofree char *wide = NULL;
  g_autofree char *out = NULL;
  PtlReportSet set;
  GString *w = g_string_new (NULL);

  /* 700 two-byte characters: a cut must land between characters. */
  for (int i = 0; i < 700; i++)
    g_string_append (w, "\xc3\xa9");
  wide = g_string_free (w, FALSE);
  ptl_test_set_1644 (&set);
  ptl_test_own (&set.table, 0, 4322, "ircd", path, cmdline);
  ptl_test_own (&set.table, 0, 4323, PTL_TEST_EVIL_NAME, PTL_TEST_EVIL_PATH, evil);
  ptl_test_own (&set.table, 0, 4324, wide, wide, wide);
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

  ptl_test_set_init (&set, "40000");
  ptl_test_set_rules (&set);
  s = ptl_test_add_socket (&set.table, PTL_PROTO_UDP, PTL_FAMILY_IPV4, "0.0.0.0", 40000,
                           PTL_STATE_UNCONN);
  s->owner_note = "owner hidden: needs root";
  s->inode = 4242; /* a socket with a file: its user is a fact about someone */
  g_strlcpy (s->user, "postgres", sizeof s->user);
  ptl_socket_table_add_note (&set.table, "Netlink sock_diag was refused, so the table comes "
                                         "from /proc/net instead, which is slower and knows "
                                         "less about each socket than the kernel could say.");
  set.reports[0].bind_udp = PTL_BIND_IN_USE;
  ptl_test_set_fill_machine (&set);
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

  ptl_test_set_init (&set, "6665-6669");
  ptl_test_set_rules (&set);
  ptl_test_add_socket (&set.table, PTL_PROTO_TCP, PTL_FAMILY_IPV4, "0.0.0.0", 6667,
                       PTL_STATE_LISTEN);
  ptl_test_own (&set.table, 0, 77, "ngircd", "/usr/sbin/ngircd", "ngircd");
  set.reports[2].bind_tcp = PTL_BIND_IN_USE;
  ptl_test_set_fill_machine (&set);
  out = report_text (&set);
  g_assert_nonnull (strstr (out, "6665"));
  g_assert_nonnull (strstr (out, "6669"));
  g_assert_nonnull (strstr (out, "ircu"));
  g_assert_nonnull (strstr (out, "77/ngircd"));
  assert_terminal_safe (out, 100);
  ptl_report_clear (&set);
}

/* The well-known range's sentence makes no claim about privilege (Windows
 * has none); the machine's rules line says it where it is true. */
static void
test_report_text_well_known (void)
{
  g_autofree char *linux_out = NULL, *windows_out = NULL;
  PtlReportSet set;

  ptl_test_set_init (&set, "22");
  ptl_test_set_rules (&set);
  ptl_test_set_fill_machine (&set);
  linux_out = report_text (&set);
  g_assert_null (strstr (ptl_range_explain (PTL_RANGE_WELL_KNOWN), "privilege"));
  g_assert_nonnull (strstr (linux_out, "Ports below 1024 need privilege to bind."));
  ptl_report_clear (&set);
  ptl_test_set_init (&set, "22");
  ptl_test_set_rules (&set);
  set.rules.unprivileged_known = false; /* what the Windows platform says */
  ptl_test_set_fill_machine (&set);
  windows_out = report_text (&set);
  g_test_message ("%s", windows_out);
  g_assert_null (strstr (windows_out, "privilege"));
  ptl_report_clear (&set);
}

/* Windows: dynamic ranges of other protocols and families that differ
 * from IPv4 TCP's are named after it. */
static void
test_report_text_ephemeral_other (void)
{
  g_autofree char *out = NULL, *flat = NULL;
  PtlReportSet set;

  ptl_test_set_init (&set, "5000");
  ptl_test_set_rules (&set);
  set.rules.ephemeral_first = 49152;
  set.rules.ephemeral_last = 65535;
  set.rules.ephemeral_other[0].proto = PTL_PROTO_UDP;
  set.rules.ephemeral_other[0].family = PTL_FAMILY_IPV4;
  set.rules.ephemeral_other[0].first = 1025;
  set.rules.ephemeral_other[0].last = 5000;
  set.rules.ephemeral_other[1].proto = PTL_PROTO_TCP;
  set.rules.ephemeral_other[1].family = PTL_FAMILY_IPV6;
  set.rules.ephemeral_other[1].first = 50000;
  set.rules.ephemeral_other[1].last = 60000;
  set.rules.n_ephemeral_other = 2;
  ptl_test_set_fill_machine (&set);
  out = report_text (&set);
  flat = g_strdelimit (g_strdup (out), "\n", ' ');
  g_assert_nonnull (strstr (flat, "lends ports 49152-65535"));
  g_assert_true (g_regex_match_simple (
      "Its own range for udp over IPv4: 1025-5000, +tcp over IPv6: +50000-60000\\.", flat, 0, 0));
  assert_terminal_safe (out, 100);
  ptl_report_clear (&set);
}

/* The Windows command matches the port exactly: findstr /C: looks for the
 * literal ":PORT " in netstat's space-padded columns. */
static void
test_findstr_pattern (void)
{
  static const char *const lines[] = {
    "  TCP    0.0.0.0:22             0.0.0.0:0              LISTENING       1044",
    "  TCP    0.0.0.0:2222           0.0.0.0:0              LISTENING       2210",
    "  TCP    [::]:22                [::]:0                 LISTENING       1044",
    "  TCP    10.0.0.5:50122         10.0.0.9:22            ESTABLISHED     4488",
    "  TCP    10.0.0.5:50123         10.0.0.9:2200          ESTABLISHED     4488",
    "  UDP    0.0.0.0:220            *:*                                    880",
    "  TCP    127.0.0.1:1220         0.0.0.0:0              LISTENING       99",
  };
  const gboolean want[] = { TRUE, FALSE, TRUE, TRUE, FALSE, FALSE, FALSE };
  char pattern[16], command[64];

  g_assert_cmpstr (ptl_findstr_pattern (22, pattern, sizeof pattern), ==, ":22 ");
  g_assert_cmpstr (ptl_netstat_command (22, command, sizeof command), ==,
                   "netstat -ano | findstr /C:\":22 \"");
  for (gsize i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_test_message ("%s", lines[i]);
      g_assert_cmpint (strstr (lines[i], pattern) != NULL, ==, want[i]);
    }
}

/* Error sentences echo what was typed: characters when it is valid UTF-8,
 * '?' for control bytes and for every byte of invalid UTF-8. */
static void
test_echo_input (void)
{
  static const PtlTestStrCase cases[] = {
    { "1644", "1644" },
    { "caf\xc3\xa9", "caf\xc3\xa9" },
    { "\xe6\xbc\xa2\xe5\xad\x97", "\xe6\xbc\xa2\xe5\xad\x97" },
    { "\xf0\x9f\x98\x80!", "\xf0\x9f\x98\x80!" },
    { "\x1b[31mred", "?[31mred" },
    { "\xc2\x9bx", "?x" }, /* C1 CSI */
    { "ss\xc3h", "ss?h" },
    { "\xff\xfe", "??" },
    { "caf\xc3\xa9\xff", "caf???" }, /* not UTF-8 as a whole: every byte past ASCII */
    { "a\xe2\x80\xae"
      "b",
      "a?b" }, /* RIGHT-TO-LEFT OVERRIDE: the same sanitiser's set */
    { "a\xe2\x80\xa8"
      "b",
      "a?b" }, /* LINE SEPARATOR */
    { "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", "\xc3\xa9\xc3\xa9\xc3\xa9..." },
  };
  char out[64];

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      size_t max = i + 1 == G_N_ELEMENTS (cases) ? 3 : 24;

      g_test_message ("case %zu", i);
      g_assert_cmpstr (ptl_echo_input (cases[i].in, max, out, sizeof out), ==, cases[i].out);
    }
  /* A small buffer cuts on a character, never inside one. */
  g_assert_cmpstr (ptl_echo_input ("\xe6\xbc\xa2\xe6\xbc\xa2", 24, out, 8), ==, "\xe6\xbc\xa2...");
}

/* A writer that flushes in pieces cuts only between characters. */
static void
test_utf8_cut (void)
{
  const char *s = "a\xc3\xa9\xe6\xbc\xa2\xf0\x9f\x98\x80"; /* 1 + 2 + 3 + 4 bytes */
  size_t len = strlen (s);
  static const size_t want[] = { 0, 1, 1, 3, 3, 3, 6, 6, 6, 6, 10 };

  for (size_t max = 0; max <= len; max++)
    {
      g_test_message ("max %zu", max);
      g_assert_cmpuint (ptl_utf8_cut (s, len, max), ==, max == 0 ? 0 : want[max]);
    }
  g_assert_cmpuint (ptl_utf8_cut (s, len, 100), ==, len);
  /* Not UTF-8 at all: no character is longer than four bytes, so the cut
   * steps back over three continuation bytes at most. */
  g_assert_cmpuint (ptl_utf8_cut ("\x80\x80\x80\x80\x80\x80", 6, 5), ==, 2);
  g_assert_cmpuint (ptl_utf8_cut ("\x80\x80\x80\x80\x80\x80", 6, 2), ==, 2);
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

        ptl_test_set_init (&set, "80");
        ptl_test_set_rules (&set);
        set.reports[0].bind_tcp = (PtlBindResult) tcp;
        set.reports[0].bind_udp = (PtlBindResult) udp;
        ptl_test_set_fill_machine (&set);
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
  PtlSocket *s = ptl_test_add_socket (t, PTL_PROTO_TCP, PTL_FAMILY_IPV6, LONG_V6_LOCAL, port,
                                      PTL_STATE_ESTABLISHED);

  g_strlcpy (s->remote_address, LONG_V6_REMOTE, sizeof s->remote_address);
  s->remote_port = 65535;
  ptl_test_own (t, t->len - 1, 4321, "ircd", "/usr/sbin/ircd", "ircd");
}

static void
test_report_text_ipv6 (void)
{
  g_autofree char *out = NULL;
  PtlReportSet set;

  ptl_test_set_init (&set, "1644");
  ptl_test_set_rules (&set);
  add_long_v6 (&set.table, 1644);
  ptl_test_set_fill_machine (&set);
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

  ptl_test_set_init (&set, "6665-6669");
  ptl_test_set_rules (&set);
  for (size_t i = 0; i < G_N_ELEMENTS (states); i++)
    {
      s = ptl_test_add_socket (&set.table, PTL_PROTO_TCP, PTL_FAMILY_IPV4, "0.0.0.0", 6665 + i,
                               states[i]);
      s->owner_note = "owner hidden: needs root";
    }
  ptl_test_add_socket (&set.table, PTL_PROTO_TCP, PTL_FAMILY_IPV4, "0.0.0.0", 6669,
                       PTL_STATE_LISTEN);
  for (long pid = 100000; pid < 100006; pid++)
    ptl_test_own (&set.table, set.table.len - 1, pid, "systemd-resolve", "", "");
  ptl_test_set_fill_machine (&set);
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
  s = ptl_test_add_socket (&t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, "255.255.255.255", 65535,
                           PTL_STATE_ESTABLISHED);
  g_strlcpy (s->remote_address, "255.255.255.254", sizeof s->remote_address);
  s->remote_port = 65534;
  s->owner_note = "owner hidden: needs root, and this sentence goes on for long enough to "
                  "need more than one line in any terminal";
  g_strlcpy (s->user, "a-rather-long-user-name-from-ldap", sizeof s->user);
  ptl_test_add_socket (&t, PTL_PROTO_UDP, PTL_FAMILY_IPV4, "127.0.0.53", 53, PTL_STATE_UNCONN);
  ptl_test_own (&t, 1, 100, name, "", "");
  ptl_test_own (&t, 1, 101, PTL_TEST_EVIL_NAME, "", "");
  for (long pid = 1000; pid < 1005; pid++)
    ptl_test_own (&t, 1, pid, "systemd-resolved", "", "");
  ptl_socket_table_add_note (&t, "Netlink sock_diag was refused, so the table comes from "
                                 "/proc/net instead, which is slower and knows less.");
  out = ptl_test_table_output (&t, ptl_format_table_text);
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
  out = ptl_test_table_output (&t, ptl_format_table_text);
  g_assert_nonnull (strstr (out, LONG_V6_LOCAL));
  g_assert_nonnull (strstr (out, "4321/ircd"));
  assert_terminal_safe (out, 100);
  ptl_socket_table_clear (&t);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/format/table-csv", test_table_csv);
  g_test_add_func ("/ptl/format/csv-field", test_csv_field);
  g_test_add_func ("/ptl/format/text-safe", test_text_safe);
  g_test_add_func ("/ptl/format/report-text-1644", test_report_text_1644);
  g_test_add_func ("/ptl/format/report-text-long-cmdline", test_report_text_long_cmdline);
  g_test_add_func ("/ptl/format/report-text-owner-note", test_report_text_owner_note);
  g_test_add_func ("/ptl/format/report-text-range", test_report_text_range);
  g_test_add_func ("/ptl/format/report-text-well-known", test_report_text_well_known);
  g_test_add_func ("/ptl/format/report-text-ephemeral-other", test_report_text_ephemeral_other);
  g_test_add_func ("/ptl/format/findstr-pattern", test_findstr_pattern);
  g_test_add_func ("/ptl/format/echo-input", test_echo_input);
  g_test_add_func ("/ptl/format/utf8-cut", test_utf8_cut);
  g_test_add_func ("/ptl/format/table-text", test_table_text);
  g_test_add_func ("/ptl/format/report-text-bind-results", test_report_text_bind_results);
  g_test_add_func ("/ptl/format/report-text-range-owners", test_report_text_range_owners);
  g_test_add_func ("/ptl/format/report-text-ipv6", test_report_text_ipv6);
  g_test_add_func ("/ptl/format/table-text-ipv6", test_table_text_ipv6);

  return g_test_run ();
}
