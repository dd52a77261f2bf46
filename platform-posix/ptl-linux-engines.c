/* ptl-linux-engines.c: what a container engine's own CLI says about its
 * containers (names, published ports), for the ids the cgroups gave.
 *
 * Each engine is asked once, with one listing of all its containers:
 *   docker ps --all --no-trunc --format '{{.ID}}\t{{.Names}}\t{{.Ports}}'
 *   podman ps (the same arguments)
 *   crictl ps --all -o go-template (id, name, pod) for Kubernetes' runtimes
 * The program is found on PATH and run with an argument vector (no shell),
 * stdin and stderr on /dev/null, and killed when it has not finished
 * within 2 seconds. Its answers are kept for a few seconds, so one run of
 * portolan-cli asks each engine at most once. An engine that is not
 * installed, refuses us (no access to its socket) or is too slow gives no
 * names; the short id is shown instead.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ptl-linux-private.h"

#define ENGINE_TIMEOUT_MS 2000
#define ENGINE_OUTPUT_MAX (1024 * 1024)
#define CACHE_LIFE_MS 5000

extern char **environ;

typedef struct
{
  const char *id, *name, *pod, *ports; /* into the cache's text */
} Entry;

typedef struct
{
  bool asked;
  uint64_t when_ms;
  char *text; /* the CLI's output, cut into the entries' fields */
  Entry *entries;
  size_t n_entries;
} Cache;

enum
{
  CLI_DOCKER,
  CLI_PODMAN,
  CLI_CRICTL,
  N_CLIS
};

static Cache caches[N_CLIS];
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

static int
cli_of (PtlEngine engine)
{
  switch (engine)
    {
    case PTL_ENGINE_DOCKER:
      return CLI_DOCKER;
    case PTL_ENGINE_PODMAN:
      return CLI_PODMAN;
    case PTL_ENGINE_CONTAINERD:
    case PTL_ENGINE_CRIO:
    case PTL_ENGINE_KUBERNETES:
      return CLI_CRICTL;
    case PTL_ENGINE_LXC: /* its id is the name */
    case PTL_ENGINE_NONE:
      break;
    }
  return -1;
}

static char *const *
cli_argv (int cli)
{
  static char *const docker[]
      = { "docker", "ps", "--all", "--no-trunc", "--format", "{{.ID}}\t{{.Names}}\t\t{{.Ports}}",
          NULL };
  static char *const podman[]
      = { "podman", "ps", "--all", "--no-trunc", "--format", "{{.ID}}\t{{.Names}}\t\t{{.Ports}}",
          NULL };
  static char *const crictl[] = { "crictl",
                                  "ps",
                                  "--all",
                                  "--output",
                                  "go-template",
                                  "--template",
                                  "{{range .containers}}{{.id}}\t{{.metadata.name}}\t"
                                  "{{index .labels \"io.kubernetes.pod.name\"}}\t\n{{end}}",
                                  NULL };

  return cli == CLI_DOCKER ? docker : cli == CLI_PODMAN ? podman : crictl;
}

/* Reads @fd until EOF or the deadline; returns the text (NULL on timeout). */
static char *
read_until (int fd, uint64_t deadline)
{
  size_t len = 0, cap = 4096;
  char *buf = malloc (cap);

  while (buf != NULL)
    {
      struct pollfd p = { .fd = fd, .events = POLLIN };
      uint64_t now = ptl_platform_monotonic_ms ();
      ssize_t n;
      int ready;

      if (now >= deadline)
        break;
      if ((ready = poll (&p, 1, (int) (deadline - now))) < 0 && errno == EINTR)
        continue;
      if (ready <= 0)
        break;
      n = read (fd, buf + len, cap - len - 1);
      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      if (n <= 0)
        {
          buf[len] = '\0';
          return buf;
        }
      len += (size_t) n;
      if (len + 1 == cap && cap < ENGINE_OUTPUT_MAX)
        {
          char *more = realloc (buf, cap * 2);
          if (more == NULL)
            break;
          buf = more, cap *= 2;
        }
      else if (len + 1 == cap)
        break; /* more than we will read: treat as no answer */
    }
  free (buf);
  return NULL;
}

