#include "typeset.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jlreq.h"
#include "pages.h"
#include "utf8.h"

static bool first_report(ky_typesetter *ts, uint32_t cp)
{
    for (size_t i = 0; i < ts->reported_count; i++)
        if (ts->reported[i] == cp) return false;
    if (ts->reported_count < sizeof ts->reported / sizeof ts->reported[0])
        ts->reported[ts->reported_count++] = cp;
    return true;
}

ky_role ky_span_role(unsigned span_style, ky_role base)
{
    bool bold =
        base == KY_ROLE_BOLD || base == KY_ROLE_BOLD_ITALIC || (span_style & KY_SPAN_STRONG) != 0;
    bool italic = (base == KY_ROLE_ITALIC || base == KY_ROLE_BOLD_ITALIC) !=
                  ((span_style & KY_SPAN_EMPHASIS) != 0);
    return bold ? (italic ? KY_ROLE_BOLD_ITALIC : KY_ROLE_BOLD)
                : (italic ? KY_ROLE_ITALIC : KY_ROLE_BODY);
}

/* Concatenates spans and gives every character the first face of its
 * chain that has it. */
static int build_para(ky_typesetter *ts, ky_arena *arena, ky_lang lang, const ky_span *spans,
                      const ky_style *style, const char *file, int line, ky_para *para)
{
    size_t len = 0, run_capacity = 0;
    for (const ky_span *span = spans; span; span = span->next)
        len += span->len, run_capacity += span->len;
    char *text = ky_arena_alloc(arena, len + 1);
    ky_run *runs = KY_NEW_ARRAY(arena, ky_run, run_capacity + 1);
    if (!text || !runs) return -1;
    memset(para, 0, sizeof(*para));
    para->text = text;
    para->runs = runs;
    para->size = style->size;
    para->lang = lang;
    para->cjk_latin_spacing = ts->tpl->cjk_latin_spacing > 0;
    para->hanging_punctuation = ts->tpl->hanging_punctuation > 0;
    int status = 0;
    size_t at = 0;
    for (const ky_span *span = spans; span; span = span->next) {
        ky_role role = ky_span_role(span->style, style->font);
        signed char script = span->style & KY_SPAN_SUPERSCRIPT ? KY_SCRIPT_SUPER
                             : span->style & KY_SPAN_SUBSCRIPT ? KY_SCRIPT_SUB
                                                               : KY_SCRIPT_NONE;
        memcpy(text + at, span->text, span->len);
        size_t pos = 0;
        while (pos < span->len) {
            size_t start = pos;
            uint32_t cp = ky_utf8_next(span->text, span->len, &pos);
            char shown[8] = {0};
            ky_utf8_encode(cp == KY_UTF8_INVALID ? 0xFFFD : cp, shown);
            int face = -1;
            if (cp == KY_UTF8_INVALID) {
                ky_error(ts->diags, file, line, "invalid UTF-8 in text");
                status = -1;
                break;
            } else if (cp > 0xFFFF) {
                if (first_report(ts, cp))
                    ky_error(ts->diags, file, line,
                             "U+%04X '%s' is outside the Basic Multilingual Plane, which the PDF "
                             "backend (libharu 2.3.0) cannot encode",
                             cp, shown);
                status = -1;
                continue;
            }
            face = ky_font_pick(ts->fonts, lang, role, cp, ts->diags);
            if (face < 0) {
                /* A face that could not be opened has said so: the
                 * characters it would have set need no message each. */
                if (!ts->fonts->failed && first_report(ts, cp))
                    ky_error(ts->diags, file, line, "no font in the %s %s chain has U+%04X '%s'",
                             ky_lang_code(lang), ky_role_name(role), cp, shown);
                status = -1;
                continue;
            }
            uint32_t offset = (uint32_t)(at + start);
            if (para->run_count && runs[para->run_count - 1].face == face &&
                runs[para->run_count - 1].script == script &&
                runs[para->run_count - 1].end == offset) {
                runs[para->run_count - 1].end = (uint32_t)(at + pos);
            } else {
                runs[para->run_count++] = (ky_run){offset, (uint32_t)(at + pos), face, script};
            }
        }
        at += span->len;
    }
    text[at] = '\0';
    para->len = at;
    return status;
}

/* Whether a line is wider than the measure even with its glue shrunk as
 * far as it goes (hanging punctuation has its own allowance in natural). */
static bool overfull(const ky_set_text *set, const ky_line *line)
{
    double shrink = 0;
    for (size_t i = line->first; i < line->end; i++)
        if (set->items.items[i].kind == KY_ITEM_GLUE) shrink += set->items.items[i].shrink;
    return line->natural - shrink > set->width + 0.01;
}

static bool any_overfull(const ky_set_text *set)
{
    for (size_t i = 0; i < set->line_count; i++)
        if (overfull(set, &set->lines[i])) return true;
    return false;
}

/* A justified line, not a paragraph's last, with less than half its
 * measure filled: what total-fit cannot avoid when a run of text no rule
 * can break is too wide to stand beside the words before it. */
static bool any_hollow(const ky_set_text *set)
{
    if (set->style->align != KY_ALIGN_JUSTIFY) return false;
    for (size_t i = 0; i + 1 < set->line_count; i++)
        if (set->lines[i].natural < set->width / 2) return true;
    return false;
}

/* English and Japanese justified text is broken total-fit. English first
 * without hyphenation, as TeX does (loose lines only if nothing better
 * exists), then with it, then hyphenating capitalized words too (at a
 * cost), and last with spaces up to 5x and letter spacing; Japanese
 * spreads its slack between characters. A paragraph that no tolerance can
 * set is filled first-fit. Items are built here, from allowed. */
/* Total-fit breaking of set's items; a result with a hollow line (a lone
 * "the" over a word that does not fit beside it) is tried again with no
 * line under half the measure, and the hollow one kept only if nothing
 * else exists. Only then: a second search without the lines it rules out
 * may break ties differently, and paragraphs that had no hollow line keep
 * their breaks. */
static size_t optimal(ky_set_text *set, ky_break_params *params, ky_arena *arena)
{
    params->min_fill = 0;
    ky_line *lines = NULL;
    size_t count = ky_break_optimal(set->items.items, set->items.count, params, &lines, arena);
    set->lines = lines;
    set->line_count = count;
    if (count && any_hollow(set)) {
        params->min_fill = 0.5;
        ky_line *full;
        size_t full_count =
            ky_break_optimal(set->items.items, set->items.count, params, &full, arena);
        params->min_fill = 0;
        if (full_count) {
            set->lines = full;
            count = full_count;
        }
    }
    return count;
}

