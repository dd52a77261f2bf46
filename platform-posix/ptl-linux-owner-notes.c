/* ptl-linux-owner-notes.c: what to say about a socket whose owner was not
 * found, from what was observed, never from a guess.
 *
 * - No file (inode 0): the kernel's state tells. TIME_WAIT and request
 *   sockets never had a process; an ESTABLISHED or CLOSE_WAIT connection
 *   without a file has not been accepted yet (it waits in its listener's
 *   accept queue, whose owner we name); FIN_WAIT, CLOSING and LAST_ACK
 *   ones were closed by their program.
 * - A file but no holder found: the socket is looked up again, and if it
 *   is gone it closed during the search. Without root, the owner is one
 *   of the processes we may not read. As root, a process whose fd table
 *   refused us is named with the reason; a process in a PID namespace
 *   above ours cannot be seen at all; otherwise no process holds it (a
 *   socket passed in a unix socket message that nobody has received yet).
 * - Without root, a socket of another user whose holders we found may
 *   have more holders among that user's processes: the row says so.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ptl-linux-owners.h"

/* The inode of the initial PID namespace (PROC_PID_INIT_INO). */
#define INIT_PID_NS_INO 0xEFFFFFFCu

#define MAX_RECHECK_PORTS 8
#define NAMED_UNREADABLE 3 /* processes named in the note; the rest are counted */

static bool
is_wildcard (const char *addr)
{
  return strcmp (addr, "0.0.0.0") == 0 || strcmp (addr, "::") == 0;
}

/* The listener a not-yet-accepted connection @c waits for: same namespace,
 * family and port, and the same address or a wildcard one. */
static const PtlSocket *
listener_of (const PtlSocketTable *t, const PtlSocket *c)
{
  const PtlSocket *wild = NULL;

  for (size_t i = 0; i < t->len; i++)
    {
      const PtlSocket *l = &t->rows[i];

      if (l->state != PTL_STATE_LISTEN || l->proto != PTL_PROTO_TCP || l->netns != c->netns
          || l->family != c->family || l->local_port != c->local_port)
        continue;
      if (strcmp (l->local_address, c->local_address) == 0)
        return l;
      if (is_wildcard (l->local_address))
        wild = l;
    }
  return wild;
}

static void
set_detail (PtlSocketTable *t, PtlSocket *s, const char *text)
{
  s->owner_detail = ptl_socket_table_keep_string (t, text);
}

static void
explain_accept_queue (PtlSocketTable *t, PtlSocket *s)
{
  const PtlSocket *l = listener_of (t, s);
  bool v6 = l && l->family == PTL_FAMILY_IPV6;
  char text[512];
  size_t n;

  s->owner_note = PTL_NOTE_ACCEPT_QUEUE;
  if (l == NULL)
    return;
  n = (size_t) snprintf (text, sizeof text, "listener %s%s%s:%u, %u waiting", v6 ? "[" : "",
                         l->local_address, v6 ? "]" : "", l->local_port, l->rqueue);
  for (size_t k = 0; k < l->n_owners && n < sizeof text; k++)
    {
      const PtlProcess *p = ptl_socket_owner (t, l, k);
      n += (size_t) snprintf (text + n, sizeof text - n, "%s%s (PID %ld)", k ? ", " : ", held by ",
                              p->name, p->pid);
    }
  if (l->n_owners == 0 && l->owner_note && n < sizeof text)
    snprintf (text + n, sizeof text - n, "; its owner: %s", l->owner_note);
  set_detail (t, s, text);
}

static void
explain_no_file (PtlSocketTable *t, PtlSocket *s)
{
  switch (s->state)
    {
    case PTL_STATE_TIME_WAIT:
      s->owner_note = PTL_NOTE_TIME_WAIT;
      return;
    case PTL_STATE_SYN_RECV:
      s->owner_note = PTL_NOTE_SYN_RECV;
      return;
    case PTL_STATE_ESTABLISHED:
    case PTL_STATE_CLOSE_WAIT:
      explain_accept_queue (t, s);
      return;
    case PTL_STATE_FIN_WAIT1:
    case PTL_STATE_FIN_WAIT2:
    case PTL_STATE_CLOSING:
    case PTL_STATE_LAST_ACK:
      s->owner_note = PTL_NOTE_ORPHAN;
      return;
    default:
      s->owner_note = PTL_NOTE_KERNEL_ONLY;
    }
}

/* ---- is it still there? ----------------------------------------------- */

typedef struct
{
  PtlProto proto;
  unsigned port;
} PortKey;

static bool
in_table (const PtlSocketTable *t, uint64_t inode)
{
  for (size_t i = 0; i < t->len; i++)
    if (t->rows[i].inode == inode)
      return true;
  return false;
}

static bool
needs_recheck (const PtlSocket *s)
{
  return s->n_owners == 0 && s->inode != 0 && s->netns == 0 && s->owner_note == NULL;
}

