#include "linebreak.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/ubrk.h>
#include <unicode/uversion.h>
#include <unicode/utext.h>

#include "jlreq.h"
#include "utf8.h"

const char *ky_break_library_version(char *out, size_t size)
{
    char text[U_MAX_VERSION_STRING_LENGTH];
    UVersionInfo version;
    u_getVersion(version);
    u_versionToString(version, text);
    snprintf(out, size, "%s", text);
    return out;
}

void ky_breakers_free(ky_breakers *breakers)
{
    for (int i = 0; i < KY_LANG_COUNT; i++) {
        if (breakers->iter[i]) ubrk_close(breakers->iter[i]);
        breakers->iter[i] = NULL;
    }
    if (breakers->phrase) ubrk_close(breakers->phrase);
    breakers->phrase = NULL;
}

int ky_phrase_breaks(ky_breakers *breakers, const char *text, size_t len, bool *phrase,
                     ky_diags *diags)
{
    memset(phrase, 0, len + 1);
    if (len == 0) return 0;
    UErrorCode status = U_ZERO_ERROR;
    if (!breakers->phrase)
        breakers->phrase = ubrk_open(UBRK_LINE, "ja@lw=phrase", NULL, 0, &status);
    UText *utext = utext_openUTF8(NULL, text, (int64_t)len, &status);
    if (U_SUCCESS(status)) ubrk_setUText(breakers->phrase, utext, &status);
    if (U_SUCCESS(status))
        for (int32_t pos = ubrk_first(breakers->phrase); pos != UBRK_DONE;
             pos = ubrk_next(breakers->phrase))
            if (pos > 0 && (size_t)pos < len) phrase[pos] = 1;
    utext_close(utext);
    if (U_FAILURE(status)) {
        ky_error(diags, NULL, 0, "ICU phrase breaking failed: %s", u_errorName(status));
        return -1;
    }
    return 0;
}

static bool is_ascii_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* English rules UAX #14 leaves out. An em dash ends a line, never starts
 * one: UAX #14 breaks on both sides of it ("round / —the Third"). A word
 * with a hyphen of its own breaks only there (hyphenated_word leaves its
 * parts whole), and only with 2 letters before it and 3 after, as
 * hyphenation does: not "CERT- / In", not "e- / mail". */
/* Whether [word, word + n) is one of the space-separated words of list. */
static bool listed(const char *list, const char *word, size_t n)
{
    for (const char *p = list; p && n && *p;) {
        while (*p == ' ')
            p++;
        const char *end = p;
        while (*end && *end != ' ')
            end++;
        if ((size_t)(end - p) == n && memcmp(p, word, n) == 0) return true;
        p = end;
    }
    return false;
}

/* "14", "1,000", "2.5": digits, with separators between them. */
static bool is_number(const char *word, size_t n)
{
    if (!n || !isdigit((unsigned char)word[0]) || !isdigit((unsigned char)word[n - 1]))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)word[i]) && word[i] != ',' && word[i] != '.') return false;
    return true;
}

static bool is_any_digit(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
}

