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
} Wanted;

typedef struct
{
  long pid;
  long uid;
  long nfds;      /* from st_size of /proc/PID/fd; 0 when unknown */
  int rank;       /* lower is scanned first */
  int parts;      /* items it was split into: 1, or 2 read from both ends */
  int parts_done; /* items read to their end (__atomic) */
  bool scanned;   /* every fd was read: a co-owner search can skip it */
} Candidate;

typedef struct
{
  size_t wanted;
  size_t proc;
} Link;

typedef struct
{
  PtlSocketTable *table;
  Wanted *wanted;
  size_t n_wanted, n_found; /* n_found: __atomic, read by every scanner */
  Link *links;
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
  pthread_mutex_t lock; /* guards the table, links and owners while threads scan */
} Scan;

/** ptl_linux_owners_uid_wanted: whether some wanted socket belongs to @uid. */
bool ptl_linux_owners_uid_wanted (const Scan *sc, long uid);

/** ptl_linux_owners_all_found: whether every wanted inode has an owner. */
bool ptl_linux_owners_all_found (Scan *sc);

/**
 * ptl_linux_owners_hit:
 * Looks @inode up among the wanted ones; returns its index or -1. Marks
 * it found (the first time, counting it in n_found).
 */
long ptl_linux_owners_hit (Scan *sc, uint64_t inode);

/**
 * ptl_linux_owners_record:
 * Records that the process open as @pid_dirfd holds the wanted inodes
 * @hits[0..n): reads its details through that pinned directory, adds it to
 * the table, links it. Takes sc->lock itself.
 */
void ptl_linux_owners_record (Scan *sc, int pid_dirfd, long pid, const size_t *hits, size_t n);

/**
 * ptl_linux_owners_scan_all:
 * Reads processes' fds, most likely owners first, on several threads when
 * there is enough to read, until every wanted inode is found; then looks
 * at the owners' parents and children for co-owners.
 */
void ptl_linux_owners_scan_all (Scan *sc);

/**
 * ptl_linux_owners_bpf:
 * Finds the owners of every wanted inode with the BPF task-file iterator
 * (ptl-linux-owners-bpf.c). Returns false, having changed nothing but
 * fd_budget, when the iterator cannot be used or a few sockets are wanted
 * (the /proc scan usually finds them sooner): then the /proc scan must run.
 */
bool ptl_linux_owners_bpf (Scan *sc);

/**
 * ptl_linux_owners_bpf_rest:
 * After a /proc scan for a few sockets (see ptl_linux_owners_bpf), finds
 * with the BPF iterator the owners of the rows it left without any.
 */
void ptl_linux_owners_bpf_rest (Scan *sc);
