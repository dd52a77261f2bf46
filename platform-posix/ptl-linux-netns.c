/* ptl-linux-netns.c: sockets in other network namespaces (containers,
 * ip netns), which the reader's own netlink dump never shows.
 *
 * The namespaces are found through the processes in them: the inode of
 * /proc/PID/net/dev differs from one network namespace to the next and can
 * be read by anyone, so even without root the others can be counted. As
 * root, each distinct namespace is entered (setns on /proc/PID/ns/net, or
 * on /run/netns/NAME for an ip netns name with no process in it) by a
 * helper thread, which makes its own netlink socket there and dumps it:
 * the namespace of a thread is its own, so the caller's thread, and with
 * it the bind test, stays in the reader's namespace. The helper ends when
 * it is done instead of coming back.
 */
#define _GNU_SOURCE

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/rtnetlink.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "ptl-linux-private.h"

#define NETNS_RUN_DIR "/run/netns"

typedef struct
{
  uint64_t key; /* inode of /proc/PID/net/dev (0 for a name with no process seen) */
  uint64_t id;  /* the namespace's own inode (net:[ID]); 0 when it could not be read */
  long pid;     /* the first process seen in it; 0 for none */
  int fd;       /* open namespace file for setns; -1 */
  char name[64];
  PtlContainer container;
  int asked; /* processes whose cgroup was read for the container */
} NsEntry;

typedef struct
{
  NsEntry *v;
  size_t n, cap;
  uint64_t self_key, self_id;
  bool by_id;    /* namespace links can be read (root): name namespaces by id */
  bool open_fds; /* and open them, to enter them */
  int proc_fd;
} NsList;

static uint64_t
ino_at (int dirfd, const char *path)
{
  struct stat st;

  return fstatat (dirfd, path, &st, 0) == 0 ? (uint64_t) st.st_ino : 0;
}

/* "net:[4026531833]" of @path's link; 0 when unreadable (another user's
 * process without root, or a process that refuses even root). */
static uint64_t
ns_id_at (int dirfd, const char *path)
{
  char link[64];
  ssize_t n = readlinkat (dirfd, path, link, sizeof link - 1);
  unsigned long long id = 0;

  if (n <= 0)
    return 0;
  link[n] = '\0';
  return sscanf (link, "net:[%llu]", &id) == 1 ? (uint64_t) id : 0;
}

static NsEntry *
list_add (NsList *l)
{
  if (l->n == l->cap)
    {
      size_t cap = l->cap ? l->cap * 2 : 16;
      NsEntry *more = realloc (l->v, cap * sizeof *more);
      if (more == NULL)
        return NULL;
      l->v = more;
      l->cap = cap;
    }
  memset (&l->v[l->n], 0, sizeof l->v[0]);
  l->v[l->n].fd = -1;
  return &l->v[l->n++];
}

/* The container a namespace belongs to is that of its processes: the
 * first of them (a container's init, a pod's pause process) tells, so only
 * the first few are asked. */
