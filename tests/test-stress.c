/* test-stress.c: read the socket table while processes and sockets churn.
 *
 * ptl-test-churn.c forks short-lived children that open and close loopback
 * listeners and exit, and fillers that make PIDs wrap; each child logs
 * what it held and when (see ptl-test-churn.h).
 *
 * Meanwhile this process reads the whole table with owners up to 1,000
 * times (fewer on a loaded machine: see N_READS), noting the monotonic
 * times T0 (before the read) and T1 (after the owner scan). Half the reads
 * take the owners from the BPF task-file iterator (when it is built and we
 * are root), half from the /proc scan; every fourth reads the sockets from
 * /proc/net instead of netlink. Afterwards, for every row owned by one of
 * our children:
 *   - the child must have reported that inode, and
 *   - its widest possible hold [OPEN.t_a, CLOSE.t_b or REAPED] must meet
 *     [T0, T1]; a scan that saw the fd saw it at some moment in there.
 * And the other way round: a socket held for the whole of [T0, T1] (the
 * narrow bounds OPEN.t_b .. CLOSE.t_a or EXITING) must be in that read,
 * owned by its child, unless the kernel's walk skipped it, which the
 * closes during the read bound (see check_completeness). No read may list
 * a socket twice. CLOCK_MONOTONIC is one clock for every process.
 *
 * As root it all runs in PID, mount and network namespaces of its own,
 * where the only sockets and processes are the test's: the other
 * programs of a busy machine neither slow the owner scan nor move the
 * kernel's walk unseen. Without root (or namespaces) it runs among them,
 * and the skips are counted but cannot be bounded.
 *
 * The reader also must not leak fds (compared through /proc/self/fd) or
 * heap (glibc's in-use bytes after a warm-up against the end).
 */
#define _GNU_SOURCE

#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <malloc.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../platform-posix/ptl-linux-bpf.h"
#include "ptl-platform.h"
#include "ptl-test-churn.h"
#include "ptl-test-netns.h"

static int event_fd = -1;

/* Up to N_READS reads; past READ_BUDGET_S seconds of reading no more
 * start, once MIN_READS are done: a loaded machine makes fewer reads, each
 * checked as closely, rather than none. */
#define N_READS 1000
#define MIN_READS 100
#define READ_BUDGET_S 45
#define WARM_UP 50
#define MAX_ATTRIBUTIONS 400000

typedef struct
{
  int32_t pid;
  uint32_t read;
  uint64_t start;
  uint64_t inode;
} Attribution;

/* ---- the reader --------------------------------------------------------------- */

typedef struct
{
  uint64_t t0, t1;
} ReadSpan;

typedef struct
{
  ReadSpan spans[N_READS];
  uint32_t n_reads;
  Attribution *attr;
  size_t n_attr;
  uint64_t inode_floor; /* unowned and other programs' sockets below it are not kept */
  uint64_t floor_taken; /* socket_inode_floor () before the churn, also where it is not used */
  char comm[64];        /* our name, which the children (forks, no exec) share */
  GArray *listed; /* Attribution: rows that are ours, or have no owner and are above inode_floor */
  gboolean closes_known; /* every socket is the churn's: its log has every close */
  size_t rows_total, owned_total, procfs_reads, bpf_reads, others_stored, others_skipped;
  gint64 book_bytes; /* heap our own records took (listed grows), kept out of the leak check */
} Reads;

/* Among the machine's programs, where there may be thousands of older
 * sockets, the rows without an owner and other programs' rows below this
 * number are not kept. It is only a filter for those: socket inodes come
 * from a counter that each CPU takes in batches of 1024 (get_next_ino) and
 * keeps until it has used them, so a CPU that makes few inodes hands out
 * numbers far below another's, and a child's socket made after this call
 * can have a smaller number (seen: the same two sockets missing from
 * every read for seconds). Rows our processes own are always kept, and in
 * namespaces of its own, where every socket is the test's, nothing is
 * filtered. */
