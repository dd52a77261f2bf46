/* ptl-format-watch.c: watch events as text lines and as JSON Lines. */
#include "ptl-report.h"
#include "ptl-watch.h"
#include "ptl-i18n.h"

#include <string.h>

/* Days since 1970-01-01 to a civil date (proleptic Gregorian), from
 * Howard Hinnant's public-domain date algorithms: no time zone database
 * and no OS call, so the core stays portable. */
static void
civil_from_days (int64_t z, int *y, unsigned *m, unsigned *d)
{
  int64_t era, yoe, doy, mp;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  yoe = z - era * 146097;
  yoe = (yoe - yoe / 1460 + yoe / 36524 - yoe / 146096) / 365;
  doy = z - era * 146097 - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *d = (unsigned) (doy - (153 * mp + 2) / 5 + 1);
  *m = (unsigned) (mp < 10 ? mp + 3 : mp - 9);
  *y = (int) (yoe + era * 400 + (*m <= 2));
}

static int64_t
floor_div (int64_t a, int64_t b)
{
  return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* @sep between date and time: 'T' for RFC 3339, ' ' for people. */
static void
format_time (int64_t unix_ms, int offset_min, char sep, bool zone, PtlBuf *out)
{
  int64_t local_ms = unix_ms + (int64_t) offset_min * 60000;
  int64_t days = floor_div (local_ms, 86400000), ms = local_ms - days * 86400000;
  unsigned m, d, off = (unsigned) (offset_min < 0 ? -offset_min : offset_min);
  int y;

  civil_from_days (days, &y, &m, &d);
  ptl_buf_printf (out, "%04d-%02u-%02u%c%02u:%02u:%02u.%03u", y, m, d, sep,
                  (unsigned) (ms / 3600000), (unsigned) (ms / 60000 % 60),
                  (unsigned) (ms / 1000 % 60), (unsigned) (ms % 1000));
  if (!zone)
    return;
  if (offset_min == 0)
    ptl_buf_puts (out, "Z");
  else
    ptl_buf_printf (out, "%c%02u:%02u", offset_min < 0 ? '-' : '+', off / 60, off % 60);
}

void
ptl_format_time_rfc3339 (int64_t unix_ms, int offset_min, PtlBuf *out)
{
  format_time (unix_ms, offset_min, 'T', true, out);
}

void
ptl_format_time_local (int64_t unix_ms, int offset_min, PtlBuf *out)
{
  format_time (unix_ms, offset_min, ' ', false, out);
}

static const char *
kind_name (PtlWatchKind kind)
{
  return kind == PTL_WATCH_ADDED ? "added" : kind == PTL_WATCH_REMOVED ? "removed" : "changed";
}

/* The event's name in a text line, in the reader's language. */
static const char *
kind_title (PtlWatchKind kind)
{
  return kind == PTL_WATCH_ADDED     ? ptl_trc ("watch event", "added")
         : kind == PTL_WATCH_REMOVED ? ptl_trc ("watch event", "removed")
                                     : ptl_trc ("watch event", "changed");
}

static void
json_changes (PtlBuf *out, unsigned changes)
{
  static const struct
  {
    unsigned bit;
    const char *name;
  } names[] = { { PTL_WATCH_STATE, "state" },
                { PTL_WATCH_OWNERS, "owners" },
                { PTL_WATCH_USER, "user" } };
  size_t k = 0;

  ptl_buf_puts (out, ", \"changes\": [");
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (changes & names[i].bit)
      ptl_buf_printf (out, "%s\"%s\"", k++ ? ", " : "", names[i].name);
  ptl_buf_puts (out, "]");
}

void
ptl_format_watch_event_json (const PtlWatchEvent *ev, int64_t unix_ms, PtlBuf *out)
{
  ptl_buf_printf (out, "{\"event\": \"%s\", \"time\": \"", kind_name (ev->kind));
  ptl_format_time_rfc3339 (unix_ms, 0, out);
  ptl_buf_printf (out, "\", \"initial\": %s", ev->initial ? "true" : "false");
  if (ev->kind == PTL_WATCH_REMOVED)
    ptl_buf_printf (out, ", \"notified\": %s", ev->notified ? "true" : "false");
  if (ev->kind == PTL_WATCH_CHANGED)
    json_changes (out, ev->changes);
  ptl_buf_puts (out, ", \"socket\": ");
  ptl_format_socket_json (ev->table, ev->sock, out);
  if (ev->kind == PTL_WATCH_CHANGED && ev->old != NULL)
    {
      ptl_buf_puts (out, ", \"before\": ");
      ptl_format_socket_json (ev->old_table, ev->old, out);
    }
  ptl_buf_puts (out, "}\n");
}

/* "was LISTEN, 12/old (root)": the old values of what changed. */
static void
text_before (PtlBuf *out, const PtlWatchEvent *ev)
{
  PtlBuf owner;

  /* TRANSLATORS: the old values of what changed follow: "[was LISTEN, 12/old (root)]". */
  ptl_buf_printf (out, "  [%s", ptl_trc ("watch", "was"));
  if (ev->changes & PTL_WATCH_STATE)
    ptl_buf_printf (out, " %s", ptl_state_name (ev->old->state));
  if (ev->changes & (PTL_WATCH_OWNERS | PTL_WATCH_USER))
    {
      ptl_buf_init (&owner);
      ptl_socket_owner_summary (ev->old_table, ev->old, &owner);
      if (ev->old->user[0])
        ptl_buf_printf (&owner, " (%s)", ev->old->user);
      ptl_buf_puts (out, (ev->changes & PTL_WATCH_STATE) ? ", " : " ");
      ptl_text_safe (out, ptl_buf_str (&owner));
      ptl_buf_clear (&owner);
    }
  ptl_buf_puts (out, "]");
}

void
ptl_format_watch_event_text (const PtlWatchEvent *ev, int64_t unix_ms, int offset_min, PtlBuf *out)
{
  ptl_format_time_local (unix_ms, offset_min, out);
  ptl_buf_puts (out, "  ");
  ptl_buf_pad (out, ev->initial ? ptl_trc ("watch event", "now") : kind_title (ev->kind), 9);
  ptl_format_socket_line (ev->table, ev->sock, out);
  if (ev->kind == PTL_WATCH_CHANGED && ev->old != NULL)
    text_before (out, ev);
  if (ev->kind == PTL_WATCH_REMOVED && ev->notified)
    ptl_buf_printf (out, "  [%s]", ptl_tr ("closed: kernel notification"));
  ptl_buf_puts (out, "\n");
}
