/* ptl-format-text.c: reports and tables for people at a terminal.
 *
 * Lines stay within 100 columns and read well in 80: long sentences wrap at
 * word boundaries, and untrusted strings (process names, command lines)
 * have control characters replaced so they cannot drive the terminal.
 */
#include "ptl-report.h"

#include "ptl-describe.h"
#include "ptl-format-text-private.h"

#include "ptl-i18n.h"

#include <stdio.h>
#include <string.h>

#define TEXT_WIDTH 100

/* Appends @text, already safe, as if the cursor stood at column @col,
 * wrapping at TEXT_WIDTH; continuation lines start at column @cont. Runs of
 * spaces inside a line are kept (they align columns); at a break they are
 * dropped. Words longer than a line are cut at a character boundary. */
static void
wrap_at (PtlBuf *out, size_t col, size_t cont, const char *text)
{
  const char *p = text;
  bool line_empty = true;

  while (*p)
    {
      size_t spaces = strspn (p, " "), word, wcols, room = TEXT_WIDTH - cont;
      char chunk[TEXT_WIDTH * 4 + 1];

      p += spaces;
      word = ptl_utf8_word (p, strlen (p));
      if (word == 0)
        break;
      if (word > room)
        for (word = room; word > 1 && ((unsigned char) p[word] & 0xC0) == 0x80; word--)
          ;
      memcpy (chunk, p, word);
      chunk[word] = '\0';
      wcols = ptl_utf8_width (chunk);
      if (!line_empty && col + spaces + wcols > TEXT_WIDTH)
        {
          ptl_buf_printf (out, "\n%*s", (int) cont, "");
          col = cont;
          spaces = 0;
        }
      ptl_buf_printf (out, "%*s%s", (int) spaces, "", chunk);
      col += spaces + wcols;
      line_empty = false;
      p += word;
    }
  ptl_buf_puts (out, "\n");
}

static void
wrap_hang (PtlBuf *out, size_t indent, size_t hang, const char *text)
{
  ptl_buf_printf (out, "%*s", (int) indent, "");
  wrap_at (out, indent, indent + hang, text);
}

static void
wrap (PtlBuf *out, size_t indent, const char *text)
{
  wrap_hang (out, indent, 0, text);
}

/* Continuation lines line up after @prefix. */
static void
wrap_untrusted (PtlBuf *out, size_t indent, const char *prefix, const char *text)
{
  PtlBuf safe;

  ptl_buf_init (&safe);
  ptl_buf_puts (&safe, prefix);
  ptl_text_safe (&safe, text);
  wrap_hang (out, indent, ptl_utf8_width (prefix), ptl_buf_str (&safe));
  ptl_buf_clear (&safe);
}

static void
heading (PtlBuf *out, const char *title)
{
  ptl_buf_printf (out, "\n%s\n", title);
}

static void
text_iana (PtlBuf *out, const PtlPortReport *r)
{
  heading (out, ptl_tr ("Official assignment (IANA)"));
  if (r->n_iana == 0)
    ptl_buf_printf (out, ptl_tr ("  None: IANA has not assigned port %u to any service.\n"),
                    r->port);
  for (size_t i = 0; i < r->n_iana; i++)
    {
      const PtlIanaEntry *e = r->iana[i];
      PtlBuf line;

      ptl_buf_init (&line);
      ptl_buf_printf (&line, "%-4s %-16s %s", ptl_proto_name ((PtlProto) e->proto),
                      e->service[0] ? e->service : ptl_tr ("(reserved)"), e->description);
      if (e->first != e->last)
        ptl_buf_printf (&line, ptl_tr (" (range %u-%u)"), e->first, e->last);
      wrap_hang (out, 2, 22, ptl_buf_str (&line));
      ptl_buf_clear (&line);
    }
}

