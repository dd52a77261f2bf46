/* portolan-scan-owners.h: owners carried from the last table to the next,
 * so a refresh searches only for new sockets' owners. */
#pragma once

#include <glib.h>

#include "ptl-platform.h"

G_BEGIN_DECLS

/* A row whose owner was not found in the last table either: its inode is
 * hidden from the platform's search, and given back afterwards. */
typedef struct
{
  size_t row;
  guint64 inode;
  const PtlSocket *old; /* the row in the previous table: its note and particulars */
} PortolanParked;

/* Before ptl_platform_find_owners: each row of @t whose inode was in @prev
 * gets @prev's owners when every one of them still runs with the same start
 * time; a row whose owner @prev could not find is parked in @parked
 * (PortolanParked) instead of searched again. */
void portolan_scan_carry_owners (PtlSocketTable *t, const PtlSocketTable *prev, GArray *parked);

/* After ptl_platform_find_owners: gives the parked rows back their inode
 * and note, and @prev's table notes that only they would have earned. */
void portolan_scan_unpark (PtlSocketTable *t, const PtlSocketTable *prev, GArray *parked);

G_END_DECLS
