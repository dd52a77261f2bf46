/* ptl-port-rules.h: this machine's rules for ports (its ephemeral range,
 * reserved ports, the privileged-port line), as a platform reads them
 * (ptl_platform_port_rules in ptl-platform.h), and the questions core asks
 * of them.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "ptl-port.h"   /* PtlProto */
#include "ptl-socket.h" /* PtlFamily */

typedef struct
{
  bool known;               /* false when the OS would not tell */
  unsigned ephemeral_first; /* inclusive */
  unsigned ephemeral_last;
  /* Windows keeps a dynamic range per protocol and family, where
   * ephemeral_first..last is IPv4 TCP's; those that differ from it are
   * listed here. Linux has one range for all. */
  struct
  {
    PtlProto proto;
    PtlFamily family;
    unsigned first, last;
  } ephemeral_other[3];
  size_t n_ephemeral_other;
  bool unprivileged_known;
  unsigned unprivileged_start; /* ports below need privilege to bind */
  /* Ranges excluded from automatic assignment (Linux reserved ports) or
   * from binding at all (Windows excluded ranges). */
  struct
  {
    unsigned first, last;
  } reserved[64];
  size_t n_reserved;
  bool reserved_blocks_bind; /* Windows: yes; Linux: only auto-assignment */
  char source[128];          /* where the numbers came from, for people */
} PtlPortRules;

/** ptl_port_rules_in_ephemeral: whether @port lies in the known ephemeral range. */
bool ptl_port_rules_in_ephemeral (const PtlPortRules *rules, unsigned port);

/** ptl_port_rules_is_reserved: whether @port lies in one of the reserved ranges. */
bool ptl_port_rules_is_reserved (const PtlPortRules *rules, unsigned port);
