/* ptl-test-spec.h: socket tables written as one short line, for the
 * snapshot and model tests.
 *
 * "80 443:E 8080/7": TCP over IPv4 on 0.0.0.0, the port, an optional state
 * (L listen, the default; E established; T TIME_WAIT) and an optional
 * owner PID. The inode is 1000 + the port, so a port names one socket.
 */
#pragma once

#include <glib.h>

#include "ptl-socket.h"

G_BEGIN_DECLS

/* Fills @t (initialised here) from @spec, sorted by snapshot key. */
void ptl_test_table_from_spec (PtlSocketTable *t, const char *spec);

G_END_DECLS
