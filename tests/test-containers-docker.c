/* test-containers-docker.c: portolan-cli on a real Docker host.
 *
 * The test starts its own dockerd (Debian's docker.io) with every path in
 * a temporary directory, its own socket, its own containerd namespace and
 * no iptables rules, builds a one-file image offline (busybox-static,
 * docker import), and runs busybox httpd on 8080 inside a container,
 * published on a loopback host port. Then:
 *
 * - the host port is held by docker-proxy, a relay: portolan names the
 *   container and port it publishes (relay_to), compared with ss;
 * - port 8080 shows httpd inside the container, in its own section, with
 *   the container's id and name, compared with ss run in its namespace;
 * - list --all-namespaces shows it, list alone counts the namespace;
 * - as nobody: the owners and the namespaces need root;
 * - with a docker CLI that hangs, the name is given up after 2 s (once
 *   per run) and the id, found by observation, stays.
 *
 * Nothing connects to the container or to the published port: the test
 * only observes sockets. At the end it removes the container, network and
 * image, and ends dockerd by its PID.
 */
#define _GNU_SOURCE

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ptl-test-util.h"

typedef struct
{
  char *skip; /* why the tests cannot run; NULL when they can */
  char *dir, *docker, *log;
  GPid dockerd;
  char *image, *network, *name, *id, *ip;
  guint port; /* the published host port */
  GPid httpd; /* httpd's PID, as the host sees it */
} Docker;

static Docker dk;

/* ---- running docker ------------------------------------------------------------ */

static int
docker_run (char **out, const char *first, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;
  va_list ap;
  int rc;

  g_ptr_array_add (argv, dk.docker);
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  rc = ptl_test_spawn_sync (NULL, (const char *const *) argv->pdata, NULL, out, &err);
  if (rc != 0)
    g_test_message ("docker %s: exit %d: %s", first, rc, err);
  if (out && *out)
    g_strstrip (*out);
  return rc;
}

/* The last lines of dockerd's log: why it would not start. */
static char *
log_tail (void)
{
  g_autofree char *text = NULL;
  size_t len;

  if (!g_file_get_contents (dk.log, &text, &len, NULL) || len == 0)
    return g_strdup ("(dockerd wrote nothing)");
  return g_strdup (len > 600 ? text + len - 600 : text);
}

/* ---- setting up ------------------------------------------------------------------ */

/* Debian's busybox-static is a static binary; the plain busybox package
 * needs libc, which the one-file image does not have. */
