/* The layouts: which blocks go into which rows and columns, and the page
 * furniture of each. The flow (flow.c) does the placing. */
#include "layout.h"

#include <string.h>

#include "blocks.h"
#include "furniture.h"
#include "pages.h"

static const char *const layout_names[KY_LAYOUT_COUNT] = {"sequential", "en", "ja", "parallel"};

const char *ky_layout_name(ky_layout_kind layout)
{
    return layout < KY_LAYOUT_COUNT ? layout_names[layout] : "?";
}

bool ky_layout_parse(const char *name, ky_layout_kind *layout)
{
    for (int i = 0; i < KY_LAYOUT_COUNT; i++)
        if (strcmp(name, layout_names[i]) == 0) {
            *layout = (ky_layout_kind)i;
            return true;
        }
    return false;
}

/* Blocks of one or two flows, walked in step: row i holds block i of each. */
typedef struct {
    ky_typesetter *ts;
    const ky_block *next[KY_ROW_MAX];
    ky_column columns[KY_ROW_MAX];
    size_t count;
    double rule_x; /* the parallel layout's gutter */
    /* The parallel layout's table too wide for a column: after the left
     * language's across the page, the right one's, in a row of its own. */
    const ky_block *pending;
    ky_column pending_column;
} ky_rows;

/* The whole measure, for a table wider than a column. */
static ky_column spanning(const ky_typesetter *ts, const ky_column *column)
{
    ky_column wide = *column;
    wide.x = ts->tpl->margin_left;
    wide.width = ts->tpl->page_width - ts->tpl->margin_left - ts->tpl->margin_right;
    return wide;
}

static int table_box(ky_typesetter *ts, ky_row *row, const ky_block *block, const ky_column *column,
                     ky_box **box)
{
    int status = ky_table_box(ts, &row->arena, block, column, box);
    if (status == 1) ky_table_too_wide(ts->diags, block->file, block->table, column->width);
    return status ? -1 : 0;
}

/* A table in each column of a row, or, when it does not fit a column,
 * the left language's across the page now and the right one's next. */
static int table_row(ky_rows *rows, const ky_block *const *blocks, ky_row *row)
{
    if (rows->count == 1) {
        row->count = 1;
        return table_box(rows->ts, row, blocks[0], &rows->columns[0], &row->boxes[0]);
    }
    int fits = 0;
    for (size_t c = 0; c < rows->count && fits == 0; c++)
        fits = ky_table_box(rows->ts, &row->arena, blocks[c], &rows->columns[c], &row->boxes[c]);
    if (fits < 0) return -1;
    if (fits == 0) {
        row->count = rows->count;
        row->rule_x = rows->rule_x;
        return 0;
    }
    row->count = 1;
    rows->pending = blocks[1];
    rows->pending_column = spanning(rows->ts, &rows->columns[1]);
    ky_column wide = spanning(rows->ts, &rows->columns[0]);
    return table_box(rows->ts, row, blocks[0], &wide, &row->boxes[0]);
}

static int next_row(void *data, size_t index, ky_row *row)
{
    (void)index;
    ky_rows *rows = data;
    if (rows->pending) {
        const ky_block *block = rows->pending;
        rows->pending = NULL;
        row->count = 1;
        return table_box(rows->ts, row, block, &rows->pending_column, &row->boxes[0]);
    }
    for (size_t c = 0; c < rows->count; c++)
        if (!rows->next[c]) return 0; /* the end of either flow ends the rows */
    const ky_block *blocks[KY_ROW_MAX];
    bool signatures = false, table = false;
    for (size_t c = 0; c < rows->count; c++) {
        blocks[c] = rows->next[c];
        rows->next[c] = blocks[c]->next;
        signatures = signatures || blocks[c]->kind == KY_BLOCK_SIGNATURES;
        table = table || blocks[c]->kind == KY_BLOCK_TABLE;
    }
    if (table) return table_row(rows, blocks, row);
    /* Signature blocks span the measure: one box for every language. */
    if (signatures) {
        row->count = 1;
        return ky_signatures_box(rows->ts, &row->arena, blocks, rows->columns, rows->count,
                                 &row->boxes[0]);
    }
    int status = 0;
    for (size_t c = 0; c < rows->count; c++)
        if (ky_paragraph_box(rows->ts, &row->arena, blocks[c], &rows->columns[c], &row->boxes[c]))
            status = -1;
    row->count = rows->count;
    row->rule_x = rows->rule_x;
    /* An annex starts a new page. */
    for (size_t c = 0; status == 0 && c < rows->count; c++)
        row->boxes[c]->page_break_before = blocks[c]->page_break_before;
    return status;
}

typedef struct {
    ky_typesetter *ts;
    const ky_furnished *columns;
    size_t count;
} ky_under;

static int under_text(void *data, ky_page *page)
{
    ky_under *under = data;
    return ky_furniture_under(under->ts, page, under->columns, under->count);
}

/* Lays out the rows of count flows (one, or two side by side) as one part
 * of the document, with its page furniture. */
