/* portolan-cli-help.c: the usage lines, every --help and the getopt
 * tables, all made from the command table in portolan-cli.c. */
#define _GNU_SOURCE

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "portolan-cli.h"
#include "ptl-platform.h"

#define HELP_WIDTH 79
/* Joins two words that wrap() keeps on one line ("PID 4"); printed as a space. */
#define NBSP "\x1f"
#define MAX_OPTIONS 32

static const char tool_about[]
    = N_ ("What is on port N? Portolan tells what a port means (IANA assignments, unofficial "
          "uses, its range) and what this machine does with it (sockets, owning processes, "
          "whether it is free to bind).\n"
          "A QUERY is a port (1644), a port and protocol (1644/udp), a range (6660-6669) or a "
          "service name (ssh, ircu).\n"
          "Another machine: --host [USER@]HOST[:PORT] before the command runs it there with that "
          "machine's portolan-cli, over ssh (BatchMode=yes, so a key that needs no prompt). Also "
          "before the command: --ssh-config FILE, --ssh-option OPTION (repeatable), --remote-cli "
          "PATH (default portolan-cli), --connect-timeout SECONDS (default 10). Exit code 3 says "
          "ssh is missing, the host is unreachable, the login was refused or portolan-cli is not "
          "there.");

static const char tool_footer[]
    = N_ ("Every command has --help and 'portolan-cli --version' prints the version; 'man "
          "portolan-cli' tells all of it. Exit codes: 0 ok/free, 1 "
          "negative answer (in use, nothing found), 2 bad usage or input, 3 system error or "
          "permission.");

static const CliOption help_option = { 'h', "help", NULL, N_ ("show this help"), 0 };

/* ---- wrapping ------------------------------------------------------------------ */

/* Appends @text[0..len) unit by unit (ptl_utf8_word: words, or single
 * Chinese and Japanese characters), breaking before HELP_WIDTH columns; a
 * new line starts with @indent spaces. @col is the column on entry;
 * returns it. */
static size_t
wrap (PtlBuf *out, const char *text, size_t len, size_t col, size_t indent)
{
  const char *end = text + len;
  size_t start = col;
  bool space = false; /* a space stood before this unit */

  while (text < end)
    {
      size_t n, w;

      if (*text == ' ')
        {
          space = true;
          text++;
          continue;
        }
      n = ptl_utf8_word (text, (size_t) (end - text));
      w = ptl_utf8_width_n (text, n);
      if (col > start && col + space + w > HELP_WIDTH)
        {
          ptl_buf_printf (out, "\n%*s", (int) indent, "");
          col = start = indent;
        }
      else if (col > start && space)
        ptl_buf_puts (out, " "), col++;
      for (size_t i = 0; i < n; i++)
        ptl_buf_append (out, text[i] == NBSP[0] ? " " : text + i, 1);
      col += w;
      text += n;
      space = false;
    }
  return col;
}

/* What the platform protects, for the help: "PID 1" on Linux, "PID 0,
 * PID 4, critical Windows processes (…)" on Windows. Linux has no process
 * 0, so it is not named when PID 1 is. */
static void
put_protected_pids (PtlBuf *out)
{
  bool has_init = ptl_platform_pid_is_protected (1, NULL);
  bool first = true;

  for (long pid = has_init ? 1 : 0; pid <= 4; pid++)
    if (pid != ptl_platform_self_pid () && ptl_platform_pid_is_protected (pid, NULL))
      {
        ptl_buf_printf (out, "%sPID" NBSP "%ld", first ? "" : C_ ("list", ", "), pid);
        first = false;
      }
  if (ptl_platform_protected_more ()[0])
    ptl_buf_printf (out, "%s%s", C_ ("list", ", "), _ (ptl_platform_protected_more ()));
}

/* One line of an about text with its placeholders filled in. */
static void
expand (PtlBuf *line, const char *text, size_t len)
{
  const char *end = text + len;

  while (text < end)
    {
      const char *brace = memchr (text, '{', (size_t) (end - text));
      size_t n = (size_t) ((brace ? brace : end) - text);

      ptl_buf_append (line, text, n);
      text += n;
      if (brace == NULL)
        break;
      if (strncmp (text, "{signal}", 8) == 0)
        ptl_buf_puts (line, _ (ptl_platform_terminate_method ())), text += 8;
      else if (strncmp (text, "{protected}", 11) == 0)
        put_protected_pids (line), text += 11;
      else
        ptl_buf_append (line, text, 1), text++;
    }
}

/* An about text: a paragraph per line, "- " lines as list items; a blank
 * line between paragraphs, none before an item. */
