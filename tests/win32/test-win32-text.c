/* test-win32-text: UTF-8 inside, UTF-16 at the boundary; the command line
 * and the console output of a real child process. */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptl-platform.h"
#include "ptl-tap.h"
#include "ptl-win32-private.h"
#include "ptl-win32-test-util.h"

#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */

static void
test_round_trip (void)
{
  static const char *const samples[] = {
    "plain ascii",
    "caf\xc3\xa9 \xe2\x80\x93 M\xc3\xbcller",        /* é – ü */
    "\xe6\xbc\xa2\xe5\xad\x97 \xf0\x9f\x98\x80 end", /* 漢字 😀 */
    "",
  };

  for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++)
    {
      wchar_t *w = ptl_win32_wide_from_utf8 (samples[i]);
      char *back = ptl_win32_utf8_from_wide (w, -1);

      TAP_CHECK_STR (back, samples[i]);
      free (w);
      free (back);
    }
}

static void
test_surrogate_pair (void)
{
  wchar_t *w = ptl_win32_wide_from_utf8 ("\xf0\x9f\x98\x80"); /* U+1F600 */

  TAP_CHECK_INT (wcslen (w), ==, 2);
  TAP_CHECK_INT (w[0], ==, 0xD83D);
  TAP_CHECK_INT (w[1], ==, 0xDE00);
  free (w);
}

static void
test_invalid_utf8 (void)
{
  static const char *const bad[] = {
    "\xff", "a\xc3", "\xe2\x80", "\xc0\xaf", "\xed\xa0\x80", "x\x80y",
  };

  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
      wchar_t *w = ptl_win32_wide_from_utf8 (bad[i]);
      char *back;

      if (!TAP_CHECK (w != NULL))
        continue;
      TAP_CHECK_MSG (wcschr (w, 0xFFFD) != NULL, "sample %zu becomes U+FFFD", i);
      back = ptl_win32_utf8_from_wide (w, -1);
      TAP_CHECK_CONTAINS (back, REPLACEMENT);
      free (back);
      free (w);
    }
}

static void
test_lone_surrogate (void)
{
  static const wchar_t lone[] = { L'a', 0xD800, L'b', 0xDC00, 0 };
  char *s = ptl_win32_utf8_from_wide (lone, -1);

  TAP_CHECK_STR (s, "a" REPLACEMENT "b" REPLACEMENT);
  free (s);
}

static void
test_cut_on_boundary (void)
{
  char out[4];

  ptl_win32_utf8_into (L"\u00e9\u00e9", out, sizeof out); /* 4 bytes do not fit in 3 */
  TAP_CHECK_STR (out, "\xc3\xa9");
  ptl_win32_utf8_into (L"\u6f22", out, 3); /* 3 bytes do not fit in 2 */
  TAP_CHECK_STR (out, "");
}

/* Redirected to a file, the console output is the UTF-8 bytes as they
 * are: no code page conversion, no CR before LF. */
static void
test_output_to_file (void)
{
  TuResult r;

  if (!TAP_CHECK (tu_run (tu_sibling (L"ptl-win32-helper.exe"), L"print", 30000, &r)))
    return;
  TAP_CHECK_INT (r.exit_code, ==, 0);
  TAP_CHECK_STR (r.out, "port \xc3\xa9 \xe2\x80\x93 \xc3\xbc \xe6\xbc\xa2 \xf0\x9f\x98\x80\n");
  TAP_CHECK (memchr (r.out, '\r', r.out_len) == NULL);
  tu_result_clear (&r);
}

/* Arguments reach main() in UTF-8, whatever the ANSI code page. */
static void
test_utf8_argv (void)
{
  TuResult r;

  if (!TAP_CHECK (tu_run (tu_sibling (L"ptl-win32-helper.exe"),
                          L"args caf\u00e9 \"\u6f22 \u5b57\" \U0001F600 plain", 30000, &r)))
    return;
  TAP_CHECK_INT (r.exit_code, ==, 0);
  TAP_CHECK_STR (r.out, "636166c3a9\n"
                        "e6bca220e5ad97\n"
                        "f09f9880\n"
                        "706c61696e\n");
  tu_result_clear (&r);
}

static volatile LONG later_handler_calls;

/* Registered before ptl_platform_init_console's handler, so it runs after
 * it and keeps this test alive (Windows' own handler would exit). */
static BOOL WINAPI
keep_running (DWORD type)
{
  (void) type;
  InterlockedIncrement (&later_handler_calls);
  return TRUE;
}

/* Ctrl+C / Ctrl+Break end a process without atexit: the handler puts the
 * console's code page back first, in a console of our own. */
static void
test_ctrl_restores_code_page (void)
{
  static const UINT pages[] = { 437, 850, 1252 };
  UINT cp = 0;

  FreeConsole ();
  if (!AllocConsole ())
    {
      ptl_tap_skip ("no console can be made here (AllocConsole failed, error %lu)",
                    GetLastError ());
      return;
    }
  for (size_t i = 0; i < sizeof pages / sizeof pages[0] && cp == 0; i++)
    if (SetConsoleOutputCP (pages[i]) && GetConsoleOutputCP () == pages[i])
      cp = pages[i];
  if (cp == 0)
    {
      ptl_tap_skip ("this console takes none of code pages 437, 850, 1252 (it stays at %u)",
                    GetConsoleOutputCP ());
      return;
    }
  ptl_tap_note ("the console starts at code page %u", cp);
  SetConsoleCtrlHandler (keep_running, TRUE);
  ptl_platform_init_console ();
  TAP_CHECK_INT (GetConsoleOutputCP (), ==, CP_UTF8);
  TAP_CHECK (!ptl_win32_console_ctrl (CTRL_C_EVENT));
  TAP_CHECK_INT (GetConsoleOutputCP (), ==, cp);
  /* A real Ctrl+Break through the console reaches the same handler. */
  SetConsoleOutputCP (CP_UTF8);
  if (!GenerateConsoleCtrlEvent (CTRL_BREAK_EVENT, 0))
    {
      SetConsoleCtrlHandler (keep_running, FALSE);
      ptl_tap_skip ("the handler restores the code page when called, but this system cannot "
                    "raise a console event (GenerateConsoleCtrlEvent failed, error %lu; Wine 8 "
                    "does so): its delivery is checked only on real Windows",
                    GetLastError ());
      return;
    }
  for (int i = 0; i < 100 && later_handler_calls == 0; i++)
    Sleep (50);
  TAP_CHECK_MSG (later_handler_calls > 0, "the Ctrl+Break event was delivered");
  TAP_CHECK_INT (GetConsoleOutputCP (), ==, cp);
  SetConsoleCtrlHandler (keep_running, FALSE);
}

int
main (void)
{
  static const PtlTapTest tests[] = {
    { "/win32/utf/round-trip", test_round_trip },
    { "/win32/utf/surrogate-pair", test_surrogate_pair },
    { "/win32/utf/invalid-utf8", test_invalid_utf8 },
    { "/win32/utf/lone-surrogate", test_lone_surrogate },
    { "/win32/utf/cut-on-boundary", test_cut_on_boundary },
    { "/win32/console/output-to-file", test_output_to_file },
    { "/win32/console/utf8-argv", test_utf8_argv },
    { "/win32/console/ctrl-restores-code-page", test_ctrl_restores_code_page },
  };

  return ptl_tap_main (tests, sizeof tests / sizeof tests[0]);
}
