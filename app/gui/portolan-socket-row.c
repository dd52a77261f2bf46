/* portolan-socket-row.c: one socket, copied out of a snapshot. */
#include "portolan-socket-row.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ptl-describe.h"
#include "ptl-report.h"

struct _PortolanSocketRow
{
  GObject parent_instance;

  PtlSocket sock; /* identity and state; the owner slice is not used */
  char *process;
  char *owner_name;
  char *path;
  char *cmdline;
  char *unit;      /* the first owner's unit, or the socket's cgroup hint */
  char *namespace; /* "" in this network namespace, else where the socket lives */
  char *note;      /* the owner note with its particulars, translated */
  const char *owner_note;
  gint64 pid;
  guint64 start_time;
  guint n_owners;
  PortolanRowMark mark;
};

enum
{
  PROP_0,
  PROP_PROCESS,
  PROP_PID,
  PROP_PROTOCOL,
  PROP_FAMILY,
  PROP_LOCAL_ADDRESS,
  PROP_LOCAL_PORT,
  PROP_REMOTE_ADDRESS,
  PROP_REMOTE_PORT,
  PROP_STATE,
  PROP_USER,
  PROP_PATH,
  PROP_CMDLINE,
  PROP_MARK,
  PROP_NOTE,
  PROP_UNIT,
  PROP_NAMESPACE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (PortolanSocketRow, portolan_socket_row, G_TYPE_OBJECT)

static void
portolan_socket_row_finalize (GObject *object)
{
  PortolanSocketRow *self = PORTOLAN_SOCKET_ROW (object);

  g_free (self->process);
  g_free (self->owner_name);
  g_free (self->path);
  g_free (self->cmdline);
  g_free (self->unit);
  g_free (self->namespace);
  g_free (self->note);
  G_OBJECT_CLASS (portolan_socket_row_parent_class)->finalize (object);
}

static void
portolan_socket_row_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PortolanSocketRow *self = PORTOLAN_SOCKET_ROW (object);

