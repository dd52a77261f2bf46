/* ptl-win32-utf.c: UTF-8 <-> UTF-16 at the Windows API boundary. */
#include <windows.h>

#include <stdlib.h>
#include <string.h>

#include "ptl-win32-private.h"

char *
ptl_win32_utf8_from_wide (const wchar_t *w, int len)
{
  int n;
  char *s;

  if (w == NULL)
    return calloc (1, 1);
  if (len < 0)
    len = (int) wcslen (w);
  if (len == 0)
    return calloc (1, 1);
  /* Without WC_ERR_INVALID_CHARS, unpaired surrogates become U+FFFD. */
  n = WideCharToMultiByte (CP_UTF8, 0, w, len, NULL, 0, NULL, NULL);
  if (n <= 0 || (s = malloc ((size_t) n + 1)) == NULL)
    return n <= 0 ? calloc (1, 1) : NULL;
  WideCharToMultiByte (CP_UTF8, 0, w, len, s, n, NULL, NULL);
  s[n] = '\0';
  return s;
}

wchar_t *
ptl_win32_wide_from_utf8 (const char *s)
{
  int n;
  wchar_t *w;

  if (s == NULL || s[0] == '\0')
    return calloc (1, sizeof (wchar_t));
  /* Without MB_ERR_INVALID_CHARS, invalid bytes become U+FFFD. */
  n = MultiByteToWideChar (CP_UTF8, 0, s, -1, NULL, 0);
  if (n <= 0)
    return calloc (1, sizeof (wchar_t));
  if ((w = malloc ((size_t) n * sizeof (wchar_t))) == NULL)
    return NULL;
  MultiByteToWideChar (CP_UTF8, 0, s, -1, w, n);
  w[n - 1] = L'\0';
  return w;
}

/* Cuts @s to fit @size bytes without splitting a UTF-8 sequence. */
static void
copy_utf8_cut (const char *s, char *out, size_t size)
{
  size_t n = strlen (s);

  if (n >= size)
    {
      n = size - 1;
      while (n > 0 && ((unsigned char) s[n] & 0xC0) == 0x80)
        n--;
    }
  memcpy (out, s, n);
  out[n] = '\0';
}

void
ptl_win32_utf8_into (const wchar_t *w, char *out, size_t size)
{
  char *s;

  if (size == 0)
    return;
  out[0] = '\0';
  if ((s = ptl_win32_utf8_from_wide (w, -1)) == NULL)
    return;
  copy_utf8_cut (s, out, size);
  free (s);
}
