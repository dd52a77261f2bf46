/* portolan-window.c: the main window. */
#include "config.h"

#include <glib/gi18n.h>

#include "portolan-admin-flow.h"
#include "portolan-connections-view.h"
#include "portolan-port-view.h"
#include "portolan-scan.h"
#include "portolan-window-timing.h"
#include "portolan-window.h"

struct _PortolanWindow
{
  GtkApplicationWindow parent_instance;

  /* Template widgets */
  GtkSearchEntry *search_entry;
  GtkSpinner *spinner;
  GtkRevealer *error_revealer;
  GtkLabel *error_label;
  GtkRevealer *notice_revealer;
  GtkLabel *notice_label;
  GtkStack *stack;
  GtkWidget *switcher, *bottom_switcher;
  GtkWidget *switcher_ref; /* the header bar lets go of the switcher while narrow */
  PortolanPortView *port_view;
  PortolanConnectionsView *connections_view;

  /* Owned */
  GCancellable *cancellable;
  guint spinner_id;
  guint notice_id;
  guint layout_idle_id;
  gboolean narrow;
  char *query;
  GSettings *settings;
  PortolanWindowTiming *timing; /* PORTOLAN_DEBUG_TIMING only */
  PortolanAdminFlow *admin;     /* Show All Owners… */
  gboolean keep_view;           /* the search in flight redoes the page in the back */
  gboolean busy;
  gint64 build_start;  /* the answer's page is being built since then, or 0 */
  gboolean was_active; /* focused at least once: losing focus then means "behind" */
};

G_DEFINE_FINAL_TYPE (PortolanWindow, portolan_window, GTK_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_busy (PortolanWindow *self, gboolean busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static gboolean
show_spinner_cb (gpointer user_data)
{
  PortolanWindow *self = user_data;

  self->spinner_id = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  gtk_spinner_start (self->spinner);
  portolan_port_view_set_loading (self->port_view, TRUE);
  return G_SOURCE_REMOVE;
}

static void
stop_spinner (PortolanWindow *self)
{
  g_clear_handle_id (&self->spinner_id, g_source_remove);
  gtk_spinner_stop (self->spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  portolan_port_view_set_loading (self->port_view, FALSE);
}

/* A notice fades away on its own after this long. */
#define NOTICE_MS 6000

static void
notice_close_cb (PortolanWindow *self)
{
  g_clear_handle_id (&self->notice_id, g_source_remove);
  gtk_revealer_set_reveal_child (self->notice_revealer, FALSE);
}

/* Hidden, not just folded, once it faded: a folded revealer would still
 * sit in the Tab order. */
static void
notice_revealed_cb (PortolanWindow *self)
{
  if (!gtk_revealer_get_child_revealed (self->notice_revealer)
      && !gtk_revealer_get_reveal_child (self->notice_revealer))
    gtk_widget_set_visible (GTK_WIDGET (self->notice_revealer), FALSE);
}

static gboolean
notice_timeout_cb (gpointer user_data)
{
  PortolanWindow *self = user_data;

  self->notice_id = 0;
  gtk_revealer_set_reveal_child (self->notice_revealer, FALSE);
  return G_SOURCE_REMOVE;
}

void
portolan_window_show_notice (PortolanWindow *self, const char *text)
{
  g_return_if_fail (PORTOLAN_IS_WINDOW (self));
  gtk_label_set_text (self->notice_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->notice_revealer), TRUE);
  gtk_revealer_set_reveal_child (self->notice_revealer, TRUE);
  g_clear_handle_id (&self->notice_id, g_source_remove);
  self->notice_id = g_timeout_add (NOTICE_MS, notice_timeout_cb, self);
}

const char *
portolan_window_get_notice (PortolanWindow *self)
{
  g_return_val_if_fail (PORTOLAN_IS_WINDOW (self), NULL);
  return gtk_revealer_get_reveal_child (self->notice_revealer)
             ? gtk_label_get_text (self->notice_label)
             : NULL;
}

void
portolan_show_notice (GtkWidget *widget, const char *text)
{
  GtkRoot *root = widget ? gtk_widget_get_root (widget) : NULL;
  GtkWidget *dialog;

  if (PORTOLAN_IS_WINDOW (root))
    {
      portolan_window_show_notice (PORTOLAN_WINDOW (root), text);
      return;
    }
  dialog = gtk_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_INFO, GTK_BUTTONS_CLOSE, "%s", text);
  gtk_window_set_title (GTK_WINDOW (dialog), text);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_window_destroy), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_search_error (PortolanWindow *self, const char *message)
{
  if (message)
    gtk_label_set_text (self->error_label, message);
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
}

static void
report_ready_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PortolanWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  PtlReportSet *set = portolan_scan_report_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  stop_spinner (self);
  portolan_admin_flow_search_done (self->admin, result);
  if (set == NULL)
    show_search_error (self, error->message);
  else
    {
      /* Task switchers show what the window is about. */
      g_autofree char *title
          = set->n_reports == 1 ? g_strdup_printf (_ ("Port %u — Portolan"), set->reports[0].port)
                                : g_strdup_printf (_ ("%s — Portolan"), set->query_text);

      self->build_start = g_get_monotonic_time ();
      show_search_error (self, NULL);
      gtk_window_set_title (GTK_WINDOW (self), title);
      /* In front first (unless the page is redone in the back): the page
       * builds its lower sections frame by frame only where it is seen. */
      if (!self->keep_view)
        gtk_stack_set_visible_child_name (self->stack, "port");
      portolan_port_view_show_report (self->port_view, set);
      if (portolan_port_view_get_building (self->port_view))
        return; /* still busy: page_built_cb ends it */
      portolan_window_timing_built (self->timing, self->build_start);
      self->build_start = 0;
    }
  set_busy (self, FALSE);
}

