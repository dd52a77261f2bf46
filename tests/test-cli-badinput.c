/* test-cli-badinput.c: every way we could think of to hand portolan-cli
 * bad input. Each must exit 2, print nothing on stdout, and put exactly
 * one line on stderr: "portolan-cli: " and a sentence that names the
 * offending argument or option (made printable when it was not), or, for
 * input with nothing printable to quote, the problem itself.
 */
#define _GNU_SOURCE

#include <string.h>

#include <glib.h>

#include "ptl-test-util.h"

#define BIG "@BIG@" /* replaced by a 10 KB argument */

typedef struct
{
  const char *args[6];
  const char *names; /* the sentence must contain this */
} BadInput;

static const BadInput bad_inputs[] = {
  /* the query (the default command), parsed by core's ptl_query_parse */
  { { "" }, "empty" },
  { { "-1" }, "-1" },
  { { "65536" }, "65536" },
  { { "99999999999999999999" }, "99999999999999999999" },
  { { "1e3" }, "'1e3'" },
  { { "0x50" }, "'0x50'" },
  { { "1644/xyz" }, "'xyz'" },
  { { "10-5" }, "10-5" },
  { { "a-b" }, "'a-b'" },
  { { BIG }, "too long" },
  { { "\xff\xfe" },
    "'?"
    "?'" }, /* split: no trigraph */
  { { "ss\xc3h" }, "'ss?h'" },
  { { "\x1b[31mred" }, "'?[31mred'" },
  { { "12ab" }, "'12ab'" },
  { { "abc!@#" }, "'abc!@#'" },
  { { "1644/" }, "'/'" },
  { { "/tcp" }, "names no port" },
  { { "80.0" }, "'80.0'" },
  { { "+80" }, "'+80'" },
  { { " 80" }, "' 80'" },
  { { "-5-10" }, "'-5-10'" },
  { { "0-65536" }, "65536" },
  { { "1644/tcp/udp" }, "'tcp/udp'" },
  { { "--bogus" }, "'--bogus'" },
  { { "-x" }, "'-x'" },
  { { "80", "--json", "--csv" }, "'--csv'" },
  { { "80", "--tcp=1" }, "'--tcp=1'" },
  { { "1", "2" }, "'2'" },
  { { "port" }, "No query" },
  { { "port", "80/udp", "--tcp" }, "--tcp" },
  { { "--version", "x" }, "'x'" },
  { { "help", "extra" }, "'extra'" },
  { { "help", "list", "free" }, "one command" },
  /* list */
  { { "list", "--json", "--csv" }, "--csv" },
  { { "list", "extra" }, "'extra'" },
  { { "list", "--port" }, "'--port'" },
  { { "list", "--port", "70000" }, "70000" },
  { { "list", "--port", "abc" }, "'abc'" },
  { { "list", "--port", "80/sctp" }, "sctp" },
  { { "list", "--port", "10-5" }, "10-5" },
  { { "list", "--port", "" }, "empty" },
  { { "list", "--pid", "0" }, "'0'" },
  { { "list", "--pid", "-5" }, "'-5'" },
  { { "list", "--pid", "abc" }, "'abc'" },
  { { "list", "--pid", "99999999999" }, "'99999999999'" },
  { { "list", "--pid", BIG }, "The PID" },
  { { "list", "-z" }, "'-z'" },
  { { "list", "-jz" }, "'-z'" },
  { { "list", "--json=x" }, "'--json=x'" },
  /* free */
  { { "free", "--from", "0" }, "--from" },
  { { "free", "--to", "70000" }, "'70000'" },
  { { "free", "--count", "0" }, "--count" },
  { { "free", "--count", "1001" }, "'1001'" },
  { { "free", "--count", "-5" }, "'-5'" },
  { { "free", "--count", "99999999999999999999" }, "--count" },
  { { "free", "--from", "5000", "--to", "100" }, "5000" },
  { { "free", "--from", "1e3" }, "'1e3'" },
  { { "free", "--to", "0x10" }, "'0x10'" },
  { { "free", "--from" }, "'--from'" },
  { { "free", "extra" }, "'extra'" },
  /* check */
  { { "check" }, "No port" },
  { { "check", "1", "2" }, "'2'" },
  { { "check", "" }, "empty" },
  { { "check", "0" }, "Port 0" },
  { { "check", "6660-6669" }, "'6660-6669'" },
  { { "check", "80/sctp" }, "sctp" },
  { { "check", "1644/udp", "--tcp" }, "udp" },
  { { "check", "--wait", "0", "80" }, "--wait" },
  { { "check", "--wait", "abc", "80" }, "'abc'" },
  { { "check", "--wait", "86401", "80" }, "'86401'" },
  { { "check", "--wait", "-1", "80" }, "'-1'" },
  { { "check", "80", "-w" }, "'-w'" },
  /* kill: the port is checked before anything is looked up or ended */
  { { "kill" }, "No port" },
  { { "kill", "1", "2" }, "'2'" },
  { { "kill", "-1" }, "-1" },
  { { "kill", "0x50" }, "'0x50'" },
  { { "kill", "65536" }, "65536" },
  { { "kill", "6660-6669" }, "'6660-6669'" },
  { { "kill", "80/sctp" }, "sctp" },
  { { "kill", "80/udp", "--tcp" }, "udp" },
  { { "kill", "80", "--yes", "--bogus" }, "'--bogus'" },
  { { "kill", "\xff" }, "'?'" },
};

