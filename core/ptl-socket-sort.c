/* ptl-socket-sort.c: the row order of a socket table.
 *
 * Rows of the reader's own network namespace come first, then each other
 * namespace's as a block; within each, rows are ordered by protocol, family, local port, local
 * address, remote address, remote port, state and inode, the addresses compared as text (strcmp).
 * Sorted that way directly, a 20,000-row table spent most of the time in strcmp and in qsort's
 * indirect calls and copies. A table holds few distinct addresses, though: each one is given its
 * rank in strcmp order once, the rows become fixed-size integer keys sorted with the comparison
 * inlined, and the rows are moved into place by following the cycles of the permutation (no second
 * copy of the table). The order is the same as before, row for row.
 */
#include "ptl-socket.h"

#include <stdlib.h>
#include <string.h>

typedef struct
{
  unsigned ns; /* PtlSocket.netns: 0 for the reader's own namespace */
  uint64_t hi; /* proto, family, local port, local address rank */
  uint64_t lo; /* remote address rank, remote port, state */
  uint64_t inode;
  size_t row;
} Key;

/* Distinct address strings, then their ranks in strcmp order. */
typedef struct
{
  const char **strs; /* by id, in order of first sight */
  uint32_t *rank;    /* by id */
  uint32_t *slots;   /* open addressing: id + 1, 0 when free */
  size_t mask, n;
} Interner;

static int
cmp_unsigned (unsigned a, unsigned b)
{
  return (a > b) - (a < b);
}

static int
cmp_rows (const void *pa, const void *pb)
{
  const PtlSocket *a = pa, *b = pb;
  int c;

  if ((c = cmp_unsigned (a->netns, b->netns)) != 0)
    return c;
  if ((c = ptl_socket_cmp_endpoints (a, b)) != 0)
    return c;
  if ((c = cmp_unsigned (a->state, b->state)) != 0)
    return c;
  return (a->inode > b->inode) - (a->inode < b->inode);
}

static uint32_t
hash_str (const char *s)
{
  uint32_t h = 2166136261u; /* FNV-1a */

  for (; *s; s++)
    h = (h ^ (unsigned char) *s) * 16777619u;
  return h;
}

static bool
interner_init (Interner *in, size_t max)
{
  size_t cap = 16;

  while (cap < 2 * max)
    cap *= 2;
  in->mask = cap - 1;
  in->n = 0;
  in->strs = malloc (max * sizeof *in->strs);
  in->rank = malloc (max * sizeof *in->rank);
  in->slots = calloc (cap, sizeof *in->slots);
  return in->strs && in->rank && in->slots;
}

static void
interner_clear (Interner *in)
{
  free (in->strs);
  free (in->rank);
  free (in->slots);
}

static uint32_t
intern (Interner *in, const char *s)
{
  size_t i = hash_str (s) & in->mask;

  for (; in->slots[i] != 0; i = (i + 1) & in->mask)
    if (strcmp (in->strs[in->slots[i] - 1], s) == 0)
      return in->slots[i] - 1;
  in->strs[in->n] = s;
  in->slots[i] = (uint32_t) ++in->n;
  return (uint32_t) (in->n - 1);
}

typedef struct
{
  const char *str;
  uint32_t id;
} Distinct;

static int
cmp_distinct (const void *a, const void *b)
{
  return strcmp (((const Distinct *) a)->str, ((const Distinct *) b)->str);
}

/* rank[id]: the position of string id among the distinct strings. */
static bool
assign_ranks (Interner *in)
{
  Distinct *order = malloc ((in->n ? in->n : 1) * sizeof *order);

  if (order == NULL)
    return false;
  for (size_t i = 0; i < in->n; i++)
    order[i] = (Distinct){ in->strs[i], (uint32_t) i };
  qsort (order, in->n, sizeof *order, cmp_distinct);
  for (size_t r = 0; r < in->n; r++)
    in->rank[order[r].id] = (uint32_t) r;
  free (order);
  return true;
}

