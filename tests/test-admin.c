/* test-admin.c: what the app does with owners read as root, without
 * polkit (tests/test-polkit.py runs the real thing):
 *
 * - portolan_admin_parse_table reads what `portolan-cli list --json`
 *   writes on this machine (a child of ours on a kernel-chosen port: its
 *   PID, uid and start time), and refuses what is not that.
 * - portolan_admin_merge_owners gives hidden rows root's owners or root's
 *   note, by inode and protocol, touches nothing else, and drops the
 *   table notes only the hidden rows earned.
 * - a refresh carries a hidden row's owner_hidden over (portolan-scan-
 *   owners.c), so the button stays while the owner stays hidden.
 */
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "portolan-admin.h"
#include "portolan-scan-owners.h"
#include "ptl-test-tables.h"
#include "ptl-test-util.h"

static void
test_parse_cli_output (void)
{
  g_autoptr (PtlTestHolder) h = ptl_test_holder_start ("tcp4-listen", "udp6");
  guint port = ptl_test_holder_port (h, "tcp4-listen");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (PortolanTable) t = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = NULL;
  const PtlSocket *found = NULL;
  const PtlProcess *p;

  g_assert_cmpint (ptl_test_cli_run (&out, &err, "list", "--json"), ==, 0);
  t = portolan_admin_parse_table (out, strlen (out), &error);
  g_assert_no_error (error);
  root = ptl_test_parse_json ("list --json", out);
  g_assert_cmpuint (t->table.len, ==, json_array_get_length (ptl_test_list_sockets (root)));
  for (size_t i = 0; i < t->table.len; i++)
    if (t->table.rows[i].local_port == port && t->table.rows[i].proto == PTL_PROTO_TCP)
      found = &t->table.rows[i];
  g_assert_nonnull (found);
  g_assert_cmpint (found->state, ==, PTL_STATE_LISTEN);
  g_assert_cmpint (found->family, ==, PTL_FAMILY_IPV4);
  g_assert_cmpstr (found->local_address, ==, "127.0.0.1");
  g_assert_cmpuint (found->inode, >, 0);
  g_assert_cmpuint (found->n_owners, ==, 1);
  p = ptl_socket_owner (&t->table, found, 0);
  g_assert_cmpint (p->pid, ==, h->pid);
  g_assert_cmpint (p->uid, ==, (long) getuid ());
  g_assert_cmpuint (p->start_time, ==, ptl_test_proc_start_time (h->pid));
  g_assert_cmpstr (p->name, ==, "ptl-test-holder");
  g_assert_true (g_str_has_suffix (p->path, "ptl-test-holder"));
}

static void
test_parse_refuses (void)
{
  static const char *const bad[] = {
    "not json",
    "[]",
    "{\"sockets\": 5}",
    "{\"sockets\": [{\"protocol\": \"sctp\", \"family\": \"ipv4\", \"state\": \"LISTEN\", "
    "\"processes\": []}]}",
    "{\"sockets\": [{\"protocol\": \"tcp\", \"family\": \"ipv4\", \"state\": \"LISTEN\"}]}",
    "{\"sockets\": [{\"protocol\": \"tcp\", \"family\": \"ipv4\", \"state\": \"LISTENING\", "
    "\"processes\": []}]}",
    "{\"sockets\": [{\"protocol\": \"tcp\", \"family\": \"ipv4\", \"state\": \"LISTEN\", "
    "\"processes\": [{\"pid\": \"12\", \"name\": \"x\"}]}]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (PortolanTable) t = portolan_admin_parse_table (bad[i], strlen (bad[i]), &error);

      g_test_message ("%s -> %s", bad[i], error ? error->message : "(parsed)");
      g_assert_null (t);
      g_assert_nonnull (error);
    }
}

/* A listener on 127.0.0.1:@port with @inode, hidden or not. */
static PtlSocket *
add_row (PtlSocketTable *t, PtlProto proto, unsigned port, guint64 inode, gboolean hidden)
{
  PtlSocket *row
      = ptl_test_add_socket (t, proto, PTL_FAMILY_IPV4, "127.0.0.1", port, PTL_STATE_LISTEN);

  row->inode = inode;
  row->owner_hidden = hidden;
  row->owner_note = hidden ? "owner hidden: needs root" : NULL;
  return row;
}

static void
own (PtlSocketTable *t, size_t row, long pid, const char *name)
{
  size_t proc = ptl_socket_table_add_process (t, pid, 4242, 0, "root", name, "/usr/sbin/x", "x");

  g_assert_cmpint (ptl_socket_table_set_owners (t, row, &proc, 1), ==, 0);
}

