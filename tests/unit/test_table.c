#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blocks.h"
#include "flow.h"
#include "fixture.h"
#include "layout.h"
#include "pages.h"

/* --- column widths ------------------------------------------------------ */

static ky_table_column col(ky_width_kind kind, double value)
{
    return (ky_table_column){.kind = kind, .value = value};
}

static void widths_fixed_and_shares(void **state)
{
    (void)state;
    for (double measure = 100; measure <= 600; measure += 50) {
        ky_table_column cols[3] = {col(KY_WIDTH_FIXED, 40), col(KY_WIDTH_FRACTION, 2),
                                   col(KY_WIDTH_FRACTION, 1)};
        double w[3];
        assert_int_equal(ky_table_widths(cols, 3, NULL, 0, measure, 10, w), 0);
        assert_float_equal(w[0], 40, 1e-9);
        assert_float_equal(w[1], (measure - 40) * 2 / 3, 1e-9);
        assert_float_equal(w[2], (measure - 40) / 3, 1e-9);
        assert_float_equal(w[0] + w[1] + w[2], measure, 1e-9);
    }
}

static void widths_auto_from_content(void **state)
{
    (void)state;
    ky_table_column cols[2] = {col(KY_WIDTH_AUTO, 0), col(KY_WIDTH_FRACTION, 1)};
    double w[2];
    /* The widest cell of its own; no cell at all: the least width. */
    for (double natural = 5; natural <= 200; natural += 15) {
        ky_table_need needs[2] = {{0, 1, natural / 2}, {0, 1, natural}};
        assert_int_equal(ky_table_widths(cols, 2, needs, 2, 400, 30, w), 0);
        assert_float_equal(w[0], fmax(natural, 30), 1e-9);
        assert_float_equal(w[1], 400 - w[0], 1e-9);
    }
    assert_int_equal(ky_table_widths(cols, 2, NULL, 0, 400, 30, w), 0);
    assert_float_equal(w[0], 30, 1e-9);
    /* Too wide: narrowed so that the share column keeps the least width. */
    ky_table_need wide = {0, 1, 1000};
    assert_int_equal(ky_table_widths(cols, 2, &wide, 1, 400, 30, w), 0);
    assert_float_equal(w[0], 370, 1e-9);
    assert_float_equal(w[1], 30, 1e-9);
    /* Only automatic columns: the table is as wide as its content. */
    ky_table_column autos[2] = {col(KY_WIDTH_AUTO, 0), col(KY_WIDTH_AUTO, 0)};
    ky_table_need needs[2] = {{0, 1, 50}, {1, 1, 80}};
    assert_int_equal(ky_table_widths(autos, 2, needs, 2, 400, 30, w), 0);
    assert_float_equal(w[0], 50, 1e-9);
    assert_float_equal(w[1], 80, 1e-9);
    /* Two automatic columns too wide share the room by their excess. */
    ky_table_need big[2] = {{0, 1, 330}, {1, 1, 230}};
    assert_int_equal(ky_table_widths(autos, 2, big, 2, 300, 30, w), 0);
    assert_float_equal(w[0] + w[1], 300, 1e-9);
    assert_float_equal((w[0] - 30) / (w[1] - 30), 300.0 / 200.0, 1e-9);
}

static void widths_spans(void **state)
{
    (void)state;
    ky_table_column cols[3] = {col(KY_WIDTH_AUTO, 0), col(KY_WIDTH_AUTO, 0),
                               col(KY_WIDTH_FRACTION, 1)};
    double w[3];
    /* A cell across two automatic columns widens both evenly... */
    for (double natural = 40; natural <= 200; natural += 40) {
        ky_table_need needs[3] = {{0, 1, 20}, {1, 1, 10}, {0, 2, natural}};
        assert_int_equal(ky_table_widths(cols, 3, needs, 3, 500, 5, w), 0);
        double own = 30;
        double more = natural > own ? (natural - own) / 2 : 0;
        assert_float_equal(w[0], 20 + more, 1e-9);
        assert_float_equal(w[1], 10 + more, 1e-9);
        assert_float_equal(w[0] + w[1] + w[2], 500, 1e-9);
    }
    /* ...and one across a share column widens nothing: the share takes it. */
    ky_table_need across = {1, 2, 400};
    assert_int_equal(ky_table_widths(cols, 3, &across, 1, 500, 5, w), 0);
    assert_float_equal(w[0], 5, 1e-9);
    assert_float_equal(w[1], 5, 1e-9);
    assert_float_equal(w[2], 490, 1e-9);
}