static void
protocols_text (unsigned protos, char *out, size_t size)
{
  size_t n = 0;

  out[0] = '\0';
  for (size_t i = 0; i < PTL_N_PROTOS; i++)
    if ((protos & ptl_protos[i]) && n + 6 < size)
      n += (size_t) snprintf (out + n, size - n, "%s%s", n ? "+" : "",
                              ptl_proto_name (ptl_protos[i]));
}

static void
text_unofficial (PtlBuf *out, const PtlPortReport *r)
{
  heading (out, ptl_tr ("Known unofficial uses"));
  if (r->n_unofficial == 0)
    ptl_buf_puts (out, ptl_tr ("  None that we know of.\n"));
  for (size_t i = 0; i < r->n_unofficial; i++)
    {
      const PtlUnofficial *u = r->unofficial[i];
      char protos[32];
      PtlBuf line;

      protocols_text (u->protos, protos, sizeof protos);
      ptl_buf_init (&line);
      ptl_buf_printf (&line, "%-8s %s - %s", protos, u->use, u->note);
      if (u->first != u->last)
        ptl_buf_printf (&line, " (%u-%u)", u->first, u->last);
      wrap_hang (out, 2, 9, ptl_buf_str (&line));
      ptl_buf_clear (&line);
    }
}

static void
text_related (PtlBuf *out, const PtlPortReport *r)
{
  PtlBuf line;

  if (r->n_related == 0)
    return;
  heading (out, ptl_tr ("Related ports"));
  ptl_buf_init (&line);
  for (size_t i = 0; i < r->n_related; i++)
    {
      ptl_buf_printf (&line, "%s%u", i ? " " : "", r->related_first[i]);
      if (r->related_last[i] != r->related_first[i])
        ptl_buf_printf (&line, "-%u", r->related_last[i]);
    }
  wrap (out, 2, ptl_buf_str (&line));
  ptl_buf_clear (&line);
}

/* The other protocols' own ephemeral ranges, as a sentence. */
static void
text_other_ephemeral (PtlBuf *line, const PtlPortRules *rules)
{
  for (size_t i = 0; i < rules->n_ephemeral_other; i++)
    {
      const char *proto = ptl_proto_name (rules->ephemeral_other[i].proto);
      const char *family = rules->ephemeral_other[i].family == PTL_FAMILY_IPV6 ? "IPv6" : "IPv4";

      /* TRANSLATORS: "Its own range for udp over IPv6: 32768-60999", then
         ", sctp over IPv4: ..." for each other one, and "." at the end. */
      ptl_buf_printf (
          line,
          i ? ptl_tr (", %s over %s: %u-%u") : ptl_tr (" Its own range for %s over %s: %u-%u"),
          proto, family, rules->ephemeral_other[i].first, rules->ephemeral_other[i].last);
    }
  if (rules->n_ephemeral_other)
    ptl_buf_puts (line, ptl_trc ("end of sentence", "."));
}

static void
text_range (PtlBuf *out, const PtlReportSet *set, const PtlPortReport *r)
{
  const PtlPortRules *rules = &set->rules;
  PtlBuf line;

  heading (out, ptl_tr ("The range"));
  wrap (out, 2, ptl_tr (ptl_range_explain (r->range)));
  if (!set->rules_known)
    {
      wrap (out, 2,
            ptl_tr ("This machine's ephemeral range is unknown: the system would not say."));
      return;
    }
  ptl_buf_init (&line);
  ptl_buf_printf (&line,
                  r->in_ephemeral ? ptl_tr ("This machine lends ports %u-%u to outgoing "
                                            "connections (its ephemeral range); port %u is "
                                            "inside it.")
                                  : ptl_tr ("This machine lends ports %u-%u to outgoing "
                                            "connections (its ephemeral range); port %u is "
                                            "outside it."),
                  rules->ephemeral_first, rules->ephemeral_last, r->port);
  text_other_ephemeral (&line, rules);
  if (rules->unprivileged_known)
    ptl_buf_printf (&line, ptl_tr (" Ports below %u need privilege to bind."),
                    rules->unprivileged_start);
  ptl_buf_puts (&line, ptl_tr (" Reserved ports: "));
  for (size_t i = 0; i < rules->n_reserved; i++)
    {
      ptl_buf_printf (&line, "%s%u", i ? ", " : "", rules->reserved[i].first);
      if (rules->reserved[i].last != rules->reserved[i].first)
        ptl_buf_printf (&line, "-%u", rules->reserved[i].last);
    }
  ptl_buf_puts (&line, rules->n_reserved ? ptl_trc ("end of sentence", ".") : ptl_tr ("none."));
  wrap (out, 2, ptl_buf_str (&line));
  ptl_buf_clear (&line);
  for (size_t i = 0; i < r->n_notes; i++)
    if (r->notes[i] != ptl_port_zero_note) /* said under "On this machine" */
      {
        char note[512];

        wrap_untrusted (out, 2, ptl_tr ("Note: "), ptl_report_note (r, i, note, sizeof note));
      }
}

