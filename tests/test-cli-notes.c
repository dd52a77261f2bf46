/* test-cli-notes.c: what portolan-cli says about a socket whose owner is
 * not a plain process, in each situation built for real by
 * ptl-test-situations, next to what ss and lsof -K show where they see
 * the same thing.
 *
 * - a listener only a thread holds, its main thread exited (lsof -K
 *   finds it; ss -p does not);
 * - connections waiting in a listener's accept queue (ss shows them
 *   without a process, and the listener's Recv-Q);
 * - a listener passed in an SCM_RIGHTS message nobody received;
 * - fd tables that refuse even root (a process that is not dumpable, read
 *   by a root without CAP_SYS_PTRACE), and a CLI in a PID namespace of
 *   its own;
 * - as nobody: a socket of nobody's held by root, a listener shared by a
 *   root master and a nobody worker, a socket in a cgroup named like a
 *   unit (compared with ss --cgroup), and a query for one protocol when
 *   the other listens on a privileged port;
 * - the /proc fallback with a link-local IPv6 listener;
 * - a process with a hostile name, through every command.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ptl-test-util.h"

#define NOTE_ACCEPT "no owner yet: waiting in the listener's accept queue"
#define NOTE_NO_PROCESS "held by no process that can be seen"
#define NOTE_UNREADABLE "owner not found: some processes' fd tables could not be read"
#define NOTE_OTHER_PIDNS "owner not seen: it may be a process outside this PID namespace"
#define NOTE_HIDDEN "owner hidden: needs root"

#define start_situation(...) ptl_test_situation_start (__VA_ARGS__)

static guint
listen_port (PtlTestHolder *h)
{
  return ptl_test_holder_port (h, "listen");
}

/* The one socket of `list --port PORT --json` in state @state (NULL: LISTEN). */
static JsonObject *
only_socket (JsonNode *root, guint port, const char *state)
{
  PtlTestSockKey key = { .protocol = "tcp", .port = port, .state = state ? state : "LISTEN" };

  return ptl_test_expect_socket (ptl_test_list_sockets (root), &key);
}

static JsonNode *
list_port (const PtlTestCliCtx *ctx, guint port)
{
  g_autofree char *p = g_strdup_printf ("%u", port);

  return ptl_test_cli_json_ctx (ctx, (const char *const[]){ "list", "--port", p, "--json", NULL });
}

static gboolean
skip_unless_root (void)
{
  if (geteuid () == 0)
    return FALSE;
  g_test_skip ("needs root: the situation or the reading needs privileges");
  return TRUE;
}

static gboolean
skip_without_nobody (void)
{
  g_autofree char *why = ptl_test_nobody_skip_reason ();

  if (why == NULL)
    return FALSE;
  g_test_skip (why);
  return TRUE;
}

/* Output of a program run with an argument vector; NULL when it is not installed. */
static char *
run_tool (const char *const *args)
{
  g_autofree char *path = g_find_program_in_path (args[0]);
  g_autofree const char **argv = NULL;
  char *out = NULL;
  guint n = g_strv_length ((char **) args);

  if (path == NULL)
    return NULL;
  argv = g_new0 (const char *, n + 1);
  argv[0] = path;
  for (guint i = 1; i < n; i++)
    argv[i] = args[i];
  ptl_test_spawn_sync (NULL, argv, NULL, &out, NULL);
  return out;
}

/* A program's full path for a prefix (g_spawn does not search PATH here);
 * "" when it is not installed, so the run fails loudly. */
static const char *
tool (const char *name)
{
  static GHashTable *paths;
  char *path;

  if (paths == NULL)
    paths = g_hash_table_new (g_str_hash, g_str_equal);
  if ((path = g_hash_table_lookup (paths, name)) == NULL)
    {
      path = g_find_program_in_path (name);
      g_hash_table_insert (paths, (gpointer) name, path ? path : g_strdup (""));
    }
  return path ? path : "";
}

