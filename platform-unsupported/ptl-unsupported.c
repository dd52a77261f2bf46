/* ptl-unsupported.c: core/ptl-platform.h for a system Portolan has no
 * platform folder for yet. Every question about this machine answers "not
 * supported on this system", so the tree builds on any OS (the core, the
 * CLI, the core tests) and a port starts from a compiling program: copy
 * this file into platform-<os>/ and replace one function at a time (see
 * HACKING.md, "Add a platform").
 *
 * Plain C11 only, no OS headers: it must compile where nothing else does.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ptl-i18n.h"
#include "ptl-platform.h"

/* One sentence for everything this platform cannot do; @what is its
 * subject, already translated. */
static int
unsupported (PtlError *err, const char *what)
{
  static const char sentence[]
      = PTL_N_ ("%s is not supported on this system (Portolan has no platform code for it yet).");

  return ptl_error_set (err, PTL_EUNSUPPORTED, sentence, what);
}

int
ptl_platform_read_sockets (const PtlSocketFilter *filter, PtlSocketTable *table, PtlError *err)
{
  (void) filter;
  (void) table;
  return unsupported (err, ptl_tr ("Reading the socket table"));
}

int
ptl_platform_find_owners (PtlSocketTable *table, PtlError *err)
{
  (void) table;
  return unsupported (err, ptl_tr ("Finding socket owners"));
}

int
ptl_platform_port_rules (PtlPortRules *rules, PtlError *err)
{
  memset (rules, 0, sizeof *rules);
  snprintf (rules->source, sizeof rules->source, "not supported on this system");
  return unsupported (err, ptl_tr ("Reading the port rules"));
}

PtlBindResult
ptl_platform_bind_test (unsigned port, PtlProto proto, PtlFamily family)
{
  (void) port;
  (void) proto;
  (void) family;
  return PTL_BIND_ERROR;
}

int
ptl_platform_process_info (long pid, PtlProcess *out, PtlError *err)
{
  (void) pid;
  memset (out, 0, sizeof *out);
  return unsupported (err, ptl_tr ("Reading process details"));
}

long
ptl_platform_self_pid (void)
{
  return -1; /* unknown: C11 has no process IDs */
}

bool
ptl_platform_is_privileged (void)
{
  return false;
}

/* Nothing here would show more with administrator rights. */
PtlElevation
ptl_platform_elevation (void)
{
  return PTL_ELEVATION_NONE;
}

int
ptl_platform_restart_elevated (const char *query, const char *view, PtlError *err)
{
  (void) query;
  (void) view;
  return unsupported (err, ptl_tr ("Restarting as administrator"));
}

bool
ptl_platform_may_terminate (long pid)
{
  (void) pid;
  return false;
}

int
ptl_platform_terminate (long pid, uint64_t start_time, PtlError *err)
{
  (void) pid;
  (void) start_time;
  return unsupported (err, ptl_tr ("Ending a process"));
}

bool
ptl_platform_process_alive (long pid, uint64_t start_time)
{
  (void) pid;
  (void) start_time;
  return false;
}

uint64_t
ptl_platform_monotonic_ms (void)
{
  struct timespec ts;

  /* The only clock C11 has; it may jump, which only stretches a wait. */
  if (timespec_get (&ts, TIME_UTC) != TIME_UTC)
    return 0;
  return (uint64_t) ts.tv_sec * 1000u + (uint64_t) ts.tv_nsec / 1000000u;
}

void
ptl_platform_sleep_ms (unsigned ms)
{
  uint64_t end = ptl_platform_monotonic_ms () + ms;

  /* C11 has no portable sleep (<threads.h> is optional): wait it out. */
  while (ptl_platform_monotonic_ms () < end)
    ;
}

bool
ptl_platform_stdin_is_terminal (void)
{
  return false; /* cannot be known in C11: 'kill' then needs --yes */
}

bool
ptl_platform_read_answer (char *buf, size_t size)
{
  if (size == 0 || fgets (buf, (int) size, stdin) == NULL)
    return false;
  buf[strcspn (buf, "\r\n")] = '\0';
  return true;
}

void
ptl_platform_stop_self (void)
{
}

bool
ptl_platform_pid_is_protected (long pid, const char **why)
{
  const char *reason = pid < 1 ? "not a process" : NULL;

  if (why)
    *why = reason;
  return reason != NULL;
}

const char *
ptl_platform_terminate_method (void)
{
  return PTL_N_ ("a request to end (not supported on this system)");
}

void
ptl_platform_init_console (void)
{
}

void
ptl_platform_utf8_argv (int *argc, char ***argv)
{
  (void) argc;
  (void) argv;
}

const char *
ptl_platform_protected_more (void)
{
  return "";
}

int
ptl_platform_close_feed_open (const PtlSocketFilter *filter, PtlCloseFeed **out, PtlError *err)
{
  (void) filter;
  *out = NULL;
  return unsupported (err, ptl_tr ("Notifications of closed sockets"));
}

int
ptl_platform_close_feed_read (PtlCloseFeed *feed, PtlSocketTable *closed)
{
  (void) feed;
  (void) closed;
  return 0;
}

void
ptl_platform_close_feed_free (PtlCloseFeed *feed)
{
  (void) feed;
}

static volatile sig_atomic_t stop_asked;

static void
on_stop (int sig)
{
  (void) sig;
  stop_asked = 1;
}

void
ptl_platform_catch_stop (void)
{
  /* signal() is C11's own; SIGINT and SIGTERM are the two it names. */
  signal (SIGINT, on_stop);
  signal (SIGTERM, on_stop);
}

bool
ptl_platform_stop_requested (void)
{
  return stop_asked != 0;
}

PtlWaitResult
ptl_platform_wait (unsigned ms, PtlCloseFeed *feed)
{
  uint64_t end = ptl_platform_monotonic_ms () + ms;

  (void) feed;
  while (!stop_asked && ptl_platform_monotonic_ms () < end)
    ;
  return stop_asked ? PTL_WAIT_STOP : PTL_WAIT_TIMEOUT;
}

void
ptl_platform_wall_clock (int64_t *unix_ms, int *utc_offset_min)
{
  struct timespec ts;
  time_t now;
  struct tm utc;

  if (timespec_get (&ts, TIME_UTC) != TIME_UTC)
    ts.tv_sec = time (NULL), ts.tv_nsec = 0;
  *unix_ms = (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
  /* C11 has no time zone offset: mktime reads a UTC broken-down time as
   * local time, and the difference is the offset. */
  now = ts.tv_sec;
  utc = *gmtime (&now);
  utc.tm_isdst = -1;
  *utc_offset_min = (int) (difftime (now, mktime (&utc)) / 60);
}

int
ptl_platform_write_file_atomic (const char *path, const char *data, size_t len, PtlError *err)
{
  char what[512];

  (void) data;
  (void) len;

  snprintf (what, sizeof what, ptl_tr ("Writing %s atomically"), path);
  return unsupported (err, what);
}

int
ptl_platform_run (const char *const *argv, PtlBuf *out, PtlBuf *errout, int *status, PtlError *err)
{
  char what[512];

  (void) out;
  (void) errout;
  *status = -1;

  snprintf (what, sizeof what, ptl_tr ("Running %s"), argv[0]);
  return unsupported (err, what);
}
