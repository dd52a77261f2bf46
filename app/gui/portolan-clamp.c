/* portolan-clamp.c: a maximum width for the Port page's text column. */
#include "portolan-clamp.h"

struct _PortolanClamp
{
  GtkWidget parent_instance;

  GtkWidget *child;
  int maximum_size;
};

enum
{
  PROP_0,
  PROP_CHILD,
  PROP_MAXIMUM_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (PortolanClamp, portolan_clamp, GTK_TYPE_WIDGET)

static void
clamp_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum,
               int *natural, int *minimum_baseline, int *natural_baseline)
{
  PortolanClamp *self = PORTOLAN_CLAMP (widget);

  *minimum = *natural = 0;
  *minimum_baseline = *natural_baseline = -1;
  if (self->child == NULL || !gtk_widget_get_visible (self->child))
    return;
  /* Heights are asked for the width the child will really get. */
  if (orientation == GTK_ORIENTATION_VERTICAL && for_size > self->maximum_size)
    for_size = self->maximum_size;
  gtk_widget_measure (self->child, orientation, for_size, minimum, natural, NULL, NULL);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *natural = MAX (*minimum, MIN (*natural, self->maximum_size));
}

static void
clamp_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  PortolanClamp *self = PORTOLAN_CLAMP (widget);
  int min = 0, child_width;

  if (self->child == NULL || !gtk_widget_get_visible (self->child))
    return;
  gtk_widget_measure (self->child, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  child_width = MAX (min, MIN (width, self->maximum_size));
  gtk_widget_size_allocate (
      self->child, &(GtkAllocation){ MAX (0, (width - child_width) / 2), 0, child_width, height },
      baseline);
}

static void
clamp_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PortolanClamp *self = PORTOLAN_CLAMP (object);

  if (prop_id == PROP_CHILD)
    g_value_set_object (value, self->child);
  else if (prop_id == PROP_MAXIMUM_SIZE)
    g_value_set_int (value, self->maximum_size);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
clamp_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  PortolanClamp *self = PORTOLAN_CLAMP (object);

  if (prop_id == PROP_CHILD)
    portolan_clamp_set_child (self, g_value_get_object (value));
  else if (prop_id == PROP_MAXIMUM_SIZE)
    {
      self->maximum_size = g_value_get_int (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
clamp_dispose (GObject *object)
{
  PortolanClamp *self = PORTOLAN_CLAMP (object);

  g_clear_pointer (&self->child, gtk_widget_unparent);
  G_OBJECT_CLASS (portolan_clamp_parent_class)->dispose (object);
}

static void
portolan_clamp_class_init (PortolanClampClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = clamp_get_property;
  object_class->set_property = clamp_set_property;
  object_class->dispose = clamp_dispose;
  widget_class->measure = clamp_measure;
  widget_class->size_allocate = clamp_size_allocate;
  properties[PROP_CHILD]
      = g_param_spec_object ("child", NULL, NULL, GTK_TYPE_WIDGET,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAXIMUM_SIZE] = g_param_spec_int ("maximum-size", NULL, NULL, 0, G_MAXINT, 860,
                                                    G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_css_name (widget_class, "clamp");
}

static void
portolan_clamp_init (PortolanClamp *self)
{
  self->maximum_size = 860;
}

GtkWidget *
portolan_clamp_new (void)
{
  return g_object_new (PORTOLAN_TYPE_CLAMP, NULL);
}

void
portolan_clamp_set_child (PortolanClamp *self, GtkWidget *child)
{
  g_return_if_fail (PORTOLAN_IS_CLAMP (self));

  if (self->child == child)
    return;
  g_clear_pointer (&self->child, gtk_widget_unparent);
  if (child != NULL)
    {
      self->child = child;
      gtk_widget_set_parent (child, GTK_WIDGET (self));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHILD]);
}
