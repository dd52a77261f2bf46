/* test-socket-model.c: the Connections model applies snapshots as diffs.
 *
 * As in GTK's own list-model tests, the model is rendered as a string of
 * local ports ("22 80 443") and its items-changed signals are recorded as
 * a string: "+2" one row added at 2, "-1" one removed at 1, "2+3" three
 * added at 2, "4-2" two removed at 4, comma-separated in emission order.
 * Marks are rendered as "s n r" (steady, new, removed).
 */
#include <gtk/gtk.h>

#include "portolan-socket-model.h"
#include "ptl-snapshot.h"
#include "ptl-test-spec.h"

#define MARK_MS 30

static GQuark changes_quark;

static char *
model_ports (GListModel *model)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (PortolanSocketRow) row = g_list_model_get_item (model, i);

      g_string_append_printf (s, "%s%u", i ? " " : "", portolan_socket_row_get_local_port (row));
    }
  return g_string_free (s, FALSE);
}

static char *
model_marks (GListModel *model)
{
  static const char letters[] = { 's', 'n', 'r' };
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (PortolanSocketRow) row = g_list_model_get_item (model, i);

      g_string_append_printf (s, "%s%c", i ? " " : "", letters[portolan_socket_row_get_mark (row)]);
    }
  return g_string_free (s, FALSE);
}

static void
record_change (GListModel *model, guint position, guint removed, guint added, GString *changes)
{
  if (changes->len)
    g_string_append (changes, ", ");
  if (removed == 1 && added == 0)
    g_string_append_printf (changes, "-%u", position);
  else if (removed == 0 && added == 1)
    g_string_append_printf (changes, "+%u", position);
  else
    {
      g_string_append_printf (changes, "%u", position);
      if (removed)
        g_string_append_printf (changes, "-%u", removed);
      if (added)
        g_string_append_printf (changes, "+%u", added);
    }
  /* Each emission must leave the model consistent with what it announced. */
  g_assert_cmpuint (position + added, <=, g_list_model_get_n_items (model));
}

static void
free_changes (gpointer data)
{
  g_string_free (data, TRUE);
}

static PortolanSocketModel *
new_model (void)
{
  PortolanSocketModel *model = portolan_socket_model_new ();
  GString *changes = g_string_new (NULL);

  portolan_socket_model_set_mark_timeout (model, MARK_MS);
  g_object_set_qdata_full (G_OBJECT (model), changes_quark, changes, free_changes);
  g_signal_connect (model, "items-changed", G_CALLBACK (record_change), changes);
  return model;
}

static void
apply (PortolanSocketModel *model, const char *spec)
{
  PortolanTable *t = g_new0 (PortolanTable, 1);

  ptl_test_table_from_spec (&t->table, spec);
  portolan_socket_model_apply (model, t);
}

/* The changes recorded since the last call, then forgotten. */
static char *
take_changes (PortolanSocketModel *model)
{
  GString *changes = g_object_get_qdata (G_OBJECT (model), changes_quark);
  char *s = g_strdup (changes->str);

  g_string_truncate (changes, 0);
  return s;
}

static void
forget_changes (PortolanSocketModel *model)
{
  g_free (take_changes (model));
}

#define assert_model(model, ports, marks)                                                          \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_autofree char *got_ports_ = model_ports (G_LIST_MODEL (model));                              \
    g_autofree char *got_marks_ = model_marks (G_LIST_MODEL (model));                              \
    g_assert_cmpstr (got_ports_, ==, ports);                                                       \
    g_assert_cmpstr (got_marks_, ==, marks);                                                       \
  }                                                                                                \
  G_STMT_END

#define assert_changes(model, expected)                                                            \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_autofree char *got_changes_ = take_changes (model);                                          \
    g_assert_cmpstr (got_changes_, ==, expected);                                                  \
  }                                                                                                \
  G_STMT_END