static uint64_t
socket_inode_floor (void)
{
  struct stat st;
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  uint64_t slack = 2048 * (uint64_t) g_get_num_processors ();

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (fstat (fd, &st), ==, 0);
  close (fd);
  return (uint64_t) st.st_ino > slack ? (uint64_t) st.st_ino - slack : 0;
}

/* The first line of @path, without its newline. */
static ssize_t
read_small (const char *path, char *buf, size_t size)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  ssize_t n = fd >= 0 ? read (fd, buf, size - 1) : -1;

  if (fd >= 0)
    close (fd);
  buf[n > 0 ? n : 0] = '\0';
  buf[strcspn (buf, "\n")] = '\0';
  return n;
}

static size_t
count_fds (void)
{
  GDir *dir = g_dir_open ("/proc/self/fd", 0, NULL);
  size_t n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir))
    n++;
  g_dir_close (dir);
  return n;
}

/* One socket, one row: the platform drops what the kernel's walk repeats. */
static void
assert_no_repeats (uint32_t k, const PtlSocketTable *t)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);

  for (size_t i = 0; i < t->len; i++)
    if (t->rows[i].inode != 0 && !g_hash_table_add (seen, (gpointer) &t->rows[i].inode))
      g_error ("read %u listed inode %" G_GUINT64_FORMAT " twice", k, t->rows[i].inode);
}

static void
record_table (Reads *r, uint32_t k, const PtlSocketTable *t)
{
  size_t n_other = 0;

  r->rows_total += t->len;
  assert_no_repeats (k, t);
  for (size_t i = 0; i < t->len; i++)
    {
      const PtlSocket *row = &t->rows[i];
      Attribution a = { 0, k, 0, row->inode };
      gboolean ours
          = row->n_owners > 0 && strcmp (ptl_socket_owner (t, row, 0)->name, r->comm) == 0;

      if (ours || (row->n_owners == 0 && row->inode >= r->inode_floor))
        g_array_append_val (r->listed, a);
    }
  for (size_t i = 0; i < t->len; i++)
    for (size_t j = 0; j < t->rows[i].n_owners; j++)
      {
        const PtlProcess *p = ptl_socket_owner (t, &t->rows[i], j);
        r->owned_total++;
        if (t->rows[i].inode < r->inode_floor && strcmp (p->name, r->comm) != 0)
          continue; /* the machine's own, older than the test */
        /* Another program's new sockets are kept only as a sample (up to
         * 256 a read): they are checked for being none of ours, and a busy
         * machine can open thousands while we read. */
        if (strcmp (p->name, r->comm) != 0 && ++n_other > 256)
          {
            r->others_skipped++;
            continue;
          }
        r->others_stored += strcmp (p->name, r->comm) != 0;
        g_assert_cmpuint (r->n_attr, <, MAX_ATTRIBUTIONS);
        r->attr[r->n_attr++]
            = (Attribution){ (int32_t) p->pid, k, p->start_time, t->rows[i].inode };
      }
}

/* The heap in use: small blocks and the ones malloc maps on their own. */
static gint64
heap_in_use (void)
{
  struct mallinfo2 m = mallinfo2 ();

  return (gint64) (m.uordblks + m.hblkhd);
}

/* Whether the BPF owner source works here. When it is built, we are root
 * and the kernel has BTF, it must, unless the machine refuses bpf() itself
 * (no CAP_BPF, EPERM from a seccomp profile). */
static gboolean
bpf_works (void)
{
  PtlTaskSocket *recs = NULL;
  const char *why = NULL;
  size_t n = 0;
  gboolean ok = ptl_linux_bpf_task_sockets (&recs, &n, &why) == 0;

  free (recs);
#ifdef PTL_BPF_BUILT
  if (!ok && geteuid () == 0 && g_file_test ("/sys/kernel/btf/vmlinux", G_FILE_TEST_EXISTS)
      && !strstr (why, "not privileged") && !strstr (why, "Operation not permitted"))
    g_error ("the BPF owner source is built and we are root, but: %s", why);
#endif
  if (!ok)
    g_test_message ("owners from the /proc scan only: BPF %s", why);
  return ok;
}

