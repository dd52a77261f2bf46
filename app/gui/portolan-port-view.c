/* portolan-port-view.c: the Port view. */
#include "config.h"

#include <glib/gi18n.h>

#include "portolan-port-machine.h"
#include "portolan-port-map.h"
#include "portolan-port-sections.h"
#include "portolan-port-view.h"

struct _PortolanPortView
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkStack *pages;
  GtkBox *content;
  GtkScrolledWindow *scroller;
  GtkSpinner *loading_spinner;
  PortolanPortMap *port_map;

  /* Owned */
  PtlReportSet *set;
  PortolanTable *map_table;
  GCancellable *map_cancellable;
  gint64 map_scanned_at; /* monotonic µs of the last whole-table scan */
  char *page_before_loading;
};

G_DEFINE_FINAL_TYPE (PortolanPortView, portolan_port_view, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_OPEN_QUERY,
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
open_query (const char *query, gpointer user_data)
{
  g_signal_emit (user_data, signals[SIGNAL_OPEN_QUERY], 0, query);
}

static void
ended_cb (GtkWidget *owner)
{
  g_signal_emit (owner, signals[SIGNAL_CHANGED], 0);
}

static void
map_port_activated_cb (PortolanPortView *self, guint port)
{
  g_autofree char *query = g_strdup_printf ("%u", port);

  open_query (query, self);
}

static void
clear_content (PortolanPortView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->content))))
    gtk_box_remove (self->content, child);
}

static void
build_single (PortolanPortView *self, const PtlPortReport *r)
{
  const PtlReportSet *set = self->set;
  GtkBox *c = self->content;

  gtk_box_append (c, portolan_port_header_new (set, r));
  gtk_box_append (c, portolan_port_status_new (set, r));
  gtk_box_append (c, portolan_port_iana_section (r));
  gtk_box_append (c, portolan_port_unofficial_section (r));
  gtk_box_append (c, portolan_port_machine_section (set, r, GTK_WIDGET (self), ended_cb));
  gtk_box_append (c, portolan_port_range_section (set, r));
  gtk_box_append (c, portolan_port_check_section (r));
  gtk_box_append (c, portolan_port_related_section (r, open_query, self));
}

static void
append_name (GString *s, GPtrArray *seen, const char *name)
{
  for (guint i = 0; i < seen->len; i++)
    if (g_strcmp0 (g_ptr_array_index (seen, i), name) == 0)
      return;
  g_ptr_array_add (seen, (gpointer) name);
  g_string_append_printf (s, "%s%s", s->len ? ", " : "", name);
}

/* "ircu, IRC": each IANA name and unofficial use once. */
static char *
services_text (const PtlPortReport *r)
{
  GString *s = g_string_new (NULL);
  g_autoptr (GPtrArray) seen = g_ptr_array_new ();

  for (size_t i = 0; i < r->n_iana; i++)
    if (r->iana[i]->service[0])
      append_name (s, seen, r->iana[i]->service);
  for (size_t i = 0; i < r->n_unofficial; i++)
    append_name (s, seen, r->unofficial[i]->use);
  if (s->len == 0)
    g_string_append (s, r->n_iana ? _ ("reserved by IANA") : _ ("unassigned"));
  return g_string_free (s, FALSE);
}

static GtkWidget *
list_row (const PtlReportSet *set, const PtlPortReport *r)
{
  g_autofree char *title = g_strdup_printf (_ ("Port %u"), r->port);
  g_autofree char *services = services_text (r);
  g_autofree char *sub = g_strdup_printf (
      "%s · %s", g_dgettext (GETTEXT_PACKAGE, ptl_range_title (r->range)), services);
  gboolean in_use;
  g_autofree char *use = portolan_port_use_summary (set, r, &in_use);
  GtkWidget *status = gtk_label_new (use);
  GtkWidget *row;

  gtk_widget_add_css_class (status, in_use ? "use-busy" : "use-free");
  row = portolan_card_row_new (title, sub, status);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data (G_OBJECT (row), "port", GUINT_TO_POINTER (r->port));
  return row;
}

static void
list_row_activated_cb (GtkListBox *list, GtkListBoxRow *row, PortolanPortView *self)
{
  map_port_activated_cb (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "port")));
}

static void
build_list (PortolanPortView *self)
{
  const PtlReportSet *set = self->set;
  GtkWidget *list = portolan_card_list_new ();
  const PtlQuery *q = &set->query;
  g_autofree char *title = q->kind == PTL_QUERY_SERVICE
                               ? g_strdup_printf (_ ("Service %s"), q->service)
                               : g_strdup_printf (_ ("Ports %u–%u"), q->first, q->last);
  g_autofree char *count
      = g_strdup_printf (ngettext ("%zu port. Click one to see its whole story.",
                                   "%zu ports. Click one to see its whole story.", set->n_reports),
                         set->n_reports);
  GtkWidget *head = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *t = gtk_label_new (title);

  gtk_label_set_xalign (GTK_LABEL (t), 0);
  gtk_widget_add_css_class (t, "title-1");
  gtk_box_append (GTK_BOX (head), t);
  gtk_box_append (GTK_BOX (head), portolan_text_new (count, "dim-label"));
  gtk_box_append (self->content, head);
  for (size_t i = 0; i < set->n_reports; i++)
    gtk_list_box_append (GTK_LIST_BOX (list), list_row (set, &set->reports[i]));
  g_signal_connect (list, "row-activated", G_CALLBACK (list_row_activated_cb), self);
  gtk_box_append (self->content, list);
}

