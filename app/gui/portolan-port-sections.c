/* portolan-port-sections.c: title, status and the knowledge sections of the
 * Port view. Sentences are written for people, not for netstat readers. */
#include "config.h"

#include <glib/gi18n.h>

#include "portolan-port-sections.h"
#include "ptl-i18n.h"

GtkWidget *
portolan_text_new (const char *text, const char *css)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_halign (label, GTK_ALIGN_FILL);
  if (css)
    gtk_widget_add_css_class (label, css);
  return label;
}

/* A label announced as a heading by screen readers. */
static GtkWidget *
heading_new (const char *text, const char *css)
{
  GtkWidget *label = g_object_new (GTK_TYPE_LABEL, "label", text, "xalign", 0.0f, "wrap", TRUE,
                                   "accessible-role", GTK_ACCESSIBLE_ROLE_HEADING, NULL);

  gtk_widget_add_css_class (label, css);
  return label;
}

GtkWidget *
portolan_section_new (const char *title, GtkWidget *body)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *heading = heading_new (title, "heading");

  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), body);
  gtk_widget_add_css_class (box, "port-section");
  return box;
}

/* A box, not a GtkListBox: nothing in it is selected or activated, and
 * only the buttons in its rows take the keyboard focus (a list box makes
 * each row a Tab stop of its own). */
GtkWidget *
portolan_card_list_new (void)
{
  GtkWidget *list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_widget_add_css_class (list, "card-list");
  return list;
}

GtkWidget *
portolan_card_row_box_new (void)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  gtk_widget_add_css_class (row, "card-row");
  return row;
}

GtkWidget *
portolan_card_row_new (const char *title, const char *subtitle, GtkWidget *suffix)
{
  GtkWidget *row = portolan_card_row_box_new ();
  GtkWidget *vbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *t = portolan_text_new (title, "row-title");

  gtk_widget_set_hexpand (vbox, TRUE);
  gtk_widget_set_valign (vbox, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (vbox), t);
  if (subtitle && subtitle[0])
    gtk_box_append (GTK_BOX (vbox), portolan_text_new (subtitle, "dim-label"));
  gtk_box_append (GTK_BOX (row), vbox);
  if (suffix)
    {
      gtk_widget_set_valign (suffix, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (row), suffix);
    }
  return row;
}

void
portolan_accessible_name (GtkWidget *widget, const char *mnemonic_label)
{
  g_autoptr (GString) name = g_string_new (NULL);

  /* GTK 4.8 names a labelled button by its label property (underscore and
   * all) followed by its label child's text ("_Export… Export…"): without
   * the property, the child's text alone names it. */
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL);
      return;
    }
  /* "__" stands for one underscore: the first is kept, the second dropped. */
  for (const char *p = mnemonic_label; *p; p++)
    if (*p != '_' || p[1] == '_')
      g_string_append_c (name, *p);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name->str,
                                  -1);
}

static void
copy_clicked_cb (GtkButton *button, gpointer user_data)
{
  const char *text = g_object_get_data (G_OBJECT (button), "copy-text");

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (button), _ ("Copied"));
}

GtkWidget *
portolan_copy_button_new (const char *text, const char *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("edit-copy-symbolic");

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip ? tooltip : _ ("Copy"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  tooltip ? tooltip : _ ("Copy"), -1);
  g_object_set_data_full (G_OBJECT (button), "copy-text", g_strdup (text), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (copy_clicked_cb), NULL);
  return button;
}

static GtkWidget *
badge_new (const char *text, const char *css)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "badge");
  gtk_widget_add_css_class (label, css);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  return label;
}

static const char *
range_css (PtlRange range)
{
  return range == PTL_RANGE_WELL_KNOWN   ? "range-well-known"
         : range == PTL_RANGE_REGISTERED ? "range-registered"
                                         : "range-dynamic";
}

/* "saiseh — Satellite-data Acquisition System 4": the first IANA name with
 * its description, or the first unofficial use, as the page's subtitle. */
