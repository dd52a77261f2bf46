/* ptl-socket.h: the socket table model shared by every platform.
 *
 * A table owns its rows, the processes that own them, and the links between
 * the two: one process can own thousands of sockets, and one socket can have
 * several owners (fork, socket activation), so owners are stored once and
 * referenced by index.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ptl-error.h"
#include "ptl-port.h"

typedef enum
{
  PTL_FAMILY_IPV4 = 1 << 0,
  PTL_FAMILY_IPV6 = 1 << 1,
} PtlFamily;

#define PTL_FAMILY_ALL (PTL_FAMILY_IPV4 | PTL_FAMILY_IPV6)

/* netstat-style states; the numbering is ours, not any OS's. */
typedef enum
{
  PTL_STATE_UNKNOWN = 0,
  PTL_STATE_ESTABLISHED,
  PTL_STATE_SYN_SENT,
  PTL_STATE_SYN_RECV,
  PTL_STATE_FIN_WAIT1,
  PTL_STATE_FIN_WAIT2,
  PTL_STATE_TIME_WAIT,
  PTL_STATE_CLOSE,
  PTL_STATE_CLOSE_WAIT,
  PTL_STATE_LAST_ACK,
  PTL_STATE_LISTEN,
  PTL_STATE_CLOSING,
  PTL_STATE_UNCONN, /* bound, unconnected UDP */
  PTL_STATE_DELETE_TCB,
  PTL_N_STATES
} PtlState;

/** ptl_state_name: "LISTEN", "ESTABLISHED", "UNCONN", … (stable, used in JSON). */
const char *ptl_state_name (PtlState state);

/** ptl_family_name: "ipv4" or "ipv6" (stable, used in JSON). */
const char *ptl_family_name (PtlFamily family);

#define PTL_ADDR_MAX 64 /* fits an IPv6 text address with scope */
#define PTL_USER_MAX 64
#define PTL_UNIT_MAX 128        /* a systemd unit name, "docker-<64 hex>.scope" included */
#define PTL_CONTAINER_ID_MAX 80 /* 64 hex digits, or an LXC container's name */
#define PTL_CONTAINER_NAME_MAX 128

/* The container engines Portolan recognises a process's container by. */
typedef enum
{
  PTL_ENGINE_NONE = 0,
  PTL_ENGINE_DOCKER,
  PTL_ENGINE_PODMAN,
  PTL_ENGINE_CONTAINERD, /* containerd itself, or as Kubernetes' runtime */
  PTL_ENGINE_CRIO,
  PTL_ENGINE_LXC,
  PTL_ENGINE_KUBERNETES, /* a pod's container whose runtime its cgroup does not name */
} PtlEngine;

/**
 * ptl_engine_name: "docker", "podman", "containerd", "cri-o", "lxc" or "kubernetes"
 * (stable, used in JSON).
 */
const char *ptl_engine_name (PtlEngine engine);

typedef struct
{
  PtlEngine engine;                  /* PTL_ENGINE_NONE: not in a container */
  char id[PTL_CONTAINER_ID_MAX];     /* the engine's id (full), or LXC's container name */
  char name[PTL_CONTAINER_NAME_MAX]; /* from the engine's own CLI; "" when it could not tell */
  char pod[PTL_CONTAINER_NAME_MAX];  /* Kubernetes: the pod's name, when the CLI told */
} PtlContainer;

/* A process that relays a published port to a container (docker-proxy,
 * Podman's conmon or rootlessport): where the traffic goes. */
typedef struct
{
  PtlProto proto;             /* 0: the process is not a relay */
  char address[PTL_ADDR_MAX]; /* the container's address; "" when not known */
  unsigned port;              /* the container's port; 0 when not known */
  PtlContainer container;     /* engine NONE when the container is not known */
} PtlRelay;

typedef struct
{
  long pid;
  uint64_t start_time; /* OS-specific ticks; 0 when unknown */
  long uid;            /* -1 when unknown (e.g. Windows SIDs) */
  char *name;          /* never NULL */
  char *path;          /* "" when unreadable */
  char *cmdline;       /* "" when unreadable */
  char user[PTL_USER_MAX];
  /* Linux: the thread whose fd table holds the sockets when it is not the
   * main thread's (the main thread has exited, or the thread unshared its
   * files); 0 otherwise. */
  long thread;
  bool main_thread_exited;      /* seen: the main thread is a zombie, its threads live on */
  char unit[PTL_UNIT_MAX];      /* systemd unit (nginx.service, user@1000.service); "" */
  char user_unit[PTL_UNIT_MAX]; /* the unit inside a user's manager (user@UID.service); "" */
  PtlContainer container;
  PtlRelay relay;
} PtlProcess;

