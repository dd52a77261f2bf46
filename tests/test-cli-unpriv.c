/* test-cli-unpriv.c: portolan-cli without privileges (CI runs as root, so
 * setpriv makes the CLI nobody), while processes come and go, and with
 * netlink refused.
 *
 * - Every socket root sees (in two reads around nobody's) nobody sees too;
 *   other users' sockets keep their user and say "owner hidden: needs
 *   root", unless a process running as nobody holds them (a server that
 *   binds as root and serves as nobody, as nginx's workers do): then that
 *   process, and only such, is named. nobody's own sockets keep their
 *   owner.
 * - With a churn of short-lived processes (root's and nobody's, each
 *   holding a socket) the CLI, as nobody and as root, always exits 0 with
 *   valid JSON and a quiet stderr: EACCES, ENOENT and ESRCH mid-scan are
 *   facts to report, not crashes.
 * - When netlink is refused (the test switch PORTOLAN_TEST_NO_NETLINK, and
 *   a real refusal: a seccomp filter that fails socket(AF_NETLINK) with
 *   EACCES or EPERM), the /proc fallback gives the same rows, owners and
 *   notes for our sockets, plus a table note; as root and as nobody.
 *
 * All of it runs in a network namespace of its own (when root, which every
 * case but the skips needs): the kernel walks its socket tables in pieces,
 * and a socket that another program opens or closes meanwhile can make a
 * piece repeat or skip one of ours (test-platform-walk.c). Here only our
 * sockets change, and none while a list runs, so "root's socket is in
 * nobody's list" and "the same rows through /proc" hold exactly.
 */
#define _GNU_SOURCE

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ptl-test-netns.h"
#include "ptl-test-util.h"

#define HIDDEN "owner hidden: needs root"
#define CLOSED_MEANWHILE "no owner: the socket was closed while its owner was being looked for"
#define FALLBACK_NOTE "netlink sock_diag was refused"

/* ---- running the CLI, optionally under a seccomp filter ------------------------ */

typedef struct
{
  const char *const *prefix; /* setpriv … or NULL */
  int refuse_errno;          /* 0, or what socket(AF_NETLINK) fails with */
  gboolean no_netlink_env;   /* PORTOLAN_TEST_NO_NETLINK=1 */
} Run;

/* Runs the CLI with @args under @run; expects exit 0, valid JSON and an
 * empty stderr. */
static JsonNode *
run_json (const Run *run, const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_auto (GStrv) env = g_get_environ ();
  g_autofree char *out = NULL, *err = NULL, *cmd = ptl_test_cli_cmdline (args);
  PtlTestRefusal refusal = { __NR_socket, AF_NETLINK, run->refuse_errno };
  GError *error = NULL;
  int status = 0;

  for (guint i = 0; run->prefix && run->prefix[i]; i++)
    g_ptr_array_add (argv, (gpointer) run->prefix[i]);
  g_ptr_array_add (argv, (gpointer) ptl_test_cli_path ());
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  env = run->no_netlink_env ? g_environ_setenv (env, "PORTOLAN_TEST_NO_NETLINK", "1", TRUE)
                            : g_environ_unsetenv (env, "PORTOLAN_TEST_NO_NETLINK");
  /* socket(AF_NETLINK, …) fails with the errno, in the child before exec */
  g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT,
                run->refuse_errno ? ptl_test_refuse_syscall : NULL, &refusal, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0 || err[0] != '\0')
    g_error ("%s (%s, refuse %d) -> status %d, stderr: %s", cmd, run->prefix ? "nobody" : "root",
             run->refuse_errno, status, err);
  return ptl_test_parse_json (cmd, out);
}

/* ---- sockets by identity ---------------------------------------------------------- */

static char *
socket_key (JsonObject *s)
{
  return g_strdup_printf (
      "%s %s %s:%" G_GINT64_FORMAT " %s:%" G_GINT64_FORMAT " %s %" G_GINT64_FORMAT,
      ptl_test_obj_str (s, "protocol"), ptl_test_obj_str (s, "family"),
      ptl_test_obj_str (s, "local_address"), ptl_test_obj_int (s, "local_port"),
      ptl_test_obj_str (s, "remote_address"), ptl_test_obj_int (s, "remote_port"),
      ptl_test_obj_str (s, "state"), ptl_test_obj_int (s, "inode"));
}

