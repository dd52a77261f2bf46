/* portolan-connections-view.c: the live socket table.
 *
 * selection ← sort ← filter ← PortolanSocketModel. The model is never
 * replaced: each scan (a GTask thread) is applied as a diff, so the column
 * view keeps its rows, selection and scroll position across refreshes.
 * Scans run every refresh-interval ms while the view is mapped and not
 * paused; the row menu, copy, End Process… and export are in
 * portolan-connections-actions.c.
 */
#include "config.h"

#include "portolan-connections-view-private.h"

#include <glib/gi18n.h>

#include "portolan-connections-columns.h"
#include "portolan-port-sections.h"
#include "ptl-describe.h"
#include "ptl-platform.h"

#define DEFAULT_INTERVAL_MS 2000
/* Every this many refreshes every owner is searched again, which catches
 * what carrying owners over can miss (an fd passed to another process). */
#define FULL_EVERY 15

enum
{
  PROP_0,
  PROP_REFRESH_INTERVAL,
  PROP_PAUSED,
  PROP_BUSY,
  N_PROPS
};

enum
{
  SHOW_PORT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (PortolanConnectionsView, portolan_connections_view, GTK_TYPE_WIDGET)

static const char view_css[]
    = ".socket-new { background-color: alpha(#2ec27e, 0.30); }\n"
      ".socket-removed { background-color: alpha(#e01b24, 0.30); }\n"
      ".socket-removed label { text-decoration-line: line-through; }\n"
      /* The label carries the class too (for when it has no cell yet); its
       * own background would stack on the cell's and draw a darker box. */
      "label.socket-new, label.socket-removed { background-color: transparent; }\n"
      ".connections-notes { padding: 6px 12px; background-color: alpha(#e5a50a, 0.20); }\n"
      ".connections-state { padding: 36px; }\n"
      ".connections-status { padding: 3px 12px; }\n";

static void
load_css (GtkWidget *widget)
{
  GdkDisplay *display = gtk_widget_get_display (widget);
  g_autoptr (GtkCssProvider) provider = NULL;

  if (g_object_get_data (G_OBJECT (display), "portolan-connections-css"))
    return;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider, view_css, -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data (G_OBJECT (display), "portolan-connections-css", GINT_TO_POINTER (1));
}

/* ---- states written for people ---------------------------------------------------- */

static void
show_state (PortolanConnectionsView *self, const char *page, const char *text)
{
  if (text != NULL)
    gtk_label_set_text (GTK_LABEL (self->state_label), text);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), page);
}

static void
update_status (PortolanConnectionsView *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->sorted));
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  g_autofree char *text = NULL;

  if (self->error_text != NULL)
    text = g_strdup_printf (_ ("The last refresh failed: %s"), self->error_text);
  else if (shown == total)
    text = g_strdup_printf (ngettext ("%u socket", "%u sockets", total), total);
  else
    text = g_strdup_printf (ngettext ("%u of %u socket shown", "%u of %u sockets shown", total),
                            shown, total);
  if (self->paused)
    {
      g_autofree char *paused = g_strdup_printf (_ ("%s · Paused"), text);
      gtk_label_set_text (GTK_LABEL (self->status_label), paused);
    }
  else
    gtk_label_set_text (GTK_LABEL (self->status_label), text);
}

static void
update_state (PortolanConnectionsView *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->sorted));

  update_status (self);
  if (portolan_socket_model_get_table (self->model) == NULL)
    {
      if (self->error_text != NULL)
        {
          g_autofree char *text = g_strdup_printf (
              _ ("Portolan could not read this computer's sockets.\n%s"), self->error_text);
          show_state (self, "state", text);
        }
      else
        show_state (self, "state", _ ("Reading this computer's sockets…"));
    }
  else if (shown > 0)
    show_state (self, "list", NULL);
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->model)) == 0)
    show_state (self, "state", _ ("No sockets are open on this computer."));
  else
    show_state (self, "state", _ ("No sockets match the filter."));
}

/* The table's notes, such as owners hidden for lack of privilege, and
 * what the last request for administrator rights came to. */
