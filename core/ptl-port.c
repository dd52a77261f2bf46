/* ptl-port.c: protocols, IANA ranges and the query parser. */
#include "ptl-port.h"

#include <stdio.h>
#include <string.h>

#include "ptl-buf.h"
#include "ptl-knowledge.h"
#include "ptl-text.h"

#define QUERY_MAX_LEN 100

const PtlProto ptl_protos[PTL_N_PROTOS]
    = { PTL_PROTO_TCP, PTL_PROTO_UDP, PTL_PROTO_SCTP, PTL_PROTO_DCCP };

const char *
ptl_proto_name (PtlProto proto)
{
  switch (proto)
    {
    case PTL_PROTO_TCP:
      return "tcp";
    case PTL_PROTO_UDP:
      return "udp";
    case PTL_PROTO_SCTP:
      return "sctp";
    case PTL_PROTO_DCCP:
      return "dccp";
    }
  return "?";
}

static int
ascii_lower (int c)
{
  return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static bool
ascii_equal_nocase (const char *a, const char *b)
{
  while (*a && *b && ascii_lower ((unsigned char) *a) == ascii_lower ((unsigned char) *b))
    a++, b++;
  return *a == '\0' && *b == '\0';
}

PtlProto
ptl_proto_from_name (const char *name)
{
  for (size_t i = 0; i < PTL_N_PROTOS; i++)
    if (ascii_equal_nocase (name, ptl_proto_name (ptl_protos[i])))
      return ptl_protos[i];
  return (PtlProto) 0;
}

PtlRange
ptl_port_range (unsigned port)
{
  if (port <= 1023)
    return PTL_RANGE_WELL_KNOWN;
  if (port <= 49151)
    return PTL_RANGE_REGISTERED;
  return PTL_RANGE_DYNAMIC;
}

const char *
ptl_range_name (PtlRange range)
{
  static const char *const names[] = { "well-known", "registered", "dynamic" };
  return names[range];
}

const char *
ptl_range_title (PtlRange range)
{
  static const char *const titles[]
      = { PTL_N_ ("Well-known"), PTL_N_ ("Registered"), PTL_N_ ("Dynamic") };
  return titles[range];
}

unsigned
ptl_range_first (PtlRange range)
{
  static const unsigned first[] = { 0, 1024, 49152 };
  return first[range];
}

unsigned
ptl_range_last (PtlRange range)
{
  static const unsigned last[] = { 1023, 49151, 65535 };
  return last[range];
}

const char *
ptl_range_explain (PtlRange range)
{
  static const char *const text[] = {
    /* No word on privilege here: Linux asks for it below its unprivileged
     * port start, Windows never does. The machine's rules say which. */
    PTL_N_ ("Well-known ports (0-1023) are assigned by IANA to core services such as "
            "ssh (22) and http (80)."),
    PTL_N_ ("Registered ports (1024-49151) are assigned by IANA on request to "
            "applications; any program may bind them, and an OS may also hand "
            "them out to outgoing connections."),
    PTL_N_ ("Dynamic ports (49152-65535) are never assigned by IANA; they are "
            "meant for temporary use such as the local end of outgoing "
            "connections."),
  };
  return text[range];
}

/* @text for an error sentence: short, with control bytes and invalid UTF-8
 * shown as '?', so a hostile argument (10 KB, escape sequences) cannot
 * flood or garble the terminal; valid UTF-8 is echoed as typed. */
static const char *
quote_input (const char *text, char *out, size_t size)
{
  return ptl_echo_input (text, 24, out, size);
}

static bool
all_digits (const char *s, size_t len)
{
  if (len == 0)
    return false;
  for (size_t i = 0; i < len; i++)
    if (s[i] < '0' || s[i] > '9')
      return false;
  return true;
}

/* Parses a run of digits; more than 5 digits is out of range by definition,
 * which also keeps huge inputs from overflowing. */
static int
parse_number (const char *s, size_t len, unsigned *out, PtlError *err)
{
  char shown[40];
  unsigned long v = 0;
  char tmp[32];

  /* Leading zeros carry no value: 00080 is 80. */
  while (len > 1 && s[0] == '0')
    s++, len--;
  if (len > 5)
    {
      size_t n = len < sizeof tmp - 1 ? len : sizeof tmp - 1;
      memcpy (tmp, s, n);
      tmp[n] = '\0';
      return ptl_error_set (err, PTL_EINVAL,
                            PTL_N_ ("Port %s is out of range: ports run from 0 to 65535."),
                            quote_input (tmp, shown, sizeof shown));
    }
  for (size_t i = 0; i < len; i++)
    v = v * 10 + (unsigned long) (s[i] - '0');
  if (v > PTL_PORT_MAX)
    return ptl_error_set (err, PTL_EINVAL,
                          PTL_N_ ("Port %lu is out of range: ports run from 0 to 65535."), v);
  *out = (unsigned) v;
  return 0;
}

static bool
is_name_char (char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
         || c == '_' || c == '.' || c == '+';
}

static int
parse_range (const char *s, size_t len, PtlQuery *q, PtlError *err)
{
  const char *dash = memchr (s, '-', len);
  size_t a_len = (size_t) (dash - s), b_len = len - a_len - 1;
  int rc;

  if ((rc = parse_number (s, a_len, &q->first, err)) < 0)
    return rc;
  if ((rc = parse_number (dash + 1, b_len, &q->last, err)) < 0)
    return rc;
  if (q->first > q->last)
    return ptl_error_set (
        err, PTL_EINVAL,
        PTL_N_ ("The range %u-%u is reversed: write the lower port first (%u-%u)."), q->first,
        q->last, q->last, q->first);
  q->kind = q->first == q->last ? PTL_QUERY_PORT : PTL_QUERY_RANGE;
  return 0;
}

static void
add_span (PtlQuery *q, unsigned first, unsigned last)
{
  for (size_t i = 0; i < q->n_spans; i++)
    if (q->spans[i].first == first && q->spans[i].last == last)
      return;
  if (q->n_spans == PTL_QUERY_MAX_PORTS)
    return;
  q->spans[q->n_spans].first = first;
  q->spans[q->n_spans].last = last;
  q->n_spans++;
  if (q->n_spans == 1 || first < q->first)
    q->first = first;
  if (q->n_spans == 1 || last > q->last)
    q->last = last;
}

static int
resolve_service (const char *name, PtlQuery *q, PtlError *err)
{
  const PtlIanaEntry *found[256];
  size_t n = ptl_iana_find_service (name, found, 256);
  char shown[40];

  if (n > 256)
    n = 256;
  for (size_t i = 0; i < n; i++)
    if (q->protos == 0 || (found[i]->proto & q->protos))
      add_span (q, found[i]->first, found[i]->last);
  if (q->n_spans == 0 && n > 0)
    return ptl_error_set (err, PTL_ENOTFOUND, PTL_N_ ("IANA assigns no %s port to '%s'."),
                          ptl_proto_name ((PtlProto) q->protos),
                          quote_input (name, shown, sizeof shown));
  if (q->n_spans == 0)
    return ptl_error_set (err, PTL_ENOTFOUND, PTL_N_ ("IANA has no service named '%s'."),
                          quote_input (name, shown, sizeof shown));
  q->kind = PTL_QUERY_SERVICE;
  snprintf (q->service, sizeof q->service, "%s", name);
  return 0;
}

static int
parse_name (const char *s, size_t len, PtlQuery *q, PtlError *err)
{
  char name[PTL_SERVICE_NAME_MAX], shown[40];
  bool has_letter = false;
  int rc;

  for (size_t i = 0; i < len; i++)
    {
      if (!is_name_char (s[i]))
        goto junk;
      has_letter |= (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z');
    }
  if (!has_letter || len >= sizeof name)
    goto junk;
  memcpy (name, s, len);
  name[len] = '\0';
  rc = resolve_service (name, q, err);
  if (rc != PTL_ENOTFOUND || q->n_spans > 0)
    return rc;
  /* An unknown word that starts like a number (12ab, 0x50, 1e3) or holds a
   * dash (a-b) is a mistyped port or range, not a question about a name. */
  if (name[0] >= '0' && name[0] <= '9')
    return ptl_error_set (err, PTL_EINVAL,
                          PTL_N_ ("'%s' is not a port number: use decimal digits, 0 to 65535."),
                          quote_input (name, shown, sizeof shown));
  if (strchr (name, '-') != NULL)
    return ptl_error_set (err, PTL_EINVAL,
                          PTL_N_ ("'%s' is not a port range: both ends must be numbers "
                                  "from 0 to 65535, as in 6660-6669."),
                          quote_input (name, shown, sizeof shown));
  return rc;

junk:
  memcpy (name, s, len < sizeof name - 1 ? len : sizeof name - 1);
  name[len < sizeof name - 1 ? len : sizeof name - 1] = '\0';
  return ptl_error_set (err, PTL_EINVAL,
                        PTL_N_ ("'%s' is not a port, a port range or a service name."),
                        quote_input (name, shown, sizeof shown));
}

static int
parse_protocol (const char *slash, PtlQuery *q, PtlError *err)
{
  char shown[40];

  if (slash[1] == '\0')
    return ptl_error_set (err, PTL_EINVAL,
                          PTL_N_ ("The query ends with '/': add tcp, udp, sctp or dccp."));
  q->protos = ptl_proto_from_name (slash + 1);
  if (q->protos == 0)
    return ptl_error_set (err, PTL_EINVAL,
                          PTL_N_ ("'%s' is not a protocol: use tcp, udp, sctp or dccp."),
                          quote_input (slash + 1, shown, sizeof shown));
  return 0;
}

static int
parse_main (const char *s, size_t len, PtlQuery *q, PtlError *err)
{
  const char *dash = memchr (s, '-', len);
  char shown[40], tmp[QUERY_MAX_LEN + 1];

  if (len == 0)
    return ptl_error_set (err, PTL_EINVAL,
                          PTL_N_ ("The query names no port: give a port (1644), a range "
                                  "(6660-6669) or a service name (ssh)."));
  memcpy (tmp, s, len);
  tmp[len] = '\0';
  if (s[0] == '-' && all_digits (s + 1, len - 1))
    return ptl_error_set (err, PTL_EINVAL,
                          PTL_N_ ("Port %s is negative: ports run from 0 to 65535."),
                          quote_input (tmp, shown, sizeof shown));
  /* ":8080", the way ss writes a port (sport = :8080), is that port. */
  if (len > 1 && s[0] == ':' && all_digits (s + 1, len - 1))
    s++, len--;
  if (all_digits (s, len))
    {
      int rc = parse_number (s, len, &q->first, err);
      q->last = q->first;
      q->kind = PTL_QUERY_PORT;
      return rc;
    }
  if (dash && dash > s && all_digits (s, (size_t) (dash - s))
      && all_digits (dash + 1, len - (size_t) (dash - s) - 1))
    return parse_range (s, len, q, err);
  return parse_name (tmp, len, q, err);
}

int
ptl_query_parse (const char *text, PtlQuery *q, PtlError *err)
{
  const char *slash;
  size_t len;
  int rc;

  memset (q, 0, sizeof *q);
  if (text == NULL || text[0] == '\0')
    return ptl_error_set (err, PTL_EINVAL,
                          PTL_N_ ("The query is empty: give a port (1644), a range "
                                  "(6660-6669) or a service name (ssh)."));
  len = strlen (text);
  if (len > QUERY_MAX_LEN)
    return ptl_error_set (err, PTL_EINVAL,
                          PTL_N_ ("The query is too long (%zu bytes): give a port, a range "
                                  "or a service name."),
                          len);
  slash = strchr (text, '/');
  if (slash && (rc = parse_protocol (slash, q, err)) < 0)
    return rc;
  return parse_main (text, slash ? (size_t) (slash - text) : len, q, err);
}

size_t
ptl_query_n_ports (const PtlQuery *q)
{
  size_t n = 0;

  if (q->kind != PTL_QUERY_SERVICE)
    return (size_t) q->last - q->first + 1;
  for (size_t i = 0; i < q->n_spans; i++)
    n += (size_t) q->spans[i].last - q->spans[i].first + 1;
  return n;
}
