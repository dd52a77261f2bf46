/* test-cli-ss.c: `portolan-cli list --json` against `ss -tanup`, run back to
 * back. Connections come and go between the two runs, so only listening and
 * unconnected sockets (which do not churn) and the holder's own sockets are
 * compared; a mismatch is re-checked in a fresh pair of runs before it fails.
 */
#define _GNU_SOURCE

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "ptl-test-util.h"

#define ROUNDS 3

/* ---- one row, from either tool -------------------------------------------- */

typedef struct
{
  char proto[8];
  char state[16]; /* portolan's names: LISTEN, ESTABLISHED, UNCONN, … */
  char local[64]; /* canonical text (inet_ntop); "*" for ss's wildcard */
  guint local_port;
  char remote[64]; /* canonical text, or "*" */
  guint remote_port;
  GArray *pids; /* GPid */
} Row;

static void
row_free (gpointer data)
{
  Row *row = data;

  g_array_unref (row->pids);
  g_free (row);
}

static Row *
row_new (void)
{
  Row *row = g_new0 (Row, 1);

  row->pids = g_array_new (FALSE, FALSE, sizeof (GPid));
  return row;
}

static gboolean
row_has_pid (const Row *row, GPid pid)
{
  for (guint i = 0; i < row->pids->len; i++)
    {
      if (g_array_index (row->pids, GPid, i) == pid)
        return TRUE;
    }
  return FALSE;
}

/* Drops brackets and a "%scope", then prints the address the way inet_ntop
 * does, so "::ffff:1.2.3.4" or "0:0::1" compare equal whoever wrote them. */
static void
canonical_address (const char *in, char *out, gsize size)
{
  g_autofree char *text = g_strdup (in);
  char *p = text, *pct;
  unsigned char bin[16];

  if (*p == '[')
    p++;
  p[strcspn (p, "]")] = '\0';
  if ((pct = strchr (p, '%')) != NULL)
    *pct = '\0';
  if (inet_pton (AF_INET, p, bin) == 1)
    inet_ntop (AF_INET, bin, out, size);
  else if (inet_pton (AF_INET6, p, bin) == 1)
    inet_ntop (AF_INET6, bin, out, size);
  else
    g_strlcpy (out, p, size);
}

static const char *
family_of (const char *canonical)
{
  return strchr (canonical, ':') ? "ipv6" : "ipv4";
}

/* ---- portolan's side ------------------------------------------------------ */

static GPtrArray *
portolan_rows (JsonNode *root)
{
  JsonArray *socks = json_object_get_array_member (json_node_get_object (root), "sockets");
  GPtrArray *rows = g_ptr_array_new_with_free_func (row_free);

  g_assert_nonnull (socks);
  for (guint i = 0; i < json_array_get_length (socks); i++)
    {
      JsonObject *s = json_array_get_object_element (socks, i);
      JsonArray *procs = json_object_get_array_member (s, "processes");
      Row *row = row_new ();

      g_strlcpy (row->proto, json_object_get_string_member (s, "protocol"), sizeof row->proto);
      g_strlcpy (row->state, json_object_get_string_member (s, "state"), sizeof row->state);
      canonical_address (json_object_get_string_member (s, "local_address"), row->local,
                         sizeof row->local);
      canonical_address (json_object_get_string_member (s, "remote_address"), row->remote,
                         sizeof row->remote);
      row->local_port = (guint) json_object_get_int_member (s, "local_port");
      row->remote_port = (guint) json_object_get_int_member (s, "remote_port");
      g_assert_cmpstr (json_object_get_string_member (s, "family"), ==, family_of (row->local));
      for (guint j = 0; j < json_array_get_length (procs); j++)
        {
          GPid pid
              = (GPid) json_object_get_int_member (json_array_get_object_element (procs, j), "pid");
          g_array_append_val (row->pids, pid);
        }
      g_ptr_array_add (rows, row);
    }
  return rows;
}

/* ---- ss's side ------------------------------------------------------------ */

