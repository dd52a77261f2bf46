/* test-scan.c: the GUI's worker-thread scans (portolan-scan.c), on this
 * machine: a table scan finds a child's listener with its PID, sorted for
 * the model; a query that does not parse fails at once with the core's
 * own sentence; a good query builds its report in the thread.
 */
#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "portolan-scan.h"
#include "portolan-socket-row.h"
#include "ptl-snapshot.h"
#include "ptl-test-util.h"

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
store_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  (void) source;
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_table (void)
{
  g_autoptr (PtlTestHolder) holder = ptl_test_holder_start ("tcp4-listen");
  guint port = ptl_test_holder_port (holder, "tcp4-listen");
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (PortolanTable) table = NULL;
  g_autoptr (GError) error = NULL;
  gboolean found = FALSE;

  portolan_scan_table_async (NULL, NULL, store_result, &result);
  table = portolan_scan_table_finish (wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_true (ptl_snapshot_is_sorted (&table->table));
  for (size_t i = 0; i < table->table.len; i++)
    {
      const PtlSocket *s = &table->table.rows[i];
      const PtlProcess *owner = ptl_socket_owner (&table->table, s, 0);

      if (s->local_port == port && s->state == PTL_STATE_LISTEN && owner != NULL)
        found |= owner->pid == holder->pid;
    }
  g_assert_true (found);
}

static PortolanTable *
scan_scoped (PortolanTable *previous, PtlNetnsScope scope)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  PortolanTable *table;

  portolan_scan_refresh_async (previous, scope, NULL, store_result, &result);
  table = portolan_scan_table_finish (wait_result (&result), &error);
  g_assert_no_error (error);
  return table;
}

static PortolanTable *
scan (PortolanTable *previous)
{
  return scan_scoped (previous, PTL_NETNS_CURRENT);
}

/* The holder's listener in @t, or NULL. */
static PtlSocket *
holder_row (PortolanTable *t, guint port)
{
  for (size_t i = 0; i < t->table.len; i++)
    if (t->table.rows[i].local_port == port && t->table.rows[i].state == PTL_STATE_LISTEN)
      return &t->table.rows[i];
  return NULL;
}

static long
first_pid (PortolanTable *t, const PtlSocket *s)
{
  const PtlProcess *p = ptl_socket_owner (&t->table, s, 0);

  return p ? p->pid : 0;
}

/* A refresh carries owners over from the last table: a socket held
 * throughout keeps its owner; one whose recorded owner no longer runs as
 * that process (another start time) is searched again and found; one
 * whose owner was not found last time is not searched again. */
static void
test_refresh_carries_owners (void)
{
  g_autoptr (PtlTestHolder) holder = ptl_test_holder_start ("tcp4-listen");
  guint port = ptl_test_holder_port (holder, "tcp4-listen");
  g_autoptr (PortolanTable) full = scan (NULL);
  g_autoptr (PortolanTable) carried = NULL, searched = NULL, parked = NULL;
  PtlSocket *s = holder_row (full, port);
  size_t fake;

  g_assert_nonnull (s);
  g_assert_cmpint (first_pid (full, s), ==, holder->pid);
  carried = scan (full);
  g_assert_cmpint (first_pid (carried, holder_row (carried, port)), ==, holder->pid);

  /* Recorded as held by the holder's PID but with another start time: a
   * reused PID. The carried owner is dropped and the real one found. */
  fake = full->table.owner_links[s->owners_first];
  full->table.procs[fake].start_time += 1;
  free (full->table.procs[fake].name);
  full->table.procs[fake].name = memcpy (malloc (sizeof "impostor"), "impostor", sizeof "impostor");
  g_assert_cmpstr (ptl_socket_owner (&full->table, s, 0)->name, ==, "impostor");
  searched = scan (full);
  g_assert_cmpstr (ptl_socket_owner (&searched->table, holder_row (searched, port), 0)->name, !=,
                   "impostor");
  g_assert_cmpint (first_pid (searched, holder_row (searched, port)), ==, holder->pid);

  /* Not found last time: the answer stands until a full search. */
  s->n_owners = 0;
  s->owner_note = "owner not found (a test)";
  parked = scan (full);
  g_assert_cmpuint (holder_row (parked, port)->n_owners, ==, 0);
  g_assert_cmpstr (holder_row (parked, port)->owner_note, ==, "owner not found (a test)");
  g_assert_cmpuint (holder_row (parked, port)->inode, ==, s->inode);
}

/* With All Namespaces (as root), a listener in a network namespace of its
 * own comes with that namespace; the row says where it lives. Without,
 * the namespaces are counted only. */
