/* portolan-port-map.c: the port map. The 65,536 cells are painted into one
 * texture, rebuilt only when the data or the cell size changes, so a frame
 * costs one texture draw plus the bands, the highlight and the legend. */
#include "portolan-port-map-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ptl-knowledge.h"
#include "ptl-report.h"

#define BAND_WIDTH 8.f
#define BAND_GAP 5.f
#define BANDS_WIDTH (2 * (BAND_WIDTH + BAND_GAP))
#define LEGEND_GAP 10.f
#define HIGHLIGHT_MIN 11.f
#define LEGEND_ROWS 3
#define LEGEND_COLUMNS 2

struct _PortolanPortMap
{
  GtkWidget parent_instance;

  guint port;
  guint8 in_use[PORTOLAN_N_PORTS / 8];
  PtlPortRules rules;
  gboolean rules_known;

  GdkTexture *texture; /* the cells, cell_px pixels each */
  int cell_px;
  gboolean dark; /* the texture's palette */

  /* The map's keyboard and screen-reader side: an undrawn GtkScale whose
   * value is the selected port. GTK 4.8 gives AT-SPI's Value interface
   * only to its own ranges (gtk_atspi_get_value_vtable () checks the
   * widget's class), so the map's value is exported through one. */
  GtkWidget *value;
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
invalidate_texture (PortolanPortMap *self)
{
  g_clear_object (&self->texture);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ---- colours ---------------------------------------------------------------- */

static const PortolanMapPalette *
palette (PortolanPortMap *self)
{
  return self->dark ? &portolan_map_dark : &portolan_map_light;
}

/* GTK 4.8 has no colour-scheme query: a theme whose text is light is a
 * dark theme. */
static gboolean
theme_is_dark (GtkWidget *widget)
{
  GdkRGBA fg;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  return 0.2126 * fg.red + 0.7152 * fg.green + 0.0722 * fg.blue > 0.5;
}

/* ---- layout ----------------------------------------------------------------- */

static float
legend_line_height (GtkWidget *widget)
{
  g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (widget, "Ag");
  int h;

  pango_layout_get_pixel_size (layout, NULL, &h);
  return h + 6.f;
}

static float
legend_height (GtkWidget *widget)
{
  return LEGEND_GAP + LEGEND_ROWS * legend_line_height (widget);
}

void
portolan_port_map_get_grid (PortolanPortMap *self, graphene_rect_t *grid)
{
  GtkWidget *widget = GTK_WIDGET (self);
  float w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  float side = MIN (w - BANDS_WIDTH, h - legend_height (widget));

  if (side <= 0)
    {
      graphene_rect_init (grid, 0, 0, 0, 0);
      return;
    }
  /* Whole pixels per cell when there is room, so cells stay crisp. */
  if (side >= PORTOLAN_MAP_CELLS)
    side = floorf (side / PORTOLAN_MAP_CELLS) * PORTOLAN_MAP_CELLS;
  graphene_rect_init (grid, floorf ((w - side - BANDS_WIDTH) / 2), 0, side, side);
}

gboolean
portolan_port_map_port_at (PortolanPortMap *self, double x, double y, guint *port)
{
  graphene_rect_t g;
  double col, row;

  portolan_port_map_get_grid (self, &g);
  if (g.size.width <= 0)
    return FALSE;
  col = floor ((x - g.origin.x) * PORTOLAN_MAP_CELLS / g.size.width);
  row = floor ((y - g.origin.y) * PORTOLAN_MAP_CELLS / g.size.height);
  if (col < 0 || row < 0 || col >= PORTOLAN_MAP_CELLS || row >= PORTOLAN_MAP_CELLS)
    return FALSE;
  *port = (guint) row * PORTOLAN_MAP_CELLS + (guint) col;
  return TRUE;
}

static graphene_rect_t
cell_rect (const graphene_rect_t *g, guint port)
{
  float c = g->size.width / PORTOLAN_MAP_CELLS;

  return GRAPHENE_RECT_INIT (g->origin.x + (port % PORTOLAN_MAP_CELLS) * c,
                             g->origin.y + (port / PORTOLAN_MAP_CELLS) * c, c, c);
}

static void
portolan_port_map_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                           int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  int extra = orientation == GTK_ORIENTATION_HORIZONTAL ? (int) BANDS_WIDTH
                                                        : (int) ceilf (legend_height (widget));

  (void) for_size;
  *minimum = PORTOLAN_MAP_CELLS + extra;
  *natural = 2 * PORTOLAN_MAP_CELLS + extra;
  *minimum_baseline = *natural_baseline = -1;
}

/* The scale is measured and allocated as GTK requires, never drawn (the
 * snapshot draws the map only) and never picked (it does not target). */
static void
portolan_port_map_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  PortolanPortMap *self = PORTOLAN_PORT_MAP (widget);
  int w, h;

