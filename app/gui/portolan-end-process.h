/* portolan-end-process.h: End Process…, with the safety rules of
 * `portolan-cli kill`: confirm naming the process; refuse PID 0, 1 and 4
 * and this app itself; just before the signal, check in a worker thread
 * that the process still holds the port and is the same process (start
 * time), then let ptl_platform_terminate check once more. */
#pragma once

#include <gtk/gtk.h>

#include "ptl-socket.h"

G_BEGIN_DECLS

/* Called on the UI thread with @parent when the attempt ends (ended or not). */
typedef void (*PortolanEndedFunc) (GtkWidget *parent);

/* Why @pid may not be ended from the app, or NULL when it may. */
const char *portolan_end_process_refusal (long pid);

void portolan_end_process_ask (GtkWidget *parent, guint port, const PtlProcess *proc,
                               PortolanEndedFunc done);

G_END_DECLS