/* Reads again the ports of the sockets still without owners (one dump per
 * port, or per protocol when there are many) into @again. Our own
 * namespace only; /proc/net when netlink is refused. */
static void
read_again (const PtlSocketTable *t, PtlSocketTable *again)
{
  PortKey keys[MAX_RECHECK_PORTS];
  size_t n = 0;
  bool many = false;

  for (size_t i = 0; i < t->len && !many; i++)
    {
      const PtlSocket *s = &t->rows[i];
      bool known = false;

      if (!needs_recheck (s))
        continue;
      for (size_t k = 0; k < n; k++)
        known |= keys[k].proto == s->proto && keys[k].port == s->local_port;
      if (!known && n == MAX_RECHECK_PORTS)
        many = true;
      else if (!known)
        keys[n++] = (PortKey){ s->proto, s->local_port };
    }
  for (size_t k = 0; k < (many ? 2 : n); k++)
    {
      PtlSocketFilter f;

      ptl_socket_filter_init (&f);
      f.protos = many ? (k == 0 ? PTL_PROTO_TCP : PTL_PROTO_UDP) : keys[k].proto;
      if (!many)
        f.port_first = f.port_last = keys[k].port;
      ptl_platform_read_sockets (&f, again, NULL);
    }
}

/* ---- the sentences ------------------------------------------------------ */

static bool
in_child_pid_namespace (void)
{
  struct stat st;

  return stat ("/proc/self/ns/pid", &st) == 0 && (uint64_t) st.st_ino != INIT_PID_NS_INO;
}

/* Whether the first fd link of the process @name under @proc_fd is closed
 * to us (EACCES); a process without fds, or gone, is not. */
static bool
table_refuses (int proc_fd, const char *name)
{
  char path[64], link[64];
  DIR *dir;
  struct dirent *e;
  bool refused = false;

  snprintf (path, sizeof path, "%.20s/fd", name);
  if ((dir = ptl_linux_dir_take (openat (proc_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)))
      == NULL)
    return errno == EACCES;
  while ((e = readdir (dir)) != NULL && e->d_name[0] == '.')
    ;
  if (e != NULL)
    refused = readlinkat (dirfd (dir), e->d_name, link, sizeof link) < 0 && errno == EACCES;
  closedir (dir);
  return refused;
}

/* The BPF walk reads no /proc fd table, yet credits a process only when
 * /proc confirms it: before saying that no process holds a socket, look
 * for tables closed to us, one link each. */