static bool is_fullwidth_alnum(uint32_t cp)
{
    return (cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
           (cp >= 0xFF41 && cp <= 0xFF5A);
}

void ky_keep_words(const char *text, size_t len, ky_lang lang, const char *abbreviations,
                   const char *units, const char *months, bool *allowed)
{
    if (lang == KY_EN) {
        for (size_t p = 0; p + 1 < len; p++) {
            if (text[p] != ' ') continue;
            size_t start = p, end = p + 1;
            while (start > 0 && text[start - 1] != ' ')
                start--;
            while (end < len && text[end] != ' ')
                end++;
            const char *word = text + start, *next = text + p + 1;
            size_t n = p - start, m = end - (p + 1);
            /* "(Mr." and "Modi," are Mr. and Modi. */
            while (n && strchr("([\"'", *word))
                word++, n--;
            while (m && strchr(".,;:!?)]\"'", next[m - 1]))
                m--;
            bool initial = n == 2 && isupper((unsigned char)word[0]) && word[1] == '.';
            bool keep =
                initial || listed(abbreviations, word, n) ||
                (is_number(word, n) && (listed(units, next, m) || listed(months, next, m))) ||
                (listed(months, word, n) && is_number(next, m));
            if (keep) allowed[p + 1] = false;
        }
        return;
    }
    uint32_t before = 0, previous = 0;
    for (size_t pos = 0; pos < len;) {
        size_t at = pos;
        uint32_t cp = ky_utf8_next(text, len, &pos);
        if (at > 0 && cp != ' ') {
            bool counter = is_any_digit(previous) && !is_any_digit(cp);
            bool ordinal = previous == 0x7B2C /* 第 */ && is_any_digit(cp);
            bool range = (previous == 0x301C || previous == 0xFF5E) && is_any_digit(before) &&
                         is_any_digit(cp);
            bool latin = is_fullwidth_alnum(previous) && is_fullwidth_alnum(cp);
            if (counter || ordinal || range || latin) allowed[at] = false;
        }
        before = previous;
        previous = cp;
    }
}

/* The end of the address (URL) starting at text[start], or start if none
 * starts there: a scheme's "://" or "www.", up to the next space or
 * non-ASCII character, less the punctuation of the sentence after it. */
static size_t address_end(const char *text, size_t len, size_t start)
{
    size_t end = start;
    while (end < len && is_ascii_letter(text[end]))
        end++;
    bool scheme = end - start >= 3 && len - end >= 3 && memcmp(text + end, "://", 3) == 0;
    bool www = len - start >= 4 && strncasecmp(text + start, "www.", 4) == 0;
    if (!scheme && !www) return start;
    end = start;
    while (end < len && text[end] != ' ' && (unsigned char)text[end] < 0x80)
        end++;
    while (end > start && strchr(".,;:!?)]'\"", text[end - 1]))
        end--;
    return end;
}

/* Inside an address, a line may also break before a slash, a dot, a
 * hyphen or the other separators (The Chicago Manual of Style, 14.18), not
 * only after a slash as UAX #14 allows: "https://www.example.org/cybersecurity/
 * guidelines/2026/annex.html" has a few breaks too far apart for a narrow
 * column, and no hyphen is ever added in an address. Not inside "//". */
static void address_breaks(const char *text, size_t len, bool *allowed)
{
    for (size_t pos = 0; pos < len;) {
        bool word_start = pos == 0 || text[pos - 1] == ' ' || (unsigned char)text[pos - 1] >= 0x80;
        size_t end = word_start ? address_end(text, len, pos) : pos;
        if (end == pos) {
            pos++;
            continue;
        }
        for (size_t i = pos + 1; i < end; i++) {
            if (strchr("/.?#&=_~%-", text[i]) && !strchr(":/", text[i - 1]) &&
                !(text[i] == '/' && i + 1 < end && text[i + 1] == '/'))
                allowed[i] = 1;
            /* Before a hyphen, not after it: "joint-/statement" would read
             * as a word hyphenated at the line end. */
            if (text[i] == '-') allowed[i + 1] = 0;
        }
        pos = end;
    }
}

static void english_tailor(const char *text, size_t len, bool *allowed)
{
    address_breaks(text, len, allowed);
    size_t pos = 0;
    while (pos < len) {
        size_t start = pos;
        uint32_t cp = ky_utf8_next(text, len, &pos);
        if ((cp == 0x2014 || cp == 0x2015) && start > 0) allowed[start] = 0;
        if ((cp == '-' || cp == 0x2010) && pos < len && allowed[pos]) {
            size_t before = 0, after = 0;
            for (size_t i = start; i > 0 && is_ascii_letter(text[i - 1]); i--)
                before++;
            for (size_t i = pos; i < len && is_ascii_letter(text[i]); i++)
                after++;
            if (before < 2 || (after > 0 && after < 3)) allowed[pos] = 0;
        }
    }
}

/* JLREQ 3.1.7's looser rule: where the strict one forbids a line to start
 * with small kana or ー after a kana or kanji, the loose one allows it. */
static void loosen(const char *text, size_t len, bool *allowed)
{
    size_t pos = 0;
    uint32_t previous = 0;
    while (pos < len) {
        size_t start = pos;
        uint32_t cp = ky_utf8_next(text, len, &pos);
        if (start > 0 && ky_jlreq_loose_line_start(cp) && ky_is_wide(previous) &&
            ky_jlreq_class(previous) != KY_CL_OPENING && previous != cp)
            allowed[start] = 1;
        previous = cp;
    }
}

int ky_break_opportunities(ky_breakers *breakers, const char *text, size_t len, ky_lang lang,
                           bool *allowed, ky_diags *diags)
{
    return ky_break_opportunities_at(breakers, text, len, lang, KY_KINSOKU_STRICT, allowed, diags);
}

int ky_break_opportunities_at(ky_breakers *breakers, const char *text, size_t len, ky_lang lang,
                              ky_kinsoku level, bool *allowed, ky_diags *diags)
{
    memset(allowed, 0, len + 1);
    if (len == 0) return 0;
    UErrorCode status = U_ZERO_ERROR;
    UBreakIterator *iter = breakers ? breakers->iter[lang] : NULL;
    /* "ja@lb=strict": plain "ja" is not strict in ICU, and strict is what
     * Japanese print expects (no small kana or prolonged mark at line start). */
    if (!iter) iter = ubrk_open(UBRK_LINE, lang == KY_JA ? "ja@lb=strict" : "en", NULL, 0, &status);
    if (breakers && U_SUCCESS(status)) breakers->iter[lang] = iter;
    UText *utext = utext_openUTF8(NULL, text, (int64_t)len, &status);
    if (U_SUCCESS(status)) ubrk_setUText(iter, utext, &status);
    int result = 0;
    if (U_FAILURE(status)) {
        ky_error(diags, NULL, 0, "ICU line breaking failed: %s", u_errorName(status));
        result = -1;
    } else {
        for (int32_t pos = ubrk_first(iter); pos != UBRK_DONE; pos = ubrk_next(iter))
            if (pos > 0 && (size_t)pos <= len) allowed[pos] = 1;
        if (lang == KY_JA && level >= KY_KINSOKU_LOOSE) loosen(text, len, allowed);
        ky_jlreq_tailor(text, len, level >= KY_KINSOKU_LOOSE, allowed);
        if (lang == KY_EN) english_tailor(text, len, allowed);
        if (level == KY_KINSOKU_EMERGENCY) {
            /* Any character: the grapheme clusters of UAX #29, so that
             * no accent or variation selector is left alone. */
            UBreakIterator *chars = ubrk_open(UBRK_CHARACTER, "", NULL, 0, &status);
            if (U_SUCCESS(status)) ubrk_setUText(chars, utext, &status);
            if (U_SUCCESS(status))
                for (int32_t pos = ubrk_first(chars); pos != UBRK_DONE; pos = ubrk_next(chars))
                    if (pos > 0 && (size_t)pos < len && text[pos] != ' ' && text[pos - 1] != ' ')
                        allowed[pos] = 1;
            if (chars) ubrk_close(chars);
            if (U_FAILURE(status)) {
                ky_error(diags, NULL, 0, "ICU character breaking failed: %s", u_errorName(status));
                result = -1;
            }
        }
    }
    utext_close(utext);
    if (!breakers) ubrk_close(iter);
    return result;
}

int ky_items_push(ky_item_list *list, ky_item item, ky_arena *arena)
{
    /* Most paragraphs are short: a small first array, as every outgrown one
     * stays in the arena until the document is done. */
    if (ky_arena_grow(arena, (void **)&list->items, list->count, &list->capacity, sizeof(ky_item),
                      16))
        return -1;
    list->items[list->count++] = item;
    return 0;
}

/* Runs are in text order and do not overlap: a binary search keeps a
 * paragraph that changes face at every character from costing runs × chars. */
static const ky_run *run_at(const ky_para *para, size_t pos)
{
    static const ky_run none = {0, 0, 0, KY_SCRIPT_NONE};
    size_t low = 0, high = para->run_count; /* the first run starting after pos */
    while (low < high) {
        size_t mid = low + (high - low) / 2;
        if (para->runs[mid].start <= pos)
            low = mid + 1;
        else
            high = mid;
    }
    if (low > 0 && pos < para->runs[low - 1].end) return &para->runs[low - 1];
    return para->run_count ? &para->runs[para->run_count - 1] : &none;
}

/* A unit of text: a space, one wide (Japanese) character, or a maximal
 * stretch of other characters in one face with no break opportunity inside. */
typedef enum { UNIT_SPACE, UNIT_WIDE, UNIT_WORD } unit_kind;

/* A word longer than this (bytes) is set as several boxes: HarfBuzz takes
 * time quadratic in a run of default-ignorable characters (200,000 zero-width
 * spaces took minutes), and no real word comes close. */
enum { KY_UNIT_MAX = 256 };

typedef struct {
    unit_kind kind;
    ky_jclass cls;
    bool half; /* punctuation set in half an em, with reducible space around */
    uint32_t cp;
    size_t start, end;
    int face;
    signed char script;
    bool capped;    /* a word cut at KY_UNIT_MAX: it goes on in the next unit */
    bool vanishing; /* an ideographic space after ！ or ？: dropped at a line end */
} unit;

static bool closing_like(ky_jclass cls)
{
    return cls == KY_CL_CLOSING || cls == KY_CL_FULL_STOP || cls == KY_CL_COMMA;
}

/* The characters JLREQ's quarter-em spacing to Latin applies to: not
 * punctuation, not full-width symbols such as ／. */
static bool is_kana_or_kanji(uint32_t cp)
{
    return (cp >= 0x3041 && cp <= 0x309F) || (cp >= 0x30A1 && cp <= 0x30FA) ||
           (cp >= 0x30FC && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF) ||
           (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || cp == 0x3005 || cp == 0x3006 || cp == 0x3007;
}

/* JLREQ 3.1.2–3.1.6: the half em of space that a bracket or a comma carries
 * on one side, and the quarter em on each side of a middle dot. */
static double space_after(const unit *u)
{
    if (!u->half) return 0;
    if (closing_like(u->cls)) return 0.5;
    return u->cls == KY_CL_MIDDLE_DOT ? 0.25 : 0;
}

static double space_before(const unit *u)
{
    if (!u->half) return 0;
    if (u->cls == KY_CL_OPENING) return 0.5;
    return u->cls == KY_CL_MIDDLE_DOT ? 0.25 : 0;
}

static int push(ky_item_list *list, ky_item item, ky_arena *arena)
{
    return ky_items_push(list, item, arena);
}

/* The items between two units that touch (no space between them). */
static int join_units(const ky_para *para, const unit *prev, const unit *next, bool allowed,
                      ky_item_list *list, ky_arena *arena)
{
    double em = para->size;
    double after = space_after(prev) * em, before = space_before(next) * em;
    if (prev->half && next->half) {
        /* Punctuation meeting punctuation shares its space (JLREQ 3.1.6):
         * "。」" is set solid, "」「" with one half em, "「『" solid. */
        if (closing_like(prev->cls) && closing_like(next->cls)) after = 0;
        if (closing_like(prev->cls) && next->cls == KY_CL_OPENING) before = 0;
        if (prev->cls == KY_CL_OPENING && next->cls == KY_CL_OPENING) before = 0;
    }
    if (after > 0 &&
        push(list, (ky_item){.kind = KY_ITEM_GLUE, .width = after, .shrink = after, .no_break = 1},
             arena))
        return -1;
    bool wide_prev = prev->kind == UNIT_WIDE, wide_next = next->kind == UNIT_WIDE;
    /* The line breaks at the space itself, which then vanishes; a note's
     * mark stays with the word before it. */
    if (prev->vanishing || next->script) allowed = false;
    int cost = para->emergency && para->emergency[next->start] ? KY_PENALTY_EMERGENCY : 0;
    if (wide_prev || wide_next) {
        ky_item penalty = {.kind = KY_ITEM_PENALTY, .penalty = allowed ? cost : KY_PENALTY_NEVER};
        /* Hanging punctuation: a line may end with 、 or 。 outside the
         * measure, so the break after one does not count its width. */
        if (allowed && para->hanging_punctuation && prev->half &&
            (prev->cls == KY_CL_COMMA || prev->cls == KY_CL_FULL_STOP))
            penalty.width = -(0.5 * em + after);
        if (push(list, penalty, arena)) return -1;
        /* The ideographic space a paragraph starts with is its indent
         * (字下げ): one em exactly, never widened by justification. */
        bool inseparable = (prev->cp == next->cp && prev->cls == KY_CL_INSEPARABLE) ||
                           (prev->cp == 0x3000 && prev->start == 0);
        /* Between Japanese and Latin letters or digits, a quarter em that
         * may shrink to an eighth (JLREQ 3.2.3); none beside punctuation. */
        double latin_space = 0;
        const unit *wide = wide_prev ? prev : next;
        if (wide_prev != wide_next && para->cjk_latin_spacing && is_kana_or_kanji(wide->cp) &&
            !prev->script && !next->script)
            latin_space = 0.25 * em;
        if (!inseparable && push(list,
                                 (ky_item){.kind = KY_ITEM_GLUE,
                                           .width = latin_space,
                                           .shrink = latin_space / 2,
                                           .stretch = 0.1 * em,
                                           .between_wide = latin_space == 0},
                                 arena))
            return -1;
    } else if (allowed) {
        if (push(list, (ky_item){.kind = KY_ITEM_PENALTY, .penalty = cost}, arena)) return -1;
    }
    if (before > 0 &&
        push(list,
             (ky_item){.kind = KY_ITEM_GLUE, .width = before, .shrink = before, .no_break = 1},
             arena))
        return -1;
    return 0;
}

static unit next_unit(const ky_para *para, const bool *allowed, ky_fontset *fonts, size_t pos)
{
    const char *text = para->text;
    size_t len = para->len;
    const ky_run *run = run_at(para, pos);
    unit u = {.start = pos, .face = run->face, .script = run->script};
    u.cp = ky_utf8_next(text, len, &pos);
    /* In Japanese text, dashes and leaders (cl-08) are full-width characters
     * like the kana around them. */
    bool wide =
        ky_is_wide(u.cp) || (para->lang == KY_JA && ky_jlreq_class(u.cp) == KY_CL_INSEPARABLE);
    u.kind = u.cp == ' ' ? UNIT_SPACE : wide ? UNIT_WIDE : UNIT_WORD;
    if (u.kind == UNIT_WORD) {
        while (pos < len && !allowed[pos] && text[pos] != ' ' &&
               run_at(para, pos)->face == u.face && run_at(para, pos)->script == u.script) {
            if (pos - u.start >= KY_UNIT_MAX) {
                u.capped = true;
                break;
            }
            size_t next = pos;
            uint32_t cp = ky_utf8_next(text, len, &next);
            if (ky_is_wide(cp) || (para->lang == KY_JA && ky_jlreq_class(cp) == KY_CL_INSEPARABLE))
                break;
            pos = next;
        }
    }
    u.end = pos;
    if (u.kind == UNIT_WIDE) {
        u.cls = ky_jlreq_class(u.cp);
        /* Only a full-width glyph has the blank half that can be taken away. */
        bool punctuation = u.cls == KY_CL_OPENING || u.cls == KY_CL_CLOSING ||
                           u.cls == KY_CL_MIDDLE_DOT || u.cls == KY_CL_FULL_STOP ||
                           u.cls == KY_CL_COMMA;
        u.half = punctuation && !u.script &&
                 fabs(ky_font_width(fonts, u.face, 1, text + u.start, u.end - u.start) - 1) < 0.01;
    }
    return u;
}

/* A word with its hyphenation points: boxes between flagged penalties.
 * Returns the number of points used (0: set the word whole), -1 on error.
 * A paragraph's last word is never hyphenated; capitalized words (names,
 * ministries, places) only with para->hyphenate_capitalized, at a higher
 * cost; words in capitals (acronyms) never. */
static int hyphenated_word(const ky_para *para, ky_fontset *fonts, const unit *u,
                           const char *last_space, ky_item_list *list, ky_arena *arena)
{
    const char *text = para->text;
    size_t core = u->start, core_end = u->end;
    while (core < core_end && !(text[core] >= 'a' && text[core] <= 'z') &&
           !(text[core] >= 'A' && text[core] <= 'Z'))
        core++;
    while (core_end > core && !(text[core_end - 1] >= 'a' && text[core_end - 1] <= 'z'))
        core_end--;
    if (core_end <= core) return 0;
    bool capitalized = text[core] >= 'A' && text[core] <= 'Z';
    if (capitalized && !para->hyphenate_capitalized) return 0;
    for (size_t i = core + capitalized; i < core_end; i++)
        if (!(text[i] >= 'a' && text[i] <= 'z')) return 0;
    /* The last word: no space after it (found once per paragraph, not once
     * per word, which was quadratic in a long paragraph). */
    if (!last_space || last_space < text + u->end) return 0;
    bool after[80];
    /* The patterns are lowercase; no word near this long has a hyphen. */
    char word[80];
    if (core_end - core >= sizeof word) return 0;
    memcpy(word, text + core, core_end - core);
    if (capitalized) word[0] = (char)(word[0] - 'A' + 'a');
    int points = ky_hyphenate(para->hyphenator, word, core_end - core, after, para->diags);
    if (points <= 0) return points;
    double hyphen = ky_font_width(fonts, u->face, para->size, "-", 1);
    size_t piece = u->start;
    for (size_t i = core; i < core_end; i++) {
        if (!after[i - core]) continue;
        size_t cut = i + 1;
        ky_item box = {.kind = KY_ITEM_BOX,
                       .face = u->face,
                       .start = (uint32_t)piece,
                       .len = (uint32_t)(cut - piece)};
        box.width = ky_font_width(fonts, u->face, para->size, text + piece, cut - piece);
        /* TeX's \hyphenpenalty. */
        ky_item penalty = {.kind = KY_ITEM_PENALTY,
                           .penalty = capitalized ? KY_PENALTY_CAPITALIZED_HYPHEN : 50,
                           .width = hyphen,
                           .flagged = 1,
                           .face = u->face};
        if (push(list, box, arena) || push(list, penalty, arena)) return -1;
        piece = cut;
    }
    ky_item box = {.kind = KY_ITEM_BOX,
                   .face = u->face,
                   .start = (uint32_t)piece,
                   .len = (uint32_t)(u->end - piece)};
    box.width = ky_font_width(fonts, u->face, para->size, text + piece, u->end - piece);
    if (push(list, box, arena)) return -1;
    return points;
}

/* A long stretch of an address ("averyverylongsubdomain") as boxes with
 * breaks between its letters, without a hyphen and at the cost of a
 * capitalized word's hyphen: in a narrow column the alternative is a line
 * of two words spread across it. 3 characters at least on either side.
 * Returns the number of breaks (0: set the unit whole), -1 on error. */
static int address_pieces(const ky_para *para, ky_fontset *fonts, const unit *u, ky_item_list *list,
                          ky_arena *arena)
{
    enum { EDGE = 3, LONG = 8 };
    const char *text = para->text;
    size_t len = u->end - u->start;
    if (len < LONG) return 0;
    for (size_t i = u->start; i < u->end; i++)
        if ((unsigned char)text[i] >= 0x80) return 0;
    size_t piece = u->start;
    int breaks = 0;
    for (size_t cut = u->start + EDGE; cut + EDGE <= u->end; cut++) {
        if (!isalnum((unsigned char)text[cut - 1]) || !isalnum((unsigned char)text[cut])) continue;
        ky_item box = {.kind = KY_ITEM_BOX,
                       .face = u->face,
                       .start = (uint32_t)piece,
                       .len = (uint32_t)(cut - piece)};
        box.width = ky_font_width(fonts, u->face, para->size, text + piece, cut - piece);
        ky_item penalty = {.kind = KY_ITEM_PENALTY, .penalty = KY_PENALTY_CAPITALIZED_HYPHEN};
        if (ky_items_push(list, box, arena) || ky_items_push(list, penalty, arena)) return -1;
        piece = cut;
        breaks++;
    }
    ky_item box = {.kind = KY_ITEM_BOX,
                   .face = u->face,
                   .start = (uint32_t)piece,
                   .len = (uint32_t)(u->end - piece)};
    box.width = ky_font_width(fonts, u->face, para->size, text + piece, u->end - piece);
    if (ky_items_push(list, box, arena)) return -1;
    return breaks;
}

static int items_build(const ky_para *para, const bool *allowed, ky_fontset *fonts,
                       ky_item_list *list, ky_arena *arena)
{
    const char *text = para->text;
    double size = para->size;
    unit prev = {.kind = UNIT_SPACE};
    const char *last_space = memrchr(text, ' ', para->len);
    bool compound = false; /* the word so far has a hyphen or a slash of its own */
    bool address = false;  /* the word so far has a slash: an address or a path */
    size_t pos = 0;
    while (pos < para->len) {
        unit u = next_unit(para, allowed, fonts, pos);
        pos = u.end;
        if (u.kind == UNIT_WIDE && u.cp == 0x3000 && prev.kind == UNIT_WIDE &&
            prev.cls == KY_CL_DIVIDING) {
            /* JLREQ 3.1.6: the ideographic space after ！ or ？ is space, not
             * a character: a line may end there, and then it vanishes. */
            u.vanishing = true;
            if (push(list,
                     (ky_item){.kind = KY_ITEM_GLUE,
                               .width = ky_font_width(fonts, u.face, size, text + u.start,
                                                      u.end - u.start),
                               .stretch = 0.1 * size},
                     arena))
                return -1;
            prev = u;
            continue;
        }
        if (u.kind == UNIT_SPACE) {
            compound = address = false;
            if (space_after(&prev) > 0 && push(list,
                                               (ky_item){.kind = KY_ITEM_GLUE,
                                                         .width = space_after(&prev) * size,
                                                         .shrink = space_after(&prev) * size,
                                                         .no_break = 1},
                                               arena))
                return -1;
            double w = ky_font_width(fonts, u.face, size, " ", 1);
            /* In Japanese, punctuation that carries its own space takes no
             * word space besides (「は、 2020年」 is set as 「は、2020年」). */
            if (para->lang == KY_JA && space_after(&prev) > 0) w = 0;
            if (pos < para->len && !allowed[pos] &&
                push(list, (ky_item){.kind = KY_ITEM_PENALTY, .penalty = KY_PENALTY_NEVER}, arena))
                return -1;
            /* A word space may stretch to twice its width and shrink to
             * three quarters of it. */
            if (push(list,
                     (ky_item){.kind = KY_ITEM_GLUE,
                               .width = w,
                               .stretch = w > 0 ? w : 0.1 * size,
                               .shrink = w / 4,
                               .space = w > 0,
                               .face = u.face,
                               .start = (uint32_t)u.start,
                               .len = 1},
                     arena))
                return -1;
            prev = u;
            continue;
        }
        if (u.start > 0 && prev.kind != UNIT_SPACE &&
            join_units(para, &prev, &u, allowed[u.start], list, arena))
            return -1;
        if (u.start == 0 || prev.kind == UNIT_SPACE) {
            /* An opening bracket's space before it, after a word space or at
             * the start, is dropped at a line start anyway but keeps the
             * rhythm inside a line. */
            double before = space_before(&u) * size;
            if (u.start > 0 && before > 0 &&
                push(list,
                     (ky_item){
                         .kind = KY_ITEM_GLUE, .width = before, .shrink = before, .no_break = 1},
                     arena))
                return -1;
        }
        /* Pieces of a word cut at KY_UNIT_MAX are not words to hyphenate. */
        bool piece = u.capped || (prev.capped && prev.end == u.start);
        /* A compound with a hyphen of its own breaks there only:
         * "cyber-se-curity" reads badly. */
        if (u.kind == UNIT_WORD && memchr(text + u.start, '-', u.end - u.start)) compound = true;
        /* Nor is an address or a path ("www", ".example", "/guidelines"). */
        if (u.kind == UNIT_WORD &&
            (memchr(text + u.start, '/', u.end - u.start) || text[u.start] == '.'))
            compound = true;
        if (u.kind == UNIT_WORD && memchr(text + u.start, '/', u.end - u.start)) address = true;
        if (u.kind == UNIT_WIDE) compound = address = false;
        bool kept = para->unhyphenated && para->unhyphenated[u.start];
        if (u.kind == UNIT_WORD && para->hyphenator && para->lang == KY_EN && address && !piece &&
            !kept && !u.script) {
            int added = address_pieces(para, fonts, &u, list, arena);
            if (added < 0) return -1;
            if (added > 0) {
                prev = u;
                continue;
            }
        }
        if (u.kind == UNIT_WORD && para->hyphenator && !piece && !compound && !u.script && !kept) {
            int added = hyphenated_word(para, fonts, &u, last_space, list, arena);
            if (added < 0) return -1;
            if (added > 0) {
                prev = u;
                continue;
            }
        }
        ky_item box = {.kind = KY_ITEM_BOX,
                       .face = u.face,
                       .start = (uint32_t)u.start,
                       .len = (uint32_t)(u.end - u.start),
                       .script = u.script};
        if (u.script) {
            box.width = ky_font_width(fonts, u.face, size * KY_SCRIPT_SCALE, text + u.start,
                                      u.end - u.start);
        } else if (u.half) {
            box.width = 0.5 * size;
            box.x_offset = -space_before(&u) * size;
            box.solo = 1;
        } else {
            box.width = ky_font_width(fonts, u.face, size, text + u.start, u.end - u.start);
        }
        if (push(list, box, arena)) return -1;
        prev = u;
    }
    return 0;
}

/* The items are built in scratch memory and copied to the arena at their
 * exact count: the arrays a growing list outgrows would stay in the
 * document's arena, about 2 KB for every paragraph. */
int ky_items_build(const ky_para *para, const bool *allowed, ky_fontset *fonts, ky_item_list *list,
                   ky_arena *arena)
{
    ky_arena scratch;
    ky_arena_init(&scratch);
    ky_item_list built = {0};
    int status = items_build(para, allowed, fonts, &built, &scratch);
    if (status == 0 && built.count) {
        size_t count = list->count + built.count;
        ky_item *items = KY_NEW_ARRAY(arena, ky_item, count);
        if (items) {
            if (list->count) memcpy(items, list->items, list->count * sizeof *items);
            memcpy(items + list->count, built.items, built.count * sizeof *items);
            list->items = items;
            list->count = list->capacity = count;
        } else {
            status = -1;
        }
    }
    ky_arena_free(&scratch);
    return status;
}

size_t ky_letter_gaps(const ky_item *items, size_t first, size_t end, const char *text)
{
    size_t chars = 0, ends = 0;
    bool after_box = false;
    for (size_t i = first; i < end; i++) {
        if (items[i].kind == KY_ITEM_BOX) {
            chars += ky_utf8_count(text + items[i].start, items[i].len);
            after_box = true;
        } else if (items[i].kind == KY_ITEM_GLUE) {
            ends += after_box;
            after_box = false;
        }
    }
    ends += after_box;
    return chars > ends ? chars - ends : 0;
}

/* Whether a line may end at item i. */
static bool is_break(const ky_item *items, size_t i)
{
    if (items[i].kind == KY_ITEM_PENALTY) return items[i].penalty < KY_PENALTY_NEVER;
    if (items[i].kind == KY_ITEM_GLUE)
        return !items[i].no_break && i > 0 && items[i - 1].kind == KY_ITEM_BOX;
    return false;
}

void ky_mark_overwide(const ky_item *items, size_t count, double width, const char *text,
                      bool *inside)
{
    size_t first = 0; /* the first item of the current run */
    double natural = 0, shrink = 0;
    for (size_t i = 0; i <= count; i++) {
        if (i < count && !(i > first && is_break(items, i))) {
            if (items[i].kind != KY_ITEM_PENALTY) {
                natural += items[i].width;
                shrink += items[i].shrink;
            }
            continue;
        }
        if (natural - shrink > width + 0.01) {
            /* Between its boxes' text, not at its ends (breaks already). */
            size_t from = SIZE_MAX, to = 0;
            for (size_t k = first; k < i; k++)
                if (items[k].kind == KY_ITEM_BOX) {
                    if (from == SIZE_MAX) from = items[k].start;
                    to = items[k].start + items[k].len;
                }
            /* Every character of a run up to KY_OVERWIDE_EVERY bytes (any
             * real URL); in a longer one (a hostile word of megabytes), one
             * in k, a quarter of a line apart on average, so that its items
             * stay a fraction of its characters. */
            size_t chars = 0, k = 1;
            for (size_t t = from; from != SIZE_MAX && t < to; t++)
                chars += ((unsigned char)text[t] & 0xC0) != 0x80;
            if (from != SIZE_MAX && to - from > KY_OVERWIDE_EVERY)
                k = (size_t)fmax(1, floor((double)chars * width / natural / 4));
            size_t seen = 0;
            for (size_t t = from + 1; from != SIZE_MAX && t < to; t++)
                if (((unsigned char)text[t] & 0xC0) != 0x80 && ++seen % k == 0) inside[t] = 1;
        }
        /* The glue a line may break at belongs to neither run. */
        first = i;
        natural = shrink = 0;
    }
}

static void finish_line(ky_line *line, const ky_item *items, size_t count, double width, bool last)
{
    double natural = 0, stretch = 0, shrink = 0;
    for (size_t i = line->first; i < line->end; i++) {
        if (items[i].kind == KY_ITEM_PENALTY) continue;
        natural += items[i].width;
        stretch += items[i].stretch;
        shrink += items[i].shrink;
    }
    /* The penalty a line ends at shows its width: a hyphen, or less than
     * nothing for punctuation hanging past the measure. */
    if (line->end < count && items[line->end].kind == KY_ITEM_PENALTY)
        natural += items[line->end].width;
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
        /* Trailing glue is not part of a line; punctuation's own space is. */
        while (line->end > line->first && items[line->end - 1].kind == KY_ITEM_GLUE &&
               !items[line->end - 1].no_break)
            line->end--;
        finish_line(line, items, count, width, end == count);
        start = end;
    }
    *lines = out;
    return out ? used : 0;
}

void ky_avoid_lone_last_character(const ky_item *items, size_t count, const char *text,
                                  double width, ky_line *lines, size_t line_count)
{
    if (line_count < 2) return;
    ky_line *last = &lines[line_count - 1], *before = &lines[line_count - 2];
    /* Punctuation that may not start a line counts with the character it
     * follows: 「た。」 alone is as lone as 「た」. */
    size_t boxes = 0;
    for (size_t i = last->first; i < last->end; i++) {
        if (items[i].kind != KY_ITEM_BOX) continue;
        size_t pos = 0;
        uint32_t cp = ky_utf8_next(text + items[i].start, items[i].len, &pos);
        if (pos != items[i].len || !ky_is_wide(cp)) return;
        ky_jclass cls = ky_jlreq_class(cp);
        bool follows = boxes > 0 && (closing_like(cls) || cls == KY_CL_DIVIDING);
        if (!follows && ++boxes > 1) return;
    }
    if (boxes != 1) return;
    /* The last break inside the line before, other than at its start
     * (and not an emergency break). */
    size_t cut = 0;
    for (size_t i = before->end; i-- > before->first + 1;)
        if (is_break(items, i) &&
            !(items[i].kind == KY_ITEM_PENALTY && items[i].penalty >= KY_PENALTY_EMERGENCY)) {
            cut = i;
            break;
        }
    if (!cut) return;
    before->end = cut;
    size_t start = cut;
    while (start < count && items[start].kind != KY_ITEM_BOX)
        start++;
    last->first = start;
    finish_line(before, items, count, width, false);
    finish_line(last, items, count, width, true);
}

/* An active breakpoint of the total-fit search. */
typedef struct {
    size_t position; /* the break item, or count for the paragraph end; 0 for the start */
    size_t line;     /* lines before this break */
    int fitness;     /* 0 tight, 1 decent, 2 loose, 3 very loose */
    int hyphen_run;  /* hyphenated lines ending here in a row */
    double demerits;
    long previous; /* index into the node pool, -1 for the start */
    bool active;
} ky_node_kp;

static int fitness_class(double ratio)
{
    if (ratio < -0.5) return 0;
    if (ratio <= 0.5) return 1;
    if (ratio <= 1) return 2;
    return 3;
}

/* First box at or after i: where a line that breaks before i starts. */
static size_t line_start(const ky_item *items, size_t count, size_t i)
{
    while (i < count && items[i].kind != KY_ITEM_BOX)
        i++;
    return i;
}

/* Temporaries (prefix sums, nodes, the active list) come from scratch and
 * only the lines from arena: kept in the document's arena, they cost about
 * 16 KB for every paragraph until the document was done. */
static size_t break_optimal(const ky_item *items, size_t count, const ky_break_params *params,
                            ky_line **lines, ky_arena *scratch, ky_arena *arena)
{
    /* Prefix sums of width, stretch and shrink over items [0, i). */
    double *width = KY_NEW_ARRAY(scratch, double, 3 * (count + 1));
    if (!width) return 0;
    double *stretch = width + count + 1, *shrink = stretch + count + 1;
    width[0] = stretch[0] = shrink[0] = 0;
    for (size_t i = 0; i < count; i++) {
        bool counts = items[i].kind != KY_ITEM_PENALTY;
        width[i + 1] = width[i] + (counts ? items[i].width : 0);
        stretch[i + 1] = stretch[i] + (counts ? items[i].stretch : 0);
        shrink[i + 1] = shrink[i] + (counts ? items[i].shrink : 0);
    }
    /* The gaps between letters before item i (characters less the last
     * of each word, as ky_letter_gaps counts them for a line): the letter
     * spacing a line may take. */
    double letter_max = params->text ? params->letter_max : 0;
    double *gaps = NULL;
    if (letter_max > 0) {
        gaps = KY_NEW_ARRAY(scratch, double, count + 1);
        if (!gaps) return 0;
        gaps[0] = 0;
        bool after_box = false;
        for (size_t i = 0; i < count; i++) {
            double g = 0;
            if (items[i].kind == KY_ITEM_BOX) {
                g = (double)ky_utf8_count(params->text + items[i].start, items[i].len);
                after_box = true;
            } else if (items[i].kind == KY_ITEM_GLUE) {
                g = after_box ? -1 : 0;
                after_box = false;
            }
            gaps[i + 1] = gaps[i] + g;
        }
    }
    size_t capacity = 64, used = 0;
    ky_node_kp *nodes = KY_NEW_ARRAY(scratch, ky_node_kp, capacity);
    if (!nodes) return 0;
    nodes[used++] = (ky_node_kp){.position = 0, .fitness = 1, .previous = -1, .active = 1};
    /* The active nodes, by index: only they are tried at each break, so the
     * search stays linear in the paragraph's length. */
    size_t active_capacity = 64, active_count = 1;
    size_t *active = KY_NEW_ARRAY(scratch, size_t, active_capacity);
    if (!active) return 0;
    active[0] = 0;
    for (size_t b = 1; b <= count && active_count > 0; b++) {
        bool last = b == count;
        if (!last && !is_break(items, b)) continue;
        bool flagged = !last && items[b].kind == KY_ITEM_PENALTY && items[b].flagged;
        double penalty = !last && items[b].kind == KY_ITEM_PENALTY ? items[b].penalty : 0;
        double extra = !last && items[b].kind == KY_ITEM_PENALTY ? items[b].width : 0;
        /* The best way to reach b for each fitness class and hyphen run. */
        enum { RUNS = 4 };
        double best[4][RUNS];
        long best_from[4][RUNS];
        for (int f = 0; f < 4; f++)
            for (int r = 0; r < RUNS; r++)
                best[f][r] = INFINITY, best_from[f][r] = -1;
        for (size_t k = 0; k < active_count; k++) {
            size_t n = active[k];
            ky_node_kp *a = &nodes[n];
            size_t start = a->position == 0 ? line_start(items, count, 0)
                                            : line_start(items, count, a->position + 1);
            if (start >= b) continue;
            double natural = width[b] - width[start] + extra;
            double ratio;
            if (params->ragged > 0) {
                ratio = natural <= params->width
                            ? (last ? 0 : (params->width - natural) / params->ragged)
                            : -INFINITY;
            } else if (natural < params->width) {
                double st = stretch[b] - stretch[start];
                ratio = last ? 0 : st > 0 ? (params->width - natural) / st : INFINITY;
                /* Past twice their width, spaces wait for the letters to
                 * take what they can (ky_typeset_line spreads it so). */
                if (gaps && ratio > 1 && st > 0) {
                    /* The line's last word: one gap fewer. */
                    double letters = fmax(0, gaps[b] - gaps[start] - 1) * letter_max;
                    ratio = 1 + fmax(0, params->width - natural - st - letters) / st;
                }
            } else if (natural > params->width) {
                double sh = shrink[b] - shrink[start];
                ratio = sh > 0 ? (params->width - natural) / sh : -INFINITY;
            } else {
                ratio = 0;
            }
            if (ratio < -1) {
                /* Every later break makes this line longer still. */
                a->active = 0;
                active[k--] = active[--active_count];
                continue;
            }
            /* A line that cannot stretch (one word, or one box) is allowed
             * but as bad as a line can be, as in TeX. */
            bool rigid = isinf(ratio) && ratio > 0;
            if (rigid ? !params->allow_rigid : ratio > params->tolerance) continue;
            if (!last && natural < params->min_fill * params->width) continue;
            int run = flagged ? a->hyphen_run + 1 : 0;
            if (run > params->max_hyphen_run || run >= RUNS) continue;
            double badness = rigid ? 10000 : fmin(10000, 100 * fabs(ratio) * ratio * ratio);
            double d = params->line_penalty + badness;
            d *= d;
            if (penalty > 0)
                d += penalty * penalty;
            else if (penalty < 0 && penalty > -KY_PENALTY_NEVER)
                d -= penalty * penalty;
            bool a_flagged = a->position > 0 && a->position < count &&
                             items[a->position].kind == KY_ITEM_PENALTY &&
                             items[a->position].flagged;
            if (flagged && a_flagged) d += params->double_hyphen;
            int fitness = rigid ? 3 : fitness_class(ratio);
            if (abs(fitness - a->fitness) > 1) d += params->fitness_jump;
            d += a->demerits;
            if (d < best[fitness][run]) best[fitness][run] = d, best_from[fitness][run] = (long)n;
        }
        for (int f = 0; f < 4; f++)
            for (int r = 0; r < RUNS; r++) {
                if (best_from[f][r] < 0) continue;
                if (ky_arena_grow(scratch, (void **)&nodes, used, &capacity, sizeof *nodes, 64))
                    return 0;
                nodes[used++] = (ky_node_kp){.position = b,
                                             .line = nodes[best_from[f][r]].line + 1,
                                             .fitness = f,
                                             .hyphen_run = r,
                                             .demerits = best[f][r],
                                             .previous = best_from[f][r],
                                             .active = !last};
                if (last) continue;
                if (ky_arena_grow(scratch, (void **)&active, active_count, &active_capacity,
                                  sizeof *active, 64))
                    return 0;
                active[active_count++] = used - 1;
            }
    }
    /* The best node that ends the paragraph. */
    long end = -1;
    for (size_t n = 0; n < used; n++)
        if (nodes[n].position == count && (end < 0 || nodes[n].demerits < nodes[end].demerits))
            end = (long)n;
    if (end < 0) return 0;
    size_t line_count = nodes[end].line;
    ky_line *out = KY_NEW_ARRAY(arena, ky_line, line_count);
    if (!out) return 0;
    for (long n = end, k = (long)line_count - 1; nodes[n].previous >= 0;
         n = nodes[n].previous, k--) {
        const ky_node_kp *from = &nodes[nodes[n].previous];
        ky_line *line = &out[k];
        line->first = line_start(items, count, from->position == 0 ? 0 : from->position + 1);
        line->end = nodes[n].position;
        while (line->end > line->first && items[line->end - 1].kind == KY_ITEM_GLUE &&
               !items[line->end - 1].no_break)
            line->end--;
        finish_line(line, items, count, params->width, nodes[n].position == count);
    }
    *lines = out;
    return line_count;
}

size_t ky_break_optimal(const ky_item *items, size_t count, const ky_break_params *params,
                        ky_line **lines, ky_arena *arena)
{
    ky_arena scratch;
    ky_arena_init(&scratch);
    size_t line_count = break_optimal(items, count, params, lines, &scratch, arena);
    ky_arena_free(&scratch);
    return line_count;
}
