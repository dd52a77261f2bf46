/* portolan-connections-view.c: PRELIMINARY version (model and refresh only). */
#include "portolan-connections-view.h"

struct _PortolanConnectionsView
{
  GtkWidget parent_instance;

  PortolanSocketModel *model;
  GtkWidget *scroller;
  GCancellable *cancellable;
  guint refresh_interval;
};

enum
{
  PROP_0,
  PROP_REFRESH_INTERVAL,
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

static void
view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PortolanConnectionsView *self = PORTOLAN_CONNECTIONS_VIEW (object);

  if (prop_id == PROP_REFRESH_INTERVAL)
    g_value_set_uint (value, self->refresh_interval);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
view_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  PortolanConnectionsView *self = PORTOLAN_CONNECTIONS_VIEW (object);

  if (prop_id == PROP_REFRESH_INTERVAL)
    portolan_connections_view_set_refresh_interval (self, g_value_get_uint (value));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
view_dispose (GObject *object)
{
  PortolanConnectionsView *self = PORTOLAN_CONNECTIONS_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->scroller, gtk_widget_unparent);
  g_clear_object (&self->model);
  G_OBJECT_CLASS (portolan_connections_view_parent_class)->dispose (object);
}

static void
portolan_connections_view_class_init (PortolanConnectionsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = view_get_property;
  object_class->set_property = view_set_property;
  object_class->dispose = view_dispose;
  properties[PROP_REFRESH_INTERVAL]
      = g_param_spec_uint ("refresh-interval", NULL, NULL, 0, G_MAXUINT, 2000,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  signals[SHOW_PORT] = g_signal_new ("show-port", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
portolan_connections_view_init (PortolanConnectionsView *self)
{
  self->model = portolan_socket_model_new ();
  self->refresh_interval = 2000;
  self->cancellable = g_cancellable_new ();
  self->scroller = gtk_scrolled_window_new ();
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));
}

GtkWidget *
portolan_connections_view_new (void)
{
  return g_object_new (PORTOLAN_TYPE_CONNECTIONS_VIEW, NULL);
}

static void
scan_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (PortolanConnectionsView) self = user_data;
  PortolanTable *table = portolan_scan_table_finish (result, NULL);

  (void) source;
  if (table != NULL)
    portolan_socket_model_apply (self->model, table);
}

void
portolan_connections_view_refresh (PortolanConnectionsView *self)
{
  portolan_scan_table_async (NULL, self->cancellable, scan_done, g_object_ref (self));
}

void
portolan_connections_view_set_refresh_interval (PortolanConnectionsView *self, guint ms)
{
  if (self->refresh_interval == ms)
    return;
  self->refresh_interval = ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESH_INTERVAL]);
}

PortolanSocketModel *
portolan_connections_view_get_model (PortolanConnectionsView *self)
{
  return self->model;
}
