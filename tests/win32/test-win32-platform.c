/* test-win32-platform: platform-win32 against real sockets and processes,
 * run under Wine (or on Windows). Wine 8 reports a socket's owner PID
 * only after a call such as setsockopt or ioctlsocket on it, so every
 * socket here gets both before the table is read. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptl-platform.h"
#include "ptl-tap.h"
#include <iphlpapi.h>
#include <stdint.h>
#include <tlhelp32.h>

#include "ptl-win32-logic.h"
#include "ptl-win32-netsh.h"
#include "ptl-win32-private.h"
#include "ptl-win32-test-util.h"

/* A socket bound on @addr (a literal of @af) to a port the system picks. */
static SOCKET
open_bound (int af, int type, const char *addr, bool wake, unsigned *port)
{
  struct sockaddr_storage ss;
  int len = sizeof ss;
  DWORD one = 1;
  u_long pending = 0;
  SOCKET s = socket (af, type, 0);

  memset (&ss, 0, sizeof ss);
  ss.ss_family = (ADDRESS_FAMILY) af;
  if (s == INVALID_SOCKET)
    return s;
  if (af == AF_INET)
    inet_pton (af, addr, &((struct sockaddr_in *) &ss)->sin_addr);
  else
    inet_pton (af, addr, &((struct sockaddr_in6 *) &ss)->sin6_addr);
  if (bind (s, (struct sockaddr *) &ss,
            af == AF_INET ? sizeof (struct sockaddr_in) : sizeof (struct sockaddr_in6))
          != 0
      || (type == SOCK_STREAM && listen (s, 4) != 0)
      || getsockname (s, (struct sockaddr *) &ss, &len) != 0)
    {
      closesocket (s);
      return INVALID_SOCKET;
    }
  *port = ntohs (af == AF_INET ? ((struct sockaddr_in *) &ss)->sin_port
                               : ((struct sockaddr_in6 *) &ss)->sin6_port);
  if (wake)
    {
      setsockopt (s, SOL_SOCKET, SO_KEEPALIVE, (const char *) &one, sizeof one);
      ioctlsocket (s, FIONREAD, &pending);
    }
  return s;
}

static void
read_port (unsigned port, unsigned protos, PtlSocketTable *t)
{
  PtlSocketFilter f;
  PtlError err;

  ptl_socket_filter_init (&f);
  f.port_first = f.port_last = port;
  f.protos = protos;
  ptl_socket_table_init (t);
  TAP_CHECK_MSG (ptl_platform_read_sockets (&f, t, &err) == 0, "read_sockets: %s", err.message);
  TAP_CHECK_MSG (ptl_platform_find_owners (t, &err) == 0, "find_owners: %s", err.message);
}

static const PtlSocket *
find_row (const PtlSocketTable *t, PtlProto proto, const char *addr, unsigned port)
{
  for (size_t i = 0; i < t->len; i++)
    if (t->rows[i].proto == proto && t->rows[i].local_port == port
        && strcmp (t->rows[i].local_address, addr) == 0)
      return &t->rows[i];
  return NULL;
}

static bool
ends_with (const char *s, const char *tail)
{
  size_t a = strlen (s), b = strlen (tail);

  return a >= b && _stricmp (s + a - b, tail) == 0;
}

/* The row for our socket names us: PID, image name, path, user. */
static void
check_ours (const PtlSocketTable *t, const PtlSocket *s, PtlState state)
{
  const PtlProcess *p;

  if (!TAP_CHECK_MSG (s != NULL, "our socket is missing from the table"))
    return;
  TAP_CHECK_STR (ptl_state_name (s->state), ptl_state_name (state));
  if (!TAP_CHECK_INT (s->n_owners, ==, 1))
    {
      ptl_tap_note ("%s%s [%s]:%u owner_note: %s", ptl_proto_name (s->proto),
                    s->family == PTL_FAMILY_IPV6 ? "6" : "4", s->local_address, s->local_port,
                    s->owner_note ? s->owner_note : "(none)");
      return;
    }
  p = ptl_socket_owner (t, s, 0);
  TAP_CHECK_INT (p->pid, ==, ptl_platform_self_pid ());
  TAP_CHECK_STR (p->name, tu_self_name ());
  TAP_CHECK_MSG (ends_with (p->path, tu_self_name ()), "path %s", p->path);
  TAP_CHECK_MSG (p->path[1] == ':' && p->path[2] == '\\', "a drive path, not %s", p->path);
  TAP_CHECK_MSG (p->user[0] != '\0', "our own token's user is readable");
  TAP_CHECK_STR (s->user, p->user);
  TAP_CHECK (s->owner_note == NULL);
}

