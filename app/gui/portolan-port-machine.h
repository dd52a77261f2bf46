/* portolan-port-machine.h: what this computer does with a port: the status
 * banner and the "On This Machine" section with its sockets. */
#pragma once

#include <gtk/gtk.h>

#include "portolan-end-process.h"
#include "ptl-report.h"

G_BEGIN_DECLS

GtkWidget *portolan_port_status_new (const PtlReportSet *set, const PtlPortReport *r);

/* @done runs after End Process… was attempted, with @owner. */
GtkWidget *portolan_port_machine_section (const PtlReportSet *set, const PtlPortReport *r,
                                          GtkWidget *owner, PortolanEndedFunc done);

/* One line for the list of a range query: "Free", "In use: sshd (PID 1)". */
char *portolan_port_use_summary (const PtlReportSet *set, const PtlPortReport *r, gboolean *in_use);

gboolean portolan_table_has_hidden_owners (const PtlSocketTable *t);

G_END_DECLS
