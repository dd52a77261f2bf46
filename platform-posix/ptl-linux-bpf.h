/* ptl-linux-bpf.h: every socket fd of every task, read by a BPF task-file
 * iterator (ptl-linux-bpf.c), for the owner search's fast path
 * (ptl-linux-owners-bpf.c). Built with -Dbpf; without it
 * ptl-linux-bpf-none.c says it is not there.
 */
#pragma once

#include <linux/types.h>
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
