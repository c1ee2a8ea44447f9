/* Text blocks: a paragraph's lines are its slices. Its number (label)
 * hangs in the indent beside the first line; a list item's marker stands in
 * the indent too, right-aligned against the text so that markers of
 * different widths ("(i)", "(viii)") line up on their right edge; change
 * bars stand beside every line; titles and headings enter the outline where
 * their first line is. */
#include <string.h>

#include "blocks.h"
#include "furniture.h"
#include "jlreq.h"
#include "pages.h"
#include "utf8.h"

typedef struct {
    ky_typesetter *ts;
    ky_set_text text, label;
    bool has_label;
    double left, x; /* of the label and of the text */
    bool changed;
    double bar_x;
    int outline_level; /* -1: not in the outline */
    /* Its footnotes, set for the same column, and the line each one's
     * reference falls on (in order). */
    ky_box **notes;
    size_t *note_lines;
    size_t note_count;
    /* Its structure: the type it is tagged as, made when it is first
     * drawn (a list item: its LBody and its label's Lbl; a footnote: a
     * Note in the paragraph that refers to it). */
    ky_lang lang;
    ky_se_type type;
    int level;
    bool list_item, tagged;
    int sid, label_sid, note_parent;
    const ky_note *note; /* a footnote's: its Reference's key */
} ky_paragraph;

/* Whether label ends with Japanese punctuation (its full-width box holds
 * the space after it). */
static bool label_spaced(ky_lang lang, const char *label)
{
    if (lang != KY_JA || !label) return false;
    size_t len = strlen(label), pos = 0;
    uint32_t last = 0;
    while (pos < len)
        last = ky_utf8_next(label, len, &pos);
    return ky_jlreq_class(last) != KY_CL_OTHER;
}

static int tag(ky_paragraph *p, ky_pages *pages)
{
    if (p->tagged) return 0;
    p->tagged = true;
    p->label_sid = -1;
    if (p->type == KY_SE_NOTE) {
        /* In the paragraph that refers to it, once that is drawn. */
        int parent = p->note_parent > 0 ? p->note_parent : ky_pages_part_of(pages, p->lang);
        p->sid = parent < 0 ? -1 : ky_pages_note(pages, p->lang, parent, p->note);
        if (p->sid >= 0 && p->has_label &&
            (p->label_sid = ky_pages_elem(pages, KY_SE_LBL, p->lang, p->sid)) < 0)
            return -1;
    } else if (p->list_item) {
        int item = ky_pages_list_item(pages, p->lang, p->level);
        if (item < 0) return -1;
        if (p->has_label && (p->label_sid = ky_pages_elem(pages, KY_SE_LBL, p->lang, item)) < 0)
            return -1;
        p->sid = ky_pages_elem(pages, KY_SE_LBODY, p->lang, item);
    } else {
        p->sid = ky_pages_block(pages, p->type, p->lang);
        p->label_sid = p->sid;
    }
    if (p->sid < 0) return -1;
    for (size_t i = 0; i < p->note_count; i++) {
        ky_paragraph *note = p->notes[i]->data;
        note->type = KY_SE_NOTE;
        note->note_parent = p->sid;
    }
    return 0;
}

static double paragraph_height(const ky_box *box, size_t from, size_t to)
{
    const ky_paragraph *p = box->data;
    return (double)(to - from) * p->text.style->leading;
}

static int paragraph_draw(const ky_box *box, ky_page_flow *flow, size_t from, size_t to, double top)
{
    ky_paragraph *p = box->data;
    const ky_style *style = p->text.style;
    if (tag(p, flow->pages)) return -1;
    ky_page *page = flow->page;
    if (from == 0 && p->outline_level >= 0 &&
        ky_pages_bookmark(flow->pages, p->outline_level, p->text.para.lang, p->text.para.text,
                          flow->page->height - top))
        return -1;
    for (size_t n = from; n < to; n++) {
        double line_top = top + (double)(n - from) * style->leading;
        double baseline = line_top + ky_baseline_offset(style->leading, style->size);
        page->current_sid = p->label_sid;
        if (n == 0 && p->has_label && ky_typeset_line(p->ts, page, &p->label, 0, p->left, baseline))
            return -1;
        page->current_sid = p->sid;
        if (ky_typeset_line(p->ts, page, &p->text, n, p->x, baseline)) return -1;
        page->current_sid = -1;
        if (p->changed && ky_change_bar(page, p->bar_x, line_top, style->leading)) return -1;
    }
    page->current_sid = -1;
    return 0;
}

/* No page ends with a hyphen: a break after a hyphenated line is refused
 * (the flow then carries one more line over), and after a line broken at
 * a compound's own hyphen ("capacity-" / "building") too, as TeX's
 * \brokenpenalty counts both: the reader turning the page meets half a
 * word either way. ("short- and long-term" ends at a space: a break.) */
static bool paragraph_breakable(const ky_box *box, size_t at)
{
    const ky_paragraph *p = box->data;
    const ky_set_text *set = &p->text;
    const ky_line *line = &set->lines[at - 1];
    const ky_item *items = set->items.items;
    size_t end = line->end;
    if (end >= set->items.count || items[end].kind != KY_ITEM_PENALTY) return true;
    if (items[end].flagged) return false;
    size_t last = end;
    while (last > line->first && items[last - 1].kind != KY_ITEM_BOX)
        last--;
    if (last == line->first || items[last - 1].len == 0) return true;
    const char *text = set->para.text + items[last - 1].start;
    size_t len = items[last - 1].len;
    /* A hyphen-minus, or U+2010 HYPHEN (E2 80 90). */
    return !(text[len - 1] == '-' || (len >= 3 && memcmp(text + len - 3, "\xE2\x80\x90", 3) == 0));
}