static void
page_built_cb (PortolanWindow *self)
{
  if (self->build_start == 0 || portolan_port_view_get_building (self->port_view))
    return;
  portolan_window_timing_built (self->timing, self->build_start);
  self->build_start = 0;
  set_busy (self, FALSE);
}

/* @keep_view: the page is redone where it is (a change of what the window
 * may read as root), without bringing the Port view to the front. */
static void
start_search (PortolanWindow *self, const char *query, gboolean keep_view)
{
  PortolanScanAdmin admin = { 0 };

  self->keep_view = keep_view;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_free (self->query);
  self->query = g_strdup (query);
  self->build_start = 0;
  portolan_window_timing_search (self->timing, query);
  set_busy (self, TRUE);
  g_clear_handle_id (&self->spinner_id, g_source_remove);
  self->spinner_id = g_timeout_add (PORTOLAN_SPINNER_DELAY_MS, show_spinner_cb, self);
  portolan_admin_flow_search_args (self->admin, &admin);
  portolan_scan_report_admin_async (query, &admin, self->cancellable, report_ready_cb,
                                    g_object_ref (self));
  g_clear_pointer (&admin.root_view, portolan_table_free);
}

static void
search_activated_cb (PortolanWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  start_search (self, text, FALSE);
}

/* On every edit ("changed", not the delayed "search-changed", which would
 * fire after Enter and hide the sentence just shown). */
static void
search_changed_cb (PortolanWindow *self)
{
  show_search_error (self, NULL);
}

void
portolan_window_search (PortolanWindow *self, const char *query)
{
  g_return_if_fail (PORTOLAN_IS_WINDOW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), query);
  gtk_editable_set_position (GTK_EDITABLE (self->search_entry), -1);
  start_search (self, query, FALSE);
}

void
portolan_window_search_again (PortolanWindow *self)
{
  g_autofree char *query = NULL;

  g_return_if_fail (PORTOLAN_IS_WINDOW (self));
  if (self->query == NULL)
    return;
  query = g_strdup (self->query);
  start_search (self, query, TRUE);
}

void
portolan_window_open_port (PortolanWindow *self, guint port)
{
  g_autofree char *text = g_strdup_printf ("%u", port);

  portolan_window_search (self, text);
}