static void
text_process (PtlBuf *out, const PtlProcess *p)
{
  PtlBuf line;

  PtlBuf user;

  ptl_buf_init (&line);
  ptl_buf_init (&user);
  ptl_text_safe (&line, p->name);
  ptl_text_safe (&user, p->user);
  if (p->user[0])
    ptl_buf_printf (&line, ptl_tr (" (PID %ld, user %s)"), p->pid, ptl_buf_str (&user));
  else
    ptl_buf_printf (&line, " (PID %ld)", p->pid);
  wrap_hang (out, 7, 2, ptl_buf_str (&line));
  ptl_buf_clear (&line);
  ptl_buf_clear (&user);
  /* TRANSLATORS: "path: " and "cmd:  " start two lines under a process;
     pad them with spaces to one width so what follows lines up. */
  if (p->path[0])
    wrap_untrusted (out, 9, ptl_tr ("path: "), p->path);
  if (p->cmdline[0])
    wrap_untrusted (out, 9, ptl_tr ("cmd:  "), p->cmdline);
  ptl_text_process_context (out, p);
}

/* Addresses are text from the OS; like names, they are shown as untrusted
 * (ptl_text_safe keeps the length, so @out still holds it whole). */
static void
endpoint (char *out, size_t size, const char *addr, unsigned port, bool wildcard_port)
{
  PtlBuf safe;

  ptl_buf_init (&safe);
  ptl_text_safe (&safe, addr);
  ptl_endpoint_format (out, size, ptl_buf_str (&safe), wildcard_port ? -1 : (long) port);
  ptl_buf_clear (&safe);
}

static void
text_socket_line (PtlBuf *out, const PtlSocket *s)
{
  char local[PTL_ADDR_MAX + 10], remote[PTL_ADDR_MAX + 10];
  PtlBuf line;

  endpoint (local, sizeof local, s->local_address, s->local_port, false);
  endpoint (remote, sizeof remote, s->remote_address, s->remote_port, s->remote_port == 0);
  ptl_buf_init (&line);
  ptl_buf_printf (&line, "%-3s%s %-11s %-27s %s", ptl_proto_name (s->proto),
                  s->family == PTL_FAMILY_IPV6 ? "6" : "4", ptl_state_name (s->state), local,
                  remote);
  /* Long IPv6 addresses put the remote end on a line of its own. */
  wrap_hang (out, 2, 17, ptl_buf_str (&line));
  ptl_buf_clear (&line);
}

static void
text_socket (PtlBuf *out, const PtlSocketTable *table, const PtlSocket *s)
{
  text_socket_line (out, s);
  for (size_t i = 0; i < s->n_owners; i++)
    text_process (out, ptl_socket_owner (table, s, i));
  if (s->n_owners == 0 && s->owner_note)
    {
      PtlBuf line;

      ptl_buf_init (&line);
      ptl_describe_owner_note (s, &line);
      wrap_untrusted (out, 7, "", ptl_buf_str (&line));
      ptl_buf_clear (&line);
    }
  if (s->owners_partial)
    wrap_untrusted (out, 7, "",
                    ptl_tr ("Other holders may be hidden: the socket belongs to another user, "
                            "whose processes need root to be read."));
}