/* Whether a text has a capitalized word ("Ministry"): the only ones a
 * pass hyphenating them can change. */
static bool has_capitalized(const char *text, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++)
        if (text[i] >= 'A' && text[i] <= 'Z' && text[i + 1] >= 'a' && text[i + 1] <= 'z')
            return true;
    return false;
}

/* last_resort: the emergency setting goes straight to the loosest pass, as
 * it comes after every other has failed (and a text that needs it may be
 * one word of a megabyte: one list of items, not three). */
static int break_once(ky_typesetter *ts, ky_arena *arena, ky_set_text *set, const bool *allowed,
                      bool last_resort)
{
    /* The last resort hyphenates as the last pass before it did: its
     * emergency breaks were placed in the runs that hyphenation left. */
    bool english = set->para.lang == KY_EN && set->style->align == KY_ALIGN_JUSTIFY;
    /* A measure too narrow to justify: flush left, hyphenated as TeX's
     * \raggedright is (capitalized words too, at their cost), each line
     * as close to the measure as breaks allow, none under half of it when
     * that can be helped (optimal's second search). */
    set->ragged =
        english && ts->tpl->ragged_under > 0 && set->width < ts->tpl->ragged_under * set->para.size;
    bool hyphenate = english && (last_resort || set->ragged);
    set->para.hyphenator = hyphenate ? ts->hyphenator : NULL;
    set->para.hyphenate_capitalized = hyphenate && has_capitalized(set->para.text, set->para.len);
    set->items = (ky_item_list){0};
    set->lines = NULL;
    set->line_count = 0;
    if (ky_items_build(&set->para, allowed, ts->fonts, &set->items, arena)) return -1;
    const ky_item *items = set->items.items;
    size_t count = set->items.count;
    if (set->ragged) {
        /* TeX's ragged2e: the line's end may take 2 em (a line 2 em short
         * is as bad as spaces at twice their width). */
        ky_break_params params = {.width = set->width,
                                  .tolerance = INFINITY,
                                  .line_penalty = 10,
                                  .double_hyphen = 3000,
                                  .fitness_jump = 100,
                                  .max_hyphen_run = 2,
                                  .ragged = 2 * set->para.size};
        set->line_count = optimal(set, &params, arena);
    } else if (set->style->align == KY_ALIGN_JUSTIFY) {
        ky_break_params params = {.width = set->width,
                                  .line_penalty = 10,
                                  .double_hyphen = 3000,
                                  .fitness_jump = 100,
                                  .max_hyphen_run = 2};
        if (set->para.lang == KY_EN) {
            params.tolerance = 0.5;
            if (!last_resort) set->line_count = optimal(set, &params, arena);
            int passes = last_resort ? 0 : has_capitalized(set->para.text, set->para.len) ? 2 : 1;
            for (int caps = 0; caps < passes && !set->line_count && ts->hyphenator; caps++) {
                ky_item_list hyphenated = {0};
                set->para.hyphenator = ts->hyphenator;
                set->para.hyphenate_capitalized = caps;
                if (ky_items_build(&set->para, allowed, ts->fonts, &hyphenated, arena)) return -1;
                set->items = hyphenated;
                items = set->items.items;
                count = set->items.count;
                params.tolerance = 1;
                set->line_count = optimal(set, &params, arena);
            }
            /* Then letter spacing, before spaces go past twice their width. */
            params.letter_max = KY_LETTER_SPACING_MAX * set->para.size;
            params.text = set->para.text;
            if (!set->line_count && !last_resort) set->line_count = optimal(set, &params, arena);
            /* A line that has no space to stretch (a stretch of an address
             * between two of its breaks) stays as it is; the others keep
             * within twice their spaces, before any may go further. */
            params.allow_rigid = 1;
            if (!set->line_count && !last_resort) set->line_count = optimal(set, &params, arena);
            if (!set->line_count) {
                params.tolerance = 4;
                params.allow_rigid = 1;
                /* Breaks chosen counting on the letters here make lines
                 * of one space and many letters, whose space stays wide
                 * (twice as many spaces over 2.5x in the stress tests'
                 * parallel columns): the letters only soften what the
                 * spaces alone would have had to take. */
                params.letter_max = 0;
                set->line_count = optimal(set, &params, arena);
            }
        } else {
            params.tolerance = 20;
            params.allow_rigid = 1;
            set->line_count = optimal(set, &params, arena);
        }
    }
    if (!set->line_count)
        set->line_count = ky_break_greedy(items, count, set->width, &set->lines, arena);
    /* Centered text (titles) is balanced: the narrowest measure that keeps
     * the number of lines, so that a title's last line is not a stub. */
    if (set->style->align == KY_ALIGN_CENTER && set->line_count > 1) {
        double lo = 0, hi = set->width;
        ky_line *best = set->lines;
        for (int step = 0; step < 12; step++) {
            double mid = (lo + hi) / 2;
            ky_line *lines;
            size_t n = ky_break_greedy(items, count, mid, &lines, arena);
            bool fits = n == set->line_count;
            for (size_t i = 0; fits && i < n; i++)
                fits = lines[i].natural <= mid + 1e-6;
            if (fits)
                hi = mid, best = lines;
            else
                lo = mid;
        }
        set->lines = best;
    }
    if (set->para.lang == KY_JA)
        ky_avoid_lone_last_character(items, count, set->para.text, set->width, set->lines,
                                     set->line_count);
    return 0;
}

/* No break inside a <nobreak>, nor inside what stays together by itself
 * (ky_keep_words, with the template's lists): a rule of the strict and
 * loose settings, not of the emergency one (a stretch wider than the
 * measure must break somewhere, with a warning). */
static void keep_together(const ky_typesetter *ts, const ky_set_text *set, bool *allowed)
{
    const char *const *texts = ts->tpl->text[set->para.lang];
    ky_keep_words(set->para.text, set->para.len, set->para.lang, texts[KY_TEXT_ABBREVIATIONS],
                  texts[KY_TEXT_UNITS], texts[KY_TEXT_MONTHS], allowed);
    for (size_t i = 0; i < set->nobreak_count; i++)
        for (uint32_t t = set->nobreaks[i].start + 1; t < set->nobreaks[i].end; t++)
            allowed[t] = false;
}

