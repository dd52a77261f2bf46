/* fuzz-csv.c: libFuzzer target for the CSV writer. Any bytes in (process
 * names, paths, command lines, users, addresses) must come out as RFC 4180
 * CSV that parses back, field for field, to exactly what went in.
 */
#define _GNU_SOURCE

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-tables.h"

#define N_COLUMNS 18

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
expect_field (const char *got, const char *want, size_t row, int column)
{
  if (strcmp (got, want) != 0)
    ptl_fuzz_fail ("CSV row %zu column %d reads back as '%s', not '%s'", row, column, got, want);
}

/* What one owners cell must hold: each owner's @what, joined by "; ". */
static char *
owners_cell (const PtlSocketTable *t, const PtlSocket *s, int what)
{
  PtlBuf cell;
  char *copy;

  ptl_buf_init (&cell);
  for (size_t i = 0; i < s->n_owners; i++)
    {
      const PtlProcess *p = ptl_socket_owner (t, s, i);

      /* Units and containers: only the owners that have one. */
      if ((what == 4 && p->unit[0] == '\0')
          || (what == 5 && p->container.engine == PTL_ENGINE_NONE))
        continue;
      ptl_buf_puts (&cell, (what < 4 ? i > 0 : cell.len > 0) ? "; " : "");
      if (what == 0)
        ptl_buf_printf (&cell, "%ld", p->pid);
      else if (what == 4)
        ptl_buf_puts (&cell, p->user_unit[0] ? p->user_unit : p->unit);
      else if (what == 5)
        ptl_buf_printf (&cell, "%s:%s", ptl_engine_name (p->container.engine), p->container.id);
      else
        ptl_buf_puts (&cell, what == 1 ? p->name : what == 2 ? p->path : p->cmdline);
    }
  copy = strdup (ptl_buf_str (&cell));
  ptl_buf_clear (&cell);
  return copy;
}

/* unit, container, netns, owner_detail: the columns added last. */
static void
check_new_columns (const PtlSocketTable *t, const PtlSocket *s, size_t i, char **f)
{
  char *unit = s->n_owners ? owners_cell (t, s, 4) : strdup (s->unit ? s->unit : "");
  char *container = owners_cell (t, s, 5);
  const PtlNetns *ns = ptl_socket_netns (t, s);
  char num[32] = "";

  expect_field (f[14], unit, i, 14);
  expect_field (f[15], container, i, 15);
  free (unit), free (container);
  if (ns)
    snprintf (num, sizeof num, "%llu", (unsigned long long) ns->id);
  expect_field (f[16], num, i, 16);
  expect_field (f[17], s->owner_detail ? s->owner_detail : "", i, 17);
}

static void
check_row (const PtlSocketTable *t, size_t i, char **f)
{
  const PtlSocket *s = &t->rows[i];
  char num[32];

  expect_field (f[0], ptl_proto_name (s->proto), i, 0);
  expect_field (f[1], ptl_family_name (s->family), i, 1);
  expect_field (f[2], s->local_address, i, 2);
  snprintf (num, sizeof num, "%u", s->local_port);
  expect_field (f[3], num, i, 3);
  expect_field (f[4], s->remote_address, i, 4);
  snprintf (num, sizeof num, "%u", s->remote_port);
  expect_field (f[5], num, i, 5);
  expect_field (f[6], ptl_state_name (s->state), i, 6);
  num[0] = '\0';
  if (s->uid >= 0)
    snprintf (num, sizeof num, "%ld", s->uid);
  expect_field (f[7], num, i, 7);
  expect_field (f[8], s->user, i, 8);
  for (int what = 0; what < 4; what++)
    {
      char *want = owners_cell (t, s, what);
      expect_field (f[9 + what], want, i, 9 + what);
      free (want);
    }
  expect_field (f[13], s->owner_note ? s->owner_note : "", i, 13);
  check_new_columns (t, s, i, f);
}

static void
check_table (const PtlSocketTable *t)
{
  PtlFuzzCsvRecord *records = NULL;
  PtlBuf buf;
  long n;

  ptl_buf_init (&buf);
  ptl_format_table_csv (t, &buf);
  PTL_FUZZ_CHECK (!buf.failed);
  n = ptl_fuzz_csv_parse (ptl_buf_str (&buf), buf.len, &records);
  if (n < 0)
    ptl_fuzz_fail ("the table is not valid CSV:\n%s", ptl_buf_str (&buf));
  PTL_FUZZ_CHECK ((size_t) n == t->len + 1);
  for (long r = 0; r < n; r++)
    PTL_FUZZ_CHECK (records[r].n_fields == N_COLUMNS);
  for (size_t i = 0; i < t->len; i++)
    check_row (t, i, records[i + 1].fields);
  ptl_fuzz_csv_free (records, (size_t) n);
  ptl_buf_clear (&buf);
}

/* One field alone, as the first field of a one-record document. */
static void
check_field (PtlFuzzInput *in)
{
  char *s = ptl_fuzz_string (in, 255);
  PtlFuzzCsvRecord *records = NULL;
  PtlBuf buf;
  long n;

  ptl_buf_init (&buf);
  ptl_csv_field (&buf, s);
  ptl_buf_puts (&buf, ",x\n");
  n = ptl_fuzz_csv_parse (ptl_buf_str (&buf), buf.len, &records);
  if (n != 1 || records[0].n_fields != 2 || strcmp (records[0].fields[0], s) != 0)
    ptl_fuzz_fail ("ptl_csv_field does not round-trip: %s", ptl_buf_str (&buf));
  ptl_fuzz_csv_free (records, (size_t) n);
  ptl_buf_clear (&buf);
  free (s);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  PtlFuzzInput in = { data, size };
  PtlSocketTable table;

  check_field (&in);
  ptl_socket_table_init (&table);
  ptl_fuzz_table (&in, &table);
  check_table (&table);
  ptl_socket_table_clear (&table);
  return 0;
}
