/* ptl-linux-closes.c: closed sockets as the kernel announces them.
 *
 * NETLINK_SOCK_DIAG has multicast groups (SKNLGRP_INET_TCP_DESTROY, …
 * UDP, and the INET6 pair) on which the kernel sends one inet_diag_msg
 * when it frees a socket, with the socket's cookie, the same cookie a
 * dump reports, so a watcher can name the row that went away. A TCP
 * connection's full socket is freed when it enters TIME_WAIT (the
 * TIME_WAIT socket that follows is a new row without an inode).
 *
 * The groups carry every socket of the network namespace; a one-port
 * watcher attaches a classic BPF filter on the local port, so the kernel
 * drops the rest before they are queued. Lost notifications (ENOBUFS when
 * the queue overflows) cost nothing but speed: the next poll sees those
 * closes.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <linux/filter.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ptl-linux-private.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct PtlCloseFeed
{
  int fd;
  PtlSocketFilter filter;
};

/* "local port in [first, last]": the port is at a fixed offset of every
 * message (netlink header, then inet_diag_msg's family, state, timer,
 * retrans, and the big-endian sport that BPF_H reads as a number). */
static int
attach_port_filter (int fd, const PtlSocketFilter *f)
{
  const unsigned off = NLMSG_HDRLEN + offsetof (struct inet_diag_msg, id.idiag_sport);
  struct sock_filter code[] = {
    BPF_STMT (BPF_LD | BPF_H | BPF_ABS, off),
    BPF_JUMP (BPF_JMP | BPF_JGE | BPF_K, f->port_first, 0, 2),
    BPF_JUMP (BPF_JMP | BPF_JGT | BPF_K, f->port_last, 1, 0),
    BPF_STMT (BPF_RET | BPF_K, 0xffffffffu),
    BPF_STMT (BPF_RET | BPF_K, 0),
  };
  struct sock_fprog prog = { .len = sizeof code / sizeof code[0], .filter = code };

  return setsockopt (fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog);
}

static int
join_groups (int fd, const PtlSocketFilter *f)
{
  static const struct
  {
    unsigned group;
    PtlProto proto;
    PtlFamily family;
  } groups[] = {
    { SKNLGRP_INET_TCP_DESTROY, PTL_PROTO_TCP, PTL_FAMILY_IPV4 },
    { SKNLGRP_INET_UDP_DESTROY, PTL_PROTO_UDP, PTL_FAMILY_IPV4 },
    { SKNLGRP_INET6_TCP_DESTROY, PTL_PROTO_TCP, PTL_FAMILY_IPV6 },
    { SKNLGRP_INET6_UDP_DESTROY, PTL_PROTO_UDP, PTL_FAMILY_IPV6 },
  };

  for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
    {
      unsigned g = groups[i].group;

      if ((f->protos && !(f->protos & groups[i].proto))
          || (f->families && !(f->families & groups[i].family)))
        continue;
      if (setsockopt (fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &g, sizeof g) < 0)
        return -1;
    }
  return 0;
}

int
ptl_platform_close_feed_open (const PtlSocketFilter *filter, PtlCloseFeed **out, PtlError *err)
{
  struct sockaddr_nl me = { .nl_family = AF_NETLINK };
  PtlCloseFeed *feed;
  int fd, e;

  *out = NULL;
  fd = socket (AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_SOCK_DIAG);
  if (fd < 0)
    return ptl_error_set (err, PTL_EUNSUPPORTED, "netlink sock_diag is not available: %s.",
                          strerror (errno));
  if (bind (fd, (struct sockaddr *) &me, sizeof me) < 0 || join_groups (fd, filter) < 0
      || ((filter->port_first > 0 || filter->port_last < PTL_PORT_MAX)
          && attach_port_filter (fd, filter) < 0))
    {
      e = errno;
      close (fd);
      return ptl_error_set (err, PTL_EUNSUPPORTED,
                            "The kernel refused its socket-close notifications (%s).",
                            strerror (e));
    }
  if ((feed = calloc (1, sizeof *feed)) == NULL)
    {
      close (fd);
      return ptl_error_set (err, PTL_ENOMEM, "Out of memory.");
    }
  feed->fd = fd;
  feed->filter = *filter;
  feed->filter.listening_only = false; /* a closing socket's state is CLOSE */
  *out = feed;
  return 0;
}

int
ptl_linux_close_feed_fd (const PtlCloseFeed *feed)
{
  return feed ? feed->fd : -1;
}

/* The protocol of a destroy message: its INET_DIAG_PROTOCOL attribute. */
static PtlProto
message_proto (const struct nlmsghdr *h)
{
  const struct inet_diag_msg *m = NLMSG_DATA (h);
  const struct rtattr *a = (const struct rtattr *) (m + 1);
  int len = (int) h->nlmsg_len - (int) NLMSG_LENGTH (sizeof *m);

  for (; RTA_OK (a, len); a = RTA_NEXT (a, len))
    if (a->rta_type == INET_DIAG_PROTOCOL && RTA_PAYLOAD (a) >= 1)
      return *(const unsigned char *) RTA_DATA (a) == IPPROTO_UDP ? PTL_PROTO_UDP : PTL_PROTO_TCP;
  return PTL_PROTO_TCP;
}

/* Reads one notification: 1 when one was read (kept or not), 0 when none
 * is waiting, or a negative code. */
static int
read_one (PtlCloseFeed *feed, char *buf, size_t size, PtlSocketTable *closed)
{
  const struct nlmsghdr *h = (const struct nlmsghdr *) buf;
  ssize_t n;
  int done = 0;

  do
    n = recv (feed->fd, buf, size, 0);
  while (n < 0 && errno == EINTR);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
    return 0;
  if (n < 0)
    return errno == ENOBUFS ? 1 : PTL_ESYSTEM; /* ENOBUFS: some were lost; the poll sees them */
  if (NLMSG_OK (h, (size_t) n) && h->nlmsg_type == SOCK_DIAG_BY_FAMILY
      && ptl_linux_netlink_parse (buf, (size_t) n, message_proto (h), &feed->filter, closed, &done)
             == PTL_ENOMEM)
    return PTL_ENOMEM;
  return 1;
}

int
ptl_platform_close_feed_read (PtlCloseFeed *feed, PtlSocketTable *closed)
{
  char buf[8192];
  size_t before = closed->len;
  int rc = 1;

  if (feed == NULL)
    return 0;
  /* Bounded, so a storm of closes cannot keep the caller from its poll. */
  for (int i = 0; i < 4096 && rc == 1; i++)
    rc = read_one (feed, buf, sizeof buf, closed);
  if (rc < 0)
    return rc;
  return (int) (closed->len - before);
}

void
ptl_platform_close_feed_free (PtlCloseFeed *feed)
{
  if (feed == NULL)
    return;
  close (feed->fd);
  free (feed);
}
