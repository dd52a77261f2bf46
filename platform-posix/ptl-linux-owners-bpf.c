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
 *
 * The fd walk does not need the socket table, so when the caller says the
 * owners will follow (PtlSocketFilter.owners_follow) for the whole table,
 * it starts on a second thread while ptl_platform_read_sockets dumps the
 * table, and the owner search collects it.
 *
 * A one-port lookup must not pay for the whole machine's fds: for a few
 * sockets the /proc scan, which reads the likeliest owners first and
 * stops when it has them, usually answers after a few dozen fds. It runs
 * first, with a budget of fds, and the iterator walks only when rows are
 * left without owners (a thread-only holder, an fd table /proc will not
 * show, or a budget spent on a socket deep in a big process).
 *
 * The bookkeeping is linear: the wanted inodes go into a hash, the
 * iterator's records come grouped by process, and the owners are grouped
 * by row with a counting sort; the /proc scan's sorted arrays and links
 * are not used here.
 */
#define _GNU_SOURCE

#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
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

/* A wanted socket held by a table process. */
typedef struct
{
  size_t wanted, proc;
} Pair;

/* The wanted inodes, by open addressing: slot = wanted index + 1. */
typedef struct
{
  uint32_t *slots;
  size_t mask;
} Index;

typedef struct
{
  PtlLinuxScan *sc;
  int proc_fd;
  Pair *pairs;
  size_t n_pairs;
} Attribution;

/* The fd walk started by ptl_linux_owners_prefetch, for one table. */
typedef struct
{
  const void *table;
  pthread_t thread;
  PtlTaskSocket *recs;
  size_t n;
  int rc;
  char why[128]; /* copied: the loader's sentence lives in that thread */
} Prefetch;

static _Thread_local Prefetch *pending;

/* Fewer wanted sockets than this go to the /proc scan first... */
#define FEW_WANTED 64
/* ...which reads at least this many fds before the iterator takes over. */
#define MIN_FD_BUDGET 4096

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

/* How many fds the /proc scan may read before the iterator takes over:
 * a quarter of the open files the kernel counts (/proc/sys/fs/file-nr),
 * about what the walk would visit. A socket in a small process is found
 * long before; the two ends of a big one are read within it; one deep in
 * the middle of a big process costs the budget plus the walk, well under
 * reading that whole process through /proc. */
