/* ptl-linux-relays.c: the containers behind processes, and behind relays.
 *
 * A published port is often held on the host by a relay, not by the
 * container's program: docker-proxy (Docker's userland proxy) listens on
 * the host port and forwards to the container's address, Podman's conmon
 * holds the host ports of its container, rootlessport relays for rootless
 * Podman. What each relays to is read from its own arguments
 * (docker-proxy: -proto, -container-ip, -container-port; conmon: -c ID,
 * -n NAME), and the container is found by what can be observed: the
 * engine's list of published ports, or, as root, the network namespace
 * that holds the container's address.
 */
#define _GNU_SOURCE

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptl-linux-private.h"

static const char *
base_name (const char *path)
{
  const char *slash = strrchr (path, '/');

  return slash ? slash + 1 : path;
}

static bool
is_named (const PtlProcess *p, const char *name)
{
  return strcmp (p->name, name) == 0 || strcmp (base_name (p->path), name) == 0;
}

/* The value after @flag in the space-separated command line, or NULL. */
static const char *
arg_value (const char *cmdline, const char *flag, char *out, size_t size)
{
  size_t n = strlen (flag);

  for (const char *p = cmdline; (p = strstr (p, flag)) != NULL; p += n)
    {
      size_t len;

      if ((p != cmdline && p[-1] != ' ') || p[n] != ' ')
        continue;
      p += n + 1;
      len = strcspn (p, " ");
      if (len == 0 || len >= size)
        return NULL;
      memcpy (out, p, len);
      out[len] = '\0';
      return out;
    }
  return NULL;
}

static void
parse_docker_proxy (PtlProcess *p)
{
  char proto[16], ip[PTL_ADDR_MAX], port[16];

  if (!arg_value (p->cmdline, "-proto", proto, sizeof proto))
    return;
  p->relay.proto = ptl_proto_from_name (proto) == PTL_PROTO_UDP ? PTL_PROTO_UDP : PTL_PROTO_TCP;
  if (arg_value (p->cmdline, "-container-ip", ip, sizeof ip))
    snprintf (p->relay.address, sizeof p->relay.address, "%s", ip);
  if (arg_value (p->cmdline, "-container-port", port, sizeof port))
    p->relay.port = (unsigned) strtoul (port, NULL, 10) & 0xFFFFu;
}

/* conmon is started per container with its id (-c) and name (-n). */
static void
parse_conmon (PtlProcess *p)
{
  PtlContainer *ct = &p->relay.container;

  if (!arg_value (p->cmdline, "-c", ct->id, sizeof ct->id)
      && !arg_value (p->cmdline, "--cid", ct->id, sizeof ct->id))
    return;
  ct->engine = PTL_ENGINE_PODMAN;
  if (!arg_value (p->cmdline, "-n", ct->name, sizeof ct->name))
    arg_value (p->cmdline, "--name", ct->name, sizeof ct->name);
}

void
ptl_linux_relay_parse (PtlProcess *p)
{
  if (is_named (p, "docker-proxy"))
    parse_docker_proxy (p);
  else if (is_named (p, "conmon"))
    parse_conmon (p);
}

static bool
is_relay (const PtlProcess *p)
{
  return p->relay.proto != 0 || is_named (p, "conmon") || is_named (p, "rootlessport");
}

static PtlEngine
relay_engine (const PtlProcess *p)
{
  return is_named (p, "docker-proxy") ? PTL_ENGINE_DOCKER : PTL_ENGINE_PODMAN;
}

/* One relay seen holding @s: what it forwards @s's port to. */
static void
resolve_relay (PtlProcess *p, const PtlSocket *s)
{
  PtlRelay *r = &p->relay;

  if (r->proto == 0)
    r->proto = s->proto;
  if (r->container.engine == PTL_ENGINE_NONE)
    ptl_linux_engine_published (relay_engine (p), s->local_port, s->proto, r);
  if (r->container.engine == PTL_ENGINE_NONE && r->address[0])
    ptl_linux_netns_container_of_address (r->address, &r->container);
  if (r->container.engine != PTL_ENGINE_NONE && r->container.name[0] == '\0')
    ptl_linux_engine_describe (&r->container);
  if (r->port == 0 && r->container.engine != PTL_ENGINE_NONE)
    ptl_linux_engine_published (r->container.engine, s->local_port, s->proto, r);
}

static bool
is_bound (const PtlSocket *s)
{
  return s->state == PTL_STATE_LISTEN || s->state == PTL_STATE_UNCONN;
}

/* Each relay once, through the port it holds open on the host (its
 * listener; its connections to the container have other ports). */
static void
resolve_relays (PtlSocketTable *table)
{
  bool *done = calloc (table->n_procs ? table->n_procs : 1, sizeof *done);

  if (done == NULL)
    return;
  for (size_t i = 0; i < table->len; i++)
    for (size_t k = 0; k < table->rows[i].n_owners && is_bound (&table->rows[i]); k++)
      {
        size_t idx = table->owner_links[table->rows[i].owners_first + k];

        if (done[idx] || !is_relay (&table->procs[idx]))
          continue;
        done[idx] = true;
        resolve_relay (&table->procs[idx], &table->rows[i]);
      }
  free (done);
}

void
ptl_linux_containers_name (PtlSocketTable *table)
{
  for (size_t i = 0; i < table->n_procs; i++)
    if (table->procs[i].container.engine != PTL_ENGINE_NONE)
      ptl_linux_engine_describe (&table->procs[i].container);
  resolve_relays (table);
}
