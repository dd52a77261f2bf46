/* test-cli-port.c: `portolan-cli PORT`: the report for a port a holder keeps
 * open on loopback, and what the knowledge tables say about a port, as JSON
 * and as text.
 */
#define _GNU_SOURCE

#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "ptl-test-util.h"

/* ---- the port report for a held socket ------------------------------------ */

static const char *
expected_range (guint port)
{
  if (port < 1024)
    return "well-known";
  return port < 49152 ? "registered" : "dynamic";
}

static void
assert_report_basics (JsonObject *report, guint port)
{
  guint first, last;
  JsonObject *eph = ptl_test_obj_object (report, "ephemeral");

  ptl_test_read_ephemeral_range (&first, &last);
  g_assert_cmpint (ptl_test_obj_int (report, "port"), ==, port);
  g_assert_cmpstr (ptl_test_obj_str (report, "range"), ==, expected_range (port));
  g_assert_cmpint (ptl_test_obj_int (eph, "first"), ==, first);
  g_assert_cmpint (ptl_test_obj_int (eph, "last"), ==, last);
  g_assert_cmpint (ptl_test_obj_bool (eph, "contains"), ==, port >= first && port <= last);
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
  if (g_strcmp0 (family, "ipv6") != 0 || ptl_test_have_ipv6_loopback ())
    return FALSE;
  g_test_skip ("this machine cannot bind ::1, so there is no IPv6 loopback to test");
  return TRUE;
}

static void
test_port_owner (gconstpointer data)
{
  const HeldCase *c = data;
  g_autoptr (PtlTestHolder) h = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *port_arg = NULL;
  JsonObject *report, *sock, *free_obj;
  guint port;

  if (skip_without_ipv6 (c->family))
    return;
  h = ptl_test_holder_start (c->spec);
  port = ptl_test_holder_port (h, c->spec);
  port_arg = g_strdup_printf ("%u", port);
  root = ptl_test_cli_json (port_arg, "--json");
  report = json_node_get_object (root);
  assert_report_basics (report, port);
  sock = ptl_test_expect_socket (
      ptl_test_obj_array (report, "sockets"),
      &(PtlTestSockKey){ c->protocol, c->family, c->address, c->state, port });
  ptl_test_assert_owner (sock, h->pid, g_get_user_name ());
  free_obj = ptl_test_obj_object (report, "free");
  g_assert_false (ptl_test_obj_bool (free_obj, c->protocol));
}

static void
test_port_owner_pair (void)
{
  g_autoptr (PtlTestHolder) h = ptl_test_holder_start ("tcp4-pair");
  guint lport = ptl_test_holder_port (h, "tcp4-pair");
  guint cport = ptl_test_holder_client_port (h, "tcp4-pair");
  g_autofree char *l_arg = g_strdup_printf ("%u", lport);
  g_autofree char *c_arg = g_strdup_printf ("%u", cport);
  g_autoptr (JsonNode) lroot = ptl_test_cli_json (l_arg, "--json");
  g_autoptr (JsonNode) croot = ptl_test_cli_json (c_arg, "--json");
  JsonObject *lrep = json_node_get_object (lroot), *crep = json_node_get_object (croot);
  JsonArray *lsocks = ptl_test_obj_array (lrep, "sockets");
  JsonObject *listener, *accepted, *client;

  assert_report_basics (lrep, lport);
  assert_report_basics (crep, cport);
  listener = ptl_test_expect_socket (
      lsocks, &(PtlTestSockKey){ "tcp", "ipv4", "127.0.0.1", "LISTEN", lport });
  accepted = ptl_test_expect_socket (
      lsocks, &(PtlTestSockKey){ "tcp", "ipv4", "127.0.0.1", "ESTABLISHED", lport });
  client = ptl_test_expect_socket (
      ptl_test_obj_array (crep, "sockets"),
      &(PtlTestSockKey){ "tcp", "ipv4", "127.0.0.1", "ESTABLISHED", cport, lport });
  ptl_test_assert_owner (listener, h->pid, g_get_user_name ());
  ptl_test_assert_owner (accepted, h->pid, g_get_user_name ());
  ptl_test_assert_owner (client, h->pid, g_get_user_name ());
  g_assert_cmpint (ptl_test_obj_int (accepted, "remote_port"), ==, cport);
  g_assert_cmpstr (ptl_test_obj_str (accepted, "remote_address"), ==, "127.0.0.1");
  g_assert_cmpint (ptl_test_obj_int (client, "remote_port"), ==, lport);
  g_assert_false (ptl_test_obj_bool (ptl_test_obj_object (lrep, "free"), "tcp"));
}

/* ---- port knowledge --------------------------------------------------------- */

