/* test-netsh.c: the parsers for netsh's port-range output (built from
 * platform-win32/, which keeps them free of Windows headers), and the
 * report sentence for a port inside a Windows excluded range. */
#include <glib.h>
#include <string.h>

#include "ptl-report.h"
#include "ptl-win32-netsh.h"

static const char dynamic_en[] = "\r\n"
                                 "Protocol tcp Dynamic Port Range\r\n"
                                 "---------------------------------\r\n"
                                 "Start Port      : 49152\r\n"
                                 "Number of Ports : 16384\r\n"
                                 "\r\n";

/* German headers in the console's OEM code page (0x81 is "ü" in CP850). */
static const char dynamic_de[] = "\r\n"
                                 "Dynamischer Portbereich f\x81r das Protokoll tcp\r\n"
                                 "---------------------------------\r\n"
                                 "Startport       : 49152\r\n"
                                 "Anzahl der Ports : 16384\r\n";

static const char excluded_en[] = "\r\n"
                                  "Protocol tcp Port Exclusion Ranges\r\n"
                                  "\r\n"
                                  "Start Port    End Port\r\n"
                                  "----------    --------\r\n"
                                  "      1080        1080\r\n"
                                  "      5357        5357\r\n"
                                  "     50000       50059     *\r\n"
                                  "\r\n"
                                  "* - Administered port exclusions.\r\n"
                                  "\r\n";

static const char excluded_de[] = "\n"
                                  "Portausschlussbereiche f\x81r das Protokoll tcp\n"
                                  "\n"
                                  "Startport    Endport\n"
                                  "----------    --------\n"
                                  "      5357        5357\n"
                                  "     50000       50059     *\n"
                                  "\n"
                                  "* - Verwaltete Portausschl\x81sse.\n";

static void
test_dynamic_languages (void)
{
  const char *texts[] = { dynamic_en, dynamic_de };

  for (size_t i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      unsigned first = 0, last = 0;

      g_assert_cmpint (ptl_netsh_parse_dynamic (texts[i], strlen (texts[i]), &first, &last), ==, 0);
      g_assert_cmpuint (first, ==, 49152);
      g_assert_cmpuint (last, ==, 65535);
    }
}

/* Windows Server 2003's default, and a range that ends exactly at 65535. */
static void
test_dynamic_other_ranges (void)
{
  const char old[] = "Start Port : 1025\nNumber of Ports : 3976\n";
  const char edge[] = "Start Port : 65535\nNumber of Ports : 1\n";
  unsigned first, last;

  g_assert_cmpint (ptl_netsh_parse_dynamic (old, strlen (old), &first, &last), ==, 0);
  g_assert_cmpuint (first, ==, 1025);
  g_assert_cmpuint (last, ==, 5000);
  g_assert_cmpint (ptl_netsh_parse_dynamic (edge, strlen (edge), &first, &last), ==, 0);
  g_assert_cmpuint (first, ==, 65535);
  g_assert_cmpuint (last, ==, 65535);
}

/* Four netsh answers (IPv4/IPv6 × TCP/UDP): the first is the machine's
 * ephemeral range, the ones that differ are kept beside it. */
static void
test_dynamic_merge (void)
{
  PtlPortRules rules;

  memset (&rules, 0, sizeof rules);
  ptl_netsh_add_dynamic (&rules, PTL_PROTO_TCP, PTL_FAMILY_IPV4, 49152, 65535);
  g_assert_true (rules.known);
  ptl_netsh_add_dynamic (&rules, PTL_PROTO_UDP, PTL_FAMILY_IPV4, 49152, 65535);
  ptl_netsh_add_dynamic (&rules, PTL_PROTO_TCP, PTL_FAMILY_IPV6, 49152, 65535);
  ptl_netsh_add_dynamic (&rules, PTL_PROTO_UDP, PTL_FAMILY_IPV6, 1025, 5000);
  g_assert_cmpuint (rules.ephemeral_first, ==, 49152);
  g_assert_cmpuint (rules.ephemeral_last, ==, 65535);
  g_assert_cmpuint (rules.n_ephemeral_other, ==, 1);
  g_assert_cmpint (rules.ephemeral_other[0].proto, ==, PTL_PROTO_UDP);
  g_assert_cmpint (rules.ephemeral_other[0].family, ==, PTL_FAMILY_IPV6);
  g_assert_cmpuint (rules.ephemeral_other[0].first, ==, 1025);
  g_assert_cmpuint (rules.ephemeral_other[0].last, ==, 5000);
  /* Room for three others; a fourth answer (impossible from netsh) is dropped. */
  ptl_netsh_add_dynamic (&rules, PTL_PROTO_UDP, PTL_FAMILY_IPV4, 2000, 3000);
  ptl_netsh_add_dynamic (&rules, PTL_PROTO_TCP, PTL_FAMILY_IPV6, 3000, 4000);
  ptl_netsh_add_dynamic (&rules, PTL_PROTO_TCP, PTL_FAMILY_IPV4, 4000, 5000);
  g_assert_cmpuint (rules.n_ephemeral_other, ==, 3);
  g_assert_cmpuint (rules.ephemeral_other[2].first, ==, 3000);
}