static size_t paragraph_notes(const ky_box *box, size_t at, ky_box *const **notes)
{
    const ky_paragraph *p = box->data;
    size_t first = 0;
    while (first < p->note_count && p->note_lines[first] < at)
        first++;
    size_t end = first;
    while (end < p->note_count && p->note_lines[end] == at)
        end++;
    *notes = p->notes ? p->notes + first : NULL; /* (no offset on a null pointer) */
    return end - first;
}

static const ky_box_kind paragraph_kind = {"paragraph", paragraph_height, paragraph_draw,
                                           paragraph_breakable, paragraph_notes};

/* A paragraph's footnotes: each set as a paragraph of the note style, its
 * label hanging in the indent, in the paragraph's column. */
static int set_notes(ky_typesetter *ts, ky_arena *arena, const ky_block *block,
                     const ky_column *column, ky_paragraph *p)
{
    const ky_set_text *text = &p->text;
    if (!text->note_count) return 0;
    p->notes = KY_NEW_ARRAY(arena, ky_box *, text->note_count);
    p->note_lines = KY_NEW_ARRAY(arena, size_t, text->note_count);
    for (size_t i = 0; i < text->note_count; i++) {
        const ky_note *note = text->notes[i].note;
        ky_block body = {.kind = KY_BLOCK_TEXT,
                         .style = KY_STYLE_NOTE,
                         .label = note->label,
                         .spans = note->spans,
                         .file = block->file,
                         .line = note->line};
        if (ky_paragraph_box(ts, arena, &body, column, &p->notes[i])) return -1;
        ((ky_paragraph *)p->notes[i]->data)->note = note;
        p->note_lines[i] = ky_set_text_line_at(text, text->notes[i].offset);
    }
    p->note_count = text->note_count;
    return 0;
}

int ky_paragraph_box(ky_typesetter *ts, ky_arena *arena, const ky_block *block,
                     const ky_column *column, ky_box **out)
{
    const ky_template *tpl = ts->tpl;
    const ky_style *style = ky_template_style(tpl, column->lang, block->style, column->parallel);
    ky_paragraph *p = KY_NEW(arena, ky_paragraph);
    ky_box *box = KY_NEW(arena, ky_box);
    if (!p || !box) return -1;
    p->ts = ts;
    p->lang = column->lang;
    p->list_item = block->list_item;
    p->level = block->level;
    p->type = block->style == KY_STYLE_TITLE ? KY_SE_H1
              : block->heading > 0
                  ? (ky_se_type)(KY_SE_H1 + (block->heading < 5 ? block->heading : 5))
              : block->style == KY_STYLE_NOTE ? KY_SE_NOTE
                                              : KY_SE_P;
    p->note_parent = 0;
    p->has_label = block->label != NULL;
    p->changed = block->changed;
    p->bar_x = column->bar_x;
    p->left = column->x + block->level * style->indent;
    p->x = p->left + (p->has_label || block->hang ? style->indent : 0);
    /* Recitals stand indented when the template gives the preamble an
     * indent of its own; set as body text, they stand where unnumbered
     * paragraphs do. */
    if (block->style == KY_STYLE_PREAMBLE && tpl->style[column->lang][KY_STYLE_PREAMBLE].defined &&
        !p->has_label && !block->hang)
        p->x += style->indent;
    /* The title heads its language's outline, headings nest under it by
     * their section level. */
    p->outline_level = !column->bookmarks               ? -1
                       : block->style == KY_STYLE_TITLE ? 0
                       : block->heading > 0             ? block->heading
                                                        : -1;
    double width = column->width - (p->x - column->x);
    int status = ky_typeset(ts, arena, column->lang, block->spans, style, width, block->file,
                            block->line, &p->text);
    /* The label is one line, so justification leaves it flush left. A
     * marker is set on a measure it cannot fill, so that a long one never
     * breaks, and placed by its width: half an em from the text. */
    double measure = block->list_item ? column->width : style->indent;
    if (p->has_label && ky_typeset_string(ts, arena, column->lang, block->label, style, measure,
                                          tpl->path, 0, &p->label))
        status = -1;
    if (status) return -1;
    /* A label stands in the indent, apart from its text: it ends with a
     * word space so that tagged text reads the two apart ("1. The",
     * 「注1 2015年」), unless Japanese punctuation that carries its own
     * space ends it (「1．両首脳は」). */
    p->label.end_space = p->has_label && !label_spaced(column->lang, block->label);
    if (set_notes(ts, arena, block, column, p)) return -1;
    if (block->list_item && p->label.line_count > 0)
        p->left = p->x - style->size / 2 - p->label.lines[0].natural;
    const ky_style *body = ky_template_style(tpl, column->lang, KY_STYLE_BODY, column->parallel);
    const ky_style *list = ky_template_style(tpl, column->lang, KY_STYLE_LIST, column->parallel);
    /* Items end their paragraph with a paragraph's space; within it, the
     * list's. */
    double after = block->joined                   ? list->space_after
                   : block->style == KY_STYLE_LIST ? body->space_after
                                                   : style->space_after;
    *box = (ky_box){
        .kind = &paragraph_kind,
        .data = p,
        .count = p->text.line_count,
        .space_before = style->space_before,
        .space_after = after,
        .first_baseline = ky_baseline_offset(style->leading, style->size),
        .orphans = 2,
        .widows = 2,
        .keep_with_next = block->keep_with_next,
        .x = column->x,
        .width = column->width,
        /* Half a body line apart, so that half a line can part paragraphs. */
        .grid = column->grid && (block->style == KY_STYLE_BODY || block->style == KY_STYLE_LIST ||
                                 block->style == KY_STYLE_PREAMBLE)
                    ? body->leading / 2
                    : 0,
    };
    *out = box;
    return 0;
}
