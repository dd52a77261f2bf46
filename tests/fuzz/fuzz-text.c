/* fuzz-text.c: libFuzzer target for the text writers (table and report).
 * Any bytes in must give UTF-8 out with no control character but the line
 * end: a process name must not be able to move the cursor, recolour or
 * retitle the terminal of the person reading the report.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz-tables.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_text (const PtlBuf *buf, const char *what)
{
  const char *s = ptl_buf_str (buf);

  PTL_FUZZ_CHECK (!buf->failed);
  if (!ptl_fuzz_utf8_valid (s, buf->len))
    ptl_fuzz_fail ("%s: invalid UTF-8 in:\n%s", what, s);
  for (size_t i = 0; i < buf->len; i++)
    {
      unsigned char c = (unsigned char) s[i];
      if ((c < 0x20 && c != '\n') || c == 0x7f)
        ptl_fuzz_fail ("%s: control character 0x%02x at byte %zu of:\n%s", what, c, i, s);
    }
  /* C1 controls (U+0080..U+009F) act like ESC sequences on some terminals. */
  for (size_t i = 0; i + 1 < buf->len; i++)
    if ((unsigned char) s[i] == 0xC2 && (unsigned char) s[i + 1] >= 0x80
        && (unsigned char) s[i + 1] <= 0x9F)
      ptl_fuzz_fail ("%s: C1 control character at byte %zu of:\n%s", what, i, s);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  PtlFuzzInput in = { data, size };
  PtlReportSet set;
  PtlBuf buf;

  memset (&set, 0, sizeof set);
  ptl_socket_table_init (&set.table);
  ptl_fuzz_report_set (&in, &set);

  ptl_buf_init (&buf);
  ptl_format_table_text (&set.table, &buf);
  check_text (&buf, "table");
  ptl_buf_clear (&buf);

  ptl_format_report_text (&set, &buf);
  check_text (&buf, "report");
  ptl_buf_clear (&buf);

  ptl_report_clear (&set);
  return 0;
}
