/* ptl-test-churn.h: processes and sockets that come and go, for the stress
 * test. A driver process forks short-lived "socket children" that open and
 * close loopback listeners (TCP/UDP, IPv4/IPv6, port 0) and exit, plus
 * "fillers" that exit at once so the PID counter wraps and PIDs get reused.
 * Every child appends what it did to an event log (an O_APPEND file shared
 * by all of them; each record is one write()):
 *
 *   BORN    pid, start time (the /proc/PID/stat ticks the scanner reads)
 *   OPEN    inode; t_a before socket(), t_b after listen()/bind(); the
 *           protocol in extra (CHURN_TCP or CHURN_UDP)
 *   CLOSE   inode; t_a before close(), t_b after it returned
 *   EXITING t_a before _exit() (sockets still open are closed by the kernel)
 *   REAPED  written by the driver after waitpid(): every fd is gone by then
 *   STATS   at the end: forks, socket children, socket children on a PID
 *           one of our children had before; or, with a negative pid, a
 *           socket child that failed (status in extra)
 *
 * Times are CLOCK_MONOTONIC nanoseconds, one clock for every process.
 */
#pragma once

#include <stdint.h>
#include <sys/types.h>

enum
{
  EV_BORN = 1,
  EV_OPEN,
  EV_CLOSE,
  EV_EXITING,
  EV_REAPED,
  EV_STATS,
};

enum
{
  CHURN_TCP = 1,
  CHURN_UDP = 2,
};

typedef struct
{
  int32_t kind;
  int32_t pid;
  uint64_t start;
  uint64_t inode;
  uint64_t t_a, t_b; /* STATS: t_a counts socket children on a reused PID */
  uint64_t extra;    /* OPEN: the protocol; STATS: forks, or a failed child's wait status */
  uint64_t extra2;   /* STATS: socket children */
} Event;

/** ptl_test_now_ns: CLOCK_MONOTONIC in nanoseconds. */
uint64_t ptl_test_now_ns (void);

/** ptl_test_event_log_open: an empty, unlinked O_APPEND file (mkstemp). */
int ptl_test_event_log_open (void);

/**
 * ptl_test_churn_start:
 * Forks the driver: it keeps a few socket children alive (each holding its
 * sockets for up to a few times @hold_us) and forks @fillers fillers per
 * round, logging to @event_fd, until *@control is closed.
 */
pid_t ptl_test_churn_start (int event_fd, int fillers, unsigned hold_us, int *control);

/** ptl_test_churn_stop: closes @control and waits for the driver (which reaps its children). */
void ptl_test_churn_stop (pid_t driver, int control);
