/* ptl-linux-bpf-none.c: the build without the BPF owner source
 * (-Dbpf=disabled, or -Dbpf=auto without clang, bpftool or the libbpf
 * headers): owners always come from the /proc scan. */
#include "ptl-linux-bpf.h"
#include "ptl-error.h"

int
ptl_linux_bpf_task_sockets (PtlTaskSocket **out, size_t *n, const char **why)
{
  *out = NULL;
  *n = 0;
  *why = "built without BPF (-Dbpf)";
  return PTL_EUNSUPPORTED;
}

bool
ptl_linux_bpf_may_try (const char **why)
{
  *why = "built without BPF (-Dbpf)";
  return false;
}
