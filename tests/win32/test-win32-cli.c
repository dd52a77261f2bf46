/* test-win32-cli: portolan-cli.exe end to end, as an admin runs it. */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptl-remote.h"
#include "ptl-tap.h"
#include "ptl-win32-test-util.h"

#define CLI L"..\\..\\app\\cli\\portolan-cli.exe"

static bool
cli (const wchar_t *args, TuResult *r)
{
  bool ok = tu_run (tu_sibling (CLI), args, 60000, r);

  TAP_CHECK_MSG (ok, "portolan-cli.exe starts");
  TAP_CHECK (!r->timed_out);
  return ok;
}

static void
test_list_json (void)
{
  TuResult r;

  if (!cli (L"list --json", &r))
    return;
  TAP_CHECK_INT (r.exit_code, ==, 0);
  TAP_CHECK_MSG (ptl_tap_json_valid (r.out, r.out_len), "list --json parses:\n%.300s", r.out);
  TAP_CHECK_CONTAINS (r.out, "\"sockets\": [");
  TAP_CHECK_CONTAINS (r.out, "\"notes\": [");
  TAP_CHECK (memchr (r.out, '\r', r.out_len) == NULL);
  TAP_CHECK_INT (r.err_len, ==, 0);
  tu_result_clear (&r);
}

/* A socket held by a child shows with the child's PID and name. */
static unsigned long long
creation_time (HANDLE proc)
{
  FILETIME created, exited, kernel, user;

  if (!GetProcessTimes (proc, &created, &exited, &kernel, &user))
    return 0;
  return ((unsigned long long) created.dwHighDateTime << 32) | created.dwLowDateTime;
}

static void
test_list_held_port (void)
{
  HANDLE proc, out;
  char line[32], want[200];
  wchar_t args[64];
  TuResult r;

  if (!TAP_CHECK (tu_spawn (tu_sibling (L"ptl-win32-helper.exe"), L"hold", &proc, &out)))
    return;
  if (TAP_CHECK (tu_read_line (out, line, sizeof line)))
    {
      _snwprintf (args, 64, L"list --json --port %hs", line);
      if (cli (args, &r))
        {
          TAP_CHECK_INT (r.exit_code, ==, 0);
          TAP_CHECK (ptl_tap_json_valid (r.out, r.out_len));
          snprintf (want, sizeof want, "\"local_port\": %s", line);
          TAP_CHECK_CONTAINS (r.out, want);
          /* Windows has no uid; the start time is the creation FILETIME,
           * what kill --start-time takes. */
          snprintf (want, sizeof want,
                    "\"pid\": %lu, \"uid\": null, \"start_time\": %llu, "
                    "\"name\": \"ptl-win32-helper.exe\"",
                    GetProcessId (proc), creation_time (proc));
          TAP_CHECK_CONTAINS (r.out, want);
          TAP_CHECK_CONTAINS (r.out, "\"state\": \"LISTEN\"");
          tu_result_clear (&r);
        }
      _snwprintf (args, 64, L"check %hs", line);
      if (cli (args, &r))
        {
          TAP_CHECK_INT (r.exit_code, ==, 1);
          TAP_CHECK_CONTAINS (r.out, "is in use (tcp LISTEN by");
          tu_result_clear (&r);
        }
    }
  TerminateProcess (proc, 0);
  WaitForSingleObject (proc, 5000);
  CloseHandle (out);
  CloseHandle (proc);
}

static void
test_report_1644 (void)
{
  TuResult r;

  if (!cli (L"1644", &r))
    return;
  TAP_CHECK_INT (r.exit_code, ==, 0);
  TAP_CHECK_CONTAINS (r.out, "Port 1644: registered range");
  TAP_CHECK_CONTAINS (r.out, "saiseh");
  TAP_CHECK_CONTAINS (r.out, "Bind test on the wildcard address");
  TAP_CHECK_CONTAINS (r.out, "netstat -ano | findstr /C:\":1644 \"");
  TAP_CHECK (memchr (r.out, '\r', r.out_len) == NULL);
  tu_result_clear (&r);
  if (!cli (L"1644 --json", &r))
    return;
  TAP_CHECK_INT (r.exit_code, ==, 0);
  TAP_CHECK_MSG (ptl_tap_json_valid (r.out, r.out_len), "1644 --json parses:\n%.300s", r.out);
  TAP_CHECK_CONTAINS (r.out, "\"port\": 1644");
  TAP_CHECK_CONTAINS (r.out, "\"service\": \"saiseh\"");
  tu_result_clear (&r);
}

