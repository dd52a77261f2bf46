/* ptl-port.h: protocols, the IANA ranges, and the query syntax. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "ptl-error.h"

#define PTL_PORT_MAX 65535u

/* Bit flags, so a set of protocols fits in one unsigned. */
typedef enum
{
  PTL_PROTO_TCP = 1 << 0,
  PTL_PROTO_UDP = 1 << 1,
  PTL_PROTO_SCTP = 1 << 2,
  PTL_PROTO_DCCP = 1 << 3,
} PtlProto;

#define PTL_PROTO_ALL (PTL_PROTO_TCP | PTL_PROTO_UDP | PTL_PROTO_SCTP | PTL_PROTO_DCCP)
#define PTL_N_PROTOS 4

/* Every protocol, in the order people expect them listed. */
extern const PtlProto ptl_protos[PTL_N_PROTOS];

typedef enum
{
  PTL_RANGE_WELL_KNOWN, /* 0-1023 */
  PTL_RANGE_REGISTERED, /* 1024-49151 */
  PTL_RANGE_DYNAMIC,    /* 49152-65535 */
} PtlRange;

/** ptl_proto_name: "tcp", "udp", "sctp", "dccp"; "?" for anything else. */
const char *ptl_proto_name (PtlProto proto);

/** ptl_proto_from_name: the protocol named @name (case-insensitive), or 0. */
PtlProto ptl_proto_from_name (const char *name);

/** ptl_port_range: the RFC 6335 range @port belongs to. */
PtlRange ptl_port_range (unsigned port);

/** ptl_range_name: "well-known", "registered" or "dynamic" (stable, used in JSON). */
const char *ptl_range_name (PtlRange range);

/** ptl_range_first / ptl_range_last: the bounds of @range. */
unsigned ptl_range_first (PtlRange range);
unsigned ptl_range_last (PtlRange range);

/** ptl_range_title: a capitalised label for people, e.g. "Registered". */
const char *ptl_range_title (PtlRange range);

/** ptl_range_explain: one or two plain sentences on what the range means. */
const char *ptl_range_explain (PtlRange range);

typedef enum
{
  PTL_QUERY_PORT,    /* 1644, 1644/udp */
  PTL_QUERY_RANGE,   /* 6660-6669 */
  PTL_QUERY_SERVICE, /* ssh, ircu: resolved to its ports */
} PtlQueryKind;

#define PTL_QUERY_MAX_PORTS 64
#define PTL_SERVICE_NAME_MAX 64

typedef struct
{
  PtlQueryKind kind;
  unsigned first, last; /* the span covered; for a service, min and max port */
  unsigned protos;      /* PtlProto mask; 0 when the query named none */
  char service[PTL_SERVICE_NAME_MAX];
  /* For a service: every port (or range start..end pair) it resolves to. */
  struct
  {
    unsigned first, last;
  } spans[PTL_QUERY_MAX_PORTS];
  size_t n_spans;
} PtlQuery;

/**
 * ptl_query_parse:
 * Parses a user's query: "1644", "1644/udp", "6660-6669", "6660-6669/tcp",
 * or a service name ("ssh", "ircu", "http/tcp") resolved through the IANA
 * tables.
 *
 * Returns 0, PTL_EINVAL for malformed input (with a sentence naming the
 * problem) or PTL_ENOTFOUND for a well-formed service name IANA does not know.
 */
int ptl_query_parse (const char *text, PtlQuery *query, PtlError *err);

/** ptl_query_n_ports: how many ports the query covers in all. */
size_t ptl_query_n_ports (const PtlQuery *query);
