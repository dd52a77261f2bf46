/* test-cli.c: portolan-cli end to end, against real loopback sockets.
 *
 * Sockets are opened by ptl-test-holder, a child process whose stdin we hold:
 * closing that pipe ends it, so a failed assertion (which aborts this
 * process) also ends every holder. Ports always come from the kernel.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

/* ---- paths and small helpers ------------------------------------------ */

/* Set when the built binaries sit where nobody cannot reach them (a build
 * tree under a private home): copies in a world-readable temporary dir. */
static char *cli_override, *holder_override, *copies_dir;

static const char *
cli_path (void)
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

static const char *
holder_path (void)
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

static gboolean
have_ipv6_loopback (void)
{
  struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
  int fd = socket (AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
  gboolean ok = fd >= 0 && bind (fd, (struct sockaddr *)&sin6, sizeof sin6) == 0;

  if (fd >= 0)
    close (fd);
  return ok;
}

static void
read_ephemeral_range (guint *first, guint *last)
{
  g_autofree char *text = NULL;
  GError *error = NULL;

  g_file_get_contents ("/proc/sys/net/ipv4/ip_local_port_range", &text, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sscanf (text, "%u %u", first, last), ==, 2);
}

/* ip_local_reserved_ports: "8080,9000-9010" or empty. */
static gboolean
port_is_reserved (guint port)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) parts = NULL;

  if (!g_file_get_contents ("/proc/sys/net/ipv4/ip_local_reserved_ports", &text, NULL, NULL))
    return FALSE;
  parts = g_strsplit (g_strstrip (text), ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint lo = 0, hi = 0;
      int n = sscanf (parts[i], "%u-%u", &lo, &hi);
      if (n == 1)
        hi = lo;
      if (n >= 1 && port >= lo && port <= hi)
        return TRUE;
    }
  return FALSE;
}

static const char *
expected_range (guint port)
{
  if (port < 1024)
    return "well-known";
  return port < 49152 ? "registered" : "dynamic";
}

static gboolean
can_bind_loopback (int type, guint port)
{
  struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons (port) };
  int fd = socket (AF_INET, type | SOCK_CLOEXEC, 0);
  gboolean ok;

  sin.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  ok = fd >= 0 && bind (fd, (struct sockaddr *)&sin, sizeof sin) == 0;
  if (fd >= 0)
    close (fd);
  return ok;
}

/* ---- running the CLI ---------------------------------------------------- */

/* Runs @prefix (may be NULL) + @args, stdin from /dev/null. Returns the exit
 * code, or -1 when the child died by a signal. Output is always captured:
 * a child writing to our stdout would corrupt the TAP stream. */
static int
spawn_sync (const char *const *prefix, const char *const *args, char **envp, char **out, char **err)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *my_out = NULL, *my_err = NULL;
  GError *error = NULL;
  int status = 0;

  for (guint i = 0; prefix != NULL && prefix[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)prefix[i]);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **)argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL, &my_out, &my_err,
                &status, &error);
  g_assert_no_error (error);
  if (out != NULL)
    *out = g_steal_pointer (&my_out);
  if (err != NULL)
    *err = g_steal_pointer (&my_err);
  else if (my_err != NULL && my_err[0] != '\0')
    g_test_message ("stderr of %s: %s", (char *)argv->pdata[0], my_err);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

typedef struct
{
  const char *const *prefix; /* e.g. setpriv …; NULL for none */
  char **envp;               /* NULL: inherit */
} CliCtx;

static int
cli_runv (const CliCtx *ctx, const char *const *args, char **out, char **err)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer)cli_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, NULL);
  return spawn_sync (ctx ? ctx->prefix : NULL, (const char *const *)argv->pdata,
                     ctx ? ctx->envp : NULL, out, err);
}

static char *
cli_cmdline (const char *const *args)
{
  g_autofree char *joined = g_strjoinv (" ", (char **)args);
  return g_strdup_printf ("portolan-cli %s", joined);
}

static JsonNode *
parse_json (const char *cmd, const char *text)
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
static JsonNode *
cli_json_ctx (const CliCtx *ctx, const char *const *args)
{
  g_autofree char *out = NULL, *err = NULL, *cmd = cli_cmdline (args);
  int code = cli_runv (ctx, args, &out, &err);

  if (code != 0 && code != 1)
    g_test_message ("%s exited %d; stderr: %s", cmd, code, err);
  g_assert_cmpint (code, >=, 0);
  g_assert_cmpint (code, <=, 1);
  return parse_json (cmd, out);
}

#define cli_json(...) cli_json_ctx (NULL, (const char *const[]){ __VA_ARGS__, NULL })
#define cli_run(out, err, ...) cli_runv (NULL, (const char *const[]){ __VA_ARGS__, NULL }, out, err)

/* ---- JSON accessors: a missing or mistyped member ends the test loudly -- */

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

static const char *
obj_str (JsonObject *obj, const char *name)
{
  return json_node_get_string (member (obj, name, G_TYPE_STRING));
}

static gint64
obj_int (JsonObject *obj, const char *name)
{
  return json_node_get_int (member (obj, name, G_TYPE_INT64));
}

static gboolean
obj_bool (JsonObject *obj, const char *name)
{
  return json_node_get_boolean (member (obj, name, G_TYPE_BOOLEAN));
}

static JsonArray *
obj_array (JsonObject *obj, const char *name)
{
  return json_node_get_array (member (obj, name, JSON_TYPE_ARRAY));
}

