/* Signature blocks: signatories side by side in rows (two in a row, three
 * for more than four), each with its "For …" formula, room to sign, a rule,
 * the name and the title, in every language of the layout one over the
 * other. A row is the slice: a block that does not fit a page continues on
 * the next by whole rows, never with a signatory cut in two. */
#include <math.h>

#include "blocks.h"
#include "pages.h"

/* Parts of a signature column: "For …", the name, the title. */
enum { KY_SIG_FOR, KY_SIG_NAME, KY_SIG_TITLE, KY_SIG_PARTS };

typedef struct {
    ky_typesetter *ts;
    size_t signatories, per_row, languages;
    double x, column_width, gap, space;
    ky_set_text *parts; /* [signatory][language][part] */
    /* Tagged as a Div of Ps in each language's Part, made as each is
     * first drawn (-1: not yet). */
    ky_lang langs[KY_ROW_MAX];
    int divs[KY_ROW_MAX];
    int *sids; /* as parts */
} ky_signatures;

/* The P of a part of a signatory in language l. */
static int tag(ky_signatures *s, ky_pages *pages, size_t who, size_t l, int k)
{
    int *sid = &s->sids[(who * s->languages + l) * KY_SIG_PARTS + (size_t)k];
    if (*sid >= 0) return *sid;
    if (s->divs[l] < 0) s->divs[l] = ky_pages_block(pages, KY_SE_DIV, s->langs[l]);
    if (s->divs[l] < 0) return -1;
    return *sid = ky_pages_elem(pages, KY_SE_P, s->langs[l], s->divs[l]);
}

static const ky_set_text *part(const ky_signatures *s, size_t who, size_t lang, int k)
{
    return &s->parts[(who * s->languages + lang) * KY_SIG_PARTS + (size_t)k];
}

/* The height of the formulas of a row: the tallest signatory's, in all
 * languages; the signature rules of a row line up beneath them. */
static double formulas(const ky_signatures *s, size_t row)
{
    double tallest = 0;
    for (size_t i = row * s->per_row; i < s->signatories && i < (row + 1) * s->per_row; i++) {
        double own = 0;
        for (size_t l = 0; l < s->languages; l++)
            own += ky_text_height(part(s, i, l, KY_SIG_FOR));
        tallest = fmax(tallest, own);
    }
    return tallest;
}

static double row_height(const ky_signatures *s, size_t row)
{
    double below = 0; /* names and titles under the rule */
    for (size_t i = row * s->per_row; i < s->signatories && i < (row + 1) * s->per_row; i++) {
        double own = 0;
        for (size_t l = 0; l < s->languages; l++)
            own += ky_text_height(part(s, i, l, KY_SIG_NAME)) +
                   ky_text_height(part(s, i, l, KY_SIG_TITLE));
        below = fmax(below, own);
    }
    /* A little air under the rule. */
    return formulas(s, row) + s->space + 4 + below;
}

static double signatures_height(const ky_box *box, size_t from, size_t to)
{
    const ky_signatures *s = box->data;
    double height = s->gap * (double)(to - from - 1);
    for (size_t row = from; row < to; row++)
        height += row_height(s, row);
    return height;
}

static int place_lines(ky_typesetter *ts, ky_page *page, const ky_set_text *set, double x,
                       double *cursor)
{
    for (size_t n = 0; n < set->line_count; n++) {
        double baseline = *cursor + ky_baseline_offset(set->style->leading, set->style->size);
        if (ky_typeset_line(ts, page, set, n, x, baseline)) return -1;
        *cursor += set->style->leading;
    }
    return 0;
}

/* The rule is as long as the longest name or title line under it (a
 * signature shorter than the name it stands over looks cut off), at least
 * 0.9 of the column and at most all of it. */
static double rule_length(const ky_signatures *s, size_t who)
{
    double length = s->column_width * 0.9;
    for (int k = KY_SIG_NAME; k < KY_SIG_PARTS; k++)
        for (size_t l = 0; l < s->languages; l++) {
            const ky_set_text *set = part(s, who, l, k);
            for (size_t n = 0; n < set->line_count; n++)
                length = fmax(length, set->lines[n].natural);
        }
    return fmin(length, s->column_width);
}

