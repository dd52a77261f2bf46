/* ptl-linux-procfs.c: the fallback socket table from /proc/net/{tcp,udp}[6].
 *
 * Ports are hex in host order. Addresses are the raw 32-bit words printed
 * in host order, so parsing each word as a number and copying its bytes
 * back gives network order on any endianness.
 */
#define _GNU_SOURCE

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptl-linux-private.h"

static int
parse_address (const char *hex, PtlFamily family, char *out, size_t size)
{
  uint32_t words[4];
  size_t n_words = family == PTL_FAMILY_IPV6 ? 4 : 1;
  char chunk[9];

  if (strlen (hex) != n_words * 8)
    return PTL_EINVAL;
  for (size_t i = 0; i < n_words; i++)
    {
      char *end;

      memcpy (chunk, hex + i * 8, 8);
      chunk[8] = '\0';
      words[i] = (uint32_t) strtoul (chunk, &end, 16);
      if (*end != '\0')
        return PTL_EINVAL;
    }
  if (!inet_ntop (family == PTL_FAMILY_IPV6 ? AF_INET6 : AF_INET, words, out, (socklen_t) size))
    return PTL_EINVAL;
  return 0;
}

int
ptl_linux_procfs_parse_line (const char *line, PtlProto proto, PtlFamily family, PtlSocket *out)
{
  char local[33], remote[33];
  unsigned lport, rport, state, rqueue;
  unsigned long uid;
  unsigned long long inode;
  int n;

  memset (out, 0, sizeof *out);
  n = sscanf (line, " %*u: %32[0-9A-Fa-f]:%x %32[0-9A-Fa-f]:%x %x %*x:%x %*x:%*x %*x %lu %*d %llu",
              local, &lport, remote, &rport, &state, &rqueue, &uid, &inode);
  if (n != 8 || lport > PTL_PORT_MAX || rport > PTL_PORT_MAX || state > 255)
    return PTL_EINVAL;
  if (parse_address (local, family, out->local_address, sizeof out->local_address) < 0
      || parse_address (remote, family, out->remote_address, sizeof out->remote_address) < 0)
    return PTL_EINVAL;
  out->proto = proto;
  out->family = family;
  out->local_port = lport;
  out->remote_port = rport;
  out->state = ptl_linux_state (proto, state);
  out->uid = (long) uid;
  out->inode = inode;
  out->rqueue = rqueue; /* a listener's: its accept queue */
  return 0;
}

/* netlink gives a link-local address its interface (fe80::1%eth0);
 * /proc/net has no such column, so the %zone is lost and a note says so. */
static bool
is_link_local (const PtlSocket *s)
{
  return s->family == PTL_FAMILY_IPV6
         && (strncmp (s->local_address, "fe80:", 5) == 0
             || strncmp (s->remote_address, "fe80:", 5) == 0);
}

static int
read_file (const char *path, PtlProto proto, PtlFamily family, const PtlSocketFilter *filter,
           PtlSocketTable *table, PtlError *err)
{
  FILE *f = fopen (path, "re");
  char line[512];

  if (f == NULL && errno == ENOENT && family == PTL_FAMILY_IPV6)
    return 0; /* no IPv6 in this kernel */
  if (f == NULL)
    return ptl_error_set (err, errno == EACCES ? PTL_EACCES : PTL_ESYSTEM, "Cannot read %s: %s.",
                          path, strerror (errno));
  while (fgets (line, sizeof line, f))
    {
      PtlSocket s;

      if (ptl_linux_procfs_parse_line (line, proto, family, &s) < 0)
        continue; /* the header line */
      if (filter->listening_only && s.state != PTL_STATE_LISTEN && s.state != PTL_STATE_UNCONN)
        continue;
      if (!ptl_socket_filter_match (filter, &s))
        continue;
      if (is_link_local (&s))
        ptl_socket_table_add_note (table, PTL_NOTE_ZONE_LOST);
      if (!ptl_socket_table_append (table, &s))
        {
          fclose (f);
          return ptl_error_set (err, PTL_ENOMEM, "Out of memory while reading %s.", path);
        }
    }
  fclose (f);
  return 0;
}

int
ptl_linux_procfs_read (PtlProto proto, const PtlSocketFilter *filter, PtlSocketTable *table,
                       PtlError *err)
{
  const char *v4 = proto == PTL_PROTO_TCP ? "/proc/net/tcp" : "/proc/net/udp";
  const char *v6 = proto == PTL_PROTO_TCP ? "/proc/net/tcp6" : "/proc/net/udp6";
  int rc;

  if (!filter->families || (filter->families & PTL_FAMILY_IPV4))
    if ((rc = read_file (v4, proto, PTL_FAMILY_IPV4, filter, table, err)) < 0)
      return rc;
  if (!filter->families || (filter->families & PTL_FAMILY_IPV6))
    if ((rc = read_file (v6, proto, PTL_FAMILY_IPV6, filter, table, err)) < 0)
      return rc;
  return 0;
}