static void
test_bad_input (void)
{
  static const wchar_t *const bad[] = {
    L"70000", L"-5", L"list --bogus", L"1644 --wat", L"kill", L"check 1-9", L"\u00fcber-port",
  };
  TuResult r;

  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
      if (!cli (bad[i], &r))
        continue;
      TAP_CHECK_MSG (r.exit_code == 2, "'%ls' exits 2, not %lu", bad[i], r.exit_code);
      TAP_CHECK_MSG (r.out_len == 0, "'%ls' prints nothing on stdout: %s", bad[i], r.out);
      TAP_CHECK_CONTAINS (r.err, "portolan-cli: ");
      tu_result_clear (&r);
    }
}

static void
test_unknown_service (void)
{
  TuResult r;

  if (!cli (L"nosuchservice", &r))
    return;
  TAP_CHECK_INT (r.exit_code, ==, 1);
  TAP_CHECK_CONTAINS (r.err, "no service named 'nosuchservice'");
  tu_result_clear (&r);
}

static void
test_help (void)
{
  TuResult r;

  if (!cli (L"--help", &r))
    return;
  TAP_CHECK_INT (r.exit_code, ==, 0);
  TAP_CHECK_CONTAINS (r.out, "Usage: portolan-cli");
  tu_result_clear (&r);
  if (!cli (L"kill --help", &r))
    return;
  /* The help is wrapped to the terminal's width: read it as one line. */
  for (char *c = r.out; *c; c++)
    *c = *c == '\n' ? ' ' : *c;
  TAP_CHECK_CONTAINS (r.out, "Just before sending TerminateProcess");
  for (char *p = r.out; *p; p++)
    *p = *p == '\n' ? ' ' : *p; /* the paragraph is wrapped */
  TAP_CHECK_CONTAINS (r.out, "It never ends PID 0, PID 4, critical Windows processes (lsass.exe,");
  tu_result_clear (&r);
}

/* "/?" and "-?" print the same help as --help, as Windows admins expect. */
static void
test_help_aliases (void)
{
  static const wchar_t *const pairs[][2] = {
    { L"/?", L"--help" },
    { L"-?", L"--help" },
    { L"kill /?", L"kill --help" },
    { L"list -?", L"list --help" },
  };
  TuResult a, b;

  for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
    {
      if (!cli (pairs[i][0], &a))
        continue;
      if (cli (pairs[i][1], &b))
        {
          TAP_CHECK_MSG (a.exit_code == 0, "'%ls' exits 0, not %lu", pairs[i][0], a.exit_code);
          TAP_CHECK_MSG (a.out_len > 0 && a.out_len == b.out_len
                             && memcmp (a.out, b.out, a.out_len) == 0,
                         "'%ls' prints what '%ls' prints", pairs[i][0], pairs[i][1]);
          tu_result_clear (&b);
        }
      tu_result_clear (&a);
    }
}

/* Arguments arrive as UTF-16; a sentence quotes them as typed, in UTF-8. */
static void
test_echo_non_ascii (void)
{
  TuResult r;

  if (!cli (L"kill \x6f22\x5b57", &r)) /* 漢字 */
    return;
  TAP_CHECK_INT (r.exit_code, ==, 2);
  TAP_CHECK_CONTAINS (r.err, "'\xe6\xbc\xa2\xe5\xad\x97'");
  tu_result_clear (&r);
  if (!cli (L"caf\x00e9", &r))
    return;
  TAP_CHECK_INT (r.exit_code, ==, 2);
  TAP_CHECK_CONTAINS (r.err, "'caf\xc3\xa9'");
  tu_result_clear (&r);
}