  (void) width, (void) height, (void) baseline;
  gtk_widget_measure (self->value, GTK_ORIENTATION_HORIZONTAL, -1, &w, NULL, NULL, NULL);
  gtk_widget_measure (self->value, GTK_ORIENTATION_VERTICAL, w, &h, NULL, NULL, NULL);
  gtk_widget_allocate (self->value, w, h, -1, NULL);
}

/* ---- drawing ------------------------------------------------------------------ */

static void
draw_span (GtkSnapshot *snapshot, const graphene_rect_t *g, float x, guint first, guint last,
           guint32 rgb)
{
  float row_h = g->size.height / PORTOLAN_MAP_CELLS;
  float y0 = g->origin.y + (first / (float) PORTOLAN_MAP_CELLS) * row_h;
  float y1 = g->origin.y + ((last + 1) / (float) PORTOLAN_MAP_CELLS) * row_h;

  GdkRGBA colour = portolan_map_rgba (rgb);

  gtk_snapshot_append_color (snapshot, &colour,
                             &GRAPHENE_RECT_INIT (x, y0, BAND_WIDTH, MAX (y1 - y0, 1)));
}

/* Two strips right of the grid: the IANA ranges, then the ephemeral range. */
static void
draw_bands (PortolanPortMap *self, GtkSnapshot *snapshot, const graphene_rect_t *g)
{
  float x = g->origin.x + g->size.width + BAND_GAP;

  for (PtlRange r = PTL_RANGE_WELL_KNOWN; r <= PTL_RANGE_DYNAMIC; r++)
    draw_span (snapshot, g, x, ptl_range_first (r), ptl_range_last (r),
               palette (self)->assigned[r]);
  if (self->rules_known && self->rules.known)
    draw_span (snapshot, g, x + BAND_WIDTH + BAND_GAP, self->rules.ephemeral_first,
               self->rules.ephemeral_last, palette (self)->ephemeral);
}

static void
draw_highlight (PortolanPortMap *self, GtkSnapshot *snapshot, const graphene_rect_t *g)
{
  graphene_rect_t cell = cell_rect (g, self->port);
  float side = MAX (cell.size.width + 4, HIGHLIGHT_MIN);
  float cx = cell.origin.x + cell.size.width / 2, cy = cell.origin.y + cell.size.height / 2;
  GskRoundedRect outer, inner;
  GdkRGBA dark[4], light[4];

  for (int i = 0; i < 4; i++)
    dark[i] = (GdkRGBA){ 0, 0, 0, 1 }, light[i] = (GdkRGBA){ 1, 1, 1, 1 };
  gsk_rounded_rect_init_from_rect (
      &outer, &GRAPHENE_RECT_INIT (cx - side / 2, cy - side / 2, side, side), 0);
  gsk_rounded_rect_init_from_rect (
      &inner, &GRAPHENE_RECT_INIT (cx - side / 2 + 2, cy - side / 2 + 2, side - 4, side - 4), 0);
  gtk_snapshot_append_border (snapshot, &outer, (float[4]){ 2, 2, 2, 2 }, dark);
  gtk_snapshot_append_border (snapshot, &inner, (float[4]){ 1, 1, 1, 1 }, light);
}

static void
draw_legend_item (GtkWidget *widget, GtkSnapshot *snapshot, const graphene_rect_t *box, guint32 rgb,
                  const char *text)
{
  g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  GdkRGBA fg, swatch = portolan_map_rgba (rgb);
  float x = box->origin.x, y = box->origin.y;

  pango_layout_set_width (layout, (int) MAX (box->size.width - 18, 1) * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  gtk_snapshot_append_color (snapshot, &swatch,
                             &GRAPHENE_RECT_INIT (x, y + (box->size.height - 10) / 2 - 1, 10, 10));
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x + 15, y + 3));
  gtk_snapshot_append_layout (snapshot, layout, &fg);
  gtk_snapshot_restore (snapshot);
}

