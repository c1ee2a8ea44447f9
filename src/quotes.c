#include "quotes.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/uchar.h>

#include "utf8.h"

static const char open_double[] = "\u201C", close_double[] = "\u201D";
static const char open_single[] = "\u2018", apostrophe[] = "\u2019";

static bool is_latin_letter(uint32_t cp)
{
    return cp < 0x250 && u_isalpha((UChar32)cp);
}

/* What may stand before an opening quote. */
static bool opens_after(uint32_t prev, bool prev_opened)
{
    return prev == 0 || prev_opened || u_isUWhiteSpace((UChar32)prev) || prev == '(' ||
           prev == '[' || prev == '{' || prev == 0x2013 || prev == 0x2014 || prev == 0x201C ||
           prev == 0x2018;
}

/* A single quote that stands for left-out letters at a word's start: '90s,
 * rock 'n' roll, 'em, 'tis. */
static bool elision(const char *text, size_t len, size_t at)
{
    static const char *const words[] = {"n'", "em", "tis", "twas", "til", "cause"};
    const char *rest = text + at + 1;
    size_t left = len - at - 1;
    if (left > 0 && rest[0] >= '0' && rest[0] <= '9') return true;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t n = strlen(words[i]);
        if (left >= n && strncasecmp(rest, words[i], n) == 0 &&
            (left == n || !is_latin_letter((unsigned char)rest[n])))
            return true;
    }
    return false;
}

static uint32_t cp_before(const char *text, size_t at)
{
    if (at == 0) return 0;
    size_t start = at - 1;
    while (start > 0 && ((unsigned char)text[start] & 0xC0) == 0x80)
        start--;
    size_t pos = start;
    return ky_utf8_next(text, at, &pos);
}

static uint32_t cp_after(const char *text, size_t len, size_t at)
{
    size_t pos = at + 1;
    return pos < len ? ky_utf8_next(text, len, &pos) : 0;
}

/* Japanese: which double quotes change, by pairs in order (the first with
 * the second, …): a pair changes when nothing between them is Japanese and
 * no Japanese character stands against either from outside ('o' opens,
 * 'c' closes, 0 stays). */
static char *japanese_pairs(const char *text, size_t len)
{
    char *change = calloc(len ? len : 1, sizeof *change);
    if (!change) ky_out_of_memory();
    size_t open = len; /* the unpaired quote, or len */
    bool wide_inside = false;
    size_t pos = 0;
    while (pos < len) {
        size_t at = pos;
        uint32_t cp = ky_utf8_next(text, len, &pos);
        if (cp != '"') {
            wide_inside = wide_inside || ky_is_wide(cp);
            continue;
        }
        if (open == len) {
            open = at;
            wide_inside = false;
            continue;
        }
        bool ok = !wide_inside && !ky_is_wide(cp_before(text, open)) &&
                  !ky_is_wide(cp_after(text, len, at));
        change[open] = ok ? 'o' : 0;
        change[at] = ok ? 'c' : 0;
        open = len;
    }
    return change;
}

size_t ky_quotes_convert(const char *text, size_t len, ky_lang lang, char *out, size_t *map,
                         size_t *count)
{
    char *pairs = lang == KY_JA && memchr(text, '"', len) ? japanese_pairs(text, len) : NULL;
    size_t n = 0, changed = 0, pos = 0;
    uint32_t prev = 0;
    bool prev_opened = false;
    while (pos < len) {
        size_t at = pos;
        uint32_t cp = ky_utf8_next(text, len, &pos);
        const char *with = NULL;
        if (cp == '"' && lang == KY_EN)
            with = opens_after(prev, prev_opened) ? open_double : close_double;
        else if (cp == '"' && pairs && pairs[at])
            with = pairs[at] == 'o' ? open_double : close_double;
        else if (cp == '\'' && lang == KY_EN)
            with = opens_after(prev, prev_opened) && !elision(text, len, at) ? open_single
                                                                             : apostrophe;
        else if (cp == '\'' && is_latin_letter(prev) && is_latin_letter(cp_after(text, len, at)))
            with = apostrophe;
        for (size_t i = at; map && i < pos; i++)
            map[i] = n;
        if (with) {
            memcpy(out + n, with, 3);
            n += 3;
            changed++;
        } else {
            memcpy(out + n, text + at, pos - at);
            n += pos - at;
        }
        prev_opened = with == open_double || with == open_single;
        prev = cp;
    }
    if (map) map[len] = n;
    if (count) *count = changed;
    free(pairs);
    return n;
}

ky_span *ky_quotes_spans(ky_span *spans, ky_lang lang, ky_arena *arena)
{
    size_t len = 0;
    bool quotes = false;
    for (const ky_span *s = spans; s; s = s->next) {
        len += s->len;
        quotes = quotes || memchr(s->text, '"', s->len) || memchr(s->text, '\'', s->len);
    }
    if (!quotes) return spans;
    /* The text as a whole, so that each quote sees its neighbours in the
     * spans around it; then cut back at the spans' bounds. */
    char *text = malloc(len ? len : 1);
    size_t *map = calloc(len + 1, sizeof *map);
    if (!text || !map) ky_out_of_memory();
    size_t at = 0;
    for (const ky_span *s = spans; s; s = s->next) {
        memcpy(text + at, s->text, s->len);
        at += s->len;
    }
    char *out = ky_arena_alloc(arena, 3 * len + 1);
    ky_quotes_convert(text, len, lang, out, map, NULL);
    ky_span *result = NULL, **tail = &result;
    at = 0;
    for (const ky_span *s = spans; s; s = s->next) {
        ky_span *copy = KY_NEW(arena, ky_span);
        *copy = *s;
        copy->next = NULL;
        copy->text = out + map[at];
        copy->len = map[at + s->len] - map[at];
        at += s->len;
        *tail = copy;
        tail = &copy->next;
    }
    free(text);
    free(map);
    return result;
}
