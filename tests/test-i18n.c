/* test-i18n.c: the core's translation hook. With a translator registered,
 * error sentences come back translated with their numbers in place; without
 * one (the CLI), they come back byte for byte. */
#include <glib.h>
#include <string.h>

#include "ptl-buf.h"
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

/* Each unit a line may not break, written out as "a|b|c". */
static char *
units (const char *s)
{
  GString *out = g_string_new (NULL);
  size_t len = strlen (s), i = 0;

  while (i < len)
    {
      size_t n = ptl_utf8_word (s + i, len - i);

      if (n == 0)
        {
          i++;
          continue;
        }
      g_string_append_printf (out, "%s%.*s", out->len ? "|" : "", (int) n, s + i);
      i += n;
    }
  return g_string_free (out, FALSE);
}

static void
test_units (void)
{
  char *u;

  u = units ("no spaces, no break");
  g_assert_cmpstr (u, ==, "no|spaces,|no|break");
  g_free (u);
  /* Chinese: a unit per character; closing marks stay, opening marks go
   * with what follows; a Latin word stays whole. */
  u = units ("服务名（ssh、ircu）。端口");
  g_assert_cmpstr (u, ==, "服|务|名|（ssh、|ircu）。|端|口");
  g_free (u);
  u = units ("「ポート」です");
  g_assert_cmpstr (u, ==, "「ポー|ト」|で|す"); /* "ー" never starts a line */
  g_free (u);
  g_assert_cmpuint (ptl_utf8_width ("端口 N"), ==, 6);
  g_assert_cmpuint (ptl_utf8_width ("Порт"), ==, 4);
}

static void
test_cells (void)
{
  PtlBuf b;

  ptl_buf_init (&b);
  ptl_buf_pad (&b, "ПОРТ", 7);
  ptl_buf_pad (&b, "ДИАПАЗОН-ДЛИННЫЙ", 12); /* wider than its column: one space */
  ptl_buf_cell (&b, "(зарезервирован)", 8); /* cut on a character, never inside */
  ptl_buf_cell (&b, "端口端口", 5);         /* two wide characters and a pad */
  g_assert_cmpstr (ptl_buf_str (&b), ==, "ПОРТ   ДИАПАЗОН-ДЛИННЫЙ (зарезер端口 ");
  ptl_buf_clear (&b);
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
  g_test_add_func ("/ptl/i18n/units", test_units);
  g_test_add_func ("/ptl/i18n/cells", test_cells);
  return g_test_run ();
}
