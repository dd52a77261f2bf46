/* test-query.c: the query parser, the IANA ranges and protocol names. */
#include <glib.h>
#include <string.h>

#include "ptl-port.h"

/* A span the query must cover; for a service, one of its spans. */
typedef struct
{
  const char *text;
  PtlQueryKind kind;
  unsigned first, last;
  unsigned protos;
  unsigned span_first, span_last;
} GoodCase;

static const GoodCase good_cases[] = {
  { "1644", PTL_QUERY_PORT, 1644, 1644, 0, 1644, 1644 },
  { "0", PTL_QUERY_PORT, 0, 0, 0, 0, 0 },
  { "65535", PTL_QUERY_PORT, 65535, 65535, 0, 65535, 65535 },
  { "1644/udp", PTL_QUERY_PORT, 1644, 1644, PTL_PROTO_UDP, 1644, 1644 },
  { "1644/TCP", PTL_QUERY_PORT, 1644, 1644, PTL_PROTO_TCP, 1644, 1644 },
  { "6660-6669", PTL_QUERY_RANGE, 6660, 6669, 0, 6660, 6669 },
  { "6660-6669/tcp", PTL_QUERY_RANGE, 6660, 6669, PTL_PROTO_TCP, 6660, 6669 },
  { "5-5", PTL_QUERY_PORT, 5, 5, 0, 5, 5 },
  { "000080", PTL_QUERY_PORT, 80, 80, 0, 80, 80 },
  { "0000000000065535", PTL_QUERY_PORT, 65535, 65535, 0, 65535, 65535 },
  { "ssh", PTL_QUERY_SERVICE, 22, 22, 0, 22, 22 },
  { "ircu", PTL_QUERY_SERVICE, 6665, 6669, 0, 6665, 6669 },
  { "http/tcp", PTL_QUERY_SERVICE, 80, 80, PTL_PROTO_TCP, 80, 80 },
  { "HTTP", PTL_QUERY_SERVICE, 80, 80, 0, 80, 80 },
  /* As ss writes a port: sport = :8080. */
  { ":8080", PTL_QUERY_PORT, 8080, 8080, 0, 8080, 8080 },
  { ":8080/udp", PTL_QUERY_PORT, 8080, 8080, PTL_PROTO_UDP, 8080, 8080 },
  { ":0", PTL_QUERY_PORT, 0, 0, 0, 0, 0 },
};

static gboolean
query_has_span (const PtlQuery *q, unsigned first, unsigned last)
{
  if (q->kind != PTL_QUERY_SERVICE)
    return q->first == first && q->last == last;
  for (size_t i = 0; i < q->n_spans; i++)
    if (q->spans[i].first == first && q->spans[i].last == last)
      return TRUE;
  return FALSE;
}

static void
test_parse_good (void)
{
  for (size_t i = 0; i < G_N_ELEMENTS (good_cases); i++)
    {
      const GoodCase *c = &good_cases[i];
      PtlError err = { 0 };
      PtlQuery q;
      int rc;

      g_test_message ("query '%s'", c->text);
      rc = ptl_query_parse (c->text, &q, &err);
      g_assert_cmpint (rc, ==, 0);
      g_assert_cmpint (q.kind, ==, c->kind);
      g_assert_cmpuint (q.protos, ==, c->protos);
      g_assert_true (query_has_span (&q, c->span_first, c->span_last));
      if (c->kind != PTL_QUERY_SERVICE)
        {
          g_assert_cmpuint (q.first, ==, c->first);
          g_assert_cmpuint (q.last, ==, c->last);
          continue;
        }
      /* A service's first/last enclose every span it resolved to. */
      g_assert_cmpuint (q.first, <=, c->span_first);
      g_assert_cmpuint (q.last, >=, c->span_last);
      g_assert_cmpuint (q.n_spans, >=, 1);
      for (size_t k = 0; k < q.n_spans; k++)
        {
          g_assert_cmpuint (q.spans[k].first, >=, q.first);
          g_assert_cmpuint (q.spans[k].last, <=, q.last);
        }
      g_assert_cmpuint (strlen (q.service), >, 0);
    }
}

static void
test_parse_service_name (void)
{
  PtlQuery q;

  g_assert_cmpint (ptl_query_parse ("ircu", &q, NULL), ==, 0);
  g_assert_cmpstr (q.service, ==, "ircu");
  g_assert_cmpuint (q.n_spans, ==, 1);
  g_assert_cmpint (ptl_query_parse ("HTTP", &q, NULL), ==, 0);
  g_assert_cmpint (g_ascii_strcasecmp (q.service, "http"), ==, 0);
}

typedef struct
{
  const char *text;
  const char *mention; /* the message must contain this; NULL: no check */
} BadCase;