/* One read of the whole table. Reads 0, 2, 4, 6 and 7 of every eight take
 * the owners from BPF (when it works), the others from the /proc scan;
 * reads 3 and 7 take the sockets from /proc/net. The even ones announce
 * the owner search (owners_follow), so BPF's fd walk runs alongside the
 * table read; read 7 walks after it. */
static void
read_once (Reads *r, uint32_t k, gboolean bpf)
{
  PtlSocketFilter f;
  PtlSocketTable t;
  PtlError err;
  bool procfs = k % 4 == 3, no_bpf = k % 2 == 1 && k % 8 != 7;
  gint64 heap;

  if (procfs)
    g_setenv ("PORTOLAN_TEST_NO_NETLINK", "1", TRUE);
  if (no_bpf)
    g_setenv ("PORTOLAN_TEST_NO_BPF", "1", TRUE);
  ptl_socket_filter_init (&f);
  f.owners_follow = k % 2 == 0;
  ptl_socket_table_init (&t);
  r->spans[k].t0 = ptl_test_now_ns ();
  g_assert_cmpint (ptl_platform_read_sockets (&f, &t, &err), ==, 0);
  g_assert_cmpint (ptl_platform_find_owners (&t, &err), ==, 0);
  r->spans[k].t1 = ptl_test_now_ns ();
  g_unsetenv ("PORTOLAN_TEST_NO_NETLINK");
  g_unsetenv ("PORTOLAN_TEST_NO_BPF");
  r->procfs_reads += procfs;
  r->bpf_reads += bpf && !no_bpf;
  heap = heap_in_use ();
  record_table (r, k, &t);
  r->book_bytes += heap_in_use () - heap;
  ptl_socket_table_clear (&t);
}

/* ---- the cross-check ------------------------------------------------------------ */

typedef struct
{
  int32_t pid;
  uint64_t start;
  uint64_t outer_a, outer_b; /* the hold lies within */
  uint64_t inner_a, inner_b; /* the hold covers; its close lies in [inner_b, outer_b] */
  int proto;                 /* CHURN_TCP or CHURN_UDP */
  bool closed;
} Hold;

typedef struct
{
  int32_t pid;
  uint64_t start;
  GArray *holds; /* indices into the holds array of sockets still open at exit */
} Child;

typedef struct
{
  GArray *holds;           /* Hold */
  GHashTable *by_inode;    /* inode -> hold index + 1 */
  GHashTable *children;    /* "pid/start" -> Child* */
  GHashTable *live_by_pid; /* pid -> Child* not yet reaped */
  uint64_t forks, socket_children, reuses, bad_exits;
  gboolean stats_seen;
} Log;

static char *
child_key (int32_t pid, uint64_t start)
{
  return g_strdup_printf ("%d/%" G_GUINT64_FORMAT, pid, start);
}

static void
child_free (gpointer p)
{
  Child *c = p;
  g_array_unref (c->holds);
  g_free (c);
}

static void
log_born (Log *log, const Event *e)
{
  Child *c = g_new0 (Child, 1);

  c->pid = e->pid;
  c->start = e->start;
  c->holds = g_array_new (FALSE, FALSE, sizeof (guint));
  g_hash_table_insert (log->children, child_key (e->pid, e->start), c);
  g_hash_table_insert (log->live_by_pid, GINT_TO_POINTER (e->pid), c);
}

static void
log_open (Log *log, const Event *e)
{
  Child *c = g_hash_table_lookup (log->live_by_pid, GINT_TO_POINTER (e->pid));
  Hold h = { e->pid, e->start, e->t_a, UINT64_MAX, e->t_b, 0, (int) e->extra, FALSE };
  guint idx = log->holds->len;

  g_assert_nonnull (c);
  /* Socket inode numbers come from a counter: one inode, one hold. */
  g_assert_null (g_hash_table_lookup (log->by_inode, &e->inode));
  g_array_append_val (log->holds, h);
  g_array_append_val (c->holds, idx);
  g_hash_table_insert (log->by_inode, g_memdup2 (&e->inode, sizeof e->inode),
                       GUINT_TO_POINTER (idx + 1));
}

