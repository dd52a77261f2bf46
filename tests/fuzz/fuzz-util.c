/* fuzz-util.c: input cutting and output checkers for the fuzz targets. */
#include "fuzz-util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
ptl_fuzz_fail (const char *fmt, ...)
{
  va_list ap;

  va_start (ap, fmt);
  fputs ("FUZZ CHECK FAILED: ", stderr);
  vfprintf (stderr, fmt, ap);
  fputc ('\n', stderr);
  va_end (ap);
  abort ();
}

uint8_t
ptl_fuzz_byte (PtlFuzzInput *in)
{
  uint8_t b;

  if (in->len == 0)
    return 0;
  b = in->data[0];
  in->data++;
  in->len--;
  return b;
}

char *
ptl_fuzz_string (PtlFuzzInput *in, size_t max)
{
  size_t want = ptl_fuzz_byte (in), n = 0;
  char *s;

  if (want > max)
    want = max;
  if (want > in->len)
    want = in->len;
  s = malloc (want + 1);
  if (s == NULL)
    abort ();
  for (size_t i = 0; i < want; i++)
    if (in->data[i] != 0)
      s[n++] = (char) in->data[i];
  s[n] = '\0';
  in->data += want;
  in->len -= want;
  return s;
}

void
ptl_fuzz_strlcpy (PtlFuzzInput *in, char *dst, size_t size)
{
  char *s = ptl_fuzz_string (in, size - 1);

  memcpy (dst, s, strlen (s) + 1);
  free (s);
}

/* ---- UTF-8 ----------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at @u[0..len), 0 when invalid. Written
 * apart from core's decoder so a bug there cannot hide itself. */
static size_t
utf8_seq (const unsigned char *u, size_t len, unsigned *cp)
{
  size_t need;
  unsigned c;

  if (u[0] < 0x80)
    return *cp = u[0], 1;
  if (u[0] >= 0xC2 && u[0] <= 0xDF)
    need = 2, c = u[0] & 0x1Fu;
  else if (u[0] >= 0xE0 && u[0] <= 0xEF)
    need = 3, c = u[0] & 0x0Fu;
  else if (u[0] >= 0xF0 && u[0] <= 0xF4)
    need = 4, c = u[0] & 0x07u;
  else
    return 0;
  if (len < need)
    return 0;
  for (size_t i = 1; i < need; i++)
    {
      if ((u[i] & 0xC0) != 0x80)
        return 0;
      c = (c << 6) | (u[i] & 0x3Fu);
    }
  if ((need == 3 && c < 0x800) || (need == 4 && c < 0x10000) || c > 0x10FFFF
      || (c >= 0xD800 && c <= 0xDFFF))
    return 0;
  *cp = c;
  return need;
}

bool
ptl_fuzz_utf8_valid (const char *s, size_t len)
{
  const unsigned char *u = (const unsigned char *) s;
  size_t i = 0;
  unsigned cp;

  while (i < len)
    {
      size_t step = utf8_seq (u + i, len - i, &cp);
      if (step == 0)
        return false;
      i += step;
    }
  return true;
}

char *
ptl_fuzz_utf8_sanitize (const char *s)
{
  const unsigned char *u = (const unsigned char *) s;
  size_t len = strlen (s), i = 0, n = 0;
  char *out = malloc (len * 3 + 1);
  unsigned cp;

  if (out == NULL)
    abort ();
  while (i < len)
    {
      size_t step = utf8_seq (u + i, len - i, &cp);
      if (step == 0)
        {
          memcpy (out + n, "\xef\xbf\xbd", 3);
          n += 3, i++;
          continue;
        }
      memcpy (out + n, s + i, step);
      n += step, i += step;
    }
  out[n] = '\0';
  return out;
}

/* ---- JSON ------------------------------------------------------------------- */

typedef struct
{
  const char *p, *end;
  const char *error;
  int depth;
  char *out; /* decoded string, when decoding */
  size_t out_len;
} Json;

static bool json_value (Json *j);

static bool
json_fail (Json *j, const char *why)
{
  if (j->error == NULL)
    j->error = why;
  return false;
}

static void
json_blank (Json *j)
{
  while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
    j->p++;
}

