/* fuzz-query.c: libFuzzer target for ptl_query_parse, fed any bytes as the
 * user's query. A parse either fails with a code and a sentence, or gives
 * a query whose numbers stay inside the port space.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz-util.h"
#include "ptl-port.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_query (const PtlQuery *q)
{
  PTL_FUZZ_CHECK (q->first <= q->last && q->last <= PTL_PORT_MAX);
  PTL_FUZZ_CHECK (q->kind == PTL_QUERY_PORT || q->kind == PTL_QUERY_RANGE
                  || q->kind == PTL_QUERY_SERVICE);
  PTL_FUZZ_CHECK ((q->protos & ~(unsigned) PTL_PROTO_ALL) == 0);
  PTL_FUZZ_CHECK (q->n_spans <= PTL_QUERY_MAX_PORTS);
  PTL_FUZZ_CHECK (memchr (q->service, '\0', sizeof q->service) != NULL);
  if (q->kind == PTL_QUERY_PORT)
    PTL_FUZZ_CHECK (q->first == q->last);
  if (q->kind == PTL_QUERY_SERVICE)
    PTL_FUZZ_CHECK (q->n_spans > 0 && q->service[0] != '\0');
  for (size_t i = 0; i < q->n_spans; i++)
    PTL_FUZZ_CHECK (q->spans[i].first <= q->spans[i].last && q->spans[i].first >= q->first
                    && q->spans[i].last <= q->last);
  PTL_FUZZ_CHECK (ptl_query_n_ports (q) >= 1 && ptl_query_n_ports (q) <= 65536u * 64u);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char *text = malloc (size + 1);
  PtlQuery q;
  PtlError err;
  int rc;

  if (text == NULL)
    return 0;
  memcpy (text, data, size);
  text[size] = '\0';
  ptl_error_clear (&err);
  rc = ptl_query_parse (text, &q, &err);
  if (rc == 0)
    check_query (&q);
  else
    {
      PTL_FUZZ_CHECK (rc == PTL_EINVAL || rc == PTL_ENOTFOUND);
      PTL_FUZZ_CHECK (err.code == rc);
      PTL_FUZZ_CHECK (memchr (err.message, '\0', sizeof err.message) != NULL);
      PTL_FUZZ_CHECK (err.message[0] != '\0');
      /* The sentence quotes the input; it must still be text a terminal
       * and the GUI can show. */
      PTL_FUZZ_CHECK (ptl_fuzz_utf8_valid (err.message, strlen (err.message)));
      for (const char *p = err.message; *p; p++)
        PTL_FUZZ_CHECK ((unsigned char) *p >= 0x20 && *p != 0x7f);
    }
  free (text);
  return 0;
}
