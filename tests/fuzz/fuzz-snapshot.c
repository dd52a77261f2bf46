/* fuzz-snapshot.c: libFuzzer target for the snapshot diff behind the GUI's
 * live Connections view (core/ptl-snapshot.c). The bytes build an old
 * table from a small key space (so keys collide and repeat), then a new
 * one that drops, keeps or changes each old row and adds rows of its own.
 * Both are sorted as the view sorts them and diffed; then the runs are
 * replayed:
 * - runs come in table order, inside both tables, and each starts where
 *   the replay stands (unchanged rows between runs pair up one to one);
 * - every old row is kept (unchanged or changed) or removed, every new row
 *   kept or added, each exactly once; the counts add up;
 * - a kept pair has the same key, and is a CHANGED run exactly when
 *   ptl_snapshot_row_changed says so;
 * - with keys unique on both sides, nothing is removed that the new table
 *   still has, and nothing added that the old one had;
 * - a table diffed against itself has no runs, with the arrays reused.
 * The watch built on it (core/ptl-watch.c) gets the same tables:
 * - its first update reports every row as an initial added event;
 * - closes named by the bytes remove at most one row each, and only rows
 *   with the closed socket's endpoints;
 * - owners carried into a copy of the new table without owners are, row
 *   for row, the owners of the same socket in the old table;
 * - the next update's added minus removed events is the change in rows.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz-util.h"
#include "ptl-snapshot.h"
#include "ptl-watch.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char *const addresses[] = { "127.0.0.1", "0.0.0.0", "::1", "::", "10.0.0.2" };
static const char *const users[] = { "root", "nobody", "" };

static void
add_processes (PtlSocketTable *t)
{
  static const char *const names[] = { "sshd", "nginx", "portolan" };

  for (size_t i = 0; i < 3; i++)
    if (ptl_socket_table_add_process (t, (long) i + 100, 1, 0, "root", names[i], "", "")
        == (size_t) -1)
      abort ();
}

/* A row's looks: state, user, owners; its key is left alone. */
static void
set_looks (PtlFuzzInput *in, PtlSocketTable *t, size_t row)
{
  PtlSocket *s = &t->rows[row];
  uint8_t b = ptl_fuzz_byte (in);
  size_t owners[2], n = (b >> 6) % 3;

  s->state = (PtlState) (b % PTL_N_STATES);
  strcpy (s->user, users[(b >> 4) % 3]);
  for (size_t i = 0; i < n; i++)
    owners[i] = ptl_fuzz_byte (in) % t->n_procs;
  if (n > 0 && ptl_socket_table_set_owners (t, row, owners, n) < 0)
    abort ();
}

static void
add_row (PtlFuzzInput *in, PtlSocketTable *t)
{
  uint8_t k = ptl_fuzz_byte (in), p = ptl_fuzz_byte (in);
  PtlSocket s;

  memset (&s, 0, sizeof s);
  s.proto = k & 1 ? PTL_PROTO_UDP : PTL_PROTO_TCP;
  s.family = k & 2 ? PTL_FAMILY_IPV6 : PTL_FAMILY_IPV4;
  strcpy (s.local_address, addresses[(k >> 2) % 5]);
  strcpy (s.remote_address, addresses[(k >> 5) % 5]);
  s.local_port = p % 8 + 20;
  s.remote_port = p >> 5;
  s.inode = (k >> 7) + (p >> 3 & 1);
  s.uid = -1;
  if (ptl_socket_table_append (t, &s) == NULL)
    abort ();
  set_looks (in, t, t->len - 1);
}

/* Copies row @row of @from (key, looks, owners by index) into @to. */
static void
copy_row (const PtlSocketTable *from, size_t row, PtlSocketTable *to)
{
  const PtlSocket *s = &from->rows[row];
  PtlSocket copy = *s;

  copy.owners_first = copy.n_owners = 0;
  if (ptl_socket_table_append (to, &copy) == NULL)
    abort ();
  if (s->n_owners > 0
      && ptl_socket_table_set_owners (to, to->len - 1, &from->owner_links[s->owners_first],
                                      s->n_owners)
             < 0)
    abort ();
}