/* The variables pkexec passes on from the person who ran it; it clears
 * or sets the others (SECURITY.md, "Administrator rights"). */
static bool
from_the_person (const char *entry)
{
  static const char *const names[]
      = { "SHELL=", "LANG=", "LANGUAGE=", "LINGUAS=", "TERM=", "COLORTERM=", "LC_" };

  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strncmp (entry, names[i], strlen (names[i])) == 0)
      return true;
  return false;
}

/* The engine's CLI gets this process's environment (rootless Podman needs
 * XDG_RUNTIME_DIR, docker its HOME and DOCKER_HOST) without what pkexec
 * passes on from the person: run as root for the desktop app, it sees
 * only what pkexec set. Their output does not depend on the locale. */
static char **
child_environment (void)
{
  size_t n = 0, k = 0;
  char **env;

  while (environ[n] != NULL)
    n++;
  if ((env = calloc (n + 1, sizeof *env)) == NULL)
    return NULL;
  for (size_t i = 0; i < n; i++)
    if (!from_the_person (environ[i]))
      env[k++] = environ[i];
  return env;
}

static int
spawn_with_pipe (char *const *argv, int out_fd, pid_t *pid)
{
  posix_spawn_file_actions_t fa;
  char **env = child_environment ();
  int rc;

  if (env == NULL || posix_spawn_file_actions_init (&fa) != 0)
    {
      free (env);
      return -1;
    }
  posix_spawn_file_actions_addopen (&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2 (&fa, out_fd, STDOUT_FILENO);
  posix_spawn_file_actions_addopen (&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  rc = posix_spawnp (pid, argv[0], &fa, NULL, argv, env);
  posix_spawn_file_actions_destroy (&fa);
  free (env);
  return rc == 0 ? 0 : -1;
}

/* Runs @argv and returns what it printed when it exits 0 within @timeout_ms. */
char *
ptl_linux_run_program (char *const *argv, unsigned timeout_ms)
{
  int fds[2], status = 0;
  char *out;
  pid_t pid;

  if (pipe2 (fds, O_CLOEXEC) < 0)
    return NULL;
  if (spawn_with_pipe (argv, fds[1], &pid) < 0)
    {
      close (fds[0]), close (fds[1]);
      return NULL;
    }
  close (fds[1]);
  out = read_until (fds[0], ptl_platform_monotonic_ms () + timeout_ms);
  close (fds[0]);
  if (out == NULL)
    kill (pid, SIGKILL); /* our own child, which we reap just below */
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;
  if (out != NULL && !(WIFEXITED (status) && WEXITSTATUS (status) == 0))
    {
      free (out);
      out = NULL;
    }
  return out;
}

/* Cuts one "ID\tNAME\tPOD\tPORTS" line in place. */
static bool
cut_line (char *line, Entry *e)
{
  char *f[4] = { line, NULL, NULL, NULL };

  for (int i = 1; i < 4; i++)
    {
      char *tab = f[i - 1] ? strchr (f[i - 1], '\t') : NULL;
      if (tab == NULL)
        return false;
      *tab = '\0';
      f[i] = tab + 1;
    }
  if (f[0][0] == '\0')
    return false;
  /* docker and podman list several names with commas: the first is it. */
  f[1][strcspn (f[1], ",")] = '\0';
  *e = (Entry){ f[0], f[1], f[2], f[3] };
  return true;
}

static void
cache_fill (Cache *c, char *text)
{
  size_t lines = 1;

  for (const char *p = text; *p; p++)
    lines += *p == '\n';
  c->text = text;
  c->entries = calloc (lines, sizeof *c->entries);
  for (char *line = text, *next; c->entries && line && *line; line = next)
    {
      if ((next = strchr (line, '\n')) != NULL)
        *next++ = '\0';
      if (cut_line (line, &c->entries[c->n_entries]))
        c->n_entries++;
    }
}

static void
cache_drop (Cache *c)
{
  free (c->text);
  free (c->entries);
  memset (c, 0, sizeof *c);
}

/* The cache of @cli, asking the CLI when it is empty or stale. Called
 * with cache_lock held. */
static Cache *
cache_get (int cli)
{
  Cache *c = &caches[cli];
  uint64_t now = ptl_platform_monotonic_ms ();
  char *text;

  if (c->asked && now - c->when_ms < CACHE_LIFE_MS)
    return c;
  cache_drop (c);
  c->asked = true;
  c->when_ms = now;
  if ((text = ptl_linux_run_program (cli_argv (cli), ENGINE_TIMEOUT_MS)) != NULL)
    cache_fill (c, text);
  return c;
}

/* docker ps and podman ps print full ids; crictl prints them whole too,
 * but a prefix match also takes a CLI that shortens them. */
static const Entry *
find_entry (const Cache *c, const char *id)
{
  for (size_t i = 0; i < c->n_entries; i++)
    if (strlen (c->entries[i].id) >= 12
        && strncmp (id, c->entries[i].id, strlen (c->entries[i].id)) == 0)
      return &c->entries[i];
  return NULL;
}

bool
ptl_linux_engine_describe (PtlContainer *ct)
{
  const Entry *e;
  int cli = cli_of (ct->engine);
  bool found = false;

  if (cli < 0)
    return false;
  pthread_mutex_lock (&cache_lock);
  if ((e = find_entry (cache_get (cli), ct->id)) != NULL)
    {
      snprintf (ct->name, sizeof ct->name, "%s", e->name);
      snprintf (ct->pod, sizeof ct->pod, "%s", e->pod);
      found = true;
    }
  pthread_mutex_unlock (&cache_lock);
  return found;
}

/* In "127.0.0.1:18080->8080/tcp" (or a range "0.0.0.0:5000-5001->80-81/udp"),
 * the container port behind @host_port/@proto; 0 when the entry is not it. */
static unsigned
port_behind (const char *mapping, unsigned host_port, const char *proto)
{
  const char *arrow = strstr (mapping, "->"), *colon, *slash;
  unsigned hfirst, hlast, cfirst;
  int n;

  if (arrow == NULL || (slash = strchr (arrow, '/')) == NULL
      || strncmp (slash + 1, proto, strlen (proto)) != 0)
    return 0;
  for (colon = arrow; colon > mapping && colon[-1] != ':'; colon--)
    ;
  n = sscanf (colon, "%u-%u", &hfirst, &hlast);
  if (n == 1)
    hlast = hfirst;
  if (n < 1 || host_port < hfirst || host_port > hlast || sscanf (arrow + 2, "%u", &cfirst) != 1)
    return 0;
  return cfirst + (host_port - hfirst);
}

bool
ptl_linux_engine_published (PtlEngine engine, unsigned host_port, PtlProto proto, PtlRelay *relay)
{
  const char *pname = proto == PTL_PROTO_UDP ? "udp" : "tcp";
  int cli = cli_of (engine);
  bool found = false;
  Cache *c;

  if (cli < 0)
    return false;
  pthread_mutex_lock (&cache_lock);
  c = cache_get (cli);
  for (size_t i = 0; i < c->n_entries && !found; i++)
    {
      char ports[1024], *save = NULL;

      snprintf (ports, sizeof ports, "%s", c->entries[i].ports);
      for (char *m = strtok_r (ports, ",", &save); m && !found; m = strtok_r (NULL, ",", &save))
        {
          unsigned port = port_behind (m, host_port, pname);
          if (port == 0)
            continue;
          relay->port = relay->port ? relay->port : port;
          relay->container.engine = engine;
          snprintf (relay->container.id, sizeof relay->container.id, "%s", c->entries[i].id);
          snprintf (relay->container.name, sizeof relay->container.name, "%s", c->entries[i].name);
          found = true;
        }
    }
  pthread_mutex_unlock (&cache_lock);
  return found;
}
