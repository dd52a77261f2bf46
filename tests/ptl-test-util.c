/* ptl-test-util.c: helpers the CLI integration tests share (see the header). */
#define _GNU_SOURCE

#include "ptl-test-util.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

/* ---- paths and the machine ------------------------------------------------ */

/* Set when the built binaries sit where another user cannot reach them (a
 * build tree under a private home): copies in a world-readable directory. */
static char *cli_override, *holder_override;

const char *
ptl_test_cli_path (void)
{
  static char *path;

  if (cli_override)
    return cli_override;
  if (path == NULL)
    {
      const char *env = g_getenv ("PORTOLAN_CLI");
      path = env ? g_strdup (env)
                 : g_test_build_filename (G_TEST_BUILT, "..", "app", "cli", "portolan-cli", NULL);
    }
  return path;
}

const char *
ptl_test_holder_path (void)
{
  static char *path;

  if (holder_override)
    return holder_override;
  if (path == NULL)
    {
      const char *env = g_getenv ("PORTOLAN_TEST_HOLDER");
      path = env ? g_strdup (env) : g_test_build_filename (G_TEST_BUILT, "ptl-test-holder", NULL);
    }
  return path;
}

/* Runs @path instead of the built portolan-cli from now on; NULL undoes it. */
void
ptl_test_set_cli_path (const char *path)
{
  g_free (cli_override);
  cli_override = g_strdup (path);
}

/* Runs @path instead of the built ptl-test-holder from now on; NULL undoes it. */
void
ptl_test_set_holder_path (const char *path)
{
  g_free (holder_override);
  holder_override = g_strdup (path);
}