static void
map_table_ready_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  PortolanTable *table = portolan_scan_table_finish (result, &error);
  PortolanPortView *self;

  if (table == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("The port map has no in-use marks: %s", error->message);
      return;
    }
  self = PORTOLAN_PORT_VIEW (user_data);
  portolan_port_map_set_in_use (self->port_map, &table->table);
  g_clear_pointer (&self->map_table, portolan_table_free);
  self->map_table = table;
}

/* The map marks every port in use on the machine, not just the query's:
 * one more scan of the whole table, off the UI thread. With tens of
 * thousands of sockets that costs a few hundred ms of a core, so searches
 * in quick succession share one scan. */
#define MAP_RESCAN_US (5 * G_USEC_PER_SEC)

static void
refresh_map (PortolanPortView *self)
{
  const PtlReportSet *set = self->set;

  portolan_port_map_set_port (self->port_map,
                              set->n_reports ? set->reports[0].port : set->query.first);
  portolan_port_map_set_rules (self->port_map, set->rules_known ? &set->rules : NULL);
  if (self->map_table && g_get_monotonic_time () - self->map_scanned_at < MAP_RESCAN_US)
    return;
  self->map_scanned_at = g_get_monotonic_time ();
  g_cancellable_cancel (self->map_cancellable);
  g_clear_object (&self->map_cancellable);
  self->map_cancellable = g_cancellable_new ();
  portolan_scan_table_async (NULL, self->map_cancellable, map_table_ready_cb, self);
}

void
portolan_port_view_show_report (PortolanPortView *self, PtlReportSet *set)
{
  g_return_if_fail (PORTOLAN_IS_PORT_VIEW (self));
  g_return_if_fail (set != NULL);
  clear_content (self);
  g_clear_pointer (&self->set, portolan_report_set_free);
  self->set = set;
  if (set->n_reports == 1)
    build_single (self, &set->reports[0]);
  else
    build_list (self);
  g_clear_pointer (&self->page_before_loading, g_free);
  gtk_stack_set_visible_child_name (self->pages, "report");
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  refresh_map (self);
}

void
portolan_port_view_set_loading (PortolanPortView *self, gboolean loading)
{
  g_return_if_fail (PORTOLAN_IS_PORT_VIEW (self));
  if (loading && self->page_before_loading == NULL)
    {
      self->page_before_loading = g_strdup (gtk_stack_get_visible_child_name (self->pages));
      gtk_stack_set_visible_child_name (self->pages, "loading");
      gtk_spinner_start (self->loading_spinner);
    }
  else if (!loading && self->page_before_loading)
    {
      gtk_stack_set_visible_child_name (self->pages, self->page_before_loading);
      g_clear_pointer (&self->page_before_loading, g_free);
      gtk_spinner_stop (self->loading_spinner);
    }
}

const PtlReportSet *
portolan_port_view_get_report (PortolanPortView *self)
{
  g_return_val_if_fail (PORTOLAN_IS_PORT_VIEW (self), NULL);
  return self->set;
}

static void
portolan_port_view_dispose (GObject *object)
{
  PortolanPortView *self = PORTOLAN_PORT_VIEW (object);

  g_cancellable_cancel (self->map_cancellable);
  g_clear_object (&self->map_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PORTOLAN_TYPE_PORT_VIEW);
  g_clear_pointer (&self->set, portolan_report_set_free);
  g_clear_pointer (&self->map_table, portolan_table_free);
  g_clear_pointer (&self->page_before_loading, g_free);
  G_OBJECT_CLASS (portolan_port_view_parent_class)->dispose (object);
}

static void
portolan_port_view_class_init (PortolanPortViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = portolan_port_view_dispose;
  signals[SIGNAL_OPEN_QUERY]
      = g_signal_new ("open-query", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  g_type_ensure (PORTOLAN_TYPE_PORT_MAP);
  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/portolan/Portolan/ui/portolan-port-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PortolanPortView, pages);
  gtk_widget_class_bind_template_child (widget_class, PortolanPortView, content);
  gtk_widget_class_bind_template_child (widget_class, PortolanPortView, scroller);
  gtk_widget_class_bind_template_child (widget_class, PortolanPortView, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, PortolanPortView, port_map);
  gtk_widget_class_bind_template_callback (widget_class, map_port_activated_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "portolan-port-view");
}

static void
portolan_port_view_init (PortolanPortView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
portolan_port_view_new (void)
{
  return g_object_new (PORTOLAN_TYPE_PORT_VIEW, NULL);
}
