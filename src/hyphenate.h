/* English hyphenation points from libhyphen with Debian's hyph_en_US.dic,
 * loaded only when a paragraph cannot be set well without them. */
#ifndef KY_HYPHENATE_H
#define KY_HYPHENATE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

typedef struct ky_hyphenator {
    const char *path;
    struct _HyphenDict *dict;
    bool failed;
} ky_hyphenator;

/* The dictionary: $KYODO_HYPHEN_DICT, or Debian's hyph_en_US.dic. */
const char *ky_hyphen_default_path(void);
void ky_hyphenator_init(ky_hyphenator *hyphenator, const char *path);
void ky_hyphenator_free(ky_hyphenator *hyphenator);

/* For a lowercase ASCII word, sets after[i] when a hyphen may follow
 * letter i: at least 2 letters before it and 3 after. Returns the number of
 * points, 0 for none, -1 (with a diagnostic, once) when the dictionary
 * cannot be loaded. */
int ky_hyphenate(ky_hyphenator *hyphenator, const char *word, size_t len, bool *after,
                 ky_diags *diags);

#endif
