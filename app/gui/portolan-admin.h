/* portolan-admin.h: administrator rights, asked for only when they would
 * show something ("Show All Owners…", End Process… on another user's
 * process), and only for the smallest step.
 *
 * Linux: the installed portolan-cli runs as root through pkexec, one
 * command at a time (`list --json` for owners, `kill --pid --start-time`
 * to end a process); polkit decides and asks (polkit policy in
 * resources/polkit/). The app itself never runs as root. Windows: the app
 * starts again elevated through UAC ("Restart as Administrator…").
 * portolan-admin-pkexec.c is the Linux helper; portolan-admin-none.c
 * stands in where there is none.
 */
#pragma once

#include <gio/gio.h>

#include "portolan-scan.h"
#include "ptl-platform.h"

G_BEGIN_DECLS

/* Whether a window shows owners read with administrator rights. */
typedef enum
{
  PORTOLAN_ALL_OWNERS_OFF,
  PORTOLAN_ALL_OWNERS_ASKING, /* waiting for the authentication */
  PORTOLAN_ALL_OWNERS_ON,     /* refreshes read hidden owners too, while polkit allows */
} PortolanAllOwners;

#define PORTOLAN_ADMIN_ERROR (portolan_admin_error_quark ())
GQuark portolan_admin_error_quark (void);

typedef enum
{
  PORTOLAN_ADMIN_ERROR_UNAVAILABLE, /* no pkexec, no polkit, no installed portolan-cli */
  PORTOLAN_ADMIN_ERROR_DISMISSED,   /* the person cancelled the authentication */
  PORTOLAN_ADMIN_ERROR_DENIED,      /* polkit said no (or no agent could ask) */
  PORTOLAN_ADMIN_ERROR_EXPIRED,     /* polkit would ask again: a refresh did not */
  PORTOLAN_ADMIN_ERROR_FAILED,      /* portolan-cli said no; the message is its own */
} PortolanAdminError;

/* This window's way to administrator rights (ptl_platform_elevation). */
PtlElevation portolan_admin_way (void);

/* The button that asks: "Show All Owners…" or "Restart as Administrator…". */
const char *portolan_admin_button_label (void);

/* ---- the helper: portolan-cli as root (Linux) ------------------------------------ */

/* The installed portolan-cli that pkexec runs (an absolute path). */
const char *portolan_admin_helper_path (void);

/**
 * portolan_admin_read_owners:
 * The socket table with owners as root sees it, for local ports
 * @first..@last (0..65535: the whole table): `pkexec HELPER list --json
 * [--port first-last]`, an argument vector, no shell. With @interactive
 * FALSE (a refresh) it first asks polkit, without any prompt, whether the
 * run would be allowed as it is, and fails with EXPIRED when polkit would
 * ask. Blocks: for worker threads.
 */
PortolanTable *portolan_admin_read_owners (guint first, guint last, gboolean interactive,
                                           GCancellable *cancellable, GError **error);

/**
 * portolan_admin_end_process:
 * `pkexec HELPER kill PORT --yes --pid PID --start-time T`: portolan-cli
 * checks again as root that @pid still holds @port, started at
 * @start_time and is not protected, then ends it. @said gets what it
 * printed (a sentence). Blocks: for worker threads.
 */
gboolean portolan_admin_end_process (guint port, long pid, guint64 start_time, char **said,
                                     GError **error);

/**
 * portolan_admin_parse_table:
 * The table in @json (what `portolan-cli list --json` writes), with
 * owners, start times included; NULL with an error for anything else.
 */
PortolanTable *portolan_admin_parse_table (const char *json, gsize len, GError **error);

/* The sentence that says how to see every owner without the app's help,
 * with sudo (@port 0: the whole table). */
char *portolan_admin_sudo_hint (guint port);

/* ---- both ways ------------------------------------------------------------------- */

/**
 * portolan_admin_merge_owners:
 * Gives each row of @t whose owner is hidden (owner_hidden), or whose
 * holders were found only in part (owners_partial), what @root (read as
 * root) has for the same socket (inode and protocol): its owners, or the
 * note why it has none, with the note's particulars and the unit. When no hidden row is left, @t
 * keeps only the table notes @root has too ("some owners are hidden" goes). Returns the number of
 * rows that changed.
 */
guint portolan_admin_merge_owners (PtlSocketTable *t, const PtlSocketTable *root);

/* Windows: ptl_platform_restart_elevated in a worker thread. Fails with
 * G_IO_ERROR_CANCELLED when the person declined the prompt. */
void portolan_admin_restart_async (const char *query, const char *view,
                                   GAsyncReadyCallback callback, gpointer user_data);
gboolean portolan_admin_restart_finish (GAsyncResult *result, GError **error);

G_END_DECLS
