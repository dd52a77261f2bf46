/* portolan-port-sockets.c: the sockets on one port in the Port view.
 *
 * A port used by a handful of sockets shows each in full. A busy port (a
 * server with thousands of connections) would need thousands of widgets,
 * which froze the window for minutes and took a gigabyte: past
 * FULL_MAX the sockets are summarised instead, grouped by owner, state
 * and remote address with a count each, the first few in full, and a
 * button that opens the Connections view filtered to the port. The
 * grouping is one pass over the rows with a hash table.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "portolan-port-machine.h"
#include "portolan-port-sections.h"
#include "ptl-i18n.h"

/* Up to this many socket rows (one per owner) each show in full. */
#define FULL_MAX 12
/* A summary shows this many sockets in full, listeners first. */
#define FIRST_FEW 3
/* And at most this many groups; the rest are counted in one line. */
#define GROUPS_MAX 8

typedef struct
{
  const PtlSocket *first;
  const PtlProcess *owner; /* the first owner, or NULL */
  size_t count;
} Group;

static gboolean
on_port (const PtlSocket *s, guint port)
{
  return s->local_port == port;
}

static gboolean
is_connected (const PtlSocket *s)
{
  return s->remote_port != 0;
}

/* Owner, state and remote address: what a person tells groups apart by. */
static char *
group_key (const PtlSocketTable *t, const PtlSocket *s)
{
  const PtlProcess *p = s->n_owners ? ptl_socket_owner (t, s, 0) : NULL;

  return g_strdup_printf ("%ld/%s/%d/%s", p ? p->pid : 0L,
                          p ? "" : (s->owner_note ? s->owner_note : ""), (int) s->state,
                          is_connected (s) ? s->remote_address : "");
}

static gint
group_cmp (gconstpointer a, gconstpointer b)
{
  const Group *ga = *(const Group *const *) a, *gb = *(const Group *const *) b;

  if (ga->count != gb->count)
    return ga->count > gb->count ? -1 : 1;
  return ga->first < gb->first ? -1 : ga->first > gb->first;
}

/* The groups of @port's sockets, largest first (ties: table order). */
static GPtrArray *
group_sockets (const PtlSocketTable *t, guint port)
{
  g_autoptr (GHashTable) by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *groups = g_ptr_array_new_with_free_func (g_free);

  for (size_t i = 0; i < t->len; i++)
    {
      const PtlSocket *s = &t->rows[i];
      char *key;
      Group *g;

      if (!on_port (s, port))
        continue;
      key = group_key (t, s);
      g = g_hash_table_lookup (by_key, key);
      if (g == NULL)
        {
          g = g_new0 (Group, 1);
          *g = (Group){ s, s->n_owners ? ptl_socket_owner (t, s, 0) : NULL, 0 };
          g_ptr_array_add (groups, g);
          g_hash_table_insert (by_key, key, g);
        }
      else
        g_free (key);
      g->count++;
    }
  g_ptr_array_sort (groups, group_cmp);
  return groups;
}

/* "9000 connections ESTABLISHED from 127.0.0.1, held by srv (PID 42)":
 * one sentence per case, whole, so a translation can reorder it. */
static char *
group_text (const Group *g)
{
  const PtlSocket *s = g->first;
  const char *state = ptl_state_name (s->state);
  const char *note = s->owner_note ? ptl_tr (s->owner_note) : _ ("owner unknown");
  gulong n = (gulong) g->count;

  if (g->owner && is_connected (s))
    return g_strdup_printf (ngettext ("%lu connection %s from %s, held by %s (PID %ld)",
                                      "%lu connections %s from %s, held by %s (PID %ld)", n),
                            n, state, s->remote_address, g->owner->name, g->owner->pid);
  if (g->owner)
    return g_strdup_printf (
        ngettext ("%lu socket %s, held by %s (PID %ld)", "%lu sockets %s, held by %s (PID %ld)", n),
        n, state, g->owner->name, g->owner->pid);
  if (is_connected (s))
    return g_strdup_printf (
        ngettext ("%lu connection %s from %s (%s)", "%lu connections %s from %s (%s)", n), n, state,
        s->remote_address, note);
  return g_strdup_printf (ngettext ("%lu socket %s (%s)", "%lu sockets %s (%s)", n), n, state,
                          note);
}

