/* ptl-win32-logic.c: see ptl-win32-logic.h. */
#include "ptl-win32-logic.h"

#include <string.h>

static bool
same_ascii_nocase (const char *a, const char *b)
{
  for (; *a && *b; a++, b++)
    {
      char x = (*a >= 'A' && *a <= 'Z') ? (char) (*a - 'A' + 'a') : *a;
      char y = (*b >= 'A' && *b <= 'Z') ? (char) (*b - 'A' + 'a') : *b;
      if (x != y)
        return false;
    }
  return *a == *b;
}

bool
ptl_win32_critical_name (const char *image_name)
{
  static const char *const names[]
      = { "lsass.exe", "csrss.exe", "wininit.exe", "services.exe", "smss.exe", "winlogon.exe" };
  const char *base = image_name;

  for (const char *p = image_name; *p; p++)
    if (*p == '\\' || *p == '/')
      base = p + 1;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (same_ascii_nocase (base, names[i]))
      return true;
  return false;
}

uint32_t
ptl_win32_scope_id (uint32_t field)
{
  unsigned char b[4];

  memcpy (b, &field, sizeof b);
  return ((uint32_t) b[0] << 24) | ((uint32_t) b[1] << 16) | ((uint32_t) b[2] << 8) | b[3];
}
