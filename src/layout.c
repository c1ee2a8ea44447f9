#include "layout.h"

#include <math.h>
#include <string.h>

#include "jlreq.h"
#include "linebreak.h"
#include "utf8.h"

/* Where the baseline sits in a line of the given leading: the em box is
 * centered in the line, and the baseline is 0.88 em below its top (the
 * ideographic em box of IPAex and the ascent of Liberation agree on that). */
static double baseline_offset(double leading, double size)
{
    return (leading - size) / 2 + 0.88 * size;
}

typedef struct {
    const ky_template *tpl;
    ky_fontset *fonts;
    ky_hyphenator *hyphenator;
    ky_arena *arena;
    ky_diags *diags;
    ky_lang lang;
    ky_pages *pages;
    ky_page *page;
    double cursor;                 /* from the top of the page */
    bool at_top;                   /* nothing placed yet on this page */
    double column_x, column_width; /* where the current language's text goes */
    bool parallel;                 /* laying out the parallel layout's columns */
    bool no_bookmarks;             /* the title page repeats the titles */
    /* Characters already reported as missing: one error each, not one per use. */
    uint32_t reported[32];
    size_t reported_count;
} ky_layout_ctx;

static bool first_report(ky_layout_ctx *ctx, uint32_t cp)
{
    for (size_t i = 0; i < ctx->reported_count; i++)
        if (ctx->reported[i] == cp) return false;
    if (ctx->reported_count < sizeof ctx->reported / sizeof ctx->reported[0])
        ctx->reported[ctx->reported_count++] = cp;
    return true;
}

/* A block's text set into lines, not yet placed on a page. */
typedef struct {
    const ky_style *style;
    ky_para para;
    ky_item_list items;
    ky_line *lines;
    size_t line_count;
    double width;
} ky_set_text;

static int push_frag(ky_layout_ctx *ctx, ky_frag frag)
{
    ky_page *page = ctx->page;
    if (ky_arena_grow(ctx->arena, (void **)&page->frags, page->frag_count, &page->frag_capacity,
                      sizeof(ky_frag), 256))
        return -1;
    page->frags[page->frag_count++] = frag;
    return 0;
}

static int push_rule(ky_layout_ctx *ctx, ky_rule rule)
{
    ky_page *page = ctx->page;
    if (ky_arena_grow(ctx->arena, (void **)&page->rules, page->rule_count, &page->rule_capacity,
                      sizeof(ky_rule), 8))
        return -1;
    page->rules[page->rule_count++] = rule;
    return 0;
}

static int new_page(ky_layout_ctx *ctx)
{
    ky_page *page = KY_NEW(ctx->arena, ky_page);
    if (!page) return -1;
    page->lang = ctx->lang;
    page->width = ctx->tpl->page_width;
    page->height = ctx->tpl->page_height;
    if (ctx->pages->last)
        ctx->pages->last->next = page;
    else
        ctx->pages->first = page;
    ctx->pages->last = page;
    ctx->pages->count++;
    ctx->page = page;
    ctx->cursor = ctx->tpl->margin_top;
    ctx->at_top = 1;
    return 0;
}

static double content_bottom(const ky_layout_ctx *ctx)
{
    return ctx->tpl->page_height - ctx->tpl->margin_bottom;
}

static double full_measure(const ky_layout_ctx *ctx)
{
    return ctx->tpl->page_width - ctx->tpl->margin_left - ctx->tpl->margin_right;
}

static double measure(const ky_layout_ctx *ctx)
{
    return ctx->column_width;
}

static const char *role_name(ky_role role)
{
    return role == KY_ROLE_BODY ? "body" : role == KY_ROLE_BOLD ? "bold" : "italic";
}

/* Concatenates spans and gives every character the first face of its
 * chain that has it. */
static int build_para(ky_layout_ctx *ctx, const ky_span *spans, const ky_style *style,
                      const char *file, int line, ky_para *para)
{
    size_t len = 0, run_capacity = 0;
    for (const ky_span *span = spans; span; span = span->next)
        len += span->len, run_capacity += span->len;
    char *text = ky_arena_alloc(ctx->arena, len + 1);
    ky_run *runs = KY_NEW_ARRAY(ctx->arena, ky_run, run_capacity + 1);
    if (!text || !runs) return -1;
    memset(para, 0, sizeof(*para));
    para->text = text;
    para->runs = runs;
    para->size = style->size;
    para->lang = ctx->lang;
    para->cjk_latin_spacing = ctx->tpl->cjk_latin_spacing > 0;
    para->hanging_punctuation = ctx->tpl->hanging_punctuation > 0;
    int status = 0;
    size_t at = 0;
    for (const ky_span *span = spans; span; span = span->next) {
        ky_role role = (span->style & KY_SPAN_EMPHASIS) ? KY_ROLE_ITALIC : style->font;
        memcpy(text + at, span->text, span->len);
        size_t pos = 0;
        while (pos < span->len) {
            size_t start = pos;
            uint32_t cp = ky_utf8_next(span->text, span->len, &pos);
            char shown[8] = {0};
            ky_utf8_encode(cp == KY_UTF8_INVALID ? 0xFFFD : cp, shown);
            int face = -1;
            if (cp == KY_UTF8_INVALID) {
                ky_error(ctx->diags, file, line, "invalid UTF-8 in text");
                status = -1;
                break;
            } else if (cp > 0xFFFF) {
                if (first_report(ctx, cp))
                    ky_error(ctx->diags, file, line,
                             "U+%04X '%s' is outside the Basic Multilingual Plane, which the PDF "
                             "backend (libharu 2.3.0) cannot encode",
                             cp, shown);
                status = -1;
                continue;
            }
            face = ky_font_pick(ctx->fonts, ctx->lang, role, cp, ctx->diags);
            if (face < 0) {
                if (first_report(ctx, cp))
                    ky_error(ctx->diags, file, line, "no font in the %s %s chain has U+%04X '%s'",
                             ky_lang_code(ctx->lang), role_name(role), cp, shown);
                status = -1;
                continue;
            }
            uint32_t offset = (uint32_t)(at + start);
            if (para->run_count && runs[para->run_count - 1].face == face &&
                runs[para->run_count - 1].end == offset) {
                runs[para->run_count - 1].end = (uint32_t)(at + pos);
            } else {
                runs[para->run_count++] = (ky_run){offset, (uint32_t)(at + pos), face};
            }
        }
        at += span->len;
    }
    text[at] = '\0';
    para->len = at;
    return status;
}

