/* bench-model-diff.c: portolan-bench-diff, how long the Connections model
 * takes to apply a refresh.
 *
 * A synthetic table of N rows (default 20,000; 200 owner processes) is
 * applied once, then R times (default 30) a snapshot in which 1 % of the
 * rows differ: a third removed, a third added, a third changed state. Only
 * portolan_socket_model_apply is timed; building and sorting the snapshot
 * happen in the scan's worker thread in the app, and are reported apart.
 * Between refreshes the marks expire (timed apart as well), as they would
 * in the app between two 2 s refreshes.
 *
 * Usage: portolan-bench-diff [ROWS [REPEATS]]
 * PORTOLAN_BENCH_TRACE=1 prints every apply's time to stderr.
 */
#include <gtk/gtk.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "portolan-socket-model.h"
#include "ptl-snapshot.h"

#define N_PROCS 200

typedef struct
{
  GArray *truth; /* PtlSocket: what the machine has right now */
  guint64 next_inode;
  GRand *rand;
} Machine;

static void
fill_socket (PtlSocket *s, guint64 inode, GRand *rand)
{
  memset (s, 0, sizeof *s);
  s->proto = g_rand_int_range (rand, 0, 4) ? PTL_PROTO_TCP : PTL_PROTO_UDP;
  s->family = g_rand_int_range (rand, 0, 3) ? PTL_FAMILY_IPV4 : PTL_FAMILY_IPV6;
  s->state = s->proto == PTL_PROTO_UDP ? PTL_STATE_UNCONN : PTL_STATE_ESTABLISHED;
  s->local_port = (unsigned) g_rand_int_range (rand, 1024, 65536);
  s->remote_port = (unsigned) g_rand_int_range (rand, 1, 65536);
  snprintf (s->local_address, sizeof s->local_address,
            s->family == PTL_FAMILY_IPV6 ? "fd00::%x" : "10.0.%u.%u",
            g_rand_int_range (rand, 0, 256), g_rand_int_range (rand, 1, 255));
  snprintf (s->remote_address, sizeof s->remote_address,
            s->family == PTL_FAMILY_IPV6 ? "2001:db8::%x" : "192.0.2.%u",
            g_rand_int_range (rand, 1, 255));
  s->uid = 1000;
  g_strlcpy (s->user, "alice", sizeof s->user);
  s->inode = inode;
}

/* The machine's sockets as a scan would return them: owned and sorted. */
static PortolanTable *
snapshot (Machine *m, gint64 *sort_us)
{
  PortolanTable *t = g_new0 (PortolanTable, 1);
  gint64 start;

  ptl_socket_table_init (&t->table);
  for (size_t p = 0; p < N_PROCS; p++)
    {
      char name[32];

      snprintf (name, sizeof name, "worker-%zu", p);
      ptl_socket_table_add_process (&t->table, 2000 + (long) p, 777 + p, 1000, "alice", name,
                                    "/usr/bin/worker", "worker --serve");
    }
  for (guint i = 0; i < m->truth->len; i++)
    {
      const PtlSocket *s = &g_array_index (m->truth, PtlSocket, i);
      size_t owner = s->inode % N_PROCS;

      ptl_socket_table_append (&t->table, s);
      ptl_socket_table_set_owners (&t->table, t->table.len - 1, &owner, 1);
    }
  start = g_get_monotonic_time ();
  ptl_snapshot_sort (&t->table);
  *sort_us = g_get_monotonic_time () - start;
  return t;
}

/* Changes @n rows: a third go, a third come, a third change state. */
static void
churn (Machine *m, guint n)
{
  for (guint k = 0; k < n / 3; k++)
    g_array_remove_index_fast (m->truth, g_rand_int_range (m->rand, 0, (gint32) m->truth->len));
  for (guint k = 0; k < n / 3; k++)
    {
      PtlSocket s;

      fill_socket (&s, m->next_inode++, m->rand);
      g_array_append_val (m->truth, s);
    }
  for (guint k = 0; k < n - 2 * (n / 3); k++)
    {
      PtlSocket *s = &g_array_index (m->truth, PtlSocket,
                                     g_rand_int_range (m->rand, 0, (gint32) m->truth->len));

      s->state = s->state == PTL_STATE_ESTABLISHED ? PTL_STATE_CLOSE_WAIT : PTL_STATE_ESTABLISHED;
    }
}

