/* portolan-scan.c: the GUI's scans, run in a GTask worker thread so the UI
 * thread never waits on netlink or /proc. */
#include "portolan-scan.h"

#include "portolan-admin.h"
#include "portolan-scan-owners.h"
#include "ptl-platform.h"
#include "ptl-snapshot.h"

PortolanTable *
portolan_table_ref (PortolanTable *self)
{
  g_atomic_int_inc (&self->extra_refs);
  return self;
}

void
portolan_table_free (PortolanTable *self)
{
  if (self == NULL)
    return;
  /* g_atomic_int_add answers the value before: above 0, a holder remains. */
  if (g_atomic_int_add (&self->extra_refs, -1) > 0)
    return;
  ptl_socket_table_clear (&self->table);
  g_free (self);
}

void
portolan_report_set_free (PtlReportSet *set)
{
  if (set == NULL)
    return;
  ptl_report_clear (set);
  g_free (set);
}

static GError *
error_from_ptl (const PtlError *err)
{
  int code = G_IO_ERROR_FAILED;

  if (err->code == PTL_EINVAL)
    code = G_IO_ERROR_INVALID_ARGUMENT;
  else if (err->code == PTL_ENOTFOUND)
    code = G_IO_ERROR_NOT_FOUND;
  else if (err->code == PTL_EACCES)
    code = G_IO_ERROR_PERMISSION_DENIED;
  else if (err->code == PTL_EUNSUPPORTED)
    code = G_IO_ERROR_NOT_SUPPORTED;
  return g_error_new_literal (G_IO_ERROR, code, err->message);
}

/* PORTOLAN_TEST_SCAN_DELAY_MS=N makes every scan take N ms longer, so the
 * tests can tell a slow scan (spinner) from a quick one (none). Read on
 * the UI thread when the scan starts; the worker sleeps before it scans. */
#define TEST_DELAY_KEY "portolan-test-scan-delay-ms"

static void
set_test_delay (GTask *task)
{
  const char *text = g_getenv ("PORTOLAN_TEST_SCAN_DELAY_MS");
  guint64 ms = 0;

  if (text != NULL && g_ascii_string_to_unsigned (text, 10, 0, 60000, &ms, NULL))
    g_object_set_data (G_OBJECT (task), TEST_DELAY_KEY, GUINT_TO_POINTER ((guint) ms));
}

static void
test_delay (GTask *task)
{
  guint ms = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (task), TEST_DELAY_KEY));

  if (ms > 0)
    g_usleep ((gulong) ms * 1000);
}

/* The platform lists a shared socket's holders in whatever order it met
 * them, which changes from one scan to the next: by PID, so a row does not
 * flip between "wineserver64 (+1)" and "srv2.exe (+1)". A socket has a few
 * holders at most; an insertion sort suits. */
static void
sort_owners (PtlSocketTable *t)
{
  for (size_t i = 0; i < t->len; i++)
    {
      size_t *links = t->owner_links + t->rows[i].owners_first;

      for (size_t k = 1; k < t->rows[i].n_owners; k++)
        {
          size_t link = links[k], j = k;

          for (; j > 0 && t->procs[links[j - 1]].pid > t->procs[link].pid; j--)
            links[j] = links[j - 1];
          links[j] = link;
        }
    }
}

/* The first member of both jobs, so portolan_scan_admin_error reads either. */
typedef struct
{
  gboolean read_hidden;
  PortolanTable *root_view; /* a reference, or NULL */
  GError *error;            /* set in the worker, read after it returned */
} AdminJob;

static void
admin_job_init (AdminJob *a, const PortolanScanAdmin *admin)
{
  if (admin == NULL)
    return;
  a->read_hidden = admin->read_hidden;
  a->root_view = admin->root_view ? portolan_table_ref (admin->root_view) : NULL;
}

static void
admin_job_clear (AdminJob *a)
{
  g_clear_pointer (&a->root_view, portolan_table_free);
  g_clear_error (&a->error);
}

/* The local ports of the rows whose owner is hidden; FALSE when none is. */
static gboolean
hidden_span (const PtlSocketTable *t, unsigned *first, unsigned *last)
{
  unsigned lo = 65535, hi = 0;

  for (size_t i = 0; i < t->len; i++)
    if (t->rows[i].owner_hidden)
      lo = MIN (lo, t->rows[i].local_port), hi = MAX (hi, t->rows[i].local_port);
  *first = lo, *last = hi;
  return lo <= hi;
}

/* After the owners this user can see: the ones read as root, for the
 * ports of the rows still hidden only (after a refresh carried the known
 * owners over, often a few new connections). Rows root could not name
 * either keep root's note, so the next refresh does not ask again. */
static void
admin_step (AdminJob *a, PtlSocketTable *t, GCancellable *cancellable)
{
  g_autoptr (PortolanTable) root = NULL;
  unsigned first, last;

  if (a->root_view != NULL)
    portolan_admin_merge_owners (t, &a->root_view->table);
  if (!a->read_hidden || !hidden_span (t, &first, &last))
    return;
  root = portolan_admin_read_owners (first, last, FALSE, cancellable, &a->error);
  if (root != NULL)
    portolan_admin_merge_owners (t, &root->table);
}

