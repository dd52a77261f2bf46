/* portolan-admin-flow.h: "Show All Owners…" for one window, from the
 * button to the views: asks for administrator rights (portolan-admin.h),
 * shows the owners read as root in both views, keeps reading them on
 * refreshes until the person stops it, polkit stops allowing it, or the
 * window closes. On Windows the same button restarts the app elevated on
 * the same query and view, and the old window closes once the new one
 * runs. A cancelled authentication changes nothing; a refusal leaves the
 * views as they were, with a quiet note; no helper at all (no pkexec or
 * polkit) gets a dialog that says how to use sudo instead.
 */
#pragma once

#include <gtk/gtk.h>

#include "portolan-connections-view.h"
#include "portolan-port-view.h"
#include "portolan-window.h"

G_BEGIN_DECLS

#define PORTOLAN_TYPE_ADMIN_FLOW (portolan_admin_flow_get_type ())
G_DECLARE_FINAL_TYPE (PortolanAdminFlow, portolan_admin_flow, PORTOLAN, ADMIN_FLOW, GObject)

/* Listens to both views' buttons. The window owns the flow, which holds
 * no reference to the window or the views. */
PortolanAdminFlow *portolan_admin_flow_new (PortolanWindow *window, PortolanPortView *port_view,
                                            PortolanConnectionsView *connections_view);

/* For the window's port searches: what to read as root (@admin; its
 * root_view is the caller's to free), and what came of it (a refusal
 * turns it off with a note). */
void portolan_admin_flow_search_args (PortolanAdminFlow *self, PortolanScanAdmin *admin);
void portolan_admin_flow_search_done (PortolanAdminFlow *self, GAsyncResult *result);

PortolanAllOwners portolan_admin_flow_get_state (PortolanAdminFlow *self);

G_END_DECLS