/* key -> JsonObject of every socket in a `list --json` document. */
static GHashTable *
index_sockets (JsonNode *root)
{
  GHashTable *idx = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *a = ptl_test_list_sockets (root);

  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonObject *s = json_array_get_object_element (a, i);
      char *key = socket_key (s);
      g_auto (GStrv) p = g_strsplit (key, " ", -1);

      g_hash_table_insert (idx, key, s);
      /* and by what the holders tell of their sockets (see holder_keys) */
      g_hash_table_insert (idx, g_strjoin (" ", "=", p[0], p[1], p[2], p[4], NULL), s);
      g_hash_table_insert (idx, g_strjoin (" ", "=", p[0], p[1], p[2], p[3], p[4], NULL), s);
    }
  return idx;
}

static gboolean
has_note (JsonNode *root, const char *prefix)
{
  JsonArray *notes = ptl_test_obj_array (json_node_get_object (root), "notes");

  for (guint i = 0; i < json_array_get_length (notes); i++)
    if (g_str_has_prefix (json_array_get_string_element (notes, i), prefix))
      return TRUE;
  return FALSE;
}

/* The holders' sockets, as `list` shows them (a pair: three rows). */
static GPtrArray *
holder_keys (PtlTestHolder *h, const char *const *specs)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; specs[i]; i++)
    {
      gboolean v6 = strstr (specs[i], "6") != NULL, udp = g_str_has_prefix (specs[i], "udp");
      const char *addr = v6 ? "::1" : "127.0.0.1";
      guint port = ptl_test_holder_port (h, specs[i]);

      g_ptr_array_add (keys,
                       g_strdup_printf ("%s %s %s:%u %s", udp ? "udp" : "tcp", v6 ? "ipv6" : "ipv4",
                                        addr, port, udp ? "UNCONN" : "LISTEN"));
      if (g_str_has_suffix (specs[i], "-pair"))
        {
          guint cport = ptl_test_holder_client_port (h, specs[i]);
          g_ptr_array_add (keys, g_strdup_printf ("tcp %s %s:%u %s:%u ESTABLISHED",
                                                  v6 ? "ipv6" : "ipv4", addr, port, addr, cport));
          g_ptr_array_add (keys, g_strdup_printf ("tcp %s %s:%u %s:%u ESTABLISHED",
                                                  v6 ? "ipv6" : "ipv4", addr, cport, addr, port));
        }
    }
  return keys;
}

/* The socket matching a holder key: "proto family local state" for a
 * listener, "proto family local remote state" for a connection. */
static JsonObject *
find_by_prefix (GHashTable *idx, const char *want)
{
  g_autofree char *key = g_strconcat ("= ", want, NULL);
  return g_hash_table_lookup (idx, key);
}

static const char *const root_specs[]
    = { "tcp4-listen", "udp4", "tcp4-pair", "tcp6-listen", "udp6", NULL };
static const char *const nobody_specs[] = { "tcp4-listen", "udp6", "tcp6-pair", NULL };

static PtlTestHolder *
start_holder (const char *const *prefix, const char *const *specs)
{
  return ptl_test_holder_start_full (prefix, ptl_test_holder_path (), specs);
}

/* ---- every socket, owners hidden but users shown -------------------------------- */

/* Another user's socket, as nobody sees it: its user is known; its owner
 * is hidden, or a process that runs as nobody (and so is nobody's to read)
 * holds it. Any machine can have such a socket at any moment (a server
 * that drops to nobody), so that is not a failure: naming a process of
 * another user would be. @stable: root saw the socket before and after
 * nobody's read; one that closed during nobody's read may instead say so,
 * seen when it looked the socket up again. */
static void
assert_nobody_row (JsonObject *s, GPid nobody_holder, gboolean stable)
{
  const char *user = ptl_test_obj_str (s, "user");
  JsonArray *procs = ptl_test_obj_array (s, "processes");
  const char *note;

  g_assert_cmpstr (user, !=, "");
  if (ptl_test_obj_int (s, "inode") == 0 || g_str_equal (user, "nobody"))
    return;
  g_assert_false (ptl_test_socket_has_pid (s, nobody_holder));
  if (json_array_get_length (procs) == 0)
    {
      note = ptl_test_obj_str (s, "owner_note");
      if (stable || !g_str_equal (note, CLOSED_MEANWHILE))
        g_assert_cmpstr (note, ==, HIDDEN);
      return;
    }
  for (guint i = 0; i < json_array_get_length (procs); i++)
    g_assert_cmpstr (ptl_test_obj_str (json_array_get_object_element (procs, i), "user"), ==,
                     "nobody");
}