static JsonObject *
obj_object (JsonObject *obj, const char *name)
{
  return json_node_get_object (member (obj, name, JSON_TYPE_OBJECT));
}

typedef struct
{
  const char *protocol, *family, *address, *state;
  guint port;
} SockKey;

static JsonObject *
find_socket (JsonArray *sockets, const SockKey *key)
{
  for (guint i = 0; i < json_array_get_length (sockets); i++)
    {
      JsonObject *s = json_array_get_object_element (sockets, i);
      if (key->protocol && g_strcmp0 (obj_str (s, "protocol"), key->protocol) != 0)
        continue;
      if (key->family && g_strcmp0 (obj_str (s, "family"), key->family) != 0)
        continue;
      if (key->address && g_strcmp0 (obj_str (s, "local_address"), key->address) != 0)
        continue;
      if (key->state && g_strcmp0 (obj_str (s, "state"), key->state) != 0)
        continue;
      if ((guint)obj_int (s, "local_port") == key->port)
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

static JsonObject *
expect_socket (JsonArray *sockets, const SockKey *key)
{
  JsonObject *s = find_socket (sockets, key);

  if (s == NULL)
    {
      g_autofree char *dump = array_to_string (sockets);
      g_test_message ("no socket %s %s %s:%u %s in: %s", key->protocol, key->family, key->address,
                      key->port, key->state, dump);
    }
  g_assert_nonnull (s);
  return s;
}

static gboolean
socket_has_pid (JsonObject *sock, GPid pid)
{
  JsonArray *procs = obj_array (sock, "processes");

  for (guint i = 0; i < json_array_get_length (procs); i++)
    {
      if (obj_int (json_array_get_object_element (procs, i), "pid") == pid)
        return TRUE;
    }
  return FALSE;
}

/* The first owner is the holder, named and placed as we started it. */
static void
assert_owner (JsonObject *sock, GPid pid, const char *user)
{
  JsonArray *procs = obj_array (sock, "processes");
  JsonObject *p;

  g_assert_cmpuint (json_array_get_length (procs), >=, 1);
  p = json_array_get_object_element (procs, 0);
  g_assert_cmpint (obj_int (p, "pid"), ==, pid);
  g_assert_cmpstr (obj_str (p, "name"), ==, "ptl-test-holder");
  g_assert_true (g_str_has_suffix (obj_str (p, "path"), "ptl-test-holder"));
  g_assert_cmpstr (obj_str (p, "user"), ==, user);
  g_assert_cmpstr (obj_str (sock, "user"), ==, user);
}

/* ---- the holder child ---------------------------------------------------- */

typedef struct
{
  GPid pid;
  int stdin_fd; /* closing it ends the holder */
  gboolean reaped;
  int wait_status;
  GHashTable *ports; /* spec → "PORT" or "LISTENPORT CLIENTPORT" */
} Holder;

static Holder *
holder_start_full (const char *const *prefix, const char *path, const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  Holder *h = g_new0 (Holder, 1);
  GError *error = NULL;
  int out_fd = -1;
  char line[256] = "";
  FILE *out;

  for (guint i = 0; prefix != NULL && prefix[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)prefix[i]);
  g_ptr_array_add (argv, (gpointer)path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_async_with_pipes (NULL, (char **)argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &h->pid, &h->stdin_fd, &out_fd, NULL, &error);
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

#define holder_start(...)                                                                          \
  holder_start_full (NULL, holder_path (), (const char *const[]){ __VA_ARGS__, NULL })

static guint
holder_port_n (Holder *h, const char *spec, guint n)
{
  const char *text = g_hash_table_lookup (h->ports, spec);
  g_auto (GStrv) parts = NULL;

  g_assert_nonnull (text);
  parts = g_strsplit (text, " ", -1);
  g_assert_cmpuint (g_strv_length (parts), >, n);
  return (guint)g_ascii_strtoull (parts[n], NULL, 10);
}

#define holder_port(h, spec) holder_port_n (h, spec, 0)
#define holder_client_port(h, spec) holder_port_n (h, spec, 1)

/* Waits up to @ms for the holder to end; TRUE once it is reaped. */
static gboolean
holder_wait (Holder *h, guint ms)
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

static void
holder_close_stdin (Holder *h)
{
  if (h->stdin_fd >= 0)
    close (h->stdin_fd);
  h->stdin_fd = -1;
}

/* Ends the holder: EOF first; SIGTERM to its own PID only if it lingers. */
static void
holder_stop (Holder *h)
{
  holder_close_stdin (h);
  if (!holder_wait (h, 5000))
    {
      kill (h->pid, SIGTERM);
      holder_wait (h, G_MAXUINT);
    }
}

static void
holder_free (Holder *h)
{
  holder_stop (h);
  g_spawn_close_pid (h->pid);
  g_hash_table_unref (h->ports);
  g_free (h);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Holder, holder_free)

/* ---- the port report for a held socket ------------------------------------ */

static void
assert_report_basics (JsonObject *report, guint port)
{
  guint first, last;
  JsonObject *eph = obj_object (report, "ephemeral");

  read_ephemeral_range (&first, &last);
  g_assert_cmpint (obj_int (report, "port"), ==, port);
  g_assert_cmpstr (obj_str (report, "range"), ==, expected_range (port));
  g_assert_cmpint (obj_int (eph, "first"), ==, first);
  g_assert_cmpint (obj_int (eph, "last"), ==, last);
  g_assert_cmpint (obj_bool (eph, "contains"), ==, port >= first && port <= last);
}

typedef struct
{
  const char *spec, *protocol, *family, *address, *state;
} HeldCase;

static const HeldCase held_cases[] = {
  { "tcp4-listen", "tcp", "ipv4", "127.0.0.1", "LISTEN" },
  { "tcp6-listen", "tcp", "ipv6", "::1", "LISTEN" },
  { "udp4", "udp", "ipv4", "127.0.0.1", "UNCONN" },
  { "udp6", "udp", "ipv6", "::1", "UNCONN" },
};

static gboolean
skip_without_ipv6 (const char *family)
{
  if (g_strcmp0 (family, "ipv6") != 0 || have_ipv6_loopback ())
    return FALSE;
  g_test_skip ("this machine cannot bind ::1, so there is no IPv6 loopback to test");
  return TRUE;
}

static void
test_port_owner (gconstpointer data)
{
  const HeldCase *c = data;
  g_autoptr (Holder) h = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *port_arg = NULL;
  JsonObject *report, *sock, *free_obj;
  guint port;

  if (skip_without_ipv6 (c->family))
    return;
  h = holder_start (c->spec);
  port = holder_port (h, c->spec);
  port_arg = g_strdup_printf ("%u", port);
  root = cli_json (port_arg, "--json");
  report = json_node_get_object (root);
  assert_report_basics (report, port);
  sock = expect_socket (obj_array (report, "sockets"),
                        &(SockKey){ c->protocol, c->family, c->address, c->state, port });
  assert_owner (sock, h->pid, g_get_user_name ());
  free_obj = obj_object (report, "free");
  g_assert_false (obj_bool (free_obj, c->protocol));
}

static void
test_port_owner_pair (void)
{
  g_autoptr (Holder) h = holder_start ("tcp4-pair");
  guint lport = holder_port (h, "tcp4-pair"), cport = holder_client_port (h, "tcp4-pair");
  g_autofree char *l_arg = g_strdup_printf ("%u", lport);
  g_autofree char *c_arg = g_strdup_printf ("%u", cport);
  g_autoptr (JsonNode) lroot = cli_json (l_arg, "--json");
  g_autoptr (JsonNode) croot = cli_json (c_arg, "--json");
  JsonObject *lrep = json_node_get_object (lroot), *crep = json_node_get_object (croot);
  JsonArray *lsocks = obj_array (lrep, "sockets");
  JsonObject *listener, *accepted, *client;

  assert_report_basics (lrep, lport);
  assert_report_basics (crep, cport);
  listener = expect_socket (lsocks, &(SockKey){ "tcp", "ipv4", "127.0.0.1", "LISTEN", lport });
  accepted = expect_socket (lsocks, &(SockKey){ "tcp", "ipv4", "127.0.0.1", "ESTABLISHED", lport });
  client = expect_socket (obj_array (crep, "sockets"),
                          &(SockKey){ "tcp", "ipv4", "127.0.0.1", "ESTABLISHED", cport });
  assert_owner (listener, h->pid, g_get_user_name ());
  assert_owner (accepted, h->pid, g_get_user_name ());
  assert_owner (client, h->pid, g_get_user_name ());
  g_assert_cmpint (obj_int (accepted, "remote_port"), ==, cport);
  g_assert_cmpstr (obj_str (accepted, "remote_address"), ==, "127.0.0.1");
  g_assert_cmpint (obj_int (client, "remote_port"), ==, lport);
  g_assert_false (obj_bool (obj_object (lrep, "free"), "tcp"));
}

/* ---- port knowledge --------------------------------------------------------- */

static gboolean
has_iana (JsonArray *iana, const char *proto, const char *service, const char *descr, gint64 first,
          gint64 last)
{
  for (guint i = 0; i < json_array_get_length (iana); i++)
    {
      JsonObject *e = json_array_get_object_element (iana, i);
      if (g_strcmp0 (obj_str (e, "protocol"), proto) != 0
          || g_strcmp0 (obj_str (e, "service"), service) != 0)
        continue;
      if (descr != NULL && g_strcmp0 (obj_str (e, "description"), descr) != 0)
        continue;
      if (obj_int (e, "first") == first && obj_int (e, "last") == last)
        return TRUE;
    }
  return FALSE;
}

static gboolean
int_array_contains (JsonArray *array, gint64 value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      if (json_array_get_int_element (array, i) == value)
        return TRUE;
    }
  return FALSE;
}

static void
test_knowledge_1644_json (void)
{
  g_autoptr (JsonNode) root = cli_json ("1644", "--json");
  JsonObject *r = json_node_get_object (root);
  JsonArray *iana = obj_array (r, "iana"), *unofficial = obj_array (r, "unofficial");
  JsonArray *related = obj_array (r, "related");
  const char *descr = "Satellite-data Acquisition System 4";
  gboolean irc = FALSE;

  g_assert_cmpint (obj_int (r, "port"), ==, 1644);
  g_assert_cmpstr (obj_str (r, "range"), ==, "registered");
  g_assert_true (has_iana (iana, "tcp", "saiseh", descr, 1644, 1644));
  g_assert_true (has_iana (iana, "udp", "saiseh", descr, 1644, 1644));
  for (guint i = 0; i < json_array_get_length (unofficial); i++)
    {
      JsonObject *u = json_array_get_object_element (unofficial, i);
      irc = irc || strstr (obj_str (u, "use"), "IRC") || strstr (obj_str (u, "note"), "IRC");
    }
  g_assert_true (irc);
  g_assert_true (int_array_contains (related, 194));
  g_assert_true (int_array_contains (related, 6697));
  for (gint64 p = 6665; p <= 6669; p++)
    g_assert_true (int_array_contains (related, p));
}

static void
assert_lines_fit (const char *text, glong width)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_utf8_strlen (lines[i], -1) > width)
        g_test_message ("line %u is %ld columns: %s", i + 1, g_utf8_strlen (lines[i], -1),
                        lines[i]);
      g_assert_cmpint (g_utf8_strlen (lines[i], -1), <=, width);
    }
}

