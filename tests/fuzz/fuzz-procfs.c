/* fuzz-procfs.c: libFuzzer target for the /proc/net/{tcp,udp}[6] line
 * parser. The first byte picks the protocol and family; the rest is cut
 * into lines the way the reader's fgets sees them (at most 511 bytes).
 */
#define _GNU_SOURCE

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-util.h"
#include "ptl-linux-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_address (const char *text, PtlFamily family)
{
  unsigned char raw[16];

  PTL_FUZZ_CHECK (memchr (text, '\0', PTL_ADDR_MAX) != NULL);
  PTL_FUZZ_CHECK (inet_pton (family == PTL_FAMILY_IPV6 ? AF_INET6 : AF_INET, text, raw) == 1);
}

static void
check_line (const char *line, PtlProto proto, PtlFamily family)
{
  PtlSocket s;

  if (ptl_linux_procfs_parse_line (line, proto, family, &s) < 0)
    return;
  PTL_FUZZ_CHECK (s.proto == proto && s.family == family);
  PTL_FUZZ_CHECK (s.local_port <= PTL_PORT_MAX && s.remote_port <= PTL_PORT_MAX);
  PTL_FUZZ_CHECK ((unsigned) s.state < PTL_N_STATES);
  PTL_FUZZ_CHECK (s.n_owners == 0 && s.owner_note == NULL);
  check_address (s.local_address, family);
  check_address (s.remote_address, family);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  PtlFuzzInput in = { data, size };
  uint8_t pick = ptl_fuzz_byte (&in);
  PtlProto proto = pick & 1 ? PTL_PROTO_UDP : PTL_PROTO_TCP;
  PtlFamily family = pick & 2 ? PTL_FAMILY_IPV6 : PTL_FAMILY_IPV4;
  char line[512];

  while (in.len > 0)
    {
      size_t n = 0;

      while (in.len > 0 && n < sizeof line - 1)
        {
          char c = (char) ptl_fuzz_byte (&in);
          if (c == '\0')
            continue; /* the parser sees C strings, which cannot hold it */
          line[n++] = c;
          if (c == '\n')
            break;
        }
      line[n] = '\0';
      check_line (line, proto, family);
    }
  return 0;
}
