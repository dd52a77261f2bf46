/* ptl-test-holder: opens loopback sockets on kernel-chosen ports for the
 * integration tests, prints their ports, and keeps them open until stdin
 * closes. Tests own its lifetime through the pipe, so a crashed test runner
 * never leaves a socket behind: EOF on stdin ends the holder.
 *
 * Options shape who holds the sockets: --share forks a child that holds
 * them too (and joins each SO_REUSEPORT group with a socket of its own),
 * --leader-exits leaves them to a second thread once the main thread has
 * exited, and --then runs a command once the sockets are open and exits
 * with it instead of waiting for EOF (for a holder that is PID 1 of a new
 * PID namespace, with the command inside it too).
 */
#define _GNU_SOURCE

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_SPECS 32

typedef struct
{
  const char *name;
  int family;
  int type;
  bool pair;
  bool reuseport; /* two sockets in one SO_REUSEPORT group */
} HolderSpec;

static const HolderSpec specs[] = {
  { "tcp4-listen", AF_INET, SOCK_STREAM, false, false },
  { "tcp6-listen", AF_INET6, SOCK_STREAM, false, false },
  { "udp4", AF_INET, SOCK_DGRAM, false, false },
  { "udp6", AF_INET6, SOCK_DGRAM, false, false },
  { "tcp4-pair", AF_INET, SOCK_STREAM, true, false },
  { "tcp6-pair", AF_INET6, SOCK_STREAM, true, false },
  { "tcp4-reuseport", AF_INET, SOCK_STREAM, false, true },
  { "udp4-reuseport", AF_INET, SOCK_DGRAM, false, true },
};

/* The SO_REUSEPORT groups opened, for the --share child to join. */
static struct
{
  const HolderSpec *spec;
  unsigned port;
} groups[MAX_SPECS];
static int n_groups;

static void
usage (FILE *out)
{
  fputs ("usage: ptl-test-holder [--tag=TEXT] [--share] [--leader-exits] SPEC...\n"
         "                       [--then COMMAND ARG...]\n"
         "SPEC: tcp4-listen tcp6-listen udp4 udp6 tcp4-pair tcp6-pair tcp4-reuseport\n"
         "      udp4-reuseport\n"
         "--tag=TEXT is ignored; it puts arbitrary bytes into the command line.\n"
         "--share: a child holds every socket too (printed as \"sharer PID\") and\n"
         "         joins each reuseport group with a third socket of its own.\n"
         "--leader-exits: after \"ready\" the main thread exits; another holds on.\n"
         "--then: after \"ready\", runs COMMAND and exits with its status.\n"
         "Prints \"SPEC PORT\" (a pair: \"SPEC LISTENPORT CLIENTPORT\") per SPEC,\n"
         "then \"ready\", and holds the sockets until stdin reaches EOF.\n",
         out);
}

static void
die (const char *what)
{
  fprintf (stderr, "ptl-test-holder: %s: %s\n", what, strerror (errno));
  exit (1);
}

static const HolderSpec *
find_spec (const char *name)
{
  for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
    {
      if (strcmp (specs[i].name, name) == 0)
        return &specs[i];
    }
  return NULL;
}

/* The loopback address of @family on port 0, so the kernel picks the port. */
static socklen_t
loopback_addr (int family, struct sockaddr_storage *ss)
{
  memset (ss, 0, sizeof *ss);
  if (family == AF_INET)
    {
      struct sockaddr_in *sin = (struct sockaddr_in *) ss;
      sin->sin_family = AF_INET;
      sin->sin_addr.s_addr = htonl (INADDR_LOOPBACK);
      return sizeof *sin;
    }
  struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) ss;
  sin6->sin6_family = AF_INET6;
  sin6->sin6_addr = in6addr_loopback;
  return sizeof *sin6;
}

static unsigned
local_port (int fd)
{
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;

  if (getsockname (fd, (struct sockaddr *) &ss, &len) < 0)
    die ("getsockname");
  if (ss.ss_family == AF_INET)
    return ntohs (((struct sockaddr_in *) &ss)->sin_port);
  return ntohs (((struct sockaddr_in6 *) &ss)->sin6_port);
}