static void
test_dynamic_bad (void)
{
  static const char *const bad[] = {
    "",
    "Protocol tcp Dynamic Port Range\n---------\n",
    "Start Port : 49152\n",
    "Start Port : 65535\nNumber of Ports : 2\n",
    "Start Port : 70000\nNumber of Ports : 1\n",
    "Start Port : 49152\nNumber of Ports : 0\n",
    "Start Port : 99999999999999999999\nNumber of Ports : 1\n",
    "Start Port : 49152x\nNumber of Ports : 16384x\n",
    "Start Port : -1\nNumber of Ports : -16384\n",
  };
  unsigned first = 7, last = 7;

  for (size_t i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("case %zu", i);
      g_assert_cmpint (ptl_netsh_parse_dynamic (bad[i], strlen (bad[i]), &first, &last), ==,
                       PTL_ENOTFOUND);
    }
  g_assert_cmpuint (first, ==, 7);
  g_assert_cmpint (ptl_netsh_parse_dynamic (NULL, 0, &first, &last), ==, PTL_EINVAL);
}

/* The length counts, not the NUL: a range after an embedded NUL is read. */
static void
test_dynamic_embedded_nul (void)
{
  const char text[] = "x\0y\nStart Port : 50000\nNumber of Ports : 100\n";
  unsigned first, last;

  g_assert_cmpint (ptl_netsh_parse_dynamic (text, sizeof text - 1, &first, &last), ==, 0);
  g_assert_cmpuint (first, ==, 50000);
  g_assert_cmpuint (last, ==, 50099);
}

static void
test_excluded_languages (void)
{
  PtlPortRules rules;

  memset (&rules, 0, sizeof rules);
  g_assert_cmpint (ptl_netsh_parse_excluded (excluded_en, strlen (excluded_en), &rules), ==, 3);
  g_assert_cmpuint (rules.n_reserved, ==, 3);
  g_assert_cmpuint (rules.reserved[0].first, ==, 1080);
  g_assert_cmpuint (rules.reserved[0].last, ==, 1080);
  g_assert_cmpuint (rules.reserved[2].first, ==, 50000);
  g_assert_cmpuint (rules.reserved[2].last, ==, 50059);
  /* The same ranges again (IPv6, or UDP) add nothing. */
  g_assert_cmpint (ptl_netsh_parse_excluded (excluded_de, strlen (excluded_de), &rules), ==, 0);
  g_assert_cmpuint (rules.n_reserved, ==, 3);
}

static void
test_excluded_bad_lines (void)
{
  const char text[] = "60 50\n"           /* reversed */
                      "65530 65536\n"     /* past the last port */
                      "1 2 3\n"           /* three numbers */
                      "100 200 x\n"       /* a word after */
                      "1234567 1234568\n" /* too long */
                      "12 13 * *\n"       /* marks are fine */
                      "\t700\t800\t\r\n"; /* tabs */
  PtlPortRules rules;

  memset (&rules, 0, sizeof rules);
  g_assert_cmpint (ptl_netsh_parse_excluded (text, strlen (text), &rules), ==, 2);
  g_assert_cmpuint (rules.reserved[0].first, ==, 12);
  g_assert_cmpuint (rules.reserved[0].last, ==, 13);
  g_assert_cmpuint (rules.reserved[1].first, ==, 700);
  g_assert_cmpuint (rules.reserved[1].last, ==, 800);
  g_assert_cmpint (ptl_netsh_parse_excluded (NULL, 0, &rules), ==, PTL_EINVAL);
}

/* More ranges than the array holds: it fills up and stops, no further. */
static void
test_excluded_full (void)
{
  GString *text = g_string_new (NULL);
  PtlPortRules rules;
  size_t cap = G_N_ELEMENTS (rules.reserved);

  for (unsigned i = 0; i < 200; i++)
    g_string_append_printf (text, "%u %u\n", 1000 + i * 10, 1005 + i * 10);
  memset (&rules, 0, sizeof rules);
  g_assert_cmpint (ptl_netsh_parse_excluded (text->str, text->len, &rules), ==, (int) cap);
  g_assert_cmpuint (rules.n_reserved, ==, cap);
  g_assert_cmpint (ptl_netsh_parse_excluded (text->str, text->len, &rules), ==, 0);
  g_string_free (text, TRUE);
}

