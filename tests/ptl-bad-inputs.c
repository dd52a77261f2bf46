/* ptl-bad-inputs.c: reading tests/data/bad-inputs.txt (see its header for
 * the format). */
#include "ptl-bad-inputs.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_LEN 1024

static bool
fail (char *why, size_t size, int line, const char *fmt, ...)
{
  va_list ap;
  int n = snprintf (why, size, "bad-inputs.txt line %d: ", line);

  va_start (ap, fmt);
  if (n >= 0 && (size_t) n < size)
    vsnprintf (why + n, size - (size_t) n, fmt, ap);
  va_end (ap);
  return false;
}

static int
hex_digit (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* One quoted word from *@p (just past the opening quote) into @out. */
static const char *
quoted_word (const char **p, char *out)
{
  const char *s = *p;
  size_t n = 0;

  for (; *s != '"'; s++)
    {
      if (*s == '\0' || *s == '\n')
        return "the quotes are not closed";
      if (*s != '\\')
        {
          out[n++] = *s;
          continue;
        }
      s++;
      if (*s == '\\' || *s == '"')
        out[n++] = *s;
      else if (*s == 'x' && hex_digit (s[1]) >= 0 && hex_digit (s[2]) >= 0
               && (hex_digit (s[1]) | hex_digit (s[2])) != 0)
        {
          out[n++] = (char) (hex_digit (s[1]) * 16 + hex_digit (s[2]));
          s += 2;
        }
      else
        return "an escape is not \\\\, \\\" or \\xHH (not 00)";
    }
  out[n] = '\0';
  *p = s + 1;
  return NULL;
}

/* The next word of @line at *@p into a malloc'ed *@word; NULL at the end. */
static const char *
next_word (const char **p, char **word, bool *big)
{
  const char *s = *p;
  char buf[LINE_MAX_LEN];
  const char *problem;
  size_t n = 0;

  *word = NULL;
  *big = false;
  while (*s == ' ' || *s == '\t')
    s++;
  if (*s == '\0' || *s == '\n' || *s == '\r')
    return NULL;
  if (*s == '"')
    {
      s++;
      if ((problem = quoted_word (&s, buf)) != NULL)
        return problem;
      if (*s != '\0' && *s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
        return "a quoted word runs on after its closing quote";
    }
  else
    {
      while (*s != '\0' && *s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
        buf[n++] = *s++;
      buf[n] = '\0';
      if (strcmp (buf, "@BIG@") == 0)
        {
          *big = true;
          if ((*word = malloc (PTL_BAD_BIG_LEN + 1)) == NULL)
            return "out of memory";
          memset (*word, '7', PTL_BAD_BIG_LEN);
          (*word)[PTL_BAD_BIG_LEN] = '\0';
          *p = s;
          return NULL;
        }
    }
  *p = s;
  /* strdup is not C11 */
  if ((*word = malloc (strlen (buf) + 1)) == NULL)
    return "out of memory";
  memcpy (*word, buf, strlen (buf) + 1);
  return NULL;
}

static void
clear_case (PtlBadInput *b)
{
  free (b->names);
  for (size_t i = 0; i < b->n_args; i++)
    free (b->args[i]);
  memset (b, 0, sizeof *b);
}

static bool
parse_line (const char *line, int number, PtlBadInput *b, char *why, size_t size)
{
  const char *p = line, *problem = NULL;
  char *kind = NULL, *word;
  bool big;

  memset (b, 0, sizeof *b);
  b->line = number;
  if ((problem = next_word (&p, &kind, &big)) == NULL && kind != NULL)
    {
      b->query = strcmp (kind, "query") == 0;
      if (!b->query && strcmp (kind, "cli") != 0)
        problem = "the kind is neither \"query\" nor \"cli\"";
    }
  free (kind);
  if (problem == NULL)
    problem = next_word (&p, &b->names, &big);
  while (problem == NULL && (problem = next_word (&p, &word, &big)) == NULL && word != NULL)
    {
      if (b->n_args == PTL_BAD_MAX_ARGS)
        {
          free (word);
          problem = "too many arguments";
          break;
        }
      b->big[b->n_args] = big;
      b->args[b->n_args++] = word;
    }
  if (problem == NULL && (b->names == NULL || b->names[0] == '\0'))
    problem = "no NAMES word";
  else if (problem == NULL && b->query && b->n_args != 1)
    problem = "a \"query\" case has exactly one argument";
  if (problem == NULL)
    return true;
  clear_case (b);
  return fail (why, size, number, "%s", problem);
}

bool
ptl_bad_inputs_read (FILE *f, PtlBadInput **out, size_t *n, char *why, size_t why_size)
{
  char line[LINE_MAX_LEN];
  PtlBadInput *cases = NULL, *grown;
  size_t count = 0;
  int number = 0;

  while (fgets (line, sizeof line, f) != NULL)
    {
      const char *s = line + strspn (line, " \t");

      number++;
      if (strchr (line, '\n') == NULL && !feof (f))
        goto failed_long;
      if (*s == '#' || *s == '\n' || *s == '\r' || *s == '\0')
        continue;
      if ((grown = realloc (cases, (count + 1) * sizeof *cases)) == NULL)
        {
          fail (why, why_size, number, "out of memory");
          goto failed;
        }
      cases = grown;
      if (!parse_line (s, number, &cases[count], why, why_size))
        goto failed;
      count++;
    }
  *out = cases;
  *n = count;
  return true;

failed_long:
  fail (why, why_size, number, "the line is longer than %d bytes", LINE_MAX_LEN - 2);
failed:
  ptl_bad_inputs_free (cases, count);
  return false;
}

void
ptl_bad_inputs_free (PtlBadInput *cases, size_t n)
{
  for (size_t i = 0; i < n; i++)
    clear_case (&cases[i]);
  free (cases);
}

void
ptl_bad_input_describe (const PtlBadInput *b, char *buf, size_t size)
{
  size_t n = 0;

#define PUT(...)                                                                                   \
  do                                                                                               \
    {                                                                                              \
      int put_ = snprintf (buf + n, size - n, __VA_ARGS__);                                        \
      if (put_ < 0 || (size_t) put_ >= size - n)                                                   \
        return;                                                                                    \
      n += (size_t) put_;                                                                          \
    }                                                                                              \
  while (0)

  if (size == 0)
    return;
  buf[0] = '\0';
  PUT ("portolan-cli");
  for (size_t i = 0; i < b->n_args; i++)
    {
      PUT (" '");
      if (b->big[i])
        PUT ("<10 KB of 7s>");
      else
        for (const unsigned char *c = (const unsigned char *) b->args[i]; *c; c++)
          {
            if (*c >= 0x20 && *c < 0x7F && *c != '\\')
              PUT ("%c", *c);
            else
              PUT ("\\x%02X", *c);
          }
      PUT ("'");
    }
#undef PUT
}

/* RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF. */
static bool
valid_utf8 (const unsigned char *s)
{
  while (*s)
    {
      unsigned c = *s, len = c < 0x80                ? 1
                             : c >= 0xC2 && c < 0xE0 ? 2
                             : c >= 0xE0 && c < 0xF0 ? 3
                             : c >= 0xF0 && c < 0xF5 ? 4
                                                     : 0;
      unsigned long cp;

      if (len == 0)
        return false;
      cp = len == 1 ? c : c & (0x7F >> len);
      for (unsigned i = 1; i < len; i++)
        {
          if ((s[i] & 0xC0) != 0x80)
            return false;
          cp = (cp << 6) | (s[i] & 0x3F);
        }
      if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)))
          || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return false;
      s += len;
    }
  return true;
}

bool
ptl_bad_input_valid_utf8 (const PtlBadInput *b)
{
  for (size_t i = 0; i < b->n_args; i++)
    if (!valid_utf8 ((const unsigned char *) b->args[i]))
      return false;
  return true;
}