static const char *
bind_words (PtlBindResult result, bool is_free)
{
  switch (result)
    {
    case PTL_BIND_FREE:
      return ptl_trc ("port", "free");
    case PTL_BIND_IN_USE:
      return ptl_trc ("port", "in use");
    case PTL_BIND_NEEDS_PRIVILEGE:
      return is_free ? ptl_tr ("free, but binding needs privilege")
                     : ptl_tr ("in use (binding needs privilege)");
    case PTL_BIND_UNAVAILABLE:
      return ptl_tr ("not supported here");
    case PTL_BIND_RESERVED:
      return ptl_tr ("refused (the system reserves this port)");
    case PTL_BIND_ERROR:
      break;
    }
  return ptl_tr ("unknown (the bind test failed)");
}

static void
text_machine (PtlBuf *out, const PtlReportSet *set, const PtlPortReport *r)
{
  PtlBuf line;

  heading (out, ptl_tr ("On this machine"));
  if (r->port == 0 && r->n_sockets == 0)
    {
      wrap (out, 2, ptl_tr (ptl_port_zero_note));
      return;
    }
  if (r->n_sockets == 0)
    ptl_buf_printf (out, ptl_tr ("  Nothing on this computer is using port %u.\n"), r->port);
  else
    ptl_buf_printf (
        out, ptl_ntr ("  %zu socket on port %u:\n", "  %zu sockets on port %u:\n", r->n_sockets),
        r->n_sockets, r->port);
  for (size_t i = 0; i < set->table.len; i++)
    if (set->table.rows[i].local_port == r->port)
      text_socket (out, &set->table, &set->table.rows[i]);
  ptl_buf_init (&line);
  ptl_buf_printf (&line,
                  ptl_tr ("Bind test on the wildcard address (IPv4 and IPv6): tcp %s; udp %s."),
                  bind_words (r->bind_tcp, r->free_tcp), bind_words (r->bind_udp, r->free_udp));
  wrap_hang (out, 2, 2, ptl_buf_str (&line));
  ptl_buf_clear (&line);
  for (size_t i = 0; i < set->table.n_notes; i++)
    wrap_untrusted (out, 2, ptl_tr ("Note: "), ptl_tr (set->table.notes[i]));
}

const char *
ptl_findstr_pattern (unsigned port, char *out, size_t size)
{
  snprintf (out, size, ":%u ", port);
  return out;
}

const char *
ptl_netstat_command (unsigned port, char *out, size_t size)
{
  char pattern[16];

  snprintf (out, size, "netstat -ano | findstr /C:\"%s\"",
            ptl_findstr_pattern (port, pattern, sizeof pattern));
  return out;
}

static void
text_check_yourself (PtlBuf *out, unsigned port)
{
  char netstat[64];

  heading (out, ptl_tr ("Check it yourself"));
  ptl_buf_printf (out, "  Linux    ss -tanup 'sport = :%u'   (%s)\n", port,
                  ptl_tr ("sudo shows every owner"));
  ptl_buf_printf (out, "           sudo lsof -nP -i :%u\n", port);
  ptl_buf_printf (out, "  macOS    sudo lsof -nP -i :%u\n", port);
  ptl_buf_printf (out, "  Windows  %s\n", ptl_netstat_command (port, netstat, sizeof netstat));
  ptl_buf_printf (out, "           Get-NetTCPConnection -LocalPort %u\n", port);
  ptl_buf_printf (out, "           Get-NetUDPEndpoint -LocalPort %u\n", port);
}

