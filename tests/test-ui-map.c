/* test-ui-map.c: the port map under Xvfb. Clicks go through the widget's
 * own GtkGestureClick handler at coordinates computed here from the grid
 * rectangle, so the coordinate → port mapping is what is tested; keys go
 * through its key controller.
 *
 * PORTOLAN_TEST_SCREENSHOT_DIR=DIR also saves DIR/port-map.png.
 */
#include <gtk/gtk.h>

#include "portolan-port-map.h"
#include "ptl-test-ui.h"

static GtkWidget *window;
static PortolanPortMap *map;
static GArray *activated;

static gboolean
map_allocated (void)
{
  return gtk_widget_get_mapped (GTK_WIDGET (map)) && gtk_widget_get_width (GTK_WIDGET (map)) > 0;
}

static GtkEventController *
find_controller (GType type)
{
  g_autoptr (GListModel) list = gtk_widget_observe_controllers (GTK_WIDGET (map));

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (GtkEventController) c = g_list_model_get_item (list, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (c, type))
        return c;
    }
  g_assert_not_reached ();
}

/* Clicks the middle of cell (@col, @row) through the click gesture. */
static void
click_cell (double col, double row)
{
  GtkEventController *click = find_controller (GTK_TYPE_GESTURE_CLICK);
  graphene_rect_t g;
  double cell;

  portolan_port_map_get_grid (map, &g);
  cell = g.size.width / 256;
  g_signal_emit_by_name (click, "pressed", 1, g.origin.x + (col + 0.5) * cell,
                         g.origin.y + (row + 0.5) * cell);
}

static gboolean
press_key (guint keyval)
{
  GtkEventController *keys = find_controller (GTK_TYPE_EVENT_CONTROLLER_KEY);
  gboolean handled = FALSE;

  g_signal_emit_by_name (keys, "key-pressed", keyval, 0, 0, &handled);
  return handled;
}

static void
on_activated (PortolanPortMap *m, guint port, gpointer data)
{
  (void) m, (void) data;
  g_array_append_val (activated, port);
}

static void
test_grid (void)
{
  graphene_rect_t g;
  guint port;

  portolan_port_map_get_grid (map, &g);
  g_assert_cmpfloat (g.size.width, >=, 256);
  g_assert_cmpfloat (g.size.width, ==, g.size.height);
  /* Whole pixels per cell, so no cell is smeared across two. */
  g_assert_cmpfloat (g.size.width / 256, ==, floor (g.size.width / 256));
  g_assert_true (portolan_port_map_port_at (map, g.origin.x + 0.1, g.origin.y + 0.1, &port));
  g_assert_cmpuint (port, ==, 0);
  g_assert_true (portolan_port_map_port_at (map, g.origin.x + g.size.width - 0.1,
                                            g.origin.y + g.size.height - 0.1, &port));
  g_assert_cmpuint (port, ==, 65535);
  g_assert_false (portolan_port_map_port_at (map, g.origin.x - 1, g.origin.y + 5, &port));
  g_assert_false (
      portolan_port_map_port_at (map, g.origin.x + 5, g.origin.y + g.size.height + 1, &port));
}

static void
test_click (void)
{
  g_array_set_size (activated, 0);
  /* 1644 = 6 × 256 + 108. */
  click_cell (108, 6);
  g_assert_cmpuint (portolan_port_map_get_port (map), ==, 1644);
  g_assert_cmpuint (activated->len, ==, 1);
  g_assert_cmpuint (g_array_index (activated, guint, 0), ==, 1644);
  click_cell (255, 255);
  g_assert_cmpuint (portolan_port_map_get_port (map), ==, 65535);
  click_cell (0, 0);
  g_assert_cmpuint (portolan_port_map_get_port (map), ==, 0);
  click_cell (80, 0);
  g_assert_cmpuint (portolan_port_map_get_port (map), ==, 80);
  /* Left of the grid: nothing happens. */
  click_cell (-3, 10);
  g_assert_cmpuint (portolan_port_map_get_port (map), ==, 80);
  g_assert_cmpuint (activated->len, ==, 4);
  /* The map's focus is its scale's. */
  g_assert_true (gtk_widget_has_focus (portolan_port_map_get_value_widget (map)));
}

static void
test_keys (void)
{
  portolan_port_map_set_port (map, 1644);
  g_assert_true (press_key (GDK_KEY_Right));
  g_assert_cmpuint (portolan_port_map_get_port (map), ==, 1645);
  g_assert_true (press_key (GDK_KEY_Down));
  g_assert_cmpuint (portolan_port_map_get_port (map), ==, 1645 + 256);
  g_assert_true (press_key (GDK_KEY_Up));
  g_assert_true (press_key (GDK_KEY_Left));
  g_assert_cmpuint (portolan_port_map_get_port (map), ==, 1644);
  g_assert_true (press_key (GDK_KEY_Home));
  g_assert_cmpuint (portolan_port_map_get_port (map), ==, 0);
  g_assert_true (press_key (GDK_KEY_Left));
  g_assert_true (press_key (GDK_KEY_Up));
  g_assert_cmpuint (portolan_port_map_get_port (map), ==, 0);
  g_assert_true (press_key (GDK_KEY_End));
  g_assert_true (press_key (GDK_KEY_Down));
  g_assert_cmpuint (portolan_port_map_get_port (map), ==, 65535);
  g_array_set_size (activated, 0);
  g_assert_true (press_key (GDK_KEY_Return));
  g_assert_cmpuint (activated->len, ==, 1);
  g_assert_cmpuint (g_array_index (activated, guint, 0), ==, 65535);
  g_assert_false (press_key (GDK_KEY_a));
}

