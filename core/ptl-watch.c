/* ptl-watch.c: socket events from successive tables. */
#include "ptl-watch.h"

#include <stdlib.h>
#include <string.h>

void
ptl_watch_init (PtlWatch *watch)
{
  memset (watch, 0, sizeof *watch);
  ptl_socket_table_init (&watch->table);
  ptl_snapshot_diff_init (&watch->diff);
}

void
ptl_watch_clear (PtlWatch *watch)
{
  ptl_socket_table_clear (&watch->table);
  ptl_snapshot_diff_clear (&watch->diff);
  ptl_watch_init (watch);
}

const PtlSocketTable *
ptl_watch_current (const PtlWatch *watch)
{
  return &watch->table;
}

static void
emit (PtlWatchFunc func, void *data, PtlWatchKind kind, const PtlSocketTable *t, const PtlSocket *s)
{
  PtlWatchEvent ev = { .kind = kind, .table = t, .sock = s };

  func (&ev, data);
}

static unsigned
changes_of (const PtlSocketTable *ta, const PtlSocket *a, const PtlSocketTable *tb,
            const PtlSocket *b)
{
  unsigned m = 0;

  if (a->state != b->state)
    m |= PTL_WATCH_STATE;
  if (a->uid != b->uid || strcmp (a->user, b->user) != 0)
    m |= PTL_WATCH_USER;
  if (!ptl_snapshot_same_owners (ta, a, tb, b)
      || (a->owner_note != b->owner_note
          && (a->owner_note == NULL || b->owner_note == NULL
              || strcmp (a->owner_note, b->owner_note) != 0)))
    m |= PTL_WATCH_OWNERS;
  return m;
}

static void
emit_run (const PtlWatch *w, const PtlSocketTable *nt, const PtlSnapshotRun *r, PtlWatchFunc func,
          void *data)
{
  for (size_t k = 0; k < r->len; k++)
    {
      PtlWatchEvent ev = { .kind = PTL_WATCH_CHANGED, .table = nt, .old_table = &w->table };

      if (r->op == PTL_SNAPSHOT_ADDED)
        emit (func, data, PTL_WATCH_ADDED, nt, &nt->rows[r->new_pos + k]);
      else if (r->op == PTL_SNAPSHOT_REMOVED)
        emit (func, data, PTL_WATCH_REMOVED, &w->table, &w->table.rows[r->old_pos + k]);
      else
        {
          ev.old = &w->table.rows[r->old_pos + k];
          ev.sock = &nt->rows[r->new_pos + k];
          ev.changes = changes_of (&w->table, ev.old, nt, ev.sock);
          func (&ev, data);
        }
    }
}

int
ptl_watch_update (PtlWatch *watch, PtlSocketTable *fresh, PtlWatchFunc func, void *data)
{
  ptl_snapshot_sort (fresh);
  if (!watch->started)
    {
      for (size_t i = 0; i < fresh->len; i++)
        {
          PtlWatchEvent ev = { .kind = PTL_WATCH_ADDED, .initial = true, .table = fresh };

          ev.sock = &fresh->rows[i];
          func (&ev, data);
        }
      watch->started = true;
    }
  else
    {
      if (ptl_snapshot_diff (&watch->table, fresh, &watch->diff) < 0)
        return PTL_ENOMEM;
      for (size_t i = 0; i < watch->diff.n_runs; i++)
        emit_run (watch, fresh, &watch->diff.runs[i], func, data);
    }
  ptl_socket_table_clear (&watch->table);
  watch->table = *fresh;
  ptl_socket_table_init (fresh);
  return 0;
}

