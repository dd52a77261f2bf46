/* test-cli-bpf.c: portolan-cli's two owner sources, the BPF task-file
 * iterator (root) and the /proc scan (PORTOLAN_TEST_NO_BPF=1, or any
 * failure), against each other.
 *
 * - The holders' rows are the same through both, every field, including
 *   sockets shared with a forked child and SO_REUSEPORT groups that span
 *   the two processes.
 * - When bpf() is refused (a seccomp filter failing it with EPERM), the
 *   /proc scan answers, with the same rows, no note and a quiet stderr.
 * - Nothing is loaded for an unprivileged user: under a filter that kills
 *   the process on any bpf() call, the CLI as nobody runs to its end (so
 *   does root with PORTOLAN_TEST_NO_BPF=1).
 * - In a new PID namespace (unshare --pid --fork --mount-proc) the owners
 *   carry the namespace's PIDs on both paths.
 * - A socket held only by a thread whose group leader has exited is found
 *   by the iterator (/proc/PID/fd is empty then) in the whole table, and
 *   for its port alone by the /proc scan, which reads the threads' own
 *   tables (/proc/PID/task/TID/fd) when sockets are left.
 * - A port with a few sockets goes to the /proc scan first (it does not
 *   walk the whole machine's fds), and to the iterator only for what the
 *   scan leaves without an owner.
 *
 * PORTOLAN_DEBUG_OWNERS=1 makes the CLI say on stderr which source it
 * used; the tests check it, so a silent fallback cannot pass for the BPF
 * path.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "ptl-test-util.h"

#define VIA_BPF "portolan: owners: BPF task-file iterator"
#define VIA_PROC "portolan: owners: /proc scan"
#define VIA_PROC_FIRST "portolan: owners: /proc scan for "

typedef enum
{
  PATH_BPF,
  PATH_PROC,    /* PORTOLAN_TEST_NO_BPF=1 */
  PATH_REFUSED, /* bpf() fails with EPERM */
} OwnerPath;

static const char *const path_names[] = { "BPF", "/proc (test switch)", "/proc (bpf() refused)" };

/* Runs @prefix + @argv with PORTOLAN_DEBUG_OWNERS=1 (when @debug) and the
 * path's switch; returns stdout, with stderr in *@err; exit 0 expected. */
static char *
run (const char *const *prefix, const char *const *argv, OwnerPath path, gboolean debug,
     const PtlTestRefusal *refuse, char **err)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  g_auto (GStrv) env = g_get_environ ();
  PtlTestRefusal eperm = { __NR_bpf, -1, EPERM };
  char *out = NULL;
  GError *error = NULL;
  int status = 0;

  for (guint i = 0; prefix && prefix[i]; i++)
    g_ptr_array_add (args, (gpointer) prefix[i]);
  for (guint i = 0; argv[i]; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);
  env = path == PATH_PROC ? g_environ_setenv (env, "PORTOLAN_TEST_NO_BPF", "1", TRUE)
                          : g_environ_unsetenv (env, "PORTOLAN_TEST_NO_BPF");
  env = debug ? g_environ_setenv (env, "PORTOLAN_DEBUG_OWNERS", "1", TRUE)
              : g_environ_unsetenv (env, "PORTOLAN_DEBUG_OWNERS");
  if (path == PATH_REFUSED)
    refuse = &eperm;
  g_spawn_sync (NULL, (char **) args->pdata, env, G_SPAWN_DEFAULT,
                refuse ? ptl_test_refuse_syscall : NULL, (gpointer) refuse, &out, err, &status,
                &error);
  g_assert_no_error (error);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("%s (%s) -> status %d, stderr: %s", argv[0], path_names[path], status, *err);
  return out;
}

/* Why the BPF path cannot be expected to work here, or NULL. A machine
 * that refuses bpf() itself (EPERM: a container's seccomp profile, a root
 * without CAP_BPF) is a reason to skip; any other failure to load is a
 * failure of ours and fails the tests that need BPF. */
