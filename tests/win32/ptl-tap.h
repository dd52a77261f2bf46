/* ptl-tap.h: a small assertion harness for the Windows tests, which cannot
 * use GLib (it is not built for mingw here). It prints TAP for meson
 * (protocol: 'tap'): one "ok"/"not ok" line per test function, "# SKIP"
 * with a reason, and "# " lines saying what failed and where.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

typedef struct
{
  const char *name;
  void (*run) (void);
} PtlTapTest;

/** ptl_tap_main: runs @tests in order and returns the process exit code. */
int ptl_tap_main (const PtlTapTest *tests, size_t n);

/** ptl_tap_check_at: records a failed check (the macros call it). Returns @ok. */
bool ptl_tap_check_at (bool ok, const char *file, int line, const char *fmt, ...)
    __attribute__ ((format (gnu_printf, 4, 5)));

/** ptl_tap_skip: ends the current test as skipped, with a reason printed. */
void ptl_tap_skip (const char *fmt, ...) __attribute__ ((format (gnu_printf, 1, 2)));

/** ptl_tap_note: a "# " diagnostic line. */
void ptl_tap_note (const char *fmt, ...) __attribute__ ((format (gnu_printf, 1, 2)));

/** ptl_tap_failed: whether the current test has failed a check. */
bool ptl_tap_failed (void);

#define TAP_CHECK(cond) ptl_tap_check_at ((cond), __FILE__, __LINE__, "%s", #cond)
#define TAP_CHECK_MSG(cond, ...) ptl_tap_check_at ((cond), __FILE__, __LINE__, __VA_ARGS__)
/* Each side is evaluated once: it may have effects (ending a process). */
#define TAP_CHECK_INT(a, op, b)                                                                    \
  __extension__({                                                                                  \
    long long tap_a_ = (long long) (a), tap_b_ = (long long) (b);                                  \
    ptl_tap_check_at (tap_a_ op tap_b_, __FILE__, __LINE__, "%s %s %s (%lld vs %lld)", #a, #op,    \
                      #b, tap_a_, tap_b_);                                                         \
  })
#define TAP_CHECK_STR(a, b)                                                                        \
  ptl_tap_check_at (ptl_tap_str_eq ((a), (b)), __FILE__, __LINE__, "%s == %s (\"%s\" vs \"%s\")",  \
                    #a, #b, ptl_tap_show (a), ptl_tap_show (b))
#define TAP_CHECK_CONTAINS(hay, needle)                                                            \
  ptl_tap_check_at (ptl_tap_contains ((hay), (needle)), __FILE__, __LINE__, "%s contains \"%s\"",  \
                    #hay, (needle))

bool ptl_tap_str_eq (const char *a, const char *b);
const char *ptl_tap_show (const char *s);
bool ptl_tap_contains (const char *hay, const char *needle);

/**
 * ptl_tap_json_valid:
 * A strict RFC 8259 syntax check (objects, arrays, strings with escapes,
 * numbers, literals), enough to say that a program's JSON output parses.
 */
bool ptl_tap_json_valid (const char *text, size_t len);
