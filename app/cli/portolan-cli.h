/* portolan-cli.h: shared pieces of the console tool's commands. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ptl-buf.h"
#include "ptl-error.h"
#include "ptl-port.h"
#include "ptl-socket.h"

/* Exit codes: a contract with scripts (README.md). */
enum
{
  CLI_OK = 0,       /* ok / free */
  CLI_NEGATIVE = 1, /* in use, nothing found */
  CLI_USAGE = 2,    /* bad usage or input: one sentence on stderr, nothing on stdout */
  CLI_SYSTEM = 3,   /* system error or permission */
};

int cli_port (int argc, char **argv);
int cli_list (int argc, char **argv);
int cli_free (int argc, char **argv);
int cli_check (int argc, char **argv);
int cli_kill (int argc, char **argv);
int cli_watch (int argc, char **argv);
int cli_metrics (int argc, char **argv);
int cli_remote (int argc, char **argv);

/** cli_fail: prints "portolan-cli: SENTENCE" on stderr and returns @code. */
int cli_fail (int code, const char *fmt, ...) PTL_PRINTF (2, 3);

/** cli_fail_error: cli_fail with @err's sentence and the exit code its code maps to. */
int cli_fail_error (const PtlError *err);

/** cli_exit_code: PTL_EINVAL → 2, PTL_ENOTFOUND → 1, anything else → 3. */
int cli_exit_code (int ptl_code);

/** cli_stream: makes @buf write itself to stdout in pieces as it fills (large outputs). */
void cli_stream (PtlBuf *buf);

/** cli_print: writes @buf (the rest of it, when streamed) to stdout; CLI_SYSTEM when stdout fails.
 */
int cli_print (const PtlBuf *buf);

/**
 * cli_bad_option:
 * The sentence for getopt_long's complaint @ch ('?' or ':') in @command:
 * an unknown option, a missing or unwanted value, or a negative port
 * ("-1", which getopt reads as an option), named as the person typed it.
 * @shortopts is the string given to getopt_long.
 */
int cli_bad_option (const char *command, int ch, int argc, char **argv, const char *shortopts);

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