static void
text_full (PtlBuf *out, const PtlReportSet *set, const PtlPortReport *r)
{
  static const char *const titles[] = {
    PTL_N_ ("Port %u: well-known range (%u-%u)"),
    PTL_N_ ("Port %u: registered range (%u-%u)"),
    PTL_N_ ("Port %u: dynamic range (%u-%u)"),
  };

  ptl_buf_printf (out, ptl_tr (titles[r->range]), r->port, ptl_range_first (r->range),
                  ptl_range_last (r->range));
  ptl_buf_printf (out, "%s\n",
                  r->n_iana ? ptl_tr (", assigned by IANA") : ptl_tr (", not assigned by IANA"));
  text_iana (out, r);
  text_unofficial (out, r);
  text_related (out, r);
  text_machine (out, set, r);
  ptl_text_elsewhere (out, set, r);
  text_range (out, set, r);
  text_check_yourself (out, r->port);
}

static void
short_iana (PtlBuf *cell, const PtlPortReport *r)
{
  const char *last = NULL;

  for (size_t i = 0; i < r->n_iana; i++)
    {
      const char *name = r->iana[i]->service[0] ? r->iana[i]->service : ptl_tr ("(reserved)");
      if (last && strcmp (last, name) == 0)
        continue;
      ptl_buf_printf (cell, "%s%s", last ? ", " : "", name);
      last = name;
    }
  if (!last)
    ptl_buf_puts (cell, "-");
}

static void
short_machine (PtlBuf *cell, const PtlReportSet *set, const PtlPortReport *r)
{
  const PtlSocket *first = NULL;

  for (size_t i = 0; i < set->table.len && !first; i++)
    if (set->table.rows[i].local_port == r->port)
      first = &set->table.rows[i];
  if (!first && r->port == 0)
    {
      ptl_buf_puts (cell, ptl_tr ("not a usable port"));
      return;
    }
  if (!first)
    {
      ptl_buf_puts (cell, r->free_tcp && r->free_udp ? ptl_trc ("port", "free")
                          : r->free_tcp              ? ptl_tr ("tcp free, udp taken")
                          : r->free_udp              ? ptl_tr ("tcp taken, udp free")
                                                     : ptl_tr ("taken (bind test)"));
      return;
    }
  ptl_buf_printf (cell, "%s %s ", ptl_proto_name (first->proto), ptl_state_name (first->state));
  ptl_socket_owner_summary (&set->table, first, cell);
  if (r->n_sockets > 1)
    ptl_buf_printf (cell, ptl_tr (" (+%zu more)"), r->n_sockets - 1);
}

static void
text_short (PtlBuf *out, const PtlReportSet *set)
{
  static const char *const ranges[]
      = { PTL_N_ ("well-known"), PTL_N_ ("registered"), PTL_N_ ("dynamic") };

  ptl_text_safe (out, set->query_text); /* what the user typed, cut at 127 bytes */
  ptl_buf_printf (out, ptl_ntr (": %zu port\n\n", ": %zu ports\n\n", set->n_reports),
                  set->n_reports);
  /* TRANSLATORS: the column titles of a range's table; capitals, as short as you can. */
  ptl_buf_pad (out, ptl_tr ("PORT"), 7);
  ptl_buf_pad (out, ptl_tr ("RANGE"), 12);
  ptl_buf_pad (out, "IANA", 25);
  ptl_buf_pad (out, ptl_tr ("UNOFFICIAL"), 19);
  ptl_buf_printf (out, "%s\n", ptl_tr ("ON THIS MACHINE"));
  for (size_t i = 0; i < set->n_reports; i++)
    {
      const PtlPortReport *r = &set->reports[i];
      PtlBuf iana, machine, row;

      ptl_buf_init (&iana);
      ptl_buf_init (&machine);
      ptl_buf_init (&row);
      short_iana (&iana, r);
      short_machine (&machine, set, r);
      ptl_buf_printf (&row, "%-6u ", r->port);
      ptl_buf_pad (&row, ptl_tr (ranges[r->range]), 12);
      ptl_buf_cell (&row, ptl_buf_str (&iana), 24);
      ptl_buf_puts (&row, " ");
      ptl_buf_cell (&row, r->n_unofficial ? r->unofficial[0]->use : "-", 18);
      ptl_buf_puts (&row, " ");
      ptl_buf_puts (out, ptl_buf_str (&row));
      ptl_buf_clear (&iana);
      ptl_text_safe (&iana, ptl_buf_str (&machine));
      wrap_at (out, ptl_utf8_width (ptl_buf_str (&row)), 63, ptl_buf_str (&iana));
      ptl_buf_clear (&iana);
      ptl_buf_clear (&machine);
      ptl_buf_clear (&row);
    }
  for (size_t i = 0; i < set->table.n_notes; i++)
    wrap_untrusted (out, 0, ptl_tr ("Note: "), ptl_tr (set->table.notes[i]));
}

