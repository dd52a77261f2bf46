/* ptl-format-prom.c: the socket table as Prometheus metrics (text
 * exposition format 0.0.4), for node_exporter's and windows_exporter's
 * textfile collectors.
 *
 * Labels are kept to what stays put while a service runs: protocol,
 * address, port and process name of listeners, and the local port of
 * connections only when something here listens on it. Remote ports and
 * PIDs never become labels: each new connection or restart would make a
 * new series.
 */
#include "ptl-prom.h"

#include <stdlib.h>
#include <string.h>

typedef struct
{
  PtlProto proto;
  const char *address; /* points into the table */
  unsigned port;
  char *process; /* owned */
  size_t count;
} Listener;

typedef struct
{
  PtlProto proto;
  unsigned port;
  size_t count;
} Established;

typedef struct
{
  Listener *listeners;
  size_t n_listeners;
  Established *established;
  size_t n_established;
  size_t other[2];                    /* established elsewhere, per protocol (tcp, udp) */
  size_t states[2][PTL_N_STATES];     /* every socket, per protocol and state */
  bool listened[2][PTL_PORT_MAX + 1]; /* ports something listens on, per protocol */
} Tally;

static int
proto_index (PtlProto p)
{
  return p == PTL_PROTO_UDP ? 1 : 0;
}

/* Label values: UTF-8 with \ " and line breaks escaped; invalid bytes
 * become U+FFFD and other control characters '?'. */
void
ptl_prom_label_value (PtlBuf *out, const char *s)
{
  size_t len = strlen (s), i = 0;

  while (i < len)
    {
      unsigned cp;
      size_t step = ptl_utf8_decode (s + i, len - i, &cp);

      if (step == 0)
        ptl_buf_puts (out, "\xEF\xBF\xBD");
      else if (cp == '\\' || cp == '"')
        ptl_buf_printf (out, "\\%c", (char) cp);
      else if (cp == '\n')
        ptl_buf_puts (out, "\\n");
      else if (cp < 0x20 || cp == 0x7F)
        ptl_buf_puts (out, "?");
      else
        ptl_buf_append (out, s + i, step);
      i += step ? step : 1;
    }
}

