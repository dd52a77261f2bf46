/* portolan-admin-pkexec.c: the Linux helper. The installed portolan-cli
 * runs as root through pkexec for one command, with an argument vector
 * and no shell; polkit picks the action by the command (list: read-owners,
 * auth_admin_keep; kill: end-process, auth_admin) and asks through the
 * desktop's authentication agent. pkexec clears the environment; the app
 * passes nothing through it but arguments, which portolan-cli checks as it
 * checks any input.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "portolan-admin.h"

#define READ_ACTION "io.github.portolan.Portolan.read-owners"

/* pkexec's own exit codes (pkexec(1)). */
#define PKEXEC_DISMISSED 126
#define PKEXEC_NOT_AUTHORIZED 127

const char *
portolan_admin_helper_path (void)
{
  return PORTOLAN_HELPER;
}

char *
portolan_admin_sudo_hint (guint port)
{
  const char *cli
      = g_file_test (PORTOLAN_HELPER, G_FILE_TEST_IS_EXECUTABLE) ? PORTOLAN_HELPER : "portolan-cli";

  if (port > 0)
    return g_strdup_printf (_ ("In a terminal, “sudo %s %u” shows every owner of port %u."), cli,
                            port, port);
  return g_strdup_printf (_ ("In a terminal, “sudo %s list” shows every socket with its owner."),
                          cli);
}

/* ---- is there a way at all --------------------------------------------------------- */

static gboolean
bus_says_yes (GDBusConnection *bus, const char *method, GVariant *args, const char *name)
{
  g_autoptr (GVariant) reply = g_dbus_connection_call_sync (
      bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", method, args,
      NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL, NULL);
  g_autoptr (GVariant) value = reply ? g_variant_get_child_value (reply, 0) : NULL;

  if (value == NULL)
    return FALSE;
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    return g_variant_get_boolean (value);
  for (gsize i = 0; g_variant_is_of_type (value, G_VARIANT_TYPE_STRING_ARRAY)
                    && i < g_variant_n_children (value);
       i++)
    {
      g_autoptr (GVariant) item = g_variant_get_child_value (value, i);

      if (g_strcmp0 (g_variant_get_string (item, NULL), name) == 0)
        return TRUE;
    }
  return FALSE;
}

/* polkit runs, or the system bus would start it. */
static gboolean
polkit_reachable (void)
{
  const char *name = "org.freedesktop.PolicyKit1";
  g_autoptr (GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SYSTEM, NULL, NULL);

  return bus != NULL
         && (bus_says_yes (bus, "NameHasOwner", g_variant_new ("(s)", name), name)
             || bus_says_yes (bus, "ListActivatableNames", NULL, name));
}

/* pkexec's path, or NULL with the reason there is no way. */
static char *
find_pkexec (GError **error)
{
  g_autofree char *pkexec = g_find_program_in_path ("pkexec");

  if (pkexec == NULL)
    g_set_error (error, PORTOLAN_ADMIN_ERROR, PORTOLAN_ADMIN_ERROR_UNAVAILABLE,
                 _ ("Administrator rights come through polkit’s pkexec, which is not installed "
                    "here."));
  else if (!g_file_test (PORTOLAN_HELPER, G_FILE_TEST_IS_EXECUTABLE))
    g_set_error (error, PORTOLAN_ADMIN_ERROR, PORTOLAN_ADMIN_ERROR_UNAVAILABLE,
                 _ ("portolan-cli is not installed at %s, where pkexec would run it."),
                 PORTOLAN_HELPER);
  else if (!polkit_reachable ())
    g_set_error (error, PORTOLAN_ADMIN_ERROR, PORTOLAN_ADMIN_ERROR_UNAVAILABLE,
                 _ ("polkit, which decides who may have administrator rights, is not running "
                    "here."));
  else
    return g_steal_pointer (&pkexec);
  return NULL;
}

/* ---- would polkit allow it without asking ------------------------------------------- */

static GVariant *
this_process (void)
{
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE ("a{sv}"));
  g_variant_builder_add (&b, "{sv}", "pid", g_variant_new_uint32 ((guint32) getpid ()));
  /* 0: polkit reads the start time itself, as it does for pkexec's check. */
  g_variant_builder_add (&b, "{sv}", "start-time", g_variant_new_uint64 (0));
  g_variant_builder_add (&b, "{sv}", "uid", g_variant_new_int32 ((gint32) getuid ()));
  return g_variant_new ("(s@a{sv})", "unix-process", g_variant_builder_end (&b));
}

/* CheckAuthorization for this process without user interaction: TRUE when
 * pkexec would run at once (a rule allows it, or an authentication is
 * still kept); else EXPIRED (polkit would ask) or DENIED. */