static const char *
ss_state (const char *ss)
{
  static const char *const map[][2] = {
    { "ESTAB", "ESTABLISHED" },     { "SYN-SENT", "SYN_SENT" },    { "SYN-RECV", "SYN_RECV" },
    { "FIN-WAIT-1", "FIN_WAIT1" },  { "FIN-WAIT-2", "FIN_WAIT2" }, { "TIME-WAIT", "TIME_WAIT" },
    { "CLOSE-WAIT", "CLOSE_WAIT" }, { "LAST-ACK", "LAST_ACK" },    { "CLOSING", "CLOSING" },
    { "LISTEN", "LISTEN" },         { "UNCONN", "UNCONN" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    {
      if (g_str_equal (map[i][0], ss))
        return map[i][1];
    }
  return ss;
}

/* "127.0.0.1:80", "[::1]:80", "127.0.0.53%lo:53", "[fe80::1]%eth0:546", "*:68" */
static void
ss_endpoint (const char *text, char *addr, gsize size, guint *port)
{
  const char *colon = strrchr (text, ':');
  g_autofree char *host = NULL;

  g_assert_nonnull (colon);
  host = g_strndup (text, colon - text);
  *port = g_str_equal (colon + 1, "*") ? 0 : (guint) g_ascii_strtoull (colon + 1, NULL, 10);
  canonical_address (host, addr, size);
}

/* users:(("name",pid=12,fd=3),("other",pid=13,fd=4)) */
static void
ss_pids (const char *process, GArray *pids)
{
  for (const char *p = process; (p = strstr (p, "pid=")) != NULL; p += 4)
    {
      GPid pid = (GPid) g_ascii_strtoll (p + 4, NULL, 10);
      g_array_append_val (pids, pid);
    }
}

static Row *
ss_parse_line (const char *line)
{
  g_auto (GStrv) f = g_regex_split_simple ("\\s+", line, 0, 0);
  Row *row;

  if (g_strv_length (f) < 6 || (!g_str_equal (f[0], "tcp") && !g_str_equal (f[0], "udp")))
    return NULL;
  row = row_new ();
  g_strlcpy (row->proto, f[0], sizeof row->proto);
  g_strlcpy (row->state, ss_state (f[1]), sizeof row->state);
  ss_endpoint (f[4], row->local, sizeof row->local, &row->local_port);
  ss_endpoint (f[5], row->remote, sizeof row->remote, &row->remote_port);
  /* the process column can hold spaces inside quoted names: search the line */
  ss_pids (line, row->pids);
  return row;
}

static GPtrArray *
ss_rows (const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GPtrArray *rows = g_ptr_array_new_with_free_func (row_free);

  g_assert_true (g_str_has_prefix (text, "Netid"));
  for (guint i = 1; lines[i] != NULL; i++)
    {
      Row *row = lines[i][0] ? ss_parse_line (lines[i]) : NULL;
      if (row != NULL)
        g_ptr_array_add (rows, row);
      else if (lines[i][0])
        g_test_message ("ss line not understood: %s", lines[i]);
    }
  return rows;
}

/* ---- comparing ------------------------------------------------------------ */

static gboolean
address_matches (const char *ss, const char *portolan)
{
  if (g_str_equal (ss, portolan))
    return TRUE;
  if (g_str_equal (ss, "*"))
    return g_str_equal (portolan, "0.0.0.0") || g_str_equal (portolan, "::");
  return g_str_equal (ss, portolan);
}

/* ss names a bound, not listening TCP socket UNCONN; netstat says CLOSE. */
static gboolean
state_matches (const Row *ss, const Row *p)
{
  if (g_str_equal (ss->state, p->state))
    return TRUE;
  return g_str_equal (ss->proto, "tcp") && g_str_equal (ss->state, "UNCONN")
         && g_str_equal (p->state, "CLOSE");
}

static gboolean
is_steady (const Row *row)
{
  return g_str_equal (row->state, "LISTEN") || g_str_equal (row->state, "UNCONN");
}

static const Row *
find_row (GPtrArray *rows, const Row *want, gboolean want_is_ss)
{
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *r = rows->pdata[i];
      const Row *ss = want_is_ss ? want : r, *p = want_is_ss ? r : want;
      if (g_str_equal (r->proto, want->proto) && r->local_port == want->local_port
          && address_matches (ss->local, p->local) && state_matches (ss, p))
        return r;
    }
  return NULL;
}

static void
note_missing (GPtrArray *problems, const char *where, const Row *row)
{
  g_ptr_array_add (problems, g_strdup_printf ("%s has no %s %s %s:%u", where, row->proto,
                                              row->state, row->local, row->local_port));
}

/* Other programs open and close sockets while we read, so a row counts as
 * missing only when it was there both before and after the other tool's
 * read: ss ran before and after @pt, and portolan-cli before and after @ss_b. */
static void
compare_steady (GPtrArray *ss_a, GPtrArray *pt, GPtrArray *ss_b, GPtrArray *pt_b,
                GPtrArray *problems)
{
  for (guint i = 0; i < ss_a->len; i++)
    {
      const Row *r = ss_a->pdata[i];
      if (is_steady (r) && find_row (ss_b, r, FALSE) != NULL && find_row (pt, r, TRUE) == NULL)
        note_missing (problems, "portolan-cli list", r);
    }
  for (guint i = 0; i < pt->len; i++)
    {
      const Row *r = pt->pdata[i];
      if (is_steady (r) && find_row (pt_b, r, FALSE) != NULL && find_row (ss_b, r, FALSE) == NULL)
        note_missing (problems, "ss -tanup", r);
    }
}

typedef struct
{
  const char *proto, *local, *state;
  guint local_port, remote_port; /* remote 0: not checked */
} HeldSock;

static const Row *
find_held (GPtrArray *rows, const HeldSock *want)
{
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *r = rows->pdata[i];
      if (g_str_equal (r->proto, want->proto) && g_str_equal (r->local, want->local)
          && r->local_port == want->local_port && g_str_equal (r->state, want->state)
          && (want->remote_port == 0 || r->remote_port == want->remote_port))
        return r;
    }
  return NULL;
}