void
portolan_connections_update_notes (PortolanConnectionsView *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "conn.export",
                                 portolan_socket_model_get_table (self->model) != NULL);
  const PtlSocketTable *t = portolan_socket_model_get_table (self->model);
  g_autoptr (GString) notes = g_string_new (NULL);

  for (size_t i = 0; t != NULL && i < t->n_notes; i++)
    g_string_append_printf (notes, "%s%s", notes->len ? "\n" : "", _ (t->notes[i]));
  if (t != NULL)
    {
      PtlBuf ns;

      /* How many other namespaces there are, and how to see them. */
      ptl_buf_init (&ns);
      ptl_describe_other_namespaces (t, _ ("All Namespaces shows the sockets there"), &ns);
      if (ns.len > 0)
        g_string_append_printf (notes, "%s%s", notes->len ? "\n" : "", ptl_buf_str (&ns));
      ptl_buf_clear (&ns);
    }
  if (self->admin_note != NULL)
    g_string_append_printf (notes, "%s%s", notes->len ? "\n" : "", self->admin_note);
  portolan_connections_admin_update (self);
  gtk_label_set_text (GTK_LABEL (self->notes_label), notes->str);
  gtk_widget_set_visible (self->notes_label, notes->len > 0);
}

static gboolean
update_state_idle (gpointer data)
{
  PortolanConnectionsView *self = data;

  self->state_idle_id = 0;
  update_state (self);
  return G_SOURCE_REMOVE;
}

/* A refresh may bring many signals: the counts and the page are settled
 * once, after them. */
static void
on_shown_changed (GListModel *model, guint pos, guint removed, guint added,
                  PortolanConnectionsView *self)
{
  (void) model, (void) pos, (void) removed, (void) added;
  if (self->state_idle_id == 0)
    self->state_idle_id = g_idle_add (update_state_idle, self);
}

/* ---- scanning ------------------------------------------------------------------------ */

static void
set_busy (PortolanConnectionsView *self, gboolean busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static gboolean
show_spinner (gpointer data)
{
  PortolanConnectionsView *self = data;

  self->spinner_id = 0;
  gtk_widget_set_visible (self->spinner, TRUE);
  gtk_spinner_start (GTK_SPINNER (self->spinner));
  return G_SOURCE_REMOVE;
}

static void
scan_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PortolanConnectionsView) self = user_data;
  g_autoptr (GError) error = NULL;
  PortolanTable *table = portolan_scan_table_finish (result, &error);

  (void) source;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  g_clear_handle_id (&self->spinner_id, g_source_remove);
  gtk_spinner_stop (GTK_SPINNER (self->spinner));
  gtk_widget_set_visible (self->spinner, FALSE);
  g_clear_pointer (&self->error_text, g_free);
  if (table == NULL)
    self->error_text = g_strdup (error->message);
  else
    {
      portolan_connections_timing_begin (self);
      portolan_socket_model_apply (self->model, table);
      portolan_connections_timing_end (self);
    }
  update_state (self);
  portolan_connections_admin_scan_done (self, result);
}

/* Other network namespaces are read only with the toggle on (and only
 * root can); otherwise they are counted, for the notes. */
static PtlNetnsScope
portolan_connections_view_scope (PortolanConnectionsView *self)
{
  return gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->namespaces_toggle))
             ? PTL_NETNS_ALL
             : PTL_NETNS_COUNT;
}

void
portolan_connections_view_refresh (PortolanConnectionsView *self)
{
  PortolanTable *previous;
  PortolanScanAdmin admin = { 0 };

  g_return_if_fail (PORTOLAN_IS_CONNECTIONS_VIEW (self));

  if (self->busy)
    return;
  set_busy (self, TRUE);
  self->spinner_id = g_timeout_add (PORTOLAN_SPINNER_DELAY_MS, show_spinner, self);
  /* Owners are carried from the last table, with a full search every
   * FULL_EVERY refreshes (and the first). */
  previous = portolan_socket_model_get_snapshot (self->model);
  if (self->refreshes++ % FULL_EVERY == 0)
    previous = NULL;
  portolan_connections_admin_scan_args (self, &admin);
  portolan_scan_refresh_admin_async (previous, portolan_connections_view_scope (self), &admin,
                                     self->cancellable, scan_done, g_object_ref (self));
  g_clear_pointer (&admin.root_view, portolan_table_free);
}