static bool
key_less (const Key *a, const Key *b)
{
  if (a->ns != b->ns)
    return a->ns < b->ns;
  if (a->hi != b->hi)
    return a->hi < b->hi;
  if (a->lo != b->lo)
    return a->lo < b->lo;
  return a->inode < b->inode;
}

/* Bottom-up merge sort of @keys, with @tmp as long; the result may end in
 * either array: returns which. */
static Key *
merge_sort (Key *keys, Key *tmp, size_t n)
{
  Key *src = keys, *dst = tmp;

  for (size_t width = 1; width < n; width *= 2)
    {
      for (size_t lo = 0; lo < n; lo += 2 * width)
        {
          size_t mid = lo + width < n ? lo + width : n;
          size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
          size_t i = lo, j = mid, k = lo;

          while (i < mid && j < hi)
            dst[k++] = key_less (&src[j], &src[i]) ? src[j++] : src[i++];
          while (i < mid)
            dst[k++] = src[i++];
          while (j < hi)
            dst[k++] = src[j++];
        }
      Key *swap = src;
      src = dst, dst = swap;
    }
  return src;
}

/* Whether every field fits its place in the key. */
static bool
keyable (const PtlSocket *s)
{
  return (unsigned) s->proto < 256 && (unsigned) s->family < 256 && s->local_port < 65536
         && s->remote_port < 65536 && (unsigned) s->state < 65536;
}

/* Keys for every row, with address ids in the rank fields for now. */
static bool
make_keys (const PtlSocketTable *t, Key *keys, Interner *in)
{
  for (size_t i = 0; i < t->len; i++)
    {
      const PtlSocket *s = &t->rows[i];

      if (!keyable (s))
        return false;
      keys[i].hi = (uint64_t) s->proto << 56 | (uint64_t) s->family << 48
                   | (uint64_t) s->local_port << 32 | intern (in, s->local_address);
      keys[i].lo = (uint64_t) intern (in, s->remote_address) << 32 | (uint64_t) s->remote_port << 16
                   | (uint64_t) s->state;
      keys[i].inode = s->inode;
      keys[i].ns = s->netns;
      keys[i].row = i;
    }
  return true;
}

static void
rank_keys (Key *keys, size_t n, const Interner *in)
{
  for (size_t i = 0; i < n; i++)
    {
      keys[i].hi = (keys[i].hi & ~(uint64_t) UINT32_MAX) | in->rank[keys[i].hi & UINT32_MAX];
      keys[i].lo = (keys[i].lo & UINT32_MAX) | (uint64_t) in->rank[keys[i].lo >> 32] << 32;
    }
}

/* Puts row keys[i].row at position i, one cycle at a time. */
static void
permute (PtlSocketTable *t, Key *keys)
{
  for (size_t i = 0; i < t->len; i++)
    {
      PtlSocket held;
      size_t j = i;

      if (keys[i].row == i)
        continue;
      held = t->rows[i];
      while (keys[j].row != i)
        {
          size_t from = keys[j].row;
          t->rows[j] = t->rows[from];
          keys[j].row = j;
          j = from;
        }
      t->rows[j] = held;
      keys[j].row = j;
    }
}

static bool
sort_by_keys (PtlSocketTable *t)
{
  Key *keys = malloc (t->len * sizeof *keys), *tmp = malloc (t->len * sizeof *tmp), *sorted;
  Interner in = { 0 };
  bool ok = keys && tmp && interner_init (&in, 2 * t->len) && make_keys (t, keys, &in)
            && assign_ranks (&in);

  if (ok)
    {
      rank_keys (keys, t->len, &in);
      interner_clear (&in);
      in = (Interner){ 0 };
      sorted = merge_sort (keys, tmp, t->len);
      permute (t, sorted);
    }
  interner_clear (&in);
  free (keys);
  free (tmp);
  return ok;
}

void
ptl_socket_table_sort (PtlSocketTable *table)
{
  if (table->len < 2)
    return;
  /* Out of memory, or a field too wide for the key: the plain way. */
  if (!sort_by_keys (table))
    qsort (table->rows, table->len, sizeof table->rows[0], cmp_rows);
}
