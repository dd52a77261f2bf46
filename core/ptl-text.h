/* ptl-text.h: the one sanitiser for text shown to people.
 *
 * Process names, paths, command lines, user names and addresses come from
 * whoever started the process or configured the machine, and arguments
 * from whoever typed them: all of it is hostile to a terminal. Every
 * writer, the CLI's messages and the query parser's error sentences pass
 * such text through ptl_text_sanitize, so one function decides what is
 * safe to print.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "ptl-buf.h"

typedef enum
{
  /* Every byte outside printable ASCII becomes '?', one '?' per byte: for
   * echoing what someone typed, where a byte count is what they can check. */
  PTL_TEXT_ASCII = 1 << 0,
} PtlTextFlags;

/**
 * ptl_text_is_unsafe:
 * Whether the code point @cp must not reach a terminal: C0 and C1 control
 * characters, DEL, the line and paragraph separators, and the Unicode
 * bidirectional controls (which reorder what is shown around them).
 */
bool ptl_text_is_unsafe (unsigned cp);

/**
 * ptl_text_sanitize:
 * Appends @len bytes of @s to @out with every unsafe code point and every
 * byte that is not valid UTF-8 shown as '?' (see PtlTextFlags for
 * @flags).
 */
void ptl_text_sanitize (PtlBuf *out, const char *s, size_t len, unsigned flags);

/** ptl_text_safe: ptl_text_sanitize of the whole NUL-terminated @s, UTF-8 kept. */
void ptl_text_safe (PtlBuf *out, const char *s);

/**
 * ptl_text_quote:
 * @s made safe to echo in an error sentence: at most @max_bytes of it in
 * PTL_TEXT_ASCII form, then "..." when it was longer, in @out (@size bytes,
 * always NUL-terminated). Returns @out.
 */
const char *ptl_text_quote (const char *s, size_t max_bytes, char *out, size_t size);
