/* ptl-test-churn.c: the churning processes of the stress test (see the header). */
#define _GNU_SOURCE

#include "ptl-test-churn.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LIVE_CHILDREN 6

uint64_t
ptl_test_now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

static int event_fd = -1;

static void
emit (const Event *e)
{
  /* One write per record on an O_APPEND file: records never interleave. */
  if (write (event_fd, e, sizeof *e) != (ssize_t) sizeof *e)
    _exit (90);
}

static uint64_t
self_start_time (void)
{
  char buf[1024];
  unsigned long long start = 0;
  int fd = open ("/proc/self/stat", O_RDONLY | O_CLOEXEC);
  ssize_t n = fd >= 0 ? read (fd, buf, sizeof buf - 1) : -1;
  const char *p;

  if (fd >= 0)
    close (fd);
  if (n <= 0)
    _exit (91);
  buf[n] = '\0';
  p = strrchr (buf, ')');
  if (p == NULL
      || sscanf (p + 1,
                 " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d "
                 "%*d %llu",
                 &start)
             != 1)
    _exit (92);
  return start;
}

/* Opens one loopback socket of a random kind on port 0; returns its fd and
 * sets its inode and protocol (CHURN_TCP or CHURN_UDP). */
static int
open_random_socket (unsigned *seed, uint64_t *inode, uint64_t *proto)
{
  static const int families[] = { AF_INET, AF_INET6 };
  static const int types[] = { SOCK_STREAM, SOCK_DGRAM };
  int family = families[rand_r (seed) % 2], type = types[rand_r (seed) % 2];
  struct sockaddr_storage ss = { 0 };
  socklen_t len;
  struct stat st;
  int fd = socket (family, type | SOCK_CLOEXEC, 0);

  if (fd < 0)
    _exit (93);
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
  if (bind (fd, (struct sockaddr *) &ss, len) < 0 || (type == SOCK_STREAM && listen (fd, 4) < 0)
      || fstat (fd, &st) < 0)
    _exit (94);
  *inode = (uint64_t) st.st_ino;
  *proto = type == SOCK_STREAM ? CHURN_TCP : CHURN_UDP;
  return fd;
}

/* A socket child: a few sockets opened and closed over ~0-4 × @hold_us, then an
 * exit that closes the rest half of the time. */
static void
socket_child (unsigned seed, unsigned hold_us)
{
  int fds[4];
  uint64_t inodes[4];
  int n = 0, rounds = 1 + (int) (rand_r (&seed) % 4);
  Event e = { .kind = EV_BORN, .pid = (int32_t) getpid (), .start = self_start_time () };

  emit (&e);
  for (int r = 0; r < rounds; r++)
    {
      if (n < 4)
        {
          Event o = { .kind = EV_OPEN, .pid = e.pid, .start = e.start, .t_a = ptl_test_now_ns () };
          fds[n] = open_random_socket (&seed, &inodes[n], &o.extra);
          o.inode = inodes[n++];
          o.t_b = ptl_test_now_ns ();
          emit (&o);
        }
      usleep (rand_r (&seed) % hold_us);
      if (n > 0 && rand_r (&seed) % 3 == 0)
        {
          Event c = { .kind = EV_CLOSE, .pid = e.pid, .start = e.start, .inode = inodes[--n] };
          c.t_a = ptl_test_now_ns ();
          close (fds[n]);
          c.t_b = ptl_test_now_ns ();
          emit (&c);
        }
    }
  for (; rand_r (&seed) % 2 == 0 && n > 0;)
    {
      Event c = { .kind = EV_CLOSE, .pid = e.pid, .start = e.start, .inode = inodes[--n] };
      c.t_a = ptl_test_now_ns ();
      close (fds[n]);
      c.t_b = ptl_test_now_ns ();
      emit (&c);
    }
  e.kind = EV_EXITING;
  e.t_a = e.t_b = ptl_test_now_ns ();
  emit (&e);
  _exit (0);
}