/* A listener whose owner Wine does not report (PID 0): check says so in
 * plain words, and kill names the IPv6 end in brackets. */
static void
test_pid0_wording (void)
{
  HANDLE proc, out;
  char line[32], want[96];
  wchar_t args[64];
  TuResult r;

  if (!TAP_CHECK (tu_spawn (tu_sibling (L"ptl-win32-helper.exe"), L"hold-quiet 6", &proc, &out)))
    return;
  if (TAP_CHECK (tu_read_line (out, line, sizeof line)))
    {
      _snwprintf (args, 64, L"check %hs", line);
      if (cli (args, &r))
        {
          TAP_CHECK_INT (r.exit_code, ==, 1);
          snprintf (want, sizeof want, "Port %s/tcp is in use by a tcp LISTEN socket; ", line);
          TAP_CHECK_CONTAINS (r.out, want);
          TAP_CHECK_CONTAINS (r.out, "Windows gives no owner (PID 0).");
          tu_result_clear (&r);
        }
      _snwprintf (args, 64, L"kill %hs --yes", line);
      if (cli (args, &r))
        {
          TAP_CHECK_INT (r.exit_code, ==, 3);
          snprintf (want, sizeof want, "tcp [::1]:%s (", line);
          TAP_CHECK_CONTAINS (r.err, want);
          tu_result_clear (&r);
        }
    }
  TerminateProcess (proc, 0);
  WaitForSingleObject (proc, 5000);
  CloseHandle (out);
  CloseHandle (proc);
}

/* list --pid N that matches nothing: whole JSON, exit 1, one sentence. */
static void
test_list_pid_none (void)
{
  HANDLE proc, out;
  wchar_t args[64];
  char want[64];
  TuResult r;

  if (!TAP_CHECK (tu_spawn (tu_sibling (L"ptl-win32-helper.exe"), L"sleep", &proc, &out)))
    return;
  _snwprintf (args, 64, L"list --pid %lu --json", GetProcessId (proc));
  if (cli (args, &r))
    {
      TAP_CHECK_INT (r.exit_code, ==, 1);
      TAP_CHECK (ptl_tap_json_valid (r.out, r.out_len));
      TAP_CHECK_CONTAINS (r.out, "\"sockets\": [],");
      snprintf (want, sizeof want, "No socket is owned by PID %lu.", GetProcessId (proc));
      TAP_CHECK_CONTAINS (r.err, want);
      tu_result_clear (&r);
    }
  TerminateProcess (proc, 0);
  WaitForSingleObject (proc, 5000);
  CloseHandle (out);
  CloseHandle (proc);
}

/* What a typical machine has on 49664: lsass.exe. An elevated "kill 49664
 * --yes" must refuse it and say why; a copy of the helper named lsass.exe
 * stands in for it here. */
static void
test_kill_refuses_critical (void)
{
  wchar_t dir[MAX_PATH], sub[MAX_PATH], copy[MAX_PATH], args[64];
  HANDLE proc, out;
  char line[32];
  TuResult r;

  GetTempPathW (MAX_PATH, dir);
  _snwprintf (sub, MAX_PATH, L"%lsptl-kill-critical-%lu", dir, GetCurrentProcessId ());
  _snwprintf (copy, MAX_PATH, L"%ls\\lsass.exe", sub);
  CreateDirectoryW (sub, NULL);
  if (!TAP_CHECK (CopyFileW (tu_sibling (L"ptl-win32-helper.exe"), copy, FALSE)))
    return;
  if (TAP_CHECK (tu_spawn (copy, L"hold", &proc, &out)))
    {
      if (TAP_CHECK (tu_read_line (out, line, sizeof line)))
        {
          _snwprintf (args, 64, L"kill %hs --yes", line);
          if (cli (args, &r))
            {
              TAP_CHECK_INT (r.exit_code, ==, 3);
              TAP_CHECK_CONTAINS (r.err, "(lsass.exe): it is a critical Windows process: ending "
                                         "it forces Windows to restart.");
              tu_result_clear (&r);
            }
          TAP_CHECK_INT (WaitForSingleObject (proc, 300), ==, WAIT_TIMEOUT);
        }
      TerminateProcess (proc, 0);
      WaitForSingleObject (proc, 5000);
      CloseHandle (out);
      CloseHandle (proc);
    }
  DeleteFileW (copy);
  RemoveDirectoryW (sub);
}

