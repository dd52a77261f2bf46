/* test-win32-cli: portolan-cli.exe end to end, as an admin runs it. */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
  TAP_CHECK_CONTAINS (r.out, "netstat -ano | findstr :1644");
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
  TAP_CHECK_CONTAINS (r.out, "Just before sending TerminateProcess");
  TAP_CHECK_CONTAINS (r.out, "It never ends PID 0, PID 4 or itself.");
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
    { "/win32/cli/kill", test_kill },
    { "/win32/cli/free-json", test_free_json },
  };

  return ptl_tap_main (tests, sizeof tests / sizeof tests[0]);
}