static void
open_port_cb (PortolanWindow *self, guint port)
{
  portolan_window_open_port (self, port);
}

static void
open_query_cb (PortolanWindow *self, const char *query)
{
  portolan_window_search (self, query);
}

static void
show_connections_cb (PortolanWindow *self, guint port)
{
  portolan_connections_view_show_port (self->connections_view, port);
  gtk_stack_set_visible_child_name (self->stack, "connections");
}

static void
refresh_cb (PortolanWindow *self)
{
  const char *view = gtk_stack_get_visible_child_name (self->stack);

  if (g_strcmp0 (view, "connections") == 0)
    portolan_connections_view_refresh (self->connections_view);
  else if (self->query)
    {
      g_autofree char *query = g_strdup (self->query);
      start_search (self, query, FALSE);
    }
}

static void
refresh_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  refresh_cb (PORTOLAN_WINDOW (user_data));
}

/* Ctrl+F: the filter of the view in front (the Connections filter, or the
 * search entry on the Port view), its text selected so typing replaces it. */
static void
search_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  PortolanWindow *self = PORTOLAN_WINDOW (user_data);
  GtkEditable *entry = GTK_EDITABLE (self->search_entry);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "connections") == 0)
    entry = portolan_connections_view_get_filter_entry (self->connections_view);
  gtk_widget_grab_focus (GTK_WIDGET (entry));
  gtk_editable_select_region (entry, 0, -1);
}

static const GActionEntry win_actions[] = {
  { "refresh", refresh_activated, NULL, NULL, NULL },
  { "search", search_activated, NULL, NULL, NULL },
};

void
portolan_window_set_view (PortolanWindow *self, const char *view)
{
  g_return_if_fail (PORTOLAN_IS_WINDOW (self));
  if (gtk_stack_get_child_by_name (self->stack, view))
    gtk_stack_set_visible_child_name (self->stack, view);
}

static void
refresh_interval_changed_cb (PortolanWindow *self, const char *key, GSettings *settings)
{
  portolan_connections_view_set_refresh_interval (self->connections_view,
                                                  g_settings_get_uint (settings, key));
}

static void
restore_settings (PortolanWindow *self)
{
  GSettings *s = self->settings;
  g_autofree char *view = g_settings_get_string (s, "last-view");

  gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (s, "window-width"),
                               g_settings_get_int (s, "window-height"));
  /* Folded from the start when it was left narrow: the wide layout's
   * minimum width would not let it come back that narrow. */
  portolan_window_fold_for_width (self, g_settings_get_int (s, "window-width"));
  if (g_settings_get_boolean (s, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  portolan_window_set_view (self, view);
  g_settings_bind (s, "last-view", self->stack, "visible-child-name", G_SETTINGS_BIND_SET);
  g_signal_connect_object (s, "changed::refresh-interval", G_CALLBACK (refresh_interval_changed_cb),
                           self, G_CONNECT_SWAPPED);
  refresh_interval_changed_cb (self, "refresh-interval", s);
}

/* The Connections view refreshes only while someone can see it: not while
 * the window is minimised, nor once it went behind another window. A
 * window that was never focused (no window manager, as under a bare X
 * server) counts as seen. */
static void
update_watched (PortolanWindow *self)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (self));
  gboolean active = gtk_window_is_active (GTK_WINDOW (self));
  gboolean minimised = FALSE;
  gboolean watched;

  if (GDK_IS_TOPLEVEL (surface))
    minimised
        = (gdk_toplevel_get_state (GDK_TOPLEVEL (surface)) & GDK_TOPLEVEL_STATE_MINIMIZED) != 0;
  self->was_active |= active;
  watched = !minimised && (active || !self->was_active);
  portolan_connections_view_set_watched (self->connections_view, watched);
  portolan_window_timing_watched (self->timing, watched, minimised ? "minimised" : "behind");
}

static void
surface_state_cb (GdkSurface *surface, GParamSpec *pspec, PortolanWindow *self)
{
  update_watched (self);
}

