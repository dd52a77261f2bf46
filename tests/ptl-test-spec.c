/* ptl-test-spec.c: socket tables written as one short line. */
#include "ptl-test-spec.h"

#include <stdlib.h>
#include <string.h>

#include "ptl-snapshot.h"

static PtlState
state_from (char c)
{
  switch (c)
    {
    case 'E':
      return PTL_STATE_ESTABLISHED;
    case 'T':
      return PTL_STATE_TIME_WAIT;
    default:
      return PTL_STATE_LISTEN;
    }
}

static void
add_row (PtlSocketTable *t, const char *spec)
{
  PtlSocket s;
  char *end;
  const char *owner = strchr (spec, '/');
  const char *state = strchr (spec, ':');

  memset (&s, 0, sizeof s);
  s.proto = PTL_PROTO_TCP;
  s.family = PTL_FAMILY_IPV4;
  s.uid = 1000;
  g_strlcpy (s.local_address, "0.0.0.0", sizeof s.local_address);
  g_strlcpy (s.remote_address, "0.0.0.0", sizeof s.remote_address);
  g_strlcpy (s.user, "alice", sizeof s.user);
  s.local_port = (unsigned) strtoul (spec, &end, 10);
  s.state = state_from (state ? state[1] : 'L');
  s.inode = 1000 + s.local_port;
  g_assert_nonnull (ptl_socket_table_append (t, &s));
  if (owner != NULL)
    {
      long pid = strtol (owner + 1, NULL, 10);
      size_t p = ptl_socket_table_add_process (t, pid, 5000 + pid, 1000, "alice", "server",
                                               "/usr/bin/server", "server");

      g_assert_cmpint (ptl_socket_table_set_owners (t, t->len - 1, &p, 1), ==, 0);
    }
}

void
ptl_test_table_from_spec (PtlSocketTable *t, const char *spec)
{
  g_auto (GStrv) parts = g_strsplit (spec, " ", -1);

  ptl_socket_table_init (t);
  for (size_t i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      add_row (t, parts[i]);
  ptl_snapshot_sort (t);
}
