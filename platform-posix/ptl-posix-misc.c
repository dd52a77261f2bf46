/* ptl-posix-misc.c: small process-level facts and ending a process. */
#define _GNU_SOURCE

#include <errno.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "ptl-platform.h"

long
ptl_platform_self_pid (void)
{
  return (long) getpid ();
}

bool
ptl_platform_is_privileged (void)
{
  return geteuid () == 0;
}

/* pkexec runs portolan-cli as root for the desktop app: a helper, not a
 * restart (the app itself never runs as root). */
PtlElevation
ptl_platform_elevation (void)
{
  return ptl_platform_is_privileged () ? PTL_ELEVATION_NONE : PTL_ELEVATION_HELPER;
}

int
ptl_platform_restart_elevated (const char *query, const char *view, PtlError *err)
{
  (void) query, (void) view;
  return ptl_error_set (err, PTL_EUNSUPPORTED,
                        "Restarting as administrator is the Windows way; here portolan-cli runs "
                        "through pkexec instead.");
}

bool
ptl_platform_may_terminate (long pid)
{
  return kill ((pid_t) pid, 0) == 0 || errno != EPERM;
}

bool
ptl_platform_stdin_is_terminal (void)
{
  return isatty (STDIN_FILENO) == 1;
}

void
ptl_platform_sleep_ms (unsigned ms)
{
  struct timespec ts = { ms / 1000, (long) (ms % 1000) * 1000000L };

  while (nanosleep (&ts, &ts) < 0 && errno == EINTR)
    ;
}

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

uint64_t
ptl_platform_monotonic_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000u + (uint64_t) ts.tv_nsec / 1000000u;
}

bool
ptl_platform_pid_is_protected (long pid, const char **why)
{
  const char *reason = NULL;

  if (pid <= 1)
    reason = "the system's init process";
  else if (pid == ptl_platform_self_pid ())
    reason = "this tool";
  if (why)
    *why = reason;
  return reason != NULL;
}

const char *
ptl_platform_terminate_method (void)
{
  return "SIGTERM";
}

const char *
ptl_platform_protected_more (void)
{
  return "";
}

void
ptl_platform_init_console (void)
{
}

void
ptl_platform_stop_self (void)
{
  raise (SIGSTOP);
}

void
ptl_platform_utf8_argv (int *argc, char ***argv)
{
  (void) argc;
  (void) argv;
}

bool
ptl_platform_read_answer (char *buf, size_t size)
{
  return size > 0 && fgets (buf, (int) size, stdin) != NULL;
}
