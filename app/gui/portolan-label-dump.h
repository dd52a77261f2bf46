/* portolan-label-dump.h: a test mode that writes what the window shows. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/**
 * portolan_label_dump_setup:
 * With PORTOLAN_DUMP_LABELS=FILE in the environment, waits until @app's
 * window has settled (no spinner turning, the same texts for a second;
 * at most PORTOLAN_DUMP_LABELS_TIMEOUT seconds, 120 by default), writes
 * the text of every label on screen to FILE, one per line, and quits
 * (PORTOLAN_DUMP_LABELS_LINGER seconds later, 0 by default).
 * Without the variable it does nothing. It lets a test read the window
 * where no accessibility bus runs (the Windows build under Wine).
 */
void portolan_label_dump_setup (GtkApplication *app);

/**
 * portolan_label_dump_collect:
 * The texts of the labels and inscriptions mapped under @root, in tree
 * order, one per line (newlines inside a text become spaces).
 */
char *portolan_label_dump_collect (GtkWidget *root);

G_END_DECLS