gboolean
ptl_test_have_ipv6_loopback (void)
{
  struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
  int fd = socket (AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
  gboolean ok = fd >= 0 && bind (fd, (struct sockaddr *) &sin6, sizeof sin6) == 0;

  if (fd >= 0)
    close (fd);
  return ok;
}

const char **
ptl_test_usable_specs (const char *const *specs)
{
  GPtrArray *a = g_ptr_array_new ();

  for (guint i = 0; specs[i]; i++)
    if (ptl_test_have_ipv6_loopback () || strchr (specs[i], '6') == NULL)
      g_ptr_array_add (a, (gpointer) specs[i]);
  g_ptr_array_add (a, NULL);
  return (const char **) g_ptr_array_free (a, FALSE);
}

void
ptl_test_read_ephemeral_range (guint *first, guint *last)
{
  g_autofree char *text = NULL;
  GError *error = NULL;

  g_file_get_contents ("/proc/sys/net/ipv4/ip_local_port_range", &text, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sscanf (text, "%u %u", first, last), ==, 2);
}

/* ---- owner situations --------------------------------------------------------- */

const char *
ptl_test_situations_path (void)
{
  static char *path;

  if (path == NULL)
    {
      const char *env = g_getenv ("PORTOLAN_TEST_SITUATIONS");
      path = env ? g_strdup (env)
                 : g_test_build_filename (G_TEST_BUILT, "ptl-test-situations", NULL);
    }
  return path;
}

PtlTestHolder *
ptl_test_situation_start_netns (const char *const *args)
{
  g_autofree char *unshare = g_find_program_in_path ("unshare");
  g_autofree char *true_path = g_find_program_in_path ("true");
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();

  if (geteuid () != 0 || unshare == NULL || true_path == NULL
      || ptl_test_spawn_sync (NULL, (const char *const[]){ unshare, "--net", true_path, NULL },
                              NULL, NULL, NULL)
             != 0)
    return NULL;
  g_ptr_array_add (argv, (gpointer) "--net");
  g_ptr_array_add (argv, (gpointer) "--");
  g_ptr_array_add (argv, (gpointer) ptl_test_situations_path ());
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  return ptl_test_holder_start_full (NULL, unshare, (const char *const *) argv->pdata);
}

char *
ptl_test_cgroup2_mount (void)
{
  g_autofree char *info = NULL;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/self/mountinfo", &info, NULL, NULL))
    return NULL;
  lines = g_strsplit (info, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (strstr (lines[i], " - cgroup2 "))
      {
        g_auto (GStrv) f = g_strsplit (lines[i], " ", 6);
        if (g_strv_length (f) >= 5)
          return g_strdup (f[4]);
      }
  return NULL;
}

PtlTestUnitCgroup *
ptl_test_unit_cgroup_new (const char *prefix, char **why)
{
  g_autofree char *mnt = ptl_test_cgroup2_mount ();
  PtlTestUnitCgroup *cg;

  if (geteuid () != 0 || mnt == NULL)
    {
      *why = g_strdup ("needs root and a cgroup v2 hierarchy to make a cgroup named like a unit");
      return NULL;
    }
  cg = g_new0 (PtlTestUnitCgroup, 1);
  cg->unit = g_strdup_printf ("%s-%d.service", prefix, (int) getpid ());
  cg->slice = g_strdup_printf ("%s/%s-%d.slice", mnt, prefix, (int) getpid ());
  cg->dir = g_build_filename (cg->slice, cg->unit, NULL);
  if (g_mkdir (cg->slice, 0755) < 0 || g_mkdir (cg->dir, 0755) < 0)
    {
      *why = g_strdup_printf ("cannot make a cgroup under %s: %s", mnt, g_strerror (errno));
      g_rmdir (cg->slice);
      g_free (cg->unit), g_free (cg->slice), g_free (cg->dir), g_free (cg);
      return NULL;
    }
  return cg;
}

void
ptl_test_unit_cgroup_free (PtlTestUnitCgroup *cg)
{
  if (cg == NULL)
    return;
  g_assert_cmpint (g_rmdir (cg->dir), ==, 0);
  g_assert_cmpint (g_rmdir (cg->slice), ==, 0);
  g_free (cg->unit), g_free (cg->slice), g_free (cg->dir), g_free (cg);
}

/* ---- running programs ------------------------------------------------------ */

char *
ptl_test_flatten (const char *text)
{
  g_autoptr (GRegex) re = g_regex_new ("\\s+", 0, 0, NULL);

  return g_regex_replace_literal (re, text, -1, 0, " ", 0, NULL);
}

/* Runs @prefix (may be NULL) + @args, stdin from /dev/null. Returns the exit
 * code, or -1 when the child died by a signal. Output is always captured:
 * a child writing to our stdout would corrupt the TAP stream. */
int
ptl_test_spawn_sync (const char *const *prefix, const char *const *args, char **envp, char **out,
                     char **err)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *my_out = NULL, *my_err = NULL;
  GError *error = NULL;
  int status = 0;

  for (guint i = 0; prefix != NULL && prefix[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) prefix[i]);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL, &my_out, &my_err,
                &status, &error);
  g_assert_no_error (error);
  if (out != NULL)
    *out = g_steal_pointer (&my_out);
  if (err != NULL)
    *err = g_steal_pointer (&my_err);
  else if (my_err != NULL && my_err[0] != '\0')
    g_test_message ("stderr of %s: %s", (char *) argv->pdata[0], my_err);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* Runs portolan-cli @args, under @ctx (may be NULL); as ptl_test_spawn_sync(). */
int
ptl_test_cli_runv (const PtlTestCliCtx *ctx, const char *const *args, char **out, char **err)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) ptl_test_cli_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  return ptl_test_spawn_sync (ctx ? ctx->prefix : NULL, (const char *const *) argv->pdata,
                              ctx ? ctx->envp : NULL, out, err);
}

/* "portolan-cli ARGS…", for messages. */
char *
ptl_test_cli_cmdline (const char *const *args)
{
  g_autofree char *joined = g_strjoinv (" ", (char **) args);
  return g_strdup_printf ("portolan-cli %s", joined);
}

/* Parses @text, which @cmd printed and which must hold one JSON object. */
JsonNode *
ptl_test_parse_json (const char *cmd, const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  GError *error = NULL;

  if (!json_parser_load_from_data (parser, text, -1, &error))
    g_test_message ("%s printed invalid JSON:\n%s", cmd, text);
  g_assert_no_error (error);
  if (json_parser_get_root (parser) == NULL)
    g_test_message ("%s printed no JSON", cmd);
  g_assert_nonnull (json_parser_get_root (parser));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_copy (json_parser_get_root (parser));
}

/* Runs the CLI, expects exit 0 or 1 (a report or a negative answer) and
 * JSON on stdout; returns the parsed root. */
JsonNode *
ptl_test_cli_json_ctx (const PtlTestCliCtx *ctx, const char *const *args)
{
  g_autofree char *out = NULL, *err = NULL, *cmd = ptl_test_cli_cmdline (args);
  int code = ptl_test_cli_runv (ctx, args, &out, &err);

  if (code != 0 && code != 1)
    g_test_message ("%s exited %d; stderr: %s", cmd, code, err);
  g_assert_cmpint (code, >=, 0);
  g_assert_cmpint (code, <=, 1);
  return ptl_test_parse_json (cmd, out);
}

