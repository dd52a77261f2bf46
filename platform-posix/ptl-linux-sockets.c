/* ptl-linux-sockets.c: the socket table on Linux: netlink sock_diag first,
 * /proc/net when netlink is refused. */
#define _GNU_SOURCE

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptl-linux-bpf.h"
#include "ptl-linux-private.h"

PtlState
ptl_linux_state (PtlProto proto, unsigned kernel_state)
{
  /* Numbering from include/net/tcp_states.h. */
  static const PtlState tcp[] = {
    PTL_STATE_UNKNOWN,    PTL_STATE_ESTABLISHED, PTL_STATE_SYN_SENT,  PTL_STATE_SYN_RECV,
    PTL_STATE_FIN_WAIT1,  PTL_STATE_FIN_WAIT2,   PTL_STATE_TIME_WAIT, PTL_STATE_CLOSE,
    PTL_STATE_CLOSE_WAIT, PTL_STATE_LAST_ACK,    PTL_STATE_LISTEN,    PTL_STATE_CLOSING,
    PTL_STATE_SYN_RECV, /* TCP_NEW_SYN_RECV: a request socket */
  };

  /* Unconnected UDP sockets sit in TCP_CLOSE; a LISTEN-only view would miss them. */
  if (proto == PTL_PROTO_UDP && kernel_state == 7)
    return PTL_STATE_UNCONN;
  if (kernel_state >= sizeof tcp / sizeof tcp[0])
    return PTL_STATE_UNKNOWN;
  return tcp[kernel_state];
}

static const char *
copy_name (char *buf, size_t size, const char *name)
{
  size_t n = strlen (name);

  if (size == 0)
    return buf;
  if (n >= size)
    n = size - 1;
  memcpy (buf, name, n);
  buf[n] = '\0';
  return buf;
}

/* A few distinct uids cover nearly every table; remember their names so a
 * table of 20,000 rows does not read /etc/passwd 20,000 times. Per thread,
 * since the GUI scans from worker threads. */
const char *
ptl_linux_user_name (long uid, char *buf, size_t size)
{
  static _Thread_local struct
  {
    long uid;
    char name[PTL_USER_MAX];
  } cache[32];
  static _Thread_local size_t n_cache;
  struct passwd pw, *res = NULL;
  char scratch[1024];

  for (size_t i = 0; i < n_cache; i++)
    if (cache[i].uid == uid)
      return copy_name (buf, size, cache[i].name);
  if (uid >= 0 && getpwuid_r ((uid_t) uid, &pw, scratch, sizeof scratch, &res) == 0 && res)
    snprintf (buf, size, "%s", res->pw_name);
  else
    snprintf (buf, size, "%ld", uid);
  if (n_cache < sizeof cache / sizeof cache[0])
    {
      cache[n_cache].uid = uid;
      snprintf (cache[n_cache].name, sizeof cache[n_cache].name, "%s", buf);
      n_cache++;
    }
  return buf;
}

static void
name_users (PtlSocketTable *table, size_t from)
{
  for (size_t i = from; i < table->len; i++)
    if (table->rows[i].uid >= 0)
      ptl_linux_user_name (table->rows[i].uid, table->rows[i].user, sizeof table->rows[i].user);
}

/* Tests set PORTOLAN_TEST_NO_NETLINK to exercise the /proc fallback on a
 * machine where netlink works. */
static bool
netlink_disabled_for_tests (void)
{
  const char *v = getenv ("PORTOLAN_TEST_NO_NETLINK");
  return v != NULL && v[0] != '\0' && strcmp (v, "0") != 0;
}

static int
read_proto (PtlProto proto, const PtlSocketFilter *filter, PtlSocketTable *table, PtlError *err)
{
  int rc = PTL_EUNSUPPORTED;

  if (!netlink_disabled_for_tests ())
    rc = ptl_linux_netlink_read (proto, filter, table, err);
  if (rc != PTL_EUNSUPPORTED)
    return rc;
  ptl_socket_table_add_note (table, PTL_NOTE_NETLINK_REFUSED);
  return ptl_linux_procfs_read (proto, filter, table, err);
}