/* ---- a thread holder --------------------------------------------------------------- */

static void
test_thread_holder (void)
{
  g_autoptr (PtlTestHolder) h = start_situation ("thread");
  guint port = listen_port (h);
  gint64 tid = ptl_test_holder_port (h, "tid");
  g_autofree char *sel = g_strdup_printf ("-iTCP:%u", port);
  g_autofree char *lsof = run_tool ((const char *const[]){ "lsof", "-K", "-a", "-nP", sel, NULL });
  g_autoptr (JsonNode) root = list_port (NULL, port);
  JsonObject *s = only_socket (root, port, NULL), *p;
  JsonArray *procs = ptl_test_obj_array (s, "processes");

  g_assert_cmpuint (json_array_get_length (procs), ==, 1);
  p = json_array_get_object_element (procs, 0);
  g_assert_cmpint (ptl_test_obj_int (p, "pid"), ==, h->pid);
  g_assert_cmpint (ptl_test_obj_int (p, "thread"), ==, tid);
  g_assert_true (ptl_test_obj_bool (p, "main_thread_exited"));
  g_assert_true (json_node_is_null (json_object_get_member (s, "owner_note")));
  /* lsof -K reads the threads' tables too and names the same PID and TID. */
  if (lsof == NULL)
    g_test_message ("lsof is not installed: no comparison");
  else
    {
      g_autofree char *want = g_strdup_printf (" %d %" G_GINT64_FORMAT " ", h->pid, tid);
      g_test_message ("lsof -K: %s", lsof);
      g_assert_nonnull (strstr (lsof, want));
    }
}

/* ---- the accept queue ------------------------------------------------------------- */

/* ss's Recv-Q of the listener on @port (its accept queue); -1 without ss. */
static int
ss_listener_queue (guint port, guint *estab_rows)
{
  g_autofree char *filter = g_strdup_printf ("sport = :%u", port);
  g_autofree char *out = run_tool ((const char *const[]){ "ss", "-Htan", filter, NULL });
  g_auto (GStrv) lines = out ? g_strsplit (out, "\n", -1) : NULL;
  int queue = -1;

  *estab_rows = 0;
  for (guint i = 0; lines && lines[i]; i++)
    {
      int q;
      if (sscanf (lines[i], "LISTEN %d", &q) == 1)
        queue = q;
      *estab_rows += g_str_has_prefix (lines[i], "ESTAB");
    }
  return queue;
}

static void
test_accept_queue (void)
{
  g_autoptr (PtlTestHolder) h = start_situation ("accept-queue", "3");
  guint port = listen_port (h), estab = 0, waiting = 0;
  g_autoptr (JsonNode) root = list_port (NULL, port);
  JsonArray *socks = ptl_test_list_sockets (root);
  g_autofree char *detail_start
      = g_strdup_printf ("listener 127.0.0.1:%u, 3 waiting, held by ", port);
  g_autofree char *holder = g_strdup_printf ("(PID %d)", h->pid);
  int queue = ss_listener_queue (port, &estab);

  for (guint i = 0; i < json_array_get_length (socks); i++)
    {
      JsonObject *s = json_array_get_object_element (socks, i);
      const char *detail;

      if (g_strcmp0 (ptl_test_obj_str (s, "state"), "ESTABLISHED") != 0
          || ptl_test_obj_int (s, "local_port") != port)
        continue;
      /* The server ends: no program has them; the listener's owner is named. */
      g_assert_cmpuint (json_array_get_length (ptl_test_obj_array (s, "processes")), ==, 0);
      g_assert_cmpint (ptl_test_obj_int (s, "inode"), ==, 0);
      g_assert_cmpstr (ptl_test_obj_str (s, "owner_note"), ==, NOTE_ACCEPT);
      detail = ptl_test_obj_str (s, "owner_detail");
      g_assert_true (g_str_has_prefix (detail, detail_start));
      g_assert_nonnull (strstr (detail, holder));
      waiting++;
    }
  g_assert_cmpuint (waiting, ==, 3);
  if (queue < 0)
    g_test_message ("ss is not installed: no comparison");
  else
    {
      /* ss: the listener's Recv-Q is its accept queue, and the same rows. */
      g_assert_cmpint (queue, ==, 3);
      g_assert_cmpuint (estab, ==, 3);
    }
}

