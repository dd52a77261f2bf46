/* ptl-win32-logic.h: Windows decisions that need no Windows headers, so
 * the Linux unit tests build and check them too (tests/test-win32-logic.c).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * ptl_win32_critical_name:
 * Whether @image_name ("lsass.exe", any case, with or without a path) is
 * one of the processes whose end forces Windows to restart: lsass, csrss,
 * wininit, services, smss, winlogon.
 */
bool ptl_win32_critical_name (const char *image_name);

/**
 * ptl_win32_scope_id:
 * The scope ID of an IPv6 row of GetExtendedTcpTable/GetExtendedUdpTable
 * (dwLocalScopeId, dwRemoteScopeId) as a number. The field holds it in
 * network byte order, so its bytes in memory, most significant first,
 * make the number: 0x0c000000 read on x86 is scope 12.
 */
uint32_t ptl_win32_scope_id (uint32_t field);
