/* ptl-linux-process.c: process details from /proc/PID, always read
 * relative to a pinned /proc/PID directory fd: if the PID is reused while
 * we read, the old directory fd fails (ESRCH) instead of describing the
 * newcomer. */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ptl-linux-private.h"

#define CMDLINE_MAX (16 * 1024)

long
ptl_linux_read_small_file (int dirfd, const char *name, char *buf, size_t size)
{
  int fd = openat (dirfd, name, O_RDONLY | O_CLOEXEC);
  size_t got = 0;

  if (fd < 0)
    return -1;
  while (got + 1 < size)
    {
      ssize_t n = read (fd, buf + got, size - 1 - got);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      got += (size_t) n;
    }
  close (fd);
  buf[got] = '\0';
  return (long) got;
}

DIR *
ptl_linux_dir_take (int fd)
{
  DIR *dir = fd >= 0 ? fdopendir (fd) : NULL;

  if (dir == NULL && fd >= 0)
    close (fd);
  return dir;
}

/* Fields of /proc/PID/stat after the command name, which may itself hold
 * spaces and parentheses: start after the last ')'. A zombie counts as
 * ended unless @zombie_ok (a main thread that exited while its threads
 * live on is a zombie too). */
static int
read_stat_as (int dirfd, long *ppid, uint64_t *start_time, bool zombie_ok)
{
  char buf[1024];
  const char *p;
  unsigned long long start = 0;
  long parent = 0;
  char state;

  if (ptl_linux_read_small_file (dirfd, "stat", buf, sizeof buf) <= 0)
    return PTL_ENOTFOUND;
  if ((p = strrchr (buf, ')')) == NULL)
    return PTL_EINVAL;
  if (sscanf (p + 1,
              " %c %ld %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
              &state, &parent, &start)
      != 3)
    return PTL_EINVAL;
  if (ppid)
    *ppid = parent;
  *start_time = start;
  if (state == 'X' || (state == 'Z' && !zombie_ok))
    return PTL_ENOTFOUND;
  return 0;
}

static int
read_stat (int dirfd, long *ppid, uint64_t *start_time)
{
  return read_stat_as (dirfd, ppid, start_time, false);
}

static char *
read_cmdline (int dirfd)
{
  char *buf = malloc (CMDLINE_MAX);
  long n;

  if (buf == NULL)
    return NULL;
  n = ptl_linux_read_small_file (dirfd, "cmdline", buf, CMDLINE_MAX);
  if (n < 0)
    n = 0;
  /* Arguments are NUL-separated; show them space-separated. */
  for (long i = 0; i < n; i++)
    if (buf[i] == '\0')
      buf[i] = ' ';
  while (n > 0 && buf[n - 1] == ' ')
    n--;
  buf[n] = '\0';
  return buf;
}

static char *
read_exe (int dirfd)
{
  char buf[4096];
  ssize_t n = readlinkat (dirfd, "exe", buf, sizeof buf - 1);

  if (n < 0)
    n = 0; /* another user's process, or a kernel thread */
  buf[n] = '\0';
  return strdup (buf);
}

int
ptl_linux_process_read_thread (int dirfd, int task_dirfd, long pid, PtlProcess *out, long *ppid)
{
  /* The thread's own directory still has what the exited main thread's
   * lost (the exe link, the command line); name and start time are the
   * process's, from its directory. */
  int from = task_dirfd >= 0 ? task_dirfd : dirfd;
  char comm[64];
  struct stat st;
  long n;
  int rc;

  memset (out, 0, sizeof *out);
  out->pid = pid;
  if (fstat (dirfd, &st) < 0)
    return PTL_ENOTFOUND;
  out->uid = (long) st.st_uid;
  ptl_linux_user_name (out->uid, out->user, sizeof out->user);
  if ((rc = read_stat_as (dirfd, ppid, &out->start_time, task_dirfd >= 0)) < 0)
    return rc;
  n = ptl_linux_read_small_file (dirfd, "comm", comm, sizeof comm);
  if (n > 0 && comm[n - 1] == '\n')
    comm[n - 1] = '\0';
  out->name = strdup (n > 0 ? comm : "?");
  out->path = read_exe (from);
  out->cmdline = read_cmdline (from);
  if (!out->name || !out->path || !out->cmdline)
    {
      ptl_process_clear (out);
      return PTL_ENOMEM;
    }
  ptl_linux_cgroup_read (dirfd, out);
  return 0;
}

int
ptl_linux_process_read (int dirfd, long pid, PtlProcess *out, long *ppid)
{
  return ptl_linux_process_read_thread (dirfd, -1, pid, out, ppid);
}

static int
open_pid_dir (long pid)
{
  char path[64];

  snprintf (path, sizeof path, "/proc/%ld", pid);
  return open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

int
ptl_platform_process_info (long pid, PtlProcess *out, PtlError *err)
{
  int dirfd, rc;

  if (pid <= 0 || (dirfd = open_pid_dir (pid)) < 0)
    return ptl_error_set (err, PTL_ENOTFOUND, "No process has PID %ld.", pid);
  rc = ptl_linux_process_read (dirfd, pid, out, NULL);
  close (dirfd);
  if (rc == PTL_ENOTFOUND)
    return ptl_error_set (err, rc, "Process %ld has exited.", pid);
  if (rc < 0)
    return ptl_error_set (err, rc, "Cannot read the details of process %ld.", pid);
  return 0;
}

bool
ptl_platform_process_alive (long pid, uint64_t start_time)
{
  int dirfd = pid > 0 ? open_pid_dir (pid) : -1;
  uint64_t now = 0;
  bool alive;

  if (dirfd < 0)
    return false;
  alive = read_stat (dirfd, NULL, &now) == 0 && now == start_time;
  close (dirfd);
  return alive;
}
