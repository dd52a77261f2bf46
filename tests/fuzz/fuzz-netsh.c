/* fuzz-netsh.c: libFuzzer target for the parsers of netsh's output
 * ("netsh int ipv4 show dynamicport tcp" and "show excludedportrange"),
 * fed any bytes. Localized headers mean the parsers match numbers only,
 * so whatever they accept must still be a sane port span.
 *
 * Built only once platform-win32/ptl-win32-netsh.c exists (see meson.build).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz-util.h"
#include "ptl-platform.h"
#include "ptl-win32-netsh.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_rules (const PtlPortRules *rules)
{
  size_t cap = sizeof rules->reserved / sizeof rules->reserved[0];

  PTL_FUZZ_CHECK (rules->n_reserved <= cap);
  for (size_t i = 0; i < rules->n_reserved; i++)
    PTL_FUZZ_CHECK (rules->reserved[i].first <= rules->reserved[i].last
                    && rules->reserved[i].last <= 65535);
  PTL_FUZZ_CHECK (memchr (rules->source, '\0', sizeof rules->source) != NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  /* The parsers take a length, but a copy without a terminator makes
   * ASan catch any read past it. */
  char *text = malloc (size ? size : 1);
  unsigned first = 0, last = 0;
  PtlPortRules rules;
  int rc;

  if (text == NULL)
    return 0;
  memcpy (text, data, size);
  if (ptl_netsh_parse_dynamic (text, size, &first, &last) == 0)
    PTL_FUZZ_CHECK (first <= last && last <= 65535);
  /* It returns how many ranges it added, or a negative code. */
  memset (&rules, 0, sizeof rules);
  rc = ptl_netsh_parse_excluded (text, size, &rules);
  PTL_FUZZ_CHECK (rc < 0 || (size_t) rc == rules.n_reserved);
  check_rules (&rules);
  free (text);
  return 0;
}