static gboolean
on_tick (gpointer data)
{
  portolan_connections_view_refresh (data);
  return G_SOURCE_CONTINUE;
}

/* Runs the timer only while someone can see the table and wants it live. */
static void
update_timer (PortolanConnectionsView *self, gboolean restart)
{
  gboolean want = gtk_widget_get_mapped (GTK_WIDGET (self)) && self->watched && !self->paused
                  && self->refresh_interval > 0;

  if (restart || !want)
    g_clear_handle_id (&self->timer_id, g_source_remove);
  if (want && self->timer_id == 0)
    self->timer_id = g_timeout_add (self->refresh_interval, on_tick, self);
}

static void
portolan_connections_view_map (GtkWidget *widget)
{
  PortolanConnectionsView *self = PORTOLAN_CONNECTIONS_VIEW (widget);

  GTK_WIDGET_CLASS (portolan_connections_view_parent_class)->map (widget);
  /* Coming back to the view shows a fresh table at once. */
  if (!self->paused || portolan_socket_model_get_table (self->model) == NULL)
    portolan_connections_view_refresh (self);
  update_timer (self, FALSE);
}

static void
portolan_connections_view_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (portolan_connections_view_parent_class)->unmap (widget);
  update_timer (PORTOLAN_CONNECTIONS_VIEW (widget), FALSE);
}

/* ---- building ------------------------------------------------------------------------ */

static GtkWidget *
add_toggle (PortolanConnectionsView *self, GtkWidget *box, const char *label, const char *tip,
            gboolean active)
{
  GtkWidget *toggle = gtk_toggle_button_new_with_mnemonic (label);

  portolan_accessible_name (toggle, label);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), active);
  gtk_widget_set_tooltip_text (toggle, tip);
  g_signal_connect_swapped (toggle, "toggled", G_CALLBACK (portolan_connections_filter_changed),
                            self);
  gtk_box_append (GTK_BOX (box), toggle);
  return toggle;
}

/* The toolbar is a flow box: in a narrow window its groups wrap onto more
 * lines instead of widening the window. Each group is one child; the
 * children themselves take no focus, their buttons do. */
static void
bar_append (GtkWidget *bar, GtkWidget *child)
{
  gtk_flow_box_append (GTK_FLOW_BOX (bar), child);
  gtk_widget_set_focusable (gtk_widget_get_parent (child), FALSE);
}

static GtkWidget *
linked_box (GtkWidget *toolbar)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  gtk_widget_add_css_class (box, "linked");
  bar_append (toolbar, box);
  return box;
}

/* A new scope: a full scan at once (or as soon as the running one ends),
 * and the Namespace column with it. */
static void
on_namespaces_toggled (PortolanConnectionsView *self)
{
  gboolean on = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->namespaces_toggle));

  portolan_connections_columns_show_namespace (GTK_COLUMN_VIEW (self->column_view), on);
  self->refreshes = 0;
  portolan_connections_view_refresh (self);
}

/* Beside Listening only: a group of its own would not fit the toolbar's
 * line. Like list --all-namespaces: the sockets of every namespace. */
static void
add_namespaces_toggle (PortolanConnectionsView *self, GtkWidget *box)
{
  self->namespaces_toggle
      = add_toggle (self, box, _ ("All _Namespaces"),
                    _ ("Also the sockets inside containers and other network namespaces"), FALSE);
  g_signal_connect_swapped (self->namespaces_toggle, "toggled", G_CALLBACK (on_namespaces_toggled),
                            self);
  if (!ptl_platform_is_privileged ())
    {
      /* Entering another namespace needs root; the notes still count them. */
      gtk_widget_set_sensitive (self->namespaces_toggle, FALSE);
      gtk_widget_set_tooltip_text (self->namespaces_toggle,
                                   _ ("Reading the sockets of containers and other network "
                                      "namespaces needs administrator rights"));
    }
}

