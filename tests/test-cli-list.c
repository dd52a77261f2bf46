/* test-cli-list.c: `portolan-cli list`: its filters, its CSV, the /proc/net
 * fallback when Netlink is refused, and process names built to break
 * JSON and CSV writers.
 */
#define _GNU_SOURCE

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ptl-test-util.h"

/* ---- filters ---------------------------------------------------------------- */

static void
test_list_filters (void)
{
  g_autoptr (PtlTestHolder) h = ptl_test_holder_start ("tcp4-listen", "udp4", "tcp4-pair");
  guint tport = ptl_test_holder_port (h, "tcp4-listen"), uport = ptl_test_holder_port (h, "udp4");
  guint lport = ptl_test_holder_port (h, "tcp4-pair");
  guint cport = ptl_test_holder_client_port (h, "tcp4-pair");
  g_autofree char *pid_arg = g_strdup_printf ("%d", h->pid);
  g_autofree char *port_arg = g_strdup_printf ("%u", lport);
  g_autoptr (JsonNode) all = ptl_test_cli_json ("list", "--json");
  g_autoptr (JsonNode) listening = ptl_test_cli_json ("list", "--listening", "--json");
  g_autoptr (JsonNode) udp = ptl_test_cli_json ("list", "--udp", "--json");
  g_autoptr (JsonNode) by_port = ptl_test_cli_json ("list", "--port", port_arg, "--json");
  g_autoptr (JsonNode) by_pid = ptl_test_cli_json ("list", "--pid", pid_arg, "--json");
  JsonArray *a;

  a = ptl_test_list_sockets (all);
  g_assert_true (ptl_test_socket_has_pid (
      ptl_test_expect_socket (a, &(PtlTestSockKey){ "tcp", .port = tport }), h->pid));
  g_assert_true (ptl_test_socket_has_pid (
      ptl_test_expect_socket (a, &(PtlTestSockKey){ "udp", .port = uport }), h->pid));
  g_assert_true (ptl_test_socket_has_pid (
      ptl_test_expect_socket (a, &(PtlTestSockKey){ "tcp", .port = cport, .remote_port = lport }),
      h->pid));

  a = ptl_test_list_sockets (listening);
  ptl_test_expect_socket (a, &(PtlTestSockKey){ "tcp", "ipv4", "127.0.0.1", "LISTEN", tport });
  ptl_test_expect_socket (a, &(PtlTestSockKey){ "tcp", "ipv4", "127.0.0.1", "LISTEN", lport });
  g_assert_null (
      ptl_test_find_socket (a, &(PtlTestSockKey){ "tcp", .port = cport, .remote_port = lport }));
  g_assert_null (
      ptl_test_find_socket (a, &(PtlTestSockKey){ "tcp", .state = "ESTABLISHED", .port = lport }));
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      const char *state = ptl_test_obj_str (json_array_get_object_element (a, i), "state");
      g_assert_true (g_str_equal (state, "LISTEN") || g_str_equal (state, "UNCONN"));
    }

  a = ptl_test_list_sockets (udp);
  ptl_test_expect_socket (a, &(PtlTestSockKey){ "udp", "ipv4", "127.0.0.1", "UNCONN", uport });
  for (guint i = 0; i < json_array_get_length (a); i++)
    g_assert_cmpstr (ptl_test_obj_str (json_array_get_object_element (a, i), "protocol"), ==,
                     "udp");

  a = ptl_test_list_sockets (by_port);
  ptl_test_expect_socket (a, &(PtlTestSockKey){ "tcp", "ipv4", "127.0.0.1", "LISTEN", lport });
  ptl_test_expect_socket (a, &(PtlTestSockKey){ "tcp", "ipv4", "127.0.0.1", "ESTABLISHED", lport });
  for (guint i = 0; i < json_array_get_length (a); i++)
    g_assert_cmpint (ptl_test_obj_int (json_array_get_object_element (a, i), "local_port"), ==,
                     lport);

  /* tcp4-listen, udp4, and the pair's listener, client and accepted ends */
  a = ptl_test_list_sockets (by_pid);
  g_assert_cmpuint (json_array_get_length (a), ==, 5);
  for (guint i = 0; i < json_array_get_length (a); i++)
    g_assert_true (ptl_test_socket_has_pid (json_array_get_object_element (a, i), h->pid));
}

/* ---- CSV -------------------------------------------------------------------- */

/* RFC 4180 records: quoted fields may hold commas, doubled quotes, newlines. */
static GPtrArray *
csv_parse (const char *text)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
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
  g_file_get_contents (ptl_test_holder_path (), &data, &len, &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, name, NULL);
  g_file_set_contents (path, data, (gssize) len, &error);
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
  PtlTestHolder *h = ptl_test_holder_start_full (
      NULL, path, (const char *const[]){ "--tag=a,\"b\"", "tcp4-listen", "udp4", NULL });
  g_autofree char *pid_arg = g_strdup_printf ("%d", h->pid);
  g_autofree char *tport = g_strdup_printf ("%u", ptl_test_holder_port (h, "tcp4-listen"));
  g_autofree char *uport = g_strdup_printf ("%u", ptl_test_holder_port (h, "udp4"));
  g_autofree char *out = NULL, *out_all = NULL;
  g_autoptr (GPtrArray) records = NULL, all = NULL;
  g_autofree char *header = NULL, *lower = NULL;

  g_assert_cmpint (ptl_test_cli_run (&out, NULL, "list", "--pid", pid_arg, "--csv"), ==, 0);
  g_assert_cmpint (ptl_test_cli_run (&out_all, NULL, "list", "--csv"), ==, 0);
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
      g_assert_true (g_strv_contains ((const char *const *) row, pid_arg));
      g_assert_true (g_strv_contains ((const char *const *) row, tport)
                     || g_strv_contains ((const char *const *) row, uport));
      g_assert_true (strv_has_prefixed (row, name));
    }
  ptl_test_holder_free (h);
  remove_copy (path, dir);
}

