/* portolan-admin.c: what both ways to administrator rights share: which
 * way, the button's words, merging owners read as root, the restart. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "portolan-admin.h"

G_DEFINE_QUARK (portolan - admin - error - quark, portolan_admin_error)

PtlElevation
portolan_admin_way (void)
{
  return ptl_platform_elevation ();
}

const char *
portolan_admin_button_label (void)
{
  return portolan_admin_way () == PTL_ELEVATION_RESTART ? _ ("Restart as _Administrator…")
                                                        : _ ("Show _All Owners…");
}

/* ---- merging ----------------------------------------------------------------------- */

static GHashTable *
index_by_inode (const PtlSocketTable *t)
{
  GHashTable *by_inode = g_hash_table_new (g_int64_hash, g_int64_equal);

  for (size_t i = 0; i < t->len; i++)
    if (t->rows[i].inode != 0)
      g_hash_table_insert (by_inode, (gpointer) &t->rows[i].inode, (gpointer) &t->rows[i]);
  return by_inode;
}

/* What root sees of the same socket: its owners whole (units, containers),
 * or the note why it has none (an accept queue, an owner in another
 * namespace), with the note's particulars. */
static gboolean
take_owners (PtlSocketTable *t, size_t row, const PtlSocketTable *root, const PtlSocket *r)
{
  PtlSocket *s = &t->rows[row];

  if (ptl_socket_table_copy_owners (t, row, root, r) < 0)
    return FALSE;
  if (s->n_owners == 0 && s->owner_note == NULL)
    s->owner_note = N_ ("owner not found");
  s->owner_hidden = FALSE;
  return TRUE;
}

/* Keeps the notes @root has too: what both reads saw. */
static void
keep_shared_notes (PtlSocketTable *t, const PtlSocketTable *root)
{
  size_t kept = 0;

  for (size_t i = 0; i < t->n_notes; i++)
    for (size_t k = 0; k < root->n_notes; k++)
      if (g_strcmp0 (t->notes[i], root->notes[k]) == 0)
        {
          if (kept != i)
            memcpy (t->notes[kept], t->notes[i], sizeof t->notes[i]);
          kept++;
          break;
        }
  t->n_notes = kept;
}

guint
portolan_admin_merge_owners (PtlSocketTable *t, const PtlSocketTable *root)
{
  g_autoptr (GHashTable) by_inode = index_by_inode (root);
  guint changed = 0;

  for (size_t i = 0; i < t->len; i++)
    {
      PtlSocket *s = &t->rows[i];
      const PtlSocket *r;

      /* Hidden, or (owners_partial) some holders found and others maybe not. */
      if (!(s->owner_hidden || s->owners_partial) || s->inode == 0)
        continue;
      r = g_hash_table_lookup (by_inode, &s->inode);
      if (r == NULL || r->proto != s->proto)
        continue;
      if (!take_owners (t, i, root, r))
        break;
      changed++;
    }
  if (changed > 0 && !ptl_socket_table_owners_hidden (t))
    keep_shared_notes (t, root);
  return changed;
}

/* ---- the restart (Windows) --------------------------------------------------------- */

typedef struct
{
  char *query, *view;
} RestartJob;

static void
restart_job_free (RestartJob *job)
{
  g_free (job->query);
  g_free (job->view);
  g_free (job);
}

static void
restart_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  RestartJob *job = task_data;
  PtlError err = { 0 };
  int rc = ptl_platform_restart_elevated (job->query, job->view, &err);

  if (rc == 0)
    g_task_return_boolean (task, TRUE);
  else if (rc == PTL_ECANCELED)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", err.message);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", err.message);
}

void
portolan_admin_restart_async (const char *query, const char *view, GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, NULL, callback, user_data);
  RestartJob *job = g_new0 (RestartJob, 1);

  job->query = g_strdup (query);
  job->view = g_strdup (view);
  g_task_set_source_tag (task, portolan_admin_restart_async);
  g_task_set_task_data (task, job, (GDestroyNotify) restart_job_free);
  g_task_run_in_thread (task, restart_thread);
}

gboolean
portolan_admin_restart_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
