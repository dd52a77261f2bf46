/* ptl-linux-owners-scan.c: reading processes' fds for socket inodes,
 * cheaply and in a good order.
 *
 * - Order: processes of the sockets' users first, then the ones with the
 *   fewest fds; processes with no fds at all (kernel threads) are skipped.
 *   On Linux >= 6.2 one stat of /proc/PID/fd gives both (st_uid, and
 *   st_size = the number of open fds).
 * - No directory listing when the fd count is known: fds are numbered
 *   from 0 and the kernel hands out the lowest free one, so we readlink
 *   0, 1, 2, ... by name and list the directory only for what lies above
 *   the count (when some fds below it were closed).
 * - readlink, not stat: following the link would ask the file's own file
 *   system, and a dead NFS server would hang us (lsof's old trouble).
 * - A process with many fds is read from both ends at once by two
 *   threads, which meet in the middle: the fds opened first (a server's
 *   listeners, usually) and the ones opened last are both reached early,
 *   and a full read takes half the time on two cores. Other processes are
 *   handed out one at a time to whichever thread is free.
 */
#define _GNU_SOURCE

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ptl-linux-owners.h"

#define SPLIT_MIN_FDS 2048 /* read from both ends when a process has this many */
#define CHUNK_FDS 1024
#define MANY_WANTED 64     /* wanted sockets past which big processes go first */
#define THREAD_MIN_FDS 256 /* below this many fds in all, one thread is enough */
#define MAX_THREADS 4
#define UNKNOWN_FDS (1L << 30)

typedef struct
{
  size_t cand;
  long first, last; /* fd numbers, inclusive */
  bool descending;
  bool above; /* also list the fds numbered past the count */
} Item;

typedef struct
{
  PtlLinuxScan *sc;
  PtlLinuxCandidate *cands;
  Item *items;
  size_t n_items;
  size_t next; /* __atomic: the next item to take */
} Work;

typedef struct
{
  size_t *data;
  size_t len, cap;
  bool stopped; /* the reading stopped early: every inode was found */
  bool whole;   /* read every fd even so (looking for co-owners) */
  bool denied;  /* a link could not be read (EACCES): the table is closed to us */
} Hits;

/* "socket:[12345]" -> 12345; 0 for anything else. */
static uint64_t
socket_inode (const char *link, ssize_t len)
{
  uint64_t inode = 0;

  if (len < 10 || memcmp (link, "socket:[", 8) != 0 || link[len - 1] != ']')
    return 0;
  for (ssize_t i = 8; i < len - 1; i++)
    {
      if (link[i] < '0' || link[i] > '9')
        return 0;
      inode = inode * 10 + (uint64_t) (link[i] - '0');
    }
  return inode;
}

static void
hits_add (Hits *h, size_t wanted)
{
  if (h->len == h->cap)
    {
      size_t cap = h->cap ? h->cap * 2 : 16;
      size_t *more = realloc (h->data, cap * sizeof *more);
      if (more == NULL)
        return; /* the owner goes unrecorded; the row says "not found" */
      h->data = more;
      h->cap = cap;
    }
  h->data[h->len++] = wanted;
}

static bool
should_stop (PtlLinuxScan *sc, Hits *h)
{
  return h->denied || (!h->whole && (h->stopped = ptl_linux_owners_all_found (sc)));
}

/* Readlinks fd @name; returns 1 when it exists, 0 when not. */
static int
check_fd (PtlLinuxScan *sc, int fd_dirfd, const char *name, Hits *h)
{
  char link[64];
  ssize_t len = readlinkat (fd_dirfd, name, link, sizeof link);
  long w;

  if (len < 0 && errno == EACCES)
    h->denied = true; /* the directory lists, but its links are closed to us */
  if (len <= 0)
    return 0;
  if ((w = ptl_linux_owners_hit (sc, socket_inode (link, len))) >= 0)
    hits_add (h, (size_t) w);
  return 1;
}

