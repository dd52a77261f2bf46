/* ptl-posix-file.c: replacing a file atomically (a metrics textfile). */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ptl-platform.h"

static int
write_all (int fd, const char *data, size_t len)
{
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return -1;
      data += n, len -= (size_t) n;
    }
  return 0;
}

int
ptl_platform_write_file_atomic (const char *path, const char *data, size_t len, PtlError *err)
{
  /* The temporary name does not end in ".prom", so a textfile collector
   * reading the directory at this moment skips it. */
  size_t n = strlen (path) + sizeof ".tmp-XXXXXX";
  char *tmp = malloc (n);
  int fd, e;

  if (tmp == NULL)
    return ptl_error_set (err, PTL_ENOMEM, "Out of memory.");
  snprintf (tmp, n, "%s.tmp-XXXXXX", path);
  if ((fd = mkostemp (tmp, O_CLOEXEC)) < 0)
    {
      e = errno;
      free (tmp);
      return ptl_error_set (err, e == EACCES ? PTL_EACCES : PTL_ESYSTEM,
                            "Cannot create a file beside %s: %s.", path, strerror (e));
    }
  if (fchmod (fd, 0644) < 0 || write_all (fd, data, len) < 0 || fsync (fd) < 0)
    {
      e = errno;
      close (fd), unlink (tmp), free (tmp);
      return ptl_error_set (err, PTL_ESYSTEM, "Cannot write %s: %s.", path, strerror (e));
    }
  if (close (fd) < 0 || rename (tmp, path) < 0)
    {
      e = errno;
      unlink (tmp), free (tmp);
      return ptl_error_set (err, e == EACCES ? PTL_EACCES : PTL_ESYSTEM, "Cannot replace %s: %s.",
                            path, strerror (e));
    }
  free (tmp);
  return 0;
}
