/* ptl-win32-private.h: pieces of the Windows platform shared between its
 * files and exposed to the Windows tests. Everything crossing into core is
 * UTF-8; UTF-16 stays on this side.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include "ptl-platform.h"

/* Sentences the platform puts into tables and rows. */
#define PTL_WIN32_NOTE_TIME_WAIT PTL_N_ ("no owner (TIME_WAIT)")
#define PTL_WIN32_NOTE_PID0 PTL_N_ ("Windows gives no owner (PID 0)")
#define PTL_WIN32_NOTE_GONE PTL_N_ ("owner not found (it exited)")
#define PTL_WIN32_NOTE_HIDDEN PTL_N_ ("owner hidden: needs elevation (Run as administrator)")
#define PTL_WIN32_NOTE_SOME_HIDDEN                                                                 \
  PTL_N_ ("Some owners' paths and users are hidden: run as administrator to see them.")

/**
 * ptl_win32_utf8_from_wide:
 * Converts @len UTF-16 units of @w (or up to its NUL when @len is -1) to a
 * malloc'ed UTF-8 string. Unpaired surrogates become U+FFFD. NULL only when
 * memory runs out.
 */
char *ptl_win32_utf8_from_wide (const wchar_t *w, int len);

/**
 * ptl_win32_wide_from_utf8:
 * Converts the NUL-terminated UTF-8 @s to a malloc'ed UTF-16 string.
 * Invalid sequences become U+FFFD. NULL only when memory runs out.
 */
wchar_t *ptl_win32_wide_from_utf8 (const char *s);

/** ptl_win32_utf8_into: converts @w into the fixed buffer @out (truncated on a character boundary).
 */
void ptl_win32_utf8_into (const wchar_t *w, char *out, size_t size);

/**
 * ptl_win32_console_ctrl:
 * The console control handler ptl_platform_init_console installs when it
 * switched the console to UTF-8: on Ctrl+C, Ctrl+Break and close it puts
 * the code page back, then lets the next handler end the process (FALSE).
 * Needs <windows.h> before this header.
 */
#ifdef _WINDOWS_
BOOL WINAPI ptl_win32_console_ctrl (DWORD type);
#endif

/** ptl_win32_wsa_init: starts Winsock once for the process; 0 or PTL_ESYSTEM. */
int ptl_win32_wsa_init (void);

/**
 * ptl_win32_owner_table_calls:
 * How many times this process has asked Windows for a socket table with
 * owner PIDs (GetExtendedTcpTable/GetExtendedUdpTable), into *@calls, and
 * how many of those came back too small for a table that grew, into
 * *@too_small. Each call costs a pass over every socket on the machine
 * (under Wine 8, seconds with thousands of sockets), so
 * ptl_platform_read_sockets makes one per table it reads: the tests
 * hold it to that.
 */
void ptl_win32_owner_table_calls (unsigned *calls, unsigned *too_small);

/* The running services and their PIDs, read once per table. */
typedef struct PtlWin32Services PtlWin32Services;

/** ptl_win32_services_load: the active Win32 services; NULL when the service manager will not say.
 */
PtlWin32Services *ptl_win32_services_load (void);

/**
 * ptl_win32_services_load_chunked:
 * ptl_win32_services_load with a first buffer of @chunk bytes (grown only
 * when not even one entry fits), calling EnumServicesStatusExW with its
 * resume handle until the list is complete. Sets *@calls (if not NULL) to
 * the number of calls made. For the tests: a small @chunk makes many.
 */
PtlWin32Services *ptl_win32_services_load_chunked (unsigned chunk, unsigned *calls);

/** ptl_win32_services_free: frees what ptl_win32_services_load returned (NULL is fine). */
void ptl_win32_services_free (PtlWin32Services *services);

/** ptl_win32_services_count: how many services @services holds (0 for NULL). */
size_t ptl_win32_services_count (const PtlWin32Services *services);

/** ptl_win32_services_at: the @i-th service's name, and its PID into *@pid. */
const char *ptl_win32_services_at (const PtlWin32Services *services, size_t i, long *pid);

/**
 * ptl_win32_process_read:
 * Fills @out for @pid from the OS: name and path (QueryFullProcessImageNameW,
 * else the Toolhelp name given in @snapshot_name), user from the token, start
 * time, services hosted (appended to the name: "svchost.exe (Dnscache, …)").
 * Sets *@hidden when details needed elevation. Returns 0 or PTL_ENOTFOUND.
 */
int ptl_win32_process_read (long pid, const char *snapshot_name, const PtlWin32Services *services,
                            PtlProcess *out, bool *hidden);

/**
 * ptl_win32_services_of:
 * Writes the names of the services of @services running in @pid, joined
 * by ", ", into @out. Returns how many there are (0 when none or unknown).
 */
size_t ptl_win32_services_of (const PtlWin32Services *services, long pid, char *out, size_t size);

/**
 * ptl_win32_run_capture:
 * Runs @argv[0] (a full path) with @argv, no shell, and reads its stdout
 * into @out (at most @size-1 bytes, NUL-terminated) for up to @timeout_ms.
 * Returns the bytes read, or a negative PTL_E* code when it cannot start.
 */
long ptl_win32_run_capture (const wchar_t *const *argv, char *out, size_t size,
                            unsigned timeout_ms);

/** ptl_win32_system_dir: "C:\\Windows\\System32" as UTF-16 into @out. */
int ptl_win32_system_dir (wchar_t *out, size_t size);

/** ptl_win32_snapshot_name: @pid's image name from a Toolhelp snapshot; false when absent. */
bool ptl_win32_snapshot_name (long pid, char *out, size_t size);
