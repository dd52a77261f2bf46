/* ptl-describe.c: the phrases for who holds a socket (ptl-describe.h). */
#include "ptl-describe.h"

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
    ptl_buf_printf (out, " in pod %s", c->pod);
}

void
ptl_describe_netns (const PtlNetns *ns, PtlBuf *out)
{
  if (ns == NULL)
    ptl_buf_puts (out, "this network namespace");
  else if (ns->container.engine != PTL_ENGINE_NONE)
    {
      ptl_buf_puts (out, "container ");
      ptl_describe_container (&ns->container, out);
    }
  else if (ns->name[0])
    ptl_buf_printf (out, "ip netns %s", ns->name);
  else
    ptl_buf_printf (out, "network namespace net:[%llu]", (unsigned long long) ns->id);
}

void
ptl_describe_relay (const PtlRelay *r, PtlBuf *out)
{
  const char *proto = ptl_proto_name (r->proto);

  if (r->container.engine != PTL_ENGINE_NONE)
    {
      ptl_buf_printf (out, "publishes container %s (%.*s)",
                      r->container.name[0] ? r->container.name : "?", SHORT_ID, r->container.id);
      if (r->port)
        ptl_buf_printf (out, " port %u/%s", r->port, proto);
      return;
    }
  ptl_buf_printf (out, "relays to %s", r->address[0] ? r->address : "a container");
  if (r->port)
    ptl_buf_printf (out, " port %u/%s", r->port, proto);
}

void
ptl_describe_owner_note (const PtlSocket *s, PtlBuf *out)
{
  if (s->owner_note == NULL)
    {
      ptl_buf_puts (out, "-");
      return;
    }
  ptl_buf_puts (out, s->owner_note);
  if (s->owner_detail)
    ptl_buf_printf (out, " (%s)", s->owner_detail);
  /* TIME_WAIT and request sockets report uid 0 whoever made them. */
  else if (s->inode != 0 && s->user[0])
    ptl_buf_printf (out, " (socket of user %s)", s->user);
}

void
ptl_describe_units (const PtlProcess *p, PtlBuf *out)
{
  if (p->user_unit[0])
    ptl_buf_printf (out, "%s in %s", p->user_unit, p->unit);
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
                    "At least %ld other network namespace%s (containers, ip netns) exist%s; "
                    "reading their sockets needs root.",
                    n, n == 1 ? "" : "s", n == 1 ? "s" : "");
  else if (!table->other_netns_read)
    ptl_buf_printf (out, "%ld other network namespace%s (containers, ip netns) exist%s%s%s.", n,
                    n == 1 ? "" : "s", n == 1 ? "s" : "", how ? "; " : "", how ? how : "");
}
