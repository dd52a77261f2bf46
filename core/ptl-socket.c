/* ptl-socket.c: the socket table model. */
#include "ptl-socket.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *
ptl_state_name (PtlState state)
{
  static const char *const names[PTL_N_STATES] = {
    [PTL_STATE_UNKNOWN] = "UNKNOWN",       [PTL_STATE_ESTABLISHED] = "ESTABLISHED",
    [PTL_STATE_SYN_SENT] = "SYN_SENT",     [PTL_STATE_SYN_RECV] = "SYN_RECV",
    [PTL_STATE_FIN_WAIT1] = "FIN_WAIT1",   [PTL_STATE_FIN_WAIT2] = "FIN_WAIT2",
    [PTL_STATE_TIME_WAIT] = "TIME_WAIT",   [PTL_STATE_CLOSE] = "CLOSE",
    [PTL_STATE_CLOSE_WAIT] = "CLOSE_WAIT", [PTL_STATE_LAST_ACK] = "LAST_ACK",
    [PTL_STATE_LISTEN] = "LISTEN",         [PTL_STATE_CLOSING] = "CLOSING",
    [PTL_STATE_UNCONN] = "UNCONN",         [PTL_STATE_DELETE_TCB] = "DELETE_TCB",
  };

  if ((unsigned) state >= PTL_N_STATES)
    return names[PTL_STATE_UNKNOWN];
  return names[state];
}

const char *
ptl_family_name (PtlFamily family)
{
  return family == PTL_FAMILY_IPV6 ? "ipv6" : "ipv4";
}

void
ptl_socket_filter_init (PtlSocketFilter *filter)
{
  memset (filter, 0, sizeof *filter);
  filter->port_first = 0;
  filter->port_last = PTL_PORT_MAX;
}

bool
ptl_socket_filter_match (const PtlSocketFilter *f, const PtlSocket *s)
{
  if (f->protos && !(f->protos & s->proto))
    return false;
  if (f->families && !(f->families & s->family))
    return false;
  if (s->local_port < f->port_first || s->local_port > f->port_last)
    return false;
  if (f->listening_only && s->state != PTL_STATE_LISTEN && s->state != PTL_STATE_UNCONN)
    return false;
  return true;
}

const char *
ptl_engine_name (PtlEngine engine)
{
  switch (engine)
    {
    case PTL_ENGINE_DOCKER:
      return "docker";
    case PTL_ENGINE_PODMAN:
      return "podman";
    case PTL_ENGINE_CONTAINERD:
      return "containerd";
    case PTL_ENGINE_CRIO:
      return "cri-o";
    case PTL_ENGINE_LXC:
      return "lxc";
    case PTL_ENGINE_KUBERNETES:
      return "kubernetes";
    case PTL_ENGINE_NONE:
      break;
    }
  return "none";
}

void
ptl_socket_table_init (PtlSocketTable *table)
{
  memset (table, 0, sizeof *table);
  table->n_other_netns = -1;
}

void
ptl_socket_table_clear (PtlSocketTable *table)
{
  for (size_t i = 0; i < table->n_procs; i++)
    {
      free (table->procs[i].name);
      free (table->procs[i].path);
      free (table->procs[i].cmdline);
    }
  for (size_t i = 0; i < table->n_strings; i++)
    free (table->strings[i]);
  free (table->strings);
  free (table->netns);
  free (table->procs);
  free (table->rows);
  free (table->owner_links);
  ptl_socket_table_init (table);
}

/* Grows an array to hold one more element of @size bytes. */
static bool
grow (void **data, size_t *cap, size_t len, size_t size)
{
  size_t want;
  void *p;

  if (len < *cap)
    return true;
  want = *cap ? *cap * 2 : 64;
  p = realloc (*data, want * size);
  if (p == NULL)
    return false;
  *data = p;
  *cap = want;
  return true;
}