static void
log_close (Log *log, const Event *e)
{
  gpointer v = g_hash_table_lookup (log->by_inode, &e->inode);
  Hold *h;

  g_assert_nonnull (v);
  h = &g_array_index (log->holds, Hold, GPOINTER_TO_UINT (v) - 1);
  g_assert_cmpint (h->pid, ==, e->pid);
  h->closed = TRUE;
  h->inner_b = e->t_a;
  h->outer_b = e->t_b;
}

/* EXITING bounds the inner end of every socket still open; REAPED the outer. */
static void
log_exit (Log *log, const Event *e, gboolean reaped)
{
  Child *c = g_hash_table_lookup (log->live_by_pid, GINT_TO_POINTER (e->pid));

  if (c == NULL)
    return; /* a filler */
  for (guint i = 0; i < c->holds->len; i++)
    {
      Hold *h = &g_array_index (log->holds, Hold, g_array_index (c->holds, guint, i));
      if (h->closed)
        continue;
      if (reaped)
        h->outer_b = e->t_a;
      else
        h->inner_b = e->t_a;
    }
  if (reaped)
    g_hash_table_remove (log->live_by_pid, GINT_TO_POINTER (e->pid));
}

static void
log_event (Log *log, const Event *e)
{
  switch (e->kind)
    {
    case EV_BORN:
      log_born (log, e);
      break;
    case EV_OPEN:
      log_open (log, e);
      break;
    case EV_CLOSE:
      log_close (log, e);
      break;
    case EV_EXITING:
    case EV_REAPED:
      log_exit (log, e, e->kind == EV_REAPED);
      break;
    case EV_STATS:
      if (e->pid < 0)
        log->bad_exits++;
      else
        log->forks = e->extra, log->socket_children = e->extra2, log->reuses = e->t_a,
        log->stats_seen = TRUE;
      break;
    default:
      g_error ("event log: unknown record kind %d", e->kind);
    }
}

static void
load_log (Log *log)
{
  Event e;
  off_t off = 0;
  ssize_t n;

  log->holds = g_array_new (FALSE, FALSE, sizeof (Hold));
  log->by_inode = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  log->children = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, child_free);
  log->live_by_pid = g_hash_table_new (g_direct_hash, g_direct_equal);
  while ((n = pread (event_fd, &e, sizeof e, off)) == (ssize_t) sizeof e)
    {
      log_event (log, &e);
      off += n;
    }
  g_assert_cmpint (n, ==, 0);
}

static void
log_clear (Log *log)
{
  g_array_unref (log->holds);
  g_hash_table_unref (log->by_inode);
  g_hash_table_unref (log->children);
  g_hash_table_unref (log->live_by_pid);
}

typedef struct
{
  GHashTable *seen;        /* "read/inode" of every sound attribution */
  GHashTable *first_start; /* pid -> the start time it had first */
  GHashTable *reused;      /* pids the reads saw with two start times */
} Seen;

static void
note_seen (Seen *s, const Attribution *a)
{
  uint64_t *first = g_hash_table_lookup (s->first_start, GINT_TO_POINTER (a->pid));

  g_hash_table_add (s->seen, g_strdup_printf ("%u/%" G_GUINT64_FORMAT, a->read, a->inode));
  if (first == NULL)
    g_hash_table_insert (s->first_start, GINT_TO_POINTER (a->pid), g_memdup2 (&a->start, 8));
  else if (*first != a->start)
    g_hash_table_add (s->reused, GINT_TO_POINTER (a->pid));
}

