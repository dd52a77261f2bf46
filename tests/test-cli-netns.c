/* test-cli-netns.c: listeners in other network namespaces, which ss on
 * the host never shows: one in an ip netns (named) and one in a namespace
 * made by unshare --net (unnamed), each compared with ss run inside it.
 *
 * As root the port report lists them in their own section, labelled,
 * with their owners, while the bind verdict stays the host's; list shows
 * them only with --all-namespaces, and otherwise says how many other
 * namespaces there are. As nobody they are counted, and reading them
 * needs root. A name in /run/netns that holds no namespace is not one.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "ptl-test-util.h"

static char *
tool (const char *name)
{
  return g_find_program_in_path (name);
}

typedef struct
{
  char *name;             /* the ip netns name */
  PtlTestHolder *named;   /* listening inside it */
  PtlTestHolder *unnamed; /* listening in an unshare --net namespace */
  guint named_port, unnamed_port;
  guint64 named_id, unnamed_id; /* the namespaces' inodes */
} Fixture;

static guint64
netns_id (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/ns/net", pid);
  struct stat st;

  g_assert_cmpint (stat (path, &st), ==, 0);
  return (guint64) st.st_ino;
}

static gboolean
fixture_skip_reason (char **why)
{
  g_autofree char *ip = tool ("ip"), *unshare = tool ("unshare");

  if (geteuid () != 0)
    *why = g_strdup ("needs root to make network namespaces");
  else if (ip == NULL || unshare == NULL)
    *why = g_strdup ("ip (iproute2) or unshare (util-linux) is not installed");
  else
    return FALSE;
  return TRUE;
}

/* A run that aborted left its ip netns behind ("ptl-test-PID", its PID
 * gone): delete those, and no other. */
static void
remove_stale (const char *ip)
{
  g_autoptr (GDir) dir = g_dir_open ("/run/netns", 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      long pid = g_str_has_prefix (name, "ptl-test-") ? atol (name + 9) : 0;

      if (pid <= 0 || kill ((pid_t) pid, 0) == 0 || errno != ESRCH)
        continue;
      g_test_message ("deleting ip netns %s, left by an aborted run", name);
      ptl_test_spawn_sync (NULL, (const char *const[]){ ip, "netns", "delete", name, NULL }, NULL,
                           NULL, NULL);
    }
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autofree char *ip = tool ("ip"), *unshare = tool ("unshare"), *why = NULL;
  (void) data;

  memset (f, 0, sizeof *f);
  if (fixture_skip_reason (&why))
    return;
  remove_stale (ip);
  f->name = g_strdup_printf ("ptl-test-%d", (int) getpid ());
  {
    const char *add[] = { ip, "netns", "add", f->name, NULL };
    g_assert_cmpint (ptl_test_spawn_sync (NULL, add, NULL, NULL, NULL), ==, 0);
  }
  f->named = ptl_test_holder_start_full (NULL, ip,
                                         (const char *const[]){ "netns", "exec", f->name,
                                                                ptl_test_situations_path (), "port",
                                                                "0", NULL });
  f->unnamed = ptl_test_holder_start_full (
      NULL, unshare,
      (const char *const[]){ "--net", "--", ptl_test_situations_path (), "port", "0", NULL });
  f->named_port = ptl_test_holder_port (f->named, "listen");
  f->unnamed_port = ptl_test_holder_port (f->unnamed, "listen");
  f->named_id = netns_id (f->named->pid);
  f->unnamed_id = netns_id (f->unnamed->pid);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autofree char *ip = tool ("ip");
  (void) data;

  g_clear_pointer (&f->named, ptl_test_holder_free);
  g_clear_pointer (&f->unnamed, ptl_test_holder_free);
  if (f->name != NULL)
    {
      const char *del[] = { ip, "netns", "delete", f->name, NULL };
      g_assert_cmpint (ptl_test_spawn_sync (NULL, del, NULL, NULL, NULL), ==, 0);
    }
  g_free (f->name);
}

static gboolean
skipped (Fixture *f)
{
  g_autofree char *why = NULL;

  if (!fixture_skip_reason (&why))
    return FALSE;
  g_test_skip (why);
  (void) f;
  return TRUE;
}

/* The socket of @sockets in namespace @id on @port, or NULL. */
static JsonObject *
in_namespace (JsonArray *sockets, guint64 id, guint port)
{
  for (guint i = 0; i < json_array_get_length (sockets); i++)
    {
      JsonObject *s = json_array_get_object_element (sockets, i);
      JsonNode *ns = json_object_get_member (s, "netns");

      if (ptl_test_obj_int (s, "local_port") == port && ns && JSON_NODE_HOLDS_OBJECT (ns)
          && (guint64) ptl_test_obj_int (json_node_get_object (ns), "id") == id)
        return s;
    }
  return NULL;
}