static void
put_about (PtlBuf *out, const char *text)
{
  for (bool first = true; *text; first = false)
    {
      size_t n = strcspn (text, "\n");
      bool item = strncmp (text, "- ", 2) == 0;
      PtlBuf line;

      if (!first && !item)
        ptl_buf_puts (out, "\n");
      ptl_buf_init (&line);
      expand (&line, text, n);
      if (item)
        ptl_buf_puts (out, "  ");
      wrap (out, ptl_buf_str (&line), line.len, item ? 2 : 0, item ? 4 : 0);
      ptl_buf_puts (out, "\n");
      ptl_buf_clear (&line);
      text += n + (text[n] == '\n');
    }
}

/* ---- usage lines ------------------------------------------------------------------ */

/* "[--name]", "[--name ARG]", or "[--json|--csv]" for a group (at its
 * first member; NULL for the others). */
static const char *
option_token (const CliOption *opts, const CliOption *o, char *buf, size_t size)
{
  size_t len;

  for (const CliOption *p = opts; o->group && p < o; p++)
    if (p->group == o->group)
      return NULL;
  len = (size_t) snprintf (buf, size, "[--%s%s%s", o->name, o->arg ? " " : "",
                           o->arg ? o->arg : "");
  for (const CliOption *p = o + 1; o->group && p->key; p++)
    if (p->group == o->group && len < size)
      len += (size_t) snprintf (buf + len, size - len, "|--%s", p->name);
  if (len + 1 < size)
    memcpy (buf + len, "]", 2);
  return buf;
}

/* "portolan-cli list [--listening] …", wrapped under its own start. */
static void
put_usage (PtlBuf *out, const CliCommand *cmd, size_t col)
{
  const char *name = cmd == &cli_commands[0] ? "[port]" : cmd->name;
  size_t indent = col + strlen ("portolan-cli ") + strlen (name) + 1;
  char buf[128];

  snprintf (buf, sizeof buf, "portolan-cli %s%s%s", name, cmd->operands[0] ? " " : "",
            cmd->operands);
  ptl_buf_puts (out, buf);
  col += strlen (buf);
  for (const CliOption *o = cmd->options; o->key; o++)
    {
      const char *token = option_token (cmd->options, o, buf, sizeof buf);

      if (token == NULL)
        continue;
      if (col + 1 + strlen (token) > HELP_WIDTH)
        {
          ptl_buf_printf (out, "\n%*s", (int) indent, "");
          col = indent;
        }
      else
        ptl_buf_puts (out, " "), col++;
      ptl_buf_puts (out, token);
      col += strlen (token);
    }
  ptl_buf_puts (out, "\n");
}

/* ---- option lists ------------------------------------------------------------------ */