static gboolean
allowed_without_asking (const char *action, GError **error)
{
  g_autoptr (GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SYSTEM, NULL, error);
  g_autoptr (GVariant) reply = NULL;
  gboolean authorized = FALSE, challenge = FALSE;

  if (bus == NULL)
    return FALSE;
  reply = g_dbus_connection_call_sync (
      bus, "org.freedesktop.PolicyKit1", "/org/freedesktop/PolicyKit1/Authority",
      "org.freedesktop.PolicyKit1.Authority", "CheckAuthorization",
      g_variant_new ("(@(sa{sv})s@a{ss}us)", this_process (), action,
                     g_variant_new_array (G_VARIANT_TYPE ("{ss}"), NULL, 0), 0u, ""),
      G_VARIANT_TYPE ("((bba{ss}))"), G_DBUS_CALL_FLAGS_NONE, 10000, NULL, error);
  if (reply == NULL)
    return FALSE;
  g_variant_get (reply, "((bb@a{ss}))", &authorized, &challenge, NULL);
  if (!authorized)
    g_set_error (error, PORTOLAN_ADMIN_ERROR,
                 challenge ? PORTOLAN_ADMIN_ERROR_EXPIRED : PORTOLAN_ADMIN_ERROR_DENIED,
                 challenge ? _ ("Administrator rights have lapsed: Show All Owners… asks again.")
                           : _ ("Administrator rights were not given: owners stay hidden."));
  return authorized;
}

/* ---- running the helper ------------------------------------------------------------ */

/* The first or last line of @bytes with something in it, without
 * "portolan-cli: ": pkexec says why first, then "This incident has been
 * reported."; portolan-cli says one sentence, after its plan. */
static char *
line_of (GBytes *bytes, gboolean first)
{
  gsize size = bytes ? g_bytes_get_size (bytes) : 0;
  g_autofree char *text = size ? g_strndup (g_bytes_get_data (bytes, NULL), size) : g_strdup ("");
  g_auto (GStrv) lines = g_strsplit (g_strstrip (text), "\n", -1);
  guint n = g_strv_length (lines);
  const char *line = n == 0 ? "" : first ? lines[0] : lines[n - 1];

  if (g_str_has_prefix (line, "portolan-cli: "))
    line += strlen ("portolan-cli: ");
  return g_utf8_make_valid (line, -1);
}

static char *
last_line (GBytes *bytes)
{
  return line_of (bytes, FALSE);
}

/* What pkexec's exit status means, as an error; 0 and portolan-cli's own
 * codes are left to the caller. */
static gboolean
pkexec_refused (int status, GBytes *err_bytes, GError **error)
{
  g_autofree char *why = line_of (err_bytes, TRUE);

  if (status == PKEXEC_DISMISSED)
    g_set_error_literal (error, PORTOLAN_ADMIN_ERROR, PORTOLAN_ADMIN_ERROR_DISMISSED, why);
  else if (status == PKEXEC_NOT_AUTHORIZED)
    g_set_error (error, PORTOLAN_ADMIN_ERROR, PORTOLAN_ADMIN_ERROR_DENIED,
                 _ ("Administrator rights were not given (%s)."), why);
  else
    return FALSE;
  return TRUE;
}

/* Runs pkexec HELPER @args; returns its exit status (-1 with @error when it
 * did not run to its end), with what it wrote. */
static int
run_helper (const char *const *args, GCancellable *cancellable, GBytes **out, GBytes **err,
            GError **error)
{
  g_autofree char *pkexec = find_pkexec (error);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GSubprocess) proc = NULL;

  if (pkexec == NULL)
    return -1;
  g_ptr_array_add (argv, pkexec);
  /* No password prompt in a terminal the app may have been started from:
   * the desktop's agent asks, or nobody does. */
  g_ptr_array_add (argv, "--disable-internal-agent");
  g_ptr_array_add (argv, (gpointer) PORTOLAN_HELPER);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_newv ((const char *const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, error);
  if (proc == NULL || !g_subprocess_communicate (proc, NULL, cancellable, out, err, error))
    return -1;
  if (!g_subprocess_get_if_exited (proc))
    {
      g_set_error (error, PORTOLAN_ADMIN_ERROR, PORTOLAN_ADMIN_ERROR_FAILED,
                   _ ("portolan-cli ended without an answer."));
      return -1;
    }
  return g_subprocess_get_exit_status (proc);
}

