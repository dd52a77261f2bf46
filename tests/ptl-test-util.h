/* ptl-test-util.h: what the CLI integration tests share: where the built
 * binaries are, running portolan-cli, reading its JSON, and the
 * socket-holding child (ptl-test-holder).
 *
 * The holder is a child whose stdin we hold: closing that pipe ends it, so a
 * failed assertion (which aborts the test process) also ends every holder.
 * Ports always come from the kernel.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* ---- paths and the machine ------------------------------------------------ */

const char *ptl_test_cli_path (void);
const char *ptl_test_holder_path (void);
void ptl_test_set_cli_path (const char *path);
void ptl_test_set_holder_path (const char *path);

gboolean ptl_test_have_ipv6_loopback (void);
/* @specs (holder SPECs, NULL-terminated) without the IPv6 ones when there
 * is no IPv6 on loopback; free the array (not the strings). */
const char **ptl_test_usable_specs (const char *const *specs);
void ptl_test_read_ephemeral_range (guint *first, guint *last);

/* ---- running programs ------------------------------------------------------ */

int ptl_test_spawn_sync (const char *const *prefix, const char *const *args, char **envp,
                         char **out, char **err);

typedef struct
{
  const char *const *prefix; /* e.g. setpriv …; NULL for none */
  char **envp;               /* NULL: inherit */
} PtlTestCliCtx;

int ptl_test_cli_runv (const PtlTestCliCtx *ctx, const char *const *args, char **out, char **err);
char *ptl_test_cli_cmdline (const char *const *args);
/* @text with every run of white space made one space: wrapped lines read as one. */
char *ptl_test_flatten (const char *text);
JsonNode *ptl_test_parse_json (const char *cmd, const char *text);
JsonNode *ptl_test_cli_json_ctx (const PtlTestCliCtx *ctx, const char *const *args);

#define ptl_test_cli_json(...)                                                                     \
  ptl_test_cli_json_ctx (NULL, (const char *const[]){ __VA_ARGS__, NULL })
#define ptl_test_cli_run(out, err, ...)                                                            \
  ptl_test_cli_runv (NULL, (const char *const[]){ __VA_ARGS__, NULL }, out, err)

/* ---- refusing a system call (seccomp, in a child before exec) ---------------------- */

typedef struct
{
  long nr;         /* the system call, __NR_… */
  long arg0;       /* refuse only when its first argument is this; -1: always */
  int errno_value; /* it fails with this; 0: the process is killed instead */
} PtlTestRefusal;

/* Whether ptl_test_refuse_syscall works here (a known architecture). */
gboolean ptl_test_can_refuse_syscalls (void);
/* A GSpawnChildSetupFunc; @data is a PtlTestRefusal. Exits 121 when the
 * filter cannot be installed. */
void ptl_test_refuse_syscall (gpointer data);

/* ---- running as nobody (CI runs as root) ----------------------------------------- */

/* "setpriv --reuid nobody --regid nogroup --clear-groups"; [0] is NULL
 * without setpriv. */
const char *const *ptl_test_nobody_prefix (void);
/* NULL when nobody can run the CLI and the holder (copying them to a
 * world-readable temporary directory if needed); else why not. */
char *ptl_test_nobody_skip_reason (void);

/* ---- JSON accessors: a missing or mistyped member ends the test loudly ---- */

const char *ptl_test_obj_str (JsonObject *obj, const char *name);
gint64 ptl_test_obj_int (JsonObject *obj, const char *name);
gboolean ptl_test_obj_bool (JsonObject *obj, const char *name);
JsonArray *ptl_test_obj_array (JsonObject *obj, const char *name);
JsonObject *ptl_test_obj_object (JsonObject *obj, const char *name);
JsonArray *ptl_test_list_sockets (JsonNode *root);

/* ---- sockets in the CLI's JSON ----------------------------------------------- */

typedef struct
{
  const char *protocol, *family, *address, *state; /* NULL: any */
  guint port;
  guint remote_port; /* 0: any (a client port can be shared with other destinations) */
} PtlTestSockKey;

JsonObject *ptl_test_find_socket (JsonArray *sockets, const PtlTestSockKey *key);
JsonObject *ptl_test_expect_socket (JsonArray *sockets, const PtlTestSockKey *key);
gboolean ptl_test_socket_has_pid (JsonObject *sock, GPid pid);
void ptl_test_assert_owner (JsonObject *sock, GPid pid, const char *user);

/* The start time of @pid as /proc says (field 22 of /proc/PID/stat, after
 * the parenthesised comm): what `list --json` writes as start_time and
 * `kill --start-time` takes. */
guint64 ptl_test_proc_start_time (GPid pid);

/* ---- owner situations (ptl-test-situations) and the machine's namespaces ------ */

/* The built ptl-test-situations ($PORTOLAN_TEST_SITUATIONS). */
const char *ptl_test_situations_path (void);
/* Starts ptl-test-situations ARGS..., like the holder. */
#define ptl_test_situation_start(...)                                                              \
  ptl_test_holder_start_full (NULL, ptl_test_situations_path (),                                   \
                              (const char *const[]){ __VA_ARGS__, NULL })
/* ptl-test-situations ARGS... in a network namespace of its own (unshare
 * --net); NULL when that cannot be done here (not root, no unshare). */
struct _PtlTestHolder *ptl_test_situation_start_netns (const char *const *args);
/* Where the cgroup v2 hierarchy is mounted, or NULL. */
char *ptl_test_cgroup2_mount (void);

/* A cgroup named like a systemd service, PREFIX-PID.slice/PREFIX-PID.service
 * under the v2 hierarchy, as systemd would make for a unit (root only). */
typedef struct
{
  char *slice, *dir; /* the two directories */
  char *unit;        /* "PREFIX-PID.service" */
} PtlTestUnitCgroup;

/* NULL, with the reason in *@why, when it cannot be made here. */
PtlTestUnitCgroup *ptl_test_unit_cgroup_new (const char *prefix, char **why);
/* Removes the directories (no process may be left in them) and frees. */
void ptl_test_unit_cgroup_free (PtlTestUnitCgroup *cg);

/* ---- the holder child -------------------------------------------------------- */

typedef struct _PtlTestHolder
{
  GPid pid;
  int stdin_fd; /* closing it ends the holder */
  gboolean reaped;
  int wait_status;
  GHashTable *ports; /* spec → "PORT" or "LISTENPORT CLIENTPORT" */
} PtlTestHolder;

PtlTestHolder *ptl_test_holder_start_full (const char *const *prefix, const char *path,
                                           const char *const *args);
guint ptl_test_holder_port_n (PtlTestHolder *h, const char *spec, guint n);
gboolean ptl_test_holder_wait (PtlTestHolder *h, guint ms);
gboolean ptl_test_holder_alive (PtlTestHolder *h);
void ptl_test_holder_free (PtlTestHolder *h);

#define ptl_test_holder_start(...)                                                                 \
  ptl_test_holder_start_full (NULL, ptl_test_holder_path (),                                       \
                              (const char *const[]){ __VA_ARGS__, NULL })
#define ptl_test_holder_port(h, spec) ptl_test_holder_port_n (h, spec, 0)
#define ptl_test_holder_client_port(h, spec) ptl_test_holder_port_n (h, spec, 1)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtlTestHolder, ptl_test_holder_free)

G_END_DECLS