/* What ss inside the namespace of @pid says about @port: the PID it names. */
static GPid
ss_inside (GPid pid, guint port)
{
  g_autofree char *nsenter = tool ("nsenter"), *ss = tool ("ss"), *target = NULL, *out = NULL;
  g_autofree char *filter = g_strdup_printf ("sport = :%u", port);
  const char *pid_at;

  if (nsenter == NULL || ss == NULL)
    return 0;
  target = g_strdup_printf ("--net=/proc/%d/ns/net", pid);
  ptl_test_spawn_sync (NULL,
                       (const char *const[]){ nsenter, target, "--", ss, "-Htlnp", filter, NULL },
                       NULL, &out, NULL);
  g_test_message ("ss inside: %s", out);
  pid_at = strstr (out, "pid=");
  return pid_at ? (GPid) atoi (pid_at + 4) : -1;
}

/* A kernel-picked port in another namespace may be in use here too: the
 * bind verdict must be this namespace's own. */
static gboolean
host_tcp_free (guint port)
{
  struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons ((uint16_t) port) };
  int fd = socket (AF_INET, SOCK_STREAM, 0), one = 1;
  gboolean free;

  setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  free = bind (fd, (struct sockaddr *) &sin, sizeof sin) == 0;
  close (fd);
  return free;
}

static void
check_report (guint port, guint64 id, GPid pid, const char *label)
{
  g_autofree char *p = g_strdup_printf ("%u", port), *text = NULL, *want = NULL, *flat = NULL;
  g_autoptr (JsonNode) root = ptl_test_cli_json (p, "--json");
  JsonObject *r = json_node_get_object (root), *other = ptl_test_obj_object (r, "other_namespaces");
  JsonObject *s = in_namespace (ptl_test_obj_array (other, "sockets"), id, port);
  JsonArray *procs;

  g_assert_true (ptl_test_obj_bool (other, "read"));
  g_assert_cmpint (ptl_test_obj_int (other, "count"), >=, 2);
  g_assert_nonnull (s);
  g_assert_cmpstr (ptl_test_obj_str (s, "state"), ==, "LISTEN");
  procs = ptl_test_obj_array (s, "processes");
  g_assert_cmpuint (json_array_get_length (procs), ==, 1);
  g_assert_cmpint (ptl_test_obj_int (json_array_get_object_element (procs, 0), "pid"), ==, pid);
  /* Not among this namespace's sockets, and the bind verdict is ours. */
  g_assert_null (in_namespace (ptl_test_obj_array (r, "sockets"), id, port));
  g_assert_cmpint (ptl_test_obj_bool (ptl_test_obj_object (r, "free"), "tcp"), ==,
                   host_tcp_free (port));
  /* ss run inside the namespace sees the same listener and owner. */
  {
    GPid seen = ss_inside (pid, port);
    if (seen != 0)
      g_assert_cmpint (seen, ==, pid);
  }
  ptl_test_cli_run (&text, NULL, p);
  flat = ptl_test_flatten (text);
  g_assert_nonnull (strstr (flat, "Inside containers and other network namespaces"));
  want = g_strdup_printf ("(PID %d) in %s listens on tcp4 0.0.0.0:%u", pid, label, port);
  g_assert_nonnull (strstr (flat, want));
}

static void
test_report (Fixture *f, gconstpointer data)
{
  g_autofree char *named = NULL, *unnamed = NULL;
  (void) data;

  if (skipped (f))
    return;
  named = g_strdup_printf ("ip netns %s", f->name);
  unnamed = g_strdup_printf ("network namespace net:[%" G_GUINT64_FORMAT "]", f->unnamed_id);
  check_report (f->named_port, f->named_id, f->named->pid, named);
  check_report (f->unnamed_port, f->unnamed_id, f->unnamed->pid, unnamed);
}