static void
json_emit (Json *j, const char *s, size_t n)
{
  if (j->out == NULL)
    return;
  memcpy (j->out + j->out_len, s, n);
  j->out_len += n;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static bool
json_hex4 (Json *j, unsigned *v)
{
  *v = 0;
  if (j->end - j->p < 4)
    return json_fail (j, "short \\u escape");
  for (int i = 0; i < 4; i++)
    {
      int h = hex_value (*j->p++);
      if (h < 0)
        return json_fail (j, "bad hex digit in \\u escape");
      *v = *v << 4 | (unsigned) h;
    }
  return true;
}

static void
json_emit_cp (Json *j, unsigned cp)
{
  char b[4];
  size_t n;

  if (cp < 0x80)
    b[0] = (char) cp, n = 1;
  else if (cp < 0x800)
    b[0] = (char) (0xC0 | cp >> 6), b[1] = (char) (0x80 | (cp & 0x3F)), n = 2;
  else if (cp < 0x10000)
    b[0] = (char) (0xE0 | cp >> 12), b[1] = (char) (0x80 | ((cp >> 6) & 0x3F)),
    b[2] = (char) (0x80 | (cp & 0x3F)), n = 3;
  else
    b[0] = (char) (0xF0 | cp >> 18), b[1] = (char) (0x80 | ((cp >> 12) & 0x3F)),
    b[2] = (char) (0x80 | ((cp >> 6) & 0x3F)), b[3] = (char) (0x80 | (cp & 0x3F)), n = 4;
  json_emit (j, b, n);
}

/* \uXXXX, with surrogate pairs joined; a lone surrogate is not text. */
static bool
json_unicode_escape (Json *j)
{
  unsigned hi, lo;

  if (!json_hex4 (j, &hi))
    return false;
  if (hi >= 0xDC00 && hi <= 0xDFFF)
    return json_fail (j, "lone low surrogate escape");
  if (hi >= 0xD800 && hi <= 0xDBFF)
    {
      if (j->end - j->p < 2 || j->p[0] != '\\' || j->p[1] != 'u')
        return json_fail (j, "high surrogate escape without its pair");
      j->p += 2;
      if (!json_hex4 (j, &lo) || lo < 0xDC00 || lo > 0xDFFF)
        return json_fail (j, "bad surrogate pair escape");
      hi = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
    }
  json_emit_cp (j, hi);
  return true;
}

static bool
json_escape (Json *j)
{
  static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
  const char *hit;

  if (j->p >= j->end)
    return json_fail (j, "string ends inside an escape");
  if (*j->p == 'u')
    {
      j->p++;
      return json_unicode_escape (j);
    }
  if (*j->p == '\0' || (hit = strchr (from, *j->p)) == NULL)
    return json_fail (j, "unknown escape");
  json_emit (j, &to[hit - from], 1);
  j->p++;
  return true;
}

static bool
json_string (Json *j)
{
  unsigned cp;

  if (j->p >= j->end || *j->p != '"')
    return json_fail (j, "expected a string");
  j->p++;
  while (j->p < j->end && *j->p != '"')
    {
      size_t step;

      if ((unsigned char) *j->p < 0x20)
        return json_fail (j, "raw control character in a string");
      if (*j->p == '\\')
        {
          j->p++;
          if (!json_escape (j))
            return false;
          continue;
        }
      step = utf8_seq ((const unsigned char *) j->p, (size_t) (j->end - j->p), &cp);
      if (step == 0)
        return json_fail (j, "invalid UTF-8 in a string");
      json_emit (j, j->p, step);
      j->p += step;
    }
  if (j->p >= j->end)
    return json_fail (j, "unterminated string");
  j->p++;
  return true;
}

static size_t
json_digits (Json *j)
{
  size_t n = 0;

  while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
    j->p++, n++;
  return n;
}

static bool
json_number (Json *j)
{
  if (j->p < j->end && *j->p == '-')
    j->p++;
  if (j->p < j->end && *j->p == '0')
    j->p++;
  else if (json_digits (j) == 0)
    return json_fail (j, "bad number");
  if (j->p < j->end && *j->p == '.')
    {
      j->p++;
      if (json_digits (j) == 0)
        return json_fail (j, "bad fraction");
    }
  if (j->p < j->end && (*j->p == 'e' || *j->p == 'E'))
    {
      j->p++;
      if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
        j->p++;
      if (json_digits (j) == 0)
        return json_fail (j, "bad exponent");
    }
  return true;
}

static bool
json_word (Json *j, const char *word)
{
  size_t n = strlen (word);

  if ((size_t) (j->end - j->p) < n || memcmp (j->p, word, n) != 0)
    return json_fail (j, "unexpected character");
  j->p += n;
  return true;
}

/* Members of an object (@obj) or elements of an array, after the opening. */
static bool
json_container (Json *j, bool obj)
{
  char close = obj ? '}' : ']';

  json_blank (j);
  if (j->p < j->end && *j->p == close)
    return j->p++, true;
  for (;;)
    {
      json_blank (j);
      if (obj && !json_string (j))
        return false;
      json_blank (j);
      if (obj && (j->p >= j->end || *j->p++ != ':'))
        return json_fail (j, "expected ':'");
      if (!json_value (j))
        return false;
      json_blank (j);
      if (j->p < j->end && *j->p == ',')
        {
          j->p++;
          continue;
        }
      if (j->p < j->end && *j->p == close)
        return j->p++, true;
      return json_fail (j, obj ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static bool
json_value (Json *j)
{
  bool ok;

  json_blank (j);
  if (j->p >= j->end)
    return json_fail (j, "expected a value");
  if (++j->depth > 64)
    return json_fail (j, "nested too deeply");
  switch (*j->p)
    {
    case '{':
    case '[':
      ok = (j->p++, json_container (j, j->p[-1] == '{'));
      break;
    case '"':
      ok = json_string (j);
      break;
    case 't':
      ok = json_word (j, "true");
      break;
    case 'f':
      ok = json_word (j, "false");
      break;
    case 'n':
      ok = json_word (j, "null");
      break;
    default:
      ok = json_number (j);
    }
  j->depth--;
  return ok;
}

const char *
ptl_fuzz_json_check (const char *text, size_t len)
{
  Json j = { text, text + len, NULL, 0, NULL, 0 };

  if (!json_value (&j))
    return j.error;
  json_blank (&j);
  if (j.p != j.end)
    return "text after the JSON value";
  return NULL;
}

char *
ptl_fuzz_json_decode_string (const char *text, size_t len)
{
  Json j = { text, text + len, NULL, 0, malloc (len + 1), 0 };

  if (j.out == NULL)
    abort ();
  if (!json_string (&j) || j.p != j.end)
    {
      free (j.out);
      return NULL;
    }
  j.out[j.out_len] = '\0';
  return j.out;
}

/* ---- CSV -------------------------------------------------------------------- */

typedef struct
{
  PtlFuzzCsvRecord *records;
  size_t n, cap;
} CsvDoc;

static void
csv_add_field (PtlFuzzCsvRecord *r, const char *s, size_t n)
{
  char *f = malloc (n + 1);
  char **fields = realloc (r->fields, (r->n_fields + 1) * sizeof *fields);

  if (f == NULL || fields == NULL)
    abort ();
  memcpy (f, s, n);
  f[n] = '\0';
  r->fields = fields;
  r->fields[r->n_fields++] = f;
}

static PtlFuzzCsvRecord *
csv_new_record (CsvDoc *d)
{
  if (d->n == d->cap)
    {
      d->cap = d->cap ? d->cap * 2 : 16;
      d->records = realloc (d->records, d->cap * sizeof *d->records);
      if (d->records == NULL)
        abort ();
    }
  d->records[d->n] = (PtlFuzzCsvRecord){ NULL, 0 };
  return &d->records[d->n++];
}

/* One field starting at *@pp; leaves *@pp on the separator after it. */
static bool
csv_field (const char **pp, const char *end, PtlFuzzCsvRecord *r, char *scratch)
{
  const char *p = *pp;
  size_t n = 0;

  if (p < end && *p == '"')
    {
      for (p++;; p++)
        {
          if (p >= end)
            return false; /* unterminated quoted field */
          if (*p == '"' && p + 1 < end && p[1] == '"')
            scratch[n++] = '"', p++;
          else if (*p == '"')
            break;
          else
            scratch[n++] = *p;
        }
      p++;
    }
  else
    for (; p < end && *p != ',' && *p != '\n' && *p != '\r'; p++)
      {
        if (*p == '"')
          return false; /* a quote inside an unquoted field */
        scratch[n++] = *p;
      }
  csv_add_field (r, scratch, n);
  *pp = p;
  return true;
}

long
ptl_fuzz_csv_parse (const char *text, size_t len, PtlFuzzCsvRecord **out)
{
  const char *p = text, *end = text + len;
  char *scratch = malloc (len + 1);
  CsvDoc d = { NULL, 0, 0 };
  bool ok = true;

  if (scratch == NULL)
    abort ();
  while (ok && p < end)
    {
      PtlFuzzCsvRecord *r = csv_new_record (&d);

      for (;;)
        {
          if (!(ok = csv_field (&p, end, r, scratch)))
            break;
          if (p < end && *p == ',')
            {
              p++;
              continue;
            }
          if (p + 1 < end && p[0] == '\r' && p[1] == '\n')
            p++;
          ok = p < end && *p == '\n'; /* every record ends with a line end */
          p++;
          break;
        }
    }
  free (scratch);
  if (!ok)
    {
      ptl_fuzz_csv_free (d.records, d.n);
      return -1;
    }
  *out = d.records;
  return (long) d.n;
}

void
ptl_fuzz_csv_free (PtlFuzzCsvRecord *records, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      for (size_t k = 0; k < records[i].n_fields; k++)
        free (records[i].fields[k]);
      free (records[i].fields);
    }
  free (records);
}
