/* ptl-i18n.c: the translation hook. */
#include "ptl-i18n.h"

#include <stddef.h>
#include <string.h>

static PtlTranslateFunc translate_fn;
static PtlTranslatePluralFunc translate_plural_fn;

void
ptl_i18n_set_translate (PtlTranslateFunc fn, PtlTranslatePluralFunc nfn)
{
  translate_fn = fn;
  translate_plural_fn = nfn;
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

const char *
ptl_ntr (const char *msgid, const char *plural, unsigned long n)
{
  const char *s;

  if (translate_plural_fn == NULL)
    return n == 1 ? msgid : plural;
  s = translate_plural_fn (msgid, plural, n);
  return s ? s : n == 1 ? msgid : plural;
}

const char *
ptl_trc (const char *context, const char *msgid)
{
  char key[256];
  size_t c = strlen (context), m = strlen (msgid);
  const char *s;

  if (translate_fn == NULL || c + 1 + m >= sizeof key)
    return msgid;
  memcpy (key, context, c);
  key[c] = '\004';
  memcpy (key + c + 1, msgid, m + 1);
  s = translate_fn (key);
  /* An untranslated key comes back as itself, which lives on this stack. */
  return s == NULL || s == key ? msgid : s;
}