static void
fd_name (long fd, char *buf)
{
  char tmp[24];
  size_t n = 0;

  do
    tmp[n++] = (char) ('0' + fd % 10);
  while ((fd /= 10) > 0);
  while (n > 0)
    *buf++ = tmp[--n];
  *buf = '\0';
}

/* Lists the fd directory from fd number @from on (every fd when 0). */
static void
list_fds (PtlLinuxScan *sc, int fd_dirfd, long from, Hits *h)
{
  DIR *dir = ptl_linux_dir_take (dup (fd_dirfd));
  struct dirent *e;

  if (dir == NULL)
    return;
  /* The position in /proc/PID/fd is the fd number plus 2 ("." and ".."). */
  if (from > 0)
    seekdir (dir, from + 2);
  while ((e = readdir (dir)) != NULL)
    {
      if (should_stop (sc, h))
        break;
      if (e->d_name[0] != '.')
        check_fd (sc, fd_dirfd, e->d_name, h);
    }
  closedir (dir);
}

/* Readlinks fds first..last by number; returns how many exist. */
static long
probe_fds (PtlLinuxScan *sc, int fd_dirfd, const Item *it, Hits *h)
{
  long seen = 0;
  char name[24];

  for (long i = 0; i <= it->last - it->first; i++)
    {
      if (should_stop (sc, h))
        break;
      fd_name (it->descending ? it->last - i : it->first + i, name);
      seen += check_fd (sc, fd_dirfd, name, h);
    }
  return seen;
}

/* Our own process may refuse us when it is not dumpable; as root, a refusal
 * is worth naming (PID 1 on some machines). */
static void
note_denied (PtlLinuxScan *sc, PtlLinuxCandidate *c)
{
  if (__atomic_exchange_n (&c->denied, true, __ATOMIC_RELAXED))
    return;
  if (sc->privileged)
    ptl_linux_owners_unreadable (sc, c->pid, EACCES);
  else if (c->uid == sc->euid)
    __atomic_store_n (&sc->denied_own_uid, true, __ATOMIC_RELAXED);
}

