/* ptl-linux-owners-bpf.c: the owner search's fast path for privileged
 * users. The kernel walks every task's fd table once (ptl-linux-bpf.c)
 * and reports its sockets with their PIDs; we keep the wanted inodes and
 * read /proc only for the details of the processes that hold them.
 *
 * When the iterator cannot be used (no privileges, a kernel without BTF or
 * task-file iterators, a seccomp filter, a build without it), the caller
 * scans /proc instead and no note says so: the answer is the same, it only
 * takes longer.
 *
 * The iterator sees more than /proc/PID/fd does: a socket held only by a
 * thread whose group leader has exited, and the fd tables /proc will not
 * show (PID 1's here). Such an owner's details come from the holding
 * thread's /proc/PID/task/TID.
 */
#define _GNU_SOURCE

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ptl-linux-bpf.h"
#include "ptl-linux-owners.h"

typedef struct
{
  const PtlTaskSocket *rec;
  size_t wanted;
} Hit;

static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec * 1e3 + (double) ts.tv_nsec / 1e6;
}

/* PORTOLAN_DEBUG_OWNERS=1 says on stderr which source gave the owners. */
static bool
debug_owners (void)
{
  const char *v = getenv ("PORTOLAN_DEBUG_OWNERS");
  return v != NULL && v[0] != '\0' && strcmp (v, "0") != 0;
}

/* The iterator numbers PIDs in our PID namespace; a /proc mounted for
 * another one (unshare --pid without --mount-proc) would name other
 * processes. Then only the /proc scan gives consistent answers. */
static bool
proc_is_ours (int proc_fd)
{
  char link[32];
  ssize_t n = readlinkat (proc_fd, "self", link, sizeof link - 1);

  if (n <= 0)
    return false;
  link[n] = '\0';
  return strtol (link, NULL, 10) == (long) getpid ();
}

/* Field 22 of /proc/PID/stat is the start time in clock ticks since boot,
 * the kernel's start_boottime divided down. */
static uint64_t
boot_ns_to_ticks (uint64_t ns)
{
  long hz = sysconf (_SC_CLK_TCK);

  return ns / (uint64_t) (1000000000L / (hz > 0 ? hz : 100));
}

static bool
read_state_and_start (int pid_dirfd, char *state, uint64_t *start)
{
  char buf[1024];
  const char *p;
  unsigned long long st;

  if (ptl_linux_read_small_file (pid_dirfd, "stat", buf, sizeof buf) <= 0
      || (p = strrchr (buf, ')')) == NULL
      || sscanf (p + 1,
                 " %c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
                 state, &st)
             != 2)
    return false;
  *start = st;
  return true;
}

/* Whether thread @tid of the process open as @pid_dirfd still has the
 * socket as that fd: the check when the process might not be the one
 * the iterator saw (its start time differs: a reused PID). */
static bool
still_holds (int pid_dirfd, const PtlTaskSocket *r)
{
  char path[64], link[64], want[40];
  ssize_t n;
  int len;

  snprintf (path, sizeof path, "task/%u/fd/%u", r->tid, r->fd);
  len = snprintf (want, sizeof want, "socket:[%" PRIu64 "]", (uint64_t) r->inode);
  n = readlinkat (pid_dirfd, path, link, sizeof link);
  return n == len && memcmp (link, want, (size_t) len) == 0;
}

