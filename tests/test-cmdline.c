/* test-cmdline.c: Windows command lines (core/ptl-cmdline.c), on Linux.
 *
 * split_like_windows() below splits a line by the rules Microsoft documents
 * for CommandLineToArgvW and the C runtime ("Parsing C command-line
 * arguments"): the program's word ends at the next '"' when it starts with
 * one, else at a blank, without escapes; after it, blanks separate
 * arguments, '"' opens and closes quoting, 2n backslashes before a '"' are
 * n backslashes and the quote quotes, 2n+1 are n backslashes and a
 * literal quote, other backslashes are literal, and "" inside quotes is a
 * literal quote. Every line the core builds must split back into its
 * vector: the fixed cases (the relaunch of portolan.exe with a port and a
 * view, paths with spaces, trailing backslashes, quotes) and 5,000 random
 * vectors over the characters that matter. tests/win32 checks the same
 * lines against the real CommandLineToArgvW under Wine.
 */
#include <string.h>

#include <glib.h>

#include "ptl-cmdline.h"

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t';
}

/* The program's word: no escapes, a quote only ends it. */
static const char *
split_program (const char *p, GPtrArray *out)
{
  GString *word = g_string_new (NULL);

  if (*p == '"')
    {
      for (p++; *p && *p != '"'; p++)
        g_string_append_c (word, *p);
      if (*p == '"')
        p++;
    }
  else
    for (; *p && !is_blank (*p); p++)
      g_string_append_c (word, *p);
  g_ptr_array_add (out, g_string_free (word, FALSE));
  return p;
}

/* Backslashes at @p, then what they mean before a quote or not. */
static const char *
split_backslashes (const char *p, GString *word, gboolean *quoted)
{
  size_t n = 0;

  while (*p == '\\')
    p++, n++;
  if (*p != '"')
    {
      for (; n > 0; n--)
        g_string_append_c (word, '\\');
      return p;
    }
  for (size_t i = 0; i < n / 2; i++)
    g_string_append_c (word, '\\');
  if (n % 2 == 1)
    g_string_append_c (word, '"');
  else if (*quoted && p[1] == '"')
    g_string_append_c (word, '"'), p++;
  else
    *quoted = !*quoted;
  return p + 1;
}

static GPtrArray *
split_like_windows (const char *line)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  const char *p = split_program (line, out);

  for (;;)
    {
      GString *word;
      gboolean quoted = FALSE;

      while (is_blank (*p))
        p++;
      if (*p == '\0')
        break;
      word = g_string_new (NULL);
      while (*p && (quoted || !is_blank (*p)))
        {
          if (*p == '\\' || *p == '"')
            p = split_backslashes (p, word, &quoted);
          else
            g_string_append_c (word, *p++);
        }
      g_ptr_array_add (out, g_string_free (word, FALSE));
    }
  return out;
}

static char *
join (const char *program, const char *const *args)
{
  PtlBuf line;
  char *text;

  ptl_buf_init (&line);
  g_assert_cmpint (ptl_cmdline_append_program (&line, program, NULL), ==, 0);
  for (guint i = 0; args[i]; i++)
    {
      ptl_buf_puts (&line, " ");
      ptl_cmdline_append_arg (&line, args[i]);
    }
  g_assert_false (line.failed);
  text = g_strdup (ptl_buf_str (&line));
  ptl_buf_clear (&line);
  return text;
}

static void
assert_round_trip (const char *program, const char *const *args)
{
  g_autofree char *line = join (program, args);
  g_autoptr (GPtrArray) back = split_like_windows (line);
  guint n = g_strv_length ((char **) args);

  g_assert_cmpuint (back->len, ==, n + 1);
  g_assert_cmpstr (g_ptr_array_index (back, 0), ==, program);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (g_ptr_array_index (back, i + 1), ==, args[i]);
}

static char *
relaunch_line (const char *program, const char *query, const char *view)
{
  PtlBuf line;
  PtlError err = { 0 };
  char *text;

  ptl_buf_init (&line);
  g_assert_cmpint (ptl_relaunch_command_line (program, query, view, &line, &err), ==, 0);
  text = g_strdup (ptl_buf_str (&line));
  ptl_buf_clear (&line);
  return text;
}

/* What "Restart as Administrator…" passes for a port and a view, from a
 * program under "Program Files": exact text, and what Windows splits. */