static gboolean
is_static_elf (const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  const Elf64_Ehdr *eh;

  if (!g_file_get_contents (path, &data, &len, NULL) || len < sizeof *eh)
    return FALSE;
  eh = (const Elf64_Ehdr *) data;
  if (memcmp (eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64
      || eh->e_phoff + (gsize) eh->e_phnum * sizeof (Elf64_Phdr) > len)
    return FALSE;
  for (int i = 0; i < eh->e_phnum; i++)
    if (((const Elf64_Phdr *) (data + eh->e_phoff))[i].p_type == PT_INTERP)
      return FALSE;
  return TRUE;
}

static char *
missing_tools (void)
{
  g_autofree char *dockerd = g_find_program_in_path ("dockerd");
  g_autofree char *busybox = g_find_program_in_path ("busybox");
  g_autofree char *tar = g_find_program_in_path ("tar");

  dk.docker = g_find_program_in_path ("docker");
  if (geteuid () != 0)
    return g_strdup ("needs root to run dockerd");
  if (dockerd == NULL || dk.docker == NULL)
    return g_strdup ("dockerd or docker is not installed (Debian: docker.io)");
  if (busybox == NULL || !is_static_elf (busybox))
    return g_strdup ("no static busybox for the image (Debian: busybox-static)");
  if (tar == NULL)
    return g_strdup ("tar is not installed");
  return NULL;
}

static gboolean
dockerd_exited (void)
{
  int status;

  return waitpid (dk.dockerd, &status, WNOHANG) == dk.dockerd;
}

static char *
start_dockerd (void)
{
  g_autofree char *dockerd = g_find_program_in_path ("dockerd");
  g_autofree char *data = g_build_filename (dk.dir, "data", NULL);
  g_autofree char *exec = g_build_filename (dk.dir, "exec", NULL);
  g_autofree char *pidfile = g_build_filename (dk.dir, "dockerd.pid", NULL);
  g_autofree char *config = g_build_filename (dk.dir, "daemon.json", NULL);
  g_autofree char *sock = g_strdup_printf ("unix://%s/docker.sock", dk.dir);
  g_autofree char *ns = g_strdup_printf ("ptl-test-%d", (int) getpid ());
  g_autofree char *plugins = g_strdup_printf ("ptl-test-%d-plugins", (int) getpid ());
  const char *argv[] = { dockerd,
                         "--data-root",
                         data,
                         "--exec-root",
                         exec,
                         "--pidfile",
                         pidfile,
                         "--config-file",
                         config,
                         "-H",
                         sock,
                         "--bridge=none",
                         "--iptables=false",
                         "--ip-masq=false",
                         "--containerd-namespace",
                         ns,
                         "--containerd-plugins-namespace",
                         plugins,
                         "--shutdown-timeout",
                         "2",
                         "--log-level",
                         "warn",
                         NULL };
  GError *error = NULL;
  int log_fd;

  /* Our own empty configuration: the machine's daemon.json is not ours. */
  g_file_set_contents (config, "{}\n", -1, NULL);
  dk.log = g_build_filename (dk.dir, "dockerd.log", NULL);
  log_fd = open (dk.log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  g_spawn_async_with_fds (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                          &dk.dockerd, -1, log_fd, log_fd, &error);
  close (log_fd);
  if (error != NULL)
    return g_strdup_printf ("cannot start dockerd: %s", error->message);
  g_setenv ("DOCKER_HOST", sock, TRUE);
  /* A busy machine can take a while; dockerd dying says why in its log. */
  for (int i = 0; i < 300; i++)
    {
      g_autofree char *version = NULL;

      if (dockerd_exited ())
        {
          g_autofree char *tail = log_tail ();
          dk.dockerd = 0;
          return g_strdup_printf ("dockerd exited at start; its log ends: %s", tail);
        }
      if (docker_run (&version, "version", "--format", "{{.Server.Version}}", NULL) == 0)
        return NULL;
      g_usleep (200 * 1000);
    }
  return g_strdup ("dockerd did not answer within 60 s");
}

static char *
build_image (void)
{
  g_autofree char *busybox = g_find_program_in_path ("busybox");
  g_autofree char *tar = g_find_program_in_path ("tar");
  g_autofree char *root = g_build_filename (dk.dir, "image", NULL);
  g_autofree char *bin = g_build_filename (root, "bin", NULL);
  g_autofree char *copy = g_build_filename (bin, "busybox", NULL);
  g_autofree char *tarball = g_build_filename (dk.dir, "image.tar", NULL);
  g_autofree char *data = NULL;
  gsize len = 0;

  g_mkdir_with_parents (bin, 0755);
  if (!g_file_get_contents (busybox, &data, &len, NULL)
      || !g_file_set_contents_full (copy, data, (gssize) len, G_FILE_SET_CONTENTS_NONE, 0755, NULL))
    return g_strdup ("cannot copy busybox into the image directory");
  for (const char *const *l = (const char *const[]){ "sh", "httpd", NULL }; *l; l++)
    {
      g_autofree char *link = g_build_filename (bin, *l, NULL);
      if (symlink ("busybox", link) < 0)
        return g_strdup_printf ("symlink %s: %s", link, g_strerror (errno));
    }
  if (ptl_test_spawn_sync (NULL,
                           (const char *const[]){ tar, "-C", root, "-cf", tarball, ".", NULL },
                           NULL, NULL, NULL)
      != 0)
    return g_strdup ("tar failed");
  dk.image = g_strdup_printf ("ptl-test/busybox:%d", (int) getpid ());
  if (docker_run (NULL, "import", tarball, dk.image, NULL) != 0)
    return g_strdup ("docker import failed");
  return NULL;
}

static guint
free_loopback_port (void)
{
  struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof sin;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  guint port;

  g_assert_cmpint (bind (fd, (struct sockaddr *) &sin, sizeof sin), ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &sin, &len), ==, 0);
  port = ntohs (sin.sin_port);
  close (fd);
  return port;
}

/* Whether /proc/@pid/net/@file shows a listener on @port: observed in the
 * process's own namespace, without connecting to anything. */
static gboolean
listening (GPid pid, const char *file, guint port)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/net/%s", pid, file), *text = NULL;
  g_autofree char *needle = g_strdup_printf (":%04X 0", port);
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return FALSE;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[i]; i++)
    if (strstr (lines[i], needle) && strstr (lines[i], " 0A "))
      return TRUE;
  return FALSE;
}

