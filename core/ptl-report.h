/* ptl-report.h: everything Portolan knows about one port, and about each
 * port of a range or service query, built from the knowledge tables and one
 * platform socket query for the whole span.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "ptl-buf.h"
#include "ptl-knowledge.h"
#include "ptl-platform.h"
#include "ptl-port.h"
#include "ptl-socket.h"
#include "ptl-text.h"

#define PTL_REPORT_MAX_IANA 32
#define PTL_REPORT_MAX_UNOFFICIAL 16
#define PTL_REPORT_MAX_RELATED 48
#define PTL_REPORT_MAX_NOTES 4
/* A range query reports each port; past this many the answer is a list. */
#define PTL_REPORT_MAX_PORTS 4096

typedef struct
{
  unsigned port;
  PtlRange range;
  const PtlIanaEntry *iana[PTL_REPORT_MAX_IANA];
  size_t n_iana;
  const PtlUnofficial *unofficial[PTL_REPORT_MAX_UNOFFICIAL];
  size_t n_unofficial;
  unsigned related_first[PTL_REPORT_MAX_RELATED], related_last[PTL_REPORT_MAX_RELATED];
  size_t n_related;
  PtlBindResult bind_tcp, bind_udp; /* IPv4 and IPv6 combined */
  bool free_tcp, free_udp;
  bool in_ephemeral, reserved, privileged;
  const char *notes[PTL_REPORT_MAX_NOTES]; /* static sentences, or excluded_note */
  char excluded_note[160];                 /* names the excluded range holding the port */
  unsigned excluded_first, excluded_last;  /* that range */
  size_t n_notes;
  size_t n_sockets; /* rows of the set's table on this port */
  /* Sockets of each protocol on this port in this namespace, shown or not
   * (a query for 80/udp still reads the tcp ones to judge tcp's bind). */
  bool seen_tcp, seen_udp;
  size_t n_elsewhere; /* rows of the set's elsewhere table on this port */
} PtlPortReport;

typedef struct
{
  PtlQuery query;
  char query_text[128];
  PtlPortRules rules;
  bool rules_known;
  PtlSocketTable table; /* every socket on any reported port, with owners */
  /* The same ports in other network namespaces (containers, ip netns),
   * with owners: read as root; otherwise only counted. */
  PtlSocketTable elsewhere;
  PtlPortReport *reports;
  size_t n_reports;
} PtlReportSet;

/* The note of port 0, which no program can hold: a bind to port 0 asks the
 * system for any free port. The report of port 0 carries it as its first
 * note, skips the bind test (bind "unavailable", free false). */
extern const char ptl_port_zero_note[];

/**
 * ptl_report_note:
 * Note @i of @r in the reader's language (ptl_tr): the excluded-range note,
 * which names its range, is written into @buf (@size bytes) from the
 * translated sentence; the others are returned as translated.
 */
const char *ptl_report_note (const PtlPortReport *r, size_t i, char *buf, size_t size);

/**
 * ptl_report_build:
 * Answers @query: the knowledge for each port, this machine's sockets on
 * them with owners, bind tests and the port rules. @set must be released
 * with ptl_report_clear, even on error.
 */
int ptl_report_build (const PtlQuery *query, const char *query_text, PtlReportSet *set,
                      PtlError *err);

/**
 * ptl_report_fill_knowledge:
 * Fills the parts of @r that come from the tables alone (range, IANA,
 * unofficial, related), for @port limited to @protos (0 = all).
 */
void ptl_report_fill_knowledge (PtlPortReport *r, unsigned port, unsigned protos);

/**
 * ptl_report_fill_machine:
 * Fills the parts of @r that come from @rules, the bind results and
 * @table: free flags, ephemeral/reserved/privilege facts and their notes.
 */
void ptl_report_fill_machine (PtlPortReport *r, const PtlPortRules *rules, bool rules_known,
                              const PtlSocketTable *table);

/**
 * ptl_bind_port:
 * Bind-tests @port for @proto on IPv4 and IPv6 and combines the two: a
 * port free on one family but taken on the other is in use for a server
 * that listens on both. A missing IPv6 (or IPv4) stack does not count.
 */
PtlBindResult ptl_bind_port (unsigned port, PtlProto proto);

/** ptl_report_clear: frees what ptl_report_build allocated. */
void ptl_report_clear (PtlReportSet *set);

/**
 * ptl_bind_result_name: "free", "in-use", "needs-privilege", "unavailable", "reserved" or
 * "error".
 */
const char *ptl_bind_result_name (PtlBindResult result);

/* Writers. Text fits 100 columns and reads well in 80. */

/** ptl_format_report_text: the full report for one port, or a short line per port. */
void ptl_format_report_text (const PtlReportSet *set, PtlBuf *out);

/** ptl_format_report_json: one report object, or {"query", "reports"} for several. */
void ptl_format_report_json (const PtlReportSet *set, PtlBuf *out);

/** ptl_format_table_text: the socket table in columns, like ss or netstat. */
void ptl_format_table_text (const PtlSocketTable *table, PtlBuf *out);

/** ptl_format_table_json: {"sockets": […], "notes": […]}. */
void ptl_format_table_json (const PtlSocketTable *table, PtlBuf *out);

/** ptl_format_table_csv: RFC 4180 CSV, one row per socket. */
void ptl_format_table_csv (const PtlSocketTable *table, PtlBuf *out);

/** ptl_format_socket_json: one socket object, as in the "sockets" arrays. */
void ptl_format_socket_json (const PtlSocketTable *table, const PtlSocket *s, PtlBuf *out);

/**
 * ptl_format_socket_line:
 * One socket on one line, never wrapped: "tcp4 LISTEN 127.0.0.1:8080
 * 0.0.0.0:* 1234/python3 (root)"; names and addresses made safe.
 */
void ptl_format_socket_line (const PtlSocketTable *table, const PtlSocket *s, PtlBuf *out);

/** ptl_format_ports_json: {"ports": [n, …]}. */
void ptl_format_ports_json (const unsigned *ports, size_t n, PtlBuf *out);

/** ptl_json_string: appends @s as a JSON string; invalid UTF-8 becomes U+FFFD. */
void ptl_json_string (PtlBuf *out, const char *s);

/** ptl_csv_field: appends @s as a CSV field, quoted when it needs to be. */
void ptl_csv_field (PtlBuf *out, const char *s);

/**
 * ptl_findstr_pattern:
 * What `findstr /C:` looks for to pick port @port's rows out of `netstat
 * -ano`: ":PORT " into @out. netstat pads its columns with spaces, so the
 * space makes it match the port exactly (":22 " is not in ":2222 ").
 * Returns @out.
 */
const char *ptl_findstr_pattern (unsigned port, char *out, size_t size);

/** ptl_netstat_command: `netstat -ano | findstr /C:":PORT "` into @out; returns @out. */
const char *ptl_netstat_command (unsigned port, char *out, size_t size);

/** ptl_socket_owner_summary: "1234/python3" or the owner note, for one-line views. */
void ptl_socket_owner_summary (const PtlSocketTable *table, const PtlSocket *s, PtlBuf *out);
