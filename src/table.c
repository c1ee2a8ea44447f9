/* Tables: a table's body rows are its slices. Its head rows head every
 * run of rows the flow places on a page, so that a table that runs onto
 * another page shows its head again there: height(from, to) counts them,
 * as flow.h's contract says, and with orphans = 1 the head never stands
 * alone at a page's foot. A row is never split, unless it is taller than
 * a page under the head rows: then it is cut between lines, into pieces
 * that each fill a page.
 *
 * Columns are fixed lengths, shares of what is left, or as wide as their
 * content (ky_table_widths); cells are set with ky_typeset, as paragraphs
 * are, aligned as their column says. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "blocks.h"
#include "pages.h"

/* Air between a cell's text and its rules. */
#define KY_CELL_PAD_X 3.0
#define KY_CELL_PAD_Y 2.0
/* The narrowest a share or automatic column becomes, in ems of the table
 * style: room for a short word. */
#define KY_CELL_LEAST_EMS 3.0
#define KY_TABLE_RULE_DEFAULT 0.5

int ky_table_widths(const ky_table_column *columns, size_t count, const ky_table_need *needs,
                    size_t need_count, double measure, double least, double *widths)
{
    double fixed = 0, weights = 0, automatic = 0;
    size_t shares = 0, autos = 0;
    for (size_t c = 0; c < count; c++) {
        widths[c] = 0;
        if (columns[c].kind == KY_WIDTH_FIXED) {
            widths[c] = columns[c].value;
            fixed += widths[c];
        } else if (columns[c].kind == KY_WIDTH_FRACTION) {
            weights += columns[c].value;
            shares++;
        } else {
            widths[c] = least;
            autos++;
        }
    }
    if (fixed + least * (double)(shares + autos) > measure + 1e-6) return -1;
    /* An automatic column is as wide as its widest cell of its own... */
    for (size_t n = 0; n < need_count; n++)
        if (needs[n].span == 1 && columns[needs[n].column].kind == KY_WIDTH_AUTO)
            widths[needs[n].column] = fmax(widths[needs[n].column], needs[n].natural);
    /* ...and cells across automatic columns widen them evenly to fit; one
     * across a share column needs nothing, the share takes the rest. */
    for (size_t n = 0; n < need_count; n++) {
        if (needs[n].span < 2) continue;
        double covered = 0;
        size_t own = 0;
        bool share = false;
        for (size_t c = needs[n].column; c < needs[n].column + needs[n].span && c < count; c++) {
            covered += widths[c];
            own += columns[c].kind == KY_WIDTH_AUTO;
            share = share || columns[c].kind == KY_WIDTH_FRACTION;
        }
        if (share || own == 0 || needs[n].natural <= covered) continue;
        double more = (needs[n].natural - covered) / (double)own;
        for (size_t c = needs[n].column; c < needs[n].column + needs[n].span && c < count; c++)
            if (columns[c].kind == KY_WIDTH_AUTO) widths[c] += more;
    }
    for (size_t c = 0; c < count; c++)
        if (columns[c].kind == KY_WIDTH_AUTO) automatic += widths[c];
    /* Automatic columns wider than the measure allows give up their excess
     * over the least width in proportion, and wrap. */
    double room = measure - fixed - least * (double)shares;
    if (automatic > room + 1e-9) {
        double excess = automatic - least * (double)autos;
        double keep = excess > 0 ? (room - least * (double)autos) / excess : 0;
        automatic = 0;
        for (size_t c = 0; c < count; c++)
            if (columns[c].kind == KY_WIDTH_AUTO) {
                widths[c] = least + (widths[c] - least) * keep;
                automatic += widths[c];
            }
    }
    /* Shares divide the rest; a table without any is as wide as its
     * columns, not the measure. */
    double rest = measure - fixed - automatic;
    for (size_t c = 0; c < count; c++)
        if (columns[c].kind == KY_WIDTH_FRACTION)
            widths[c] = fmax(least, rest * columns[c].value / weights);
    return 0;
}

/* A slice of the box: a body row, or for a row taller than a page, a run
 * of its lines [first, end) (its cells' lines side by side). */
typedef struct {
    size_t row;
    size_t first, end;
    double height;
} ky_piece;

typedef struct {
    ky_typesetter *ts;
    const ky_table *table;
    double x, width;
    double *widths; /* per column */
    double *lefts;  /* per column: its left edge */
    ky_set_text **cells;
    double *heights;  /* per row */
    double head;      /* the head rows' height */
    ky_piece *pieces; /* the box's slices */
    ky_table_rules rules;
    double rule;
    /* Its structure, made as it is first drawn: the Table, its THead and
     * TBody, and each row's TR, its cells' TH or TD following it (-1: not
     * yet drawn). Head rows repeated on later pages are artifacts. */
    ky_lang lang;
    int sid, head_sid, body_sid;
    int *row_sids;
    bool head_drawn;
} ky_table_set;