/* ---- refusing a system call --------------------------------------------------------- */

#if defined(__x86_64__)
#define THIS_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define THIS_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

gboolean
ptl_test_can_refuse_syscalls (void)
{
#if defined(THIS_AUDIT_ARCH) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return TRUE;
#else
  return FALSE;
#endif
}

/* In the child, before exec: the filter stays across exec and setpriv. */
void
ptl_test_refuse_syscall (gpointer data)
{
#if defined(THIS_AUDIT_ARCH) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  const PtlTestRefusal *r = data;
  unsigned action = r->errno_value
                        ? SECCOMP_RET_ERRNO | ((unsigned) r->errno_value & SECCOMP_RET_DATA)
                        : SECCOMP_RET_KILL_PROCESS;
  struct sock_filter code[] = {
    BPF_STMT (BPF_LD | BPF_W | BPF_ABS, offsetof (struct seccomp_data, arch)),
    BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, THIS_AUDIT_ARCH, 1, 0),
    BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    BPF_STMT (BPF_LD | BPF_W | BPF_ABS, offsetof (struct seccomp_data, nr)),
    BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, (unsigned) r->nr, 0, 3),
    BPF_STMT (BPF_LD | BPF_W | BPF_ABS, offsetof (struct seccomp_data, args[0])),
    /* arg0 < 0: any first argument goes on to the action */
    BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, (unsigned) r->arg0, 0, r->arg0 < 0 ? 0 : 1),
    BPF_STMT (BPF_RET | BPF_K, action),
    BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = { G_N_ELEMENTS (code), code };

  if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0
      || prctl (PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0)
    _exit (121);
#else
  (void) data;
  _exit (121);
#endif
}

/* ---- running as nobody ---------------------------------------------------------- */

/* setpriv execs the command, so the PID we see is the command's own. */
const char *const *
ptl_test_nobody_prefix (void)
{
  static const char *argv[]
      = { NULL, "--reuid", "nobody", "--regid", "nogroup", "--clear-groups", NULL };

  if (argv[0] == NULL)
    argv[0] = g_find_program_in_path ("setpriv");
  return argv;
}

static char *cli_copy, *holder_copy, *copies_dir;

static void
remove_copies (void)
{
  if (cli_copy)
    g_unlink (cli_copy);
  if (holder_copy)
    g_unlink (holder_copy);
  if (copies_dir)
    g_rmdir (copies_dir);
}

static char *
copy_runnable (const char *src, const char *dir)
{
  g_autofree char *base = g_path_get_basename (src);
  char *dst = g_build_filename (dir, base, NULL);
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (src, &data, &len, NULL)
      || !g_file_set_contents_full (dst, data, (gssize) len, G_FILE_SET_CONTENTS_NONE, 0755, NULL))
    g_clear_pointer (&dst, g_free);
  return dst;
}

/* When nobody cannot reach the build tree, run copies from a fresh
 * directory (mkdtemp) instead. */
static void
copy_binaries_for_nobody (void)
{
  if (copies_dir || (copies_dir = g_dir_make_tmp ("ptl-cli-XXXXXX", NULL)) == NULL)
    return;
  g_chmod (copies_dir, 0755);
  holder_copy = copy_runnable (ptl_test_holder_path (), copies_dir);
  cli_copy = copy_runnable (ptl_test_cli_path (), copies_dir);
  ptl_test_set_holder_path (holder_copy);
  ptl_test_set_cli_path (cli_copy);
  atexit (remove_copies);
}

/* Why tests cannot run programs as nobody here, or NULL when they can. */
char *
ptl_test_nobody_skip_reason (void)
{
  const char *probe_holder[] = { ptl_test_holder_path (), "--help", NULL };

  if (geteuid () != 0)
    return g_strdup ("needs root to run a child as nobody; run the suite as root to cover it");
  if (ptl_test_nobody_prefix ()[0] == NULL)
    return g_strdup ("setpriv (util-linux) is not installed");
  if (ptl_test_spawn_sync (ptl_test_nobody_prefix (), probe_holder, NULL, NULL, NULL) != 0)
    copy_binaries_for_nobody ();
  const char *holder[] = { ptl_test_holder_path (), "--help", NULL };
  const char *cli[] = { ptl_test_cli_path (), "--help", NULL };
  if (ptl_test_spawn_sync (ptl_test_nobody_prefix (), holder, NULL, NULL, NULL) != 0)
    return g_strdup_printf ("nobody cannot run %s (directory permissions?)",
                            ptl_test_holder_path ());
  if (ptl_test_spawn_sync (ptl_test_nobody_prefix (), cli, NULL, NULL, NULL) != 0)
    return g_strdup_printf ("nobody cannot run %s (directory permissions?)", ptl_test_cli_path ());
  return NULL;
}