static gboolean
has_iana (JsonArray *iana, const char *proto, const char *service, const char *descr, gint64 first,
          gint64 last)
{
  for (guint i = 0; i < json_array_get_length (iana); i++)
    {
      JsonObject *e = json_array_get_object_element (iana, i);
      if (g_strcmp0 (ptl_test_obj_str (e, "protocol"), proto) != 0
          || g_strcmp0 (ptl_test_obj_str (e, "service"), service) != 0)
        continue;
      if (descr != NULL && g_strcmp0 (ptl_test_obj_str (e, "description"), descr) != 0)
        continue;
      if (ptl_test_obj_int (e, "first") == first && ptl_test_obj_int (e, "last") == last)
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
  g_autoptr (JsonNode) root = ptl_test_cli_json ("1644", "--json");
  JsonObject *r = json_node_get_object (root);
  JsonArray *iana = ptl_test_obj_array (r, "iana");
  JsonArray *unofficial = ptl_test_obj_array (r, "unofficial");
  JsonArray *related = ptl_test_obj_array (r, "related");
  const char *descr = "Satellite-data Acquisition System 4";
  gboolean irc = FALSE;

  g_assert_cmpint (ptl_test_obj_int (r, "port"), ==, 1644);
  g_assert_cmpstr (ptl_test_obj_str (r, "range"), ==, "registered");
  g_assert_true (has_iana (iana, "tcp", "saiseh", descr, 1644, 1644));
  g_assert_true (has_iana (iana, "udp", "saiseh", descr, 1644, 1644));
  for (guint i = 0; i < json_array_get_length (unofficial); i++)
    {
      JsonObject *u = json_array_get_object_element (unofficial, i);
      irc = irc || strstr (ptl_test_obj_str (u, "use"), "IRC")
            || strstr (ptl_test_obj_str (u, "note"), "IRC");
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
  int code = ptl_test_cli_run (&out, &err, "1644");

  g_assert_cmpint (code, >=, 0);
  g_assert_cmpint (code, <=, 1);
  lower = g_utf8_strdown (out, -1);
  g_assert_nonnull (strstr (out, "saiseh"));
  g_assert_nonnull (strstr (lower, "registered"));
  g_assert_nonnull (strstr (out, "IRC"));
  assert_lines_fit (out, 100);
}

/* Port 0 is no port a program can hold: the report says what it is
 * instead of calling it free. */
static void
test_port_zero (void)
{
  g_autoptr (JsonNode) root = ptl_test_cli_json ("0", "--json");
  JsonObject *r = json_node_get_object (root);
  JsonArray *notes = ptl_test_obj_array (r, "notes");
  JsonObject *free_ = ptl_test_obj_object (r, "free");
  JsonObject *bind = ptl_test_obj_object (r, "bind");
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (ptl_test_obj_int (r, "port"), ==, 0);
  g_assert_false (ptl_test_obj_bool (free_, "tcp"));
  g_assert_false (ptl_test_obj_bool (free_, "udp"));
  g_assert_cmpstr (ptl_test_obj_str (bind, "tcp"), ==, "unavailable");
  g_assert_cmpuint (json_array_get_length (notes), >=, 1);
  g_assert_nonnull (strstr (json_array_get_string_element (notes, 0), "any free port"));
  g_assert_cmpint (ptl_test_cli_run (&out, &err, "0"), <=, 1);
  g_assert_nonnull (strstr (out, "Port 0 is not a port a program can use"));
  g_assert_null (strstr (out, "Nothing on this computer is using port 0"));
  g_assert_null (strstr (out, "tcp free"));
  g_free (g_steal_pointer (&out));
  g_free (g_steal_pointer (&err));
  g_assert_cmpint (ptl_test_cli_run (&out, &err, "0-1"), <=, 1);
  g_assert_nonnull (strstr (out, "not a usable port"));
}

static void
test_knowledge_6667_json (void)
{
  g_autoptr (JsonNode) root = ptl_test_cli_json ("6667", "--json");
  JsonObject *r = json_node_get_object (root);

  g_assert_cmpint (ptl_test_obj_int (r, "port"), ==, 6667);
  g_assert_true (has_iana (ptl_test_obj_array (r, "iana"), "tcp", "ircu", NULL, 6665, 6669));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (held_cases); i++)
    {
      const char *spec = held_cases[i].spec;
      g_autofree char *name
          = g_strdup_printf ("/portolan/cli/port-owner-%.*s", (int) strcspn (spec, "-"), spec);
      g_test_add_data_func (name, &held_cases[i], test_port_owner);
    }
  g_test_add_func ("/portolan/cli/port-owner-tcp4-pair", test_port_owner_pair);
  g_test_add_func ("/portolan/cli/knowledge-1644-json", test_knowledge_1644_json);
  g_test_add_func ("/portolan/cli/knowledge-1644-text", test_knowledge_1644_text);
  g_test_add_func ("/portolan/cli/knowledge-6667-json", test_knowledge_6667_json);
  g_test_add_func ("/portolan/cli/port-zero", test_port_zero);

  return g_test_run ();
}