static void
option_left (const CliOption *o, char *buf, size_t size)
{
  if (o->key < 128)
    snprintf (buf, size, "-%c, --%s%s%s", o->key, o->name, o->arg ? " " : "", o->arg ? o->arg : "");
  else
    snprintf (buf, size, "    --%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
}

static void
put_option (PtlBuf *out, const CliOption *o, size_t width)
{
  char left[64];

  option_left (o, left, sizeof left);
  ptl_buf_printf (out, "  %-*s", (int) width, left);
  const char *help = _ (o->help);

  wrap (out, help, strlen (help), 2 + width, 2 + width);
  ptl_buf_puts (out, "\n");
}

static void
put_options (PtlBuf *out, const CliOption *opts)
{
  size_t width = strlen ("-h, --help") + 2;
  char left[64];

  for (const CliOption *o = opts; o->key; o++)
    {
      option_left (o, left, sizeof left);
      if (strlen (left) + 2 > width)
        width = strlen (left) + 2;
    }
  ptl_buf_puts (out, _ ("Options:"));
  ptl_buf_puts (out, "\n");
  for (const CliOption *o = opts; o->key; o++)
    put_option (out, o, width);
  put_option (out, &help_option, width);
}

static void
put_paragraph (PtlBuf *out, const char *text)
{
  text = _ (text);
  wrap (out, text, strlen (text), 0, 0);
  ptl_buf_puts (out, "\n");
}

/* "Usage: " in the reader's language, and its width in columns: the
 * usage lines line up under it. */
static const char *
usage_word (size_t *width)
{
  /* TRANSLATORS: starts the usage lines of --help; keep the space at the end. */
  const char *word = _ ("Usage: ");

  *width = ptl_utf8_width (word);
  return word;
}

static void
put_tool_help (PtlBuf *out)
{
  size_t width = 0, uw;
  const char *usage = usage_word (&uw);

  for (size_t i = 0; i < cli_n_commands; i++)
    {
      if (i == 0)
        ptl_buf_puts (out, usage);
      else
        ptl_buf_printf (out, "%*s", (int) uw, "");
      put_usage (out, &cli_commands[i], uw);
      if (strlen (cli_commands[i].name) > width)
        width = strlen (cli_commands[i].name);
    }
  ptl_buf_printf (out, "%*sportolan-cli --host [USER@]HOST[:PORT] COMMAND ...\n\n", (int) uw, "");
  put_about (out, _ (tool_about));
  ptl_buf_printf (out, "\n%s\n", _ ("Commands:"));
  for (size_t i = 0; i < cli_n_commands; i++)
    {
      const char *summary = _ (cli_commands[i].summary);

      ptl_buf_printf (out, "  %-*s  ", (int) width, cli_commands[i].name);
      wrap (out, summary, strlen (summary), width + 4, width + 4);
      ptl_buf_puts (out, "\n");
    }
  ptl_buf_puts (out, "\n");
  put_paragraph (out, tool_footer);
}

int
cli_print_help (const CliCommand *cmd)
{
  PtlBuf out;
  size_t uw;
  int rc;

  ptl_buf_init (&out);
  if (cmd == NULL)
    put_tool_help (&out);
  else
    {
      ptl_buf_puts (&out, usage_word (&uw));
      put_usage (&out, cmd, uw);
      ptl_buf_puts (&out, "\n");
      put_about (&out, _ (cmd->about));
      ptl_buf_puts (&out, "\n");
      put_options (&out, cmd->options);
      ptl_buf_puts (&out, "\n");
      put_paragraph (&out, cmd->exit_codes);
    }
  rc = cli_print (&out);
  ptl_buf_clear (&out);
  return rc;
}

/* ---- reading options ------------------------------------------------------------------ */

typedef struct
{
  char shortopts[2 * MAX_OPTIONS + 2];
  struct option longopts[MAX_OPTIONS + 1];
} Getopt;

static void
add_getopt (Getopt *g, size_t *ns, size_t *nl, const CliOption *o)
{
  if (*nl == MAX_OPTIONS)
    return;
  if (o->key < 128)
    {
      g->shortopts[(*ns)++] = (char) o->key;
      if (o->arg)
        g->shortopts[(*ns)++] = ':';
    }
  g->longopts[(*nl)++]
      = (struct option){ o->name, o->arg ? required_argument : no_argument, NULL, o->key };
}

/* getopt_long's tables for @cmd; the leading ':' reports a missing value as ':'. */
static void
build_getopt (const CliCommand *cmd, Getopt *g)
{
  size_t ns = 0, nl = 0;

  memset (g, 0, sizeof *g);
  g->shortopts[ns++] = ':';
  for (const CliOption *o = cmd->options; o->key; o++)
    add_getopt (g, &ns, &nl, o);
  add_getopt (g, &ns, &nl, &help_option);
}

/* The argument that starts with '-' and then @digit: what a person typed as
 * a negative port ("-1", "-5-10"), which getopt takes for options. */
static const char *
negative_argument (int argc, char **argv, int digit)
{
  for (int i = 1; i < argc; i++)
    if (argv[i][0] == '-' && argv[i][1] == digit)
      return argv[i];
  return NULL;
}

/* getopt_long leaves no pointer to the argument it choked on, so the
 * sentence is rebuilt from what it does leave: optopt (0 for a long
 * option), and optind (past the option, except inside a cluster "-jz"). */
static int
bad_option (const char *command, int ch, int argc, char **argv, const char *shortopts)
{
  const char *arg = optind >= 2 && optind <= argc ? argv[optind - 1] : "?";
  const char *neg;
  char buf[64];
  PtlQuery q;
  PtlError err;

  if (ch == ':')
    return cli_fail (CLI_USAGE, "Option '%s' for '%s' needs a value; see 'portolan-cli %s --help'.",
                     cli_shown (arg, buf, sizeof buf), command, command);
  if (optopt >= '0' && optopt <= '9' && (neg = negative_argument (argc, argv, optopt)) != NULL
      && ptl_query_parse (neg, &q, &err) < 0)
    return cli_fail_error (&err);
  if (optopt > 0 && strchr (shortopts, optopt) != NULL)
    return cli_fail (CLI_USAGE,
                     "Option '%s' for '%s' takes no value; see 'portolan-cli %s --help'.",
                     cli_shown (arg, buf, sizeof buf), command, command);
  if (optopt > 0x20 && optopt < 0x7F)
    snprintf (buf, sizeof buf, "-%c", optopt);
  else if (optopt != 0)
    snprintf (buf, sizeof buf, "-?");
  else
    cli_shown (arg, buf, sizeof buf);
  return cli_fail (CLI_USAGE, "Unknown option '%s' for '%s'; see 'portolan-cli %s --help'.", buf,
                   command, command);
}

int
cli_parse_options (const char *name, int argc, char **argv, CliOptionFn fn, void *data)
{
  const CliCommand *cmd = cli_command_find (name);
  Getopt g;
  int ch, rc;

  build_getopt (cmd, &g);
  opterr = 0;
  while ((ch = getopt_long (argc, argv, g.shortopts, g.longopts, NULL)) != -1)
    {
      if (ch == 'h')
        return cli_print_help (cmd) == CLI_OK ? -1 : CLI_SYSTEM;
      if (ch == '?' || ch == ':')
        return bad_option (name, ch, argc, argv, g.shortopts);
      if ((rc = fn (ch, optarg, data)) != 0)
        return rc;
    }
  return 0;
}