static void
test_tcp4_listener (void)
{
  unsigned port = 0;
  SOCKET s = open_bound (AF_INET, SOCK_STREAM, "127.0.0.1", true, &port);
  PtlSocketTable t;
  const PtlSocket *row;

  if (!TAP_CHECK (s != INVALID_SOCKET))
    return;
  read_port (port, PTL_PROTO_TCP, &t);
  row = find_row (&t, PTL_PROTO_TCP, "127.0.0.1", port);
  check_ours (&t, row, PTL_STATE_LISTEN);
  if (row)
    {
      TAP_CHECK_INT (row->family, ==, PTL_FAMILY_IPV4);
      TAP_CHECK_STR (row->remote_address, "0.0.0.0");
      TAP_CHECK_INT (row->remote_port, ==, 0);
    }
  for (size_t i = 0; i < t.len; i++)
    TAP_CHECK_INT (t.rows[i].local_port, ==, port);
  ptl_socket_table_clear (&t);
  closesocket (s);
}

static void
test_udp4_socket (void)
{
  unsigned port = 0;
  SOCKET s = open_bound (AF_INET, SOCK_DGRAM, "127.0.0.1", true, &port);
  PtlSocketTable t;

  if (!TAP_CHECK (s != INVALID_SOCKET))
    return;
  read_port (port, PTL_PROTO_UDP, &t);
  check_ours (&t, find_row (&t, PTL_PROTO_UDP, "127.0.0.1", port), PTL_STATE_UNCONN);
  TAP_CHECK (find_row (&t, PTL_PROTO_TCP, "127.0.0.1", port) == NULL);
  ptl_socket_table_clear (&t);
  closesocket (s);
}

static bool
running_on_wine (void)
{
  return GetProcAddress (GetModuleHandleW (L"ntdll.dll"), "wine_get_version") != NULL;
}

static void
test_ipv6 (void)
{
  unsigned tport = 0, uport = 0;
  SOCKET ts = open_bound (AF_INET6, SOCK_STREAM, "::1", true, &tport);
  SOCKET us = open_bound (AF_INET6, SOCK_DGRAM, "::1", true, &uport);
  PtlSocketTable t;
  const PtlSocket *row;
  bool wine_pid0 = false;

  if (ts == INVALID_SOCKET || us == INVALID_SOCKET)
    {
      closesocket (ts);
      closesocket (us);
      ptl_tap_skip ("no IPv6 loopback here (bind to ::1 failed: WSA error %d)", WSAGetLastError ());
    }
  read_port (uport, PTL_PROTO_UDP, &t);
  check_ours (&t, find_row (&t, PTL_PROTO_UDP, "::1", uport), PTL_STATE_UNCONN);
  ptl_socket_table_clear (&t);
  read_port (tport, PTL_PROTO_TCP, &t);
  row = find_row (&t, PTL_PROTO_TCP, "::1", tport);
  if (TAP_CHECK (row != NULL))
    {
      TAP_CHECK_INT (row->family, ==, PTL_FAMILY_IPV6);
      /* Wine 8 gives IPv6 TCP rows PID 0 even after the calls that make
       * it report IPv4 owners; the row must then say so, not vanish. */
      wine_pid0 = running_on_wine () && row->n_owners == 0;
      if (wine_pid0)
        TAP_CHECK_STR (row->owner_note, "Windows gives no owner (PID 0)");
      else
        check_ours (&t, row, PTL_STATE_LISTEN);
    }
  ptl_socket_table_clear (&t);
  closesocket (ts);
  closesocket (us);
  if (wine_pid0 && !ptl_tap_failed ())
    ptl_tap_skip ("Wine 8 reports PID 0 for IPv6 TCP sockets: UDP ::1 owner and the TCP ::1 "
                  "row were checked, the TCP owner could not be");
}

/* A connection seen from both ends: remote ports come out in host order,
 * and --listening leaves the two ESTABLISHED rows out. */
static void
test_connection (void)
{
  unsigned port = 0;
  SOCKET l = open_bound (AF_INET, SOCK_STREAM, "127.0.0.1", true, &port);
  SOCKET c = socket (AF_INET, SOCK_STREAM, 0), a;
  struct sockaddr_in to = { .sin_family = AF_INET };
  PtlSocketFilter f;
  PtlSocketTable t;
  size_t established = 0, listening = 0;

  to.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  to.sin_port = htons ((u_short) port);
  if (!TAP_CHECK (connect (c, (struct sockaddr *) &to, sizeof to) == 0))
    return;
  a = accept (l, NULL, NULL);
  read_port (port, PTL_PROTO_TCP, &t);
  for (size_t i = 0; i < t.len; i++)
    established += t.rows[i].state == PTL_STATE_ESTABLISHED;
  TAP_CHECK_INT (established, ==, 1); /* the accepted end; the client's local port differs */
  ptl_socket_table_clear (&t);
  ptl_socket_filter_init (&f);
  f.protos = PTL_PROTO_TCP;
  ptl_socket_table_init (&t);
  TAP_CHECK (ptl_platform_read_sockets (&f, &t, NULL) == 0);
  for (size_t i = 0; i < t.len; i++)
    if (t.rows[i].state == PTL_STATE_ESTABLISHED && t.rows[i].remote_port == port)
      established++; /* the client end: its remote port is our listener */
  TAP_CHECK_INT (established, ==, 2);
  ptl_socket_table_clear (&t);
  f.listening_only = true;
  f.port_first = f.port_last = port;
  ptl_socket_table_init (&t);
  TAP_CHECK (ptl_platform_read_sockets (&f, &t, NULL) == 0);
  for (size_t i = 0; i < t.len; i++)
    listening += t.rows[i].state == PTL_STATE_LISTEN;
  TAP_CHECK_INT (listening, ==, t.len);
  TAP_CHECK_INT (listening, ==, 1);
  ptl_socket_table_clear (&t);
  closesocket (a);
  closesocket (c);
  closesocket (l);
}

