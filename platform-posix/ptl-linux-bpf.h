/* ptl-linux-bpf.h: every socket fd of every task, read by a BPF task-file
 * iterator (ptl-linux-bpf.c), for the owner search's fast path
 * (ptl-linux-owners-bpf.c). Built with -Dbpf; without it
 * ptl-linux-bpf-none.c says it is not there.
 */
#pragma once

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>

#include "bpf/ptl-task-sockets.h"

typedef struct ptl_task_socket PtlTaskSocket;

/**
 * ptl_linux_bpf_task_sockets:
 * Loads the iterator, reads one PtlTaskSocket per socket fd of every task
 * in this process's PID namespace (PIDs as this namespace numbers them),
 * and unloads it, all before returning: nothing stays in the kernel, and
 * nothing is pinned. Tries nothing without CAP_BPF and CAP_PERFMON (or
 * CAP_SYS_ADMIN), or when PORTOLAN_TEST_NO_BPF is set.
 *
 * Returns 0 with *@out malloc'ed (free it) and *@n records; or a negative
 * PTL_E* code with *@why a static phrase for debugging ("not privileged",
 * "bpf(): Operation not permitted", …): the caller falls back to /proc.
 */
int ptl_linux_bpf_task_sockets (PtlTaskSocket **out, size_t *n, const char **why);

/**
 * ptl_linux_bpf_may_try:
 * Whether ptl_linux_bpf_task_sockets would try to load anything (built,
 * privileged, not switched off); when not, *@why says why.
 */
bool ptl_linux_bpf_may_try (const char **why);

/**
 * ptl_linux_owners_prefetch:
 * Starts reading the iterator on a thread of its own, for the
 * ptl_platform_find_owners (@table) that will follow on this thread
 * (ptl-linux-owners-bpf.c). Does nothing when the iterator would not be
 * tried. A prefetch not collected is dropped by the next one, or by
 * ptl_linux_owners_prefetch_drop.
 */
void ptl_linux_owners_prefetch (const void *table);

/** ptl_linux_owners_prefetch_drop: waits for this thread's prefetch, if any, and frees it. */
void ptl_linux_owners_prefetch_drop (void);