typedef struct
{
  PtlProto proto;
  PtlFamily family;
  PtlState state;
  char local_address[PTL_ADDR_MAX];
  unsigned local_port;
  char remote_address[PTL_ADDR_MAX];
  unsigned remote_port;
  long uid; /* -1 when the OS does not say */
  char user[PTL_USER_MAX];
  uint64_t inode;                /* 0 when the socket has no file (TIME_WAIT, orphans) */
  uint64_t cookie;               /* the OS's id for the socket (Linux sock_diag); 0 if unknown */
  size_t owners_first, n_owners; /* a slice of PtlSocketTable.owner_links */
  const char *owner_note;        /* static sentence; NULL when owners are known */
  /* The particulars that go with owner_note ("listener 127.0.0.1:8080, held
   * by python3 (PID 12)"): text owned by the table, valid while it lives. */
  const char *owner_detail;
  /* The systemd unit of the cgroup the socket was created in, told by the
   * kernel (Linux cgroup v2): a hint for a socket whose owner is hidden.
   * Owned by the table; NULL when not known. */
  const char *unit;
  unsigned rqueue;     /* LISTEN: connections waiting to be accepted; else bytes unread */
  uint64_t cgroup_id;  /* Linux: the cgroup v2 id the kernel gave; 0 when not told */
  unsigned netns;      /* 0: this network namespace; k: PtlSocketTable.netns[k - 1] */
  bool owners_partial; /* owners listed, but others may be hidden (they need root) */
  /* Administrator rights would show more of the socket's owner: it is
   * hidden (Linux: another user's socket without root; Windows: not even a
   * name without elevation), or (Windows) its path and user are. What the
   * "owner hidden" notes say in words, as a field for front ends that offer
   * to ask for the rights. */
  bool owner_hidden;
} PtlSocket;

#define PTL_TABLE_MAX_NOTES 8

/* A network namespace other than the reader's whose sockets are in a table
 * (containers, ip netns). */
typedef struct
{
  uint64_t id;            /* the namespace's inode (net:[ID]) */
  char name[64];          /* its ip netns name; "" when it has none */
  PtlContainer container; /* the container it belongs to; engine NONE when none */
  long pid;               /* a process inside it; 0 when none was seen */
} PtlNetns;

typedef struct
{
  PtlSocket *rows;
  size_t len, cap;
  PtlProcess *procs;
  size_t n_procs, cap_procs;
  size_t *owner_links; /* process indices, grouped per socket */
  size_t n_links, cap_links;
  char notes[PTL_TABLE_MAX_NOTES][256];
  size_t n_notes;
  char **strings; /* what rows' owner_detail and unit point to */
  size_t n_strings, cap_strings;
  PtlNetns *netns; /* namespaces of the rows with netns > 0 */
  size_t n_netns;
  /* Network namespaces other than the reader's that were seen (processes
   * in them, ip netns names); -1 when they were not counted. */
  long n_other_netns;
  bool other_netns_read;      /* their sockets were read into this table */
  bool other_netns_need_root; /* they exist, but reading them needs root */
} PtlSocketTable;

/* Which network namespaces a read covers (Linux; elsewhere there is one). */
typedef enum
{
  PTL_NETNS_CURRENT = 0, /* the reader's own */
  PTL_NETNS_COUNT,       /* the reader's own, and count the others */
  PTL_NETNS_ALL,         /* the reader's own and every other one (needs root) */
  PTL_NETNS_OTHERS,      /* every other one only (needs root) */
} PtlNetnsScope;

typedef struct
{
  unsigned protos;     /* PTL_PROTO_TCP | PTL_PROTO_UDP; 0 = both */
  unsigned families;   /* PtlFamily mask; 0 = both */
  unsigned port_first; /* local port span; 0..65535 = all */
  unsigned port_last;
  bool listening_only; /* TCP LISTEN and unconnected UDP */
  PtlNetnsScope netns; /* PTL_NETNS_CURRENT unless set */
  /* The caller asks ptl_platform_find_owners for this table next, on the
   * same thread: the platform may start on the owners while it reads the
   * sockets (Linux: the BPF fd walk runs on a second thread). */
  bool owners_follow;
} PtlSocketFilter;

/**
 * ptl_process_clear:
 * Frees the strings of @proc (what ptl_platform_process_info filled); the
 * same on every platform, so it lives here.
 */
void ptl_process_clear (PtlProcess *proc);

/**
 * ptl_endpoint_format:
 * "ADDRESS:PORT" into @out, an IPv6 address in brackets ("[::1]:1645"),
 * the way people and tools write endpoints; a negative @port gives
 * "ADDRESS:*".
 */
