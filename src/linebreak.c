#include "linebreak.h"

#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include "utf8.h"

int ky_break_opportunities(const char *text, size_t len, ky_lang lang, bool *allowed,
                           ky_diags *diags)
{
    memset(allowed, 0, len + 1);
    if (len == 0) return 0;
    UErrorCode status = U_ZERO_ERROR;
    /* "ja@lb=strict": plain "ja" is not strict in ICU, and strict is what
     * Japanese print expects (no small kana or prolonged mark at line start). */
    UBreakIterator *iter =
        ubrk_open(UBRK_LINE, lang == KY_JA ? "ja@lb=strict" : "en", NULL, 0, &status);
    UText *utext = utext_openUTF8(NULL, text, (int64_t)len, &status);
    if (U_SUCCESS(status)) ubrk_setUText(iter, utext, &status);
    if (U_FAILURE(status)) {
        ky_error(diags, NULL, 0, "ICU line breaking failed: %s", u_errorName(status));
        utext_close(utext);
        ubrk_close(iter);
        return -1;
    }
    for (int32_t pos = ubrk_first(iter); pos != UBRK_DONE; pos = ubrk_next(iter))
        if (pos > 0 && (size_t)pos <= len) allowed[pos] = 1;
    utext_close(utext);
    ubrk_close(iter);
    return 0;
}

int ky_items_push(ky_item_list *list, ky_item item, ky_arena *arena)
{
    if (list->count == list->capacity) {
        size_t capacity = list->capacity ? list->capacity * 2 : 64;
        ky_item *items = KY_NEW_ARRAY(arena, ky_item, capacity);
        if (!items) return -1;
        if (list->count) memcpy(items, list->items, list->count * sizeof(ky_item));
        list->items = items;
        list->capacity = capacity;
    }
    list->items[list->count++] = item;
    return 0;
}

static int face_at(const ky_para *para, size_t pos)
{
    for (size_t i = 0; i < para->run_count; i++)
        if (pos >= para->runs[i].start && pos < para->runs[i].end) return para->runs[i].face;
    return para->run_count ? para->runs[para->run_count - 1].face : 0;
}

/* Tokens: a space, one wide (Japanese) character, or a maximal stretch of
 * other characters in one face with no break opportunity inside. */
typedef enum { TOKEN_SPACE, TOKEN_WIDE, TOKEN_WORD } token_kind;

int ky_items_build(const ky_para *para, const bool *allowed, ky_fontset *fonts, ky_item_list *list,
                   ky_arena *arena)
{
    const char *text = para->text;
    size_t len = para->len;
    double size = para->size;
    /* Glue between Japanese characters only stretches, for justification;
     * its amount relative to a word space decides who takes the slack. */
    const double wide_stretch = size * 0.1;
    token_kind previous = TOKEN_SPACE;
    size_t pos = 0;
    while (pos < len) {
        size_t start = pos;
        uint32_t cp = ky_utf8_next(text, len, &pos);
        int face = face_at(para, start);
        token_kind kind = cp == ' ' ? TOKEN_SPACE : ky_is_wide(cp) ? TOKEN_WIDE : TOKEN_WORD;
        if (kind == TOKEN_WORD) {
            /* Extend the word while no break is allowed and the face holds. */
            while (pos < len && !allowed[pos] && text[pos] != ' ' && face_at(para, pos) == face) {
                size_t next = pos;
                uint32_t ncp = ky_utf8_next(text, len, &next);
                if (ky_is_wide(ncp)) break;
                pos = next;
            }
        }
        if (kind == TOKEN_SPACE) {
            double w = ky_font_width(fonts, face, size, " ", 1);
            if (pos < len && !allowed[pos] &&
                ky_items_push(list, (ky_item){.kind = KY_ITEM_PENALTY, .penalty = KY_PENALTY_NEVER},
                              arena))
                return -1;
            if (ky_items_push(
                    list,
                    (ky_item){.kind = KY_ITEM_GLUE, .width = w, .stretch = w / 2, .shrink = w / 3},
                    arena))
                return -1;
            previous = TOKEN_SPACE;
            continue;
        }
        if (start > 0 && previous != TOKEN_SPACE) {
            bool wide_gap = kind == TOKEN_WIDE || previous == TOKEN_WIDE;
            if (wide_gap) {
                if (!allowed[start] &&
                    ky_items_push(list,
                                  (ky_item){.kind = KY_ITEM_PENALTY, .penalty = KY_PENALTY_NEVER},
                                  arena))
                    return -1;
                if (ky_items_push(
                        list,
                        (ky_item){.kind = KY_ITEM_GLUE, .stretch = wide_stretch, .between_wide = 1},
                        arena))
                    return -1;
            } else if (allowed[start]) {
                if (ky_items_push(list, (ky_item){.kind = KY_ITEM_PENALTY, .penalty = 0}, arena))
                    return -1;
            }
        }
        ky_item box = {.kind = KY_ITEM_BOX,
                       .face = face,
                       .start = (uint32_t)start,
                       .len = (uint32_t)(pos - start)};
        box.width = ky_font_width(fonts, face, size, text + start, pos - start);
        if (ky_items_push(list, box, arena)) return -1;
        previous = kind;
    }
    return 0;
}

