/* ptl-snapshot.c: comparing two socket tables in one merge walk. */
#include "ptl-snapshot.h"

#include <stdlib.h>
#include <string.h>

int
ptl_snapshot_key_cmp (const PtlSocket *a, const PtlSocket *b)
{
  int c = ptl_socket_cmp_endpoints (a, b);

  if (c != 0)
    return c;
  return (a->inode > b->inode) - (a->inode < b->inode);
}

static int
cmp_rows (const void *a, const void *b)
{
  return ptl_snapshot_key_cmp (a, b);
}

void
ptl_snapshot_sort (PtlSocketTable *table)
{
  if (table->len > 1 && !ptl_snapshot_is_sorted (table))
    qsort (table->rows, table->len, sizeof table->rows[0], cmp_rows);
}

bool
ptl_snapshot_is_sorted (const PtlSocketTable *table)
{
  for (size_t i = 1; i < table->len; i++)
    if (ptl_snapshot_key_cmp (&table->rows[i - 1], &table->rows[i]) > 0)
      return false;
  return true;
}

static bool
same_note (const char *a, const char *b)
{
  if (a == b)
    return true;
  return a != NULL && b != NULL && strcmp (a, b) == 0;
}

bool
ptl_snapshot_same_owners (const PtlSocketTable *ta, const PtlSocket *a, const PtlSocketTable *tb,
                          const PtlSocket *b)
{
  if (a->n_owners != b->n_owners)
    return false;
  for (size_t i = 0; i < a->n_owners; i++)
    {
      const PtlProcess *pa = ptl_socket_owner (ta, a, i);
      const PtlProcess *pb = ptl_socket_owner (tb, b, i);

      if (pa->pid != pb->pid || pa->start_time != pb->start_time)
        return false;
      if (strcmp (pa->name, pb->name) != 0)
        return false;
    }
  return true;
}

bool
ptl_snapshot_row_changed (const PtlSocketTable *ta, const PtlSocket *a, const PtlSocketTable *tb,
                          const PtlSocket *b)
{
  if (a->state != b->state || a->uid != b->uid)
    return true;
  if (strcmp (a->user, b->user) != 0 || !same_note (a->owner_note, b->owner_note))
    return true;
  return !ptl_snapshot_same_owners (ta, a, tb, b);
}

void
ptl_snapshot_diff_init (PtlSnapshotDiff *diff)
{
  memset (diff, 0, sizeof *diff);
}

void
ptl_snapshot_diff_clear (PtlSnapshotDiff *diff)
{
  free (diff->runs);
  ptl_snapshot_diff_init (diff);
}

/* Whether a row at (@old_pos, @new_pos) extends @last. */
static bool
continues (const PtlSnapshotRun *last, PtlSnapshotOp op, size_t old_pos, size_t new_pos)
{
  size_t old_end = last->old_pos, new_end = last->new_pos;

  if (last->op != op)
    return false;
  /* Added rows advance only the new table, removed ones only the old. */
  if (op != PTL_SNAPSHOT_ADDED)
    old_end += last->len;
  if (op != PTL_SNAPSHOT_REMOVED)
    new_end += last->len;
  return old_end == old_pos && new_end == new_pos;
}

/* Extends the last run when the row continues it, or starts a new run. */
static int
add_run (PtlSnapshotDiff *diff, PtlSnapshotOp op, size_t old_pos, size_t new_pos)
{
  PtlSnapshotRun *last = diff->n_runs ? &diff->runs[diff->n_runs - 1] : NULL;

  if (last != NULL && continues (last, op, old_pos, new_pos))
    {
      last->len++;
      return 0;
    }
  if (diff->n_runs == diff->cap_runs)
    {
      size_t want = diff->cap_runs ? diff->cap_runs * 2 : 64;
      PtlSnapshotRun *p = realloc (diff->runs, want * sizeof *p);

      if (p == NULL)
        return PTL_ENOMEM;
      diff->runs = p;
      diff->cap_runs = want;
    }
  diff->runs[diff->n_runs++] = (PtlSnapshotRun){ op, old_pos, new_pos, 1 };
  return 0;
}

/* One step of the walk: which side advances, and what it means. */
static int
step (const PtlSocketTable *old, const PtlSocketTable *nt, size_t *i, size_t *j,
      PtlSnapshotDiff *diff)
{
  int c;

  if (*i == old->len)
    c = 1;
  else if (*j == nt->len)
    c = -1;
  else
    c = ptl_snapshot_key_cmp (&old->rows[*i], &nt->rows[*j]);
  if (c < 0)
    {
      diff->n_removed++;
      return add_run (diff, PTL_SNAPSHOT_REMOVED, (*i)++, *j);
    }
  if (c > 0)
    {
      diff->n_added++;
      return add_run (diff, PTL_SNAPSHOT_ADDED, *i, (*j)++);
    }
  if (ptl_snapshot_row_changed (old, &old->rows[*i], nt, &nt->rows[*j]))
    {
      diff->n_changed++;
      if (add_run (diff, PTL_SNAPSHOT_CHANGED, *i, *j) < 0)
        return PTL_ENOMEM;
    }
  (*i)++, (*j)++;
  return 0;
}

int
ptl_snapshot_diff (const PtlSocketTable *old, const PtlSocketTable *new_table,
                   PtlSnapshotDiff *diff)
{
  size_t i = 0, j = 0;

  diff->n_runs = 0;
  diff->n_added = diff->n_removed = diff->n_changed = 0;
  while (i < old->len || j < new_table->len)
    if (step (old, new_table, &i, &j, diff) < 0)
      return PTL_ENOMEM;
  return 0;
}