/* ---- a socket in flight, and fd tables that refuse root ------------------------------ */

/* A PID the note names as unreadable must really refuse us (EACCES). */
static void
assert_named_pids_refuse (const char *detail, const char *const *prefix)
{
  const char *p = detail;
  long pid;

  while ((p = strstr (p, "PID ")) != NULL)
    {
      g_autofree char *link = NULL;
      char *end;

      pid = strtol (p + 4, &end, 10);
      p = end;
      link = g_strdup_printf ("/proc/%ld/fd/0", pid);
      if (prefix == NULL)
        {
          char buf[64];
          g_assert_cmpint (readlink (link, buf, sizeof buf), <, 0);
          g_assert_cmpint (errno, ==, EACCES);
        }
    }
}

static void
test_in_flight (void)
{
  g_autoptr (PtlTestHolder) h = NULL;
  g_autoptr (JsonNode) root = NULL;
  JsonObject *s;
  const char *note;

  if (skip_unless_root ())
    return;
  h = start_situation ("in-flight");
  root = list_port (NULL, listen_port (h));
  s = only_socket (root, listen_port (h), NULL);
  g_assert_cmpuint (json_array_get_length (ptl_test_obj_array (s, "processes")), ==, 0);
  g_assert_cmpint (ptl_test_obj_int (s, "inode"), >, 0);
  note = ptl_test_obj_str (s, "owner_note");
  /* Where some fd table refuses even root (PID 1 on some machines), it
   * may be the holder: the note names those tables instead. */
  if (g_str_has_prefix (note, NOTE_UNREADABLE))
    {
      g_test_message ("%s (%s)", note, ptl_test_obj_str (s, "owner_detail"));
      assert_named_pids_refuse (ptl_test_obj_str (s, "owner_detail"), NULL);
    }
  else
    g_assert_true (g_str_has_prefix (note, NOTE_NO_PROCESS));
  g_assert_null (strstr (note, "exited"));
}

static void
test_unreadable_table (void)
{
  const char *const no_ptrace[]
      = { tool ("setpriv"), "--bounding-set", "-sys_ptrace", "--inh-caps", "-sys_ptrace", NULL };
  /* The /proc path: the BPF walk (root keeps CAP_BPF) reads every table. */
  g_auto (GStrv) env = g_environ_setenv (g_get_environ (), "PORTOLAN_TEST_NO_BPF", "1", TRUE);
  PtlTestCliCtx ctx = { .prefix = no_ptrace, .envp = env };
  g_autoptr (PtlTestHolder) h = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *pid = NULL, *setpriv = g_find_program_in_path ("setpriv");
  const char *detail;
  JsonObject *s;

  if (skip_unless_root ())
    return;
  if (setpriv == NULL)
    {
      g_test_skip ("setpriv (util-linux) is not installed");
      return;
    }
  h = start_situation ("nondumpable");
  root = list_port (&ctx, listen_port (h));
  s = only_socket (root, listen_port (h), NULL);
  g_assert_cmpuint (json_array_get_length (ptl_test_obj_array (s, "processes")), ==, 0);
  g_assert_cmpstr (ptl_test_obj_str (s, "owner_note"), ==, NOTE_UNREADABLE);
  detail = ptl_test_obj_str (s, "owner_detail");
  g_test_message ("detail: %s", detail);
  g_assert_nonnull (strstr (detail, "Permission denied"));
  /* Named in full when few refuse; counted past three. */
  pid = g_strdup_printf ("PID %d (ptl-test-situat)", h->pid);
  if (strstr (detail, "more") == NULL)
    g_assert_nonnull (strstr (detail, pid));
}

