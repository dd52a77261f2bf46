/* portolan-port-machine.c: the status banner and the sockets on a port. */
#include "config.h"

#include <glib/gi18n.h>

#include "portolan-port-machine.h"
#include "portolan-port-sections.h"
#include "ptl-describe.h"
#include "ptl-i18n.h"

static gboolean
is_listener (const PtlSocket *s)
{
  return s->state == PTL_STATE_LISTEN || s->state == PTL_STATE_UNCONN;
}

static const char *
state_title (PtlState state)
{
  switch (state)
    {
    case PTL_STATE_LISTEN:
      return _ ("listening");
    case PTL_STATE_UNCONN:
      return _ ("bound (UDP)");
    case PTL_STATE_ESTABLISHED:
      return _ ("connected");
    case PTL_STATE_TIME_WAIT:
      return _ ("closing (TIME_WAIT)");
    default:
      return ptl_state_name (state);
    }
}

/* The first listener on @port and its first owner (NULL when hidden). */
static const PtlSocket *
find_listener (const PtlSocketTable *t, unsigned port, const PtlProcess **owner)
{
  *owner = NULL;
  for (size_t i = 0; i < t->len; i++)
    if (t->rows[i].local_port == port && is_listener (&t->rows[i]))
      {
        if (t->rows[i].n_owners > 0)
          *owner = ptl_socket_owner (t, &t->rows[i], 0);
        return &t->rows[i];
      }
  return NULL;
}

static char *
listener_title (const PtlSocket *s, const PtlProcess *owner)
{
  if (owner)
    return g_strdup_printf (_ ("In use: %s (PID %ld) is listening"), owner->name, owner->pid);
  if (s->user[0])
    return g_strdup_printf (_ ("In use: a program of user %s is listening"), s->user);
  return g_strdup (_ ("In use: a program is listening"));
}

/* Title, detail and CSS class of the banner, in order of what matters. */
static void
status_text (const PtlReportSet *set, const PtlPortReport *r, char **title, char **detail,
             const char **css)
{
  const PtlProcess *owner;
  const PtlSocket *l = find_listener (&set->table, r->port, &owner);

  *css = "status-busy";
  if (r->port == 0 && r->n_sockets == 0)
    {
      *css = "status-warning";
      *title = g_strdup (_ ("Port 0 is not a usable port"));
      *detail = g_strdup (ptl_tr (ptl_port_zero_note));
    }
  else if (l)
    {
      *title = listener_title (l, owner);
      *detail = g_strdup_printf (_ ("Another program cannot listen on port %u until this one "
                                    "stops."),
                                 r->port);
    }
  else if (r->n_sockets > 0)
    {
      *title = g_strdup_printf (
          ngettext ("In use by %zu connection", "In use by %zu connections", r->n_sockets),
          r->n_sockets);
      *detail = g_strdup_printf (_ ("No program listens on port %u; these connections use it as "
                                    "their local port."),
                                 r->port);
    }
  else if (r->bind_tcp == PTL_BIND_RESERVED || r->bind_udp == PTL_BIND_RESERVED)
    {
      *css = "status-warning";
      *title = g_strdup (_ ("Reserved by the system"));
      *detail = g_strdup_printf (_ ("Nothing listens on port %u, but the system keeps it for "
                                    "itself (an excluded port range): binding it fails."),
                                 r->port);
    }
  else if (!r->free_tcp || !r->free_udp)
    {
      *title = g_strdup (_ ("In use, but the owner is not visible here"));
      *detail = g_strdup (_ ("Binding the port failed, yet no socket on it is visible: it may "
                             "belong to a container or another network namespace."));
    }
  else if (r->in_ephemeral)
    {
      *css = "status-warning";
      *title = g_strdup (_ ("Free, but inside this computer’s ephemeral range"));
      *detail = g_strdup_printf (_ ("Outgoing connections borrow ports %u–%u, so one of them may "
                                    "take port %u before your server starts."),
                                 set->rules.ephemeral_first, set->rules.ephemeral_last, r->port);
    }
  else if (r->bind_tcp == PTL_BIND_NEEDS_PRIVILEGE || r->bind_udp == PTL_BIND_NEEDS_PRIVILEGE)
    {
      *css = "status-warning";
      *title = g_strdup (_ ("Free, but binding it needs administrator rights"));
      *detail = g_strdup_printf (_ ("Nothing on this computer is using port %u, but ports below "
                                    "%u need root (or CAP_NET_BIND_SERVICE) to listen on."),
                                 r->port, set->rules.unprivileged_start);
    }
  else
    {
      *css = "status-free";
      *title = g_strdup (_ ("Free"));
      *detail = g_strdup_printf (_ ("Nothing on this computer is using port %u. A program can "
                                    "listen on it now (tested by binding TCP and UDP, IPv4 and "
                                    "IPv6)."),
                                 r->port);
    }
}

