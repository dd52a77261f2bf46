/* ptl-posix-wait.c: waiting between polls, stopping on Ctrl+C or SIGTERM,
 * and the wall clock for timestamps.
 *
 * A caught signal writes one byte into a pipe that every wait polls
 * (the self-pipe trick): a signal that lands just before the wait starts
 * still ends it at once, with nothing but async-signal-safe calls in the
 * handler.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ptl-linux-private.h"

static volatile sig_atomic_t stop_asked;
static int stop_pipe[2] = { -1, -1 };

static void
on_stop (int sig)
{
  int saved = errno;

  (void) sig;
  stop_asked = 1;
  if (stop_pipe[1] >= 0)
    (void) !write (stop_pipe[1], "x", 1);
  errno = saved;
}

void
ptl_platform_catch_stop (void)
{
  struct sigaction sa;

  if (stop_pipe[0] < 0 && pipe2 (stop_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
    stop_pipe[0] = stop_pipe[1] = -1;
  memset (&sa, 0, sizeof sa);
  sa.sa_handler = on_stop;
  sigemptyset (&sa.sa_mask);
  sigaction (SIGINT, &sa, NULL);
  sigaction (SIGTERM, &sa, NULL);
}

int
ptl_posix_stop_fd (void)
{
  return stop_pipe[0];
}

bool
ptl_platform_stop_requested (void)
{
  return stop_asked != 0;
}

/* Also watched: our stdout, with no events asked, which reports only
 * POLLERR or POLLHUP. A pipe or socket whose reader went away (`watch |
 * head`, or the ssh connection of `--host … watch` dropped, where sshd
 * closes its end but sends no signal) then ends the wait as a stop, so a
 * quiet watch does not linger until its next line. */
PtlWaitResult
ptl_platform_wait (unsigned ms, PtlCloseFeed *feed)
{
  uint64_t end = ptl_platform_monotonic_ms () + ms;
  struct pollfd fds[3]
      = { { stop_pipe[0], POLLIN, 0 }, { -1, POLLIN, 0 }, { STDOUT_FILENO, 0, 0 } };

  fds[1].fd = ptl_linux_close_feed_fd (feed);
  for (;;)
    {
      uint64_t now = ptl_platform_monotonic_ms ();
      int n;

      if (stop_asked)
        return PTL_WAIT_STOP;
      if (now >= end)
        return PTL_WAIT_TIMEOUT;
      n = poll (fds, 3, (int) (end - now));
      if (n > 0 && (fds[2].revents & (POLLERR | POLLHUP)))
        return PTL_WAIT_STOP;
      if (n > 0 && (fds[2].revents & POLLNVAL))
        fds[2].fd = -1; /* no stdout at all: nothing to watch there */
      if (n > 0 && (fds[1].revents & POLLIN))
        return PTL_WAIT_CLOSES;
      if (n < 0 && errno != EINTR)
        {
          /* poll itself failed: wait out the time, still without missing a stop. */
          ptl_platform_sleep_ms (10);
        }
    }
}

void
ptl_platform_wall_clock (int64_t *unix_ms, int *utc_offset_min)
{
  struct timespec ts;
  struct tm local;
  time_t secs;

  clock_gettime (CLOCK_REALTIME, &ts);
  secs = ts.tv_sec;
  *unix_ms = (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
  *utc_offset_min = 0;
  if (localtime_r (&secs, &local) != NULL)
    *utc_offset_min = (int) (local.tm_gmtoff / 60);
}