/* In the child, before exec: the inherited listener stays, the user becomes nobody. */
static void
become_nobody (gpointer data)
{
  struct passwd *pw = data;

  if (setgroups (0, NULL) != 0 || setresgid (pw->pw_gid, pw->pw_gid, pw->pw_gid) != 0
      || setresuid (pw->pw_uid, pw->pw_uid, pw->pw_uid) != 0)
    _exit (122);
}

/* A loopback listener that root binds and a child running as nobody holds
 * (the parent's copy is closed): root's socket, with an owner nobody can see. */
static GPid
start_dropped_listener (guint *port)
{
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  const char *argv[] = { "sleep", "120", NULL };
  socklen_t len = sizeof a;
  int fd = socket (AF_INET, SOCK_STREAM, 0); /* no CLOEXEC: the child keeps it */
  GError *error = NULL;
  GPid pid;

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &a, sizeof a), ==, 0);
  g_assert_cmpint (listen (fd, 4), ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &a, &len), ==, 0);
  *port = ntohs (a.sin_port);
  g_spawn_async (NULL, (char **) argv, NULL,
                 G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_LEAVE_DESCRIPTORS_OPEN
                     | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                 become_nobody, getpwnam ("nobody"), &pid, &error);
  g_assert_no_error (error);
  close (fd);
  return pid;
}

/* The dropped listener's row in nobody's list: root's, held by the child as nobody. */
static void
assert_dropped_row (GHashTable *idx, guint port, GPid pid)
{
  g_autofree char *want = g_strdup_printf ("tcp ipv4 127.0.0.1:%u LISTEN", port);
  JsonObject *s = find_by_prefix (idx, want);
  JsonArray *procs;

  if (s == NULL)
    g_error ("nobody's list misses the listener root bound for a nobody process (%s)", want);
  g_assert_cmpstr (ptl_test_obj_str (s, "user"), ==, "root");
  g_assert_true (ptl_test_socket_has_pid (s, pid));
  procs = ptl_test_obj_array (s, "processes");
  for (guint i = 0; i < json_array_get_length (procs); i++)
    g_assert_cmpstr (ptl_test_obj_str (json_array_get_object_element (procs, i), "user"), ==,
                     "nobody");
}

