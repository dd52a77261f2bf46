/* ptl-text.h: the one sanitiser for text shown to people.
 *
 * Process names, paths, command lines, user names and addresses come from
 * whoever started the process or configured the machine, and arguments
 * from whoever typed them: all of it is hostile to a terminal. Every
 * writer and the CLI's messages pass such text through ptl_text_sanitize,
 * and the error sentences that echo an argument through ptl_echo_input;
 * both ask ptl_text_is_unsafe, so one function decides what is safe to
 * print.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "ptl-buf.h"

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
 * byte that is not valid UTF-8 shown as '?'.
 */
void ptl_text_sanitize (PtlBuf *out, const char *s, size_t len);

/** ptl_text_safe: ptl_text_sanitize of the whole NUL-terminated @s, UTF-8 kept. */
void ptl_text_safe (PtlBuf *out, const char *s);

/**
 * ptl_echo_input:
 * @text made safe to echo in an error sentence, into @out (@size bytes,
 * always NUL-terminated): at most @max_chars characters, then "..." when
 * it was longer. Valid UTF-8 is echoed as typed, unsafe code points as
 * '?'; when @text is not valid UTF-8 as a whole, every byte past ASCII is
 * shown as '?'. A small @size cuts on a character, never inside one.
 * Returns @out.
 */
const char *ptl_echo_input (const char *text, size_t max_chars, char *out, size_t size);
