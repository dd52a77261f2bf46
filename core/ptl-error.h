/* ptl-error.h: error codes and the human sentence that goes with them.
 *
 * Core functions return 0 on success or a negative PTL_E* code, and fill a
 * PtlError when the caller passes one. The message is one sentence written
 * for the person at the keyboard.
 */
#pragma once

enum
{
  PTL_OK = 0,
  PTL_EINVAL = -1,    /* bad input from the user */
  PTL_ENOTFOUND = -2, /* a well-formed question with a negative answer */
  PTL_ENOMEM = -3,
  PTL_EACCES = -4,  /* permission denied */
  PTL_ESYSTEM = -5, /* the OS refused or failed */
  PTL_EUNSUPPORTED = -6,
  PTL_ECANCELED = -7, /* the person at the keyboard declined (a UAC prompt, a dialog) */
};

typedef struct
{
  int code;
  char message[512];
} PtlError;

/* Marks a sentence for translation without pulling in gettext here; the GUI
 * translates the sentences it shows. */
#define PTL_N_(s) (s)

/* gnu_printf: mingw-w64 builds use C99 printf (__USE_MINGW_ANSI_STDIO), so
 * %zu is right there too, while plain "printf" would mean msvcrt's rules. */
#if defined(__GNUC__) && !defined(__clang__)
#define PTL_PRINTF(f, a) __attribute__ ((format (gnu_printf, f, a)))
#elif defined(__GNUC__)
#define PTL_PRINTF(f, a) __attribute__ ((format (printf, f, a)))
#else
#define PTL_PRINTF(f, a)
#endif

/**
 * ptl_error_set:
 * Fills @err (which may be NULL) with @code and a formatted sentence, and
 * returns @code so callers can write `return ptl_error_set (err, ...)`.
 */
int ptl_error_set (PtlError *err, int code, const char *fmt, ...) PTL_PRINTF (3, 4);

/**
 * ptl_error_clear:
 * Resets @err to "no error".
 */
void ptl_error_clear (PtlError *err);