/* Row r's TR and its cells' elements, made the first time it is drawn. */
static int tag_row(ky_table_set *t, ky_pages *pages, size_t r)
{
    if (t->row_sids[r] >= 0) return 0;
    const ky_table_row *row = &t->table->rows[r];
    bool head = r < t->table->head_count;
    int group = head ? t->head_sid : t->body_sid;
    if (group < 0) {
        group = ky_pages_elem(pages, head ? KY_SE_THEAD : KY_SE_TBODY, t->lang, t->sid);
        if (head)
            t->head_sid = group;
        else
            t->body_sid = group;
    }
    int tr = group < 0 ? -1 : ky_pages_elem(pages, KY_SE_TR, t->lang, group);
    if (tr < 0) return -1;
    for (size_t c = 0; c < row->count; c++)
        if (ky_pages_elem(pages, head ? KY_SE_TH : KY_SE_TD, t->lang, tr) != tr + 1 + (int)c)
            return -1;
    t->row_sids[r] = tr;
    return 0;
}

static double table_height(const ky_box *box, size_t from, size_t to)
{
    const ky_table_set *t = box->data;
    double height = t->head;
    for (size_t n = from; n < to; n++)
        height += t->pieces[n].height;
    return height;
}

static int rule(ky_page *page, const ky_table_set *t, double x1, double top1, double x2,
                double top2)
{
    return ky_page_rule(page, (ky_rule){x1, page->height - top1, x2, page->height - top2, t->rule});
}

/* Lines [first, end) of row r's cells, the first at top. */
static int draw_row(const ky_table_set *t, ky_page *page, size_t r, size_t first, size_t end,
                    double top, double height, bool artifact)
{
    const ky_table_row *row = &t->table->rows[r];
    for (size_t c = 0; c < row->count; c++) {
        page->current_sid = artifact || t->row_sids[r] < 0 ? -1 : t->row_sids[r] + 1 + (int)c;
        const ky_set_text *set = &t->cells[r][c];
        double x = t->lefts[row->cells[c].column] + KY_CELL_PAD_X;
        for (size_t n = first; n < end && n < set->line_count; n++) {
            double baseline = top + KY_CELL_PAD_Y + (double)(n - first) * set->style->leading +
                              ky_baseline_offset(set->style->leading, set->style->size);
            if (ky_typeset_line(t->ts, page, set, n, x, baseline)) return -1;
        }
        page->current_sid = -1;
        if (t->rules == KY_RULES_GRID && rule(page, t, t->lefts[row->cells[c].column], top,
                                              t->lefts[row->cells[c].column], top + height))
            return -1;
    }
    if (t->rules == KY_RULES_GRID &&
        rule(page, t, t->x + t->width, top, t->x + t->width, top + height))
        return -1;
    return 0;
}

static int table_draw(const ky_box *box, ky_page_flow *flow, size_t from, size_t to, double top)
{
    ky_table_set *t = box->data;
    const ky_table *table = t->table;
    ky_page *page = flow->page;
    if (t->sid < 0 && (t->sid = ky_pages_block(flow->pages, KY_SE_TABLE, t->lang)) < 0) return -1;
    bool artifact = t->head_drawn;
    for (size_t r = 0; r < table->head_count && !artifact; r++)
        if (tag_row(t, flow->pages, r)) return -1;
    for (size_t n = from; n < to; n++)
        if (tag_row(t, flow->pages, t->pieces[n].row)) return -1;
    t->head_drawn = true;
    bool rules = t->rules != KY_RULES_NONE;
    double left = t->x, right = t->x + t->width;
    if (rules && rule(page, t, left, top, right, top)) return -1;
    for (size_t r = 0; r < table->head_count; r++) {
        if (draw_row(t, page, r, 0, SIZE_MAX, top, t->heights[r], artifact)) return -1;
        top += t->heights[r];
    }
    if (rules && table->head_count > 0 && rule(page, t, left, top, right, top)) return -1;
    for (size_t n = from; n < to; n++) {
        const ky_piece *piece = &t->pieces[n];
        if (n > from && piece->first == 0 &&
            (t->rules == KY_RULES_ROWS || t->rules == KY_RULES_GRID) &&
            rule(page, t, left, top, right, top))
            return -1;
        if (draw_row(t, page, piece->row, piece->first, piece->end, top, piece->height, false))
            return -1;
        top += piece->height;
    }
    /* Every page's part of the table ends with a rule, as its head starts
     * with one. */
    return rules ? rule(page, t, left, top, right, top) : 0;
}

