/* test-i18n.c: the core's translation hook. With a translator registered,
 * error sentences come back translated with their numbers in place; without
 * one (the CLI), they come back byte for byte. */
#include <glib.h>
#include <string.h>

#include "ptl-i18n.h"
#include "ptl-port.h"

static const char *
fake_translate (const char *msgid)
{
  if (strcmp (msgid, "Port %lu is out of range: ports run from 0 to 65535.") == 0)
    return "Der Port %lu liegt außerhalb: Ports gehen von 0 bis 65535.";
  return msgid;
}

static void
test_translated (void)
{
  PtlQuery q;
  PtlError err = { 0 };

  ptl_i18n_set_translate (fake_translate);
  g_assert_cmpint (ptl_query_parse ("65536", &q, &err), ==, -1);
  g_assert_cmpstr (err.message, ==, "Der Port 65536 liegt außerhalb: Ports gehen von 0 bis 65535.");
  g_assert_cmpstr (ptl_tr ("owner hidden: needs root"), ==, "owner hidden: needs root");
  ptl_i18n_set_translate (NULL);
}

static void
test_identity (void)
{
  PtlQuery q;
  PtlError err = { 0 };

  ptl_i18n_set_translate (NULL);
  g_assert_cmpint (ptl_query_parse ("65536", &q, &err), ==, -1);
  g_assert_cmpstr (err.message, ==, "Port 65536 is out of range: ports run from 0 to 65535.");
  g_assert_null (ptl_tr (NULL));
  g_assert_cmpstr (ptl_tr (""), ==, "");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ptl/i18n/translated", test_translated);
  g_test_add_func ("/ptl/i18n/identity", test_identity);
  return g_test_run ();
}
