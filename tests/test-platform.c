/* test-platform.c: the Linux platform layer against real sockets on
 * loopback (ports picked by the kernel) and real child processes. */
#define _GNU_SOURCE

#include <arpa/inet.h>
#include <dirent.h>
#include <glib.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../platform-posix/ptl-linux-private.h"
#include "ptl-platform.h"

/* Opens a socket of @type and @family on loopback, port 0; listens for TCP. */
static int
open_loopback (int family, int type, unsigned *port)
{
  struct sockaddr_storage ss;
  socklen_t len;
  int fd = socket (family, type | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  memset (&ss, 0, sizeof ss);
  if (family == AF_INET)
    {
      struct sockaddr_in *a = (struct sockaddr_in *) &ss;
      a->sin_family = AF_INET;
      a->sin_addr.s_addr = htonl (INADDR_LOOPBACK);
      len = sizeof *a;
    }
  else
    {
      struct sockaddr_in6 *a = (struct sockaddr_in6 *) &ss;
      a->sin6_family = AF_INET6;
      a->sin6_addr = in6addr_loopback;
      len = sizeof *a;
    }
  g_assert_cmpint (bind (fd, (struct sockaddr *) &ss, len), ==, 0);
  if (type == SOCK_STREAM)
    g_assert_cmpint (listen (fd, 8), ==, 0);
  len = sizeof ss;
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &ss, &len), ==, 0);
  *port = ntohs (family == AF_INET ? ((struct sockaddr_in *) &ss)->sin_port
                                   : ((struct sockaddr_in6 *) &ss)->sin6_port);
  return fd;
}

static void
read_port (unsigned port, PtlSocketTable *t)
{
  PtlSocketFilter f;
  PtlError err;

  ptl_socket_filter_init (&f);
  f.port_first = f.port_last = port;
  ptl_socket_table_init (t);
  g_assert_cmpint (ptl_platform_read_sockets (&f, t, &err), ==, 0);
  g_assert_cmpint (ptl_platform_find_owners (t, &err), ==, 0);
}

static const PtlSocket *
find_row (const PtlSocketTable *t, PtlProto proto, PtlFamily fam, unsigned port, PtlState state)
{
  for (size_t i = 0; i < t->len; i++)
    if (t->rows[i].proto == proto && t->rows[i].family == fam && t->rows[i].local_port == port
        && t->rows[i].state == state)
      return &t->rows[i];
  return NULL;
}

typedef struct
{
  int family, type;
  PtlProto proto;
  PtlFamily fam;
  PtlState state;
  const char *address;
} Case;

static void
test_own_socket (gconstpointer data)
{
  const Case *c = data;
  PtlSocketTable t;
  const PtlSocket *s;
  unsigned port;
  int fd = open_loopback (c->family, c->type, &port);

  read_port (port, &t);
  s = find_row (&t, c->proto, c->fam, port, c->state);
  g_assert_nonnull (s);
  g_assert_cmpstr (s->local_address, ==, c->address);
  g_assert_cmpuint (s->inode, !=, 0);
  g_assert_cmpint (s->uid, ==, (long) geteuid ());
  g_assert_cmpuint (s->n_owners, ==, 1);
  g_assert_cmpint (ptl_socket_owner (&t, s, 0)->pid, ==, getpid ());
  g_assert_null (s->owner_note);
  /* The kernel filtered by port: nothing else came back. */
  for (size_t i = 0; i < t.len; i++)
    g_assert_cmpuint (t.rows[i].local_port, ==, port);
  ptl_socket_table_clear (&t);
  close (fd);
}

static void
connect_pair (int *client, int *server, unsigned *lport, unsigned *cport)
{
  struct sockaddr_in a = { .sin_family = AF_INET };
  socklen_t len = sizeof a;
  int lfd = open_loopback (AF_INET, SOCK_STREAM, lport);

  *client = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  a.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  a.sin_port = htons ((uint16_t) *lport);
  g_assert_cmpint (connect (*client, (struct sockaddr *) &a, sizeof a), ==, 0);
  *server = accept (lfd, NULL, NULL);
  g_assert_cmpint (*server, >=, 0);
  g_assert_cmpint (getsockname (*client, (struct sockaddr *) &a, &len), ==, 0);
  *cport = ntohs (a.sin_port);
  close (lfd);
}

