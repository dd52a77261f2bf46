/* ptl-linux-private.h: pieces of the Linux platform shared between its
 * files, and exposed for the tests and fuzz targets (the parsers take
 * bytes, not a live kernel).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ptl-platform.h"

/* Sentences the platform puts into tables and rows. */
#define PTL_NOTE_NETLINK_REFUSED                                                                   \
  PTL_N_ ("netlink sock_diag was refused, so the table was read from /proc/net instead "           \
          "(slower, and the kernel cannot filter by port).")
#define PTL_NOTE_HIDDEN PTL_N_ ("owner hidden: needs root")
#define PTL_NOTE_TIME_WAIT PTL_N_ ("no owner (TIME_WAIT)")
#define PTL_NOTE_SYN_RECV PTL_N_ ("no owner yet (the connection is not accepted)")
#define PTL_NOTE_ORPHAN                                                                            \
  PTL_N_ ("no owner (closed by its program; the kernel is finishing the connection)")
#define PTL_NOTE_NOT_FOUND                                                                         \
  PTL_N_ ("owner not found (it exited, or lives in another network namespace)")
#define PTL_NOTE_SOME_HIDDEN PTL_N_ ("Some owners are hidden: run as root (sudo) to see them.")

/**
 * ptl_linux_netlink_read:
 * Dumps @proto sockets of both families through NETLINK_SOCK_DIAG into
 * @table. Returns PTL_EUNSUPPORTED when netlink is refused, so the caller
 * can fall back to /proc.
 */
int ptl_linux_netlink_read (PtlProto proto, const PtlSocketFilter *filter, PtlSocketTable *table,
                            PtlError *err);

/**
 * ptl_linux_netlink_parse:
 * Parses one buffer of netlink replies to a sock_diag dump of @proto.
 * Sets *@done at NLMSG_DONE. Returns 0, or a negative code for an error
 * message from the kernel or a malformed buffer.
 */
int ptl_linux_netlink_parse (const void *buf, size_t len, PtlProto proto,
                             const PtlSocketFilter *filter, PtlSocketTable *table, int *done);

/**
 * ptl_linux_procfs_read:
 * Reads /proc/net/{tcp,tcp6} or {udp,udp6} for @proto into @table.
 */
int ptl_linux_procfs_read (PtlProto proto, const PtlSocketFilter *filter, PtlSocketTable *table,
                           PtlError *err);

/**
 * ptl_linux_procfs_parse_line:
 * Parses one data line of /proc/net/tcp* or udp* into @out (addresses,
 * ports, state, uid, inode). Returns 0, or PTL_EINVAL for a header or a
 * malformed line.
 */
int ptl_linux_procfs_parse_line (const char *line, PtlProto proto, PtlFamily family,
                                 PtlSocket *out);

/** ptl_linux_state: maps a kernel TCP state number to ours (UDP 7 is UNCONN). */
PtlState ptl_linux_state (PtlProto proto, unsigned kernel_state);

/** ptl_linux_user_name: the name of @uid (cached), or the number as text. */
const char *ptl_linux_user_name (long uid, char *buf, size_t size);

/**
 * ptl_linux_process_read:
 * Reads name, path, command line, uid and start time of the process whose
 * /proc directory is open as @pid_dirfd. Strings are malloc'ed. Also
 * returns the parent PID in @ppid when not NULL.
 */
int ptl_linux_process_read (int pid_dirfd, long pid, PtlProcess *out, long *ppid);

/** ptl_linux_read_small_file: reads up to @size-1 bytes of @name under @dirfd. */
long ptl_linux_read_small_file (int dirfd, const char *name, char *buf, size_t size);

/** ptl_linux_close_feed_fd: the netlink socket of @feed to poll, or -1 for NULL. */
int ptl_linux_close_feed_fd (const PtlCloseFeed *feed);

/** ptl_posix_stop_fd: readable once a caught stop arrived (ptl_platform_catch_stop); -1 before. */
int ptl_posix_stop_fd (void);