static void
test_knowledge_1644_text (void)
{
  g_autofree char *out = NULL, *err = NULL, *lower = NULL;
  int code = cli_run (&out, &err, "1644");

  g_assert_cmpint (code, >=, 0);
  g_assert_cmpint (code, <=, 1);
  lower = g_utf8_strdown (out, -1);
  g_assert_nonnull (strstr (out, "saiseh"));
  g_assert_nonnull (strstr (lower, "registered"));
  g_assert_nonnull (strstr (out, "IRC"));
  assert_lines_fit (out, 100);
}

static void
test_knowledge_6667_json (void)
{
  g_autoptr (JsonNode) root = cli_json ("6667", "--json");
  JsonObject *r = json_node_get_object (root);

  g_assert_cmpint (obj_int (r, "port"), ==, 6667);
  g_assert_true (has_iana (obj_array (r, "iana"), "tcp", "ircu", NULL, 6665, 6669));
}

/* ---- list ------------------------------------------------------------------- */

static JsonArray *
list_sockets (JsonNode *root)
{
  return obj_array (json_node_get_object (root), "sockets");
}

static void
test_list_filters (void)
{
  g_autoptr (Holder) h = holder_start ("tcp4-listen", "udp4", "tcp4-pair");
  guint tport = holder_port (h, "tcp4-listen"), uport = holder_port (h, "udp4");
  guint lport = holder_port (h, "tcp4-pair"), cport = holder_client_port (h, "tcp4-pair");
  g_autofree char *pid_arg = g_strdup_printf ("%d", h->pid);
  g_autofree char *port_arg = g_strdup_printf ("%u", lport);
  g_autoptr (JsonNode) all = cli_json ("list", "--json");
  g_autoptr (JsonNode) listening = cli_json ("list", "--listening", "--json");
  g_autoptr (JsonNode) udp = cli_json ("list", "--udp", "--json");
  g_autoptr (JsonNode) by_port = cli_json ("list", "--port", port_arg, "--json");
  g_autoptr (JsonNode) by_pid = cli_json ("list", "--pid", pid_arg, "--json");
  JsonArray *a;

  a = list_sockets (all);
  g_assert_true (socket_has_pid (expect_socket (a, &(SockKey){ "tcp", .port = tport }), h->pid));
  g_assert_true (socket_has_pid (expect_socket (a, &(SockKey){ "udp", .port = uport }), h->pid));
  g_assert_true (socket_has_pid (expect_socket (a, &(SockKey){ "tcp", .port = cport }), h->pid));

  a = list_sockets (listening);
  expect_socket (a, &(SockKey){ "tcp", "ipv4", "127.0.0.1", "LISTEN", tport });
  expect_socket (a, &(SockKey){ "tcp", "ipv4", "127.0.0.1", "LISTEN", lport });
  g_assert_null (find_socket (a, &(SockKey){ "tcp", .port = cport }));
  g_assert_null (find_socket (a, &(SockKey){ "tcp", .state = "ESTABLISHED", .port = lport }));
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      const char *state = obj_str (json_array_get_object_element (a, i), "state");
      g_assert_true (g_str_equal (state, "LISTEN") || g_str_equal (state, "UNCONN"));
    }

  a = list_sockets (udp);
  expect_socket (a, &(SockKey){ "udp", "ipv4", "127.0.0.1", "UNCONN", uport });
  for (guint i = 0; i < json_array_get_length (a); i++)
    g_assert_cmpstr (obj_str (json_array_get_object_element (a, i), "protocol"), ==, "udp");

  a = list_sockets (by_port);
  expect_socket (a, &(SockKey){ "tcp", "ipv4", "127.0.0.1", "LISTEN", lport });
  expect_socket (a, &(SockKey){ "tcp", "ipv4", "127.0.0.1", "ESTABLISHED", lport });
  for (guint i = 0; i < json_array_get_length (a); i++)
    g_assert_cmpint (obj_int (json_array_get_object_element (a, i), "local_port"), ==, lport);

  /* tcp4-listen, udp4, and the pair's listener, client and accepted ends */
  a = list_sockets (by_pid);
  g_assert_cmpuint (json_array_get_length (a), ==, 5);
  for (guint i = 0; i < json_array_get_length (a); i++)
    g_assert_true (socket_has_pid (json_array_get_object_element (a, i), h->pid));
}