static void
test_connected_pair (void)
{
  PtlSocketTable t;
  const PtlSocket *s;
  unsigned lport, cport;
  int client, server;

  connect_pair (&client, &server, &lport, &cport);
  read_port (cport, &t);
  /* Other connections to other destinations may share the client port:
   * ours is the one whose remote end is our listener. */
  s = NULL;
  for (size_t i = 0; i < t.len && s == NULL; i++)
    if (t.rows[i].local_port == cport && t.rows[i].remote_port == lport
        && t.rows[i].state == PTL_STATE_ESTABLISHED && t.rows[i].proto == PTL_PROTO_TCP)
      s = &t.rows[i];
  g_assert_nonnull (s);
  g_assert_cmpstr (s->remote_address, ==, "127.0.0.1");
  g_assert_cmpint (ptl_socket_owner (&t, s, 0)->pid, ==, getpid ());
  ptl_socket_table_clear (&t);
  close (client);
  close (server);
}

/* The side that closes first keeps a TIME_WAIT socket with no file. */
static void
test_time_wait_note (void)
{
  PtlSocketTable t;
  const PtlSocket *s;
  unsigned lport, cport;
  int client, server;
  char c;

  connect_pair (&client, &server, &lport, &cport);
  close (client);
  g_assert_cmpint (read (server, &c, 1), ==, 0);
  close (server);
  read_port (cport, &t);
  s = find_row (&t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, cport, PTL_STATE_TIME_WAIT);
  g_assert_nonnull (s);
  g_assert_cmpuint (s->n_owners, ==, 0);
  g_assert_cmpstr (s->owner_note, ==, "no owner (TIME_WAIT)");
  ptl_socket_table_clear (&t);
}

static void
test_span_filter (void)
{
  PtlSocketFilter f;
  PtlSocketTable t;
  PtlError err;
  unsigned a, b;
  int fa = open_loopback (AF_INET, SOCK_STREAM, &a);
  int fb = open_loopback (AF_INET, SOCK_STREAM, &b);
  unsigned lo = MIN (a, b), hi = MAX (a, b);
  bool saw_lo = false, saw_hi = false;

  /* A span goes to the kernel as bytecode: both ends are inclusive. */
  ptl_socket_filter_init (&f);
  f.port_first = lo;
  f.port_last = hi;
  ptl_socket_table_init (&t);
  g_assert_cmpint (ptl_platform_read_sockets (&f, &t, &err), ==, 0);
  for (size_t i = 0; i < t.len; i++)
    {
      g_assert_cmpuint (t.rows[i].local_port, >=, lo);
      g_assert_cmpuint (t.rows[i].local_port, <=, hi);
      saw_lo |= t.rows[i].local_port == lo;
      saw_hi |= t.rows[i].local_port == hi;
    }
  g_assert_true (saw_lo && saw_hi);
  ptl_socket_table_clear (&t);
  /* One past the low end excludes it. */
  f.port_first = lo + 1;
  ptl_socket_table_init (&t);
  g_assert_cmpint (ptl_platform_read_sockets (&f, &t, &err), ==, 0);
  for (size_t i = 0; i < t.len; i++)
    g_assert_cmpuint (t.rows[i].local_port, !=, lo);
  ptl_socket_table_clear (&t);
  close (fa);
  close (fb);
}

static void
test_listening_filter (void)
{
  PtlSocketFilter f;
  PtlSocketTable t;
  PtlError err;
  unsigned lport, cport, uport;
  int client, server, ufd = open_loopback (AF_INET, SOCK_DGRAM, &uport);

  connect_pair (&client, &server, &lport, &cport);
  ptl_socket_filter_init (&f);
  f.listening_only = true;
  ptl_socket_table_init (&t);
  g_assert_cmpint (ptl_platform_read_sockets (&f, &t, &err), ==, 0);
  g_assert_nonnull (find_row (&t, PTL_PROTO_UDP, PTL_FAMILY_IPV4, uport, PTL_STATE_UNCONN));
  g_assert_null (find_row (&t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, cport, PTL_STATE_ESTABLISHED));
  for (size_t i = 0; i < t.len; i++)
    g_assert_true (t.rows[i].state == PTL_STATE_LISTEN || t.rows[i].state == PTL_STATE_UNCONN);
  ptl_socket_table_clear (&t);
  close (client);
  close (server);
  close (ufd);
}

