/* portolan-port-machine.h: what this computer does with a port: the status
 * banner and the "On This Machine" section with its sockets. */
#pragma once

#include <gtk/gtk.h>

#include "portolan-end-process.h"
#include "ptl-report.h"

G_BEGIN_DECLS

/* "Show All in Connections" was clicked for @port. */
typedef void (*PortolanShowAllFunc) (GtkWidget *owner, guint port);

/* The status banner; @extra (may be NULL) goes under its text: the
 * hidden-owners line and its button (portolan-port-view.c). */
GtkWidget *portolan_port_status_new (const PtlReportSet *set, const PtlPortReport *r,
                                     GtkWidget *extra);

/* @done runs after End Process… was attempted, with @owner. */
GtkWidget *portolan_port_machine_section (const PtlReportSet *set, const PtlPortReport *r,
                                          GtkWidget *owner, PortolanEndedFunc done,
                                          PortolanShowAllFunc show_all);

/* The section for @r's port inside containers and other network
 * namespaces (portolan-port-namespaces.c); NULL when none was seen. */
GtkWidget *portolan_port_namespaces_section (const PtlReportSet *set, const PtlPortReport *r);

/* One socket in full (@p: one of its owners, or NULL), with Copy and End
 * Process… (no End Process… without @done). */
GtkWidget *portolan_port_socket_row (const PtlSocketTable *t, const PtlSocket *s,
                                     const PtlProcess *p, guint port, GtkWidget *owner,
                                     PortolanEndedFunc done);

/* The sockets on @r's port (portolan-port-sockets.c): each in full when
 * there are few; past that, a summary grouped by process, state and remote
 * address, the first few in full and "Show All in Connections". */
GtkWidget *portolan_port_sockets_new (const PtlSocketTable *t, const PtlPortReport *r,
                                      GtkWidget *owner, PortolanEndedFunc done,
                                      PortolanShowAllFunc show_all);

/* One line for the list of a range query: "Free", "In use: sshd (PID 1)". */
char *portolan_port_use_summary (const PtlReportSet *set, const PtlPortReport *r, gboolean *in_use);

G_END_DECLS
