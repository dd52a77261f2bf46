/* ptl-win32-sockets.c: the socket table from GetExtendedTcpTable and
 * GetExtendedUdpTable, IPv4 and IPv6.
 *
 * Windows hands out each row's owning PID with the row, so the rows get
 * their owner's PID here (a process entry with only the PID);
 * ptl_platform_find_owners then fills in names, paths and users.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <iphlpapi.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptl-win32-logic.h"
#include "ptl-win32-private.h"

/* Windows returns this NTSTATUS (STATUS_UNSUCCESSFUL) when the table
 * changed size between the size query and the read. */
#define PTL_WIN32_STATUS_UNSUCCESSFUL 0xC0000001u
#define PTL_WIN32_TABLE_TRIES 8

/* What the owner-PID tables have cost this process (see
 * ptl_win32_owner_table_calls). Scans run on a worker thread in the app. */
static volatile LONG owner_calls, owner_too_small;

void
ptl_win32_owner_table_calls (unsigned *calls, unsigned *too_small)
{
  *calls = (unsigned) InterlockedCompareExchange (&owner_calls, 0, 0);
  *too_small = (unsigned) InterlockedCompareExchange (&owner_too_small, 0, 0);
}

/* One of the four tables: the owner-PID class that gives the rows, and
 * the plain one (no owners) that says which of them are wanted. */
typedef struct
{
  bool tcp, v6;
  size_t header, row, basic_row; /* bytes: table header, owner row, plain row */
} TableKind;

static DWORD
owner_call (const TableKind *k, void *buf, DWORD *size, bool listeners)
{
  ULONG af = k->v6 ? AF_INET6 : AF_INET;
  ULONG cls = k->tcp ? (ULONG) (listeners ? TCP_TABLE_OWNER_PID_LISTENER : TCP_TABLE_OWNER_PID_ALL)
                     : (ULONG) UDP_TABLE_OWNER_PID;

  InterlockedIncrement (&owner_calls);
  if (k->tcp)
    return GetExtendedTcpTable (buf, size, FALSE, af, (TCP_TABLE_CLASS) cls, 0);
  return GetExtendedUdpTable (buf, size, FALSE, af, (UDP_TABLE_CLASS) cls, 0);
}

static unsigned
port_of (DWORD p)
{
  /* Network byte order in the low 16 bits; the high bits are not ours. */
  return ntohs ((u_short) p);
}

static DWORD
plain_call (const TableKind *k, void *buf, ULONG *size)
{
  if (k->tcp)
    return k->v6 ? GetTcp6Table (buf, size, FALSE) : GetTcpTable (buf, size, FALSE);
  return k->v6 ? GetUdp6Table (buf, size, FALSE) : GetUdpTable (buf, size, FALSE);
}

/* The local port and (TCP) state of plain row @i. */
static void
plain_row (const TableKind *k, const void *tab, DWORD i, unsigned *port, DWORD *state)
{
  *state = MIB_TCP_STATE_LISTEN;
  if (k->tcp && k->v6)
    {
      const MIB_TCP6ROW *r = &((const MIB_TCP6TABLE *) tab)->table[i];
      *port = port_of (r->dwLocalPort), *state = (DWORD) r->State;
    }
  else if (k->tcp)
    {
      const MIB_TCPROW *r = &((const MIB_TCPTABLE *) tab)->table[i];
      *port = port_of (r->dwLocalPort), *state = r->dwState;
    }
  else if (k->v6)
    *port = port_of (((const MIB_UDP6TABLE *) tab)->table[i].dwLocalPort);
  else
    *port = port_of (((const MIB_UDPTABLE *) tab)->table[i].dwLocalPort);
}

/* What the plain table (no owners: cheap) says the owner table is needed
 * for: *@rows rows in all, *@match of them passing @f, *@conns of those
 * not TCP listeners. False when it cannot be read. */