/* Drops connected rows: other programs' connections may use our listeners'
 * port numbers as their local ports, and come and go between two reads. */
static void
keep_listening (PtlSocketTable *t)
{
  size_t kept = 0;

  for (size_t i = 0; i < t->len; i++)
    if (t->rows[i].state == PTL_STATE_LISTEN || t->rows[i].state == PTL_STATE_UNCONN)
      t->rows[kept++] = t->rows[i];
  t->len = kept;
}

/* Rows from /proc/net must match the netlink rows for the same sockets. */
static void
test_procfs_fallback (void)
{
  PtlSocketTable nl, pf;
  unsigned p4, p6, pu;
  int f4 = open_loopback (AF_INET, SOCK_STREAM, &p4);
  int f6 = open_loopback (AF_INET6, SOCK_STREAM, &p6);
  int fu = open_loopback (AF_INET6, SOCK_DGRAM, &pu);
  unsigned ports[] = { p4, p6, pu };

  for (size_t k = 0; k < 3; k++)
    {
      read_port (ports[k], &nl);
      g_setenv ("PORTOLAN_TEST_NO_NETLINK", "1", TRUE);
      read_port (ports[k], &pf);
      g_unsetenv ("PORTOLAN_TEST_NO_NETLINK");
      g_assert_cmpuint (nl.n_notes, ==, 0);
      g_assert_cmpuint (pf.n_notes, >=, 1);
      g_assert_nonnull (strstr (pf.notes[0], "/proc/net"));
      keep_listening (&nl);
      keep_listening (&pf);
      ptl_socket_table_sort (&nl);
      ptl_socket_table_sort (&pf);
      g_assert_cmpuint (nl.len, ==, pf.len);
      g_assert_cmpuint (nl.len, >=, 1);
      for (size_t i = 0; i < nl.len; i++)
        {
          g_assert_cmpstr (nl.rows[i].local_address, ==, pf.rows[i].local_address);
          g_assert_cmpuint (nl.rows[i].local_port, ==, pf.rows[i].local_port);
          g_assert_cmpuint (nl.rows[i].state, ==, pf.rows[i].state);
          g_assert_cmpuint (nl.rows[i].inode, ==, pf.rows[i].inode);
          g_assert_cmpint (nl.rows[i].uid, ==, pf.rows[i].uid);
          g_assert_cmpuint (pf.rows[i].n_owners, ==, 1);
          g_assert_cmpint (ptl_socket_owner (&pf, &pf.rows[i], 0)->pid, ==, getpid ());
        }
      ptl_socket_table_clear (&nl);
      ptl_socket_table_clear (&pf);
    }
  close (f4);
  close (f6);
  close (fu);
}

static void
test_procfs_parse_line (void)
{
  struct in6_addr v6;
  struct in_addr v4;
  uint32_t w[4];
  char line[512];
  PtlSocket s;

  /* Build the lines the way the kernel does: raw words printed in host order. */
  inet_pton (AF_INET, "192.0.2.7", &v4);
  memcpy (w, &v4, 4);
  snprintf (line, sizeof line,
            "   3: %08X:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 "
            "       0 424242 1 0000000000000000 100 0 0 10 0",
            w[0]);
  g_assert_cmpint (ptl_linux_procfs_parse_line (line, PTL_PROTO_TCP, PTL_FAMILY_IPV4, &s), ==, 0);
  g_assert_cmpstr (s.local_address, ==, "192.0.2.7");
  g_assert_cmpuint (s.local_port, ==, 8080);
  g_assert_cmpuint (s.state, ==, PTL_STATE_LISTEN);
  g_assert_cmpint (s.uid, ==, 1000);
  g_assert_cmpuint (s.inode, ==, 424242);

  inet_pton (AF_INET6, "2001:db8::1:2", &v6);
  memcpy (w, &v6, 16);
  snprintf (line, sizeof line,
            "  0: %08X%08X%08X%08X:0035 00000000000000000000000000000000:0000 07 "
            "00000000:00000000 00:00000000 00000000     0        0 77 2 0000000000000000 0",
            w[0], w[1], w[2], w[3]);
  g_assert_cmpint (ptl_linux_procfs_parse_line (line, PTL_PROTO_UDP, PTL_FAMILY_IPV6, &s), ==, 0);
  g_assert_cmpstr (s.local_address, ==, "2001:db8::1:2");
  g_assert_cmpstr (s.remote_address, ==, "::");
  g_assert_cmpuint (s.local_port, ==, 53);
  g_assert_cmpuint (s.state, ==, PTL_STATE_UNCONN);

  g_assert_cmpint (ptl_linux_procfs_parse_line ("  sl  local_address rem_address   st tx_queue",
                                                PTL_PROTO_TCP, PTL_FAMILY_IPV4, &s),
                   <, 0);
  g_assert_cmpint (ptl_linux_procfs_parse_line ("   0: 0100007F:FFFFF 00000000:0000 0A",
                                                PTL_PROTO_TCP, PTL_FAMILY_IPV4, &s),
                   <, 0);
  g_assert_cmpint (ptl_linux_procfs_parse_line ("", PTL_PROTO_TCP, PTL_FAMILY_IPV4, &s), <, 0);
}

