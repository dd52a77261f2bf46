/* test-knowledge.c: the generated port tables and the lookups over them. */
#include <glib.h>
#include <string.h>

#include "ptl-knowledge.h"
#include "ptl-port.h"

#define MAX_OUT 64

typedef struct
{
  unsigned first[MAX_OUT], last[MAX_OUT];
  size_t n;
} Related;

static const PtlIanaEntry *
find_iana (unsigned port, unsigned protos, const char *service)
{
  const PtlIanaEntry *out[MAX_OUT];
  size_t n = ptl_iana_lookup (port, protos, out, MAX_OUT);

  for (size_t i = 0; i < MIN (n, MAX_OUT); i++)
    if (strcmp (out[i]->service, service) == 0)
      return out[i];
  return NULL;
}

static gboolean
has_unofficial (unsigned port, const char *use_part)
{
  const PtlUnofficial *out[MAX_OUT];
  size_t n = ptl_unofficial_lookup (port, out, MAX_OUT);

  for (size_t i = 0; i < MIN (n, MAX_OUT); i++)
    if (strstr (out[i]->use, use_part) != NULL || strstr (out[i]->note, use_part) != NULL)
      return TRUE;
  return FALSE;
}

static Related
related (unsigned port)
{
  Related r;

  r.n = ptl_related_ports (port, r.first, r.last, MAX_OUT);
  g_assert_cmpuint (r.n, <=, MAX_OUT);
  return r;
}

static gboolean
related_has (const Related *r, unsigned first, unsigned last)
{
  for (size_t i = 0; i < r->n; i++)
    if (r->first[i] == first && r->last[i] == last)
      return TRUE;
  return FALSE;
}

static void
test_iana_1644 (void)
{
  static const unsigned protos[] = { PTL_PROTO_TCP, PTL_PROTO_UDP };

  for (size_t i = 0; i < G_N_ELEMENTS (protos); i++)
    {
      const PtlIanaEntry *e = find_iana (1644, protos[i], "saiseh");
      g_assert_nonnull (e);
      g_assert_cmpuint (e->first, ==, 1644);
      g_assert_cmpuint (e->last, ==, 1644);
      g_assert_cmpuint (e->proto, ==, protos[i]);
      g_assert_cmpstr (e->description, ==, "Satellite-data Acquisition System 4");
    }
  g_assert_true (ptl_iana_is_assigned (1644, PTL_PROTO_TCP));
  g_assert_true (ptl_iana_is_assigned (1644, 0));
}

static void
test_iana_ircu_range (void)
{
  const PtlIanaEntry *e = find_iana (6667, PTL_PROTO_TCP, "ircu");

  g_assert_nonnull (e);
  g_assert_cmpuint (e->first, ==, 6665);
  g_assert_cmpuint (e->last, ==, 6669);
  g_assert_cmpuint (e->proto, ==, PTL_PROTO_TCP);
  g_assert_nonnull (find_iana (6665, PTL_PROTO_TCP, "ircu"));
  g_assert_nonnull (find_iana (6669, 0, "ircu"));
  g_assert_null (find_iana (6670, 0, "ircu"));
  g_assert_null (find_iana (6667, PTL_PROTO_UDP, "ircu"));
}

static void
test_iana_80 (void)
{
  const PtlIanaEntry *e = find_iana (80, PTL_PROTO_TCP, "http");

  g_assert_nonnull (e);
  g_assert_cmpuint (e->proto, ==, PTL_PROTO_TCP);
  g_assert_null (find_iana (80, PTL_PROTO_DCCP, "http"));
}

/* IANA's data has no port with both kinds today, so check it on ours:
 * 6667 is a single IRC entry and inside the 6660-6669 IRC range. */
static void
test_singles_before_ranges (void)
{
  const PtlUnofficial *out[MAX_OUT];
  size_t n = ptl_unofficial_lookup (6667, out, MAX_OUT);
  gboolean seen_single = FALSE, seen_range = FALSE;

  for (size_t i = 0; i < MIN (n, MAX_OUT); i++)
    {
      gboolean is_range = out[i]->last > out[i]->first;
      g_assert_true (is_range || !seen_range);
      seen_range = seen_range || is_range;
      seen_single = seen_single || !is_range;
    }
  g_assert_true (seen_single);
  g_assert_true (seen_range);
}

