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
  };

  return ptl_tap_main (tests, sizeof tests / sizeof tests[0]);
}
