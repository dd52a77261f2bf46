/* ptl-buf.h: a growable UTF-8 text buffer the writers append to, so the
 * same formatter serves the CLI (stdout), the GUI (clipboard, export) and
 * the tests (compare strings).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "ptl-error.h"

/* With a sink, the buffer empties into it once it holds this much. */
#define PTL_BUF_DRAIN_AT (64 * 1024)

/* Receives text the buffer lets go of (see ptl_buf_set_sink). */
typedef void (*PtlBufSink) (const char *text, size_t len, void *data);

typedef struct
{
  char *data; /* always NUL-terminated once anything was appended */
  size_t len, cap;
  bool failed; /* an allocation failed; the content is incomplete */
  PtlBufSink sink;
  void *sink_data;
  size_t drained; /* bytes already handed to the sink */
} PtlBuf;

/** ptl_buf_init / ptl_buf_clear: an empty buffer; clear frees it. */
void ptl_buf_init (PtlBuf *buf);
void ptl_buf_clear (PtlBuf *buf);

/**
 * ptl_buf_set_sink:
 * From now on, whenever the buffer holds 64 KiB or more, its text goes to
 * @sink and the buffer empties: a writer's output streams out instead of
 * being held whole. The caller hands the rest to the sink itself at the
 * end. Only for buffers nobody reads back while writing.
 */
void ptl_buf_set_sink (PtlBuf *buf, PtlBufSink sink, void *data);

/** ptl_buf_append: appends @len bytes of @data. */
void ptl_buf_append (PtlBuf *buf, const char *data, size_t len);

/** ptl_buf_puts: appends a NUL-terminated string. */
void ptl_buf_puts (PtlBuf *buf, const char *s);

/** ptl_buf_printf: appends formatted text. */
void ptl_buf_printf (PtlBuf *buf, const char *fmt, ...) PTL_PRINTF (2, 3);

/** ptl_buf_str: the text so far ("" for an empty buffer). */
const char *ptl_buf_str (const PtlBuf *buf);

/**
 * ptl_utf8_decode:
 * Decodes the UTF-8 character at the start of @s[0..len) into @cp and
 * returns its length in bytes.
 * Returns 0 for an invalid lead byte or truncated sequence.
 */
size_t ptl_utf8_decode (const char *s, size_t len, unsigned *cp);

/**
 * ptl_utf8_wide:
 * Whether @cp takes two terminal columns: the East Asian wide and
 * full-width characters (Han, kana, Hangul, full-width forms, their
 * punctuation).
 */
bool ptl_utf8_wide (unsigned cp);

/**
 * ptl_utf8_width:
 * The terminal columns @s takes: two for a wide character, one for any
 * other code point (invalid bytes count as one).
 */
size_t ptl_utf8_width (const char *s);

/** ptl_utf8_width_n: ptl_utf8_width of @s[0..len). */
size_t ptl_utf8_width_n (const char *s, size_t len);

/**
 * ptl_utf8_word:
 * The length in bytes of the first unit of @s[0..len) that a line must not
 * break: up to the next space, but a wide character ends a unit by itself
 * (Chinese and Japanese break between characters), taking along the
 * closing punctuation after it ("。", "、", "）"), a full-width closing
 * mark ends a unit of other text too ("ssh、"), an opening mark ("（",
 * "「") goes with what follows it, and a unit of other text ends before a
 * wide character. 0 when @s starts with a space.
 */
size_t ptl_utf8_word (const char *s, size_t len);

/**
 * ptl_buf_pad:
 * Appends @text and then spaces up to @width columns (ptl_utf8_width), or
 * one space when @text is already as wide: a table cell whose translation
 * is longer still leaves a gap.
 */
void ptl_buf_pad (PtlBuf *buf, const char *text, size_t width);

/**
 * ptl_buf_cell:
 * Appends @text cut to at most @width columns (on a character boundary)
 * and padded with spaces to exactly @width: printf's "%-24.24s" for text
 * that may hold more than ASCII.
 */
void ptl_buf_cell (PtlBuf *buf, const char *text, size_t width);

/**
 * ptl_utf8_cut:
 * The largest length <= @max at which @s[0..len) can be cut without
 * splitting a UTF-8 sequence (an incomplete sequence at the very end of
 * @s[0..len) counts as whole). For writers that flush a text in pieces.
 */
size_t ptl_utf8_cut (const char *s, size_t len, size_t max);