static bool
plain_look (const TableKind *k, const PtlSocketFilter *f, size_t *rows, size_t *match,
            size_t *conns)
{
  ULONG size = 0;
  DWORD rc = plain_call (k, NULL, &size);

  *rows = *match = *conns = 0;
  for (int tries = 0; tries < PTL_WIN32_TABLE_TRIES && rc == ERROR_INSUFFICIENT_BUFFER; tries++)
    {
      ULONG alloc = size + size / 4 + 64 * (ULONG) k->basic_row;
      void *tab = malloc (alloc);

      if (tab == NULL)
        return false;
      size = alloc;
      if ((rc = plain_call (k, tab, &size)) == NO_ERROR)
        {
          *rows = *(const DWORD *) tab;
          for (DWORD i = 0; i < *rows; i++)
            {
              unsigned port;
              DWORD state;

              plain_row (k, tab, i, &port, &state);
              if (port < f->port_first || port > f->port_last
                  || (f->listening_only && state != MIB_TCP_STATE_LISTEN))
                continue;
              (*match)++;
              *conns += state != MIB_TCP_STATE_LISTEN;
            }
        }
      free (tab);
    }
  /* An empty table may answer the size query with "no data". */
  return rc == NO_ERROR || rc == ERROR_NO_DATA;
}

/* An owner table (@listeners: of the TCP listeners alone), sized for
 * @rows rows and a margin; a table that grew past the margin meanwhile
 * says how much it needs, and is read again. */
static void *
read_owner_table (const TableKind *k, bool listeners, size_t rows, PtlError *err)
{
  DWORD size = (DWORD) (k->header + rows * k->row), rc = NO_ERROR;

  for (int tries = 0; tries < PTL_WIN32_TABLE_TRIES; tries++)
    {
      DWORD alloc = size + size / 4 + 64 * (DWORD) k->row;
      void *buf = malloc (alloc);

      if (buf == NULL)
        return ptl_error_set (err, PTL_ENOMEM, "Out of memory."), NULL;
      size = alloc;
      rc = owner_call (k, buf, &size, listeners);
      if (rc == NO_ERROR)
        return buf;
      free (buf);
      if (rc != ERROR_INSUFFICIENT_BUFFER && rc != PTL_WIN32_STATUS_UNSUCCESSFUL)
        break;
      InterlockedIncrement (&owner_too_small);
      if (size < alloc)
        size = alloc; /* STATUS_UNSUCCESSFUL says nothing about the size */
    }
  ptl_error_set (err, PTL_ESYSTEM, "Cannot read the %s %s socket table (error %lu).",
                 k->tcp ? "TCP" : "UDP", k->v6 ? "IPv6" : "IPv4", (unsigned long) rc);
  return NULL;
}

/* The rows with their owners. Asking for owners costs a pass over every
 * row: under Wine 8 a search through the open files of every Wine
 * process, per row, and over both families whichever one is asked for
 * (about 1 ms a row). So the plain table (no owners: cheap) is read
 * first, and says what the owner table is needed for: nothing when no
 * row passes @f (*@none: a port query, or an empty family, costs no
 * pass), the listeners alone when no other row passes (Wine searches
 * owners for those alone), else every row, read once, sized from the
 * plain table instead of from a size query of its own. */
static void *
read_table (const TableKind *k, const PtlSocketFilter *f, bool *none, PtlError *err)
{
  size_t rows = 0, match = 0, conns = 0;
  bool looked = plain_look (k, f, &rows, &match, &conns);

  *none = looked && match == 0;
  if (*none)
    return NULL;
  /* Without the plain table, ask for every row and let the owner table
   * say what it needs. */
  return read_owner_table (k, k->tcp && looked && conns == 0, rows, err);
}

static PtlState
tcp_state (DWORD s)
{
  static const PtlState map[] = {
    PTL_STATE_UNKNOWN,    PTL_STATE_CLOSE,       PTL_STATE_LISTEN,    PTL_STATE_SYN_SENT,
    PTL_STATE_SYN_RECV,   PTL_STATE_ESTABLISHED, PTL_STATE_FIN_WAIT1, PTL_STATE_FIN_WAIT2,
    PTL_STATE_CLOSE_WAIT, PTL_STATE_CLOSING,     PTL_STATE_LAST_ACK,  PTL_STATE_TIME_WAIT,
    PTL_STATE_DELETE_TCB,
  };

  return s < sizeof map / sizeof map[0] ? map[s] : PTL_STATE_UNKNOWN;
}