/* Below this width the window folds: the view switcher moves under the
 * views, the search entry shrinks, the Port view folds its map into a
 * button. GTK 4.8 has no breakpoints: the allocated width decides. */
#define NARROW_WIDTH 720

static gboolean
apply_layout (gpointer data)
{
  PortolanWindow *self = data;
  GtkWidget *bar = gtk_window_get_titlebar (GTK_WINDOW (self));

  self->layout_idle_id = 0;
  /* A header bar keeps its title centred, so it is at least twice as wide
   * as its wider side: narrow, it shows no title and only the close button. */
  gtk_header_bar_set_title_widget (GTK_HEADER_BAR (bar),
                                   self->narrow ? gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0)
                                                : self->switcher_ref);
  gtk_header_bar_set_decoration_layout (GTK_HEADER_BAR (bar), self->narrow ? ":close" : NULL);
  gtk_widget_set_visible (self->bottom_switcher, self->narrow);
  gtk_editable_set_width_chars (GTK_EDITABLE (self->search_entry), self->narrow ? 6 : 12);
  gtk_editable_set_max_width_chars (GTK_EDITABLE (self->search_entry), self->narrow ? 16 : 30);
  portolan_port_view_set_narrow (self->port_view, self->narrow);
  portolan_connections_view_set_narrow (self->connections_view, self->narrow);
  return G_SOURCE_REMOVE;
}

void
portolan_window_fold_for_width (PortolanWindow *self, int width)
{
  g_return_if_fail (PORTOLAN_IS_WINDOW (self));
  self->narrow = width < NARROW_WIDTH;
  g_clear_handle_id (&self->layout_idle_id, g_source_remove);
  apply_layout (self);
}

/* Layout cannot change while GTK allocates: the change waits for an idle. */
static void
portolan_window_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  PortolanWindow *self = PORTOLAN_WINDOW (widget);
  gboolean narrow = width < NARROW_WIDTH;

  GTK_WIDGET_CLASS (portolan_window_parent_class)->size_allocate (widget, width, height, baseline);
  if (narrow == self->narrow)
    return;
  self->narrow = narrow;
  if (self->layout_idle_id == 0)
    self->layout_idle_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, apply_layout, self, NULL);
}

gboolean
portolan_window_get_narrow (PortolanWindow *self)
{
  g_return_val_if_fail (PORTOLAN_IS_WINDOW (self), FALSE);
  return self->narrow;
}

static void
portolan_window_realize (GtkWidget *widget)
{
  PortolanWindow *self = PORTOLAN_WINDOW (widget);

  GTK_WIDGET_CLASS (portolan_window_parent_class)->realize (widget);
  g_signal_connect_object (gtk_native_get_surface (GTK_NATIVE (self)), "notify::state",
                           G_CALLBACK (surface_state_cb), self, 0);
  update_watched (self);
}

static gboolean
portolan_window_close_request (GtkWindow *window)
{
  PortolanWindow *self = PORTOLAN_WINDOW (window);
  int width, height;

  if (self->settings)
    {
      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
      g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
    }
  return GTK_WINDOW_CLASS (portolan_window_parent_class)->close_request (window);
}

/* Settings come from the application, which is only known once the
 * window has it (a plain property, set after construction). */
static void
load_settings (PortolanWindow *self, PortolanApplication *app)
{
  GSettings *settings = portolan_application_get_settings (app);

  if (settings == NULL)
    return;
  self->settings = g_object_ref (settings);
  restore_settings (self);
}

static void
portolan_window_dispose (GObject *object)
{
  PortolanWindow *self = PORTOLAN_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->spinner_id, g_source_remove);
  g_clear_handle_id (&self->notice_id, g_source_remove);
  g_clear_handle_id (&self->layout_idle_id, g_source_remove);
  g_clear_object (&self->switcher_ref);
  g_clear_pointer (&self->timing, portolan_window_timing_free);
  g_clear_object (&self->admin);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->query, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), PORTOLAN_TYPE_WINDOW);
  G_OBJECT_CLASS (portolan_window_parent_class)->dispose (object);
}