static void widths_refused_when_fixed_columns_overflow(void **state)
{
    (void)state;
    ky_table_column cols[3] = {col(KY_WIDTH_FIXED, 100), col(KY_WIDTH_FIXED, 100),
                               col(KY_WIDTH_FRACTION, 1)};
    double w[3];
    for (double measure = 150; measure <= 260; measure += 10)
        assert_int_equal(ky_table_widths(cols, 3, NULL, 0, measure, 20, w),
                         measure >= 220 ? 0 : -1);
}

/* --- pages: head rows repeat, rows stay whole ----------------------------- */

typedef struct rec {
    size_t count;
    size_t frags[64];
    char *text[64][512];
    double y[64][512];
} rec;

static int rec_page(void *data, const ky_page *page)
{
    rec *r = data;
    assert_true(r->count < 64);
    /* Fragments on one baseline make one line: a kerned pair ("11")
     * splits a word into fragments, and the cells of a row share theirs. */
    size_t n = 0;
    for (size_t i = 0; i < page->frag_count && n < 512; i++) {
        const ky_frag *frag = &page->frags[i];
        if (n > 0 && r->y[r->count][n - 1] == frag->y) {
            char *line = r->text[r->count][n - 1];
            size_t len = strlen(line);
            line = realloc(line, len + frag->len + 1);
            memcpy(line + len, frag->text, frag->len);
            line[len + frag->len] = '\0';
            r->text[r->count][n - 1] = line;
            continue;
        }
        r->text[r->count][n] = strndup(frag->text, frag->len);
        r->y[r->count][n++] = frag->y;
    }
    r->frags[r->count++] = n;
    return 0;
}

static int rec_overlay(void *data, const ky_page *overlay)
{
    (void)data;
    (void)overlay;
    return 0;
}

static void rec_free(rec *r)
{
    for (size_t p = 0; p < r->count; p++)
        for (size_t i = 0; i < r->frags[p]; i++)
            free(r->text[p][i]);
    free(r);
}

static ky_span *span(fixture *f, const char *text)
{
    ky_span *s = KY_NEW(&f->arena, ky_span);
    s->text = text;
    s->len = strlen(text);
    return s;
}

/* A table of rows body rows under one head row: "Rn" and a text of
 * (n % 4) + 1 lines' worth of words "wn". */
static ky_block *table_block_of(fixture *f, size_t rows, const char *head, char mark, double fixed)
{
    ky_table *t = KY_NEW(&f->arena, ky_table);
    t->column_count = 2;
    t->columns = KY_NEW_ARRAY(&f->arena, ky_table_column, 2);
    t->columns[0] = (ky_table_column){.kind = KY_WIDTH_AUTO};
    t->columns[1] = (ky_table_column){.kind = KY_WIDTH_FIXED, .value = fixed};
    t->row_count = rows + 1;
    t->head_count = 1;
    t->rows = KY_NEW_ARRAY(&f->arena, ky_table_row, rows + 1);
    ky_block *b = KY_NEW(&f->arena, ky_block);
    b->kind = KY_BLOCK_TABLE;
    b->style = KY_STYLE_TABLE;
    b->table = t;
    b->cells = KY_NEW_ARRAY(&f->arena, ky_span **, rows + 1);
    for (size_t r = 0; r <= rows; r++) {
        t->rows[r].head = r == 0;
        t->rows[r].count = 2;
        t->rows[r].cells = KY_NEW_ARRAY(&f->arena, ky_cell, 2);
        t->rows[r].cells[0] = (ky_cell){.span = 1, .column = 0};
        t->rows[r].cells[1] = (ky_cell){.span = 1, .column = 1};
        b->cells[r] = KY_NEW_ARRAY(&f->arena, ky_span *, 2);
        if (r == 0) {
            b->cells[r][0] = span(f, head);
            b->cells[r][1] = span(f, "Text");
            continue;
        }
        b->cells[r][0] = span(f, ky_arena_printf(&f->arena, "%c%zu", mark, r));
        char *text = "";
        for (size_t w = 0; w < (r % 4 + 1) * 4; w++)
            text = ky_arena_printf(&f->arena, "%s%sw%zu", text, w ? " " : "", r);
        b->cells[r][1] = span(f, text);
    }
    return b;
}

static ky_block *table_block(fixture *f, size_t rows)
{
    return table_block_of(f, rows, "Head", 'R', 120);
}

static size_t number_after(const char *text, char prefix)
{
    return text[0] == prefix ? strtoul(text + 1, NULL, 10) : 0;
}

/* Lays out left (beside right in the parallel layout, when given) on
 * pages of tpl, recording them; the layout's status must be expect. */
