/* fuzz-json.c: libFuzzer target for the JSON writers. Any bytes in (as
 * process names, paths, command lines, users, addresses, notes, the query)
 * must give one valid JSON document in UTF-8; a single string must decode
 * back to its input with each invalid byte replaced by U+FFFD.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz-tables.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_document (const PtlBuf *buf, const char *what)
{
  const char *why;

  PTL_FUZZ_CHECK (!buf->failed);
  why = ptl_fuzz_json_check (ptl_buf_str (buf), buf->len);
  if (why != NULL)
    ptl_fuzz_fail ("%s: invalid JSON (%s):\n%s", what, why, ptl_buf_str (buf));
  /* Raw U+2028/U+2029 are valid JSON but break JavaScript; we escape them. */
  PTL_FUZZ_CHECK (strstr (ptl_buf_str (buf), "\xe2\x80\xa8") == NULL);
  PTL_FUZZ_CHECK (strstr (ptl_buf_str (buf), "\xe2\x80\xa9") == NULL);
}

static void
check_string_round_trip (PtlFuzzInput *in)
{
  char *s = ptl_fuzz_string (in, 255);
  char *want = ptl_fuzz_utf8_sanitize (s);
  char *got;
  PtlBuf buf;

  ptl_buf_init (&buf);
  ptl_json_string (&buf, s);
  got = ptl_fuzz_json_decode_string (ptl_buf_str (&buf), buf.len);
  if (got == NULL || strcmp (got, want) != 0)
    ptl_fuzz_fail ("ptl_json_string does not round-trip: %s", ptl_buf_str (&buf));
  free (got), free (want), free (s);
  ptl_buf_clear (&buf);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  PtlFuzzInput in = { data, size };
  PtlReportSet set;
  PtlBuf buf;

  check_string_round_trip (&in);

  memset (&set, 0, sizeof set);
  ptl_socket_table_init (&set.table);
  ptl_fuzz_report_set (&in, &set);

  ptl_buf_init (&buf);
  ptl_format_table_json (&set.table, &buf);
  check_document (&buf, "table");
  ptl_buf_clear (&buf);

  ptl_format_report_json (&set, &buf);
  check_document (&buf, "report");
  ptl_buf_clear (&buf);

  ptl_report_clear (&set);
  return 0;
}
