/* portolan-free-window.c: Find a Free Port. */
#include "config.h"

#include <glib/gi18n.h>

#include "portolan-free-window.h"
#include "portolan-port-sections.h"
#include "ptl-free.h"
#include "ptl-knowledge.h"

#define FREE_MAX 20

struct _PortolanFreeWindow
{
  GtkWindow parent_instance;

  /* Template widgets */
  GtkDropDown *preset;
  GtkSpinButton *from_spin, *to_spin;
  GtkLabel *status_label;
  GtkListBox *list;
  GtkSpinner *spinner;

  /* Owned */
  GCancellable *cancellable;
  gboolean setting_preset;
  int n_found;
};

G_DEFINE_FINAL_TYPE (PortolanFreeWindow, portolan_free_window, GTK_TYPE_WINDOW)

typedef struct
{
  unsigned from, to;
  unsigned ports[FREE_MAX];
  size_t n;
  PtlPortRules rules;
} FreeJob;

static void
free_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  FreeJob *job = task_data;
  PtlError err = { 0 };

  ptl_platform_port_rules (&job->rules, NULL);
  if (ptl_free_ports_find (job->from, job->to, &job->rules, job->ports, FREE_MAX, &job->n, &err)
      < 0)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", err.message);
  else
    g_task_return_boolean (task, TRUE);
}

/* A selectable label takes the click for itself: in a row that opens its
 * port on a click anywhere, no label is. */
static void
make_unselectable (GtkWidget *w)
{
  if (GTK_IS_LABEL (w))
    gtk_label_set_selectable (GTK_LABEL (w), FALSE);
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    make_unselectable (c);
}

static GtkWidget *
port_row (unsigned port)
{
  g_autofree char *title = g_strdup_printf (_ ("Port %u"), port);
  const PtlUnofficial *u[4];
  size_t n = ptl_unofficial_lookup (port, u, G_N_ELEMENTS (u));
  /* Only what sets a port apart: every row is free and unassigned. */
  g_autofree char *sub
      = n ? g_strdup_printf (_ ("Not assigned, but some use it for %s"), u[0]->use) : NULL;
  GtkWidget *go = gtk_image_new_from_icon_name ("go-next-symbolic");
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), portolan_card_row_new (title, sub, go));
  make_unselectable (row);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_focusable (row, TRUE); /* Enter opens it */
  g_object_set_data (G_OBJECT (row), "port", GUINT_TO_POINTER (port));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  return row;
}

static void
clear_list (PortolanFreeWindow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))))
    gtk_list_box_remove (self->list, child);
}

static void
free_ready_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  FreeJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  g_autoptr (PortolanFreeWindow) self = user_data;
  g_autofree char *status = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      status = g_strdup (error->message);
    }
  else if (job->n == 0)
    status = g_strdup_printf (_ ("No free port between %u and %u passes every test."), job->from,
                              job->to);
  else
    status = g_strdup_printf (ngettext ("%zu free port between %u and %u. Click it to see "
                                        "its whole story.",
                                        "The first %zu free ports between %u and %u. Click one "
                                        "to see its whole story.",
                                        job->n),
                              job->n, job->from, job->to);
  gtk_spinner_stop (self->spinner);
  gtk_label_set_text (self->status_label, status);
  for (size_t i = 0; i < job->n; i++)
    gtk_list_box_append (self->list, port_row (job->ports[i]));
  self->n_found = (int) job->n;
}

static void
start_search (PortolanFreeWindow *self)
{
  g_autoptr (GTask) task = NULL;
  FreeJob *job = g_new0 (FreeJob, 1);

  job->from = (unsigned) gtk_spin_button_get_value_as_int (self->from_spin);
  job->to = (unsigned) gtk_spin_button_get_value_as_int (self->to_spin);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  clear_list (self);
  self->n_found = -1;
  if (job->from > job->to)
    {
      gtk_label_set_text (self->status_label,
                          _ ("“From” is above “To”: the range is empty. Swap the two numbers."));
      g_free (job);
      return;
    }
  self->cancellable = g_cancellable_new ();
  gtk_label_set_text (self->status_label, _ ("Testing ports…"));
  gtk_spinner_start (self->spinner);
  task = g_task_new (NULL, self->cancellable, free_ready_cb, g_object_ref (self));
  g_task_set_task_data (task, job, g_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, free_thread);
}

static void
find_clicked_cb (PortolanFreeWindow *self)
{
  start_search (self);
}

static void
preset_changed_cb (PortolanFreeWindow *self)
{
  guint i = gtk_drop_down_get_selected (self->preset);

  if (i > 1)
    return;
  self->setting_preset = TRUE;
  gtk_spin_button_set_value (self->from_spin, i == 0 ? 1024 : 49152);
  gtk_spin_button_set_value (self->to_spin, i == 0 ? 49151 : 65535);
  self->setting_preset = FALSE;
  start_search (self);
}

static void
spin_changed_cb (PortolanFreeWindow *self)
{
  if (!self->setting_preset)
    gtk_drop_down_set_selected (self->preset, 2);
}

static void
row_activated_cb (PortolanFreeWindow *self, GtkListBoxRow *row)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  guint port = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "port"));

  if (PORTOLAN_IS_WINDOW (parent))
    {
      portolan_window_open_port (PORTOLAN_WINDOW (parent), port);
      /* Out of the way of the page it opened; the menu brings it back
       * with the same list. */
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      gtk_window_present (parent);
    }
}

int
portolan_free_window_get_n_found (PortolanFreeWindow *self)
{
  return self->n_found;
}

static void
portolan_free_window_dispose (GObject *object)
{
  PortolanFreeWindow *self = PORTOLAN_FREE_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PORTOLAN_TYPE_FREE_WINDOW);
  G_OBJECT_CLASS (portolan_free_window_parent_class)->dispose (object);
}

static void
portolan_free_window_class_init (PortolanFreeWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = portolan_free_window_dispose;
  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/portolan/Portolan/ui/portolan-free-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PortolanFreeWindow, preset);
  gtk_widget_class_bind_template_child (widget_class, PortolanFreeWindow, from_spin);
  gtk_widget_class_bind_template_child (widget_class, PortolanFreeWindow, to_spin);
  gtk_widget_class_bind_template_child (widget_class, PortolanFreeWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, PortolanFreeWindow, list);
  gtk_widget_class_bind_template_child (widget_class, PortolanFreeWindow, spinner);
  gtk_widget_class_bind_template_callback (widget_class, find_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, preset_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, spin_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
portolan_free_window_init (PortolanFreeWindow *self)
{
  self->n_found = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
forget_cb (GtkWidget *window, PortolanWindow *parent)
{
  g_object_set_data (G_OBJECT (parent), "free-window", NULL);
}

void
portolan_free_window_present (PortolanWindow *parent)
{
  PortolanFreeWindow *self = g_object_get_data (G_OBJECT (parent), "free-window");

  if (self == NULL)
    {
      self = g_object_new (PORTOLAN_TYPE_FREE_WINDOW, "transient-for", parent, "application",
                           gtk_window_get_application (GTK_WINDOW (parent)), NULL);
      g_object_set_data (G_OBJECT (parent), "free-window", self);
      g_signal_connect (self, "destroy", G_CALLBACK (forget_cb), parent);
      start_search (self);
    }
  gtk_window_present (GTK_WINDOW (self));
}
