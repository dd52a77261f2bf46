/* portolan-connections-filter.c: which rows the Connections view shows:
 * the toggles (Listening only, TCP, UDP, IPv4, IPv6) and the filter entry,
 * which matches process, port, address and state. */
#include "config.h"

#include <string.h>

#include "portolan-connections-view-private.h"

/* Past this many ranges in one refresh, one spanning items-changed: a
 * process that ends with thousands of sockets scattered over the table
 * would otherwise cost the list models thousands of signals. Measured in
 * the app under Xvfb at 19,000 rows with 300 sockets coming and going
 * every refresh (about 280 ranges; PORTOLAN_DEBUG_TIMING): announcing
 * each range took 2.4 ms per refresh (median) unsorted and 15 ms sorted
 * by a column, against 1.3 ms for one signal spanning nearly the whole
 * list, which tells every list model above that all rows were replaced.
 * Up to this many, each range is announced on its own. */
#define MAX_RANGES 512

static gboolean
contains_ascii_ci (const char *haystack, const char *needle)
{
  size_t n = strlen (needle);

  for (const char *p = haystack; *p; p++)
    if (g_ascii_strncasecmp (p, needle, n) == 0)
      return TRUE;
  return n == 0;
}

static gboolean
toggle_on (GtkWidget *toggle)
{
  return gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle));
}

static gboolean
passes_toggles (PortolanConnectionsView *self, const PtlSocket *s)
{
  if (toggle_on (self->listening_toggle) && s->state != PTL_STATE_LISTEN
      && s->state != PTL_STATE_UNCONN)
    return FALSE;
  if ((s->proto == PTL_PROTO_TCP && !toggle_on (self->tcp_toggle))
      || (s->proto == PTL_PROTO_UDP && !toggle_on (self->udp_toggle)))
    return FALSE;
  if ((s->family == PTL_FAMILY_IPV4 && !toggle_on (self->ipv4_toggle))
      || (s->family == PTL_FAMILY_IPV6 && !toggle_on (self->ipv6_toggle)))
    return FALSE;
  /* Until the next scan drops them, after the toggle went off. */
  return s->netns == 0 || toggle_on (self->namespaces_toggle);
}

/* "port:N" matches the local port N only (what "Show All in
 * Connections" sets); a number matches a port or PID exactly; any word
 * matches process, address, state, protocol or user anywhere. */
static gboolean
word_matches (PortolanSocketRow *row, const PtlSocket *s, const char *word)
{
  guint64 number = 0;

  if (g_str_has_prefix (word, "port:")
      && g_ascii_string_to_unsigned (word + 5, 10, 0, 65535, &number, NULL))
    return s->local_port == number;
  if (g_ascii_string_to_unsigned (word, 10, 0, G_MAXINT64, &number, NULL)
      && (s->local_port == number || s->remote_port == number
          || (guint64) portolan_socket_row_get_pid (row) == number))
    return TRUE;
  return contains_ascii_ci (portolan_socket_row_get_process (row), word)
         || contains_ascii_ci (s->local_address, word)
         || contains_ascii_ci (s->remote_address, word)
         || contains_ascii_ci (portolan_socket_row_get_state (row), word)
         || contains_ascii_ci (portolan_socket_row_get_protocol (row), word)
         || contains_ascii_ci (s->user, word)
         || contains_ascii_ci (portolan_socket_row_get_note (row), word)
         || contains_ascii_ci (portolan_socket_row_get_unit (row), word)
         || contains_ascii_ci (portolan_socket_row_get_namespace (row), word);
}

/* Every word of the filter must match ("python3 47400"). */
static gboolean
row_matches (gpointer item, gpointer user_data)
{
  PortolanConnectionsView *self = user_data;
  PortolanSocketRow *row = item;
  const PtlSocket *s = portolan_socket_row_get_socket (row);

  if (!passes_toggles (self, s))
    return FALSE;
  for (char **w = self->words; w && *w; w++)
    if (!word_matches (row, s, *w))
      return FALSE;
  return TRUE;
}

static gboolean
filtering (PortolanConnectionsView *self)
{
  return (self->words != NULL && self->words[0] != NULL) || toggle_on (self->listening_toggle)
         || !toggle_on (self->tcp_toggle) || !toggle_on (self->udp_toggle)
         || !toggle_on (self->ipv4_toggle) || !toggle_on (self->ipv6_toggle);
}

/* How the model announces a refresh depends on what sits on top of it
 * (measured with portolan-bench-diff and a real column view at 20,000
 * rows): a GtkFilterListModel that filters pays about 0.5 ms per
 * items-changed, so while filtering one spanning signal is cheaper; with
 * nothing filtered it passes signals through, and ranges are announced on
 * their own up to MAX_RANGES. */
static void
update_models (PortolanConnectionsView *self)
{
  gboolean active = filtering (self);

  if (active != (gtk_filter_list_model_get_filter (self->filtered) != NULL))
    gtk_filter_list_model_set_filter (self->filtered, active ? self->filter : NULL);
  else if (active)
    gtk_filter_changed (self->filter, GTK_FILTER_CHANGE_DIFFERENT);
  portolan_socket_model_set_max_ranges (self->model, active ? 1 : MAX_RANGES);
}

/* The words of @text, without the empty strings that repeated spaces
 * leave between them. */
static char **
split_words (const char *text)
{
  char **words = g_strsplit_set (text, " \t", -1);
  guint kept = 0;

  for (guint i = 0; words[i]; i++)
    if (*words[i])
      words[kept++] = words[i];
    else
      g_free (words[i]);
  words[kept] = NULL;
  return words;
}

void
portolan_connections_filter_changed (PortolanConnectionsView *self)
{
  g_strfreev (self->words);
  self->words = split_words (gtk_editable_get_text (GTK_EDITABLE (self->filter_entry)));
  update_models (self);
}

GtkFilter *
portolan_connections_filter_new (PortolanConnectionsView *self)
{
  return GTK_FILTER (gtk_custom_filter_new (row_matches, self, NULL));
}