static void
test_list (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonNode) all = NULL, plain = NULL;
  g_autofree char *text = NULL, *port = NULL, *heading = NULL, *flat = NULL;
  JsonObject *s, *ns;
  (void) data;

  if (skipped (f))
    return;
  all = ptl_test_cli_json ("list", "--all-namespaces", "--json");
  s = in_namespace (ptl_test_list_sockets (all), f->named_id, f->named_port);
  g_assert_nonnull (s);
  ns = ptl_test_obj_object (s, "netns");
  g_assert_cmpstr (ptl_test_obj_str (ns, "name"), ==, f->name);
  g_assert_nonnull (in_namespace (ptl_test_list_sockets (all), f->unnamed_id, f->unnamed_port));
  g_assert_true (ptl_test_obj_bool (
      ptl_test_obj_object (json_node_get_object (all), "other_namespaces"), "read"));
  /* Without --all-namespaces: only ours, and how many others there are. */
  plain = ptl_test_cli_json ("list", "--json");
  g_assert_null (in_namespace (ptl_test_list_sockets (plain), f->named_id, f->named_port));
  {
    JsonObject *o = ptl_test_obj_object (json_node_get_object (plain), "other_namespaces");
    g_assert_false (ptl_test_obj_bool (o, "read"));
    g_assert_cmpint (ptl_test_obj_int (o, "count"), >=, 2);
  }
  ptl_test_cli_run (&text, NULL, "list", "--listening");
  flat = ptl_test_flatten (text);
  g_assert_nonnull (strstr (flat, "'list --all-namespaces' shows the sockets there"));
  /* The text gives each namespace a heading of its own. */
  g_clear_pointer (&text, g_free);
  port = g_strdup_printf ("%u", f->named_port);
  ptl_test_cli_run (&text, NULL, "list", "--all-namespaces", "--port", port);
  heading = g_strdup_printf (
      "In ip netns %s, network namespace net:[%" G_GUINT64_FORMAT "]:", f->name, f->named_id);
  g_assert_nonnull (strstr (text, heading));
}

static void
test_as_nobody (Fixture *f, gconstpointer data)
{
  PtlTestCliCtx ctx = { .prefix = ptl_test_nobody_prefix () };
  g_autofree char *why = NULL, *port = NULL, *text = NULL, *flat = NULL;
  g_autoptr (JsonNode) root = NULL;
  JsonObject *other;
  (void) data;

  if (skipped (f))
    return;
  if ((why = ptl_test_nobody_skip_reason ()) != NULL)
    {
      g_test_skip (why);
      return;
    }
  port = g_strdup_printf ("%u", f->named_port);
  root = ptl_test_cli_json_ctx (&ctx, (const char *const[]){ port, "--json", NULL });
  other = ptl_test_obj_object (json_node_get_object (root), "other_namespaces");
  g_assert_false (ptl_test_obj_bool (other, "read"));
  g_assert_true (ptl_test_obj_bool (other, "needs_root"));
  g_assert_cmpint (ptl_test_obj_int (other, "count"), >=, 2);
  g_assert_cmpuint (json_array_get_length (ptl_test_obj_array (other, "sockets")), ==, 0);
  ptl_test_cli_runv (&ctx, (const char *const[]){ port, NULL }, &text, NULL);
  flat = ptl_test_flatten (text);
  g_assert_nonnull (strstr (flat, "reading their sockets needs root"));
}

/* A name in /run/netns that holds no namespace: what a failed `ip netns
 * add` leaves, and what `ip netns del` leaves for a moment (unmounted, not
 * yet removed). It is neither counted nor "could not be entered". */
static void
test_stale_name (void)
{
  g_autofree char *path = NULL, *text = NULL, *flat = NULL;
  g_autoptr (JsonNode) root = NULL;
  JsonObject *other;

  if (geteuid () != 0)
    {
      g_test_skip ("needs root to write /run/netns and enter namespaces");
      return;
    }
  g_assert_true (g_mkdir_with_parents ("/run/netns", 0755) == 0);
  path = g_strdup_printf ("/run/netns/ptl-test-stale-%d", (int) getpid ());
  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  root = ptl_test_cli_json ("list", "--all-namespaces", "--json");
  ptl_test_cli_run (&text, NULL, "1");
  unlink (path);
  other = ptl_test_obj_object (json_node_get_object (root), "other_namespaces");
  g_assert_true (ptl_test_obj_bool (other, "read"));
  flat = ptl_test_flatten (text);
  g_test_message ("%s", flat);
  g_assert_null (strstr (flat, "could not be entered"));
  g_assert_null (strstr (flat, "ptl-test-stale-"));
  for (guint i = 0; i < json_array_get_length (ptl_test_list_sockets (root)); i++)
    {
      JsonObject *s = json_array_get_object_element (ptl_test_list_sockets (root), i);
      JsonObject *ns
          = json_object_has_member (s, "netns") ? ptl_test_obj_object (s, "netns") : NULL;
      const char *name = ns ? json_object_get_string_member_with_default (ns, "name", NULL) : NULL;

      g_assert_true (name == NULL || !g_str_has_prefix (name, "ptl-test-stale-"));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/portolan/netns/report", Fixture, NULL, fixture_set_up, test_report,
              fixture_tear_down);
  g_test_add ("/portolan/netns/list", Fixture, NULL, fixture_set_up, test_list, fixture_tear_down);
  g_test_add ("/portolan/netns/as-nobody", Fixture, NULL, fixture_set_up, test_as_nobody,
              fixture_tear_down);
  g_test_add_func ("/portolan/netns/stale-name", test_stale_name);
  return g_test_run ();
}