const GError *
portolan_scan_admin_error (GAsyncResult *result)
{
  AdminJob *a = g_task_get_task_data (G_TASK (result));

  return a ? a->error : NULL;
}

typedef struct
{
  AdminJob admin; /* first */
  PtlSocketFilter filter;
  PortolanTable *previous; /* a reference, or NULL */
} TableJob;

static void
table_job_free (TableJob *job)
{
  admin_job_clear (&job->admin);
  g_clear_pointer (&job->previous, portolan_table_free);
  g_free (job);
}

/* Missing owners are not fatal: rows carry a note saying why. */
static void
find_owners (PtlSocketTable *t, const PortolanTable *previous)
{
  g_autoptr (GArray) parked = g_array_new (FALSE, FALSE, sizeof (PortolanParked));
  PtlError err = { 0 };

  if (previous != NULL)
    portolan_scan_carry_owners (t, &previous->table, parked);
  if (ptl_platform_find_owners (t, &err) < 0)
    ptl_socket_table_add_note (t, err.message);
  if (previous != NULL)
    portolan_scan_unpark (t, &previous->table, parked);
  sort_owners (t);
}

static void
scan_table_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  TableJob *job = task_data;
  g_autoptr (PortolanTable) result = g_new0 (PortolanTable, 1);
  PtlError err = { 0 };

  (void) source;
  test_delay (task);
  ptl_socket_table_init (&result->table);
  if (ptl_platform_read_sockets (&job->filter, &result->table, &err) < 0)
    {
      g_task_return_error (task, error_from_ptl (&err));
      return;
    }
  (void) cancellable;
  if (g_task_return_error_if_cancelled (task))
    return;
  find_owners (&result->table, job->previous);
  admin_step (&job->admin, &result->table, cancellable);
  sort_owners (&result->table);
  /* The model diffs in key order; sorting here keeps that off the UI thread. */
  ptl_snapshot_sort (&result->table);
  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) portolan_table_free);
}

static void
start_table_scan (const PtlSocketFilter *filter, PortolanTable *previous,
                  const PortolanScanAdmin *admin, GCancellable *cancellable,
                  GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  TableJob *job = g_new0 (TableJob, 1);

  admin_job_init (&job->admin, admin);

  if (filter != NULL)
    job->filter = *filter;
  else
    ptl_socket_filter_init (&job->filter);
  job->previous = previous ? portolan_table_ref (previous) : NULL;
  g_task_set_source_tag (task, portolan_scan_table_async);
  g_task_set_task_data (task, job, (GDestroyNotify) table_job_free);
  g_task_set_return_on_cancel (task, FALSE);
  set_test_delay (task);
  g_task_run_in_thread (task, scan_table_thread);
}

void
portolan_scan_table_async (const PtlSocketFilter *filter, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  start_table_scan (filter, NULL, NULL, cancellable, callback, user_data);
}

void
portolan_scan_refresh_async (PortolanTable *previous, PtlNetnsScope scope,
                             GCancellable *cancellable, GAsyncReadyCallback callback,
                             gpointer user_data)
{
  portolan_scan_refresh_admin_async (previous, scope, NULL, cancellable, callback, user_data);
}

void
portolan_scan_refresh_admin_async (PortolanTable *previous, PtlNetnsScope scope,
                                   const PortolanScanAdmin *admin, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  PtlSocketFilter filter;

  ptl_socket_filter_init (&filter);
  filter.netns = scope;
  start_table_scan (&filter, previous, admin, cancellable, callback, user_data);
}

PortolanTable *
portolan_scan_table_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  AdminJob admin; /* first */
  PtlQuery query;
  char *text;
} ReportJob;

static void
report_job_free (ReportJob *job)
{
  admin_job_clear (&job->admin);
  g_free (job->text);
  g_free (job);
}

static void
scan_report_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ReportJob *job = task_data;
  g_autoptr (PtlReportSet) set = g_new0 (PtlReportSet, 1);
  PtlError err = { 0 };

  (void) source;
  test_delay (task);
  if (ptl_report_build (&job->query, job->text, set, &err) < 0)
    {
      g_task_return_error (task, error_from_ptl (&err));
      return;
    }
  admin_step (&job->admin, &set->table, cancellable);
  sort_owners (&set->table);
  g_task_return_pointer (task, g_steal_pointer (&set), (GDestroyNotify) portolan_report_set_free);
}

void
portolan_scan_report_async (const char *query_text, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  portolan_scan_report_admin_async (query_text, NULL, cancellable, callback, user_data);
}

void
portolan_scan_report_admin_async (const char *query_text, const PortolanScanAdmin *admin,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ReportJob *job = g_new0 (ReportJob, 1);
  PtlError err = { 0 };

  admin_job_init (&job->admin, admin);
  g_task_set_source_tag (task, portolan_scan_report_async);
  job->text = g_strdup (query_text ? query_text : "");
  g_task_set_task_data (task, job, (GDestroyNotify) report_job_free);
  if (ptl_query_parse (job->text, &job->query, &err) < 0)
    {
      /* Bad input is the user's: the core's own sentence, unchanged. */
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s", err.message);
      return;
    }
  set_test_delay (task);
  g_task_run_in_thread (task, scan_report_thread);
}

PtlReportSet *
portolan_scan_report_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
