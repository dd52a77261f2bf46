/* portolan-port-map.c: PRELIMINARY version (plain grid, selection only). */
#include "portolan-port-map.h"

struct _PortolanPortMap
{
  GtkWidget parent_instance;

  guint port;
};

enum
{
  PROP_0,
  PROP_PORT,
  N_PROPS
};

enum
{
  PORT_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (PortolanPortMap, portolan_port_map, GTK_TYPE_WIDGET)

static void
portolan_port_map_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PortolanPortMap *self = PORTOLAN_PORT_MAP (object);

  if (prop_id == PROP_PORT)
    g_value_set_uint (value, self->port);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
portolan_port_map_set_property (GObject *object, guint prop_id, const GValue *value,
                                GParamSpec *pspec)
{
  PortolanPortMap *self = PORTOLAN_PORT_MAP (object);

  if (prop_id == PROP_PORT)
    portolan_port_map_set_port (self, g_value_get_uint (value));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
portolan_port_map_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  PortolanPortMap *self = PORTOLAN_PORT_MAP (widget);
  float w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  GdkRGBA bg = { 0.9f, 0.9f, 0.9f, 1 }, sel = { 0.2f, 0.4f, 0.9f, 1 };

  gtk_snapshot_append_color (snapshot, &bg, &GRAPHENE_RECT_INIT (0, 0, w, h));
  gtk_snapshot_append_color (snapshot, &sel,
                             &GRAPHENE_RECT_INIT ((self->port % 256) * w / 256,
                                                  (self->port / 256) * h / 256, w / 256, h / 256));
}

static void
portolan_port_map_class_init (PortolanPortMapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = portolan_port_map_get_property;
  object_class->set_property = portolan_port_map_set_property;
  widget_class->snapshot = portolan_port_map_snapshot;

  properties[PROP_PORT]
      = g_param_spec_uint ("port", NULL, NULL, 0, 65535, 0,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  signals[PORT_ACTIVATED]
      = g_signal_new ("port-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
portolan_port_map_init (PortolanPortMap *self)
{
  gtk_widget_set_size_request (GTK_WIDGET (self), 256, 256);
}

GtkWidget *
portolan_port_map_new (void)
{
  return g_object_new (PORTOLAN_TYPE_PORT_MAP, NULL);
}

guint
portolan_port_map_get_port (PortolanPortMap *self)
{
  return self->port;
}

void
portolan_port_map_set_port (PortolanPortMap *self, guint port)
{
  port = MIN (port, 65535);
  if (self->port == port)
    return;
  self->port = port;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
}

void
portolan_port_map_set_rules (PortolanPortMap *self, const PtlPortRules *rules)
{
  (void) self;
  (void) rules;
}

void
portolan_port_map_set_in_use (PortolanPortMap *self, const PtlSocketTable *table)
{
  (void) self;
  (void) table;
}
