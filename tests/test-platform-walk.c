/* test-platform-walk.c: the socket table while the kernel's tables change
 * under the read.
 *
 * The kernel hands a socket table over in pieces (netlink dump messages,
 * reads of /proc/net/tcp and udp) and resumes each piece by position: in
 * a hash bucket for netlink and TCP, from the start of the table for
 * /proc/net/udp. A socket opened in front of the resume point meanwhile
 * makes the next piece repeat a socket; one closed there makes it skip
 * one. ss shows the same walk. Repeats are ours to drop: the owner search
 * gives an inode to one row, so a second row of it was left saying
 * "owner not found" (seen as a holder's listener with an owner through
 * netlink and none through /proc).
 */
#define _GNU_SOURCE

#include <arpa/inet.h>
#include <errno.h>
#include <glib.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../platform-posix/ptl-linux-private.h"
#include "ptl-platform.h"
#include "ptl-test-netns.h"

/* ---- repeats dropped from a table built by hand ------------------------------- */

static void
add (PtlSocketTable *t, PtlProto proto, uint64_t inode, unsigned lport, unsigned rport,
     PtlState state)
{
  PtlSocket s = { .proto = proto, .family = PTL_FAMILY_IPV4, .state = state };

  g_strlcpy (s.local_address, "127.0.0.1", sizeof s.local_address);
  g_strlcpy (s.remote_address, rport ? "127.0.0.1" : "0.0.0.0", sizeof s.remote_address);
  s.local_port = lport;
  s.remote_port = rport;
  s.inode = inode;
  g_assert_nonnull (ptl_socket_table_append (t, &s));
}

/* The table as "inode:lport-rport" words, in order. */
static char *
table_text (const PtlSocketTable *t)
{
  GString *s = g_string_new (NULL);

  for (size_t i = 0; i < t->len; i++)
    g_string_append_printf (s, "%s%s%" G_GUINT64_FORMAT ":%u-%u", i ? " " : "",
                            t->rows[i].proto == PTL_PROTO_UDP ? "u" : "", t->rows[i].inode,
                            t->rows[i].local_port, t->rows[i].remote_port);
  return g_string_free (s, FALSE);
}

static void
test_drop_repeats (void)
{
  PtlSocketTable t;
  g_autofree char *text = NULL, *before = NULL;

  ptl_socket_table_init (&t);
  /* An earlier read's rows (before @from) are not this read's business. */
  add (&t, PTL_PROTO_TCP, 10, 1000, 0, PTL_STATE_LISTEN);
  add (&t, PTL_PROTO_TCP, 10, 1000, 0, PTL_STATE_LISTEN);
  add (&t, PTL_PROTO_UDP, 11, 1001, 0, PTL_STATE_UNCONN);
  add (&t, PTL_PROTO_TCP, 10, 1000, 0, PTL_STATE_LISTEN); /* a repeat */
  /* TIME_WAIT rows have no inode: their endpoints tell them apart. */
  add (&t, PTL_PROTO_TCP, 0, 2000, 3000, PTL_STATE_TIME_WAIT);
  add (&t, PTL_PROTO_TCP, 0, 2000, 3001, PTL_STATE_TIME_WAIT);
  add (&t, PTL_PROTO_TCP, 0, 2000, 3000, PTL_STATE_TIME_WAIT); /* a repeat */
  add (&t, PTL_PROTO_UDP, 10, 1000, 0, PTL_STATE_UNCONN);      /* another protocol */
  add (&t, PTL_PROTO_UDP, 11, 1001, 0, PTL_STATE_UNCONN);      /* a repeat */
  before = table_text (&t);
  g_assert_cmpint (ptl_linux_drop_repeats (&t, 1), ==, 3);
  text = table_text (&t);
  g_test_message ("%s -> %s", before, text);
  g_assert_cmpstr (text, ==, "10:1000-0 10:1000-0 u11:1001-0 0:2000-3000 0:2000-3001 u10:1000-0");
  g_assert_cmpint (ptl_linux_drop_repeats (&t, 0), ==, 1);
  g_assert_cmpint (ptl_linux_drop_repeats (&t, 0), ==, 0);
  ptl_socket_table_clear (&t);
}

/* ---- a real walk under churn ---------------------------------------------------- */

#define CHURN_SOCKETS 256
#define OURS 32 /* held throughout, half TCP listeners, half UDP */
#define READS 100

static int
open_loopback (int family, int type)
{
  struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
  int fd = socket (family, type | SOCK_CLOEXEC, 0);

  if (fd < 0)
    return -1;
  if ((family == AF_INET ? bind (fd, (struct sockaddr *) &a4, sizeof a4)
                         : bind (fd, (struct sockaddr *) &a6, sizeof a6))
          < 0
      || (type == SOCK_STREAM && listen (fd, 1) < 0))
    {
      close (fd);
      return -1;
    }
  return fd;
}

static uint64_t
inode_of (int fd)
{
  struct stat st;

  g_assert_cmpint (fstat (fd, &st), ==, 0);
  return (uint64_t) st.st_ino;
}

/* In a child: keeps about CHURN_SOCKETS loopback sockets of every kind,
 * closing one and opening another as fast as it can, until the parent
 * goes away. */
static G_NORETURN void
churn (void)
{
  int fds[CHURN_SOCKETS];
  unsigned seed = (unsigned) getpid ();

  prctl (PR_SET_PDEATHSIG, SIGKILL);
  for (size_t i = 0; i < CHURN_SOCKETS; i++)
    fds[i] = open_loopback (i % 2 ? AF_INET : AF_INET6, i % 4 < 2 ? SOCK_DGRAM : SOCK_STREAM);
  for (;;)
    {
      size_t i = (size_t) rand_r (&seed) % CHURN_SOCKETS;

      if (fds[i] >= 0)
        close (fds[i]);
      fds[i] = open_loopback (i % 2 ? AF_INET : AF_INET6, i % 4 < 2 ? SOCK_DGRAM : SOCK_STREAM);
    }
}