/* Wine 8 names a socket's owner only after a call such as these on it. */
static void
wake (SOCKET s)
{
  DWORD one = 1;
  u_long pending = 0;

  setsockopt (s, SOL_SOCKET, SO_KEEPALIVE, (const char *) &one, sizeof one);
  ioctlsocket (s, FIONREAD, &pending);
}

static unsigned
owner_reads (void)
{
  unsigned calls, too_small;

  ptl_win32_owner_table_calls (&calls, &too_small);
  return calls - too_small;
}

#define PAIRS 150

/* Asking Windows for owners costs a pass over every socket on the
 * machine (under Wine 8, about a millisecond a row), so a table read asks
 * at most once per table (TCP and UDP, IPv4 and IPv6), whatever the
 * number of rows, and not at all for a table with no row it wants.
 * Counted, not timed: a call per row, or a size query of its own per
 * table, shows up here however busy the machine is. */
static void
test_owner_table_calls (void)
{
  unsigned port = 0, ours = 0, owned = 0, wrong = 0, before;
  SOCKET l = open_bound (AF_INET, SOCK_STREAM, "127.0.0.1", true, &port);
  SOCKET ends[2 * PAIRS];
  struct sockaddr_in to = { .sin_family = AF_INET };
  size_t n = 0;
  PtlSocketFilter f;
  PtlSocketTable t;
  PtlError err;

  if (!TAP_CHECK (l != INVALID_SOCKET))
    return;
  to.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  to.sin_port = htons ((u_short) port);
  while (n < 2 * PAIRS)
    {
      SOCKET c = socket (AF_INET, SOCK_STREAM, 0), a;

      if (c == INVALID_SOCKET || connect (c, (struct sockaddr *) &to, sizeof to) != 0
          || (a = accept (l, NULL, NULL)) == INVALID_SOCKET)
        {
          if (c != INVALID_SOCKET)
            closesocket (c);
          break;
        }
      wake (c);
      wake (a);
      ends[n++] = c;
      ends[n++] = a;
    }
  TAP_CHECK_INT (n, ==, 2 * PAIRS);

  ptl_socket_filter_init (&f);
  ptl_socket_table_init (&t);
  before = owner_reads ();
  TAP_CHECK_MSG (ptl_platform_read_sockets (&f, &t, &err) == 0, "read_sockets: %s", err.message);
  TAP_CHECK_MSG (owner_reads () - before <= 4, "%u owner-table reads for %zu rows",
                 owner_reads () - before, t.len);
  TAP_CHECK (owner_reads () - before >= 1);
  TAP_CHECK_MSG (ptl_platform_find_owners (&t, &err) == 0, "find_owners: %s", err.message);
  /* The one read still names the rows' owners: ours are the listener and
   * both ends of each connection (the client ends' remote port is ours). */
  for (size_t i = 0; i < t.len; i++)
    {
      const PtlSocket *r = &t.rows[i];

      if (r->proto != PTL_PROTO_TCP || strcmp (r->local_address, "127.0.0.1") != 0
          || (r->local_port != port && r->remote_port != port))
        continue;
      ours++;
      if (r->n_owners == 1 && ptl_socket_owner (&t, r, 0)->pid == ptl_platform_self_pid ())
        owned++;
      else if (r->n_owners > 0)
        wrong++;
    }
  TAP_CHECK_INT (ours, ==, n + 1);
  TAP_CHECK_INT (wrong, ==, 0);
  ptl_tap_note ("%zu rows, %u of ours, %u named ours", t.len, ours, owned);
  /* Wine 8 names one end of each loopback connection here, however woken. */
  if (running_on_wine ())
    TAP_CHECK_INT (owned, >=, PAIRS + 1);
  else
    TAP_CHECK_INT (owned, ==, ours);
  ptl_socket_table_clear (&t);

  /* One port, one protocol, one family: one read. */
  ptl_socket_filter_init (&f);
  f.protos = PTL_PROTO_TCP;
  f.families = PTL_FAMILY_IPV4;
  f.port_first = f.port_last = port;
  ptl_socket_table_init (&t);
  before = owner_reads ();
  TAP_CHECK (ptl_platform_read_sockets (&f, &t, NULL) == 0);
  TAP_CHECK_INT (owner_reads () - before, ==, 1);
  TAP_CHECK_INT (t.len, >=, PAIRS + 1); /* the listener and the accepted ends */
  ptl_socket_table_clear (&t);

  /* Listeners only: one read per table at most, of the listeners. */
  ptl_socket_filter_init (&f);
  f.listening_only = true;
  ptl_socket_table_init (&t);
  before = owner_reads ();
  TAP_CHECK (ptl_platform_read_sockets (&f, &t, NULL) == 0);
  TAP_CHECK_MSG (owner_reads () - before <= 4, "%u owner-table reads", owner_reads () - before);
  TAP_CHECK (find_row (&t, PTL_PROTO_TCP, "127.0.0.1", port) != NULL);
  for (size_t i = 0; i < t.len; i++)
    TAP_CHECK_MSG (t.rows[i].state == PTL_STATE_LISTEN || t.rows[i].state == PTL_STATE_UNCONN,
                   "a %s row among the listeners", ptl_state_name (t.rows[i].state));
  ptl_socket_table_clear (&t);

  /* Windows has no other network namespaces: nothing there, and no read. */
  ptl_socket_filter_init (&f);
  f.netns = PTL_NETNS_OTHERS;
  ptl_socket_table_init (&t);
  before = owner_reads ();
  TAP_CHECK (ptl_platform_read_sockets (&f, &t, NULL) == 0);
  TAP_CHECK_INT (t.len, ==, 0);
  TAP_CHECK_INT (owner_reads () - before, ==, 0);
  ptl_socket_table_clear (&t);

  while (n > 0)
    closesocket (ends[--n]);
  closesocket (l);
}

