/* ptl-test-ui.h: helpers the GTK tests share. */
#pragma once

#include <gtk/gtk.h>

/* Runs the main loop until @cond (@data) holds or @ms pass; returns @cond's last answer. */
gboolean ptl_test_ui_wait_data (gboolean (*cond) (gpointer), gpointer data, guint ms);

/* The same for a condition that takes no argument. */
gboolean ptl_test_ui_wait (gboolean (*cond) (void), guint ms);

/* The visible GtkMessageDialog among the toplevels, or NULL. */
GtkWidget *ptl_test_ui_find_message_dialog (void);