static void
test_relaunch (void)
{
  const char *program = "C:\\Program Files\\Portolan\\bin\\portolan.exe";
  g_autofree char *port = relaunch_line (program, "1644", "port");
  g_autofree char *conn = relaunch_line (program, NULL, "connections");
  g_autofree char *service = relaunch_line ("C:\\Tools\\portolan.exe", "my svc", "port");
  g_autoptr (GPtrArray) back = split_like_windows (port);

  g_assert_cmpstr (port, ==,
                   "\"C:\\Program Files\\Portolan\\bin\\portolan.exe\" --new-instance --view=port "
                   "-- 1644");
  g_assert_cmpstr (conn, ==,
                   "\"C:\\Program Files\\Portolan\\bin\\portolan.exe\" --new-instance "
                   "--view=connections");
  g_assert_cmpstr (service, ==, "C:\\Tools\\portolan.exe --new-instance --view=port -- \"my svc\"");
  g_assert_cmpuint (back->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (back, 0), ==, program);
  g_assert_cmpstr (g_ptr_array_index (back, 1), ==, "--new-instance");
  g_assert_cmpstr (g_ptr_array_index (back, 2), ==, "--view=port");
  g_assert_cmpstr (g_ptr_array_index (back, 3), ==, "--");
  g_assert_cmpstr (g_ptr_array_index (back, 4), ==, "1644");
}

static void
test_relaunch_refuses (void)
{
  PtlBuf line;
  PtlError err = { 0 };

  ptl_buf_init (&line);
  g_assert_cmpint (ptl_relaunch_parameters ("1644", "map", &line, &err), ==, PTL_EINVAL);
  g_assert_cmpint (ptl_relaunch_parameters ("1644", NULL, &line, &err), ==, PTL_EINVAL);
  g_assert_cmpint (ptl_relaunch_parameters ("16\xff"
                                            "44",
                                            "port", &line, &err),
                   ==, PTL_EINVAL);
  g_assert_cmpint (ptl_relaunch_command_line ("C:\\a\"b.exe", "1644", "port", &line, &err), ==,
                   PTL_EINVAL);
  g_assert_cmpstr (err.message, ==, "A program path cannot hold a '\"'.");
  ptl_buf_clear (&line);
}

/* Paths with spaces and the backslash cases that trip hand-made quoting. */
static void
test_fixed_cases (void)
{
  assert_round_trip ("C:\\Program Files\\Portolan\\portolan.exe",
                     (const char *const[]){ "C:\\Users\\Jo Doe\\", "a\\\\b", "", "\"", NULL });
  assert_round_trip ("portolan.exe", (const char *const[]){ "\\\"", "a b\\\\", "x\"y z", "\\\\\\",
                                                            "tab\there", "new\nline", NULL });
  assert_round_trip ("C:\\dir\\", (const char *const[]){ "--view=port", "-- ", "1644/udp", NULL });
  assert_round_trip ("", (const char *const[]){ "café 日本", NULL });
}

static void
test_random_vectors (void)
{
  static const char alphabet[] = { 'a', 'Z', '0', ' ', '\t', '\\', '"', '/', ':', '\xc3', '\xa9' };
  GRand *rand = g_rand_new_with_seed (16);

  for (int round = 0; round < 5000; round++)
    {
      g_autoptr (GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
      gint32 n = g_rand_int_range (rand, 0, 5);
      g_autofree char *program = NULL;

      for (gint32 i = 0; i <= n; i++)
        {
          GString *s = g_string_new (NULL);
          gint32 len = g_rand_int_range (rand, 0, 9);

          for (gint32 k = 0; k < len; k++)
            g_string_append_c (s, alphabet[g_rand_int_range (rand, 0, G_N_ELEMENTS (alphabet))]);
          g_ptr_array_add (args, g_string_free (s, FALSE));
        }
      /* The program's word cannot hold a quote; everything else can. */
      program = g_strdelimit (g_strdup (g_ptr_array_index (args, 0)), "\"", '_');
      g_ptr_array_add (args, NULL);
      assert_round_trip (program, (const char *const *) args->pdata + 1);
    }
  g_rand_free (rand);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ptl/cmdline/relaunch", test_relaunch);
  g_test_add_func ("/ptl/cmdline/relaunch-refuses", test_relaunch_refuses);
  g_test_add_func ("/ptl/cmdline/fixed-cases", test_fixed_cases);
  g_test_add_func ("/ptl/cmdline/random-vectors", test_random_vectors);

  return g_test_run ();
}