static void
test_process_self (void)
{
  PtlProcess p;
  PtlError err;

  TAP_CHECK (ptl_platform_process_info (ptl_platform_self_pid (), &p, &err) == 0);
  TAP_CHECK_STR (p.name, tu_self_name ());
  TAP_CHECK_MSG (ends_with (p.path, tu_self_name ()), "path %s", p.path);
  TAP_CHECK_CONTAINS (p.cmdline, "test-win32-platform");
  TAP_CHECK (p.start_time != 0);
  TAP_CHECK (p.uid == -1);
  TAP_CHECK (ptl_platform_process_alive (p.pid, p.start_time));
  TAP_CHECK (!ptl_platform_process_alive (p.pid, p.start_time + 1));
  ptl_tap_note ("self: %s, user %s, elevated %s", p.path, p.user,
                ptl_platform_is_privileged () ? "yes" : "no");
  ptl_process_clear (&p);
}

static void
test_process_system_names (void)
{
  PtlProcess p;

  TAP_CHECK (ptl_platform_process_info (0, &p, NULL) == 0);
  TAP_CHECK_STR (p.name, "System Idle Process");
  ptl_process_clear (&p);
  TAP_CHECK (ptl_platform_process_info (4, &p, NULL) == 0);
  TAP_CHECK_STR (p.name, "System");
  ptl_process_clear (&p);
}

/* A service's process carries its service names, as svchost.exe rows do:
 * "svchost.exe (Dnscache, NlaSvc)". The service list here is read with
 * the API itself, independently of the platform code. */
static DWORD
list_services (BYTE *buf, DWORD size)
{
  SC_HANDLE scm = OpenSCManagerW (NULL, NULL, SC_MANAGER_ENUMERATE_SERVICE);
  DWORD need = 0, count = 0, resume = 0;

  if (scm == NULL)
    ptl_tap_skip ("the service manager cannot be opened (error %lu)", GetLastError ());
  if (!EnumServicesStatusExW (scm, SC_ENUM_PROCESS_INFO, SERVICE_WIN32, SERVICE_ACTIVE, buf, size,
                              &need, &count, &resume, NULL))
    count = 0;
  CloseServiceHandle (scm);
  return count;
}

/* Whether service @name still runs in @pid (Wine starts and stops its
 * driver hosts, Winedevice1…, as it goes). */
static bool
still_runs_in (const wchar_t *name, DWORD pid)
{
  static BYTE again[256 * 1024];
  ENUM_SERVICE_STATUS_PROCESSW *list = (ENUM_SERVICE_STATUS_PROCESSW *) again;
  DWORD count = list_services (again, sizeof again);

  for (DWORD i = 0; i < count; i++)
    if (list[i].ServiceStatusProcess.dwProcessId == pid
        && wcscmp (list[i].lpServiceName, name) == 0)
      return true;
  return false;
}

/* Windows runs one service manager. A Wine prefix made by an explicit
 * `wineboot -i` can run two or three services.exe (the first wine process
 * of a new prefix starts an init of its own, which starts one too): each
 * answers the calls that reach it with its own services and PIDs, so two
 * reads of the service list can disagree. */