/* ---- JSON accessors ------------------------------------------------------------ */

static JsonNode *
member (JsonObject *obj, const char *name, GType type)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL)
    g_error ("JSON member \"%s\" is missing", name);
  if (type == JSON_TYPE_ARRAY && !JSON_NODE_HOLDS_ARRAY (node))
    g_error ("JSON member \"%s\" is not an array", name);
  if (type == JSON_TYPE_OBJECT && !JSON_NODE_HOLDS_OBJECT (node))
    g_error ("JSON member \"%s\" is not an object", name);
  if (type != JSON_TYPE_ARRAY && type != JSON_TYPE_OBJECT
      && json_node_get_value_type (node) != type)
    g_error ("JSON member \"%s\" has type %s, expected %s", name,
             g_type_name (json_node_get_value_type (node)), g_type_name (type));
  return node;
}

const char *
ptl_test_obj_str (JsonObject *obj, const char *name)
{
  return json_node_get_string (member (obj, name, G_TYPE_STRING));
}

gint64
ptl_test_obj_int (JsonObject *obj, const char *name)
{
  return json_node_get_int (member (obj, name, G_TYPE_INT64));
}

gboolean
ptl_test_obj_bool (JsonObject *obj, const char *name)
{
  return json_node_get_boolean (member (obj, name, G_TYPE_BOOLEAN));
}

JsonArray *
ptl_test_obj_array (JsonObject *obj, const char *name)
{
  return json_node_get_array (member (obj, name, JSON_TYPE_ARRAY));
}

JsonObject *
ptl_test_obj_object (JsonObject *obj, const char *name)
{
  return json_node_get_object (member (obj, name, JSON_TYPE_OBJECT));
}

/* The "sockets" array of a `list --json` or `PORT --json` document. */
JsonArray *
ptl_test_list_sockets (JsonNode *root)
{
  return ptl_test_obj_array (json_node_get_object (root), "sockets");
}

/* ---- sockets in the CLI's JSON ----------------------------------------------- */

/* The first socket that matches @key, or NULL. */
JsonObject *
ptl_test_find_socket (JsonArray *sockets, const PtlTestSockKey *key)
{
  for (guint i = 0; i < json_array_get_length (sockets); i++)
    {
      JsonObject *s = json_array_get_object_element (sockets, i);
      if (key->protocol && g_strcmp0 (ptl_test_obj_str (s, "protocol"), key->protocol) != 0)
        continue;
      if (key->family && g_strcmp0 (ptl_test_obj_str (s, "family"), key->family) != 0)
        continue;
      if (key->address && g_strcmp0 (ptl_test_obj_str (s, "local_address"), key->address) != 0)
        continue;
      if (key->state && g_strcmp0 (ptl_test_obj_str (s, "state"), key->state) != 0)
        continue;
      if (key->remote_port && (guint) ptl_test_obj_int (s, "remote_port") != key->remote_port)
        continue;
      if ((guint) ptl_test_obj_int (s, "local_port") == key->port)
        return s;
    }
  return NULL;
}

static char *
array_to_string (JsonArray *array)
{
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_ARRAY);

  json_node_set_array (node, array);
  return json_to_string (node, TRUE);
}

/* As ptl_test_find_socket(), but a socket that is not there fails the test. */
JsonObject *
ptl_test_expect_socket (JsonArray *sockets, const PtlTestSockKey *key)
{
  JsonObject *s = ptl_test_find_socket (sockets, key);

  if (s == NULL)
    {
      g_autofree char *dump = array_to_string (sockets);
      g_test_message ("no socket %s %s %s:%u %s in: %s", key->protocol, key->family, key->address,
                      key->port, key->state, dump);
    }
  g_assert_nonnull (s);
  return s;
}

gboolean
ptl_test_socket_has_pid (JsonObject *sock, GPid pid)
{
  JsonArray *procs = ptl_test_obj_array (sock, "processes");

  for (guint i = 0; i < json_array_get_length (procs); i++)
    {
      if (ptl_test_obj_int (json_array_get_object_element (procs, i), "pid") == pid)
        return TRUE;
    }
  return FALSE;
}