static GtkWidget *
groups_list (GPtrArray *groups)
{
  GtkWidget *list = portolan_card_list_new ();
  guint shown = MIN (groups->len, GROUPS_MAX);
  gulong rest = 0;

  for (guint i = 0; i < shown; i++)
    {
      g_autofree char *text = group_text (g_ptr_array_index (groups, i));

      gtk_box_append (GTK_BOX (list), portolan_card_row_new (text, NULL, NULL));
    }
  for (guint i = shown; i < groups->len; i++)
    rest += (gulong) ((Group *) g_ptr_array_index (groups, i))->count;
  if (rest > 0)
    {
      g_autofree char *text
          = g_strdup_printf (ngettext ("%lu more socket in smaller groups",
                                       "%lu more sockets in smaller groups", rest),
                             rest);
      gtk_box_append (GTK_BOX (list), portolan_card_row_new (text, NULL, NULL));
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Sockets on this port, grouped"), -1);
  return list;
}

static void
append_socket (GtkWidget *list, const PtlSocketTable *t, const PtlSocket *s, guint port,
               GtkWidget *owner, PortolanEndedFunc done)
{
  if (s->n_owners == 0)
    gtk_box_append (GTK_BOX (list), portolan_port_socket_row (t, s, NULL, port, owner, done));
  for (size_t k = 0; k < s->n_owners; k++)
    gtk_box_append (GTK_BOX (list),
                    portolan_port_socket_row (t, s, ptl_socket_owner (t, s, k), port, owner, done));
}

/* The first @max sockets on @port, listeners before connections. */
static GtkWidget *
first_sockets (const PtlSocketTable *t, guint port, size_t max, GtkWidget *owner,
               PortolanEndedFunc done)
{
  GtkWidget *list = portolan_card_list_new ();
  size_t n = 0;

  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < t->len && n < max; i++)
      {
        const PtlSocket *s = &t->rows[i];

        if (!on_port (s, port) || is_connected (s) != (pass == 1))
          continue;
        append_socket (list, t, s, port, owner, done);
        n++;
      }
  return list;
}

static size_t
count_rows (const PtlSocketTable *t, guint port)
{
  size_t n = 0;

  for (size_t i = 0; i < t->len; i++)
    if (on_port (&t->rows[i], port))
      n += MAX (t->rows[i].n_owners, 1);
  return n;
}

typedef struct
{
  GtkWidget *owner;
  guint port;
  PortolanShowAllFunc show_all;
} ShowAll;

static void
show_all_clicked_cb (GtkButton *button, ShowAll *c)
{
  c->show_all (c->owner, c->port);
}

static GtkWidget *
show_all_button (const PtlPortReport *r, GtkWidget *owner, PortolanShowAllFunc show_all)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (_ ("_Show All in Connections"));

  portolan_accessible_name (button, _ ("_Show All in Connections"));
  ShowAll *c = g_new0 (ShowAll, 1);
  g_autofree char *tip
      = g_strdup_printf (ngettext ("Open the Connections view filtered to port %u (%lu socket)",
                                   "Open the Connections view filtered to port %u (%lu sockets)",
                                   (gulong) r->n_sockets),
                         r->port, (gulong) r->n_sockets);

  *c = (ShowAll){ owner, r->port, show_all };
  g_object_set_data_full (G_OBJECT (button), "closure", c, g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (show_all_clicked_cb), c);
  gtk_widget_set_tooltip_text (button, tip);
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_widget_add_css_class (button, "show-all");
  return button;
}

static GtkWidget *
summary_new (const PtlSocketTable *t, const PtlPortReport *r, GtkWidget *owner,
             PortolanEndedFunc done, PortolanShowAllFunc show_all)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  g_autoptr (GPtrArray) groups = group_sockets (t, r->port);
  g_autofree char *intro = g_strdup_printf (
      ngettext ("%lu socket uses port %u. Here they are grouped by process, state and remote "
                "address, and the first few in full.",
                "%lu sockets use port %u. Here they are grouped by process, state and remote "
                "address, and the first few in full.",
                (gulong) r->n_sockets),
      (gulong) r->n_sockets, r->port);

  gtk_box_append (GTK_BOX (box), portolan_text_new (intro, NULL));
  gtk_box_append (GTK_BOX (box), groups_list (groups));
  gtk_box_append (GTK_BOX (box), first_sockets (t, r->port, FIRST_FEW, owner, done));
  if (show_all)
    gtk_box_append (GTK_BOX (box), show_all_button (r, owner, show_all));
  return box;
}

GtkWidget *
portolan_port_sockets_new (const PtlSocketTable *t, const PtlPortReport *r, GtkWidget *owner,
                           PortolanEndedFunc done, PortolanShowAllFunc show_all)
{
  if (count_rows (t, r->port) > FULL_MAX)
    return summary_new (t, r, owner, done, show_all);
  return first_sockets (t, r->port, G_MAXSIZE, owner, done);
}
