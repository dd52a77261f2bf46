/* portolan-connections-admin.c: hidden owners in the Connections view.
 *
 * While other users' owners are hidden the toolbar offers "Show All
 * Owners…" (Windows: "Restart as Administrator…"); the window asks for the
 * rights and says how it went (portolan_connections_view_set_all_owners).
 * While it is on, every refresh reads the owners still hidden through the
 * helper, without a prompt (portolan-scan.c); a refresh that could not
 * tells the window ("all-owners-failed"), which turns it off with a note.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "portolan-connections-view-private.h"
#include "portolan-port-sections.h"

enum
{
  SHOW_ALL_OWNERS,
  STOP_ALL_OWNERS,
  ALL_OWNERS_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
portolan_connections_admin_class_init (GObjectClass *klass)
{
  GType type = G_TYPE_FROM_CLASS (klass);

  signals[SHOW_ALL_OWNERS] = g_signal_new ("show-all-owners", type, G_SIGNAL_RUN_LAST, 0, NULL,
                                           NULL, NULL, G_TYPE_NONE, 0);
  signals[STOP_ALL_OWNERS] = g_signal_new ("stop-all-owners", type, G_SIGNAL_RUN_LAST, 0, NULL,
                                           NULL, NULL, G_TYPE_NONE, 0);
  signals[ALL_OWNERS_FAILED] = g_signal_new ("all-owners-failed", type, G_SIGNAL_RUN_LAST, 0, NULL,
                                             NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
admin_clicked (PortolanConnectionsView *self)
{
  g_signal_emit (
      self, signals[self->all_owners == PORTOLAN_ALL_OWNERS_ON ? STOP_ALL_OWNERS : SHOW_ALL_OWNERS],
      0);
}

GtkWidget *
portolan_connections_admin_build (PortolanConnectionsView *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->admin_spinner = gtk_spinner_new ();
  gtk_widget_set_visible (self->admin_spinner, FALSE);
  gtk_box_append (GTK_BOX (box), self->admin_spinner);
  self->admin_button = gtk_button_new_with_mnemonic (portolan_admin_button_label ());
  g_signal_connect_swapped (self->admin_button, "clicked", G_CALLBACK (admin_clicked), self);
  gtk_box_append (GTK_BOX (box), self->admin_button);
  gtk_widget_set_visible (self->admin_button, FALSE);
  return box;
}

/* The button for the state: asks while owners are hidden, waits while
 * polkit asks, stops while every owner is shown. */
void
portolan_connections_admin_update (PortolanConnectionsView *self)
{
  const PtlSocketTable *t = portolan_socket_model_get_table (self->model);
  gboolean hidden = t != NULL && ptl_socket_table_owners_hidden (t);
  PortolanAllOwners state = self->all_owners;
  const char *label = state == PORTOLAN_ALL_OWNERS_ON ? _ ("Stop Showing _All Owners")
                                                      : portolan_admin_button_label ();

  gtk_button_set_label (GTK_BUTTON (self->admin_button), label);
  portolan_accessible_name (self->admin_button, label);
  gtk_widget_set_tooltip_text (self->admin_button,
                               state == PORTOLAN_ALL_OWNERS_ON
                                   ? _ ("Show only the owners this user can see")
                                   : _ ("Some owners belong to other users or the system and are "
                                        "hidden: ask for administrator rights to see them"));
  gtk_widget_set_visible (self->admin_button, hidden || state != PORTOLAN_ALL_OWNERS_OFF);
  gtk_widget_set_sensitive (self->admin_button, state != PORTOLAN_ALL_OWNERS_ASKING);
  gtk_widget_set_visible (self->admin_spinner, state == PORTOLAN_ALL_OWNERS_ASKING);
  if (state == PORTOLAN_ALL_OWNERS_ASKING)
    gtk_spinner_start (GTK_SPINNER (self->admin_spinner));
  else
    gtk_spinner_stop (GTK_SPINNER (self->admin_spinner));
}

void
portolan_connections_admin_scan_args (PortolanConnectionsView *self, PortolanScanAdmin *admin)
{
  admin->read_hidden = self->all_owners == PORTOLAN_ALL_OWNERS_ON;
  /* Read as root once, merged once: later refreshes carry those owners. */
  admin->root_view = g_steal_pointer (&self->root_view);
}

void
portolan_connections_admin_scan_done (PortolanConnectionsView *self, GAsyncResult *result)
{
  const GError *error = portolan_scan_admin_error (result);

  if (error != NULL && self->all_owners == PORTOLAN_ALL_OWNERS_ON)
    g_signal_emit (self, signals[ALL_OWNERS_FAILED], 0, error);
}

void
portolan_connections_admin_dispose (PortolanConnectionsView *self)
{
  g_clear_pointer (&self->root_view, portolan_table_free);
  g_clear_pointer (&self->admin_note, g_free);
}

void
portolan_connections_view_set_all_owners (PortolanConnectionsView *self, PortolanAllOwners state,
                                          const char *note)
{
  gboolean was_on;

  g_return_if_fail (PORTOLAN_IS_CONNECTIONS_VIEW (self));
  was_on = self->all_owners == PORTOLAN_ALL_OWNERS_ON;
  self->all_owners = state;
  g_free (self->admin_note);
  self->admin_note = g_strdup (note);
  portolan_connections_admin_update (self);
  portolan_connections_update_notes (self);
  if (!was_on || state == PORTOLAN_ALL_OWNERS_ON)
    return;
  /* Back to this user's view: owners read as root are not carried over. */
  g_clear_pointer (&self->root_view, portolan_table_free);
  self->refreshes = 0;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    portolan_connections_view_refresh (self);
}

void
portolan_connections_view_merge_root_owners (PortolanConnectionsView *self, PortolanTable *root)
{
  g_return_if_fail (PORTOLAN_IS_CONNECTIONS_VIEW (self));
  g_clear_pointer (&self->root_view, portolan_table_free);
  self->root_view = portolan_table_ref (root);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    portolan_connections_view_refresh (self);
}