static void
compare_held (GPtrArray *ss, GPtrArray *pt, GArray *held, GPid pid, GPtrArray *problems)
{
  for (guint i = 0; i < held->len; i++)
    {
      const HeldSock *h = &g_array_index (held, HeldSock, i);
      const Row *in_ss = find_held (ss, h), *in_pt = find_held (pt, h);
      const char *const tool[] = { "ss -tanup", "portolan-cli list" };
      const Row *rows[] = { in_ss, in_pt };

      for (guint t = 0; t < 2; t++)
        {
          if (rows[t] == NULL)
            g_ptr_array_add (problems,
                             g_strdup_printf ("%s misses the holder's %s %s %s:%u", tool[t],
                                              h->proto, h->state, h->local, h->local_port));
          else if (!row_has_pid (rows[t], pid))
            g_ptr_array_add (problems,
                             g_strdup_printf ("%s does not name pid %d for %s %s:%u", tool[t], pid,
                                              h->proto, h->local, h->local_port));
        }
    }
}

static void
held_add (GArray *held, const char *proto, const char *local, const char *state, guint port,
          guint remote)
{
  HeldSock s = { proto, local, state, port, remote };

  g_array_append_val (held, s);
}

static GArray *
held_sockets (PtlTestHolder *h, gboolean v6)
{
  GArray *held = g_array_new (FALSE, FALSE, sizeof (HeldSock));
  guint lport = ptl_test_holder_port (h, "tcp4-pair");
  guint cport = ptl_test_holder_client_port (h, "tcp4-pair");

  held_add (held, "tcp", "127.0.0.1", "LISTEN", ptl_test_holder_port (h, "tcp4-listen"), 0);
  held_add (held, "udp", "127.0.0.1", "UNCONN", ptl_test_holder_port (h, "udp4"), 0);
  held_add (held, "tcp", "127.0.0.1", "LISTEN", lport, 0);
  held_add (held, "tcp", "127.0.0.1", "ESTABLISHED", lport, cport);
  held_add (held, "tcp", "127.0.0.1", "ESTABLISHED", cport, lport);
  if (v6)
    {
      held_add (held, "tcp", "::1", "LISTEN", ptl_test_holder_port (h, "tcp6-listen"), 0);
      held_add (held, "udp", "::1", "UNCONN", ptl_test_holder_port (h, "udp6"), 0);
    }
  return held;
}

