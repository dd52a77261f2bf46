/* ptl-win32-test-util.h: running child processes in the Windows tests. */
#pragma once

#include <windows.h>

#include <stdbool.h>
#include <stddef.h>

/** tu_sibling: a path next to this test's .exe (@rel may climb with "..\\"). Static buffer. */
const wchar_t *tu_sibling (const wchar_t *rel);

/** tu_self_name: this test's image name as UTF-8 ("test-win32-platform.exe"). */
const char *tu_self_name (void);

typedef struct
{
  DWORD exit_code;
  char *out, *err; /* malloc'ed, NUL-terminated; raw bytes */
  size_t out_len, err_len;
  bool timed_out;
} TuResult;

/**
 * tu_run:
 * Runs @exe with the UTF-16 argument string @args (already quoted), stdout
 * and stderr into temporary files, stdin from NUL, and waits up to
 * @timeout_ms. Returns false when it could not start.
 */
bool tu_run (const wchar_t *exe, const wchar_t *args, unsigned timeout_ms, TuResult *r);

/** tu_result_clear: frees what tu_run filled. */
void tu_result_clear (TuResult *r);

/**
 * tu_spawn:
 * Starts @exe @args with stdout on a pipe; fills @process and @out_pipe.
 * The caller reads, then closes both.
 */
bool tu_spawn (const wchar_t *exe, const wchar_t *args, HANDLE *process, HANDLE *out_pipe);

/** tu_read_line: reads one line (without its end) from @pipe into @buf. */
bool tu_read_line (HANDLE pipe, char *buf, size_t size);
