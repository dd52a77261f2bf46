/* ptl-test-situations: builds, for real, the owner situations that
 * portolan's notes describe, so the tests can check what it says about
 * them. It speaks the protocol of ptl-test-holder: "KEY VALUE" lines,
 * then "ready", then it holds everything until stdin reaches EOF.
 *
 *   thread         a listener held only by a thread: the main thread has
 *                  exited (pthread_exit) before "ready"
 *   accept-queue N a listener that never accepts, and N connections to it
 *                  from this process: the server ends wait in its queue
 *   in-flight      a listener passed in an SCM_RIGHTS message that nobody
 *                  receives, its own fd closed: no process holds it
 *   nondumpable    a listener in a process that is not dumpable
 *   fsuid UID      a listener created with the file system uid UID, held
 *                  by this (root) process
 *   workers UID    a listener held by this (root) process and by a forked
 *                  child that then becomes UID, like nginx's workers
 *   reuseport N    N children, each with its own SO_REUSEPORT listener on
 *                  one port
 *   name TEXT      a listener in a process whose name (comm) is TEXT
 *   cgroup DIR     joins cgroup DIR (writes its PID to DIR/cgroup.procs),
 *                  then opens a listener there
 *   port PORT      a listener on 0.0.0.0:PORT (in a namespace of its own)
 *   (run as "docker", through a link: a container engine's CLI that hangs)
 *   link-local     in a network namespace of its own (unshare --net):
 *                  puts fe80::1 on lo (with ip) and listens on [fe80::1%lo]
 *
 * Listeners are TCP on 127.0.0.1 with a port the kernel picks, except for
 * "port". Each prints "listen PORT".
 */
#define _GNU_SOURCE

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void
die (const char *what)
{
  fprintf (stderr, "ptl-test-situations: %s: %s\n", what, strerror (errno));
  exit (1);
}

static void
wait_for_eof (void)
{
  char buf[256];

  for (;;)
    {
      ssize_t n = read (STDIN_FILENO, buf, sizeof buf);
      if (n == 0 || (n < 0 && errno != EINTR))
        return;
    }
}

static void
say (const char *key, long value)
{
  printf ("%s %ld\n", key, value);
  if (fflush (stdout) != 0)
    die ("stdout");
}

static void
ready (void)
{
  puts ("ready");
  if (fflush (stdout) != 0)
    die ("stdout");
}

static unsigned
port_of (int fd)
{
  struct sockaddr_in sin;
  socklen_t len = sizeof sin;

  if (getsockname (fd, (struct sockaddr *) &sin, &len) < 0)
    die ("getsockname");
  return ntohs (sin.sin_port);
}

/* A TCP listener on @addr:@port (0: the kernel picks), told as "listen PORT". */
static int
listener_on (in_addr_t addr, unsigned port, bool reuseport, int backlog)
{
  struct sockaddr_in sin = { .sin_family = AF_INET };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

  if (fd < 0)
    die ("socket");
  sin.sin_addr.s_addr = addr;
  sin.sin_port = htons ((uint16_t) port);
  if (reuseport && setsockopt (fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) < 0)
    die ("SO_REUSEPORT");
  if (bind (fd, (struct sockaddr *) &sin, sizeof sin) < 0)
    die ("bind");
  if (listen (fd, backlog) < 0)
    die ("listen");
  return fd;
}

static int
loopback_listener (void)
{
  int fd = listener_on (htonl (INADDR_LOOPBACK), 0, false, 16);

  say ("listen", port_of (fd));
  return fd;
}

/* ---- thread ------------------------------------------------------------- */

static pid_t main_pid;

static bool
main_thread_is_zombie (void)
{
  char path[64], buf[512];
  const char *p;
  FILE *f;
  size_t n;

  snprintf (path, sizeof path, "/proc/%d/stat", (int) main_pid);
  if ((f = fopen (path, "re")) == NULL)
    return false;
  n = fread (buf, 1, sizeof buf - 1, f);
  fclose (f);
  buf[n] = '\0';
  p = strrchr (buf, ')');
  return p != NULL && p[1] == ' ' && p[2] == 'Z';
}

static void *
thread_main (void *data)
{
  (void) data;
  loopback_listener ();
  say ("tid", (long) gettid ());
  /* "ready" only once the main thread is seen to have exited. */
  while (!main_thread_is_zombie ())
    usleep (1000);
  ready ();
  wait_for_eof ();
  exit (0);
}

