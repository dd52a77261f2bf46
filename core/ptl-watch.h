/* ptl-watch.h: a stream of socket events (added, removed, changed) made
 * from successive socket tables with the snapshot diff. `portolan-cli
 * watch` prints it; anything else that polls the table (a view, a logger)
 * can feed it the same way.
 *
 * The watch keeps the last table. Each new table is sorted, compared with
 * it in one linear walk (ptl_snapshot_diff), and every run of the diff
 * becomes one event per row. Close notifications from the OS, where there
 * are any, remove rows between polls (ptl_watch_closed), so a close is
 * reported once, when it is first known.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ptl-buf.h"
#include "ptl-snapshot.h"
#include "ptl-socket.h"

typedef enum
{
  PTL_WATCH_ADDED,
  PTL_WATCH_REMOVED,
  PTL_WATCH_CHANGED,
} PtlWatchKind;

/* What a changed event changed (a mask). */
enum
{
  PTL_WATCH_STATE = 1 << 0,
  PTL_WATCH_OWNERS = 1 << 1, /* processes or the owner note */
  PTL_WATCH_USER = 1 << 2,
};

typedef struct
{
  PtlWatchKind kind;
  bool initial;     /* an added event for a socket present when the watch began */
  bool notified;    /* a removed event from the OS's close notification, not a poll */
  unsigned changes; /* PTL_WATCH_* for a changed event */
  const PtlSocketTable *table;
  const PtlSocket *sock; /* the row now; for removed, as last seen */
  const PtlSocketTable *old_table;
  const PtlSocket *old; /* changed: the row before; NULL otherwise */
} PtlWatchEvent;

typedef void (*PtlWatchFunc) (const PtlWatchEvent *event, void *data);

typedef struct
{
  PtlSocketTable table; /* the last one seen, sorted by snapshot key */
  bool started;
  PtlSnapshotDiff diff; /* reused from one update to the next */
} PtlWatch;

/** ptl_watch_init / _clear: an empty watch; clear frees its tables. */
void ptl_watch_init (PtlWatch *watch);
void ptl_watch_clear (PtlWatch *watch);

/** ptl_watch_current: the last table given to ptl_watch_update, sorted by snapshot key. */
const PtlSocketTable *ptl_watch_current (const PtlWatch *watch);

/**
 * ptl_watch_update:
 * Takes over the rows of @fresh (which is left empty), compares them with
 * the current table and calls @func once per event, in table order. The
 * first update reports every row as an initial added event. Returns 0 or
 * PTL_ENOMEM (the watch then keeps its previous table).
 */
int ptl_watch_update (PtlWatch *watch, PtlSocketTable *fresh, PtlWatchFunc func, void *data);

/**
 * ptl_watch_closed:
 * Reports the rows of the current table that @closed names as removed
 * (notified) and drops them, so the next update does not report them
 * again. A closed socket is matched by its cookie when both sides have
 * one, else by its endpoints when exactly one row has them. Returns how
 * many rows were removed.
 */
size_t ptl_watch_closed (PtlWatch *watch, const PtlSocketTable *closed, PtlWatchFunc func,
                         void *data);

/* Whether a process of the current table still runs as the same process. */
typedef bool (*PtlWatchAliveFunc) (const PtlProcess *proc, void *data);

/**
 * ptl_watch_carry_owners:
 * For rows of @fresh (sorted by snapshot key, without owners yet) that are
 * the same sockets as rows of the current table, copies the owners, or the
 * owner note, over, provided every owner is still @alive. The owner search
 * then only looks for the rest (ptl_platform_find_owners leaves rows with
 * owners or a note alone). What a carry cannot see is a process that
 * starts sharing a socket its living owner keeps (a fork): a caller that
 * wants those runs the full search now and then. Returns the number of
 * rows carried, or PTL_ENOMEM.
 */
long ptl_watch_carry_owners (const PtlWatch *watch, PtlSocketTable *fresh, PtlWatchAliveFunc alive,
                             void *data);

/**
 * ptl_format_time_rfc3339:
 * @unix_ms (milliseconds since 1970 UTC) as RFC 3339 with milliseconds,
 * in the zone @offset_min minutes east of UTC: "2026-11-27T09:15:02.123Z"
 * for 0, "2026-11-27T10:15:02.123+01:00" for 60.
 */
void ptl_format_time_rfc3339 (int64_t unix_ms, int offset_min, PtlBuf *out);

/** ptl_format_time_local: "2026-11-27 10:15:02.123", the time people read (no zone shown). */
void ptl_format_time_local (int64_t unix_ms, int offset_min, PtlBuf *out);

/**
 * ptl_format_watch_event_json:
 * One JSON Lines record: {"event", "time" (RFC 3339, UTC), "initial",
 * "notified" (removed), "changes" and "before" (changed), "socket"}.
 */
void ptl_format_watch_event_json (const PtlWatchEvent *event, int64_t unix_ms, PtlBuf *out);

/**
 * ptl_format_watch_event_text:
 * One line for people: local time, the event ("now" for the sockets
 * present at the start), the socket on one line, and for a change what it
 * was before.
 */
void ptl_format_watch_event_text (const PtlWatchEvent *event, int64_t unix_ms, int offset_min,
                                  PtlBuf *out);
