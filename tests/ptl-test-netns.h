/* ptl-test-netns.h: a network namespace of the test's own, where the only
 * sockets are the test's: the kernel's walk of its socket tables then
 * changes only as the test does (see test-platform-walk.c for why that
 * matters), whatever the rest of the machine is doing.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Brings loopback up (a new network namespace starts with it down). */
gboolean ptl_test_loopback_up (void);

/* Moves this process into a new network namespace with loopback up (root
 * only). Call it before any thread starts. Returns FALSE, changing
 * nothing, when it cannot; then *@why says why. */
gboolean ptl_test_enter_netns (const char **why);

G_END_DECLS
