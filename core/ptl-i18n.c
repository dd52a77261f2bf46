/* ptl-i18n.c: the translation hook. */
#include "ptl-i18n.h"

#include <stddef.h>

static PtlTranslateFunc translate_fn;

void
ptl_i18n_set_translate (PtlTranslateFunc fn)
{
  translate_fn = fn;
}

const char *
ptl_tr (const char *msgid)
{
  const char *s;

  if (translate_fn == NULL || msgid == NULL || msgid[0] == '\0')
    return msgid;
  s = translate_fn (msgid);
  return s ? s : msgid;
}
