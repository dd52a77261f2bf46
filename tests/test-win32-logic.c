/* test-win32-logic.c: the Windows decisions that need no Windows headers
 * (platform-win32/ptl-win32-logic.c), checked on Linux on known values. */
#include <glib.h>
#include <string.h>

#include "ptl-win32-logic.h"

/* The value a little-endian machine reads from four bytes in memory. */
static guint32
field_from_bytes (guint8 b0, guint8 b1, guint8 b2, guint8 b3)
{
  const guint8 bytes[4] = { b0, b1, b2, b3 };
  guint32 v;

  memcpy (&v, bytes, sizeof v);
  return v;
}

static void
test_scope_id (void)
{
  /* Network byte order: the most significant byte first in memory. */
  g_assert_cmpuint (ptl_win32_scope_id (field_from_bytes (0, 0, 0, 12)), ==, 12);
  g_assert_cmpuint (ptl_win32_scope_id (field_from_bytes (0, 0, 0, 1)), ==, 1);
  g_assert_cmpuint (ptl_win32_scope_id (field_from_bytes (0, 0, 1, 0)), ==, 256);
  g_assert_cmpuint (ptl_win32_scope_id (field_from_bytes (0, 1, 0x02, 0x03)), ==, 0x010203);
  g_assert_cmpuint (ptl_win32_scope_id (field_from_bytes (0x12, 0x34, 0x56, 0x78)), ==, 0x12345678);
  g_assert_cmpuint (ptl_win32_scope_id (0), ==, 0);
  /* On x86 the raw field of scope 12 reads as 0x0c000000: a host-order
   * reading would have printed "%201326592". */
  if (G_BYTE_ORDER == G_LITTLE_ENDIAN)
    g_assert_cmpuint (ptl_win32_scope_id (0x0c000000u), ==, 12);
}

static void
test_critical_names (void)
{
  const char *critical[] = { "lsass.exe",
                             "LSASS.EXE",
                             "csrss.exe",
                             "wininit.exe",
                             "services.exe",
                             "smss.exe",
                             "winlogon.exe",
                             "WinLogon.exe",
                             "C:\\Windows\\System32\\lsass.exe",
                             "C:/Windows/system32/smss.exe" };
  const char *ordinary[] = { "svchost.exe",
                             "lsass",
                             "lsass.exe.bak",
                             "mylsass.exe",
                             "",
                             "services.exe.exe",
                             "C:\\lsass.exe\\python.exe",
                             "explorer.exe" };

  for (gsize i = 0; i < G_N_ELEMENTS (critical); i++)
    g_assert_true (ptl_win32_critical_name (critical[i]));
  for (gsize i = 0; i < G_N_ELEMENTS (ordinary); i++)
    g_assert_false (ptl_win32_critical_name (ordinary[i]));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ptl/win32/scope-id", test_scope_id);
  g_test_add_func ("/ptl/win32/critical-names", test_critical_names);
  return g_test_run ();
}
