/* ptl-port-rules.c: questions about this machine's port rules. */
#include "ptl-port-rules.h"

bool
ptl_port_rules_in_ephemeral (const PtlPortRules *rules, unsigned port)
{
  return rules->known && port >= rules->ephemeral_first && port <= rules->ephemeral_last;
}

bool
ptl_port_rules_is_reserved (const PtlPortRules *rules, unsigned port)
{
  for (size_t i = 0; i < rules->n_reserved; i++)
    if (port >= rules->reserved[i].first && port <= rules->reserved[i].last)
      return true;
  return false;
}