static long
proc_fd_budget (void)
{
  char buf[64];
  long open_files = 0;

  if (ptl_linux_read_small_file (AT_FDCWD, "/proc/sys/fs/file-nr", buf, sizeof buf) > 0)
    open_files = strtol (buf, NULL, 10);
  return open_files / 4 > MIN_FD_BUDGET ? open_files / 4 : MIN_FD_BUDGET;
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

static size_t
hash_inode (uint64_t inode, size_t mask)
{
  return (size_t) ((inode * 0x9E3779B97F4A7C15ull) >> 32) & mask;
}

/* Indexes the wanted inodes; with @only_unowned, those whose row has no
 * owner yet. */
static bool
index_init (Index *ix, const PtlLinuxScan *sc, bool only_unowned)
{
  size_t cap = 16;

  while (cap < 2 * sc->n_wanted)
    cap *= 2;
  ix->mask = cap - 1;
  if ((ix->slots = calloc (cap, sizeof *ix->slots)) == NULL)
    return false;
  for (size_t w = 0; w < sc->n_wanted; w++)
    {
      size_t i = hash_inode (sc->wanted[w].inode, ix->mask);

      if (only_unowned && sc->table->rows[sc->wanted[w].row].n_owners > 0)
        continue;

      while (ix->slots[i] != 0)
        i = (i + 1) & ix->mask;
      ix->slots[i] = (uint32_t) (w + 1);
    }
  return true;
}

/* The wanted index of @inode, or -1. */
static long
index_find (const Index *ix, const PtlLinuxScan *sc, uint64_t inode)
{
  for (size_t i = hash_inode (inode, ix->mask); ix->slots[i] != 0; i = (i + 1) & ix->mask)
    if (sc->wanted[ix->slots[i] - 1].inode == inode)
      return (long) ix->slots[i] - 1;
  return -1;
}

/* Reads the details of the process open as @pid_dirfd into the table
 * (through thread @tid's directory @task_dirfd when its main thread has
 * exited; -1 otherwise): unit, container and relay too. Its index, or -1
 * when it is gone. */
static long
add_process (PtlLinuxScan *sc, int pid_dirfd, int task_dirfd, long pid, long tid)
{
  PtlProcess p;
  size_t idx;

  if (ptl_linux_process_read_thread (pid_dirfd, task_dirfd, pid, &p, NULL) < 0)
    return -1;
  if (task_dirfd >= 0)
    {
      p.thread = tid;
      p.main_thread_exited = true;
    }
  ptl_linux_relay_parse (&p);
  idx = ptl_socket_table_add_proc (sc->table, &p);
  ptl_process_clear (&p);
  return idx == (size_t) -1 ? -1 : (long) idx;
}

/* Adds the process of @hits[0..n) (one PID) to the table and pairs it with
 * the sockets it still holds. */
static void
record_process (Attribution *at, const Hit *hits, size_t n)
{
  const PtlTaskSocket *first = hits[0].rec;
  char name[48], state = '?';
  uint64_t start = 0;
  int pid_dirfd, dirfd;
  long proc = -1;
  bool same;

  snprintf (name, sizeof name, "%u", first->pid);
  if ((pid_dirfd = openat (at->proc_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
    return; /* it exited since */
  same = read_state_and_start (pid_dirfd, &state, &start)
         && start == boot_ns_to_ticks (first->start_ns);
  /* A leader that exited leaves a zombie whose details are gone: the
   * thread that holds the sockets still has them. */
  dirfd = pid_dirfd;
  if (state == 'Z' && first->tid != first->pid)
    {
      snprintf (name, sizeof name, "task/%u", first->tid);
      dirfd = openat (pid_dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    }
  for (size_t i = 0; i < n && dirfd >= 0; i++)
    {
      if (!same && !still_holds (pid_dirfd, hits[i].rec))
        continue;
      if (proc < 0
          && (proc = add_process (at->sc, pid_dirfd, dirfd != pid_dirfd ? dirfd : -1,
                                  (long) first->pid, (long) first->tid))
                 < 0)
        break;
      at->pairs[at->n_pairs++] = (Pair){ hits[i].wanted, (size_t) proc };
    }
  if (dirfd >= 0 && dirfd != pid_dirfd)
    close (dirfd);
  close (pid_dirfd);
}

/* Gives each row its owners: the pairs grouped by row (a counting sort,
 * which keeps the processes in the order they were added, without the
 * repeats that dup'ed fds make). */
static bool
set_owners (PtlLinuxScan *sc, const Pair *pairs, size_t n)
{
  size_t *start = calloc (sc->n_wanted + 1, sizeof *start);
  size_t *procs = malloc ((n ? n : 1) * sizeof *procs);
  bool ok = start != NULL && procs != NULL;

  for (size_t i = 0; ok && i < n; i++)
    start[pairs[i].wanted + 1]++;
  for (size_t w = 0; ok && w < sc->n_wanted; w++)
    start[w + 1] += start[w];
  for (size_t i = 0; ok && i < n; i++)
    procs[start[pairs[i].wanted]++] = pairs[i].proc; /* start[w] becomes w's end */
  for (size_t w = 0, from = 0; ok && w < sc->n_wanted; from = start[w++])
    {
      size_t k = 0;

      for (size_t i = from; i < start[w]; i++)
        if (k == 0 || procs[from + k - 1] != procs[i])
          procs[from + k++] = procs[i];
      if (k > 0)
        ok = ptl_socket_table_set_owners (sc->table, sc->wanted[w].row, procs + from, k) == 0;
    }
  free (start);
  free (procs);
  return ok;
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
collect_hits (const PtlLinuxScan *sc, const Index *ix, const PtlTaskSocket *recs, size_t n_recs,
              Hit *hits)
{
  bool grouped = true;
  size_t n = 0;

  for (size_t i = 0; i < n_recs; i++)
    {
      long w = index_find (ix, sc, recs[i].inode);

      if (w < 0)
        continue;
      grouped &= n == 0 || hits[n - 1].rec->pid <= recs[i].pid;
      hits[n++] = (Hit){ &recs[i], (size_t) w };
    }
  if (!grouped)
    qsort (hits, n, sizeof *hits, cmp_hits);
  return n;
}

/* Returns false when memory ran out; then the /proc scan runs, and sets
 * every wanted row's owners afresh. */
static bool
attribute (PtlLinuxScan *sc, int proc_fd, const PtlTaskSocket *recs, size_t n_recs,
           bool only_unowned)
{
  Attribution at = { sc, proc_fd, malloc ((n_recs ? n_recs : 1) * sizeof (Pair)), 0 };
  Hit *hits = malloc ((n_recs ? n_recs : 1) * sizeof *hits);
  Index ix = { NULL, 0 };
  bool ok;
  size_t n;

  if (at.pairs == NULL || hits == NULL || !index_init (&ix, sc, only_unowned))
    {
      free (at.pairs);
      free (hits);
      free (ix.slots);
      return false;
    }
  n = collect_hits (sc, &ix, recs, n_recs, hits);
  free (ix.slots);
  for (size_t i = 0, j; i < n; i = j)
    {
      for (j = i + 1; j < n && hits[j].rec->pid == hits[i].rec->pid;)
        j++;
      record_process (&at, hits + i, j - i);
    }
  ok = set_owners (sc, at.pairs, at.n_pairs);
  free (at.pairs);
  free (hits);
  return ok;
}

static void *
prefetch_run (void *data)
{
  Prefetch *pf = data;
  const char *why = "";

  pf->rc = ptl_linux_bpf_task_sockets (&pf->recs, &pf->n, &why);
  snprintf (pf->why, sizeof pf->why, "%s", why ? why : "");
  return NULL;
}

void
ptl_linux_owners_prefetch (const void *table)
{
  const char *why;
  Prefetch *pf;

  ptl_linux_owners_prefetch_drop ();
  if (!ptl_linux_bpf_may_try (&why) || (pf = calloc (1, sizeof *pf)) == NULL)
    return;
  pf->table = table;
  if (pthread_create (&pf->thread, NULL, prefetch_run, pf) != 0)
    {
      free (pf);
      return; /* the owner search will load it itself */
    }
  pending = pf;
}

/* This thread's prefetch, finished, when it was made for @table (NULL
 * for any): the caller frees it. */
static Prefetch *
prefetch_take (const void *table)
{
  Prefetch *pf = pending;

  if (pf == NULL)
    return NULL;
  pending = NULL;
  pthread_join (pf->thread, NULL);
  if (table == NULL || pf->table == table)
    return pf;
  free (pf->recs);
  free (pf);
  return NULL;
}

void
ptl_linux_owners_prefetch_drop (void)
{
  Prefetch *pf = prefetch_take (NULL);

  if (pf != NULL)
    free (pf->recs);
  free (pf);
}

/* The iterator's records: the prefetched ones for this table, or read now. */
static int
task_sockets (const PtlLinuxScan *sc, PtlTaskSocket **recs, size_t *n, const char **why,
              char *why_buf, size_t why_size, bool *early)
{
  Prefetch *pf = prefetch_take (sc->table);
  int rc;

  *early = pf != NULL;
  if (pf == NULL)
    return ptl_linux_bpf_task_sockets (recs, n, why);
  *recs = pf->recs, *n = pf->n, rc = pf->rc;
  snprintf (why_buf, why_size, "%s", pf->why);
  *why = why_buf;
  free (pf);
  return rc;
}

/* Reads the iterator (or takes the prefetch) and attributes; false, with
 * *@why, when it could not. */
static bool
walk_and_attribute (PtlLinuxScan *sc, bool only_unowned, size_t *n, bool *early, const char **why,
                    char *why_buf, size_t why_size)
{
  PtlTaskSocket *recs = NULL;
  int proc_fd = open ("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  bool done = false;

  *n = 0;
  if (proc_fd < 0)
    *why = "/proc cannot be opened";
  else if (!proc_is_ours (proc_fd))
    *why = "/proc belongs to another PID namespace";
  else if (task_sockets (sc, &recs, n, why, why_buf, why_size, early) == 0)
    done = attribute (sc, proc_fd, recs, *n, only_unowned);
  ptl_linux_owners_prefetch_drop (); /* one that the checks above left */
  if (done)
    sc->privileged = true; /* every task's fds were seen: no owner is hidden */
  free (recs);
  if (proc_fd >= 0)
    close (proc_fd);
  return done;
}

bool
ptl_linux_owners_bpf (PtlLinuxScan *sc)
{
  double t0 = now_ms ();
  const char *why = NULL;
  char why_buf[128];
  bool done, early = false;
  size_t n = 0;

  if (sc->n_wanted < FEW_WANTED && (pending == NULL || pending->table != sc->table))
    {
      ptl_linux_owners_prefetch_drop ();
      if (ptl_linux_bpf_may_try (&why))
        sc->fd_budget = proc_fd_budget (); /* ptl_linux_owners_bpf_rest follows the scan */
      else if (debug_owners ())
        fprintf (stderr, "portolan: owners: /proc scan (BPF: %s)\n", why);
      return false;
    }
  done = walk_and_attribute (sc, false, &n, &early, &why, why_buf, sizeof why_buf);
  if (done && debug_owners ())
    fprintf (stderr, "portolan: owners: BPF task-file iterator, %zu socket fds, %.2f ms%s\n", n,
             now_ms () - t0, early ? " (the fd walk ran alongside the socket table)" : "");
  else if (debug_owners ())
    fprintf (stderr, "portolan: owners: /proc scan (BPF: %s)\n", why ? why : "out of memory");
  return done;
}

void
ptl_linux_owners_bpf_rest (PtlLinuxScan *sc)
{
  const char *why = NULL;
  char why_buf[128];
  size_t left = 0, n = 0;
  bool early, done;

  if (sc->fd_budget == 0)
    return; /* not the few-sockets path */
  for (size_t w = 0; w < sc->n_wanted; w++)
    left += sc->table->rows[sc->wanted[w].row].n_owners == 0;
  if (left > 0)
    {
      done = walk_and_attribute (sc, true, &n, &early, &why, why_buf, sizeof why_buf);
      if (debug_owners ())
        fprintf (stderr,
                 done ? "portolan: owners: /proc scan for %zu socket(s) (%ld fds read), then the "
                        "BPF task-file iterator for %zu left\n"
                      : "portolan: owners: /proc scan for %zu socket(s) (%ld fds read), %zu left\n",
                 sc->n_wanted, sc->fds_read, left);
      return;
    }
  if (debug_owners ())
    fprintf (stderr, "portolan: owners: /proc scan for %zu socket(s) (%ld fds read), all found\n",
             sc->n_wanted, sc->fds_read);
}
