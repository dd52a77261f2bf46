/* ptl-win32-elevate.c: "Restart as Administrator…": the app starts itself
 * again through the UAC prompt (ShellExecuteExW with the "runas" verb),
 * with the same query and view, and the old window closes once the new
 * process runs. The parameters come from ptl_relaunch_parameters, quoted
 * for CommandLineToArgvW, which GApplication uses to split them again.
 */
#include <windows.h>

#include <objbase.h>
#include <shellapi.h>
#include <stdlib.h>

#include "ptl-cmdline.h"
#include "ptl-win32-private.h"

/* How long a new window may take to be ready for input. */
#define START_WAIT_MS 30000

PtlElevation
ptl_platform_elevation (void)
{
  return ptl_platform_is_privileged () ? PTL_ELEVATION_NONE : PTL_ELEVATION_RESTART;
}

/* This program's own path, malloc'ed; NULL when Windows will not say. */
static wchar_t *
own_path (void)
{
  for (DWORD size = MAX_PATH; size <= 32768; size *= 2)
    {
      wchar_t *path = malloc (size * sizeof *path);
      DWORD n = path ? GetModuleFileNameW (NULL, path, size) : 0;

      if (n > 0 && n < size)
        return path;
      free (path);
      if (n == 0)
        return NULL;
    }
  return NULL;
}

/* The new process runs once it waits for input (a window up), or, when it
 * has no message queue, as long as it has not exited. */
static int
wait_started (HANDLE process, PtlError *err)
{
  DWORD code = 0;

  WaitForInputIdle (process, START_WAIT_MS);
  if (!GetExitCodeProcess (process, &code) || code == STILL_ACTIVE)
    return 0;
  return ptl_error_set (err, PTL_ESYSTEM,
                        "The new window closed as it started (exit code %lu); this one stays.",
                        (unsigned long) code);
}

static int
shell_execute (const wchar_t *program, const wchar_t *params, PtlError *err)
{
  SHELLEXECUTEINFOW sei = { 0 };
  int rc = 0;

  sei.cbSize = sizeof sei;
  sei.fMask = SEE_MASK_NOCLOSEPROCESS | SEE_MASK_NOASYNC | SEE_MASK_FLAG_NO_UI;
  sei.lpVerb = L"runas";
  sei.lpFile = program;
  sei.lpParameters = params;
  sei.nShow = SW_SHOWNORMAL;
  if (!ShellExecuteExW (&sei))
    {
      DWORD e = GetLastError ();

      if (e == ERROR_CANCELLED)
        return ptl_error_set (err, PTL_ECANCELED, "Administrator rights were not given.");
      return ptl_error_set (err, PTL_ESYSTEM, "Windows could not start Portolan again (error %lu).",
                            (unsigned long) e);
    }
  /* No handle: started through a path that gives none (DDE); it started. */
  if (sei.hProcess != NULL)
    {
      rc = wait_started (sei.hProcess, err);
      CloseHandle (sei.hProcess);
    }
  return rc;
}

int
ptl_platform_restart_elevated (const char *query, const char *view, PtlError *err)
{
  PtlBuf params;
  wchar_t *program = NULL, *wparams = NULL;
  HRESULT com;
  int rc;

  ptl_buf_init (&params);
  if ((rc = ptl_relaunch_parameters (query, view, &params, err)) < 0)
    goto out;
  program = own_path ();
  wparams = params.failed ? NULL : ptl_win32_wide_from_utf8 (ptl_buf_str (&params));
  if (program == NULL || wparams == NULL)
    {
      rc = ptl_error_set (err, PTL_ESYSTEM, "Cannot tell where this program is.");
      goto out;
    }
  /* ShellExecuteExW may hand the verb to COM: an apartment of its own on
   * this thread, as Microsoft asks. */
  com = CoInitializeEx (NULL, COINIT_APARTMENTTHREADED | COINIT_DISABLE_OLE1DDE);
  rc = shell_execute (program, wparams, err);
  if (SUCCEEDED (com))
    CoUninitialize ();
out:
  ptl_buf_clear (&params);
  free (program);
  free (wparams);
  return rc;
}