/* The order of relaxation, tried only when the stricter setting leaves a
 * line wider than its measure (a run strict kinsoku cannot break, a long
 * URL): strict kinsoku with every pass of break_once (for English up to
 * its letter spacing), then JLREQ's looser rule (Japanese), then an
 * emergency break between any two characters, which is reported. A line
 * still too wide (one character wider than the measure) is reported too;
 * nothing is drawn past the margin silently. */
static int break_lines(ky_typesetter *ts, ky_arena *arena, ky_set_text *set, const bool *allowed,
                       bool relax)
{
    if (break_once(ts, arena, set, allowed, false)) return -1;
    set->relaxed = KY_KINSOKU_STRICT;
    if (!relax || !(any_overfull(set) || any_hollow(set))) return 0;
    size_t len = set->para.len;
    const bool *stricter = allowed;
    for (ky_kinsoku level = set->para.lang == KY_JA ? KY_KINSOKU_LOOSE : KY_KINSOKU_EMERGENCY;
         level <= KY_KINSOKU_EMERGENCY && (any_overfull(set) || any_hollow(set)); level++) {
        bool *looser = ky_arena_alloc(arena, len + 1);
        if (!looser) return -1;
        if (ky_break_opportunities_at(&ts->breakers, set->para.text, len, set->para.lang, level,
                                      looser, ts->diags))
            return -1;
        if (level < KY_KINSOKU_EMERGENCY) keep_together(ts, set, looser);
        bool *emergency = NULL;
        if (level == KY_KINSOKU_EMERGENCY) {
            /* Only inside what is wider than the measure: a break inside
             * "and" is never the lesser evil. */
            bool *inside = ky_arena_alloc(arena, len + 1);
            emergency = ky_arena_alloc(arena, len + 1);
            if (!inside || !emergency) return -1;
            memset(inside, 0, len + 1);
            bool hollow = any_hollow(set);
            ky_mark_overwide(set->items.items, set->items.count,
                             hollow ? set->width / 2 : set->width, set->para.text, inside);
            /* A <nobreak> stretch breaks only when it is wider than the
             * measure itself, not to fill a hollow line. */
            if (hollow && set->nobreak_count) {
                bool *wider = ky_arena_alloc(arena, len + 1);
                memset(wider, 0, len + 1);
                ky_mark_overwide(set->items.items, set->items.count, set->width, set->para.text,
                                 wider);
                for (size_t k = 0; k < set->nobreak_count; k++)
                    for (uint32_t t = set->nobreaks[k].start + 1; t < set->nobreaks[k].end; t++)
                        inside[t] = inside[t] && wider[t];
            }
            for (size_t i = 0; i <= len; i++) {
                emergency[i] = looser[i] && !stricter[i] && inside[i];
                looser[i] = stricter[i] || emergency[i];
            }
        }
        set->para.emergency = emergency;
        int status = break_once(ts, arena, set, looser, level == KY_KINSOKU_EMERGENCY);
        set->para.emergency = NULL;
        if (status) return -1;
        set->relaxed = level;
        stricter = looser;
    }
    set->emergency_breaks = 0;
    for (size_t i = 0; i + 1 < set->line_count; i++) {
        size_t end = set->lines[i].end;
        /* A line that ends at glue ends at its space; only penalties cost. */
        if (end < set->items.count && set->items.items[end].kind == KY_ITEM_PENALTY &&
            set->items.items[end].penalty >= KY_PENALTY_EMERGENCY)
            set->emergency_breaks++;
    }
    double mm = set->width * 25.4 / 72;
    if (set->emergency_breaks)
        ky_diag_add(ts->diags, KY_WARNING, set->file, set->line, 0,
                    "no line break that the rules allow fits the measure (%.1f mm): %zu "
                    "emergency break%s between characters",
                    mm, set->emergency_breaks, set->emergency_breaks == 1 ? "" : "s");
    else if (set->relaxed == KY_KINSOKU_LOOSE)
        ky_diag_add(ts->diags, KY_WARNING, set->file, set->line, 0,
                    "strict kinsoku cannot set this text in the measure (%.1f mm): small kana "
                    "or a prolonged sound mark starts a line",
                    mm);
    for (size_t i = 0; i < set->line_count; i++)
        if (overfull(set, &set->lines[i])) {
            ky_diag_add(ts->diags, KY_WARNING, set->file, set->line, 0,
                        "line %zu is wider than its measure (%.1f mm)", i + 1, mm);
            break;
        }
    for (size_t i = 0; any_hollow(set) && i + 1 < set->line_count; i++)
        if (set->lines[i].natural < set->width / 2) {
            ky_diag_add(ts->diags, KY_WARNING, set->file, set->line, 0,
                        "line %zu fills less than half its measure (%.1f mm)", i + 1, mm);
            break;
        }
    return 0;
}

/* Japanese text that is not justified (titles, headings, signature blocks,
 * table cells) breaks between phrases (文節) where it can, as ICU's
 * phrase-based line breaking finds them — 「第2回日印サイバー対話に／関する
 * 共同声明」, 「サプライチェーンの／強靱化」, not inside 対話 or サプライ
 * チェーン. Returns -1 (and leaves set to the caller) when the phrases do
 * not fit the measure. */
static int set_by_phrases(ky_typesetter *ts, ky_arena *arena, ky_set_text *set, const bool *allowed)
{
    size_t len = set->para.len;
    bool *phrases = ky_arena_alloc(arena, len + 1);
    if (ky_phrase_breaks(&ts->breakers, set->para.text, len, phrases, ts->diags)) return -1;
    for (size_t i = 0; i <= len; i++)
        phrases[i] = phrases[i] && allowed[i];
    ky_set_text trial = *set;
    if (break_lines(ts, arena, &trial, phrases, false)) return -1;
    for (size_t i = 0; i < trial.line_count; i++)
        if (trial.lines[i].natural > trial.width + 1e-6) return -1;
    *set = trial;
    return 0;
}

/* Adds [start, end) to ranges, joined to the last one when they touch
 * with the same target (a link's text in two styles is one link). */
static void add_range(ky_arena *arena, ky_text_range **ranges, size_t *count, size_t *capacity,
                      uint32_t start, uint32_t end, const char *href)
{
    if (start == end) return;
    ky_text_range *last = *count ? &(*ranges)[*count - 1] : NULL;
    if (last && last->end == start &&
        (last->href == href || (last->href && href && strcmp(last->href, href) == 0))) {
        last->end = end;
        return;
    }
    ky_arena_grow(arena, (void **)ranges, *count, capacity, sizeof **ranges, 4);
    (*ranges)[(*count)++] = (ky_text_range){start, end, href};
}