static void
test_one_service_manager (void)
{
  HANDLE snap = CreateToolhelp32Snapshot (TH32CS_SNAPPROCESS, 0);
  PROCESSENTRY32W pe;
  int managers = 0;

  if (!TAP_CHECK (snap != INVALID_HANDLE_VALUE))
    return;
  pe.dwSize = sizeof pe;
  for (BOOL ok = Process32FirstW (snap, &pe); ok; ok = Process32NextW (snap, &pe))
    managers += _wcsicmp (pe.szExeFile, L"services.exe") == 0;
  CloseHandle (snap);
  TAP_CHECK_MSG (managers == 1,
                 "one services.exe runs (%d here; under Wine: a prefix made by an explicit "
                 "'wineboot -i' runs more, and the service tests then read two lists)",
                 managers);
}

static void
test_process_services (void)
{
  static BYTE buf[256 * 1024];
  ENUM_SERVICE_STATUS_PROCESSW *list = (ENUM_SERVICE_STATUS_PROCESSW *) buf;
  DWORD count = list_services (buf, sizeof buf);
  char want[160];
  PtlProcess p;

  for (DWORD i = 0; i < count; i++)
    {
      DWORD pid = list[i].ServiceStatusProcess.dwProcessId;
      bool named;

      if (pid == 0)
        continue;
      WideCharToMultiByte (CP_UTF8, 0, list[i].lpServiceName, -1, want, sizeof want, NULL, NULL);
      if (ptl_platform_process_info ((long) pid, &p, NULL) != 0)
        continue; /* ended since the list was read */
      named = strchr (p.name, '(') != NULL && strstr (p.name, want) != NULL;
      if (!named && !still_runs_in (list[i].lpServiceName, pid))
        {
          ptl_tap_note ("service %s left process %lu meanwhile; trying the next", want, pid);
          ptl_process_clear (&p);
          continue;
        }
      TAP_CHECK_MSG (named, "process %lu is named with its service %s: %s", pid, want, p.name);
      ptl_tap_note ("service %s runs in %s", want, p.name);
      ptl_process_clear (&p);
      return;
    }
  ptl_tap_skip ("no running service with a process here (%lu services listed)", count);
}

static void
test_bind (void)
{
  unsigned tport = 0, uport = 0, lport = 0;
  SOCKET ts = open_bound (AF_INET, SOCK_STREAM, "0.0.0.0", false, &tport);
  SOCKET us = open_bound (AF_INET, SOCK_DGRAM, "0.0.0.0", false, &uport);
  SOCKET ls = open_bound (AF_INET, SOCK_STREAM, "127.0.0.1", false, &lport);

  if (!TAP_CHECK (ts != INVALID_SOCKET && us != INVALID_SOCKET && ls != INVALID_SOCKET))
    return;
  TAP_CHECK_INT (ptl_platform_bind_test (tport, PTL_PROTO_TCP, PTL_FAMILY_IPV4), ==,
                 PTL_BIND_IN_USE);
  TAP_CHECK_INT (ptl_platform_bind_test (uport, PTL_PROTO_UDP, PTL_FAMILY_IPV4), ==,
                 PTL_BIND_IN_USE);
  /* A listener on one address blocks a server that wants them all. */
  TAP_CHECK_INT (ptl_platform_bind_test (lport, PTL_PROTO_TCP, PTL_FAMILY_IPV4), ==,
                 PTL_BIND_IN_USE);
  closesocket (ts);
  closesocket (us);
  closesocket (ls);
  TAP_CHECK_INT (ptl_platform_bind_test (tport, PTL_PROTO_TCP, PTL_FAMILY_IPV4), ==, PTL_BIND_FREE);
  TAP_CHECK_INT (ptl_platform_bind_test (uport, PTL_PROTO_UDP, PTL_FAMILY_IPV4), ==, PTL_BIND_FREE);
  TAP_CHECK_INT (ptl_platform_bind_test (lport, PTL_PROTO_TCP, PTL_FAMILY_IPV4), ==, PTL_BIND_FREE);
  TAP_CHECK_INT (ptl_platform_bind_test (70000, PTL_PROTO_TCP, PTL_FAMILY_IPV4), ==,
                 PTL_BIND_ERROR);
}

/* Whatever netsh says is what the rules say: a range when it prints one,
 * "unknown" when it is missing or silent (Wine's netsh prints nothing). */