static void
test_describe (void)
{
  g_autofree char *before = portolan_port_map_describe (map, 1644);
  g_autofree char *after = NULL;
  PtlSocketTable t;
  PtlSocket s = { 0 };

  g_assert_nonnull (strstr (before, "Port 1644"));
  g_assert_nonnull (strstr (before, "Registered"));
  g_assert_nonnull (strstr (before, "saiseh"));
  g_assert_null (strstr (before, "In use"));
  ptl_socket_table_init (&t);
  s.proto = PTL_PROTO_TCP;
  s.family = PTL_FAMILY_IPV4;
  s.local_port = 1644;
  ptl_socket_table_append (&t, &s);
  portolan_port_map_set_in_use (map, &t);
  after = portolan_port_map_describe (map, 1644);
  g_assert_nonnull (strstr (after, "In use on this computer"));
  ptl_socket_table_clear (&t);
  /* The value side: a GtkRange (what GTK 4.8 exports AT-SPI's Value
   * for), a focusable slider holding the port, following the map both ways. */
  {
    GtkWidget *value = portolan_port_map_get_value_widget (map);

    g_assert_true (GTK_IS_RANGE (value));
    g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (value)), ==,
                     GTK_ACCESSIBLE_ROLE_SLIDER);
    g_assert_true (gtk_widget_get_focusable (value));
    portolan_port_map_set_port (map, 1644);
    g_assert_cmpfloat (gtk_range_get_value (GTK_RANGE (value)), ==, 1644);
    gtk_range_set_value (GTK_RANGE (value), 6667);
    g_assert_cmpuint (portolan_port_map_get_port (map), ==, 6667);
    g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (map)));
    g_assert_true (gtk_widget_has_focus (value));
  }
}

static gboolean
map_dark (void)
{
  return portolan_port_map_get_dark (map);
}

static gboolean
map_light (void)
{
  return !portolan_port_map_get_dark (map);
}

/* A dark theme gives the map its dark palette at the next frame, and
 * back. */
static void
test_dark (void)
{
  GtkSettings *settings = gtk_settings_get_default ();

  g_assert_true (ptl_test_ui_wait (map_light, 5000));
  g_object_set (settings, "gtk-application-prefer-dark-theme", TRUE, NULL);
  gtk_widget_queue_draw (GTK_WIDGET (map));
  g_assert_true (ptl_test_ui_wait (map_dark, 5000));
  g_object_set (settings, "gtk-application-prefer-dark-theme", FALSE, NULL);
  gtk_widget_queue_draw (GTK_WIDGET (map));
  g_assert_true (ptl_test_ui_wait (map_light, 5000));
}

static void
save_screenshot (const char *dir)
{
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *path = g_build_filename (dir, "port-map.png", NULL);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (GTK_WIDGET (map)));
  int w = gtk_widget_get_width (GTK_WIDGET (map)), h = gtk_widget_get_height (GTK_WIDGET (map));

  GdkRGBA white = { 1, 1, 1, 1 };

  gtk_snapshot_append_color (snapshot, &white, &GRAPHENE_RECT_INIT (0, 0, w, h));
  GTK_WIDGET_GET_CLASS (map)->snapshot (GTK_WIDGET (map), snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

int
main (int argc, char **argv)
{
  PtlPortRules rules = { .known = true, .ephemeral_first = 32768, .ephemeral_last = 60999 };
  int status;

  gtk_test_init (&argc, &argv, NULL);
  activated = g_array_new (FALSE, FALSE, sizeof (guint));
  window = gtk_window_new ();
  map = PORTOLAN_PORT_MAP (portolan_port_map_new ());
  portolan_port_map_set_rules (map, &rules);
  g_signal_connect (map, "port-activated", G_CALLBACK (on_activated), NULL);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (map));
  gtk_window_set_default_size (GTK_WINDOW (window), 620, 640);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ptl_test_ui_wait (map_allocated, 10000));

  g_test_add_func ("/portolan/port-map/grid", test_grid);
  g_test_add_func ("/portolan/port-map/click", test_click);
  g_test_add_func ("/portolan/port-map/keys", test_keys);
  g_test_add_func ("/portolan/port-map/describe", test_describe);
  g_test_add_func ("/portolan/port-map/dark", test_dark);
  status = g_test_run ();
  if (status == 0 && g_getenv ("PORTOLAN_TEST_SCREENSHOT_DIR"))
    save_screenshot (g_getenv ("PORTOLAN_TEST_SCREENSHOT_DIR"));
  gtk_window_destroy (GTK_WINDOW (window));
  g_array_unref (activated);
  return status;
}
