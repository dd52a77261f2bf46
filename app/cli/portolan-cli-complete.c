/* portolan-cli __complete: what the shell completion scripts ask for
 * (tools in resources/completion/). One answer a line, "WORD<TAB>WHAT", so
 * the scripts for bash, zsh, fish and PowerShell need no list of their own:
 *
 *   __complete commands          the commands and their summaries
 *   __complete options COMMAND   "--name<TAB>ARG<TAB>help" (ARG empty for a flag)
 *   __complete services [PREFIX] IANA service names (case-insensitive prefix)
 *   __complete ports             the ports something listens on here, with its owner
 */
#define _GNU_SOURCE

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portolan-cli.h"
#include "ptl-knowledge.h"
#include "ptl-platform.h"
#include "ptl-report.h"

/* Appends @s with tabs, line ends and other control bytes as spaces. */
static void
put_field (PtlBuf *out, const char *s)
{
  for (; *s; s++)
    ptl_buf_append (out, (unsigned char) *s < 0x20 ? " " : s, 1);
}

static void
put_option (PtlBuf *out, const CliOption *o)
{
  ptl_buf_printf (out, "--%s\t%s\t", o->name, o->arg ? o->arg : "");
  put_field (out, _ (o->help));
  ptl_buf_puts (out, "\n");
}

static int
complete_options (const char *name, PtlBuf *out)
{
  const CliCommand *cmd = cli_command_find (name);
  char buf[64];

  if (cmd == NULL)
    return cli_fail (CLI_USAGE, "'%s' is not a command.", cli_shown (name, buf, sizeof buf));
  for (const CliOption *o = cmd->options; o->key; o++)
    put_option (out, o);
  ptl_buf_printf (out, "--help\t\t%s\n", _ ("show this help"));
  return 0;
}

static int
lower (int c)
{
  return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool
has_prefix (const char *s, const char *prefix)
{
  for (; *prefix; s++, prefix++)
    if (lower ((unsigned char) *s) != lower ((unsigned char) *prefix))
      return false;
  return true;
}

static bool
same_name (const char *a, const char *b)
{
  return has_prefix (a, b) && strlen (a) == strlen (b);
}

/* The name index is sorted by lower-case name, so equal names are neighbours. */
static void
complete_services (const char *prefix, PtlBuf *out)
{
  const char *last = "";

  for (size_t k = 0; k < ptl_iana_name_idx_len; k++)
    {
      const PtlIanaEntry *e = &ptl_iana[ptl_iana_name_idx[k]];

      if (e->service[0] == '\0' || same_name (e->service, last) || !has_prefix (e->service, prefix))
        continue;
      last = e->service;
      put_field (out, e->service);
      ptl_buf_puts (out, "\t");
      put_field (out, e->description);
      ptl_buf_puts (out, "\n");
    }
}

static int
cmp_rows (const void *a, const void *b)
{
  const PtlSocket *x = a, *y = b;
  return (x->local_port > y->local_port) - (x->local_port < y->local_port);
}

/* Every port a listener or a bound UDP socket holds, once, with the first owner found. */
static int
complete_ports (PtlBuf *out)
{
  PtlSocketFilter f;
  PtlSocketTable t;
  PtlError err;
  int rc;

  ptl_socket_filter_init (&f);
  f.listening_only = true;
  ptl_socket_table_init (&t);
  if (ptl_platform_read_sockets (&f, &t, &err) < 0 || ptl_platform_find_owners (&t, &err) < 0)
    rc = cli_fail_error (&err);
  else
    {
      rc = 0;
      qsort (t.rows, t.len, sizeof *t.rows, cmp_rows);
      for (size_t i = 0; i < t.len; i++)
        {
          if (i > 0 && t.rows[i].local_port == t.rows[i - 1].local_port)
            continue;
          ptl_buf_printf (out, "%u\t%s ", t.rows[i].local_port, ptl_proto_name (t.rows[i].proto));
          ptl_socket_owner_summary (&t, &t.rows[i], out);
          ptl_buf_puts (out, "\n");
        }
    }
  ptl_socket_table_clear (&t);
  return rc;
}

int
cli_complete (int argc, char **argv)
{
  const char *what = argc > 1 ? argv[1] : "";
  PtlBuf out;
  int rc = 0;

  ptl_buf_init (&out);
  if (strcmp (what, "commands") == 0 && argc == 2)
    for (size_t i = 0; i < cli_n_commands; i++)
      ptl_buf_printf (&out, "%s\t%s\n", cli_commands[i].name, _ (cli_commands[i].summary));
  else if (strcmp (what, "options") == 0 && argc == 3)
    rc = complete_options (argv[2], &out);
  else if (strcmp (what, "services") == 0 && argc <= 3)
    complete_services (argc == 3 ? argv[2] : "", &out);
  else if (strcmp (what, "ports") == 0 && argc == 2)
    rc = complete_ports (&out);
  else
    rc = cli_fail (CLI_USAGE, "__complete answers 'commands', 'options COMMAND', "
                              "'services [PREFIX]' or 'ports' (for the shell completion scripts).");
  if (rc == 0)
    rc = cli_print (&out);
  ptl_buf_clear (&out);
  return rc;
}