static char *
run_container (void)
{
  g_autofree char *bridge
      = g_strdup_printf ("com.docker.network.bridge.name=ptl%d", (int) getpid ());
  g_autofree char *pid = NULL;

  dk.network = g_strdup_printf ("ptl-test-%d", (int) getpid ());
  dk.name = g_strdup_printf ("ptl-test-web-%d", (int) getpid ());
  if (docker_run (NULL, "network", "create", "--opt", bridge, dk.network, NULL) != 0)
    return g_strdup ("docker network create failed");
  /* The kernel picked the port a moment ago; should someone take it
   * meanwhile, docker run fails and another is tried. */
  for (int attempt = 0; attempt < 3 && dk.id == NULL; attempt++)
    {
      g_autofree char *publish = NULL;

      dk.port = free_loopback_port ();
      publish = g_strdup_printf ("127.0.0.1:%u:8080", dk.port);
      if (docker_run (&dk.id, "run", "-d", "--name", dk.name, "--network", dk.network, "-p",
                      publish, dk.image, "/bin/httpd", "-f", "-p", "8080", NULL)
          != 0)
        {
          g_clear_pointer (&dk.id, g_free);
          docker_run (NULL, "rm", "-f", dk.name, NULL);
        }
    }
  if (dk.id == NULL)
    return g_strdup ("docker run failed three times");
  docker_run (&pid, "inspect", "--format", "{{.State.Pid}}", dk.name, NULL);
  docker_run (&dk.ip, "inspect", "--format",
              "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", dk.name, NULL);
  dk.httpd = (GPid) atoi (pid ? pid : "0");
  for (int i = 0; i < 200; i++)
    {
      if (dk.httpd > 0 && listening (dk.httpd, "tcp6", 8080)
          && listening (getpid (), "tcp", dk.port))
        return NULL;
      g_usleep (100 * 1000);
    }
  return g_strdup ("httpd or docker-proxy did not start listening within 20 s");
}

static void
set_up (void)
{
  g_autoptr (GError) error = NULL;

  if ((dk.skip = missing_tools ()) != NULL)
    return;
  dk.dir = g_dir_make_tmp ("ptl-docker-XXXXXX", &error);
  g_assert_no_error (error);
  g_chmod (dk.dir, 0755);
  if ((dk.skip = start_dockerd ()) != NULL || (dk.skip = build_image ()) != NULL
      || (dk.skip = run_container ()) != NULL)
    g_printerr ("# the Docker tests cannot run: %s\n", dk.skip);
}