/* Windows has no privileged ports: the report for 22 makes no such claim. */
static void
test_no_privilege_claim (void)
{
  TuResult r;

  if (!cli (L"22", &r))
    return;
  TAP_CHECK_INT (r.exit_code, ==, 0);
  TAP_CHECK_CONTAINS (r.out, "Well-known ports (0-1023)");
  TAP_CHECK_MSG (strstr (r.out, "privilege") == NULL, "no privilege claim:\n%s", r.out);
  tu_result_clear (&r);
}

/* kill: refuses without a terminal, then with --yes ends the holder. */
static void
test_kill (void)
{
  HANDLE proc, out;
  char line[32];
  wchar_t args[64];
  TuResult r;

  if (!TAP_CHECK (tu_spawn (tu_sibling (L"ptl-win32-helper.exe"), L"hold", &proc, &out)))
    return;
  if (TAP_CHECK (tu_read_line (out, line, sizeof line)))
    {
      _snwprintf (args, 64, L"kill %hs", line);
      if (cli (args, &r))
        {
          TAP_CHECK_INT (r.exit_code, ==, 2);
          TAP_CHECK_CONTAINS (r.err, "stdin is not a terminal");
          tu_result_clear (&r);
        }
      TAP_CHECK_INT (WaitForSingleObject (proc, 0), ==, WAIT_TIMEOUT);
      _snwprintf (args, 64, L"kill %hs --yes", line);
      if (cli (args, &r))
        {
          TAP_CHECK_MSG (r.exit_code == 0, "kill --yes exits 0, not %lu: %s%s", r.exit_code, r.out,
                         r.err);
          TAP_CHECK_CONTAINS (r.out, "Ended PID");
          tu_result_clear (&r);
        }
      TAP_CHECK_INT (WaitForSingleObject (proc, 5000), ==, WAIT_OBJECT_0);
    }
  TerminateProcess (proc, 0);
  CloseHandle (out);
  CloseHandle (proc);
}

static void
test_free_json (void)
{
  TuResult r;

  if (!cli (L"free --count 2 --json", &r))
    return;
  TAP_CHECK_INT (r.exit_code, ==, 0);
  TAP_CHECK (ptl_tap_json_valid (r.out, r.out_len));
  TAP_CHECK_CONTAINS (r.out, "\"ports\": [");
  tu_result_clear (&r);
}

static void
test_metrics (void)
{
  TuResult r;

  if (!cli (L"metrics", &r))
    return;
  TAP_CHECK_INT (r.exit_code, ==, 0);
  TAP_CHECK_CONTAINS (r.out, "\nportolan_up 1\n");
  TAP_CHECK_CONTAINS (r.out, "# TYPE portolan_listening gauge\n");
  TAP_CHECK (memchr (r.out, '\r', r.out_len) == NULL);
  TAP_CHECK_INT (r.err_len, ==, 0);
  tu_result_clear (&r);
}

/* --output writes through a temporary file and MoveFileExW: twice, so the
 * second replaces the first, and nothing else is left in the directory. */