static void
count_changes (GListModel *model, guint pos, guint removed, guint added, guint *calls)
{
  (void) model, (void) pos, (void) removed, (void) added;
  (*calls)++;
}

/* This thread's CPU time: unlike the wall clock, it leaves out the time
 * other processes had the CPU (a loaded CI machine). */
static double
cpu_now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *v, guint n)
{
  qsort (v, n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Lets the 1 ms marks run out; returns the time spent dropping rows. */
static double
expire_marks (void)
{
  gint64 start, spent = 0;

  g_usleep (3000);
  start = g_get_monotonic_time ();
  while (g_main_context_iteration (NULL, FALSE))
    ;
  spent = g_get_monotonic_time () - start;
  return spent / 1000.0;
}

typedef struct
{
  double apply, p90, max, cpu, expire, sort, rebuild;
  guint calls, expire_calls;
} Results;

static gboolean
keep_all (gpointer item, gpointer data)
{
  (void) item, (void) data;
  return TRUE;
}

typedef enum
{
  VIEW_NONE,     /* the model alone */
  VIEW_DEFAULT,  /* filter and sort models, nothing filtered or sorted: both pass through */
  VIEW_FILTERED, /* a filter that must look at each row, no column sorted */
  VIEW_SORTED,   /* nothing filtered, sorted by local port */
} ViewKind;

static const char *const view_names[] = {
  "the model alone",
  "with the view's models, nothing filtered or sorted",
  "with the view's models, filtered",
  "with the view's models, sorted by a column",
};

/* The view's models on top: filter, then sort (as the Connections view). */
static GListModel *
attach_view_models (PortolanSocketModel *model, ViewKind kind)
{
  GtkFilter *filter = NULL;
  GtkSorter *sorter = NULL;
  GtkFilterListModel *filtered;

  if (kind == VIEW_NONE)
    return NULL;
  if (kind == VIEW_FILTERED)
    filter = GTK_FILTER (gtk_custom_filter_new (keep_all, NULL, NULL));
  if (kind == VIEW_SORTED)
    sorter = GTK_SORTER (gtk_numeric_sorter_new (
        gtk_property_expression_new (PORTOLAN_TYPE_SOCKET_ROW, NULL, "local-port")));
  filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (model)), filter);
  return G_LIST_MODEL (gtk_sort_list_model_new (G_LIST_MODEL (filtered), sorter));
}

static void
fill_machine (Machine *m, guint rows)
{
  for (guint i = 0; i < rows; i++)
    {
      PtlSocket s;

      fill_socket (&s, m->next_inode++, m->rand);
      g_array_append_val (m->truth, s);
    }
}

