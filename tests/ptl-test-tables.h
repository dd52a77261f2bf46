/* ptl-test-tables.h: socket tables and report sets built by hand, for the
 * writer tests (test-format-json.c, test-format-text.c). Nothing here asks
 * the platform anything.
 */
#pragma once

#include <glib.h>

#include "ptl-report.h"

G_BEGIN_DECLS

/* A process name and a path meant to break writers and terminals. */
#define PTL_TEST_EVIL_NAME "evil\"name\\\n\x1b[31m"
#define PTL_TEST_EVIL_PATH "/tmp/\xff\xfe/bin\x1b]0;title\x07"

/* One input and what a writer must make of it. */
typedef struct
{
  const char *in;
  const char *out;
} PtlTestStrCase;

char *ptl_test_buf_steal (PtlBuf *buf);
char *ptl_test_table_output (const PtlSocketTable *t,
                             void (*writer) (const PtlSocketTable *, PtlBuf *));
char *ptl_test_long_cmdline (size_t size);

PtlSocket *ptl_test_add_socket (PtlSocketTable *t, PtlProto proto, PtlFamily family,
                                const char *local, unsigned port, PtlState state);
void ptl_test_own (PtlSocketTable *t, size_t row, long pid, const char *name, const char *path,
                   const char *cmdline);

void ptl_test_set_init (PtlReportSet *set, const char *query);
void ptl_test_set_rules (PtlReportSet *set);
void ptl_test_set_fill_machine (PtlReportSet *set);
void ptl_test_set_1644 (PtlReportSet *set);

G_END_DECLS
