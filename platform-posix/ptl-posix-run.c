/* ptl-posix-run.c: running another program (ssh) with an argument vector,
 * never through a shell, and collecting what it says. */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ptl-linux-private.h"

extern char **environ;

#define ERR_KEEP (64 * 1024)

typedef struct
{
  int out[2], err[2];
} Pipes;

static void
close_fd (int *fd)
{
  if (*fd >= 0)
    close (*fd);
  *fd = -1;
}

static int
setup_actions (posix_spawn_file_actions_t *fa, posix_spawnattr_t *attr, Pipes *p, bool capture)
{
  sigset_t none, defaults;

  posix_spawn_file_actions_init (fa);
  posix_spawn_file_actions_addopen (fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  if (capture)
    posix_spawn_file_actions_adddup2 (fa, p->out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2 (fa, p->err[1], STDERR_FILENO);
  posix_spawnattr_init (attr);
  /* The child starts with default dispositions and nothing blocked, whatever
   * this process catches (a watch catches SIGINT and SIGTERM). */
  sigemptyset (&none);
  sigemptyset (&defaults);
  sigaddset (&defaults, SIGINT);
  sigaddset (&defaults, SIGTERM);
  sigaddset (&defaults, SIGPIPE);
  posix_spawnattr_setsigmask (attr, &none);
  posix_spawnattr_setsigdefault (attr, &defaults);
  return posix_spawnattr_setflags (attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
}

/* Reads what is waiting on @fd into @buf (up to @keep bytes kept); false at EOF. */
static bool
drain (int fd, PtlBuf *buf, size_t keep)
{
  char chunk[4096];
  ssize_t n = read (fd, chunk, sizeof chunk);

  if (n < 0)
    return errno == EINTR || errno == EAGAIN;
  if (n == 0)
    return false;
  if (buf != NULL && buf->len < keep)
    ptl_buf_append (buf, chunk, (size_t) n < keep - buf->len ? (size_t) n : keep - buf->len);
  return true;
}

/* Reads the child's output until it closes both pipes. A stop caught
 * meanwhile (Ctrl+C, SIGTERM) is passed on to the child once, so it ends
 * and we can report; Ctrl+C in a terminal reaches it directly too. */
static void
collect (Pipes *p, pid_t pid, PtlBuf *out, PtlBuf *errout)
{
  bool forwarded = false;

  while (p->out[0] >= 0 || p->err[0] >= 0)
    {
      struct pollfd fds[3] = { { p->out[0], POLLIN, 0 },
                               { p->err[0], POLLIN, 0 },
                               { forwarded ? -1 : ptl_posix_stop_fd (), POLLIN, 0 } };

      if (!forwarded && ptl_platform_stop_requested ())
        {
          kill (pid, SIGTERM);
          forwarded = true;
          continue;
        }
      if (poll (fds, 3, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          break;
        }
      if (fds[0].revents && !drain (p->out[0], out, (size_t) -1))
        close_fd (&p->out[0]);
      if (fds[1].revents && !drain (p->err[0], errout, ERR_KEEP))
        close_fd (&p->err[0]);
    }
  close_fd (&p->out[0]);
  close_fd (&p->err[0]);
}

static int
wait_child (pid_t pid, int *status)
{
  int ws;

  while (waitpid (pid, &ws, 0) < 0)
    if (errno != EINTR)
      return PTL_ESYSTEM;
  *status = WIFEXITED (ws) ? WEXITSTATUS (ws) : 256 + WTERMSIG (ws);
  return 0;
}

int
ptl_platform_run (const char *const *argv, PtlBuf *out, PtlBuf *errout, int *status, PtlError *err)
{
  Pipes p = { { -1, -1 }, { -1, -1 } };
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t attr;
  pid_t pid;
  int rc;

  if ((out != NULL && pipe2 (p.out, O_CLOEXEC) < 0) || pipe2 (p.err, O_CLOEXEC) < 0)
    {
      close_fd (&p.out[0]), close_fd (&p.out[1]);
      return ptl_error_set (err, PTL_ESYSTEM, "Cannot make a pipe: %s.", strerror (errno));
    }
  setup_actions (&fa, &attr, &p, out != NULL);
  rc = posix_spawnp (&pid, argv[0], &fa, &attr, (char *const *) argv, environ);
  posix_spawn_file_actions_destroy (&fa);
  posix_spawnattr_destroy (&attr);
  close_fd (&p.out[1]);
  close_fd (&p.err[1]);
  if (rc != 0)
    {
      close_fd (&p.out[0]), close_fd (&p.err[0]);
      return ptl_error_set (err, rc == ENOENT ? PTL_ENOTFOUND : PTL_ESYSTEM, "Cannot run %s: %s.",
                            argv[0], strerror (rc));
    }
  collect (&p, pid, out, errout);
  if (wait_child (pid, status) < 0)
    return ptl_error_set (err, PTL_ESYSTEM, "Lost track of %s: %s.", argv[0], strerror (errno));
  return 0;
}