/* Runs @argv, which must exit 0; returns its stdout. */
static char *
run (const char *const *argv)
{
  g_autofree char *err = NULL;
  char *out = NULL;
  int code = ptl_test_spawn_sync (NULL, argv, NULL, &out, &err);

  if (code != 0)
    g_test_message ("%s failed (exit %d): %s", argv[0], code, err);
  g_assert_cmpint (code, ==, 0);
  return out;
}

static GPtrArray *
read_cli (void)
{
  const char *cli_argv[] = { ptl_test_cli_path (), "list", "--json", NULL };
  g_autofree char *json = run (cli_argv);
  g_autoptr (JsonParser) parser = json_parser_new ();
  GError *error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return portolan_rows (json_parser_get_root (parser));
}

static GPtrArray *
read_ss (void)
{
  g_autofree char *ss_path = g_find_program_in_path ("ss");
  const char *ss_argv[] = { ss_path, "-tanup", NULL };
  g_autofree char *ss_text = run (ss_argv);

  return ss_rows (ss_text);
}

static GPtrArray *
one_round (GArray *held, GPid pid, gboolean *saw_2024)
{
  g_autoptr (GPtrArray) ss_a = read_ss ();
  g_autoptr (GPtrArray) pt = read_cli ();
  g_autoptr (GPtrArray) ss_b = read_ss ();
  g_autoptr (GPtrArray) pt_b = read_cli ();
  GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);

  compare_steady (ss_a, pt, ss_b, pt_b, problems);
  compare_held (ss_b, pt, held, pid, problems);
  for (guint i = 0; i < ss_b->len; i++)
    {
      const Row *r = ss_b->pdata[i];
      *saw_2024 = *saw_2024 || (r->local_port == 2024 && g_str_equal (r->state, "LISTEN"));
    }
  return problems;
}

static void
test_list_matches_ss (void)
{
  g_autofree char *ss_path = g_find_program_in_path ("ss");
  gboolean v6 = ptl_test_have_ipv6_loopback ();
  const char *const all[] = { "tcp4-listen", "udp4", "tcp4-pair", "tcp6-listen", "udp6", NULL };
  const char *const v4_only[] = { "tcp4-listen", "udp4", "tcp4-pair", NULL };
  g_autoptr (PtlTestHolder) h = NULL;
  g_autoptr (GArray) held = NULL;
  g_autoptr (GPtrArray) problems = NULL;
  gboolean saw_2024 = FALSE;

  if (ss_path == NULL)
    {
      g_test_skip ("ss (iproute2) is not installed; nothing to compare against");
      return;
    }
  if (!v6)
    g_test_message ("no IPv6 loopback here: comparing IPv4 sockets only");
  h = ptl_test_holder_start_full (NULL, ptl_test_holder_path (), v6 ? all : v4_only);
  held = held_sockets (h, v6);
  for (guint round = 0; round < ROUNDS; round++)
    {
      g_clear_pointer (&problems, g_ptr_array_unref);
      problems = one_round (held, h->pid, &saw_2024);
      for (guint i = 0; i < problems->len; i++)
        g_test_message ("round %u: %s", round + 1, (char *) problems->pdata[i]);
      if (problems->len == 0)
        break;
    }
  if (saw_2024)
    g_test_message ("the machine's listener on port 2024 was compared too");
  g_assert_cmpuint (problems->len, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/portolan/cli/list-matches-ss", test_list_matches_ss);
  return g_test_run ();
}