static int add_tag(ky_arena *arena, ky_set_text *set, size_t *capacity, ky_text_tag tag)
{
    if (tag.start == tag.end) return 0;
    ky_text_tag *last = set->tag_count ? &set->tags[set->tag_count - 1] : NULL;
    /* A phrase in two styles is one Span, and so is one with a party's
     * name in it (the space before the name is a span of its own). */
    uint32_t gap = last ? last->end : 0;
    while (gap < tag.start && set->para.text[gap] == ' ')
        gap++;
    if (tag.type == KY_SE_SPAN && last && last->type == KY_SE_SPAN && gap == tag.start &&
        last->end <= tag.start && last->lang == tag.lang) {
        last->end = tag.end;
        return 0;
    }
    if (ky_arena_grow(arena, (void **)&set->tags, set->tag_count, capacity, sizeof tag, 4))
        return -1;
    tag.parent = tag.sid = -1;
    set->tags[set->tag_count++] = tag;
    return 0;
}

/* Text order, an outer stretch before the ones inside it. */
static int tag_order(const void *a, const void *b)
{
    const ky_text_tag *x = a, *y = b;
    /* A note's mark: its Reference holds the Link to the note. */
    static const int rank[KY_SE_COUNT] = {
        [KY_SE_REFERENCE] = 0, [KY_SE_LINK] = 1, [KY_SE_SPAN] = 2};
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    if (x->end != y->end) return x->end > y->end ? -1 : 1;
    return rank[x->type] - rank[y->type];
}

/* Where the text's notes are referenced (for the flow to set them at the
 * foot of the page their reference falls on), where its links and its
 * stretches that must not break are, and which stretches are elements of
 * their own (a link's text, a note's mark, a phrase in another language). */
static int find_marks(ky_arena *arena, const ky_span *spans, ky_set_text *set)
{
    size_t notes = 0, at = 0, link_capacity = 0, nobreak_capacity = 0, tag_capacity = 0;
    for (const ky_span *span = spans; span; span = span->next)
        notes += span->note != NULL;
    if (notes) set->notes = KY_NEW_ARRAY(arena, ky_note_ref, notes);
    for (const ky_span *span = spans; span; span = span->next) {
        uint32_t start = (uint32_t)at, end = (uint32_t)(at + span->len);
        if (span->note) set->notes[set->note_count++] = (ky_note_ref){start, span->note};
        if ((span->note && add_tag(arena, set, &tag_capacity,
                                   (ky_text_tag){.start = start,
                                                 .end = end,
                                                 .type = KY_SE_REFERENCE,
                                                 .lang = -1,
                                                 .key = span->note})) ||
            (span->note && add_tag(arena, set, &tag_capacity,
                                   (ky_text_tag){.start = start,
                                                 .end = end,
                                                 .type = KY_SE_LINK,
                                                 .lang = -1,
                                                 .key = span->note})) ||
            ((span->style & KY_SPAN_FOREIGN) &&
             add_tag(arena, set, &tag_capacity,
                     (ky_text_tag){
                         .start = start, .end = end, .type = KY_SE_SPAN, .lang = span->lang})))
            return -1;
        if (span->style & KY_SPAN_LINK)
            add_range(arena, &set->links, &set->link_count, &link_capacity, start, end, span->href);
        if (span->style & KY_SPAN_NOBREAK)
            add_range(arena, &set->nobreaks, &set->nobreak_count, &nobreak_capacity, start, end,
                      NULL);
        at = end;
    }
    for (size_t k = 0; k < set->link_count; k++)
        if (add_tag(arena, set, &tag_capacity,
                    (ky_text_tag){.start = set->links[k].start,
                                  .end = set->links[k].end,
                                  .type = KY_SE_LINK,
                                  .lang = -1}))
            return -1;
    if (set->tag_count) qsort(set->tags, set->tag_count, sizeof *set->tags, tag_order);
    return 0;
}

static int typeset_lines(ky_typesetter *ts, ky_arena *arena, ky_lang lang, const ky_span *spans,
                         const ky_style *style, double width, const char *file, int line,
                         bool relax, ky_set_text *set)
{
    memset(set, 0, sizeof(*set));
    set->style = style;
    set->width = width;
    set->file = file;
    set->line = line;
    if (build_para(ts, arena, lang, spans, style, file, line, &set->para) != 0) return -1;
    set->para.diags = ts->diags;
    if (find_marks(arena, spans, set)) return -1;
    if (set->nobreak_count) {
        bool *kept = ky_arena_alloc(arena, set->para.len + 1);
        memset(kept, 0, set->para.len + 1);
        for (size_t i = 0; i < set->nobreak_count; i++)
            memset(kept + set->nobreaks[i].start, 1, set->nobreaks[i].end - set->nobreaks[i].start);
        set->para.unhyphenated = kept;
    }
    bool *allowed = ky_arena_alloc(arena, set->para.len + 1);
    if (!allowed) return -1;
    if (ky_break_opportunities(&ts->breakers, set->para.text, set->para.len, lang, allowed,
                               ts->diags))
        return -1;
    keep_together(ts, set, allowed);
    if (lang == KY_JA && style->align != KY_ALIGN_JUSTIFY &&
        set_by_phrases(ts, arena, set, allowed) == 0)
        return 0;
    return break_lines(ts, arena, set, allowed, relax);
}

/* Joins texts set one after the other into one: their texts, items and
 * lines follow each other, each one's last line unjustified. */