static const char *
bpf_skip_reason (void)
{
#ifndef PTL_BPF_BUILT
  return "built without the BPF owner source (-Dbpf)";
#else
  static char *reason;
  static gboolean probed;
  const char *argv[] = { ptl_test_cli_path (), "list", NULL };
  g_autofree char *err = NULL, *out = NULL;

  if (geteuid () != 0)
    return "needs root to load a BPF program";
  if (!g_file_test ("/sys/kernel/btf/vmlinux", G_FILE_TEST_EXISTS))
    return "the kernel has no BTF (/sys/kernel/btf/vmlinux), which BPF iterators need";
  if (probed)
    return reason;
  probed = TRUE;
  out = run (NULL, argv, PATH_BPF, TRUE, NULL, &err);
  if (strstr (err, "(BPF: not privileged") || strstr (err, "Operation not permitted)"))
    reason = g_strdup_printf ("this machine refuses bpf() to root here: %s", g_strchomp (err));
  return reason;
#endif
}

/* `list --json` through @path; checks stderr names the source used. */
static JsonNode *
list_via (const char *const *prefix, OwnerPath path, const char *want_stderr)
{
  const char *argv[] = { ptl_test_cli_path (), "list", "--json", NULL };
  g_autofree char *err = NULL;
  g_autofree char *out = run (prefix, argv, path, TRUE, NULL, &err);

  if (!g_str_has_prefix (err, want_stderr))
    g_error ("%s: expected stderr \"%s…\", got \"%s\"", path_names[path], want_stderr, err);
  return ptl_test_parse_json ("portolan-cli list --json", out);
}

static gboolean
owned_by (JsonObject *s, GPid a, GPid b)
{
  return ptl_test_socket_has_pid (s, a) || ptl_test_socket_has_pid (s, b);
}

static gint
cmp_pid (gconstpointer a, gconstpointer b)
{
  gint64 x = ptl_test_obj_int (json_node_get_object (*(JsonNode *const *) a), "pid");
  gint64 y = ptl_test_obj_int (json_node_get_object (*(JsonNode *const *) b), "pid");

  return (x > y) - (x < y);
}

/* The owners in PID order: each path lists them in the order it found
 * them, and the /proc scan's order depends on its threads. */
static void
sort_processes (JsonObject *s)
{
  JsonArray *procs = ptl_test_obj_array (s, "processes");
  g_autoptr (GPtrArray) nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  JsonArray *sorted = json_array_new ();

  for (guint i = 0; i < json_array_get_length (procs); i++)
    g_ptr_array_add (nodes, json_array_dup_element (procs, i));
  g_ptr_array_sort (nodes, cmp_pid);
  for (guint i = 0; i < nodes->len; i++)
    json_array_add_element (sorted, json_node_copy (nodes->pdata[i]));
  json_object_set_array_member (s, "processes", sorted);
}

/* inode -> the socket's JSON text, for the sockets @a or @b holds. */
static GHashTable *
rows_of (JsonNode *root, GPid a, GPid b)
{
  GHashTable *rows = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  JsonArray *socks = ptl_test_list_sockets (root);

  for (guint i = 0; i < json_array_get_length (socks); i++)
    {
      JsonObject *s = json_array_get_object_element (socks, i);
      g_autoptr (JsonNode) node = NULL;
      gint64 inode = ptl_test_obj_int (s, "inode");

      if (inode == 0 || !owned_by (s, a, b))
        continue;
      sort_processes (s);
      node = json_node_init_object (json_node_alloc (), s);
      g_hash_table_insert (rows, g_memdup2 (&inode, sizeof inode), json_to_string (node, FALSE));
    }
  return rows;
}

/* The "notes" array of @root as JSON text. */
static char *
notes_text (JsonNode *root)
{
  g_autoptr (JsonNode) node = json_node_init_array (
      json_node_alloc (), ptl_test_obj_array (json_node_get_object (root), "notes"));

  return json_to_string (node, FALSE);
}

