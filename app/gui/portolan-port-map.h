/* portolan-port-map.h: all 65,536 ports drawn as a 256 × 256 grid, with
 * bands for the IANA ranges and this machine's ephemeral range, shading for
 * IANA-assigned ports and marks for ports in use here. */
#pragma once

#include <gtk/gtk.h>

#include "ptl-platform.h"
#include "ptl-socket.h"

G_BEGIN_DECLS

#define PORTOLAN_TYPE_PORT_MAP (portolan_port_map_get_type ())
G_DECLARE_FINAL_TYPE (PortolanPortMap, portolan_port_map, PORTOLAN, PORT_MAP, GtkWidget)

GtkWidget *portolan_port_map_new (void);

/* "port" property (uint 0..65535): the selected port, highlighted. Clicking
 * a cell or moving with the arrow keys sets it; Enter or a click emits
 * "port-activated" (guint port). */
guint portolan_port_map_get_port (PortolanPortMap *self);
/* The scale that takes the map's keyboard focus and carries its value to
 * screen readers. */
GtkWidget *portolan_port_map_get_value_widget (PortolanPortMap *self);

/* The selected port in one line, "Port 1644 · Registered · IANA: saiseh":
 * the readout under the map and what assistive technology hears. */
char *portolan_port_map_readout (PortolanPortMap *self);

/* Whether the map last drew with its dark palette (a dark theme). */
gboolean portolan_port_map_get_dark (PortolanPortMap *self);
void portolan_port_map_set_port (PortolanPortMap *self, guint port);

/* This machine's rules (ephemeral range, reserved ports); NULL = unknown. */
void portolan_port_map_set_rules (PortolanPortMap *self, const PtlPortRules *rules);

/* Marks the local ports of @table's rows as in use (NULL clears). */
void portolan_port_map_set_in_use (PortolanPortMap *self, const PtlSocketTable *table);

/* Where the grid is drawn, in widget coordinates (port 0 top left, 256
 * ports a row); empty before the first allocation. */
void portolan_port_map_get_grid (PortolanPortMap *self, graphene_rect_t *grid);

/* The port under (@x, @y) in widget coordinates; FALSE outside the grid. */
gboolean portolan_port_map_port_at (PortolanPortMap *self, double x, double y, guint *port);

/* The tooltip text for @port: its number, range and service (newly allocated). */
char *portolan_port_map_describe (PortolanPortMap *self, guint port);

G_END_DECLS