static void
draw_legend (PortolanPortMap *self, GtkSnapshot *snapshot, const graphene_rect_t *g)
{
  GtkWidget *widget = GTK_WIDGET (self);
  float line_h = legend_line_height (widget);
  float col_w = (g->size.width + BANDS_WIDTH) / LEGEND_COLUMNS,
        y = g->origin.y + g->size.height + LEGEND_GAP;
  g_autofree char *ephemeral = NULL;
  const PortolanMapPalette *pal = palette (self);
  const struct
  {
    guint32 rgb;
    const char *text;
  } items[] = {
    { pal->base[0], _ ("0–1023 well-known") },
    { pal->base[1], _ ("1024–49151 registered") },
    { pal->base[2], _ ("49152–65535 dynamic") },
    { pal->assigned[1],
      self->dark ? _ ("Brighter: assigned by IANA") : _ ("Darker: assigned by IANA") },
    { pal->in_use, _ ("In use on this computer") },
    { pal->ephemeral, NULL },
  };

  if (self->rules_known && self->rules.known)
    ephemeral = g_strdup_printf (_ ("Ephemeral %u–%u (band)"), self->rules.ephemeral_first,
                                 self->rules.ephemeral_last);
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      graphene_rect_t box = GRAPHENE_RECT_INIT (g->origin.x + (i % LEGEND_COLUMNS) * col_w,
                                                y + (i / LEGEND_COLUMNS) * line_h, col_w, line_h);
      const char *text = items[i].text ? items[i].text : ephemeral;

      if (text != NULL)
        draw_legend_item (widget, snapshot, &box, items[i].rgb, text);
    }
}

static void
portolan_port_map_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  PortolanPortMap *self = PORTOLAN_PORT_MAP (widget);
  graphene_rect_t g;
  int cell_px;

  portolan_port_map_get_grid (self, &g);
  if (g.size.width <= 0)
    return;
  cell_px = MAX (1, (int) (g.size.width / PORTOLAN_MAP_CELLS));
  if (self->dark != theme_is_dark (widget))
    {
      self->dark = !self->dark;
      g_clear_object (&self->texture);
    }
  if (self->texture == NULL || self->cell_px != cell_px)
    {
      g_clear_object (&self->texture);
      self->texture = portolan_map_cells_texture (palette (self), self->in_use, cell_px);
      self->cell_px = cell_px;
    }
  gtk_snapshot_append_texture (snapshot, self->texture, &g);
  draw_bands (self, snapshot, &g);
  draw_highlight (self, snapshot, &g);
  draw_legend (self, snapshot, &g);
}

/* ---- input ---------------------------------------------------------------------- */

static void
on_pressed (GtkGestureClick *gesture, int n_press, double x, double y, PortolanPortMap *self)
{
  guint port;

  (void) n_press;
  if (!portolan_port_map_port_at (self, x, y, &port))
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_widget_grab_focus (self->value);
  portolan_port_map_set_port (self, port);
  g_signal_emit (self, signals[PORT_ACTIVATED], 0, port);
}

/* The step an arrow or page key moves the selection by, or 0. */
static int
key_step (guint keyval)
{
  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      return -1;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      return 1;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      return -(int) PORTOLAN_MAP_CELLS;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      return PORTOLAN_MAP_CELLS;
    case GDK_KEY_Page_Up:
      return -16 * (int) PORTOLAN_MAP_CELLS;
    case GDK_KEY_Page_Down:
      return 16 * PORTOLAN_MAP_CELLS;
    default:
      return 0;
    }
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller, guint keyval, guint keycode,
                GdkModifierType state, PortolanPortMap *self)
{
  int step = key_step (keyval);

  (void) controller, (void) keycode, (void) state;
  if (step != 0)
    {
      gint64 next = CLAMP ((gint64) self->port + step, 0, (gint64) PORTOLAN_N_PORTS - 1);

      portolan_port_map_set_port (self, (guint) next);
      return TRUE;
    }
  if (keyval == GDK_KEY_Home || keyval == GDK_KEY_End)
    {
      portolan_port_map_set_port (self, keyval == GDK_KEY_Home ? 0 : PORTOLAN_N_PORTS - 1);
      return TRUE;
    }
  if (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_space)
    {
      g_signal_emit (self, signals[PORT_ACTIVATED], 0, self->port);
      return TRUE;
    }
  return FALSE;
}