PortolanTable *
portolan_admin_read_owners (guint first, guint last, gboolean interactive,
                            GCancellable *cancellable, GError **error)
{
  g_autofree char *span
      = first == last ? g_strdup_printf ("%u", first) : g_strdup_printf ("%u-%u", first, last);
  gboolean all = first == 0 && last >= 65535;
  const char *args[] = { "list", "--json", all ? NULL : "--port", span, NULL };
  g_autoptr (GBytes) out = NULL, err = NULL;
  int status;

  if (!interactive && !allowed_without_asking (READ_ACTION, error))
    return NULL;
  if ((status = run_helper (args, cancellable, &out, &err, error)) < 0)
    return NULL;
  if (pkexec_refused (status, err, error))
    return NULL;
  if (status != 0)
    {
      g_autofree char *why = last_line (err);

      g_set_error_literal (error, PORTOLAN_ADMIN_ERROR, PORTOLAN_ADMIN_ERROR_FAILED, why);
      return NULL;
    }
  return portolan_admin_parse_table (g_bytes_get_data (out, NULL), g_bytes_get_size (out), error);
}

gboolean
portolan_admin_end_process (guint port, long pid, guint64 start_time, char **said, GError **error)
{
  g_autofree char *port_arg = g_strdup_printf ("%u", port);
  g_autofree char *pid_arg = g_strdup_printf ("%ld", pid);
  g_autofree char *start_arg = g_strdup_printf ("%" G_GUINT64_FORMAT, start_time);
  /* A start time the scan could not read (0) is no start time to check:
   * portolan-cli still compares the one it reads with the one just before
   * the signal. */
  const char *args[]
      = { "kill",    port_arg, "--yes", "--pid", pid_arg, start_time ? "--start-time" : NULL,
          start_arg, NULL };
  g_autoptr (GBytes) out = NULL, err = NULL;
  g_autofree char *err_line = NULL;
  int status;

  if ((status = run_helper (args, NULL, &out, &err, error)) < 0)
    return FALSE;
  if (pkexec_refused (status, err, error))
    return FALSE;
  *said = last_line (out);
  if (status == 0)
    return TRUE;
  /* Refusals come on stderr, "not signalled" on stdout: the sentence. */
  err_line = last_line (err);
  g_set_error_literal (error, PORTOLAN_ADMIN_ERROR, PORTOLAN_ADMIN_ERROR_FAILED,
                       err_line[0] ? err_line : *said);
  return FALSE;
}

/* ---- the helper's JSON --------------------------------------------------------------- */

static const char *
member_str (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
             ? json_node_get_string (n)
             : NULL;
}

static gint64
member_int (JsonObject *o, const char *name, gint64 otherwise)
{
  JsonNode *n = json_object_get_member (o, name);

  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64
             ? json_node_get_int (n)
             : otherwise;
}

static const char *
member_text (JsonObject *o, const char *name)
{
  const char *text = member_str (o, name);

  return text ? text : "";
}