static void
assert_rules_sane (const PtlPortRules *rules)
{
  g_assert_cmpuint (rules->n_reserved, <=, G_N_ELEMENTS (rules->reserved));
  for (size_t i = 0; i < rules->n_reserved; i++)
    {
      g_assert_cmpuint (rules->reserved[i].first, <=, rules->reserved[i].last);
      g_assert_cmpuint (rules->reserved[i].last, <=, 65535);
    }
}

/* Random bytes, and random text made of what netsh prints: never a crash,
 * never a range out of bounds. */
static void
test_random_input (void)
{
  static const char alphabet[] = "0123456789      :*\n\r\t-x";
  char buf[512];

  for (int round = 0; round < 20000; round++)
    {
      size_t len = (size_t) g_test_rand_int_range (0, sizeof buf);
      bool bytes = round % 2 == 0;
      unsigned first = 0, last = 0;
      PtlPortRules rules;

      for (size_t i = 0; i < len; i++)
        buf[i] = bytes ? (char) g_test_rand_int_range (0, 256)
                       : alphabet[g_test_rand_int_range (0, sizeof alphabet - 1)];
      memset (&rules, 0, sizeof rules);
      g_assert_cmpint (ptl_netsh_parse_excluded (buf, len, &rules), >=, 0);
      assert_rules_sane (&rules);
      if (ptl_netsh_parse_dynamic (buf, len, &first, &last) == 0)
        g_assert_true (first <= last && last <= 65535);
    }
}

static void
fill_port (PtlPortReport *r, PtlPortRules *rules, unsigned port, bool blocks)
{
  PtlSocketTable empty;

  memset (r, 0, sizeof *r);
  memset (rules, 0, sizeof *rules);
  rules->known = true;
  rules->ephemeral_first = 49152;
  rules->ephemeral_last = 65535;
  rules->reserved[0].first = 50000;
  rules->reserved[0].last = 50059;
  rules->n_reserved = 1;
  rules->reserved_blocks_bind = blocks;
  ptl_socket_table_init (&empty);
  r->port = port;
  r->bind_tcp = blocks ? PTL_BIND_RESERVED : PTL_BIND_FREE;
  r->bind_udp = PTL_BIND_FREE;
  ptl_report_fill_machine (r, rules, true, &empty);
  ptl_socket_table_clear (&empty);
}

/* Windows: the note names the very range, and the port is not free. */
static void
test_report_excluded_note (void)
{
  PtlPortReport r;
  PtlPortRules rules;

  fill_port (&r, &rules, 50010, true);
  g_assert_cmpuint (r.n_notes, >=, 1);
  g_assert_cmpstr (r.notes[0], ==,
                   "Reserved by Windows (excluded port range 50000\xe2\x80\x93"
                   "50059): binding fails even though nothing listens.");
  g_assert_true (r.reserved);
  g_assert_false (r.free_tcp);
  g_assert_true (r.free_udp);
  g_assert_cmpstr (ptl_bind_result_name (PTL_BIND_RESERVED), ==, "reserved");
  /* Linux reserved ports keep their own sentence. */
  fill_port (&r, &rules, 50010, false);
  g_assert_cmpstr (r.notes[0], ==,
                   "Reserved: the system will not hand it to outgoing connections, but a "
                   "program can still bind it on purpose.");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/netsh/dynamic-languages", test_dynamic_languages);
  g_test_add_func ("/ptl/netsh/dynamic-other-ranges", test_dynamic_other_ranges);
  g_test_add_func ("/ptl/netsh/dynamic-merge", test_dynamic_merge);
  g_test_add_func ("/ptl/netsh/dynamic-bad", test_dynamic_bad);
  g_test_add_func ("/ptl/netsh/dynamic-embedded-nul", test_dynamic_embedded_nul);
  g_test_add_func ("/ptl/netsh/excluded-languages", test_excluded_languages);
  g_test_add_func ("/ptl/netsh/excluded-bad-lines", test_excluded_bad_lines);
  g_test_add_func ("/ptl/netsh/excluded-full", test_excluded_full);
  g_test_add_func ("/ptl/netsh/random-input", test_random_input);
  g_test_add_func ("/ptl/report/windows-excluded-note", test_report_excluded_note);

  return g_test_run ();
}
