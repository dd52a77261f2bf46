/* ptl-free.c: the free-port finder. */
#include "ptl-free.h"

#include <stdlib.h>

#include "ptl-knowledge.h"
#include "ptl-report.h"

bool
ptl_free_port_passes (unsigned port, const PtlPortRules *rules)
{
  return !ptl_iana_is_assigned (port, PTL_PROTO_TCP | PTL_PROTO_UDP)
         && !ptl_port_rules_in_ephemeral (rules, port) && !ptl_port_rules_is_reserved (rules, port);
}

/* One dump of the span tells which ports any socket uses, so the bind
 * tests run only on ports that look free. */
static int
mark_used (unsigned from, unsigned to, unsigned char *used, PtlError *err)
{
  PtlSocketFilter f;
  PtlSocketTable t;
  int rc;

  ptl_socket_filter_init (&f);
  f.port_first = from;
  f.port_last = to;
  ptl_socket_table_init (&t);
  rc = ptl_platform_read_sockets (&f, &t, err);
  for (size_t i = 0; rc == 0 && i < t.len; i++)
    used[t.rows[i].local_port] = 1;
  ptl_socket_table_clear (&t);
  return rc;
}

int
ptl_free_ports_find (unsigned from, unsigned to, const PtlPortRules *rules, unsigned *out,
                     size_t max, size_t *n_out, PtlError *err)
{
  unsigned char *used;
  size_t n = 0;
  int rc;

  *n_out = 0;
  if (to > PTL_PORT_MAX)
    to = PTL_PORT_MAX;
  used = calloc (PTL_PORT_MAX + 1, 1);
  if (used == NULL)
    return ptl_error_set (err, PTL_ENOMEM, PTL_N_ ("Out of memory."));
  if ((rc = mark_used (from, to, used, err)) < 0)
    {
      free (used);
      return rc;
    }
  for (unsigned long p = from; p <= to && n < max; p++)
    if (!used[p] && ptl_free_port_passes ((unsigned) p, rules)
        && ptl_bind_port ((unsigned) p, PTL_PROTO_TCP) == PTL_BIND_FREE
        && ptl_bind_port ((unsigned) p, PTL_PROTO_UDP) == PTL_BIND_FREE)
      out[n++] = (unsigned) p;
  free (used);
  *n_out = n;
  return 0;
}