static void
test_netlink_parse (void)
{
  union
  {
    char bytes[512];
    struct nlmsghdr align;
  } buf;
  struct nlmsghdr *h = (struct nlmsghdr *) buf.bytes;
  struct inet_diag_msg *m;
  PtlSocketFilter f;
  PtlSocketTable t;
  int done = 0;

  memset (&buf, 0, sizeof buf);
  h->nlmsg_len = NLMSG_LENGTH (sizeof *m);
  h->nlmsg_type = SOCK_DIAG_BY_FAMILY;
  m = NLMSG_DATA (h);
  m->idiag_family = AF_INET;
  m->idiag_state = 10;
  m->id.idiag_sport = htons (4242);
  inet_pton (AF_INET, "127.0.0.1", &m->id.idiag_src[0]);
  m->idiag_uid = 65534;
  m->idiag_inode = 99;
  h = (struct nlmsghdr *) (buf.bytes + NLMSG_ALIGN (h->nlmsg_len));
  h->nlmsg_len = NLMSG_LENGTH (0);
  h->nlmsg_type = NLMSG_DONE;

  ptl_socket_filter_init (&f);
  ptl_socket_table_init (&t);
  g_assert_cmpint (ptl_linux_netlink_parse (buf.bytes, sizeof buf, PTL_PROTO_TCP, &f, &t, &done),
                   ==, 0);
  g_assert_true (done);
  g_assert_cmpuint (t.len, ==, 1);
  g_assert_cmpstr (t.rows[0].local_address, ==, "127.0.0.1");
  g_assert_cmpuint (t.rows[0].local_port, ==, 4242);
  g_assert_cmpuint (t.rows[0].state, ==, PTL_STATE_LISTEN);
  g_assert_cmpint (t.rows[0].uid, ==, 65534);

  /* Truncated and garbage buffers are refused or ignored, never read past. */
  for (size_t cut = 0; cut < NLMSG_LENGTH (sizeof *m); cut++)
    {
      done = 0;
      ptl_linux_netlink_parse (buf.bytes, cut, PTL_PROTO_TCP, &f, &t, &done);
      g_assert_false (done);
    }
  g_assert_cmpuint (t.len, ==, 1);
  ptl_socket_table_clear (&t);
}

static void
test_bind (void)
{
  unsigned p4, p6, pu;
  int f4 = open_loopback (AF_INET, SOCK_STREAM, &p4);
  int f6 = open_loopback (AF_INET6, SOCK_STREAM, &p6);
  int fu = open_loopback (AF_INET, SOCK_DGRAM, &pu);

  /* 127.0.0.1:P taken means the wildcard 0.0.0.0:P cannot be bound. */
  g_assert_cmpint (ptl_platform_bind_test (p4, PTL_PROTO_TCP, PTL_FAMILY_IPV4), ==,
                   PTL_BIND_IN_USE);
  g_assert_cmpint (ptl_platform_bind_test (p6, PTL_PROTO_TCP, PTL_FAMILY_IPV6), ==,
                   PTL_BIND_IN_USE);
  g_assert_cmpint (ptl_platform_bind_test (pu, PTL_PROTO_UDP, PTL_FAMILY_IPV4), ==,
                   PTL_BIND_IN_USE);
  close (f4);
  close (f6);
  close (fu);
  g_assert_cmpint (ptl_platform_bind_test (p4, PTL_PROTO_TCP, PTL_FAMILY_IPV4), ==, PTL_BIND_FREE);
  g_assert_cmpint (ptl_platform_bind_test (p6, PTL_PROTO_TCP, PTL_FAMILY_IPV6), ==, PTL_BIND_FREE);
  g_assert_cmpint (ptl_platform_bind_test (pu, PTL_PROTO_UDP, PTL_FAMILY_IPV4), ==, PTL_BIND_FREE);
  g_assert_cmpint (ptl_platform_bind_test (70000, PTL_PROTO_TCP, PTL_FAMILY_IPV4), ==,
                   PTL_BIND_ERROR);
}