void ky_table_too_wide(ky_diags *diags, const char *file, const ky_table *table, double measure)
{
    ky_error(diags, file, table->line,
             "the table's columns do not fit the measure of %.0fpt (fixed widths, and three ems "
             "for each other column)",
             measure);
}

static double least_width(const ky_template *tpl, ky_lang lang, bool parallel)
{
    return KY_CELL_LEAST_EMS * ky_template_style(tpl, lang, KY_STYLE_TABLE, parallel)->size;
}

int ky_tables_check(const ky_node *body, const ky_template *tpl, const char *file, ky_diags *diags)
{
    double measure = tpl->page_width - tpl->margin_left - tpl->margin_right;
    double least = fmax(least_width(tpl, KY_EN, false), least_width(tpl, KY_JA, false));
    int errors = 0;
    for (const ky_node *node = body; node; node = node->next) {
        if (node->kind != KY_NODE_TABLE) continue;
        const ky_table *table = node->table;
        double need = 0;
        for (size_t c = 0; c < table->column_count; c++)
            need += table->columns[c].kind == KY_WIDTH_FIXED ? table->columns[c].value : least;
        if (need > measure + 1e-6) {
            ky_table_too_wide(diags, file, table, measure);
            errors++;
        }
    }
    return errors;
}

static const ky_box_kind table_kind = {.name = "table", .height = table_height, .draw = table_draw};

/* The style of a cell: the template's table (or table-head) style, aligned
 * as its column says; head rows are bold unless the template styles them. */
static const ky_style *cell_style(const ky_template *tpl, ky_arena *arena, const ky_column *column,
                                  bool head, int align)
{
    ky_style *style = KY_NEW(arena, ky_style);
    *style = *ky_template_style(tpl, column->lang, head ? KY_STYLE_TABLE_HEAD : KY_STYLE_TABLE,
                                column->parallel);
    if (head && !tpl->style[column->lang][KY_STYLE_TABLE_HEAD].defined) style->font = KY_ROLE_BOLD;
    style->align = (ky_align)align;
    style->indent = 0;
    return style;
}

