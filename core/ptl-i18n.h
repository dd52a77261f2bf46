/* ptl-i18n.h: a hook through which a front end translates the core's
 * sentences. The core stays free of gettext and GLib: sentences are marked
 * with PTL_N_ (ptl-error.h) or passed straight to ptl_tr, ptl_ntr and
 * ptl_trc, which xgettext knows as keywords (po/meson.build), and those
 * look them up through whatever functions the front end registered.
 * Without one, every sentence comes back unchanged, byte for byte, and
 * ptl_ntr picks the English singular or plural.
 *
 * Machine output (JSON, CSV, Prometheus) never goes through here.
 */
#pragma once

#if defined(__GNUC__)
#define PTL_FORMAT_ARG(i) __attribute__ ((format_arg (i)))
#else
#define PTL_FORMAT_ARG(i)
#endif

typedef const char *(*PtlTranslateFunc) (const char *msgid);
typedef const char *(*PtlTranslatePluralFunc) (const char *msgid, const char *plural,
                                               unsigned long n);

/**
 * ptl_i18n_set_translate:
 * Registers @fn to translate the core's sentences and @nfn (which may be
 * NULL) to pick their plural forms; NULL restores the identity. Call it
 * once at start-up, before any thread uses the core. @fn also receives
 * "CONTEXT\004MSGID" keys for ptl_trc, as gettext's pgettext does, and
 * returns its argument when it has no translation.
 */
void ptl_i18n_set_translate (PtlTranslateFunc fn, PtlTranslatePluralFunc nfn);

/**
 * ptl_tr:
 * @msgid translated by the registered function, or @msgid itself.
 */
const char *ptl_tr (const char *msgid) PTL_FORMAT_ARG (1);

/**
 * ptl_ntr:
 * The form of @msgid (singular) or @plural that fits the number @n in the
 * front end's language; in English @msgid for 1, @plural otherwise.
 */
const char *ptl_ntr (const char *msgid, const char *plural, unsigned long n) PTL_FORMAT_ARG (1)
    PTL_FORMAT_ARG (2);

/**
 * ptl_trc:
 * @msgid translated in @context (a word such as "free" means one thing in
 * a table cell and another in a command), or @msgid itself.
 */
const char *ptl_trc (const char *context, const char *msgid) PTL_FORMAT_ARG (2);