static void
build_tables (PtlFuzzInput *in, PtlSocketTable *old, PtlSocketTable *nt)
{
  size_t n_old = ptl_fuzz_byte (in) % 48, n_new;

  add_processes (old);
  add_processes (nt);
  for (size_t i = 0; i < n_old; i++)
    add_row (in, old);
  for (size_t i = 0; i < old->len; i++)
    {
      uint8_t fate = ptl_fuzz_byte (in) % 4; /* 0 drop, 1 keep, 2-3 keep with new looks */

      if (fate == 0)
        continue;
      copy_row (old, i, nt);
      if (fate >= 2)
        set_looks (in, nt, nt->len - 1);
    }
  n_new = ptl_fuzz_byte (in) % 16;
  for (size_t i = 0; i < n_new; i++)
    add_row (in, nt);
  ptl_snapshot_sort (old);
  ptl_snapshot_sort (nt);
  PTL_FUZZ_CHECK (ptl_snapshot_is_sorted (old) && ptl_snapshot_is_sorted (nt));
}

static bool
keys_unique (const PtlSocketTable *t)
{
  for (size_t i = 1; i < t->len; i++)
    if (ptl_snapshot_key_cmp (&t->rows[i - 1], &t->rows[i]) == 0)
      return false;
  return true;
}

static bool
has_key (const PtlSocketTable *t, const PtlSocket *s)
{
  for (size_t i = 0; i < t->len; i++)
    if (ptl_snapshot_key_cmp (&t->rows[i], s) == 0)
      return true;
  return false;
}

/* A kept pair: same key, and "changed" exactly when the run says so. */
static void
check_pair (const PtlSocketTable *old, size_t o, const PtlSocketTable *nt, size_t n, bool changed)
{
  PTL_FUZZ_CHECK (ptl_snapshot_key_cmp (&old->rows[o], &nt->rows[n]) == 0);
  PTL_FUZZ_CHECK (ptl_snapshot_row_changed (old, &old->rows[o], nt, &nt->rows[n]) == changed);
}

/* Unchanged rows up to old row @until. */
static void
replay_gap (const PtlSocketTable *old, const PtlSocketTable *nt, size_t until, size_t *o, size_t *n)
{
  PTL_FUZZ_CHECK (until >= *o && until <= old->len && *n + (until - *o) <= nt->len);
  while (*o < until)
    check_pair (old, (*o)++, nt, (*n)++, false);
}

static void
replay (const PtlSocketTable *old, const PtlSocketTable *nt, const PtlSnapshotDiff *d)
{
  size_t o = 0, n = 0, added = 0, removed = 0, changed = 0;
  bool unique = keys_unique (old) && keys_unique (nt);

  for (size_t r = 0; r < d->n_runs; r++)
    {
      const PtlSnapshotRun *run = &d->runs[r];

      PTL_FUZZ_CHECK (run->len > 0);
      replay_gap (old, nt, run->old_pos, &o, &n);
      PTL_FUZZ_CHECK (run->new_pos == n);
      for (size_t k = 0; k < run->len; k++)
        if (run->op == PTL_SNAPSHOT_ADDED)
          {
            PTL_FUZZ_CHECK (n < nt->len);
            PTL_FUZZ_CHECK (!unique || !has_key (old, &nt->rows[n]));
            n++, added++;
          }
        else if (run->op == PTL_SNAPSHOT_REMOVED)
          {
            PTL_FUZZ_CHECK (o < old->len);
            PTL_FUZZ_CHECK (!unique || !has_key (nt, &old->rows[o]));
            o++, removed++;
          }
        else
          {
            PTL_FUZZ_CHECK (run->op == PTL_SNAPSHOT_CHANGED && o < old->len && n < nt->len);
            check_pair (old, o++, nt, n++, true);
            changed++;
          }
    }
  replay_gap (old, nt, old->len, &o, &n);
  PTL_FUZZ_CHECK (o == old->len && n == nt->len);
  PTL_FUZZ_CHECK (added == d->n_added && removed == d->n_removed && changed == d->n_changed);
}

typedef struct
{
  size_t added, removed, changed, initial;
  const PtlSocket *closed; /* the close being reported, or NULL */
} Count;

static void
count_event (const PtlWatchEvent *ev, void *data)
{
  Count *c = data;

  c->added += ev->kind == PTL_WATCH_ADDED;
  c->removed += ev->kind == PTL_WATCH_REMOVED;
  c->changed += ev->kind == PTL_WATCH_CHANGED;
  c->initial += ev->initial;
  PTL_FUZZ_CHECK (ev->kind != PTL_WATCH_CHANGED || (ev->old != NULL && ev->changes != 0));
  PTL_FUZZ_CHECK (c->closed == NULL || ptl_socket_cmp_endpoints (ev->sock, c->closed) == 0);
}

static bool
all_alive (const PtlProcess *p, void *data)
{
  (void) data;
  return p->pid != 101; /* nginx "exited": its sockets are searched again */
}