/* The same rows, to the byte, in @base and @other (for @a and @b). */
static void
assert_same_rows (JsonNode *base, JsonNode *other, GPid a, GPid b, const char *what)
{
  g_autoptr (GHashTable) br = rows_of (base, a, b), orows = rows_of (other, a, b);
  g_autofree char *bnotes = notes_text (base), *onotes = notes_text (other);
  GHashTableIter it;
  gpointer k, v;

  g_hash_table_iter_init (&it, br);
  while (g_hash_table_iter_next (&it, &k, &v))
    {
      const char *o = g_hash_table_lookup (orows, k);
      if (o == NULL)
        g_error ("%s: inode %" G_GINT64_FORMAT " (%s) has other owners or none", what,
                 *(gint64 *) k, (char *) v);
      g_assert_cmpstr (o, ==, v);
    }
  g_assert_cmpuint (g_hash_table_size (orows), ==, g_hash_table_size (br));
  /* no note says which source answered */
  g_assert_cmpstr (onotes, ==, bnotes);
}

/* ---- the same owners both ways ------------------------------------------------------ */

static const char *const share_specs[]
    = { "--share",        "tcp4-listen", "udp4", "tcp4-pair", "tcp4-reuseport",
        "udp4-reuseport", "tcp6-listen", "udp6", NULL };

/* The holder's rows, shaped as they must be: every socket it opened is
 * held by it and its forked child, the child's own member of each
 * reuseport group by the child alone. Returns how many rows. */
static guint
check_shared_rows (JsonNode *root, PtlTestHolder *h, GPid sharer)
{
  JsonArray *socks = ptl_test_list_sockets (root);
  guint both = 0, only_child = 0;

  for (guint i = 0; i < json_array_get_length (socks); i++)
    {
      JsonObject *s = json_array_get_object_element (socks, i);
      guint n = json_array_get_length (ptl_test_obj_array (s, "processes"));
      gboolean holder = ptl_test_socket_has_pid (s, h->pid);

      if (!owned_by (s, h->pid, sharer))
        continue;
      if (holder)
        {
          g_assert_true (ptl_test_socket_has_pid (s, sharer));
          g_assert_cmpuint (n, ==, 2);
          both++;
        }
      else
        {
          g_assert_cmpuint (n, ==, 1);
          g_assert_cmpint (ptl_test_obj_int (s, "local_port"), ==,
                           g_str_equal (ptl_test_obj_str (s, "protocol"), "tcp")
                               ? ptl_test_holder_port (h, "tcp4-reuseport")
                               : ptl_test_holder_port (h, "udp4-reuseport"));
          only_child++;
        }
    }
  /* listen, udp, a pair (3), two reuseport pairs, and v6 listen and udp
   * when there is IPv6 on loopback */
  g_assert_cmpuint (both, ==, 9 + (ptl_test_have_ipv6_loopback () ? 2 : 0));
  g_assert_cmpuint (only_child, ==, 2);
  return both + only_child;
}

static guint
count_owned (JsonNode *root)
{
  JsonArray *socks = ptl_test_list_sockets (root);
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (socks); i++)
    n += json_array_get_length (
             ptl_test_obj_array (json_array_get_object_element (socks, i), "processes"))
         > 0;
  return n;
}

static void
test_same_owners (void)
{
  const char *why = bpf_skip_reason ();
  g_autofree const char **specs = ptl_test_usable_specs (share_specs);
  g_autoptr (PtlTestHolder) h = NULL;
  g_autoptr (JsonNode) bpf = NULL, proc = NULL, refused = NULL, bpf2 = NULL;
  GPid sharer;
  guint rows;

  if (why != NULL)
    {
      g_test_skip (why);
      return;
    }
  h = ptl_test_holder_start_full (NULL, ptl_test_holder_path (), specs);
  sharer = (GPid) ptl_test_holder_port (h, "sharer"); /* its line is "sharer PID" */
  bpf = list_via (NULL, PATH_BPF, VIA_BPF);
  proc = list_via (NULL, PATH_PROC, VIA_PROC " (BPF: PORTOLAN_TEST_NO_BPF is set)");
  refused = list_via (NULL, PATH_REFUSED,
                      VIA_PROC " (BPF: loading the program: Operation not permitted)");
  bpf2 = list_via (NULL, PATH_BPF, VIA_BPF);
  rows = check_shared_rows (bpf, h, sharer);
  assert_same_rows (bpf, proc, h->pid, sharer, path_names[PATH_PROC]);
  assert_same_rows (bpf, refused, h->pid, sharer, path_names[PATH_REFUSED]);
  assert_same_rows (bpf, bpf2, h->pid, sharer, "BPF again");
  g_test_message ("%u rows of the holder and its child, identical (pid, inode) through BPF and "
                  "/proc, and through /proc with bpf() refused",
                  rows);
  /* The whole machine, for the record: other programs come and go. */
  g_test_message ("rows with owners on the whole machine: BPF %u, /proc %u, refused %u, BPF %u",
                  count_owned (bpf), count_owned (proc), count_owned (refused), count_owned (bpf2));
}