/* What a list rebuilt from scratch on every refresh would cost. */
static double
time_rebuild (Machine *m, ViewKind kind)
{
  g_autoptr (PortolanSocketModel) fresh = portolan_socket_model_new ();
  g_autoptr (GListModel) shown = attach_view_models (fresh, kind);
  gint64 sort_us, start;
  PortolanTable *t = snapshot (m, &sort_us);

  (void) shown; /* held so the view's models see the apply */
  start = g_get_monotonic_time ();
  portolan_socket_model_apply (fresh, t);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
run (guint rows, guint repeats, ViewKind kind, guint max_ranges, Results *res)
{
  Machine m = { g_array_new (FALSE, FALSE, sizeof (PtlSocket)), 1, g_rand_new_with_seed (1644) };
  g_autoptr (PortolanSocketModel) model = portolan_socket_model_new ();
  g_autoptr (GListModel) shown = attach_view_models (model, kind);
  g_autofree double *apply_ms = g_new0 (double, repeats);
  g_autofree double *cpu_ms = g_new0 (double, repeats);
  g_autofree double *expire_ms = g_new0 (double, repeats);
  g_autofree double *sort_ms = g_new0 (double, repeats);
  guint calls = 0, expire_calls = 0, changed = MAX (rows / 100, 3);
  gint64 sort_us;
  gboolean trace = g_getenv ("PORTOLAN_BENCH_TRACE") != NULL;

  (void) shown; /* held so the view's models see every apply */
  fill_machine (&m, rows);
  portolan_socket_model_set_mark_timeout (model, 1);
  portolan_socket_model_set_max_ranges (model, max_ranges);
  portolan_socket_model_apply (model, snapshot (&m, &sort_us));
  g_signal_connect (model, "items-changed", G_CALLBACK (count_changes), &calls);
  for (guint r = 0; r < repeats; r++)
    {
      PortolanTable *t;
      gint64 start;
      double cpu_start;
      guint before;

      churn (&m, changed);
      t = snapshot (&m, &sort_us);
      sort_ms[r] = sort_us / 1000.0;
      cpu_start = cpu_now_ms ();
      start = g_get_monotonic_time ();
      portolan_socket_model_apply (model, t);
      apply_ms[r] = (g_get_monotonic_time () - start) / 1000.0;
      cpu_ms[r] = cpu_now_ms () - cpu_start;
      if (trace)
        fprintf (stderr, "apply %u: %.2f ms\n", r, apply_ms[r]);
      before = calls;
      expire_ms[r] = expire_marks ();
      expire_calls += calls - before;
    }
  res->apply = median (apply_ms, repeats);
  res->cpu = median (cpu_ms, repeats);
  /* median() sorted apply_ms: the last one is the slowest. */
  res->p90 = apply_ms[repeats * 9 / 10];
  res->max = apply_ms[repeats - 1];
  res->expire = median (expire_ms, repeats);
  res->sort = median (sort_ms, repeats);
  res->calls = (calls - expire_calls) / repeats;
  res->expire_calls = expire_calls / repeats;
  res->rebuild = time_rebuild (&m, kind);
  g_array_unref (m.truth);
  g_rand_free (m.rand);
}

int
main (int argc, char **argv)
{
  guint rows = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 20000;
  guint repeats = argc > 2 ? (guint) strtoul (argv[2], NULL, 10) : 30;
  guint changed = MAX (rows / 100, 3);
  Results res[G_N_ELEMENTS (view_names)], spanning, policy;

  if (rows == 0 || repeats < 1)
    {
      fprintf (stderr, "usage: portolan-bench-diff [ROWS [REPEATS]]\n");
      return 2;
    }
  for (ViewKind k = VIEW_NONE; k <= VIEW_SORTED; k++)
    run (rows, repeats, k, 0, &res[k]);
  run (rows, repeats, VIEW_FILTERED, 1, &spanning);
  /* What the Connections view sets when nothing filters (see
   * portolan-connections-filter.c). */
  run (rows, repeats, VIEW_DEFAULT, 512, &policy);
  printf ("diff %u rows 1%% changed: median %.2f ms, items-changed calls %u\n", rows,
          res[VIEW_NONE].apply, res[VIEW_NONE].calls);
  printf ("  per refresh: %u rows changed (%u removed, %u added, %u state), %u refreshes; "
          "removed rows leave when their marks expire (items-changed calls %u)\n",
          changed, changed / 3, changed / 3, changed - 2 * (changed / 3), repeats,
          res[VIEW_NONE].expire_calls);
  printf ("  CPU time of an apply (without other processes' share): median %.2f ms\n",
          res[VIEW_NONE].cpu);
  for (ViewKind k = VIEW_NONE; k <= VIEW_SORTED; k++)
    printf ("  %-52s apply median %6.2f ms (CPU %6.2f), p90 %6.2f ms; expiry %6.2f ms; "
            "rebuilt list %6.2f ms\n",
            view_names[k], res[k].apply, res[k].cpu, res[k].p90, res[k].expire, res[k].rebuild);
  printf ("  %-52s apply median %6.2f ms, p90 %6.2f ms; expiry %6.2f ms\n",
          "filtered, one spanning items-changed (max-ranges 1)", spanning.apply, spanning.p90,
          spanning.expire);
  printf ("  %-52s apply median %6.2f ms, p90 %6.2f ms; expiry %6.2f ms; items-changed calls "
          "%u\n",
          "unfiltered, max-ranges 512 (the view's setting)", policy.apply, policy.p90,
          policy.expire, policy.calls);
  printf ("  sorting the snapshot (in the scan's worker thread): median %.2f ms\n",
          res[VIEW_NONE].sort);
  return 0;
}
