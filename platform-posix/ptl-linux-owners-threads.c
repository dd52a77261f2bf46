/* ptl-linux-owners-threads.c: sockets that only a thread's fd table holds.
 *
 * /proc/PID/fd is the main thread's fd table. When the main thread has
 * exited while other threads live on (pthread_exit in main), that table
 * is gone: the directory is empty, the process a zombie leader, and only
 * /proc/PID/task/TID/fd shows what the threads hold. A thread that called
 * unshare(CLONE_FILES) also has a table of its own. lsof -K reads every
 * thread of every process; we look only when sockets are still unfound
 * after the ordinary scan, and then only at threads whose table is not
 * the main thread's: all threads of an exited main thread, and threads
 * that kcmp(KCMP_FILES) says differ.
 */
#define _GNU_SOURCE

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ptl-linux-owners.h"

/* /proc/PID/task has two links plus one per thread. */
static bool
has_other_threads (int pid_dirfd)
{
  struct stat st;

  return fstatat (pid_dirfd, "task", &st, 0) == 0 && st.st_nlink > 3;
}

static bool
main_thread_exited (int pid_dirfd)
{
  char buf[512];
  const char *p;

  if (ptl_linux_read_small_file (pid_dirfd, "stat", buf, sizeof buf) <= 0
      || (p = strrchr (buf, ')')) == NULL)
    return false;
  return p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X');
}

/* Whether thread @tid has an fd table of its own. kcmp answers 0 for the
 * same table; an error (no kcmp in this kernel, not allowed) is "no". */
static bool
own_table (long pid, long tid)
{
#ifdef SYS_kcmp
  long r = syscall (SYS_kcmp, (pid_t) pid, (pid_t) tid, KCMP_FILES, 0, 0);
  return r > 0;
#else
  (void) pid, (void) tid;
  return false;
#endif
}

static void
add_hit (size_t **hits, size_t *n, size_t *cap, size_t wanted)
{
  if (*n == *cap)
    {
      size_t c = *cap ? *cap * 2 : 8;
      size_t *more = realloc (*hits, c * sizeof *more);
      if (more == NULL)
        return;
      *hits = more, *cap = c;
    }
  (*hits)[(*n)++] = wanted;
}

/* Reads every fd of thread @tid and records the process for what it holds.
 * Returns false when the thread's table refused us (then so will the
 * others': the process is told as unreadable once). */
static bool
read_thread (PtlLinuxScan *sc, int pid_dirfd, int task_dirfd, long pid, long tid, bool exited)
{
  int fd_dirfd = openat (task_dirfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR *dir = fd_dirfd >= 0 ? fdopendir (fd_dirfd) : NULL;
  size_t *hits = NULL, n = 0, cap = 0;
  struct dirent *e;

  if (dir == NULL)
    {
      bool denied = fd_dirfd < 0 && errno == EACCES;

      if (fd_dirfd >= 0)
        close (fd_dirfd);
      if (denied && sc->privileged)
        ptl_linux_owners_unreadable (sc, pid, EACCES);
      return !denied;
    }
  while ((e = readdir (dir)) != NULL)
    {
      char link[64];
      ssize_t len;
      long w;

      if (e->d_name[0] == '.')
        continue;
      len = readlinkat (dirfd (dir), e->d_name, link, sizeof link - 1);
      if (len <= 0 || strncmp (link, "socket:[", 8) != 0)
        continue;
      link[len] = '\0';
      if ((w = ptl_linux_owners_hit (sc, strtoull (link + 8, NULL, 10))) >= 0)
        add_hit (&hits, &n, &cap, (size_t) w);
    }
  closedir (dir);
  if (n > 0)
    ptl_linux_owners_record_thread (sc, pid_dirfd, task_dirfd, pid, tid, exited, hits, n);
  free (hits);
  return true;
}

/* Whether every wanted socket is found; @budgeted: or the fd budget spent. */
static bool
done (PtlLinuxScan *sc, bool budgeted)
{
  return budgeted ? ptl_linux_owners_all_found (sc)
                  : __atomic_load_n (&sc->n_found, __ATOMIC_RELAXED) == sc->n_wanted;
}

static void
examine_process (PtlLinuxScan *sc, long pid, bool budgeted)
{
  char name[24];
  int pid_dirfd, task_fd;
  bool exited;
  DIR *dir;
  struct dirent *e;

  snprintf (name, sizeof name, "%ld", pid);
  if ((pid_dirfd = openat (sc->proc_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
    return;
  if (!has_other_threads (pid_dirfd)
      || (task_fd = openat (pid_dirfd, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
    {
      close (pid_dirfd);
      return;
    }
  exited = main_thread_exited (pid_dirfd);
  dir = fdopendir (task_fd);
  while (dir != NULL && (e = readdir (dir)) != NULL && !done (sc, budgeted))
    {
      long tid = strtol (e->d_name, NULL, 10);
      int task_dirfd;
      bool readable;

      if (tid <= 0 || tid == pid || (!exited && !own_table (pid, tid)))
        continue;
      if ((task_dirfd = openat (task_fd, e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
        continue;
      readable = read_thread (sc, pid_dirfd, task_dirfd, pid, tid, exited);
      close (task_dirfd);
      if (!readable)
        break;
    }
  if (dir != NULL)
    closedir (dir);
  else
    close (task_fd);
  close (pid_dirfd);
}

void
ptl_linux_owners_scan_threads (PtlLinuxScan *sc, const PtlLinuxCandidate *list, size_t n)
{
  /* Processes without fds of their own first: an exited main thread. They
   * are few and cheap (kernel threads have no other threads), so the fd
   * budget of a few-sockets scan, which a big process may have spent, does
   * not stop them: otherwise the BPF iterator walks the machine for them. */
  for (size_t i = 0; i < sc->n_fdless && !done (sc, false); i++)
    examine_process (sc, sc->fdless[i], false);
  for (size_t i = 0; i < n && !done (sc, true); i++)
    examine_process (sc, list[i].pid, true);
}