static gboolean
portolan_port_map_query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard,
                                 GtkTooltip *tooltip)
{
  PortolanPortMap *self = PORTOLAN_PORT_MAP (widget);
  g_autofree char *text = NULL;
  graphene_rect_t g, cell;
  guint port;

  if (keyboard)
    port = self->port;
  else if (!portolan_port_map_port_at (self, x, y, &port))
    return FALSE;
  portolan_port_map_get_grid (self, &g);
  cell = cell_rect (&g, port);
  text = portolan_port_map_describe (self, port);
  gtk_tooltip_set_text (tooltip, text);
  gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle){ (int) cell.origin.x, (int) cell.origin.y,
                                                      MAX (1, (int) cell.size.width),
                                                      MAX (1, (int) cell.size.height) });
  return TRUE;
}

/* ---- describing a port ------------------------------------------------------------ */

/* "http, www" from the IANA entries, without repeats; "" when none. */
static char *
iana_services (guint port)
{
  const PtlIanaEntry *entries[16];
  size_t n
      = MIN (ptl_iana_lookup (port, 0, entries, G_N_ELEMENTS (entries)), G_N_ELEMENTS (entries));
  g_autoptr (GPtrArray) names = g_ptr_array_new ();

  for (size_t i = 0; i < n; i++)
    {
      const char *name = *entries[i]->service ? entries[i]->service : _ ("Reserved");
      gboolean seen = FALSE;

      for (guint k = 0; k < names->len && !seen; k++)
        seen = g_strcmp0 (names->pdata[k], name) == 0;
      if (!seen)
        g_ptr_array_add (names, (gpointer) name);
    }
  g_ptr_array_add (names, NULL);
  return g_strjoinv (", ", (char **) names->pdata);
}

char *
portolan_port_map_describe (PortolanPortMap *self, guint port)
{
  GString *s = g_string_new (NULL);
  g_autofree char *services = iana_services (port);
  const PtlUnofficial *uses[4];
  size_t n_uses = ptl_unofficial_lookup (port, uses, G_N_ELEMENTS (uses));

  g_string_append_printf (s, _ ("Port %u · %s"), port, _ (ptl_range_title (ptl_port_range (port))));
  if (*services)
    g_string_append_printf (s, "\n%s %s", _ ("IANA:"), services);
  else
    g_string_append_printf (s, "\n%s", _ ("Not assigned by IANA"));
  if (n_uses > 0)
    g_string_append_printf (s, "\n%s %s", _ ("Also known as:"), uses[0]->use);
  if (portolan_map_bit (self->in_use, port))
    g_string_append_printf (s, "\n%s", _ ("In use on this computer"));
  if (self->rules_known && ptl_port_rules_in_ephemeral (&self->rules, port))
    g_string_append_printf (s, "\n%s", _ ("In this computer's ephemeral range"));
  return g_string_free (s, FALSE);
}

char *
portolan_port_map_readout (PortolanPortMap *self)
{
  g_autofree char *text = portolan_port_map_describe (self, self->port);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  return g_strjoinv (" · ", lines);
}

/* The scale's value follows the port (GtkRange sets its accessible value);
 * its value text is the readout, also its description, which every
 * screen reader reads (GTK 4.8's AT-SPI Value has no text of its own). */
static void
update_accessible (PortolanPortMap *self)
{
  g_autofree char *readout = portolan_port_map_readout (self);

  if (self->value == NULL)
    return;
  gtk_range_set_value (GTK_RANGE (self->value), self->port);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->value), GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT,
                                  readout, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, readout, -1);
}

/* A screen reader's SetValue, or the scale's own keys if any got past the
 * map's: the map follows. */
static void
on_value_changed (GtkRange *range, PortolanPortMap *self)
{
  portolan_port_map_set_port (self,
                              (guint) CLAMP (gtk_range_get_value (range), 0, PORTOLAN_N_PORTS - 1));
}