static void
test_merge (void)
{
  PtlSocketTable t, root;

  ptl_socket_table_init (&t);
  ptl_socket_table_init (&root);
  add_row (&t, PTL_PROTO_TCP, 22, 100, TRUE);  /* root names it */
  add_row (&t, PTL_PROTO_TCP, 25, 200, TRUE);  /* root has no owner either */
  add_row (&t, PTL_PROTO_UDP, 53, 300, TRUE);  /* root's inode 300 is TCP: not the same */
  add_row (&t, PTL_PROTO_TCP, 80, 400, FALSE); /* ours, untouched */
  own (&t, 3, 999, "mine");
  ptl_socket_table_add_note (&t, "Some owners are hidden.");
  ptl_socket_table_add_note (&t, "Both reads saw this.");
  add_row (&root, PTL_PROTO_TCP, 22, 100, FALSE);
  own (&root, 0, 812, "sshd");
  add_row (&root, PTL_PROTO_TCP, 25, 200, FALSE)->owner_note = "no owner yet (accept queue)";
  add_row (&root, PTL_PROTO_TCP, 53, 300, FALSE);
  own (&root, 2, 77, "not-this-one");
  add_row (&root, PTL_PROTO_TCP, 80, 400, FALSE);
  own (&root, 3, 1, "init");
  ptl_socket_table_add_note (&root, "Both reads saw this.");

  g_assert_cmpuint (portolan_admin_merge_owners (&t, &root), ==, 2);
  g_assert_cmpuint (t.rows[0].n_owners, ==, 1);
  g_assert_cmpstr (ptl_socket_owner (&t, &t.rows[0], 0)->name, ==, "sshd");
  g_assert_cmpuint (ptl_socket_owner (&t, &t.rows[0], 0)->start_time, ==, 4242);
  g_assert_false (t.rows[0].owner_hidden);
  g_assert_null (t.rows[0].owner_note);
  g_assert_cmpuint (t.rows[1].n_owners, ==, 0);
  g_assert_false (t.rows[1].owner_hidden);
  g_assert_cmpstr (t.rows[1].owner_note, ==, "no owner yet (accept queue)");
  g_assert_true (t.rows[2].owner_hidden);
  g_assert_cmpuint (t.rows[2].n_owners, ==, 0);
  g_assert_cmpstr (ptl_socket_owner (&t, &t.rows[3], 0)->name, ==, "mine");
  /* The UDP row stays hidden, so the notes stay as they were. */
  g_assert_cmpuint (t.n_notes, ==, 2);

  t.rows[2].owner_hidden = FALSE;
  t.rows[2].owner_note = NULL;
  add_row (&t, PTL_PROTO_TCP, 443, 500, TRUE);
  add_row (&root, PTL_PROTO_TCP, 443, 500, FALSE);
  own (&root, root.len - 1, 90, "nginx");
  g_assert_cmpuint (portolan_admin_merge_owners (&t, &root), ==, 1);
  g_assert_false (ptl_socket_table_owners_hidden (&t));
  g_assert_cmpuint (t.n_notes, ==, 1);
  g_assert_cmpstr (t.notes[0], ==, "Both reads saw this.");
  ptl_socket_table_clear (&t);
  ptl_socket_table_clear (&root);
}

/* What i12's JSON adds: a process's unit, container and relay, a row's
 * owner_detail, unit and owners_partial, all read back. */
static void
test_parse_context (void)
{
  static const char json[]
      = "{\"sockets\": [{\"protocol\": \"tcp\", \"family\": \"ipv4\", \"local_address\": "
        "\"0.0.0.0\", \"local_port\": 8080, \"remote_address\": \"0.0.0.0\", \"remote_port\": "
        "0, \"state\": \"LISTEN\", \"uid\": 0, \"user\": \"root\", \"inode\": 77, "
        "\"processes\": [{\"pid\": 900, \"uid\": 0, \"start_time\": 5, \"name\": "
        "\"docker-proxy\", \"path\": \"/usr/bin/docker-proxy\", \"cmdline\": \"docker-proxy\", "
        "\"user\": \"root\", \"thread\": 901, \"main_thread_exited\": true, \"unit\": "
        "\"docker.service\", \"relay_to\": {\"protocol\": \"tcp\", \"address\": "
        "\"172.17.0.2\", \"port\": 80, \"container\": {\"engine\": \"docker\", \"id\": "
        "\"abc123\", \"name\": \"web\", \"pod\": null}}}], \"owner_note\": null, "
        "\"owners_partial\": true, \"unit\": \"docker.service\"}, {\"protocol\": \"udp\", "
        "\"family\": \"ipv6\", \"local_address\": \"::\", \"local_port\": 53, "
        "\"remote_address\": \"::\", \"remote_port\": 0, \"state\": \"UNCONN\", \"uid\": "
        "101, \"user\": \"bind\", \"inode\": 78, \"processes\": [], \"owner_note\": \"owner "
        "not found (its fd table could not be read)\", \"owner_detail\": \"PID 5 (named): "
        "Permission denied\"}], \"notes\": []}";
  g_autoptr (GError) error = NULL;
  g_autoptr (PortolanTable) t = portolan_admin_parse_table (json, strlen (json), &error);
  const PtlProcess *p;

  g_assert_no_error (error);
  g_assert_cmpuint (t->table.len, ==, 2);
  g_assert_true (t->table.rows[0].owners_partial);
  g_assert_cmpstr (t->table.rows[0].unit, ==, "docker.service");
  p = ptl_socket_owner (&t->table, &t->table.rows[0], 0);
  g_assert_cmpint (p->thread, ==, 901);
  g_assert_true (p->main_thread_exited);
  g_assert_cmpstr (p->unit, ==, "docker.service");
  g_assert_cmpint (p->relay.proto, ==, PTL_PROTO_TCP);
  g_assert_cmpstr (p->relay.address, ==, "172.17.0.2");
  g_assert_cmpuint (p->relay.port, ==, 80);
  g_assert_cmpint (p->relay.container.engine, ==, PTL_ENGINE_DOCKER);
  g_assert_cmpstr (p->relay.container.name, ==, "web");
  g_assert_cmpstr (p->relay.container.pod, ==, "");
  g_assert_cmpint (p->container.engine, ==, PTL_ENGINE_NONE);
  g_assert_false (t->table.rows[1].owners_partial);
  g_assert_cmpstr (t->table.rows[1].owner_note, ==,
                   "owner not found (its fd table could not be read)");
  g_assert_cmpstr (t->table.rows[1].owner_detail, ==, "PID 5 (named): Permission denied");
}

