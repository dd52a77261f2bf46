/* ptl-bad-inputs.h: the shared table of bad input (tests/data/bad-inputs.txt),
 * read by the Linux CLI test, the Windows CLI test and the GUI test. Plain
 * C: the Windows tests have no GLib.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define PTL_BAD_MAX_ARGS 6
#define PTL_BAD_BIG_LEN (10 * 1024)

typedef struct
{
  int line;    /* in the data file */
  bool query;  /* KIND "query": one argument, a query */
  char *names; /* the sentence must contain this */
  size_t n_args;
  char *args[PTL_BAD_MAX_ARGS + 1]; /* NULL-terminated, malloc'ed */
  bool big[PTL_BAD_MAX_ARGS];       /* args[i] came from @BIG@ */
} PtlBadInput;

/**
 * ptl_bad_inputs_read:
 * Reads every case from @f into a malloc'ed array (*@out, *@n). On a
 * malformed line returns false with a sentence in @why (nothing to free).
 */
bool ptl_bad_inputs_read (FILE *f, PtlBadInput **out, size_t *n, char *why, size_t why_size);

/** ptl_bad_inputs_free: frees what ptl_bad_inputs_read returned. */
void ptl_bad_inputs_free (PtlBadInput *cases, size_t n);

/**
 * ptl_bad_input_describe:
 * The command line of @b for messages, printable ASCII: bytes outside it
 * as \xHH, a @BIG@ argument as <10 KB of 7s>. Writes at most @size bytes.
 */
void ptl_bad_input_describe (const PtlBadInput *b, char *buf, size_t size);

/** ptl_bad_input_valid_utf8: whether every argument of @b is valid UTF-8. */
bool ptl_bad_input_valid_utf8 (const PtlBadInput *b);