  switch (prop_id)
    {
    case PROP_PROCESS:
      g_value_set_string (value, self->process);
      break;
    case PROP_PID:
      g_value_set_int64 (value, self->pid);
      break;
    case PROP_PROTOCOL:
      g_value_set_string (value, portolan_socket_row_get_protocol (self));
      break;
    case PROP_FAMILY:
      g_value_set_string (value, portolan_socket_row_get_family (self));
      break;
    case PROP_LOCAL_ADDRESS:
      g_value_set_string (value, self->sock.local_address);
      break;
    case PROP_LOCAL_PORT:
      g_value_set_uint (value, self->sock.local_port);
      break;
    case PROP_REMOTE_ADDRESS:
      g_value_set_string (value, self->sock.remote_address);
      break;
    case PROP_REMOTE_PORT:
      g_value_set_uint (value, self->sock.remote_port);
      break;
    case PROP_STATE:
      g_value_set_string (value, portolan_socket_row_get_state (self));
      break;
    case PROP_USER:
      g_value_set_string (value, self->sock.user);
      break;
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_CMDLINE:
      g_value_set_string (value, self->cmdline);
      break;
    case PROP_MARK:
      g_value_set_uint (value, self->mark);
      break;
    case PROP_NOTE:
      g_value_set_string (value, portolan_socket_row_get_note (self));
      break;
    case PROP_UNIT:
      g_value_set_string (value, self->unit);
      break;
    case PROP_NAMESPACE:
      g_value_set_string (value, self->namespace);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
string_prop (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
uint_prop (const char *name, guint max)
{
  return g_param_spec_uint (name, NULL, NULL, 0, max, 0,
                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
portolan_socket_row_class_init (PortolanSocketRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = portolan_socket_row_finalize;
  object_class->get_property = portolan_socket_row_get_property;

  properties[PROP_PROCESS] = string_prop ("process");
  properties[PROP_PID]
      = g_param_spec_int64 ("pid", NULL, NULL, 0, G_MAXINT64, 0,
                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROTOCOL] = string_prop ("protocol");
  properties[PROP_FAMILY] = string_prop ("family");
  properties[PROP_LOCAL_ADDRESS] = string_prop ("local-address");
  properties[PROP_LOCAL_PORT] = uint_prop ("local-port", 65535);
  properties[PROP_REMOTE_ADDRESS] = string_prop ("remote-address");
  properties[PROP_REMOTE_PORT] = uint_prop ("remote-port", 65535);
  properties[PROP_STATE] = string_prop ("state");
  properties[PROP_USER] = string_prop ("user");
  properties[PROP_PATH] = string_prop ("path");
  properties[PROP_CMDLINE] = string_prop ("cmdline");
  properties[PROP_MARK] = uint_prop ("mark", PORTOLAN_ROW_REMOVED);
  properties[PROP_NOTE] = string_prop ("note");
  properties[PROP_UNIT] = string_prop ("unit");
  properties[PROP_NAMESPACE] = string_prop ("namespace");
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
portolan_socket_row_init (PortolanSocketRow *self)
{
  self->mark = PORTOLAN_ROW_STEADY;
}

/* "nginx", "nginx (+3)" for shared sockets, or "—" with no owner: the
 * note saying why is a column (and a tooltip) of its own, not a name. */
static char *
process_text (const PtlSocketTable *table, const PtlSocket *sock)
{
  const PtlProcess *first = ptl_socket_owner (table, sock, 0);

  if (first == NULL)
    return g_strdup ("—");
  if (sock->n_owners == 1)
    return g_strdup (first->name);
  return g_strdup_printf ("%s (+%zu)", first->name, sock->n_owners - 1);
}

/* "nginx.service", "app.scope in user@1000.service", or for a hidden
 * owner the unit the kernel's cgroup id points to. */
static char *
unit_text (const PtlSocketTable *table, const PtlSocket *sock)
{
  const PtlProcess *first = ptl_socket_owner (table, sock, 0);
  PtlBuf buf;
  char *text;

  if (first == NULL)
    return g_strdup (sock->unit ? sock->unit : "");
  ptl_buf_init (&buf);
  ptl_describe_units (first, &buf);
  text = g_strdup (ptl_buf_str (&buf));
  ptl_buf_clear (&buf);
  return text;
}

/* Short, for a column: "web (docker)", "docker 5115e0907c6c", "blue (ip
 * netns)", "net:[4026532185]". */
static char *
namespace_text (const PtlSocketTable *table, const PtlSocket *sock)
{
  const PtlNetns *ns = ptl_socket_netns (table, sock);
  const PtlContainer *c = ns ? &ns->container : NULL;

  if (ns == NULL)
    return g_strdup ("");
  if (c->engine != PTL_ENGINE_NONE && c->name[0])
    return g_strdup_printf ("%s (%s)", c->name, ptl_engine_name (c->engine));
  if (c->engine != PTL_ENGINE_NONE)
    return g_strdup_printf ("%s %.12s", ptl_engine_name (c->engine), c->id);
  if (ns->name[0])
    return g_strdup_printf (_ ("%s (ip netns)"), ns->name);
  return g_strdup_printf ("net:[%" G_GUINT64_FORMAT "]", (guint64) ns->id);
}

/* The translated note, and what was seen ("listener 127.0.0.1:8080, 3
 * waiting, held by …") after it. */
static char *
note_text (const PtlSocket *sock)
{
  if (sock->owner_note == NULL)
    return g_strdup ("");
  if (sock->owner_detail == NULL)
    return g_strdup (_ (sock->owner_note));
  return g_strdup_printf ("%s (%s)", _ (sock->owner_note), sock->owner_detail);
}

static void
set_string (PortolanSocketRow *self, char **field, char *value, guint prop)
{
  if (g_strcmp0 (*field, value) == 0)
    {
      g_free (value);
      return;
    }
  g_free (*field);
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
take_owners (PortolanSocketRow *self, const PtlSocketTable *table, const PtlSocket *sock)
{
  const PtlProcess *first = ptl_socket_owner (table, sock, 0);
  gint64 pid = first ? first->pid : 0;

  set_string (self, &self->process, process_text (table, sock), PROP_PROCESS);
  g_free (self->owner_name);
  self->owner_name = g_strdup (first ? first->name : "");
  set_string (self, &self->path, g_strdup (first ? first->path : ""), PROP_PATH);
  set_string (self, &self->cmdline, g_strdup (first ? first->cmdline : ""), PROP_CMDLINE);
  self->owner_note = sock->owner_note;
  set_string (self, &self->note, note_text (sock), PROP_NOTE);
  set_string (self, &self->unit, unit_text (table, sock), PROP_UNIT);
  self->n_owners = (guint) sock->n_owners;
  self->start_time = first ? first->start_time : 0;
  if (pid != self->pid)
    {
      self->pid = pid;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PID]);
    }
}

PortolanSocketRow *
portolan_socket_row_new (const PtlSocketTable *table, const PtlSocket *sock)
{
  PortolanSocketRow *self = g_object_new (PORTOLAN_TYPE_SOCKET_ROW, NULL);
  const PtlProcess *first = ptl_socket_owner (table, sock, 0);

  /* No one listens yet: fill the fields without notifying. */
  self->sock = *sock;
  self->sock.owners_first = 0;
  self->sock.n_owners = 0;
  /* Those point into the snapshot, which goes away: what they say is
   * copied into the row's own strings below. */
  self->sock.owner_detail = NULL;
  self->sock.unit = NULL;
  self->unit = unit_text (table, sock);
  self->namespace = namespace_text (table, sock);
  self->note = note_text (sock);
  self->process = process_text (table, sock);
  self->owner_name = g_strdup (first ? first->name : "");
  self->path = g_strdup (first ? first->path : "");
  self->cmdline = g_strdup (first ? first->cmdline : "");
  self->owner_note = sock->owner_note;
  self->n_owners = (guint) sock->n_owners;
  self->pid = first ? first->pid : 0;
  self->start_time = first ? first->start_time : 0;
  return self;
}

void
portolan_socket_row_update (PortolanSocketRow *self, const PtlSocketTable *table,
                            const PtlSocket *sock)
{
  g_return_if_fail (PORTOLAN_IS_SOCKET_ROW (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (sock->state != self->sock.state)
    {
      self->sock.state = sock->state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (strcmp (sock->user, self->sock.user) != 0)
    {
      g_strlcpy (self->sock.user, sock->user, sizeof self->sock.user);
      self->sock.uid = sock->uid;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
    }
  take_owners (self, table, sock);
  g_object_thaw_notify (G_OBJECT (self));
}

void
portolan_socket_row_set_mark (PortolanSocketRow *self, PortolanRowMark mark)
{
  g_return_if_fail (PORTOLAN_IS_SOCKET_ROW (self));

  if (self->mark == mark)
    return;
  self->mark = mark;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MARK]);
}

const char *
portolan_socket_row_get_process (PortolanSocketRow *self)
{
  return self->process;
}

gint64
portolan_socket_row_get_pid (PortolanSocketRow *self)
{
  return self->pid;
}

const char *
portolan_socket_row_get_protocol (PortolanSocketRow *self)
{
  return ptl_proto_name (self->sock.proto);
}

const char *
portolan_socket_row_get_family (PortolanSocketRow *self)
{
  return ptl_family_name (self->sock.family);
}

const char *
portolan_socket_row_get_local_address (PortolanSocketRow *self)
{
  return self->sock.local_address;
}

guint
portolan_socket_row_get_local_port (PortolanSocketRow *self)
{
  return self->sock.local_port;
}

const char *
portolan_socket_row_get_remote_address (PortolanSocketRow *self)
{
  return self->sock.remote_address;
}

guint
portolan_socket_row_get_remote_port (PortolanSocketRow *self)
{
  return self->sock.remote_port;
}

const char *
portolan_socket_row_get_state (PortolanSocketRow *self)
{
  return ptl_state_name (self->sock.state);
}

const char *
portolan_socket_row_get_user (PortolanSocketRow *self)
{
  return self->sock.user;
}

PortolanRowMark
portolan_socket_row_get_mark (PortolanSocketRow *self)
{
  return self->mark;
}

const char *
portolan_socket_row_get_owner_name (PortolanSocketRow *self)
{
  return self->owner_name;
}

const char *
portolan_socket_row_get_path (PortolanSocketRow *self)
{
  return self->path;
}

const char *
portolan_socket_row_get_cmdline (PortolanSocketRow *self)
{
  return self->cmdline;
}

guint64
portolan_socket_row_get_start_time (PortolanSocketRow *self)
{
  return self->start_time;
}

guint
portolan_socket_row_get_n_owners (PortolanSocketRow *self)
{
  return self->n_owners;
}

const char *
portolan_socket_row_get_owner_note (PortolanSocketRow *self)
{
  return self->owner_note;
}

const char *
portolan_socket_row_get_note (PortolanSocketRow *self)
{
  return self->note;
}

const char *
portolan_socket_row_get_unit (PortolanSocketRow *self)
{
  return self->unit;
}

const char *
portolan_socket_row_get_namespace (PortolanSocketRow *self)
{
  return self->namespace;
}

const PtlSocket *
portolan_socket_row_get_socket (PortolanSocketRow *self)
{
  return &self->sock;
}
