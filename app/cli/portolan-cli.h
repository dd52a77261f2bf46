/* portolan-cli.h: shared pieces of the console tool's commands. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ptl-buf.h"
#include "ptl-error.h"
#include "ptl-i18n.h"
#include "ptl-port.h"
#include "ptl-socket.h"

/* The sentences people read go through the core's translation hook
 * (portolan-cli-i18n.c registers gettext there): _() translates, N_()
 * marks a sentence in a table that is translated where it is printed. */
#define _(s) ptl_tr (s)
#define C_(context, s) ptl_trc (context, s)
#define N_(s) (s)

/** cli_i18n_init: the user's language for messages, "C" for numbers; first thing in main. */
void cli_i18n_init (void);

/* Exit codes: a contract with scripts (README.md). */
enum
{
  CLI_OK = 0,       /* ok / free */
  CLI_NEGATIVE = 1, /* in use, nothing found */
  CLI_USAGE = 2,    /* bad usage or input: one sentence on stderr, nothing on stdout */
  CLI_SYSTEM = 3,   /* system error or permission */
};

/* Keys of the options that have no short letter (a short option's key is its letter). */
enum
{
  CLI_KEY_PID = 256,
  CLI_KEY_START_TIME,
};

/* One option of a command, as the command table in portolan-cli.c declares it. */
typedef struct
{
  int key;          /* the short option letter, or a CLI_KEY_* for a long-only option; 0 ends */
  const char *name; /* the long option, without "--" */
  const char *arg;  /* the value's name in the help ("N"), or NULL for a flag */
  const char *help; /* one line for --help and shell completion */
  char group;       /* options with the same nonzero group exclude each other: [--json|--csv] */
} CliOption;

/* One command: the table in portolan-cli.c makes the usage lines, every
 * --help, the getopt tables and the completion answers from these. */
typedef struct
{
  const char *name;
  int (*run) (int argc, char **argv);
  const char *operands;     /* the usage line's words after the options ("PORT"), or "" */
  const char *summary;      /* one line for the command list */
  const char *about;        /* the help's description; see cli_wrap for its markup */
  const CliOption *options; /* ending with a zero key; --help is added to every command */
  const char *exit_codes;   /* the help's last paragraph */
} CliCommand;

extern const CliCommand cli_commands[];
extern const size_t cli_n_commands;

/** cli_command_names: "port, list, …, watch and metrics", from the table. */
const char *cli_command_names (void);

/** cli_command_find: the table's entry for @name, or NULL. */
const CliCommand *cli_command_find (const char *name);

/** cli_print_help: writes @cmd's --help to stdout; CLI_OK or CLI_SYSTEM. */
int cli_print_help (const CliCommand *cmd);

/* Called for each option read, with its key and value (NULL for a flag);
 * returns 0 or an exit code, which stops the reading. */
typedef int (*CliOptionFn) (int key, const char *value, void *data);

/**
 * cli_parse_options:
 * Reads the options of command @name (argv[0]) with getopt_long, as the
 * table declares them, calling @fn for each. Prints the help for -h and
 * the sentence for an unknown option, a missing or unwanted value.
 * Returns 0 when every option was read (optind is then the first operand),
 * -1 after printing the help, or an exit code.
 */
int cli_parse_options (const char *name, int argc, char **argv, CliOptionFn fn, void *data);

int cli_port (int argc, char **argv);
int cli_list (int argc, char **argv);
int cli_free (int argc, char **argv);
int cli_check (int argc, char **argv);
int cli_kill (int argc, char **argv);
int cli_watch (int argc, char **argv);
int cli_metrics (int argc, char **argv);
int cli_remote (int argc, char **argv);

/**
 * cli_complete:
 * `portolan-cli __complete WHAT [ARG]`, what the shell completion scripts
 * ask: the commands, a command's options, service names, or the ports
 * something listens on, one per line with a tab and a description.
 */
int cli_complete (int argc, char **argv);

/**
 * cli_fail:
 * Prints "portolan-cli: SENTENCE" on stderr and returns @code; @fmt is
 * translated here (xgettext knows cli_fail as a keyword).
 */
int cli_fail (int code, const char *fmt, ...) PTL_PRINTF (2, 3);

/** cli_fail_error: cli_fail with @err's sentence and the exit code its code maps to. */
int cli_fail_error (const PtlError *err);

/** cli_fail_text: cli_fail with @text (already translated) as the whole sentence. */
int cli_fail_text (int code, const char *text);

/** cli_exit_code: PTL_EINVAL → 2, PTL_ENOTFOUND → 1, anything else → 3. */
int cli_exit_code (int ptl_code);

/** cli_stream: makes @buf write itself to stdout in pieces as it fills (large outputs). */
void cli_stream (PtlBuf *buf);

/** cli_print: writes @buf (the rest of it, when streamed) to stdout; CLI_SYSTEM when stdout fails.
 */
int cli_print (const PtlBuf *buf);

/** cli_shown: @arg made safe to echo (ptl_echo_input): at most 40 characters, as typed when valid
 * UTF-8. */
const char *cli_shown (const char *arg, char *out, size_t size);

/** cli_parse_uint: a whole decimal number in [min, max] or a usage error naming @what. */
int cli_parse_uint (const char *text, const char *what, unsigned long min, unsigned long max,
                    unsigned long *out);

/** cli_parse_u64: a whole decimal number in [min, UINT64_MAX] or a usage error naming @what. */
int cli_parse_u64 (const char *text, const char *what, uint64_t min, uint64_t *out);

/**
 * cli_filter_flag:
 * Applies the socket-table flags that list and watch share (-l, -t, -u,
 * -4, -6) to @filter; false when @ch is none of them.
 */
bool cli_filter_flag (int ch, PtlSocketFilter *filter);

/** cli_parse_single_port: a query that names exactly one port. */
int cli_parse_single_port (const char *text, unsigned *port, unsigned *protos);
