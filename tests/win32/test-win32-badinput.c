/* test-win32-badinput: the shared bad-input table (tests/data/bad-inputs.txt,
 * copied next to this .exe by meson) against portolan-cli.exe, with the
 * Linux test's assertions: exit 2, nothing on stdout, exactly one line on
 * stderr, "portolan-cli: " and a printable sentence naming the problem.
 *
 * Windows hands a program its arguments as one UTF-16 command line, which
 * the CLI splits with CommandLineToArgvW and turns into UTF-8
 * (ptl_platform_utf8_argv). Bytes that are not UTF-8 have no UTF-16 form,
 * so those cases cannot be passed at all: each is skipped with its reason.
 * What Windows can pass instead, an unpaired surrogate, is tried by the
 * extra cases at the end; it arrives as U+FFFD. Every other case is
 * answered exactly as on Linux: none needs a Windows-only expectation.
 */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../ptl-bad-inputs.h"
#include "ptl-tap.h"
#include "ptl-win32-test-util.h"

#define CLI L"..\\..\\app\\cli\\portolan-cli.exe"

static PtlBadInput *cases;
static size_t n_cases, next_case;

/* Appends @arg quoted the way CommandLineToArgvW splits it back: quotes
 * when empty or holding blanks or quotes; backslashes doubled only before
 * a quote (also the closing one), quotes escaped. */
static void
append_quoted (wchar_t *line, size_t *n, const wchar_t *arg)
{
  bool quote = arg[0] == L'\0' || wcspbrk (arg, L" \t\"") != NULL;
  size_t slashes = 0;

  line[(*n)++] = L' ';
  if (quote)
    line[(*n)++] = L'"';
  for (const wchar_t *c = arg;; c++)
    {
      if (*c == L'\\')
        {
          slashes++;
          continue;
        }
      if (*c == L'"' || (*c == L'\0' && quote))
        slashes *= 2;
      for (; slashes > 0; slashes--)
        line[(*n)++] = L'\\';
      if (*c == L'\0')
        break;
      if (*c == L'"')
        line[(*n)++] = L'\\';
      line[(*n)++] = *c;
    }
  if (quote)
    line[(*n)++] = L'"';
  line[*n] = L'\0';
}

/* The case's arguments as a command line tail, or NULL (with @why) when an
 * argument has no UTF-16 form. Malloc'ed. */
static wchar_t *
command_tail (const PtlBadInput *b, const char **why)
{
  size_t cap = 16, n = 0;
  wchar_t *line, *arg;

  for (size_t i = 0; i < b->n_args; i++)
    cap += 3 * strlen (b->args[i]) + 4;
  if ((line = malloc (cap * sizeof *line)) == NULL || (arg = malloc (cap * sizeof *arg)) == NULL)
    {
      free (line);
      *why = "out of memory";
      return NULL;
    }
  line[0] = L'\0';
  for (size_t i = 0; i < b->n_args; i++)
    {
      if (b->args[i][0] != '\0'
          && MultiByteToWideChar (CP_UTF8, MB_ERR_INVALID_CHARS, b->args[i], -1, arg, (int) cap)
                 <= 0)
        {
          *why = "an argument is not UTF-8, and a Windows command line is UTF-16: there is no "
                 "way to pass these bytes (the unpaired-surrogate cases stand in for it)";
          free (arg);
          free (line);
          return NULL;
        }
      if (b->args[i][0] == '\0')
        arg[0] = L'\0';
      append_quoted (line, &n, arg);
    }
  free (arg);
  /* CreateProcessW takes at most 32767 characters with the program's path. */
  if (n > 30000)
    {
      free (line);
      *why = "the command line is longer than CreateProcessW takes";
      return NULL;
    }
  return line;
}

