/* portolan-socket-model.h: a GListModel of PortolanSocketRow that applies
 * each new snapshot as a diff: changed rows update in place, and only the
 * ranges that gained or lost rows emit items-changed. */
#pragma once

#include <gio/gio.h>

#include "portolan-scan.h"
#include "portolan-socket-row.h"

G_BEGIN_DECLS

#define PORTOLAN_TYPE_SOCKET_MODEL (portolan_socket_model_get_type ())
G_DECLARE_FINAL_TYPE (PortolanSocketModel, portolan_socket_model, PORTOLAN, SOCKET_MODEL, GObject)

PortolanSocketModel *portolan_socket_model_new (void);

/* Applies @snapshot (taken over) as a diff against the current rows. The
 * first snapshot fills the model with steady rows; later ones mark added
 * rows NEW and removed rows REMOVED for the mark timeout, after which NEW
 * rows turn steady and REMOVED rows leave the model. Emits "applied"
 * afterwards (the table and its notes are then the new ones). */
void portolan_socket_model_apply (PortolanSocketModel *self, PortolanTable *snapshot);

/* The last snapshot applied (NULL before the first); for export. */
const PtlSocketTable *portolan_socket_model_get_table (PortolanSocketModel *self);

/* The same, boxed: what a refresh hands to the next scan (portolan_table_ref). */
PortolanTable *portolan_socket_model_get_snapshot (PortolanSocketModel *self);

/* How long NEW and REMOVED marks last, in ms (default 3000; tests shorten it). */
void portolan_socket_model_set_mark_timeout (PortolanSocketModel *self, guint ms);

/* When one refresh would emit more than @max_ranges items-changed signals
 * (for additions, or for removals when marks expire), it emits one that
 * spans them all instead. 0, the default, means no limit: every range is
 * announced on its own. A GtkSortListModel with an active sorter does O(n)
 * work per signal, so a view that sorts sets a small limit while it does. */
void portolan_socket_model_set_max_ranges (PortolanSocketModel *self, guint max_ranges);

G_END_DECLS
