/* ptl-remote.h: asking portolan-cli on another machine, over OpenSSH.
 *
 * Everything here is pure text work, so the CLI and the app share it: the
 * destination "[USER@]HOST[:PORT]", the ssh argument vector, the remote
 * command line, and what ssh's exit status and messages mean. Running ssh
 * is the platform's (ptl_platform_run).
 *
 * The remote command line is read by a shell on the other side: sh or
 * bash on Linux and macOS, cmd.exe or PowerShell on a Windows OpenSSH
 * server, and which one is not known before connecting. So every argument
 * is written in a form those four read back unchanged, or refused.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "ptl-buf.h"
#include "ptl-error.h"

#define PTL_REMOTE_MAX_OPTIONS 16
#define PTL_REMOTE_DEFAULT_TIMEOUT 10 /* seconds, ssh's ConnectTimeout */

typedef struct
{
  char user[64];  /* "" for ssh's default (its config, or the local user) */
  char host[256]; /* a name, an IPv4 address or an IPv6 address without brackets */
  unsigned port;  /* 0 for ssh's default (its config, or 22) */
} PtlRemoteHost;

typedef struct
{
  const char *ssh; /* the program; "ssh" when NULL */
  PtlRemoteHost host;
  const char *config;                          /* ssh -F FILE, or NULL */
  const char *options[PTL_REMOTE_MAX_OPTIONS]; /* each becomes -o OPTION */
  size_t n_options;
  unsigned connect_timeout; /* seconds; 0 for PTL_REMOTE_DEFAULT_TIMEOUT */
} PtlRemoteSsh;

#define PTL_REMOTE_ARGV_MAX (16 + 2 * PTL_REMOTE_MAX_OPTIONS)

typedef struct
{
  const char *argv[PTL_REMOTE_ARGV_MAX + 1]; /* NULL-terminated */
  size_t argc;
  char port[12], timeout[40];
} PtlRemoteArgv;

/**
 * ptl_remote_parse_host:
 * Parses "[USER@]HOST[:PORT]"; an IPv6 address takes brackets when a port
 * follows ("[::1]:2222"). Refuses what ssh could take for an option (a
 * leading '-') and anything outside the characters of user and host
 * names. Returns 0 or PTL_EINVAL with a sentence.
 */
int ptl_remote_parse_host (const char *text, PtlRemoteHost *out, PtlError *err);

/**
 * ptl_remote_quote_arg:
 * Appends @arg as one word that sh, bash, cmd.exe and PowerShell all read
 * back as @arg: bare when it is made of letters, digits and _ . / : = + -
 * only, else in double quotes when it holds printable ASCII other than
 * " $ ` \ % ! ^ (the characters that are special inside double quotes to
 * one of those shells). Anything else is refused with PTL_EINVAL: no
 * quoting is safe for all four.
 */
int ptl_remote_quote_arg (const char *arg, PtlBuf *out, PtlError *err);

/**
 * ptl_remote_command_line:
 * "PROGRAM ARG ARG …" with every word quoted by ptl_remote_quote_arg.
 */
int ptl_remote_command_line (const char *program, const char *const *args, size_t n_args,
                             PtlBuf *out, PtlError *err);

/**
 * ptl_remote_ssh_argv:
 * The argument vector for ssh: -n (stdin from nothing), -T (no terminal),
 * BatchMode=yes (never a password or host-key prompt), ConnectTimeout,
 * the config file and options asked for, port and user, then "--", the
 * host and @command_line. The pointers refer to @ssh, @command_line and
 * @out itself.
 */
void ptl_remote_ssh_argv (const PtlRemoteSsh *ssh, const char *command_line, PtlRemoteArgv *out);

typedef enum
{
  PTL_REMOTE_RAN,           /* the remote program ran: its exit code and output stand */
  PTL_REMOTE_UNREACHABLE,   /* no connection: refused, timed out, no such host */
  PTL_REMOTE_AUTH_FAILED,   /* the server refused every key (or wanted a password) */
  PTL_REMOTE_HOST_KEY,      /* the server's host key is unknown here or changed */
  PTL_REMOTE_NOT_INSTALLED, /* the remote shell found no such program */
  PTL_REMOTE_CANNOT_RUN,    /* found, but it would not start there */
  PTL_REMOTE_SSH_FAILED,    /* ssh failed otherwise */
} PtlRemoteOutcome;

/**
 * ptl_remote_classify:
 * What ssh's exit @status (0-255) and its stderr @messages mean. ssh
 * itself exits 255; a POSIX shell exits 127 for a program it cannot find
 * and 126 for one it cannot run; cmd.exe and PowerShell say "is not
 * recognized as". portolan-cli never exits with any of those.
 */
PtlRemoteOutcome ptl_remote_classify (int status, const char *messages);

/**
 * ptl_remote_explain:
 * Fills @err with the sentence for @outcome on @ssh's host (for
 * everything but PTL_REMOTE_RAN), quoting ssh's own words where they
 * help, and returns PTL_ESYSTEM.
 */
int ptl_remote_explain (PtlRemoteOutcome outcome, const PtlRemoteSsh *ssh, const char *program,
                        const char *messages, PtlError *err);