static void
on_pause_toggled (GtkToggleButton *button, PortolanConnectionsView *self)
{
  portolan_connections_view_set_paused (self, gtk_toggle_button_get_active (button));
}

static GtkWidget *
toolbar_new (void)
{
  GtkWidget *bar = gtk_flow_box_new ();

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (bar), GTK_SELECTION_NONE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("What to show"), -1);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (bar), FALSE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (bar), 6);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (bar), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (bar), 6);
  gtk_widget_set_margin_start (bar, 6), gtk_widget_set_margin_end (bar, 6);
  gtk_widget_set_margin_top (bar, 6), gtk_widget_set_margin_bottom (bar, 6);
  return bar;
}

static void
build_filter_entry (PortolanConnectionsView *self)
{
  self->filter_entry = gtk_search_entry_new ();
  g_object_set (self->filter_entry, "placeholder-text",
                _ ("Filter by process, port, address or state"), NULL);
  gtk_widget_set_tooltip_text (self->filter_entry,
                               _ ("Rows that match every word: a process, address, state or "
                                  "user, a port or PID number, or port:N for local port N"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->filter_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Filter sockets"), -1);
  gtk_editable_set_width_chars (GTK_EDITABLE (self->filter_entry), 16);
  gtk_widget_set_hexpand (self->filter_entry, TRUE);
  g_signal_connect_swapped (self->filter_entry, "search-changed",
                            G_CALLBACK (portolan_connections_filter_changed), self);
}

static void
build_toolbar (PortolanConnectionsView *self)
{
  GtkWidget *bar = toolbar_new (), *box;

  /* The filter entry, then the groups; a narrow view stacks the two. */
  self->toolbar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  build_filter_entry (self);
  gtk_widget_set_margin_start (self->filter_entry, 6);
  gtk_widget_set_margin_end (self->filter_entry, 6);
  gtk_widget_set_valign (self->filter_entry, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (self->toolbar), self->filter_entry);
  gtk_box_append (GTK_BOX (self->toolbar), bar);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->listening_toggle
      = add_toggle (self, box, _ ("_Listening only"),
                    _ ("Only sockets waiting for connections or datagrams"), FALSE);
  add_namespaces_toggle (self, box);
  bar_append (bar, box);
  box = linked_box (bar);
  self->tcp_toggle = add_toggle (self, box, _ ("TCP"), _ ("Show TCP sockets"), TRUE);
  self->udp_toggle = add_toggle (self, box, _ ("UDP"), _ ("Show UDP sockets"), TRUE);
  box = linked_box (bar);
  self->ipv4_toggle = add_toggle (self, box, _ ("IPv4"), _ ("Show IPv4 sockets"), TRUE);
  self->ipv6_toggle = add_toggle (self, box, _ ("IPv6"), _ ("Show IPv6 sockets"), TRUE);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->spinner = gtk_spinner_new ();
  gtk_widget_set_visible (self->spinner, FALSE);
  gtk_widget_set_tooltip_text (self->spinner, _ ("Reading the socket table…"));
  gtk_box_append (GTK_BOX (box), self->spinner);
  self->pause_button = gtk_toggle_button_new ();
  gtk_button_set_icon_name (GTK_BUTTON (self->pause_button), "media-playback-pause-symbolic");
  gtk_widget_set_tooltip_text (self->pause_button, _ ("Pause automatic refresh"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->pause_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Pause"), -1);
  g_signal_connect (self->pause_button, "toggled", G_CALLBACK (on_pause_toggled), self);
  gtk_box_append (GTK_BOX (box), self->pause_button);
  self->export_button = gtk_button_new_with_mnemonic (_ ("_Export…"));
  portolan_accessible_name (self->export_button, _ ("_Export…"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->export_button), "conn.export");
  gtk_widget_set_tooltip_text (self->export_button,
                               _ ("Save the sockets shown, or all of them, as CSV or JSON"));
  gtk_box_append (GTK_BOX (box), self->export_button);
  /* Shown only while owners are hidden: beside Export…, no row of its own. */
  gtk_box_append (GTK_BOX (box), portolan_connections_admin_build (self));
  bar_append (bar, box);
  gtk_widget_set_parent (self->toolbar, GTK_WIDGET (self));
}

/* The column view's own list, which knows how to scroll to a row. */
static GtkWidget *
inner_list (PortolanConnectionsView *self)
{
  for (GtkWidget *c = gtk_widget_get_first_child (self->column_view); c;
       c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_LIST_VIEW (c))
      return c;
  return NULL;
}

static gboolean
keep_selected_in_view (gpointer data)
{
  PortolanConnectionsView *self = data;
  guint pos = gtk_single_selection_get_selected (self->selection);
  GtkWidget *list = inner_list (self);

  self->sort_idle_id = 0;
  if (pos != GTK_INVALID_LIST_POSITION && list != NULL)
    gtk_widget_activate_action (list, "list.scroll-to-item", "u", pos);
  return G_SOURCE_REMOVE;
}

/* A new sort order (a header clicked, ascending or descending) moves every
 * row: the selected one stays in view instead of the view staying at an
 * offset that now shows other rows. */
static void
on_sort_changed (GtkSorter *sorter, GtkSorterChange change, PortolanConnectionsView *self)
{
  (void) sorter, (void) change;
  if (self->sort_idle_id == 0)
    self->sort_idle_id = g_idle_add (keep_selected_in_view, self);
}

static void
build_models (PortolanConnectionsView *self)
{
  GtkSorter *sorter;

  self->model = portolan_socket_model_new ();
  self->filter = portolan_connections_filter_new (self);
  /* No filter until something filters: then the filter model passes
   * every signal through at no cost. */
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->model)), NULL);
  sorter = gtk_column_view_get_sorter (GTK_COLUMN_VIEW (self->column_view));
  self->sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->filtered)),
                                          sorter ? g_object_ref (sorter) : NULL);
  if (sorter != NULL)
    g_signal_connect (sorter, "changed", G_CALLBACK (on_sort_changed), self);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->sorted)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (GTK_COLUMN_VIEW (self->column_view),
                             GTK_SELECTION_MODEL (self->selection));
  g_signal_connect (self->sorted, "items-changed", G_CALLBACK (on_shown_changed), self);
  g_signal_connect_swapped (self->model, "applied", G_CALLBACK (portolan_connections_update_notes),
                            self);
  portolan_connections_filter_changed (self);
  portolan_connections_timing_init (self);
}