/* Every attribution to one of our children must be sound. */
static size_t
check_attributions (const Log *log, const Reads *r, Seen *seen)
{
  size_t checked = 0;

  for (size_t i = 0; i < r->n_attr; i++)
    {
      const Attribution *a = &r->attr[i];
      const ReadSpan *span = &r->spans[a->read];
      g_autofree char *key = child_key (a->pid, a->start);
      gpointer v = g_hash_table_lookup (log->by_inode, &a->inode);
      const Hold *h = v ? &g_array_index (log->holds, Hold, GPOINTER_TO_UINT (v) - 1) : NULL;

      if (h == NULL && !g_hash_table_contains (log->children, key))
        continue; /* not ours: the machine's own sockets */
      if (h == NULL || h->pid != a->pid || h->start != a->start)
        g_error ("read %u gave inode %" G_GUINT64_FORMAT " to PID %d (start %" G_GUINT64_FORMAT
                 "), which never reported holding it",
                 a->read, a->inode, a->pid, a->start);
      if (h->outer_a > span->t1 || h->outer_b < span->t0)
        g_error ("read %u gave inode %" G_GUINT64_FORMAT " to PID %d outside its hold", a->read,
                 a->inode, a->pid);
      checked++;
      note_seen (seen, a);
    }
  return checked;
}

/* Every socket held throughout a read must be in it, with its owner.
 *
 * Unless the kernel's walk skipped it. The kernel hands a table over in
 * pieces (netlink dump messages, reads of /proc/net/tcp and udp) and
 * resumes each piece by position: in a hash bucket (netlink,
 * /proc/net/tcp) or from the start of the table (/proc/net/udp). A socket
 * removed in front of that position between two pieces moves everything
 * behind it up one place, so the next piece starts one socket too far:
 * one removal skips at most one socket, of the same protocol (one hash
 * table holds both families of a protocol, and the positions count both).
 * Openings only repeat sockets, which the platform drops. Nothing bounds
 * the skips better, and nothing gives a rate: how many closes fall into
 * a read depends on how long the scheduler lets the read take. So in a
 * read, the sockets skipped of a protocol are at most the sockets of that
 * protocol closed while it ran, and none when none closed.
 *
 * That is checked where every socket is the churn's (our namespaces),
 * which logs each close: [CLOSE.t_a, CLOSE.t_b], or for a socket still
 * open at exit [EXITING, REAPED]. Among the machine's other programs the
 * skips are only counted.
 *
 * A row that was listed but not given to its owner is always an error:
 * that part is ours. */

typedef struct
{
  size_t required, skipped, excess;
  guint skipped_by[N_READS][3]; /* per read and protocol (CHURN_TCP, CHURN_UDP) */
} Completeness;