static const BadCase bad_cases[] = {
  { "", NULL },
  { "70000", "70000" },
  { "65536", "65536" },
  { "-1", "-1" },
  { "99999999999999999999", "99999999999999999999" },
  { "12ab", "12ab" },
  { "0x50", "0x50" },
  { "1e3", "1e3" },
  { "abc!@#", "abc!@#" },
  { "1644/xyz", "'xyz'" },
  { "1644/", "'/'" },
  { "10-5", "5-10" },
  { "a-b", "a-b" },
  { "/tcp", NULL },
  { " 80", "' 80'" },
  { "80 ", "'80 '" },
  { "1644/tcp/udp", "tcp/udp" },
  { "\xff\xfe", NULL },
  { "80\x01", NULL },
  { "-", "'-'" },
  { "--", "'--'" },
  { "6660-", "6660-" },
  { "-6669", "-6669" },
  { ":", "':'" },
  { "::8080", "'::8080'" },
  { ":65536", "65536" },
  { ":ssh", "':ssh'" },
  { ":80-90", "':80-90'" },
};

/* One sentence, safe to print anywhere, short even for a flood of input. */
static void
assert_sentence (const char *msg)
{
  size_t len = strlen (msg);

  g_assert_cmpuint (len, >, 0);
  g_assert_cmpuint (len, <, 300);
  g_assert_true (g_utf8_validate (msg, -1, NULL));
  for (size_t i = 0; i < len; i++)
    {
      unsigned char c = (unsigned char) msg[i];
      g_assert_true (c >= 0x20 && c != 0x7F);
    }
  g_assert_null (strchr (msg, '\n'));
  g_assert_cmpint (msg[len - 1], ==, '.');
}

static void
assert_rejected (const char *text, const char *mention)
{
  PtlError err = { 0 };
  PtlQuery q;
  int rc = ptl_query_parse (text, &q, &err);

  g_assert_cmpint (rc, ==, PTL_EINVAL);
  g_assert_cmpint (err.code, ==, PTL_EINVAL);
  assert_sentence (err.message);
  if (mention)
    g_assert_nonnull (strstr (err.message, mention));
}

static void
test_parse_bad (void)
{
  for (size_t i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_test_message ("query #%zu", i);
      assert_rejected (bad_cases[i].text, bad_cases[i].mention);
    }
}

static void
test_parse_reversed (void)
{
  PtlError err = { 0 };
  PtlQuery q;

  g_assert_cmpint (ptl_query_parse ("10-5", &q, &err), ==, PTL_EINVAL);
  g_assert_nonnull (strstr (err.message, "10-5"));
  g_assert_nonnull (strstr (err.message, "5-10"));
}

static void
test_parse_flood (void)
{
  static const char fill[] = { '9', 'a', '-', '/', '\x1b' };

  for (size_t i = 0; i < G_N_ELEMENTS (fill); i++)
    {
      g_autofree char *text = g_strnfill (10 * 1024, fill[i]);
      assert_rejected (text, NULL);
    }
}

/* Just below and past any internal length limit, every query of junk bytes
 * still gets a clean sentence. */
static void
test_parse_hostile_lengths (void)
{
  static const size_t lengths[] = { 23, 24, 25, 63, 64, 65, 99, 100, 101, 127, 128, 129 };

  for (size_t i = 0; i < G_N_ELEMENTS (lengths); i++)
    {
      g_autofree char *junk = g_strnfill (lengths[i], '\x07');
      g_autofree char *invalid = g_strnfill (lengths[i], '\xc3');
      g_autofree char *digits = g_strnfill (lengths[i], '7');

      assert_rejected (junk, NULL);
      assert_rejected (invalid, NULL);
      assert_rejected (digits, NULL);
    }
}

static void
test_parse_not_found (void)
{
  static const char *const texts[] = { "nosuchservicezz", "ircu/udp" };

  for (size_t i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      PtlError err = { 0 };
      PtlQuery q;

      g_assert_cmpint (ptl_query_parse (texts[i], &q, &err), ==, PTL_ENOTFOUND);
      g_assert_cmpint (err.code, ==, PTL_ENOTFOUND);
      assert_sentence (err.message);
    }
}

static void
test_parse_without_error (void)
{
  PtlQuery q;

  g_assert_cmpint (ptl_query_parse ("70000", &q, NULL), ==, PTL_EINVAL);
  g_assert_cmpint (ptl_query_parse (NULL, &q, NULL), ==, PTL_EINVAL);
  g_assert_cmpint (ptl_query_parse ("nosuchservicezz", &q, NULL), ==, PTL_ENOTFOUND);
}