/* RFC 4180 records: quoted fields may hold commas, doubled quotes, newlines. */
static GPtrArray *
csv_parse (const char *text)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  g_autoptr (GPtrArray) fields = g_ptr_array_new ();
  g_autoptr (GString) field = g_string_new (NULL);
  gboolean quoted = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (quoted && *p == '"' && p[1] == '"')
        g_string_append_c (field, *p++);
      else if (*p == '"' && (quoted || field->len == 0))
        quoted = !quoted;
      else if (!quoted && (*p == ',' || *p == '\n'))
        {
          g_ptr_array_add (fields, g_strdup (g_strchomp (field->str)));
          g_string_truncate (field, 0);
          if (*p == '\n')
            {
              g_ptr_array_add (fields, NULL);
              g_ptr_array_add (records, g_ptr_array_steal (fields, NULL));
            }
        }
      else
        g_string_append_c (field, *p);
    }
  g_assert_false (quoted);
  g_assert_cmpuint (field->len, ==, 0); /* the last record ends with a newline */
  return records;
}

static gboolean
strv_has_prefixed (char **fields, const char *prefix)
{
  for (guint i = 0; fields[i] != NULL; i++)
    {
      if (g_str_has_prefix (fields[i], prefix))
        return TRUE;
    }
  return FALSE;
}

