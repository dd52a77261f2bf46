/* ptl-linux-netlink.c: the socket table from NETLINK_SOCK_DIAG.
 *
 * One dump per (family, protocol). A port span, a single port included,
 * goes into the request as inet_diag bytecode (S_GE and S_LE, host-order
 * ports) so the kernel skips every other socket. Bytecode rather than
 * idiag_sport: the TCP and UDP dumpers have not always agreed on the byte
 * order of that field, while bytecode means the same to both.
 *
 * TCP of both families is asked for in one old-style TCPDIAG_GETSOCK dump:
 * the kernel then walks its TCP hash tables once for IPv4 and IPv6 instead
 * of once per family, which is most of the cost of a one-port query on a
 * machine with many connections. Kernels that refuse it get the two
 * per-family dumps.
 */
#define _GNU_SOURCE

#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ptl-linux-private.h"

#define TCP_LISTEN_STATE 10
#define TCP_CLOSE_STATE 7

struct diag_request
{
  struct nlmsghdr nlh;
  struct inet_diag_req_v2 req;
  struct rtattr rta;
  struct inet_diag_bc_op ops[4];
};

struct compat_request
{
  struct nlmsghdr nlh;
  struct inet_diag_req req;
  struct rtattr rta;
  struct inet_diag_bc_op ops[4];
};

static unsigned
wanted_states (PtlProto proto, const PtlSocketFilter *filter)
{
  if (!filter->listening_only)
    return ~0u;
  return proto == PTL_PROTO_TCP ? 1u << TCP_LISTEN_STATE : 1u << TCP_CLOSE_STATE;
}

static bool
wants_span (const PtlSocketFilter *filter)
{
  return filter->port_first > 0 || filter->port_last < PTL_PORT_MAX;
}

/* Bytecode "sport >= first && sport <= last". A false test jumps past the
 * end (len + 4), which the kernel reads as "reject". */
static size_t
add_span_bytecode (struct rtattr *rta, struct inet_diag_bc_op *ops, const PtlSocketFilter *filter)
{
  ops[0] = (struct inet_diag_bc_op){ INET_DIAG_BC_S_GE, 8, 20 };
  ops[1] = (struct inet_diag_bc_op){ 0, 0, (unsigned short) filter->port_first };
  ops[2] = (struct inet_diag_bc_op){ INET_DIAG_BC_S_LE, 8, 12 };
  ops[3] = (struct inet_diag_bc_op){ 0, 0, (unsigned short) filter->port_last };
  rta->rta_type = INET_DIAG_REQ_BYTECODE;
  rta->rta_len = RTA_LENGTH (4 * sizeof *ops);
  return RTA_SPACE (4 * sizeof *ops);
}

static size_t
build_request (struct diag_request *r, int family, PtlProto proto, const PtlSocketFilter *filter)
{
  size_t len = NLMSG_LENGTH (sizeof r->req);

  memset (r, 0, sizeof *r);
  r->nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  r->nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  r->nlh.nlmsg_seq = 1;
  r->req.sdiag_family = (unsigned char) family;
  r->req.sdiag_protocol = proto == PTL_PROTO_TCP ? IPPROTO_TCP : IPPROTO_UDP;
  r->req.idiag_states = wanted_states (proto, filter);
  if (wants_span (filter))
    len = NLMSG_ALIGN (len) + add_span_bytecode (&r->rta, r->ops, filter);
  r->nlh.nlmsg_len = (uint32_t) len;
  return len;
}

/* TCP of both families in one dump (see the top of the file). */
static size_t
build_compat_request (struct compat_request *r, const PtlSocketFilter *filter)
{
  size_t len = NLMSG_LENGTH (sizeof r->req);

  memset (r, 0, sizeof *r);
  r->nlh.nlmsg_type = TCPDIAG_GETSOCK;
  r->nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  r->nlh.nlmsg_seq = 1;
  r->req.idiag_family = AF_INET;
  r->req.idiag_states = wanted_states (PTL_PROTO_TCP, filter);
  if (wants_span (filter))
    len = NLMSG_ALIGN (len) + add_span_bytecode (&r->rta, r->ops, filter);
  r->nlh.nlmsg_len = (uint32_t) len;
  return len;
}

/* Dotted quad without inet_ntop, which goes through sprintf: this runs
 * twice per row of a 20,000-row table. */