/* A socket's identity in one read: its inode, unique among live sockets;
 * a socket without one (TIME_WAIT, a request) by its endpoints and state,
 * which the kernel's hash tables hold once. */
static bool
same_socket (const PtlSocket *a, const PtlSocket *b)
{
  if (a->proto != b->proto || a->family != b->family || a->inode != b->inode)
    return false;
  return a->inode != 0
         || (a->state == b->state && a->local_port == b->local_port
             && a->remote_port == b->remote_port && strcmp (a->local_address, b->local_address) == 0
             && strcmp (a->remote_address, b->remote_address) == 0);
}

static uint64_t
hash_socket (const PtlSocket *s)
{
  uint64_t h = s->inode * 0x9E3779B97F4A7C15ull ^ (uint64_t) s->proto;
  const char *parts[] = { s->local_address, s->remote_address };

  if (s->inode != 0)
    return h;
  h ^= (uint64_t) s->local_port << 16 ^ s->remote_port ^ (uint64_t) s->state << 32;
  for (size_t i = 0; i < 2; i++)
    for (const char *c = parts[i]; *c; c++)
      h = (h ^ (unsigned char) *c) * 0x100000001B3ull; /* FNV-1a */
  return h ^ h >> 29;
}

int
ptl_linux_drop_repeats (PtlSocketTable *table, size_t from)
{
  size_t n = table->len - from, cap = 16, kept = from;
  uint32_t *slots;

  if (n < 2)
    return 0;
  while (cap < 2 * n)
    cap *= 2;
  if ((slots = calloc (cap, sizeof *slots)) == NULL)
    return PTL_ENOMEM;
  for (size_t i = from; i < table->len; i++)
    {
      size_t at = (size_t) hash_socket (&table->rows[i]) & (cap - 1);
      bool repeat = false;

      for (; slots[at] != 0 && !repeat; at = (at + 1) & (cap - 1))
        repeat = same_socket (&table->rows[from + slots[at] - 1], &table->rows[i]);
      if (repeat)
        continue;
      table->rows[kept] = table->rows[i];
      slots[at] = (uint32_t) (kept++ - from + 1);
    }
  free (slots);
  table->len = kept;
  return (int) (n - (kept - from));
}

int
ptl_platform_read_sockets (const PtlSocketFilter *filter, PtlSocketTable *table, PtlError *err)
{
  static const PtlProto protos[] = { PTL_PROTO_TCP, PTL_PROTO_UDP };
  size_t from = table->len;
  int rc;

  /* For the whole table the owners come from the BPF fd walk, which needs
   * no table: it runs while the table is read. (A port or a span usually
   * has a few sockets, which the /proc scan finds first.) */
  if (filter->owners_follow && filter->port_first == 0 && filter->port_last >= PTL_PORT_MAX)
    ptl_linux_owners_prefetch (table);
  for (size_t i = 0; i < 2 && filter->netns != PTL_NETNS_OTHERS; i++)
    {
      if (filter->protos && !(filter->protos & protos[i]))
        continue;
      if ((rc = read_proto (protos[i], filter, table, err)) < 0)
        {
          ptl_linux_owners_prefetch_drop ();
          return rc;
        }
    }
  /* The kernel hands a table over in pieces (netlink dump messages, reads
   * of /proc/net/tcp) and resumes each piece by position in its hash
   * table, so a socket that others open meanwhile can push in front of
   * the resume point and a socket comes twice. One socket, one row: a
   * repeat would be a second row without an owner, since the owner search
   * gives each inode to one row. */
  if (ptl_linux_drop_repeats (table, from) < 0)
    {
      ptl_linux_owners_prefetch_drop ();
      return ptl_error_set (err, PTL_ENOMEM, "Out of memory while reading the socket table.");
    }
  /* Other network namespaces' rows come after this one's repeats are gone:
   * a row without an inode is told apart by its endpoints, which another
   * namespace may share. */
  if (filter->netns != PTL_NETNS_CURRENT && (rc = ptl_linux_netns_read (filter, table, err)) < 0)
    {
      ptl_linux_owners_prefetch_drop ();
      return ptl_error_set (err, rc, "Out of memory while reading other network namespaces.");
    }
  name_users (table, from);
  return 0;
}
