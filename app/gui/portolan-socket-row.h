/* portolan-socket-row.h: one socket of the Connections view, as a GObject.
 * It copies what it shows, so it outlives the snapshot it came from. */
#pragma once

#include <glib-object.h>

#include "ptl-socket.h"

G_BEGIN_DECLS

typedef enum
{
  PORTOLAN_ROW_STEADY,
  PORTOLAN_ROW_NEW,     /* shown green for a few seconds */
  PORTOLAN_ROW_REMOVED, /* shown red for a few seconds, then dropped */
} PortolanRowMark;

#define PORTOLAN_TYPE_SOCKET_ROW (portolan_socket_row_get_type ())
G_DECLARE_FINAL_TYPE (PortolanSocketRow, portolan_socket_row, PORTOLAN, SOCKET_ROW, GObject)

/* Properties (all read-only, notify on change): "process" (string: owner
 * name, or "—" when none), "pid" (int64, 0 = none), "protocol", "family",
 * "local-address", "local-port" (uint), "remote-address", "remote-port",
 * "state", "user", "path", "cmdline", "mark" (PortolanRowMark as uint),
 * "note" (why there is no owner, translated, with what was seen; "" when
 * owners are known), "unit" (the first owner's systemd unit, or for a
 * hidden owner the socket's; "" for none), "namespace" (where a socket of
 * another network namespace lives, short: "web (docker)", "blue (ip
 * netns)", "net:[4026532185]"; "" in this one). */
PortolanSocketRow *portolan_socket_row_new (const PtlSocketTable *table, const PtlSocket *sock);

const char *portolan_socket_row_get_process (PortolanSocketRow *self);
gint64 portolan_socket_row_get_pid (PortolanSocketRow *self);
const char *portolan_socket_row_get_protocol (PortolanSocketRow *self);
const char *portolan_socket_row_get_local_address (PortolanSocketRow *self);
guint portolan_socket_row_get_local_port (PortolanSocketRow *self);
const char *portolan_socket_row_get_remote_address (PortolanSocketRow *self);
guint portolan_socket_row_get_remote_port (PortolanSocketRow *self);
const char *portolan_socket_row_get_state (PortolanSocketRow *self);
const char *portolan_socket_row_get_user (PortolanSocketRow *self);
PortolanRowMark portolan_socket_row_get_mark (PortolanSocketRow *self);

/* The first owner's name ("" when none), for dialogs that name it. */
const char *portolan_socket_row_get_owner_name (PortolanSocketRow *self);
/* "ipv4" or "ipv6". */
const char *portolan_socket_row_get_family (PortolanSocketRow *self);
const char *portolan_socket_row_get_path (PortolanSocketRow *self);
const char *portolan_socket_row_get_cmdline (PortolanSocketRow *self);
/* The first owner's start time (for ptl_platform_terminate); 0 = unknown. */
guint64 portolan_socket_row_get_start_time (PortolanSocketRow *self);
/* How many processes own the socket; 0 means the process column shows a note. */
guint portolan_socket_row_get_n_owners (PortolanSocketRow *self);
/* The core's owner note (untranslated, static), or NULL when owners are known. */
const char *portolan_socket_row_get_owner_note (PortolanSocketRow *self);
/* The same note translated, with its particulars, or "" ("note" property). */
const char *portolan_socket_row_get_note (PortolanSocketRow *self);
const char *portolan_socket_row_get_unit (PortolanSocketRow *self);
const char *portolan_socket_row_get_namespace (PortolanSocketRow *self);

/* The socket's identity and state as copied (owner fields are meaningless);
 * the model compares it with ptl_snapshot_key_cmp. */
const PtlSocket *portolan_socket_row_get_socket (PortolanSocketRow *self);

/* Takes @sock's changing fields (state, owners, user), notifying only the
 * properties that change. For the model. */
void portolan_socket_row_update (PortolanSocketRow *self, const PtlSocketTable *table,
                                 const PtlSocket *sock);
void portolan_socket_row_set_mark (PortolanSocketRow *self, PortolanRowMark mark);

G_END_DECLS
