/* portolan-port-map-private.h: what the port map's two files share. */
#pragma once

#include "portolan-port-map.h"

G_BEGIN_DECLS

#define PORTOLAN_N_PORTS 65536u
#define PORTOLAN_MAP_CELLS 256u /* ports per row, and rows */

/* Colours as 0xRRGGBB: per IANA range (PtlRange), plain and assigned; the
 * in-use mark; the ephemeral band. One palette for light themes, one for
 * dark ones (there assigned ports are the brighter shade). */
typedef struct
{
  guint32 base[3];
  guint32 assigned[3];
  guint32 in_use;
  guint32 ephemeral;
} PortolanMapPalette;

extern const PortolanMapPalette portolan_map_light, portolan_map_dark;

GdkRGBA portolan_map_rgba (guint32 rgb);

/* Bit @port of a 65,536-bit set. */
gboolean portolan_map_bit (const guint8 *bits, guint port);

/* Every cell, @cell_px pixels square, with the ports in @in_use marked. */
GdkTexture *portolan_map_cells_texture (const PortolanMapPalette *palette, const guint8 *in_use,
                                        int cell_px);

G_END_DECLS