static void join_sets(ky_arena *arena, const ky_set_text *parts, size_t count, ky_set_text *out)
{
    size_t len = 0, runs = 0, items = 0, lines = 0, notes = 0, links = 0, nobreaks = 0, tags = 0;
    for (size_t i = 0; i < count; i++) {
        tags += parts[i].tag_count;
        len += parts[i].para.len, runs += parts[i].para.run_count;
        items += parts[i].items.count, lines += parts[i].line_count;
        notes += parts[i].note_count, links += parts[i].link_count;
        nobreaks += parts[i].nobreak_count;
    }
    *out = parts[0];
    char *text = ky_arena_alloc(arena, len + 1);
    out->para.text = text;
    out->para.runs = KY_NEW_ARRAY(arena, ky_run, runs + 1);
    out->items.items = KY_NEW_ARRAY(arena, ky_item, items + 1);
    out->lines = KY_NEW_ARRAY(arena, ky_line, lines + 1);
    out->notes = KY_NEW_ARRAY(arena, ky_note_ref, notes + 1);
    out->links = KY_NEW_ARRAY(arena, ky_text_range, links + 1);
    out->nobreaks = KY_NEW_ARRAY(arena, ky_text_range, nobreaks + 1);
    out->tags = KY_NEW_ARRAY(arena, ky_text_tag, tags + 1);
    out->tag_count = 0;
    out->breaks = KY_NEW_ARRAY(arena, uint32_t, count);
    out->break_count = 0;
    out->para.len = out->para.run_count = out->items.count = out->line_count = 0;
    out->note_count = out->link_count = out->nobreak_count = out->emergency_breaks = 0;
    for (size_t i = 0; i < count; i++) {
        const ky_set_text *part = &parts[i];
        uint32_t at = (uint32_t)out->para.len;
        size_t first = out->items.count;
        if (i > 0) out->breaks[out->break_count++] = at;
        memcpy(text + at, part->para.text, part->para.len);
        for (size_t k = 0; k < part->para.run_count; k++) {
            ky_run run = part->para.runs[k];
            run.start += at, run.end += at;
            out->para.runs[out->para.run_count++] = run;
        }
        for (size_t k = 0; k < part->items.count; k++) {
            ky_item item = part->items.items[k];
            item.start += at;
            out->items.items[out->items.count++] = item;
        }
        for (size_t k = 0; k < part->line_count; k++) {
            ky_line l = part->lines[k];
            l.first += first, l.end += first;
            out->lines[out->line_count++] = l;
        }
        for (size_t k = 0; k < part->note_count; k++)
            out->notes[out->note_count++] =
                (ky_note_ref){part->notes[k].offset + at, part->notes[k].note};
        for (size_t k = 0; k < part->link_count; k++)
            out->links[out->link_count++] = (ky_text_range){
                part->links[k].start + at, part->links[k].end + at, part->links[k].href};
        for (size_t k = 0; k < part->nobreak_count; k++)
            out->nobreaks[out->nobreak_count++] =
                (ky_text_range){part->nobreaks[k].start + at, part->nobreaks[k].end + at, NULL};
        for (size_t k = 0; k < part->tag_count; k++) {
            ky_text_tag tag = part->tags[k];
            tag.start += at, tag.end += at;
            out->tags[out->tag_count++] = tag;
        }
        out->para.len += part->para.len;
        if (part->relaxed > out->relaxed) out->relaxed = part->relaxed;
        out->emergency_breaks += part->emergency_breaks;
    }
    text[out->para.len] = '\0';
    out->items.capacity = out->items.count;
}

/* A text with forced line breaks (<br/>) is set piece by piece, each piece
 * as a paragraph of its own whose last line is not justified, and the
 * pieces joined; consecutive breaks make no empty line. */
static int typeset(ky_typesetter *ts, ky_arena *arena, ky_lang lang, const ky_span *spans,
                   const ky_style *style, double width, const char *file, int line, bool relax,
                   ky_set_text *set)
{
    size_t breaks = 0;
    for (const ky_span *span = spans; span; span = span->next)
        breaks += (span->style & KY_SPAN_BREAK) != 0;
    if (!breaks) return typeset_lines(ts, arena, lang, spans, style, width, file, line, relax, set);
    ky_set_text *parts = KY_NEW_ARRAY(arena, ky_set_text, breaks + 1);
    size_t count = 0;
    const ky_span *span = spans;
    while (span) {
        ky_span *piece = NULL, **tail = &piece;
        for (; span && !(span->style & KY_SPAN_BREAK); span = span->next) {
            ky_span *copy = KY_NEW(arena, ky_span);
            *copy = *span;
            copy->next = NULL;
            *tail = copy;
            tail = &copy->next;
        }
        if (span) span = span->next;
        if (!piece) continue;
        if (typeset_lines(ts, arena, lang, piece, style, width, file, line, relax, &parts[count]))
            return -1;
        if (parts[count].line_count) count++;
    }
    if (!count) return typeset_lines(ts, arena, lang, NULL, style, width, file, line, relax, set);
    join_sets(arena, parts, count, set);
    return 0;
}

int ky_typeset(ky_typesetter *ts, ky_arena *arena, ky_lang lang, const ky_span *spans,
               const ky_style *style, double width, const char *file, int line, ky_set_text *set)
{
    return typeset(ts, arena, lang, spans, style, width, file, line, true, set);
}

/* The figures of line n of set as drawn: ratio and letter as
 * ky_typeset_line adjusts it. */
static void count_line(ky_typeset_report *report, const ky_set_text *set, size_t n, double ratio,
                       double letter)
{
    ky_typeset_stats *stats = &report->lang[set->para.lang];
    const ky_line *line = &set->lines[n];
    const ky_item *items = set->items.items;
    stats->lines++;
    const ky_item *end = line->end < set->items.count ? &items[line->end] : NULL;
    if (end && end->kind == KY_ITEM_PENALTY && end->flagged) stats->hyphenated_lines++;
    if (end && end->kind == KY_ITEM_PENALTY && end->penalty >= KY_PENALTY_EMERGENCY &&
        end->penalty < KY_PENALTY_NEVER)
        stats->emergency_breaks++;
    if (set->relaxed != KY_KINSOKU_STRICT) stats->relaxed_lines++;
    if (letter > 0) {
        stats->letter_spaced_lines++;
        stats->letter_space_max = fmax(stats->letter_space_max, letter / set->para.size);
    }
    if (set->style->align != KY_ALIGN_JUSTIFY || n + 1 == set->line_count) return;
    if (set->ragged) {
        double fill = line->natural / set->width;
        stats->ragged_fill_min = stats->ragged_lines ? fmin(stats->ragged_fill_min, fill) : fill;
        stats->ragged_lines++;
    }
    for (size_t i = line->first; i < line->end; i++) {
        const ky_item *glue = &items[i];
        /* A word space: not Japanese spacing, not punctuation's own. */
        if (glue->kind != KY_ITEM_GLUE || glue->between_wide || glue->no_break ||
            glue->width <= 0 || glue->stretch < glue->width)
            continue;
        double adjusted = glue->width + (ratio > 0 ? ratio * glue->stretch : ratio * glue->shrink);
        double r = adjusted / glue->width;
        stats->word_spaces++;
        stats->word_space_sum += r;
        stats->word_space_max = fmax(stats->word_space_max, r);
    }
}

/* The element the text at offset is drawn in: the innermost tagged
 * stretch around it (its element made on first use, inside the stretches
 * around it), else the block's; an artifact's text (block < 0) stays one. */