static gboolean
timed_out (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop past the mark timeout so marks expire. */
static void
wait_marks (void)
{
  gboolean done = FALSE;

  g_timeout_add (MARK_MS * 3, timed_out, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
count_notify (GObject *object, GParamSpec *pspec, GString *log)
{
  (void) object;
  g_string_append_printf (log, "%s%s", log->len ? " " : "", pspec->name);
}

static GString *
watch_row (PortolanSocketModel *model, guint position)
{
  g_autoptr (PortolanSocketRow) row = g_list_model_get_item (G_LIST_MODEL (model), position);
  GString *log = g_string_new (NULL);

  g_signal_connect (row, "notify", G_CALLBACK (count_notify), log);
  return log;
}

static void
test_first (void)
{
  g_autoptr (PortolanSocketModel) model = new_model ();

  g_assert_null (portolan_socket_model_get_table (model));
  apply (model, "443 22 80");
  assert_changes (model, "0+3");
  assert_model (model, "22 80 443", "s s s");
  g_assert_cmpuint (portolan_socket_model_get_table (model)->len, ==, 3);
}

static void
test_no_change (void)
{
  g_autoptr (PortolanSocketModel) model = new_model ();
  g_autoptr (GString) log = NULL;

  apply (model, "22 80/7 443");
  forget_changes (model);
  log = watch_row (model, 1);
  apply (model, "22 80/7 443");
  assert_changes (model, "");
  g_assert_cmpstr (log->str, ==, "");
  assert_model (model, "22 80 443", "s s s");
}

static void
test_state_change (void)
{
  g_autoptr (PortolanSocketModel) model = new_model ();
  g_autoptr (GString) log = NULL;
  g_autoptr (PortolanSocketRow) before = NULL;
  g_autoptr (PortolanSocketRow) after = NULL;

  apply (model, "22 80 443");
  forget_changes (model);
  log = watch_row (model, 1);
  before = g_list_model_get_item (G_LIST_MODEL (model), 1);
  apply (model, "22 80:E 443");
  /* Replaced by itself, so filter and sort models above look again. */
  assert_changes (model, "1-1+1");
  g_assert_cmpstr (log->str, ==, "state");
  g_assert_cmpstr (portolan_socket_row_get_state (before), ==, "ESTABLISHED");
  /* The same object still sits at the same place. */
  after = g_list_model_get_item (G_LIST_MODEL (model), 1);
  g_assert_true (after == before);
}

static void
test_owner_change (void)
{
  g_autoptr (PortolanSocketModel) model = new_model ();
  g_autoptr (GString) log = NULL;
  g_autoptr (PortolanSocketRow) row = NULL;

  apply (model, "22 80/7 443");
  forget_changes (model);
  log = watch_row (model, 1);
  apply (model, "22 80/9 443");
  assert_changes (model, "1-1+1");
  g_assert_cmpstr (log->str, ==, "pid");
  row = g_list_model_get_item (G_LIST_MODEL (model), 1);
  g_assert_cmpint (portolan_socket_row_get_pid (row), ==, 9);
}

static void
test_insert_middle (void)
{
  g_autoptr (PortolanSocketModel) model = new_model ();

  apply (model, "22 80 443");
  forget_changes (model);
  apply (model, "22 80 81 82 443");
  assert_changes (model, "2+2");
  assert_model (model, "22 80 81 82 443", "s s n n s");
  apply (model, "10 22 80 81 82 443 8080");
  assert_changes (model, "+0, +6");
  wait_marks ();
  assert_changes (model, "");
  assert_model (model, "10 22 80 81 82 443 8080", "s s s s s s s");
}

static void
test_remove (void)
{
  g_autoptr (PortolanSocketModel) model = new_model ();

  apply (model, "22 80 443");
  forget_changes (model);
  apply (model, "22 443");
  /* The removed row stays, red, until its mark expires. */
  assert_changes (model, "");
  assert_model (model, "22 80 443", "s r s");
  wait_marks ();
  assert_changes (model, "-1");
  assert_model (model, "22 443", "s s");
}

/* Scattered removals leave in one items-changed per contiguous range. */
static void
test_remove_ranges (void)
{
  g_autoptr (PortolanSocketModel) model = new_model ();

  apply (model, "1 2 3 4 5 6 7");
  forget_changes (model);
  apply (model, "1 4 6");
  assert_changes (model, "");
  assert_model (model, "1 2 3 4 5 6 7", "s r r s r s r");
  wait_marks ();
  assert_changes (model, "-6, -4, 1-2");
  assert_model (model, "1 4 6", "s s s");
}

/* Rows added next to removed rows still on show land in key order, and a
 * removed socket that comes back is revived in place. */
static void
test_lingering (void)
{
  g_autoptr (PortolanSocketModel) model = new_model ();

  apply (model, "10 20 30 40");
  forget_changes (model);
  apply (model, "10 30 40 50");
  assert_changes (model, "+4");
  assert_model (model, "10 20 30 40 50", "s r s s n");
  apply (model, "10 15 25 30 50");
  assert_changes (model, "+1, +3");
  assert_model (model, "10 15 20 25 30 40 50", "s n r n s r n");
  apply (model, "10 15 20 25 30 50");
  assert_changes (model, "");
  assert_model (model, "10 15 20 25 30 40 50", "s n n n s r n");
  wait_marks ();
  assert_changes (model, "-5");
  assert_model (model, "10 15 20 25 30 50", "s s s s s s");
}

/* A socket listed twice that loses one listing: the listing that stays
 * keeps its row, and the other one's row is the one that leaves. */
static void
test_duplicate_key (void)
{
  g_autoptr (PortolanSocketModel) model = new_model ();
  g_autoptr (PortolanSocketRow) kept = NULL;
  g_autoptr (PortolanSocketRow) after = NULL;

  apply (model, "22 80 80 443");
  forget_changes (model);
  kept = g_list_model_get_item (G_LIST_MODEL (model), 1);
  apply (model, "22 80 443");
  assert_changes (model, "");
  assert_model (model, "22 80 80 443", "s s r s");
  wait_marks ();
  assert_changes (model, "-2");
  assert_model (model, "22 80 443", "s s s");
  after = g_list_model_get_item (G_LIST_MODEL (model), 1);
  g_assert_true (after == kept);
}

static void
test_empty (void)
{
  g_autoptr (PortolanSocketModel) model = new_model ();

  apply (model, "");
  assert_changes (model, "");
  apply (model, "22 80");
  assert_changes (model, "0+2");
  assert_model (model, "22 80", "n n");
  apply (model, "");
  assert_changes (model, "");
  wait_marks ();
  assert_changes (model, "0-2");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
}

/* Past max-ranges, one items-changed spans every range. */
static void
test_max_ranges (void)
{
  g_autoptr (PortolanSocketModel) model = new_model ();

  portolan_socket_model_set_max_ranges (model, 4);
  apply (model, "10 20 30");
  forget_changes (model);
  apply (model, "5 10 15 20 25 30 35");
  assert_changes (model, "+0, +2, +4, +6");
  apply (model, "1 5 10 15 20 25 30 35 36 40");
  assert_changes (model, "+0, 8+2");
  portolan_socket_model_set_max_ranges (model, 1);
  apply (model, "0 1 5 10 15 20 25 30 35 36 37 40");
  assert_changes (model, "0-9+11");
  assert_model (model, "0 1 5 10 15 20 25 30 35 36 37 40", "n n n s n s n s n n n n");
  apply (model, "10 20 30");
  assert_changes (model, "");
  wait_marks ();
  assert_changes (model, "0-12+3");
  assert_model (model, "10 20 30", "s s s");
}

/* A copy of the model kept only from its items-changed signals, as a view
 * keeps one: after each signal it must equal the model. */
static void
mirror_change (GListModel *model, guint position, guint removed, guint added, GPtrArray *mirror)
{
  g_assert_cmpuint (position + removed, <=, mirror->len);
  g_ptr_array_remove_range (mirror, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (mirror, (int) (position + i), g_list_model_get_item (model, position + i));
  g_assert_cmpuint (mirror->len, ==, g_list_model_get_n_items (model));
}

/* The rows stay in key order, which every position the model computes
 * relies on. */
static void
assert_key_order (GPtrArray *rows)
{
  for (guint i = 1; i < rows->len; i++)
    g_assert_cmpint (ptl_snapshot_key_cmp (portolan_socket_row_get_socket (rows->pdata[i - 1]),
                                           portolan_socket_row_get_socket (rows->pdata[i])),
                     <, 0);
}

static void
assert_mirror (GListModel *model, GPtrArray *mirror)
{
  assert_key_order (mirror);
  g_assert_cmpuint (mirror->len, ==, g_list_model_get_n_items (model));
  for (guint i = 0; i < mirror->len; i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (model, i);

      g_assert_true (item == mirror->pdata[i]);
    }
}

/* A random spec of ports from 1..@span, about @percent of them. */
static char *
random_spec (GRand *rand, guint span, guint percent)
{
  GString *s = g_string_new (NULL);

  for (guint port = 1; port <= span; port++)
    if ((guint) g_rand_int_range (rand, 0, 100) < percent)
      g_string_append_printf (s, "%u%s ", port, g_rand_boolean (rand) ? "" : ":E");
  return g_string_free (s, FALSE);
}

/* Random snapshots, marks expiring in between, with and without
 * max-ranges: every signal keeps a mirror equal to the model. */
static void
test_random_mirror (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (1644);

  for (guint max_ranges = 0; max_ranges <= 2; max_ranges++)
    {
      g_autoptr (PortolanSocketModel) model = new_model ();
      g_autoptr (GPtrArray) mirror = g_ptr_array_new_with_free_func (g_object_unref);

      portolan_socket_model_set_max_ranges (model, max_ranges);
      g_signal_connect (model, "items-changed", G_CALLBACK (mirror_change), mirror);
      for (guint round = 0; round < 40; round++)
        {
          g_autofree char *spec = random_spec (rand, 200, g_rand_int_range (rand, 0, 90));

          apply (model, spec);
          assert_mirror (G_LIST_MODEL (model), mirror);
          if (g_rand_int_range (rand, 0, 3) == 0)
            wait_marks ();
          assert_mirror (G_LIST_MODEL (model), mirror);
        }
      forget_changes (model);
    }
}

#define assert_ports(list, expected)                                                               \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_autofree char *got_ = model_ports (G_LIST_MODEL (list));                                     \
    g_assert_cmpstr (got_, ==, expected);                                                          \
  }                                                                                                \
  G_STMT_END

static gboolean
is_established (gpointer item, gpointer data)
{
  return g_strcmp0 (portolan_socket_row_get_state (item), "ESTABLISHED") == 0;
}

/* A row updated in place is re-checked by a filter and a sorter stacked on
 * the model, as in the Connections view: it shows up under an
 * ESTABLISHED filter once it is established, and moves when sorted by
 * state. */
static void
test_filter_sort_follow_updates (void)
{
  g_autoptr (PortolanSocketModel) model = new_model ();
  g_autoptr (GtkFilterListModel) filtered
      = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (model)),
                                   GTK_FILTER (gtk_custom_filter_new (is_established, NULL, NULL)));
  g_autoptr (GtkSortListModel) sorted
      = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (model)),
                                 GTK_SORTER (gtk_string_sorter_new (gtk_property_expression_new (
                                     PORTOLAN_TYPE_SOCKET_ROW, NULL, "state"))));

  apply (model, "22 80 443:E");
  assert_ports (filtered, "443");
  assert_ports (sorted, "443 22 80");
  apply (model, "22 80:E 443:E");
  assert_ports (filtered, "80 443");
  assert_ports (sorted, "80 443 22");
  /* Under a spanning limit the same rows are re-checked by one signal. */
  portolan_socket_model_set_max_ranges (model, 1);
  apply (model, "22:E 80 443");
  assert_ports (filtered, "22");
  assert_ports (sorted, "22 80 443");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  changes_quark = g_quark_from_static_string ("test-changes");
  g_test_add_func ("/portolan/socket-model/first", test_first);
  g_test_add_func ("/portolan/socket-model/no-change", test_no_change);
  g_test_add_func ("/portolan/socket-model/state-change", test_state_change);
  g_test_add_func ("/portolan/socket-model/owner-change", test_owner_change);
  g_test_add_func ("/portolan/socket-model/filter-sort-follow-updates",
                   test_filter_sort_follow_updates);
  g_test_add_func ("/portolan/socket-model/insert-middle", test_insert_middle);
  g_test_add_func ("/portolan/socket-model/remove", test_remove);
  g_test_add_func ("/portolan/socket-model/remove-ranges", test_remove_ranges);
  g_test_add_func ("/portolan/socket-model/lingering", test_lingering);
  g_test_add_func ("/portolan/socket-model/empty", test_empty);
  g_test_add_func ("/portolan/socket-model/duplicate-key", test_duplicate_key);
  g_test_add_func ("/portolan/socket-model/max-ranges", test_max_ranges);
  g_test_add_func ("/portolan/socket-model/random-mirror", test_random_mirror);
  return g_test_run ();
}
