/* test-format-prom.c: the Prometheus writer on hand-built tables. */
#include <glib.h>
#include <string.h>

#include "ptl-prom.h"
#include "ptl-test-tables.h"

static char *
prom (const PtlSocketTable *t, bool up, size_t max_series)
{
  PtlPromOptions opt = { .up = up,
                         .unix_ms = INT64_C (1796203428078),
                         .duration_seconds = 0.25,
                         .max_series = max_series,
                         .ephemeral_known = true,
                         .ephemeral_first = 32768,
                         .ephemeral_last = 60999 };
  PtlBuf out;

  ptl_buf_init (&out);
  g_assert_cmpint (ptl_format_table_prometheus (t, &opt, &out), ==, 0);
  return ptl_test_buf_steal (&out);
}

/* The sample lines of @text (no comments), joined by '\n'. */
static char *
samples (const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GString *s = g_string_new (NULL);

  for (size_t i = 0; lines[i]; i++)
    if (lines[i][0] != '#' && lines[i][0] != '\0')
      g_string_append_printf (s, "%s\n", lines[i]);
  return g_string_free (s, FALSE);
}

static void
load (PtlSocketTable *t)
{
  ptl_socket_table_init (t);
  ptl_test_add_socket (t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, "0.0.0.0", 80, PTL_STATE_LISTEN);
  ptl_test_own (t, 0, 10, "nginx", "/usr/sbin/nginx", "nginx");
  ptl_test_add_socket (t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, "0.0.0.0", 80, PTL_STATE_LISTEN);
  ptl_test_own (t, 1, 11, "nginx", "/usr/sbin/nginx", "nginx"); /* SO_REUSEPORT twin */
  ptl_test_add_socket (t, PTL_PROTO_TCP, PTL_FAMILY_IPV6, "::", 80, PTL_STATE_LISTEN);
  ptl_test_add_socket (t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, "10.0.0.5", 80, PTL_STATE_ESTABLISHED);
  ptl_test_add_socket (t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, "10.0.0.5", 80, PTL_STATE_ESTABLISHED);
  ptl_test_add_socket (t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, "10.0.0.5", 41000,
                       PTL_STATE_ESTABLISHED); /* outgoing */
  ptl_test_add_socket (t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, "10.0.0.5", 80, PTL_STATE_TIME_WAIT);
  ptl_test_add_socket (t, PTL_PROTO_UDP, PTL_FAMILY_IPV4, "0.0.0.0", 5353, PTL_STATE_UNCONN);
  ptl_test_own (t, 7, 20, PTL_TEST_EVIL_NAME, "/x", "x");
  ptl_test_add_socket (t, PTL_PROTO_UDP, PTL_FAMILY_IPV4, "0.0.0.0", 45000,
                       PTL_STATE_UNCONN); /* a client's, ephemeral */
}

static void
test_series (void)
{
  PtlSocketTable t;
  g_autofree char *text = NULL, *got = NULL;

  load (&t);
  text = prom (&t, true, 1000);
  got = samples (text);
  g_assert_cmpstr (
      got, ==,
      "portolan_up 1\n"
      "portolan_scrape_timestamp_seconds 1796203428.078\n"
      "portolan_scrape_duration_seconds 0.250000\n"
      "portolan_listening{protocol=\"tcp\",address=\"0.0.0.0\",port=\"80\","
      "process=\"nginx\"} 2\n"
      "portolan_listening{protocol=\"tcp\",address=\"::\",port=\"80\",process=\"\"} 1\n"
      "portolan_listening{protocol=\"udp\",address=\"0.0.0.0\",port=\"5353\","
      "process=\"evil\\\"name\\\\\\n?[31m\"} 1\n"
      "portolan_established{protocol=\"tcp\",port=\"80\"} 2\n"
      "portolan_established_other{protocol=\"tcp\"} 1\n"
      "portolan_established_other{protocol=\"udp\"} 0\n"
      "portolan_sockets{protocol=\"tcp\",state=\"ESTABLISHED\"} 3\n"
      "portolan_sockets{protocol=\"tcp\",state=\"TIME_WAIT\"} 1\n"
      "portolan_sockets{protocol=\"tcp\",state=\"LISTEN\"} 3\n"
      "portolan_sockets{protocol=\"udp\",state=\"UNCONN\"} 2\n"
      "portolan_series_dropped 0\n");
  /* Every family has HELP and TYPE, once. */
  g_assert_nonnull (strstr (text, "# TYPE portolan_listening gauge\n"));
  g_assert_null (
      strstr (strstr (text, "# TYPE portolan_listening") + 1, "# TYPE portolan_listening"));
  ptl_socket_table_clear (&t);
}

static void
test_cap (void)
{
  PtlSocketTable t;
  g_autofree char *text = NULL;

  load (&t);
  text = prom (&t, true, 2);
  g_assert_nonnull (strstr (text, "portolan_series_dropped 2\n"));
  g_assert_null (strstr (text, "port=\"5353\""));
  g_assert_null (strstr (text, "portolan_established{"));
  ptl_socket_table_clear (&t);
}

static void
test_down (void)
{
  PtlSocketTable t;
  g_autofree char *text = NULL, *got = NULL;

  ptl_socket_table_init (&t);
  text = prom (&t, false, 1000);
  got = samples (text);
  g_assert_cmpstr (got, ==,
                   "portolan_up 0\n"
                   "portolan_scrape_timestamp_seconds 1796203428.078\n"
                   "portolan_scrape_duration_seconds 0.250000\n");
}

static void
test_label_value (void)
{
  static const PtlTestStrCase cases[] = {
    { "plain", "plain" },
    { "a\"b\\c\nd", "a\\\"b\\\\c\\nd" },
    { "caf\xc3\xa9", "caf\xc3\xa9" },
    { "bad\xff", "bad\xef\xbf\xbd" },
    { "tab\there", "tab?here" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PtlBuf out;
      g_autofree char *s = NULL;

      ptl_buf_init (&out);
      ptl_prom_label_value (&out, cases[i].in);
      s = ptl_test_buf_steal (&out);
      g_assert_cmpstr (s, ==, cases[i].out);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ptl/format-prom/series", test_series);
  g_test_add_func ("/ptl/format-prom/max-series", test_cap);
  g_test_add_func ("/ptl/format-prom/down", test_down);
  g_test_add_func ("/ptl/format-prom/label-value", test_label_value);
  return g_test_run ();
}
