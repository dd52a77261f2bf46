/* ptl-task-sockets.h: one record of the task-file iterator, as the BPF
 * program (ptl-task-sockets.bpf.c) writes it and ptl-linux-bpf.c reads it.
 * Include <linux/types.h> (user space) or the program's own type
 * definitions first.
 */
#pragma once

struct ptl_task_socket
{
  __u32 pid;      /* the thread group's id in the reader's PID namespace */
  __u32 tid;      /* the task whose fd table holds it, in that namespace */
  __u32 fd;       /* its number in that table */
  __u32 reserved; /* zero */
  __u64 inode;    /* the socket's inode number, as in "socket:[INODE]" */
  __u64 start_ns; /* the thread group leader's start_boottime */
};
