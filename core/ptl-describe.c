/* ptl-describe.c: the phrases for who holds a socket (ptl-describe.h). */
#include "ptl-describe.h"

#include "ptl-i18n.h"

#include <string.h>

/* Docker's own short form of an id: its first 12 characters. */
#define SHORT_ID 12

void
ptl_describe_container (const PtlContainer *c, PtlBuf *out)
{
  if (c->name[0])
    ptl_buf_printf (out, "%s (%s %.*s)", c->name, ptl_engine_name (c->engine), SHORT_ID, c->id);
  else
    ptl_buf_printf (out, "%s %.*s", ptl_engine_name (c->engine), SHORT_ID, c->id);
  if (c->pod[0])
    ptl_buf_printf (out, ptl_tr (" in pod %s"), c->pod);
}

void
ptl_describe_netns (const PtlNetns *ns, PtlBuf *out)
{
  PtlBuf c;

  if (ns == NULL)
    ptl_buf_puts (out, ptl_tr ("this network namespace"));
  else if (ns->container.engine != PTL_ENGINE_NONE)
    {
      ptl_buf_init (&c);
      ptl_describe_container (&ns->container, &c);
      /* TRANSLATORS: "container web (docker 0123456789ab)". */
      ptl_buf_printf (out, ptl_tr ("container %s"), ptl_buf_str (&c));
      ptl_buf_clear (&c);
    }
  else if (ns->name[0])
    ptl_buf_printf (out, "ip netns %s", ns->name);
  else
    ptl_buf_printf (out, ptl_tr ("network namespace net:[%llu]"), (unsigned long long) ns->id);
}

void
ptl_describe_relay (const PtlRelay *r, PtlBuf *out)
{
  const char *proto = ptl_proto_name (r->proto);

  if (r->container.engine != PTL_ENGINE_NONE)
    {
      if (r->port)
        /* TRANSLATORS: "publishes container web (0123456789ab) port 80/tcp". */
        ptl_buf_printf (out, ptl_tr ("publishes container %s (%.*s) port %u/%s"),
                        r->container.name[0] ? r->container.name : "?", SHORT_ID, r->container.id,
                        r->port, proto);
      else
        ptl_buf_printf (out, ptl_tr ("publishes container %s (%.*s)"),
                        r->container.name[0] ? r->container.name : "?", SHORT_ID, r->container.id);
      return;
    }
  if (r->port)
    /* TRANSLATORS: "relays to 172.17.0.2 port 80/tcp". */
    ptl_buf_printf (out, ptl_tr ("relays to %s port %u/%s"),
                    r->address[0] ? r->address : ptl_tr ("a container"), r->port, proto);
  else
    ptl_buf_printf (out, ptl_tr ("relays to %s"),
                    r->address[0] ? r->address : ptl_tr ("a container"));
}

void
ptl_describe_owner_note (const PtlSocket *s, PtlBuf *out)
{
  if (s->owner_note == NULL)
    {
      ptl_buf_puts (out, "-");
      return;
    }
  ptl_buf_puts (out, ptl_tr (s->owner_note));
  if (s->owner_detail)
    ptl_buf_printf (out, " (%s)", s->owner_detail);
  /* TIME_WAIT and request sockets report uid 0 whoever made them. */
  else if (s->inode != 0 && s->user[0])
    ptl_buf_printf (out, ptl_tr (" (socket of user %s)"), s->user);
}

void
ptl_describe_units (const PtlProcess *p, PtlBuf *out)
{
  if (p->user_unit[0])
    /* TRANSLATORS: "app.service in user@1000.service". */
    ptl_buf_printf (out, ptl_tr ("%s in %s"), p->user_unit, p->unit);
  else
    ptl_buf_puts (out, p->unit);
}

void
ptl_describe_other_namespaces (const PtlSocketTable *table, const char *how, PtlBuf *out)
{
  long n = table->n_other_netns;

  if (n <= 0)
    return;
  if (table->other_netns_need_root)
    /* Without root, only what processes and ip netns names show is
     * counted: there are at least that many. */
    ptl_buf_printf (out,
                    ptl_ntr ("At least %ld other network namespace (containers, ip netns) exists; "
                             "reading their sockets needs root.",
                             "At least %ld other network namespaces (containers, ip netns) exist; "
                             "reading their sockets needs root.",
                             (unsigned long) n),
                    n);
  else if (!table->other_netns_read && how)
    /* TRANSLATORS: the last %s says how to see them: "'list --all-namespaces' shows the
       sockets there". */
    ptl_buf_printf (out,
                    ptl_ntr ("%ld other network namespace (containers, ip netns) exists; %s.",
                             "%ld other network namespaces (containers, ip netns) exist; %s.",
                             (unsigned long) n),
                    n, how);
  else if (!table->other_netns_read)
    ptl_buf_printf (out,
                    ptl_ntr ("%ld other network namespace (containers, ip netns) exists.",
                             "%ld other network namespaces (containers, ip netns) exist.",
                             (unsigned long) n),
                    n);
}
