/* ptl-win32-terminate.c: ending a process, under the same rules as on
 * Linux: never the System Idle Process, System or ourselves, and only the
 * very process that was checked (same creation time). */
#include <windows.h>

#include "ptl-win32-logic.h"
#include "ptl-win32-private.h"

#define PTL_WIN32_CRITICAL_REASON                                                                  \
  PTL_N_ ("a critical Windows process: ending it forces Windows to restart")

/* IsProcessCritical exists from Windows 8.1 on; looked up so the tool
 * still starts on 7. */
static bool
marked_critical (long pid)
{
  typedef BOOL (WINAPI * CriticalFn) (HANDLE, PBOOL);
  CriticalFn fn = (CriticalFn) (void (*) (void)) GetProcAddress (GetModuleHandleW (L"kernel32.dll"),
                                                                 "IsProcessCritical");
  HANDLE h;
  BOOL critical = FALSE;

  if (fn == NULL
      || (h = OpenProcess (PROCESS_QUERY_LIMITED_INFORMATION, FALSE, (DWORD) pid)) == NULL)
    return false;
  if (!fn (h, &critical))
    critical = FALSE;
  CloseHandle (h);
  return critical != FALSE;
}

/* Marked critical, or named like one of the processes Windows cannot run
 * without (lsass.exe listens on 49664 on a typical machine). The name is
 * checked even where the mark cannot be read (not elevated, Wine). */
static bool
is_critical (long pid)
{
  char name[MAX_PATH];

  if (marked_critical (pid))
    return true;
  return ptl_win32_snapshot_name (pid, name, sizeof name) && ptl_win32_critical_name (name);
}

bool
ptl_platform_pid_is_protected (long pid, const char **why)
{
  const char *reason = NULL;

  if (pid == 0)
    reason = PTL_N_ ("the System Idle Process");
  else if (pid == 4)
    reason = PTL_N_ ("Windows itself (System)");
  else if (pid < 0)
    reason = PTL_N_ ("not a process");
  else if (pid == ptl_platform_self_pid ())
    reason = PTL_N_ ("this tool");
  else if (is_critical (pid))
    reason = PTL_WIN32_CRITICAL_REASON;
  if (why)
    *why = reason;
  return reason != NULL;
}

const char *
ptl_platform_protected_more (void)
{
  return PTL_N_ ("critical Windows processes (lsass.exe, csrss.exe, wininit.exe, services.exe, "
                 "smss.exe, winlogon.exe, and any marked critical)");
}

const char *
ptl_platform_terminate_method (void)
{
  return "TerminateProcess";
}

bool
ptl_platform_may_terminate (long pid)
{
  HANDLE h = OpenProcess (PROCESS_TERMINATE, FALSE, (DWORD) pid);

  if (h != NULL)
    {
      CloseHandle (h);
      return true;
    }
  return GetLastError () != ERROR_ACCESS_DENIED;
}

static uint64_t
creation_time (HANDLE h)
{
  FILETIME created, exited, kernel, user;

  if (!GetProcessTimes (h, &created, &exited, &kernel, &user))
    return 0;
  return ((uint64_t) created.dwHighDateTime << 32) | created.dwLowDateTime;
}

static bool
still_running (HANDLE h)
{
  return WaitForSingleObject (h, 0) == WAIT_TIMEOUT;
}

bool
ptl_platform_process_alive (long pid, uint64_t start_time)
{
  HANDLE h = OpenProcess (PROCESS_QUERY_LIMITED_INFORMATION | SYNCHRONIZE, FALSE, (DWORD) pid);
  bool alive;

  if (h == NULL)
    /* Denied means it exists; whether it is the same one we cannot tell. */
    return GetLastError () == ERROR_ACCESS_DENIED && start_time == 0;
  alive = still_running (h) && (start_time == 0 || creation_time (h) == start_time);
  CloseHandle (h);
  return alive;
}

/* The handle pins the process: once it is open, the PID cannot be reused
 * for another one, so the creation-time check and TerminateProcess talk
 * about the same process (the job a pidfd does on Linux). */
int
ptl_platform_terminate (long pid, uint64_t start_time, PtlError *err)
{
  HANDLE h;
  DWORD access = PROCESS_TERMINATE | PROCESS_QUERY_LIMITED_INFORMATION | SYNCHRONIZE;
  DWORD error;
  const char *why;

  if (ptl_platform_pid_is_protected (pid, &why))
    return ptl_error_set (err, PTL_EACCES, "Refusing to end process %ld: it is %s.", pid, why);
  if ((h = OpenProcess (access, FALSE, (DWORD) pid)) == NULL)
    {
      if (GetLastError () == ERROR_ACCESS_DENIED)
        return ptl_error_set (err, PTL_EACCES,
                              "Not allowed to end process %ld: it belongs to another user or "
                              "to the system (run as administrator).",
                              pid);
      return ptl_error_set (err, PTL_ENOTFOUND,
                            "Process %ld is no longer the one that was checked; nothing was sent.",
                            pid);
    }
  if (!still_running (h) || (start_time != 0 && creation_time (h) != start_time))
    {
      CloseHandle (h);
      return ptl_error_set (err, PTL_ENOTFOUND,
                            "Process %ld is no longer the one that was checked; nothing was sent.",
                            pid);
    }
  error = TerminateProcess (h, 1) ? 0 : GetLastError ();
  CloseHandle (h);
  if (error)
    return ptl_error_set (err, PTL_EACCES, "Windows refused to end process %ld (error %lu).", pid,
                          (unsigned long) error);
  return 0;
}
