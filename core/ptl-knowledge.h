/* ptl-knowledge.h: what ports mean. IANA assignments, our curated unofficial
 * uses and related-port groups. The tables are C arrays generated at build
 * time from the TSV files in resources/data by tools/gen-tables.py: nothing is parsed
 * at start-up and every lookup is a binary search.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct
{
  uint16_t first, last;    /* equal for a single port */
  uint8_t proto;           /* one PtlProto bit */
  const char *service;     /* "" for IANA's "Reserved" rows */
  const char *description; /* IANA's description, may be "" */
} PtlIanaEntry;

typedef struct
{
  uint16_t first, last;
  uint8_t protos;   /* PtlProto mask */
  const char *use;  /* short name of the use, e.g. "IRC" */
  const char *note; /* one line in our own words */
} PtlUnofficial;

typedef struct
{
  const char *name;  /* e.g. "irc" */
  const char *title; /* e.g. "IRC (Internet Relay Chat)" */
} PtlPortGroup;

typedef struct
{
  uint16_t first, last;
  uint16_t group; /* index into ptl_port_groups */
} PtlGroupMember;

/* Generated data; see tools/gen-tables.py for the ordering guarantees. */
extern const PtlIanaEntry ptl_iana[]; /* by (first, last, proto, service) */
extern const size_t ptl_iana_len;
extern const uint32_t ptl_iana_range_idx[]; /* indices of entries with last > first */
extern const size_t ptl_iana_range_idx_len;
extern const uint32_t ptl_iana_name_idx[]; /* indices by lower-case service, then first */
extern const size_t ptl_iana_name_idx_len;
extern const PtlUnofficial ptl_unofficial[]; /* by (first, last) */
extern const size_t ptl_unofficial_len;
extern const PtlPortGroup ptl_port_groups[];
extern const size_t ptl_port_groups_len;
extern const PtlGroupMember ptl_group_members[]; /* by (first, last) */
extern const size_t ptl_group_members_len;
extern const char ptl_data_source[]; /* where and when the IANA data came from */

/**
 * ptl_iana_lookup:
 * Stores up to @max pointers to the IANA entries covering @port for any
 * protocol in @protos (a PtlProto mask, 0 = all) in @out, single-port
 * entries first, then range entries. Returns how many there are in all,
 * which may exceed @max.
 */
size_t ptl_iana_lookup (unsigned port, unsigned protos, const PtlIanaEntry **out, size_t max);

/**
 * ptl_iana_is_assigned:
 * True when IANA has any entry (including "Reserved") for @port on a
 * protocol in @protos.
 */
bool ptl_iana_is_assigned (unsigned port, unsigned protos);

/**
 * ptl_iana_find_service:
 * Stores up to @max entries whose service name equals @name
 * (ASCII case-insensitive) in @out, ordered by port. Returns the count in all.
 */
size_t ptl_iana_find_service (const char *name, const PtlIanaEntry **out, size_t max);

/** ptl_unofficial_lookup: like ptl_iana_lookup, for the curated unofficial uses. */
size_t ptl_unofficial_lookup (unsigned port, const PtlUnofficial **out, size_t max);

/**
 * ptl_related_ports:
 * Ports related to @port: the other ports of its IANA service names (and
 * their TLS "s" variants), and the members of its curated groups. Ranges
 * come as first..last pairs in @first/@last. @port itself is left out.
 * Returns the number stored (at most @max), sorted and without duplicates.
 */
size_t ptl_related_ports (unsigned port, unsigned *first, unsigned *last, size_t max);
