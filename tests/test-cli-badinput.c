/* test-cli-badinput.c: every way we could think of to hand portolan-cli
 * bad input, from the shared table tests/data/bad-inputs.txt. Each must
 * exit 2, print nothing on stdout, and put exactly one line on stderr:
 * "portolan-cli: " and a sentence that names the offending argument or
 * option (made printable when it was not), or, for input with nothing
 * printable to quote, the problem itself.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "ptl-bad-inputs.h"
#include "ptl-test-util.h"

static void
check_one (const PtlBadInput *b)
{
  g_autofree char *out = NULL, *err = NULL;
  char cmd[256];
  int code;

  ptl_bad_input_describe (b, cmd, sizeof cmd);
  code = ptl_test_cli_runv (NULL, (const char *const *) b->args, &out, &err);
  g_test_message ("line %d: %s -> exit %d, stderr: %.*s", b->line, cmd, code,
                  (int) strcspn (err, "\n"), err);
  g_assert_cmpint (code, ==, 2);
  g_assert_cmpstr (out, ==, "");
  /* one line, newline-terminated, with a sentence after the prefix */
  g_assert_true (g_str_has_suffix (err, "\n"));
  g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
  g_assert_true (g_str_has_prefix (err, "portolan-cli: "));
  g_assert_cmpuint (strlen (err), >, strlen ("portolan-cli: ") + 10);
  g_assert_cmpuint (strlen (err), <, 300);
  /* valid UTF-8 without control characters: hostile bytes are never echoed */
  g_assert_true (g_utf8_validate (err, -1, NULL));
  for (const char *p = err; *p != '\n'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      g_assert_false (c < 0x20 || (c >= 0x7F && c < 0xA0));
    }
  if (strstr (err, b->names) == NULL)
    g_error ("the sentence does not name \"%s\": %s", b->names, err);
}

static void
test_bad_input (gconstpointer data)
{
  check_one (data);
}

int
main (int argc, char **argv)
{
  PtlBadInput *cases;
  size_t n;
  char why[256];
  FILE *f;
  int rc;

  g_test_init (&argc, &argv, NULL);
  f = fopen (PTL_BAD_INPUTS_FILE, "r");
  if (f == NULL)
    g_error ("cannot open %s: %s", PTL_BAD_INPUTS_FILE, g_strerror (errno));
  if (!ptl_bad_inputs_read (f, &cases, &n, why, sizeof why))
    g_error ("%s", why);
  fclose (f);
  /* The issue asks for at least 40; the table must not quietly shrink. */
  g_assert_cmpuint (n, >=, 40);
  for (size_t i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("/portolan/cli/bad-input/%02zu", i);
      g_test_add_data_func (path, &cases[i], test_bad_input);
    }
  g_test_message ("%zu bad inputs", n);
  rc = g_test_run ();
  ptl_bad_inputs_free (cases, n);
  return rc;
}