static void
probe_unreadable (PtlLinuxScan *sc)
{
  int proc_fd = open ("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR *dir = ptl_linux_dir_take (proc_fd >= 0 ? dup (proc_fd) : -1);
  struct dirent *e;

  pthread_mutex_init (&sc->lock, NULL);
  while (dir != NULL && (e = readdir (dir)) != NULL)
    if (e->d_name[0] >= '1' && e->d_name[0] <= '9' && table_refuses (proc_fd, e->d_name))
      ptl_linux_owners_unreadable (sc, strtol (e->d_name, NULL, 10), EACCES);
  pthread_mutex_destroy (&sc->lock);
  if (dir != NULL)
    closedir (dir);
  if (proc_fd >= 0)
    close (proc_fd);
}

static const char *
unreadable_detail (const PtlLinuxScan *sc, char *text, size_t size)
{
  size_t n = 0;

  text[0] = '\0';
  for (size_t i = 0; i < sc->n_unreadable && i < NAMED_UNREADABLE && n < size; i++)
    {
      PtlProcess p;
      long pid = sc->unreadable[i].pid;

      memset (&p, 0, sizeof p);
      if (ptl_platform_process_info (pid, &p, NULL) < 0)
        p.name = NULL;
      n += (size_t) snprintf (text + n, size - n, "%sPID %ld%s%s%s: %s", i ? "; " : "", pid,
                              p.name ? " (" : "", p.name ? p.name : "", p.name ? ")" : "",
                              strerror (sc->unreadable[i].err));
      ptl_process_clear (&p);
    }
  if (sc->n_unreadable_all > NAMED_UNREADABLE && n < size)
    snprintf (text + n, size - n, "; and %zu more", sc->n_unreadable_all - NAMED_UNREADABLE);
  return text;
}

/* "socket of user redis, in redis-server.service": what the kernel tells
 * of a socket whose holder we may not see. */
static void
hidden_detail (PtlSocketTable *t, PtlSocket *s, const char *cgroup_path)
{
  PtlProcess where;
  char text[512];
  size_t n;

  n = (size_t) snprintf (text, sizeof text, "socket of user %s", s->user[0] ? s->user : "?");
  memset (&where, 0, sizeof where);
  if (cgroup_path)
    ptl_linux_cgroup_path_parse (cgroup_path, &where);
  if (where.container.engine != PTL_ENGINE_NONE)
    snprintf (text + n, sizeof text - n, ", in %s container %.12s",
              ptl_engine_name (where.container.engine), where.container.id);
  else if (where.user_unit[0])
    snprintf (text + n, sizeof text - n, ", in %s of %s", where.user_unit, where.unit);
  else if (where.unit[0])
    snprintf (text + n, sizeof text - n, ", in %s", where.unit);
  if (where.unit[0])
    s->unit = ptl_socket_table_keep_string (t, where.user_unit[0] ? where.user_unit : where.unit);
  set_detail (t, s, text);
}

/* The cgroup path of each hidden row's socket, by one walk of the tree. */
static void
explain_hidden (PtlSocketTable *t, PtlSocket **rows, size_t n)
{
  uint64_t *ids = n ? malloc (n * sizeof *ids) : NULL;
  char **paths = n ? calloc (n, sizeof *paths) : NULL;

  if (ids != NULL && paths != NULL)
    {
      for (size_t i = 0; i < n; i++)
        ids[i] = rows[i]->cgroup_id;
      ptl_linux_cgroup_paths (ids, n, paths);
    }
  for (size_t i = 0; i < n; i++)
    {
      hidden_detail (t, rows[i], paths ? paths[i] : NULL);
      if (paths)
        free (paths[i]);
    }
  free (ids);
  free (paths);
}

/* Rows with a file but no owner, in this namespace or another. */
static bool
has_unfound (const PtlSocketTable *t)
{
  for (size_t i = 0; i < t->len; i++)
    if (t->rows[i].n_owners == 0 && t->rows[i].inode != 0)
      return true;
  return false;
}

typedef struct
{
  const PtlLinuxScan *sc;
  PtlSocketTable again;
  bool child_pidns;
  char unreadable[512];
} Context;

static void
explain_unfound (Context *cx, PtlSocketTable *t, PtlSocket *s)
{
  /* Even after a BPF walk: it credits a process only when /proc confirms
   * it, which a table closed to us cannot. */
  if (cx->sc->n_unreadable > 0)
    {
      s->owner_note = PTL_NOTE_UNREADABLE;
      set_detail (t, s, cx->unreadable);
    }
  else if (cx->child_pidns)
    s->owner_note = PTL_NOTE_OTHER_PIDNS;
  else
    s->owner_note = PTL_NOTE_NO_PROCESS;
}

static void
mark_partial (PtlLinuxScan *sc, PtlSocket *s)
{
  if (sc->privileged || s->n_owners == 0 || s->uid == sc->euid)
    return;
  s->owners_partial = true;
  ptl_socket_table_add_note (sc->table, PTL_NOTE_SOME_PARTIAL);
}

void
ptl_linux_owners_explain (PtlLinuxScan *sc)
{
  PtlSocketTable *t = sc->table;
  Context cx = { .sc = sc, .child_pidns = in_child_pid_namespace () };
  PtlSocket **hidden = malloc ((t->len ? t->len : 1) * sizeof *hidden);
  size_t n_hidden = 0;

  ptl_socket_table_init (&cx.again);
  read_again (t, &cx.again);
  if (sc->privileged && sc->n_unreadable == 0 && has_unfound (t))
    probe_unreadable (sc);
  unreadable_detail (sc, cx.unreadable, sizeof cx.unreadable);
  for (size_t i = 0; i < t->len; i++)
    {
      PtlSocket *s = &t->rows[i];

      mark_partial (sc, s);
      if (s->n_owners > 0)
        continue;
      if (s->owner_note != NULL)
        {
          /* Carried over from an earlier table by a live view (watch). */
          if (strcmp (s->owner_note, PTL_NOTE_HIDDEN) == 0)
            {
              s->owner_hidden = true;
              ptl_socket_table_add_note (t, PTL_NOTE_SOME_HIDDEN);
            }
          continue;
        }
      if (s->inode == 0)
        continue;
      if (s->netns == 0 && !in_table (&cx.again, s->inode))
        s->owner_note = PTL_NOTE_CLOSED_MEANWHILE;
      else if (!sc->privileged)
        {
          s->owner_note = PTL_NOTE_HIDDEN;
          s->owner_hidden = true;
          ptl_socket_table_add_note (t, PTL_NOTE_SOME_HIDDEN);
          if (hidden != NULL)
            hidden[n_hidden++] = s;
        }
      else
        explain_unfound (&cx, t, s);
    }
  /* After the listeners' own notes: a waiting connection names them. */
  for (size_t i = 0; i < t->len; i++)
    if (t->rows[i].n_owners == 0 && t->rows[i].inode == 0 && t->rows[i].owner_note == NULL)
      explain_no_file (t, &t->rows[i]);
  if (hidden != NULL)
    explain_hidden (t, hidden, n_hidden);
  free (hidden);
  ptl_socket_table_clear (&cx.again);
}