static void
check_completeness (const Log *log, const Reads *r, GHashTable *seen, Completeness *c)
{
  g_autoptr (GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter it;
  gpointer k, v;

  for (guint i = 0; i < r->listed->len; i++)
    {
      const Attribution *a = &g_array_index (r->listed, Attribution, i);
      g_hash_table_add (listed, g_strdup_printf ("%u/%" G_GUINT64_FORMAT, a->read, a->inode));
    }
  g_hash_table_iter_init (&it, log->by_inode);
  while (g_hash_table_iter_next (&it, &k, &v))
    {
      const Hold *h = &g_array_index (log->holds, Hold, GPOINTER_TO_UINT (v) - 1);
      uint64_t inode = *(uint64_t *) k;

      for (uint32_t i = 0; i < r->n_reads; i++)
        {
          g_autofree char *key = NULL;
          if (h->inner_a > r->spans[i].t0 || h->inner_b < r->spans[i].t1)
            continue;
          c->required++;
          key = g_strdup_printf ("%u/%" G_GUINT64_FORMAT, i, inode);
          if (g_hash_table_contains (seen, key))
            continue;
          if (g_hash_table_contains (listed, key))
            g_error ("read %u listed inode %" G_GUINT64_FORMAT " but did not give it to PID %d, "
                     "which held it throughout",
                     i, inode, h->pid);
          c->skipped_by[i][h->proto]++;
          c->skipped++;
        }
    }
}

/* The skips of each read against the closes while it ran (see above). */
static void
check_skips_bounded (const Log *log, const Reads *r, Completeness *c)
{
  for (uint32_t i = 0; i < r->n_reads; i++)
    for (int p = CHURN_TCP; p <= CHURN_UDP; p++)
      {
        guint closes = 0;

        if (c->skipped_by[i][p] == 0)
          continue;
        for (guint j = 0; j < log->holds->len; j++)
          {
            const Hold *h = &g_array_index (log->holds, Hold, j);
            closes += h->proto == p && h->inner_b <= r->spans[i].t1 && h->outer_b >= r->spans[i].t0;
          }
        g_test_message ("read %u (%s) skipped %u %s socket(s) held throughout it; %u %s "
                        "socket(s) closed while it ran",
                        i, i % 4 == 3 ? "/proc" : "netlink", c->skipped_by[i][p],
                        p == CHURN_TCP ? "TCP" : "UDP", closes, p == CHURN_TCP ? "TCP" : "UDP");
        if (c->skipped_by[i][p] > closes)
          c->excess++;
      }
}

static void
cross_check (const Reads *r)
{
  Log log = { 0 };
  Seen seen = {
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
    g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free),
    g_hash_table_new (g_direct_hash, g_direct_equal),
  };
  Completeness *c = g_new0 (Completeness, 1);
  size_t checked;

  load_log (&log);
  {
    GHashTableIter it;
    gpointer key;
    guint below = 0;

    g_hash_table_iter_init (&it, log.by_inode);
    while (g_hash_table_iter_next (&it, &key, NULL))
      below += *(const uint64_t *) key < r->floor_taken;
    g_test_message ("%u of the churn's %u sockets have inode numbers below %" G_GUINT64_FORMAT
                    ", taken before the churn began (each CPU's own batch of numbers)",
                    below, log.holds->len, r->floor_taken);
  }
  g_assert_true (log.stats_seen);
  g_assert_cmpuint (log.bad_exits, ==, 0);
  g_assert_cmpuint (g_hash_table_size (log.live_by_pid), ==, 0);
  checked = check_attributions (&log, r, &seen);
  check_completeness (&log, r, seen.seen, c);
  check_skips_bounded (&log, r, c);
  g_test_message ("churn: %" G_GUINT64_FORMAT " forks, %" G_GUINT64_FORMAT
                  " socket children, %u sockets, %" G_GUINT64_FORMAT
                  " socket children on a reused PID; reads saw %u reused PIDs",
                  log.forks, log.socket_children, log.holds->len, log.reuses,
                  g_hash_table_size (seen.reused));
  g_test_message ("reads: %d (%zu via /proc/net, %zu with BPF allowed), %zu rows, %zu owner "
                  "links; %zu links to our children checked sound; %zu (read, socket held "
                  "throughout) pairs",
                  r->n_reads, r->procfs_reads, r->bpf_reads, r->rows_total, r->owned_total, checked,
                  c->required);
  g_test_message ("other programs' sockets newer than the test: %zu owner links checked to be "
                  "none of ours, %zu more not kept",
                  r->others_stored, r->others_skipped);
  g_test_message ("%zu of %zu (read, socket held throughout) pairs were skipped by the kernel's "
                  "table walk; %s",
                  c->skipped, c->required,
                  r->closes_known ? "in every read, per protocol, at most as many as closed "
                                    "while it ran"
                                  : "not bounded here: the machine's other programs close "
                                    "sockets unseen while we read");
  if (r->closes_known && c->excess > 0)
    g_error ("%zu (read, protocol) pairs skipped more sockets held throughout the read than "
             "closed while it ran: the reader lost rows the kernel gave it (see above)",
             c->excess);
  /* The churn really overlapped the reads. */
  g_assert_cmpuint (checked, >, 0);
  g_assert_cmpuint (c->required, >, 0);
  g_assert_cmpuint (log.socket_children, >, 50);
  g_free (c);
  g_hash_table_unref (seen.seen);
  g_hash_table_unref (seen.first_start);
  g_hash_table_unref (seen.reused);
  log_clear (&log);
}