static void
test_rules (void)
{
  PtlPortRules r;
  PtlError err;
  g_autofree char *text = NULL;
  unsigned first, last;

  g_assert_cmpint (ptl_platform_port_rules (&r, &err), ==, 0);
  g_assert_true (g_file_get_contents ("/proc/sys/net/ipv4/ip_local_port_range", &text, NULL, NULL));
  g_assert_cmpint (sscanf (text, "%u %u", &first, &last), ==, 2);
  g_assert_cmpuint (r.ephemeral_first, ==, first);
  g_assert_cmpuint (r.ephemeral_last, ==, last);
  g_assert_true (r.unprivileged_known);
  g_assert_cmpuint (r.unprivileged_start, <=, 65536);
}

/* A child holds a listener; we must name it, not ourselves. */
static void
test_child_owner (void)
{
  PtlSocketTable t;
  const PtlSocket *s;
  const PtlProcess *p;
  int pipefd[2];
  unsigned port;
  pid_t pid;

  g_assert_cmpint (pipe (pipefd), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      int fd = open_loopback (AF_INET, SOCK_STREAM, &port);
      (void) fd;
      if (write (pipefd[1], &port, sizeof port) != sizeof port)
        _exit (1);
      pause ();
      _exit (0);
    }
  close (pipefd[1]);
  g_assert_cmpint (read (pipefd[0], &port, sizeof port), ==, sizeof port);
  close (pipefd[0]);
  read_port (port, &t);
  s = find_row (&t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, port, PTL_STATE_LISTEN);
  g_assert_nonnull (s);
  g_assert_cmpuint (s->n_owners, ==, 1);
  p = ptl_socket_owner (&t, s, 0);
  g_assert_cmpint (p->pid, ==, pid);
  g_assert_cmpstr (p->name, ==, "test-platform");
  g_assert_true (g_str_has_suffix (p->path, "/test-platform"));
  g_assert_nonnull (strstr (p->cmdline, "test-platform"));
  g_assert_cmpuint (p->start_time, >, 0);
  ptl_socket_table_clear (&t);
  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
}

/* A pre-forking server: after fork every worker holds the listener, and
 * all of them are owners, though the scan may stop at the first one. */
static void
test_shared_owners (void)
{
  PtlSocketTable t;
  const PtlSocket *s;
  unsigned port;
  int fd = open_loopback (AF_INET, SOCK_STREAM, &port);
  pid_t workers[3];
  bool seen[4] = { false };

  for (size_t w = 0; w < 3; w++)
    {
      workers[w] = fork ();
      g_assert_cmpint (workers[w], >=, 0);
      if (workers[w] == 0)
        {
          pause ();
          _exit (0);
        }
    }
  read_port (port, &t);
  s = find_row (&t, PTL_PROTO_TCP, PTL_FAMILY_IPV4, port, PTL_STATE_LISTEN);
  g_assert_nonnull (s);
  g_assert_cmpuint (s->n_owners, ==, 4);
  for (size_t i = 0; i < s->n_owners; i++)
    {
      long pid = ptl_socket_owner (&t, s, i)->pid;

      seen[3] |= pid == getpid ();
      for (size_t w = 0; w < 3; w++)
        seen[w] |= pid == workers[w];
    }
  g_assert_true (seen[0] && seen[1] && seen[2] && seen[3]);
  ptl_socket_table_clear (&t);
  for (size_t w = 0; w < 3; w++)
    {
      kill (workers[w], SIGKILL);
      waitpid (workers[w], NULL, 0);
    }
  close (fd);
}

