/* ptl-test-holder: opens loopback sockets on kernel-chosen ports for the
 * integration tests, prints their ports, and keeps them open until stdin
 * closes. Tests own its lifetime through the pipe, so a crashed test runner
 * never leaves a socket behind: EOF on stdin ends the holder.
 */
#define _GNU_SOURCE

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_SPECS 32

typedef struct
{
  const char *name;
  int family;
  int type;
  bool pair;
} HolderSpec;

static const HolderSpec specs[] = {
  { "tcp4-listen", AF_INET, SOCK_STREAM, false }, { "tcp6-listen", AF_INET6, SOCK_STREAM, false },
  { "udp4", AF_INET, SOCK_DGRAM, false },         { "udp6", AF_INET6, SOCK_DGRAM, false },
  { "tcp4-pair", AF_INET, SOCK_STREAM, true },    { "tcp6-pair", AF_INET6, SOCK_STREAM, true },
};

static void
usage (FILE *out)
{
  fputs ("usage: ptl-test-holder [--tag=TEXT] SPEC...\n"
         "SPEC: tcp4-listen tcp6-listen udp4 udp6 tcp4-pair tcp6-pair\n"
         "--tag=TEXT is ignored; it puts arbitrary bytes into the command line.\n"
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

static int
bound_socket (const HolderSpec *spec)
{
  struct sockaddr_storage ss;
  socklen_t len = loopback_addr (spec->family, &ss);
  int fd = socket (spec->family, spec->type | SOCK_CLOEXEC, 0);

  if (fd < 0)
    die ("socket");
  if (spec->family == AF_INET6)
    {
      int on = 1;
      /* A v6 socket stays v6-only so it shows up as exactly one ipv6 row. */
      setsockopt (fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
    }
  if (bind (fd, (struct sockaddr *) &ss, len) < 0)
    die ("bind");
  if (spec->type == SOCK_STREAM && listen (fd, 8) < 0)
    die ("listen");
  return fd;
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
  printf ("%s %u\n", spec->name, local_port (fd));
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

int
main (int argc, char **argv)
{
  const HolderSpec *wanted[MAX_SPECS];
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
  for (int i = 1; i < argc; i++)
    {
      if (strncmp (argv[i], "--tag=", 6) == 0)
        continue;
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
  puts ("ready");
  if (fflush (stdout) != 0)
    die ("stdout");
  wait_for_eof ();
  return 0;
}
