/* ptl-i18n.h: a hook through which a front end translates the core's
 * sentences. The core stays free of gettext and GLib: sentences are marked
 * with PTL_N_ (ptl-error.h) for xgettext, and ptl_tr looks them up through
 * whatever function the front end registered. Without one (the CLI), every
 * sentence comes back unchanged, byte for byte.
 */
#pragma once

typedef const char *(*PtlTranslateFunc) (const char *msgid);

/**
 * ptl_i18n_set_translate:
 * Registers @fn to translate the core's sentences; NULL restores the
 * identity. Call it once at start-up, before any thread uses the core.
 */
void ptl_i18n_set_translate (PtlTranslateFunc fn);

/**
 * ptl_tr:
 * @msgid translated by the registered function, or @msgid itself.
 */
const char *ptl_tr (const char *msgid);