static int tag_sid(ky_page *page, const ky_set_text *set, uint32_t offset, int block, int *sid)
{
    *sid = block;
    if (block < 0 || !page->doc) return 0;
    for (size_t k = 0; k < set->tag_count && set->tags[k].start <= offset; k++) {
        ky_text_tag *tag = &set->tags[k];
        if (offset >= tag->end) continue;
        if (tag->sid < 0 || tag->parent != *sid) {
            tag->parent = *sid;
            tag->sid = ky_pages_inline(page->doc, (ky_se_type)tag->type, tag->lang, *sid, tag->key);
            if (tag->sid < 0) return -1;
        }
        *sid = tag->sid;
    }
    return 0;
}

/* Splits an item's pieces (starts, offsets; *pieces of at most 16) where
 * a tagged stretch begins or ends inside it ("htm." of a link whose text
 * ends before the full stop): each piece is in one element. */
static void split_at_tags(ky_typesetter *ts, const ky_set_text *set, const ky_item *item,
                          double size, uint32_t *starts, double *offsets, size_t *pieces)
{
    const char *text = set->para.text + item->start;
    for (size_t k = 0; k < set->tag_count && set->tags[k].start < item->start + item->len; k++)
        for (int edge = 0; edge < 2; edge++) {
            uint32_t at = edge ? set->tags[k].end : set->tags[k].start;
            if (at <= item->start || at >= item->start + item->len || *pieces == 16) continue;
            at -= item->start;
            size_t p = 0;
            while (p + 1 < *pieces && starts[p + 1] <= at)
                p++;
            if (starts[p] == at) continue;
            memmove(starts + p + 2, starts + p + 1, (*pieces - p - 1) * sizeof *starts);
            memmove(offsets + p + 2, offsets + p + 1, (*pieces - p - 1) * sizeof *offsets);
            starts[p + 1] = at;
            offsets[p + 1] = offsets[p] + ky_font_width(ts->fonts, item->face, size,
                                                        text + starts[p], at - starts[p]);
            ++*pieces;
        }
}

/* A link from each note's mark on the line (the fragments from first on)
 * to its note, in the mark's Link element: pdf.c finds where the note is. */
static int note_links(ky_typesetter *ts, ky_page *page, const ky_set_text *set, size_t first,
                      double baseline)
{
    for (size_t t = 0; t < set->tag_count; t++) {
        const ky_text_tag *tag = &set->tags[t];
        if (tag->type != KY_SE_LINK || !tag->key || tag->sid < 0) continue;
        double lo = INFINITY, hi = -INFINITY;
        for (size_t i = first; i < page->frag_count; i++) {
            const ky_frag *frag = &page->frags[i];
            if (frag->sid != tag->sid) continue;
            double width = ky_font_width(ts->fonts, frag->face, frag->size, frag->text, frag->len) +
                           frag->char_spacing * (double)ky_utf8_count(frag->text, frag->len);
            lo = fmin(lo, frag->x);
            hi = fmax(hi, frag->x + width);
        }
        if (!(lo < hi)) continue;
        /* What the link says it leads to: the template's note-link ("Note
         * 1"), else the mark. */
        const ky_note *note = tag->key;
        const char *text = note->link ? ky_arena_strdup(&page->arena, note->link)
                                      : ky_arena_strndup(&page->arena, set->para.text + tag->start,
                                                         tag->end - tag->start);
        page->current_sid = tag->sid;
        if (!text || ky_page_link(page, (ky_link){.x1 = lo,
                                                  .y1 = baseline - 0.25 * set->para.size,
                                                  .x2 = hi,
                                                  .y2 = baseline + 0.9 * set->para.size,
                                                  .text = text}))
            return -1;
    }
    return 0;
}

/* A fragment of element sid. */
static int put_text(ky_page *page, ky_frag frag, int sid)
{
    page->current_sid = sid;
    return ky_page_text(page, frag);
}

static int draw_line(ky_typesetter *ts, ky_page *page, const ky_set_text *set, size_t n, double x,
                     double y);

/* The page's element is the block's again after the line. */
int ky_typeset_line(ky_typesetter *ts, ky_page *page, const ky_set_text *set, size_t n, double x,
                    double y)
{
    int block = page->current_sid, status = draw_line(ts, page, set, n, x, y);
    page->current_sid = block;
    return status;
}

/* A word space waiting to be drawn: the glue it came from, where the
 * word before it ends, and that word's face. */
typedef struct space_state {
    const ky_item *pending;
    double x, baseline;
    int last_face;
    int block; /* the element the line's text is in */
} space_state;

/* The space a <br/> stands for in English: the line it ends reads on into
 * the next (a title's "Vision 2025:" and "Special Strategic …"). Japanese
 * runs on without one. */
static const ky_item br_space = {.kind = KY_ITEM_GLUE, .space = true, .face = -1, .len = 1};

/* The element the word space at offset is in: as tag_sid, but only a
 * tagged stretch that holds the words on both sides of it (a link's text
 * that starts or ends at the space leaves it to the text around). */
static int space_sid(ky_page *page, const ky_set_text *set, uint32_t offset, int block, int *sid)
{
    *sid = block;
    if (block < 0 || !page->doc || offset == 0) return 0;
    for (size_t k = 0; k < set->tag_count && set->tags[k].start < offset; k++) {
        ky_text_tag *tag = &set->tags[k];
        if (offset + 1 >= tag->end) continue;
        if (tag->sid < 0 || tag->parent != *sid) {
            tag->parent = *sid;
            tag->sid = ky_pages_inline(page->doc, (ky_se_type)tag->type, tag->lang, *sid, tag->key);
            if (tag->sid < 0) return -1;
        }
        *sid = tag->sid;
    }
    return 0;
}

/* The word space a line breaks at, if it breaks at one (not at a hyphen,
 * not between two characters, not at the paragraph's end). */
static const ky_item *line_end_space(const ky_set_text *set, const ky_line *line)
{
    const ky_item *items = set->items.items;
    for (size_t i = line->end; i < set->items.count && items[i].kind != KY_ITEM_BOX; i++) {
        if (items[i].kind == KY_ITEM_PENALTY && items[i].flagged) return NULL;
        if (items[i].kind == KY_ITEM_GLUE && items[i].space) return &items[i];
    }
    return NULL;
}

/* Draws the pending word space as a glyph: in the face of the word before
 * it (the space after an italic word is italic) unless that face has no
 * space, in the element its own place in the text is in (not a link's
 * whose text ends before it), at the end of the fragment it follows when
 * the text there goes on with it, else as a fragment of its own; never
 * past limit (the measure's right edge, for a line's last space). The word
 * after it keeps the place justification gives it: the glyph's advance is
 * part of the gap, which is no wider for it. */