static void
run_thread (void)
{
  pthread_t t;

  main_pid = getpid ();
  if (pthread_create (&t, NULL, thread_main, NULL) != 0)
    die ("pthread_create");
  pthread_exit (NULL);
}

/* ---- accept-queue, in-flight -------------------------------------------- */

/* The last ACK of a handshake may still be on its way when connect()
 * returns: "ready" once the listener's accept queue holds all @n (for a
 * listener, TCP_INFO's unacked field is that queue's length). */
static void
wait_for_queue (int lfd, int n)
{
  for (int i = 0; i < 2000; i++)
    {
      struct tcp_info ti;
      socklen_t len = sizeof ti;

      if (getsockopt (lfd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0 && (int) ti.tcpi_unacked >= n)
        return;
      usleep (1000);
    }
  errno = ETIMEDOUT;
  die ("the accept queue did not fill");
}

static void
run_accept_queue (int n)
{
  int lfd = listener_on (htonl (INADDR_LOOPBACK), 0, false, n + 4);
  struct sockaddr_in sin = { .sin_family = AF_INET };

  sin.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  sin.sin_port = htons ((uint16_t) port_of (lfd));
  say ("listen", port_of (lfd));
  for (int i = 0; i < n; i++)
    {
      int c = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (c < 0 || connect (c, (struct sockaddr *) &sin, sizeof sin) < 0)
        die ("connect");
      say ("client", port_of (c));
    }
  wait_for_queue (lfd, n);
  ready ();
  wait_for_eof ();
}

static void
run_in_flight (void)
{
  int lfd = loopback_listener (), sv[2];
  char byte = 'x', cbuf[CMSG_SPACE (sizeof (int))];
  struct iovec iov = { &byte, 1 };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
  struct cmsghdr *c;

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
    die ("socketpair");
  memset (cbuf, 0, sizeof cbuf);
  msg.msg_control = cbuf;
  msg.msg_controllen = sizeof cbuf;
  c = CMSG_FIRSTHDR (&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN (sizeof (int));
  memcpy (CMSG_DATA (c), &lfd, sizeof lfd);
  if (sendmsg (sv[0], &msg, 0) != 1)
    die ("sendmsg");
  /* Now only the unread message holds the listener. */
  close (lfd);
  ready ();
  wait_for_eof ();
}

/* ---- users ---------------------------------------------------------------- */

static void
run_fsuid (uid_t uid)
{
  int fd;

  setfsuid (uid);
  if ((uid_t) setfsuid ((uid_t) -1) != uid)
    die ("setfsuid");
  fd = loopback_listener ();
  setfsuid (0);
  (void) fd;
  ready ();
  wait_for_eof ();
}

static void
run_workers (uid_t uid)
{
  int fd = loopback_listener (), to_child[2], from_child[2];
  char b = 'x';
  pid_t child;

  if (pipe (to_child) < 0 || pipe (from_child) < 0)
    die ("pipe");
  if ((child = fork ()) < 0)
    die ("fork");
  if (child == 0)
    {
      close (to_child[1]);
      close (from_child[0]);
      if (setgroups (0, NULL) < 0 || setgid (uid) < 0 || setuid (uid) < 0)
        die ("setuid");
      /* Changing uid makes a process not dumpable; nginx's workers make
       * themselves dumpable again (for core dumps), and so does this one. */
      if (prctl (PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
        die ("PR_SET_DUMPABLE");
      /* Only now is it the worker the test looks for. */
      if (write (from_child[1], &b, 1) != 1)
        die ("write");
      /* The worker holds the listener until the parent goes away. */
      while (read (to_child[0], &fd, 1) < 0 && errno == EINTR)
        ;
      _exit (0);
    }
  close (to_child[0]);
  close (from_child[1]);
  if (read (from_child[0], &b, 1) != 1)
    die ("the worker ended before it was ready");
  say ("worker", child);
  ready ();
  wait_for_eof ();
  close (to_child[1]);
  waitpid (child, NULL, 0);
}

/* ---- reuseport, name, cgroup, port ------------------------------------------ */

static void
run_reuseport (int n)
{
  int first = listener_on (htonl (INADDR_LOOPBACK), 0, true, 8), gate[2], done[2];
  unsigned port = port_of (first);
  pid_t kids[16];

  if (n > 16 || pipe (gate) < 0 || pipe (done) < 0)
    die ("reuseport");
  say ("listen", port);
  close (first);
  for (int i = 0; i < n; i++)
    {
      if ((kids[i] = fork ()) < 0)
        die ("fork");
      if (kids[i] == 0)
        {
          char b = 'x';
          close (gate[1]);
          listener_on (htonl (INADDR_LOOPBACK), port, true, 8);
          if (write (done[1], &b, 1) != 1)
            die ("write");
          while (read (gate[0], &b, 1) < 0 && errno == EINTR)
            ;
          _exit (0);
        }
      say ("child", kids[i]);
    }
  close (gate[0]);
  close (done[1]);
  /* Each child says when its listener is up; then the set is complete. */
  for (int i = 0; i < n; i++)
    {
      char b;
      if (read (done[0], &b, 1) != 1)
        die ("a child ended early");
    }
  ready ();
  wait_for_eof ();
  close (gate[1]);
  for (int i = 0; i < n; i++)
    waitpid (kids[i], NULL, 0);
}

static void
run_ip (char *const *argv)
{
  extern char **environ;
  pid_t pid;
  int status = 0;

  if (posix_spawnp (&pid, "ip", NULL, NULL, argv, environ) != 0 || waitpid (pid, &status, 0) < 0
      || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      errno = EINVAL;
      die (argv[1]);
    }
}

static void
run_link_local (void)
{
  char *const up[] = { "ip", "link", "set", "lo", "up", NULL };
  char *const addr[] = { "ip", "addr", "add", "fe80::1/64", "dev", "lo", "nodad", NULL };
  struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };
  socklen_t len = sizeof sin6;
  int fd;

  run_ip (up);
  run_ip (addr);
  inet_pton (AF_INET6, "fe80::1", &sin6.sin6_addr);
  sin6.sin6_scope_id = if_nametoindex ("lo");
  if ((fd = socket (AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0
      || bind (fd, (struct sockaddr *) &sin6, sizeof sin6) < 0 || listen (fd, 8) < 0
      || getsockname (fd, (struct sockaddr *) &sin6, &len) < 0)
    die ("link-local listener");
  say ("listen", ntohs (sin6.sin6_port));
  ready ();
  wait_for_eof ();
}

static void
join_cgroup (const char *dir)
{
  char path[4096], pid[32];
  int fd;

  snprintf (path, sizeof path, "%s/cgroup.procs", dir);
  snprintf (pid, sizeof pid, "%d\n", (int) getpid ());
  if ((fd = open (path, O_WRONLY | O_CLOEXEC)) < 0 || write (fd, pid, strlen (pid)) < 0)
    die ("cgroup.procs");
  close (fd);
}

int
main (int argc, char **argv)
{
  const char *mode = argc > 1 ? argv[1] : "";
  const char *arg = argc > 2 ? argv[2] : "0";
  const char *base = strrchr (argv[0], '/') ? strrchr (argv[0], '/') + 1 : argv[0];

  /* Called as "docker": a container engine's CLI that never answers. */
  if (strcmp (base, "docker") == 0)
    {
      sleep (60);
      return 0;
    }

  if (strcmp (mode, "thread") == 0)
    run_thread ();
  else if (strcmp (mode, "accept-queue") == 0)
    run_accept_queue (atoi (arg));
  else if (strcmp (mode, "in-flight") == 0)
    run_in_flight ();
  else if (strcmp (mode, "fsuid") == 0)
    run_fsuid ((uid_t) atol (arg));
  else if (strcmp (mode, "workers") == 0)
    run_workers ((uid_t) atol (arg));
  else if (strcmp (mode, "reuseport") == 0)
    run_reuseport (atoi (arg));
  else if (strcmp (mode, "link-local") == 0)
    run_link_local ();
  else if (strcmp (mode, "nondumpable") == 0 || strcmp (mode, "name") == 0
           || strcmp (mode, "cgroup") == 0 || strcmp (mode, "port") == 0)
    {
      int fd;

      if (mode[0] == 'n' && mode[1] == 'o' && prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
        die ("PR_SET_DUMPABLE");
      if (strcmp (mode, "name") == 0 && prctl (PR_SET_NAME, arg, 0, 0, 0) < 0)
        die ("PR_SET_NAME");
      if (strcmp (mode, "cgroup") == 0)
        join_cgroup (arg);
      if (strcmp (mode, "port") == 0)
        {
          fd = listener_on (htonl (INADDR_ANY), (unsigned) atoi (arg), false, 8);
          say ("listen", port_of (fd));
        }
      else
        fd = loopback_listener ();
      (void) fd;
      ready ();
      wait_for_eof ();
    }
  else
    {
      fprintf (stderr, "usage: ptl-test-situations MODE [ARG] (see the source)\n");
      return 2;
    }
  return 0;
}
