/* ptl-format-text-where.c: the text report's words for where a process
 * and a socket live: unit, container, thread, relay, and the section for
 * containers and other network namespaces. */
#include "ptl-report.h"

#include "ptl-describe.h"
#include "ptl-format-text-private.h"
#include "ptl-i18n.h"

#include <stdio.h>

/* One "label: text" line under a process, @text untrusted. */
static void
process_line (PtlBuf *out, const char *label, PtlBuf *text)
{
  ptl_text_wrap_untrusted (out, 9, label, ptl_buf_str (text));
  ptl_buf_clear (text);
}

/* Where the process lives: its unit, its container, the thread that holds
 * the socket, and what it relays. */
void
ptl_text_process_context (PtlBuf *out, const PtlProcess *p)
{
  PtlBuf text;

  ptl_buf_init (&text);
  if (p->unit[0])
    {
      ptl_describe_units (p, &text);
      process_line (out, ptl_tr ("unit: "), &text);
    }
  if (p->container.engine != PTL_ENGINE_NONE)
    {
      ptl_describe_container (&p->container, &text);
      process_line (out, ptl_tr ("in container "), &text);
    }
  if (p->thread)
    {
      ptl_buf_printf (&text,
                      p->main_thread_exited
                          ? ptl_tr ("%ld (the main thread has exited)")
                          : ptl_tr ("%ld, whose fd table is not the main thread's"),
                      p->thread);
      /* TRANSLATORS: followed by "4242 (the main thread has exited)". */
      process_line (out, ptl_tr ("held by thread "), &text);
    }
  if (p->relay.proto)
    {
      ptl_describe_relay (&p->relay, &text);
      ptl_buf_puts (&text, ptl_tr (" (a relay: the program that serves the port runs in the "
                                   "container)"));
      process_line (out, "", &text);
    }
}

/* One socket inside a container or another namespace: "httpd (PID 12) in
 * container web (docker 5115e0907c6c) listens on tcp6 [::]:8080". */
static void
text_elsewhere_socket (PtlBuf *out, const PtlSocketTable *t, const PtlSocket *s)
{
  char local[PTL_ADDR_MAX + 10], endpoint[PTL_ADDR_MAX + 24];
  PtlBuf line, who, where;

  ptl_buf_init (&line);
  ptl_buf_init (&who);
  ptl_buf_init (&where);
  for (size_t i = 0; i < s->n_owners; i++)
    {
      const PtlProcess *p = ptl_socket_owner (t, s, i);
      ptl_buf_printf (&who, "%s%s (PID %ld)", i ? ", " : "", p->name, p->pid);
    }
  if (s->n_owners == 0)
    ptl_describe_owner_note (s, &who);
  ptl_describe_netns (ptl_socket_netns (t, s), &where);
  ptl_text_endpoint (local, sizeof local, s->local_address, s->local_port, false);
  snprintf (endpoint, sizeof endpoint, "%s%s %s", ptl_proto_name (s->proto),
            s->family == PTL_FAMILY_IPV6 ? "6" : "4", local);
  if (s->state == PTL_STATE_LISTEN)
    /* TRANSLATORS: "httpd (PID 12) in container web (docker 0123456789ab) listens on tcp4
       0.0.0.0:80". */
    ptl_buf_printf (&line, ptl_tr ("%s in %s listens on %s"), ptl_buf_str (&who),
                    ptl_buf_str (&where), endpoint);
  else
    /* TRANSLATORS: "curl (PID 12) in container web (docker 0123456789ab) has tcp4
       172.17.0.2:41000 (ESTABLISHED)". */
    ptl_buf_printf (&line, ptl_tr ("%s in %s has %s (%s)"), ptl_buf_str (&who),
                    ptl_buf_str (&where), endpoint, ptl_state_name (s->state));
  ptl_text_wrap_untrusted (out, 2, "", ptl_buf_str (&line));
  ptl_buf_clear (&line);
  ptl_buf_clear (&who);
  ptl_buf_clear (&where);
}

/* What the port is inside containers and other network namespaces: not
 * this machine's port, so the bind test above does not see it. */
void
ptl_text_elsewhere (PtlBuf *out, const PtlReportSet *set, const PtlPortReport *r)
{
  const PtlSocketTable *t = &set->elsewhere;
  PtlBuf line;

  if (t->n_other_netns <= 0)
    return;
  ptl_text_heading (out, ptl_tr ("Inside containers and other network namespaces"));
  ptl_buf_init (&line);
  if (!t->other_netns_read)
    {
      ptl_describe_other_namespaces (t, NULL, &line);
      ptl_text_wrap (out, 2, ptl_buf_str (&line));
      ptl_buf_clear (&line);
      return;
    }
  for (size_t i = 0; i < t->len; i++)
    if (t->rows[i].local_port == r->port)
      text_elsewhere_socket (out, t, &t->rows[i]);
  if (r->n_elsewhere == 0)
    ptl_buf_printf (&line,
                    ptl_ntr ("Nothing uses port %u in the %ld other network namespace.",
                             "Nothing uses port %u in the %ld other network namespaces.",
                             (unsigned long) t->n_other_netns),
                    r->port, t->n_other_netns);
  else
    ptl_buf_printf (&line,
                    ptl_tr ("These do not take port %u on this host: they are reached at this "
                            "host's addresses only when published (as docker run -p does)."),
                    r->port);
  ptl_text_wrap (out, 2, ptl_buf_str (&line));
  ptl_buf_clear (&line);
  for (size_t i = 0; i < t->n_notes; i++)
    ptl_text_wrap_untrusted (out, 2, ptl_tr ("Note: "), ptl_tr (t->notes[i]));
}
