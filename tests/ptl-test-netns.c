/* ptl-test-netns.c: a network namespace of the test's own (see the header). */
#define _GNU_SOURCE

#include "ptl-test-netns.h"

#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

gboolean
ptl_test_loopback_up (void)
{
  struct ifreq ifr;
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  gboolean ok;

  memset (&ifr, 0, sizeof ifr);
  g_strlcpy (ifr.ifr_name, "lo", sizeof ifr.ifr_name);
  ok = fd >= 0 && ioctl (fd, SIOCGIFFLAGS, &ifr) == 0;
  ifr.ifr_flags |= IFF_UP;
  ok = ok && ioctl (fd, SIOCSIFFLAGS, &ifr) == 0;
  if (fd >= 0)
    close (fd);
  return ok;
}

gboolean
ptl_test_enter_netns (const char **why)
{
  int self = open ("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);

  if (geteuid () != 0)
    *why = "needs root for a network namespace of its own";
  else if (unshare (CLONE_NEWNET) != 0)
    *why = "unshare (CLONE_NEWNET) was refused";
  else if (ptl_test_loopback_up ())
    {
      if (self >= 0)
        close (self);
      return TRUE;
    }
  else
    {
      *why = "loopback cannot be brought up in a new network namespace";
      if (self >= 0)
        setns (self, CLONE_NEWNET);
    }
  if (self >= 0)
    close (self);
  return FALSE;
}