/* The assertions of tests/test-cli-badinput.c. */
static void
check_answer (const char *cmd, const char *names, const wchar_t *tail)
{
  TuResult r;
  const char *nl;

  if (!TAP_CHECK_MSG (tu_run (tu_sibling (CLI), tail, 60000, &r), "portolan-cli.exe starts"))
    return;
  nl = strchr (r.err, '\n');
  ptl_tap_note ("%s -> exit %lu, stderr: %.*s", cmd, r.exit_code,
                (int) (nl ? (size_t) (nl - r.err) : r.err_len), r.err);
  TAP_CHECK (!r.timed_out);
  TAP_CHECK_MSG (r.exit_code == 2, "%s exits 2, not %lu", cmd, r.exit_code);
  TAP_CHECK_MSG (r.out_len == 0, "%s prints nothing on stdout, not: %.200s", cmd, r.out);
  /* one line, "\n"-terminated (stderr is binary: no "\r"), after the prefix */
  TAP_CHECK_MSG (r.err_len > 0 && nl == r.err + r.err_len - 1, "one line on stderr: %.300s", r.err);
  TAP_CHECK_MSG (strncmp (r.err, "portolan-cli: ", 14) == 0, "the prefix: %.300s", r.err);
  TAP_CHECK_MSG (r.err_len > 14 + 10 && r.err_len < 300, "a sentence: %.300s", r.err);
  /* no control byte: hostile input is never echoed (valid UTF-8 may be) */
  for (size_t i = 0; i + 1 < r.err_len; i++)
    if (!TAP_CHECK_MSG ((unsigned char) r.err[i] >= 0x20 && r.err[i] != 0x7F,
                        "byte %zu is no control character", i))
      break;
  TAP_CHECK_MSG (strstr (r.err, names) != NULL, "the sentence names \"%s\": %.300s", names, r.err);
  tu_result_clear (&r);
}

static void
test_case (void)
{
  const PtlBadInput *b = &cases[next_case++];
  const char *why = NULL;
  char cmd[256];
  wchar_t *tail;

  ptl_bad_input_describe (b, cmd, sizeof cmd);
  if ((tail = command_tail (b, &why)) == NULL)
    ptl_tap_skip ("line %d: %s: %s", b->line, cmd, why);
  check_answer (cmd, b->names, tail);
  free (tail);
}

/* What Windows can pass where Linux passes stray bytes: an unpaired UTF-16
 * surrogate. It becomes U+FFFD, the replacement character, which the
 * sentence shows as it is (valid UTF-8 is echoed as typed). */
#define FFFD "\xef\xbf\xbd"

static void
test_unpaired_surrogates (void)
{
  static const struct
  {
    const wchar_t *tail;
    const char *cmd, *names;
  } extra[] = {
    { L" \xD800", "portolan-cli '<U+D800>'", "'" FFFD "'" },
    { L" ss\xDC00h", "portolan-cli 'ss<U+DC00>h'", "'ss" FFFD "h'" },
    { L" kill \xDBFF", "portolan-cli 'kill' '<U+DBFF>'", "'" FFFD "'" },
    { L" list --port 8\xD800", "portolan-cli 'list' '--port' '8<U+D800>'", "'8" FFFD "'" },
  };

  for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
    check_answer (extra[i].cmd, extra[i].names, extra[i].tail);
}

int
main (void)
{
  FILE *f = _wfopen (tu_sibling (L"bad-inputs.txt"), L"r");
  PtlTapTest *tests;
  char why[256];
  int rc;

  if (f == NULL || !ptl_bad_inputs_read (f, &cases, &n_cases, why, sizeof why))
    {
      printf ("Bail out! %s\n", f ? why : "cannot open bad-inputs.txt next to the test");
      return 1;
    }
  fclose (f);
  if (n_cases < 40 || (tests = calloc (n_cases + 1, sizeof *tests)) == NULL)
    {
      printf ("Bail out! %zu cases (at least 40 expected) or out of memory\n", n_cases);
      return 1;
    }
  /* Every case is one TAP test; test_case takes them in order. */
  for (size_t i = 0; i < n_cases; i++)
    {
      char *name = malloc (48);

      if (name)
        snprintf (name, 48, "/win32/cli/bad-input/line-%d", cases[i].line);
      tests[i].name = name ? name : "/win32/cli/bad-input";
      tests[i].run = test_case;
    }
  tests[n_cases].name = "/win32/cli/bad-input/unpaired-surrogates";
  tests[n_cases].run = test_unpaired_surrogates;
  rc = ptl_tap_main (tests, n_cases + 1);
  ptl_bad_inputs_free (cases, n_cases);
  return rc;
}