/* Records the process of @hits[0..n) (one PID) as their owner. */
static void
record_process (Scan *sc, int proc_fd, const Hit *hits, size_t n, size_t *scratch)
{
  const PtlTaskSocket *first = hits[0].rec;
  char name[48], state = '?';
  uint64_t start = 0;
  size_t k = 0;
  int pid_dirfd, dirfd;
  bool same;

  snprintf (name, sizeof name, "%u", first->pid);
  if ((pid_dirfd = openat (proc_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
    return; /* it exited since */
  same = read_state_and_start (pid_dirfd, &state, &start)
         && start == boot_ns_to_ticks (first->start_ns);
  for (size_t i = 0; i < n; i++)
    if (same || still_holds (pid_dirfd, hits[i].rec))
      scratch[k++] = hits[i].wanted;
  /* A leader that exited leaves a zombie whose details are gone: the
   * thread that holds the sockets still has them. */
  dirfd = pid_dirfd;
  if (state == 'Z' && first->tid != first->pid)
    {
      snprintf (name, sizeof name, "task/%u", first->tid);
      dirfd = openat (pid_dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    }
  if (k > 0 && dirfd >= 0)
    ptl_linux_owners_record (sc, dirfd, (long) first->pid, scratch, k);
  if (dirfd >= 0 && dirfd != pid_dirfd)
    close (dirfd);
  close (pid_dirfd);
}

static int
cmp_hits (const void *a, const void *b)
{
  const Hit *x = a, *y = b;

  if (x->rec->pid != y->rec->pid)
    return (x->rec->pid > y->rec->pid) - (x->rec->pid < y->rec->pid);
  return (x->wanted > y->wanted) - (x->wanted < y->wanted);
}

/* The wanted sockets among @recs into @hits, grouped by process: the
 * iterator walks tasks in PID order, so they nearly always come grouped
 * already. */
static size_t
collect_hits (Scan *sc, const PtlTaskSocket *recs, size_t n_recs, Hit *hits)
{
  bool grouped = true;
  size_t n = 0;

  for (size_t i = 0; i < n_recs; i++)
    {
      long w = ptl_linux_owners_hit (sc, recs[i].inode);

      if (w < 0)
        continue;
      grouped &= n == 0 || hits[n - 1].rec->pid <= recs[i].pid;
      hits[n++] = (Hit){ &recs[i], (size_t) w };
    }
  if (!grouped)
    qsort (hits, n, sizeof *hits, cmp_hits);
  return n;
}

/* Memory first: once an inode is marked found, the /proc scan would skip
 * it, so there is no going back after that. */
static bool
attribute (Scan *sc, int proc_fd, const PtlTaskSocket *recs, size_t n_recs)
{
  Hit *hits = malloc ((n_recs ? n_recs : 1) * sizeof *hits);
  size_t *scratch = malloc ((n_recs ? n_recs : 1) * sizeof *scratch);
  size_t n;

  if (hits == NULL || scratch == NULL)
    {
      free (hits);
      free (scratch);
      return false;
    }
  n = collect_hits (sc, recs, n_recs, hits);
  pthread_mutex_init (&sc->lock, NULL);
  for (size_t i = 0, j; i < n; i = j)
    {
      for (j = i + 1; j < n && hits[j].rec->pid == hits[i].rec->pid;)
        j++;
      record_process (sc, proc_fd, hits + i, j - i, scratch);
    }
  pthread_mutex_destroy (&sc->lock);
  free (scratch);
  free (hits);
  return true;
}

bool
ptl_linux_owners_bpf (Scan *sc)
{
  double t0 = now_ms ();
  const char *why = NULL;
  PtlTaskSocket *recs = NULL;
  size_t n = 0;
  int proc_fd = open ("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  bool done = false;

  if (proc_fd < 0)
    why = "/proc cannot be opened";
  else if (!proc_is_ours (proc_fd))
    why = "/proc belongs to another PID namespace";
  else if (ptl_linux_bpf_task_sockets (&recs, &n, &why) == 0)
    done = attribute (sc, proc_fd, recs, n);
  if (done)
    sc->privileged = true; /* every task's fds were seen: no owner is hidden */
  if (done && debug_owners ())
    fprintf (stderr, "portolan: owners: BPF task-file iterator, %zu socket fds, %.2f ms\n", n,
             now_ms () - t0);
  else if (debug_owners ())
    fprintf (stderr, "portolan: owners: /proc scan (BPF: %s)\n", why ? why : "out of memory");
  free (recs);
  if (proc_fd >= 0)
    close (proc_fd);
  return done;
}