static void
test_other_pid_namespace (void)
{
  const char *const pidns[] = { tool ("unshare"), "--pid", "--fork", "--mount-proc", "--", NULL };
  PtlTestCliCtx ctx = { .prefix = pidns };
  const char *probe[]
      = { tool ("unshare"), "--pid", "--fork", "--mount-proc", tool ("true"), NULL };
  g_autoptr (PtlTestHolder) h = NULL;
  g_autoptr (JsonNode) root = NULL;
  JsonObject *s;

  if (skip_unless_root ())
    return;
  if (ptl_test_spawn_sync (NULL, probe, NULL, NULL, NULL) != 0)
    {
      g_test_skip ("unshare --pid --mount-proc fails here (no util-linux, or / is not a mount "
                   "point, as in a chroot)");
      return;
    }
  h = start_situation ("nondumpable");
  root = list_port (&ctx, listen_port (h));
  s = only_socket (root, listen_port (h), NULL);
  g_assert_cmpuint (json_array_get_length (ptl_test_obj_array (s, "processes")), ==, 0);
  g_assert_cmpstr (ptl_test_obj_str (s, "owner_note"), ==, NOTE_OTHER_PIDNS);
}

/* ---- as nobody ---------------------------------------------------------------------- */

static void
test_our_socket_held_by_root (void)
{
  PtlTestCliCtx ctx = { .prefix = ptl_test_nobody_prefix () };
  g_autoptr (PtlTestHolder) h = NULL;
  g_autoptr (JsonNode) root = NULL;
  JsonObject *s;

  if (skip_without_nobody ())
    return;
  h = start_situation ("fsuid", "65534");
  root = list_port (&ctx, listen_port (h));
  s = only_socket (root, listen_port (h), NULL);
  g_assert_cmpstr (ptl_test_obj_str (s, "user"), ==, "nobody");
  g_assert_cmpuint (json_array_get_length (ptl_test_obj_array (s, "processes")), ==, 0);
  g_assert_cmpstr (ptl_test_obj_str (s, "owner_note"), ==, NOTE_HIDDEN);
  g_assert_true (g_str_has_prefix (ptl_test_obj_str (s, "owner_detail"), "socket of user nobody"));
}

static void
test_partial_holders (void)
{
  PtlTestCliCtx nobody = { .prefix = ptl_test_nobody_prefix () };
  g_autoptr (PtlTestHolder) h = NULL;
  g_autoptr (JsonNode) as_nobody = NULL, as_root = NULL;
  g_autofree char *port = NULL, *text = NULL, *list = NULL, *root_list = NULL, *raw = NULL;
  g_autofree char *master = NULL, *worker = NULL;
  JsonObject *s;
  JsonArray *procs;

  if (skip_without_nobody ())
    return;
  h = start_situation ("workers", "65534");
  port = g_strdup_printf ("%u", listen_port (h));
  as_nobody = list_port (&nobody, listen_port (h));
  s = only_socket (as_nobody, listen_port (h), NULL);
  procs = ptl_test_obj_array (s, "processes");
  g_assert_cmpuint (json_array_get_length (procs), ==, 1);
  g_assert_cmpint (ptl_test_obj_int (json_array_get_object_element (procs, 0), "pid"), ==,
                   ptl_test_holder_port (h, "worker"));
  g_assert_true (ptl_test_obj_bool (s, "owners_partial"));
  /* The text says so, and shows each process with its own user. */
  ptl_test_cli_runv (&nobody, (const char *const[]){ port, NULL }, &raw, NULL);
  text = ptl_test_flatten (raw);
  g_assert_nonnull (strstr (text, "Other holders may be hidden"));
  g_assert_nonnull (strstr (text, "user nobody)"));
  g_clear_pointer (&raw, g_free);
  ptl_test_cli_runv (&nobody, (const char *const[]){ "list", "--port", port, NULL }, &raw, NULL);
  list = ptl_test_flatten (raw);
  g_assert_nonnull (strstr (list, "(nobody); others may be hidden"));
  /* Root sees both, each with its own user, and nothing is partial. */
  as_root = list_port (NULL, listen_port (h));
  s = only_socket (as_root, listen_port (h), NULL);
  g_assert_cmpuint (json_array_get_length (ptl_test_obj_array (s, "processes")), ==, 2);
  g_assert_false (json_object_has_member (s, "owners_partial"));
  g_clear_pointer (&raw, g_free);
  ptl_test_cli_run (&raw, NULL, "list", "--port", port);
  root_list = ptl_test_flatten (raw);
  master = g_strdup_printf ("%d/ptl-test-situat (root)", h->pid);
  worker = g_strdup_printf ("%u/ptl-test-situat (nobody)", ptl_test_holder_port (h, "worker"));
  g_assert_nonnull (strstr (root_list, master));
  g_assert_nonnull (strstr (root_list, worker));
}