static int layout_part(const ky_layout_env *env, const ky_flow *const *flows,
                       const ky_column *columns, size_t count, double rule_x)
{
    ky_typesetter ts = {.tpl = env->tpl,
                        .fonts = env->fonts,
                        .hyphenator = env->hyphenator,
                        .diags = env->diags,
                        .report = env->report};
    ky_furnished furnished[KY_ROW_MAX];
    ky_rows rows = {.ts = &ts, .count = count, .rule_x = rule_x};
    for (size_t c = 0; c < count; c++) {
        furnished[c] = (ky_furnished){.column = columns[c], .flow = flows[c]};
        rows.columns[c] = columns[c];
        rows.next[c] = flows[c]->first;
    }
    ky_under under = {.ts = &ts, .columns = furnished, .count = count};
    ky_page_flow flow;
    ky_page_flow_init(&flow, env->tpl, env->pages, flows[0]->lang, env->diags);
    flow.rule_width = env->tpl->column_rule;
    flow.finish_page = under_text;
    flow.hook_data = &under;
    int status = -1;
    if (ky_page_flow_new_page(&flow) == 0) {
        size_t first = flow.page->index;
        if (ky_pages_part(env->pages, flows[0]->lang, count > 1) == 0 &&
            ky_page_flow_run(&flow, next_row, &rows) == 0 && ky_page_flow_end(&flow) == 0)
            status = ky_furniture_over(&ts, env->pages, first, env->pages->count, furnished, count);
    }
    if (status) ky_pages_discard(env->pages);
    ky_breakers_free(&ts.breakers);
    return status;
}

static ky_column full_column(const ky_template *tpl, ky_lang lang)
{
    double measure = tpl->page_width - tpl->margin_left - tpl->margin_right;
    return (ky_column){.lang = lang,
                       .x = tpl->margin_left,
                       .width = measure,
                       .grid = tpl->baseline_grid > 0,
                       .bookmarks = true,
                       .bar_x = tpl->margin_left - 8};
}

int ky_layout_flow(const ky_layout_env *env, const ky_flow *flow)
{
    ky_column column = full_column(env->tpl, flow->lang);
    return layout_part(env, &flow, &column, 1, 0);
}

int ky_layout_parallel(const ky_layout_env *env, const ky_flow *left, const ky_flow *right)
{
    const ky_template *tpl = env->tpl;
    double measure = tpl->page_width - tpl->margin_left - tpl->margin_right;
    double width = (measure - tpl->gutter) / 2;
    double x[2] = {tpl->margin_left, tpl->margin_left + width + tpl->gutter};
    const ky_flow *flows[2] = {left, right};
    ky_column columns[2];
    for (int s = 0; s < 2; s++)
        columns[s] = (ky_column){.lang = flows[s]->lang,
                                 .x = x[s],
                                 .width = width,
                                 .parallel = true,
                                 .bookmarks = true,
                                 /* Change bars in the outer margins. */
                                 .bar_x = s == 0 ? x[0] - 8 : x[1] + width + 8};
    return layout_part(env, flows, columns, 2, x[1] - tpl->gutter / 2);
}

int ky_layout_title_page(const ky_layout_env *env, ky_flow *const *flows, size_t count)
{
    const ky_template *tpl = env->tpl;
    ky_typesetter ts = {.tpl = tpl,
                        .fonts = env->fonts,
                        .hyphenator = env->hyphenator,
                        .diags = env->diags,
                        .report = env->report};
    ky_page_flow flow;
    ky_page_flow_init(&flow, tpl, env->pages, flows[0]->lang, env->diags);
    int status = ky_page_flow_new_page(&flow);
    /* The titles stand a third of the way down, one language under the
     * other, with the date and place line of each. */
    flow.cursor = tpl->page_height / 3;
    flow.at_top = false;
    for (size_t f = 0; status == 0 && f < count; f++) {
        /* The head of the flow: its title, subtitle and date line. */
        ky_flow head = {.lang = flows[f]->lang};
        ky_block copies[3];
        ky_block **tail = &head.first;
        size_t n = 0;
        for (const ky_block *block = flows[f]->first;
             block && n < 3 &&
             (block->style == KY_STYLE_TITLE || block->style == KY_STYLE_SUBTITLE ||
              block->style == KY_STYLE_DATELINE);
             block = block->next) {
            copies[n] = *block;
            copies[n].next = NULL;
            copies[n].keep_with_next = false;
            *tail = &copies[n];
            tail = &copies[n++].next;
        }
        ky_column column = full_column(tpl, head.lang);
        column.bookmarks = false; /* the title page repeats the titles */
        column.grid = false;
        ky_rows rows = {.ts = &ts, .count = 1, .next = {head.first}, .columns = {column}};
        status = ky_page_flow_run(&flow, next_row, &rows);
        flow.cursor += 2 * ky_template_style(tpl, head.lang, KY_STYLE_TITLE, false)->leading;
    }
    if (status == 0) status = ky_page_flow_end(&flow);
    if (status) ky_pages_discard(env->pages);
    ky_breakers_free(&ts.breakers);
    return status;
}
