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

  ptl_i18n_set_translate (fake_translate, NULL);
  g_assert_cmpint (ptl_query_parse ("65536", &q, &err), ==, -1);
  g_assert_cmpstr (err.message, ==, "Der Port 65536 liegt außerhalb: Ports gehen von 0 bis 65535.");
  g_assert_cmpstr (ptl_tr ("owner hidden: needs root"), ==, "owner hidden: needs root");
  ptl_i18n_set_translate (NULL, NULL);
}

static const char *
fake_plural (const char *msgid, const char *plural, unsigned long n)
{
  (void) plural;
  if (strcmp (msgid, "%zu socket on port %u:\n") == 0)
    return n % 10 == 1 && n % 100 != 11 ? "form0 %zu %u" : "form1 %zu %u";
  return NULL;
}

static const char *
fake_context (const char *key)
{
  if (strcmp (key, "port\004free") == 0)
    return "frei";
  return key; /* gettext hands back what it was given when it has nothing */
}

static void
test_plural (void)
{
  ptl_i18n_set_translate (NULL, NULL);
  g_assert_cmpstr (ptl_ntr ("a", "b", 1), ==, "a");
  g_assert_cmpstr (ptl_ntr ("a", "b", 0), ==, "b");
  g_assert_cmpstr (ptl_ntr ("a", "b", 21), ==, "b");
  ptl_i18n_set_translate (fake_context, fake_plural);
  g_assert_cmpstr (ptl_ntr ("%zu socket on port %u:\n", "x", 21), ==, "form0 %zu %u");
  g_assert_cmpstr (ptl_ntr ("%zu socket on port %u:\n", "x", 11), ==, "form1 %zu %u");
  /* No plural translation: English's own choice. */
  g_assert_cmpstr (ptl_ntr ("one", "many", 2), ==, "many");
  ptl_i18n_set_translate (NULL, NULL);
}

static void
test_context (void)
{
  ptl_i18n_set_translate (fake_context, NULL);
  g_assert_cmpstr (ptl_trc ("port", "free"), ==, "frei");
  /* Another context, or none, is another message. */
  g_assert_cmpstr (ptl_trc ("command", "free"), ==, "free");
  g_assert_cmpstr (ptl_tr ("free"), ==, "free");
  ptl_i18n_set_translate (NULL, NULL);
  g_assert_cmpstr (ptl_trc ("port", "free"), ==, "free");
}

static void
test_identity (void)
{
  PtlQuery q;
  PtlError err = { 0 };

  ptl_i18n_set_translate (NULL, NULL);
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
  g_test_add_func ("/ptl/i18n/plural", test_plural);
  g_test_add_func ("/ptl/i18n/context", test_context);
  return g_test_run ();
}