/* Every port's count from the binary searches equals a brute-force count. */
static void
test_lookup_matches_scan (void)
{
  g_autofree guint *iana = g_new0 (guint, PTL_PORT_MAX + 1);
  g_autofree guint *unofficial = g_new0 (guint, PTL_PORT_MAX + 1);

  for (size_t i = 0; i < ptl_iana_len; i++)
    for (unsigned p = ptl_iana[i].first; p <= ptl_iana[i].last; p++)
      iana[p]++;
  for (size_t i = 0; i < ptl_unofficial_len; i++)
    for (unsigned p = ptl_unofficial[i].first; p <= ptl_unofficial[i].last; p++)
      unofficial[p]++;
  for (unsigned p = 0; p <= PTL_PORT_MAX; p++)
    {
      g_assert_cmpuint (ptl_iana_lookup (p, 0, NULL, 0), ==, iana[p]);
      g_assert_cmpuint (ptl_unofficial_lookup (p, NULL, 0), ==, unofficial[p]);
      g_assert_true (ptl_iana_is_assigned (p, 0) == (iana[p] > 0));
    }
}

static void
test_count_exceeds_max (void)
{
  const PtlIanaEntry *one[1];
  size_t all = ptl_iana_lookup (80, 0, NULL, 0);

  g_assert_cmpuint (all, >=, 3); /* http on tcp, udp and sctp at least */
  g_assert_cmpuint (ptl_iana_lookup (80, 0, one, 1), ==, all);
  g_assert_cmpuint (one[0]->first, ==, 80);
}

static void
test_minecraft_25565 (void)
{
  g_assert_cmpuint (ptl_iana_lookup (25565, 0, NULL, 0), ==, 0);
  g_assert_false (ptl_iana_is_assigned (25565, 0));
  g_assert_false (ptl_iana_is_assigned (25565, PTL_PROTO_TCP));
  g_assert_true (has_unofficial (25565, "Minecraft"));
  g_assert_true (has_unofficial (19132, "Minecraft"));
}

static void
test_unofficial_airplay (void)
{
  g_assert_true (has_unofficial (5000, "AirPlay"));
  g_assert_true (has_unofficial (7000, "AirPlay"));
  g_assert_false (has_unofficial (5001, "AirPlay"));
}

static void
test_unofficial_dev_servers (void)
{
  static const unsigned ports[] = { 3000, 4200, 5173, 8000, 8080, 8888 };

  for (size_t i = 0; i < G_N_ELEMENTS (ports); i++)
    g_assert_cmpuint (ptl_unofficial_lookup (ports[i], NULL, 0), >, 0);
  g_assert_true (has_unofficial (5173, "Vite"));
  g_assert_true (has_unofficial (4200, "Angular"));
  g_assert_true (has_unofficial (8888, "Jupyter"));
  g_assert_cmpuint (ptl_unofficial_len, >=, 80);
}

static void
test_unofficial_irc (void)
{
  g_assert_true (has_unofficial (1644, "IRC"));
  g_assert_true (has_unofficial (6667, "IRC"));
  g_assert_true (has_unofficial (6697, "IRC"));
}

static void
test_unofficial_ranges (void)
{
  const PtlUnofficial *out[MAX_OUT];
  size_t n = ptl_unofficial_lookup (6885, out, MAX_OUT);
  gboolean found = FALSE;

  for (size_t i = 0; i < MIN (n, MAX_OUT); i++)
    found = found || (out[i]->first == 6881 && out[i]->last == 6889);
  g_assert_true (found);
  g_assert_true (has_unofficial (40000, "ephemeral"));
}

static void
test_related_6667 (void)
{
  Related r = related (6667);

  g_assert_true (related_has (&r, 194, 194));
  g_assert_true (related_has (&r, 6665, 6669));
  g_assert_true (related_has (&r, 6697, 6697));
  g_assert_true (related_has (&r, 1644, 1644));
  g_assert_false (related_has (&r, 6667, 6667));
}

static void
test_related_1644 (void)
{
  Related r = related (1644);

  g_assert_true (related_has (&r, 194, 194));
  g_assert_true (related_has (&r, 6665, 6669));
  g_assert_true (related_has (&r, 6697, 6697));
  g_assert_false (related_has (&r, 1644, 1644));
}

static void
test_related_tls_twin (void)
{
  Related http = related (80);
  Related imap = related (143);

  g_assert_true (related_has (&http, 443, 443));
  g_assert_true (related_has (&imap, 993, 993));
}

static void
test_related_sorted_unique (void)
{
  static const unsigned ports[] = { 0, 22, 80, 443, 1644, 5000, 6667, 8080, 27015, 65535 };

  for (size_t p = 0; p < G_N_ELEMENTS (ports); p++)
    {
      Related r = related (ports[p]);
      for (size_t i = 1; i < r.n; i++)
        g_assert_true (r.first[i - 1] < r.first[i]
                       || (r.first[i - 1] == r.first[i] && r.last[i - 1] < r.last[i]));
    }
}