static void
build_content (PortolanConnectionsView *self)
{
  GtkWidget *scroller = gtk_scrolled_window_new ();

  self->notes_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->notes_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->notes_label), 0);
  gtk_widget_add_css_class (self->notes_label, "connections-notes");
  gtk_widget_set_visible (self->notes_label, FALSE);
  gtk_widget_set_parent (self->notes_label, GTK_WIDGET (self));

  self->column_view = gtk_column_view_new (NULL);
  gtk_column_view_set_show_column_separators (GTK_COLUMN_VIEW (self->column_view), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->column_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Sockets on this computer"), -1);
  portolan_connections_columns_add (GTK_COLUMN_VIEW (self->column_view),
                                    portolan_connections_popup_menu, self);
  portolan_connections_keyboard_init (self);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), self->column_view);
  gtk_widget_set_vexpand (scroller, TRUE);

  self->state_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->state_label), TRUE);
  gtk_label_set_justify (GTK_LABEL (self->state_label), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (self->state_label, "connections-state");
  gtk_widget_add_css_class (self->state_label, "dim-label");

  self->stack = gtk_stack_new ();
  gtk_stack_add_named (GTK_STACK (self->stack), scroller, "list");
  gtk_stack_add_named (GTK_STACK (self->stack), self->state_label, "state");
  gtk_widget_set_vexpand (self->stack, TRUE);
  gtk_widget_set_parent (self->stack, GTK_WIDGET (self));

  self->status_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->status_label), 0);
  gtk_widget_add_css_class (self->status_label, "connections-status");
  gtk_widget_add_css_class (self->status_label, "dim-label");
  gtk_widget_set_parent (self->status_label, GTK_WIDGET (self));
}

