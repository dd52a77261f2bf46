/* ptl-tap.c: the Windows tests' TAP harness. */
#include "ptl-tap.h"

#include <windows.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static bool current_failed;
static jmp_buf skip_jump;
static char skip_reason[256];

bool
ptl_tap_failed (void)
{
  return current_failed;
}

static void
vnote (const char *fmt, va_list ap)
{
  char buf[1024], *line, *next;

  vsnprintf (buf, sizeof buf, fmt, ap);
  for (line = buf; line; line = next)
    {
      next = strchr (line, '\n');
      if (next)
        *next++ = '\0';
      printf ("# %s\n", line);
    }
}

void
ptl_tap_note (const char *fmt, ...)
{
  va_list ap;

  va_start (ap, fmt);
  vnote (fmt, ap);
  va_end (ap);
  fflush (stdout);
}

bool
ptl_tap_check_at (bool ok, const char *file, int line, const char *fmt, ...)
{
  va_list ap;

  if (ok)
    return true;
  current_failed = true;
  printf ("# FAILED at %s:%d: ", file, line);
  va_start (ap, fmt);
  vnote (fmt, ap);
  va_end (ap);
  fflush (stdout);
  return false;
}

void
ptl_tap_skip (const char *fmt, ...)
{
  va_list ap;

  va_start (ap, fmt);
  vsnprintf (skip_reason, sizeof skip_reason, fmt, ap);
  va_end (ap);
  longjmp (skip_jump, 1);
}

bool
ptl_tap_str_eq (const char *a, const char *b)
{
  return a && b && strcmp (a, b) == 0;
}

bool
ptl_tap_contains (const char *hay, const char *needle)
{
  return hay && needle && strstr (hay, needle) != NULL;
}

const char *
ptl_tap_show (const char *s)
{
  return s ? s : "(null)";
}

/* No locals live across the jump: a skip lands here and returns. */
static void
run_one (const PtlTapTest *test)
{
  if (setjmp (skip_jump) == 0)
    test->run ();
}

int
ptl_tap_main (const PtlTapTest *tests, size_t n)
{
  int failures = 0;

  setvbuf (stdout, NULL, _IONBF, 0);
  printf ("1..%zu\n", n);
  for (size_t i = 0; i < n; i++)
    {
      current_failed = false;
      skip_reason[0] = '\0';
      ULONGLONG start = GetTickCount64 (), took;

      run_one (&tests[i]);
      /* Slow steps under Wine (a first start, a busy machine) show here. */
      if ((took = GetTickCount64 () - start) >= 2000)
        printf ("# %s took %.1f s\n", tests[i].name, (double) took / 1000.0);
      if (skip_reason[0] && !current_failed)
        printf ("ok %zu %s # SKIP %s\n", i + 1, tests[i].name, skip_reason);
      else
        printf ("%s %zu %s\n", current_failed ? "not ok" : "ok", i + 1, tests[i].name);
      failures += current_failed;
    }
  return failures ? 1 : 0;
}
