/* ptl-format-csv.c: RFC 4180 quoting, LF line ends (what Unix tools expect). */
#include "ptl-report.h"

#include <string.h>

void
ptl_csv_field (PtlBuf *out, const char *s)
{
  size_t len = strlen (s);
  bool quote = len > 0 && (s[0] == ' ' || s[len - 1] == ' ');

  for (size_t i = 0; i < len && !quote; i++)
    quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
  if (!quote)
    {
      ptl_buf_append (out, s, len);
      return;
    }
  ptl_buf_puts (out, "\"");
  for (const char *p = s; *p; p++)
    {
      if (*p == '"')
        ptl_buf_puts (out, "\"\"");
      else
        ptl_buf_append (out, p, 1);
    }
  ptl_buf_puts (out, "\"");
}

/* Several owners share one cell, separated by "; ". */
static void
csv_owners (PtlBuf *out, const PtlSocketTable *table, const PtlSocket *s, int what)
{
  PtlBuf cell;

  ptl_buf_init (&cell);
  for (size_t i = 0; i < s->n_owners; i++)
    {
      const PtlProcess *p = ptl_socket_owner (table, s, i);

      /* Units and containers: only the owners that have one. */
      if (what == 4 && p->unit[0] == '\0')
        continue;
      if (what == 5 && p->container.engine == PTL_ENGINE_NONE)
        continue;
      /* Every owner has a place in the cells of 0-3, even an empty one. */
      ptl_buf_puts (&cell, (what < 4 ? i > 0 : cell.len > 0) ? "; " : "");
      if (what == 0)
        ptl_buf_printf (&cell, "%ld", p->pid);
      else if (what == 4)
        ptl_buf_puts (&cell, p->user_unit[0] ? p->user_unit : p->unit);
      else if (what == 5 && p->container.engine != PTL_ENGINE_NONE)
        ptl_buf_printf (&cell, "%s:%s", ptl_engine_name (p->container.engine), p->container.id);
      else if (what < 4)
        ptl_buf_puts (&cell, what == 1 ? p->name : what == 2 ? p->path : p->cmdline);
    }
  ptl_csv_field (out, ptl_buf_str (&cell));
  ptl_buf_clear (&cell);
}

static void
csv_row (PtlBuf *out, const PtlSocketTable *table, const PtlSocket *s)
{
  const PtlNetns *ns;

  ptl_buf_printf (out, "%s,%s,", ptl_proto_name (s->proto), ptl_family_name (s->family));
  ptl_csv_field (out, s->local_address);
  ptl_buf_printf (out, ",%u,", s->local_port);
  ptl_csv_field (out, s->remote_address);
  ptl_buf_printf (out, ",%u,%s,", s->remote_port, ptl_state_name (s->state));
  if (s->uid >= 0)
    ptl_buf_printf (out, "%ld", s->uid);
  ptl_buf_puts (out, ",");
  ptl_csv_field (out, s->user);
  for (int what = 0; what < 4; what++)
    {
      ptl_buf_puts (out, ",");
      csv_owners (out, table, s, what);
    }
  ptl_buf_puts (out, ",");
  ptl_csv_field (out, s->owner_note ? s->owner_note : "");
  /* Added later, so they come last: unit, container, netns, owner_detail. */
  for (int what = 4; what < 6; what++)
    {
      ptl_buf_puts (out, ",");
      if (s->n_owners > 0 || what == 5)
        csv_owners (out, table, s, what);
      else
        ptl_csv_field (out, s->unit ? s->unit : "");
    }
  ns = ptl_socket_netns (table, s);
  if (ns)
    ptl_buf_printf (out, ",%llu,", (unsigned long long) ns->id);
  else
    ptl_buf_puts (out, ",,");
  ptl_csv_field (out, s->owner_detail ? s->owner_detail : "");
  ptl_buf_puts (out, "\n");
}

void
ptl_format_table_csv (const PtlSocketTable *table, PtlBuf *out)
{
  ptl_buf_puts (out, "protocol,family,local_address,local_port,remote_address,remote_port,"
                     "state,uid,user,pid,process,path,cmdline,owner_note,unit,container,netns,"
                     "owner_detail\n");
  for (size_t i = 0; i < table->len; i++)
    csv_row (out, table, &table->rows[i]);
}
