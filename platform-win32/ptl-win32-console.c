/* ptl-win32-console.c: console, command line, clocks and waiting. */
#include <windows.h>

#include <fcntl.h>
#include <io.h>
#include <shellapi.h>
#include <stdio.h>
#include <stdlib.h>

#include "ptl-win32-private.h"

static volatile UINT saved_output_cp;

static void
restore_output_cp (void)
{
  if (saved_output_cp)
    SetConsoleOutputCP (saved_output_cp);
}

/* Ctrl+C, Ctrl+Break or a closed window end the process without running
 * atexit: the console would keep UTF-8 for whatever runs next. FALSE lets
 * the next handler (in the end Windows' own: exit) go on. */
BOOL WINAPI
ptl_win32_console_ctrl (DWORD type)
{
  if (type == CTRL_C_EVENT || type == CTRL_BREAK_EVENT || type == CTRL_CLOSE_EVENT)
    restore_output_cp ();
  return FALSE;
}

/* Our text is UTF-8 with "\n" line ends, as on Linux. A console shows
 * UTF-8 once its output code page says so; files and pipes get the bytes
 * unchanged (binary mode: no CR added, so JSON and CSV are identical on
 * both systems). Console hosts end lines on a bare "\n" themselves. */
void
ptl_platform_stop_self (void)
{
  SuspendThread (GetCurrentThread ());
}

void
ptl_platform_init_console (void)
{
  UINT cp = GetConsoleOutputCP ();

  if (cp != 0 && cp != CP_UTF8 && SetConsoleOutputCP (CP_UTF8))
    {
      saved_output_cp = cp;
      atexit (restore_output_cp);
      SetConsoleCtrlHandler (ptl_win32_console_ctrl, TRUE);
    }
  _setmode (_fileno (stdout), _O_BINARY);
  _setmode (_fileno (stderr), _O_BINARY);
  /* Whole answers in one write: a console never sees half a character. */
  setvbuf (stdout, NULL, _IOFBF, 64 * 1024);
}

void
ptl_platform_utf8_argv (int *argc, char ***argv)
{
  int n = 0;
  wchar_t **wargv = CommandLineToArgvW (GetCommandLineW (), &n);
  char **out;

  if (wargv == NULL || n <= 0 || (out = calloc ((size_t) n + 1, sizeof *out)) == NULL)
    {
      if (wargv)
        LocalFree (wargv);
      return;
    }
  for (int i = 0; i < n; i++)
    if ((out[i] = ptl_win32_utf8_from_wide (wargv[i], -1)) == NULL)
      {
        /* Out of memory this early: keep what the C runtime gave. */
        LocalFree (wargv);
        return;
      }
  LocalFree (wargv);
  *argc = n;
  *argv = out; /* lives until exit, like the runtime's own argv */
}

bool
ptl_platform_stdin_is_terminal (void)
{
  HANDLE h = GetStdHandle (STD_INPUT_HANDLE);
  DWORD mode;

  /* _isatty() is also true for NUL; only a console can answer a question. */
  return h != NULL && h != INVALID_HANDLE_VALUE && GetFileType (h) == FILE_TYPE_CHAR
         && GetConsoleMode (h, &mode);
}

/* A console hands over what was typed as UTF-16; the code page would
 * lose it. Redirected input is read as bytes. */
bool
ptl_platform_read_answer (char *buf, size_t size)
{
  HANDLE h = GetStdHandle (STD_INPUT_HANDLE);
  wchar_t line[256];
  DWORD mode, got = 0;

  if (size == 0)
    return false;
  if (!ptl_platform_stdin_is_terminal () || !GetConsoleMode (h, &mode))
    return fgets (buf, (int) size, stdin) != NULL;
  if (!ReadConsoleW (h, line, 255, &got, NULL) || got == 0)
    return false;
  line[got] = L'\0';
  ptl_win32_utf8_into (line, buf, size);
  return true;
}

void
ptl_platform_sleep_ms (unsigned ms)
{
  Sleep (ms);
}

uint64_t
ptl_platform_monotonic_ms (void)
{
  return (uint64_t) GetTickCount64 ();
}