void ptl_endpoint_format (char *out, size_t size, const char *addr, long port);

/** ptl_socket_filter_init: every socket, every port. */
void ptl_socket_filter_init (PtlSocketFilter *filter);

/** ptl_socket_filter_match: whether @sock passes @filter (owners are not checked). */
bool ptl_socket_filter_match (const PtlSocketFilter *filter, const PtlSocket *sock);

/** ptl_socket_table_init / _clear: an empty table; clear frees everything in it. */
void ptl_socket_table_init (PtlSocketTable *table);
void ptl_socket_table_clear (PtlSocketTable *table);

/** ptl_socket_table_append: adds a copy of @sock (without owners); NULL on ENOMEM. */
PtlSocket *ptl_socket_table_append (PtlSocketTable *table, const PtlSocket *sock);

/**
 * ptl_socket_table_add_process:
 * Adds a process (strings are copied; NULL becomes "") and returns its index,
 * or (size_t)-1 when memory runs out. Adding a PID twice returns the first.
 */
size_t ptl_socket_table_add_process (PtlSocketTable *table, long pid, uint64_t start_time, long uid,
                                     const char *user, const char *name, const char *path,
                                     const char *cmdline);

/**
 * ptl_socket_table_set_owners:
 * Records that socket @row is owned by the processes @procs[0..n), replacing
 * earlier owners. Returns 0 or PTL_ENOMEM.
 */
int ptl_socket_table_set_owners (PtlSocketTable *table, size_t row, const size_t *procs, size_t n);

/**
 * ptl_socket_table_add_proc:
 * Adds a copy of @proc (its strings are copied) and returns its index, or
 * (size_t)-1 when memory runs out. Adding a PID twice returns the first.
 */
size_t ptl_socket_table_add_proc (PtlSocketTable *table, const PtlProcess *proc);

/**
 * ptl_socket_table_keep_string:
 * A copy of @text that lives as long as @table (for owner_detail and
 * unit), the same copy for the same text; NULL when memory runs out.
 */
const char *ptl_socket_table_keep_string (PtlSocketTable *table, const char *text);

/**
 * ptl_socket_table_add_netns:
 * Adds the description of another network namespace (once: the same id
 * gives the same value) and returns the value for PtlSocket.netns (1 for
 * the first), or 0 when memory runs out.
 */
unsigned ptl_socket_table_add_netns (PtlSocketTable *table, const PtlNetns *ns);

/**
 * ptl_socket_table_copy_owners:
 * Gives row @row of @to the owners @s has in @from (their processes copied
 * whole: units, containers, relays), and @s's owner note, its particulars,
 * owners_partial and owner_hidden; strings are copied into @to. The row's namespace is
 * left as it is. Returns 0 or PTL_ENOMEM.
 */
int ptl_socket_table_copy_owners (PtlSocketTable *to, size_t row, const PtlSocketTable *from,
                                  const PtlSocket *s);

/** ptl_socket_netns: the namespace of @sock, or NULL for the reader's own. */
const PtlNetns *ptl_socket_netns (const PtlSocketTable *table, const PtlSocket *sock);

/** ptl_socket_owner: the @i-th owner of @sock. */
const PtlProcess *ptl_socket_owner (const PtlSocketTable *table, const PtlSocket *sock, size_t i);

/**
 * ptl_socket_table_owners_hidden:
 * Whether some row of @table has an owner hidden from this process
 * (PtlSocket.owner_hidden): what administrator rights would show.
 */
bool ptl_socket_table_owners_hidden (const PtlSocketTable *table);

/** ptl_socket_table_add_note: a sentence shown with the table (e.g. a fallback). */
void ptl_socket_table_add_note (PtlSocketTable *table, const char *note);

/**
 * ptl_socket_table_filter_pid:
 * Drops rows that @pid does not own. Owners are known only after
 * ptl_platform_find_owners, so this is a step of its own rather than a
 * field of PtlSocketFilter.
 */
void ptl_socket_table_filter_pid (PtlSocketTable *table, long pid);

/**
 * ptl_socket_cmp_endpoints:
 * Orders two sockets by protocol, family, local port, local address, remote
 * address and remote port: the part of the row order that the table sort
 * and the snapshot key share.
 */
int ptl_socket_cmp_endpoints (const PtlSocket *a, const PtlSocket *b);

/**
 * ptl_socket_table_sort:
 * Orders rows by protocol, family, local port, local address, remote, state:
 * the order people expect from ss/netstat, and a stable order for diffs.
 * Rows of other network namespaces follow the reader's own, one block per
 * namespace.
 */
void ptl_socket_table_sort (PtlSocketTable *table);