static void
addr4 (DWORD a, char *out)
{
  struct in_addr in;

  in.s_addr = a;
  if (inet_ntop (AF_INET, &in, out, PTL_ADDR_MAX) == NULL)
    snprintf (out, PTL_ADDR_MAX, "?");
}

static void
addr6 (const UCHAR *a, DWORD scope, char *out)
{
  char text[INET6_ADDRSTRLEN];

  if (inet_ntop (AF_INET6, a, text, sizeof text) == NULL)
    snprintf (text, sizeof text, "?");
  /* Link-local addresses mean nothing without their interface. */
  if (scope && a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
    snprintf (out, PTL_ADDR_MAX, "%s%%%lu", text, (unsigned long) ptl_win32_scope_id (scope));
  else
    snprintf (out, PTL_ADDR_MAX, "%s", text);
}

/* Appends @s if it passes @filter and records @pid as its owner. */
static int
add_row (PtlSocketTable *t, const PtlSocketFilter *filter, PtlSocket *s, DWORD pid)
{
  PtlSocket *row;
  size_t proc;

  s->uid = -1;
  if (!ptl_socket_filter_match (filter, s))
    return 0;
  if ((row = ptl_socket_table_append (t, s)) == NULL)
    return PTL_ENOMEM;
  if (pid == 0)
    return 0; /* find_owners explains: TIME_WAIT, or a socket Windows gives no PID */
  proc = ptl_socket_table_add_process (t, (long) pid, 0, -1, "", "", "", "");
  if (proc == (size_t) -1)
    return PTL_ENOMEM;
  return ptl_socket_table_set_owners (t, (size_t) (row - t->rows), &proc, 1);
}

static int
add_tcp4 (const MIB_TCPTABLE_OWNER_PID *tab, const PtlSocketFilter *f, PtlSocketTable *t)
{
  int rc = 0;

  for (DWORD i = 0; i < tab->dwNumEntries && rc == 0; i++)
    {
      const MIB_TCPROW_OWNER_PID *r = &tab->table[i];
      PtlSocket s = { .proto = PTL_PROTO_TCP, .family = PTL_FAMILY_IPV4 };

      s.state = tcp_state (r->dwState);
      addr4 (r->dwLocalAddr, s.local_address);
      addr4 (r->dwRemoteAddr, s.remote_address);
      s.local_port = port_of (r->dwLocalPort);
      /* A listener's remote port holds leftovers; netstat shows 0. */
      s.remote_port = s.state == PTL_STATE_LISTEN ? 0 : port_of (r->dwRemotePort);
      rc = add_row (t, f, &s, r->dwOwningPid);
    }
  return rc;
}

static int
add_tcp6 (const MIB_TCP6TABLE_OWNER_PID *tab, const PtlSocketFilter *f, PtlSocketTable *t)
{
  int rc = 0;

  for (DWORD i = 0; i < tab->dwNumEntries && rc == 0; i++)
    {
      const MIB_TCP6ROW_OWNER_PID *r = &tab->table[i];
      PtlSocket s = { .proto = PTL_PROTO_TCP, .family = PTL_FAMILY_IPV6 };

      s.state = tcp_state (r->dwState);
      addr6 (r->ucLocalAddr, r->dwLocalScopeId, s.local_address);
      addr6 (r->ucRemoteAddr, r->dwRemoteScopeId, s.remote_address);
      s.local_port = port_of (r->dwLocalPort);
      s.remote_port = s.state == PTL_STATE_LISTEN ? 0 : port_of (r->dwRemotePort);
      rc = add_row (t, f, &s, r->dwOwningPid);
    }
  return rc;
}

static int
add_udp4 (const MIB_UDPTABLE_OWNER_PID *tab, const PtlSocketFilter *f, PtlSocketTable *t)
{
  int rc = 0;

  for (DWORD i = 0; i < tab->dwNumEntries && rc == 0; i++)
    {
      const MIB_UDPROW_OWNER_PID *r = &tab->table[i];
      PtlSocket s = { .proto = PTL_PROTO_UDP, .family = PTL_FAMILY_IPV4 };

      s.state = PTL_STATE_UNCONN;
      addr4 (r->dwLocalAddr, s.local_address);
      snprintf (s.remote_address, sizeof s.remote_address, "0.0.0.0");
      s.local_port = port_of (r->dwLocalPort);
      rc = add_row (t, f, &s, r->dwOwningPid);
    }
  return rc;
}

static int
add_udp6 (const MIB_UDP6TABLE_OWNER_PID *tab, const PtlSocketFilter *f, PtlSocketTable *t)
{
  int rc = 0;

  for (DWORD i = 0; i < tab->dwNumEntries && rc == 0; i++)
    {
      const MIB_UDP6ROW_OWNER_PID *r = &tab->table[i];
      PtlSocket s = { .proto = PTL_PROTO_UDP, .family = PTL_FAMILY_IPV6 };

      s.state = PTL_STATE_UNCONN;
      addr6 (r->ucLocalAddr, r->dwLocalScopeId, s.local_address);
      snprintf (s.remote_address, sizeof s.remote_address, "::");
      s.local_port = port_of (r->dwLocalPort);
      rc = add_row (t, f, &s, r->dwOwningPid);
    }
  return rc;
}

static int
read_one (PtlProto proto, PtlFamily family, const PtlSocketFilter *f, PtlSocketTable *t,
          PtlError *err)
{
  static const TableKind kinds[2][2] = {
    {
        { false, false, offsetof (MIB_UDPTABLE_OWNER_PID, table), sizeof (MIB_UDPROW_OWNER_PID),
          sizeof (MIB_UDPROW) },
        { false, true, offsetof (MIB_UDP6TABLE_OWNER_PID, table), sizeof (MIB_UDP6ROW_OWNER_PID),
          sizeof (MIB_UDP6ROW) },
    },
    {
        { true, false, offsetof (MIB_TCPTABLE_OWNER_PID, table), sizeof (MIB_TCPROW_OWNER_PID),
          sizeof (MIB_TCPROW) },
        { true, true, offsetof (MIB_TCP6TABLE_OWNER_PID, table), sizeof (MIB_TCP6ROW_OWNER_PID),
          sizeof (MIB_TCP6ROW) },
    },
  };
  bool tcp = proto == PTL_PROTO_TCP, v6 = family == PTL_FAMILY_IPV6, none;
  void *tab = read_table (&kinds[tcp][v6], f, &none, err);
  int rc;

  if (tab == NULL)
    return none ? 0 : err ? err->code : PTL_ESYSTEM;
  if (tcp)
    rc = v6 ? add_tcp6 (tab, f, t) : add_tcp4 (tab, f, t);
  else
    rc = v6 ? add_udp6 (tab, f, t) : add_udp4 (tab, f, t);
  free (tab);
  if (rc < 0)
    return ptl_error_set (err, rc, "Out of memory.");
  return 0;
}

int
ptl_platform_read_sockets (const PtlSocketFilter *filter, PtlSocketTable *table, PtlError *err)
{
  static const PtlProto protos[] = { PTL_PROTO_TCP, PTL_PROTO_UDP };
  static const PtlFamily families[] = { PTL_FAMILY_IPV4, PTL_FAMILY_IPV6 };
  int rc;

  /* Windows has no network namespaces to look into: "every other one" is
   * none (reading this one again would double the rows and the time). */
  if (filter->netns == PTL_NETNS_OTHERS)
    return 0;
  ptl_win32_wsa_init ();
  for (size_t p = 0; p < 2; p++)
    for (size_t f = 0; f < 2; f++)
      {
        if ((filter->protos && !(filter->protos & protos[p]))
            || (filter->families && !(filter->families & families[f])))
          continue;
        if ((rc = read_one (protos[p], families[f], filter, table, err)) < 0)
          return rc;
      }
  return 0;
}
