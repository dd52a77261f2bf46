/* portolan-port-map-cells.c: the port map's cells as one texture, one
 * colour per port: its range, darker when IANA assigned it, and a mark
 * when it is in use here. Built when the data or the cell size changes,
 * never per frame. */
#include "portolan-port-map-private.h"

#include "ptl-knowledge.h"

/* Light themes: pale ranges, assigned ports darker, a deep green mark.
 * Dark themes: deep ranges, each still apart from a dark page (the legend's
 * swatches sit on it), assigned ports brighter, a light green mark; both
 * keep the hues of the badges. */
const PortolanMapPalette portolan_map_light = {
  { 0xf3c9ad, 0xc9dbf2, 0xdedede },
  { 0xd9773f, 0x5b8fcf, 0x9a9a9a },
  0x0f7b3a,
  0x8e44ad,
};
const PortolanMapPalette portolan_map_dark = {
  { 0x6b4430, 0x2f4a6b, 0x565656 },
  { 0xc8703e, 0x4f86c6, 0x7a7a7a },
  0x57e389,
  0xc061cb,
};

GdkRGBA
portolan_map_rgba (guint32 rgb)
{
  return (GdkRGBA){ ((rgb >> 16) & 0xff) / 255.f, ((rgb >> 8) & 0xff) / 255.f, (rgb & 0xff) / 255.f,
                    1.f };
}

/* One bit per port: does IANA have an entry for it? Built once. */
static const guint8 *
assigned_bits (void)
{
  static guint8 bits[PORTOLAN_N_PORTS / 8];
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      for (guint p = 0; p < PORTOLAN_N_PORTS; p++)
        if (ptl_iana_is_assigned (p, 0))
          bits[p / 8] |= (guint8) (1u << (p % 8));
      g_once_init_leave (&done, 1);
    }
  return bits;
}

gboolean
portolan_map_bit (const guint8 *bits, guint port)
{
  return (bits[port / 8] >> (port % 8)) & 1;
}

static guint32
cell_colour (const PortolanMapPalette *palette, const guint8 *assigned, guint port)
{
  PtlRange range = ptl_port_range (port);

  return portolan_map_bit (assigned, port) ? palette->assigned[range] : palette->base[range];
}

static void
fill_cell (guint8 *pixels, int stride, int cell_px, guint port, guint32 rgb)
{
  guint8 *row = pixels + (gsize) (port / PORTOLAN_MAP_CELLS) * cell_px * stride
                + (port % PORTOLAN_MAP_CELLS) * cell_px * 4;

  for (int y = 0; y < cell_px; y++, row += stride)
    for (int x = 0; x < cell_px; x++)
      {
        row[x * 4] = (rgb >> 16) & 0xff;
        row[x * 4 + 1] = (rgb >> 8) & 0xff;
        row[x * 4 + 2] = rgb & 0xff;
        row[x * 4 + 3] = 0xff;
      }
}

/* An in-use mark spills one pixel over its neighbours, so a single port
 * in use still shows when cells are one or two pixels wide. */
static void
mark_in_use (guint8 *pixels, int side, int cell_px, guint port, guint32 rgb)
{
  int x0 = (int) (port % PORTOLAN_MAP_CELLS) * cell_px - 1;
  int y0 = (int) (port / PORTOLAN_MAP_CELLS) * cell_px - 1;

  for (int y = MAX (y0, 0); y < MIN (y0 + cell_px + 2, side); y++)
    for (int x = MAX (x0, 0); x < MIN (x0 + cell_px + 2, side); x++)
      {
        guint8 *px = pixels + ((gsize) y * side + x) * 4;

        px[0] = (rgb >> 16) & 0xff;
        px[1] = (rgb >> 8) & 0xff;
        px[2] = rgb & 0xff;
      }
}

GdkTexture *
portolan_map_cells_texture (const PortolanMapPalette *palette, const guint8 *in_use, int cell_px)
{
  const guint8 *assigned = assigned_bits ();
  int side = PORTOLAN_MAP_CELLS * cell_px, stride = side * 4;
  guint8 *pixels = g_malloc ((gsize) stride * side);
  g_autoptr (GBytes) bytes = NULL;

  for (guint p = 0; p < PORTOLAN_N_PORTS; p++)
    fill_cell (pixels, stride, cell_px, p, cell_colour (palette, assigned, p));
  for (guint p = 0; p < PORTOLAN_N_PORTS; p++)
    if (portolan_map_bit (in_use, p))
      mark_in_use (pixels, side, cell_px, p, palette->in_use);
  bytes = g_bytes_new_take (pixels, (gsize) stride * side);
  return gdk_memory_texture_new (side, side, GDK_MEMORY_R8G8B8A8, bytes, stride);
}