static char *
port_summary (const PtlPortReport *r)
{
  for (size_t i = 0; i < r->n_iana; i++)
    if (r->iana[i]->service[0])
      return r->iana[i]->description[0]
                 ? g_strdup_printf ("%s — %s", r->iana[i]->service, r->iana[i]->description)
                 : g_strdup (r->iana[i]->service);
  if (r->n_unofficial > 0)
    return g_strdup_printf (_ ("Often used by %s (not assigned by IANA)"), r->unofficial[0]->use);
  if (r->n_iana > 0)
    return g_strdup (_ ("Reserved by IANA: no service may claim it"));
  return g_strdup (_ ("No service is assigned to this port"));
}

static const char *
iana_badge_text (const PtlPortReport *r, const char **css)
{
  for (size_t i = 0; i < r->n_iana; i++)
    if (r->iana[i]->service[0])
      {
        *css = "iana-assigned";
        return _ ("Assigned by IANA");
      }
  *css = r->n_iana > 0 ? "iana-reserved" : "iana-unassigned";
  return r->n_iana > 0 ? _ ("Reserved by IANA") : _ ("Unassigned");
}

/* The badges' row wraps: in a narrow window a long translation (Russian
 * "Зарегистрированный", German "IANA-zugewiesen") moves the next badge to a
 * line of its own instead of widening the window. Each badge keeps its
 * natural width; lines start at the left. */
#define BADGE_GAP 8
#define BADGE_LINE_GAP 6

static GtkSizeRequestMode
badges_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

/* Lays the badges out in lines at most @width wide (-1: one line), allocating
 * them when @place; returns the height the lines take. */
static int
badges_lines (GtkWidget *widget, int width, gboolean place)
{
  int x = 0, y = 0, line = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      int w, h;

      if (!gtk_widget_should_layout (c))
        continue;
      gtk_widget_measure (c, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &w, NULL, NULL);
      if (width >= 0 && w > width)
        w = width;
      gtk_widget_measure (c, GTK_ORIENTATION_VERTICAL, w, NULL, &h, NULL, NULL);
      if (x > 0 && width >= 0 && x + w > width)
        x = 0, y += line + BADGE_LINE_GAP, line = 0;
      if (place)
        gtk_widget_size_allocate (c, &(GtkAllocation){ x, y, w, h }, -1);
      x += w + BADGE_GAP;
      line = MAX (line, h);
    }
  return y + line;
}

static void
badges_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum,
                int *natural, int *minimum_baseline, int *natural_baseline)
{
  int widest = 0, all = 0;

  if (orientation == GTK_ORIENTATION_VERTICAL)
    {
      *minimum = *natural = badges_lines (widget, for_size, FALSE);
      return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      int min, nat;

      if (!gtk_widget_should_layout (c))
        continue;
      gtk_widget_measure (c, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
      widest = MAX (widest, min);
      all += (all ? BADGE_GAP : 0) + nat;
    }
  *minimum = widest;
  *natural = all;
}

static void
badges_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  badges_lines (widget, width, TRUE);
}

static GtkWidget *
badges_new (void)
{
  GtkWidget *badges = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  gtk_widget_set_layout_manager (
      badges, gtk_custom_layout_new (badges_request_mode, badges_measure, badges_allocate));
  return badges;
}

GtkWidget *
portolan_port_header_new (const PtlReportSet *set, const PtlPortReport *r)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *badges = badges_new ();
  g_autofree char *title = g_strdup_printf (_ ("Port %u"), r->port);
  g_autofree char *summary = port_summary (r);
  const char *iana_css = NULL, *iana_text = iana_badge_text (r, &iana_css);
  GtkWidget *t = heading_new (title, "title-1");

  gtk_box_append (GTK_BOX (box), t);
  gtk_box_append (
      GTK_BOX (badges),
      badge_new (g_dgettext (GETTEXT_PACKAGE, ptl_range_title (r->range)), range_css (r->range)));
  gtk_box_append (GTK_BOX (badges), badge_new (iana_text, iana_css));
  if (r->in_ephemeral)
    gtk_box_append (GTK_BOX (badges), badge_new (_ ("Ephemeral here"), "badge-warning"));
  gtk_box_append (GTK_BOX (box), badges);
  gtk_box_append (GTK_BOX (box), portolan_text_new (summary, "title-4"));
  (void) set;
  return box;
}

