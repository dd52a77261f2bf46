/* ptl-linux-private.h: pieces of the Linux platform shared between its
 * files, and exposed for the tests and fuzz targets (the parsers take
 * bytes, not a live kernel).
 */
#pragma once

#include <dirent.h>
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
#define PTL_NOTE_ACCEPT_QUEUE PTL_N_ ("no owner yet: waiting in the listener's accept queue")
#define PTL_NOTE_ORPHAN                                                                            \
  PTL_N_ ("no owner (closed by its program; the kernel is finishing the connection)")
#define PTL_NOTE_KERNEL_ONLY PTL_N_ ("no owner (the kernel alone holds it)")
#define PTL_NOTE_CLOSED_MEANWHILE                                                                  \
  PTL_N_ ("no owner: the socket was closed while its owner was being looked for")
#define PTL_NOTE_UNREADABLE PTL_N_ ("owner not found: some processes' fd tables could not be read")
#define PTL_NOTE_OTHER_PIDNS                                                                       \
  PTL_N_ ("owner not seen: it may be a process outside this PID namespace")
#define PTL_NOTE_NO_PROCESS                                                                        \
  PTL_N_ ("held by no process that can be seen (for example, passed in a unix socket "             \
          "message not yet received)")
#define PTL_NOTE_SOME_HIDDEN PTL_N_ ("Some owners are hidden: run as root (sudo) to see them.")
#define PTL_NOTE_SOME_PARTIAL                                                                      \
  PTL_N_ ("Sockets of other users may have more holders than those listed: other users' "          \
          "processes need root to be read.")
#define PTL_NOTE_NETNS_UNREADABLE                                                                  \
  PTL_N_ ("Some other network namespaces could not be entered or read, so their sockets are "      \
          "missing here.")
#define PTL_NOTE_ZONE_LOST                                                                         \
  PTL_N_ ("/proc/net does not give the interface of a link-local IPv6 address, so those "          \
          "addresses are shown without their %zone.")

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

/**
 * ptl_linux_drop_repeats:
 * Removes the rows from @from on that repeat an earlier row of that range
 * (the same socket listed twice by a kernel walk that resumed while the
 * table changed), keeping the first and the order. Rows must not have
 * owners yet. Returns how many were removed, or PTL_ENOMEM.
 */
int ptl_linux_drop_repeats (PtlSocketTable *table, size_t from);

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

/**
 * ptl_linux_process_read_thread:
 * ptl_linux_process_read for a process whose sockets were found in the fd
 * table of one of its threads, open as @task_dirfd (-1: none): the main
 * thread may have exited (a zombie), so the path and command line come
 * from the thread's directory.
 */
int ptl_linux_process_read_thread (int pid_dirfd, int task_dirfd, long pid, PtlProcess *out,
                                   long *ppid);

/**
 * ptl_linux_cgroup_read:
 * Fills @proc's unit, user_unit and container from /proc/PID/cgroup under
 * @pid_dirfd (fields stay empty when the file says nothing of them).
 */
void ptl_linux_cgroup_read (int pid_dirfd, PtlProcess *proc);

/**
 * ptl_linux_cgroup_parse:
 * Parses the text of a /proc/PID/cgroup file: the systemd unit from the
 * name=systemd (cgroup v1) or unified (v2) hierarchy, and the container
 * an engine put the process in. Fields of @proc without an answer are
 * left as they are.
 */
void ptl_linux_cgroup_parse (const char *text, PtlProcess *proc);

/**
 * ptl_linux_cgroup_path_parse:
 * The same for one cgroup path ("/system.slice/nginx.service").
 */
void ptl_linux_cgroup_path_parse (const char *path, PtlProcess *proc);

/**
 * ptl_linux_cgroup_paths:
 * The cgroup v2 paths ("/system.slice/redis-server.service") of the cgroup
 * ids @ids[0..n) (the inode numbers of their directories), found by
 * walking the unified hierarchy, which anyone may read. @paths[i] is
 * malloc'ed, or NULL when not found (and for the root cgroup, id 1).
 */
void ptl_linux_cgroup_paths (const uint64_t *ids, size_t n, char **paths);

/**
 * ptl_linux_dir_take:
 * A directory stream on @fd, which it takes: closed on failure too. NULL
 * when @fd < 0 or fdopendir fails. (Pass dup (dirfd) to read a directory
 * held open elsewhere without moving its position.)
 */
DIR *ptl_linux_dir_take (int fd);

/** ptl_linux_read_small_file: reads up to @size-1 bytes of @name under @dirfd. */
long ptl_linux_read_small_file (int dirfd, const char *name, char *buf, size_t size);

/** ptl_linux_close_feed_fd: the netlink socket of @feed to poll, or -1 for NULL. */
int ptl_linux_close_feed_fd (const PtlCloseFeed *feed);

/** ptl_posix_stop_fd: readable once a caught stop arrived (ptl_platform_catch_stop); -1 before. */
int ptl_posix_stop_fd (void);

/* ---- containers, relays and other network namespaces --------------------- */

/**
 * ptl_linux_run_program:
 * Runs @argv (found on PATH, no shell; stdin and stderr on /dev/null) and
 * returns what it printed (malloc'ed) when it exited 0 within @timeout_ms;
 * NULL otherwise (it is killed at the deadline).
 */
char *ptl_linux_run_program (char *const *argv, unsigned timeout_ms);

/**
 * ptl_linux_engine_describe:
 * Fills @ct's name (and pod) from its engine's CLI, asked once for all
 * its containers and remembered for a few seconds. Returns false when the
 * CLI is missing, refused, too slow, or does not know the id.
 */
bool ptl_linux_engine_describe (PtlContainer *ct);

/**
 * ptl_linux_engine_published:
 * Which container of @engine publishes host port @host_port/@proto,
 * according to the engine's CLI: fills @relay's container and, when it
 * is 0, its port.
 */
bool ptl_linux_engine_published (PtlEngine engine, unsigned host_port, PtlProto proto,
                                 PtlRelay *relay);

/**
 * ptl_linux_relay_parse:
 * When @p is a relay (docker-proxy, Podman's conmon), reads from its
 * arguments what it relays to.
 */
void ptl_linux_relay_parse (PtlProcess *p);

/**
 * ptl_linux_containers_name:
 * Names the containers of @table's processes through the engines' CLIs,
 * and finds the container behind each relay holding one of its sockets.
 */
void ptl_linux_containers_name (PtlSocketTable *table);

/**
 * ptl_linux_netns_read:
 * Counts the network namespaces other than ours into @table, and, for
 * PTL_NETNS_ALL / PTL_NETNS_OTHERS as root, appends their sockets
 * matching @filter, each row tagged with its namespace.
 */
int ptl_linux_netns_read (const PtlSocketFilter *filter, PtlSocketTable *table, PtlError *err);

/**
 * ptl_linux_netns_container_of_address:
 * As root: the container whose network namespace holds @address (found
 * by entering each namespace and listing its addresses).
 */
bool ptl_linux_netns_container_of_address (const char *address, PtlContainer *out);

/** ptl_linux_netns_has_address: whether the calling thread's namespace has @address. */
bool ptl_linux_netns_has_address (const char *address);
