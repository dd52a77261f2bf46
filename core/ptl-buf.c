/* ptl-buf.c: growable text buffer and small UTF-8 helpers. */
#include "ptl-buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
ptl_buf_init (PtlBuf *buf)
{
  buf->data = NULL;
  buf->len = 0;
  buf->cap = 0;
  buf->failed = false;
  buf->sink = NULL;
  buf->sink_data = NULL;
  buf->drained = 0;
}

void
ptl_buf_clear (PtlBuf *buf)
{
  free (buf->data);
  ptl_buf_init (buf);
}

static bool
buf_reserve (PtlBuf *buf, size_t extra)
{
  size_t want;
  char *data;

  if (buf->failed)
    return false;
  if (buf->len + extra + 1 <= buf->cap)
    return true;
  want = buf->cap ? buf->cap : 256;
  while (want < buf->len + extra + 1)
    want *= 2;
  data = realloc (buf->data, want);
  if (data == NULL)
    {
      buf->failed = true;
      return false;
    }
  buf->data = data;
  buf->cap = want;
  return true;
}

/* With a sink, the text goes out in pieces instead of piling up: the JSON
 * of a 20,000-row table would otherwise double the CLI's memory. */
static void
buf_drain (PtlBuf *buf)
{
  if (buf->sink == NULL || buf->len < PTL_BUF_DRAIN_AT)
    return;
  buf->sink (buf->data, buf->len, buf->sink_data);
  buf->drained += buf->len;
  buf->len = 0;
  buf->data[0] = '\0';
}

void
ptl_buf_set_sink (PtlBuf *buf, PtlBufSink sink, void *data)
{
  buf->sink = sink;
  buf->sink_data = data;
}

void
ptl_buf_append (PtlBuf *buf, const char *data, size_t len)
{
  if (!buf_reserve (buf, len))
    return;
  memcpy (buf->data + buf->len, data, len);
  buf->len += len;
  buf->data[buf->len] = '\0';
  buf_drain (buf);
}

void
ptl_buf_puts (PtlBuf *buf, const char *s)
{
  ptl_buf_append (buf, s, strlen (s));
}

/* Written straight into the free space when it fits (most calls), so
 * the format is run once, not twice. */
void
ptl_buf_printf (PtlBuf *buf, const char *fmt, ...)
{
  size_t room = buf->cap > buf->len ? buf->cap - buf->len : 0;
  va_list ap;
  int n;

  if (buf->failed)
    return;
  va_start (ap, fmt);
  n = vsnprintf (room ? buf->data + buf->len : NULL, room, fmt, ap);
  va_end (ap);
  if (n < 0)
    return;
  if ((size_t) n >= room)
    {
      if (!buf_reserve (buf, (size_t) n))
        return;
      va_start (ap, fmt);
      vsnprintf (buf->data + buf->len, (size_t) n + 1, fmt, ap);
      va_end (ap);
    }
  buf->len += (size_t) n;
  buf_drain (buf);
}

const char *
ptl_buf_str (const PtlBuf *buf)
{
  return buf->data ? buf->data : "";
}

size_t
ptl_utf8_decode (const char *s, size_t len, unsigned *cp)
{
  const unsigned char *u = (const unsigned char *) s;
  size_t need, i;
  unsigned c, min;

  if (len == 0)
    return 0;
  if (u[0] < 0x80)
    {
      *cp = u[0];
      return 1;
    }
  if ((u[0] & 0xE0) == 0xC0)
    need = 2, c = u[0] & 0x1F, min = 0x80;
  else if ((u[0] & 0xF0) == 0xE0)
    need = 3, c = u[0] & 0x0F, min = 0x800;
  else if ((u[0] & 0xF8) == 0xF0)
    need = 4, c = u[0] & 0x07, min = 0x10000;
  else
    return 0;
  if (len < need)
    return 0;
  for (i = 1; i < need; i++)
    {
      if ((u[i] & 0xC0) != 0x80)
        return 0;
      c = (c << 6) | (u[i] & 0x3F);
    }
  /* Overlong forms, surrogates and values past U+10FFFF are not UTF-8. */
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
    return 0;
  *cp = c;
  return need;
}

/* Unicode's East Asian Width "W" and "F" blocks, coarsely: what a
 * terminal draws in two columns. */