GtkWidget *
portolan_port_status_new (const PtlReportSet *set, const PtlPortReport *r, GtkWidget *extra)
{
  /* The answer to the user's question: a status to assistive technology,
   * named by its title and described by its detail; its title is the
   * page's first Tab stop. */
  GtkWidget *box = g_object_new (GTK_TYPE_BOX, "orientation", GTK_ORIENTATION_HORIZONTAL, "spacing",
                                 16, "accessible-role", GTK_ACCESSIBLE_ROLE_STATUS, NULL);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  g_autofree char *title = NULL, *detail = NULL;
  const char *css;
  GtkWidget *icon, *t;

  status_text (set, r, &title, &detail, &css);
  icon = gtk_image_new_from_icon_name (g_str_equal (css, "status-free") ? "emblem-ok-symbolic"
                                       : g_str_equal (css, "status-busy")
                                           ? "network-transmit-receive-symbolic"
                                           : "dialog-warning-symbolic");
  gtk_image_set_pixel_size (GTK_IMAGE (icon), 32);
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), icon);
  t = portolan_text_new (title, "status-title");
  /* Selectable, so the title is a Tab stop of its own, the page's first. */
  gtk_label_set_selectable (GTK_LABEL (t), TRUE);
  gtk_box_append (GTK_BOX (text), t);
  gtk_box_append (GTK_BOX (text), portolan_text_new (detail, NULL));
  if (r->n_elsewhere > 0)
    gtk_box_append (GTK_BOX (text),
                    portolan_text_new (_ ("It is also used inside a container or another network "
                                          "namespace (below), which does not take it here."),
                                       "dim-label"));
  if (extra != NULL)
    gtk_box_append (GTK_BOX (text), extra);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (box), text);
  gtk_widget_add_css_class (box, "status-banner");
  gtk_widget_add_css_class (box, css);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, detail, -1);
  return box;
}

static const char *
bind_word (PtlBindResult b)
{
  switch (b)
    {
    case PTL_BIND_FREE:
      return _ ("free");
    case PTL_BIND_IN_USE:
      return _ ("in use");
    case PTL_BIND_NEEDS_PRIVILEGE:
      return _ ("needs administrator rights");
    case PTL_BIND_UNAVAILABLE:
      return _ ("not available here");
    case PTL_BIND_RESERVED:
      return _ ("reserved by the system");
    default:
      return _ ("failed");
    }
}

static char *
socket_line (const PtlSocket *s)
{
  g_autofree char *proto = g_ascii_strup (ptl_proto_name (s->proto), -1);
  const char *fam = s->family == PTL_FAMILY_IPV6 ? "IPv6" : "IPv4";
  gboolean v6 = s->family == PTL_FAMILY_IPV6;

  if (s->remote_port == 0)
    return g_strdup_printf ("%s %s · %s · %s%s%s:%u", proto, fam, state_title (s->state),
                            v6 ? "[" : "", s->local_address, v6 ? "]" : "", s->local_port);
  return g_strdup_printf ("%s %s · %s · %s%s%s:%u → %s%s%s:%u", proto, fam, state_title (s->state),
                          v6 ? "[" : "", s->local_address, v6 ? "]" : "", s->local_port,
                          v6 ? "[" : "", s->remote_address, v6 ? "]" : "", s->remote_port);
}

static void
add_detail (GtkGrid *grid, int row, const char *name, const char *value, gboolean mono)
{
  GtkWidget *n = gtk_label_new (name);
  GtkWidget *v = portolan_text_new (value[0] ? value : _ ("unknown"), mono ? "monospace" : NULL);

  gtk_label_set_xalign (GTK_LABEL (n), 0);
  gtk_widget_set_valign (n, GTK_ALIGN_START);
  gtk_widget_add_css_class (n, "dim-label");
  /* As wide as the text wants (a path is one line when there is room); it
   * wraps only when the row is narrower. */
  gtk_label_set_max_width_chars (GTK_LABEL (v), 400);
  /* Selectable with the mouse; the keyboard copies with the row's button. */
  gtk_label_set_selectable (GTK_LABEL (v), TRUE);
  gtk_widget_set_focusable (v, FALSE);
  gtk_widget_set_hexpand (v, TRUE);
  gtk_grid_attach (grid, n, 0, row, 1, 1);
  gtk_grid_attach (grid, v, 1, row, 1, 1);
}