static void
tear_down (void)
{
  g_autofree char *rm = g_find_program_in_path ("rm");

  if (dk.dockerd > 0)
    {
      if (dk.name)
        docker_run (NULL, "rm", "-f", dk.name, NULL);
      if (dk.network)
        docker_run (NULL, "network", "rm", dk.network, NULL);
      if (dk.image)
        docker_run (NULL, "rmi", dk.image, NULL);
      /* Our own dockerd, by its PID; it stops its containerd and shims. */
      kill (dk.dockerd, SIGTERM);
      for (int i = 0; i < 300 && !dockerd_exited (); i++)
        g_usleep (100 * 1000);
      if (kill (dk.dockerd, 0) == 0)
        {
          g_printerr ("# dockerd (PID %d) did not end within 30 s: SIGKILL\n", dk.dockerd);
          kill (dk.dockerd, SIGKILL);
          waitpid (dk.dockerd, NULL, 0);
        }
    }
  if (dk.dir && rm)
    ptl_test_spawn_sync (NULL,
                         (const char *const[]){ rm, "-rf", "--one-file-system", dk.dir, NULL },
                         NULL, NULL, NULL);
}

static gboolean
skipped (void)
{
  if (dk.skip == NULL)
    return FALSE;
  g_test_skip (dk.skip);
  return TRUE;
}

/* ---- what portolan says ---------------------------------------------------------- */