static int draw_space(ky_typesetter *ts, ky_page *page, const ky_set_text *set,
                      const space_state *spaces, ky_frag *frag, int *frag_sid, bool *growing,
                      bool *sealed, double limit)
{
    const ky_item *space = spaces->pending;
    bool br = space == &br_space;
    const char *text = br ? " " : set->para.text + space->start;
    int face = spaces->last_face;
    if (!ky_font_has(ts->fonts, face, ' ')) {
        if (space->face < 0) return 0; /* a <br/>'s: no face of the text to draw it in */
        face = space->face;
    }
    int sid = spaces->block;
    if (!br && space_sid(page, set, space->start, spaces->block, &sid)) return -1;
    /* Not at the end of a superscript or subscript: the space is the
     * text's, at its size on its baseline. */
    if (*growing && frag->face == face && *frag_sid == sid && frag->text + frag->len == text &&
        frag->size == set->para.size && frag->y == spaces->baseline &&
        spaces->x + ky_font_width(ts->fonts, face, frag->size, " ", 1) <= limit + 0.01) {
        frag->len += space->len;
        *sealed = true;
        return 0;
    }
    if (*growing && put_text(page, *frag, *frag_sid)) return -1;
    *growing = false;
    double width = ky_font_width(ts->fonts, face, set->para.size, " ", 1);
    return put_text(page,
                    (ky_frag){.face = face,
                              .size = set->para.size,
                              .x = fmin(spaces->x, limit - width),
                              .y = spaces->baseline,
                              .text = text,
                              .len = space->len},
                    sid);
}

/* Places line n of a set text with its left edge at x and baseline at y
 * (points from the page's top), merging boxes into as few fragments as the
 * PDF can draw. */