static rec *lay_out(fixture *f, const ky_template *tpl, ky_flow *left, ky_flow *right, int expect)
{
    rec *r = calloc(1, sizeof *r);
    assert_non_null(r);
    ky_pages pages;
    ky_pages_init(&pages, (ky_page_sink){r, rec_page, rec_overlay}, &f->arena);
    ky_layout_env env = {.tpl = tpl,
                         .fonts = &f->fonts,
                         .hyphenator = &f->hyphenator,
                         .pages = &pages,
                         .diags = &f->diags};
    assert_int_equal(right ? ky_layout_parallel(&env, left, right) : ky_layout_flow(&env, left),
                     expect);
    return r;
}

/* The fixture's template on pages height points high, with room for
 * the footer under the type area. */
static ky_template of_height(const fixture *f, double height)
{
    ky_template tpl = *f->tpl;
    tpl.page_height = height;
    tpl.margin_top = 30;
    tpl.margin_bottom = 40;
    tpl.footer_offset = 20;
    return tpl;
}

/* A table of many rows on pages of many heights: the head row stands at
 * the top of every page the table runs onto, with a body row under it;
 * every row comes once, in order, whole on one page; nothing is set below
 * the type area. */
static void head_repeats_and_rows_stay_whole(void **state)
{
    fixture *f = *state;
    for (double height = 200; height <= 500; height += 37) {
        for (size_t rows = 1; rows <= 40; rows += 13) {
            ky_template tpl = of_height(f, height);
            ky_flow flow = {.lang = KY_EN, .first = table_block(f, rows)};
            rec *r = lay_out(f, &tpl, &flow, NULL, 0);
            size_t next = 1;
            for (size_t p = 0; p < r->count; p++) {
                double top = -1;
                const char *first = NULL;
                size_t heads = 0, bodies = 0, page_rows[64] = {0}, row_count = 0;
                for (size_t i = 0; i < r->frags[p]; i++) {
                    const char *text = r->text[p][i];
                    double y = r->y[p][i];
                    if (y < tpl.margin_bottom - 0.01) {
                        assert_float_equal(y, tpl.footer_offset, 0.5); /* the footer */
                        continue;
                    }
                    assert_true(y <= height - tpl.margin_top + 0.01);
                    if (y > top) top = y, first = text;
                    heads += strncmp(text, "Head", 4) == 0;
                    size_t row = number_after(text, 'R');
                    if (row) {
                        assert_int_equal(row, next);
                        next++;
                        bodies++;
                        if (row_count < 64) page_rows[row_count++] = row;
                    }
                }
                assert_int_equal(heads, 1);
                assert_non_null(first);
                assert_string_equal(first, "HeadText");
                assert_true(bodies >= 1);
                /* Each row's words stand on the page of its number. */
                for (size_t i = 0; i < r->frags[p]; i++) {
                    size_t row = number_after(r->text[p][i], 'w');
                    if (!row) continue;
                    bool here = false;
                    for (size_t k = 0; k < row_count; k++)
                        here = here || page_rows[k] == row;
                    assert_true(here);
                }
            }
            assert_int_equal(next, rows + 1);
            rec_free(r);
        }
    }
}

/* A row taller than a page is cut between lines: every page shows the
 * head rows, then as many of its lines as fit; none is lost or doubled,
 * and nothing is set below the type area. */
static void tall_row_is_cut_between_lines(void **state)
{
    fixture *f = *state;
    size_t split = 0; /* layouts that cut the row */
    for (double height = 160; height <= 400; height += 40) {
        for (size_t words = 100; words <= 700; words += 300) {
            ky_template tpl = of_height(f, height);
            ky_block *b = table_block(f, 3);
            char *text = "";
            for (size_t w = 0; w < words; w++)
                text = ky_arena_printf(&f->arena, "%s%sx%zu", text, w ? " " : "", w % 10);
            b->cells[2][1] = span(f, text);
            ky_flow flow = {.lang = KY_EN, .first = b};
            rec *r = lay_out(f, &tpl, &flow, NULL, 0);
            size_t seen = 0, next = 1;
            for (size_t p = 0; p < r->count; p++) {
                double top = -1;
                const char *first = NULL;
                for (size_t i = 0; i < r->frags[p]; i++) {
                    const char *line = r->text[p][i];
                    double y = r->y[p][i];
                    if (y < tpl.margin_bottom - 0.01) continue; /* the footer */
                    assert_true(y >= tpl.margin_bottom);
                    if (y > top) top = y, first = line;
                    for (const char *x = strchr(line, 'x'); x; x = strchr(x + 1, 'x'))
                        seen += x[1] >= '0' && x[1] <= '9';
                    size_t row = number_after(line, 'R');
                    if (row) assert_int_equal(row, next++);
                }
                assert_non_null(first);
                assert_string_equal(first, "HeadText");
            }
            assert_int_equal(seen, words);
            assert_int_equal(next, 4);
            split += r->count >= 2;
            rec_free(r);
        }
    }
    assert_true(split >= 10);
}

