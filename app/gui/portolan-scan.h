/* portolan-scan.h: the GUI's scans, always off the UI thread (GTask). */
#pragma once

#include <gio/gio.h>

#include "ptl-report.h"
#include "ptl-socket.h"

G_BEGIN_DECLS

/* A scan that answers faster than this shows no spinner at all: the
 * Port view and the Connections view wait the same time. */
#define PORTOLAN_SPINNER_DELAY_MS 200

/* A PtlSocketTable with owners, boxed so it can travel through a GTask. */
typedef struct _PortolanTable PortolanTable;
struct _PortolanTable
{
  PtlSocketTable table;
  gint extra_refs; /* 0 for a table with one holder (g_new0 makes that) */
};

/* A table is freed when its last holder lets go: a scan may read the
 * table the model shows while the model moves on. */
PortolanTable *portolan_table_ref (PortolanTable *self);
void portolan_table_free (PortolanTable *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PortolanTable, portolan_table_free)

/* Reads the whole table (or @filter's part; NULL = everything) with owners
 * in a worker thread. */
void portolan_scan_table_async (const PtlSocketFilter *filter, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data);

/* The same, for a refresh: sockets already in @previous (a reference is
 * taken; NULL for a full attribution) keep their owners when those still
 * run, and only new sockets' owners are searched (portolan-scan-owners.c).
 * @scope says which network namespaces (PTL_NETNS_ALL: the others' rows
 * too, as root; PTL_NETNS_COUNT: only how many there are). */
void portolan_scan_refresh_async (PortolanTable *previous, PtlNetnsScope scope,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data);
PortolanTable *portolan_scan_table_finish (GAsyncResult *result, GError **error);

/* Owners hidden from this user, read with administrator rights during a
 * scan (portolan-admin.h). */
typedef struct
{
  gboolean read_hidden;     /* ask the helper for hidden owners, without a prompt */
  PortolanTable *root_view; /* owners read as root already, merged first; may be NULL */
} PortolanScanAdmin;

/* portolan_scan_refresh_async and portolan_scan_report_async with @admin
 * (may be NULL: nothing read as root). */
void portolan_scan_refresh_admin_async (PortolanTable *previous, PtlNetnsScope scope,
                                        const PortolanScanAdmin *admin, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data);
void portolan_scan_report_admin_async (const char *query_text, const PortolanScanAdmin *admin,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data);

/* Why hidden owners could not be read during the scan of @result, or NULL
 * (not asked, nothing hidden, or read). Owned by @result. */
const GError *portolan_scan_admin_error (GAsyncResult *result);

/* Builds the report for @query_text (the CLI's query syntax) in a worker
 * thread. A query that does not parse fails at once with the core's sentence
 * as the GError message (G_IO_ERROR_INVALID_ARGUMENT). */
void portolan_scan_report_async (const char *query_text, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data);
PtlReportSet *portolan_scan_report_finish (GAsyncResult *result, GError **error);

void portolan_report_set_free (PtlReportSet *set);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PtlReportSet, portolan_report_set_free)

G_END_DECLS
