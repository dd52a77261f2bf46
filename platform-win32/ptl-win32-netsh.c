/* ptl-win32-netsh.c: netsh's port-range output, numbers only. Every byte
 * may be hostile (a fuzzer feeds it): lines are read by length, numbers
 * are bounded before they are added up. */
#include "ptl-win32-netsh.h"

#include <stdbool.h>
#include <string.h>

#define NETSH_MAX_TOKENS 4

typedef struct
{
  unsigned long num[NETSH_MAX_TOKENS];
  size_t n_num;
  bool other;  /* a token that is neither a number nor "*" */
  bool marked; /* a "*" token */
} Line;

static bool
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* A whole decimal token of at most 6 digits; anything longer is not a
 * port and must not overflow. */
static bool
read_number (const char *tok, size_t n, unsigned long *out)
{
  unsigned long v = 0;

  if (n == 0 || n > 6)
    return false;
  for (size_t i = 0; i < n; i++)
    {
      if (tok[i] < '0' || tok[i] > '9')
        return false;
      v = v * 10 + (unsigned long) (tok[i] - '0');
    }
  *out = v;
  return true;
}

static void
add_token (Line *line, const char *tok, size_t n)
{
  unsigned long v;

  if (n == 1 && tok[0] == '*')
    line->marked = true;
  else if (line->n_num < NETSH_MAX_TOKENS && read_number (tok, n, &v))
    line->num[line->n_num++] = v;
  else
    line->other = true;
}

/* Splits @s[0..n) into whitespace-separated tokens. */
static void
split_line (const char *s, size_t n, Line *line)
{
  size_t i = 0;

  memset (line, 0, sizeof *line);
  while (i < n)
    {
      size_t start;

      while (i < n && is_space (s[i]))
        i++;
      start = i;
      while (i < n && !is_space (s[i]))
        i++;
      if (i > start)
        add_token (line, s + start, i - start);
    }
}

/* The number that ends a line such as "Start Port : 49152", whatever
 * language the label is in. */
static bool
trailing_number (const char *s, size_t n, unsigned long *out)
{
  size_t end = n, start;

  while (end > 0 && is_space (s[end - 1]))
    end--;
  start = end;
  while (start > 0 && s[start - 1] >= '0' && s[start - 1] <= '9')
    start--;
  if (start == end || (start > 0 && !is_space (s[start - 1]) && s[start - 1] != ':'))
    return false;
  return read_number (s + start, end - start, out);
}

/* Calls @fn on each line of @text; stops when it returns false. */
static void
each_line (const char *text, size_t len, bool (*fn) (const char *, size_t, void *), void *data)
{
  size_t i = 0;

  while (i < len)
    {
      const char *nl = memchr (text + i, '\n', len - i);
      size_t n = nl ? (size_t) (nl - (text + i)) : len - i;

      if (!fn (text + i, n, data))
        return;
      i += n + 1;
    }
}

typedef struct
{
  unsigned long values[2];
  size_t n;
} Dynamic;

static bool
dynamic_line (const char *s, size_t n, void *data)
{
  Dynamic *d = data;

  if (trailing_number (s, n, &d->values[d->n]))
    d->n++;
  return d->n < 2;
}

int
ptl_netsh_parse_dynamic (const char *text, size_t len, unsigned *first, unsigned *last)
{
  Dynamic d = { { 0, 0 }, 0 };

  if (text == NULL || first == NULL || last == NULL)
    return PTL_EINVAL;
  each_line (text, len, dynamic_line, &d);
  if (d.n < 2 || d.values[0] > PTL_PORT_MAX || d.values[1] < 1
      || d.values[1] > PTL_PORT_MAX + 1ul - d.values[0])
    return PTL_ENOTFOUND;
  *first = (unsigned) d.values[0];
  *last = (unsigned) (d.values[0] + d.values[1] - 1);
  return 0;
}

typedef struct
{
  PtlPortRules *rules;
  int added;
} Excluded;

static bool
has_range (const PtlPortRules *rules, unsigned long first, unsigned long last)
{
  for (size_t i = 0; i < rules->n_reserved; i++)
    if (rules->reserved[i].first == first && rules->reserved[i].last == last)
      return true;
  return false;
}

static bool
excluded_line (const char *s, size_t n, void *data)
{
  Excluded *x = data;
  PtlPortRules *r = x->rules;
  Line line;

  split_line (s, n, &line);
  if (line.other || line.n_num != 2 || line.num[0] > line.num[1] || line.num[1] > PTL_PORT_MAX)
    return true;
  if (has_range (r, line.num[0], line.num[1]))
    return true;
  if (r->n_reserved >= sizeof r->reserved / sizeof r->reserved[0])
    return false;
  r->reserved[r->n_reserved].first = (unsigned) line.num[0];
  r->reserved[r->n_reserved].last = (unsigned) line.num[1];
  r->n_reserved++;
  x->added++;
  return true;
}

int
ptl_netsh_parse_excluded (const char *text, size_t len, PtlPortRules *rules)
{
  Excluded x = { rules, 0 };

  if (text == NULL || rules == NULL)
    return PTL_EINVAL;
  if (rules->n_reserved > sizeof rules->reserved / sizeof rules->reserved[0])
    return PTL_EINVAL;
  each_line (text, len, excluded_line, &x);
  return x.added;
}

void
ptl_netsh_add_dynamic (PtlPortRules *rules, PtlProto proto, PtlFamily family, unsigned first,
                       unsigned last)
{
  size_t n = rules->n_ephemeral_other;

  if (!rules->known)
    {
      rules->known = true;
      rules->ephemeral_first = first;
      rules->ephemeral_last = last;
      return;
    }
  if ((first == rules->ephemeral_first && last == rules->ephemeral_last)
      || n == sizeof rules->ephemeral_other / sizeof rules->ephemeral_other[0])
    return;
  rules->ephemeral_other[n].proto = proto;
  rules->ephemeral_other[n].family = family;
  rules->ephemeral_other[n].first = first;
  rules->ephemeral_other[n].last = last;
  rules->n_ephemeral_other = n + 1;
}