static int
cmp_u64 (const void *a, const void *b)
{
  const uint64_t *x = a, *y = b;
  return (*x > *y) - (*x < *y);
}

/* How long one read of the whole table with owners takes here, before the
 * churn (the median of five), in microseconds. Under churn a socket often
 * closes between the dump and the owner scan, and then the scan reads every
 * process's fds looking for it: each read here includes an inode no
 * process holds, to time that worst case. */
static uint64_t
quiet_read_us (size_t *rows)
{
  uint64_t took[5];

  for (size_t i = 0; i < G_N_ELEMENTS (took); i++)
    {
      PtlSocketFilter f;
      PtlSocketTable t;
      PtlError err;
      uint64_t t0 = ptl_test_now_ns ();

      PtlSocket ghost = { .proto = PTL_PROTO_UDP, .family = PTL_FAMILY_IPV4, .uid = 0 };

      ghost.inode = UINT64_MAX - 1;
      ptl_socket_filter_init (&f);
      ptl_socket_table_init (&t);
      g_assert_cmpint (ptl_platform_read_sockets (&f, &t, &err), ==, 0);
      *rows = t.len;
      g_assert_nonnull (ptl_socket_table_append (&t, &ghost));
      g_assert_cmpint (ptl_platform_find_owners (&t, &err), ==, 0);
      took[i] = (ptl_test_now_ns () - t0) / 1000;
      ptl_socket_table_clear (&t);
    }
  qsort (took, G_N_ELEMENTS (took), sizeof took[0], cmp_u64);
  return took[G_N_ELEMENTS (took) / 2];
}

/* Reads the table while the churn runs (see N_READS), then checks; with
 * @closes_known (every socket is the churn's), that each read's skips are
 * bounded by its closes. */
static void
churn_and_read (unsigned hold_us, gboolean closes_known)
{
  Reads *r = g_new0 (Reads, 1);
  size_t fds_before;
  gint64 heap_warm = 0, heap_end;
  uint64_t started = ptl_test_now_ns ();
  gboolean bpf;
  int control;
  pid_t drv;

  r->attr = g_new (Attribution, MAX_ATTRIBUTIONS);
  r->listed = g_array_new (FALSE, FALSE, sizeof (Attribution));
  r->closes_known = closes_known;
  r->floor_taken = socket_inode_floor ();
  r->inode_floor = closes_known ? 0 : r->floor_taken;
  g_assert_cmpint (read_small ("/proc/self/comm", r->comm, sizeof r->comm), >, 0);
  event_fd = ptl_test_event_log_open ();
  drv = ptl_test_churn_start (event_fd, 20, hold_us, &control);
  fds_before = count_fds ();
  usleep (20000);
  bpf = bpf_works ();
  for (uint32_t k = 0;
       k < N_READS
       && (k < MIN_READS || ptl_test_now_ns () - started < READ_BUDGET_S * 1000000000ull);
       k++)
    {
      read_once (r, k, bpf);
      r->n_reads = k + 1;
      if (k + 1 == WARM_UP)
        heap_warm = heap_in_use () - r->book_bytes;
    }
  heap_end = heap_in_use () - r->book_bytes;
  g_assert_cmpuint (count_fds (), ==, fds_before);
  ptl_test_churn_stop (drv, control);
  g_test_message (
      "%u reads in %.1f s (up to %d, fewer once %d s have passed); heap in use (less our "
      "records) after %d reads %" G_GINT64_FORMAT " B, at the end %" G_GINT64_FORMAT " B",
      r->n_reads, (double) (ptl_test_now_ns () - started) / 1e9, N_READS, READ_BUDGET_S, WARM_UP,
      heap_warm, heap_end);
  /* Allocator noise (the user-name cache, stdio) is small and fixed. */
  g_assert_cmpint (heap_end, <=, heap_warm + 64 * 1024);
  cross_check (r);
  close (event_fd);
  g_free (r->attr);
  g_array_unref (r->listed);
  g_free (r);
}

