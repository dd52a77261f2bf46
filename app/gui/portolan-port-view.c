/* portolan-port-view.c: the Port view. */
#include "config.h"

#include <glib/gi18n.h>

#include "portolan-admin.h"
#include "portolan-clamp.h"
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
  GtkWidget *map_separator, *map_scroller, *map_toggle;
  GtkLabel *map_readout;
  gboolean narrow;

  /* Administrator rights (the window decides; the banner shows). */
  PortolanAllOwners all_owners;
  char *admin_note;     /* a quiet note after a refusal; NULL */
  GtkWidget *admin_row; /* in the banner of a port's page, under a list's title; or NULL */

  /* Owned */
  PtlReportSet *set;
  gboolean map_marked; /* the map has this machine's in-use marks */
  GCancellable *map_cancellable;
  guint rest_tick_id; /* the sections still to build, one per frame */
  guint rest_next;
  guint rest_frames;
  gint64 map_scanned_at; /* monotonic µs of the last whole-table scan */
  char *page_before_loading;
};

G_DEFINE_FINAL_TYPE (PortolanPortView, portolan_port_view, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_BUILDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_OPEN_QUERY,
  SIGNAL_CHANGED,
  SIGNAL_SHOW_CONNECTIONS,
  SIGNAL_SHOW_ALL_OWNERS,
  SIGNAL_STOP_ALL_OWNERS,
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
show_all_cb (GtkWidget *owner, guint port)
{
  g_signal_emit (owner, signals[SIGNAL_SHOW_CONNECTIONS], 0, port);
}

static void
map_port_activated_cb (PortolanPortView *self, guint port)
{
  g_autofree char *query = g_strdup_printf ("%u", port);

  /* Folded, the map gives the page back to show the port opened. */
  if (self->narrow)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->map_toggle), FALSE);
  open_query (query, self);
}

static void
map_port_changed_cb (PortolanPortView *self)
{
  g_autofree char *readout = portolan_port_map_readout (self->port_map);

  gtk_label_set_text (self->map_readout, readout);
}

/* Wide: the page and the map side by side. Narrow: the page alone, and
 * the map in its place while the Port Map button is down. */
static void
update_layout (PortolanPortView *self)
{
  gboolean map_shown = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->map_toggle));

  gtk_widget_set_visible (self->map_toggle, self->narrow);
  gtk_widget_set_visible (self->map_separator, !self->narrow);
  gtk_widget_set_visible (GTK_WIDGET (self->pages), !self->narrow || !map_shown);
  gtk_widget_set_visible (self->map_scroller, !self->narrow || map_shown);
  gtk_widget_set_hexpand (self->map_scroller, self->narrow);
  if (self->narrow)
    gtk_widget_add_css_class (GTK_WIDGET (self), "narrow");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "narrow");
}

static void
map_toggled_cb (PortolanPortView *self)
{
  update_layout (self);
}

void
portolan_port_view_set_narrow (PortolanPortView *self, gboolean narrow)
{
  g_return_if_fail (PORTOLAN_IS_PORT_VIEW (self));

  narrow = !!narrow;
  if (self->narrow == narrow)
    return;
  self->narrow = narrow;
  if (!narrow)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->map_toggle), FALSE);
  update_layout (self);
}

gboolean
portolan_port_view_get_narrow (PortolanPortView *self)
{
  g_return_val_if_fail (PORTOLAN_IS_PORT_VIEW (self), FALSE);
  return self->narrow;
}

static void scan_map (PortolanPortView *self);

/* rest_next is the next section to build, 0 once the page is whole. */
static void
set_rest_next (PortolanPortView *self, guint next)
{
  gboolean changed = (self->rest_next == 0) != (next == 0);

  self->rest_next = next;
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUILDING]);
}

static void
clear_content (PortolanPortView *self)
{
  GtkWidget *child, *list = gtk_stack_get_child_by_name (self->pages, "list");

  self->admin_row = NULL;
  if (self->rest_tick_id)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->rest_tick_id);
  self->rest_tick_id = 0;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->content))))
    gtk_box_remove (self->content, child);
  /* The list's rows read the report set: it goes before the set does. */
  if (list)
    gtk_stack_remove (self->pages, list);
}