PtlSocket *
ptl_socket_table_append (PtlSocketTable *table, const PtlSocket *sock)
{
  PtlSocket *row;

  if (!grow ((void **) &table->rows, &table->cap, table->len, sizeof *row))
    return NULL;
  row = &table->rows[table->len++];
  *row = *sock;
  row->owners_first = 0;
  row->n_owners = 0;
  return row;
}

static char *
dup_or_empty (const char *s)
{
  size_t n = s ? strlen (s) : 0;
  char *copy = malloc (n + 1);

  if (copy == NULL)
    return NULL;
  if (n)
    memcpy (copy, s, n);
  copy[n] = '\0';
  return copy;
}

size_t
ptl_socket_table_add_proc (PtlSocketTable *table, const PtlProcess *proc)
{
  PtlProcess *p;

  for (size_t i = 0; i < table->n_procs; i++)
    if (table->procs[i].pid == proc->pid)
      return i;
  if (!grow ((void **) &table->procs, &table->cap_procs, table->n_procs, sizeof *p))
    return (size_t) -1;
  p = &table->procs[table->n_procs];
  *p = *proc;
  p->name = dup_or_empty (proc->name);
  p->path = dup_or_empty (proc->path);
  p->cmdline = dup_or_empty (proc->cmdline);
  if (!p->name || !p->path || !p->cmdline)
    {
      free (p->name), free (p->path), free (p->cmdline);
      return (size_t) -1;
    }
  return table->n_procs++;
}

size_t
ptl_socket_table_add_process (PtlSocketTable *table, long pid, uint64_t start_time, long uid,
                              const char *user, const char *name, const char *path,
                              const char *cmdline)
{
  PtlProcess p;

  memset (&p, 0, sizeof p);
  p.pid = pid;
  p.start_time = start_time;
  p.uid = uid;
  snprintf (p.user, sizeof p.user, "%s", user ? user : "");
  p.name = (char *) name;
  p.path = (char *) path;
  p.cmdline = (char *) cmdline;
  return ptl_socket_table_add_proc (table, &p);
}

const char *
ptl_socket_table_keep_string (PtlSocketTable *table, const char *text)
{
  char *copy;

  /* Few distinct sentences per table: a linear look-up keeps one copy. */
  for (size_t i = 0; i < table->n_strings; i++)
    if (strcmp (table->strings[i], text) == 0)
      return table->strings[i];
  if (!grow ((void **) &table->strings, &table->cap_strings, table->n_strings, sizeof (char *))
      || (copy = dup_or_empty (text)) == NULL)
    return NULL;
  table->strings[table->n_strings++] = copy;
  return copy;
}

unsigned
ptl_socket_table_add_netns (PtlSocketTable *table, const PtlNetns *ns)
{
  PtlNetns *more;

  for (size_t i = 0; i < table->n_netns; i++)
    if (table->netns[i].id == ns->id && ns->id != 0)
      return (unsigned) i + 1;
  if ((more = realloc (table->netns, (table->n_netns + 1) * sizeof *more)) == NULL)
    return 0;
  table->netns = more;
  table->netns[table->n_netns++] = *ns;
  return (unsigned) table->n_netns;
}

/* A string of one table as a string of another; NULL stays NULL. */
static int
keep_in (PtlSocketTable *to, const char *text, const char **out)
{
  *out = text ? ptl_socket_table_keep_string (to, text) : NULL;
  return text && *out == NULL ? PTL_ENOMEM : 0;
}

int
ptl_socket_table_copy_owners (PtlSocketTable *to, size_t row, const PtlSocketTable *from,
                              const PtlSocket *s)
{
  size_t procs[64], n = s->n_owners < 64 ? s->n_owners : 64;
  const char *detail, *unit;
  PtlSocket *r;

  for (size_t k = 0; k < n; k++)
    if ((procs[k] = ptl_socket_table_add_proc (to, ptl_socket_owner (from, s, k))) == (size_t) -1)
      return PTL_ENOMEM;
  if (keep_in (to, s->owner_detail, &detail) < 0 || keep_in (to, s->unit, &unit) < 0
      || ptl_socket_table_set_owners (to, row, procs, n) < 0)
    return PTL_ENOMEM;
  r = &to->rows[row];
  r->owner_note = n > 0 ? NULL : s->owner_note;
  r->owner_hidden = n > 0 ? false : s->owner_hidden;
  r->owner_detail = detail;
  r->unit = unit;
  r->owners_partial = s->owners_partial;
  return 0;
}