static void
test_metrics_output (void)
{
  wchar_t dir[MAX_PATH], file[MAX_PATH + 32], args[MAX_PATH + 64], pattern[MAX_PATH + 8];
  WIN32_FIND_DATAW fd;
  HANDLE find;
  int n_files = 0;
  TuResult r;

  GetTempPathW (MAX_PATH, dir);
  _snwprintf (dir + wcslen (dir), 40, L"ptl-metrics-%lu", GetCurrentProcessId ());
  if (!TAP_CHECK (CreateDirectoryW (dir, NULL)))
    return;
  _snwprintf (file, MAX_PATH + 32, L"%ls\\portolan.prom", dir);
  _snwprintf (args, MAX_PATH + 64, L"metrics --output \"%ls\"", file);
  for (int i = 0; i < 2; i++)
    if (cli (args, &r))
      {
        TAP_CHECK_INT (r.exit_code, ==, 0);
        TAP_CHECK_INT (r.out_len, ==, 0);
        tu_result_clear (&r);
      }
  _snwprintf (pattern, MAX_PATH + 8, L"%ls\\*", dir);
  find = FindFirstFileW (pattern, &fd);
  for (bool more = find != INVALID_HANDLE_VALUE; more; more = FindNextFileW (find, &fd))
    if (wcscmp (fd.cFileName, L".") != 0 && wcscmp (fd.cFileName, L"..") != 0)
      {
        n_files++;
        TAP_CHECK_MSG (wcscmp (fd.cFileName, L"portolan.prom") == 0, "only portolan.prom, not %ls",
                       fd.cFileName);
      }
  if (find != INVALID_HANDLE_VALUE)
    FindClose (find);
  TAP_CHECK_INT (n_files, ==, 1);
  DeleteFileW (file);
  RemoveDirectoryW (dir);
}

/* watch on a port a child holds: the current state, then the ready line,
 * which says closes come at the next poll (Windows announces none). */
static void
test_watch (void)
{
  HANDLE proc, out, wproc, wout;
  char line[32], first[4096], ready[4096], want[64];
  wchar_t args[96];

  if (!TAP_CHECK (tu_spawn (tu_sibling (L"ptl-win32-helper.exe"), L"hold", &proc, &out)))
    return;
  if (TAP_CHECK (tu_read_line (out, line, sizeof line)))
    {
      _snwprintf (args, 96, L"watch %hs --json --interval 200", line);
      if (TAP_CHECK (tu_spawn (tu_sibling (CLI), args, &wproc, &wout)))
        {
          snprintf (want, sizeof want, "\"local_port\": %s,", line);
          TAP_CHECK (tu_read_line (wout, first, sizeof first));
          TAP_CHECK_CONTAINS (first, "{\"event\": \"added\", \"time\": \"");
          TAP_CHECK_CONTAINS (first, "\"initial\": true");
          TAP_CHECK_CONTAINS (first, want);
          TAP_CHECK (tu_read_line (wout, ready, sizeof ready));
          TAP_CHECK_CONTAINS (ready, "\"event\": \"ready\"");
          TAP_CHECK_CONTAINS (ready, "\"close_notifications\": false");
          TerminateProcess (wproc, 0);
          CloseHandle (wout);
          CloseHandle (wproc);
        }
    }
  TerminateProcess (proc, 0);
  CloseHandle (out);
  CloseHandle (proc);
}

/* Runs portolan-cli --host with ssh.exe played by the helper; @exit and
 * @said are what the fake ssh exits with and writes to stderr. */
static bool
fake_ssh_run (const wchar_t *args, const wchar_t *exit, const wchar_t *said, TuResult *r)
{
  SetEnvironmentVariableW (L"PTL_FAKE_SSH_EXIT", exit);
  SetEnvironmentVariableW (L"PTL_FAKE_SSH_STDERR", said);
  return cli (args, r);
}