static void
test_related_cap (void)
{
  Related full = related (8080);
  unsigned first[2], last[2];
  size_t n = ptl_related_ports (8080, first, last, 2);

  g_assert_cmpuint (full.n, >, 2);
  g_assert_cmpuint (n, ==, 2);
  /* A capped answer is the start of the full one. */
  g_assert_cmpuint (first[0], ==, full.first[0]);
  g_assert_cmpuint (first[1], ==, full.first[1]);
  g_assert_cmpuint (last[1], ==, full.last[1]);
  g_assert_cmpuint (ptl_related_ports (8080, NULL, NULL, 0), ==, 0);
}

static void
test_find_service (void)
{
  const PtlIanaEntry *out[MAX_OUT];
  size_t n = ptl_iana_find_service ("IRCU", out, MAX_OUT);
  gboolean has_80 = FALSE;

  g_assert_cmpuint (n, >=, 1);
  g_assert_cmpuint (out[0]->first, ==, 6665);
  g_assert_cmpuint (out[0]->last, ==, 6669);
  g_assert_cmpstr (out[0]->service, ==, "ircu");

  n = ptl_iana_find_service ("http", out, MAX_OUT);
  for (size_t i = 0; i < MIN (n, MAX_OUT); i++)
    {
      has_80 = has_80 || out[i]->first == 80;
      if (i > 0)
        g_assert_cmpuint (out[i - 1]->first, <=, out[i]->first);
    }
  g_assert_true (has_80);
  g_assert_cmpuint (ptl_iana_find_service ("no-such-service-here", out, MAX_OUT), ==, 0);
  g_assert_cmpuint (ptl_iana_find_service ("", out, MAX_OUT), ==, 0);
  g_assert_cmpuint (ptl_iana_find_service ("Saiseh", NULL, 0), ==, 2);
}

static void
test_edges (void)
{
  const PtlIanaEntry *iana[MAX_OUT];
  const PtlUnofficial *unofficial[MAX_OUT];
  unsigned first[MAX_OUT], last[MAX_OUT];
  static const unsigned ports[] = { 0, 1, 65534, 65535, 65536, 100000 };

  for (size_t i = 0; i < G_N_ELEMENTS (ports); i++)
    {
      ptl_iana_lookup (ports[i], 0, iana, MAX_OUT);
      ptl_iana_is_assigned (ports[i], 0);
      ptl_unofficial_lookup (ports[i], unofficial, MAX_OUT);
      ptl_related_ports (ports[i], first, last, MAX_OUT);
    }
  g_assert_true (ptl_iana_is_assigned (0, PTL_PROTO_TCP)); /* IANA: Reserved */
  g_assert_cmpstr (find_iana (0, PTL_PROTO_TCP, "")->description, ==, "Reserved");
  g_assert_cmpuint (ptl_iana_lookup (65536, 0, iana, MAX_OUT), ==, 0);
  g_assert_cmpuint (ptl_unofficial_lookup (65536, unofficial, MAX_OUT), ==, 0);
  g_assert_cmpuint (ptl_related_ports (65536, first, last, MAX_OUT), ==, 0);
}

static int
iana_cmp (const PtlIanaEntry *a, const PtlIanaEntry *b)
{
  if (a->first != b->first)
    return a->first < b->first ? -1 : 1;
  if (a->last != b->last)
    return a->last < b->last ? -1 : 1;
  if (a->proto != b->proto)
    return a->proto < b->proto ? -1 : 1;
  return strcmp (a->service, b->service);
}

static void
test_iana_sorted (void)
{
  g_assert_cmpuint (ptl_iana_len, >, 10000);
  for (size_t i = 0; i < ptl_iana_len; i++)
    {
      const PtlIanaEntry *e = &ptl_iana[i];
      g_assert_cmpuint (e->first, <=, e->last);
      g_assert_true (e->proto == PTL_PROTO_TCP || e->proto == PTL_PROTO_UDP
                     || e->proto == PTL_PROTO_SCTP || e->proto == PTL_PROTO_DCCP);
      if (i > 0)
        g_assert_cmpint (iana_cmp (&ptl_iana[i - 1], e), <, 0);
    }
}

static void
test_range_idx_sorted (void)
{
  size_t k = 0;

  g_assert_cmpuint (ptl_iana_range_idx_len, >=, 1);
  for (size_t i = 0; i < ptl_iana_len; i++)
    {
      if (ptl_iana[i].last == ptl_iana[i].first)
        continue;
      g_assert_cmpuint (k, <, ptl_iana_range_idx_len);
      g_assert_cmpuint (ptl_iana_range_idx[k], ==, i);
      k++;
    }
  g_assert_cmpuint (k, ==, ptl_iana_range_idx_len);
}

