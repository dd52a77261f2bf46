/* ptl-platform.h: the one interface each platform folder implements:
 * platform-posix/ (Linux), platform-win32/ (Windows) and
 * platform-unsupported/ (any other system: everything "not supported").
 * Meson picks the folder.
 * Everything here speaks core types and UTF-8; OS types stay inside.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ptl-buf.h"
#include "ptl-error.h"
#include "ptl-port-rules.h"
#include "ptl-socket.h"

/**
 * ptl_platform_read_sockets:
 * Fills @table with the sockets matching @filter, without owners. When the
 * filter names a port span the OS is asked for just that span where it can
 * be (Linux: in the netlink request). When the preferred source is refused,
 * a fallback is used and a note added to the table.
 */
int ptl_platform_read_sockets (const PtlSocketFilter *filter, PtlSocketTable *table, PtlError *err);

/**
 * ptl_platform_find_owners:
 * Attributes owners to the rows of @table, stopping as soon as every socket
 * that can have an owner has one. Rows left without owners get an
 * owner_note ("no owner (TIME_WAIT)", "owner hidden: needs root", …).
 * Rows that already have owners or a note are left as they are: a live
 * view carries them over from its last table (ptl_watch_carry_owners).
 */
int ptl_platform_find_owners (PtlSocketTable *table, PtlError *err);

/** ptl_platform_port_rules: this machine's ephemeral range, reserved ports, privilege line. */
int ptl_platform_port_rules (PtlPortRules *rules, PtlError *err);

typedef enum
{
  PTL_BIND_FREE,
  PTL_BIND_IN_USE,          /* EADDRINUSE */
  PTL_BIND_NEEDS_PRIVILEGE, /* EACCES: nothing known about use */
  PTL_BIND_UNAVAILABLE,     /* the family is not supported here */
  PTL_BIND_RESERVED,        /* Windows WSAEACCES: an excluded port range, refused to everyone */
  PTL_BIND_ERROR,
} PtlBindResult;

/**
 * ptl_platform_bind_test:
 * Binds a fresh socket of @proto (TCP or UDP) and @family to the wildcard
 * address on @port and closes it at once. The only honest "is it free?".
 */
PtlBindResult ptl_platform_bind_test (unsigned port, PtlProto proto, PtlFamily family);

/**
 * ptl_platform_process_info:
 * Reads @pid's details into @out (strings malloc'ed; free with
 * ptl_process_clear). Returns PTL_ENOTFOUND when it no longer exists.
 */
int ptl_platform_process_info (long pid, PtlProcess *out, PtlError *err);

/** ptl_platform_self_pid: this process's PID. */
long ptl_platform_self_pid (void);

/** ptl_platform_is_privileged: root / elevated. */
bool ptl_platform_is_privileged (void);

/* How a program without privileges can see what they would show. */
typedef enum
{
  PTL_ELEVATION_NONE,    /* privileged already: there is nothing more to ask for */
  PTL_ELEVATION_HELPER,  /* run portolan-cli alone as root (Linux: pkexec, with polkit) */
  PTL_ELEVATION_RESTART, /* start the app again elevated (Windows: UAC) */
} PtlElevation;

/** ptl_platform_elevation: this platform's way to administrator rights, for this process. */
PtlElevation ptl_platform_elevation (void);

/**
 * ptl_platform_restart_elevated:
 * Starts this program again with administrator rights, showing @query
 * (may be NULL) on @view ("port" or "connections"), as a window of its
 * own (ptl_relaunch_parameters), and returns once it runs: 0, then the
 * caller closes its own window. PTL_ECANCELED when the person declined
 * the prompt; PTL_EUNSUPPORTED where the platform's way is not a restart
 * (PTL_ELEVATION_RESTART says when it is). Blocks while the prompt shows.
 */
int ptl_platform_restart_elevated (const char *query, const char *view, PtlError *err);

/**
 * ptl_platform_may_terminate:
 * Whether this process has the rights to end @pid (Linux: kill(2) would
 * not fail with EPERM; Windows: it may open it to terminate). A process
 * that no longer exists needs no rights: true.
 */
bool ptl_platform_may_terminate (long pid);

/**
 * ptl_platform_terminate:
 * Asks @pid to end (SIGTERM / TerminateProcess), but only if it is still the
 * process that started at @start_time. Returns 0, PTL_ENOTFOUND when it is
 * gone or was replaced, PTL_EACCES when not allowed.
 */
int ptl_platform_terminate (long pid, uint64_t start_time, PtlError *err);

/**
 * ptl_platform_process_alive:
 * Whether @pid still runs as the process that started at @start_time
 * (zombies count as ended).
 */
bool ptl_platform_process_alive (long pid, uint64_t start_time);

/** ptl_platform_sleep_ms: sleeps about @ms milliseconds. */
void ptl_platform_sleep_ms (unsigned ms);

/** ptl_platform_stdin_is_terminal: whether a person can answer a question. */
bool ptl_platform_stdin_is_terminal (void);

/**
 * ptl_platform_read_answer:
 * Reads one line a person typed on stdin into @buf (UTF-8, NUL-terminated,
 * cut to @size). Returns false at end of input or on error.
 */
bool ptl_platform_read_answer (char *buf, size_t size);

/**
 * ptl_platform_stop_self:
 * Stops this process until something outside continues it (SIGSTOP, then
 * SIGCONT; on Windows the calling thread suspends until resumed). Only for
 * the test hooks that put a pause between a scan and its action.
 */