static void
host_cases (void)
{
  static const char vector[]
      = "-n\n-T\n-o\nBatchMode=yes\n-o\nConnectTimeout=10\n-p\n2222\n-l\nops\n"
        "--\nweb1\nportolan-cli list --port \"2 3\" --json\n";
  static const struct
  {
    const wchar_t *exit, *said;
    const char *sentence;
  } failures[] = {
    { L"255", L"ssh: connect to host web1 port 2222: Connection refused",
      "Cannot reach web1 over SSH" },
    { L"255", L"ops@web1: Permission denied (publickey).", "refused the SSH login" },
    { L"1", L"'portolan-cli' is not recognized as an internal or external command,",
      "portolan-cli is not installed on web1" },
  };
  const wchar_t *args = L"--host ops@web1:2222 list --port \"2 3\" --json";
  TuResult r;

  if (fake_ssh_run (args, NULL, NULL, &r))
    {
      TAP_CHECK_INT (r.exit_code, ==, 0);
      TAP_CHECK_MSG (ptl_tap_str_eq (r.out, vector), "ssh got:\n%s", ptl_tap_show (r.out));
      tu_result_clear (&r);
    }
  for (size_t i = 0; i < sizeof failures / sizeof failures[0]; i++)
    if (fake_ssh_run (args, failures[i].exit, failures[i].said, &r))
      {
        TAP_CHECK_INT (r.exit_code, ==, 3);
        TAP_CHECK_CONTAINS (r.err, failures[i].sentence);
        tu_result_clear (&r);
      }
}

/* --host from Windows: ssh.exe (the helper, copied) is found on PATH only;
 * the argument vector crosses Windows' single command line intact; ssh's
 * failures are named; no ssh on PATH is said so. */
static void
test_host (void)
{
  static wchar_t old_path[32768];
  wchar_t dir[MAX_PATH], ssh[MAX_PATH + 16], empty[MAX_PATH + 16];
  TuResult r;

  GetTempPathW (MAX_PATH, dir);
  _snwprintf (dir + wcslen (dir), 40, L"ptl-ssh-%lu", GetCurrentProcessId ());
  _snwprintf (ssh, MAX_PATH + 16, L"%ls\\ssh.exe", dir);
  _snwprintf (empty, MAX_PATH + 16, L"%ls\\empty", dir);
  if (!TAP_CHECK (CreateDirectoryW (dir, NULL) && CreateDirectoryW (empty, NULL)))
    return;
  if (TAP_CHECK (CopyFileW (tu_sibling (L"ptl-win32-helper.exe"), ssh, FALSE))
      && TAP_CHECK (GetEnvironmentVariableW (L"PATH", old_path, 32768) > 0))
    {
      SetEnvironmentVariableW (L"PATH", dir);
      host_cases ();
      SetEnvironmentVariableW (L"PATH", empty);
      if (fake_ssh_run (L"--host web1 list", NULL, NULL, &r))
        {
          TAP_CHECK_INT (r.exit_code, ==, 3);
          TAP_CHECK_CONTAINS (r.err, "ssh (the OpenSSH client) is not installed here");
          tu_result_clear (&r);
        }
      SetEnvironmentVariableW (L"PATH", old_path);
    }
  DeleteFileW (ssh);
  RemoveDirectoryW (empty);
  RemoveDirectoryW (dir);
}

/* A Windows OpenSSH server hands the remote command line to cmd.exe /c.
 * The line --host builds (core/ptl-remote.c) goes through Wine's cmd.exe
 * here, to the helper, which prints each argument it got in hex: every
 * argument must arrive as it was, the quoted ones too. */
