/* ptl-linux-cgroup.c: the systemd unit and the container of a process,
 * from the cgroup it lives in.
 *
 * /proc/PID/cgroup holds one line per hierarchy, "ID:CONTROLLERS:PATH":
 * "0::PATH" for the unified (v2) one, "N:name=systemd:PATH" for systemd's
 * own v1 hierarchy on hybrid machines. systemd names its cgroups after
 * units ("/system.slice/nginx.service"); container engines name theirs
 * after the container ("/docker/<id>", "/system.slice/docker-<id>.scope").
 * Everything here reads names only; nothing is guessed from a name that
 * does not follow one of those patterns.
 */
#define _GNU_SOURCE

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ptl-linux-private.h"

#define COMPONENT_MAX 256

/* A unit name systemd puts in a cgroup path; slices only group units. */
static bool
is_unit (const char *c)
{
  static const char *const suffixes[] = { ".service", ".scope", ".socket", ".mount", ".swap" };
  size_t len = strlen (c);

  for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
    {
      size_t n = strlen (suffixes[i]);
      if (len > n && strcmp (c + len - n, suffixes[i]) == 0)
        return true;
    }
  return false;
}

static bool
ends_with (const char *s, const char *suffix)
{
  size_t len = strlen (s), n = strlen (suffix);

  return len >= n && strcmp (s + len - n, suffix) == 0;
}