static JsonObject *
container_of (JsonObject *obj, const char *member)
{
  /* Absent when there is nothing to say (README: JSON). */
  JsonNode *n = json_object_get_member (obj, member);

  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static void
assert_container (JsonObject *c, gboolean named)
{
  g_assert_nonnull (c);
  g_assert_cmpstr (ptl_test_obj_str (c, "engine"), ==, "docker");
  g_assert_cmpstr (ptl_test_obj_str (c, "id"), ==, dk.id);
  if (named)
    g_assert_cmpstr (ptl_test_obj_str (c, "name"), ==, dk.name);
  else
    g_assert_true (json_node_is_null (json_object_get_member (c, "name")));
}

/* The PID ss names for the listener on @port, run in @pid's namespace. */
static GPid
ss_pid (GPid ns_pid, guint port)
{
  g_autofree char *ss = g_find_program_in_path ("ss"),
                  *nsenter = g_find_program_in_path ("nsenter");
  g_autofree char *filter = g_strdup_printf ("sport = :%u", port), *out = NULL;
  g_autofree char *target = g_strdup_printf ("--net=/proc/%d/ns/net", ns_pid);
  const char *at;

  if (ss == NULL || nsenter == NULL)
    return 0;
  ptl_test_spawn_sync (NULL,
                       (const char *const[]){ nsenter, target, "--", ss, "-Htlnp", filter, NULL },
                       NULL, &out, NULL);
  g_test_message ("ss: %s", out);
  at = strstr (out, "pid=");
  return at ? (GPid) atoi (at + 4) : -1;
}

/* The relay's process object in `portolan-cli PORT --json`. */
static JsonObject *
relay_process (JsonNode *root)
{
  PtlTestSockKey key
      = { .protocol = "tcp", .address = "127.0.0.1", .port = dk.port, .state = "LISTEN" };
  JsonObject *s
      = ptl_test_expect_socket (ptl_test_obj_array (json_node_get_object (root), "sockets"), &key);
  JsonArray *procs = ptl_test_obj_array (s, "processes");

  g_assert_cmpuint (json_array_get_length (procs), ==, 1);
  return json_array_get_object_element (procs, 0);
}

static void
test_relay (void)
{
  g_autofree char *port = NULL, *raw = NULL, *text = NULL, *want = NULL;
  g_autoptr (JsonNode) root = NULL;
  JsonObject *p, *relay;
  GPid seen;

  if (skipped ())
    return;
  port = g_strdup_printf ("%u", dk.port);
  root = ptl_test_cli_json (port, "--json");
  p = relay_process (root);
  g_assert_cmpstr (ptl_test_obj_str (p, "name"), ==, "docker-proxy");
  relay = container_of (p, "relay_to");
  g_assert_nonnull (relay);
  g_assert_cmpstr (ptl_test_obj_str (relay, "protocol"), ==, "tcp");
  g_assert_cmpint (ptl_test_obj_int (relay, "port"), ==, 8080);
  g_assert_cmpstr (ptl_test_obj_str (relay, "address"), ==, dk.ip);
  assert_container (container_of (relay, "container"), TRUE);
  /* ss names the same process. */
  if ((seen = ss_pid (getpid (), dk.port)) != 0)
    g_assert_cmpint (seen, ==, ptl_test_obj_int (p, "pid"));
  ptl_test_cli_run (&raw, NULL, port);
  text = ptl_test_flatten (raw);
  want = g_strdup_printf ("publishes container %s (%.12s) port 8080/tcp", dk.name, dk.id);
  g_test_message ("%s", raw);
  g_assert_nonnull (strstr (text, want));
}

/* httpd's listener in `portolan-cli 8080 --json`'s other namespaces. */
static JsonObject *
inside_listener (JsonObject *other)
{
  JsonArray *socks = ptl_test_obj_array (other, "sockets");

  for (guint i = 0; i < json_array_get_length (socks); i++)
    {
      JsonObject *s = json_array_get_object_element (socks, i);
      JsonObject *ns = container_of (s, "netns");
      JsonObject *c = ns ? container_of (ns, "container") : NULL;

      if (c && g_strcmp0 (ptl_test_obj_str (c, "id"), dk.id) == 0
          && ptl_test_obj_int (s, "local_port") == 8080
          && g_strcmp0 (ptl_test_obj_str (s, "state"), "LISTEN") == 0)
        return s;
    }
  return NULL;
}

static void
test_inside (void)
{
  g_autofree char *raw = NULL, *text = NULL, *want = NULL;
  g_autoptr (JsonNode) root = NULL;
  JsonObject *other, *s, *p;
  GPid seen;

  if (skipped ())
    return;
  root = ptl_test_cli_json ("8080", "--json");
  other = ptl_test_obj_object (json_node_get_object (root), "other_namespaces");
  g_assert_true (ptl_test_obj_bool (other, "read"));
  s = inside_listener (other);
  g_assert_nonnull (s);
  assert_container (container_of (container_of (s, "netns"), "container"), TRUE);
  p = json_array_get_object_element (ptl_test_obj_array (s, "processes"), 0);
  g_assert_nonnull (p);
  g_assert_cmpint (ptl_test_obj_int (p, "pid"), ==, dk.httpd);
  g_assert_cmpstr (ptl_test_obj_str (p, "name"), ==, "httpd");
  assert_container (container_of (p, "container"), TRUE);
  if ((seen = ss_pid (dk.httpd, 8080)) != 0)
    g_assert_cmpint (seen, ==, dk.httpd);
  ptl_test_cli_run (&raw, NULL, "8080");
  g_test_message ("%s", raw);
  text = ptl_test_flatten (raw);
  want = g_strdup_printf ("httpd (PID %d) in container %s (docker %.12s) listens on tcp6 [::]:8080",
                          dk.httpd, dk.name, dk.id);
  g_assert_nonnull (strstr (text, want));
}

static void
test_list (void)
{
  g_autoptr (JsonNode) all = NULL, plain = NULL;
  JsonObject *other;

  if (skipped ())
    return;
  all = ptl_test_cli_json ("list", "--all-namespaces", "--listening", "--json");
  /* The list's own "sockets" holds every namespace's rows. */
  g_assert_nonnull (inside_listener (json_node_get_object (all)));
  plain = ptl_test_cli_json ("list", "--listening", "--json");
  other = ptl_test_obj_object (json_node_get_object (plain), "other_namespaces");
  g_assert_false (ptl_test_obj_bool (other, "read"));
  g_assert_cmpint (ptl_test_obj_int (other, "count"), >=, 1);
}

static void
test_as_nobody (void)
{
  PtlTestCliCtx ctx = { .prefix = ptl_test_nobody_prefix () };
  g_autofree char *why = NULL, *port = NULL;
  g_autoptr (JsonNode) relay = NULL, inside = NULL;
  PtlTestSockKey key = { .protocol = "tcp", .address = "127.0.0.1", .state = "LISTEN" };
  JsonObject *s, *other;

  if (skipped ())
    return;
  if ((why = ptl_test_nobody_skip_reason ()) != NULL)
    {
      g_test_skip (why);
      return;
    }
  port = g_strdup_printf ("%u", dk.port);
  relay = ptl_test_cli_json_ctx (&ctx, (const char *const[]){ port, "--json", NULL });
  key.port = dk.port;
  s = ptl_test_expect_socket (ptl_test_obj_array (json_node_get_object (relay), "sockets"), &key);
  g_assert_cmpstr (ptl_test_obj_str (s, "owner_note"), ==, "owner hidden: needs root");
  inside = ptl_test_cli_json_ctx (&ctx, (const char *const[]){ "8080", "--json", NULL });
  other = ptl_test_obj_object (json_node_get_object (inside), "other_namespaces");
  g_assert_true (ptl_test_obj_bool (other, "needs_root"));
  g_assert_cmpint (ptl_test_obj_int (other, "count"), >=, 1);
}

/* A PATH whose docker is a program that never answers. */
static char *
hung_cli_path (void)
{
  g_autofree char *dir = g_build_filename (dk.dir, "hung-cli", NULL);
  g_autofree char *link = g_build_filename (dir, "docker", NULL);
  g_mkdir_with_parents (dir, 0755);
  if (!g_file_test (link, G_FILE_TEST_EXISTS))
    g_assert_cmpint (symlink (ptl_test_situations_path (), link), ==, 0);
  return g_strdup_printf ("PATH=%s:%s", dir, g_getenv ("PATH"));
}

static void
test_engine_cli_limits (void)
{
  g_autofree char *path = NULL, *port = NULL, *empty_path = NULL;
  g_auto (GStrv) env = NULL;
  g_autoptr (JsonNode) hung = NULL, none = NULL;
  gint64 t0, took;

  if (skipped ())
    return;
  port = g_strdup_printf ("%u", dk.port);
  /* The CLI hangs: given up after 2 s, asked once however many times the
   * run needs it; the container is still found by its address. */
  path = hung_cli_path ();
  env = g_environ_setenv (g_get_environ (), "PATH", path + 5, TRUE);
  t0 = g_get_monotonic_time ();
  {
    PtlTestCliCtx ctx = { .envp = env };
    hung = ptl_test_cli_json_ctx (&ctx, (const char *const[]){ port, "--json", NULL });
  }
  took = (g_get_monotonic_time () - t0) / 1000;
  g_test_message ("with a hung docker CLI the report took %" G_GINT64_FORMAT " ms", took);
  g_assert_cmpint (took, >=, 1900);
  g_assert_cmpint (took, <, 3900); /* a second 2 s wait would pass this */
  assert_container (container_of (container_of (relay_process (hung), "relay_to"), "container"),
                    FALSE);
  /* No CLI at all: no name, no wait. */
  empty_path = g_build_filename (dk.dir, "no-cli", NULL);
  g_mkdir_with_parents (empty_path, 0755);
  g_strfreev (env);
  env = g_environ_setenv (g_get_environ (), "PATH", empty_path, TRUE);
  {
    PtlTestCliCtx ctx = { .envp = env };
    none = ptl_test_cli_json_ctx (&ctx, (const char *const[]){ port, "--json", NULL });
  }
  assert_container (container_of (container_of (relay_process (none), "relay_to"), "container"),
                    FALSE);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  set_up ();
  g_test_add_func ("/portolan/docker/relay", test_relay);
  g_test_add_func ("/portolan/docker/inside", test_inside);
  g_test_add_func ("/portolan/docker/list", test_list);
  g_test_add_func ("/portolan/docker/as-nobody", test_as_nobody);
  g_test_add_func ("/portolan/docker/engine-cli-limits", test_engine_cli_limits);
  rc = g_test_run ();
  tear_down ();
  return rc;
}
