/* ptl-snapshot.h: what changed between two socket tables taken a moment
 * apart. A live view keeps its rows and applies only the difference, so the
 * comparison must be one linear walk over two tables in the same order.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "ptl-socket.h"

/**
 * ptl_snapshot_key_cmp:
 * Orders two sockets by identity: protocol, family, local port, local
 * address, remote address, remote port, then inode. Two rows with the same
 * key are the same socket seen twice; its state and owners may differ.
 */
int ptl_snapshot_key_cmp (const PtlSocket *a, const PtlSocket *b);

/**
 * ptl_snapshot_sort:
 * Sorts @table's rows by ptl_snapshot_key_cmp, the order ptl_snapshot_diff
 * needs. Unlike ptl_socket_table_sort the state is not part of the order,
 * so a socket that changes state keeps its place.
 */
void ptl_snapshot_sort (PtlSocketTable *table);

/** ptl_snapshot_is_sorted: whether @table is in ptl_snapshot_sort's order. */
bool ptl_snapshot_is_sorted (const PtlSocketTable *table);

/**
 * ptl_snapshot_row_changed:
 * Whether the same socket shows anything new in @b (of @tb) compared with
 * @a (of @ta): state, user, owner note, or owners (PID, start time, name).
 */
bool ptl_snapshot_row_changed (const PtlSocketTable *ta, const PtlSocket *a,
                               const PtlSocketTable *tb, const PtlSocket *b);

/**
 * ptl_snapshot_same_owners:
 * Whether @a (of @ta) and @b (of @tb) have the same owners: the same PIDs
 * with the same start times and names, in the same order.
 */
bool ptl_snapshot_same_owners (const PtlSocketTable *ta, const PtlSocket *a,
                               const PtlSocketTable *tb, const PtlSocket *b);

typedef enum
{
  PTL_SNAPSHOT_ADDED,   /* new rows [new_pos, +len) go before old row old_pos */
  PTL_SNAPSHOT_REMOVED, /* old rows [old_pos, +len) are gone */
  PTL_SNAPSHOT_CHANGED, /* old rows [old_pos, +len) are new rows [new_pos, +len), updated */
} PtlSnapshotOp;

typedef struct
{
  PtlSnapshotOp op;
  size_t old_pos, new_pos, len;
} PtlSnapshotRun;

/* The runs come in table order; unchanged rows between them are implied.
 * The arrays are reused from one diff to the next, so a steady table costs
 * no allocation. */
typedef struct
{
  PtlSnapshotRun *runs;
  size_t n_runs, cap_runs;
  size_t n_added, n_removed, n_changed;
} PtlSnapshotDiff;

/** ptl_snapshot_diff_init / _clear: an empty diff; clear frees its arrays. */
void ptl_snapshot_diff_init (PtlSnapshotDiff *diff);
void ptl_snapshot_diff_clear (PtlSnapshotDiff *diff);

/**
 * ptl_snapshot_diff:
 * Compares @old and @new, both sorted with ptl_snapshot_sort, and fills
 * @diff with the runs that turn one into the other (earlier runs are
 * forgotten). Returns 0 or PTL_ENOMEM.
 */
int ptl_snapshot_diff (const PtlSocketTable *old, const PtlSocketTable *new_table,
                       PtlSnapshotDiff *diff);