static int draw_line(ky_typesetter *ts, ky_page *page, const ky_set_text *set, size_t n, double x,
                     double y)
{
    int block = page->current_sid, frag_sid = block, sid = block;
    size_t first_frag = page->frag_count;
    const ky_line *line = &set->lines[n];
    const ky_item *items = set->items.items;
    ky_align align = set->style->align;
    double right = x + set->width;
    double ratio = align == KY_ALIGN_JUSTIFY && !set->ragged ? line->ratio : fmin(line->ratio, 0);
    double natural = line->natural;
    if (align == KY_ALIGN_CENTER) x += (set->width - natural) / 2;
    if (align == KY_ALIGN_RIGHT) x += set->width - natural;
    double baseline = page->height - y;
    /* Latin word spaces stop at twice their width: what a line still lacks
     * then goes between its letters, at most 2% of an em each (the last
     * resort of a paragraph no breaks could set within the tolerance). */
    double letter = 0;
    if (ratio > 1 && set->para.lang == KY_EN) {
        double stretch = 0;
        size_t gaps = ky_letter_gaps(items, line->first, line->end, set->para.text);
        for (size_t i = line->first; i < line->end; i++)
            if (items[i].kind == KY_ITEM_GLUE) stretch += items[i].stretch;
        double missing = (ratio - 1) * stretch;
        if (gaps > 0) letter = fmin(missing / (double)gaps, KY_LETTER_SPACING_MAX * set->para.size);
        ratio = 1 + (missing - letter * (double)gaps) / stretch;
    }
    if (ts->report) count_line(ts->report, set, n, ratio, letter);
    /* Where this line holds each link's text, left and right. */
    double *link_lo = NULL, *link_hi = NULL;
    if (set->link_count) {
        link_lo = KY_NEW_ARRAY(&page->arena, double, 2 * set->link_count);
        link_hi = link_lo + set->link_count;
        for (size_t k = 0; k < set->link_count; k++)
            link_lo[k] = INFINITY, link_hi[k] = -INFINITY;
    }
    /* The fragment that may still grow: it points into the paragraph's text
     * until it is complete and copied onto the page. */
    ky_frag frag = {0};
    bool growing = false;
    bool sealed = false;  /* it takes no more boxes, only the word space after it */
    bool frag_single = 0; /* every box in it is one character */
    size_t frag_boxes = 0;
    double gap = 0; /* adjusted glue since the last box */
    bool had_glue = 0;
    size_t last_box_end = (size_t)-1;
    bool after_box = false;
    space_state spaces = {.pending = NULL, .baseline = baseline, .last_face = -1, .block = block};
    for (size_t i = line->first; i < line->end; i++) {
        const ky_item *item = &items[i];
        if (item->kind == KY_ITEM_GLUE) {
            /* A word space is drawn where the word before it ends, once
             * the word after it shows it is not the line's last. */
            if (item->space && spaces.last_face >= 0 && !spaces.pending) {
                spaces.pending = item;
                spaces.x = after_box ? x - letter : x;
            }
            double adjusted =
                item->width + (ratio > 0 ? ratio * item->stretch : ratio * item->shrink);
            /* Letter spacing goes between a word's letters, not after its
             * last (Tc adds it after every glyph): a word space stays as
             * wide as its ratio says. */
            if (after_box) adjusted -= letter;
            after_box = false;
            x += adjusted;
            gap += adjusted;
            had_glue = had_glue || !item->between_wide;
            continue;
        }
        if (item->kind != KY_ITEM_BOX) continue;
        after_box = true;
        if (spaces.pending) {
            if (draw_space(ts, page, set, &spaces, &frag, &frag_sid, &growing, &sealed, INFINITY))
                return -1;
            spaces.pending = NULL;
        }
        size_t pos = 0;
        ky_utf8_next(set->para.text + item->start, item->len, &pos);
        bool single = pos == item->len;
        bool contiguous = last_box_end == item->start;
        /* A superscript or subscript is set smaller, higher or lower: a
         * fragment of its own. */
        double size = set->para.size * (item->script ? KY_SCRIPT_SCALE : 1);
        double item_y = baseline + ky_script_rise(item->script) * set->para.size;
        if (tag_sid(page, set, item->start, block, &sid)) return -1;
        bool mergeable = growing && !sealed && !item->solo && contiguous && !had_glue &&
                         frag.face == item->face && frag.size == size && frag.y == item_y &&
                         frag_sid == sid;
        if (mergeable) {
            if (fabs(gap) < 1e-6)
                mergeable = fabs(frag.char_spacing) < 1e-6;
            else
                mergeable = frag_single && single &&
                            (frag_boxes == 1 || fabs(frag.char_spacing - gap) < 1e-6);
        }
        /* Kerned text is drawn in pieces, each at its shaped position. */
        uint32_t starts[16] = {0};
        double offsets[16] = {0};
        size_t pieces = single ? 1
                               : ky_font_kerned_pieces(ts->fonts, item->face, size,
                                                       set->para.text + item->start, item->len,
                                                       starts, offsets, 16);
        if (set->tag_count && sid >= 0)
            split_at_tags(ts, set, item, size, starts, offsets, &pieces);
        if (mergeable && pieces == 1 && letter <= 0) {
            if (fabs(gap) >= 1e-6) frag.char_spacing = gap;
            frag.len += item->len;
            frag_boxes++;
        } else {
            if (growing && put_text(page, frag, frag_sid)) return -1;
            growing = false;
            frag_sid = sid;
            if (pieces > 1 || letter > 0) {
                /* The last piece waits for the word space after it. */
                for (size_t p = 0; p < pieces; p++) {
                    uint32_t end = p + 1 < pieces ? starts[p + 1] : item->len;
                    const char *piece = set->para.text + item->start;
                    double before = letter * (double)ky_utf8_count(piece, starts[p]);
                    int piece_sid = sid;
                    if (p > 0 && tag_sid(page, set, item->start + starts[p], block, &piece_sid))
                        return -1;
                    frag = (ky_frag){.face = item->face,
                                     .size = size,
                                     .x = x + item->x_offset + offsets[p] + before,
                                     .y = item_y,
                                     .text = piece + starts[p],
                                     .len = end - starts[p],
                                     .char_spacing = letter};
                    frag_sid = piece_sid;
                    if (p + 1 < pieces && put_text(page, frag, piece_sid)) return -1;
                }
                growing = sealed = true;
            } else {
                frag = (ky_frag){.face = item->face,
                                 .size = size,
                                 .x = x + item->x_offset,
                                 .y = item_y,
                                 .text = set->para.text + item->start,
                                 .len = item->len};
                growing = true;
                sealed = false;
                frag_single = single;
                frag_boxes = 1;
            }
        }
        /* Punctuation drawn beside its box takes no followers. */
        if (item->solo) sealed = true;
        spaces.last_face = item->face;
        frag_single = frag_single && single;
        double advance =
            item->width + letter * (double)ky_utf8_count(set->para.text + item->start, item->len);
        for (size_t k = 0; k < set->link_count; k++)
            if (item->start >= set->links[k].start && item->start < set->links[k].end) {
                link_lo[k] = fmin(link_lo[k], x);
                link_hi[k] = fmax(link_hi[k], x + advance);
            }
        x += advance;
        last_box_end = item->start + item->len;
        gap = 0;
        had_glue = 0;
    }
    /* The space the line breaks at ends it, within the measure: tagged
     * text and readers that follow the content stream see it, and the
     * margin (or the gutter) is not crossed. */
    if (!spaces.pending && spaces.last_face >= 0) {
        spaces.pending = line_end_space(set, line);
        spaces.x = x - letter;
        for (size_t k = 0; !spaces.pending && k < set->break_count; k++)
            if (set->breaks[k] == last_box_end && set->para.lang != KY_JA)
                spaces.pending = &br_space;
        if (set->end_space && n + 1 == set->line_count) spaces.pending = &br_space;
    }
    if (spaces.pending &&
        draw_space(ts, page, set, &spaces, &frag, &frag_sid, &growing, &sealed, right))
        return -1;
    if (growing && put_text(page, frag, frag_sid)) return -1;
    /* A link's area covers its text on this line, from the descenders to
     * the ascenders; it belongs to the Link element of that text. */
    for (size_t k = 0; k < set->link_count; k++) {
        if (!(link_lo[k] < link_hi[k])) continue;
        const ky_text_range *range = &set->links[k];
        page->current_sid = block;
        for (size_t t = 0; t < set->tag_count; t++)
            if (set->tags[t].type == KY_SE_LINK && !set->tags[t].key &&
                set->tags[t].start == range->start && set->tags[t].parent >= 0)
                page->current_sid = set->tags[t].sid;
        /* The space before a link's text may be in its span. */
        uint32_t start = range->start, end = range->end;
        while (start < end && set->para.text[start] == ' ')
            start++;
        while (end > start && set->para.text[end - 1] == ' ')
            end--;
        const char *text = ky_arena_strndup(&page->arena, set->para.text + start, end - start);
        if (!text || ky_page_link(page, (ky_link){.x1 = link_lo[k],
                                                  .y1 = baseline - 0.25 * set->para.size,
                                                  .x2 = link_hi[k],
                                                  .y2 = baseline + 0.9 * set->para.size,
                                                  .uri = range->href,
                                                  .text = text}))
            return -1;
    }
    if (note_links(ts, page, set, first_frag, baseline)) return -1;
    page->current_sid = frag_sid;
    if (line->end < set->items.count && items[line->end].kind == KY_ITEM_PENALTY &&
        items[line->end].flagged) {
        /* The hyphen a line breaks at is a soft hyphen (U+00AD): PDF's way
         * of saying it is not part of the text (ISO 32000-1, 14.8.2.2.3). */
        static const char soft_hyphen[] = "\xC2\xAD";
        if (put_text(page,
                     (ky_frag){.face = items[line->end].face,
                               .size = set->para.size,
                               .x = x - letter,
                               .y = baseline,
                               .text = soft_hyphen,
                               .len = 2},
                     frag_sid))
            return -1;
    }
    return 0;
}

size_t ky_set_text_line_at(const ky_set_text *set, uint32_t offset)
{
    const ky_item *items = set->items.items;
    for (size_t n = 0; n < set->line_count; n++)
        for (size_t i = set->lines[n].end; i > set->lines[n].first; i--)
            if (items[i - 1].kind == KY_ITEM_BOX) {
                if (items[i - 1].start + items[i - 1].len > offset) return n;
                break;
            }
    return set->line_count ? set->line_count - 1 : 0;
}

int ky_typeset_string(ky_typesetter *ts, ky_arena *arena, ky_lang lang, const char *text,
                      const ky_style *style, double width, const char *file, int line,
                      ky_set_text *set)
{
    ky_span span = {.text = text, .len = strlen(text)};
    /* Labels and furniture: a marker set on a measure it cannot fill must
     * stay whole (its place is the indent). */
    return typeset(ts, arena, lang, &span, style, width, file, line, false, set);
}