/* ---- refused: no note, nothing on stderr ------------------------------------------ */

static void
test_refused_quietly (void)
{
  const char *argv[] = { ptl_test_cli_path (), "list", "--json", NULL };
  g_autofree char *err = NULL, *out = NULL, *base_err = NULL, *base_out = NULL;
  g_autoptr (JsonNode) root = NULL, base = NULL;
  g_autofree char *notes = NULL, *base_notes = NULL;

  if (!ptl_test_can_refuse_syscalls ())
    {
      g_test_skip ("no seccomp filter for this architecture");
      return;
    }
  base_out = run (NULL, argv, PATH_BPF, FALSE, NULL, &base_err);
  out = run (NULL, argv, PATH_REFUSED, FALSE, NULL, &err);
  g_assert_cmpstr (base_err, ==, "");
  g_assert_cmpstr (err, ==, "");
  base = ptl_test_parse_json ("portolan-cli list --json", base_out);
  root = ptl_test_parse_json ("portolan-cli list --json (bpf() refused)", out);
  base_notes = notes_text (base);
  notes = notes_text (root);
  g_assert_cmpstr (notes, ==, base_notes);
}

/* ---- nothing loaded without privileges ---------------------------------------------- */

static void
test_nothing_loaded (void)
{
  g_autofree char *reason = ptl_test_nobody_skip_reason ();
  g_autofree const char **specs
      = ptl_test_usable_specs ((const char *const[]){ "tcp4-listen", "udp6", NULL });
  const PtlTestRefusal kill_on_bpf = { __NR_bpf, -1, 0 };
  const char *argv[] = { NULL, "list", "--json", NULL };
  g_autoptr (PtlTestHolder) h = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *err = NULL, *out = NULL, *err2 = NULL, *out2 = NULL;
  JsonObject *s;

  if (reason != NULL || !ptl_test_can_refuse_syscalls ())
    {
      g_test_skip (reason ? reason : "no seccomp filter for this architecture");
      return;
    }
  argv[0] = ptl_test_cli_path ();
  h = ptl_test_holder_start_full (ptl_test_nobody_prefix (), ptl_test_holder_path (), specs);
  /* Any bpf() call would kill the CLI: run() would see the signal. */
  out = run (ptl_test_nobody_prefix (), argv, PATH_BPF, TRUE, &kill_on_bpf, &err);
#ifdef PTL_BPF_BUILT
  g_assert_true (g_str_has_prefix (err, VIA_PROC " (BPF: not privileged"));
#else
  g_assert_true (g_str_has_prefix (err, VIA_PROC));
#endif
  root = ptl_test_parse_json ("portolan-cli list --json", out);
  s = ptl_test_expect_socket (ptl_test_list_sockets (root),
                              &(PtlTestSockKey){ "tcp", "ipv4", "127.0.0.1", "LISTEN",
                                                 ptl_test_holder_port (h, "tcp4-listen"), 0 });
  ptl_test_assert_owner (s, h->pid, "nobody");
  out2 = run (NULL, argv, PATH_PROC, TRUE, &kill_on_bpf, &err2);
  g_assert_true (g_str_has_prefix (err2, VIA_PROC));
}