static void
learn_container (NsList *l, NsEntry *e, const char *pid_name)
{
  PtlProcess p;
  int dirfd;

  if (e->container.engine != PTL_ENGINE_NONE || e->asked++ >= 3)
    return;
  if ((dirfd = openat (l->proc_fd, pid_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
    return;
  memset (&p, 0, sizeof p);
  ptl_linux_cgroup_read (dirfd, &p);
  close (dirfd);
  e->container = p.container;
}

static NsEntry *
find_id (NsList *l, uint64_t id)
{
  for (size_t i = 0; i < l->n; i++)
    if (l->v[i].id == id)
      return &l->v[i];
  return NULL;
}

/* The /proc/PID/net/dev key of an entry found by its id, asked only when
 * a process without a readable namespace link must be told apart. */
static uint64_t
key_of (NsList *l, NsEntry *e)
{
  char path[64];

  if (e->key == 0 && e->pid > 0)
    {
      snprintf (path, sizeof path, "%ld/net/dev", e->pid);
      e->key = ino_at (l->proc_fd, path);
    }
  return e->key;
}

static NsEntry *
find_key (NsList *l, uint64_t key)
{
  for (size_t i = 0; i < l->n; i++)
    if (key_of (l, &l->v[i]) == key)
      return &l->v[i];
  return NULL;
}

static NsEntry *
add_entry (NsList *l, const char *pid_name, uint64_t id, uint64_t key)
{
  NsEntry *e = list_add (l);
  char path[64];

  if (e == NULL)
    return NULL;
  e->id = id;
  e->key = key;
  e->pid = strtol (pid_name, NULL, 10);
  snprintf (path, sizeof path, "%.20s/ns/net", pid_name);
  if (l->open_fds && id != 0)
    {
      struct stat st;

      e->fd = openat (l->proc_fd, path, O_RDONLY | O_CLOEXEC);
      /* Exited since the readlink (and maybe its PID taken by a process
       * elsewhere): the namespace is still listed if another process
       * holds it, and is not "unreadable" if none does. */
      if ((e->fd < 0 && (errno == ENOENT || errno == ESRCH))
          || (e->fd >= 0 && (fstat (e->fd, &st) < 0 || (uint64_t) st.st_ino != id)))
        {
          if (e->fd >= 0)
            close (e->fd);
          l->n--;
          return NULL;
        }
    }
  return e;
}

/* As root the namespace link names the namespace (one readlink); where it
 * is closed to us (another user's process, or one that refuses even root)
 * the inode of /proc/PID/net/dev, which anyone may stat, tells the
 * namespaces apart. */
static void
see_process (NsList *l, const char *pid_name)
{
  char path[64];
  uint64_t id = 0, key = 0;
  NsEntry *e;

  snprintf (path, sizeof path, "%.20s/ns/net", pid_name);
  if (l->by_id && (id = ns_id_at (l->proc_fd, path)) == l->self_id)
    return;
  if (id == 0)
    {
      snprintf (path, sizeof path, "%.20s/net/dev", pid_name);
      if ((key = ino_at (l->proc_fd, path)) == 0 || key == l->self_key)
        return;
    }
  e = id ? find_id (l, id) : find_key (l, key);
  if (e == NULL && (e = add_entry (l, pid_name, id, key)) == NULL)
    return;
  learn_container (l, e, pid_name);
}

static void
scan_processes (NsList *l)
{
  DIR *dir = ptl_linux_dir_take (dup (l->proc_fd));
  struct dirent *e;

  if (dir == NULL)
    return;
  while ((e = readdir (dir)) != NULL)
    if (e->d_name[0] >= '1' && e->d_name[0] <= '9')
      see_process (l, e->d_name);
  closedir (dir);
}

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif

/* The namespace that /run/netns/@name holds, or 0 when it holds none: a
 * file left by an `ip netns add` that failed, or one being deleted right
 * now (unmounted, not yet removed). With @fd, the open file, to enter it. */
static uint64_t
named_id (int dirfd, const char *name, int *fd)
{
  int f = openat (dirfd, name, (fd ? O_RDONLY : O_PATH) | O_CLOEXEC);
  struct statfs sfs;
  struct stat st;
  uint64_t id = 0;

  if (f < 0)
    return 0;
  if (fstatfs (f, &sfs) == 0 && sfs.f_type == NSFS_MAGIC && fstat (f, &st) == 0)
    id = (uint64_t) st.st_ino;
  if (fd != NULL && id != 0)
    *fd = f;
  else
    close (f);
  return id;
}

/* ip netns names: files in /run/netns that are namespace bind mounts. */
static void
see_named (NsList *l, int dirfd, const char *name)
{
  int fd = -1;
  uint64_t id = named_id (dirfd, name, l->open_fds ? &fd : NULL);
  NsEntry *e = NULL;

  if (id != 0 && id != l->self_id && (e = find_id (l, id)) == NULL && (e = list_add (l)) != NULL)
    {
      e->id = id;
      e->fd = fd; /* kept for setns */
      fd = -1;
    }
  if (fd >= 0)
    close (fd);
  if (e != NULL && e->name[0] == '\0')
    snprintf (e->name, sizeof e->name, "%.*s", (int) sizeof e->name - 1, name);
}

static void
scan_named (NsList *l)
{
  DIR *dir = ptl_linux_dir_take (open (NETNS_RUN_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  struct dirent *e;

  if (dir == NULL)
    return;
  while ((e = readdir (dir)) != NULL)
    if (e->d_name[0] != '.')
      see_named (l, dirfd (dir), e->d_name);
  closedir (dir);
}

static void
list_free (NsList *l)
{
  for (size_t i = 0; i < l->n; i++)
    if (l->v[i].fd >= 0)
      close (l->v[i].fd);
  free (l->v);
  if (l->proc_fd >= 0)
    close (l->proc_fd);
}

static int
list_namespaces (NsList *l, bool open_fds)
{
  memset (l, 0, sizeof *l);
  l->by_id = ptl_platform_is_privileged ();
  l->open_fds = open_fds && l->by_id;
  if ((l->proc_fd = open ("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
    return -1;
  l->self_key = ino_at (l->proc_fd, "self/net/dev");
  l->self_id = ns_id_at (l->proc_fd, "self/ns/net");
  scan_processes (l);
  scan_named (l);
  return 0;
}

/* Without root only processes and names are seen, not every namespace's
 * own id: a named namespace may also hold processes counted already, so
 * the count is the larger of the two, a number there are at least. */
static long
count_others (const NsList *l)
{
  long by_process = 0, named = 0;

  for (size_t i = 0; i < l->n; i++)
    {
      by_process += l->v[i].pid > 0;
      named += l->v[i].name[0] != '\0';
    }
  if (l->by_id)
    return (long) l->n;
  return by_process > named ? by_process : named;
}

/* ---- inside the namespaces: one helper thread -------------------------- */

typedef struct
{
  NsList *list;
  const PtlSocketFilter *filter;
  PtlSocketTable *table;
  PtlError *err;
  int rc;
  size_t unreadable;   /* namespaces that could not be entered or read */
  const char *address; /* look for the namespace holding this address instead */
  long found;          /* its index, or -1 */
} NsJob;

static void
describe (const NsEntry *e, PtlNetns *out)
{
  memset (out, 0, sizeof *out);
  out->id = e->id;
  out->pid = e->pid;
  snprintf (out->name, sizeof out->name, "%s", e->name);
  out->container = e->container;
  if (out->container.engine != PTL_ENGINE_NONE)
    ptl_linux_engine_describe (&out->container);
}

static int
read_one (NsJob *job, const NsEntry *e)
{
  static const PtlProto protos[] = { PTL_PROTO_TCP, PTL_PROTO_UDP };
  PtlSocketTable *t = job->table;
  size_t before = t->len;
  PtlNetns ns;
  unsigned k;

  for (size_t i = 0; i < 2; i++)
    {
      int rc;

      if (job->filter->protos && !(job->filter->protos & protos[i]))
        continue;
      if ((rc = ptl_linux_netlink_read (protos[i], job->filter, t, job->err)) < 0)
        {
          t->len = before;
          return rc;
        }
    }
  if (t->len == before)
    return 0;
  describe (e, &ns);
  if ((k = ptl_socket_table_add_netns (t, &ns)) == 0)
    {
      t->len = before;
      return PTL_ENOMEM;
    }
  for (size_t i = before; i < t->len; i++)
    t->rows[i].netns = k;
  return 0;
}

static void *
ns_worker (void *data)
{
  NsJob *job = data;

  for (size_t i = 0; i < job->list->n && job->rc == 0; i++)
    {
      const NsEntry *e = &job->list->v[i];
      int rc;

      if (e->fd < 0 || setns (e->fd, CLONE_NEWNET) < 0)
        {
          job->unreadable++;
          continue;
        }
      if (job->address != NULL)
        {
          if (ptl_linux_netns_has_address (job->address))
            {
              job->found = (long) i;
              break;
            }
          continue;
        }
      if ((rc = read_one (job, e)) == PTL_ENOMEM)
        job->rc = rc;
      else if (rc < 0)
        job->unreadable++;
    }
  return NULL;
}

static void
run_job (NsJob *job)
{
  pthread_t thread;

  /* The thread is the one that changes namespace; it is never reused. */
  if (pthread_create (&thread, NULL, ns_worker, job) != 0)
    {
      job->unreadable = job->list->n;
      return;
    }
  pthread_join (thread, NULL);
}

int
ptl_linux_netns_read (const PtlSocketFilter *filter, PtlSocketTable *table, PtlError *err)
{
  bool read_them = filter->netns == PTL_NETNS_ALL || filter->netns == PTL_NETNS_OTHERS;
  bool privileged = ptl_platform_is_privileged ();
  PtlSocketFilter inner = *filter;
  NsJob job = { .filter = &inner, .table = table, .err = err, .found = -1 };
  NsList list;

  inner.netns = PTL_NETNS_CURRENT;
  if (list_namespaces (&list, read_them && privileged) < 0)
    return 0; /* no /proc: nothing to count */
  table->n_other_netns = count_others (&list);
  table->other_netns_need_root = table->n_other_netns > 0 && !privileged;
  table->other_netns_read = read_them && privileged && list.n == 0;
  if (read_them && privileged && list.n > 0)
    {
      job.list = &list;
      run_job (&job);
      table->other_netns_read = true;
      if (job.unreadable > 0)
        ptl_socket_table_add_note (table, PTL_NOTE_NETNS_UNREADABLE);
    }
  list_free (&list);
  return job.rc;
}

bool
ptl_linux_netns_container_of_address (const char *address, PtlContainer *out)
{
  NsList list;
  NsJob job = { .address = address, .found = -1 };

  if (!ptl_platform_is_privileged () || list_namespaces (&list, true) < 0)
    return false;
  job.list = &list;
  if (list.n > 0)
    run_job (&job);
  if (job.found >= 0 && list.v[job.found].container.engine != PTL_ENGINE_NONE)
    *out = list.v[job.found].container;
  list_free (&list);
  return out->engine != PTL_ENGINE_NONE;
}

/* ---- the namespace's own addresses (RTM_GETADDR) ----------------------- */

/* Whether one RTM_NEWADDR message names @address. */
static bool
message_has (const struct nlmsghdr *h, const char *address)
{
  const struct ifaddrmsg *ifa = NLMSG_DATA (h);
  const struct rtattr *a = IFA_RTA (ifa);
  unsigned alen = h->nlmsg_len > NLMSG_LENGTH (sizeof *ifa) ? (unsigned) IFA_PAYLOAD (h) : 0;

  for (; RTA_OK (a, alen); a = RTA_NEXT (a, alen))
    {
      char text[INET6_ADDRSTRLEN];

      if ((a->rta_type == IFA_LOCAL || a->rta_type == IFA_ADDRESS)
          && inet_ntop (ifa->ifa_family, RTA_DATA (a), text, sizeof text)
          && strcmp (text, address) == 0)
        return true;
    }
  return false;
}

/* One buffer of the dump's replies; *@done at its end or an error. */
static bool
reply_has (const char *buf, size_t len, const char *address, int *done)
{
  while (len >= sizeof (struct nlmsghdr))
    {
      const struct nlmsghdr *h = (const struct nlmsghdr *) buf;
      size_t step = NLMSG_ALIGN (h->nlmsg_len);

      if (h->nlmsg_len < sizeof *h || h->nlmsg_len > len)
        break;
      if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR)
        return *done = 1, false;
      if (h->nlmsg_type == RTM_NEWADDR && message_has (h, address))
        return true;
      if (step >= len)
        break;
      buf += step;
      len -= step;
    }
  return false;
}

bool
ptl_linux_netns_has_address (const char *address)
{
  struct
  {
    struct nlmsghdr nlh;
    struct ifaddrmsg ifa;
  } req = { { NLMSG_LENGTH (sizeof (struct ifaddrmsg)), RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 1,
              0 },
            { .ifa_family = AF_UNSPEC } };
  uint32_t buf[4096]; /* aligned for the headers read from it */
  int fd = socket (AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_ROUTE), done = 0;
  bool found = false;

  if (fd < 0)
    return false;
  if (send (fd, &req, req.nlh.nlmsg_len, 0) > 0)
    while (!done && !found)
      {
        ssize_t n = recv (fd, buf, sizeof buf, 0);
        if (n <= 0)
          break;
        found = reply_has ((const char *) buf, (size_t) n, address, &done);
      }
  close (fd);
  return found;
}