static void
test_every_socket (void)
{
  g_autofree char *reason = ptl_test_nobody_skip_reason ();
  g_autofree const char **rspecs = ptl_test_usable_specs (root_specs),
                        **nspecs = ptl_test_usable_specs (nobody_specs);
  g_autoptr (PtlTestHolder) rh = NULL, nh = NULL;
  g_autoptr (JsonNode) root1 = NULL, nob = NULL, root2 = NULL;
  g_autoptr (GHashTable) i1 = NULL, in = NULL, i2 = NULL;
  g_autoptr (GPtrArray) rkeys = NULL, nkeys = NULL;
  const Run as_root = { NULL, 0, FALSE }, as_nobody = { ptl_test_nobody_prefix (), 0, FALSE };
  GHashTableIter it;
  gpointer k, v;
  guint stable = 0, dropped_port;
  GPid dropped;

  if (reason != NULL)
    {
      g_test_skip (reason);
      return;
    }
  rh = start_holder (NULL, rspecs);
  nh = start_holder (ptl_test_nobody_prefix (), nspecs);
  dropped = start_dropped_listener (&dropped_port);
  root1 = run_json (&as_root, (const char *const[]){ "list", "--json", NULL });
  nob = run_json (&as_nobody, (const char *const[]){ "list", "--json", NULL });
  root2 = run_json (&as_root, (const char *const[]){ "list", "--json", NULL });
  i1 = index_sockets (root1), in = index_sockets (nob), i2 = index_sockets (root2);
  /* A socket root saw before and after nobody looked was there for nobody too. */
  g_hash_table_iter_init (&it, i1);
  while (g_hash_table_iter_next (&it, &k, &v))
    {
      JsonObject *mine = g_hash_table_lookup (in, k);
      if (((char *) k)[0] == '=' || !g_hash_table_contains (i2, k))
        continue;
      stable++;
      if (mine == NULL)
        g_error ("nobody's list misses %s", (char *) k);
      g_assert_cmpstr (ptl_test_obj_str (mine, "user"), ==, ptl_test_obj_str (v, "user"));
    }
  g_hash_table_iter_init (&it, in);
  while (g_hash_table_iter_next (&it, &k, &v)) /* the extra "=" keys only repeat rows */
    assert_nobody_row (v, nh->pid, g_hash_table_contains (i1, k) && g_hash_table_contains (i2, k));
  assert_dropped_row (in, dropped_port, dropped);
  kill (dropped, SIGTERM);
  g_assert_cmpint (waitpid (dropped, NULL, 0), ==, dropped);
  g_spawn_close_pid (dropped);
  g_assert_true (has_note (nob, "Some owners are hidden"));
  g_test_message ("%u sockets in both of root's reads, all in nobody's (%u rows)", stable,
                  json_array_get_length (ptl_test_list_sockets (nob)));
  rkeys = holder_keys (rh, rspecs);
  nkeys = holder_keys (nh, nspecs);
  for (guint i = 0; i < rkeys->len; i++)
    {
      JsonObject *s = find_by_prefix (in, rkeys->pdata[i]);
      if (s == NULL)
        g_error ("nobody's list misses root's %s", (char *) rkeys->pdata[i]);
      g_assert_cmpstr (ptl_test_obj_str (s, "user"), ==, "root");
      g_assert_cmpstr (ptl_test_obj_str (s, "owner_note"), ==, HIDDEN);
    }
  for (guint i = 0; i < nkeys->len; i++)
    {
      JsonObject *s = find_by_prefix (in, nkeys->pdata[i]);
      if (s == NULL)
        g_error ("nobody's list misses its own %s", (char *) nkeys->pdata[i]);
      ptl_test_assert_owner (s, nh->pid, "nobody");
    }
}

/* ---- processes vanishing mid-scan -------------------------------------------------- */

/* Forks children (every other one as nobody) that each open a loopback
 * listener and exit within a few ms, until @control reaches EOF. */
static G_NORETURN void
churn (int control, uid_t nobody_uid, gid_t nobody_gid)
{
  unsigned seed = (unsigned) getpid ();
  unsigned long n = 0;
  int live = 0;
  char c;

  fcntl (control, F_SETFL, O_NONBLOCK);
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  while (read (control, &c, 1) < 0 && errno == EAGAIN)
    {
      for (; live < 8; live++, n++)
        if (fork () == 0)
          {
            struct sockaddr_in a
                = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
            int fd;
            if (n % 2
                && (setresgid (nobody_gid, nobody_gid, nobody_gid) != 0
                    || setresuid (nobody_uid, nobody_uid, nobody_uid) != 0))
              _exit (1);
            fd = socket (AF_INET, n % 3 ? SOCK_STREAM : SOCK_DGRAM, 0);
            if (fd < 0 || bind (fd, (struct sockaddr *) &a, sizeof a) != 0)
              _exit (1);
            if (n % 3)
              listen (fd, 1);
            seed += (unsigned) n;
            usleep (rand_r (&seed) % 4000);
            _exit (0);
          }
      while (waitpid (-1, NULL, live >= 8 ? 0 : WNOHANG) > 0)
        live--;
    }
  _exit (0);
}

static void
test_vanishing (void)
{
  g_autofree char *reason = ptl_test_nobody_skip_reason ();
  const Run runs[] = {
    { ptl_test_nobody_prefix (), 0, FALSE },
    { ptl_test_nobody_prefix (), 0, TRUE },
    { NULL, 0, FALSE },
  };
  struct passwd *pw;
  int control[2];
  pid_t churner;

  if (reason != NULL)
    {
      g_test_skip (reason);
      return;
    }
  pw = getpwnam ("nobody");
  g_assert_nonnull (pw);
  g_assert_cmpint (pipe2 (control, O_CLOEXEC), ==, 0);
  churner = fork ();
  g_assert_cmpint (churner, >=, 0);
  if (churner == 0)
    {
      close (control[1]);
      churn (control[0], pw->pw_uid, pw->pw_gid);
    }
  close (control[0]);
  for (guint i = 0; i < 12; i++)
    {
      const Run *run = &runs[i % G_N_ELEMENTS (runs)];
      g_autoptr (JsonNode) root
          = run_json (run, i % 2 ? (const char *const[]){ "list", "--json", NULL }
                                 : (const char *const[]){ "list", "--listening", "--json", NULL });
      g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
    }
  close (control[1]);
  g_assert_cmpint (waitpid (churner, NULL, 0), ==, churner);
}