/* ---- a PID namespace of its own ---------------------------------------------------- */

/* `unshare --pid --fork --mount-proc holder --share tcp4-listen
 * tcp4-reuseport --then portolan-cli list --json`: the holder is PID 1
 * there, its child PID 2. Returns the CLI's JSON. */
static JsonNode *
list_in_namespace (const char *unshare, OwnerPath path, const char *want_stderr)
{
  const char *argv[] = { unshare,
                         "--pid",
                         "--fork",
                         "--mount-proc",
                         ptl_test_holder_path (),
                         "--share",
                         "tcp4-listen",
                         "tcp4-reuseport",
                         "--then",
                         ptl_test_cli_path (),
                         "list",
                         "--json",
                         NULL };
  g_autofree char *err = NULL;
  g_autofree char *out = run (NULL, argv, path, TRUE, NULL, &err);
  char *json = strstr (out, "ready\n");

  g_assert_nonnull (json);
  g_assert_nonnull (strstr (out, "sharer 2\n"));
  if (!g_str_has_prefix (err, want_stderr))
    g_error ("in a PID namespace, %s: expected stderr \"%s…\", got \"%s\"", path_names[path],
             want_stderr, err);
  return ptl_test_parse_json ("portolan-cli list --json (in a PID namespace)", json + 6);
}

static guint
check_namespace_rows (JsonNode *root)
{
  JsonArray *socks = ptl_test_list_sockets (root);
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (socks); i++)
    {
      JsonObject *s = json_array_get_object_element (socks, i);
      JsonArray *procs = ptl_test_obj_array (s, "processes");

      if (!owned_by (s, 1, 2))
        continue;
      n++;
      for (guint k = 0; k < json_array_get_length (procs); k++)
        {
          JsonObject *p = json_array_get_object_element (procs, k);
          g_assert_cmpint (ptl_test_obj_int (p, "pid"), <=, 3); /* 3: the CLI */
          g_assert_cmpstr (ptl_test_obj_str (p, "name"), ==, "ptl-test-holder");
        }
    }
  return n;
}

static void
test_pid_namespace (void)
{
  const char *why = bpf_skip_reason ();
  g_autofree char *unshare = g_find_program_in_path ("unshare");
  g_autoptr (JsonNode) bpf = NULL, proc = NULL;
  guint rows;

  if (why == NULL && unshare == NULL)
    why = "unshare (util-linux) is not installed";
  if (why != NULL)
    {
      g_test_skip (why);
      return;
    }
  bpf = list_in_namespace (unshare, PATH_BPF, VIA_BPF);
  proc = list_in_namespace (unshare, PATH_PROC, VIA_PROC);
  /* listener (both), reuseport pair (both), the child's member (child) */
  rows = check_namespace_rows (bpf);
  g_assert_cmpuint (rows, ==, 4);
  g_assert_cmpuint (check_namespace_rows (proc), ==, rows);
  /* The two runs had holders of their own: compare the shape, not inodes. */
  for (guint pass = 0; pass < 2; pass++)
    {
      JsonArray *socks = ptl_test_list_sockets (pass ? proc : bpf);
      guint pids_sum = 0;

      for (guint i = 0; i < json_array_get_length (socks); i++)
        {
          JsonObject *s = json_array_get_object_element (socks, i);
          JsonArray *procs = ptl_test_obj_array (s, "processes");
          if (owned_by (s, 1, 2))
            for (guint k = 0; k < json_array_get_length (procs); k++)
              pids_sum
                  += (guint) ptl_test_obj_int (json_array_get_object_element (procs, k), "pid");
        }
      /* 3 rows held by 1 and 2, one by 2 alone */
      g_assert_cmpuint (pids_sum, ==, 3 * 3 + 2);
    }
  g_test_message ("in a new PID namespace: %u rows owned by PIDs 1 and 2 on both paths", rows);
}

