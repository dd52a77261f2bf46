/* portolan-socket-model.c: the Connections view's rows, kept across
 * refreshes. Each snapshot is compared with the previous one in core
 * (ptl-snapshot.c); the model then walks the runs once: changed rows update
 * in place (property notifications only), added rows go in with one
 * items-changed per contiguous range, and removed rows stay, marked, until
 * their mark expires.
 *
 * The rows are in key order (ptl_snapshot_key_cmp): the rows of the last
 * snapshot merged with the removed rows still on show ("lingering"). Keys
 * are unique across both, since a lingering row whose socket comes back is
 * revived rather than shown twice. So the position of old row i is i plus
 * the lingering rows before it plus the rows inserted so far.
 */
#include "portolan-socket-model.h"

#include <string.h>

#include "ptl-snapshot.h"

#define DEFAULT_MARK_TIMEOUT_MS 3000

typedef struct
{
  PortolanSocketRow *row; /* lingering: borrowed from items; fresh: a reference */
  gint64 expires;         /* monotonic µs */
  gboolean revived;       /* lingering only: its socket came back */
} Marked;

struct _PortolanSocketModel
{
  GObject parent_instance;

  /* What the model shows. */
  GPtrArray *items;
  PortolanTable *snapshot;
  GArray *lingering; /* Marked, in key order */
  GArray *fresh;     /* Marked, by expiry */
  guint mark_timeout_ms;
  guint expire_id;
  guint max_ranges; /* 0: one items-changed per range, however many */

  /* Scratch space reused by every apply. */
  PtlSnapshotDiff diff;
  GPtrArray *pending;
  GArray *removed_now;
};

typedef struct
{
  PortolanSocketModel *self;
  const PtlSocketTable *old, *nt;
  guint ling;     /* lingering rows passed */
  guint inserted; /* rows inserted so far */
  guint group_pos;
  gint64 expires;
  gboolean spanning; /* one items-changed at the end, over span_first..span_end */
  guint span_first, span_end;
} Walk;

static GType
model_get_item_type (GListModel *list)
{
  (void) list;
  return PORTOLAN_TYPE_SOCKET_ROW;
}

static guint
model_get_n_items (GListModel *list)
{
  return PORTOLAN_SOCKET_MODEL (list)->items->len;
}

