/* ptl-test-ui.c: helpers the GTK tests share. */
#include "ptl-test-ui.h"

gboolean
ptl_test_ui_wait_data (gboolean (*cond) (gpointer), gpointer data, guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (!cond (data) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  return cond (data);
}

typedef struct
{
  gboolean (*cond) (void);
} PlainCond;

static gboolean
call_plain (gpointer data)
{
  return ((PlainCond *) data)->cond ();
}

gboolean
ptl_test_ui_wait (gboolean (*cond) (void), guint ms)
{
  PlainCond plain = { cond };

  return ptl_test_ui_wait_data (call_plain, &plain, ms);
}

GtkWidget *
ptl_test_ui_find_message_dialog (void)
{
  GListModel *tops = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (tops); i++)
    {
      g_autoptr (GObject) w = g_list_model_get_item (tops, i);

      if (GTK_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return GTK_WIDGET (w);
    }
  return NULL;
}
