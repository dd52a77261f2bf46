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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptl-win32-logic.h"
#include "ptl-win32-private.h"

/* Windows returns this NTSTATUS (STATUS_UNSUCCESSFUL) when the table
 * changed size between the size query and the read. */
#define PTL_WIN32_STATUS_UNSUCCESSFUL 0xC0000001u
#define PTL_WIN32_TABLE_TRIES 8

typedef DWORD (WINAPI *TableFn) (PVOID, PDWORD, BOOL, ULONG, ULONG, ULONG);

static DWORD WINAPI
tcp_table (PVOID buf, PDWORD size, BOOL order, ULONG af, ULONG cls, ULONG reserved)
{
  return GetExtendedTcpTable (buf, size, order, af, (TCP_TABLE_CLASS) cls, reserved);
}

static DWORD WINAPI
udp_table (PVOID buf, PDWORD size, BOOL order, ULONG af, ULONG cls, ULONG reserved)
{
  return GetExtendedUdpTable (buf, size, order, af, (UDP_TABLE_CLASS) cls, reserved);
}

/* Size query, then allocate a quarter more and read; the table grows
 * between the calls on a busy machine, so try again when it did. */
static void *
read_table (TableFn fn, ULONG af, ULONG cls, PtlError *err)
{
  DWORD size = 0, rc = fn (NULL, &size, FALSE, af, cls, 0);

  for (int tries = 0; tries < PTL_WIN32_TABLE_TRIES; tries++)
    {
      DWORD alloc = size + size / 4 + 1024;
      void *buf = malloc (alloc);

      if (buf == NULL)
        return ptl_error_set (err, PTL_ENOMEM, "Out of memory."), NULL;
      size = alloc;
      rc = fn (buf, &size, FALSE, af, cls, 0);
      if (rc == NO_ERROR)
        return buf;
      free (buf);
      if (rc != ERROR_INSUFFICIENT_BUFFER && rc != PTL_WIN32_STATUS_UNSUCCESSFUL)
        break;
    }
  ptl_error_set (err, PTL_ESYSTEM, "Cannot read the %s %s socket table (error %lu).",
                 fn == tcp_table ? "TCP" : "UDP", af == AF_INET6 ? "IPv6" : "IPv4",
                 (unsigned long) rc);
  return NULL;
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

static unsigned
port_of (DWORD p)
{
  /* Network byte order in the low 16 bits; the high bits are not ours. */
  return ntohs ((u_short) p);
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
  bool tcp = proto == PTL_PROTO_TCP, v6 = family == PTL_FAMILY_IPV6;
  ULONG cls = tcp ? (ULONG) TCP_TABLE_OWNER_PID_ALL : (ULONG) UDP_TABLE_OWNER_PID;
  void *tab = read_table (tcp ? tcp_table : udp_table, v6 ? AF_INET6 : AF_INET, cls, err);
  int rc;

  if (tab == NULL)
    return err ? err->code : PTL_ESYSTEM;
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
