/* ptl-win32-rules.c: the dynamic (ephemeral) port range and the excluded
 * port ranges. No documented API lists them, so netsh is asked, the way
 * admins do. It is run directly (no cmd.exe, full path from the system
 * directory) with its output read through a pipe, under a time limit.
 * When netsh is missing or silent (Wine), the rules are unknown: never
 * guessed. */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptl-win32-netsh.h"
#include "ptl-win32-private.h"

#define NETSH_TIMEOUT_MS 5000
#define NETSH_OUTPUT_MAX (64 * 1024)

int
ptl_win32_system_dir (wchar_t *out, size_t size)
{
  UINT n = GetSystemDirectoryW (out, (UINT) size);

  return n > 0 && n < size ? 0 : PTL_ESYSTEM;
}

/* Quotes nothing: our arguments are fixed words without spaces or quotes. */
static wchar_t *
join_args (const wchar_t *const *argv)
{
  size_t len = 1;
  wchar_t *line;

  for (size_t i = 0; argv[i]; i++)
    len += wcslen (argv[i]) + 3;
  if ((line = calloc (len, sizeof *line)) == NULL)
    return NULL;
  for (size_t i = 0; argv[i]; i++)
    {
      if (i)
        wcscat (line, L" ");
      if (wcschr (argv[i], L' '))
        wcscat (line, L"\""), wcscat (line, argv[i]), wcscat (line, L"\"");
      else
        wcscat (line, argv[i]);
    }
  return line;
}

/* Reads what is in the pipe now; false at end of output. */
static bool
drain (HANDLE pipe, char *out, size_t size, size_t *len)
{
  DWORD avail = 0, got = 0;
  char sink[512];

  if (!PeekNamedPipe (pipe, NULL, 0, NULL, &avail, NULL))
    return false; /* broken pipe: the writer is gone */
  if (avail == 0)
    return true;
  if (*len + 1 < size)
    {
      DWORD want = (DWORD) (size - 1 - *len) < avail ? (DWORD) (size - 1 - *len) : avail;
      if (ReadFile (pipe, out + *len, want, &got, NULL))
        *len += got;
    }
  else
    ReadFile (pipe, sink, avail < sizeof sink ? avail : sizeof sink, &got, NULL);
  return true;
}

static long
collect (HANDLE process, HANDLE pipe, char *out, size_t size, unsigned timeout_ms)
{
  ULONGLONG deadline = GetTickCount64 () + timeout_ms;
  size_t len = 0;

  for (;;)
    {
      bool open = drain (pipe, out, size, &len);
      bool ended = WaitForSingleObject (process, 10) == WAIT_OBJECT_0;

      if (!open || (ended && !drain (pipe, out, size, &len)))
        break;
      if (GetTickCount64 () > deadline)
        {
          TerminateProcess (process, 1);
          break;
        }
    }
  out[len] = '\0';
  return (long) len;
}

/* Starts @line with @wr as its stdout and nothing else inherited: the
 * handle list names the one handle the child gets, where bInheritHandles
 * alone would hand it every inheritable handle of this process (a GUI's
 * or a test's pipes among them). */
static BOOL
start_child (const wchar_t *exe, wchar_t *line, HANDLE wr, PROCESS_INFORMATION *pi)
{
  STARTUPINFOEXW si;
  SIZE_T attr_size = 0;
  BOOL ok = FALSE;

  memset (&si, 0, sizeof si);
  si.StartupInfo.cb = sizeof si;
  si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
  si.StartupInfo.hStdOutput = wr; /* stdout only: numbers in an error message are not ranges */
  si.StartupInfo.hStdError = NULL;
  si.StartupInfo.hStdInput = NULL;
  InitializeProcThreadAttributeList (NULL, 1, 0, &attr_size);
  if ((si.lpAttributeList = malloc (attr_size)) == NULL)
    return FALSE;
  if (InitializeProcThreadAttributeList (si.lpAttributeList, 1, 0, &attr_size))
    {
      if (UpdateProcThreadAttribute (si.lpAttributeList, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, &wr,
                                     sizeof wr, NULL, NULL))
        ok = CreateProcessW (exe, line, NULL, NULL, TRUE,
                             CREATE_NO_WINDOW | EXTENDED_STARTUPINFO_PRESENT, NULL, NULL,
                             &si.StartupInfo, pi);
      DeleteProcThreadAttributeList (si.lpAttributeList);
    }
  free (si.lpAttributeList);
  return ok;
}

