/* ptl-free.h: ports a new service can safely use, under one set of rules
 * shared by `portolan-cli free` and the desktop app's Find a Free Port.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "ptl-error.h"
#include "ptl-platform.h"

/**
 * ptl_free_port_passes:
 * Whether @port passes the table-only tests: unassigned by IANA for both
 * TCP and UDP, outside the ephemeral range of @rules and not reserved.
 */
bool ptl_free_port_passes (unsigned port, const PtlPortRules *rules);

/**
 * ptl_free_ports_find:
 * Stores in @out up to @max ports between @from and @to (inclusive) that
 * pass ptl_free_port_passes, that no socket on this machine uses (one
 * platform query for the whole span) and that bind right now for TCP and
 * UDP on IPv4 and IPv6. Sets *@n_out to how many were stored. Returns 0 or
 * the platform's negative error code. Blocking: call it off the UI thread.
 */
int ptl_free_ports_find (unsigned from, unsigned to, const PtlPortRules *rules, unsigned *out,
                         size_t max, size_t *n_out, PtlError *err);