static void
format_ipv4 (const uint32_t *raw, char *out)
{
  const unsigned char *b = (const unsigned char *) raw;

  for (int i = 0; i < 4; i++)
    {
      unsigned v = b[i];

      if (v >= 100)
        *out++ = (char) ('0' + v / 100);
      if (v >= 10)
        *out++ = (char) ('0' + v / 10 % 10);
      *out++ = (char) ('0' + v % 10);
      *out++ = i < 3 ? '.' : '\0';
    }
}

static void
format_address (int family, const uint32_t *raw, uint32_t ifindex, char *out, size_t size)
{
  char ifname[IF_NAMESIZE];
  size_t n;

  if (family == AF_INET && size >= INET_ADDRSTRLEN)
    {
      format_ipv4 (raw, out);
      return;
    }
  if (!inet_ntop (family, raw, out, (socklen_t) size))
    snprintf (out, size, "?");
  /* A link-local address means nothing without its interface. */
  if (family != AF_INET6 || ifindex == 0 || strncmp (out, "fe80:", 5) != 0)
    return;
  n = strlen (out);
  if (if_indextoname (ifindex, ifname))
    snprintf (out + n, size - n, "%%%s", ifname);
}

/* The cgroup v2 id the kernel adds to each full socket (Linux >= 5.9,
 * attribute INET_DIAG_CGROUP_ID); 0 when the reply has none. */
static uint64_t
cgroup_id_of (const struct nlmsghdr *h)
{
  const struct inet_diag_msg *m = NLMSG_DATA (h);
  const struct rtattr *a = (const struct rtattr *) (m + 1);
  long len = (long) h->nlmsg_len - (long) NLMSG_LENGTH (sizeof *m);
  uint64_t id = 0;

  for (; len > 0 && RTA_OK (a, (unsigned) len); a = RTA_NEXT (a, len))
    if (a->rta_type == INET_DIAG_CGROUP_ID && RTA_PAYLOAD (a) >= sizeof id)
      memcpy (&id, RTA_DATA (a), sizeof id);
  return id;
}

static void
add_row (const struct nlmsghdr *h, PtlProto proto, const PtlSocketFilter *filter,
         PtlSocketTable *table, int *oom)
{
  const struct inet_diag_msg *m = NLMSG_DATA (h);
  PtlSocket s;

  memset (&s, 0, sizeof s);
  s.proto = proto;
  s.family = m->idiag_family == AF_INET6 ? PTL_FAMILY_IPV6 : PTL_FAMILY_IPV4;
  s.state = ptl_linux_state (proto, m->idiag_state);
  s.local_port = ntohs (m->id.idiag_sport);
  s.remote_port = ntohs (m->id.idiag_dport);
  format_address (m->idiag_family, m->id.idiag_src, m->id.idiag_if, s.local_address,
                  sizeof s.local_address);
  format_address (m->idiag_family, m->id.idiag_dst, m->id.idiag_if, s.remote_address,
                  sizeof s.remote_address);
  s.uid = (long) m->idiag_uid;
  s.inode = m->idiag_inode;
  s.rqueue = m->idiag_rqueue;
  s.cgroup_id = cgroup_id_of (h);
  s.cookie = (uint64_t) m->id.idiag_cookie[0] | (uint64_t) m->id.idiag_cookie[1] << 32;
  /* The kernel filtered already; checking again costs little and keeps
   * the result right on kernels that ignore part of the request. */
  if (!ptl_socket_filter_match (filter, &s))
    return;
  if (!ptl_socket_table_append (table, &s))
    *oom = 1;
}

/* NLMSG_NEXT subtracts the padded length, so a last message without its
 * padding would wrap @len around and send the loop past the buffer. */
static const struct nlmsghdr *
next_message (const struct nlmsghdr *h, size_t *len)
{
  size_t step = NLMSG_ALIGN (h->nlmsg_len);

  if (step >= *len)
    {
      *len = 0;
      return h;
    }
  *len -= step;
  return (const struct nlmsghdr *) ((const char *) h + step);
}

int
ptl_linux_netlink_parse (const void *buf, size_t len, PtlProto proto, const PtlSocketFilter *filter,
                         PtlSocketTable *table, int *done)
{
  const struct nlmsghdr *h = buf;
  int oom = 0;

  for (; NLMSG_OK (h, len); h = next_message (h, &len))
    {
      if (h->nlmsg_type == NLMSG_DONE)
        {
          *done = 1;
          return 0;
        }
      if (h->nlmsg_type == NLMSG_ERROR)
        {
          const struct nlmsgerr *e = NLMSG_DATA (h);
          if (h->nlmsg_len < NLMSG_LENGTH (sizeof *e))
            return PTL_ESYSTEM;
          /* A negative errno from the kernel; anything else (INT_MIN would
           * overflow the negation) is a malformed reply. */
          errno = e->error < 0 && e->error >= -4095 ? -e->error : EPROTO;
          return e->error == 0 ? 0 : PTL_ESYSTEM;
        }
      if ((h->nlmsg_type != SOCK_DIAG_BY_FAMILY && h->nlmsg_type != TCPDIAG_GETSOCK)
          || h->nlmsg_len < NLMSG_LENGTH (sizeof (struct inet_diag_msg)))
        continue;
      add_row (h, proto, filter, table, &oom);
      if (oom)
        return PTL_ENOMEM;
    }
  return 0;
}