int ky_table_box(ky_typesetter *ts, ky_arena *arena, const ky_block *block, const ky_column *column,
                 ky_box **out)
{
    const ky_template *tpl = ts->tpl;
    const ky_table *table = block->table;
    size_t columns = table->column_count;
    ky_table_set *t = KY_NEW(arena, ky_table_set);
    ky_box *box = KY_NEW(arena, ky_box);
    if (!t || !box) return -1;
    t->ts = ts;
    t->table = table;
    t->lang = column->lang;
    t->sid = t->head_sid = t->body_sid = -1;
    t->row_sids = KY_NEW_ARRAY(arena, int, table->row_count ? table->row_count : 1);
    if (!t->row_sids) return -1;
    for (size_t r = 0; r < table->row_count; r++)
        t->row_sids[r] = -1;
    t->rules = tpl->table_rules;
    t->rule = tpl->table_rule > 0 ? tpl->table_rule : KY_TABLE_RULE_DEFAULT;
    t->widths = KY_NEW_ARRAY(arena, double, columns);
    t->lefts = KY_NEW_ARRAY(arena, double, columns);
    t->cells = KY_NEW_ARRAY(arena, ky_set_text *, table->row_count);
    t->heights = KY_NEW_ARRAY(arena, double, table->row_count);
    const ky_style *body = cell_style(tpl, arena, column, false, KY_ALIGN_LEFT);
    double least = least_width(tpl, column->lang, column->parallel);
    /* What the automatic columns need: each cell that covers one, set on
     * one line. */
    size_t need_count = 0;
    for (size_t r = 0; r < table->row_count; r++)
        need_count += table->rows[r].count;
    ky_table_need *needs = KY_NEW_ARRAY(arena, ky_table_need, need_count ? need_count : 1);
    size_t n = 0;
    int status = 0;
    for (size_t r = 0; r < table->row_count; r++) {
        const ky_table_row *row = &table->rows[r];
        for (size_t c = 0; c < row->count; c++) {
            const ky_cell *cell = &row->cells[c];
            bool automatic = false;
            for (size_t k = cell->column; k < cell->column + cell->span && k < columns; k++)
                automatic = automatic || table->columns[k].kind == KY_WIDTH_AUTO;
            if (!automatic) continue;
            ky_set_text line;
            const ky_style *style = cell_style(tpl, arena, column, row->head, KY_ALIGN_LEFT);
            if (ky_typeset(ts, arena, column->lang, block->cells[r][c], style, 1e5, block->file,
                           row->line, &line)) {
                status = -1;
                continue;
            }
            double natural = 0;
            for (size_t l = 0; l < line.line_count; l++)
                natural = fmax(natural, line.lines[l].natural);
            needs[n++] = (ky_table_need){cell->column, cell->span, natural + 2 * KY_CELL_PAD_X};
        }
    }
    if (status) return -1;
    if (ky_table_widths(table->columns, columns, needs, n, column->width, least, t->widths))
        return 1;
    t->x = column->x;
    for (size_t c = 0; c < columns; c++) {
        t->lefts[c] = t->x + t->width;
        t->width += t->widths[c];
    }
    double area = tpl->page_height - tpl->margin_top - tpl->margin_bottom;
    for (size_t r = 0; r < table->row_count; r++) {
        const ky_table_row *row = &table->rows[r];
        t->cells[r] = KY_NEW_ARRAY(arena, ky_set_text, row->count ? row->count : 1);
        double tallest = 0;
        for (size_t c = 0; c < row->count; c++) {
            const ky_cell *cell = &row->cells[c];
            double width = -2 * KY_CELL_PAD_X;
            for (size_t k = cell->column; k < cell->column + cell->span && k < columns; k++)
                width += t->widths[k];
            const ky_style *style =
                cell_style(tpl, arena, column, row->head, table->columns[cell->column].align);
            if (ky_typeset(ts, arena, column->lang, block->cells[r][c], style, width, block->file,
                           row->line, &t->cells[r][c])) {
                status = -1;
                continue;
            }
            tallest = fmax(tallest, ky_text_height(&t->cells[r][c]));
        }
        t->heights[r] = tallest + 2 * KY_CELL_PAD_Y;
        if (row->head) t->head += t->heights[r];
    }
    if (status) return -1;
    /* A row that does not fit a page under the head rows is cut between
     * lines into pieces that do, each padded as a row is: first how many
     * lines each piece of a row holds (SIZE_MAX: the row is whole). */
    size_t *per = KY_NEW_ARRAY(arena, size_t, table->row_count);
    double *leading = KY_NEW_ARRAY(arena, double, table->row_count);
    size_t *lines = KY_NEW_ARRAY(arena, size_t, table->row_count);
    size_t count = 0;
    for (size_t r = table->head_count; r < table->row_count; r++) {
        const ky_table_row *row = &table->rows[r];
        for (size_t c = 0; c < row->count; c++) {
            if (!t->cells[r][c].style) continue;
            leading[r] = fmax(leading[r], t->cells[r][c].style->leading);
            if (t->cells[r][c].line_count > lines[r]) lines[r] = t->cells[r][c].line_count;
        }
        per[r] = SIZE_MAX;
        if (t->head + t->heights[r] <= area || lines[r] == 0) {
            count++;
            continue;
        }
        per[r] = (size_t)fmax(0, (area - t->head - 2 * KY_CELL_PAD_Y) / leading[r]);
        if (per[r] == 0) {
            ky_error(ts->diags, block->file, row->line,
                     "the table's head rows leave no room for a line of row %zu on a page of "
                     "%.0fpt",
                     r + 1, area);
            return -1;
        }
        count += (lines[r] + per[r] - 1) / per[r];
    }
    t->pieces = KY_NEW_ARRAY(arena, ky_piece, count ? count : 1);
    size_t at = 0;
    for (size_t r = table->head_count; r < table->row_count; r++) {
        if (per[r] == SIZE_MAX) {
            t->pieces[at++] = (ky_piece){r, 0, SIZE_MAX, t->heights[r]};
            continue;
        }
        for (size_t first = 0; first < lines[r]; first += per[r]) {
            size_t end = lines[r] - first > per[r] ? first + per[r] : lines[r];
            t->pieces[at++] =
                (ky_piece){r, first, end, (double)(end - first) * leading[r] + 2 * KY_CELL_PAD_Y};
        }
    }
    const ky_set_text *first = &t->cells[0][0];
    const ky_style *top_style = first->style ? first->style : body;
    const ky_style *after = ky_template_style(tpl, column->lang, KY_STYLE_BODY, column->parallel);
    *box = (ky_box){
        .kind = &table_kind,
        .data = t,
        .count = count,
        .space_before = after->space_after,
        .space_after = after->space_after,
        .first_baseline = KY_CELL_PAD_Y + ky_baseline_offset(top_style->leading, top_style->size),
        /* The head rows never stand alone at a page's foot. */
        .orphans = 1,
        .widows = 1,
    };
    *out = box;
    return 0;
}