/* A PID that owns no socket: the output is still whole (an empty JSON
 * list), and the exit code says "nothing found" (1), with one sentence. */
static void
test_list_pid_none (void)
{
  const char *argv[] = { "sleep", "60", NULL };
  g_autofree char *out = NULL, *err = NULL, *pid_arg = NULL, *want = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  GPid pid;

  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL,
                                G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                                NULL));
  pid_arg = g_strdup_printf ("%d", pid);
  g_assert_cmpint (ptl_test_cli_run (&out, &err, "list", "--pid", pid_arg, "--json"), ==, 1);
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                        json_node_get_object (json_parser_get_root (parser)), "sockets")),
                    ==, 0);
  want = g_strdup_printf ("portolan-cli: No socket is owned by PID %d.\n", pid);
  g_assert_cmpstr (err, ==, want);
  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
  g_spawn_close_pid (pid);
}

/* ---- /proc/net fallback ------------------------------------------------- */

static void
test_procfs_fallback (void)
{
  gboolean v6 = ptl_test_have_ipv6_loopback ();
  g_autoptr (PtlTestHolder) h
      = v6 ? ptl_test_holder_start ("tcp4-listen", "udp4", "tcp6-listen", "udp6")
           : ptl_test_holder_start ("tcp4-listen", "udp4");
  g_auto (GStrv) env = g_environ_setenv (g_get_environ (), "PORTOLAN_TEST_NO_NETLINK", "1", TRUE);
  const PtlTestCliCtx ctx = { NULL, env };
  g_autoptr (JsonNode) root
      = ptl_test_cli_json_ctx (&ctx, (const char *const[]){ "list", "--json", NULL });
  JsonArray *socks = ptl_test_list_sockets (root), *notes;
  gboolean noted = FALSE;

  ptl_test_assert_owner (
      ptl_test_expect_socket (socks, &(PtlTestSockKey){ "tcp", "ipv4", "127.0.0.1", "LISTEN",
                                                        ptl_test_holder_port (h, "tcp4-listen") }),
      h->pid, g_get_user_name ());
  ptl_test_expect_socket (socks, &(PtlTestSockKey){ "udp", "ipv4", "127.0.0.1", "UNCONN",
                                                    ptl_test_holder_port (h, "udp4") });
  if (v6)
    {
      ptl_test_expect_socket (socks, &(PtlTestSockKey){ "tcp", "ipv6", "::1", "LISTEN",
                                                        ptl_test_holder_port (h, "tcp6-listen") });
      ptl_test_expect_socket (socks, &(PtlTestSockKey){ "udp", "ipv6", "::1", "UNCONN",
                                                        ptl_test_holder_port (h, "udp6") });
    }
  notes = ptl_test_obj_array (json_node_get_object (root), "notes");
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
        g_assert_cmpint ((guchar) *p, >=, 0x20);
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
  PtlTestHolder *h
      = ptl_test_holder_start_full (NULL, path, (const char *const[]){ tag, "tcp4-listen", NULL });
  g_autofree char *port_arg = g_strdup_printf ("%u", ptl_test_holder_port (h, "tcp4-listen"));
  const char *args[] = { port_arg, "--json", NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (JsonNode) root = NULL;
  JsonObject *sock, *p;
  const char *got;

  g_assert_cmpint (ptl_test_cli_runv (NULL, args, &out, &err), <=, 1);
  assert_no_raw_controls_in_strings (out);
  root = ptl_test_parse_json ("portolan-cli PORT --json (hostile names)", out);
  sock = ptl_test_expect_socket (ptl_test_list_sockets (root),
                                 &(PtlTestSockKey){ "tcp", "ipv4", "127.0.0.1", "LISTEN",
                                                    ptl_test_holder_port (h, "tcp4-listen") });
  g_assert_cmpuint (json_array_get_length (ptl_test_obj_array (sock, "processes")), >=, 1);
  p = json_array_get_object_element (ptl_test_obj_array (sock, "processes"), 0);
  g_assert_cmpint (ptl_test_obj_int (p, "pid"), ==, h->pid);
  got = ptl_test_obj_str (p, "name");
  g_assert_true (g_str_has_prefix (name, got));
  g_assert_cmpuint (strlen (got), >=, 15);
  g_assert_cmpstr (ptl_test_obj_str (p, "path"), ==, path);
  g_assert_nonnull (strstr (ptl_test_obj_str (p, "cmdline"), tag));
  g_assert_nonnull (strstr (ptl_test_obj_str (p, "cmdline"), path));
  g_assert_cmpint (ptl_test_obj_int (p, "uid"), ==, (gint64) getuid ());
  g_assert_cmpuint ((guint64) ptl_test_obj_int (p, "start_time"), ==,
                    ptl_test_proc_start_time (h->pid));
  ptl_test_holder_free (h);
  remove_copy (path, dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/portolan/cli/list-filters", test_list_filters);
  g_test_add_func ("/portolan/cli/list-csv", test_list_csv);
  g_test_add_func ("/portolan/cli/list-pid-none", test_list_pid_none);
  g_test_add_func ("/portolan/cli/procfs-fallback", test_procfs_fallback);
  g_test_add_func ("/portolan/cli/hostile-names", test_hostile_names);

  return g_test_run ();
}