GtkWidget *
portolan_port_iana_section (const PtlPortReport *r)
{
  GtkWidget *list = portolan_card_list_new ();

  for (size_t i = 0; i < r->n_iana; i++)
    {
      const PtlIanaEntry *e = r->iana[i];
      g_autofree char *title = NULL;
      g_autofree char *sub = NULL;
      g_autofree char *proto = g_ascii_strup (ptl_proto_name (e->proto), -1);

      title = e->service[0] ? g_strdup_printf ("%s  %s", proto, e->service)
                            : g_strdup_printf (_ ("%s  Reserved"), proto);
      if (e->first != e->last)
        sub = g_strdup_printf (_ ("%s (assigned as the range %u–%u)"), e->description, e->first,
                               e->last);
      gtk_box_append (GTK_BOX (list),
                      portolan_card_row_new (title, sub ? sub : e->description, NULL));
    }

  if (r->n_iana == 0)
    {
      g_autofree char *text = g_strdup_printf (
          _ ("IANA has not assigned port %u to any service, for any protocol."), r->port);
      return portolan_section_new (_ ("Official Assignment (IANA)"),
                                   portolan_text_new (text, "dim-label"));
    }
  return portolan_section_new (_ ("Official Assignment (IANA)"), list);
}

static char *
protos_text (unsigned protos)
{
  GString *s = g_string_new (NULL);

  for (size_t i = 0; i < PTL_N_PROTOS; i++)
    if (protos & ptl_protos[i])
      {
        g_autofree char *up = g_ascii_strup (ptl_proto_name (ptl_protos[i]), -1);
        g_string_append_printf (s, "%s%s", s->len ? "/" : "", up);
      }
  return g_string_free (s, FALSE);
}

GtkWidget *
portolan_port_unofficial_section (const PtlPortReport *r)
{
  GtkWidget *list = portolan_card_list_new ();

  if (r->n_unofficial == 0)
    return portolan_section_new (_ ("Known Unofficial Uses"),
                                 portolan_text_new (_ ("None that we know of."), "dim-label"));
  for (size_t i = 0; i < r->n_unofficial; i++)
    {
      const PtlUnofficial *u = r->unofficial[i];
      g_autofree char *protos = protos_text (u->protos);
      g_autofree char *title = g_strdup_printf ("%s  %s", protos, u->use);

      gtk_box_append (GTK_BOX (list), portolan_card_row_new (title, u->note, NULL));
    }
  return portolan_section_new (_ ("Known Unofficial Uses"), list);
}

/* The three IANA ranges as a small ladder, the port's own rung marked. */
static GtkWidget *
range_ladder (const PtlPortReport *r)
{
  GtkWidget *grid = gtk_grid_new ();

  /* Range names run long in some languages (Russian "Зарегистрированный"):
   * with narrower gaps and a marker that may wrap, the ladder still fits
   * a 360-px window. */
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_widget_add_css_class (grid, "range-ladder");
  for (int i = 0; i < 3; i++)
    {
      PtlRange range = (PtlRange) i;
      g_autofree char *span
          = g_strdup_printf ("%u–%u", ptl_range_first (range), ptl_range_last (range));
      GtkWidget *name = gtk_label_new (g_dgettext (GETTEXT_PACKAGE, ptl_range_title (range)));
      GtkWidget *nums = gtk_label_new (span);
      GtkWidget *here = gtk_label_new (range == r->range ? _ ("← this port") : "");

      gtk_widget_add_css_class (name, "badge");
      gtk_widget_add_css_class (name, range_css (range));
      gtk_widget_set_halign (name, GTK_ALIGN_START);
      /* A wrapped marker makes its row taller; the badge keeps its height. */
      gtk_widget_set_valign (name, GTK_ALIGN_CENTER);
      gtk_label_set_xalign (GTK_LABEL (nums), 0);
      gtk_widget_add_css_class (nums, "numeric");
      gtk_label_set_wrap (GTK_LABEL (here), TRUE);
      gtk_label_set_xalign (GTK_LABEL (here), 0);
      if (range == r->range)
        gtk_widget_add_css_class (here, "accent-label");
      gtk_grid_attach (GTK_GRID (grid), name, 0, i, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), nums, 1, i, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), here, 2, i, 1, 1);
    }
  return grid;
}

