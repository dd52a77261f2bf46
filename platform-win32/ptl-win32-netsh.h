/* ptl-win32-netsh.h: parsers for what netsh prints about port ranges.
 *
 * No Windows headers here: the parsers take bytes, so Linux unit tests and
 * fuzz targets build them too. netsh's headers are localized ("Start Port",
 * "Startport", "Port de démarrage") and come in the console's OEM code
 * page, so only lines made of numbers are read.
 */
#pragma once

#include <stddef.h>

#include "ptl-platform.h"

/**
 * ptl_netsh_parse_dynamic:
 * Reads `netsh int ipv4 show dynamicport tcp` output: the first line
 * ending in a number is the start port, the second the number of ports.
 * Sets *@first and *@last (inclusive). Returns 0, or PTL_ENOTFOUND when
 * there are no such lines or the numbers do not make a range within
 * 0..65535 (count at least 1).
 */
int ptl_netsh_parse_dynamic (const char *text, size_t len, unsigned *first, unsigned *last);

/**
 * ptl_netsh_add_dynamic:
 * Records the dynamic range @first..@last that netsh gave for @proto over
 * @family. The first one recorded (IPv4 TCP, by the caller's order) is
 * the machine's ephemeral range and makes @rules known; a later one that
 * differs from it is added to ephemeral_other while there is room.
 */
void ptl_netsh_add_dynamic (PtlPortRules *rules, PtlProto proto, PtlFamily family, unsigned first,
                            unsigned last);

/**
 * ptl_netsh_parse_excluded:
 * Reads `netsh int ipv4 show excludedportrange protocol=tcp` output: lines
 * of two numbers "first last", optionally marked "*" (administered).
 * Appends each valid range not yet present to @rules->reserved, as long as
 * the array has room. Returns how many were added (0 or more), or a
 * negative PTL_E* code for bad arguments.
 */
int ptl_netsh_parse_excluded (const char *text, size_t len, PtlPortRules *rules);
