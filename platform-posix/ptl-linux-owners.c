/* ptl-linux-owners.c: which processes hold which socket inodes.
 *
 * ss, lsof and psutil readlink every fd of every process. We stop as soon
 * as every wanted inode has an owner, and order the search so that stop
 * comes early: processes of the sockets' users first, then the ones with
 * the fewest fds (on Linux >= 6.2 the st_size of /proc/PID/fd is the fd
 * count). Without root only our own user's processes are readable, so the
 * others are not even opened.
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

#include "ptl-linux-private.h"

typedef struct
{
  uint64_t inode;
  size_t row;
  bool found;
} Wanted;

typedef struct
{
  long pid;
  long uid;
  long nfds; /* 0: none or unknown */
  int rank;  /* lower is scanned first */
  bool scanned;
} Candidate;

typedef struct
{
  size_t wanted;
  size_t proc;
} Link;

typedef struct
{
  PtlSocketTable *table;
  Wanted *wanted;
  size_t n_wanted, n_found;
  Link *links;
  size_t n_links, cap_links;
  long *owner_pids, *owner_ppids;
  size_t n_owners, cap_owners;
  long uids[64]; /* distinct socket owners' uids, to rank processes */
  size_t n_uids;
  int proc_fd;
  long euid;
  bool privileged;
  bool denied_own_uid; /* one of our own processes refused us (not dumpable) */
} Scan;

static int
cmp_wanted (const void *a, const void *b)
{
  const Wanted *x = a, *y = b;
  return (x->inode > y->inode) - (x->inode < y->inode);
}

static int
cmp_candidates (const void *a, const void *b)
{
  const Candidate *x = a, *y = b;
  long nx = x->nfds ? x->nfds : 1L << 30, ny = y->nfds ? y->nfds : 1L << 30;

  if (x->rank != y->rank)
    return x->rank - y->rank;
  if (nx != ny)
    return (nx > ny) - (nx < ny);
  return (x->pid > y->pid) - (x->pid < y->pid);
}

static Wanted *
find_wanted (Scan *sc, uint64_t inode)
{
  Wanted key = { .inode = inode };
  return bsearch (&key, sc->wanted, sc->n_wanted, sizeof key, cmp_wanted);
}