static gpointer
model_get_item (GListModel *list, guint position)
{
  PortolanSocketModel *self = PORTOLAN_SOCKET_MODEL (list);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
portolan_socket_model_list_init (GListModelInterface *iface)
{
  iface->get_item_type = model_get_item_type;
  iface->get_n_items = model_get_n_items;
  iface->get_item = model_get_item;
}

enum
{
  APPLIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE_WITH_CODE (PortolanSocketModel, portolan_socket_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      portolan_socket_model_list_init))

static void
clear_fresh (GArray *fresh)
{
  for (guint i = 0; i < fresh->len; i++)
    g_object_unref (g_array_index (fresh, Marked, i).row);
  g_array_set_size (fresh, 0);
}

static void
portolan_socket_model_dispose (GObject *object)
{
  PortolanSocketModel *self = PORTOLAN_SOCKET_MODEL (object);

  g_clear_handle_id (&self->expire_id, g_source_remove);
  clear_fresh (self->fresh);
  g_array_set_size (self->lingering, 0);
  g_ptr_array_set_size (self->items, 0);
  G_OBJECT_CLASS (portolan_socket_model_parent_class)->dispose (object);
}

static void
portolan_socket_model_finalize (GObject *object)
{
  PortolanSocketModel *self = PORTOLAN_SOCKET_MODEL (object);

  g_ptr_array_unref (self->items);
  g_ptr_array_unref (self->pending);
  g_array_unref (self->lingering);
  g_array_unref (self->fresh);
  g_array_unref (self->removed_now);
  g_clear_pointer (&self->snapshot, portolan_table_free);
  ptl_snapshot_diff_clear (&self->diff);
  G_OBJECT_CLASS (portolan_socket_model_parent_class)->finalize (object);
}

static void
portolan_socket_model_class_init (PortolanSocketModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = portolan_socket_model_dispose;
  object_class->finalize = portolan_socket_model_finalize;
  signals[APPLIED] = g_signal_new ("applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 0);
}

static void
portolan_socket_model_init (PortolanSocketModel *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->pending = g_ptr_array_new ();
  self->lingering = g_array_new (FALSE, FALSE, sizeof (Marked));
  self->fresh = g_array_new (FALSE, FALSE, sizeof (Marked));
  self->removed_now = g_array_new (FALSE, FALSE, sizeof (Marked));
  self->mark_timeout_ms = DEFAULT_MARK_TIMEOUT_MS;
  ptl_snapshot_diff_init (&self->diff);
}

PortolanSocketModel *
portolan_socket_model_new (void)
{
  return g_object_new (PORTOLAN_TYPE_SOCKET_MODEL, NULL);
}

void
portolan_socket_model_set_mark_timeout (PortolanSocketModel *self, guint ms)
{
  g_return_if_fail (PORTOLAN_IS_SOCKET_MODEL (self));
  self->mark_timeout_ms = ms;
}

void
portolan_socket_model_set_max_ranges (PortolanSocketModel *self, guint max_ranges)
{
  g_return_if_fail (PORTOLAN_IS_SOCKET_MODEL (self));
  self->max_ranges = max_ranges;
}

const PtlSocketTable *
portolan_socket_model_get_table (PortolanSocketModel *self)
{
  g_return_val_if_fail (PORTOLAN_IS_SOCKET_MODEL (self), NULL);
  return self->snapshot ? &self->snapshot->table : NULL;
}

PortolanTable *
portolan_socket_model_get_snapshot (PortolanSocketModel *self)
{
  g_return_val_if_fail (PORTOLAN_IS_SOCKET_MODEL (self), NULL);
  return self->snapshot;
}

static inline const PtlSocket *
row_key (PortolanSocketRow *row)
{
  return portolan_socket_row_get_socket (row);
}

static inline Marked *
lingering_at (PortolanSocketModel *self, guint i)
{
  return &g_array_index (self->lingering, Marked, i);
}

/* Puts @n rows (references taken over) at @pos with one memmove. */
static void
items_insert (PortolanSocketModel *self, guint pos, gpointer *rows, guint n)
{
  guint old_len = self->items->len;

  g_ptr_array_set_size (self->items, old_len + n);
  memmove (&self->items->pdata[pos + n], &self->items->pdata[pos],
           (old_len - pos) * sizeof (gpointer));
  memcpy (&self->items->pdata[pos], rows, n * sizeof (gpointer));
}

/* ---- expiry of the marks --------------------------------------------------- */

static void schedule_expiry (PortolanSocketModel *self);

static void
expire_fresh (PortolanSocketModel *self, gint64 now)
{
  guint n = 0;

  while (n < self->fresh->len && g_array_index (self->fresh, Marked, n).expires <= now)
    {
      PortolanSocketRow *row = g_array_index (self->fresh, Marked, n).row;

      if (portolan_socket_row_get_mark (row) == PORTOLAN_ROW_NEW)
        portolan_socket_row_set_mark (row, PORTOLAN_ROW_STEADY);
      g_object_unref (row);
      n++;
    }
  if (n > 0)
    g_array_remove_range (self->fresh, 0, n);
}

/* How many rows of the snapshot sort before @key or equal it: a lingering
 * row follows the snapshot's rows with the same key (a socket listed twice
 * that lost one listing), as the walk placed it. */
static guint
snapshot_upper_bound (PortolanSocketModel *self, const PtlSocket *key)
{
  const PtlSocketTable *t = &self->snapshot->table;
  size_t lo = 0, hi = t->len;

  while (lo < hi)
    {
      size_t mid = lo + (hi - lo) / 2;

      if (ptl_snapshot_key_cmp (&t->rows[mid], key) <= 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return (guint) lo;
}

/* Removes items [start, end); announces it unless the caller spans. */
static void
items_drop (PortolanSocketModel *self, guint start, guint end, gboolean announce)
{
  if (end == start)
    return;
  g_ptr_array_remove_range (self->items, start, end - start);
  if (announce)
    g_list_model_items_changed (G_LIST_MODEL (self), start, end - start, 0);
}

/* How many separate ranges the expired lingering rows form. */
static guint
count_expired_ranges (PortolanSocketModel *self, gint64 now)
{
  guint ranges = 0, last = G_MAXUINT;

  for (guint i = 0; i < self->lingering->len; i++)
    {
      Marked *m = lingering_at (self, i);
      guint pos;

      if (m->expires > now)
        continue;
      pos = i + snapshot_upper_bound (self, row_key (m->row));
      ranges += last == G_MAXUINT || pos != last + 1;
      last = pos;
    }
  return ranges;
}

/* Drops the expired lingering rows from the back, one items-changed per
 * contiguous range (or one over them all past max_ranges), so the
 * positions still to handle stay valid. */
static void
expire_lingering (PortolanSocketModel *self, gint64 now)
{
  guint start = 0, end = 0, kept = 0, dropped = 0, span_end = 0;
  gboolean announce = self->max_ranges == 0 || count_expired_ranges (self, now) <= self->max_ranges;

  for (guint i = self->lingering->len; i-- > 0;)
    {
      Marked *m = lingering_at (self, i);
      guint pos;

      if (m->expires > now)
        continue;
      pos = i + snapshot_upper_bound (self, row_key (m->row));
      m->row = NULL;
      dropped++;
      span_end = MAX (span_end, pos + 1);
      if (end > start && pos + 1 == start)
        {
          start = pos;
          continue;
        }
      items_drop (self, start, end, announce);
      start = pos;
      end = pos + 1;
    }
  items_drop (self, start, end, announce);
  if (!announce && dropped > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), start, span_end - start,
                                span_end - start - dropped);
  for (guint i = 0; i < self->lingering->len; i++)
    if (lingering_at (self, i)->row != NULL)
      *lingering_at (self, kept++) = *lingering_at (self, i);
  g_array_set_size (self->lingering, kept);
}

static gboolean
on_expire (gpointer data)
{
  PortolanSocketModel *self = data;
  gint64 now = g_get_monotonic_time ();

  self->expire_id = 0;
  g_object_ref (self);
  expire_fresh (self, now);
  expire_lingering (self, now);
  schedule_expiry (self);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_expiry (PortolanSocketModel *self)
{
  gint64 first = G_MAXINT64;

  if (self->expire_id != 0)
    return;
  if (self->fresh->len > 0)
    first = g_array_index (self->fresh, Marked, 0).expires;
  for (guint i = 0; i < self->lingering->len; i++)
    first = MIN (first, lingering_at (self, i)->expires);
  if (first == G_MAXINT64)
    return;
  first = MAX (0, first - g_get_monotonic_time ());
  self->expire_id = g_timeout_add ((guint) (first / 1000) + 1, on_expire, self);
}

/* ---- applying a snapshot ---------------------------------------------------- */

/* Passes the lingering rows whose key sorts before @key; TRUE if any. */
static gboolean
walk_pass_lingering (Walk *w, const PtlSocket *key)
{
  GArray *lingering = w->self->lingering;
  guint before = w->ling;

  while (w->ling < lingering->len
         && ptl_snapshot_key_cmp (row_key (lingering_at (w->self, w->ling)->row), key) < 0)
    w->ling++;
  return w->ling != before;
}

static guint
walk_pos_old (Walk *w, size_t old_pos)
{
  walk_pass_lingering (w, &w->old->rows[old_pos]);
  return (guint) old_pos + w->ling + w->inserted;
}

static void
walk_flush (Walk *w)
{
  PortolanSocketModel *self = w->self;
  guint n = self->pending->len;

  if (n == 0)
    return;
  items_insert (self, w->group_pos, self->pending->pdata, n);
  g_ptr_array_set_size (self->pending, 0);
  w->inserted += n;
  if (!w->spanning)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), w->group_pos, 0, n);
      return;
    }
  w->span_first = MIN (w->span_first, w->group_pos);
  w->span_end = MAX (w->span_end, w->group_pos + n);
}

static void
mark_fresh (Walk *w, PortolanSocketRow *row)
{
  Marked m = { g_object_ref (row), w->expires, FALSE };

  portolan_socket_row_set_mark (row, PORTOLAN_ROW_NEW);
  g_array_append_val (w->self->fresh, m);
}

/* A removed socket that is back: the red row turns into a new one. */
static void
walk_revive (Walk *w, const PtlSocket *sock)
{
  Marked *m = lingering_at (w->self, w->ling++);

  m->revived = TRUE;
  portolan_socket_row_update (m->row, w->nt, sock);
  mark_fresh (w, m->row);
}

static void
walk_added (Walk *w, const PtlSnapshotRun *run)
{
  for (size_t k = 0; k < run->len; k++)
    {
      const PtlSocket *sock = &w->nt->rows[run->new_pos + k];
      PortolanSocketRow *row;
      Marked *next;

      if (walk_pass_lingering (w, sock))
        walk_flush (w);
      next = w->ling < w->self->lingering->len ? lingering_at (w->self, w->ling) : NULL;
      if (next != NULL && ptl_snapshot_key_cmp (row_key (next->row), sock) == 0)
        {
          walk_flush (w);
          walk_revive (w, sock);
          continue;
        }
      if (w->self->pending->len == 0)
        w->group_pos = (guint) run->old_pos + w->ling + w->inserted;
      row = portolan_socket_row_new (w->nt, sock);
      mark_fresh (w, row);
      g_ptr_array_add (w->self->pending, row);
    }
  walk_flush (w);
}

static void
walk_removed (Walk *w, const PtlSnapshotRun *run)
{
  for (size_t k = 0; k < run->len; k++)
    {
      guint pos = walk_pos_old (w, run->old_pos + k);
      Marked m = { g_ptr_array_index (w->self->items, pos), w->expires, FALSE };

      portolan_socket_row_set_mark (m.row, PORTOLAN_ROW_REMOVED);
      g_array_append_val (w->self->removed_now, m);
    }
}

/* A row whose state, owner or user changed is updated in place, and its
 * position announced as replaced by itself: a filter or sort model above
 * re-checks only what it is told about, so without the signal a row that
 * became ESTABLISHED would stay hidden under an ESTABLISHED filter. */
static void
walk_changed (Walk *w, const PtlSnapshotRun *run)
{
  for (size_t k = 0; k < run->len; k++)
    {
      guint pos = walk_pos_old (w, run->old_pos + k);

      portolan_socket_row_update (g_ptr_array_index (w->self->items, pos), w->nt,
                                  &w->nt->rows[run->new_pos + k]);
      if (!w->spanning)
        {
          g_list_model_items_changed (G_LIST_MODEL (w->self), pos, 1, 1);
          continue;
        }
      w->span_first = MIN (w->span_first, pos);
      w->span_end = MAX (w->span_end, pos + 1);
    }
}

/* The lingering rows from now on: the old ones not revived merged, in key
 * order, with those removed by this snapshot. */
static void
merge_lingering (PortolanSocketModel *self)
{
  GArray *old = self->lingering, *now = self->removed_now;
  g_autoptr (GArray) merged = NULL;
  guint i = 0, j = 0;

  if (old->len == 0)
    {
      self->lingering = now;
      self->removed_now = old;
      return;
    }
  merged = g_array_sized_new (FALSE, FALSE, sizeof (Marked), old->len + now->len);
  while (i < old->len || j < now->len)
    {
      Marked *a = i < old->len ? &g_array_index (old, Marked, i) : NULL;
      Marked *b = j < now->len ? &g_array_index (now, Marked, j) : NULL;

      if (a != NULL && a->revived)
        i++;
      else if (b == NULL
               || (a != NULL && ptl_snapshot_key_cmp (row_key (a->row), row_key (b->row)) < 0))
        g_array_append_val (merged, *a), i++;
      else
        g_array_append_val (merged, *b), j++;
    }
  g_array_set_size (now, 0);
  g_array_set_size (old, 0);
  g_array_append_vals (old, merged->data, merged->len);
}

static void
apply_first (PortolanSocketModel *self, PortolanTable *snapshot)
{
  const PtlSocketTable *t = &snapshot->table;

  self->snapshot = snapshot;
  if (t->len == 0)
    return;
  g_ptr_array_set_size (self->items, (guint) t->len);
  for (size_t i = 0; i < t->len; i++)
    self->items->pdata[i] = portolan_socket_row_new (t, &t->rows[i]);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, (guint) t->len);
}

