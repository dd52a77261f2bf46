/* ptl-bench-load.c: the load the benchmark measures against.
 *
 *   ptl-bench-load big PAIRS UDP   one process: a listener, PAIRS loopback
 *                                  connections made through it (both ends
 *                                  held) with one more listener opened
 *                                  halfway, UDP sockets, then a last
 *                                  listener, opened last, at the highest fd
 *   ptl-bench-load idle COUNT      COUNT idle child processes
 *   ptl-bench-load server          a small server: one listener
 *
 * Each prints one line when its load is in place ("big PID PORT LASTPORT
 * NFDS MIDPORT", "idle PID CHILD...", "server PID PORT") and then waits until its
 * stdin reaches end of file or it gets SIGTERM/SIGINT. The idle children
 * wait on the same stdin, so closing the pipe (or the death of the script
 * that holds it) ends every one of them. Everything binds 127.0.0.1 port 0.
 */
#define _GNU_SOURCE

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void
on_signal (int sig)
{
  (void) sig;
  stop = 1;
}

static void
die (const char *what)
{
  fprintf (stderr, "ptl-bench-load: %s: %s\n", what, strerror (errno));
  exit (1);
}

static unsigned
local_port (int fd)
{
  struct sockaddr_in a;
  socklen_t len = sizeof a;

  if (getsockname (fd, (struct sockaddr *) &a, &len) < 0)
    die ("getsockname");
  return ntohs (a.sin_port);
}

static int
bound_socket (int type)
{
  struct sockaddr_in a = { .sin_family = AF_INET };
  int fd = socket (AF_INET, type | SOCK_CLOEXEC, 0);

  if (fd < 0)
    die ("socket");
  a.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (bind (fd, (struct sockaddr *) &a, sizeof a) < 0)
    die ("bind");
  return fd;
}

static int
listener (void)
{
  int fd = bound_socket (SOCK_STREAM);

  if (listen (fd, 4096) < 0)
    die ("listen");
  return fd;
}

/* Closing with a zero linger time resets the connection instead of
 * leaving it in TIME_WAIT: the next run starts on a clean table. */
static void
no_time_wait (int fd)
{
  struct linger l = { .l_onoff = 1, .l_linger = 0 };

  if (setsockopt (fd, SOL_SOCKET, SO_LINGER, &l, sizeof l) < 0)
    die ("setsockopt SO_LINGER");
}

static void
connect_pair (int lfd, unsigned port)
{
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons (port) };
  int c = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int s;

  a.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (c < 0)
    die ("socket");
  no_time_wait (c);
  if (connect (c, (struct sockaddr *) &a, sizeof a) < 0)
    die ("connect");
  if ((s = accept4 (lfd, NULL, NULL, SOCK_CLOEXEC)) < 0)
    die ("accept");
  no_time_wait (s);
}

static void
raise_fd_limit (long need)
{
  struct rlimit rl;

  if (getrlimit (RLIMIT_NOFILE, &rl) < 0)
    die ("getrlimit");
  if ((long) rl.rlim_cur >= need)
    return;
  rl.rlim_cur = (rlim_t) need;
  if ((long) rl.rlim_max < need)
    rl.rlim_max = (rlim_t) need; /* needs root; without it the load is smaller */
  if (setrlimit (RLIMIT_NOFILE, &rl) < 0)
    die ("setrlimit RLIMIT_NOFILE (run as root or lower the pair count)");
}

/* Blocks until stdin closes or a signal asks us to stop. */
static void
wait_for_end (void)
{
  char c;

  while (!stop)
    {
      ssize_t n = read (STDIN_FILENO, &c, 1);
      if (n == 0 || (n < 0 && errno != EINTR))
        break;
    }
}

static int
run_big (long pairs, long udp)
{
  int lfd, mid = -1, last = -1;
  unsigned port;

  raise_fd_limit (2 * pairs + udp + 64);
  lfd = listener ();
  port = local_port (lfd);
  for (long i = 0; i < pairs; i++)
    {
      /* The worst place for a scan that reads a process from both ends. */
      if (i == pairs / 2)
        mid = listener ();
      connect_pair (lfd, port);
    }
  if (mid < 0)
    mid = listener ();
  for (long i = 0; i < udp; i++)
    bound_socket (SOCK_DGRAM);
  last = listener ();
  printf ("big %ld %u %u %d %u\n", (long) getpid (), port, local_port (last), last + 1,
          local_port (mid));
  fflush (stdout);
  wait_for_end ();
  return 0;
}

static void
idle_child (void)
{
  int null = open ("/dev/null", O_WRONLY);

  /* Our stdout is the script's pipe: let go of it, or the script would
   * wait for us to close it. */
  if (null < 0 || dup2 (null, STDOUT_FILENO) < 0)
    _exit (1);
  close (null);
  prctl (PR_SET_PDEATHSIG, SIGTERM);
  wait_for_end ();
  _exit (0);
}

static int
run_idle (long count)
{
  pid_t *kids = calloc ((size_t) count + 1, sizeof *kids);

  if (kids == NULL)
    die ("calloc");
  for (long i = 0; i < count; i++)
    {
      kids[i] = fork ();
      if (kids[i] < 0)
        die ("fork");
      if (kids[i] == 0)
        idle_child ();
    }
  printf ("idle %ld", (long) getpid ());
  for (long i = 0; i < count; i++)
    printf (" %ld", (long) kids[i]);
  printf ("\n");
  fflush (stdout);
  wait_for_end ();
  /* Our own children: their PIDs cannot be reused before we reap them. */
  for (long i = 0; i < count; i++)
    kill (kids[i], SIGTERM);
  for (long i = 0; i < count; i++)
    waitpid (kids[i], NULL, 0);
  free (kids);
  return 0;
}

static int
run_server (void)
{
  int lfd = listener ();

  printf ("server %ld %u\n", (long) getpid (), local_port (lfd));
  fflush (stdout);
  wait_for_end ();
  return 0;
}

static long
number (const char *s)
{
  char *end;
  long v = strtol (s, &end, 10);

  if (*s == '\0' || *end != '\0' || v < 0 || v > 1000000)
    {
      fprintf (stderr, "ptl-bench-load: not a count: '%s'\n", s);
      exit (2);
    }
  return v;
}

int
main (int argc, char **argv)
{
  struct sigaction sa = { .sa_handler = on_signal };

  sigaction (SIGTERM, &sa, NULL);
  sigaction (SIGINT, &sa, NULL);
  /* Started by the benchmark script: end with it, even if it is killed. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
  if (argc == 4 && strcmp (argv[1], "big") == 0)
    return run_big (number (argv[2]), number (argv[3]));
  if (argc == 3 && strcmp (argv[1], "idle") == 0)
    return run_idle (number (argv[2]));
  if (argc == 2 && strcmp (argv[1], "server") == 0)
    return run_server ();
  fprintf (stderr, "usage: ptl-bench-load big PAIRS UDP | idle COUNT | server\n");
  return 2;
}