static void
read_item (PtlLinuxScan *sc, PtlLinuxCandidate *c, const Item *it, int pid_dirfd, Hits *h)
{
  int fd_dirfd = openat (pid_dirfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  long seen;

  h->denied = false;
  if (fd_dirfd < 0)
    {
      if (errno == EACCES)
        note_denied (sc, c);
      return;
    }
  if (c->nfds == 0)
    list_fds (sc, fd_dirfd, 0, h); /* the kernel does not count fds */
  else
    {
      if (it->above && it->descending)
        list_fds (sc, fd_dirfd, c->nfds, h);
      seen = probe_fds (sc, fd_dirfd, it, h);
      /* Some fds below the count are closed: as many lie above it. */
      if (it->above && !it->descending && seen < c->nfds && !h->stopped && !h->denied)
        list_fds (sc, fd_dirfd, c->nfds, h);
    }
  close (fd_dirfd);
  if (h->denied)
    note_denied (sc, c);
}

static void
run_item (PtlLinuxScan *sc, PtlLinuxCandidate *c, const Item *it, Hits *h)
{
  char name[24];
  int pid_dirfd;

  h->len = 0;
  h->stopped = false;
  fd_name (c->pid, name);
  pid_dirfd = openat (sc->proc_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (pid_dirfd >= 0) /* else it exited since we listed it */
    {
      read_item (sc, c, it, pid_dirfd, h);
      if (h->len > 0)
        ptl_linux_owners_record (sc, pid_dirfd, c->pid, h->data, h->len);
      close (pid_dirfd);
    }
  /* A process read only in part may still hold a co-owned socket. */
  if (!h->stopped && !h->denied
      && __atomic_add_fetch (&c->parts_done, 1, __ATOMIC_RELAXED) == c->parts)
    c->scanned = true;
}

/* The whole of one process, on the calling thread (for co-owners). */
static void
scan_process (PtlLinuxScan *sc, PtlLinuxCandidate *c)
{
  Item it = { 0, 0, c->nfds - 1, false, true };
  Hits h = { .whole = true };

  c->parts = 1;
  c->parts_done = 0;
  run_item (sc, c, &it, &h);
  free (h.data);
}

static int
cmp_candidates (const void *a, const void *b)
{
  const PtlLinuxCandidate *x = a, *y = b;
  long nx = x->nfds ? x->nfds : UNKNOWN_FDS, ny = y->nfds ? y->nfds : UNKNOWN_FDS;

  if (x->rank != y->rank)
    return x->rank - y->rank;
  if (nx != ny)
    return (nx > ny) - (nx < ny);
  return (x->pid > y->pid) - (x->pid < y->pid);
}

static long
parse_pid (const char *s)
{
  long v = 0;

  if (*s == '\0')
    return -1;
  for (; *s; s++)
    {
      if (*s < '0' || *s > '9' || v > 100000000)
        return -1;
      v = v * 10 + (*s - '0');
    }
  return v;
}

/* A process without fds of its own may still have live threads (its main
 * thread exited): ptl_linux_owners_scan_threads looks at them if needed. */
static bool
remember_fdless (PtlLinuxScan *sc, long pid)
{
  if (sc->n_fdless == sc->cap_fdless)
    {
      size_t cap = sc->cap_fdless ? sc->cap_fdless * 2 : 64;
      long *more = realloc (sc->fdless, cap * sizeof *more);
      if (more == NULL)
        return true; /* that process goes unread; the search goes on */
      sc->fdless = more;
      sc->cap_fdless = cap;
    }
  sc->fdless[sc->n_fdless++] = pid;
  return true;
}

/* One stat of /proc/PID/fd: its owner is the process's (dumpable) uid and,
 * on Linux >= 6.2, its size the number of open fds. */
static bool
add_candidate (PtlLinuxScan *sc, PtlLinuxCandidate **list, size_t *n, size_t *cap, long pid)
{
  char fdpath[48];
  struct stat st;
  PtlLinuxCandidate *c;

  snprintf (fdpath, sizeof fdpath, "%ld/fd", pid);
  if (fstatat (sc->proc_fd, fdpath, &st, 0) < 0)
    return true; /* exited since the listing */
  /* Without root, another user's fds cannot be read: do not even try. */
  if (!sc->privileged && (long) st.st_uid != sc->euid)
    return true;
  if (sc->fd_counts && st.st_size == 0)
    return remember_fdless (sc, pid); /* a kernel thread, a zombie, or an exited main thread */
  if (*n == *cap)
    {
      PtlLinuxCandidate *more = realloc (*list, (*cap ? *cap * 2 : 256) * sizeof *more);
      if (more == NULL)
        return false;
      *list = more;
      *cap = *cap ? *cap * 2 : 256;
    }
  c = &(*list)[(*n)++];
  c->pid = pid;
  c->uid = (long) st.st_uid;
  c->nfds = sc->fd_counts ? (long) st.st_size : 0;
  c->rank = ptl_linux_owners_uid_wanted (sc, c->uid) ? 0 : 1;
  c->parts = 1;
  c->parts_done = 0;
  c->scanned = false;
  c->denied = false;
  return true;
}

/* Many wanted sockets (a busy port) are held by a process with at least
 * as many fds, and once it is read the search is over: within each rank,
 * read the biggest processes first instead of the smallest. */
static void
biggest_first (PtlLinuxCandidate *list, size_t n)
{
  for (size_t from = 0; from < n;)
    {
      size_t to = from;

      while (to + 1 < n && list[to + 1].rank == list[from].rank)
        to++;
      for (size_t a = from, b = to; a < b; a++, b--)
        {
          PtlLinuxCandidate tmp = list[a];
          list[a] = list[b];
          list[b] = tmp;
        }
      from = to + 1;
    }
}

static PtlLinuxCandidate *
list_candidates (PtlLinuxScan *sc, size_t *n_out)
{
  DIR *dir = ptl_linux_dir_take (dup (sc->proc_fd));
  PtlLinuxCandidate *list = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;

  if (dir == NULL)
    return NULL;
  while ((e = readdir (dir)) != NULL)
    {
      long pid = parse_pid (e->d_name);
      if (pid > 0 && !add_candidate (sc, &list, &n, &cap, pid))
        break;
    }
  closedir (dir);
  if (n > 1)
    qsort (list, n, sizeof *list, cmp_candidates);
  if (sc->n_wanted >= MANY_WANTED)
    biggest_first (list, n);
  *n_out = n;
  return list;
}

/* A big process becomes chunks taken alternately from its two ends: the
 * first chunk reads up from fd 0, the second down from the top (after
 * listing what lies past the count), and so on towards the middle. Free
 * threads take the next chunk, so a thread that the machine slows down
 * does not hold the others back. */
static size_t
plan_big (PtlLinuxCandidate *c, size_t cand, Item *items)
{
  long lo = 0, hi = c->nfds - 1;
  size_t k = 0;

  while (lo <= hi)
    {
      long len = hi - lo + 1 < CHUNK_FDS ? hi - lo + 1 : CHUNK_FDS;

      if (k % 2 == 0)
        items[k] = (Item){ cand, lo, lo + len - 1, false, false }, lo += len;
      else
        items[k] = (Item){ cand, hi - len + 1, hi, true, k == 1 }, hi -= len;
      k++;
    }
  if (k == 1)
    items[0].above = true;
  c->parts = (int) k;
  return k;
}

/* One item per process, chunks for a big one. */
static Item *
plan_items (PtlLinuxCandidate *cands, size_t n, size_t *n_items, long *total_fds)
{
  size_t cap = n + 1, k = 0;
  Item *items;

  *total_fds = 0;
  for (size_t i = 0; i < n; i++)
    {
      *total_fds += cands[i].nfds ? cands[i].nfds : 64;
      if (cands[i].nfds >= SPLIT_MIN_FDS)
        cap += (size_t) (cands[i].nfds / CHUNK_FDS) + 1;
    }
  if ((items = malloc (cap * sizeof *items)) == NULL)
    return NULL;
  for (size_t i = 0; i < n; i++)
    {
      if (cands[i].nfds < SPLIT_MIN_FDS)
        items[k++] = (Item){ i, 0, cands[i].nfds - 1, false, true };
      else
        k += plan_big (&cands[i], i, items + k);
    }
  *n_items = k;
  return items;
}

static void *
worker (void *data)
{
  Work *w = data;
  Hits h = { 0 };

  while (!ptl_linux_owners_all_found (w->sc))
    {
      size_t i = __atomic_fetch_add (&w->next, 1, __ATOMIC_RELAXED);
      if (i >= w->n_items)
        break;
      run_item (w->sc, &w->cands[w->items[i].cand], &w->items[i], &h);
    }
  free (h.data);
  return NULL;
}

static int
thread_count (long total_fds, size_t n_items)
{
  long cpus = sysconf (_SC_NPROCESSORS_ONLN);
  long n = cpus < 1 ? 1 : cpus > MAX_THREADS ? MAX_THREADS : cpus;

  if (total_fds < THREAD_MIN_FDS || n_items < 2)
    return 1;
  return (int) n;
}

/* The main thread works too; a thread that cannot start leaves its share
 * to the others. */
static void
scan_items (PtlLinuxScan *sc, PtlLinuxCandidate *cands, size_t n)
{
  pthread_t threads[MAX_THREADS];
  int started = 0, want;
  long total = 0;
  Work w = { .sc = sc, .cands = cands };

  w.items = plan_items (cands, n, &w.n_items, &total);
  if (w.items == NULL)
    return;
  want = thread_count (total, w.n_items);
  for (int i = 1; i < want; i++)
    if (pthread_create (&threads[started], NULL, worker, &w) == 0)
      started++;
  worker (&w);
  for (int i = 0; i < started; i++)
    pthread_join (threads[i], NULL);
  free (w.items);
}

static bool
is_family (const PtlLinuxScan *sc, long pid, long ppid)
{
  for (size_t i = 0; i < sc->n_owners; i++)
    if (sc->owner_pids[i] == ppid || sc->owner_ppids[i] == pid)
      return true;
  return false;
}

/* Finds the children of the owners found by reading every process's
 * /proc/PID/stat: the slow path, for kernels without CONFIG_PROC_CHILDREN. */
static void
scan_family_by_stat (PtlLinuxScan *sc, PtlLinuxCandidate *list, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      char name[32], stat[512];
      long ppid = -1;
      int dirfd;

      if (list[i].scanned)
        continue;
      snprintf (name, sizeof name, "%ld", list[i].pid);
      if ((dirfd = openat (sc->proc_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
        continue;
      if (ptl_linux_read_small_file (dirfd, "stat", stat, sizeof stat) > 0 && strrchr (stat, ')'))
        sscanf (strrchr (stat, ')') + 1, " %*c %ld", &ppid);
      close (dirfd);
      if (is_family (sc, list[i].pid, ppid))
        scan_process (sc, &list[i]);
    }
}

static void
scan_if_unscanned (PtlLinuxScan *sc, PtlLinuxCandidate *list, size_t n, long pid)
{
  for (size_t i = 0; i < n; i++)
    if (list[i].pid == pid && !list[i].scanned)
      scan_process (sc, &list[i]);
}

/* Whether this kernel has /proc/PID/task/TID/children files
 * (CONFIG_PROC_CHILDREN). Asked of our own thread, which cannot exit while
 * we ask: a thread of another process that ends during the read makes its
 * file vanish, which says nothing about the kernel. */
static bool
kernel_lists_children (const PtlLinuxScan *sc)
{
  struct stat st;

  return fstatat (sc->proc_fd, "thread-self/children", &st, 0) == 0;
}

/* Scans the children of @pid, read from /proc/PID/task/TID/children for
 * each of its threads (a thread that ends meanwhile has none to give). */
static void
scan_children (PtlLinuxScan *sc, PtlLinuxCandidate *list, size_t n, long pid)
{
  char path[48], buf[4096];
  int taskfd;
  DIR *dir;
  struct dirent *e;

  snprintf (path, sizeof path, "%ld/task", pid);
  taskfd = openat (sc->proc_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (taskfd < 0 || (dir = fdopendir (taskfd)) == NULL)
    {
      if (taskfd >= 0)
        close (taskfd);
      return; /* the process is gone: no children to find */
    }
  while ((e = readdir (dir)) != NULL)
    {
      char rel[300];
      char *p = buf, *end;

      if (e->d_name[0] == '.')
        continue;
      snprintf (rel, sizeof rel, "%s/children", e->d_name);
      if (ptl_linux_read_small_file (taskfd, rel, buf, sizeof buf) < 0)
        continue;
      for (long child; (child = strtol (p, &end, 10)), end != p; p = end)
        scan_if_unscanned (sc, list, n, child);
    }
  closedir (dir);
}

/* After the early stop, a socket may still have co-owners: workers forked
 * by a pre-forking server, or systemd holding an activated socket. Those
 * are parents or children of the owners found (transitively: the loop also
 * visits owners found on the way), so look only at them. */
static void
scan_family (PtlLinuxScan *sc, PtlLinuxCandidate *list, size_t n)
{
  bool children_known = kernel_lists_children (sc);

  for (size_t i = 0; i < sc->n_owners; i++)
    {
      scan_if_unscanned (sc, list, n, sc->owner_ppids[i]);
      if (children_known)
        scan_children (sc, list, n, sc->owner_pids[i]);
    }
  if (!children_known)
    scan_family_by_stat (sc, list, n);
}

void
ptl_linux_owners_scan_all (PtlLinuxScan *sc)
{
  size_t n = 0;
  PtlLinuxCandidate *list = list_candidates (sc, &n);
  bool all_scanned = true;

  scan_items (sc, list, n);
  if (__atomic_load_n (&sc->n_found, __ATOMIC_RELAXED) != sc->n_wanted)
    ptl_linux_owners_scan_threads (sc, list, n); /* fd budget or not, see there */
  for (size_t i = 0; i < n && all_scanned; i++)
    all_scanned = list[i].scanned;
  if (!all_scanned && sc->n_owners > 0)
    scan_family (sc, list, n);
  free (list);
}