static int
cmp_str (const void *a, const void *b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The owners' distinct names, sorted and joined with ','; "" when unknown.
 * A PID changes with every restart; the name does not. */
static char *
process_label (const PtlSocketTable *t, const PtlSocket *s)
{
  const char *names[16];
  size_t n = 0, len = 1;
  char *out;

  for (size_t i = 0; i < s->n_owners && n < 16; i++)
    names[n++] = ptl_socket_owner (t, s, i)->name;
  qsort (names, n, sizeof names[0], cmp_str);
  for (size_t i = 0; i < n; i++)
    len += strlen (names[i]) + 1;
  if ((out = malloc (len)) == NULL)
    return NULL;
  out[0] = '\0';
  for (size_t i = 0; i < n; i++)
    if (i == 0 || strcmp (names[i], names[i - 1]) != 0)
      {
        if (out[0])
          strcat (out, ",");
        strcat (out, names[i]);
      }
  return out;
}

static bool
is_listener (const PtlSocket *s)
{
  return s->state == PTL_STATE_LISTEN
         || (s->proto == PTL_PROTO_UDP && s->state == PTL_STATE_UNCONN);
}

/* Unconnected UDP sockets on ephemeral ports are mostly clients waiting
 * for answers (their port changes every run): counted in
 * portolan_sockets, not given a series each. */
static bool
counts_as_listener (const PtlSocket *s, const PtlPromOptions *opt)
{
  if (!is_listener (s))
    return false;
  if (s->proto != PTL_PROTO_UDP || !opt->ephemeral_known)
    return true;
  return s->local_port < opt->ephemeral_first || s->local_port > opt->ephemeral_last;
}

static int
add_listener (Tally *t, const PtlSocketTable *table, const PtlSocket *s)
{
  Listener *l;

  if ((l = realloc (t->listeners, (t->n_listeners + 1) * sizeof *l)) == NULL)
    return PTL_ENOMEM;
  t->listeners = l;
  l = &t->listeners[t->n_listeners];
  l->proto = s->proto;
  l->address = s->local_address;
  l->port = s->local_port;
  l->count = 1;
  if ((l->process = process_label (table, s)) == NULL)
    return PTL_ENOMEM;
  t->n_listeners++;
  return 0;
}

static int
cmp_listener (const void *a, const void *b)
{
  const Listener *x = a, *y = b;
  int c;

  if (x->port != y->port)
    return x->port < y->port ? -1 : 1;
  if (x->proto != y->proto)
    return x->proto < y->proto ? -1 : 1;
  if ((c = strcmp (x->address, y->address)) != 0)
    return c;
  return strcmp (x->process, y->process);
}

/* Sorts the listeners and merges equal label sets (SO_REUSEPORT groups,
 * a forked server's sockets) into one series with their count. */
static void
merge_listeners (Tally *t)
{
  size_t j = 0;

  if (t->n_listeners > 1)
    qsort (t->listeners, t->n_listeners, sizeof *t->listeners, cmp_listener);
  for (size_t i = 0; i < t->n_listeners; i++)
    {
      if (j > 0 && cmp_listener (&t->listeners[j - 1], &t->listeners[i]) == 0)
        {
          t->listeners[j - 1].count++;
          free (t->listeners[i].process);
          continue;
        }
      t->listeners[j++] = t->listeners[i];
    }
  t->n_listeners = j;
}

static int
add_established (Tally *t, const PtlSocket *s)
{
  int p = proto_index (s->proto);
  Established *e;

  if (!t->listened[p][s->local_port])
    {
      t->other[p]++;
      return 0;
    }
  for (size_t i = 0; i < t->n_established; i++)
    if (t->established[i].proto == s->proto && t->established[i].port == s->local_port)
      {
        t->established[i].count++;
        return 0;
      }
  if ((e = realloc (t->established, (t->n_established + 1) * sizeof *e)) == NULL)
    return PTL_ENOMEM;
  t->established = e;
  t->established[t->n_established++] = (Established){ s->proto, s->local_port, 1 };
  return 0;
}

static int
cmp_established (const void *a, const void *b)
{
  const Established *x = a, *y = b;

  if (x->port != y->port)
    return x->port < y->port ? -1 : 1;
  return (x->proto > y->proto) - (x->proto < y->proto);
}

static int
tally (Tally *t, const PtlSocketTable *table, const PtlPromOptions *opt)
{
  for (size_t i = 0; i < table->len; i++)
    {
      const PtlSocket *s = &table->rows[i];

      if ((unsigned) s->state < PTL_N_STATES)
        t->states[proto_index (s->proto)][s->state]++;
      if (is_listener (s))
        t->listened[proto_index (s->proto)][s->local_port] = true;
      if (counts_as_listener (s, opt) && add_listener (t, table, s) < 0)
        return PTL_ENOMEM;
    }
  for (size_t i = 0; i < table->len; i++)
    if (table->rows[i].state == PTL_STATE_ESTABLISHED && add_established (t, &table->rows[i]) < 0)
      return PTL_ENOMEM;
  merge_listeners (t);
  if (t->n_established > 1)
    qsort (t->established, t->n_established, sizeof *t->established, cmp_established);
  return 0;
}

static void
family_header (PtlBuf *out, const char *name, const char *help)
{
  ptl_buf_printf (out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

static size_t
write_listeners (PtlBuf *out, const Tally *t, size_t budget)
{
  size_t n = t->n_listeners < budget ? t->n_listeners : budget;

  family_header (out, "portolan_listening",
                 "Listening sockets (TCP LISTEN, bound UDP) per protocol, address, port and "
                 "process name.");
  for (size_t i = 0; i < n; i++)
    {
      const Listener *l = &t->listeners[i];

      ptl_buf_printf (out, "portolan_listening{protocol=\"%s\",address=\"",
                      ptl_proto_name (l->proto));
      ptl_prom_label_value (out, l->address);
      ptl_buf_printf (out, "\",port=\"%u\",process=\"", l->port);
      ptl_prom_label_value (out, l->process);
      ptl_buf_printf (out, "\"} %zu\n", l->count);
    }
  return t->n_listeners - n;
}

static size_t
write_established (PtlBuf *out, const Tally *t, size_t budget)
{
  size_t n = t->n_established < budget ? t->n_established : budget;

  family_header (out, "portolan_established",
                 "Established connections per local port that something on this machine "
                 "listens on.");
  for (size_t i = 0; i < n; i++)
    ptl_buf_printf (out, "portolan_established{protocol=\"%s\",port=\"%u\"} %zu\n",
                    ptl_proto_name (t->established[i].proto), t->established[i].port,
                    t->established[i].count);
  family_header (out, "portolan_established_other",
                 "Established connections on local ports nothing here listens on (outgoing "
                 "connections), per protocol.");
  ptl_buf_printf (out, "portolan_established_other{protocol=\"tcp\"} %zu\n", t->other[0]);
  ptl_buf_printf (out, "portolan_established_other{protocol=\"udp\"} %zu\n", t->other[1]);
  return t->n_established - n;
}

static void
write_states (PtlBuf *out, const Tally *t)
{
  family_header (out, "portolan_sockets", "Sockets per protocol and state.");
  for (int p = 0; p < 2; p++)
    for (int s = 0; s < PTL_N_STATES; s++)
      if (t->states[p][s] > 0)
        ptl_buf_printf (out, "portolan_sockets{protocol=\"%s\",state=\"%s\"} %zu\n",
                        p ? "udp" : "tcp", ptl_state_name ((PtlState) s), t->states[p][s]);
}

static void
write_scrape (PtlBuf *out, const PtlPromOptions *opt)
{
  family_header (out, "portolan_up",
                 "1 when portolan-cli read this machine's socket table, 0 when it could not.");
  ptl_buf_printf (out, "portolan_up %d\n", opt->up ? 1 : 0);
  family_header (out, "portolan_scrape_timestamp_seconds",
                 "When portolan-cli read the socket table (Unix time).");
  ptl_buf_printf (out, "portolan_scrape_timestamp_seconds %lld.%03d\n",
                  (long long) (opt->unix_ms / 1000), (int) (opt->unix_ms % 1000));
  family_header (out, "portolan_scrape_duration_seconds",
                 "How long reading the socket table and its owners took.");
  ptl_buf_printf (out, "portolan_scrape_duration_seconds %.6f\n", opt->duration_seconds);
}

static void
tally_clear (Tally *t)
{
  for (size_t i = 0; i < t->n_listeners; i++)
    free (t->listeners[i].process);
  free (t->listeners);
  free (t->established);
  free (t);
}

int
ptl_format_table_prometheus (const PtlSocketTable *table, const PtlPromOptions *opt, PtlBuf *out)
{
  Tally *t = calloc (1, sizeof *t); /* the port bitmaps are 128 KiB: not for the stack */
  size_t budget = opt->max_series, dropped;

  if (t == NULL)
    return PTL_ENOMEM;
  write_scrape (out, opt);
  if (!opt->up || tally (t, table, opt) < 0)
    {
      bool oom = opt->up;

      tally_clear (t);
      return oom ? PTL_ENOMEM : 0;
    }
  dropped = write_listeners (out, t, budget);
  budget -= t->n_listeners - dropped;
  dropped += write_established (out, t, budget);
  write_states (out, t);
  family_header (out, "portolan_series_dropped",
                 "Series of portolan_listening and portolan_established left out to stay "
                 "within --max-series.");
  ptl_buf_printf (out, "portolan_series_dropped %zu\n", dropped);
  tally_clear (t);
  return 0;
}
