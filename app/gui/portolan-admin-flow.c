/* portolan-admin-flow.c: "Show All Owners…" for one window. */
#include "config.h"

#include <glib/gi18n.h>

#include "portolan-admin-flow.h"

struct _PortolanAdminFlow
{
  GObject parent_instance;

  /* Not owned: the window owns the flow and the views. */
  PortolanWindow *window;
  PortolanPortView *port_view;
  PortolanConnectionsView *connections_view;

  PortolanAllOwners state;
  char *note;                  /* the quiet note both views show; NULL */
  PortolanTable *pending_root; /* read as root, for the next port search to merge */
  GCancellable *cancellable;   /* the request in flight, ended with the window */
};

G_DEFINE_FINAL_TYPE (PortolanAdminFlow, portolan_admin_flow, G_TYPE_OBJECT)

static void
set_state (PortolanAdminFlow *self, PortolanAllOwners state, const char *note)
{
  self->state = state;
  g_free (self->note);
  self->note = g_strdup (note);
  portolan_port_view_set_all_owners (self->port_view, state, note);
  portolan_connections_view_set_all_owners (self->connections_view, state, note);
}

/* The port page again, so it shows what the state says; the view in
 * front stays in front. */
static void
search_again (PortolanAdminFlow *self)
{
  portolan_window_search_again (self->window);
}

/* ---- no helper: say how with sudo ------------------------------------------------------ */

static void
explain_sudo (PortolanAdminFlow *self, const char *why, guint port)
{
  g_autofree char *hint = portolan_admin_sudo_hint (port);
  g_autofree char *text = g_strdup_printf ("%s\n\n%s", why, hint);
  GtkWidget *dialog = gtk_message_dialog_new (
      GTK_WINDOW (self->window), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
      GTK_MESSAGE_INFO, GTK_BUTTONS_CLOSE, "%s", _ ("Administrator Rights Are Not Available"));
  GtkWidget *area = gtk_message_dialog_get_message_area (GTK_MESSAGE_DIALOG (dialog));

  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", text);
  /* The command can be copied from the dialog. */
  for (GtkWidget *c = gtk_widget_get_first_child (area); c; c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_LABEL (c))
      gtk_label_set_selectable (GTK_LABEL (c), TRUE);
  gtk_window_set_title (GTK_WINDOW (dialog), _ ("Administrator Rights Are Not Available"));
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_window_destroy), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- Linux: the helper reads the owners --------------------------------------------- */

typedef struct
{
  guint first, last, port;
} ReadJob;

static void
read_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ReadJob *job = task_data;
  GError *error = NULL;
  PortolanTable *root
      = portolan_admin_read_owners (job->first, job->last, TRUE, cancellable, &error);

  if (root != NULL)
    g_task_return_pointer (task, root, (GDestroyNotify) portolan_table_free);
  else
    g_task_return_error (task, error);
}

static void
granted (PortolanAdminFlow *self, PortolanTable *root)
{
  set_state (self, PORTOLAN_ALL_OWNERS_ON, NULL);
  g_clear_pointer (&self->pending_root, portolan_table_free);
  self->pending_root = portolan_table_ref (root);
  portolan_connections_view_merge_root_owners (self->connections_view, root);
  search_again (self);
}

static void
read_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PortolanTable) root = g_task_propagate_pointer (G_TASK (result), &error);
  PortolanAdminFlow *self;
  ReadJob *job = g_task_get_task_data (G_TASK (result));

  /* The window closed meanwhile: nobody to tell. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = PORTOLAN_ADMIN_FLOW (user_data);
  if (root != NULL)
    granted (self, root);
  else if (g_error_matches (error, PORTOLAN_ADMIN_ERROR, PORTOLAN_ADMIN_ERROR_DISMISSED))
    set_state (self, PORTOLAN_ALL_OWNERS_OFF, NULL);
  else if (g_error_matches (error, PORTOLAN_ADMIN_ERROR, PORTOLAN_ADMIN_ERROR_UNAVAILABLE))
    {
      set_state (self, PORTOLAN_ALL_OWNERS_OFF, NULL);
      explain_sudo (self, error->message, job->port);
    }
  else
    set_state (self, PORTOLAN_ALL_OWNERS_OFF, error->message);
}

static void
read_owners (PortolanAdminFlow *self, guint first, guint last, guint port)
{
  g_autoptr (GTask) task = NULL;
  ReadJob *job = g_new0 (ReadJob, 1);

  *job = (ReadJob){ first, last, port };
  set_state (self, PORTOLAN_ALL_OWNERS_ASKING, NULL);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->cancellable, read_done, self);
  g_task_set_task_data (task, job, g_free);
  g_task_run_in_thread (task, read_thread);
}

/* ---- Windows: the app again, elevated -------------------------------------------------- */