static void
apply_diff (PortolanSocketModel *self, const PtlSocketTable *nt)
{
  Walk w = { self, &self->snapshot->table, nt, 0, 0, 0, 0, FALSE, G_MAXUINT, 0 };
  guint ranges = 0;

  w.expires = g_get_monotonic_time () + (gint64) self->mark_timeout_ms * 1000;
  /* Each added run is one signal, and each changed row one more. */
  for (size_t r = 0; r < self->diff.n_runs; r++)
    if (self->diff.runs[r].op == PTL_SNAPSHOT_ADDED)
      ranges++;
    else if (self->diff.runs[r].op == PTL_SNAPSHOT_CHANGED)
      ranges += (guint) self->diff.runs[r].len;
  w.spanning = self->max_ranges > 0 && ranges > self->max_ranges;
  for (size_t r = 0; r < self->diff.n_runs; r++)
    {
      const PtlSnapshotRun *run = &self->diff.runs[r];

      if (run->op == PTL_SNAPSHOT_ADDED)
        walk_added (&w, run);
      else if (run->op == PTL_SNAPSHOT_REMOVED)
        walk_removed (&w, run);
      else
        walk_changed (&w, run);
    }
  if (w.spanning && w.span_end > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), w.span_first,
                                w.span_end - w.span_first - w.inserted, w.span_end - w.span_first);
  merge_lingering (self);
}

void
portolan_socket_model_apply (PortolanSocketModel *self, PortolanTable *snapshot)
{
  g_return_if_fail (PORTOLAN_IS_SOCKET_MODEL (self));
  g_return_if_fail (snapshot != NULL);

  ptl_snapshot_sort (&snapshot->table);
  if (self->snapshot == NULL)
    {
      apply_first (self, snapshot);
      g_signal_emit (self, signals[APPLIED], 0);
      return;
    }
  if (ptl_snapshot_diff (&self->snapshot->table, &snapshot->table, &self->diff) < 0)
    {
      g_warning ("Out of memory while comparing socket tables; the view keeps the last one");
      portolan_table_free (snapshot);
      return;
    }
  if (self->diff.n_runs > 0)
    apply_diff (self, &snapshot->table);
  portolan_table_free (self->snapshot);
  self->snapshot = snapshot;
  g_warn_if_fail (self->items->len == snapshot->table.len + self->lingering->len);
  schedule_expiry (self);
  g_signal_emit (self, signals[APPLIED], 0);
}
