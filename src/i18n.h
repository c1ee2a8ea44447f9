/* Messages in the user's language: GNU gettext, text domain "kyodo".
 * Diagnostics need nothing at their call sites (diag.c translates their
 * format); _() is for other text printed for people, N_() marks text that
 * is translated where it is printed. */
#ifndef KY_I18N_H
#define KY_I18N_H

#include <libintl.h>

#define KY_TEXT_DOMAIN "kyodo"
#define _(text) dgettext(KY_TEXT_DOMAIN, text)
#define N_(text) text
#define P_(one, many, n) dngettext(KY_TEXT_DOMAIN, one, many, n)

/* Takes LC_MESSAGES and LC_CTYPE from the environment (never LC_NUMERIC:
 * the PDF's numbers are written with printf) and finds the catalogue in
 * localedir. */
void ky_i18n_init(const char *localedir);

#endif