static const char *
expand (const char *arg)
{
  static char *big;

  if (strcmp (arg, BIG) != 0)
    return arg;
  if (big == NULL)
    {
      big = g_malloc (10 * 1024 + 1);
      memset (big, '7', 10 * 1024);
      big[10 * 1024] = '\0';
    }
  return big;
}

/* The arguments for a message: escaped, the 10 KB one abbreviated. */
static char *
describe (const BadInput *b)
{
  GString *s = g_string_new ("portolan-cli");

  for (guint i = 0; i < G_N_ELEMENTS (b->args) && b->args[i]; i++)
    {
      g_autofree char *esc = g_strescape (b->args[i], NULL);
      g_string_append_printf (s, " '%s'", strcmp (b->args[i], BIG) == 0 ? "<10 KB of 7s>" : esc);
    }
  return g_string_free (s, FALSE);
}

static void
check_one (const BadInput *b)
{
  const char *args[G_N_ELEMENTS (b->args) + 1] = { NULL };
  g_autofree char *out = NULL, *err = NULL, *cmd = describe (b);
  int code;

  for (guint i = 0; i < G_N_ELEMENTS (b->args) && b->args[i]; i++)
    args[i] = expand (b->args[i]);
  code = ptl_test_cli_runv (NULL, args, &out, &err);
  g_test_message ("%s -> exit %d, stderr: %.*s", cmd, code, (int) strcspn (err, "\n"), err);
  g_assert_cmpint (code, ==, 2);
  g_assert_cmpstr (out, ==, "");
  /* one line, newline-terminated, with a sentence after the prefix */
  g_assert_true (g_str_has_suffix (err, "\n"));
  g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
  g_assert_true (g_str_has_prefix (err, "portolan-cli: "));
  g_assert_cmpuint (strlen (err), >, strlen ("portolan-cli: ") + 10);
  g_assert_cmpuint (strlen (err), <, 300);
  /* printable ASCII only: hostile bytes are never echoed */
  for (const char *p = err; *p != '\n'; p++)
    g_assert_true (*p >= 0x20 && *p < 0x7F);
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
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bad_inputs); i++)
    {
      g_autofree char *path = g_strdup_printf ("/portolan/cli/bad-input/%02u", i);
      g_test_add_data_func (path, &bad_inputs[i], test_bad_input);
    }
  g_test_message ("%zu bad inputs", G_N_ELEMENTS (bad_inputs));
  return g_test_run ();
}
