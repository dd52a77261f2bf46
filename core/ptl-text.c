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
ptl_text_sanitize (PtlBuf *out, const char *s, size_t len, unsigned flags)
{
  size_t i = 0;

  while (i < len)
    {
      unsigned cp;
      size_t step = ptl_utf8_decode (s + i, len - i, &cp);

      if ((flags & PTL_TEXT_ASCII) && (unsigned char) s[i] >= 0x80)
        step = 0; /* one '?' for this byte, and the next byte on its own */
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
  ptl_text_sanitize (out, s, strlen (s), 0);
}

const char *
ptl_text_quote (const char *s, size_t max_bytes, char *out, size_t size)
{
  size_t len = strlen (s), keep = len < max_bytes ? len : max_bytes;
  PtlBuf buf;

  if (size == 0)
    return out;
  ptl_buf_init (&buf);
  ptl_text_sanitize (&buf, s, keep, PTL_TEXT_ASCII);
  if (keep < len)
    ptl_buf_puts (&buf, "...");
  snprintf (out, size, "%s", buf.failed ? "?" : ptl_buf_str (&buf));
  ptl_buf_clear (&buf);
  return out;
}