/* ---- hidden owners, in the banner ------------------------------------------------- */

static void
show_all_owners_cb (PortolanPortView *self)
{
  g_signal_emit (self, signals[SIGNAL_SHOW_ALL_OWNERS], 0);
}

static void
stop_all_owners_cb (PortolanPortView *self)
{
  g_signal_emit (self, signals[SIGNAL_STOP_ALL_OWNERS], 0);
}

static GtkWidget *
admin_button_new (PortolanPortView *self, const char *label, GCallback clicked)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  portolan_accessible_name (button, label);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  g_signal_connect_swapped (button, "clicked", clicked, self);
  return button;
}

/* The words and the control for the state: hidden owners and the button
 * that asks; waiting for the authentication; every owner shown, and Stop. */
static void
fill_admin_row (PortolanPortView *self, GtkBox *line)
{
  gboolean hidden = ptl_socket_table_owners_hidden (&self->set->table);
  GtkWidget *spinner;

  if (self->all_owners == PORTOLAN_ALL_OWNERS_ASKING)
    {
      spinner = gtk_spinner_new ();
      gtk_spinner_start (GTK_SPINNER (spinner));
      gtk_box_append (line, spinner);
      gtk_box_append (line, portolan_text_new (_ ("Waiting for authentication…"), "dim-label"));
    }
  else if (self->all_owners == PORTOLAN_ALL_OWNERS_ON)
    {
      gtk_box_append (line, portolan_text_new (_ ("Every owner is shown, read with administrator "
                                                  "rights."),
                                               "dim-label"));
      gtk_box_append (line, admin_button_new (self, _ ("_Stop"), G_CALLBACK (stop_all_owners_cb)));
    }
  else if (hidden)
    {
      gtk_box_append (line, portolan_text_new (_ ("Some owners belong to other users or the system "
                                                  "and are hidden."),
                                               "dim-label"));
      gtk_box_append (line, admin_button_new (self, portolan_admin_button_label (),
                                              G_CALLBACK (show_all_owners_cb)));
    }
}

static void
update_admin_row (PortolanPortView *self)
{
  GtkWidget *child, *line;

  if (self->admin_row == NULL || self->set == NULL)
    return;
  while ((child = gtk_widget_get_first_child (self->admin_row)))
    gtk_box_remove (GTK_BOX (self->admin_row), child);
  line = gtk_box_new (self->all_owners == PORTOLAN_ALL_OWNERS_ASKING ? GTK_ORIENTATION_HORIZONTAL
                                                                     : GTK_ORIENTATION_VERTICAL,
                      6);
  fill_admin_row (self, GTK_BOX (line));
  if (gtk_widget_get_first_child (line))
    gtk_box_append (GTK_BOX (self->admin_row), line);
  else
    g_object_unref (g_object_ref_sink (line));
  if (self->admin_note)
    gtk_box_append (GTK_BOX (self->admin_row), portolan_text_new (self->admin_note, "dim-label"));
  gtk_widget_set_visible (self->admin_row, gtk_widget_get_first_child (self->admin_row) != NULL);
}

void
portolan_port_view_set_all_owners (PortolanPortView *self, PortolanAllOwners state,
                                   const char *note)
{
  g_return_if_fail (PORTOLAN_IS_PORT_VIEW (self));
  self->all_owners = state;
  g_free (self->admin_note);
  self->admin_note = g_strdup (note);
  update_admin_row (self);
}

/* The sections under the answer, in page order after the first frame's. */
static GtkWidget *
rest_section (PortolanPortView *self, guint i)
{
  const PtlReportSet *set = self->set;
  const PtlPortReport *r = &set->reports[0];

  switch (i)
    {
    case 1:
      return portolan_port_range_section (set, r);
    case 2:
      return portolan_port_check_section (r);
    case 3:
      return portolan_port_related_section (r, open_query, self);
    default:
      return NULL;
    }
}

