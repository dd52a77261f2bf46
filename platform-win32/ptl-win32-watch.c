/* ptl-win32-watch.c: waiting between polls, stopping on Ctrl+C, the wall
 * clock, and replacing a file atomically.
 *
 * Windows has no socket-close notifications like Linux's sock_diag
 * groups, so a watch finds closes by polling.
 */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptl-win32-private.h"

static volatile LONG stop_asked;
static HANDLE stop_event;

static BOOL WINAPI
on_console_event (DWORD type)
{
  if (type != CTRL_C_EVENT && type != CTRL_BREAK_EVENT && type != CTRL_CLOSE_EVENT)
    return FALSE;
  InterlockedExchange (&stop_asked, 1);
  if (stop_event)
    SetEvent (stop_event);
  return TRUE;
}

void
ptl_platform_catch_stop (void)
{
  if (stop_event == NULL)
    stop_event = CreateEventW (NULL, TRUE, FALSE, NULL);
  SetConsoleCtrlHandler (on_console_event, TRUE);
}

bool
ptl_platform_stop_requested (void)
{
  return InterlockedCompareExchange (&stop_asked, 0, 0) != 0;
}

PtlWaitResult
ptl_platform_wait (unsigned ms, PtlCloseFeed *feed)
{
  (void) feed;
  if (ptl_platform_stop_requested ())
    return PTL_WAIT_STOP;
  if (stop_event == NULL)
    {
      Sleep (ms);
      return PTL_WAIT_TIMEOUT;
    }
  WaitForSingleObject (stop_event, ms);
  return ptl_platform_stop_requested () ? PTL_WAIT_STOP : PTL_WAIT_TIMEOUT;
}

int
ptl_platform_close_feed_open (const PtlSocketFilter *filter, PtlCloseFeed **out, PtlError *err)
{
  (void) filter;
  *out = NULL;
  return ptl_error_set (err, PTL_EUNSUPPORTED,
                        "Windows does not announce closed sockets; closes show at the next poll.");
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

/* FILETIME counts 100 ns since 1601-01-01. */
static int64_t
filetime_ms (const FILETIME *ft)
{
  ULARGE_INTEGER u;

  u.LowPart = ft->dwLowDateTime;
  u.HighPart = ft->dwHighDateTime;
  return (int64_t) (u.QuadPart / 10000) - INT64_C (11644473600000);
}

void
ptl_platform_wall_clock (int64_t *unix_ms, int *utc_offset_min)
{
  FILETIME now, local;
  SYSTEMTIME utc_st, local_st;

  GetSystemTimeAsFileTime (&now);
  *unix_ms = filetime_ms (&now);
  *utc_offset_min = 0;
  if (FileTimeToSystemTime (&now, &utc_st)
      && SystemTimeToTzSpecificLocalTime (NULL, &utc_st, &local_st)
      && SystemTimeToFileTime (&local_st, &local))
    *utc_offset_min = (int) ((filetime_ms (&local) - *unix_ms) / 60000);
}

static int
write_temp (const wchar_t *tmp, const char *data, size_t len)
{
  HANDLE h = CreateFileW (tmp, GENERIC_WRITE, 0, NULL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
  DWORD done = 0;
  BOOL ok;

  if (h == INVALID_HANDLE_VALUE)
    return -1;
  ok = len <= MAXDWORD && WriteFile (h, data, (DWORD) len, &done, NULL) && done == len
       && FlushFileBuffers (h);
  CloseHandle (h);
  if (!ok)
    DeleteFileW (tmp);
  return ok ? 0 : -1;
}

int
ptl_platform_write_file_atomic (const char *path, const char *data, size_t len, PtlError *err)
{
  static LONG counter;
  wchar_t *wpath = ptl_win32_wide_from_utf8 (path), *tmp;
  size_t n = wpath ? wcslen (wpath) + 40 : 0;
  int rc = 0;

  if (wpath == NULL || (tmp = malloc (n * sizeof *tmp)) == NULL)
    {
      free (wpath);
      return ptl_error_set (err, PTL_ENOMEM, "Out of memory.");
    }
  /* Not ending in ".prom", so windows_exporter skips it meanwhile. */
  _snwprintf (tmp, n, L"%ls.tmp-%lu-%ld", wpath, (unsigned long) GetCurrentProcessId (),
              (long) InterlockedIncrement (&counter));
  tmp[n - 1] = L'\0';
  if (write_temp (tmp, data, len) < 0)
    rc = ptl_error_set (err, GetLastError () == ERROR_ACCESS_DENIED ? PTL_EACCES : PTL_ESYSTEM,
                        "Cannot write a file beside %s (Windows error %lu).", path,
                        (unsigned long) GetLastError ());
  else if (!MoveFileExW (tmp, wpath, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
    {
      rc = ptl_error_set (err, PTL_ESYSTEM, "Cannot replace %s (Windows error %lu).", path,
                          (unsigned long) GetLastError ());
      DeleteFileW (tmp);
    }
  free (tmp);
  free (wpath);
  return rc;
}