static void
restart_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  GtkWindow *window = user_data; /* a reference, for as long as the prompt shows */

  if (portolan_admin_restart_finish (result, &error))
    gtk_window_destroy (window);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    portolan_show_notice (GTK_WIDGET (window), error->message);
  g_object_unref (window);
}

static void
restart (PortolanAdminFlow *self)
{
  const char *view = portolan_window_get_view (self->window);

  portolan_admin_restart_async (portolan_window_get_query (self->window),
                                g_strcmp0 (view, "connections") == 0 ? "connections" : "port",
                                restart_done, g_object_ref (self->window));
}

/* ---- the buttons ------------------------------------------------------------------------ */

static void
request (PortolanAdminFlow *self, guint first, guint last, guint port)
{
  if (self->state == PORTOLAN_ALL_OWNERS_ASKING)
    return;
  if (portolan_admin_way () == PTL_ELEVATION_RESTART)
    restart (self);
  else
    read_owners (self, first, last, port);
}

/* The port page asks for its own ports only: a smaller answer, the same
 * authorization. */
static void
show_from_port_view (PortolanAdminFlow *self)
{
  const PtlReportSet *set = portolan_port_view_get_report (self->port_view);
  guint first = 0, last = 65535, port = 0;

  if (set != NULL && set->n_reports > 0)
    {
      first = last = set->reports[0].port;
      for (size_t i = 1; i < set->n_reports; i++)
        first = MIN (first, set->reports[i].port), last = MAX (last, set->reports[i].port);
      port = set->n_reports == 1 ? set->reports[0].port : 0;
    }
  request (self, first, last, port);
}

static void
show_from_connections (PortolanAdminFlow *self)
{
  request (self, 0, 65535, 0);
}

static void
stop (PortolanAdminFlow *self)
{
  g_clear_pointer (&self->pending_root, portolan_table_free);
  set_state (self, PORTOLAN_ALL_OWNERS_OFF, NULL);
  search_again (self);
}

static void
refresh_failed (PortolanAdminFlow *self, const GError *error)
{
  set_state (self, PORTOLAN_ALL_OWNERS_OFF, error->message);
}

void
portolan_admin_flow_search_args (PortolanAdminFlow *self, PortolanScanAdmin *admin)
{
  admin->read_hidden = self->state == PORTOLAN_ALL_OWNERS_ON;
  /* Merged once, into the search that follows the authentication. */
  admin->root_view = g_steal_pointer (&self->pending_root);
}

void
portolan_admin_flow_search_done (PortolanAdminFlow *self, GAsyncResult *result)
{
  const GError *error = portolan_scan_admin_error (result);

  if (error != NULL && self->state == PORTOLAN_ALL_OWNERS_ON)
    refresh_failed (self, error);
}

PortolanAllOwners
portolan_admin_flow_get_state (PortolanAdminFlow *self)
{
  g_return_val_if_fail (PORTOLAN_IS_ADMIN_FLOW (self), PORTOLAN_ALL_OWNERS_OFF);
  return self->state;
}

static void
portolan_admin_flow_dispose (GObject *object)
{
  PortolanAdminFlow *self = PORTOLAN_ADMIN_FLOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pending_root, portolan_table_free);
  g_clear_pointer (&self->note, g_free);
  G_OBJECT_CLASS (portolan_admin_flow_parent_class)->dispose (object);
}

static void
portolan_admin_flow_class_init (PortolanAdminFlowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = portolan_admin_flow_dispose;
}

static void
portolan_admin_flow_init (PortolanAdminFlow *self)
{
}

PortolanAdminFlow *
portolan_admin_flow_new (PortolanWindow *window, PortolanPortView *port_view,
                         PortolanConnectionsView *connections_view)
{
  PortolanAdminFlow *self = g_object_new (PORTOLAN_TYPE_ADMIN_FLOW, NULL);

  self->window = window;
  self->port_view = port_view;
  self->connections_view = connections_view;
  g_signal_connect_object (port_view, "show-all-owners", G_CALLBACK (show_from_port_view), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (port_view, "stop-all-owners", G_CALLBACK (stop), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (connections_view, "show-all-owners", G_CALLBACK (show_from_connections),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (connections_view, "stop-all-owners", G_CALLBACK (stop), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (connections_view, "all-owners-failed", G_CALLBACK (refresh_failed), self,
                           G_CONNECT_SWAPPED);
  return self;
}