static void
test_cgroup_hint (void)
{
  PtlTestCliCtx ctx = { .prefix = ptl_test_nobody_prefix () };
  g_autofree char *why = NULL, *ss = NULL, *filter = NULL, *want = NULL, *path = NULL;
  g_autoptr (PtlTestHolder) h = NULL;
  g_autoptr (JsonNode) root = NULL;
  PtlTestUnitCgroup *cg;
  JsonObject *s;

  if (skip_without_nobody ())
    return;
  /* A cgroup named like a unit, as systemd would make for a service. */
  if ((cg = ptl_test_unit_cgroup_new ("ptl-test", &why)) == NULL)
    {
      g_test_skip (why);
      return;
    }
  h = start_situation ("cgroup", cg->dir);
  root = list_port (&ctx, listen_port (h));
  s = only_socket (root, listen_port (h), NULL);
  g_assert_cmpstr (ptl_test_obj_str (s, "owner_note"), ==, NOTE_HIDDEN);
  want = g_strdup_printf ("socket of user root, in %s", cg->unit);
  g_assert_cmpstr (ptl_test_obj_str (s, "owner_detail"), ==, want);
  g_assert_cmpstr (ptl_test_obj_str (s, "unit"), ==, cg->unit);
  /* ss --cgroup shows the same cgroup for the socket. */
  filter = g_strdup_printf ("sport = :%u", listen_port (h));
  ss = run_tool ((const char *const[]){ "ss", "-Htln", "--cgroup", filter, NULL });
  path = g_strdup_printf ("cgroup:/ptl-test-%d.slice/%s", (int) getpid (), cg->unit);
  if (ss != NULL && strstr (ss, "cgroup:") != NULL)
    g_assert_nonnull (strstr (ss, path));
  ptl_test_holder_free (g_steal_pointer (&h));
  ptl_test_unit_cgroup_free (cg);
}

/* ---- in a network namespace of its own ---------------------------------------------- */

static PtlTestHolder *
start_in_netns (const char *const *situation)
{
  return ptl_test_situation_start_netns (situation);
}