/* The sections under the answer come in the frame after the answer was
 * painted: laying out the whole page at once (hundreds of labels shaped
 * and measured) was the UI thread's longest stall. The map's whole-table
 * scan starts then too, so it does not compete with the answer's frame. */
static gboolean
build_rest_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  PortolanPortView *self = PORTOLAN_PORT_VIEW (widget);
  GtkWidget *section;

  (void) clock, (void) data;
  if (self->rest_frames++ == 0)
    return G_SOURCE_CONTINUE;
  while ((section = rest_section (self, self->rest_next)))
    {
      gtk_box_append (self->content, section);
      self->rest_next++;
    }
  self->rest_tick_id = 0;
  set_rest_next (self, 0);
  scan_map (self);
  return G_SOURCE_REMOVE;
}

static void
build_single (PortolanPortView *self, const PtlPortReport *r)
{
  const PtlReportSet *set = self->set;
  GtkBox *c = self->content;
  GtkWidget *ns;

  gtk_box_append (c, portolan_port_header_new (set, r));
  self->admin_row = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_add_css_class (self->admin_row, "admin-row");
  update_admin_row (self);
  gtk_box_append (c, portolan_port_status_new (set, r, self->admin_row));
  gtk_box_append (c, portolan_port_iana_section (r));
  gtk_box_append (c, portolan_port_unofficial_section (r));
  gtk_box_append (c,
                  portolan_port_machine_section (set, r, GTK_WIDGET (self), ended_cb, show_all_cb));
  /* Listeners inside containers answer the question too: with the answer. */
  if ((ns = portolan_port_namespaces_section (set, r)) != NULL)
    gtk_box_append (c, ns);
  self->rest_frames = 0;
  set_rest_next (self, 1);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->rest_tick_id
          = gtk_widget_add_tick_callback (GTK_WIDGET (self), build_rest_tick, NULL, NULL);
      return;
    }
  /* Nobody sees it yet: no frame to wait for (the map's scan starts in
   * show_report, once the page is whole). */
  for (GtkWidget *section; (section = rest_section (self, self->rest_next)); self->rest_next++)
    gtk_box_append (c, section);
  set_rest_next (self, 0);
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

/* A range or service can cover 4096 ports: the list is a GtkListView, so
 * only the rows on screen exist. Items are indices into the report set,
 * which lives as long as the page. */
static void
list_setup_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GtkWidget *hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *vbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = portolan_text_new (NULL, "row-title");
  GtkWidget *sub = portolan_text_new (NULL, "dim-label");
  GtkWidget *use = gtk_label_new (NULL);

  gtk_widget_set_hexpand (vbox, TRUE);
  gtk_box_append (GTK_BOX (vbox), title);
  gtk_box_append (GTK_BOX (vbox), sub);
  gtk_box_append (GTK_BOX (hbox), vbox);
  gtk_widget_set_valign (use, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (hbox), use);
  gtk_widget_add_css_class (hbox, "port-list-row");
  gtk_list_item_set_child (item, hbox);
}

static void
list_bind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, PortolanPortView *self)
{
  GtkWidget *hbox = gtk_list_item_get_child (item);
  GtkWidget *vbox = gtk_widget_get_first_child (hbox);
  GtkWidget *use = gtk_widget_get_last_child (hbox);
  guint pos = gtk_list_item_get_position (item);
  const PtlPortReport *r;
  g_autofree char *title = NULL, *services = NULL, *sub = NULL, *text = NULL;
  gboolean in_use;

  if (self->set == NULL || pos >= self->set->n_reports)
    return;
  r = &self->set->reports[pos];
  title = g_strdup_printf (_ ("Port %u"), r->port);
  services = services_text (r);
  sub = g_strdup_printf ("%s · %s", g_dgettext (GETTEXT_PACKAGE, ptl_range_title (r->range)),
                         services);
  text = portolan_port_use_summary (self->set, r, &in_use);
  gtk_label_set_text (GTK_LABEL (gtk_widget_get_first_child (vbox)), title);
  gtk_label_set_text (GTK_LABEL (gtk_widget_get_last_child (vbox)), sub);
  gtk_label_set_text (GTK_LABEL (use), text);
  gtk_widget_remove_css_class (use, in_use ? "use-free" : "use-busy");
  gtk_widget_add_css_class (use, in_use ? "use-busy" : "use-free");
  g_object_set_data (G_OBJECT (hbox), "port", GUINT_TO_POINTER (r->port));
}

