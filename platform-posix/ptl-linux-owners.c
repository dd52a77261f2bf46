/* ptl-linux-owners.c: which processes hold which socket inodes.
 *
 * ss, lsof and psutil readlink every fd of every process. We stop as soon
 * as every wanted inode has an owner (ptl-linux-owners-scan.c orders and
 * spreads the reading so that the stop comes early), then look for
 * co-owners among the owners' parents and children. This file keeps the
 * books: what is wanted, who was found, and the rows' owners and notes.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ptl-linux-bpf.h"
#include "ptl-linux-owners.h"

static int
cmp_wanted (const void *a, const void *b)
{
  const PtlLinuxWanted *x = a, *y = b;
  return (x->inode > y->inode) - (x->inode < y->inode);
}

static PtlLinuxWanted *
find_wanted (PtlLinuxScan *sc, uint64_t inode)
{
  PtlLinuxWanted key = { .inode = inode };
  return bsearch (&key, sc->wanted, sc->n_wanted, sizeof key, cmp_wanted);
}

static bool
push_link (PtlLinuxScan *sc, size_t wanted, size_t proc)
{
  if (sc->n_links == sc->cap_links)
    {
      size_t cap = sc->cap_links ? sc->cap_links * 2 : 64;
      PtlLinuxLink *links = realloc (sc->links, cap * sizeof *links);
      if (links == NULL)
        return false;
      sc->links = links;
      sc->cap_links = cap;
    }
  sc->links[sc->n_links].wanted = wanted;
  sc->links[sc->n_links].proc = proc;
  sc->n_links++;
  return true;
}

static bool
push_owner (PtlLinuxScan *sc, long pid, long ppid)
{
  if (sc->n_owners == sc->cap_owners)
    {
      size_t cap = sc->cap_owners ? sc->cap_owners * 2 : 16;
      long *a = realloc (sc->owner_pids, cap * sizeof *a);
      long *b = a ? realloc (sc->owner_ppids, cap * sizeof *b) : NULL;
      if (a)
        sc->owner_pids = a;
      if (b == NULL)
        return false;
      sc->owner_ppids = b;
      sc->cap_owners = cap;
    }
  sc->owner_pids[sc->n_owners] = pid;
  sc->owner_ppids[sc->n_owners] = ppid;
  sc->n_owners++;
  return true;
}

bool
ptl_linux_owners_uid_wanted (const PtlLinuxScan *sc, long uid)
{
  for (size_t i = 0; i < sc->n_uids; i++)
    if (sc->uids[i] == uid)
      return true;
  return false;
}

static void
note_uid (PtlLinuxScan *sc, long uid)
{
  if (ptl_linux_owners_uid_wanted (sc, uid) || sc->n_uids == sizeof sc->uids / sizeof sc->uids[0])
    return;
  sc->uids[sc->n_uids++] = uid;
}

bool
ptl_linux_owners_all_found (PtlLinuxScan *sc)
{
  return __atomic_load_n (&sc->n_found, __ATOMIC_RELAXED) == sc->n_wanted
         || (sc->fd_budget > 0
             && __atomic_load_n (&sc->fds_read, __ATOMIC_RELAXED) >= sc->fd_budget);
}

long
ptl_linux_owners_hit (PtlLinuxScan *sc, uint64_t inode)
{
  PtlLinuxWanted *w = inode ? find_wanted (sc, inode) : NULL;

  if (sc->fd_budget > 0)
    __atomic_add_fetch (&sc->fds_read, 1, __ATOMIC_RELAXED);
  if (w == NULL)
    return -1;
  if (!__atomic_exchange_n (&w->found, true, __ATOMIC_RELAXED))
    __atomic_add_fetch (&sc->n_found, 1, __ATOMIC_RELAXED);
  return (long) (w - sc->wanted);
}

static bool
is_owner (const PtlLinuxScan *sc, long pid)
{
  for (size_t i = 0; i < sc->n_owners; i++)
    if (sc->owner_pids[i] == pid)
      return true;
  return false;
}

static void
add_owner_links (PtlLinuxScan *sc, long pid, long ppid, size_t idx, const size_t *hits, size_t n)
{
  if (!is_owner (sc, pid) && !push_owner (sc, pid, ppid))
    return;
  for (size_t i = 0; i < n; i++)
    if (!push_link (sc, hits[i], idx))
      return;
}

void
ptl_linux_owners_record_thread (PtlLinuxScan *sc, int pid_dirfd, int task_dirfd, long pid, long tid,
                                bool main_exited, const size_t *hits, size_t n)
{
  PtlProcess p;
  long ppid = 0;
  size_t idx;

  /* Read through the same pinned directory: if the process is gone, so is
   * the claim that it held these sockets. Outside the lock: it is I/O. */
  if (ptl_linux_process_read_thread (pid_dirfd, task_dirfd, pid, &p, &ppid) < 0)
    return;
  p.thread = tid;
  p.main_thread_exited = main_exited;
  ptl_linux_relay_parse (&p);
  pthread_mutex_lock (&sc->lock);
  idx = ptl_socket_table_add_proc (sc->table, &p);
  if (idx != (size_t) -1)
    add_owner_links (sc, pid, ppid, idx, hits, n);
  pthread_mutex_unlock (&sc->lock);
  ptl_process_clear (&p);
}

