/* ptl-error.c: error sentences. */
#include "ptl-error.h"
#include "ptl-i18n.h"

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
  /* The format is the msgid: a front end that registered a translator gets
   * the sentence in its language, with the same conversions. */
  vsnprintf (err->message, sizeof err->message, ptl_tr (fmt), ap);
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