/* ---- the object ------------------------------------------------------------------------ */

static void
view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PortolanConnectionsView *self = PORTOLAN_CONNECTIONS_VIEW (object);

  switch (prop_id)
    {
    case PROP_REFRESH_INTERVAL:
      g_value_set_uint (value, self->refresh_interval);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
view_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  PortolanConnectionsView *self = PORTOLAN_CONNECTIONS_VIEW (object);

  switch (prop_id)
    {
    case PROP_REFRESH_INTERVAL:
      portolan_connections_view_set_refresh_interval (self, g_value_get_uint (value));
      break;
    case PROP_PAUSED:
      portolan_connections_view_set_paused (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
view_dispose (GObject *object)
{
  PortolanConnectionsView *self = PORTOLAN_CONNECTIONS_VIEW (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_handle_id (&self->spinner_id, g_source_remove);
  g_clear_handle_id (&self->state_idle_id, g_source_remove);
  g_clear_handle_id (&self->sort_idle_id, g_source_remove);
  if (self->column_view != NULL && gtk_column_view_get_sorter (GTK_COLUMN_VIEW (self->column_view)))
    g_signal_handlers_disconnect_by_func (
        gtk_column_view_get_sorter (GTK_COLUMN_VIEW (self->column_view)), on_sort_changed, self);
  portolan_connections_timing_free (self);
  if (self->sorted != NULL)
    g_signal_handlers_disconnect_by_func (self->sorted, on_shown_changed, self);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, portolan_connections_update_notes, self);
  portolan_connections_admin_dispose (self);
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->sorted);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->model);
  G_OBJECT_CLASS (portolan_connections_view_parent_class)->dispose (object);
}

static void
view_finalize (GObject *object)
{
  PortolanConnectionsView *self = PORTOLAN_CONNECTIONS_VIEW (object);

  g_clear_object (&self->cancellable);
  g_strfreev (self->words);
  g_free (self->error_text);
  G_OBJECT_CLASS (portolan_connections_view_parent_class)->finalize (object);
}

static void
portolan_connections_view_class_init (PortolanConnectionsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = view_get_property;
  object_class->set_property = view_set_property;
  object_class->dispose = view_dispose;
  object_class->finalize = view_finalize;
  widget_class->map = portolan_connections_view_map;
  widget_class->unmap = portolan_connections_view_unmap;

  properties[PROP_REFRESH_INTERVAL]
      = g_param_spec_uint ("refresh-interval", NULL, NULL, 0, G_MAXUINT, DEFAULT_INTERVAL_MS,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAUSED]
      = g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY]
      = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  signals[SHOW_PORT] = g_signal_new ("show-port", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  portolan_connections_admin_class_init (object_class);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "connectionsview");
  portolan_connections_actions_install (widget_class);
}

static void
portolan_connections_view_init (PortolanConnectionsView *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  self->refresh_interval = DEFAULT_INTERVAL_MS;
  self->watched = TRUE;
  self->cancellable = g_cancellable_new ();
  load_css (GTK_WIDGET (self));
  build_toolbar (self);
  build_content (self);
  build_models (self);
  portolan_connections_actions_init (self);
  portolan_connections_update_notes (self);
  update_state (self);
}

GtkWidget *
portolan_connections_view_new (void)
{
  return g_object_new (PORTOLAN_TYPE_CONNECTIONS_VIEW, NULL);
}

void
portolan_connections_emit_show_port (PortolanConnectionsView *self, guint port)
{
  g_signal_emit (self, signals[SHOW_PORT], 0, port);
}

void
portolan_connections_view_set_refresh_interval (PortolanConnectionsView *self, guint ms)
{
  g_return_if_fail (PORTOLAN_IS_CONNECTIONS_VIEW (self));

  if (self->refresh_interval == ms)
    return;
  self->refresh_interval = ms;
  update_timer (self, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESH_INTERVAL]);
}