static void
test_protocol_restricted (void)
{
  g_autoptr (PtlTestHolder) h = NULL;
  g_autoptr (JsonNode) udp = NULL, both = NULL;
  g_autofree char *ns = NULL;
  const char *prefix[16];
  guint n = 0;

  if (skip_without_nobody ())
    return;
  /* A TCP listener on port 80, where nothing else can be. */
  if ((h = start_in_netns ((const char *const[]){ "port", "80", NULL })) == NULL)
    {
      g_test_skip ("unshare --net fails here");
      return;
    }
  ns = g_strdup_printf ("--net=/proc/%d/ns/net", h->pid);
  prefix[n++] = tool ("nsenter");
  prefix[n++] = ns;
  prefix[n++] = "--";
  for (guint i = 0; ptl_test_nobody_prefix ()[i]; i++)
    prefix[n++] = ptl_test_nobody_prefix ()[i];
  prefix[n] = NULL;
  {
    PtlTestCliCtx ctx = { .prefix = prefix };
    JsonObject *r;

    /* Asked about udp only, nobody's bind fails for lack of privilege:
     * the tcp listener still makes tcp not free. */
    udp = ptl_test_cli_json_ctx (&ctx, (const char *const[]){ "80/udp", "--json", NULL });
    r = json_node_get_object (udp);
    g_assert_false (ptl_test_obj_bool (ptl_test_obj_object (r, "free"), "tcp"));
    g_assert_true (ptl_test_obj_bool (ptl_test_obj_object (r, "free"), "udp"));
    g_assert_cmpstr (ptl_test_obj_str (ptl_test_obj_object (r, "bind"), "tcp"), ==,
                     "needs-privilege");
    g_assert_cmpuint (json_array_get_length (ptl_test_obj_array (r, "sockets")), ==, 0);
    both = ptl_test_cli_json_ctx (&ctx, (const char *const[]){ "80", "--json", NULL });
    r = json_node_get_object (both);
    g_assert_false (ptl_test_obj_bool (ptl_test_obj_object (r, "free"), "tcp"));
    g_assert_cmpuint (json_array_get_length (ptl_test_obj_array (r, "sockets")), ==, 1);
  }
}

static void
test_zone_in_fallback (void)
{
  g_autoptr (PtlTestHolder) h = NULL;
  g_autofree char *ns = NULL, *port = NULL, *with = NULL, *without = NULL;
  char *env_fallback[] = { "PORTOLAN_TEST_NO_NETLINK=1", NULL };
  const char *prefix[4];

  if (skip_unless_root ())
    return;
  if ((h = start_in_netns ((const char *const[]){ "link-local", NULL })) == NULL)
    {
      g_test_skip ("unshare --net fails here");
      return;
    }
  ns = g_strdup_printf ("--net=/proc/%d/ns/net", h->pid);
  prefix[0] = tool ("nsenter"), prefix[1] = ns, prefix[2] = "--", prefix[3] = NULL;
  port = g_strdup_printf ("%u", listen_port (h));
  {
    PtlTestCliCtx netlink = { .prefix = prefix },
                  fallback = { .prefix = prefix, .envp = env_fallback };

    ptl_test_cli_runv (&netlink, (const char *const[]){ "list", "--port", port, NULL }, &with,
                       NULL);
    ptl_test_cli_runv (&fallback, (const char *const[]){ "list", "--port", port, NULL }, &without,
                       NULL);
  }
  g_test_message ("netlink:\n%s\n/proc/net:\n%s", with, without);
  g_assert_nonnull (strstr (with, "[fe80::1%lo]:"));
  g_assert_null (strstr (without, "%lo"));
  g_assert_nonnull (strstr (without, "[fe80::1]:"));
  g_assert_nonnull (strstr (without, "without their %zone"));
  g_assert_null (strstr (with, "without their %zone"));
}

/* ---- hostile names ------------------------------------------------------------------- */

/* ---- check with SO_REUSEPORT holders -------------------------------------------- */

/* Four processes, each with its own SO_REUSEPORT listener on the port:
 * check names each of them once, and they are the ones ss -p sees. */