static int signatures_draw(const ky_box *box, ky_page_flow *flow, size_t from, size_t to,
                           double top)
{
    ky_signatures *s = box->data;
    ky_page *page = flow->page;
    for (size_t row = from; row < to; row++) {
        double rule_at = top + formulas(s, row) + s->space;
        for (size_t i = row * s->per_row; i < s->signatories && i < (row + 1) * s->per_row; i++) {
            double x = s->x + (double)(i - row * s->per_row) * (s->column_width + s->gap);
            double cursor = top;
            for (size_t l = 0; l < s->languages; l++) {
                if ((page->current_sid = tag(s, flow->pages, i, l, KY_SIG_FOR)) < 0) return -1;
                if (place_lines(s->ts, page, part(s, i, l, KY_SIG_FOR), x, &cursor)) return -1;
            }
            page->current_sid = -1;
            double rule_y = page->height - rule_at;
            if (ky_page_rule(page, (ky_rule){x, rule_y, x + rule_length(s, i), rule_y, 0.5}))
                return -1;
            cursor = rule_at + 4;
            for (int k = KY_SIG_NAME; k < KY_SIG_PARTS; k++)
                for (size_t l = 0; l < s->languages; l++) {
                    if ((page->current_sid = tag(s, flow->pages, i, l, k)) < 0) return -1;
                    if (place_lines(s->ts, page, part(s, i, l, k), x, &cursor)) return -1;
                }
            page->current_sid = -1;
        }
        top += row_height(s, row) + s->gap;
    }
    return 0;
}

static const ky_box_kind signatures_kind = {
    .name = "signatures", .height = signatures_height, .draw = signatures_draw};

int ky_signatures_box(ky_typesetter *ts, ky_arena *arena, const ky_block *const *blocks,
                      const ky_column *columns, size_t count, ky_box **out)
{
    const ky_template *tpl = ts->tpl;
    ky_signatures *s = KY_NEW(arena, ky_signatures);
    ky_box *box = KY_NEW(arena, ky_box);
    if (!s || !box) return -1;
    size_t n = blocks[0]->column_count;
    s->ts = ts;
    s->signatories = n;
    s->languages = count;
    s->per_row = n <= 2 ? n : n == 4 ? 2 : 3;
    s->gap = tpl->signature_gap;
    s->space = tpl->signature_space;
    /* Signature blocks span the whole measure, in every layout. */
    s->x = tpl->margin_left;
    double measure = tpl->page_width - tpl->margin_left - tpl->margin_right;
    s->column_width =
        s->per_row ? (measure - s->gap * (double)(s->per_row - 1)) / (double)s->per_row : measure;
    s->parts = KY_NEW_ARRAY(arena, ky_set_text, (n ? n : 1) * count * KY_SIG_PARTS);
    s->sids = KY_NEW_ARRAY(arena, int, (n ? n : 1) * count * KY_SIG_PARTS);
    if (!s->parts || !s->sids || count > KY_ROW_MAX) return -1;
    for (size_t i = 0; i < (n ? n : 1) * count * KY_SIG_PARTS; i++)
        s->sids[i] = -1;
    for (size_t l = 0; l < count; l++) {
        s->langs[l] = columns[l].lang;
        s->divs[l] = -1;
    }
    int status = 0;
    for (size_t l = 0; l < count; l++)
        if (blocks[l]->column_count != n) {
            /* Both come from one draft through one template. */
            ky_error(ts->diags, blocks[l]->file, blocks[l]->line,
                     "the signature blocks of the two languages differ");
            return -1;
        }
    for (size_t l = 0; l < count; l++) {
        const ky_style *style =
            ky_template_style(tpl, columns[l].lang, KY_STYLE_SIGNATURE, columns[l].parallel);
        for (size_t i = 0; i < n; i++) {
            const ky_signature_column *col = &blocks[l]->columns[i];
            const ky_span *spans[KY_SIG_PARTS] = {col->for_party, col->name, col->title};
            for (int k = 0; k < KY_SIG_PARTS; k++)
                if (ky_typeset(ts, arena, columns[l].lang, spans[k], style, s->column_width,
                               blocks[l]->file, col->line, (ky_set_text *)part(s, i, l, k)))
                    status = -1;
        }
    }
    if (status) return -1;
    const ky_style *first =
        ky_template_style(tpl, columns[0].lang, KY_STYLE_SIGNATURE, columns[0].parallel);
    size_t rows = s->per_row ? (n + s->per_row - 1) / s->per_row : 0;
    *box = (ky_box){
        .kind = &signatures_kind,
        .data = s,
        .count = rows,
        .space_before = first->space_before,
        /* Rows stand a gap apart, and the block ends with one. */
        .space_after = s->gap,
        .orphans = 1,
        .widows = 1,
        .keep_together = true,
    };
    *out = box;
    return 0;
}