static void
test_terminate (void)
{
  PtlProcess p;
  PtlError err;
  pid_t pid = fork ();
  int status;

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      pause ();
      _exit (0);
    }
  g_assert_cmpint (ptl_platform_process_info (pid, &p, &err), ==, 0);
  g_assert_true (ptl_platform_process_alive (pid, p.start_time));
  /* A different start time means "not the process you checked". */
  g_assert_cmpint (ptl_platform_terminate (pid, p.start_time + 1, &err), ==, PTL_ENOTFOUND);
  g_assert_cmpint (waitpid (pid, &status, WNOHANG), ==, 0);
  g_assert_cmpint (ptl_platform_terminate (1, 1, &err), ==, PTL_EACCES);
  g_assert_cmpint (ptl_platform_terminate (getpid (), 1, &err), ==, PTL_EACCES);
  g_assert_cmpint (ptl_platform_terminate (pid, p.start_time, &err), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGTERM);
  g_assert_false (ptl_platform_process_alive (pid, p.start_time));
  ptl_process_clear (&p);
}

static size_t
count_fds (void)
{
  GDir *dir = g_dir_open ("/proc/self/fd", 0, NULL);
  size_t n = 0;

  while (g_dir_read_name (dir))
    n++;
  g_dir_close (dir);
  return n;
}

static void
test_no_fd_leak (void)
{
  size_t before = count_fds ();

  for (int i = 0; i < 50; i++)
    {
      PtlSocketFilter f;
      PtlSocketTable t;
      PtlError err;

      ptl_socket_filter_init (&f);
      ptl_socket_table_init (&t);
      g_assert_cmpint (ptl_platform_read_sockets (&f, &t, &err), ==, 0);
      g_assert_cmpint (ptl_platform_find_owners (&t, &err), ==, 0);
      ptl_socket_table_clear (&t);
      ptl_platform_bind_test (1, PTL_PROTO_UDP, PTL_FAMILY_IPV6);
    }
  g_assert_cmpuint (count_fds (), ==, before);
}

int
main (int argc, char **argv)
{
  static const Case cases[] = {
    { AF_INET, SOCK_STREAM, PTL_PROTO_TCP, PTL_FAMILY_IPV4, PTL_STATE_LISTEN, "127.0.0.1" },
    { AF_INET6, SOCK_STREAM, PTL_PROTO_TCP, PTL_FAMILY_IPV6, PTL_STATE_LISTEN, "::1" },
    { AF_INET, SOCK_DGRAM, PTL_PROTO_UDP, PTL_FAMILY_IPV4, PTL_STATE_UNCONN, "127.0.0.1" },
    { AF_INET6, SOCK_DGRAM, PTL_PROTO_UDP, PTL_FAMILY_IPV6, PTL_STATE_UNCONN, "::1" },
  };

  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/ptl/platform/own/tcp4-listen", &cases[0], test_own_socket);
  g_test_add_data_func ("/ptl/platform/own/tcp6-listen", &cases[1], test_own_socket);
  g_test_add_data_func ("/ptl/platform/own/udp4-unconn", &cases[2], test_own_socket);
  g_test_add_data_func ("/ptl/platform/own/udp6-unconn", &cases[3], test_own_socket);
  g_test_add_func ("/ptl/platform/connected-pair", test_connected_pair);
  g_test_add_func ("/ptl/platform/time-wait-note", test_time_wait_note);
  g_test_add_func ("/ptl/platform/span-filter", test_span_filter);
  g_test_add_func ("/ptl/platform/listening-filter", test_listening_filter);
  g_test_add_func ("/ptl/platform/procfs-fallback", test_procfs_fallback);
  g_test_add_func ("/ptl/platform/procfs-parse-line", test_procfs_parse_line);
  g_test_add_func ("/ptl/platform/netlink-parse", test_netlink_parse);
  g_test_add_func ("/ptl/platform/bind-test", test_bind);
  g_test_add_func ("/ptl/platform/rules", test_rules);
  g_test_add_func ("/ptl/platform/child-owner", test_child_owner);
  g_test_add_func ("/ptl/platform/shared-owners", test_shared_owners);
  g_test_add_func ("/ptl/platform/terminate", test_terminate);
  g_test_add_func ("/ptl/platform/no-fd-leak", test_no_fd_leak);
  return g_test_run ();
}