/* Copies the holder binary to a fresh temporary directory under @name. */
static char *
copy_holder (const char *name, char **dir_out)
{
  g_autofree char *data = NULL;
  GError *error = NULL;
  gsize len = 0;
  char *dir = g_dir_make_tmp ("ptl-test-XXXXXX", &error);
  char *path;

  g_assert_no_error (error);
  g_file_get_contents (holder_path (), &data, &len, &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, name, NULL);
  g_file_set_contents (path, data, (gssize)len, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
  *dir_out = dir;
  return path;
}

static void
remove_copy (char *path, char *dir)
{
  g_unlink (path);
  g_rmdir (dir);
  g_free (path);
  g_free (dir);
}

static void
assert_csv_shape (GPtrArray *records)
{
  guint width;

  g_assert_cmpuint (records->len, >=, 1);
  width = g_strv_length (records->pdata[0]);
  g_assert_cmpuint (width, >=, 5);
  for (guint i = 1; i < records->len; i++)
    g_assert_cmpuint (g_strv_length (records->pdata[i]), ==, width);
}

static void
test_list_csv (void)
{
  /* 15 bytes exactly, so the kernel's comm keeps all of it */
  const char *name = "ptl,\"csv-holder";
  char *dir = NULL, *path = copy_holder (name, &dir);
  Holder *h = holder_start_full (
      NULL, path, (const char *const[]){ "--tag=a,\"b\"", "tcp4-listen", "udp4", NULL });
  g_autofree char *pid_arg = g_strdup_printf ("%d", h->pid);
  g_autofree char *tport = g_strdup_printf ("%u", holder_port (h, "tcp4-listen"));
  g_autofree char *uport = g_strdup_printf ("%u", holder_port (h, "udp4"));
  g_autofree char *out = NULL, *out_all = NULL;
  g_autoptr (GPtrArray) records = NULL, all = NULL;
  g_autofree char *header = NULL, *lower = NULL;

  g_assert_cmpint (cli_run (&out, NULL, "list", "--pid", pid_arg, "--csv"), ==, 0);
  g_assert_cmpint (cli_run (&out_all, NULL, "list", "--csv"), ==, 0);
  records = csv_parse (out);
  all = csv_parse (out_all);
  assert_csv_shape (records);
  assert_csv_shape (all);
  header = g_strjoinv (",", records->pdata[0]);
  lower = g_ascii_strdown (header, -1);
  g_assert_nonnull (strstr (lower, "port"));
  g_assert_cmpuint (records->len, ==, 3); /* header, tcp listener, udp socket */
  for (guint i = 1; i < records->len; i++)
    {
      char **row = records->pdata[i];
      g_assert_true (g_strv_contains ((const char *const *)row, pid_arg));
      g_assert_true (g_strv_contains ((const char *const *)row, tport)
                     || g_strv_contains ((const char *const *)row, uport));
      g_assert_true (strv_has_prefixed (row, name));
    }
  holder_free (h);
  remove_copy (path, dir);
}

/* ---- check and free ------------------------------------------------------- */

static void
test_check (void)
{
  Holder *h = holder_start ("tcp4-listen");
  g_autofree char *port_arg = g_strdup_printf ("%u", holder_port (h, "tcp4-listen"));

  g_assert_cmpint (cli_run (NULL, NULL, "check", port_arg), ==, 1);
  holder_free (h);
  g_assert_cmpint (cli_run (NULL, NULL, "check", port_arg), ==, 0);
}

static void
test_check_wait (void)
{
  Holder *h = holder_start ("tcp4-listen");
  g_autofree char *port_arg = g_strdup_printf ("%u", holder_port (h, "tcp4-listen"));
  const char *argv[] = { cli_path (), "check", port_arg, "--wait", "10", NULL };
  GError *error = NULL;
  GPid cli_pid;
  int status = 0;
  pid_t early;
  gint64 freed_at;

  g_spawn_async (NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                 NULL, NULL, &cli_pid, &error);
  g_assert_no_error (error);
  g_usleep (G_USEC_PER_SEC);
  /* while the port is held, check must still be waiting */
  early = waitpid (cli_pid, &status, WNOHANG);
  holder_free (h);
  freed_at = g_get_monotonic_time ();
  if (early == 0)
    g_assert_cmpint (waitpid (cli_pid, &status, 0), ==, cli_pid);
  g_spawn_close_pid (cli_pid);
  if (early != 0)
    g_test_message ("check --wait ended (status %d) while the port was still held", status);
  g_assert_cmpint (early, ==, 0);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  /* it noticed the port free, rather than sitting out the whole wait */
  g_assert_cmpint (g_get_monotonic_time () - freed_at, <, 8 * G_USEC_PER_SEC);
}

static void
assert_free_port (guint port, guint eph_first, guint eph_last)
{
  g_autofree char *arg = g_strdup_printf ("%u", port);
  g_autoptr (JsonNode) root = cli_json (arg, "--json");
  JsonArray *iana = obj_array (json_node_get_object (root), "iana");

  g_assert_true (port < eph_first || port > eph_last);
  g_assert_false (port_is_reserved (port));
  g_assert_true (can_bind_loopback (SOCK_STREAM, port));
  g_assert_true (can_bind_loopback (SOCK_DGRAM, port));
  for (guint i = 0; i < json_array_get_length (iana); i++)
    {
      const char *proto = obj_str (json_array_get_object_element (iana, i), "protocol");
      if (g_str_equal (proto, "tcp") || g_str_equal (proto, "udp"))
        g_test_message ("free suggested %u, which IANA assigns for %s", port, proto);
      g_assert_true (!g_str_equal (proto, "tcp") && !g_str_equal (proto, "udp"));
    }
}

static void
test_free (void)
{
  g_autoptr (JsonNode) root = cli_json ("free", "--count", "3", "--json");
  g_autoptr (JsonNode) span
      = cli_json ("free", "--from", "20000", "--to", "20100", "--count", "2", "--json");
  JsonArray *ports = obj_array (json_node_get_object (root), "ports");
  guint first, last;

  read_ephemeral_range (&first, &last);
  g_assert_cmpuint (json_array_get_length (ports), ==, 3);
  for (guint i = 0; i < 3; i++)
    assert_free_port ((guint)json_array_get_int_element (ports, i), first, last);

  ports = obj_array (json_node_get_object (span), "ports");
  g_assert_cmpuint (json_array_get_length (ports), ==, 2);
  g_assert_cmpint (json_array_get_int_element (ports, 0), !=,
                   json_array_get_int_element (ports, 1));
  for (guint i = 0; i < 2; i++)
    {
      gint64 p = json_array_get_int_element (ports, i);
      g_assert_cmpint (p, >=, 20000);
      g_assert_cmpint (p, <=, 20100);
    }
}

/* ---- exit codes ------------------------------------------------------------ */

static void
assert_usage_error (const char *const *args)
{
  g_autofree char *out = NULL, *err = NULL, *cmd = cli_cmdline (args);
  int code = cli_runv (NULL, args, &out, &err);
  g_autofree char *shown = g_strchomp (g_strdup (err));

  g_test_message ("%s -> exit %d, stderr: %s", cmd, code, shown);
  g_assert_cmpint (code, ==, 2);
  g_assert_cmpstr (out, ==, "");
  /* one sentence: a single, non-empty, newline-terminated line */
  g_assert_cmpuint (strlen (err), >, 1);
  g_assert_true (g_str_has_suffix (err, "\n"));
  g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
}

static void
test_exit_codes_bad_input (void)
{
  static const char *const bad[][4] = {
    { "70000" },
    { "-1" },
    { "" },
    { "12ab" },
    { "0x50" },
    { "abc!@#" },
    { "1644/xyz" },
    { "10-5" },
    { "1e3" },
    { "a-b" },
    { "list", "--bogus" },
    { "free", "--count", "0" },
    { "check" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_usage_error (bad[i]);
}

static void
test_exit_codes_negative (void)
{
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (cli_run (&out, &err, "nosuchservicezz"), ==, 1);
}

static void
test_help (void)
{
  static const char *const cmds[][3] = {
    { "--help" },          { "list", "--help" }, { "free", "--help" },
    { "check", "--help" }, { "kill", "--help" }, { "port", "--help" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cmds); i++)
    {
      g_autofree char *out = NULL, *err = NULL, *lower = NULL, *cmd = cli_cmdline (cmds[i]);
      int code = cli_runv (NULL, cmds[i], &out, &err);

      g_test_message ("%s -> exit %d", cmd, code);
      g_assert_cmpint (code, ==, 0);
      lower = g_ascii_strdown (out, -1);
      g_assert_nonnull (strstr (lower, "usage"));
      if (cmds[i][1] != NULL)
        g_assert_nonnull (strstr (out, cmds[i][0]));
    }
}

/* ---- kill ------------------------------------------------------------------ */

static gboolean
holder_alive (Holder *h)
{
  return !holder_wait (h, 0);
}

static void
test_kill (void)
{
  g_autoptr (Holder) h = holder_start ("tcp4-listen");
  g_autofree char *port_arg = g_strdup_printf ("%u", holder_port (h, "tcp4-listen"));
  const char *argv[] = { cli_path (), "kill", port_arg, "--yes", NULL };
  g_autofree char *out = NULL, *err = NULL;
  GError *error = NULL;
  GPid cli_pid;
  int cli_status = 0;
  gboolean cli_done = FALSE;

  /* no terminal, no --yes: refuse */
  g_assert_cmpint (cli_run (&out, &err, "kill", port_arg), ==, 2);
  g_assert_true (holder_alive (h));

  /* We reap the holder while the CLI runs, as a parent would, so the CLI
   * can see it gone instead of a zombie of ours. */
  g_spawn_async (NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                 NULL, NULL, &cli_pid, &error);
  g_assert_no_error (error);
  for (guint waited = 0; (!cli_done || !h->reaped) && waited < 20000; waited += 10)
    {
      if (!cli_done && waitpid (cli_pid, &cli_status, WNOHANG) == cli_pid)
        cli_done = TRUE;
      holder_wait (h, 0);
      g_usleep (10 * 1000);
    }
  if (!cli_done)
    {
      kill (cli_pid, SIGKILL);
      waitpid (cli_pid, &cli_status, 0);
    }
  g_spawn_close_pid (cli_pid);
  g_assert_true (cli_done);
  g_assert_true (WIFEXITED (cli_status));
  g_assert_cmpint (WEXITSTATUS (cli_status), ==, 0);
  g_assert_true (h->reaped);
  g_assert_true (WIFSIGNALED (h->wait_status));
  g_assert_cmpint (WTERMSIG (h->wait_status), ==, SIGTERM);
}

/* ---- another user --------------------------------------------------------- */

/* setpriv execs the command, so the PID we see is the command's own. */
static const char *const *
as_nobody (void)
{
  static const char *argv[]
      = { NULL, "--reuid", "nobody", "--regid", "nogroup", "--clear-groups", NULL };

  if (argv[0] == NULL)
    argv[0] = g_find_program_in_path ("setpriv");
  return argv;
}

static void
remove_copies (void)
{
  if (cli_override)
    g_unlink (cli_override);
  if (holder_override)
    g_unlink (holder_override);
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
      || !g_file_set_contents_full (dst, data, (gssize)len, G_FILE_SET_CONTENTS_NONE, 0755, NULL))
    g_clear_pointer (&dst, g_free);
  return dst;
}

/* When nobody cannot reach the build tree, run copies from /tmp instead. */
static void
copy_binaries_for_nobody (void)
{
  if (copies_dir || (copies_dir = g_dir_make_tmp ("ptl-cli-XXXXXX", NULL)) == NULL)
    return;
  g_chmod (copies_dir, 0755);
  holder_override = copy_runnable (holder_path (), copies_dir);
  cli_override = copy_runnable (cli_path (), copies_dir);
  atexit (remove_copies);
}

/* Why the cross-user tests cannot run here, or NULL when they can. */
static char *
cross_user_skip_reason (void)
{
  if (geteuid () != 0)
    return g_strdup ("needs root to run a child as nobody; run the suite as root to cover it");
  if (as_nobody ()[0] == NULL)
    return g_strdup ("setpriv (util-linux) is not installed");
  const char *probe[] = { holder_path (), "--help", NULL };
  if (spawn_sync (as_nobody (), probe, NULL, NULL, NULL) != 0)
    copy_binaries_for_nobody ();
  const char *probe_holder[] = { holder_path (), "--help", NULL };
  const char *probe_cli[] = { cli_path (), "--help", NULL };
  if (spawn_sync (as_nobody (), probe_holder, NULL, NULL, NULL) != 0)
    return g_strdup_printf ("nobody cannot run %s (directory permissions?)", holder_path ());
  if (spawn_sync (as_nobody (), probe_cli, NULL, NULL, NULL) != 0)
    return g_strdup_printf ("nobody cannot run %s (directory permissions?)", cli_path ());
  return NULL;
}

static void
test_other_user_holder (void)
{
  g_autofree char *reason = cross_user_skip_reason ();
  g_autoptr (Holder) h = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *port_arg = NULL;
  JsonObject *sock, *p;
  guint port;

  if (reason != NULL)
    {
      g_test_skip (reason);
      return;
    }
  h = holder_start_full (as_nobody (), holder_path (),
                         (const char *const[]){ "tcp4-listen", NULL });
  port = holder_port (h, "tcp4-listen");
  port_arg = g_strdup_printf ("%u", port);
  root = cli_json (port_arg, "--json");
  sock = expect_socket (obj_array (json_node_get_object (root), "sockets"),
                        &(SockKey){ "tcp", "ipv4", "127.0.0.1", "LISTEN", port });
  g_assert_cmpstr (obj_str (sock, "user"), ==, "nobody");
  g_assert_cmpuint (json_array_get_length (obj_array (sock, "processes")), >=, 1);
  p = json_array_get_object_element (obj_array (sock, "processes"), 0);
  g_assert_cmpint (obj_int (p, "pid"), ==, h->pid);
  g_assert_cmpstr (obj_str (p, "user"), ==, "nobody");
  g_assert_cmpstr (obj_str (p, "name"), ==, "ptl-test-holder");
}

static void
assert_hidden_owner (JsonObject *sock)
{
  g_assert_cmpuint (json_array_get_length (obj_array (sock, "processes")), ==, 0);
  g_assert_cmpstr (obj_str (sock, "owner_note"), ==, "owner hidden: needs root");
  g_assert_cmpstr (obj_str (sock, "user"), ==, "root");
}

static void
test_other_user_cli (void)
{
  g_autofree char *reason = cross_user_skip_reason ();
  const CliCtx ctx = { as_nobody (), NULL };
  g_autoptr (Holder) h = NULL;
  g_autoptr (JsonNode) root = NULL, list = NULL;
  g_autofree char *port_arg = NULL;
  guint port;

  if (reason != NULL)
    {
      g_test_skip (reason);
      return;
    }
  h = holder_start ("tcp4-listen");
  port = holder_port (h, "tcp4-listen");
  port_arg = g_strdup_printf ("%u", port);
  root = cli_json_ctx (&ctx, (const char *const[]){ port_arg, "--json", NULL });
  list = cli_json_ctx (&ctx, (const char *const[]){ "list", "--json", NULL });
  assert_hidden_owner (expect_socket (obj_array (json_node_get_object (root), "sockets"),
                                      &(SockKey){ "tcp", "ipv4", "127.0.0.1", "LISTEN", port }));
  assert_hidden_owner (expect_socket (list_sockets (list),
                                      &(SockKey){ "tcp", "ipv4", "127.0.0.1", "LISTEN", port }));
}

/* ---- /proc/net fallback ------------------------------------------------- */

static void
test_procfs_fallback (void)
{
  gboolean v6 = have_ipv6_loopback ();
  g_autoptr (Holder) h = v6 ? holder_start ("tcp4-listen", "udp4", "tcp6-listen", "udp6")
                            : holder_start ("tcp4-listen", "udp4");
  g_auto (GStrv) env = g_environ_setenv (g_get_environ (), "PORTOLAN_TEST_NO_NETLINK", "1", TRUE);
  const CliCtx ctx = { NULL, env };
  g_autoptr (JsonNode) root = cli_json_ctx (&ctx, (const char *const[]){ "list", "--json", NULL });
  JsonArray *socks = list_sockets (root), *notes;
  gboolean noted = FALSE;

  assert_owner (expect_socket (socks, &(SockKey){ "tcp", "ipv4", "127.0.0.1", "LISTEN",
                                                  holder_port (h, "tcp4-listen") }),
                h->pid, g_get_user_name ());
  expect_socket (socks,
                 &(SockKey){ "udp", "ipv4", "127.0.0.1", "UNCONN", holder_port (h, "udp4") });
  if (v6)
    {
      expect_socket (socks,
                     &(SockKey){ "tcp", "ipv6", "::1", "LISTEN", holder_port (h, "tcp6-listen") });
      expect_socket (socks, &(SockKey){ "udp", "ipv6", "::1", "UNCONN", holder_port (h, "udp6") });
    }
  notes = obj_array (json_node_get_object (root), "notes");
  for (guint i = 0; i < json_array_get_length (notes); i++)
    noted = noted || strstr (json_array_get_string_element (notes, i), "/proc/net") != NULL;
  g_assert_true (noted);
}

/* ---- hostile names ------------------------------------------------------- */

/* JSON forbids raw control characters inside strings. */
static void
assert_no_raw_controls_in_strings (const char *json)
{
  gboolean in_string = FALSE;

  for (const char *p = json; *p != '\0'; p++)
    {
      if (in_string && *p == '\\' && p[1] != '\0')
        p++;
      else if (*p == '"')
        in_string = !in_string;
      else if (in_string)
        g_assert_cmpint ((guchar)*p, >=, 0x20);
    }
}

static void
test_hostile_names (void)
{
  /* its first 15 bytes, what the kernel keeps as comm, end in a letter */
  const char *name = "hostile\"\\\tna\nme-holder";
  const char *tag = "--tag=q\"uote\x01"
                    "ctl\\bs";
  char *dir = NULL, *path = copy_holder (name, &dir);
  Holder *h = holder_start_full (NULL, path, (const char *const[]){ tag, "tcp4-listen", NULL });
  g_autofree char *port_arg = g_strdup_printf ("%u", holder_port (h, "tcp4-listen"));
  const char *args[] = { port_arg, "--json", NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (JsonNode) root = NULL;
  JsonObject *sock, *p;
  const char *got;

  g_assert_cmpint (cli_runv (NULL, args, &out, &err), <=, 1);
  assert_no_raw_controls_in_strings (out);
  root = parse_json ("portolan-cli PORT --json (hostile names)", out);
  sock = expect_socket (
      obj_array (json_node_get_object (root), "sockets"),
      &(SockKey){ "tcp", "ipv4", "127.0.0.1", "LISTEN", holder_port (h, "tcp4-listen") });
  g_assert_cmpuint (json_array_get_length (obj_array (sock, "processes")), >=, 1);
  p = json_array_get_object_element (obj_array (sock, "processes"), 0);
  g_assert_cmpint (obj_int (p, "pid"), ==, h->pid);
  got = obj_str (p, "name");
  g_assert_true (g_str_has_prefix (name, got));
  g_assert_cmpuint (strlen (got), >=, 15);
  g_assert_cmpstr (obj_str (p, "path"), ==, path);
  g_assert_nonnull (strstr (obj_str (p, "cmdline"), tag));
  g_assert_nonnull (strstr (obj_str (p, "cmdline"), path));
  holder_free (h);
  remove_copy (path, dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (held_cases); i++)
    {
      const char *spec = held_cases[i].spec;
      g_autofree char *name
          = g_strdup_printf ("/portolan/cli/port-owner-%.*s", (int)strcspn (spec, "-"), spec);
      g_test_add_data_func (name, &held_cases[i], test_port_owner);
    }
  g_test_add_func ("/portolan/cli/port-owner-tcp4-pair", test_port_owner_pair);
  g_test_add_func ("/portolan/cli/knowledge-1644-json", test_knowledge_1644_json);
  g_test_add_func ("/portolan/cli/knowledge-1644-text", test_knowledge_1644_text);
  g_test_add_func ("/portolan/cli/knowledge-6667-json", test_knowledge_6667_json);
  g_test_add_func ("/portolan/cli/list-filters", test_list_filters);
  g_test_add_func ("/portolan/cli/list-csv", test_list_csv);
  g_test_add_func ("/portolan/cli/check", test_check);
  g_test_add_func ("/portolan/cli/check-wait", test_check_wait);
  g_test_add_func ("/portolan/cli/free", test_free);
  g_test_add_func ("/portolan/cli/exit-codes-bad-input", test_exit_codes_bad_input);
  g_test_add_func ("/portolan/cli/exit-codes-negative", test_exit_codes_negative);
  g_test_add_func ("/portolan/cli/help", test_help);
  g_test_add_func ("/portolan/cli/kill", test_kill);
  g_test_add_func ("/portolan/cli/other-user-holder", test_other_user_holder);
  g_test_add_func ("/portolan/cli/other-user-cli", test_other_user_cli);
  g_test_add_func ("/portolan/cli/procfs-fallback", test_procfs_fallback);
  g_test_add_func ("/portolan/cli/hostile-names", test_hostile_names);

  return g_test_run ();
}
