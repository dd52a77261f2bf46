/* fuzz-util.h: what the libFuzzer targets share: cutting the fuzzer's bytes
 * into values, and strict checkers for what the writers produce (UTF-8,
 * JSON, RFC 4180 CSV), written here so the targets need no library.
 *
 * A failed check calls ptl_fuzz_fail, which prints why and aborts: libFuzzer
 * then saves the input as a crash.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct
{
  const uint8_t *data;
  size_t len;
} PtlFuzzInput;

/** ptl_fuzz_fail: prints @why (printf-style) and aborts. */
void ptl_fuzz_fail (const char *fmt, ...) __attribute__ ((noreturn, format (printf, 1, 2)));

#define PTL_FUZZ_CHECK(cond)                                                                       \
  do                                                                                               \
    {                                                                                              \
      if (!(cond))                                                                                 \
        ptl_fuzz_fail ("%s:%d: check failed: %s", __FILE__, __LINE__, #cond);                      \
    }                                                                                              \
  while (0)

/** ptl_fuzz_byte: the next byte, or 0 when the input is used up. */
uint8_t ptl_fuzz_byte (PtlFuzzInput *in);

/**
 * ptl_fuzz_string:
 * The next string: a length byte (capped at @max) and that many bytes, NULs
 * dropped (C strings cannot hold them). Always NUL-terminated; free() it.
 */
char *ptl_fuzz_string (PtlFuzzInput *in, size_t max);

/** ptl_fuzz_strlcpy: the next string into @dst[@size]. */
void ptl_fuzz_strlcpy (PtlFuzzInput *in, char *dst, size_t size);

/** ptl_fuzz_utf8_valid: whether @s[0..@len) is UTF-8 (no overlongs or surrogates). */
bool ptl_fuzz_utf8_valid (const char *s, size_t len);

/**
 * ptl_fuzz_utf8_sanitize:
 * What a writer that replaces each invalid byte with U+FFFD makes of @s:
 * a malloc'ed string.
 */
char *ptl_fuzz_utf8_sanitize (const char *s);

/**
 * ptl_fuzz_json_check:
 * Validates @text as one JSON document per RFC 8259 (UTF-8, no raw control
 * characters in strings, nothing but blanks after the value). Returns
 * NULL when it is valid, else a static description of the first problem.
 */
const char *ptl_fuzz_json_check (const char *text, size_t len);

/**
 * ptl_fuzz_json_decode_string:
 * Decodes the JSON string literal that @text[0..@len) consists of into a
 * malloc'ed UTF-8 string (escapes resolved). NULL when it is not exactly
 * one valid string literal.
 */
char *ptl_fuzz_json_decode_string (const char *text, size_t len);

typedef struct
{
  char **fields;
  size_t n_fields;
} PtlFuzzCsvRecord;

/**
 * ptl_fuzz_csv_parse:
 * Parses RFC 4180 CSV with LF or CRLF record ends. Returns the number of
 * records in *@out (free with ptl_fuzz_csv_free), or -1 for text that is
 * not valid CSV (a stray quote, an unterminated quoted field, a missing
 * final line end).
 */
long ptl_fuzz_csv_parse (const char *text, size_t len, PtlFuzzCsvRecord **out);

void ptl_fuzz_csv_free (PtlFuzzCsvRecord *records, size_t n);
