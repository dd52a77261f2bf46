/* ptl-error.c: error sentences. */
#include "ptl-error.h"

#include <stdarg.h>
#include <stdio.h>

int
ptl_error_set (PtlError *err, int code, const char *fmt, ...)
{
  va_list ap;

  if (err == NULL)
    return code;
  err->code = code;
  va_start (ap, fmt);
  vsnprintf (err->message, sizeof err->message, fmt, ap);
  va_end (ap);
  return code;
}

void
ptl_error_clear (PtlError *err)
{
  if (err == NULL)
    return;
  err->code = PTL_OK;
  err->message[0] = '\0';
}