/* A table whose fixed columns exceed the measure is refused by name. */
static void too_wide_table_is_an_error(void **state)
{
    fixture *f = *state;
    ky_block *b = table_block(f, 3);
    ky_table *t = (ky_table *)b->table;
    t->columns[1].value = 2000;
    t->line = 7;
    b->file = "wide.xml";
    ky_flow flow = {.lang = KY_EN, .first = b};
    int before = f->diags.errors;
    rec *r = lay_out(f, f->tpl, &flow, NULL, -1);
    assert_int_equal(f->diags.errors, before + 1);
    assert_non_null(strstr(f->diags.last->message, "do not fit the measure"));
    assert_int_equal(f->diags.last->line, 7);
    rec_free(r);
}

/* A block that asks for a new page gets one, unless the page is empty. */
static void page_break_before_starts_a_page(void **state)
{
    fixture *f = *state;
    for (int first = 0; first < 2; first++) {
        ky_block *a = KY_NEW(&f->arena, ky_block);
        ky_block *b = KY_NEW(&f->arena, ky_block);
        *a = (ky_block){.kind = KY_BLOCK_TEXT, .style = KY_STYLE_BODY, .spans = span(f, "One.")};
        *b = (ky_block){.kind = KY_BLOCK_TEXT, .style = KY_STYLE_TITLE, .spans = span(f, "Two.")};
        a->next = b;
        (first ? a : b)->page_break_before = true;
        ky_flow flow = {.lang = KY_EN, .first = a};
        rec *r = lay_out(f, f->tpl, &flow, NULL, 0);
        assert_int_equal(r->count, first ? 1 : 2);
        rec_free(r);
    }
}

/* The parallel layout: a table whose columns fit a column stands in it,
 * row beside row; a wider one spans the measure, the left language's
 * table whole before the right one's. */
static void parallel_tables_fit_or_span(void **state)
{
    fixture *f = *state;
    for (double fixed = 100; fixed <= 400; fixed += 50) {
        ky_flow left = {.lang = KY_EN, .first = table_block_of(f, 30, "Head", 'R', fixed)};
        ky_flow right = {.lang = KY_JA, .first = table_block_of(f, 30, "Kopf", 'S', fixed)};
        rec *r = lay_out(f, f->tpl, &left, &right, 0);
        double measure = f->tpl->page_width - f->tpl->margin_left - f->tpl->margin_right;
        bool fits = fixed + 3 * 10 <= (measure - f->tpl->gutter) / 2;
        /* Where the tables start, and whether any R row follows an S row. */
        size_t page_r = 0, page_s = 0, last_r = 0, first_s = 64;
        double y_r = -1, y_s = -1;
        for (size_t p = 0; p < r->count; p++)
            for (size_t i = 0; i < r->frags[p]; i++) {
                const char *text = r->text[p][i];
                if (number_after(text, 'R')) last_r = p;
                if (number_after(text, 'S') && p < first_s) first_s = p;
                /* The first head rows: their first baselines are level. */
                if (strncmp(text, "Head", 4) == 0 && y_r < 0) page_r = p, y_r = r->y[p][i];
                if (strncmp(text, "Kopf", 4) == 0 && y_s < 0) page_s = p, y_s = r->y[p][i];
            }
        assert_true(y_r >= 0 && y_s >= 0);
        if (fits) {
            assert_int_equal(page_r, page_s);
            assert_float_equal(y_r, y_s, 0.01);
        } else {
            assert_true(last_r <= first_s);
            assert_true(page_r < page_s || y_r > y_s);
        }
        rec_free(r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(widths_fixed_and_shares),
        cmocka_unit_test(widths_auto_from_content),
        cmocka_unit_test(widths_spans),
        cmocka_unit_test(widths_refused_when_fixed_columns_overflow),
        cmocka_unit_test(head_repeats_and_rows_stay_whole),
        cmocka_unit_test(tall_row_is_cut_between_lines),
        cmocka_unit_test(too_wide_table_is_an_error),
        cmocka_unit_test(page_break_before_starts_a_page),
        cmocka_unit_test(parallel_tables_fit_or_span),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