/* The first row of the current table with @c's endpoints, or table->len. */
static size_t
first_with_endpoints (const PtlSocketTable *t, const PtlSocket *c)
{
  size_t lo = 0, hi = t->len;

  while (lo < hi)
    {
      size_t mid = lo + (hi - lo) / 2;

      if (ptl_socket_cmp_endpoints (&t->rows[mid], c) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* The row @c names, or (size_t) -1: the one with its cookie among the rows
 * with its endpoints, or the only row with them when cookies are unknown. */
static size_t
match_closed (const PtlSocketTable *t, const PtlSocket *c, const bool *gone)
{
  size_t i = first_with_endpoints (t, c), found = (size_t) -1, n = 0;

  for (; i < t->len && ptl_socket_cmp_endpoints (&t->rows[i], c) == 0; i++)
    {
      if (gone[i])
        continue;
      if (c->cookie != 0 && t->rows[i].cookie == c->cookie)
        return i;
      if (c->cookie == 0 || t->rows[i].cookie == 0)
        found = i, n++;
    }
  return n == 1 ? found : (size_t) -1;
}

static void
drop_rows (PtlSocketTable *t, const bool *gone)
{
  size_t j = 0;

  /* Owner links are indices into the link array, not into the rows, so
   * the rows can move. */
  for (size_t i = 0; i < t->len; i++)
    if (!gone[i])
      t->rows[j++] = t->rows[i];
  t->len = j;
}

size_t
ptl_watch_closed (PtlWatch *watch, const PtlSocketTable *closed, PtlWatchFunc func, void *data)
{
  PtlSocketTable *t = &watch->table;
  size_t n = 0;
  bool *gone;

  if (!watch->started || closed->len == 0 || t->len == 0)
    return 0;
  if ((gone = calloc (t->len, sizeof *gone)) == NULL)
    return 0; /* the next poll reports them */
  for (size_t k = 0; k < closed->len; k++)
    {
      size_t i = match_closed (t, &closed->rows[k], gone);
      PtlWatchEvent ev = { .kind = PTL_WATCH_REMOVED, .notified = true, .table = t };

      if (i == (size_t) -1)
        continue;
      gone[i] = true;
      ev.sock = &t->rows[i];
      func (&ev, data);
      n++;
    }
  if (n > 0)
    drop_rows (t, gone);
  free (gone);
  return n;
}

enum
{
  ALIVE_UNKNOWN,
  ALIVE_YES,
  ALIVE_NO,
};

typedef struct
{
  const PtlSocketTable *old;
  PtlSocketTable *fresh;
  unsigned char *alive; /* per process of the old table */
  size_t *map;          /* old process index -> fresh process index + 1; 0: not yet */
  PtlWatchAliveFunc alive_fn;
  void *data;
} Carry;

static bool
owners_alive (Carry *c, const PtlSocket *o)
{
  for (size_t i = 0; i < o->n_owners; i++)
    {
      size_t p = c->old->owner_links[o->owners_first + i];

      if (c->alive[p] == ALIVE_UNKNOWN)
        c->alive[p] = c->alive_fn (&c->old->procs[p], c->data) ? ALIVE_YES : ALIVE_NO;
      if (c->alive[p] == ALIVE_NO)
        return false;
    }
  return true;
}

/* Copies @o's owners onto row @row of the fresh table. */
static int
carry_row (Carry *c, const PtlSocket *o, size_t row)
{
  size_t procs[64], n = 0;

  if (o->n_owners == 0)
    {
      c->fresh->rows[row].owner_note = o->owner_note;
      return 0;
    }
  for (size_t i = 0; i < o->n_owners && n < 64; i++)
    {
      size_t p = c->old->owner_links[o->owners_first + i];
      const PtlProcess *pr = &c->old->procs[p];

      if (c->map[p] == 0)
        {
          size_t idx = ptl_socket_table_add_process (c->fresh, pr->pid, pr->start_time, pr->uid,
                                                     pr->user, pr->name, pr->path, pr->cmdline);
          if (idx == (size_t) -1)
            return PTL_ENOMEM;
          c->map[p] = idx + 1;
        }
      procs[n++] = c->map[p] - 1;
    }
  return ptl_socket_table_set_owners (c->fresh, row, procs, n);
}

static bool
wants_carry (const PtlSocket *f, const PtlSocket *o)
{
  return f->n_owners == 0 && f->owner_note == NULL && (o->n_owners > 0 || o->owner_note != NULL);
}

static long
carry_walk (Carry *c)
{
  size_t i = 0, j = 0;
  long n = 0;

  while (i < c->old->len && j < c->fresh->len)
    {
      const PtlSocket *o = &c->old->rows[i];
      int cmp = ptl_snapshot_key_cmp (o, &c->fresh->rows[j]);

      if (cmp < 0 || cmp > 0)
        {
          i += cmp<0, j += cmp> 0;
          continue;
        }
      if (wants_carry (&c->fresh->rows[j], o) && owners_alive (c, o))
        {
          if (carry_row (c, o, j) < 0)
            return PTL_ENOMEM;
          n++;
        }
      i++, j++;
    }
  return n;
}

long
ptl_watch_carry_owners (const PtlWatch *watch, PtlSocketTable *fresh, PtlWatchAliveFunc alive,
                        void *data)
{
  Carry c = { .old = &watch->table, .fresh = fresh, .alive_fn = alive, .data = data };
  size_t np = watch->table.n_procs;
  long n;

  if (!watch->started || watch->table.len == 0)
    return 0;
  ptl_snapshot_sort (fresh);
  c.alive = calloc (np ? np : 1, 1);
  c.map = calloc (np ? np : 1, sizeof *c.map);
  if (c.alive == NULL || c.map == NULL)
    {
      free (c.alive), free (c.map);
      return PTL_ENOMEM;
    }
  n = carry_walk (&c);
  free (c.alive);
  free (c.map);
  return n;
}
