/* ptl-remote.c: the destination, the remote command line and ssh's verdict. */
#include "ptl-remote.h"

#include "ptl-i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool
is_alnum (char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool
host_char (char c)
{
  return is_alnum (c) || c == '.' || c == '-' || c == '_' || c == ':' || c == '%';
}

static bool
user_char (char c)
{
  /* Printable ASCII but space: Windows accounts may be "DOMAIN\user" or
   * "user@domain" (the host then follows the last '@'). */
  return c > 0x20 && c < 0x7F;
}

static int
parse_port (const char *text, unsigned *port, PtlError *err)
{
  unsigned long v = 0;
  size_t i;

  for (i = 0; text[i] >= '0' && text[i] <= '9' && i < 6; i++)
    v = v * 10 + (unsigned long) (text[i] - '0');
  if (i == 0 || text[i] != '\0' || v < 1 || v > 65535)
    return ptl_error_set (err, PTL_EINVAL,
                          "The SSH port after ':' must be a number from 1 to 65535.");
  *port = (unsigned) v;
  return 0;
}

static int
set_host (PtlRemoteHost *out, const char *from, size_t len, PtlError *err)
{
  if (len == 0)
    return ptl_error_set (err, PTL_EINVAL, "No host name in --host: give [USER@]HOST[:PORT].");
  if (len >= sizeof out->host)
    return ptl_error_set (err, PTL_EINVAL, "The host name in --host is too long.");
  if (from[0] == '-')
    return ptl_error_set (err, PTL_EINVAL, "A host name cannot start with '-'.");
  for (size_t i = 0; i < len; i++)
    if (!host_char (from[i]))
      return ptl_error_set (
          err, PTL_EINVAL, "The host name in --host may hold letters, digits and . - _ : %% only.");
  memcpy (out->host, from, len);
  out->host[len] = '\0';
  return 0;
}

static int
parse_user (const char *text, size_t len, PtlRemoteHost *out, PtlError *err)
{
  if (len == 0 || len >= sizeof out->user || text[0] == '-')
    return ptl_error_set (err, PTL_EINVAL,
                          "The user name before '@' in --host is empty, too long or starts with "
                          "'-'.");
  for (size_t i = 0; i < len; i++)
    if (!user_char (text[i]))
      return ptl_error_set (err, PTL_EINVAL,
                            "The user name in --host may hold printable ASCII only, no spaces.");
  memcpy (out->user, text, len);
  out->user[len] = '\0';
  return 0;
}

/* HOST, HOST:PORT, [V6]:PORT, [V6], or a bare IPv6 address (two colons or more). */
static int
parse_host_port (const char *hp, PtlRemoteHost *out, PtlError *err)
{
  const char *colon = strchr (hp, ':');

  if (hp[0] == '[')
    {
      const char *end = strchr (hp, ']');

      if (end == NULL || (end[1] != '\0' && end[1] != ':'))
        return ptl_error_set (err, PTL_EINVAL,
                              "An IPv6 host in brackets is written [ADDRESS] or [ADDRESS]:PORT.");
      if (end[1] == ':' && parse_port (end + 2, &out->port, err) < 0)
        return PTL_EINVAL;
      return set_host (out, hp + 1, (size_t) (end - hp - 1), err);
    }
  if (colon != NULL && strchr (colon + 1, ':') == NULL)
    {
      if (parse_port (colon + 1, &out->port, err) < 0)
        return PTL_EINVAL;
      return set_host (out, hp, (size_t) (colon - hp), err);
    }
  return set_host (out, hp, strlen (hp), err);
}

int
ptl_remote_parse_host (const char *text, PtlRemoteHost *out, PtlError *err)
{
  const char *at = strrchr (text, '@');

  memset (out, 0, sizeof *out);
  if (at != NULL && parse_user (text, (size_t) (at - text), out, err) < 0)
    return PTL_EINVAL;
  return parse_host_port (at ? at + 1 : text, out, err);
}

static bool
bare_char (char c)
{
  return is_alnum (c) || c == '_' || c == '.' || c == '/' || c == ':' || c == '=' || c == '+'
         || c == '-';
}

/* Special inside double quotes to sh/bash ($ ` \ " !), cmd.exe (% ! ^ ")
 * or PowerShell ($ ` "). */
static bool
quotable_char (char c)
{
  return c >= 0x20 && c < 0x7F && strchr ("\"$`\\%!^", c) == NULL;
}

int
ptl_remote_quote_arg (const char *arg, PtlBuf *out, PtlError *err)
{
  bool bare = arg[0] != '\0';
  size_t i;

  for (i = 0; arg[i]; i++)
    {
      if (!quotable_char (arg[i]))
        return ptl_error_set (err, PTL_EINVAL,
                              "An argument cannot be passed safely to the remote machine's shell: "
                              "it holds a quote, one of $ ` \\ %% ! ^, or a character that is not "
                              "printable ASCII.");
      bare = bare && bare_char (arg[i]);
    }
  /* A leading '@' or a ',' would mean something to PowerShell even bare:
   * bare_char already sends those in quotes. */
  if (bare)
    ptl_buf_puts (out, arg);
  else
    ptl_buf_printf (out, "\"%s\"", arg);
  return 0;
}

int
ptl_remote_command_line (const char *program, const char *const *args, size_t n_args, PtlBuf *out,
                         PtlError *err)
{
  if (ptl_remote_quote_arg (program, out, err) < 0)
    return ptl_error_set (err, PTL_EINVAL,
                          "The remote program name cannot be passed safely to the remote shell.");
  for (size_t i = 0; i < n_args; i++)
    {
      ptl_buf_puts (out, " ");
      if (ptl_remote_quote_arg (args[i], out, err) < 0)
        return ptl_error_set (err, PTL_EINVAL,
                              "Argument %zu of the remote command cannot be passed safely to the "
                              "remote machine's shell: it holds a quote, one of $ ` \\ %% ! ^, "
                              "or a character that is not printable ASCII.",
                              i + 1);
    }
  return 0;
}

static void
push (PtlRemoteArgv *a, const char *s)
{
  if (a->argc < PTL_REMOTE_ARGV_MAX)
    a->argv[a->argc++] = s;
  a->argv[a->argc] = NULL;
}

void
ptl_remote_ssh_argv (const PtlRemoteSsh *ssh, const char *command_line, PtlRemoteArgv *out)
{
  unsigned timeout = ssh->connect_timeout ? ssh->connect_timeout : PTL_REMOTE_DEFAULT_TIMEOUT;

  memset (out, 0, sizeof *out);
  snprintf (out->timeout, sizeof out->timeout, "ConnectTimeout=%u", timeout);
  push (out, ssh->ssh ? ssh->ssh : "ssh");
  push (out, "-n");
  push (out, "-T");
  push (out, "-o");
  push (out, "BatchMode=yes");
  push (out, "-o");
  push (out, out->timeout);
  if (ssh->config)
    push (out, "-F"), push (out, ssh->config);
  for (size_t i = 0; i < ssh->n_options && i < PTL_REMOTE_MAX_OPTIONS; i++)
    push (out, "-o"), push (out, ssh->options[i]);
  if (ssh->host.port)
    {
      snprintf (out->port, sizeof out->port, "%u", ssh->host.port);
      push (out, "-p"), push (out, out->port);
    }
  if (ssh->host.user[0])
    push (out, "-l"), push (out, ssh->host.user);
  push (out, "--");
  push (out, ssh->host.host);
  push (out, command_line);
}

static bool
says (const char *messages, const char *const *phrases)
{
  for (size_t i = 0; phrases[i]; i++)
    if (strstr (messages, phrases[i]) != NULL)
      return true;
  return false;
}

PtlRemoteOutcome
ptl_remote_classify (int status, const char *messages)
{
  static const char *const auth[]
      = { "Permission denied", "Too many authentication failures", "Authentication failed", NULL };
  static const char *const host_key[]
      = { "Host key verification failed", "REMOTE HOST IDENTIFICATION HAS CHANGED",
          "host key is known for", NULL };
  static const char *const unreachable[] = { "Connection refused",
                                             "Connection timed out",
                                             "Operation timed out",
                                             "No route to host",
                                             "Network is unreachable",
                                             "Could not resolve hostname",
                                             "Name or service not known",
                                             "kex_exchange_identification",
                                             "Connection closed by",
                                             "Connection reset by",
                                             NULL };
  static const char *const not_found[] = { "is not recognized as", NULL };

  if (status == 255 && says (messages, host_key))
    return PTL_REMOTE_HOST_KEY;
  if (status == 255 && says (messages, auth))
    return PTL_REMOTE_AUTH_FAILED;
  if (status == 255 && says (messages, unreachable))
    return PTL_REMOTE_UNREACHABLE;
  if (status == 255)
    return PTL_REMOTE_SSH_FAILED;
  if (status == 127 || says (messages, not_found))
    return PTL_REMOTE_NOT_INSTALLED;
  if (status == 126)
    return PTL_REMOTE_CANNOT_RUN;
  return PTL_REMOTE_RAN;
}

/* ssh's last non-empty line, cut, for a sentence ("" when none). */
static void
last_line (const char *messages, char *out, size_t size)
{
  const char *end = messages + strlen (messages), *start;
  size_t n, k = 0;

  while (end > messages && (end[-1] == '\n' || end[-1] == '\r'))
    end--;
  start = end;
  while (start > messages && start[-1] != '\n')
    start--;
  n = (size_t) (end - start);
  for (size_t i = 0; i < n && k + 1 < size; i++)
    out[k++] = (start[i] >= 0x20 && start[i] < 0x7F) ? start[i] : '?';
  out[k] = '\0';
}

int
ptl_remote_explain (PtlRemoteOutcome outcome, const PtlRemoteSsh *ssh, const char *program,
                    const char *messages, PtlError *err)
{
  const char *h = ssh->host.host;
  char said[200];

  last_line (messages, said, sizeof said);
  switch (outcome)
    {
    case PTL_REMOTE_UNREACHABLE:
      return ptl_error_set (err, PTL_ESYSTEM, "Cannot reach %s over SSH: %s", h,
                            said[0] ? said : ptl_tr ("no answer."));
    case PTL_REMOTE_AUTH_FAILED:
      return ptl_error_set (err, PTL_ESYSTEM,
                            "%s refused the SSH login (authentication failed). portolan-cli runs "
                            "ssh with BatchMode=yes, so it needs a key that works without a "
                            "prompt (an agent, or a key without passphrase); try 'ssh %s true'.",
                            h, h);
    case PTL_REMOTE_HOST_KEY:
      return ptl_error_set (err, PTL_ESYSTEM,
                            "The SSH host key of %s is not known here, or it changed. Check it and "
                            "accept it once with 'ssh %s' (portolan-cli never accepts one itself).",
                            h, h);
    case PTL_REMOTE_NOT_INSTALLED:
      return ptl_error_set (err, PTL_ESYSTEM,
                            "%s is not installed on %s (or not on the PATH of its SSH sessions); "
                            "install it there, or name it with --remote-cli PATH.",
                            program, h);
    case PTL_REMOTE_CANNOT_RUN:
      return ptl_error_set (err, PTL_ESYSTEM, "%s exists on %s but cannot be run there: %s",
                            program, h, said[0] ? said : ptl_tr ("permission denied?"));
    case PTL_REMOTE_SSH_FAILED:
      return ptl_error_set (err, PTL_ESYSTEM, "ssh to %s failed: %s", h,
                            said[0] ? said : ptl_tr ("exit status 255."));
    case PTL_REMOTE_RAN:
      break;
    }
  return 0;
}
