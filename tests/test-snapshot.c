/* test-snapshot.c: the snapshot diff on hand-built tables, no platform.
 *
 * Tables are written as in ptl-test-spec.h ("80 443:E 8080/7"). A diff is
 * written as its runs:
 * "+N:LEN@P" adds LEN new rows from N before old row P, "-P:LEN" removes
 * old rows, "~P:LEN" updates them.
 */
#include <glib.h>
#include <string.h>

#include "ptl-snapshot.h"
#include "ptl-test-spec.h"

static char *
diff_string (const PtlSnapshotDiff *d)
{
  GString *s = g_string_new (NULL);

  for (size_t i = 0; i < d->n_runs; i++)
    {
      const PtlSnapshotRun *r = &d->runs[i];

      if (s->len)
        g_string_append_c (s, ' ');
      if (r->op == PTL_SNAPSHOT_ADDED)
        g_string_append_printf (s, "+%zu:%zu@%zu", r->new_pos, r->len, r->old_pos);
      else if (r->op == PTL_SNAPSHOT_REMOVED)
        g_string_append_printf (s, "-%zu:%zu", r->old_pos, r->len);
      else
        g_string_append_printf (s, "~%zu:%zu", r->old_pos, r->len);
    }
  return g_string_free (s, FALSE);
}

/* Diffs @old_spec against @new_spec and checks the runs. */
static void
check_diff (const char *old_spec, const char *new_spec, const char *expected)
{
  PtlSocketTable a, b;
  PtlSnapshotDiff d;
  g_autofree char *got = NULL;

  ptl_test_table_from_spec (&a, old_spec);
  ptl_test_table_from_spec (&b, new_spec);
  ptl_snapshot_diff_init (&d);
  g_assert_cmpint (ptl_snapshot_diff (&a, &b, &d), ==, 0);
  got = diff_string (&d);
  g_assert_cmpstr (got, ==, expected);
  ptl_snapshot_diff_clear (&d);
  ptl_socket_table_clear (&a);
  ptl_socket_table_clear (&b);
}

static void
test_same (void)
{
  check_diff ("", "", "");
  check_diff ("22 80 443", "22 80 443", "");
  check_diff ("22/10 80/11", "22/10 80/11", "");
}

static void
test_changed (void)
{
  check_diff ("22 80 443", "22 80:E 443", "~1:1");
  check_diff ("22 80 443", "22:E 80:E 443", "~0:2");
  check_diff ("22/10 80/11", "22/10 80/12", "~1:1");
  check_diff ("22/10 80", "22/10 80/12", "~1:1");
}

static void
test_added (void)
{
  check_diff ("22 443", "22 80 81 443", "+1:2@1");
  check_diff ("22 443", "21 22 443 444", "+0:1@0 +3:1@2");
  check_diff ("", "22 80", "+0:2@0");
}

static void
test_removed (void)
{
  check_diff ("22 80 81 443", "22 443", "-1:2");
  check_diff ("22 80", "", "-0:2");
  check_diff ("21 22 443 444", "22 443", "-0:1 -3:1");
}

static void
test_mixed (void)
{
  /* Old 80 goes, new 81 comes at the same place; 443 changes state. */
  check_diff ("22 80 443", "22 81 443:E", "-1:1 +1:1@2 ~2:1");
  check_diff ("22 81 443", "22 80 443", "+1:1@1 -1:1");
}

/* The key leaves the state out: a socket changing state keeps its place,
 * where ptl_socket_table_sort would move it past its neighbours. */
static void
test_key_order (void)
{
  PtlSocketTable t;
  PtlSocket a, b;

  ptl_test_table_from_spec (&t, "80 22:E 443 80:T");
  g_assert_true (ptl_snapshot_is_sorted (&t));
  g_assert_cmpuint (t.rows[0].local_port, ==, 22);
  g_assert_cmpuint (t.rows[3].local_port, ==, 443);
  a = t.rows[1];
  b = a;
  b.state = PTL_STATE_CLOSE_WAIT;
  g_assert_cmpint (ptl_snapshot_key_cmp (&a, &b), ==, 0);
  b.inode++;
  g_assert_cmpint (ptl_snapshot_key_cmp (&a, &b), <, 0);
  b = a;
  g_strlcpy (b.remote_address, "10.0.0.1", sizeof b.remote_address);
  g_assert_cmpint (ptl_snapshot_key_cmp (&a, &b), !=, 0);
  ptl_socket_table_clear (&t);
}

/* A second diff reuses the first one's arrays and forgets its runs. */
static void
test_reuse (void)
{
  PtlSocketTable a, b;
  PtlSnapshotDiff d;
  PtlSnapshotRun *runs;

  ptl_test_table_from_spec (&a, "1 3 5 7 9");
  ptl_test_table_from_spec (&b, "2 4 6 8");
  ptl_snapshot_diff_init (&d);
  g_assert_cmpint (ptl_snapshot_diff (&a, &b, &d), ==, 0);
  g_assert_cmpuint (d.n_added, ==, 4);
  g_assert_cmpuint (d.n_removed, ==, 5);
  runs = d.runs;
  g_assert_cmpint (ptl_snapshot_diff (&a, &a, &d), ==, 0);
  g_assert_cmpuint (d.n_runs, ==, 0);
  g_assert_cmpuint (d.n_added + d.n_removed + d.n_changed, ==, 0);
  g_assert_true (d.runs == runs);
  ptl_snapshot_diff_clear (&d);
  ptl_socket_table_clear (&a);
  ptl_socket_table_clear (&b);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ptl/snapshot/same", test_same);
  g_test_add_func ("/ptl/snapshot/changed", test_changed);
  g_test_add_func ("/ptl/snapshot/added", test_added);
  g_test_add_func ("/ptl/snapshot/removed", test_removed);
  g_test_add_func ("/ptl/snapshot/mixed", test_mixed);
  g_test_add_func ("/ptl/snapshot/key-order", test_key_order);
  g_test_add_func ("/ptl/snapshot/reuse", test_reuse);
  return g_test_run ();
}
