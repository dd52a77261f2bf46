/* test-win32-relaunch: "Restart as Administrator…" under Wine.
 *
 * - The command lines the core builds (ptl-cmdline.c) split back into
 *   their vectors with the real CommandLineToArgvW: the relaunch of a
 *   program under "Program Files" with a port and a view, the hard cases
 *   (trailing backslashes, quotes, empty arguments, non-ASCII) and 2,000
 *   random vectors.
 * - ptl_platform_restart_elevated starts this very program again through
 *   ShellExecuteExW with the "runas" verb. The new process sees
 *   --new-instance and writes the arguments it got (split by
 *   CommandLineToArgvW from its own command line) to the file named in
 *   PTL_TEST_RELAUNCH_OUT, then stays a few seconds, so the parent sees it
 *   running and gets 0. Wine has no UAC prompt: it runs the verb at once.
 */
#include <windows.h>

#include <shellapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptl-cmdline.h"
#include "ptl-platform.h"
#include "ptl-tap.h"
#include "ptl-win32-private.h"

#define OUT_VAR "PTL_TEST_RELAUNCH_OUT"

/* @line split by Windows, as UTF-8 strings in @out (at most @max). */
static int
split_by_windows (const char *line, char **out, int max)
{
  wchar_t *w = ptl_win32_wide_from_utf8 (line);
  int n = 0;
  wchar_t **wargv = CommandLineToArgvW (w, &n);

  for (int i = 0; i < n && i < max; i++)
    out[i] = ptl_win32_utf8_from_wide (wargv[i], -1);
  LocalFree (wargv);
  free (w);
  return n;
}

static void
check_round_trip (const char *program, const char *const *args, int n_args)
{
  PtlBuf line;
  char *back[16] = { 0 };
  int n;

  ptl_buf_init (&line);
  TAP_CHECK_INT (ptl_cmdline_append_program (&line, program, NULL), ==, 0);
  for (int i = 0; i < n_args; i++)
    {
      ptl_buf_puts (&line, " ");
      ptl_cmdline_append_arg (&line, args[i]);
    }
  n = split_by_windows (ptl_buf_str (&line), back, 16);
  if (!TAP_CHECK_INT (n, ==, n_args + 1))
    ptl_tap_note ("line: %s", ptl_buf_str (&line));
  TAP_CHECK_STR (back[0], program);
  for (int i = 0; i < n_args && i + 1 < n; i++)
    TAP_CHECK_STR (back[i + 1], args[i]);
  for (int i = 0; i < 16; i++)
    free (back[i]);
  ptl_buf_clear (&line);
}

static void
test_relaunch_line (void)
{
  const char *program = "C:\\Program Files\\Portolan\\bin\\portolan.exe";
  PtlBuf line;
  char *back[8] = { 0 };
  int n;

  ptl_buf_init (&line);
  TAP_CHECK_INT (ptl_relaunch_command_line (program, "1644", "port", &line, NULL), ==, 0);
  n = split_by_windows (ptl_buf_str (&line), back, 8);
  TAP_CHECK_INT (n, ==, 5);
  TAP_CHECK_STR (back[0], program);
  TAP_CHECK_STR (back[1], "--new-instance");
  TAP_CHECK_STR (back[2], "--view=port");
  TAP_CHECK_STR (back[3], "--");
  TAP_CHECK_STR (back[4], "1644");
  for (int i = 0; i < 8; i++)
    free (back[i]);
  ptl_buf_clear (&line);
}

static void
test_hard_cases (void)
{
  check_round_trip ("C:\\Program Files\\Portolan\\portolan.exe",
                    (const char *const[]){ "C:\\Users\\Jo Doe\\", "a\\\\b", "", "\"" }, 4);
  check_round_trip ("portolan.exe",
                    (const char *const[]){ "\\\"", "a b\\\\", "x\"y z", "\\\\\\", "tab\there" }, 5);
  check_round_trip ("C:\\Temp dir\\p.exe",
                    (const char *const[]){ "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac", "-- x" }, 2);
}