static bool
push_link (Scan *sc, size_t wanted, size_t proc)
{
  if (sc->n_links == sc->cap_links)
    {
      size_t cap = sc->cap_links ? sc->cap_links * 2 : 64;
      Link *links = realloc (sc->links, cap * sizeof *links);
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
push_owner (Scan *sc, long pid, long ppid)
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

/* Collects the indices of wanted inodes among @pid's fds into @hits. */
static size_t
match_fds (Scan *sc, int pid_dirfd, size_t **hits, size_t *cap, bool *denied)
{
  int fd_dirfd = openat (pid_dirfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR *dir;
  struct dirent *e;
  size_t n = 0;

  *denied = fd_dirfd < 0 && errno == EACCES;
  dir = fd_dirfd >= 0 ? fdopendir (fd_dirfd) : NULL;
  if (dir == NULL)
    {
      if (fd_dirfd >= 0)
        close (fd_dirfd);
      return 0;
    }
  while ((e = readdir (dir)) != NULL)
    {
      char link[64];
      ssize_t len = readlinkat (fd_dirfd, e->d_name, link, sizeof link);
      Wanted *w = len > 0 ? find_wanted (sc, socket_inode (link, len)) : NULL;

      if (w == NULL)
        continue;
      if (n == *cap)
        {
          size_t *more = realloc (*hits, (*cap ? *cap * 2 : 16) * sizeof **hits);
          if (more == NULL)
            break;
          *hits = more;
          *cap = *cap ? *cap * 2 : 16;
        }
      (*hits)[n++] = (size_t) (w - sc->wanted);
    }
  closedir (dir);
  return n;
}

static void
record_owner (Scan *sc, int pid_dirfd, long pid, const size_t *hits, size_t n)
{
  PtlProcess p;
  long ppid = 0;
  size_t idx;

  /* Read through the same pinned directory: if the process is gone, so is
   * the claim that it held these sockets. */
  if (ptl_linux_process_read (pid_dirfd, pid, &p, &ppid) < 0)
    return;
  idx = ptl_socket_table_add_process (sc->table, pid, p.start_time, p.uid, p.user, p.name, p.path,
                                      p.cmdline);
  ptl_process_clear (&p);
  if (idx == (size_t) -1 || !push_owner (sc, pid, ppid))
    return;
  for (size_t i = 0; i < n; i++)
    {
      if (!push_link (sc, hits[i], idx))
        return;
      if (!sc->wanted[hits[i]].found)
        sc->wanted[hits[i]].found = true, sc->n_found++;
    }
}

static void
scan_process (Scan *sc, Candidate *c)
{
  char name[32];
  int pid_dirfd;
  size_t *hits = NULL, cap = 0, n;
  bool denied;

  c->scanned = true;
  snprintf (name, sizeof name, "%ld", c->pid);
  pid_dirfd = openat (sc->proc_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (pid_dirfd < 0)
    return; /* exited since we listed it */
  n = match_fds (sc, pid_dirfd, &hits, &cap, &denied);
  if (denied && c->uid == sc->euid)
    sc->denied_own_uid = true;
  if (n > 0)
    record_owner (sc, pid_dirfd, c->pid, hits, n);
  free (hits);
  close (pid_dirfd);
}

static bool
uid_wanted (const Scan *sc, long uid)
{
  for (size_t i = 0; i < sc->n_uids; i++)
    if (sc->uids[i] == uid)
      return true;
  return false;
}

static void
note_uid (Scan *sc, long uid)
{
  if (uid_wanted (sc, uid) || sc->n_uids == sizeof sc->uids / sizeof sc->uids[0])
    return;
  sc->uids[sc->n_uids++] = uid;
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

static bool
add_candidate (Scan *sc, Candidate **list, size_t *n, size_t *cap, const char *name, long pid)
{
  char fdpath[48];
  struct stat st, fdst;
  Candidate *c;

  if (fstatat (sc->proc_fd, name, &st, 0) < 0)
    return true;
  /* Without root, another user's fds cannot be read: do not even try. */
  if (!sc->privileged && (long) st.st_uid != sc->euid)
    return true;
  if (*n == *cap)
    {
      Candidate *more = realloc (*list, (*cap ? *cap * 2 : 256) * sizeof *more);
      if (more == NULL)
        return false;
      *list = more;
      *cap = *cap ? *cap * 2 : 256;
    }
  c = &(*list)[(*n)++];
  c->pid = pid;
  c->uid = (long) st.st_uid;
  snprintf (fdpath, sizeof fdpath, "%ld/fd", pid);
  c->nfds = fstatat (sc->proc_fd, fdpath, &fdst, 0) == 0 ? (long) fdst.st_size : 0;
  c->rank = uid_wanted (sc, c->uid) ? 0 : 1;
  c->scanned = false;
  return true;
}

static Candidate *
list_candidates (Scan *sc, size_t *n_out)
{
  int fd = dup (sc->proc_fd);
  DIR *dir = fd >= 0 ? fdopendir (fd) : NULL;
  Candidate *list = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;

  if (dir == NULL)
    {
      if (fd >= 0)
        close (fd);
      return NULL;
    }
  while ((e = readdir (dir)) != NULL)
    {
      long pid = parse_pid (e->d_name);
      if (pid > 0 && !add_candidate (sc, &list, &n, &cap, e->d_name, pid))
        break;
    }
  closedir (dir);
  if (n > 1)
    qsort (list, n, sizeof *list, cmp_candidates);
  *n_out = n;
  return list;
}

static bool
is_family (const Scan *sc, long pid, long ppid)
{
  for (size_t i = 0; i < sc->n_owners; i++)
    if (sc->owner_pids[i] == ppid || sc->owner_ppids[i] == pid)
      return true;
  return false;
}

/* Finds the children of the owners found by reading every process's
 * /proc/PID/stat: the slow path, for kernels without CONFIG_PROC_CHILDREN. */
static void
scan_family_by_stat (Scan *sc, Candidate *list, size_t n)
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
scan_if_unscanned (Scan *sc, Candidate *list, size_t n, long pid)
{
  for (size_t i = 0; i < n; i++)
    if (list[i].pid == pid && !list[i].scanned)
      scan_process (sc, &list[i]);
}

/* Scans the children of @pid, read from /proc/PID/task/TID/children for
 * each of its threads. Returns false when the kernel has no such files. */
static bool
scan_children (Scan *sc, Candidate *list, size_t n, long pid)
{
  char path[48], buf[4096];
  int taskfd;
  DIR *dir;
  struct dirent *e;
  bool supported = true;

  snprintf (path, sizeof path, "%ld/task", pid);
  taskfd = openat (sc->proc_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (taskfd < 0 || (dir = fdopendir (taskfd)) == NULL)
    {
      if (taskfd >= 0)
        close (taskfd);
      return true; /* the process is gone: no children to find */
    }
  while ((e = readdir (dir)) != NULL)
    {
      char rel[300];
      char *p = buf, *end;

      if (e->d_name[0] == '.')
        continue;
      snprintf (rel, sizeof rel, "%s/children", e->d_name);
      if (ptl_linux_read_small_file (taskfd, rel, buf, sizeof buf) < 0)
        {
          supported &= errno != ENOENT;
          continue;
        }
      for (long child; (child = strtol (p, &end, 10)), end != p; p = end)
        scan_if_unscanned (sc, list, n, child);
    }
  closedir (dir);
  return supported;
}

/* After the early stop, a socket may still have co-owners: workers forked
 * by a pre-forking server, or systemd holding an activated socket. Those
 * are parents or children of the owners found (transitively: the loop also
 * visits owners found on the way), so look only at them. */
static void
scan_family (Scan *sc, Candidate *list, size_t n)
{
  bool children_known = true;

  for (size_t i = 0; i < sc->n_owners; i++)
    {
      scan_if_unscanned (sc, list, n, sc->owner_ppids[i]);
      children_known &= scan_children (sc, list, n, sc->owner_pids[i]);
    }
  if (!children_known)
    scan_family_by_stat (sc, list, n);
}

static void
scan_all (Scan *sc)
{
  size_t n = 0, i;
  Candidate *list = list_candidates (sc, &n);

  for (i = 0; i < n && sc->n_found < sc->n_wanted; i++)
    scan_process (sc, &list[i]);
  if (i < n && sc->n_owners > 0)
    scan_family (sc, list, n);
  free (list);
}

static int
cmp_links (const void *a, const void *b)
{
  const Link *x = a, *y = b;
  if (x->wanted != y->wanted)
    return (x->wanted > y->wanted) - (x->wanted < y->wanted);
  return (x->proc > y->proc) - (x->proc < y->proc);
}

static int
apply_links (Scan *sc)
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

static void
explain_unowned (Scan *sc)
{
  PtlSocketTable *t = sc->table;

  for (size_t i = 0; i < t->len; i++)
    {
      PtlSocket *s = &t->rows[i];

      if (s->n_owners > 0)
        continue;
      if (s->inode == 0)
        s->owner_note = s->state == PTL_STATE_TIME_WAIT  ? PTL_NOTE_TIME_WAIT
                        : s->state == PTL_STATE_SYN_RECV ? PTL_NOTE_SYN_RECV
                                                         : PTL_NOTE_ORPHAN;
      else if (!sc->privileged && (s->uid != sc->euid || sc->denied_own_uid))
        {
          s->owner_note = PTL_NOTE_HIDDEN;
          ptl_socket_table_add_note (t, PTL_NOTE_SOME_HIDDEN);
        }
      else
        s->owner_note = PTL_NOTE_NOT_FOUND;
    }
}

static int
collect_wanted (Scan *sc)
{
  PtlSocketTable *t = sc->table;

  sc->wanted = malloc ((t->len ? t->len : 1) * sizeof *sc->wanted);
  if (sc->wanted == NULL)
    return PTL_ENOMEM;
  for (size_t i = 0; i < t->len; i++)
    if (t->rows[i].inode != 0 && t->rows[i].n_owners == 0)
      {
        sc->wanted[sc->n_wanted++] = (Wanted){ t->rows[i].inode, i, false };
        note_uid (sc, t->rows[i].uid);
      }
  qsort (sc->wanted, sc->n_wanted, sizeof *sc->wanted, cmp_wanted);
  return 0;
}

int
ptl_platform_find_owners (PtlSocketTable *table, PtlError *err)
{
  Scan sc = { .table = table, .euid = (long) geteuid (), .privileged = geteuid () == 0 };
  int rc;

  if ((rc = collect_wanted (&sc)) < 0)
    return ptl_error_set (err, rc, "Out of memory while looking for socket owners.");
  if (sc.n_wanted > 0)
    {
      sc.proc_fd = open ("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (sc.proc_fd >= 0)
        {
          scan_all (&sc);
          close (sc.proc_fd);
        }
      rc = apply_links (&sc);
    }
  explain_unowned (&sc);
  free (sc.wanted);
  free (sc.links);
  free (sc.owner_pids);
  free (sc.owner_ppids);
  if (rc < 0)
    return ptl_error_set (err, rc, "Out of memory while looking for socket owners.");
  return 0;
}