static void
test_name_idx_sorted (void)
{
  size_t named = 0;

  for (size_t i = 0; i < ptl_iana_len; i++)
    named += ptl_iana[i].service[0] != '\0';
  g_assert_cmpuint (ptl_iana_name_idx_len, ==, named);
  for (size_t k = 1; k < ptl_iana_name_idx_len; k++)
    {
      const PtlIanaEntry *a = &ptl_iana[ptl_iana_name_idx[k - 1]];
      const PtlIanaEntry *b = &ptl_iana[ptl_iana_name_idx[k]];
      int c = g_ascii_strcasecmp (a->service, b->service);
      g_assert_cmpint (c, <=, 0);
      if (c == 0)
        g_assert_true (a->first < b->first || (a->first == b->first && a->proto <= b->proto));
    }
}

static void
test_unofficial_sorted (void)
{
  for (size_t i = 0; i < ptl_unofficial_len; i++)
    {
      const PtlUnofficial *u = &ptl_unofficial[i];
      g_assert_cmpuint (u->first, <=, u->last);
      g_assert_cmpuint (u->protos, !=, 0);
      g_assert_cmpuint (u->protos & ~(unsigned) PTL_PROTO_ALL, ==, 0);
      g_assert_cmpstr (u->use, !=, "");
      g_assert_cmpuint (strlen (u->note), <=, 90 * 4); /* 90 characters of UTF-8 */
      if (i > 0)
        g_assert_true (
            ptl_unofficial[i - 1].first < u->first
            || (ptl_unofficial[i - 1].first == u->first && ptl_unofficial[i - 1].last <= u->last));
    }
}

static void
test_groups_sorted (void)
{
  g_assert_cmpuint (ptl_port_groups_len, >=, 20);
  g_assert_cmpstr (ptl_port_groups[0].name, ==, "irc");
  for (size_t i = 0; i < ptl_group_members_len; i++)
    {
      const PtlGroupMember *m = &ptl_group_members[i];
      const PtlGroupMember *p = i > 0 ? &ptl_group_members[i - 1] : NULL;
      g_assert_cmpuint (m->group, <, ptl_port_groups_len);
      g_assert_cmpuint (m->first, <=, m->last);
      if (p != NULL)
        g_assert_true (p->first < m->first || (p->first == m->first && p->last < m->last)
                       || (p->first == m->first && p->last == m->last && p->group < m->group));
    }
}

static void
test_data_source (void)
{
  g_assert_nonnull (strstr (ptl_data_source, "IANA"));
  g_assert_null (strchr (ptl_data_source, '\n'));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ptl/knowledge/iana-1644", test_iana_1644);
  g_test_add_func ("/ptl/knowledge/iana-ircu-range", test_iana_ircu_range);
  g_test_add_func ("/ptl/knowledge/iana-80", test_iana_80);
  g_test_add_func ("/ptl/knowledge/singles-before-ranges", test_singles_before_ranges);
  g_test_add_func ("/ptl/knowledge/lookup-matches-scan", test_lookup_matches_scan);
  g_test_add_func ("/ptl/knowledge/count-exceeds-max", test_count_exceeds_max);
  g_test_add_func ("/ptl/knowledge/minecraft-25565", test_minecraft_25565);
  g_test_add_func ("/ptl/knowledge/unofficial-airplay", test_unofficial_airplay);
  g_test_add_func ("/ptl/knowledge/unofficial-dev-servers", test_unofficial_dev_servers);
  g_test_add_func ("/ptl/knowledge/unofficial-irc", test_unofficial_irc);
  g_test_add_func ("/ptl/knowledge/unofficial-ranges", test_unofficial_ranges);
  g_test_add_func ("/ptl/knowledge/related-6667", test_related_6667);
  g_test_add_func ("/ptl/knowledge/related-1644", test_related_1644);
  g_test_add_func ("/ptl/knowledge/related-tls-twin", test_related_tls_twin);
  g_test_add_func ("/ptl/knowledge/related-sorted-unique", test_related_sorted_unique);
  g_test_add_func ("/ptl/knowledge/related-cap", test_related_cap);
  g_test_add_func ("/ptl/knowledge/find-service", test_find_service);
  g_test_add_func ("/ptl/knowledge/edges", test_edges);
  g_test_add_func ("/ptl/knowledge/iana-sorted", test_iana_sorted);
  g_test_add_func ("/ptl/knowledge/range-idx-sorted", test_range_idx_sorted);
  g_test_add_func ("/ptl/knowledge/name-idx-sorted", test_name_idx_sorted);
  g_test_add_func ("/ptl/knowledge/unofficial-sorted", test_unofficial_sorted);
  g_test_add_func ("/ptl/knowledge/groups-sorted", test_groups_sorted);
  g_test_add_func ("/ptl/knowledge/data-source", test_data_source);
  return g_test_run ();
}