static bool
is_hex_id (const char *s, size_t len)
{
  if (len != 64)
    return false;
  for (size_t i = 0; i < len; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
      return false;
  return true;
}

/* "PREFIX<64 hex>SUFFIX" (SUFFIX may be ""): copies the id into @id. */
static bool
match_id (const char *c, const char *prefix, const char *suffix, char *id, size_t size)
{
  size_t lp = strlen (prefix), ls = strlen (suffix), len = strlen (c);

  if (len < lp + ls || strncmp (c, prefix, lp) != 0 || !ends_with (c, suffix)
      || !is_hex_id (c + lp, len - lp - ls))
    return false;
  snprintf (id, size, "%.*s", (int) (len - lp - ls), c + lp);
  return true;
}

static void
set_container (PtlContainer *ct, PtlEngine engine, const char *id)
{
  ct->engine = engine;
  snprintf (ct->id, sizeof ct->id, "%.*s", (int) sizeof ct->id - 1, id);
}

/* One component, with the one before it (@prev, "" at the start) and
 * whether the path lies under Kubernetes' kubepods tree. */
static bool
match_container (const char *prev, const char *c, bool kubepods, PtlContainer *ct)
{
  char id[PTL_CONTAINER_ID_MAX];

  if (match_id (c, "docker-", ".scope", id, sizeof id)
      || (strcmp (prev, "docker") == 0 && match_id (c, "", "", id, sizeof id)))
    return set_container (ct, PTL_ENGINE_DOCKER, id), true;
  if (match_id (c, "libpod-", ".scope", id, sizeof id)
      || (strcmp (prev, "libpod_parent") == 0 && match_id (c, "libpod-", "", id, sizeof id)))
    return set_container (ct, PTL_ENGINE_PODMAN, id), true;
  if (match_id (c, "cri-containerd-", ".scope", id, sizeof id))
    return set_container (ct, PTL_ENGINE_CONTAINERD, id), true;
  if (match_id (c, "crio-", ".scope", id, sizeof id)
      || (kubepods && match_id (c, "crio-", "", id, sizeof id)))
    return set_container (ct, PTL_ENGINE_CRIO, id), true;
  /* kubepods/QOS/pod<uid>/<id> (cgroupfs driver): the path does not say
   * which runtime; the CRI's CLI (crictl) names it either way. */
  if (kubepods && strncmp (prev, "pod", 3) == 0 && match_id (c, "", "", id, sizeof id))
    return set_container (ct, PTL_ENGINE_KUBERNETES, id), true;
  /* LXC 4 and LXD: lxc.payload.NAME; older LXC: lxc/NAME. */
  if (strncmp (c, "lxc.payload.", 12) == 0 && c[12] != '\0')
    return set_container (ct, PTL_ENGINE_LXC, c + 12), true;
  if (strcmp (prev, "lxc") == 0 && c[0] != '\0')
    return set_container (ct, PTL_ENGINE_LXC, c), true;
  return false;
}

/* The next component of @path after *@pos into @out; false at the end. */
static bool
next_component (const char *path, size_t *pos, char *out)
{
  size_t start, len;

  while (path[*pos] == '/')
    (*pos)++;
  if (path[*pos] == '\0')
    return false;
  start = *pos;
  while (path[*pos] != '\0' && path[*pos] != '/')
    (*pos)++;
  len = *pos - start < COMPONENT_MAX - 1 ? *pos - start : COMPONENT_MAX - 1;
  memcpy (out, path + start, len);
  out[len] = '\0';
  return true;
}

/* As systemd's cg_path_get_unit and cg_path_get_user_unit: slices lead to
 * the first unit; under user@UID.service, slices lead to the user's own. */
static void
parse_units (const char *path, PtlProcess *proc)
{
  char c[COMPONENT_MAX];
  size_t pos = 0;
  bool in_manager = false;

  while (next_component (path, &pos, c))
    {
      if (ends_with (c, ".slice"))
        continue;
      if (!is_unit (c))
        return;
      if (in_manager)
        {
          snprintf (proc->user_unit, sizeof proc->user_unit, "%.*s", PTL_UNIT_MAX - 1, c);
          return;
        }
      snprintf (proc->unit, sizeof proc->unit, "%.*s", PTL_UNIT_MAX - 1, c);
      if (strncmp (c, "user@", 5) != 0 || !ends_with (c, ".service"))
        return;
      in_manager = true;
    }
}

static bool
parse_container (const char *path, PtlContainer *ct)
{
  char prev[COMPONENT_MAX] = "", c[COMPONENT_MAX];
  size_t pos = 0;
  bool kubepods = false;

  while (next_component (path, &pos, c))
    {
      kubepods |= strcmp (c, "kubepods") == 0 || strcmp (c, "kubepods.slice") == 0;
      if (match_container (prev, c, kubepods, ct))
        return true;
      memcpy (prev, c, sizeof prev);
    }
  return false;
}

static void
parse_path (const char *path, PtlProcess *proc, bool units)
{
  if (units && proc->unit[0] == '\0')
    parse_units (path, proc);
  if (proc->container.engine == PTL_ENGINE_NONE)
    parse_container (path, &proc->container);
}

void
ptl_linux_cgroup_path_parse (const char *path, PtlProcess *proc)
{
  parse_path (path, proc, true);
}

/* The line's path when its hierarchy is @want: "" for the unified one
 * ("0::PATH"), "name=systemd", or NULL for any. */
static const char *
line_path (const char *line, const char *want)
{
  const char *c1 = strchr (line, ':'), *c2 = c1 ? strchr (c1 + 1, ':') : NULL;
  size_t n;

  if (c2 == NULL)
    return NULL;
  if (want == NULL)
    return c2 + 1;
  n = strlen (want);
  if ((size_t) (c2 - c1 - 1) != n || strncmp (c1 + 1, want, n) != 0)
    return NULL;
  return c2 + 1;
}

/* Applies the paths of hierarchy @want, line by line; units only from
 * the hierarchies systemd manages. */
static void
parse_lines (char *text, const char *want, PtlProcess *proc)
{
  bool units = want != NULL;

  for (char *line = text, *next; line && *line; line = next)
    {
      const char *path;

      if ((next = strchr (line, '\n')) != NULL)
        *next++ = '\0';
      if ((path = line_path (line, want)) != NULL)
        parse_path (path, proc, units);
      if (next)
        next[-1] = '\n';
    }
}

void
ptl_linux_cgroup_parse (const char *text, PtlProcess *proc)
{
  char buf[4096];

  /* systemd's own hierarchy wins on hybrid machines (it is where systemd
   * places units); then the unified one; containers may show in any. */
  snprintf (buf, sizeof buf, "%s", text);
  parse_lines (buf, "name=systemd", proc);
  parse_lines (buf, "", proc);
  parse_lines (buf, NULL, proc);
}

void
ptl_linux_cgroup_read (int pid_dirfd, PtlProcess *proc)
{
  char buf[4096];

  if (ptl_linux_read_small_file (pid_dirfd, "cgroup", buf, sizeof buf) > 0)
    ptl_linux_cgroup_parse (buf, proc);
}

/* ---- cgroup ids (INET_DIAG_CGROUP_ID) to paths ------------------------- */

#define WALK_MAX_DIRS 20000
#define WALK_MAX_DEPTH 32

/* Where the unified (v2) hierarchy is mounted: /sys/fs/cgroup on most
 * machines, /sys/fs/cgroup/unified on hybrid ones. */
static bool
cgroup2_mount (char *out, size_t size)
{
  FILE *f = fopen ("/proc/self/mountinfo", "re");
  char line[1024];
  bool found = false;

  if (f == NULL)
    return false;
  while (!found && fgets (line, sizeof line, f))
    {
      char mnt[512];
      const char *dash = strstr (line, " - cgroup2 ");

      if (dash && sscanf (line, "%*s %*s %*s %*s %511s", mnt) == 1)
        found = snprintf (out, size, "%s", mnt) < (int) size;
    }
  fclose (f);
  return found;
}

typedef struct
{
  const uint64_t *ids;
  char **paths; /* filled as found */
  size_t n, left;
  size_t dirs;
} Walk;

static void
walk_dir (Walk *w, int dirfd, char *path, size_t len, int depth)
{
  DIR *dir = ptl_linux_dir_take (dup (dirfd));
  struct dirent *e;

  if (dir == NULL)
    return;
  while (w->left > 0 && w->dirs < WALK_MAX_DIRS && (e = readdir (dir)) != NULL)
    {
      struct stat st;
      int sub;
      size_t n;

      if (e->d_type != DT_DIR || e->d_name[0] == '.')
        continue;
      w->dirs++;
      n = strlen (e->d_name);
      if (len + 1 + n >= PATH_MAX || fstatat (dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        continue;
      path[len] = '/';
      memcpy (path + len + 1, e->d_name, n + 1);
      for (size_t i = 0; i < w->n; i++)
        if (w->paths[i] == NULL && w->ids[i] == (uint64_t) st.st_ino)
          w->left -= (w->paths[i] = strdup (path)) != NULL;
      if (depth < WALK_MAX_DEPTH
          && (sub = openat (dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0)
        {
          walk_dir (w, sub, path, len + 1 + n, depth + 1);
          close (sub);
        }
      path[len] = '\0';
    }
  closedir (dir);
}

void
ptl_linux_cgroup_paths (const uint64_t *ids, size_t n, char **paths)
{
  char mnt[512], path[PATH_MAX] = "";
  Walk w = { ids, paths, n, 0, 0 };
  int fd;

  for (size_t i = 0; i < n; i++)
    {
      paths[i] = NULL;
      /* The root cgroup (id 1) holds everything systemd did not place. */
      w.left += ids[i] > 1;
    }
  if (w.left == 0 || !cgroup2_mount (mnt, sizeof mnt))
    return;
  if ((fd = open (mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
    return;
  walk_dir (&w, fd, path, 0, 0);
  close (fd);
}