static JsonArray *
member_array (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  return n && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

static gboolean
parse_names (JsonObject *o, PtlSocket *s)
{
  const char *proto = member_str (o, "protocol"), *family = member_str (o, "family");
  const char *state = member_str (o, "state");
  gboolean known_state = FALSE;

  /* The socket table has TCP and UDP only. */
  s->proto = g_strcmp0 (proto, "tcp") == 0   ? PTL_PROTO_TCP
             : g_strcmp0 (proto, "udp") == 0 ? PTL_PROTO_UDP
                                             : 0;
  s->family = g_strcmp0 (family, "ipv6") == 0   ? PTL_FAMILY_IPV6
              : g_strcmp0 (family, "ipv4") == 0 ? PTL_FAMILY_IPV4
                                                : 0;
  for (int i = 0; state && i < PTL_N_STATES && !known_state; i++)
    if (strcmp (state, ptl_state_name ((PtlState) i)) == 0)
      s->state = (PtlState) i, known_state = TRUE;
  return s->proto != 0 && s->family != 0 && known_state;
}

static JsonObject *
member_object (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static gboolean
member_bool (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_BOOLEAN
         && json_node_get_boolean (n);
}

static void
copy_text (char *to, gsize size, JsonObject *o, const char *name)
{
  g_strlcpy (to, member_text (o, name), size);
}

/* {engine, id, name, pod}, or nothing when @o has no such member. */
static void
parse_container (JsonObject *o, const char *name, PtlContainer *c)
{
  JsonObject *co = member_object (o, name);
  const char *engine = co ? member_str (co, "engine") : NULL;

  for (int e = PTL_ENGINE_DOCKER; engine && e <= PTL_ENGINE_KUBERNETES; e++)
    if (strcmp (engine, ptl_engine_name ((PtlEngine) e)) == 0)
      c->engine = (PtlEngine) e;
  if (c->engine == PTL_ENGINE_NONE)
    return;
  copy_text (c->id, sizeof c->id, co, "id");
  copy_text (c->name, sizeof c->name, co, "name");
  copy_text (c->pod, sizeof c->pod, co, "pod");
}

/* Where a relay (docker-proxy, conmon) forwards to. */
static void
parse_relay (JsonObject *o, PtlRelay *r)
{
  JsonObject *ro = member_object (o, "relay_to");
  const char *proto = ro ? member_str (ro, "protocol") : NULL;

  r->proto = g_strcmp0 (proto, "tcp") == 0   ? PTL_PROTO_TCP
             : g_strcmp0 (proto, "udp") == 0 ? PTL_PROTO_UDP
                                             : 0;
  if (r->proto == 0)
    return;
  copy_text (r->address, sizeof r->address, ro, "address");
  r->port = (unsigned) member_int (ro, "port", 0);
  parse_container (ro, "container", &r->container);
}

static gboolean
parse_owner (PtlSocketTable *t, JsonNode *node, size_t *proc)
{
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  PtlProcess p = { 0 };

  p.pid = o ? (long) member_int (o, "pid", -1) : -1;
  if (p.pid <= 0 || member_str (o, "name") == NULL)
    return FALSE;
  p.start_time = (uint64_t) member_int (o, "start_time", 0);
  p.uid = (long) member_int (o, "uid", -1);
  p.name = (char *) member_str (o, "name");
  p.path = (char *) member_str (o, "path");
  p.cmdline = (char *) member_str (o, "cmdline");
  copy_text (p.user, sizeof p.user, o, "user");
  p.thread = (long) member_int (o, "thread", 0);
  p.main_thread_exited = member_bool (o, "main_thread_exited");
  copy_text (p.unit, sizeof p.unit, o, "unit");
  copy_text (p.user_unit, sizeof p.user_unit, o, "user_unit");
  parse_container (o, "container", &p.container);
  parse_relay (o, &p.relay);
  /* The strings are copied into @t. */
  *proc = ptl_socket_table_add_proc (t, &p);
  return *proc != (size_t) -1;
}

static gboolean
parse_socket (PtlSocketTable *t, JsonNode *node)
{
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonArray *owners = o ? member_array (o, "processes") : NULL;
  PtlSocket s = { 0 }, *row;
  size_t procs[16], n = 0;

  if (o == NULL || owners == NULL || !parse_names (o, &s))
    return FALSE;
  g_strlcpy (s.local_address, member_text (o, "local_address"), sizeof s.local_address);
  g_strlcpy (s.remote_address, member_text (o, "remote_address"), sizeof s.remote_address);
  g_strlcpy (s.user, member_text (o, "user"), sizeof s.user);
  s.local_port = (unsigned) member_int (o, "local_port", 0);
  s.remote_port = (unsigned) member_int (o, "remote_port", 0);
  s.uid = (long) member_int (o, "uid", -1);
  s.inode = (uint64_t) member_int (o, "inode", 0);
  if (member_str (o, "owner_note"))
    s.owner_note = g_intern_string (member_str (o, "owner_note"));
  s.owners_partial = member_bool (o, "owners_partial");
  if ((row = ptl_socket_table_append (t, &s)) == NULL)
    return FALSE;
  /* Text the table keeps, as the platform's own rows do. */
  if (member_str (o, "owner_detail"))
    row->owner_detail = ptl_socket_table_keep_string (t, member_str (o, "owner_detail"));
  if (member_str (o, "unit"))
    row->unit = ptl_socket_table_keep_string (t, member_str (o, "unit"));
  for (guint i = 0; i < json_array_get_length (owners) && n < G_N_ELEMENTS (procs); i++)
    if (!parse_owner (t, json_array_get_element (owners, i), &procs[n++]))
      return FALSE;
  return ptl_socket_table_set_owners (t, t->len - 1, procs, n) == 0;
}

PortolanTable *
portolan_admin_parse_table (const char *json, gsize len, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (PortolanTable) table = g_new0 (PortolanTable, 1);
  JsonNode *root;
  JsonArray *sockets, *notes;

  ptl_socket_table_init (&table->table);
  if (!json_parser_load_from_data (parser, json, (gssize) len, error))
    return NULL;
  root = json_parser_get_root (parser);
  sockets = root && JSON_NODE_HOLDS_OBJECT (root)
                ? member_array (json_node_get_object (root), "sockets")
                : NULL;
  for (guint i = 0; sockets && i < json_array_get_length (sockets); i++)
    if (!parse_socket (&table->table, json_array_get_element (sockets, i)))
      sockets = NULL;
  if (sockets == NULL)
    {
      g_set_error (error, PORTOLAN_ADMIN_ERROR, PORTOLAN_ADMIN_ERROR_FAILED,
                   _ ("portolan-cli’s answer is not the socket table it should be."));
      return NULL;
    }
  notes = member_array (json_node_get_object (root), "notes");
  for (guint i = 0; notes && i < json_array_get_length (notes); i++)
    {
      JsonNode *note = json_array_get_element (notes, i);

      if (JSON_NODE_HOLDS_VALUE (note) && json_node_get_value_type (note) == G_TYPE_STRING)
        ptl_socket_table_add_note (&table->table, json_node_get_string (note));
    }
  return g_steal_pointer (&table);
}