static void
test_port_rules (void)
{
  static const wchar_t *argv[] = { NULL, L"int", L"ipv4", L"show", L"dynamicport", L"tcp", NULL };
  wchar_t path[MAX_PATH];
  char out[8192];
  unsigned first = 0, last = 0;
  PtlPortRules rules;
  PtlError err;
  long n;
  int rc;

  ptl_win32_system_dir (path, MAX_PATH - 16);
  wcscat (path, L"\\netsh.exe");
  argv[0] = path;
  n = ptl_win32_run_capture (argv, out, sizeof out, 5000);
  rc = ptl_platform_port_rules (&rules, &err);
  TAP_CHECK (rules.reserved_blocks_bind);
  TAP_CHECK (rules.source[0] != '\0');
  if (n > 0 && ptl_netsh_parse_dynamic (out, (size_t) n, &first, &last) == 0)
    {
      ptl_tap_note ("netsh: dynamic range %u-%u, %zu excluded ranges", first, last,
                    rules.n_reserved);
      TAP_CHECK_INT (rc, ==, 0);
      TAP_CHECK (rules.known);
      TAP_CHECK_INT (rules.ephemeral_first, ==, first);
      TAP_CHECK_INT (rules.ephemeral_last, ==, last);
      return;
    }
  ptl_tap_note ("netsh printed %ld bytes and no range: the rules must be unknown", n);
  TAP_CHECK_INT (rc, <, 0);
  TAP_CHECK (!rules.known);
  TAP_CHECK_INT (rules.n_reserved, ==, 0);
}

/* The pipe reader netsh goes through, on a child that prints (all of its
 * output arrives, cut to the buffer) and one that hangs (the time limit
 * ends it). Wine's netsh is silent, so this is where the reading is seen. */
static void
test_run_capture (void)
{
  wchar_t helper[MAX_PATH];
  const wchar_t *print[] = { helper, L"print", NULL };
  const wchar_t *hang[] = { helper, L"sleep", NULL };
  const wchar_t *missing[] = { L"C:\\no\\such\\netsh.exe", L"int", NULL };
  char out[64], small[8];
  ULONGLONG start;
  long n;

  wcscpy (helper, tu_sibling (L"ptl-win32-helper.exe"));
  n = ptl_win32_run_capture (print, out, sizeof out, 30000);
  TAP_CHECK_INT (n, ==,
                 strlen ("port \xc3\xa9 \xe2\x80\x93 \xc3\xbc \xe6\xbc\xa2 \xf0\x9f\x98\x80\n"));
  TAP_CHECK_STR (out, "port \xc3\xa9 \xe2\x80\x93 \xc3\xbc \xe6\xbc\xa2 \xf0\x9f\x98\x80\n");
  TAP_CHECK_INT (ptl_win32_run_capture (print, small, sizeof small, 30000), ==, sizeof small - 1);
  TAP_CHECK_STR (small, "port \xc3\xa9");
  start = GetTickCount64 ();
  TAP_CHECK_INT (ptl_win32_run_capture (hang, out, sizeof out, 500), ==, 0);
  TAP_CHECK_MSG (GetTickCount64 () - start < 20000, "a hanging child is ended after its time");
  TAP_CHECK_INT (ptl_win32_run_capture (missing, out, sizeof out, 500), ==, PTL_ENOTFOUND);
}

static void
test_terminate_refuses (void)
{
  const char *why = NULL;
  PtlError err;

  TAP_CHECK_INT (ptl_platform_terminate (0, 0, &err), ==, PTL_EACCES);
  TAP_CHECK_INT (ptl_platform_terminate (4, 0, &err), ==, PTL_EACCES);
  TAP_CHECK_INT (ptl_platform_terminate (ptl_platform_self_pid (), 0, &err), ==, PTL_EACCES);
  TAP_CHECK (ptl_platform_pid_is_protected (0, &why) && why != NULL);
  TAP_CHECK (ptl_platform_pid_is_protected (4, &why) && why != NULL);
  TAP_CHECK (ptl_platform_pid_is_protected (ptl_platform_self_pid (), &why));
  TAP_CHECK_STR (why, "this tool");
  TAP_CHECK (!ptl_platform_pid_is_protected (8, NULL) || ptl_platform_self_pid () == 8);
  TAP_CHECK_STR (ptl_platform_terminate_method (), "TerminateProcess");
}

/* EnumServicesStatusExW read with its resume handle: a first buffer too
 * small for the list takes several calls and loses nothing. */
