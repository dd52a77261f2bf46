/* ptl-win32-bind.c: the bind test with Winsock.
 *
 * SO_EXCLUSIVEADDRUSE makes the test strict: without it Windows lets a
 * wildcard bind share a port with a socket bound to one address, and the
 * answer would say "free" for a port a server cannot fully take. A bind
 * into an excluded port range fails with WSAEACCES, which is not a
 * privilege question on Windows (any user may bind ports below 1024). */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include <string.h>

#include "ptl-win32-private.h"

static INIT_ONCE wsa_once = INIT_ONCE_STATIC_INIT;
static int wsa_status = PTL_ESYSTEM;

static BOOL CALLBACK
wsa_start (PINIT_ONCE once, PVOID param, PVOID *ctx)
{
  WSADATA data;

  (void) once;
  (void) param;
  (void) ctx;
  wsa_status = WSAStartup (MAKEWORD (2, 2), &data) == 0 ? 0 : PTL_ESYSTEM;
  return TRUE;
}

int
ptl_win32_wsa_init (void)
{
  InitOnceExecuteOnce (&wsa_once, wsa_start, NULL, NULL);
  return wsa_status;
}

static PtlBindResult
result_from_wsa (int e)
{
  switch (e)
    {
    case WSAEADDRINUSE:
      return PTL_BIND_IN_USE;
    case WSAEACCES:
      return PTL_BIND_RESERVED;
    case WSAEAFNOSUPPORT:
    case WSAEADDRNOTAVAIL:
    case WSAEPROTONOSUPPORT:
    case WSAEPFNOSUPPORT:
      return PTL_BIND_UNAVAILABLE;
    }
  return PTL_BIND_ERROR;
}

static int
bind_any (SOCKET s, PtlFamily family, unsigned port)
{
  struct sockaddr_in6 a6;
  struct sockaddr_in a4;
  DWORD one = 1;

  if (family == PTL_FAMILY_IPV6)
    {
      /* Test IPv6 on its own; IPv4 has its own test. */
      setsockopt (s, IPPROTO_IPV6, IPV6_V6ONLY, (const char *) &one, sizeof one);
      memset (&a6, 0, sizeof a6);
      a6.sin6_family = AF_INET6;
      a6.sin6_addr = in6addr_any;
      a6.sin6_port = htons ((u_short) port);
      return bind (s, (struct sockaddr *) &a6, sizeof a6);
    }
  memset (&a4, 0, sizeof a4);
  a4.sin_family = AF_INET;
  a4.sin_addr.s_addr = htonl (INADDR_ANY);
  a4.sin_port = htons ((u_short) port);
  return bind (s, (struct sockaddr *) &a4, sizeof a4);
}

PtlBindResult
ptl_platform_bind_test (unsigned port, PtlProto proto, PtlFamily family)
{
  int af = family == PTL_FAMILY_IPV6 ? AF_INET6 : AF_INET;
  int type = proto == PTL_PROTO_UDP ? SOCK_DGRAM : SOCK_STREAM;
  DWORD one = 1;
  SOCKET s;
  int e = 0;

  if (port > PTL_PORT_MAX || (proto != PTL_PROTO_TCP && proto != PTL_PROTO_UDP))
    return PTL_BIND_ERROR;
  if (ptl_win32_wsa_init () < 0)
    return PTL_BIND_ERROR;
  if ((s = WSASocketW (af, type, 0, NULL, 0, WSA_FLAG_NO_HANDLE_INHERIT)) == INVALID_SOCKET)
    return result_from_wsa (WSAGetLastError ());
  setsockopt (s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char *) &one, sizeof one);
  if (bind_any (s, family, port) == SOCKET_ERROR)
    e = WSAGetLastError ();
  closesocket (s);
  return e == 0 ? PTL_BIND_FREE : result_from_wsa (e);
}