void ptl_platform_stop_self (void);

/** ptl_platform_monotonic_ms: milliseconds on a clock that never jumps, for timeouts. */
uint64_t ptl_platform_monotonic_ms (void);

/**
 * ptl_platform_pid_is_protected:
 * Whether @pid must never be ended: init (PID 1), the System Idle Process
 * and System (PIDs 0 and 4 on Windows), this process. When it is, @why
 * (if not NULL) gets a phrase for "it is …" ("the system's init process").
 */
bool ptl_platform_pid_is_protected (long pid, const char **why);

/**
 * ptl_platform_protected_more:
 * The processes besides fixed PIDs that ptl_platform_pid_is_protected
 * refuses, as a phrase for help texts ("critical Windows processes
 * (lsass.exe, …)"), or "" when there are none.
 */
const char *ptl_platform_protected_more (void);

/** ptl_platform_terminate_method: how ending is done, for messages ("SIGTERM", "TerminateProcess").
 */
const char *ptl_platform_terminate_method (void);

/**
 * ptl_platform_init_console:
 * Prepares stdout and stderr for UTF-8 text: on Windows the console code
 * page and untranslated line ends (files get the same bytes as on Linux).
 * Nothing to do on Linux. Call once, first thing in main.
 */
void ptl_platform_init_console (void);

/**
 * ptl_platform_utf8_argv:
 * Replaces *@argc / *@argv with the command line in UTF-8. Windows hands
 * main() its arguments in the ANSI code page, which loses characters; the
 * UTF-16 command line does not. Linux leaves them as given. The strings
 * live until the process exits.
 */
void ptl_platform_utf8_argv (int *argc, char ***argv);

/* ---- watching: close notifications, waiting, the wall clock ---------- */

typedef struct PtlCloseFeed PtlCloseFeed;

/**
 * ptl_platform_close_feed_open:
 * Subscribes to the OS's notifications of closed sockets of @filter's
 * protocols and families (Linux: the sock_diag destroy groups, with
 * @filter's port span as a socket filter so the kernel drops the rest).
 * Sets *@out, or returns PTL_EUNSUPPORTED with a sentence where the OS
 * offers no such thing or refuses it.
 */
int ptl_platform_close_feed_open (const PtlSocketFilter *filter, PtlCloseFeed **out, PtlError *err);

/**
 * ptl_platform_close_feed_read:
 * Appends to @closed the sockets whose close has arrived, without
 * waiting; each has its protocol, family, endpoints and, where the OS
 * gives one, its cookie. Returns how many, or a negative code.
 * Notifications lost to a full queue are not reported: the next poll of
 * the table finds those closes.
 */
int ptl_platform_close_feed_read (PtlCloseFeed *feed, PtlSocketTable *closed);

/** ptl_platform_close_feed_free: ends the subscription (NULL is fine). */
void ptl_platform_close_feed_free (PtlCloseFeed *feed);

/**
 * ptl_platform_catch_stop:
 * From now on Ctrl+C and SIGTERM (Windows: Ctrl+C, Ctrl+Break, closing
 * the console) no longer end the process: they make ptl_platform_wait
 * return PTL_WAIT_STOP, so the caller can flush and exit 0.
 */
void ptl_platform_catch_stop (void);

/** ptl_platform_stop_requested: whether a stop was asked since ptl_platform_catch_stop. */
bool ptl_platform_stop_requested (void);

typedef enum
{
  PTL_WAIT_TIMEOUT,
  PTL_WAIT_STOP,   /* Ctrl+C or SIGTERM, after ptl_platform_catch_stop */
  PTL_WAIT_CLOSES, /* @feed has notifications to read */
} PtlWaitResult;

/** ptl_platform_wait: waits up to @ms, and less when a stop is asked or @feed (may be NULL) has
 * news. */
PtlWaitResult ptl_platform_wait (unsigned ms, PtlCloseFeed *feed);

/**
 * ptl_platform_wall_clock:
 * The time now in milliseconds since 1970-01-01 UTC, and in
 * *@utc_offset_min the local time zone's offset from UTC at that moment
 * (east positive), for timestamps people read.
 */
void ptl_platform_wall_clock (int64_t *unix_ms, int *utc_offset_min);

/* ---- files and programs ------------------------------------------------ */

/**
 * ptl_platform_write_file_atomic:
 * Writes @len bytes of @data to @path through a new temporary file in the
 * same directory, flushed to disk and renamed over @path: a reader (a
 * metrics collector) sees the old file or the new one, never part of one.
 * The file is readable by everyone (0644 on POSIX).
 */
int ptl_platform_write_file_atomic (const char *path, const char *data, size_t len, PtlError *err);

/**
 * ptl_platform_run:
 * Runs @argv[0], looked up in PATH, with the argument vector @argv (no
 * shell), stdin from the null device, stdout into @out or, when @out is
 * NULL, to this process's stdout as it comes, stderr into @errout (the
 * first 64 KiB). Waits for it and sets *@status to its exit code, or to
 * 256 + the signal number when a signal ended it. Returns 0,
 * PTL_ENOTFOUND (with a sentence) when the program does not exist, or
 * another negative code.
 */
int ptl_platform_run (const char *const *argv, PtlBuf *out, PtlBuf *errout, int *status,
                      PtlError *err);