static int
cmp_text (const void *a, const void *b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The services as sorted "name pid" lines, one string; NULL when none. */
static char *
services_text (const PtlWin32Services *s)
{
  size_t n = ptl_win32_services_count (s), len = 0;
  char **lines = calloc (n + 1, sizeof *lines), *text;

  for (size_t i = 0; i < n; i++)
    {
      long pid;
      const char *name = ptl_win32_services_at (s, i, &pid);

      lines[i] = malloc (strlen (name) + 24);
      sprintf (lines[i], "%s %ld\n", name, pid);
      len += strlen (lines[i]);
    }
  qsort (lines, n, sizeof *lines, cmp_text);
  text = calloc (len + 1, 1);
  for (size_t i = 0; i < n; i++)
    strcat (text, lines[i]), free (lines[i]);
  free (lines);
  return text;
}

/* Read whole, then from a 64-byte start, then whole again; the small read
 * must equal the whole ones whenever the list held still meanwhile (Wine
 * starts and stops driver hosts as it goes). */
static void
test_services_resume (void)
{
  for (int attempt = 0; attempt < 5; attempt++)
    {
      unsigned calls_whole = 0, calls_small = 0;
      PtlWin32Services *a = ptl_win32_services_load_chunked (256 * 1024, &calls_whole);
      PtlWin32Services *small = ptl_win32_services_load_chunked (64, &calls_small);
      PtlWin32Services *b = ptl_win32_services_load_chunked (256 * 1024, NULL);
      char *ta = services_text (a), *ts = services_text (small), *tb = services_text (b);
      size_t n = ptl_win32_services_count (a);
      bool steady = strcmp (ta, tb) == 0;

      if (steady)
        {
          ptl_tap_note ("%zu services: %u call(s) with 256 KB, %u from a 64-byte start", n,
                        calls_whole, calls_small);
          TAP_CHECK_MSG (n >= 2, "the service manager lists running services (%zu)", n);
          TAP_CHECK_INT (calls_small, >, calls_whole);
          TAP_CHECK_STR (ts, ta);
        }
      ptl_win32_services_free (a);
      ptl_win32_services_free (small);
      ptl_win32_services_free (b);
      free (ta), free (ts), free (tb);
      if (steady)
        return;
      Sleep (500);
    }
  ptl_tap_skip ("the service list changed during each of 5 attempts");
}

/* The scope ID field as Windows lays it out in a row: network byte order. */
static void
test_scope_id (void)
{
  MIB_TCP6ROW_OWNER_PID row;
  const unsigned char twelve[4] = { 0, 0, 0, 12 };

  memset (&row, 0, sizeof row);
  memcpy (&row.dwLocalScopeId, twelve, sizeof twelve);
  TAP_CHECK_INT (ptl_win32_scope_id (row.dwLocalScopeId), ==, 12);
  TAP_CHECK_INT (ptl_win32_scope_id (htonl (7)), ==, 7);
  TAP_CHECK_INT (ptl_win32_scope_id (0), ==, 0);
}

/* A process named like lsass.exe is refused, with the reason, and lives on. */
static void
test_terminate_refuses_critical (void)
{
  wchar_t dir[MAX_PATH], sub[MAX_PATH], copy[MAX_PATH];
  HANDLE proc, out;
  const char *why = NULL;
  PtlError err;
  long pid;

  GetTempPathW (MAX_PATH, dir);
  _snwprintf (sub, MAX_PATH, L"%lsptl-critical-%lu", dir, GetCurrentProcessId ());
  _snwprintf (copy, MAX_PATH, L"%ls\\lsass.exe", sub);
  CreateDirectoryW (sub, NULL);
  if (!TAP_CHECK (CopyFileW (tu_sibling (L"ptl-win32-helper.exe"), copy, FALSE)))
    return;
  if (TAP_CHECK (tu_spawn (copy, L"sleep", &proc, &out)))
    {
      pid = (long) GetProcessId (proc);
      TAP_CHECK (ptl_platform_pid_is_protected (pid, &why));
      TAP_CHECK_CONTAINS (why ? why : "", "critical Windows process");
      TAP_CHECK_INT (ptl_platform_terminate (pid, 0, &err), ==, PTL_EACCES);
      TAP_CHECK_CONTAINS (err.message, "critical Windows process");
      TAP_CHECK_INT (WaitForSingleObject (proc, 300), ==, WAIT_TIMEOUT);
      TerminateProcess (proc, 0);
      WaitForSingleObject (proc, 5000);
      CloseHandle (out);
      CloseHandle (proc);
    }
  DeleteFileW (copy);
  RemoveDirectoryW (sub);
}

/* netsh gets only its stdout pipe: an inheritable handle of ours stays
 * ours (without the handle list every inheritable handle would pass). */
static void
test_run_capture_handle_list (void)
{
  SECURITY_ATTRIBUTES sa = { sizeof sa, NULL, TRUE };
  wchar_t helper[MAX_PATH], value[32];
  const wchar_t *argv[] = { helper, L"write-handle", value, NULL };
  HANDLE rd, wr;
  DWORD avail = 0;
  char out[64];
  bool wine = GetProcAddress (GetModuleHandleW (L"ntdll.dll"), "wine_get_version") != NULL;

  /* Only a child that inherited @wr can write into this pipe: any other
   * handle with the same number in the child is not ours. */
  if (!TAP_CHECK (CreatePipe (&rd, &wr, &sa, 0)))
    return;
  wcscpy (helper, tu_sibling (L"ptl-win32-helper.exe"));
  _snwprintf (value, 32, L"%llx", (unsigned long long) (uintptr_t) wr);
  TAP_CHECK_INT (ptl_win32_run_capture (argv, out, sizeof out, 30000), >, 0);
  ptl_tap_note ("the child says: %s", out);
  PeekNamedPipe (rd, NULL, 0, NULL, &avail, NULL);
  CloseHandle (wr);
  CloseHandle (rd);
  if (wine && avail > 0)
    {
      ptl_tap_skip ("Wine 8 ignores PROC_THREAD_ATTRIBUTE_HANDLE_LIST (the child inherited every "
                    "inheritable handle): checked only on real Windows");
      return;
    }
  TAP_CHECK_INT (avail, ==, 0);
}

/* A copy of the helper under a name of its own: the name must come from
 * the image, and only the process with the checked start time is ended. */
static void
test_terminate_child (void)
{
  wchar_t dir[MAX_PATH], copy[MAX_PATH];
  char expect[64];
  HANDLE proc, out;
  PtlProcess p;
  PtlError err;
  long pid;

  GetTempPathW (MAX_PATH, dir);
  _snwprintf (copy, MAX_PATH, L"%lsptl-end-me-%lu.exe", dir, GetCurrentProcessId ());
  snprintf (expect, sizeof expect, "ptl-end-me-%lu.exe", GetCurrentProcessId ());
  if (!TAP_CHECK (CopyFileW (tu_sibling (L"ptl-win32-helper.exe"), copy, FALSE)))
    return;
  if (!TAP_CHECK (tu_spawn (copy, L"sleep", &proc, &out)))
    return;
  pid = (long) GetProcessId (proc);
  TAP_CHECK (ptl_platform_process_info (pid, &p, &err) == 0);
  TAP_CHECK_STR (p.name, expect);
  TAP_CHECK_INT (ptl_platform_terminate (pid, p.start_time + 1, &err), ==, PTL_ENOTFOUND);
  TAP_CHECK_INT (WaitForSingleObject (proc, 200), ==, WAIT_TIMEOUT);
  TAP_CHECK_INT (ptl_platform_terminate (pid, p.start_time, &err), ==, 0);
  TAP_CHECK_INT (WaitForSingleObject (proc, 5000), ==, WAIT_OBJECT_0);
  TAP_CHECK (!ptl_platform_process_alive (pid, p.start_time));
  ptl_process_clear (&p);
  CloseHandle (out);
  CloseHandle (proc);
  /* Gone and its handles closed: the PID no longer names a process. */
  TAP_CHECK_INT (ptl_platform_process_info (pid, &p, &err), ==, PTL_ENOTFOUND);
  DeleteFileW (copy);
}

/* Another process's socket: its PID and name, not ours. */
static void
test_child_owner (void)
{
  HANDLE proc, out;
  char line[32];
  unsigned port;
  PtlSocketTable t;
  const PtlSocket *row;

  if (!TAP_CHECK (tu_spawn (tu_sibling (L"ptl-win32-helper.exe"), L"hold", &proc, &out)))
    return;
  if (TAP_CHECK (tu_read_line (out, line, sizeof line)) && (port = (unsigned) atoi (line)) > 0)
    {
      read_port (port, PTL_PROTO_TCP, &t);
      row = find_row (&t, PTL_PROTO_TCP, "127.0.0.1", port);
      if (TAP_CHECK (row != NULL) && TAP_CHECK_INT (row->n_owners, ==, 1))
        {
          TAP_CHECK_INT (ptl_socket_owner (&t, row, 0)->pid, ==, GetProcessId (proc));
          TAP_CHECK_STR (ptl_socket_owner (&t, row, 0)->name, "ptl-win32-helper.exe");
        }
      ptl_socket_table_clear (&t);
    }
  TerminateProcess (proc, 0);
  WaitForSingleObject (proc, 5000);
  CloseHandle (out);
  CloseHandle (proc);
}

int
main (void)
{
  static const PtlTapTest tests[] = {
    { "/win32/sockets/tcp4-listener-owner", test_tcp4_listener },
    { "/win32/sockets/udp4-owner", test_udp4_socket },
    { "/win32/sockets/ipv6-loopback", test_ipv6 },
    { "/win32/sockets/connection-both-ends", test_connection },
    { "/win32/sockets/child-owner", test_child_owner },
    { "/win32/sockets/owner-table-calls", test_owner_table_calls },
    { "/win32/process/self", test_process_self },
    { "/win32/process/system-names", test_process_system_names },
    { "/win32/process/one-service-manager", test_one_service_manager },
    { "/win32/process/services", test_process_services },
    { "/win32/bind/in-use-and-free", test_bind },
    { "/win32/rules/netsh-or-unknown", test_port_rules },
    { "/win32/rules/run-capture", test_run_capture },
    { "/win32/terminate/refuses", test_terminate_refuses },
    { "/win32/terminate/refuses-critical", test_terminate_refuses_critical },
    { "/win32/process/services-resume", test_services_resume },
    { "/win32/sockets/scope-id-byte-order", test_scope_id },
    { "/win32/rules/run-capture-handle-list", test_run_capture_handle_list },
    { "/win32/terminate/child", test_terminate_child },
  };
  WSADATA data;

  WSAStartup (MAKEWORD (2, 2), &data);
  return ptl_tap_main (tests, sizeof tests / sizeof tests[0]);
}
