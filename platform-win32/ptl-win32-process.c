/* ptl-win32-process.c: one process's details, and ending it safely. */
#include <windows.h>
#include <winternl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptl-win32-private.h"

/* PIDs Windows gives to its own pseudo-processes. */
#define PTL_WIN32_PID_IDLE 0
#define PTL_WIN32_PID_SYSTEM 4

long
ptl_platform_self_pid (void)
{
  return (long) GetCurrentProcessId ();
}

static HANDLE
open_query (long pid, DWORD extra)
{
  return OpenProcess (PROCESS_QUERY_LIMITED_INFORMATION | extra, FALSE, (DWORD) pid);
}

static uint64_t
handle_start_time (HANDLE h)
{
  FILETIME created, exited, kernel, user;

  if (!GetProcessTimes (h, &created, &exited, &kernel, &user))
    return 0;
  return ((uint64_t) created.dwHighDateTime << 32) | created.dwLowDateTime;
}

/* "DOMAIN\user" (or "user") of the token's owner, into @out. */
static void
token_user (HANDLE process, char *out, size_t size)
{
  union
  {
    TOKEN_USER tu;
    BYTE raw[256];
  } info;
  wchar_t name[128], domain[128], both[260];
  DWORD len = sizeof info, n = 128, d = 128;
  SID_NAME_USE use;
  HANDLE token;

  if (!OpenProcessToken (process, TOKEN_QUERY, &token))
    return;
  if (GetTokenInformation (token, TokenUser, &info, len, &len)
      && LookupAccountSidW (NULL, info.tu.User.Sid, name, &n, domain, &d, &use))
    {
      if (domain[0])
        _snwprintf (both, 260, L"%ls\\%ls", domain, name);
      else
        _snwprintf (both, 260, L"%ls", name);
      both[259] = L'\0';
      ptl_win32_utf8_into (both, out, size);
    }
  CloseHandle (token);
}

static char *
image_path (HANDLE h)
{
  wchar_t path[MAX_PATH * 4];
  DWORD n = MAX_PATH * 4;

  if (!QueryFullProcessImageNameW (h, 0, path, &n))
    return NULL;
  return ptl_win32_utf8_from_wide (path, (int) n);
}

static char *
base_name (const char *path)
{
  const char *slash = strrchr (path, '\\');

  return strdup (slash ? slash + 1 : path);
}

/* The command line of another process. Documented only as an NTSTATUS
 * query (ProcessCommandLineInformation, Windows 8.1+); older systems, Wine
 * 8 and denied access leave it empty. */
static char *
other_command_line (HANDLE h)
{
  typedef LONG (WINAPI * QueryFn) (HANDLE, int, PVOID, ULONG, PULONG);
  QueryFn query = (QueryFn) (void (*) (void)) GetProcAddress (GetModuleHandleW (L"ntdll.dll"),
                                                              "NtQueryInformationProcess");
  ULONG len = 0;
  UNICODE_STRING *us;
  char *s;

  if (query == NULL)
    return NULL;
  query (h, 60 /* ProcessCommandLineInformation */, NULL, 0, &len);
  if (len < sizeof (UNICODE_STRING) || len > (1u << 20) || (us = malloc (len)) == NULL)
    return NULL;
  if (query (h, 60, us, len, &len) < 0 || us->Buffer == NULL)
    {
      free (us);
      return NULL;
    }
  s = ptl_win32_utf8_from_wide (us->Buffer, us->Length / (int) sizeof (wchar_t));
  free (us);
  return s;
}

static char *
command_line (HANDLE h)
{
  if (GetProcessId (h) == GetCurrentProcessId ())
    return ptl_win32_utf8_from_wide (GetCommandLineW (), -1);
  return other_command_line (h);
}

static void
set_string (char **field, char *value)
{
  free (*field);
  *field = value ? value : strdup ("");
}

static void
read_handle (HANDLE h, PtlProcess *out)
{
  char *path = image_path (h);

  if (path)
    {
      set_string (&out->name, base_name (path));
      set_string (&out->path, path);
    }
  set_string (&out->cmdline, command_line (h));
  token_user (h, out->user, sizeof out->user);
  out->start_time = handle_start_time (h);
}

/* svchost.exe hosts several services; naming them is what makes the
 * row useful ("svchost.exe (Dnscache, NlaSvc)"). */
static void
add_services (const PtlWin32Services *services, long pid, PtlProcess *out)
{
  char names[512], *both;
  size_t len;

  if (ptl_win32_services_of (services, pid, names, sizeof names) == 0)
    return;
  len = strlen (out->name) + strlen (names) + 4;
  if ((both = malloc (len)) == NULL)
    return;
  snprintf (both, len, "%s (%s)", out->name, names);
  set_string (&out->name, both);
}

int
ptl_win32_process_read (long pid, const char *snapshot_name, const PtlWin32Services *services,
                        PtlProcess *out, bool *hidden)
{
  HANDLE h;

  memset (out, 0, sizeof *out);
  out->pid = pid;
  out->uid = -1;
  out->name = strdup (pid == PTL_WIN32_PID_IDLE     ? "System Idle Process"
                      : pid == PTL_WIN32_PID_SYSTEM ? "System"
                      : snapshot_name               ? snapshot_name
                                                    : "");
  out->path = strdup ("");
  out->cmdline = strdup ("");
  *hidden = false;
  if (pid == PTL_WIN32_PID_IDLE || pid == PTL_WIN32_PID_SYSTEM)
    return 0;
  if ((h = open_query (pid, SYNCHRONIZE)) == NULL && GetLastError () == ERROR_ACCESS_DENIED)
    h = open_query (pid, 0);
  if (h == NULL)
    {
      *hidden = GetLastError () == ERROR_ACCESS_DENIED;
      if (snapshot_name == NULL && !*hidden)
        return PTL_ENOTFOUND;
      add_services (services, pid, out);
      return 0;
    }
  /* A process that ended stays openable while anyone holds a handle. */
  if (WaitForSingleObject (h, 0) == WAIT_OBJECT_0)
    {
      CloseHandle (h);
      return PTL_ENOTFOUND;
    }
  read_handle (h, out);
  CloseHandle (h);
  add_services (services, pid, out);
  return 0;
}

int
ptl_platform_process_info (long pid, PtlProcess *out, PtlError *err)
{
  PtlWin32Services *services = ptl_win32_services_load ();
  char name[MAX_PATH];
  bool hidden;
  int rc;

  name[0] = '\0';
  ptl_win32_snapshot_name (pid, name, sizeof name);
  rc = ptl_win32_process_read (pid, name[0] ? name : NULL, services, out, &hidden);
  ptl_win32_services_free (services);
  if (rc < 0)
    {
      ptl_process_clear (out);
      return ptl_error_set (err, PTL_ENOTFOUND, "Process %ld does not exist.", pid);
    }
  return 0;
}

bool
ptl_platform_is_privileged (void)
{
  TOKEN_ELEVATION elevation;
  DWORD len = sizeof elevation;
  HANDLE token;
  bool yes = false;

  if (!OpenProcessToken (GetCurrentProcess (), TOKEN_QUERY, &token))
    return false;
  if (GetTokenInformation (token, TokenElevation, &elevation, len, &len))
    yes = elevation.TokenIsElevated != 0;
  CloseHandle (token);
  return yes;
}
