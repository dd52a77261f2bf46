/* fuzz-netlink.c: libFuzzer target for the sock_diag reply parser, fed
 * any bytes as if they came from the kernel. The first three bytes pick
 * the protocol and a filter (family, one port or all, listening only);
 * the rest is one recv() buffer, copied to aligned memory as recv's is.
 */
#define _GNU_SOURCE

#include <stdlib.h>
#include <string.h>

#include "fuzz-util.h"
#include "ptl-linux-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
pick_filter (PtlFuzzInput *in, PtlProto *proto, PtlSocketFilter *f)
{
  uint8_t pick = ptl_fuzz_byte (in);
  unsigned port = ptl_fuzz_byte (in);

  port = port << 8 | ptl_fuzz_byte (in);
  ptl_socket_filter_init (f);
  *proto = pick & 1 ? PTL_PROTO_UDP : PTL_PROTO_TCP;
  f->protos = pick & 2 ? (unsigned) *proto : 0;
  f->families = (pick >> 2) & 3;
  f->listening_only = pick & 16;
  if (pick & 32)
    f->port_first = f->port_last = port;
}

static void
check_table (const PtlSocketTable *t, PtlProto proto, const PtlSocketFilter *f)
{
  for (size_t i = 0; i < t->len; i++)
    {
      const PtlSocket *s = &t->rows[i];

      PTL_FUZZ_CHECK (s->proto == proto);
      PTL_FUZZ_CHECK (s->family == PTL_FAMILY_IPV4 || s->family == PTL_FAMILY_IPV6);
      PTL_FUZZ_CHECK (s->local_port <= PTL_PORT_MAX && s->remote_port <= PTL_PORT_MAX);
      PTL_FUZZ_CHECK ((unsigned) s->state < PTL_N_STATES);
      PTL_FUZZ_CHECK (ptl_socket_filter_match (f, s));
      PTL_FUZZ_CHECK (memchr (s->local_address, '\0', sizeof s->local_address) != NULL);
      PTL_FUZZ_CHECK (memchr (s->remote_address, '\0', sizeof s->remote_address) != NULL);
      PTL_FUZZ_CHECK (s->n_owners == 0);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  PtlFuzzInput in = { data, size };
  PtlSocketFilter filter;
  PtlSocketTable table;
  PtlProto proto;
  void *buf;
  int done = 0, rc;

  pick_filter (&in, &proto, &filter);
  /* The reader's buffer is 64 KiB; recv never hands over more. */
  if (in.len > 64 * 1024 || (buf = malloc (in.len ? in.len : 1)) == NULL)
    return 0;
  if (in.len)
    memcpy (buf, in.data, in.len);
  ptl_socket_table_init (&table);
  rc = ptl_linux_netlink_parse (buf, in.len, proto, &filter, &table, &done);
  PTL_FUZZ_CHECK (rc == 0 || rc == PTL_ESYSTEM || rc == PTL_ENOMEM);
  PTL_FUZZ_CHECK (done == 0 || done == 1);
  check_table (&table, proto, &filter);
  ptl_socket_table_clear (&table);
  free (buf);
  return 0;
}