static void
test_check_reuseport (void)
{
  g_autoptr (PtlTestHolder) h = start_situation ("reuseport", "4");
  g_autofree char *port = g_strdup_printf ("%u", listen_port (h));
  g_autofree char *filter = g_strdup_printf ("sport = :%s", port);
  g_autofree char *check = NULL, *ss = NULL;
  g_autoptr (GRegex) re = g_regex_new ("pid=([0-9]+),", 0, 0, NULL);
  g_autoptr (GMatchInfo) m = NULL;
  guint seen = 0;

  g_assert_cmpint (ptl_test_cli_run (&check, NULL, "check", port), ==, 1);
  g_test_message ("check: %s", check);
  ss = run_tool ((const char *const[]){ "ss", "-Htlnp", filter, NULL });
  if (ss == NULL)
    {
      g_test_skip ("ss (iproute2) is not installed to compare with");
      return;
    }
  g_test_message ("ss: %s", ss);
  for (g_regex_match (re, ss, 0, &m); g_match_info_matches (m); g_match_info_next (m, NULL))
    {
      g_autofree char *pid = g_match_info_fetch (m, 1);
      g_autofree char *named = g_strdup_printf (" %s/", pid);
      const char *at = strstr (check, named);

      g_assert_nonnull (at);
      g_assert_null (strstr (at + 1, named)); /* once */
      seen++;
    }
  g_assert_cmpuint (seen, ==, 4);
}

/* No escape, no bidi control, no C1 byte: what reaches a terminal is text. */
static void
assert_terminal_safe (const char *what, const char *text)
{
  g_test_message ("%s: %s", what, text);
  g_assert_null (strchr (text, '\x1b'));
  g_assert_null (strstr (text, "\xe2\x80\xae"));
  g_assert_null (strstr (text, "\xc2\x9b"));
  g_assert_nonnull (strstr (text, "?[31mev?il"));
}

static void
test_hostile_names (void)
{
  /* ESC [ 3 1 m e v \n i l RLO: 14 bytes, what the kernel keeps of a name. */
  const char *name = "\x1b[31mev\nil\xe2\x80\xae";
  g_autoptr (PtlTestHolder) h = start_situation ("name", name);
  g_autofree char *port = g_strdup_printf ("%u", listen_port (h));
  g_autofree char *report = NULL, *list = NULL, *check = NULL, *kill_out = NULL, *kill_err = NULL;
  g_autofree char *json = NULL;

  ptl_test_cli_run (&report, NULL, port);
  assert_terminal_safe ("report", report);
  ptl_test_cli_run (&list, NULL, "list", "--port", port);
  assert_terminal_safe ("list", list);
  g_assert_cmpint (ptl_test_cli_run (&check, NULL, "check", port), ==, 1);
  assert_terminal_safe ("check", check);
  /* JSON escapes the same bytes. */
  ptl_test_cli_run (&json, NULL, "list", "--port", port, "--json");
  g_assert_nonnull (strstr (json, "\\u001b[31mev\\nil"));
  g_assert_null (strchr (json, '\x1b'));
  /* kill names it while it shows what it ends, and when it has. */
  g_assert_cmpint (ptl_test_cli_run (&kill_out, &kill_err, "kill", port, "--yes"), ==, 0);
  assert_terminal_safe ("kill", kill_out);
  g_assert_null (strchr (kill_err, '\x1b'));
  g_assert_true (ptl_test_holder_wait (h, 5000));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/portolan/notes/thread-holder", test_thread_holder);
  g_test_add_func ("/portolan/notes/accept-queue", test_accept_queue);
  g_test_add_func ("/portolan/notes/in-flight", test_in_flight);
  g_test_add_func ("/portolan/notes/unreadable-table", test_unreadable_table);
  g_test_add_func ("/portolan/notes/other-pid-namespace", test_other_pid_namespace);
  g_test_add_func ("/portolan/notes/our-socket-held-by-root", test_our_socket_held_by_root);
  g_test_add_func ("/portolan/notes/partial-holders", test_partial_holders);
  g_test_add_func ("/portolan/notes/cgroup-hint", test_cgroup_hint);
  g_test_add_func ("/portolan/notes/protocol-restricted", test_protocol_restricted);
  g_test_add_func ("/portolan/notes/zone-in-fallback", test_zone_in_fallback);
  g_test_add_func ("/portolan/notes/check-reuseport", test_check_reuseport);
  g_test_add_func ("/portolan/notes/hostile-names", test_hostile_names);
  return g_test_run ();
}