#define RECV_BUF_SIZE (64 * 1024)

/* Sends @req and reads the dump it starts into @table. */
static int
dump (int fd, char *buf, const void *req, size_t len, PtlProto proto, const PtlSocketFilter *filter,
      PtlSocketTable *table)
{
  struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
  int done = 0;

  if (sendto (fd, req, len, 0, (struct sockaddr *) &kernel, sizeof kernel) < 0)
    return PTL_EUNSUPPORTED;
  while (!done)
    {
      ssize_t n = recv (fd, buf, RECV_BUF_SIZE, 0);
      int rc;

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return PTL_EUNSUPPORTED;
      if ((rc = ptl_linux_netlink_parse (buf, (size_t) n, proto, filter, table, &done)) < 0)
        return rc == PTL_ENOMEM ? rc : PTL_EUNSUPPORTED;
    }
  return 0;
}

static int
dump_family (int fd, char *buf, int family, PtlProto proto, const PtlSocketFilter *filter,
             PtlSocketTable *table)
{
  struct diag_request req;
  size_t len = build_request (&req, family, proto, filter);

  return dump (fd, buf, &req, len, proto, filter, table);
}

/* Returns 1 when the one-dump TCP request answered, 0 when the caller
 * should ask per family, or PTL_ENOMEM. */
static int
dump_tcp_both (int fd, char *buf, const PtlSocketFilter *filter, PtlSocketTable *table)
{
  struct compat_request req;
  size_t len = build_compat_request (&req, filter), before = table->len;
  int rc = dump (fd, buf, &req, len, PTL_PROTO_TCP, filter, table);

  if (rc == PTL_ENOMEM)
    return rc;
  if (rc == 0)
    return 1;
  table->len = before;
  return 0;
}

/* No family named means both, and so does naming both. */
static bool
wants_both_families (const PtlSocketFilter *filter)
{
  unsigned fams = filter->families & PTL_FAMILY_ALL;

  return fams == 0 || fams == PTL_FAMILY_ALL;
}

static int
dump_families (int fd, char *buf, PtlProto proto, const PtlSocketFilter *filter,
               PtlSocketTable *table)
{
  static const int families[] = { AF_INET, AF_INET6 };
  int rc = 0;

  if (proto == PTL_PROTO_TCP && wants_both_families (filter)
      && (rc = dump_tcp_both (fd, buf, filter, table)) != 0)
    return rc < 0 ? rc : 0;
  for (size_t i = 0; i < 2 && rc == 0; i++)
    {
      PtlFamily fam = families[i] == AF_INET ? PTL_FAMILY_IPV4 : PTL_FAMILY_IPV6;

      if (filter->families && !(filter->families & fam))
        continue;
      rc = dump_family (fd, buf, families[i], proto, filter, table);
      /* A kernel without IPv6 answers the v6 dump with an error: no rows. */
      if (rc == PTL_EUNSUPPORTED && families[i] == AF_INET6
          && (errno == ENOENT || errno == EAFNOSUPPORT))
        rc = 0;
    }
  return rc;
}

int
ptl_linux_netlink_read (PtlProto proto, const PtlSocketFilter *filter, PtlSocketTable *table,
                        PtlError *err)
{
  size_t before = table->len;
  int fd, rc = 0;
  char *buf;

  fd = socket (AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0)
    return PTL_EUNSUPPORTED;
  /* Per call, not static: the GUI scans from worker threads. */
  if ((buf = malloc (RECV_BUF_SIZE)) == NULL)
    {
      close (fd);
      return ptl_error_set (err, PTL_ENOMEM, "Out of memory while reading the socket table.");
    }
  rc = dump_families (fd, buf, proto, filter, table);
  close (fd);
  free (buf);
  if (rc == PTL_EUNSUPPORTED)
    table->len = before; /* the caller falls back to /proc for all of it */
  if (rc == PTL_ENOMEM)
    return ptl_error_set (err, rc, "Out of memory while reading the socket table.");
  return rc;
}