static void
portolan_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PortolanWindow *self = PORTOLAN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
portolan_window_class_init (PortolanWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = portolan_window_dispose;
  object_class->get_property = portolan_window_get_property;
  GTK_WINDOW_CLASS (klass)->close_request = portolan_window_close_request;
  widget_class->realize = portolan_window_realize;
  widget_class->size_allocate = portolan_window_size_allocate;

  properties[PROP_BUSY]
      = g_param_spec_boolean ("busy", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PORTOLAN_TYPE_PORT_VIEW);
  g_type_ensure (PORTOLAN_TYPE_CONNECTIONS_VIEW);
  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/portolan/Portolan/ui/portolan-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PortolanWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PortolanWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, PortolanWindow, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, PortolanWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, PortolanWindow, notice_revealer);
  gtk_widget_class_bind_template_child (widget_class, PortolanWindow, notice_label);
  gtk_widget_class_bind_template_callback (widget_class, notice_close_cb);
  gtk_widget_class_bind_template_callback (widget_class, notice_revealed_cb);
  gtk_widget_class_bind_template_child (widget_class, PortolanWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, PortolanWindow, switcher);
  gtk_widget_class_bind_template_child (widget_class, PortolanWindow, bottom_switcher);
  gtk_widget_class_bind_template_child (widget_class, PortolanWindow, port_view);
  gtk_widget_class_bind_template_child (widget_class, PortolanWindow, connections_view);
  gtk_widget_class_bind_template_callback (widget_class, search_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_port_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_query_cb);
  gtk_widget_class_bind_template_callback (widget_class, refresh_cb);
  gtk_widget_class_bind_template_callback (widget_class, show_connections_cb);
}

static void
portolan_window_init (PortolanWindow *self)
{
  g_autoptr (GPropertyAction) view = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->switcher_ref = g_object_ref (self->switcher);
  self->admin = portolan_admin_flow_new (self, self->port_view, self->connections_view);
  self->timing = portolan_window_timing_new (GTK_WIDGET (self), portolan_gui_start_time ());
  /* Typing goes to the search, not to the first selectable label. */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->search_entry));
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions),
                                   self);
  view = g_property_action_new ("view", self->stack, "visible-child-name");
  g_signal_connect_swapped (self, "notify::is-active", G_CALLBACK (update_watched), self);
  g_signal_connect_swapped (self->port_view, "notify::building", G_CALLBACK (page_built_cb), self);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (view));
}

PortolanWindow *
portolan_window_new (PortolanApplication *app)
{
  PortolanWindow *self = g_object_new (PORTOLAN_TYPE_WINDOW, "application", app, NULL);

  load_settings (self, app);
  return self;
}

gboolean
portolan_window_get_busy (PortolanWindow *self)
{
  g_return_val_if_fail (PORTOLAN_IS_WINDOW (self), FALSE);
  return self->busy;
}

GtkEditable *
portolan_window_get_search_entry (PortolanWindow *self)
{
  return GTK_EDITABLE (self->search_entry);
}

GtkLabel *
portolan_window_get_search_error (PortolanWindow *self)
{
  return self->error_label;
}

GtkWidget *
portolan_window_get_port_view (PortolanWindow *self)
{
  return GTK_WIDGET (self->port_view);
}

GtkWidget *
portolan_window_get_connections_view (PortolanWindow *self)
{
  return GTK_WIDGET (self->connections_view);
}

PortolanAllOwners
portolan_window_get_all_owners (PortolanWindow *self)
{
  g_return_val_if_fail (PORTOLAN_IS_WINDOW (self), PORTOLAN_ALL_OWNERS_OFF);
  return portolan_admin_flow_get_state (self->admin);
}

const char *
portolan_window_get_query (PortolanWindow *self)
{
  g_return_val_if_fail (PORTOLAN_IS_WINDOW (self), NULL);
  return self->query;
}

const char *
portolan_window_get_view (PortolanWindow *self)
{
  g_return_val_if_fail (PORTOLAN_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}
