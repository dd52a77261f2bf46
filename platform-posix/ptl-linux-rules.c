/* ptl-linux-rules.c: this machine's port rules, from /proc/sys/net/ipv4. */
#define _GNU_SOURCE

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptl-linux-private.h"

static bool
read_sysctl (const char *name, char *buf, size_t size)
{
  char path[128];
  FILE *f;
  bool ok;

  snprintf (path, sizeof path, "/proc/sys/net/ipv4/%s", name);
  if ((f = fopen (path, "re")) == NULL)
    return false;
  ok = fgets (buf, (int) size, f) != NULL;
  fclose (f);
  if (!ok)
    buf[0] = '\0';
  return true;
}

/* "8080,9000-9010\n": a comma-separated list of ports and ranges. */
static void
parse_reserved (const char *text, PtlPortRules *rules)
{
  const char *p = text;

  while (*p && rules->n_reserved < sizeof rules->reserved / sizeof rules->reserved[0])
    {
      char *end;
      unsigned long first = strtoul (p, &end, 10), last = first;

      if (end == p)
        break;
      if (*end == '-')
        last = strtoul (end + 1, &end, 10);
      if (first <= last && last <= PTL_PORT_MAX)
        {
          rules->reserved[rules->n_reserved].first = (unsigned) first;
          rules->reserved[rules->n_reserved].last = (unsigned) last;
          rules->n_reserved++;
        }
      p = end;
      while (*p == ',' || *p == ' ' || *p == '\n')
        p++;
    }
}

int
ptl_platform_port_rules (PtlPortRules *rules, PtlError *err)
{
  char buf[4096];
  unsigned first, last, start;

  memset (rules, 0, sizeof *rules);
  snprintf (rules->source, sizeof rules->source, "/proc/sys/net/ipv4");
  if (read_sysctl ("ip_local_port_range", buf, sizeof buf)
      && sscanf (buf, "%u %u", &first, &last) == 2 && first <= last && last <= PTL_PORT_MAX)
    {
      rules->known = true;
      rules->ephemeral_first = first;
      rules->ephemeral_last = last;
    }
  if (read_sysctl ("ip_unprivileged_port_start", buf, sizeof buf)
      && sscanf (buf, "%u", &start) == 1)
    {
      rules->unprivileged_known = true;
      rules->unprivileged_start = start;
    }
  if (read_sysctl ("ip_local_reserved_ports", buf, sizeof buf))
    parse_reserved (buf, rules);
  rules->reserved_blocks_bind = false;
  if (!rules->known)
    return ptl_error_set (err, PTL_ESYSTEM, "Cannot read /proc/sys/net/ipv4/ip_local_port_range.");
  return 0;
}