/* Whether a line may end at item i. */
static bool is_break(const ky_item *items, size_t i)
{
    if (items[i].kind == KY_ITEM_PENALTY) return items[i].penalty < KY_PENALTY_NEVER;
    if (items[i].kind == KY_ITEM_GLUE) return i > 0 && items[i - 1].kind == KY_ITEM_BOX;
    return false;
}

static void finish_line(ky_line *line, const ky_item *items, double width, bool last)
{
    double natural = 0, stretch = 0, shrink = 0;
    for (size_t i = line->first; i < line->end; i++) {
        if (items[i].kind == KY_ITEM_PENALTY) continue;
        natural += items[i].width;
        stretch += items[i].stretch;
        shrink += items[i].shrink;
    }
    line->natural = natural;
    line->ratio = 0;
    if (natural > width && shrink > 0) {
        line->ratio = -(natural - width) / shrink;
        if (line->ratio < -1) line->ratio = -1;
    } else if (natural < width && stretch > 0 && !last) {
        line->ratio = (width - natural) / stretch;
    }
}

size_t ky_break_greedy(const ky_item *items, size_t count, double width, ky_line **lines,
                       ky_arena *arena)
{
    size_t capacity = 8, used = 0;
    ky_line *out = KY_NEW_ARRAY(arena, ky_line, capacity);
    size_t start = 0;
    while (out && start < count) {
        /* Glue and penalties at the start of a line vanish. */
        while (start < count && items[start].kind != KY_ITEM_BOX)
            start++;
        if (start == count) break;
        double natural = 0, shrink = 0;
        size_t best = 0; /* the last feasible break, or 0 for none yet */
        size_t end = count;
        for (size_t i = start; i < count; i++) {
            if (i > start && is_break(items, i)) {
                double penalty_width = items[i].kind == KY_ITEM_PENALTY ? items[i].width : 0;
                if (natural + penalty_width - shrink <= width + 1e-9) {
                    best = i;
                } else {
                    /* Overfull: take the last feasible break, or this one if
                     * a single word is wider than the line. */
                    end = best ? best : i;
                    break;
                }
            }
            if (items[i].kind != KY_ITEM_PENALTY) {
                natural += items[i].width;
                shrink += items[i].shrink;
            }
        }
        if (end == count && natural - shrink > width + 1e-9 && best) end = best;
        if (used == capacity) {
            ky_line *grown = KY_NEW_ARRAY(arena, ky_line, capacity * 2);
            if (!grown) return 0;
            memcpy(grown, out, used * sizeof(ky_line));
            out = grown;
            capacity *= 2;
        }
        ky_line *line = &out[used++];
        line->first = start;
        line->end = end;
        /* Trailing glue is not part of a line. */
        while (line->end > line->first && items[line->end - 1].kind == KY_ITEM_GLUE)
            line->end--;
        finish_line(line, items, width, end == count);
        start = end;
    }
    *lines = out;
    return out ? used : 0;
}