/* A row whose holders were found only in part takes root's whole list;
 * a hidden one takes root's note with its particulars and the unit. */
static void
test_merge_context (void)
{
  PtlSocketTable t, root;
  PtlSocket *r;

  ptl_socket_table_init (&t);
  ptl_socket_table_init (&root);
  add_row (&t, PTL_PROTO_TCP, 8080, 600, FALSE)->owners_partial = TRUE;
  own (&t, 0, 31, "worker");
  add_row (&t, PTL_PROTO_TCP, 5432, 700, TRUE);
  add_row (&root, PTL_PROTO_TCP, 8080, 600, FALSE);
  own (&root, 0, 30, "master");
  r = add_row (&root, PTL_PROTO_TCP, 5432, 700, FALSE);
  r->owner_note = "owner not found (its fd table could not be read)";
  r->owner_detail = ptl_socket_table_keep_string (&root, "PID 9 (postgres): Permission denied");
  r->unit = ptl_socket_table_keep_string (&root, "postgresql@15-main.service");
  {
    size_t procs[2] = { ptl_socket_table_add_process (&root, 30, 1, 0, "root", "master", "", ""),
                        ptl_socket_table_add_process (&root, 31, 1, 0, "root", "worker", "", "") };

    g_assert_cmpint (ptl_socket_table_set_owners (&root, 0, procs, 2), ==, 0);
  }

  g_assert_cmpuint (portolan_admin_merge_owners (&t, &root), ==, 2);
  g_assert_cmpuint (t.rows[0].n_owners, ==, 2);
  g_assert_false (t.rows[0].owners_partial);
  g_assert_cmpstr (ptl_socket_owner (&t, &t.rows[0], 0)->name, ==, "master");
  g_assert_false (t.rows[1].owner_hidden);
  g_assert_cmpstr (t.rows[1].owner_note, ==, "owner not found (its fd table could not be read)");
  g_assert_cmpstr (t.rows[1].owner_detail, ==, "PID 9 (postgres): Permission denied");
  g_assert_cmpstr (t.rows[1].unit, ==, "postgresql@15-main.service");
  g_assert_false (ptl_socket_table_owners_hidden (&t));
  ptl_socket_table_clear (&root);
  /* The particulars were copied into @t: they outlive @root. */
  g_assert_cmpstr (t.rows[1].owner_detail, ==, "PID 9 (postgres): Permission denied");
  ptl_socket_table_clear (&t);
}

/* A refresh does not search a hidden row again (it is parked) and gives
 * it back its note and owner_hidden. */
static void
test_carry_hidden (void)
{
  PtlSocketTable prev, next;
  g_autoptr (GArray) parked = g_array_new (FALSE, FALSE, sizeof (PortolanParked));

  ptl_socket_table_init (&prev);
  ptl_socket_table_init (&next);
  add_row (&prev, PTL_PROTO_TCP, 22, 100, TRUE);
  add_row (&next, PTL_PROTO_TCP, 22, 100, FALSE);
  portolan_scan_carry_owners (&next, &prev, parked);
  g_assert_cmpuint (parked->len, ==, 1);
  g_assert_cmpuint (next.rows[0].inode, ==, 0);
  portolan_scan_unpark (&next, &prev, parked);
  g_assert_cmpuint (next.rows[0].inode, ==, 100);
  g_assert_true (next.rows[0].owner_hidden);
  g_assert_cmpstr (next.rows[0].owner_note, ==, "owner hidden: needs root");
  ptl_socket_table_clear (&prev);
  ptl_socket_table_clear (&next);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/portolan/admin/parse-cli-output", test_parse_cli_output);
  g_test_add_func ("/portolan/admin/parse-refuses", test_parse_refuses);
  g_test_add_func ("/portolan/admin/parse-context", test_parse_context);
  g_test_add_func ("/portolan/admin/merge", test_merge);
  g_test_add_func ("/portolan/admin/merge-context", test_merge_context);
  g_test_add_func ("/portolan/admin/carry-hidden", test_carry_hidden);

  return g_test_run ();
}