/* A copy of @t's rows without owners, as a poll reads them. */
static void
bare_copy (const PtlSocketTable *t, PtlSocketTable *out)
{
  ptl_socket_table_init (out);
  for (size_t i = 0; i < t->len; i++)
    {
      PtlSocket s = t->rows[i];

      s.owners_first = s.n_owners = 0;
      s.owner_note = NULL;
      if (ptl_socket_table_append (out, &s) == NULL)
        abort ();
    }
}

static void
check_carry (const PtlWatch *w, const PtlSocketTable *nt)
{
  const PtlSocketTable *cur = ptl_watch_current (w);
  PtlSocketTable fresh;
  long n;

  bare_copy (nt, &fresh);
  n = ptl_watch_carry_owners (w, &fresh, all_alive, NULL);
  PTL_FUZZ_CHECK (n >= 0 && (size_t) n <= fresh.len);
  /* The same pairing as the carry: equal keys in order, one to one. */
  for (size_t i = 0, j = 0; i < fresh.len;)
    {
      int c = j < cur->len ? ptl_snapshot_key_cmp (&cur->rows[j], &fresh.rows[i]) : 1;

      if (c < 0)
        j++;
      else if (c > 0)
        PTL_FUZZ_CHECK (fresh.rows[i++].n_owners == 0);
      else
        {
          PTL_FUZZ_CHECK (fresh.rows[i].n_owners == 0
                          || ptl_snapshot_same_owners (cur, &cur->rows[j], &fresh, &fresh.rows[i]));
          i++, j++;
        }
    }
  ptl_socket_table_clear (&fresh);
}

static void
check_watch (PtlFuzzInput *in, const PtlSocketTable *old, const PtlSocketTable *nt)
{
  PtlSocketTable first, closed, next;
  PtlWatch w;
  Count c = { 0 };
  size_t before;

  ptl_watch_init (&w);
  bare_copy (old, &first);
  add_processes (&first); /* the same three, at the same indices */
  for (size_t i = 0; i < old->len; i++)
    if (old->rows[i].n_owners > 0
        && ptl_socket_table_set_owners (&first, i, &old->owner_links[old->rows[i].owners_first],
                                        old->rows[i].n_owners)
               < 0)
      abort ();
  PTL_FUZZ_CHECK (ptl_watch_update (&w, &first, count_event, &c) == 0);
  PTL_FUZZ_CHECK (c.added == old->len && c.initial == old->len && c.removed + c.changed == 0);
  for (size_t i = 0; i < old->len; i++)
    {
      Count one = { 0 };

      if (ptl_fuzz_byte (in) % 4 != 0)
        continue;
      bare_copy (old, &closed);
      closed.rows[0] = old->rows[i];
      closed.len = 1;
      one.closed = &closed.rows[0];
      before = ptl_watch_current (&w)->len;
      PTL_FUZZ_CHECK (ptl_watch_closed (&w, &closed, count_event, &one) == one.removed);
      PTL_FUZZ_CHECK (one.removed <= 1 && one.added + one.changed == 0);
      PTL_FUZZ_CHECK (ptl_watch_current (&w)->len == before - one.removed);
      PTL_FUZZ_CHECK (ptl_snapshot_is_sorted (ptl_watch_current (&w)));
      ptl_socket_table_clear (&closed);
    }
  check_carry (&w, nt);
  before = ptl_watch_current (&w)->len;
  bare_copy (nt, &next);
  memset (&c, 0, sizeof c);
  PTL_FUZZ_CHECK (ptl_watch_update (&w, &next, count_event, &c) == 0);
  PTL_FUZZ_CHECK (c.initial == 0 && before + c.added - c.removed == nt->len);
  ptl_socket_table_clear (&next);
  ptl_watch_clear (&w);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  PtlFuzzInput in = { data, size };
  PtlSocketTable old, nt;
  PtlSnapshotDiff d;

  ptl_socket_table_init (&old);
  ptl_socket_table_init (&nt);
  ptl_snapshot_diff_init (&d);
  build_tables (&in, &old, &nt);
  PTL_FUZZ_CHECK (ptl_snapshot_diff (&old, &nt, &d) == 0);
  replay (&old, &nt, &d);
  /* The same diff again, its arrays reused: against itself, nothing. */
  PTL_FUZZ_CHECK (ptl_snapshot_diff (&nt, &nt, &d) == 0);
  PTL_FUZZ_CHECK (d.n_runs == 0 && d.n_added + d.n_removed + d.n_changed == 0);
  PTL_FUZZ_CHECK (ptl_snapshot_diff (&nt, &old, &d) == 0);
  replay (&nt, &old, &d);
  check_watch (&in, &old, &nt);
  ptl_snapshot_diff_clear (&d);
  ptl_socket_table_clear (&old);
  ptl_socket_table_clear (&nt);
  return 0;
}