static void
test_remote_line_through_cmd (void)
{
  static const char *const args[]
      = { "args",     "list", "--port", "2 3", "sql*net",        "a&b|c<d>e;f",
          "'single'", "a,b",  "@file",  "(x)", "Escale-(Newton", "--json" };
  char helper[MAX_PATH * 3];
  wchar_t cmd[MAX_PATH + 16], *wargs;
  PtlBuf line, want;
  PtlError err;
  TuResult r;

  ptl_buf_init (&line);
  ptl_buf_init (&want);
  WideCharToMultiByte (CP_UTF8, 0, tu_sibling (L"ptl-win32-helper.exe"), -1, helper, sizeof helper,
                       NULL, NULL);
  ptl_buf_printf (&line, "/c %s ", helper);
  TAP_CHECK (
      ptl_remote_command_line (args[0], args + 1, sizeof args / sizeof args[0] - 1, &line, &err)
      == 0);
  for (size_t i = 1; i < sizeof args / sizeof args[0]; i++, ptl_buf_puts (&want, "\n"))
    for (const unsigned char *p = (const unsigned char *) args[i]; *p; p++)
      ptl_buf_printf (&want, "%02x", *p);
  GetSystemDirectoryW (cmd, MAX_PATH);
  wcscat (cmd, L"\\cmd.exe");
  wargs = malloc ((line.len + 1) * sizeof *wargs);
  MultiByteToWideChar (CP_UTF8, 0, ptl_buf_str (&line), -1, wargs, (int) line.len + 1);
  ptl_tap_note ("cmd.exe %s", ptl_buf_str (&line));
  if (TAP_CHECK (tu_run (cmd, wargs, 60000, &r)))
    {
      TAP_CHECK_INT (r.exit_code, ==, 0);
      TAP_CHECK_MSG (ptl_tap_str_eq (r.out, ptl_buf_str (&want)), "the helper got:\n%s",
                     ptl_tap_show (r.out));
      tu_result_clear (&r);
    }
  free (wargs);
  ptl_buf_clear (&line);
  ptl_buf_clear (&want);
}

/* What the PowerShell completion asks, and the script beside the exe. */
static void
test_complete (void)
{
  HANDLE proc, out;
  char line[32], want[48];
  TuResult r;

  TAP_CHECK_MSG (GetFileAttributesW (tu_sibling (L"..\\..\\app\\cli\\portolan-cli-completion.ps1"))
                     != INVALID_FILE_ATTRIBUTES,
                 "portolan-cli-completion.ps1 is beside portolan-cli.exe");
  if (cli (L"__complete commands", &r))
    TAP_CHECK_CONTAINS (r.out, "kill\t");
  tu_result_clear (&r);
  if (cli (L"__complete options kill", &r))
    TAP_CHECK_CONTAINS (r.out, "--yes\t");
  tu_result_clear (&r);
  if (cli (L"__complete services ss", &r))
    TAP_CHECK_CONTAINS (r.out, "ssh\t");
  tu_result_clear (&r);
  if (!TAP_CHECK (tu_spawn (tu_sibling (L"ptl-win32-helper.exe"), L"hold", &proc, &out)))
    return;
  if (TAP_CHECK (tu_read_line (out, line, sizeof line)) && cli (L"__complete ports", &r))
    {
      snprintf (want, sizeof want, "%s\t", line);
      TAP_CHECK_INT (r.exit_code, ==, 0);
      TAP_CHECK_CONTAINS (r.out, want);
      tu_result_clear (&r);
    }
  TerminateProcess (proc, 0);
  CloseHandle (out);
  CloseHandle (proc);
}

int
main (void)
{
  static const PtlTapTest tests[] = {
    { "/win32/cli/list-json", test_list_json },
    { "/win32/cli/list-held-port", test_list_held_port },
    { "/win32/cli/report-1644", test_report_1644 },
    { "/win32/cli/bad-input-exits-2", test_bad_input },
    { "/win32/cli/unknown-service-exits-1", test_unknown_service },
    { "/win32/cli/help", test_help },
    { "/win32/cli/help-aliases", test_help_aliases },
    { "/win32/cli/echo-non-ascii", test_echo_non_ascii },
    { "/win32/cli/pid0-wording-and-brackets", test_pid0_wording },
    { "/win32/cli/list-pid-none-exits-1", test_list_pid_none },
    { "/win32/cli/kill-refuses-critical", test_kill_refuses_critical },
    { "/win32/cli/no-privilege-claim", test_no_privilege_claim },
    { "/win32/cli/kill", test_kill },
    { "/win32/cli/free-json", test_free_json },
    { "/win32/cli/complete", test_complete },
    { "/win32/cli/metrics", test_metrics },
    { "/win32/cli/metrics-output", test_metrics_output },
    { "/win32/cli/watch", test_watch },
    { "/win32/cli/host", test_host },
    { "/win32/cli/remote-line-through-cmd", test_remote_line_through_cmd },
  };

  return ptl_tap_main (tests, sizeof tests / sizeof tests[0]);
}
