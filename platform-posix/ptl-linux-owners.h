/* ptl-linux-owners.h: the state of one owner search, shared by
 * ptl-linux-owners.c (what is wanted, what was found, co-owners) and
 * ptl-linux-owners-scan.c (which processes to read, in which order, on
 * how many threads).
 */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ptl-linux-private.h"

typedef struct
{
  uint64_t inode;
  size_t row;
  bool found; /* set with __atomic builtins: scanner threads race to it */
} PtlLinuxWanted;

typedef struct
{
  long pid;
  long uid;
  long nfds;      /* from st_size of /proc/PID/fd; 0 when unknown */
  int rank;       /* lower is scanned first */
  int parts;      /* items it was split into: 1, or 2 read from both ends */
  int parts_done; /* items read to their end (__atomic) */
  bool scanned;   /* every fd was read: a co-owner search can skip it */
  bool denied;    /* its fd table refused us, told once (__atomic: its parts race) */
} PtlLinuxCandidate;

typedef struct
{
  size_t wanted;
  size_t proc;
} PtlLinuxLink;

/* A process whose fd table the search was allowed to try but could not
 * read (PID 1 on some machines, a process that is not dumpable). */
typedef struct
{
  long pid;
  int err; /* errno */
} PtlLinuxUnreadable;

#define PTL_LINUX_MAX_UNREADABLE 8

typedef struct
{
  PtlSocketTable *table;
  PtlLinuxWanted *wanted;
  size_t n_wanted, n_found; /* n_found: __atomic, read by every scanner */
  PtlLinuxLink *links;
  size_t n_links, cap_links;
  long *owner_pids, *owner_ppids;
  size_t n_owners, cap_owners;
  long uids[64]; /* distinct socket owners' uids, to rank processes */
  size_t n_uids;
  int proc_fd;
  long euid;
  bool privileged;
  bool fd_counts;      /* the kernel gives fd counts (Linux >= 6.2) */
  bool denied_own_uid; /* one of our own processes refused us (not dumpable) */
  /* With BPF to fall back on (ptl-linux-owners-bpf.c), the /proc scan for
   * a few sockets stops after this many fds (0: no limit). */
  long fd_budget;
  long fds_read;        /* __atomic */
  pthread_mutex_t lock; /* guards the table, links, owners and unreadable while threads scan */
  PtlLinuxUnreadable unreadable[PTL_LINUX_MAX_UNREADABLE];
  size_t n_unreadable, n_unreadable_all; /* the first few, and how many in all */
  long *fdless; /* processes with no fds of their own: kernel threads, exited main threads */
  size_t n_fdless, cap_fdless;
} PtlLinuxScan;

/** ptl_linux_owners_uid_wanted: whether some wanted socket belongs to @uid. */
bool ptl_linux_owners_uid_wanted (const PtlLinuxScan *sc, long uid);

/** ptl_linux_owners_all_found: whether every wanted inode has an owner. */
bool ptl_linux_owners_all_found (PtlLinuxScan *sc);

/**
 * ptl_linux_owners_hit:
 * Looks @inode up among the wanted ones; returns its index or -1. Marks
 * it found (the first time, counting it in n_found).
 */
long ptl_linux_owners_hit (PtlLinuxScan *sc, uint64_t inode);

/**
 * ptl_linux_owners_record:
 * Records that the process open as @pid_dirfd holds the wanted inodes
 * @hits[0..n): reads its details through that pinned directory, adds it to
 * the table, links it. Takes sc->lock itself.
 */
void ptl_linux_owners_record (PtlLinuxScan *sc, int pid_dirfd, long pid, const size_t *hits,
                              size_t n);

/**
 * ptl_linux_owners_record_thread:
 * Like ptl_linux_owners_record, for sockets found in the fd table of
 * thread @tid (open as @task_dirfd) of the process open as @pid_dirfd;
 * @main_exited when its main thread was seen to be a zombie.
 */
void ptl_linux_owners_record_thread (PtlLinuxScan *sc, int pid_dirfd, int task_dirfd, long pid,
                                     long tid, bool main_exited, const size_t *hits, size_t n);

/**
 * ptl_linux_owners_unreadable:
 * Notes that the fd table of @pid could not be read (@err, an errno),
 * although the search was allowed to try. Takes sc->lock itself.
 */
void ptl_linux_owners_unreadable (PtlLinuxScan *sc, long pid, int err);

/**
 * ptl_linux_owners_scan_threads:
 * For sockets still not found: reads the fd tables of threads that do not
 * share their process's (the main thread has exited, or the thread
 * unshared its files), as lsof -K does.
 */
void ptl_linux_owners_scan_threads (PtlLinuxScan *sc, const PtlLinuxCandidate *list, size_t n);

/**
 * ptl_linux_owners_explain:
 * Gives every row still without owners a note that says what was observed
 * (ptl-linux-owner-notes.c), and marks rows whose owners may be partial.
 */
void ptl_linux_owners_explain (PtlLinuxScan *sc);

/**
 * ptl_linux_owners_scan_all:
 * Reads processes' fds, most likely owners first, on several threads when
 * there is enough to read, until every wanted inode is found; then looks
 * at the owners' parents and children for co-owners.
 */
void ptl_linux_owners_scan_all (PtlLinuxScan *sc);

/**
 * ptl_linux_owners_bpf:
 * Finds the owners of every wanted inode with the BPF task-file iterator
 * (ptl-linux-owners-bpf.c). Returns false, having changed nothing but
 * fd_budget, when the iterator cannot be used or a few sockets are wanted
 * (the /proc scan usually finds them sooner): then the /proc scan must run.
 */
bool ptl_linux_owners_bpf (PtlLinuxScan *sc);

/**
 * ptl_linux_owners_bpf_rest:
 * After a /proc scan for a few sockets (see ptl_linux_owners_bpf), finds
 * with the BPF iterator the owners of the rows it left without any.
 */
void ptl_linux_owners_bpf_rest (PtlLinuxScan *sc);