typedef struct
{
  guint port;
  PtlProcess proc; /* strings borrowed from the report set the page keeps */
  GtkWidget *owner;
  PortolanEndedFunc done;
} EndClosure;

static void
end_clicked_cb (GtkButton *button, EndClosure *c)
{
  portolan_end_process_ask (c->owner, c->port, &c->proc, c->done);
}

static GtkWidget *
row_buttons (const PtlSocket *s, const PtlProcess *p, guint port, const char *copy_text,
             GtkWidget *owner, PortolanEndedFunc done)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *end;
  EndClosure *c;

  gtk_widget_set_valign (box, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (box), portolan_copy_button_new (copy_text, _ ("Copy these details")));
  /* No @done: a socket of another network namespace, which the check
   * before ending (in this namespace) could not find again. */
  if (p == NULL || p->pid <= 0 || done == NULL)
    return box;
  end = gtk_button_new_with_mnemonic (_ ("_End Process…"));
  portolan_accessible_name (end, _ ("_End Process…"));
  /* In a narrow window a long translation ("Terminer le processus…") goes
   * onto two lines instead of squeezing the process's name beside it. */
  if (GTK_IS_LABEL (gtk_button_get_child (GTK_BUTTON (end))))
    {
      gtk_label_set_wrap (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (end))), TRUE);
      gtk_label_set_justify (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (end))),
                             GTK_JUSTIFY_CENTER);
    }
  c = g_new0 (EndClosure, 1);
  *c = (EndClosure){ port, *p, owner, done };
  g_object_set_data_full (G_OBJECT (end), "closure", c, g_free);
  g_signal_connect (end, "clicked", G_CALLBACK (end_clicked_cb), c);
  if (portolan_end_process_refusal (p->pid))
    gtk_widget_set_tooltip_text (end, portolan_end_process_refusal (p->pid));
  gtk_box_append (GTK_BOX (box), end);
  (void) s;
  return box;
}

/* The core's owner notes are lower case for table columns; as a row's
 * title they start with a capital. */
static char *
note_title (const char *note)
{
  const char *text = note ? ptl_tr (note) : _ ("Owner unknown");
  gunichar first = g_utf8_get_char (text);
  char buf[8];
  int n = g_unichar_to_utf8 (g_unichar_totitle (first), buf);

  return g_strdup_printf ("%.*s%s", n, buf, g_utf8_next_char (text));
}

/* One "Name: value" line of the details, and the same line for Copy. */
static void
add_context (GtkGrid *grid, int *row, GString *copy, const char *name, PtlBuf *value)
{
  if (value->len == 0)
    return;
  add_detail (grid, (*row)++, name, ptl_buf_str (value), FALSE);
  g_string_append_printf (copy, "\n%s: %s", name, ptl_buf_str (value));
  ptl_buf_clear (value);
}

/* Where the process or the socket lives, and what was seen of a missing
 * owner: unit, container, relay, thread, namespace, particulars. */
static void
add_context_rows (GtkGrid *grid, int row, GString *copy, const PtlSocketTable *t,
                  const PtlSocket *s, const PtlProcess *p)
{
  PtlBuf v;

  ptl_buf_init (&v);
  if (p && p->unit[0])
    ptl_describe_units (p, &v);
  else if (p == NULL && s->unit)
    ptl_buf_puts (&v, s->unit);
  add_context (grid, &row, copy, _ ("Unit"), &v);
  if (p && p->container.engine != PTL_ENGINE_NONE)
    ptl_describe_container (&p->container, &v);
  add_context (grid, &row, copy, _ ("Container"), &v);
  if (p && p->relay.proto)
    ptl_describe_relay (&p->relay, &v);
  add_context (grid, &row, copy, _ ("Relay"), &v);
  if (p && p->thread)
    ptl_buf_printf (&v, p->main_thread_exited ? _ ("%ld (the main thread has exited)") : "%ld",
                    p->thread);
  add_context (grid, &row, copy, _ ("Held by thread"), &v);
  if (s->netns)
    ptl_describe_netns (ptl_socket_netns (t, s), &v);
  add_context (grid, &row, copy, _ ("Namespace"), &v);
  if (p == NULL && s->owner_detail)
    ptl_buf_puts (&v, s->owner_detail);
  add_context (grid, &row, copy, _ ("Seen"), &v);
  ptl_buf_clear (&v);
}