/* ---- netlink refused ------------------------------------------------------------------ */

/* Our holders' rows must be the same in @base and @fallback (every field). */
static void
assert_same_rows (JsonNode *base, JsonNode *fallback, GPtrArray *keys, const char *what)
{
  g_autoptr (GHashTable) bi = index_sockets (base), fi = index_sockets (fallback);

  g_assert_false (has_note (base, FALLBACK_NOTE));
  if (!has_note (fallback, FALLBACK_NOTE))
    g_error ("%s: the /proc fallback left no note", what);
  for (guint i = 0; i < keys->len; i++)
    {
      JsonObject *b = find_by_prefix (bi, keys->pdata[i]);
      JsonObject *f = find_by_prefix (fi, keys->pdata[i]);
      g_autoptr (JsonNode) bn = NULL, fn = NULL;
      g_autofree char *bs = NULL, *fs = NULL;

      if (b == NULL || f == NULL)
        g_error ("%s: %s is missing %s", what, (char *) keys->pdata[i],
                 b ? "with the fallback" : "from netlink");
      bn = json_node_init_object (json_node_alloc (), b);
      fn = json_node_init_object (json_node_alloc (), f);
      bs = json_to_string (bn, FALSE);
      fs = json_to_string (fn, FALSE);
      g_assert_cmpstr (fs, ==, bs);
    }
}

static void
test_netlink_refused (void)
{
  g_autofree char *reason = ptl_test_nobody_skip_reason ();
  g_autofree const char **rspecs = ptl_test_usable_specs (root_specs),
                        **nspecs = ptl_test_usable_specs (nobody_specs);
  g_autoptr (PtlTestHolder) rh = NULL, nh = NULL;
  g_autoptr (GPtrArray) keys = NULL, nkeys = NULL;
  const char *const *who[] = { NULL, ptl_test_nobody_prefix () };
  const int refusals[] = { 0, EACCES, EPERM };

  if (reason != NULL)
    {
      g_test_skip (reason);
      return;
    }
  rh = start_holder (NULL, rspecs);
  nh = start_holder (ptl_test_nobody_prefix (), nspecs);
  keys = holder_keys (rh, rspecs);
  nkeys = holder_keys (nh, nspecs);
  g_ptr_array_extend_and_steal (keys, g_steal_pointer (&nkeys));
  for (guint w = 0; w < G_N_ELEMENTS (who); w++)
    {
      const Run base_run = { who[w], 0, FALSE };
      g_autoptr (JsonNode) base
          = run_json (&base_run, (const char *const[]){ "list", "--json", NULL });

      for (guint r = 0; r < G_N_ELEMENTS (refusals); r++)
        {
          const Run run = { who[w], refusals[r], refusals[r] == 0 };
          g_autofree char *what = g_strdup_printf ("%s, %s", w ? "nobody" : "root",
                                                   r ? g_strerror (refusals[r]) : "test switch");
          g_autoptr (JsonNode) fallback = NULL;
          if (refusals[r] && !ptl_test_can_refuse_syscalls ())
            {
              g_test_message ("%s: no seccomp filter for this architecture; not run", what);
              continue;
            }
          fallback = run_json (&run, (const char *const[]){ "list", "--json", NULL });
          assert_same_rows (base, fallback, keys, what);
          g_test_message ("%s: %u holder rows identical through /proc", what, keys->len);
        }
    }
}

int
main (int argc, char **argv)
{
  const char *why = NULL;

  g_test_init (&argc, &argv, NULL);
  if (!ptl_test_enter_netns (&why))
    g_test_message ("in the machine's network namespace (%s): other programs' sockets "
                    "change the kernel's walk while a list runs",
                    why);

  g_test_add_func ("/portolan/cli/unpriv/every-socket", test_every_socket);
  g_test_add_func ("/portolan/cli/unpriv/vanishing-processes", test_vanishing);
  g_test_add_func ("/portolan/cli/unpriv/netlink-refused", test_netlink_refused);

  return g_test_run ();
}
