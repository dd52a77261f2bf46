/* ptl-linux-bpf.c: loads the task-file iterator of
 * bpf/ptl-task-sockets.bpf.c through its light skeleton (generated at build
 * time by bpftool gen skeleton -L and embedded here), reads what it writes,
 * and unloads it.
 *
 * A light skeleton carries the program and a small loader program; the
 * kernel runs the loader, which applies the CO-RE relocations against the
 * kernel's own BTF. User space needs no libbpf and never parses the 5 MB
 * vmlinux BTF, which is what makes loading cost about a millisecond
 * instead of libbpf's ~90 ms.
 *
 * Nothing is pinned and nothing outlives the call: the program, its link
 * and the iterator are file descriptors closed before returning, so the
 * kernel frees them even if this process dies in between.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ptl-error.h"
#include "ptl-linux-bpf.h"
#include "ptl-task-sockets.lskel.h"

/* Older kernel headers lack the split-out capabilities (Linux 5.8). */
#define PTL_CAP_SYS_ADMIN 21
#define PTL_CAP_PERFMON 38
#define PTL_CAP_BPF 39

#define FIRST_CAPACITY 1024 /* records; the buffer doubles from there */

static _Thread_local char why_buf[128];

static const char *
why_errno (const char *what, int e)
{
  snprintf (why_buf, sizeof why_buf, "%s: %s", what, strerror (e));
  return why_buf;
}

static bool
has_cap (const struct __user_cap_data_struct *d, int cap)
{
  return (d[cap / 32].effective >> (cap % 32)) & 1;
}

/* Loading a tracing program takes CAP_BPF and CAP_PERFMON (or, before
 * Linux 5.8, CAP_SYS_ADMIN). Without them nothing is even tried. */
static bool
privileged (void)
{
  struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

  memset (d, 0, sizeof d);
  if (syscall (SYS_capget, &h, d) != 0)
    return false;
  return has_cap (d, PTL_CAP_SYS_ADMIN)
         || (has_cap (d, PTL_CAP_BPF) && has_cap (d, PTL_CAP_PERFMON));
}

/* Tests and the benchmark set PORTOLAN_TEST_NO_BPF to take the /proc path
 * where the iterator works. */
static bool
disabled_by_env (void)
{
  const char *v = getenv ("PORTOLAN_TEST_NO_BPF");
  return v != NULL && v[0] != '\0' && strcmp (v, "0") != 0;
}

static int
iter_create (int link_fd)
{
  union bpf_attr attr;

  memset (&attr, 0, sizeof attr);
  attr.iter_create.link_fd = (__u32) link_fd;
  return (int) syscall (__NR_bpf, BPF_ITER_CREATE, &attr, sizeof attr.iter_create);
}

/* Reads the iterator to its end. Records arrive whole or in pieces (a
 * read can end mid-record), so the bytes are simply appended. */
static int
read_records (int fd, PtlTaskSocket **out, size_t *n, const char **why)
{
  size_t cap = FIRST_CAPACITY * sizeof **out, len = 0;
  char *buf = malloc (cap);

  while (buf != NULL)
    {
      ssize_t got;

      if (cap - len < 4096)
        {
          char *more = realloc (buf, cap * 2);
          if (more == NULL)
            break;
          buf = more, cap *= 2;
        }
      got = read (fd, buf + len, cap - len);
      if (got < 0 && (errno == EINTR || errno == EAGAIN))
        continue; /* EAGAIN: a long run of tasks without sockets; it goes on */
      if (got < 0)
        {
          *why = why_errno ("reading the iterator", errno);
          free (buf);
          return PTL_ESYSTEM;
        }
      if (got == 0)
        {
          *out = (PtlTaskSocket *) buf;
          *n = len / sizeof **out;
          return 0;
        }
      len += (size_t) got;
    }
  free (buf);
  *why = "out of memory";
  return PTL_ENOMEM;
}

bool
ptl_linux_bpf_may_try (const char **why)
{
  if (disabled_by_env ())
    return *why = "PORTOLAN_TEST_NO_BPF is set", false;
  if (!privileged ())
    return *why = "not privileged (needs CAP_BPF and CAP_PERFMON)", false;
  return true;
}

int
ptl_linux_bpf_task_sockets (PtlTaskSocket **out, size_t *n, const char **why)
{
  struct ptl_task_sockets_bpf *skel;
  int iter_fd, rc;

  *out = NULL;
  *n = 0;
  if (!ptl_linux_bpf_may_try (why))
    return PTL_EUNSUPPORTED;
  if ((skel = ptl_task_sockets_bpf__open ()) == NULL)
    return *why = "out of memory", PTL_ENOMEM;
  if ((rc = ptl_task_sockets_bpf__load (skel)) != 0)
    *why = why_errno ("loading the program", -rc), iter_fd = -1;
  else if (ptl_task_sockets_bpf__attach (skel) != 0)
    *why = why_errno ("creating its link", errno), iter_fd = -1;
  else if ((iter_fd = iter_create (skel->links.ptl_task_sockets_fd)) < 0)
    *why = why_errno ("creating the iterator", errno);
  /* The iterator holds its own reference to the program. */
  ptl_task_sockets_bpf__destroy (skel);
  if (iter_fd < 0)
    return PTL_EUNSUPPORTED;
  rc = read_records (iter_fd, out, n, why);
  close (iter_fd);
  return rc;
}