guint
portolan_connections_view_get_refresh_interval (PortolanConnectionsView *self)
{
  g_return_val_if_fail (PORTOLAN_IS_CONNECTIONS_VIEW (self), 0);
  return self->refresh_interval;
}

gboolean
portolan_connections_view_get_paused (PortolanConnectionsView *self)
{
  g_return_val_if_fail (PORTOLAN_IS_CONNECTIONS_VIEW (self), FALSE);
  return self->paused;
}

void
portolan_connections_view_set_paused (PortolanConnectionsView *self, gboolean paused)
{
  g_return_if_fail (PORTOLAN_IS_CONNECTIONS_VIEW (self));

  paused = !!paused;
  if (self->paused == paused)
    return;
  self->paused = paused;
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->pause_button), paused);
  gtk_button_set_icon_name (GTK_BUTTON (self->pause_button), paused
                                                                 ? "media-playback-start-symbolic"
                                                                 : "media-playback-pause-symbolic");
  gtk_widget_set_tooltip_text (self->pause_button, paused ? _ ("Resume automatic refresh")
                                                          : _ ("Pause automatic refresh"));
  update_timer (self, FALSE);
  update_status (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

gboolean
portolan_connections_view_get_busy (PortolanConnectionsView *self)
{
  g_return_val_if_fail (PORTOLAN_IS_CONNECTIONS_VIEW (self), FALSE);
  return self->busy;
}

PortolanSocketModel *
portolan_connections_view_get_model (PortolanConnectionsView *self)
{
  g_return_val_if_fail (PORTOLAN_IS_CONNECTIONS_VIEW (self), NULL);
  return self->model;
}

GListModel *
portolan_connections_view_get_shown (PortolanConnectionsView *self)
{
  g_return_val_if_fail (PORTOLAN_IS_CONNECTIONS_VIEW (self), NULL);
  return G_LIST_MODEL (self->sorted);
}

GtkEditable *
portolan_connections_view_get_filter_entry (PortolanConnectionsView *self)
{
  g_return_val_if_fail (PORTOLAN_IS_CONNECTIONS_VIEW (self), NULL);
  return GTK_EDITABLE (self->filter_entry);
}

GtkSelectionModel *
portolan_connections_view_get_selection (PortolanConnectionsView *self)
{
  g_return_val_if_fail (PORTOLAN_IS_CONNECTIONS_VIEW (self), NULL);
  return GTK_SELECTION_MODEL (self->selection);
}

void
portolan_connections_view_show_port (PortolanConnectionsView *self, guint port)
{
  g_autofree char *text = g_strdup_printf ("port:%u", port);
  GtkWidget *on[] = { self->tcp_toggle, self->udp_toggle, self->ipv4_toggle, self->ipv6_toggle };

  g_return_if_fail (PORTOLAN_IS_CONNECTIONS_VIEW (self));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->listening_toggle), FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (on); i++)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (on[i]), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->filter_entry), text);
  /* At once, not after the entry's search delay. */
  portolan_connections_filter_changed (self);
}

void
portolan_connections_view_set_watched (PortolanConnectionsView *self, gboolean watched)
{
  g_return_if_fail (PORTOLAN_IS_CONNECTIONS_VIEW (self));

  watched = !!watched;
  if (self->watched == watched)
    return;
  self->watched = watched;
  /* Seen again: a fresh table at once, as when the view is mapped. */
  if (watched && gtk_widget_get_mapped (GTK_WIDGET (self)) && !self->paused)
    portolan_connections_view_refresh (self);
  update_timer (self, FALSE);
}

gboolean
portolan_connections_view_get_watched (PortolanConnectionsView *self)
{
  g_return_val_if_fail (PORTOLAN_IS_CONNECTIONS_VIEW (self), FALSE);
  return self->watched;
}

void
portolan_connections_view_set_narrow (PortolanConnectionsView *self, gboolean narrow)
{
  g_return_if_fail (PORTOLAN_IS_CONNECTIONS_VIEW (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->toolbar),
                                  narrow ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
}