static char *
reserved_text (const PtlPortRules *rules)
{
  GString *s = g_string_new (NULL);

  for (size_t i = 0; i < rules->n_reserved; i++)
    {
      if (rules->reserved[i].first == rules->reserved[i].last)
        g_string_append_printf (s, "%s%u", i ? ", " : "", rules->reserved[i].first);
      else
        g_string_append_printf (s, "%s%u–%u", i ? ", " : "", rules->reserved[i].first,
                                rules->reserved[i].last);
    }
  return g_string_free (s, FALSE);
}

static void
append_machine_rules (GtkBox *box, const PtlReportSet *set, const PtlPortReport *r)
{
  const PtlPortRules *rules = &set->rules;
  g_autofree char *eph = NULL, *priv = NULL, *res = NULL, *list = NULL;

  if (!set->rules_known || !rules->known)
    {
      gtk_box_append (box, portolan_text_new (_ ("This computer did not say which ports it lends "
                                                 "to outgoing connections."),
                                              NULL));
      return;
    }
  eph = g_strdup_printf (r->in_ephemeral
                             ? _ ("This computer lends ports %u–%u to outgoing connections (its "
                                  "ephemeral range). Port %u is inside it, so an outgoing "
                                  "connection may take it before a server starts.")
                             : _ ("This computer lends ports %u–%u to outgoing connections (its "
                                  "ephemeral range). Port %u is outside it."),
                         rules->ephemeral_first, rules->ephemeral_last, r->port);
  gtk_box_append (box, portolan_text_new (eph, NULL));
  if (rules->unprivileged_known)
    {
      priv = g_strdup_printf (_ ("Ports below %u need administrator rights to bind."),
                              rules->unprivileged_start);
      gtk_box_append (box, portolan_text_new (priv, NULL));
    }
  list = reserved_text (rules);
  res = list[0] ? g_strdup_printf (_ ("Reserved ports: %s."), list)
                : g_strdup (_ ("Reserved ports: none."));
  gtk_box_append (box, portolan_text_new (res, NULL));
  if (rules->source[0])
    gtk_box_append (box, portolan_text_new (rules->source, "dim-label"));
}

GtkWidget *
portolan_port_range_section (const PtlReportSet *set, const PtlPortReport *r)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);

  gtk_box_append (
      GTK_BOX (box),
      portolan_text_new (g_dgettext (GETTEXT_PACKAGE, ptl_range_explain (r->range)), NULL));
  gtk_box_append (GTK_BOX (box), range_ladder (r));
  append_machine_rules (GTK_BOX (box), set, r);
  for (size_t i = 0; i < r->n_notes; i++)
    if (r->notes[i] != ptl_port_zero_note) /* the banner and On This Machine say it */
      {
        char note[512];

        gtk_box_append (GTK_BOX (box),
                        portolan_text_new (ptl_report_note (r, i, note, sizeof note), "note"));
      }
  return portolan_section_new (_ ("The Range"), box);
}