static void
list_activate_cb (GtkListView *view, guint position, PortolanPortView *self)
{
  if (self->set && position < self->set->n_reports)
    map_port_activated_cb (self, self->set->reports[position].port);
}

static GtkWidget *
port_list_new (PortolanPortView *self)
{
  GtkStringList *items = gtk_string_list_new (NULL);
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *view;

  for (size_t i = 0; i < self->set->n_reports; i++)
    {
      char num[24];
      g_snprintf (num, sizeof num, "%zu", i);
      gtk_string_list_append (items, num);
    }
  g_signal_connect (factory, "setup", G_CALLBACK (list_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (list_bind_cb), self);
  view = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (items))),
                            factory);
  gtk_list_view_set_single_click_activate (GTK_LIST_VIEW (view), TRUE);
  gtk_widget_add_css_class (view, "card-list");
  g_signal_connect (view, "activate", G_CALLBACK (list_activate_cb), self);
  return view;
}

static void
build_list (PortolanPortView *self)
{
  const PtlReportSet *set = self->set;
  const PtlQuery *q = &set->query;
  g_autofree char *title = q->kind == PTL_QUERY_SERVICE
                               ? g_strdup_printf (_ ("Service %s"), q->service)
                               : g_strdup_printf (_ ("Ports %u–%u"), q->first, q->last);
  g_autofree char *count
      = g_strdup_printf (ngettext ("%zu port. Click one to see its whole story.",
                                   "%zu ports. Click one to see its whole story.", set->n_reports),
                         set->n_reports);
  GtkWidget *page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *t = gtk_label_new (title);
  GtkWidget *old = gtk_stack_get_child_by_name (self->pages, "list");

  gtk_label_set_xalign (GTK_LABEL (t), 0);
  gtk_widget_add_css_class (t, "title-1");
  gtk_widget_add_css_class (page, "port-page");
  gtk_box_append (GTK_BOX (page), t);
  gtk_box_append (GTK_BOX (page), portolan_text_new (count, "dim-label"));
  /* Hidden owners of any of the ports: the same button as a port's page. */
  self->admin_row = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_add_css_class (self->admin_row, "admin-row");
  gtk_widget_set_margin_top (self->admin_row, 12);
  update_admin_row (self);
  gtk_box_append (GTK_BOX (page), self->admin_row);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), port_list_new (self));
  /* As tall as its rows, up to the page: no empty card under a short list. */
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_widget_set_valign (scroller, GTK_ALIGN_START);
  gtk_widget_set_margin_top (scroller, 18);
  gtk_box_append (GTK_BOX (page), scroller);
  if (old)
    gtk_stack_remove (self->pages, old);
  gtk_stack_add_named (self->pages, page, "list");
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
  self->map_marked = TRUE;
  /* The map keeps its marks, not the table (tens of thousands of rows). */
  portolan_table_free (table);
}

/* The map marks every port in use on the machine, not just the query's:
 * one more scan of the whole table, off the UI thread. With tens of
 * thousands of sockets that costs a few hundred ms of a core, so searches
 * in quick succession share one scan. */
#define MAP_RESCAN_US (5 * G_USEC_PER_SEC)

static void
scan_map (PortolanPortView *self)
{
  if (self->map_marked && g_get_monotonic_time () - self->map_scanned_at < MAP_RESCAN_US)
    return;
  self->map_scanned_at = g_get_monotonic_time ();
  g_cancellable_cancel (self->map_cancellable);
  g_clear_object (&self->map_cancellable);
  self->map_cancellable = g_cancellable_new ();
  portolan_scan_table_async (NULL, self->map_cancellable, map_table_ready_cb, self);
}

