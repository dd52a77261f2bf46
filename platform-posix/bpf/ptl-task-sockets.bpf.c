/* ptl-task-sockets.bpf.c: a BPF task-file iterator that writes one
 * struct ptl_task_socket for every socket fd of every task the reader can
 * see (the tasks of its PID namespace and the namespaces below it).
 *
 * Built with clang -target bpf and turned into a light skeleton
 * (bpftool gen skeleton -L) that platform-posix/ptl-linux-bpf.c embeds:
 * loading it needs no libbpf and no parsing of the kernel's BTF in user
 * space; the kernel applies the CO-RE relocations itself.
 *
 * The kernel types are declared here with only the fields used and
 * preserve_access_index, so the offsets come from the running kernel's BTF
 * at load time, not from any header of the build machine.
 */

typedef unsigned char __u8;
typedef short int __s16;
typedef unsigned short int __u16;
typedef int __s32;
typedef unsigned int __u32;
typedef long long int __s64;
typedef unsigned long long int __u64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "ptl-task-sockets.h"

#define PTL_S_IFMT 0170000
#define PTL_S_IFSOCK 0140000
#define PTL_MAX_PID_NS_LEVEL 32 /* the kernel's own limit */

struct pid_namespace;

struct upid
{
  int nr;
  struct pid_namespace *ns;
} __attribute__ ((preserve_access_index));

struct pid
{
  unsigned int level;
  struct upid numbers[1];
} __attribute__ ((preserve_access_index));

struct task_struct
{
  int pid;
  int tgid;
  __u64 start_boottime;
  struct task_struct *group_leader;
  struct pid *thread_pid;
} __attribute__ ((preserve_access_index));

struct inode
{
  unsigned short i_mode;
  unsigned long i_ino;
} __attribute__ ((preserve_access_index));

struct file
{
  struct inode *f_inode;
} __attribute__ ((preserve_access_index));

struct seq_file;

/* The iterator's context: its arguments, each in a 64-bit slot. */
struct bpf_iter_meta
{
  struct seq_file *seq;
  __u64 session_id;
  __u64 seq_num;
};

struct bpf_iter__task_file
{
  struct bpf_iter_meta *meta;
  struct task_struct *task;
  __u32 fd;
  struct file *file;
};

char LICENSE[] SEC ("license") = "Dual BSD/GPL";

/* @pid's entry at @level: numbers[] is as long as the pid's own level,
 * so the index is checked and the entry read with a bounds-free copy. */
static __always_inline int
read_upid (struct pid *pid, unsigned int level, struct upid *out)
{
  unsigned long at;

  if (pid == 0 || level > PTL_MAX_PID_NS_LEVEL || BPF_CORE_READ (pid, level) < level)
    return -1;
  at = bpf_core_field_offset (pid->numbers) + level * bpf_core_type_size (struct upid);
  return bpf_probe_read_kernel (out, sizeof *out, (char *) pid + at);
}

/* The number of @pid in the namespace @ns at @level, or 0 when it has none. */
static __always_inline __u32
nr_in (struct pid *pid, unsigned int level, struct pid_namespace *ns)
{
  struct upid up;

  if (read_upid (pid, level, &up) != 0 || up.ns != ns)
    return 0;
  return (__u32) up.nr;
}

SEC ("iter/task_file")
int
ptl_task_sockets (struct bpf_iter__task_file *ctx)
{
  struct task_struct *task = ctx->task, *reader;
  struct file *file = ctx->file;
  struct ptl_task_socket rec = { 0 };
  struct pid *reader_pid;
  struct upid reader_ns;
  unsigned int level;

  if (task == 0 || file == 0 || (file->f_inode->i_mode & PTL_S_IFMT) != PTL_S_IFSOCK)
    return 0;
  /* The task reading the iterator is the one whose namespace the PIDs
   * must be in: the iterator walks that namespace's tasks but they carry
   * the machine-wide numbers. */
  reader = (struct task_struct *) bpf_get_current_task ();
  reader_pid = BPF_CORE_READ (reader, thread_pid);
  level = reader_pid ? BPF_CORE_READ (reader_pid, level) : 0;
  if (read_upid (reader_pid, level, &reader_ns) != 0)
    return 0;
  rec.pid = nr_in (task->group_leader->thread_pid, level, reader_ns.ns);
  rec.tid = nr_in (task->thread_pid, level, reader_ns.ns);
  if (rec.pid == 0 || rec.tid == 0)
    return 0;
  rec.fd = ctx->fd;
  rec.inode = file->f_inode->i_ino;
  rec.start_ns = task->group_leader->start_boottime;
  bpf_seq_write (ctx->meta->seq, &rec, sizeof rec);
  return 0;
}
