/* ptl-cmdline.c: Windows command lines built from argument vectors. */
#include "ptl-cmdline.h"

#include <string.h>

static void
put_backslashes (PtlBuf *line, size_t n)
{
  while (n-- > 0)
    ptl_buf_append (line, "\\", 1);
}

void
ptl_cmdline_append_arg (PtlBuf *line, const char *arg)
{
  if (arg[0] != '\0' && strpbrk (arg, " \t\n\v\"") == NULL)
    {
      ptl_buf_puts (line, arg);
      return;
    }
  ptl_buf_append (line, "\"", 1);
  for (const char *p = arg;; p++)
    {
      size_t slashes = 0;

      while (*p == '\\')
        p++, slashes++;
      /* Backslashes count double only before a quote: the closing one, or
       * an escaped one, which takes one more. */
      if (*p == '\0')
        {
          put_backslashes (line, 2 * slashes);
          break;
        }
      put_backslashes (line, *p == '"' ? 2 * slashes + 1 : slashes);
      ptl_buf_append (line, p, 1);
    }
  ptl_buf_append (line, "\"", 1);
}

int
ptl_cmdline_append_program (PtlBuf *line, const char *path, PtlError *err)
{
  if (strchr (path, '"') != NULL)
    return ptl_error_set (err, PTL_EINVAL, "A program path cannot hold a '\"'.");
  if (path[0] != '\0' && strpbrk (path, " \t") == NULL)
    {
      ptl_buf_puts (line, path);
      return 0;
    }
  ptl_buf_append (line, "\"", 1);
  ptl_buf_puts (line, path);
  ptl_buf_append (line, "\"", 1);
  return 0;
}

static bool
valid_utf8 (const char *s)
{
  size_t len = strlen (s);
  unsigned cp;

  for (size_t i = 0, step; i < len; i += step)
    if ((step = ptl_utf8_decode (s + i, len - i, &cp)) == 0)
      return false;
  return true;
}

int
ptl_relaunch_parameters (const char *query, const char *view, PtlBuf *out, PtlError *err)
{
  if (view == NULL || (strcmp (view, "port") != 0 && strcmp (view, "connections") != 0))
    return ptl_error_set (err, PTL_EINVAL, "The view to open again must be port or connections.");
  if (query != NULL && !valid_utf8 (query))
    return ptl_error_set (err, PTL_EINVAL, "The query to open again is not UTF-8 text.");
  ptl_buf_puts (out, "--new-instance --view=");
  ptl_buf_puts (out, view);
  /* After "--" the query is the query even when it starts with '-'. */
  if (query != NULL && query[0] != '\0')
    {
      ptl_buf_puts (out, " -- ");
      ptl_cmdline_append_arg (out, query);
    }
  return 0;
}

int
ptl_relaunch_command_line (const char *program, const char *query, const char *view, PtlBuf *out,
                           PtlError *err)
{
  int rc;

  if ((rc = ptl_cmdline_append_program (out, program, err)) < 0)
    return rc;
  ptl_buf_puts (out, " ");
  return ptl_relaunch_parameters (query, view, out, err);
}