static void
append_command (GtkWidget *list, const char *os, const char *cmd)
{
  GtkWidget *hbox = portolan_card_row_box_new ();
  GtkWidget *name = gtk_label_new (os);
  GtkWidget *code = gtk_label_new (cmd);
  g_autofree char *tip = g_strdup_printf (_ ("Copy “%s”"), cmd);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_width_chars (GTK_LABEL (name), 8);
  gtk_widget_add_css_class (name, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (code), 0);
  /* Selectable with the mouse; the keyboard copies with the button. */
  gtk_label_set_selectable (GTK_LABEL (code), TRUE);
  gtk_widget_set_focusable (code, FALSE);
  gtk_label_set_ellipsize (GTK_LABEL (code), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (code, "monospace");
  gtk_widget_set_hexpand (code, TRUE);
  gtk_box_append (GTK_BOX (hbox), name);
  gtk_box_append (GTK_BOX (hbox), code);
  gtk_box_append (GTK_BOX (hbox), portolan_copy_button_new (cmd, tip));
  gtk_box_append (GTK_BOX (list), hbox);
}

GtkWidget *
portolan_port_check_section (const PtlPortReport *r)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *list = portolan_card_list_new ();
  unsigned p = r->port;
  g_autofree char *ss = g_strdup_printf ("ss -tanup 'sport = :%u'", p);
  g_autofree char *lsof = g_strdup_printf ("sudo lsof -nP -i :%u", p);
  char netstat[64];
  g_autofree char *ps_tcp = g_strdup_printf ("Get-NetTCPConnection -LocalPort %u", p);
  g_autofree char *ps_udp = g_strdup_printf ("Get-NetUDPEndpoint -LocalPort %u", p);

  gtk_box_append (GTK_BOX (box),
                  portolan_text_new (_ ("Your system’s own tools show the same sockets. Run one "
                                        "of these in a terminal:"),
                                     "dim-label"));
  append_command (list, "Linux", ss);
  append_command (list, "Linux", lsof);
  append_command (list, "macOS", lsof);
  append_command (list, "Windows", ptl_netstat_command (p, netstat, sizeof netstat));
  append_command (list, "Windows", ps_tcp);
  append_command (list, "Windows", ps_udp);
  gtk_box_append (GTK_BOX (box), list);
  return portolan_section_new (_ ("Check It Yourself"), box);
}

typedef struct
{
  PortolanOpenQueryFunc open;
  gpointer user_data;
} RelatedClosure;

static void
related_clicked_cb (GtkButton *button, RelatedClosure *c)
{
  c->open (gtk_button_get_label (button), c->user_data);
}

GtkWidget *
portolan_port_related_section (const PtlPortReport *r, PortolanOpenQueryFunc open,
                               gpointer user_data)
{
  GtkWidget *flow;
  RelatedClosure *c;

  if (r->n_related == 0)
    return portolan_section_new (_ ("Related Ports"),
                                 portolan_text_new (_ ("None that we know of."), "dim-label"));
  flow = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (flow), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Related Ports"), -1);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 12);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flow), FALSE);
  c = g_new0 (RelatedClosure, 1);
  c->open = open;
  c->user_data = user_data;
  g_object_set_data_full (G_OBJECT (flow), "closure", c, g_free);
  for (size_t i = 0; i < r->n_related; i++)
    {
      g_autofree char *text
          = r->related_first[i] == r->related_last[i]
                ? g_strdup_printf ("%u", r->related_first[i])
                : g_strdup_printf ("%u-%u", r->related_first[i], r->related_last[i]);
      GtkWidget *b = gtk_button_new_with_label (text);

      gtk_widget_add_css_class (b, "port-link");
      g_autofree char *tip = g_strdup_printf (_ ("Open %s"), text);
      gtk_widget_set_tooltip_text (b, tip);
      g_signal_connect (b, "clicked", G_CALLBACK (related_clicked_cb), c);
      gtk_flow_box_append (GTK_FLOW_BOX (flow), b);
      /* One Tab stop per chip: the button, not also its flow box child. */
      gtk_widget_set_focusable (gtk_widget_get_parent (b), FALSE);
    }
  return portolan_section_new (_ ("Related Ports"), flow);
}
