/* ptl-win32-run.c: running another program (ssh.exe, for --host) with an
 * argument vector.
 *
 * Windows passes a program one command line, which the program splits
 * itself; OpenSSH for Windows, like every MSVCRT or UCRT program, splits it
 * with the CommandLineToArgvW rules. So the vector is joined with those
 * rules' quoting (core/ptl-cmdline.c: backslashes double only before a
 * quote) and arrives as it was. No shell reads it. The program is looked up in PATH only, not
 * in the current directory, so a stray ssh.exe there is never run.
 */
#include <windows.h>

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "ptl-cmdline.h"
#include "ptl-win32-private.h"

#define ERR_KEEP (64 * 1024)

/* The vector as one command line, each argument quoted for
 * CommandLineToArgvW by the core (ptl-cmdline.c), in UTF-16. */
static wchar_t *
command_line (const char *const *argv)
{
  PtlBuf line;
  wchar_t *w = NULL;

  ptl_buf_init (&line);
  for (size_t i = 0; argv[i]; i++)
    {
      if (i)
        ptl_buf_puts (&line, " ");
      ptl_cmdline_append_arg (&line, argv[i]);
    }
  if (!line.failed)
    w = ptl_win32_wide_from_utf8 (ptl_buf_str (&line));
  ptl_buf_clear (&line);
  return w;
}

static bool
is_file (const wchar_t *path)
{
  DWORD a = GetFileAttributesW (path);

  return a != INVALID_FILE_ATTRIBUTES && !(a & FILE_ATTRIBUTE_DIRECTORY);
}

/* Tries DIR\name and DIR\name.exe. */
static bool
in_dir (const wchar_t *dir, size_t dir_len, const wchar_t *name, wchar_t *out, size_t size)
{
  if (dir_len == 0)
    return false;
  _snwprintf (out, size, L"%.*ls\\%ls", (int) dir_len, dir, name);
  out[size - 1] = L'\0';
  if (is_file (out))
    return true;
  _snwprintf (out, size, L"%.*ls\\%ls.exe", (int) dir_len, dir, name);
  out[size - 1] = L'\0';
  return is_file (out);
}

/* @name as given when it holds a path, else the first DIR\name or
 * DIR\name.exe along PATH. */
static bool
find_program (const wchar_t *name, wchar_t *out, size_t size)
{
  wchar_t path[8192];
  DWORD n;

  if (wcspbrk (name, L"\\/:") != NULL)
    {
      _snwprintf (out, size, L"%ls", name);
      out[size - 1] = L'\0';
      return is_file (out);
    }
  n = GetEnvironmentVariableW (L"PATH", path, sizeof path / sizeof path[0]);
  if (n == 0 || n >= sizeof path / sizeof path[0])
    return false;
  for (const wchar_t *dir = path; *dir;)
    {
      size_t len = wcscspn (dir, L";");

      if (in_dir (dir, len, name, out, size))
        return true;
      dir += len + (dir[len] == L';');
    }
  return false;
}

/* Moves what @pipe holds now into @buf (the first @keep bytes kept);
 * false once the writer is gone and nothing is left. */
static bool
drain (HANDLE pipe, PtlBuf *buf, size_t keep)
{
  char chunk[4096];
  DWORD avail = 0, got = 0;

  if (!PeekNamedPipe (pipe, NULL, 0, NULL, &avail, NULL))
    return false;
  while (avail > 0
         && ReadFile (pipe, chunk, sizeof chunk < avail ? sizeof chunk : avail, &got, NULL)
         && got > 0)
    {
      if (buf != NULL && buf->len < keep)
        ptl_buf_append (buf, chunk, got < keep - buf->len ? got : keep - buf->len);
      avail -= got;
    }
  return true;
}

/* Reads both pipes until the child has ended and they are empty; a stop
 * asked meanwhile (Ctrl+C reaches the child too) ends the child. */
static void
collect (HANDLE process, HANDLE out_pipe, PtlBuf *out, HANDLE err_pipe, PtlBuf *errout)
{
  bool out_open = out_pipe != NULL, err_open = true, ended = false;

  while (!ended || out_open || err_open)
    {
      if (out_open)
        out_open = drain (out_pipe, out, (size_t) -1);
      err_open = drain (err_pipe, errout, ERR_KEEP);
      if (!ended)
        ended = WaitForSingleObject (process, 10) == WAIT_OBJECT_0;
      else if (out_open || err_open)
        Sleep (1);
      if (!ended && ptl_platform_stop_requested ())
        TerminateProcess (process, 255);
    }
}

