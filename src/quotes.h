/* Typographic quotes for ASCII ones: "…" → “…”, '…' → ‘…’, it's → it’s,
 * decided by context over a whole text (across its spans), as Typst's
 * smart quotes do. */
#ifndef KY_QUOTES_H
#define KY_QUOTES_H

#include <stddef.h>

#include "arena.h"
#include "node.h"

/* Writes text with its ASCII quotes made typographic to out (room for
 * 3 * len bytes) and returns the length written. English: a quote opens
 * after the start, white space, an opening bracket, a dash or another
 * opening quote, and closes otherwise; a single quote that opens before a
 * digit ('90s) or an elided word ('n', 'em, 'tis, 'twas, 'til, 'cause) is
 * an apostrophe. Japanese: only quotes in clearly Latin context change: an
 * apostrophe between two Latin letters, and a pair of double quotes around
 * text without Japanese characters, neither of them next to a Japanese
 * character. map, when not NULL (len + 1 entries), gets the offset in out
 * of every byte of text. count, when not NULL, gets the number of quotes
 * changed. */
size_t ky_quotes_convert(const char *text, size_t len, ky_lang lang, char *out, size_t *map,
                         size_t *count);

/* The spans with their quotes made typographic, the text taken as a whole
 * (a quote's context runs across spans); spans without quotes come back
 * as they are, changed ones as copies in arena. */
ky_span *ky_quotes_spans(ky_span *spans, ky_lang lang, ky_arena *arena);

#endif