static void
test_n_ports (void)
{
  static const struct
  {
    const char *text;
    size_t n;
  } cases[] = {
    { "1644", 1 }, { "0", 1 },   { "6660-6669", 10 }, { "0-65535", 65536 },
    { "ircu", 5 }, { "ssh", 1 }, { "http/tcp", 1 },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PtlQuery q;

      g_test_message ("query '%s'", cases[i].text);
      g_assert_cmpint (ptl_query_parse (cases[i].text, &q, NULL), ==, 0);
      g_assert_cmpuint (ptl_query_n_ports (&q), ==, cases[i].n);
    }
}

static void
test_port_range (void)
{
  static const struct
  {
    unsigned port;
    PtlRange range;
    const char *name;
  } cases[] = {
    { 0, PTL_RANGE_WELL_KNOWN, "well-known" },     { 1023, PTL_RANGE_WELL_KNOWN, "well-known" },
    { 1024, PTL_RANGE_REGISTERED, "registered" },  { 40000, PTL_RANGE_REGISTERED, "registered" },
    { 49151, PTL_RANGE_REGISTERED, "registered" }, { 49152, PTL_RANGE_DYNAMIC, "dynamic" },
    { 65535, PTL_RANGE_DYNAMIC, "dynamic" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PtlRange r = ptl_port_range (cases[i].port);

      g_assert_cmpint (r, ==, cases[i].range);
      g_assert_cmpstr (ptl_range_name (r), ==, cases[i].name);
      g_assert_cmpuint (ptl_range_first (r), <=, cases[i].port);
      g_assert_cmpuint (ptl_range_last (r), >=, cases[i].port);
    }
}

static void
test_range_bounds (void)
{
  static const PtlRange all[] = { PTL_RANGE_WELL_KNOWN, PTL_RANGE_REGISTERED, PTL_RANGE_DYNAMIC };
  static const unsigned first[] = { 0, 1024, 49152 }, last[] = { 1023, 49151, 65535 };

  for (size_t i = 0; i < G_N_ELEMENTS (all); i++)
    {
      g_assert_cmpuint (ptl_range_first (all[i]), ==, first[i]);
      g_assert_cmpuint (ptl_range_last (all[i]), ==, last[i]);
      g_assert_cmpint (ptl_port_range (first[i]), ==, all[i]);
      g_assert_cmpint (ptl_port_range (last[i]), ==, all[i]);
      g_assert_true (g_ascii_isupper (ptl_range_title (all[i])[0]));
      g_assert_cmpint (g_ascii_strcasecmp (ptl_range_title (all[i]), ptl_range_name (all[i])), ==,
                       0);
      g_assert_cmpuint (strlen (ptl_range_explain (all[i])), >, 20);
    }
}

static void
test_proto_names (void)
{
  static const struct
  {
    PtlProto proto;
    const char *name;
  } cases[] = {
    { PTL_PROTO_TCP, "tcp" },
    { PTL_PROTO_UDP, "udp" },
    { PTL_PROTO_SCTP, "sctp" },
    { PTL_PROTO_DCCP, "dccp" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *upper = g_ascii_strup (cases[i].name, -1);

      g_assert_cmpstr (ptl_proto_name (cases[i].proto), ==, cases[i].name);
      g_assert_cmpint (ptl_proto_from_name (cases[i].name), ==, cases[i].proto);
      g_assert_cmpint (ptl_proto_from_name (upper), ==, cases[i].proto);
    }
  g_assert_cmpint (ptl_proto_from_name (""), ==, 0);
  g_assert_cmpint (ptl_proto_from_name ("tc"), ==, 0);
  g_assert_cmpint (ptl_proto_from_name ("tcpx"), ==, 0);
  g_assert_cmpint (ptl_proto_from_name ("xyz"), ==, 0);
  g_assert_cmpstr (ptl_proto_name ((PtlProto) 0), ==, "?");
  g_assert_cmpstr (ptl_proto_name ((PtlProto) (PTL_PROTO_TCP | PTL_PROTO_UDP)), ==, "?");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/query/parse-good", test_parse_good);
  g_test_add_func ("/ptl/query/service-name", test_parse_service_name);
  g_test_add_func ("/ptl/query/parse-bad", test_parse_bad);
  g_test_add_func ("/ptl/query/parse-reversed", test_parse_reversed);
  g_test_add_func ("/ptl/query/parse-flood", test_parse_flood);
  g_test_add_func ("/ptl/query/parse-hostile-lengths", test_parse_hostile_lengths);
  g_test_add_func ("/ptl/query/parse-not-found", test_parse_not_found);
  g_test_add_func ("/ptl/query/parse-without-error", test_parse_without_error);
  g_test_add_func ("/ptl/query/n-ports", test_n_ports);
  g_test_add_func ("/ptl/port/range", test_port_range);
  g_test_add_func ("/ptl/port/range-bounds", test_range_bounds);
  g_test_add_func ("/ptl/port/proto-names", test_proto_names);

  return g_test_run ();
}