typedef struct
{
  HANDLE out_rd, out_wr, err_rd, err_wr;
} Pipes;

static bool
make_pipe (HANDLE *rd, HANDLE *wr)
{
  SECURITY_ATTRIBUTES sa = { sizeof sa, NULL, TRUE };

  if (!CreatePipe (rd, wr, &sa, 0))
    return false;
  SetHandleInformation (*rd, HANDLE_FLAG_INHERIT, 0);
  return true;
}

static void
close_handle (HANDLE *h)
{
  if (*h != NULL)
    CloseHandle (*h);
  *h = NULL;
}

static int
spawn (const wchar_t *program, wchar_t *line, Pipes *p, PROCESS_INFORMATION *pi)
{
  STARTUPINFOW si;
  BOOL ok;

  memset (&si, 0, sizeof si);
  si.cb = sizeof si;
  si.dwFlags = STARTF_USESTDHANDLES;
  si.hStdInput = NULL; /* like ssh -n: nothing to read */
  si.hStdOutput = p->out_wr ? p->out_wr : GetStdHandle (STD_OUTPUT_HANDLE);
  si.hStdError = p->err_wr;
  ok = CreateProcessW (program, line, NULL, NULL, TRUE, 0, NULL, NULL, &si, pi);
  close_handle (&p->out_wr); /* the child holds the only writers now */
  close_handle (&p->err_wr);
  return ok ? 0 : -1;
}

static wchar_t **
wide_argv (const char *const *argv)
{
  size_t n = 0;
  wchar_t **w;

  while (argv[n])
    n++;
  if ((w = calloc (n + 1, sizeof *w)) == NULL)
    return NULL;
  for (size_t i = 0; i < n; i++)
    if ((w[i] = ptl_win32_wide_from_utf8 (argv[i])) == NULL)
      {
        for (size_t j = 0; j < i; j++)
          free (w[j]);
        free (w);
        return NULL;
      }
  return w;
}

static void
free_wide_argv (wchar_t **w)
{
  for (size_t i = 0; w && w[i]; i++)
    free (w[i]);
  free (w);
}

static int
run_found (const wchar_t *program, const char *const *argv, PtlBuf *out, PtlBuf *errout,
           int *status, PtlError *err)
{
  Pipes p = { NULL, NULL, NULL, NULL };
  PROCESS_INFORMATION pi;
  wchar_t *line = command_line (argv);
  DWORD code = 0;
  int rc;

  if (line == NULL)
    return ptl_error_set (err, PTL_ENOMEM, "Out of memory.");
  if ((out != NULL && !make_pipe (&p.out_rd, &p.out_wr)) || !make_pipe (&p.err_rd, &p.err_wr))
    {
      close_handle (&p.out_rd), close_handle (&p.out_wr), free (line);
      return ptl_error_set (err, PTL_ESYSTEM, "Cannot make a pipe (Windows error %lu).",
                            (unsigned long) GetLastError ());
    }
  rc = spawn (program, line, &p, &pi);
  free (line);
  if (rc < 0)
    {
      close_handle (&p.out_rd), close_handle (&p.err_rd);
      return ptl_error_set (err, PTL_ESYSTEM, "Cannot start %ls (Windows error %lu).", program,
                            (unsigned long) GetLastError ());
    }
  collect (pi.hProcess, p.out_rd, out, p.err_rd, errout);
  GetExitCodeProcess (pi.hProcess, &code);
  *status = (int) (code & 0xFF);
  CloseHandle (pi.hThread);
  CloseHandle (pi.hProcess);
  close_handle (&p.out_rd), close_handle (&p.err_rd);
  return 0;
}

int
ptl_platform_run (const char *const *argv, PtlBuf *out, PtlBuf *errout, int *status, PtlError *err)
{
  wchar_t **wargv = wide_argv (argv), program[MAX_PATH * 2];
  int rc;

  *status = -1;
  if (wargv == NULL)
    return ptl_error_set (err, PTL_ENOMEM, "Out of memory.");
  if (!find_program (wargv[0], program, sizeof program / sizeof program[0]))
    rc = ptl_error_set (err, PTL_ENOTFOUND, "Cannot run %s: not found on the PATH.", argv[0]);
  else
    rc = run_found (program, argv, out, errout, status, err);
  free_wide_argv (wargv);
  return rc;
}