static void
test_other_namespaces (void)
{
  g_autoptr (PtlTestHolder) h
      = ptl_test_situation_start_netns ((const char *const[]){ "port", "0", NULL });
  g_autoptr (PortolanTable) all = NULL, counted = NULL;
  g_autoptr (PortolanSocketRow) row = NULL;
  g_autofree char *want = NULL, *link = NULL;
  struct stat st;
  PtlSocket *s;

  if (h == NULL)
    {
      g_test_skip ("needs root and unshare --net for a network namespace of its own");
      return;
    }
  link = g_strdup_printf ("/proc/%d/ns/net", h->pid);
  g_assert_cmpint (stat (link, &st), ==, 0);
  all = scan_scoped (NULL, PTL_NETNS_ALL);
  s = holder_row (all, ptl_test_holder_port (h, "listen"));
  /* The host may have a listener on the same port: find the one inside. */
  for (size_t i = 0; s && i < all->table.len && s->netns == 0; i++)
    if (all->table.rows[i].local_port == s->local_port && all->table.rows[i].netns != 0)
      s = &all->table.rows[i];
  g_assert_nonnull (s);
  g_assert_cmpuint (s->netns, !=, 0);
  g_assert_cmpuint (ptl_socket_netns (&all->table, s)->id, ==, (guint64) st.st_ino);
  g_assert_cmpint (first_pid (all, s), ==, h->pid);
  row = portolan_socket_row_new (&all->table, s);
  want = g_strdup_printf ("net:[%" G_GUINT64_FORMAT "]", (guint64) st.st_ino);
  g_assert_cmpstr (portolan_socket_row_get_namespace (row), ==, want);
  counted = scan_scoped (NULL, PTL_NETNS_COUNT);
  g_assert_cmpint (counted->table.n_other_netns, >=, 1);
  for (size_t i = 0; i < counted->table.len; i++)
    g_assert_cmpuint (counted->table.rows[i].netns, ==, 0);
}

/* A unit (from /proc/PID/cgroup) shows in the row, and a refresh that
 * carries the owner over keeps it. */
static void
test_unit_carried (void)
{
  g_autofree char *why = NULL;
  PtlTestUnitCgroup *cg = ptl_test_unit_cgroup_new ("ptl-scan", &why);
  g_autoptr (PtlTestHolder) h = NULL;
  g_autoptr (PortolanTable) full = NULL, carried = NULL;
  g_autoptr (PortolanSocketRow) row = NULL;
  const char *unit;
  guint port;

  if (cg == NULL)
    {
      g_test_skip (why);
      return;
    }
  unit = cg->unit;
  h = ptl_test_situation_start ("cgroup", cg->dir);
  port = ptl_test_holder_port (h, "listen");
  full = scan (NULL);
  g_assert_cmpstr (ptl_socket_owner (&full->table, holder_row (full, port), 0)->unit, ==, unit);
  carried = scan (full);
  g_assert_cmpstr (ptl_socket_owner (&carried->table, holder_row (carried, port), 0)->unit, ==,
                   unit);
  row = portolan_socket_row_new (&carried->table, holder_row (carried, port));
  g_assert_cmpstr (portolan_socket_row_get_unit (row), ==, unit);
  ptl_test_holder_free (g_steal_pointer (&h));
  ptl_test_unit_cgroup_free (cg);
}

static void
test_report_bad_query (void)
{
  const char *bad[] = { "70000", "ssh/xyz", "10-5", "" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GAsyncResult) result = NULL;
      g_autoptr (GError) error = NULL;
      PtlQuery query;
      PtlError expected = { 0 };

      g_assert_cmpint (ptl_query_parse (bad[i], &query, &expected), <, 0);
      portolan_scan_report_async (bad[i], NULL, store_result, &result);
      g_assert_null (portolan_scan_report_finish (wait_result (&result), &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_cmpstr (error->message, ==, expected.message);
    }
}

static void
test_report (void)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (PtlReportSet) set = NULL;

  portolan_scan_report_async ("1644", NULL, store_result, &result);
  set = portolan_scan_report_finish (wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (set->n_reports, ==, 1);
  g_assert_cmpuint (set->reports[0].port, ==, 1644);
  g_assert_cmpuint (set->reports[0].range, ==, PTL_RANGE_REGISTERED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/portolan/scan/table", test_table);
  g_test_add_func ("/portolan/scan/refresh-carries-owners", test_refresh_carries_owners);
  g_test_add_func ("/portolan/scan/other-namespaces", test_other_namespaces);
  g_test_add_func ("/portolan/scan/unit-carried", test_unit_carried);
  g_test_add_func ("/portolan/scan/report-bad-query", test_report_bad_query);
  g_test_add_func ("/portolan/scan/report", test_report);
  return g_test_run ();
}