/* The buttons sit beside the title and the socket line only: the details
 * under them get the card's whole width, so a path or a command line
 * wraps only when the card itself is narrower than it. */
GtkWidget *
portolan_port_socket_row (const PtlSocketTable *t, const PtlSocket *s, const PtlProcess *p,
                          guint port, GtkWidget *owner, PortolanEndedFunc done)
{
  GtkWidget *row = portolan_card_row_box_new ();
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *heads = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *grid = gtk_grid_new ();
  g_autofree char *title
      = p ? g_strdup_printf (_ ("%s (PID %ld)"), p->name, p->pid) : note_title (s->owner_note);
  g_autofree char *line = socket_line (s);
  g_autoptr (GString) copy = g_string_new (NULL);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (row), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (row), 4);
  gtk_box_append (GTK_BOX (heads), portolan_text_new (title, "row-title"));
  gtk_box_append (GTK_BOX (heads), portolan_text_new (line, "dim-label"));
  gtk_widget_set_hexpand (heads, TRUE);
  gtk_box_append (GTK_BOX (top), heads);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 2);
  add_detail (GTK_GRID (grid), 0, _ ("User"), p ? p->user : s->user, FALSE);
  if (p)
    {
      add_detail (GTK_GRID (grid), 1, _ ("Path"), p->path, TRUE);
      add_detail (GTK_GRID (grid), 2, _ ("Command line"), p->cmdline, TRUE);
      g_string_printf (copy, "%s\n%s\nuser %s\n%s\n%s", title, line, p->user, p->path, p->cmdline);
    }
  else
    g_string_printf (copy, "%s\n%s\nuser %s", title, line, s->user);
  /* The context rows add their lines to Copy too, so the buttons come after. */
  add_context_rows (GTK_GRID (grid), p ? 3 : 1, copy, t, s, p);
  gtk_box_append (GTK_BOX (top), row_buttons (s, p, port, copy->str, owner, done));
  gtk_box_append (GTK_BOX (row), top);
  gtk_box_append (GTK_BOX (row), grid);
  return row;
}

GtkWidget *
portolan_port_machine_section (const PtlReportSet *set, const PtlPortReport *r, GtkWidget *owner,
                               PortolanEndedFunc done, PortolanShowAllFunc show_all)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  g_autofree char *bind = g_strdup_printf (_ ("Bind test on all addresses (IPv4 and IPv6): TCP %s, "
                                              "UDP %s."),
                                           bind_word (r->bind_tcp), bind_word (r->bind_udp));

  if (r->port == 0 && r->n_sockets == 0)
    {
      gtk_box_append (GTK_BOX (box),
                      portolan_text_new (ptl_tr (ptl_port_zero_note), "empty-state"));
      return portolan_section_new (_ ("On This Machine"), box);
    }
  if (r->n_sockets == 0)
    {
      g_autofree char *empty
          = g_strdup_printf (_ ("Nothing on this computer is using port %u."), r->port);
      gtk_box_append (GTK_BOX (box), portolan_text_new (empty, "empty-state"));
    }
  else
    gtk_box_append (GTK_BOX (box),
                    portolan_port_sockets_new (&set->table, r, owner, done, show_all));
  gtk_box_append (GTK_BOX (box), portolan_text_new (bind, "dim-label"));
  for (size_t i = 0; i < set->table.n_notes; i++)
    gtk_box_append (GTK_BOX (box), portolan_text_new (ptl_tr (set->table.notes[i]), "dim-label"));
  return portolan_section_new (_ ("On This Machine"), box);
}

char *
portolan_port_use_summary (const PtlReportSet *set, const PtlPortReport *r, gboolean *in_use)
{
  const PtlProcess *owner;
  const PtlSocket *l = find_listener (&set->table, r->port, &owner);

  *in_use = TRUE;
  if (r->port == 0 && r->n_sockets == 0)
    return g_strdup (_ ("Not a usable port"));
  if (l && owner)
    return g_strdup_printf (_ ("In use: %s (PID %ld)"), owner->name, owner->pid);
  if (l)
    return g_strdup (_ ("In use: owner hidden"));
  if (r->n_sockets > 0)
    return g_strdup_printf (
        ngettext ("In use by %zu connection", "In use by %zu connections", r->n_sockets),
        r->n_sockets);
  if (!r->free_tcp || !r->free_udp)
    return g_strdup (_ ("In use (owner not visible)"));
  *in_use = FALSE;
  return g_strdup (_ ("Free"));
}
