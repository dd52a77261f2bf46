/* portolan-port-namespaces.c: the Port view's section for the port inside
 * containers and other network namespaces: what listens there (read as
 * root), or how many such namespaces exist and that reading them needs
 * root. Those sockets do not take the port on this host, so the status
 * banner and the bind test above stay this namespace's. */
#include "config.h"

#include <glib/gi18n.h>

#include "portolan-port-machine.h"
#include "portolan-port-sections.h"
#include "ptl-describe.h"

/* Each socket on @port with each of its owners, or its note. */
static void
add_rows (GtkWidget *list, const PtlSocketTable *t, guint port)
{
  for (size_t i = 0; i < t->len; i++)
    {
      const PtlSocket *s = &t->rows[i];

      if (s->local_port != port)
        continue;
      /* No End Process…: the check before ending looks in this namespace. */
      if (s->n_owners == 0)
        gtk_box_append (GTK_BOX (list), portolan_port_socket_row (t, s, NULL, port, NULL, NULL));
      for (size_t k = 0; k < s->n_owners; k++)
        gtk_box_append (GTK_BOX (list), portolan_port_socket_row (t, s, ptl_socket_owner (t, s, k),
                                                                  port, NULL, NULL));
    }
}

GtkWidget *
portolan_port_namespaces_section (const PtlReportSet *set, const PtlPortReport *r)
{
  const PtlSocketTable *t = &set->elsewhere;
  GtkWidget *box, *list;
  g_autofree char *text = NULL;
  PtlBuf needs;

  if (t->n_other_netns <= 0)
    return NULL;
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  if (!t->other_netns_read)
    {
      ptl_buf_init (&needs);
      ptl_describe_other_namespaces (t, NULL, &needs);
      gtk_box_append (GTK_BOX (box), portolan_text_new (ptl_buf_str (&needs), "empty-state"));
      ptl_buf_clear (&needs);
    }
  else if (r->n_elsewhere == 0)
    {
      text = g_strdup_printf (ngettext ("Nothing uses port %u in the other network namespace.",
                                        "Nothing uses port %u in the %ld other network "
                                        "namespaces.",
                                        (gulong) t->n_other_netns),
                              r->port, t->n_other_netns);
      gtk_box_append (GTK_BOX (box), portolan_text_new (text, "empty-state"));
    }
  else
    {
      list = portolan_card_list_new ();
      add_rows (list, t, r->port);
      gtk_box_append (GTK_BOX (box), list);
      text = g_strdup_printf (_ ("These do not take port %u on this computer: they are reached at "
                                 "its addresses only when published (as docker run -p does)."),
                              r->port);
      gtk_box_append (GTK_BOX (box), portolan_text_new (text, "dim-label"));
    }
  return portolan_section_new (_ ("Inside Containers and Other Network Namespaces"), box);
}