void
ptl_format_report_text (const PtlReportSet *set, PtlBuf *out)
{
  if (set->n_reports == 1)
    text_full (out, set, &set->reports[0]);
  else
    text_short (out, set);
}

void
ptl_socket_owner_summary (const PtlSocketTable *table, const PtlSocket *s, PtlBuf *out)
{
  if (s->n_owners == 0)
    {
      ptl_describe_owner_note (s, out);
      return;
    }
  for (size_t i = 0; i < s->n_owners; i++)
    {
      const PtlProcess *p = ptl_socket_owner (table, s, i);
      ptl_buf_printf (out, "%s%ld/%s", i ? ", " : "", p->pid, p->name);
    }
}

/* "12/nginx, 13/nginx (www-data)" or "12/nginx (root), 13/nginx
 * (www-data)": each process with its own user, said once when they all
 * share it. */
static void
owners_with_users (const PtlSocketTable *table, const PtlSocket *s, PtlBuf *out)
{
  bool same = true;

  for (size_t i = 1; i < s->n_owners && same; i++)
    same = strcmp (ptl_socket_owner (table, s, i)->user, ptl_socket_owner (table, s, 0)->user) == 0;
  for (size_t i = 0; i < s->n_owners; i++)
    {
      const PtlProcess *p = ptl_socket_owner (table, s, i);

      ptl_buf_printf (out, "%s%ld/%s", i ? ", " : "", p->pid, p->name);
      if (p->user[0] && (!same || i + 1 == s->n_owners))
        ptl_buf_printf (out, " (%s)", p->user);
    }
  if (s->owners_partial)
    ptl_buf_puts (out, ptl_tr ("; others may be hidden"));
}

void
ptl_format_socket_line (const PtlSocketTable *table, const PtlSocket *s, PtlBuf *out)
{
  char local[PTL_ADDR_MAX + 10], remote[PTL_ADDR_MAX + 10];
  PtlBuf owner;

  endpoint (local, sizeof local, s->local_address, s->local_port, false);
  endpoint (remote, sizeof remote, s->remote_address, s->remote_port, s->remote_port == 0);
  ptl_buf_printf (out, "%s%s %-11s %s %s ", ptl_proto_name (s->proto),
                  s->family == PTL_FAMILY_IPV6 ? "6" : "4", ptl_state_name (s->state), local,
                  remote);
  ptl_buf_init (&owner);
  /* Each process with its own user, as in the table. */
  if (s->n_owners > 0)
    owners_with_users (table, s, &owner);
  else
    ptl_describe_owner_note (s, &owner);
  ptl_text_safe (out, ptl_buf_str (&owner));
  ptl_buf_clear (&owner);
}

/* One row: columns up to the owner, then the owner wrapped under its own
 * column; a row whose addresses alone overflow (IPv6) wraps as a whole. */
