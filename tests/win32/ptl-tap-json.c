/* ptl-tap-json.c: a strict JSON syntax check for the Windows tests. */
#include "ptl-tap.h"

#include <string.h>

typedef struct
{
  const char *s;
  size_t len, i;
  int depth;
} Json;

static bool value (Json *j);

static void
ws (Json *j)
{
  while (j->i < j->len && strchr (" \t\r\n", j->s[j->i]) && j->s[j->i])
    j->i++;
}

static bool
eat (Json *j, char c)
{
  ws (j);
  if (j->i < j->len && j->s[j->i] == c)
    {
      j->i++;
      return true;
    }
  return false;
}

static bool
is_hex (char c)
{
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool
escape (Json *j)
{
  char c;

  if (j->i >= j->len)
    return false;
  c = j->s[j->i++];
  if (strchr ("\"\\/bfnrt", c) && c)
    return true;
  if (c != 'u' || j->i + 4 > j->len)
    return false;
  for (int k = 0; k < 4; k++)
    if (!is_hex (j->s[j->i++]))
      return false;
  return true;
}

static bool
string (Json *j)
{
  if (!eat (j, '"'))
    return false;
  while (j->i < j->len)
    {
      unsigned char c = (unsigned char) j->s[j->i++];

      if (c == '"')
        return true;
      if (c < 0x20)
        return false;
      if (c == '\\' && !escape (j))
        return false;
    }
  return false;
}

static bool
digits (Json *j)
{
  size_t start = j->i;

  while (j->i < j->len && j->s[j->i] >= '0' && j->s[j->i] <= '9')
    j->i++;
  return j->i > start;
}

static bool
number (Json *j)
{
  if (j->s[j->i] == '-')
    j->i++;
  if (j->i < j->len && j->s[j->i] == '0')
    j->i++;
  else if (!digits (j))
    return false;
  if (j->i < j->len && j->s[j->i] == '.' && (j->i++, !digits (j)))
    return false;
  if (j->i < j->len && (j->s[j->i] == 'e' || j->s[j->i] == 'E'))
    {
      j->i++;
      if (j->i < j->len && (j->s[j->i] == '+' || j->s[j->i] == '-'))
        j->i++;
      return digits (j);
    }
  return true;
}

static bool
literal (Json *j, const char *word)
{
  size_t n = strlen (word);

  if (j->len - j->i < n || memcmp (j->s + j->i, word, n) != 0)
    return false;
  j->i += n;
  return true;
}

static bool
members (Json *j, char close, bool keyed)
{
  if (eat (j, close))
    return true;
  do
    {
      if (keyed && (!string (j) || !eat (j, ':')))
        return false;
      if (!value (j))
        return false;
    }
  while (eat (j, ','));
  return eat (j, close);
}

static bool
value (Json *j)
{
  bool ok;

  ws (j);
  if (j->i >= j->len || ++j->depth > 64)
    return false;
  switch (j->s[j->i])
    {
    case '{':
      j->i++;
      ok = members (j, '}', true);
      break;
    case '[':
      j->i++;
      ok = members (j, ']', false);
      break;
    case '"':
      ok = string (j);
      break;
    case 't':
      ok = literal (j, "true");
      break;
    case 'f':
      ok = literal (j, "false");
      break;
    case 'n':
      ok = literal (j, "null");
      break;
    default:
      ok = number (j);
    }
  j->depth--;
  return ok;
}

bool
ptl_tap_json_valid (const char *text, size_t len)
{
  Json j = { text, len, 0, 0 };

  if (!value (&j))
    return false;
  ws (&j);
  return j.i == j.len;
}
