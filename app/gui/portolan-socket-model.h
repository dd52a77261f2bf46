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

/* Applies @snapshot (taken over) as a diff against the current rows. */
void portolan_socket_model_apply (PortolanSocketModel *self, PortolanTable *snapshot);

/* The last snapshot applied (NULL before the first); for export. */
const PtlSocketTable *portolan_socket_model_get_table (PortolanSocketModel *self);

G_END_DECLS