static void
refresh_map (PortolanPortView *self)
{
  const PtlReportSet *set = self->set;

  portolan_port_map_set_port (self->port_map,
                              set->n_reports ? set->reports[0].port : set->query.first);
  portolan_port_map_set_rules (self->port_map, set->rules_known ? &set->rules : NULL);
  if (self->rest_next == 0)
    scan_map (self);
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
    {
      build_list (self);
      set_rest_next (self, 0);
    }
  g_clear_pointer (&self->page_before_loading, g_free);
  gtk_stack_set_visible_child_name (self->pages, set->n_reports == 1 ? "report" : "list");
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

gboolean
portolan_port_view_get_building (PortolanPortView *self)
{
  g_return_val_if_fail (PORTOLAN_IS_PORT_VIEW (self), FALSE);
  return self->rest_next != 0;
}

const PtlReportSet *
portolan_port_view_get_report (PortolanPortView *self)
{
  g_return_val_if_fail (PORTOLAN_IS_PORT_VIEW (self), NULL);
  return self->set;
}

static void
portolan_port_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PortolanPortView *self = PORTOLAN_PORT_VIEW (object);

  switch (prop_id)
    {
    case PROP_BUILDING:
      g_value_set_boolean (value, portolan_port_view_get_building (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
portolan_port_view_dispose (GObject *object)
{
  PortolanPortView *self = PORTOLAN_PORT_VIEW (object);

  g_cancellable_cancel (self->map_cancellable);
  g_clear_object (&self->map_cancellable);
  if (self->rest_tick_id)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->rest_tick_id);
  self->rest_tick_id = 0;
  gtk_widget_dispose_template (GTK_WIDGET (self), PORTOLAN_TYPE_PORT_VIEW);
  g_clear_pointer (&self->set, portolan_report_set_free);
  g_clear_pointer (&self->page_before_loading, g_free);
  g_clear_pointer (&self->admin_note, g_free);
  G_OBJECT_CLASS (portolan_port_view_parent_class)->dispose (object);
}

static void
portolan_port_view_class_init (PortolanPortViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = portolan_port_view_dispose;
  object_class->get_property = portolan_port_view_get_property;
  /* TRUE from a search's answer until every section of its page is in. */
  properties[PROP_BUILDING]
      = g_param_spec_boolean ("building", NULL, NULL, FALSE,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  signals[SIGNAL_OPEN_QUERY]
      = g_signal_new ("open-query", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_SHOW_CONNECTIONS]
      = g_signal_new ("show-connections", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                      NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SIGNAL_SHOW_ALL_OWNERS]
      = g_signal_new ("show-all-owners", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                      NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_STOP_ALL_OWNERS]
      = g_signal_new ("stop-all-owners", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                      NULL, NULL, G_TYPE_NONE, 0);
  g_type_ensure (PORTOLAN_TYPE_PORT_MAP);
  g_type_ensure (PORTOLAN_TYPE_CLAMP);
  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/portolan/Portolan/ui/portolan-port-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PortolanPortView, pages);
  gtk_widget_class_bind_template_child (widget_class, PortolanPortView, content);
  gtk_widget_class_bind_template_child (widget_class, PortolanPortView, scroller);
  gtk_widget_class_bind_template_child (widget_class, PortolanPortView, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, PortolanPortView, port_map);
  gtk_widget_class_bind_template_child (widget_class, PortolanPortView, map_separator);
  gtk_widget_class_bind_template_child (widget_class, PortolanPortView, map_scroller);
  gtk_widget_class_bind_template_child (widget_class, PortolanPortView, map_toggle);
  gtk_widget_class_bind_template_child (widget_class, PortolanPortView, map_readout);
  gtk_widget_class_bind_template_callback (widget_class, map_port_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, map_port_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, map_toggled_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "portolan-port-view");
}

static void
portolan_port_view_init (PortolanPortView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  map_port_changed_cb (self);
}

GtkWidget *
portolan_port_view_new (void)
{
  return g_object_new (PORTOLAN_TYPE_PORT_VIEW, NULL);
}
