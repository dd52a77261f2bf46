/* ptl-knowledge.c: lookups over the generated port tables.
 *
 * The tables come sorted from tools/gen-tables.py (see the orderings listed
 * there), so every lookup here is a binary search plus a short walk; nothing
 * is allocated and nothing is sorted at run time.
 */
#include "ptl-knowledge.h"

#include <string.h>

#define PORT_MAX 65535u
/* Service names are at most 15 characters (RFC 6335); leave generous room. */
#define SERVICE_NAME_MAX 64
/* Entries examined for the names of one port; real ports have under ten. */
#define PORT_ENTRIES_MAX 32

static bool
proto_matches (unsigned entry_protos, unsigned wanted)
{
  return wanted == 0 || (entry_protos & wanted) != 0;
}

static int
ascii_lower (int c)
{
  return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Byte-wise and ASCII case-insensitive, matching the generator's sort key. */
static int
service_cmp (const char *a, const char *b)
{
  for (;; a++, b++)
    {
      int ca = ascii_lower ((unsigned char) *a);
      int cb = ascii_lower ((unsigned char) *b);
      if (ca != cb || ca == 0)
        return ca - cb;
    }
}

/* The first index of ptl_iana whose first port is >= @port. */
static size_t
iana_lower_bound (unsigned port)
{
  size_t lo = 0, hi = ptl_iana_len;
  while (lo < hi)
    {
      size_t mid = lo + (hi - lo) / 2;
      if (ptl_iana[mid].first < port)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* The first position in ptl_iana_name_idx whose service is >= @name. */
static size_t
name_lower_bound (const char *name)
{
  size_t lo = 0, hi = ptl_iana_name_idx_len;
  while (lo < hi)
    {
      size_t mid = lo + (hi - lo) / 2;
      if (service_cmp (ptl_iana[ptl_iana_name_idx[mid]].service, name) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* The first index of ptl_unofficial whose first port is >= @port
 * (@strictly false) or > @port (@strictly true). */
static size_t
unofficial_bound (unsigned port, bool strictly)
{
  size_t lo = 0, hi = ptl_unofficial_len;
  while (lo < hi)
    {
      size_t mid = lo + (hi - lo) / 2;
      unsigned first = ptl_unofficial[mid].first;
      if (first < port || (strictly && first == port))
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

size_t
ptl_iana_lookup (unsigned port, unsigned protos, const PtlIanaEntry **out, size_t max)
{
  size_t n = 0;

  if (port > PORT_MAX)
    return 0;
  for (size_t i = iana_lower_bound (port); i < ptl_iana_len && ptl_iana[i].first == port; i++)
    {
      const PtlIanaEntry *e = &ptl_iana[i];
      if (e->last != port || !proto_matches (e->proto, protos))
        continue;
      if (n < max)
        out[n] = e;
      n++;
    }
  /* Range entries are few (a handful in IANA's registry): a scan is fine. */
  for (size_t k = 0; k < ptl_iana_range_idx_len; k++)
    {
      const PtlIanaEntry *e = &ptl_iana[ptl_iana_range_idx[k]];
      if (e->first > port)
        break;
      if (e->last < port || !proto_matches (e->proto, protos))
        continue;
      if (n < max)
        out[n] = e;
      n++;
    }
  return n;
}

bool
ptl_iana_is_assigned (unsigned port, unsigned protos)
{
  return ptl_iana_lookup (port, protos, NULL, 0) > 0;
}

size_t
ptl_iana_find_service (const char *name, const PtlIanaEntry **out, size_t max)
{
  size_t n = 0;

  if (name == NULL || name[0] == '\0')
    return 0;
  for (size_t k = name_lower_bound (name); k < ptl_iana_name_idx_len; k++)
    {
      const PtlIanaEntry *e = &ptl_iana[ptl_iana_name_idx[k]];
      if (service_cmp (e->service, name) != 0)
        break;
      if (n < max)
        out[n] = e;
      n++;
    }
  return n;
}

size_t
ptl_unofficial_lookup (unsigned port, const PtlUnofficial **out, size_t max)
{
  size_t end, n = 0;

  if (port > PORT_MAX)
    return 0;
  end = unofficial_bound (port, true);
  for (size_t i = unofficial_bound (port, false); i < end; i++)
    {
      if (ptl_unofficial[i].last != port)
        continue;
      if (n < max)
        out[n] = &ptl_unofficial[i];
      n++;
    }
  /* Every range covering @port starts before @end; the table is short. */
  for (size_t i = 0; i < end; i++)
    {
      const PtlUnofficial *u = &ptl_unofficial[i];
      if (u->last == u->first || u->last < port)
        continue;
      if (n < max)
        out[n] = u;
      n++;
    }
  return n;
}

/* The caller's first/last arrays, kept sorted and free of duplicates. */
typedef struct
{
  unsigned *first, *last;
  size_t n, max;
  unsigned port; /* left out: the port asked about */
} SpanSet;

static bool
span_before (unsigned a_first, unsigned a_last, unsigned b_first, unsigned b_last)
{
  return a_first < b_first || (a_first == b_first && a_last < b_last);
}

/* Inserts first..last in order. When the set is full, the largest span
 * falls off, so the result is always the @max smallest related spans. */
static void
span_set_add (SpanSet *set, unsigned first, unsigned last)
{
  size_t i = 0, keep;

  if (first == set->port && last == set->port)
    return;
  while (i < set->n && span_before (set->first[i], set->last[i], first, last))
    i++;
  if (i == set->max || (i < set->n && set->first[i] == first && set->last[i] == last))
    return;
  keep = set->n < set->max ? set->n : set->max - 1;
  memmove (set->first + i + 1, set->first + i, (keep - i) * sizeof *set->first);
  memmove (set->last + i + 1, set->last + i, (keep - i) * sizeof *set->last);
  set->first[i] = first;
  set->last[i] = last;
  set->n = keep + 1;
}

static void
add_service_ports (SpanSet *set, const char *name)
{
  for (size_t k = name_lower_bound (name); k < ptl_iana_name_idx_len; k++)
    {
      const PtlIanaEntry *e = &ptl_iana[ptl_iana_name_idx[k]];
      if (service_cmp (e->service, name) != 0)
        return;
      span_set_add (set, e->first, e->last);
    }
}

/* @name's own ports and those of its TLS twin, named with a trailing "s"
 * by IANA's habit (http/https, imap/imaps, pop3/pop3s). */
static void
add_service_family (SpanSet *set, const char *name)
{
  char tls[SERVICE_NAME_MAX + 2];
  size_t len = strlen (name);

  add_service_ports (set, name);
  if (len > SERVICE_NAME_MAX)
    return;
  memcpy (tls, name, len);
  tls[len] = 's';
  tls[len + 1] = '\0';
  add_service_ports (set, tls);
}

static bool
name_seen_before (const PtlIanaEntry **entries, size_t i)
{
  for (size_t j = 0; j < i; j++)
    if (service_cmp (entries[j]->service, entries[i]->service) == 0)
      return true;
  return false;
}

static void
add_services_of_port (SpanSet *set, unsigned port)
{
  const PtlIanaEntry *entries[PORT_ENTRIES_MAX];
  size_t n = ptl_iana_lookup (port, 0, entries, PORT_ENTRIES_MAX);

  if (n > PORT_ENTRIES_MAX)
    n = PORT_ENTRIES_MAX;
  for (size_t i = 0; i < n; i++)
    {
      if (entries[i]->service[0] == '\0' || name_seen_before (entries, i))
        continue;
      add_service_family (set, entries[i]->service);
    }
}

static void
add_group (SpanSet *set, unsigned group)
{
  for (size_t i = 0; i < ptl_group_members_len; i++)
    if (ptl_group_members[i].group == group)
      span_set_add (set, ptl_group_members[i].first, ptl_group_members[i].last);
}

static void
add_groups_of_port (SpanSet *set, unsigned port)
{
  /* Members are sorted by first port: stop at the first that starts past @port. */
  for (size_t i = 0; i < ptl_group_members_len && ptl_group_members[i].first <= port; i++)
    {
      if (ptl_group_members[i].last >= port)
        add_group (set, ptl_group_members[i].group);
    }
}

size_t
ptl_related_ports (unsigned port, unsigned *first, unsigned *last, size_t max)
{
  SpanSet set = { first, last, 0, max, port };

  if (port > PORT_MAX || max == 0)
    return 0;
  add_services_of_port (&set, port);
  add_groups_of_port (&set, port);
  return set.n;
}