bool
ptl_utf8_wide (unsigned cp)
{
  static const unsigned ranges[][2] = {
    { 0x1100, 0x115F },   { 0x2E80, 0x303E }, { 0x3041, 0x33FF }, { 0x3400, 0x4DBF },
    { 0x4E00, 0x9FFF },   { 0xA000, 0xA4CF }, { 0xAC00, 0xD7A3 }, { 0xF900, 0xFAFF },
    { 0xFE30, 0xFE4F },   { 0xFF00, 0xFF60 }, { 0xFFE0, 0xFFE6 }, { 0x20000, 0x2FFFD },
    { 0x30000, 0x3FFFD },
  };

  for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
    if (cp >= ranges[i][0] && cp <= ranges[i][1])
      return true;
  return false;
}

size_t
ptl_utf8_width_n (const char *s, size_t len)
{
  size_t i = 0, n = 0;
  unsigned cp;

  while (i < len)
    {
      size_t step = ptl_utf8_decode (s + i, len - i, &cp);
      n += step && ptl_utf8_wide (cp) ? 2 : 1;
      i += step ? step : 1;
    }
  return n;
}

size_t
ptl_utf8_width (const char *s)
{
  return ptl_utf8_width_n (s, strlen (s));
}

/* Punctuation that must not start a line in Chinese or Japanese. */
static bool
closing_punct (unsigned cp)
{
  static const unsigned marks[] = { 0x3001, 0x3002, 0xFF0C, 0xFF0E, 0xFF1A, 0xFF1B, 0xFF01,
                                    0xFF1F, 0xFF09, 0x300D, 0x300F, 0x3011, 0x30FC, 0xFF3D };

  for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
    if (cp == marks[i])
      return true;
  return cp == ')' || cp == ',' || cp == '.' || cp == ':' || cp == ';';
}

/* Punctuation that must not end a line: it goes with what follows. */
static bool
opening_punct (unsigned cp)
{
  static const unsigned marks[] = { 0xFF08, 0x300C, 0x300E, 0x3010, 0x201C, 0x2018, 0xFF3B };

  for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
    if (cp == marks[i])
      return true;
  return false;
}

size_t
ptl_utf8_word (const char *s, size_t len)
{
  size_t i = 0, opening = 0; /* the length of an opening mark the unit began with */
  unsigned cp;

  while (i < len && s[i] != ' ')
    {
      size_t step = ptl_utf8_decode (s + i, len - i, &cp);

      if (step == 0)
        step = 1, cp = 0xFFFD;
      if (i == 0 && opening_punct (cp))
        {
          opening = step;
          i += step;
          continue;
        }
      if (ptl_utf8_wide (cp) && closing_punct (cp))
        {
          /* "ssh、ircu": a line may break after the mark, never before. */
          for (i += step; i < len && (step = ptl_utf8_decode (s + i, len - i, &cp)) != 0
                          && closing_punct (cp);)
            i += step;
          return i;
        }
      if (ptl_utf8_wide (cp))
        {
          if (i > 0 && i != opening)
            return i;
          i += step;
          /* The punctuation that closes it stays on its line. */
          while (i < len && (step = ptl_utf8_decode (s + i, len - i, &cp)) != 0
                 && closing_punct (cp))
            i += step;
          return i;
        }
      i += step;
    }
  return i;
}

void
ptl_buf_pad (PtlBuf *buf, const char *text, size_t width)
{
  size_t w = ptl_utf8_width (text);

  ptl_buf_puts (buf, text);
  ptl_buf_printf (buf, "%*s", (int) (w < width ? width - w : 1), "");
}

size_t
ptl_utf8_cut (const char *s, size_t len, size_t max)
{
  const unsigned char *u = (const unsigned char *) s;
  size_t cut, back;

  if (len <= max)
    return len;
  /* Step back over continuation bytes to the lead byte of the sequence
   * that straddles @max; cut before it. */
  for (cut = max, back = 0; cut > 0 && back < 3 && (u[cut] & 0xC0) == 0x80; cut--, back++)
    ;
  return cut > 0 ? cut : max;
}

void
ptl_buf_cell (PtlBuf *buf, const char *text, size_t width)
{
  size_t len = strlen (text), i = 0, cols = 0;
  unsigned cp;

  while (i < len)
    {
      size_t step = ptl_utf8_decode (text + i, len - i, &cp);
      size_t w = step && ptl_utf8_wide (cp) ? 2 : 1;

      if (cols + w > width)
        break;
      i += step ? step : 1;
      cols += w;
    }
  ptl_buf_append (buf, text, i);
  ptl_buf_printf (buf, "%*s", (int) (width - cols), "");
}