/* A socket of @spec bound to @port (0: the kernel picks). */
static int
bound_socket_on (const HolderSpec *spec, unsigned port)
{
  struct sockaddr_storage ss;
  socklen_t len = loopback_addr (spec->family, &ss);
  int fd = socket (spec->family, spec->type | SOCK_CLOEXEC, 0);
  int on = 1;

  if (fd < 0)
    die ("socket");
  /* A v6 socket stays v6-only so it shows up as exactly one ipv6 row. */
  if (spec->family == AF_INET6)
    setsockopt (fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
  if (spec->reuseport && setsockopt (fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) < 0)
    die ("SO_REUSEPORT");
  if (spec->family == AF_INET)
    ((struct sockaddr_in *) &ss)->sin_port = htons ((uint16_t) port);
  else
    ((struct sockaddr_in6 *) &ss)->sin6_port = htons ((uint16_t) port);
  if (bind (fd, (struct sockaddr *) &ss, len) < 0)
    die ("bind");
  if (spec->type == SOCK_STREAM && listen (fd, 8) < 0)
    die ("listen");
  return fd;
}

static int
bound_socket (const HolderSpec *spec)
{
  return bound_socket_on (spec, 0);
}

/* A listener plus a client connected to it; the accepted end stays open too. */
static void
open_pair (const HolderSpec *spec)
{
  int lfd = bound_socket (spec);
  unsigned lport = local_port (lfd);
  struct sockaddr_storage ss;
  socklen_t len = loopback_addr (spec->family, &ss);
  int cfd = socket (spec->family, SOCK_STREAM | SOCK_CLOEXEC, 0);

  if (cfd < 0)
    die ("socket");
  if (spec->family == AF_INET)
    ((struct sockaddr_in *) &ss)->sin_port = htons (lport);
  else
    ((struct sockaddr_in6 *) &ss)->sin6_port = htons (lport);
  if (connect (cfd, (struct sockaddr *) &ss, len) < 0)
    die ("connect");
  if (accept4 (lfd, NULL, NULL, SOCK_CLOEXEC) < 0)
    die ("accept");
  printf ("%s %u %u\n", spec->name, lport, local_port (cfd));
}

static void
open_spec (const HolderSpec *spec)
{
  if (spec->pair)
    {
      open_pair (spec);
      return;
    }
  int fd = bound_socket (spec);
  unsigned port = local_port (fd);
  if (spec->reuseport)
    {
      bound_socket_on (spec, port);
      groups[n_groups].spec = spec;
      groups[n_groups++].port = port;
    }
  printf ("%s %u\n", spec->name, port);
}

static void
wait_for_eof (void)
{
  char buf[256];

  for (;;)
    {
      ssize_t n = read (STDIN_FILENO, buf, sizeof buf);
      if (n == 0)
        return;
      if (n < 0 && errno != EINTR)
        return;
    }
}

/* The --share child: holds every socket inherited, plus one more in each
 * reuseport group, until stdin reaches EOF (with --then: until the holder
 * is gone). The holder goes on once the child's sockets are open. */
static void
share (bool until_eof)
{
  int ready[2];
  pid_t child;
  char c = 0;

  fflush (stdout);
  if (pipe (ready) < 0 || (child = fork ()) < 0)
    die ("fork");
  if (child > 0)
    {
      close (ready[1]);
      if (read (ready[0], &c, 1) != 1)
        die ("the sharing child");
      close (ready[0]);
      printf ("sharer %ld\n", (long) child);
      return;
    }
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  for (int i = 0; i < n_groups; i++)
    bound_socket_on (groups[i].spec, groups[i].port);
  if (write (ready[1], &c, 1) != 1)
    die ("write");
  if (until_eof)
    wait_for_eof ();
  else
    for (;;)
      pause ();
  _exit (0);
}

static void *
hold_on (void *data)
{
  (void) data;
  wait_for_eof ();
  exit (0);
}

/* The main thread exits and leaves a zombie group leader: the sockets are
 * then only in the fd table of the thread that holds on. */
static void
leader_exits (void)
{
  pthread_t thread;

  if (pthread_create (&thread, NULL, hold_on, NULL) != 0)
    die ("pthread_create");
  pthread_exit (NULL);
}

static int
run_then (char **argv)
{
  int status, rc;
  pid_t child;

  fflush (stdout);
  if ((rc = posix_spawnp (&child, argv[0], NULL, NULL, argv, environ)) != 0)
    {
      errno = rc;
      die (argv[0]);
    }
  while (waitpid (child, &status, 0) < 0)
    if (errno != EINTR)
      die ("waitpid");
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}

int
main (int argc, char **argv)
{
  const HolderSpec *wanted[MAX_SPECS];
  bool do_share = false, do_leader_exits = false;
  char **then = NULL;
  int n = 0;

  if (argc == 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0))
    {
      usage (stdout);
      return 0;
    }
  if (argc < 2 || argc - 1 > MAX_SPECS)
    {
      usage (stderr);
      return 2;
    }
  for (int i = 1; i < argc && then == NULL; i++)
    {
      if (strncmp (argv[i], "--tag=", 6) == 0)
        continue;
      if (strcmp (argv[i], "--share") == 0)
        {
          do_share = true;
          continue;
        }
      if (strcmp (argv[i], "--leader-exits") == 0)
        {
          do_leader_exits = true;
          continue;
        }
      if (strcmp (argv[i], "--then") == 0 && i + 1 < argc)
        {
          then = argv + i + 1;
          continue;
        }
      wanted[n] = find_spec (argv[i]);
      if (wanted[n] == NULL)
        {
          fprintf (stderr, "ptl-test-holder: unknown SPEC \"%s\"\n", argv[i]);
          usage (stderr);
          return 2;
        }
      n++;
    }
  if (n == 0)
    {
      usage (stderr);
      return 2;
    }
  for (int i = 0; i < n; i++)
    open_spec (wanted[i]);
  if (do_share)
    share (then == NULL);
  puts ("ready");
  if (fflush (stdout) != 0)
    die ("stdout");
  if (then != NULL)
    return run_then (then);
  if (do_leader_exits)
    leader_exits ();
  wait_for_eof ();
  return 0;
}