long
ptl_win32_run_capture (const wchar_t *const *argv, char *out, size_t size, unsigned timeout_ms)
{
  SECURITY_ATTRIBUTES sa = { sizeof sa, NULL, TRUE };
  PROCESS_INFORMATION pi;
  HANDLE rd, wr;
  wchar_t *line;
  BOOL ok;
  long n;

  if (size == 0 || (line = join_args (argv)) == NULL)
    return PTL_ENOMEM;
  if (!CreatePipe (&rd, &wr, &sa, 0))
    return free (line), PTL_ESYSTEM;
  SetHandleInformation (rd, HANDLE_FLAG_INHERIT, 0);
  ok = start_child (argv[0], line, wr, &pi);
  free (line);
  CloseHandle (wr); /* the child holds the only writer now: EOF when it ends */
  if (!ok)
    {
      CloseHandle (rd);
      return PTL_ENOTFOUND;
    }
  n = collect (pi.hProcess, rd, out, size, timeout_ms);
  CloseHandle (pi.hThread);
  CloseHandle (pi.hProcess);
  CloseHandle (rd);
  return n;
}

/* Runs "netsh int FAMILY show WHAT ARG" into @out. */
static long
netsh (const wchar_t *family, const wchar_t *what, const wchar_t *arg, char *out, size_t size)
{
  wchar_t path[MAX_PATH];
  const wchar_t *argv[] = { path, L"int", family, L"show", what, arg, NULL };

  if (ptl_win32_system_dir (path, MAX_PATH - 16) < 0)
    return PTL_ESYSTEM;
  wcscat (path, L"\\netsh.exe");
  return ptl_win32_run_capture (argv, out, size, NETSH_TIMEOUT_MS);
}

static void
read_excluded (PtlPortRules *rules, char *buf, size_t size)
{
  static const wchar_t *const families[] = { L"ipv4", L"ipv6" };
  static const wchar_t *const protos[] = { L"protocol=tcp", L"protocol=udp" };
  long n;

  for (size_t f = 0; f < 2; f++)
    for (size_t p = 0; p < 2; p++)
      if ((n = netsh (families[f], L"excludedportrange", protos[p], buf, size)) > 0)
        ptl_netsh_parse_excluded (buf, (size_t) n, rules);
}

/* Windows keeps one dynamic range per protocol and family; IPv4 TCP's
 * comes first and is the machine's ephemeral range. */
static void
read_dynamic (PtlPortRules *rules, char *buf, size_t size)
{
  static const struct
  {
    const wchar_t *family, *proto;
    PtlFamily f;
    PtlProto p;
  } kinds[] = {
    { L"ipv4", L"tcp", PTL_FAMILY_IPV4, PTL_PROTO_TCP },
    { L"ipv4", L"udp", PTL_FAMILY_IPV4, PTL_PROTO_UDP },
    { L"ipv6", L"tcp", PTL_FAMILY_IPV6, PTL_PROTO_TCP },
    { L"ipv6", L"udp", PTL_FAMILY_IPV6, PTL_PROTO_UDP },
  };
  unsigned first, last;
  long n;

  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
    if ((n = netsh (kinds[i].family, L"dynamicport", kinds[i].proto, buf, size)) > 0
        && ptl_netsh_parse_dynamic (buf, (size_t) n, &first, &last) == 0)
      ptl_netsh_add_dynamic (rules, kinds[i].p, kinds[i].f, first, last);
}

int
ptl_platform_port_rules (PtlPortRules *rules, PtlError *err)
{
  char *buf = malloc (NETSH_OUTPUT_MAX);

  memset (rules, 0, sizeof *rules);
  snprintf (rules->source, sizeof rules->source,
            "netsh int ipv4|ipv6 show dynamicport / excludedportrange");
  rules->reserved_blocks_bind = true;
  if (buf == NULL)
    return ptl_error_set (err, PTL_ENOMEM, "Out of memory.");
  read_dynamic (rules, buf, NETSH_OUTPUT_MAX);
  if (rules->known)
    read_excluded (rules, buf, NETSH_OUTPUT_MAX);
  free (buf);
  if (!rules->known)
    return ptl_error_set (err, PTL_EUNSUPPORTED,
                          "netsh did not tell the dynamic port range, so this machine's port "
                          "rules are unknown.");
  return 0;
}
