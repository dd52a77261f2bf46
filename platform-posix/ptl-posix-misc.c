/* ptl-posix-misc.c: small process-level facts (POSIX calls only; ending a
 * process lives in ptl-linux-terminate.c). */
#define _GNU_SOURCE

#include <errno.h>
#include <stdio.h>
#include <signal.h>
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
    reason = PTL_N_ ("the system's init process");
  else if (pid == ptl_platform_self_pid ())
    reason = PTL_N_ ("this tool");
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