typedef struct
{
  unsigned char *seen; /* a bit per PID our children had */
  long pid_max;
  uint64_t forks, socket_children, reuses;
} DriverState;

static void
note_pid (DriverState *d, pid_t pid, bool socket_child)
{
  if (pid <= 0 || pid >= d->pid_max)
    return;
  if (d->seen[pid / 8] & (1u << (pid % 8)))
    d->reuses += socket_child;
  d->seen[pid / 8] |= (unsigned char) (1u << (pid % 8));
}

static void
reap (int *live, bool block)
{
  int status;
  pid_t pid;

  while ((pid = waitpid (-1, &status, block && *live > 0 ? 0 : WNOHANG)) > 0)
    {
      Event e = { .kind = EV_REAPED, .pid = (int32_t) pid, .t_a = ptl_test_now_ns () };
      e.t_b = e.t_a;
      emit (&e);
      if (WIFEXITED (status) && WEXITSTATUS (status) == 0x7f)
        continue; /* a filler */
      (*live)--;
      if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
        {
          Event bad = { .kind = EV_STATS, .pid = -(int32_t) pid, .extra = (uint64_t) status };
          emit (&bad);
        }
    }
}

/* A filler only uses up a PID: vfork is cheaper than fork for that (and
 * much cheaper under AddressSanitizer). */
static pid_t
filler (void)
{
  pid_t pid = vfork ();

  if (pid == 0)
    _exit (0x7f);
  return pid;
}

static void
fork_fillers (DriverState *d, int n)
{
  for (int i = 0; i < n; i++)
    {
      pid_t pid = filler ();
      d->forks += pid > 0;
      note_pid (d, pid, false);
    }
}

static long
read_pid_max (void)
{
  FILE *f = fopen ("/proc/sys/kernel/pid_max", "re");
  long v = 0;

  if (f == NULL || fscanf (f, "%ld", &v) != 1)
    v = 4194304;
  if (f)
    fclose (f);
  return v;
}

/* The driver: keeps LIVE_CHILDREN socket children and a stream of fillers
 * going until the test closes @control. */
static void
driver (int control, int fillers_per_round, unsigned hold_us)
{
  DriverState d = { .pid_max = read_pid_max () + 1 };
  unsigned seed = (unsigned) getpid ();
  int live = 0;
  char c;

  d.seen = calloc ((size_t) d.pid_max / 8 + 1, 1);
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  fcntl (control, F_SETFL, O_NONBLOCK);
  while (read (control, &c, 1) < 0 && errno == EAGAIN)
    {
      for (; live < LIVE_CHILDREN; live++)
        {
          unsigned child_seed = (unsigned) rand_r (&seed);
          pid_t pid = fork ();
          if (pid == 0)
            {
              close (control);
              socket_child (child_seed, hold_us);
            }
          d.forks++, d.socket_children++;
          note_pid (&d, pid, true);
        }
      fork_fillers (&d, fillers_per_round);
      reap (&live, false);
      usleep (1000);
    }
  reap (&live, true);
  Event s = { .kind = EV_STATS, .extra = d.forks, .extra2 = d.socket_children, .t_a = d.reuses };
  emit (&s);
  _exit (0);
}

int
ptl_test_event_log_open (void)
{
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("ptl-stress-XXXXXX", &path, NULL);

  g_assert_cmpint (fd, >=, 0);
  g_unlink (path);
  g_assert_cmpint (fcntl (fd, F_SETFL, O_APPEND), ==, 0);
  return fd;
}

pid_t
ptl_test_churn_start (int event_fd_in, int fillers, unsigned hold_us, int *control_out)
{
  int control[2];
  pid_t pid;

  event_fd = event_fd_in;
  g_assert_cmpint (pipe2 (control, O_CLOEXEC), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      close (control[1]);
      driver (control[0], fillers, hold_us);
    }
  close (control[0]);
  *control_out = control[1];
  return pid;
}

void
ptl_test_churn_stop (pid_t pid, int control)
{
  int status;

  close (control);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}