/* Measures a read, then churns and reads. */
static void
measure_and_run (gboolean closes_known)
{
  size_t rows;
  uint64_t read_us = quiet_read_us (&rows);

  g_test_message ("the table: %zu sockets; a read with owners takes up to %.1f ms", rows,
                  (double) read_us / 1000);
  /* Children hold sockets for a few reads' time, so that some are held
   * throughout a read and the completeness check has something to check. */
  churn_and_read ((unsigned) MAX (10000, MIN (4 * read_us, 1000000)), closes_known);
}

static long
read_long (const char *path)
{
  g_autofree char *text = NULL;

  return g_file_get_contents (path, &text, NULL, NULL) ? atol (text) : -1;
}

/* A small pid_max makes PIDs wrap within seconds. Only where pid_max is
 * the namespace's own (Linux 6.14 and later): the namespace shows another
 * value than the machine (@host), which proves the write stays inside. */
static void
shrink_namespace_pid_max (long host)
{
  long mine = read_long ("/proc/sys/kernel/pid_max");
  int fd;

  if (mine == host || mine < 0)
    return;
  fd = open ("/proc/sys/kernel/pid_max", O_WRONLY | O_CLOEXEC);
  if (fd >= 0 && write (fd, "2000", 4) == 4)
    g_test_message ("pid_max in the namespace: %ld -> 2000 (the machine's stays %ld)", mine, host);
  if (fd >= 0)
    close (fd);
}

/* Exits 77 after saying why the namespaces cannot be made. */
static G_NORETURN void
no_namespaces (const char *what)
{
  g_test_message ("no namespaces of its own: %s: %s", what, g_strerror (errno));
  _exit (77);
}

/* In the child: new PID, mount and network namespaces with their own
 * /proc, where this process is PID 1: the table and the owner scan see only
 * the churn, and the machine's busy processes and sockets no longer count.
 * Exits 0, or 77 when it cannot.
 *
 * Only /proc is made private before the new proc is mounted on it (what
 * keeps that mount from reaching the machine's /proc): in a chroot "/" is
 * no mount point and cannot be. */
static G_NORETURN void
run_in_namespaces (void)
{
  long host_pid_max = read_long ("/proc/sys/kernel/pid_max");
  int status;
  pid_t init;

  if (unshare (CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET) != 0)
    no_namespaces ("unshare");
  if (mount (NULL, "/proc", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
    no_namespaces ("making /proc private");
  if (!ptl_test_loopback_up ())
    no_namespaces ("loopback up");
  if ((init = fork ()) < 0)
    no_namespaces ("fork");
  if (init == 0)
    {
      if (mount ("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0)
        no_namespaces ("mounting a proc of its own");
      shrink_namespace_pid_max (host_pid_max);
      measure_and_run (TRUE);
      _exit (0);
    }
  if (waitpid (init, &status, 0) != init)
    _exit (1);
  _exit (WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status));
}

/* As root, in namespaces of its own; where they cannot be made, or
 * without root, among the machine's programs. */
static void
test_churn (void)
{
  int status;
  pid_t child;

  if (geteuid () == 0)
    {
      fflush (stdout);
      child = fork ();
      g_assert_cmpint (child, >=, 0);
      if (child == 0)
        run_in_namespaces ();
      g_assert_cmpint (waitpid (child, &status, 0), ==, child);
      g_assert_true (WIFEXITED (status));
      if (WEXITSTATUS (status) != 77)
        {
          g_assert_cmpint (WEXITSTATUS (status), ==, 0);
          return;
        }
    }
  else
    g_test_message ("not root: no namespaces of its own");
  g_test_message ("running among the machine's programs");
  measure_and_run (FALSE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ptl/stress/churn", test_churn);
  return g_test_run ();
}