static void
table_row (PtlBuf *out, const PtlSocketTable *table, const PtlSocket *s)
{
  char local[PTL_ADDR_MAX + 10], remote[PTL_ADDR_MAX + 10];
  PtlBuf row, owner;
  size_t width;

  endpoint (local, sizeof local, s->local_address, s->local_port, false);
  endpoint (remote, sizeof remote, s->remote_address, s->remote_port, s->remote_port == 0);
  ptl_buf_init (&row);
  ptl_buf_init (&owner);
  ptl_buf_printf (&row, "%-3s%-2s %-22s %-22s %-11s ", ptl_proto_name (s->proto),
                  s->family == PTL_FAMILY_IPV6 ? "6" : "4", local, remote,
                  ptl_state_name (s->state));
  width = ptl_utf8_width (ptl_buf_str (&row));
  if (s->n_owners > 0)
    owners_with_users (table, s, &owner);
  else
    ptl_describe_owner_note (s, &owner);
  if (width <= 64)
    {
      ptl_buf_puts (out, ptl_buf_str (&row));
      ptl_buf_clear (&row);
      ptl_text_safe (&row, ptl_buf_str (&owner));
      wrap_at (out, width, 64, ptl_buf_str (&row));
    }
  else
    {
      ptl_text_safe (&row, ptl_buf_str (&owner));
      wrap_hang (out, 0, 6, ptl_buf_str (&row));
    }
  ptl_buf_clear (&row);
  ptl_buf_clear (&owner);
}

static void
namespace_heading (PtlBuf *out, const PtlNetns *ns)
{
  PtlBuf line;

  PtlBuf where;

  ptl_buf_init (&line);
  ptl_buf_init (&where);
  ptl_describe_netns (ns, &where);
  if (ns && (ns->container.engine != PTL_ENGINE_NONE || ns->name[0]))
    /* TRANSLATORS: the heading of a block in 'list --all-namespaces': "In
       container web (docker 0123456789ab), network namespace net:[4026532]:". */
    ptl_buf_printf (&line, ptl_tr ("In %s, network namespace net:[%llu]:"), ptl_buf_str (&where),
                    (unsigned long long) ns->id);
  else
    ptl_buf_printf (&line, ptl_tr ("In %s:"), ptl_buf_str (&where));
  ptl_buf_puts (out, "\n");
  wrap_untrusted (out, 0, "", ptl_buf_str (&line));
  ptl_buf_clear (&line);
  ptl_buf_clear (&where);
}

void
ptl_format_table_text (const PtlSocketTable *table, PtlBuf *out)
{
  PtlBuf note;

  ptl_buf_init (&note);
  /* TRANSLATORS: the column titles of the socket table; capitals, short. */
  ptl_buf_pad (out, ptl_tr ("PROTO"), 6);
  ptl_buf_pad (out, ptl_tr ("LOCAL"), 23);
  ptl_buf_pad (out, ptl_tr ("REMOTE"), 23);
  ptl_buf_pad (out, ptl_tr ("STATE"), 12);
  ptl_buf_printf (out, "%s\n", ptl_tr ("PID/PROCESS (USER)"));
  for (size_t i = 0; i < table->len; i++)
    {
      const PtlSocket *s = &table->rows[i];

      /* Rows of other network namespaces come last, a block each. */
      if (s->netns != 0 && (i == 0 || table->rows[i - 1].netns != s->netns))
        namespace_heading (out, ptl_socket_netns (table, s));
      table_row (out, table, s);
    }
  for (size_t i = 0; i < table->n_notes; i++)
    wrap_untrusted (out, 0, ptl_tr ("Note: "), ptl_tr (table->notes[i]));
  ptl_describe_other_namespaces (table, ptl_tr ("'list --all-namespaces' shows the sockets there"),
                                 &note);
  if (note.len > 0)
    wrap_untrusted (out, 0, ptl_tr ("Note: "), ptl_buf_str (&note));
  ptl_buf_clear (&note);
}

/* For the other text writers (ptl-format-text-private.h). */

void
ptl_text_wrap (PtlBuf *out, size_t indent, const char *text)
{
  wrap (out, indent, text);
}

void
ptl_text_wrap_untrusted (PtlBuf *out, size_t indent, const char *prefix, const char *text)
{
  wrap_untrusted (out, indent, prefix, text);
}

void
ptl_text_heading (PtlBuf *out, const char *title)
{
  heading (out, title);
}

void
ptl_text_endpoint (char *out, size_t size, const char *addr, unsigned port, bool wildcard_port)
{
  endpoint (out, size, addr, port, wildcard_port);
}
