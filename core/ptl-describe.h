/* ptl-describe.h: the phrases every view uses for who holds a socket:
 * its container, its network namespace, what a relay publishes, and
 * why a socket has no owner. One wording for the CLI's text, check, the
 * port report and the app.
 *
 * The phrases hold text from the system (names, ids): a view shows them
 * through ptl_text_safe like any other such text.
 */
#pragma once

#include "ptl-buf.h"
#include "ptl-socket.h"

/** ptl_describe_container: "web (docker 5115e0907c6c)", or "docker 5115e0907c6c" without a name. */
void ptl_describe_container (const PtlContainer *c, PtlBuf *out);

/**
 * ptl_describe_netns:
 * "container web (docker 5115e0907c6c)", "ip netns blue", or "network
 * namespace net:[4026532185]"; "this network namespace" for NULL.
 */
void ptl_describe_netns (const PtlNetns *ns, PtlBuf *out);

/**
 * ptl_describe_relay:
 * "publishes container web (5115e0907c6c) port 8080/tcp", or "relays to
 * 172.17.0.2 port 8080/tcp" when the container is not known.
 */
void ptl_describe_relay (const PtlRelay *r, PtlBuf *out);

/**
 * ptl_describe_owner_note:
 * Why @s has no owner, with its particulars: "owner hidden: needs root
 * (socket of user redis, in redis-server.service)". "-" when it has no note.
 */
void ptl_describe_owner_note (const PtlSocket *s, PtlBuf *out);

/**
 * ptl_describe_units:
 * "nginx.service", or "app.scope in user@1000.service"; nothing when
 * @p has no unit.
 */
void ptl_describe_units (const PtlProcess *p, PtlBuf *out);

/**
 * ptl_describe_other_namespaces:
 * The sentence about the network namespaces other than the reader's that
 * @table saw, or nothing when it saw none: how many there are, and that
 * reading them needs root, or how to list them (@how, e.g. "'list
 * --all-namespaces' shows their sockets"; NULL to leave it out).
 */
void ptl_describe_other_namespaces (const PtlSocketTable *table, const char *how, PtlBuf *out);