/* Repeated inodes in one read of /proc/net/@name as the kernel gives it,
 * through stdio as the platform reads it. */
static guint
raw_repeats (const char *name)
{
  g_autofree char *path = g_strconcat ("/proc/net/", name, NULL);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr (GArray) inodes = g_array_new (FALSE, FALSE, sizeof (gint64));
  FILE *f = fopen (path, "re");
  char line[512];
  guint repeats = 0;

  g_assert_nonnull (f);
  while (fgets (line, sizeof line, f))
    {
      PtlSocket s;
      gint64 inode;

      if (ptl_linux_procfs_parse_line (line, PTL_PROTO_UDP,
                                       strchr (name, '6') ? PTL_FAMILY_IPV6 : PTL_FAMILY_IPV4, &s)
              < 0
          || s.inode == 0)
        continue;
      inode = (gint64) s.inode;
      g_array_append_val (inodes, inode);
    }
  fclose (f);
  for (guint i = 0; i < inodes->len; i++)
    if (!g_hash_table_add (seen, &g_array_index (inodes, gint64, i)))
      repeats++;
  return repeats;
}

typedef struct
{
  GHashTable *ours; /* inodes */
  guint reads_with_all, rows;
} Walk;

/* One read: no inode twice, and ours, whenever listed, with us as owner. */
static void
read_and_check (Walk *w, gboolean procfs)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  PtlSocketFilter f;
  PtlSocketTable t;
  PtlError err;
  guint ours = 0;

  if (procfs)
    g_setenv ("PORTOLAN_TEST_NO_NETLINK", "1", TRUE);
  ptl_socket_filter_init (&f);
  f.owners_follow = TRUE;
  ptl_socket_table_init (&t);
  g_assert_cmpint (ptl_platform_read_sockets (&f, &t, &err), ==, 0);
  g_assert_cmpint (ptl_platform_find_owners (&t, &err), ==, 0);
  g_unsetenv ("PORTOLAN_TEST_NO_NETLINK");
  for (size_t i = 0; i < t.len; i++)
    {
      const PtlSocket *s = &t.rows[i];

      if (s->inode == 0)
        continue;
      if (g_hash_table_contains (w->ours, &s->inode)
          && (s->n_owners != 1 || ptl_socket_owner (&t, s, 0)->pid != getpid ()))
        g_error ("our socket %" G_GUINT64_FORMAT " was listed without us as its owner (%s)",
                 s->inode, s->owner_note ? s->owner_note : "other owners");
      ours += g_hash_table_contains (w->ours, &s->inode);
      if (!g_hash_table_add (seen, (gpointer) &s->inode))
        g_error ("a read through %s listed inode %" G_GUINT64_FORMAT " (%s port %u) twice",
                 procfs ? "/proc/net" : "netlink", s->inode,
                 s->proto == PTL_PROTO_TCP ? "tcp" : "udp", s->local_port);
    }
  w->reads_with_all += ours == OURS;
  w->rows += (guint) t.len;
  ptl_socket_table_clear (&t);
}

/* In a child in a network namespace of its own: our sockets, the churn,
 * and the reads. Exits 0, or 77 when the namespace cannot be made. */
static G_NORETURN void
walk_in_namespace (void)
{
  Walk w = { g_hash_table_new (g_int64_hash, g_int64_equal), 0, 0 };
  uint64_t inodes[OURS];
  int fds[OURS];
  const char *why;
  guint raw = 0;
  pid_t churner;

  if (!ptl_test_enter_netns (&why))
    {
      g_test_message ("%s", why);
      _exit (77);
    }
  /* The churner first, so that it does not inherit our sockets. */
  churner = fork ();
  g_assert_cmpint (churner, >=, 0);
  if (churner == 0)
    churn ();
  for (guint i = 0; i < OURS; i++)
    {
      fds[i] = open_loopback (i % 4 < 2 ? AF_INET : AF_INET6, i % 2 ? SOCK_DGRAM : SOCK_STREAM);
      g_assert_cmpint (fds[i], >=, 0);
      inodes[i] = inode_of (fds[i]);
      g_hash_table_add (w.ours, &inodes[i]);
    }
  for (guint k = 0; k < READS; k++)
    {
      read_and_check (&w, k % 2 == 0);
      raw += raw_repeats ("udp") + raw_repeats ("udp6");
    }
  kill (churner, SIGKILL);
  g_assert_cmpint (waitpid (churner, NULL, 0), ==, churner);
  /* That the walk really repeats here, where our reads must not: */
  g_test_message ("%u reads (half through /proc/net), %u rows; all %u of our sockets in %u "
                  "reads; the kernel's own /proc/net/udp walk repeated %u sockets in %u reads "
                  "next to them",
                  READS, w.rows, OURS, w.reads_with_all, raw, 2 * READS);
  g_assert_cmpuint (w.reads_with_all, >, 0);
  for (guint i = 0; i < OURS; i++)
    close (fds[i]);
  g_hash_table_unref (w.ours);
  _exit (0);
}

static void
test_walk_under_churn (void)
{
  int status;
  pid_t child;

  fflush (stdout);
  child = fork ();
  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    walk_in_namespace ();
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  if (WIFEXITED (status) && WEXITSTATUS (status) == 77)
    {
      g_test_skip ("no network namespace of its own, where only its sockets churn (why: above)");
      return;
    }
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ptl/platform/walk/drop-repeats", test_drop_repeats);
  g_test_add_func ("/ptl/platform/walk/under-churn", test_walk_under_churn);
  return g_test_run ();
}
