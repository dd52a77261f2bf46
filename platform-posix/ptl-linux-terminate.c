/* ptl-linux-terminate.c: ending a process on Linux, through a pidfd
 * (Linux >= 5.3) so that the signal cannot reach a process that took over
 * the PID after the last check. */
#define _GNU_SOURCE

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ptl-platform.h"

/* With a pidfd the signal reaches the process we checked or nobody: a PID
 * reused after the check cannot be hit. Kernels before 5.3 lack pidfds;
 * there the start-time check just before kill() is the guard. */
static int
signal_checked (long pid, uint64_t start_time)
{
#if defined(SYS_pidfd_open) && defined(SYS_pidfd_send_signal)
  int pidfd = (int) syscall (SYS_pidfd_open, (pid_t) pid, 0);

  /* ENOENT (EINVAL before Linux 6.9): the number now names a thread of
   * another process, so the process that was checked is gone. */
  if (pidfd < 0 && (errno == ENOENT || errno == EINVAL))
    return -ESRCH;
  if (pidfd >= 0)
    {
      int rc = 0;

      if (!ptl_platform_process_alive (pid, start_time))
        rc = -ESRCH;
      else if (syscall (SYS_pidfd_send_signal, pidfd, SIGTERM, NULL, 0) < 0)
        rc = -errno;
      close (pidfd);
      return rc;
    }
  if (errno != ENOSYS)
    return -errno;
#endif
  if (!ptl_platform_process_alive (pid, start_time))
    return -ESRCH;
  return kill ((pid_t) pid, SIGTERM) < 0 ? -errno : 0;
}

int
ptl_platform_terminate (long pid, uint64_t start_time, PtlError *err)
{
  int rc;

  if (pid <= 1 || pid == ptl_platform_self_pid ())
    return ptl_error_set (err, PTL_EACCES, "Refusing to end process %ld.", pid);
  rc = signal_checked (pid, start_time);
  if (rc == -ESRCH)
    return ptl_error_set (err, PTL_ENOTFOUND,
                          "Process %ld is no longer the one that was checked; nothing was sent.",
                          pid);
  if (rc == -EPERM || rc == -EACCES)
    return ptl_error_set (err, PTL_EACCES,
                          "Not allowed to end process %ld: it belongs to another user (try sudo).",
                          pid);
  if (rc < 0)
    return ptl_error_set (err, PTL_ESYSTEM, "Cannot signal process %ld: %s.", pid, strerror (-rc));
  return 0;
}
