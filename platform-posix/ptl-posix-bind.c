/* ptl-posix-bind.c: the bind test, the only honest "is this port free?".
 * Lookup-only tools are fooled by IPv4 vs IPv6 and 0.0.0.0 vs 127.0.0.1;
 * the kernel's own conflict check is not. */
#define _GNU_SOURCE

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ptl-platform.h"

static PtlBindResult
result_from_errno (int e)
{
  switch (e)
    {
    case EADDRINUSE:
      return PTL_BIND_IN_USE;
    case EACCES:
    case EPERM:
      return PTL_BIND_NEEDS_PRIVILEGE;
    case EAFNOSUPPORT:
    case EADDRNOTAVAIL:
    case EPROTONOSUPPORT:
      return PTL_BIND_UNAVAILABLE;
    }
  return PTL_BIND_ERROR;
}

PtlBindResult
ptl_platform_bind_test (unsigned port, PtlProto proto, PtlFamily family)
{
  int domain = family == PTL_FAMILY_IPV6 ? AF_INET6 : AF_INET;
  int type = proto == PTL_PROTO_UDP ? SOCK_DGRAM : SOCK_STREAM;
  struct sockaddr_in6 a6;
  struct sockaddr_in a4;
  int fd, one = 1, rc;

  if (port > PTL_PORT_MAX || (proto != PTL_PROTO_TCP && proto != PTL_PROTO_UDP))
    return PTL_BIND_ERROR;
  if ((fd = socket (domain, type | SOCK_CLOEXEC, 0)) < 0)
    return result_from_errno (errno);
  /* A server sets SO_REUSEADDR, so leftover TIME_WAIT connections do not
   * stop it; test what a server would meet. Listeners still conflict. */
  if (type == SOCK_STREAM)
    setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (domain == AF_INET6)
    {
      /* Test IPv6 on its own; IPv4 has its own test. */
      setsockopt (fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
      memset (&a6, 0, sizeof a6);
      a6.sin6_family = AF_INET6;
      a6.sin6_addr = in6addr_any;
      a6.sin6_port = htons ((uint16_t) port);
      rc = bind (fd, (struct sockaddr *) &a6, sizeof a6);
    }
  else
    {
      memset (&a4, 0, sizeof a4);
      a4.sin_family = AF_INET;
      a4.sin_addr.s_addr = htonl (INADDR_ANY);
      a4.sin_port = htons ((uint16_t) port);
      rc = bind (fd, (struct sockaddr *) &a4, sizeof a4);
    }
  if (rc < 0)
    rc = errno;
  close (fd);
  return rc == 0 ? PTL_BIND_FREE : result_from_errno (rc);
}
