/* portolan-scan-owners.c: owner attribution across refreshes.
 *
 * Finding a socket's owner means reading the fd links of processes; with
 * 18,000 sockets every refresh would read every fd on the machine. Between
 * two refreshes most sockets are the same sockets (same inode), held by the
 * same processes. So a socket whose inode was in the last table keeps that
 * table's owners when each of them still runs with the same start time (one
 * read of /proc/PID/stat per process, not per socket), and a socket whose
 * owner could not be found last time keeps that answer; only new inodes are
 * searched. What this can miss (an fd passed to another process, a holder
 * that closed its copy while a co-owner lives on) is caught by the full
 * attribution the Connections view asks for every few refreshes.
 */
#include "portolan-scan-owners.h"

typedef struct
{
  GHashTable *by_inode; /* inode -> 1 + row index in the previous table */
  GHashTable *alive;    /* pid -> 1 (alive, same start) or 2 (gone or another process) */
} Carry;

static gboolean
owner_alive (Carry *c, const PtlProcess *p)
{
  gpointer key = GSIZE_TO_POINTER ((gsize) p->pid);
  guint seen = GPOINTER_TO_UINT (g_hash_table_lookup (c->alive, key));

  if (seen == 0)
    {
      seen = ptl_platform_process_alive (p->pid, p->start_time) ? 1 : 2;
      g_hash_table_insert (c->alive, key, GUINT_TO_POINTER (seen));
    }
  return seen == 1;
}

/* Gives @row the owners @old had in @prev when all of them still run. */
static gboolean
carry_row (Carry *c, PtlSocketTable *t, size_t row, const PtlSocketTable *prev,
           const PtlSocket *old)
{
  for (size_t k = 0; k < old->n_owners; k++)
    if (!owner_alive (c, ptl_socket_owner (prev, old, k)))
      return FALSE;
  /* The processes whole (unit, container, relay), and the row's particulars. */
  return ptl_socket_table_copy_owners (t, row, prev, old) == 0;
}

static GHashTable *
index_inodes (const PtlSocketTable *prev)
{
  GHashTable *by_inode = g_hash_table_new (g_int64_hash, g_int64_equal);

  for (size_t i = 0; i < prev->len; i++)
    if (prev->rows[i].inode != 0)
      g_hash_table_insert (by_inode, (gpointer) &prev->rows[i].inode, GSIZE_TO_POINTER (i + 1));
  return by_inode;
}

void
portolan_scan_carry_owners (PtlSocketTable *t, const PtlSocketTable *prev, GArray *parked)
{
  Carry c = { index_inodes (prev), g_hash_table_new (g_direct_hash, g_direct_equal) };

  for (size_t i = 0; i < t->len; i++)
    {
      PtlSocket *s = &t->rows[i];
      gsize at = s->inode ? GPOINTER_TO_SIZE (g_hash_table_lookup (c.by_inode, &s->inode)) : 0;
      const PtlSocket *old = at ? &prev->rows[at - 1] : NULL;

      if (old == NULL || old->proto != s->proto)
        continue;
      if (old->n_owners > 0)
        {
          carry_row (&c, t, i, prev, old);
          continue;
        }
      if (old->owner_note == NULL)
        continue;
      /* Not found (or hidden) last time: not searched again. The inode is
       * put aside so the platform does not look for it. */
      g_array_append_val (parked, ((PortolanParked){ i, s->inode, old }));
      s->inode = 0;
    }
  g_hash_table_unref (c.by_inode);
  g_hash_table_unref (c.alive);
}

void
portolan_scan_unpark (PtlSocketTable *t, const PtlSocketTable *prev, GArray *parked)
{
  for (guint i = 0; i < parked->len; i++)
    {
      const PortolanParked *p = &g_array_index (parked, PortolanParked, i);

      t->rows[p->row].inode = p->inode;
      ptl_socket_table_copy_owners (t, p->row, prev, p->old);
    }
  /* The platform's table-wide notes about owners (such as "some owners
   * are hidden") were written for the rows it saw; for the rows put aside
   * they come from the last table. */
  for (size_t i = 0; parked->len > 0 && i < prev->n_notes; i++)
    {
      gboolean have = FALSE;

      for (size_t k = 0; k < t->n_notes && !have; k++)
        have = g_strcmp0 (t->notes[k], prev->notes[i]) == 0;
      if (!have)
        ptl_socket_table_add_note (t, prev->notes[i]);
    }
}