/* The first owner is the holder, named and placed as we started it. */
void
ptl_test_assert_owner (JsonObject *sock, GPid pid, const char *user)
{
  JsonArray *procs = ptl_test_obj_array (sock, "processes");
  JsonObject *p;

  g_assert_cmpuint (json_array_get_length (procs), >=, 1);
  p = json_array_get_object_element (procs, 0);
  g_assert_cmpint (ptl_test_obj_int (p, "pid"), ==, pid);
  g_assert_cmpstr (ptl_test_obj_str (p, "name"), ==, "ptl-test-holder");
  g_assert_true (g_str_has_suffix (ptl_test_obj_str (p, "path"), "ptl-test-holder"));
  g_assert_cmpstr (ptl_test_obj_str (p, "user"), ==, user);
  g_assert_cmpstr (ptl_test_obj_str (sock, "user"), ==, user);
}

/* ---- the holder child -------------------------------------------------------- */

/* Starts @prefix (may be NULL) + @path + @args and reads its "SPEC PORT…"
 * lines up to "ready": every socket is open once this returns. */
PtlTestHolder *
ptl_test_holder_start_full (const char *const *prefix, const char *path, const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  PtlTestHolder *h = g_new0 (PtlTestHolder, 1);
  GError *error = NULL;
  int out_fd = -1;
  char line[256] = "";
  FILE *out;

  for (guint i = 0; prefix != NULL && prefix[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) prefix[i]);
  g_ptr_array_add (argv, (gpointer) path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_async_with_pipes (NULL, (char **) argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                            NULL, &h->pid, &h->stdin_fd, &out_fd, NULL, &error);
  g_assert_no_error (error);
  h->ports = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  out = fdopen (out_fd, "r");
  g_assert_nonnull (out);
  while (fgets (line, sizeof line, out) != NULL && strcmp (line, "ready\n") != 0)
    {
      char **kv = g_strsplit (g_strchomp (line), " ", 2);
      g_assert_nonnull (kv[1]);
      g_hash_table_insert (h->ports, kv[0], kv[1]);
      g_free (kv);
    }
  g_assert_cmpstr (line, ==, "ready\n");
  fclose (out);
  return h;
}

/* The @n-th port the holder reported for @spec (1: a pair's client end). */
guint
ptl_test_holder_port_n (PtlTestHolder *h, const char *spec, guint n)
{
  const char *text = g_hash_table_lookup (h->ports, spec);
  g_auto (GStrv) parts = NULL;

  g_assert_nonnull (text);
  parts = g_strsplit (text, " ", -1);
  g_assert_cmpuint (g_strv_length (parts), >, n);
  return (guint) g_ascii_strtoull (parts[n], NULL, 10);
}

/* Waits up to @ms for the holder to end; TRUE once it is reaped. */
gboolean
ptl_test_holder_wait (PtlTestHolder *h, guint ms)
{
  for (guint waited = 0; !h->reaped; waited += 10)
    {
      pid_t r = waitpid (h->pid, &h->wait_status, WNOHANG);
      if (r == h->pid)
        h->reaped = TRUE;
      else if (waited >= ms)
        return FALSE;
      else
        g_usleep (10 * 1000);
    }
  return TRUE;
}

gboolean
ptl_test_holder_alive (PtlTestHolder *h)
{
  return !ptl_test_holder_wait (h, 0);
}

static void
holder_close_stdin (PtlTestHolder *h)
{
  if (h->stdin_fd >= 0)
    close (h->stdin_fd);
  h->stdin_fd = -1;
}

/* Ends the holder: EOF first; SIGTERM to its own PID only if it lingers. */
static void
holder_stop (PtlTestHolder *h)
{
  holder_close_stdin (h);
  if (!ptl_test_holder_wait (h, 5000))
    {
      kill (h->pid, SIGTERM);
      ptl_test_holder_wait (h, G_MAXUINT);
    }
}

void
ptl_test_holder_free (PtlTestHolder *h)
{
  holder_stop (h);
  g_spawn_close_pid (h->pid);
  g_hash_table_unref (h->ports);
  g_free (h);
}

guint64
ptl_test_proc_start_time (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid), *text = NULL;
  g_auto (GStrv) fields = NULL;
  const char *after;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  after = strrchr (text, ')');
  g_assert_nonnull (after);
  fields = g_strsplit (after + 2, " ", -1);
  g_assert_cmpuint (g_strv_length (fields), >, 19);
  /* fields[0] is field 3 (state), so field 22 is fields[19]. */
  return g_ascii_strtoull (fields[19], NULL, 10);
}
