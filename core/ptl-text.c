/* ptl-text.c: the one sanitiser for text shown to people (ptl-text.h). */
#include "ptl-text.h"

#include <stdio.h>
#include <string.h>

bool
ptl_text_is_unsafe (unsigned cp)
{
  if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
    return true;
  /* LRM, RLM, the embeddings and overrides (LRE..RLO), the isolates
   * (LRI..PDI), and the separators some terminals take as line breaks. */
  return cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E)
         || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029 || cp == 0x061C;
}

void
ptl_text_sanitize (PtlBuf *out, const char *s, size_t len)
{
  size_t i = 0;

  while (i < len)
    {
      unsigned cp;
      size_t step = ptl_utf8_decode (s + i, len - i, &cp);

      if (step == 0 || ptl_text_is_unsafe (cp))
        ptl_buf_puts (out, "?");
      else
        ptl_buf_append (out, s + i, step);
      i += step ? step : 1;
    }
}

void
ptl_text_safe (PtlBuf *out, const char *s)
{
  ptl_text_sanitize (out, s, strlen (s));
}

static bool
valid_utf8 (const char *s, size_t len)
{
  unsigned cp;

  for (size_t i = 0, n; i < len; i += n)
    if ((n = ptl_utf8_decode (s + i, len - i, &cp)) == 0)
      return false;
  return true;
}

const char *
ptl_echo_input (const char *text, size_t max_chars, char *out, size_t size)
{
  size_t len = strlen (text), i = 0, n = 0, chars = 0;
  bool utf8 = valid_utf8 (text, len);

  if (size == 0)
    return out;
  while (i < len && chars < max_chars)
    {
      unsigned cp = 0;
      size_t step = utf8 ? ptl_utf8_decode (text + i, len - i, &cp) : 1;

      /* Outside valid UTF-8 every byte past ASCII is shown as unsafe. */
      if (!utf8)
        cp = (unsigned char) text[i] < 0x80 ? (unsigned char) text[i] : 0;
      if (n + step + 4 >= size)
        break;
      if (ptl_text_is_unsafe (cp))
        out[n++] = '?';
      else
        memcpy (out + n, text + i, step), n += step;
      i += step;
      chars++;
    }
  if (i < len && n + 4 <= size)
    memcpy (out + n, "...", 3), n += 3;
  out[n] = '\0';
  return out;
}