void
ptl_linux_owners_record (PtlLinuxScan *sc, int pid_dirfd, long pid, const size_t *hits, size_t n)
{
  ptl_linux_owners_record_thread (sc, pid_dirfd, -1, pid, 0, false, hits, n);
}

void
ptl_linux_owners_unreadable (PtlLinuxScan *sc, long pid, int err)
{
  pthread_mutex_lock (&sc->lock);
  for (size_t i = 0; i < sc->n_unreadable; i++)
    if (sc->unreadable[i].pid == pid)
      {
        pthread_mutex_unlock (&sc->lock);
        return;
      }
  if (sc->n_unreadable < PTL_LINUX_MAX_UNREADABLE)
    sc->unreadable[sc->n_unreadable++] = (PtlLinuxUnreadable){ pid, err };
  sc->n_unreadable_all++;
  pthread_mutex_unlock (&sc->lock);
}

static int
cmp_links (const void *a, const void *b)
{
  const PtlLinuxLink *x = a, *y = b;
  if (x->wanted != y->wanted)
    return (x->wanted > y->wanted) - (x->wanted < y->wanted);
  return (x->proc > y->proc) - (x->proc < y->proc);
}

static int
apply_links (PtlLinuxScan *sc)
{
  size_t i = 0;

  if (sc->n_links > 1)
    qsort (sc->links, sc->n_links, sizeof *sc->links, cmp_links);
  while (i < sc->n_links)
    {
      size_t w = sc->links[i].wanted, j = i, procs[64], n = 0;

      for (; j < sc->n_links && sc->links[j].wanted == w; j++)
        if (n < 64 && (n == 0 || procs[n - 1] != sc->links[j].proc))
          procs[n++] = sc->links[j].proc;
      if (ptl_socket_table_set_owners (sc->table, sc->wanted[w].row, procs, n) < 0)
        return PTL_ENOMEM;
      i = j;
    }
  return 0;
}

static int
collect_wanted (PtlLinuxScan *sc)
{
  PtlSocketTable *t = sc->table;

  sc->wanted = malloc ((t->len ? t->len : 1) * sizeof *sc->wanted);
  if (sc->wanted == NULL)
    return PTL_ENOMEM;
  for (size_t i = 0; i < t->len; i++)
    if (t->rows[i].inode != 0 && t->rows[i].n_owners == 0 && t->rows[i].owner_note == NULL)
      {
        sc->wanted[sc->n_wanted++] = (PtlLinuxWanted){ t->rows[i].inode, i, false };
        note_uid (sc, t->rows[i].uid);
      }
  return 0;
}

/* Linux >= 6.2 gives the number of open fds as the size of /proc/PID/fd;
 * we hold at least the /proc directory open, so 0 means "not told". */
static bool
kernel_counts_fds (int proc_fd)
{
  struct stat st;

  return fstatat (proc_fd, "self/fd", &st, 0) == 0 && st.st_size > 0;
}

static void
search (PtlLinuxScan *sc)
{
  /* ptl_linux_owners_hit looks inodes up by binary search. */
  qsort (sc->wanted, sc->n_wanted, sizeof *sc->wanted, cmp_wanted);
  sc->proc_fd = open ("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (sc->proc_fd < 0)
    return;
  sc->fd_counts = kernel_counts_fds (sc->proc_fd);
  pthread_mutex_init (&sc->lock, NULL);
  ptl_linux_owners_scan_all (sc);
  pthread_mutex_destroy (&sc->lock);
  close (sc->proc_fd);
}

int
ptl_platform_find_owners (PtlSocketTable *table, PtlError *err)
{
  PtlLinuxScan sc = { .table = table, .euid = (long) geteuid (), .privileged = geteuid () == 0 };
  int rc;

  if ((rc = collect_wanted (&sc)) < 0)
    return ptl_error_set (err, rc, "Out of memory while looking for socket owners.");
  if (sc.n_wanted > 0)
    {
      /* The BPF task-file iterator when privileged (for a few sockets after a
       * bounded /proc scan), else the /proc scan. */
      if (!ptl_linux_owners_bpf (&sc))
        search (&sc);
      rc = apply_links (&sc);
      ptl_linux_owners_bpf_rest (&sc);
    }
  else
    ptl_linux_owners_prefetch_drop (); /* nothing to look for */
  ptl_linux_containers_name (table);
  ptl_linux_owners_explain (&sc);
  free (sc.wanted);
  free (sc.links);
  free (sc.owner_pids);
  free (sc.owner_ppids);
  free (sc.fdless);
  if (rc < 0)
    return ptl_error_set (err, rc, "Out of memory while looking for socket owners.");
  return 0;
}
