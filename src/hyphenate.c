#include "hyphenate.h"

#include <hyphen.h>
#include <stdlib.h>
#include <string.h>

/* At least two letters before a break and three after it: fewer makes a
 * line end or start that readers stumble on. */
enum { KY_LEFT_MIN = 2, KY_RIGHT_MIN = 3, KY_WORD_MAX = 64 };

const char *ky_hyphen_default_path(void)
{
    const char *env = getenv("KYODO_HYPHEN_DICT");
    return env && *env ? env : "/usr/share/hyphen/hyph_en_US.dic";
}

void ky_hyphenator_init(ky_hyphenator *hyphenator, const char *path)
{
    memset(hyphenator, 0, sizeof *hyphenator);
    hyphenator->path = path;
}

void ky_hyphenator_free(ky_hyphenator *hyphenator)
{
    if (hyphenator->dict) hnj_hyphen_free(hyphenator->dict);
    hyphenator->dict = NULL;
}

int ky_hyphenate(ky_hyphenator *hyphenator, const char *word, size_t len, bool *after,
                 ky_diags *diags)
{
    if (len < KY_LEFT_MIN + KY_RIGHT_MIN || len > KY_WORD_MAX) return 0;
    if (!hyphenator->dict && !hyphenator->failed) {
        hyphenator->dict = hnj_hyphen_load(hyphenator->path);
        if (!hyphenator->dict) {
            hyphenator->failed = 1;
            ky_error(diags, hyphenator->path, 0,
                     "cannot load the hyphenation dictionary (Debian package hyphen-en-us)");
            return -1;
        }
    }
    if (!hyphenator->dict) return -1;
    /* libhyphen reads parts of the word as a C string: give it one. */
    char copy[KY_WORD_MAX + 1];
    memcpy(copy, word, len);
    copy[len] = '\0';
    char hyphens[KY_WORD_MAX + 5] = {0};
    char **rep = NULL;
    int *pos = NULL, *cut = NULL;
    if (hnj_hyphen_hyphenate3(hyphenator->dict, copy, (int)len, hyphens, NULL, &rep, &pos, &cut,
                              KY_LEFT_MIN, KY_RIGHT_MIN, KY_LEFT_MIN, KY_RIGHT_MIN) != 0)
        return 0;
    /* Non-standard hyphenation (rep/pos/cut) does not occur in English. */
    if (rep) {
        for (size_t i = 0; i < len; i++)
            free(rep[i]);
        free(rep);
    }
    free(pos);
    free(cut);
    int points = 0;
    for (size_t i = 0; i < len; i++) {
        after[i] = (hyphens[i] & 1) && i + 1 >= KY_LEFT_MIN && len - i - 1 >= KY_RIGHT_MIN;
        points += after[i];
    }
    return points;
}