static void
test_random_vectors (void)
{
  static const char alphabet[] = { 'a', 'Z', '0', ' ', '\t', '\\', '"', ':' };
  unsigned seed = 16;

  for (int round = 0; round < 2000; round++)
    {
      char store[5][12];
      const char *args[5];
      int n = (int) ((seed = seed * 1103515245u + 12345u) >> 16) % 5;

      for (int i = 0; i < n; i++)
        {
          int len = (int) ((seed = seed * 1103515245u + 12345u) >> 16) % 10;

          for (int k = 0; k < len; k++)
            store[i][k] = alphabet[((seed = seed * 1103515245u + 12345u) >> 16) % 8];
          store[i][len] = '\0';
          args[i] = store[i];
        }
      check_round_trip ("C:\\Program Files\\x.exe", args, n);
      if (ptl_tap_failed ())
        return;
    }
}

static long long
file_size (const char *path)
{
  WIN32_FILE_ATTRIBUTE_DATA a;

  if (!GetFileAttributesExA (path, GetFileExInfoStandard, &a))
    return 0;
  return ((long long) a.nFileSizeHigh << 32) | a.nFileSizeLow;
}

static char *
read_file (const char *path)
{
  FILE *f = fopen (path, "rb");
  char *text = calloc (1, 4096);

  if (f != NULL)
    {
      fread (text, 1, 4095, f);
      fclose (f);
    }
  return text;
}

static void
test_restart_elevated (void)
{
  const char *query = "my \"svc\\\" 1644";
  char dir[MAX_PATH], path[MAX_PATH], want[1024], self[MAX_PATH];
  PtlError err = { 0 };
  char *got = NULL;
  int rc;

  /* A new empty file with a unique name, which the child fills. */
  GetTempPathA (sizeof dir, dir);
  TAP_CHECK (GetTempFileNameA (dir, "ptl", 0, path) != 0);
  SetEnvironmentVariableA (OUT_VAR, path);
  GetModuleFileNameA (NULL, self, sizeof self);
  rc = ptl_platform_restart_elevated (query, "connections", &err);
  if (rc == PTL_ESYSTEM || rc == PTL_ECANCELED)
    {
      ptl_tap_skip ("ShellExecuteExW with runas did not start a program here: %s", err.message);
      return;
    }
  TAP_CHECK_INT (rc, ==, 0);
  for (int i = 0; i < 200 && file_size (path) == 0; i++)
    Sleep (100);
  got = read_file (path);
  ptl_tap_note ("the new process got:\n%s", got);
  snprintf (want, sizeof want, "%s\n--new-instance\n--view=connections\n--\n%s\n", self, query);
  TAP_CHECK_STR (got, want);
  free (got);
  DeleteFileA (path);
}

/* The relaunched copy: its arguments, one a line, as Windows split them,
 * into the file the parent made. */
static int
child_main (void)
{
  char path[MAX_PATH];
  int n = 0;
  wchar_t **wargv = CommandLineToArgvW (GetCommandLineW (), &n);
  HANDLE f;
  DWORD done;
  PtlBuf text;

  if (GetEnvironmentVariableA (OUT_VAR, path, sizeof path) == 0)
    return 3;
  f = CreateFileA (path, GENERIC_WRITE, 0, NULL, TRUNCATE_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
  if (f == INVALID_HANDLE_VALUE)
    return 3;
  ptl_buf_init (&text);
  /* In one write: the parent reads once the file is not empty. */
  for (int i = 0; i < n; i++)
    {
      char *arg = ptl_win32_utf8_from_wide (wargv[i], -1);

      ptl_buf_puts (&text, arg);
      ptl_buf_puts (&text, "\n");
      free (arg);
    }
  WriteFile (f, ptl_buf_str (&text), (DWORD) text.len, &done, NULL);
  CloseHandle (f);
  ptl_buf_clear (&text);
  LocalFree (wargv);
  /* Still running when the parent looks: it counts as started. */
  Sleep (3000);
  return 0;
}

int
main (int argc, char **argv)
{
  static const PtlTapTest tests[] = {
    { "relaunch-line", test_relaunch_line },
    { "hard-cases", test_hard_cases },
    { "random-vectors", test_random_vectors },
    { "restart-elevated", test_restart_elevated },
  };

  if (argc > 1 && strcmp (argv[1], "--new-instance") == 0)
    return child_main ();
  return ptl_tap_main (tests, sizeof tests / sizeof tests[0]);
}
