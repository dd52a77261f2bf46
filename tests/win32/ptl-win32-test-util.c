/* ptl-win32-test-util.c: child processes for the Windows tests. */
#include "ptl-win32-test-util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

const wchar_t *
tu_sibling (const wchar_t *rel)
{
  static wchar_t path[MAX_PATH * 2];
  DWORD n = GetModuleFileNameW (NULL, path, MAX_PATH);
  wchar_t *slash;

  path[n < MAX_PATH ? n : MAX_PATH - 1] = L'\0';
  if ((slash = wcsrchr (path, L'\\')) != NULL)
    slash[1] = L'\0';
  wcsncat (path, rel, MAX_PATH - wcslen (path) - 1);
  return path;
}

const char *
tu_self_name (void)
{
  static char name[MAX_PATH];
  wchar_t path[MAX_PATH];
  DWORD n = GetModuleFileNameW (NULL, path, MAX_PATH);
  const wchar_t *slash;

  path[n < MAX_PATH ? n : MAX_PATH - 1] = L'\0';
  slash = wcsrchr (path, L'\\');
  WideCharToMultiByte (CP_UTF8, 0, slash ? slash + 1 : path, -1, name, sizeof name, NULL, NULL);
  return name;
}

static HANDLE
temp_file (wchar_t *path)
{
  SECURITY_ATTRIBUTES sa = { sizeof sa, NULL, TRUE };
  wchar_t dir[MAX_PATH];

  GetTempPathW (MAX_PATH, dir);
  GetTempFileNameW (dir, L"ptl", 0, path);
  return CreateFileW (path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa,
                      CREATE_ALWAYS, FILE_ATTRIBUTE_TEMPORARY, NULL);
}

static char *
slurp (const wchar_t *path, size_t *len)
{
  FILE *f = _wfopen (path, L"rb");
  char *buf = NULL;
  long n;

  *len = 0;
  if (f == NULL)
    return calloc (1, 1);
  fseek (f, 0, SEEK_END);
  n = ftell (f);
  fseek (f, 0, SEEK_SET);
  if (n >= 0 && (buf = malloc ((size_t) n + 1)) != NULL)
    {
      *len = fread (buf, 1, (size_t) n, f);
      buf[*len] = '\0';
    }
  fclose (f);
  return buf ? buf : calloc (1, 1);
}

static wchar_t *
command_line (const wchar_t *exe, const wchar_t *args)
{
  size_t n = wcslen (exe) + wcslen (args) + 8;
  wchar_t *line = malloc (n * sizeof *line);

  if (line)
    _snwprintf (line, n, L"\"%ls\" %ls", exe, args), line[n - 1] = L'\0';
  return line;
}

static bool
start (const wchar_t *exe, const wchar_t *args, HANDLE in, HANDLE out, HANDLE err,
       PROCESS_INFORMATION *pi)
{
  STARTUPINFOW si;
  wchar_t *line = command_line (exe, args);
  BOOL ok;

  memset (&si, 0, sizeof si);
  si.cb = sizeof si;
  si.dwFlags = STARTF_USESTDHANDLES;
  si.hStdInput = in;
  si.hStdOutput = out;
  si.hStdError = err;
  ok = line && CreateProcessW (exe, line, NULL, NULL, TRUE, 0, NULL, NULL, &si, pi);
  free (line);
  return ok;
}

bool
tu_run (const wchar_t *exe, const wchar_t *args, unsigned timeout_ms, TuResult *r)
{
  SECURITY_ATTRIBUTES sa = { sizeof sa, NULL, TRUE };
  wchar_t out_path[MAX_PATH], err_path[MAX_PATH];
  HANDLE out = temp_file (out_path), err = temp_file (err_path);
  HANDLE nul = CreateFileW (L"NUL", GENERIC_READ, FILE_SHARE_READ, &sa, OPEN_EXISTING, 0, NULL);
  PROCESS_INFORMATION pi;
  bool ok = start (exe, args, nul, out, err, &pi);

  memset (r, 0, sizeof *r);
  CloseHandle (out);
  CloseHandle (err);
  CloseHandle (nul);
  if (ok)
    {
      r->timed_out = WaitForSingleObject (pi.hProcess, timeout_ms) != WAIT_OBJECT_0;
      if (r->timed_out)
        TerminateProcess (pi.hProcess, 99), WaitForSingleObject (pi.hProcess, 5000);
      GetExitCodeProcess (pi.hProcess, &r->exit_code);
      CloseHandle (pi.hThread);
      CloseHandle (pi.hProcess);
    }
  r->out = slurp (out_path, &r->out_len);
  r->err = slurp (err_path, &r->err_len);
  DeleteFileW (out_path);
  DeleteFileW (err_path);
  return ok;
}

void
tu_result_clear (TuResult *r)
{
  free (r->out);
  free (r->err);
  r->out = r->err = NULL;
}

bool
tu_spawn (const wchar_t *exe, const wchar_t *args, HANDLE *process, HANDLE *out_pipe)
{
  SECURITY_ATTRIBUTES sa = { sizeof sa, NULL, TRUE };
  PROCESS_INFORMATION pi;
  HANDLE rd, wr;
  bool ok;

  if (!CreatePipe (&rd, &wr, &sa, 0))
    return false;
  SetHandleInformation (rd, HANDLE_FLAG_INHERIT, 0);
  ok = start (exe, args, NULL, wr, GetStdHandle (STD_ERROR_HANDLE), &pi);
  CloseHandle (wr);
  if (!ok)
    {
      CloseHandle (rd);
      return false;
    }
  CloseHandle (pi.hThread);
  *process = pi.hProcess;
  *out_pipe = rd;
  return true;
}

bool
tu_read_line (HANDLE pipe, char *buf, size_t size)
{
  size_t n = 0;
  DWORD got;
  char c;

  while (n + 1 < size && ReadFile (pipe, &c, 1, &got, NULL) && got == 1)
    {
      if (c == '\n')
        break;
      if (c != '\r')
        buf[n++] = c;
    }
  buf[n] = '\0';
  return n > 0;
}