/* English and Japanese justified text is broken total-fit. English first
 * without hyphenation, as TeX does (loose lines only if nothing better
 * exists), then with it; Japanese spreads its slack between characters. A
 * paragraph that no tolerance can set is filled first-fit. */
static void break_lines(ky_layout_ctx *ctx, ky_set_text *set, const bool *allowed)
{
    const ky_item *items = set->items.items;
    size_t count = set->items.count;
    if (set->style->align == KY_ALIGN_JUSTIFY) {
        ky_break_params params = {.width = set->width,
                                  .line_penalty = 10,
                                  .double_hyphen = 3000,
                                  .fitness_jump = 100,
                                  .max_hyphen_run = 2};
        if (ctx->lang == KY_EN) {
            params.tolerance = 0.5;
            set->line_count = ky_break_optimal(items, count, &params, &set->lines, ctx->arena);
            if (!set->line_count && ctx->hyphenator) {
                ky_item_list hyphenated = {0};
                set->para.hyphenator = ctx->hyphenator;
                if (ky_items_build(&set->para, allowed, ctx->fonts, &hyphenated, ctx->arena) == 0)
                    set->items = hyphenated;
                items = set->items.items;
                count = set->items.count;
                params.tolerance = 1;
                set->line_count = ky_break_optimal(items, count, &params, &set->lines, ctx->arena);
            }
            if (!set->line_count) {
                params.tolerance = 4;
                params.allow_rigid = 1;
                set->line_count = ky_break_optimal(items, count, &params, &set->lines, ctx->arena);
            }
        } else {
            params.tolerance = 20;
            params.allow_rigid = 1;
            set->line_count = ky_break_optimal(items, count, &params, &set->lines, ctx->arena);
        }
    }
    if (!set->line_count)
        set->line_count = ky_break_greedy(items, count, set->width, &set->lines, ctx->arena);
    /* Centered text (titles) is balanced: the narrowest measure that keeps
     * the number of lines, so that a title's last line is not a stub. */
    if (set->style->align == KY_ALIGN_CENTER && set->line_count > 1) {
        double lo = 0, hi = set->width;
        ky_line *best = set->lines;
        for (int step = 0; step < 12; step++) {
            double mid = (lo + hi) / 2;
            ky_line *lines;
            size_t n = ky_break_greedy(items, count, mid, &lines, ctx->arena);
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
    if (ctx->lang == KY_JA)
        ky_avoid_lone_last_character(items, count, set->para.text, set->width, set->lines,
                                     set->line_count);
}

static bool is_hiragana(uint32_t cp)
{
    return cp >= 0x3041 && cp <= 0x309F;
}

/* A Japanese title breaks between phrases where it can: after the
 * hiragana that ends a phrase (に, の, する) and before the next word, or
 * after punctuation — 「第2回日印サイバー対話に／関する共同声明」, not
 * inside 対話. Returns -1 (and leaves set to the caller) when the phrases
 * do not fit the measure. */
static int set_by_phrases(ky_layout_ctx *ctx, ky_set_text *set, const bool *allowed)
{
    const char *text = set->para.text;
    size_t len = set->para.len, pos = 0;
    bool *phrases = ky_arena_alloc(ctx->arena, len + 1);
    if (!phrases) return -1;
    uint32_t previous = 0;
    while (pos < len) {
        size_t at = pos;
        uint32_t cp = ky_utf8_next(text, len, &pos);
        ky_jclass cls = ky_jlreq_class(previous);
        if (at > 0 && allowed[at])
            phrases[at] =
                (is_hiragana(previous) && !is_hiragana(cp) && ky_jlreq_class(cp) == KY_CL_OTHER) ||
                cls == KY_CL_CLOSING || cls == KY_CL_COMMA || cls == KY_CL_FULL_STOP ||
                cls == KY_CL_MIDDLE_DOT;
        previous = cp;
    }
    ky_item_list items = {0};
    if (ky_items_build(&set->para, phrases, ctx->fonts, &items, ctx->arena)) return -1;
    ky_set_text trial = *set;
    trial.items = items;
    break_lines(ctx, &trial, phrases);
    for (size_t i = 0; i < trial.line_count; i++)
        if (trial.lines[i].natural > trial.width + 1e-6) return -1;
    *set = trial;
    return 0;
}

static int set_text(ky_layout_ctx *ctx, const ky_span *spans, const ky_style *style, double width,
                    const char *file, int line, ky_set_text *set)
{
    memset(set, 0, sizeof(*set));
    set->style = style;
    set->width = width;
    if (build_para(ctx, spans, style, file, line, &set->para) != 0) return -1;
    set->para.diags = ctx->diags;
    bool *allowed = ky_arena_alloc(ctx->arena, set->para.len + 1);
    if (!allowed) return -1;
    if (ky_break_opportunities(set->para.text, set->para.len, ctx->lang, allowed, ctx->diags))
        return -1;
    if (ctx->lang == KY_JA && style->align == KY_ALIGN_CENTER &&
        set_by_phrases(ctx, set, allowed) == 0)
        return 0;
    if (ky_items_build(&set->para, allowed, ctx->fonts, &set->items, ctx->arena)) return -1;
    break_lines(ctx, set, allowed);
    return 0;
}

static size_t count_chars(const char *text, size_t len)
{
    size_t chars = 0;
    for (size_t i = 0; i < len; i++)
        chars += ((unsigned char)text[i] & 0xC0) != 0x80;
    return chars;
}

/* Places line n of a set text with its left edge at x and baseline at y
 * (points from the page's top), merging boxes into as few fragments as the
 * PDF can draw. */
static int emit_line(ky_layout_ctx *ctx, const ky_set_text *set, size_t n, double x, double y)
{
    const ky_line *line = &set->lines[n];
    const ky_item *items = set->items.items;
    ky_align align = set->style->align;
    double ratio = align == KY_ALIGN_JUSTIFY ? line->ratio : fmin(line->ratio, 0);
    double natural = line->natural;
    if (align == KY_ALIGN_CENTER) x += (set->width - natural) / 2;
    if (align == KY_ALIGN_RIGHT) x += set->width - natural;
    double baseline = ctx->page->height - y;
    /* Latin word spaces stop at twice their width: what a line still lacks
     * then goes between its letters, at most 2% of an em each (the last
     * resort of a paragraph no breaks could set within the tolerance). */
    double letter = 0;
    if (ratio > 1 && set->para.lang == KY_EN) {
        double stretch = 0;
        size_t chars = 0;
        for (size_t i = line->first; i < line->end; i++) {
            if (items[i].kind == KY_ITEM_GLUE) stretch += items[i].stretch;
            if (items[i].kind == KY_ITEM_BOX)
                chars += count_chars(set->para.text + items[i].start, items[i].len);
        }
        double missing = (ratio - 1) * stretch;
        if (chars > 0) letter = fmin(missing / (double)chars, 0.02 * set->para.size);
        ratio = 1 + (missing - letter * (double)chars) / stretch;
    }
    ky_frag *frag = NULL; /* the fragment that may still grow */
    bool frag_single = 0; /* every box in it is one character */
    size_t frag_boxes = 0;
    double gap = 0; /* adjusted glue since the last box */
    bool had_glue = 0;
    size_t last_box_end = (size_t)-1;
    for (size_t i = line->first; i < line->end; i++) {
        const ky_item *item = &items[i];
        if (item->kind == KY_ITEM_GLUE) {
            double adjusted =
                item->width + (ratio > 0 ? ratio * item->stretch : ratio * item->shrink);
            x += adjusted;
            gap += adjusted;
            had_glue = had_glue || !item->between_wide;
            continue;
        }
        if (item->kind != KY_ITEM_BOX) continue;
        size_t pos = 0;
        ky_utf8_next(set->para.text + item->start, item->len, &pos);
        bool single = pos == item->len;
        bool contiguous = last_box_end == item->start;
        bool mergeable = frag && !item->solo && contiguous && !had_glue && frag->face == item->face;
        if (mergeable) {
            if (fabs(gap) < 1e-6)
                mergeable = fabs(frag->char_spacing) < 1e-6;
            else
                mergeable = frag_single && single &&
                            (frag_boxes == 1 || fabs(frag->char_spacing - gap) < 1e-6);
        }
        /* Kerned text is drawn in pieces, each at its shaped position. */
        uint32_t starts[16];
        double offsets[16];
        size_t pieces = single ? 1
                               : ky_font_kerned_pieces(ctx->fonts, item->face, set->para.size,
                                                       set->para.text + item->start, item->len,
                                                       starts, offsets, 16);
        if (pieces > 1 || letter > 0) {
            for (size_t p = 0; p < pieces; p++) {
                uint32_t end = p + 1 < pieces ? starts[p + 1] : item->len;
                const char *piece = set->para.text + item->start;
                double before = letter * (double)count_chars(piece, starts[p]);
                if (push_frag(ctx, (ky_frag){.face = item->face,
                                             .size = set->para.size,
                                             .x = x + item->x_offset + offsets[p] + before,
                                             .y = baseline,
                                             .text = piece + starts[p],
                                             .len = end - starts[p],
                                             .char_spacing = letter}))
                    return -1;
            }
            frag = NULL;
        } else if (mergeable) {
            if (fabs(gap) >= 1e-6) frag->char_spacing = gap;
            frag->len += item->len;
            frag_boxes++;
        } else {
            if (push_frag(ctx, (ky_frag){.face = item->face,
                                         .size = set->para.size,
                                         .x = x + item->x_offset,
                                         .y = baseline,
                                         .text = set->para.text + item->start,
                                         .len = item->len}))
                return -1;
            frag = &ctx->page->frags[ctx->page->frag_count - 1];
            frag_single = single;
            frag_boxes = 1;
        }
        /* Punctuation drawn beside its box takes no followers. */
        if (item->solo) frag = NULL;
        frag_single = frag_single && single;
        ky_font_use(ctx->fonts, item->face, set->para.text + item->start, item->len);
        x += item->width + letter * (double)count_chars(set->para.text + item->start, item->len);
        last_box_end = item->start + item->len;
        gap = 0;
        had_glue = 0;
    }
    if (line->end < set->items.count && items[line->end].kind == KY_ITEM_PENALTY &&
        items[line->end].flagged) {
        /* The hyphen a line breaks at is a soft hyphen (U+00AD): PDF's way
         * of saying it is not part of the text (ISO 32000-1, 14.8.2.2.3). */
        static const char soft_hyphen[] = "\xC2\xAD";
        if (push_frag(ctx, (ky_frag){.face = items[line->end].face,
                                     .size = set->para.size,
                                     .x = x,
                                     .y = baseline,
                                     .text = soft_hyphen,
                                     .len = 2}))
            return -1;
        ky_font_use(ctx->fonts, items[line->end].face, soft_hyphen, 2);
    }
    return 0;
}

static double text_height(const ky_set_text *set)
{
    return set->line_count * set->style->leading;
}

static int place_lines(ky_layout_ctx *ctx, const ky_set_text *set, double x, size_t from, size_t to)
{
    for (size_t n = from; n < to; n++) {
        if (emit_line(ctx, set, n, x,
                      ctx->cursor + baseline_offset(set->style->leading, set->style->size)))
            return -1;
        ctx->cursor += set->style->leading;
    }
    return 0;
}

typedef struct {
    const ky_block *block;
    ky_set_text text;
    ky_set_text label;
    bool has_label;
    /* signature blocks */
    ky_set_text *columns; /* 3 per signatory: for-party, name, title */
    size_t per_row;
    double column_width;
    double height; /* of a signature block */
} ky_set_block;

/* The style of a role in the current language; the parallel layout's
 * narrower columns may have their own (style layout="parallel"). */
static const ky_style *style_of(const ky_layout_ctx *ctx, ky_style_id id)
{
    const ky_style *parallel = &ctx->tpl->parallel_style[ctx->lang][id];
    return ctx->parallel && parallel->defined ? parallel : &ctx->tpl->style[ctx->lang][id];
}

/* Parts of a signature column: "For …", the name, the title. */
enum { KY_SIG_FOR, KY_SIG_NAME, KY_SIG_TITLE, KY_SIG_PARTS };

static int set_signatures(ky_layout_ctx *ctx, ky_set_block *set)
{
    const ky_block *block = set->block;
    const ky_style *style = style_of(ctx, KY_STYLE_SIGNATURE);
    size_t n = block->column_count;
    set->per_row = n <= 2 ? n : n == 4 ? 2 : 3;
    double gap = ctx->tpl->signature_gap;
    /* Signature blocks span the whole measure, in every layout. */
    set->column_width =
        (full_measure(ctx) - gap * (double)(set->per_row - 1)) / (double)set->per_row;
    set->columns = KY_NEW_ARRAY(ctx->arena, ky_set_text, KY_SIG_PARTS * n);
    if (!set->columns) return -1;
    int status = 0;
    for (size_t i = 0; i < n; i++) {
        const ky_signature_column *col = &block->columns[i];
        const ky_span *parts[KY_SIG_PARTS] = {col->for_party, col->name, col->title};
        for (int k = 0; k < KY_SIG_PARTS; k++)
            if (set_text(ctx, parts[k], style, set->column_width, block->file, col->line,
                         &set->columns[KY_SIG_PARTS * i + k]))
                status = -1;
    }
    return status;
}

/* One signature column of every language: each part stacked over its
 * translation ("For the Government of Japan" over 「日本国政府のために」),
 * then room to sign, a rule, the names and the titles. */
static double signature_column_height(const ky_layout_ctx *ctx, ky_set_block *const *sides,
                                      size_t nsides, size_t i)
{
    double height = ctx->tpl->signature_space + 4; /* a little air under the rule */
    for (size_t s = 0; s < nsides; s++)
        for (int k = 0; k < KY_SIG_PARTS; k++)
            height += text_height(&sides[s]->columns[KY_SIG_PARTS * i + k]);
    return height;
}

static double signatures_height(const ky_layout_ctx *ctx, ky_set_block *const *sides, size_t nsides)
{
    const ky_set_block *set = sides[0];
    size_t n = set->block->column_count;
    double height = style_of(ctx, KY_STYLE_SIGNATURE)->space_before;
    for (size_t row = 0; row * set->per_row < n; row++) {
        double tallest = 0, formulas = 0;
        for (size_t i = row * set->per_row; i < n && i < (row + 1) * set->per_row; i++) {
            double own = 0;
            for (size_t s = 0; s < nsides; s++)
                own += text_height(&sides[s]->columns[KY_SIG_PARTS * i + KY_SIG_FOR]);
            formulas = fmax(formulas, own);
            tallest = fmax(tallest, signature_column_height(ctx, sides, nsides, i) - own);
        }
        height += formulas + tallest + (row ? ctx->tpl->signature_gap : 0);
    }
    return height;
}

static int place_signatures(ky_layout_ctx *ctx, ky_set_block *const *sides, size_t nsides)
{
    const ky_set_block *set = sides[0];
    if (!ctx->at_top && ctx->cursor + set->height > content_bottom(ctx))
        if (new_page(ctx)) return -1;
    if (!ctx->at_top) ctx->cursor += style_of(ctx, KY_STYLE_SIGNATURE)->space_before;
    size_t n = set->block->column_count;
    for (size_t row = 0; row * set->per_row < n; row++) {
        double top = ctx->cursor, tallest = 0;
        /* The signature rules of a row line up, however many lines the
         * "For …" formulas above them take. */
        double formulas = 0;
        for (size_t i = row * set->per_row; i < n && i < (row + 1) * set->per_row; i++) {
            double height = 0;
            for (size_t s = 0; s < nsides; s++)
                height += text_height(&sides[s]->columns[KY_SIG_PARTS * i + KY_SIG_FOR]);
            formulas = fmax(formulas, height);
        }
        for (size_t i = row * set->per_row; i < n && i < (row + 1) * set->per_row; i++) {
            double x = ctx->tpl->margin_left + (double)(i - row * set->per_row) *
                                                   (set->column_width + ctx->tpl->signature_gap);
            ctx->cursor = top;
            for (size_t s = 0; s < nsides; s++) {
                const ky_set_text *part = &sides[s]->columns[KY_SIG_PARTS * i + KY_SIG_FOR];
                if (place_lines(ctx, part, x, 0, part->line_count)) return -1;
            }
            ctx->cursor = top + formulas + ctx->tpl->signature_space;
            double rule_y = ctx->page->height - ctx->cursor;
            if (push_rule(ctx, (ky_rule){x, rule_y, x + set->column_width * 0.9, rule_y, 0.5}))
                return -1;
            ctx->cursor += 4;
            for (int k = KY_SIG_NAME; k < KY_SIG_PARTS; k++)
                for (size_t s = 0; s < nsides; s++) {
                    const ky_set_text *part = &sides[s]->columns[KY_SIG_PARTS * i + k];
                    if (place_lines(ctx, part, x, 0, part->line_count)) return -1;
                }
            tallest = fmax(tallest, ctx->cursor - top);
        }
        ctx->cursor = top + tallest + ctx->tpl->signature_gap;
    }
    ctx->at_top = 0;
    return 0;
}

/* The height a block needs at the bottom of a page before it may start
 * there: all of a block kept with the next, plus the start of the next. */
static double needed_height(const ky_set_block *sets, size_t count, size_t i)
{
    const ky_set_block *set = &sets[i];
    if (set->block->kind == KY_BLOCK_SIGNATURES) return set->height;
    const ky_style *style = set->text.style;
    if (!set->block->keep_with_next || i + 1 == count) {
        size_t lines = set->text.line_count < 2 ? set->text.line_count : 2;
        return style->space_before + (double)lines * style->leading;
    }
    return style->space_before + text_height(&set->text) + style->space_after +
           needed_height(sets, count, i + 1);
}

/* Body lines sit on a baseline grid that starts at the top margin, half a
 * body leading apart (so that half a line can part paragraphs), and lines
 * align from page to page. Headings and titles may leave the grid; the body
 * returns to it. */
static double snap_to_grid(const ky_layout_ctx *ctx, double cursor)
{
    double step = style_of(ctx, KY_STYLE_BODY)->leading / 2;
    double top = ctx->tpl->margin_top;
    return top + ceil((cursor - top) / step - 1e-6) * step;
}

/* A change bar beside one line (top and height from the page's top):
 * consecutive lines' bars join into one. */
static int change_bar(ky_layout_ctx *ctx, double x, double top, double height)
{
    double h = ctx->page->height;
    return push_rule(ctx, (ky_rule){x, h - top, x, h - top - height, 1.5});
}

static int add_bookmark(ky_layout_ctx *ctx, const ky_set_block *set, double top)
{
    int level = set->block->style == KY_STYLE_TITLE ? 0 : 1;
    ky_bookmark *mark = KY_NEW(ctx->arena, ky_bookmark);
    if (!mark) return -1;
    *mark = (ky_bookmark){.level = level,
                          .lang = set->text.para.lang,
                          .title = set->text.para.text,
                          .page = ctx->page,
                          .y = ctx->page->height - top};
    if (ctx->pages->last_bookmark)
        ctx->pages->last_bookmark->next = mark;
    else
        ctx->pages->bookmarks = mark;
    ctx->pages->last_bookmark = mark;
    return 0;
}

static int add_part(ky_layout_ctx *ctx, const ky_page *first, bool parallel)
{
    ky_part *part = KY_NEW(ctx->arena, ky_part);
    if (!part) return -1;
    *part = (ky_part){.first = first, .lang = ctx->lang, .parallel = parallel};
    if (ctx->pages->last_part)
        ctx->pages->last_part->next = part;
    else
        ctx->pages->parts = part;
    ctx->pages->last_part = part;
    return 0;
}

static int place_text_block(ky_layout_ctx *ctx, ky_set_block *sets, size_t count, size_t i)
{
    ky_set_block *set = &sets[i];
    const ky_style *style = set->text.style;
    bool on_grid = ctx->tpl->baseline_grid > 0 && set->block->style == KY_STYLE_BODY;
    if (!ctx->at_top && ctx->cursor + needed_height(sets, count, i) > content_bottom(ctx))
        if (new_page(ctx)) return -1;
    if (!ctx->at_top) ctx->cursor += style->space_before;
    double left = ctx->column_x + set->block->level * style->indent;
    double x = left + (set->has_label ? style->indent : 0);
    size_t total = set->text.line_count, done = 0;
    bool marked = ctx->no_bookmarks ||
                  (set->block->style != KY_STYLE_TITLE && set->block->style != KY_STYLE_HEADING);
    while (done < total) {
        if (on_grid) ctx->cursor = snap_to_grid(ctx, ctx->cursor);
        double room = content_bottom(ctx) - ctx->cursor + 1e-6;
        size_t fit = room > 0 ? (size_t)(room / style->leading) : 0;
        size_t rest = total - done;
        if (fit >= rest) {
            fit = rest;
        } else {
            /* No widow: never a paragraph's last line alone at the top of a
             * page; no orphan: never its first line alone at the bottom.
             * Short paragraphs therefore move whole. */
            if (rest - fit == 1) fit--;
            if (fit < 2 && done == 0) fit = 0;
            if (fit == 1 && rest - fit < 2) fit = 0;
            /* On an empty page something must go, however little fits. */
            if (ctx->at_top && fit == 0) fit = 1;
        }
        if (fit == 0) {
            if (new_page(ctx)) return -1;
            continue;
        }
        if (!marked) {
            if (add_bookmark(ctx, set, ctx->cursor)) return -1;
            marked = true;
        }
        for (size_t n = done; n < done + fit; n++) {
            double baseline = ctx->cursor + baseline_offset(style->leading, style->size);
            if (n == 0 && set->has_label && emit_line(ctx, &set->label, 0, left, baseline))
                return -1;
            if (emit_line(ctx, &set->text, n, x, baseline)) return -1;
            if (set->block->changed &&
                change_bar(ctx, ctx->column_x - 8, ctx->cursor, style->leading))
                return -1;
            ctx->cursor += style->leading;
            ctx->at_top = 0;
        }
        done += fit;
        if (done < total && new_page(ctx)) return -1;
    }
    ctx->cursor += style->space_after;
    return 0;
}

static const char *lookup_page(void *data, const char *name)
{
    const char *const *values = data;
    if (strcmp(name, "page") == 0) return values[0];
    if (strcmp(name, "pages") == 0) return values[1];
    return NULL;
}

static int add_footers(ky_layout_ctx *ctx, ky_page *first, size_t pages)
{
    const ky_style *style = style_of(ctx, KY_STYLE_FOOTER);
    size_t number = 1;
    for (ky_page *page = first; page; page = page->next, number++) {
        const char *values[2] = {ky_arena_printf(ctx->arena, "%zu", number),
                                 ky_arena_printf(ctx->arena, "%zu", pages)};
        char *text = ky_expand(ctx->tpl, ctx->lang, KY_TEXT_FOOTER, lookup_page, (void *)values,
                               ctx->arena, ctx->diags);
        if (!text) return -1;
        ky_span span = {.text = text, .len = strlen(text)};
        ky_set_text set;
        if (set_text(ctx, &span, style, measure(ctx), ctx->tpl->path, 0, &set)) return -1;
        ctx->page = page;
        for (size_t n = 0; n < set.line_count; n++)
            if (emit_line(ctx, &set, n, ctx->column_x,
                          page->height - ctx->tpl->footer_offset + (double)n * style->leading))
                return -1;
    }
    return 0;
}

/* Sets every block of a flow for the context's language and column: the
 * page breaker needs all heights before it places anything. */
static ky_set_block *set_blocks(ky_layout_ctx *ctx, const ky_flow *flow, size_t *count)
{
    *count = 0;
    for (const ky_block *block = flow->first; block; block = block->next)
        (*count)++;
    ky_set_block *sets = KY_NEW_ARRAY(ctx->arena, ky_set_block, *count ? *count : 1);
    if (!sets) return NULL;
    int status = 0;
    size_t i = 0;
    for (const ky_block *block = flow->first; block; block = block->next, i++) {
        ky_set_block *set = &sets[i];
        set->block = block;
        if (block->kind == KY_BLOCK_SIGNATURES) {
            if (set_signatures(ctx, set)) status = -1;
            continue;
        }
        const ky_style *style = style_of(ctx, block->style);
        set->has_label = block->label != NULL;
        double width =
            measure(ctx) - (set->has_label ? style->indent : 0) - block->level * style->indent;
        if (set_text(ctx, block->spans, style, width, block->file, block->line, &set->text))
            status = -1;
        if (set->has_label) {
            ky_span label = {.text = block->label, .len = strlen(block->label)};
            /* One line, so justification leaves it flush left. */
            if (set_text(ctx, &label, style, style->indent, ctx->tpl->path, 0, &set->label))
                status = -1;
        }
    }
    return status ? NULL : sets;
}

static void init_ctx(ky_layout_ctx *ctx, const ky_template *tpl, ky_fontset *fonts,
                     ky_hyphenator *hyphenator, ky_pages *pages, ky_arena *arena, ky_diags *diags,
                     ky_lang lang)
{
    *ctx = (ky_layout_ctx){.tpl = tpl,
                           .fonts = fonts,
                           .hyphenator = hyphenator,
                           .arena = arena,
                           .diags = diags,
                           .lang = lang,
                           .pages = pages};
    ctx->column_x = tpl->margin_left;
    ctx->column_width = full_measure(ctx);
}

typedef struct {
    ky_layout_ctx *ctx;
    ky_shape *shape;
    double cos, sin, x, y; /* rotation and origin */
    bool failed;
} ky_watermark;

static void watermark_op(void *data, char op, const double *x, const double *y)
{
    ky_watermark *mark = data;
    ky_shape *shape = mark->shape;
    if (ky_arena_grow(mark->ctx->arena, (void **)&shape->ops, shape->count, &shape->capacity,
                      sizeof(ky_path_op), 64)) {
        mark->failed = true;
        return;
    }
    ky_path_op *out = &shape->ops[shape->count++];
    out->op = op;
    int points = op == 'c' ? 3 : op == 'h' ? 0 : 1;
    for (int i = 0; i < points; i++) {
        out->x[i] = mark->x + x[i] * mark->cos - y[i] * mark->sin;
        out->y[i] = mark->y + x[i] * mark->sin + y[i] * mark->cos;
    }
}

/* The status marks of a statement that is not final: its draft line under
 * each page number, and a light watermark ("DRAFT", 「案」) across each page,
 * behind the text. slot 0 centers the watermark, slot 1 of 2 stacks two. */
static int add_status(ky_layout_ctx *ctx, const ky_flow *flow, ky_page *first, int slot, int slots)
{
    const ky_style *footer = style_of(ctx, KY_STYLE_FOOTER);
    for (ky_page *page = first; page; page = page->next) {
        ctx->page = page;
        if (flow->draft_line) {
            ky_span span = {.text = flow->draft_line, .len = strlen(flow->draft_line)};
            ky_set_text set;
            if (set_text(ctx, &span, footer, measure(ctx), ctx->tpl->path, 0, &set)) return -1;
            double y = page->height - ctx->tpl->footer_offset + footer->leading;
            for (size_t n = 0; n < set.line_count; n++)
                if (emit_line(ctx, &set, n, ctx->column_x, y + (double)n * footer->leading))
                    return -1;
        }
        if (flow->watermark && page->under_count < KY_LANG_COUNT) {
            const char *text = flow->watermark;
            size_t len = strlen(text), pos = 0;
            uint32_t cp = ky_utf8_next(text, len, &pos);
            int face = ky_font_pick(ctx->fonts, ctx->lang, KY_ROLE_BOLD, cp, ctx->diags);
            if (face < 0) return -1;
            /* As large as fits along the diagonal, at most 120 pt. */
            double angle = atan2(page->height, page->width);
            double diagonal = hypot(page->width, page->height) * 0.55 / slots;
            double unit = ky_font_width(ctx->fonts, face, 1, text, len);
            double size = fmin(120, diagonal / unit);
            double width = unit * size, cap = 0.7 * size;
            double cx = page->width / 2, cy = page->height / 2;
            /* Two watermarks sit one above the other along the diagonal. */
            double along = slots > 1 ? (slot == 0 ? 0.5 : -0.5) * diagonal : 0;
            cx += along * cos(angle);
            cy += along * sin(angle);
            ky_watermark mark = {.ctx = ctx,
                                 .shape = &page->under[page->under_count++],
                                 .cos = cos(angle),
                                 .sin = sin(angle),
                                 .x = cx - width / 2 * cos(angle) + cap / 2 * sin(angle),
                                 .y = cy - width / 2 * sin(angle) - cap / 2 * cos(angle)};
            mark.shape->gray = 0.85;
            ky_font_outline(ctx->fonts, face, size, text, len, watermark_op, &mark);
            if (mark.failed) return -1;
        }
    }
    return 0;
}

int ky_layout_flow(const ky_flow *flow, const ky_template *tpl, ky_fontset *fonts,
                   ky_hyphenator *hyphenator, ky_pages *pages, ky_arena *arena, ky_diags *diags)
{
    ky_layout_ctx ctx;
    init_ctx(&ctx, tpl, fonts, hyphenator, pages, arena, diags, flow->lang);
    size_t count;
    ky_set_block *sets = set_blocks(&ctx, flow, &count);
    if (!sets) return -1;
    for (size_t i = 0; i < count; i++)
        if (sets[i].block->kind == KY_BLOCK_SIGNATURES) {
            ky_set_block *side = &sets[i];
            sets[i].height = signatures_height(&ctx, &side, 1);
        }
    if (new_page(&ctx)) return -1;
    ky_page *first = ctx.page;
    size_t first_index = pages->count;
    if (add_part(&ctx, first, false)) return -1;
    for (size_t i = 0; i < count; i++) {
        ky_set_block *side = &sets[i];
        int status = sets[i].block->kind == KY_BLOCK_SIGNATURES
                         ? place_signatures(&ctx, &side, 1)
                         : place_text_block(&ctx, sets, count, i);
        if (status) return status;
    }
    if (add_footers(&ctx, first, pages->count - first_index + 1)) return -1;
    return add_status(&ctx, flow, first, 0, 1);
}

/* A row of the parallel layout: the two languages' versions of one block,
 * side by side, their first lines on one baseline. Lines that do not fit
 * continue at the top of the next page in both columns; each column keeps
 * its own widow and orphan rules, and a row that cannot start in both
 * columns moves to the next page whole. */
static int place_row(ky_layout_ctx *ctx, ky_set_block *const *rows, const double *x,
                     ky_set_block *const *sides, size_t count, size_t index)
{
    double need = 0, before = 0, after = 0, first = 0;
    for (int s = 0; s < 2; s++) {
        const ky_style *style = rows[s]->text.style;
        need = fmax(need, needed_height(sides[s], count, index));
        before = fmax(before, style->space_before);
        after = fmax(after, style->space_after);
        first = fmax(first, baseline_offset(style->leading, style->size));
    }
    if (!ctx->at_top && ctx->cursor + need > content_bottom(ctx))
        if (new_page(ctx)) return -1;
    double rule_top = ctx->cursor;
    if (!ctx->at_top) ctx->cursor += before;
    size_t done[2] = {0, 0};
    while (done[0] < rows[0]->text.line_count || done[1] < rows[1]->text.line_count) {
        size_t fit[2];
        bool move = false;
        for (int s = 0; s < 2; s++) {
            const ky_style *style = rows[s]->text.style;
            size_t total = rows[s]->text.line_count, rest = total - done[s];
            /* Line j's baseline: cursor + first + j * leading. */
            double shift = first - baseline_offset(style->leading, style->size);
            double room = content_bottom(ctx) - ctx->cursor - shift + 1e-6;
            fit[s] = room > 0 ? (size_t)(room / style->leading) : 0;
            if (fit[s] >= rest) {
                fit[s] = rest;
                continue;
            }
            if (rest - fit[s] == 1) fit[s]--;
            if (fit[s] < 2 && done[s] == 0) fit[s] = 0;
            if (fit[s] == 1 && rest - fit[s] < 2) fit[s] = 0;
            if (fit[s] == 0 && done[s] == 0 && rest > 0) move = true;
        }
        if (move && !ctx->at_top) {
            if (new_page(ctx)) return -1;
            continue;
        }
        double height = 0;
        if (done[0] == 0 && done[1] == 0)
            for (int s = 0; s < 2; s++)
                if ((rows[s]->block->style == KY_STYLE_TITLE ||
                     rows[s]->block->style == KY_STYLE_HEADING) &&
                    add_bookmark(ctx, rows[s], ctx->cursor))
                    return -1;
        for (int s = 0; s < 2; s++) {
            const ky_set_block *row = rows[s];
            const ky_style *style = row->text.style;
            if (ctx->at_top && fit[s] == 0 && done[s] < row->text.line_count) fit[s] = 1;
            ctx->lang = row->text.para.lang;
            for (size_t j = 0; j < fit[s]; j++) {
                size_t n = done[s] + j;
                double baseline = ctx->cursor + first + (double)j * style->leading;
                double left = x[s] + row->block->level * style->indent;
                double text_x = left + (row->has_label ? style->indent : 0);
                if (n == 0 && row->has_label && emit_line(ctx, &row->label, 0, left, baseline))
                    return -1;
                if (emit_line(ctx, &row->text, n, text_x, baseline)) return -1;
                /* Change bars in the outer margin: left of the left column,
                 * right of the right one. */
                double bar_x = s == 0 ? x[0] - 8 : x[1] + (x[1] - x[0] - ctx->tpl->gutter) + 8;
                if (row->block->changed &&
                    change_bar(ctx, bar_x, ctx->cursor + (double)j * style->leading,
                               style->leading))
                    return -1;
            }
            if (fit[s]) {
                double shift = first - baseline_offset(style->leading, style->size);
                height = fmax(height, shift + (double)fit[s] * style->leading);
            }
            done[s] += fit[s];
        }
        ctx->at_top = 0;
        ctx->cursor += height;
        bool more = done[0] < rows[0]->text.line_count || done[1] < rows[1]->text.line_count;
        /* The rule down the gutter runs beside the rows, not the signatures. */
        if (ctx->tpl->column_rule > 0) {
            double mid = x[1] - ctx->tpl->gutter / 2;
            double bottom = ctx->cursor + (more ? 0 : after);
            if (push_rule(ctx, (ky_rule){mid, ctx->page->height - rule_top, mid,
                                         ctx->page->height - bottom, ctx->tpl->column_rule}))
                return -1;
        }
        if (more) {
            if (new_page(ctx)) return -1;
            rule_top = ctx->cursor;
        }
    }
    ctx->cursor += after;
    return 0;
}

int ky_layout_parallel(const ky_flow *left, const ky_flow *right, const ky_template *tpl,
                       ky_fontset *fonts, ky_hyphenator *hyphenator, ky_pages *pages,
                       ky_arena *arena, ky_diags *diags)
{
    ky_layout_ctx ctx;
    init_ctx(&ctx, tpl, fonts, hyphenator, pages, arena, diags, left->lang);
    ctx.parallel = true;
    double gutter = tpl->gutter;
    double width = (full_measure(&ctx) - gutter) / 2;
    double x[2] = {tpl->margin_left, tpl->margin_left + width + gutter};
    const ky_flow *flows[2] = {left, right};
    ky_set_block *sides[2];
    size_t counts[2];
    for (int s = 0; s < 2; s++) {
        ctx.lang = flows[s]->lang;
        ctx.column_x = x[s];
        ctx.column_width = width;
        sides[s] = set_blocks(&ctx, flows[s], &counts[s]);
        if (!sides[s]) return -1;
    }
    /* Both flows come from one draft through one template: block for block
     * the same structure. */
    size_t count = counts[0] < counts[1] ? counts[0] : counts[1];
    ctx.lang = left->lang;
    for (size_t i = 0; i < count; i++)
        if (sides[0][i].block->kind == KY_BLOCK_SIGNATURES) {
            ky_set_block *both[2] = {&sides[0][i], &sides[1][i]};
            sides[0][i].height = sides[1][i].height = signatures_height(&ctx, both, 2);
        }
    if (new_page(&ctx)) return -1;
    ky_page *first = ctx.page;
    size_t first_index = pages->count;
    if (add_part(&ctx, first, true)) return -1;
    for (size_t i = 0; i < count; i++) {
        ky_set_block *rows[2] = {&sides[0][i], &sides[1][i]};
        int status;
        if (rows[0]->block->kind == KY_BLOCK_SIGNATURES ||
            rows[1]->block->kind == KY_BLOCK_SIGNATURES) {
            ctx.lang = left->lang;
            status = place_signatures(&ctx, rows, 2);
        } else {
            status = place_row(&ctx, rows, x, sides, count, i);
        }
        if (status) return status;
    }
    size_t total = pages->count - first_index + 1;
    for (int s = 0; s < 2; s++) {
        ctx.lang = flows[s]->lang;
        ctx.column_x = x[s];
        ctx.column_width = width;
        if (add_footers(&ctx, first, total)) return -1;
        if (add_status(&ctx, flows[s], first, s, 2)) return -1;
    }
    return 0;
}

int ky_layout_title_page(ky_flow *const *flows, size_t count, const ky_template *tpl,
                         ky_fontset *fonts, ky_hyphenator *hyphenator, ky_pages *pages,
                         ky_arena *arena, ky_diags *diags)
{
    ky_layout_ctx ctx;
    init_ctx(&ctx, tpl, fonts, hyphenator, pages, arena, diags, flows[0]->lang);
    ctx.no_bookmarks = true;
    if (new_page(&ctx)) return -1;
    /* The titles stand a third of the way down, one language under the
     * other, with the date and place line of each. */
    ctx.cursor = tpl->page_height / 3;
    ctx.at_top = 0;
    for (size_t f = 0; f < count; f++) {
        ky_flow head = {.lang = flows[f]->lang};
        ky_block **tail = &head.first;
        for (const ky_block *block = flows[f]->first;
             block && (block->style == KY_STYLE_TITLE || block->style == KY_STYLE_SUBTITLE ||
                       block->style == KY_STYLE_DATELINE);
             block = block->next) {
            ky_block *copy = KY_NEW(arena, ky_block);
            if (!copy) return -1;
            *copy = *block;
            copy->next = NULL;
            copy->keep_with_next = 0;
            *tail = copy;
            tail = &copy->next;
        }
        ctx.lang = head.lang;
        size_t n;
        ky_set_block *sets = set_blocks(&ctx, &head, &n);
        if (!sets) return -1;
        for (size_t i = 0; i < n; i++)
            if (place_text_block(&ctx, sets, n, i)) return -1;
        ctx.cursor += 2 * style_of(&ctx, KY_STYLE_TITLE)->leading;
    }
    return 0;
}