static GtkWidget *
value_new (PortolanPortMap *self)
{
  GtkWidget *scale
      = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0, PORTOLAN_N_PORTS - 1, 1);

  gtk_range_set_increments (GTK_RANGE (scale), 1, 16 * PORTOLAN_MAP_CELLS);
  gtk_widget_set_can_target (scale, FALSE);
  gtk_widget_set_focusable (scale, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (scale), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Map of all 65,536 ports"), -1);
  gtk_widget_set_parent (scale, GTK_WIDGET (self));
  g_signal_connect (scale, "value-changed", G_CALLBACK (on_value_changed), self);
  return scale;
}

/* ---- the object ------------------------------------------------------------------- */

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

/* Focus on the map is focus on its scale. */
static gboolean
portolan_port_map_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (PORTOLAN_PORT_MAP (widget)->value);
}

static void
portolan_port_map_dispose (GObject *object)
{
  PortolanPortMap *self = PORTOLAN_PORT_MAP (object);

  g_clear_pointer (&self->value, gtk_widget_unparent);
  G_OBJECT_CLASS (portolan_port_map_parent_class)->dispose (object);
}

static void
portolan_port_map_finalize (GObject *object)
{
  PortolanPortMap *self = PORTOLAN_PORT_MAP (object);

  g_clear_object (&self->texture);
  G_OBJECT_CLASS (portolan_port_map_parent_class)->finalize (object);
}

static void
portolan_port_map_class_init (PortolanPortMapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = portolan_port_map_get_property;
  object_class->set_property = portolan_port_map_set_property;
  object_class->dispose = portolan_port_map_dispose;
  object_class->finalize = portolan_port_map_finalize;
  widget_class->snapshot = portolan_port_map_snapshot;
  widget_class->measure = portolan_port_map_measure;
  widget_class->size_allocate = portolan_port_map_size_allocate;
  widget_class->grab_focus = portolan_port_map_grab_focus;
  widget_class->query_tooltip = portolan_port_map_query_tooltip;

  properties[PROP_PORT]
      = g_param_spec_uint ("port", NULL, NULL, 0, PORTOLAN_N_PORTS - 1, 0,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  signals[PORT_ACTIVATED]
      = g_signal_new ("port-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  /* To assistive technology the map is a group holding one slider (the
   * scale): one value out of 0..65535 that the arrow keys change. */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_css_name (widget_class, "portmap");
}

static void
portolan_port_map_init (PortolanPortMap *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_widget_set_has_tooltip (widget, TRUE);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (click));
  /* Before the scale's own keys: the map moves by rows and pages. */
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (widget, keys);
  self->value = value_new (self);
  update_accessible (self);
}

GtkWidget *
portolan_port_map_new (void)
{
  return g_object_new (PORTOLAN_TYPE_PORT_MAP, NULL);
}

gboolean
portolan_port_map_get_dark (PortolanPortMap *self)
{
  g_return_val_if_fail (PORTOLAN_IS_PORT_MAP (self), FALSE);
  return self->dark;
}

GtkWidget *
portolan_port_map_get_value_widget (PortolanPortMap *self)
{
  g_return_val_if_fail (PORTOLAN_IS_PORT_MAP (self), NULL);
  return self->value;
}

guint
portolan_port_map_get_port (PortolanPortMap *self)
{
  g_return_val_if_fail (PORTOLAN_IS_PORT_MAP (self), 0);
  return self->port;
}

void
portolan_port_map_set_port (PortolanPortMap *self, guint port)
{
  g_return_if_fail (PORTOLAN_IS_PORT_MAP (self));

  port = MIN (port, PORTOLAN_N_PORTS - 1);
  if (self->port == port)
    return;
  self->port = port;
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
}

void
portolan_port_map_set_rules (PortolanPortMap *self, const PtlPortRules *rules)
{
  g_return_if_fail (PORTOLAN_IS_PORT_MAP (self));

  self->rules_known = rules != NULL;
  if (rules != NULL)
    self->rules = *rules;
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
portolan_port_map_set_in_use (PortolanPortMap *self, const PtlSocketTable *table)
{
  guint8 bits[PORTOLAN_N_PORTS / 8] = { 0 };

  g_return_if_fail (PORTOLAN_IS_PORT_MAP (self));

  for (size_t i = 0; table != NULL && i < table->len; i++)
    bits[table->rows[i].local_port / 8] |= (guint8) (1u << (table->rows[i].local_port % 8));
  if (memcmp (bits, self->in_use, sizeof bits) == 0)
    return;
  memcpy (self->in_use, bits, sizeof bits);
  invalidate_texture (self);
}