const PtlNetns *
ptl_socket_netns (const PtlSocketTable *table, const PtlSocket *sock)
{
  if (sock->netns == 0 || sock->netns > table->n_netns)
    return NULL;
  return &table->netns[sock->netns - 1];
}

int
ptl_socket_table_set_owners (PtlSocketTable *table, size_t row, const size_t *procs, size_t n)
{
  PtlSocket *s = &table->rows[row];

  /* Links are append-only; a replaced slice is simply abandoned. */
  for (size_t i = 0; i < n; i++)
    if (!grow ((void **) &table->owner_links, &table->cap_links, table->n_links + i,
               sizeof (size_t)))
      return PTL_ENOMEM;
  s->owners_first = table->n_links;
  s->n_owners = n;
  for (size_t i = 0; i < n; i++)
    table->owner_links[table->n_links++] = procs[i];
  if (n > 0)
    s->owner_note = NULL, s->owner_hidden = false;
  return 0;
}

bool
ptl_socket_table_owners_hidden (const PtlSocketTable *table)
{
  for (size_t i = 0; i < table->len; i++)
    if (table->rows[i].owner_hidden)
      return true;
  return false;
}

const PtlProcess *
ptl_socket_owner (const PtlSocketTable *table, const PtlSocket *sock, size_t i)
{
  if (i >= sock->n_owners)
    return NULL;
  return &table->procs[table->owner_links[sock->owners_first + i]];
}

void
ptl_socket_table_add_note (PtlSocketTable *table, const char *note)
{
  for (size_t i = 0; i < table->n_notes; i++)
    if (strcmp (table->notes[i], note) == 0)
      return;
  if (table->n_notes == PTL_TABLE_MAX_NOTES)
    return;
  snprintf (table->notes[table->n_notes++], sizeof table->notes[0], "%s", note);
}

void
ptl_socket_table_filter_pid (PtlSocketTable *table, long pid)
{
  size_t kept = 0;

  for (size_t i = 0; i < table->len; i++)
    {
      const PtlSocket *s = &table->rows[i];
      bool owned = false;

      for (size_t k = 0; k < s->n_owners && !owned; k++)
        owned = ptl_socket_owner (table, s, k)->pid == pid;
      if (owned)
        table->rows[kept++] = *s;
    }
  table->len = kept;
}

static int
cmp_unsigned (unsigned a, unsigned b)
{
  return (a > b) - (a < b);
}

int
ptl_socket_cmp_endpoints (const PtlSocket *a, const PtlSocket *b)
{
  int c;

  if ((c = cmp_unsigned (a->proto, b->proto)) != 0)
    return c;
  if ((c = cmp_unsigned (a->family, b->family)) != 0)
    return c;
  if ((c = cmp_unsigned (a->local_port, b->local_port)) != 0)
    return c;
  if ((c = strcmp (a->local_address, b->local_address)) != 0)
    return c;
  if ((c = strcmp (a->remote_address, b->remote_address)) != 0)
    return c;
  return cmp_unsigned (a->remote_port, b->remote_port);
}

void
ptl_process_clear (PtlProcess *proc)
{
  free (proc->name);
  free (proc->path);
  free (proc->cmdline);
  proc->name = proc->path = proc->cmdline = NULL;
}

void
ptl_endpoint_format (char *out, size_t size, const char *addr, long port)
{
  bool v6 = strchr (addr, ':') != NULL;

  if (port < 0)
    snprintf (out, size, v6 ? "[%s]:*" : "%s:*", addr);
  else
    snprintf (out, size, v6 ? "[%s]:%ld" : "%s:%ld", addr, port);
}
