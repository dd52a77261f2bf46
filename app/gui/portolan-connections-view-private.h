/* portolan-connections-view-private.h: what the view's source files share
 * (the view, its filter and its row actions). */
#pragma once

#include "portolan-admin.h"
#include "portolan-connections-view.h"

G_BEGIN_DECLS

typedef struct _PortolanConnectionsTiming PortolanConnectionsTiming;

struct _PortolanConnectionsView
{
  GtkWidget parent_instance;

  /* Children, in the order they are stacked. */
  GtkWidget *toolbar;
  GtkWidget *filter_entry;
  GtkWidget *listening_toggle, *tcp_toggle, *udp_toggle, *ipv4_toggle, *ipv6_toggle;
  GtkWidget *namespaces_toggle; /* rows of other network namespaces too (root) */
  GtkWidget *spinner, *pause_button, *export_button;
  GtkWidget *notes_label;
  GtkWidget *stack;
  GtkWidget *column_view;
  GtkWidget *state_label;
  GtkWidget *status_label;
  GtkWidget *menu; /* GtkPopoverMenu, parented to the view */

  /* selection ← sorted ← filtered ← model */
  PortolanSocketModel *model;
  GtkFilterListModel *filtered;
  GtkSortListModel *sorted;
  GtkSingleSelection *selection;
  GtkFilter *filter;
  char **words; /* the filter text's words; a row must match each */

  /* Refreshing. */
  GCancellable *cancellable;
  guint refresh_interval;
  gboolean paused;
  gboolean watched; /* someone can see the window (not minimised or behind others) */
  gboolean busy;
  guint refreshes;
  guint timer_id;
  guint spinner_id;
  guint state_idle_id;
  guint sort_idle_id;
  char *error_text;                  /* the last scan's error, for people */
  PortolanConnectionsTiming *timing; /* PORTOLAN_DEBUG_TIMING only */

  /* Administrator rights (portolan-connections-admin.c). */
  GtkWidget *admin_button, *admin_spinner;
  PortolanAllOwners all_owners;
  char *admin_note;         /* a quiet note after a refusal; NULL */
  PortolanTable *root_view; /* owners read as root for the next refresh to merge; NULL */
};

/* portolan-connections-view.c */
void portolan_connections_update_notes (PortolanConnectionsView *self);

/* portolan-connections-filter.c */
GtkFilter *portolan_connections_filter_new (PortolanConnectionsView *self);
void portolan_connections_filter_changed (PortolanConnectionsView *self);

/* portolan-connections-actions.c */
void portolan_connections_actions_install (GtkWidgetClass *widget_class);
void portolan_connections_actions_init (PortolanConnectionsView *self);
void portolan_connections_popup_menu (GtkWidget *cell, guint position, double x, double y,
                                      gpointer user_data);
void portolan_connections_emit_show_port (PortolanConnectionsView *self, guint port);

/* portolan-connections-admin.c */
void portolan_connections_admin_class_init (GObjectClass *klass);
GtkWidget *portolan_connections_admin_build (PortolanConnectionsView *self);
void portolan_connections_admin_update (PortolanConnectionsView *self);
void portolan_connections_admin_scan_args (PortolanConnectionsView *self, PortolanScanAdmin *admin);
void portolan_connections_admin_scan_done (PortolanConnectionsView *self, GAsyncResult *result);
void portolan_connections_admin_dispose (PortolanConnectionsView *self);

/* portolan-connections-keyboard.c */
void portolan_connections_keyboard_init (PortolanConnectionsView *self);

/* portolan-connections-timing.c (PORTOLAN_DEBUG_TIMING) */
void portolan_connections_timing_init (PortolanConnectionsView *self);
void portolan_connections_timing_begin (PortolanConnectionsView *self);
void portolan_connections_timing_end (PortolanConnectionsView *self);
void portolan_connections_timing_free (PortolanConnectionsView *self);

G_END_DECLS