/* `PORT --json` through @path; checks stderr names the source used. */
static JsonNode *
port_via (guint port, OwnerPath path, const char *want_prefix, const char *want_part)
{
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  const char *argv[] = { ptl_test_cli_path (), port_text, "--json", NULL };
  g_autofree char *err = NULL;
  g_autofree char *out = run (NULL, argv, path, TRUE, NULL, &err);

  if (!g_str_has_prefix (err, want_prefix) || (want_part && !strstr (err, want_part)))
    g_error ("port %u, %s: expected stderr \"%s…%s…\", got \"%s\"", port, path_names[path],
             want_prefix, want_part ? want_part : "", err);
  return ptl_test_parse_json ("portolan-cli PORT --json", out);
}

/* ---- a few sockets: /proc first ----------------------------------------------------- */

static void
test_few_sockets_proc_first (void)
{
  const char *why = bpf_skip_reason ();
  g_autoptr (PtlTestHolder) h = NULL;
  g_autoptr (JsonNode) root = NULL;
  PtlTestSockKey key = { "tcp", "ipv4", "127.0.0.1", "LISTEN", 0, 0 };

  if (why != NULL)
    {
      g_test_skip (why);
      return;
    }
  h = ptl_test_holder_start ("tcp4-listen");
  key.port = ptl_test_holder_port (h, "tcp4-listen");
  root = port_via (key.port, PATH_BPF, VIA_PROC_FIRST, "all found");
  ptl_test_assert_owner (ptl_test_expect_socket (ptl_test_list_sockets (root), &key), h->pid,
                         "root");
}

/* ---- a socket left to a thread ------------------------------------------------------- */

static void
test_leader_exited (void)
{
  const char *why = bpf_skip_reason ();
  g_autoptr (PtlTestHolder) h = NULL;
  g_autoptr (JsonNode) bpf = NULL, proc = NULL, one = NULL;
  PtlTestSockKey key = { "tcp", "ipv4", "127.0.0.1", "LISTEN", 0, 0 };
  g_autofree char *state = NULL;
  g_autofree char *status_path = NULL;
  JsonObject *s;

  if (why != NULL)
    {
      g_test_skip (why);
      return;
    }
  h = ptl_test_holder_start ("--leader-exits", "tcp4-listen");
  key.port = ptl_test_holder_port (h, "tcp4-listen");
  /* Wait until the leader is a zombie: then /proc/PID/fd is empty. */
  status_path = g_strdup_printf ("/proc/%d/stat", h->pid);
  for (guint i = 0; i < 500; i++)
    {
      g_autofree char *text = NULL;
      if (g_file_get_contents (status_path, &text, NULL, NULL) && strstr (text, ") Z "))
        {
          state = g_strdup ("Z");
          break;
        }
      g_usleep (10000);
    }
  g_assert_cmpstr (state, ==, "Z");
  bpf = list_via (NULL, PATH_BPF, VIA_BPF);
  s = ptl_test_expect_socket (ptl_test_list_sockets (bpf), &key);
  ptl_test_assert_owner (s, h->pid, "root");
  /* Its port alone: the /proc scan finds it in the thread's own table. */
  one = port_via (key.port, PATH_BPF, VIA_PROC_FIRST, "all found");
  s = ptl_test_expect_socket (ptl_test_list_sockets (one), &key);
  ptl_test_assert_owner (s, h->pid, "root");
  /* And so does the /proc path for the whole table. */
  proc = list_via (NULL, PATH_PROC, VIA_PROC);
  s = ptl_test_expect_socket (ptl_test_list_sockets (proc), &key);
  ptl_test_assert_owner (s, h->pid, "root");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/portolan/cli/bpf/same-owners", test_same_owners);
  g_test_add_func ("/portolan/cli/bpf/refused-quietly", test_refused_quietly);
  g_test_add_func ("/portolan/cli/bpf/nothing-loaded-unprivileged", test_nothing_loaded);
  g_test_add_func ("/portolan/cli/bpf/pid-namespace", test_pid_namespace);
  g_test_add_func ("/portolan/cli/bpf/leader-exited", test_leader_exited);
  g_test_add_func ("/portolan/cli/bpf/few-sockets-proc-first", test_few_sockets_proc_first);

  return g_test_run ();
}
