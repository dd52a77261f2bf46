/* portolan-cli-i18n.c: the console tool's sentences in the user's language.
 *
 * Like coreutils, the language comes from LC_ALL, LC_MESSAGES, LANG (and
 * LANGUAGE). Only what people read is translated: JSON, CSV, the metrics,
 * option and command names and the exit codes are the same in every
 * language, and LC_NUMERIC stays "C" so a number is written with the same
 * '.' everywhere. Nothing here reads LC_COLLATE, LC_TIME or LC_MONETARY.
 */
#include "portolan-cli.h"

#include "ptl-i18n.h"

#ifdef ENABLE_NLS
#include <libintl.h>
#include <locale.h>
#include <stdlib.h>

static const char *
cli_gettext (const char *msgid)
{
  return dgettext (GETTEXT_PACKAGE, msgid);
}

static const char *
cli_ngettext (const char *msgid, const char *plural, unsigned long n)
{
  return dngettext (GETTEXT_PACKAGE, msgid, plural, n);
}
#endif

void
cli_i18n_init (void)
{
#ifdef ENABLE_NLS
  /* PORTOLAN_LOCALEDIR: the build tree's catalogs, for the tests and
   * `meson devenv`; an installed tool reads the install's. */
  const char *dir = getenv ("PORTOLAN_LOCALEDIR");

  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C");
  bindtextdomain (GETTEXT_PACKAGE, dir != NULL && dir[0] != '\0' ? dir : LOCALEDIR);
  /* Every byte the tool writes is UTF-8 (ptl_text_safe passes only UTF-8). */
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  ptl_i18n_set_translate (cli_gettext, cli_ngettext);
#endif
}
