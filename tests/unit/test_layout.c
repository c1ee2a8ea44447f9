#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blocks.h"
#include "flow.h"
#include "fixture.h"
#include "layout.h"
#include "pages.h"
#include "typeset.h"
#include "utf8.h"

/* A sink that keeps a copy of every page, overlays merged in, as the PDF
 * backend would draw them; it also checks that pages arrive one by one,
 * while the layout is still running (nothing waits for the end). */
typedef struct rec_page {
    ky_frag frags[2048];
    size_t frag_count;
    ky_rule rules[64];
    size_t rule_count;
    size_t under_count;
} rec_page;

typedef struct recorder {
    rec_page pages[64];
    size_t count;
    ky_pages *layout;
    size_t most_open; /* pages started but not yet delivered, at most */
    ky_arena arena;
} recorder;

static void record_into(recorder *r, rec_page *out, const ky_page *page)
{
    for (size_t i = 0; i < page->frag_count && out->frag_count < 2048; i++) {
        ky_frag frag = page->frags[i];
        frag.text = ky_arena_strndup(&r->arena, frag.text, frag.len);
        out->frags[out->frag_count++] = frag;
    }
    for (size_t i = 0; i < page->rule_count && out->rule_count < 64; i++)
        out->rules[out->rule_count++] = page->rules[i];
    out->under_count += page->under_count;
}

static int record_page(void *data, const ky_page *page)
{
    recorder *r = data;
    assert_int_equal(page->index, r->count);
    assert_true(r->count < 64);
    size_t open = r->layout->count - r->count;
    if (open > r->most_open) r->most_open = open;
    record_into(r, &r->pages[r->count++], page);
    return 0;
}

static int record_overlay(void *data, const ky_page *overlay)
{
    recorder *r = data;
    assert_true(overlay->index < r->count);
    record_into(r, &r->pages[overlay->index], overlay);
    return 0;
}

static recorder *recorder_new(ky_pages *pages, fixture *f)
{
    recorder *r = calloc(1, sizeof *r);
    ky_arena_init(&r->arena);
    ky_pages_init(pages, (ky_page_sink){r, record_page, record_overlay}, &f->arena);
    r->layout = pages;
    return r;
}

static void recorder_free(recorder *r)
{
    ky_arena_free(&r->arena);
    free(r);
}

static ky_layout_env env_of(fixture *f, ky_pages *pages)
{
    return (ky_layout_env){.tpl = f->tpl,
                           .fonts = &f->fonts,
                           .hyphenator = &f->hyphenator,
                           .pages = pages,
                           .diags = &f->diags};
}

static int lay_out(fixture *f, const ky_flow *flow, ky_pages *pages)
{
    ky_layout_env env = env_of(f, pages);
    return ky_layout_flow(&env, flow);
}

/* The parallel layout of en beside ja. */
static int lay_out_parallel(fixture *f, const ky_flow *en, const ky_flow *ja, ky_pages *pages)
{
    ky_layout_env env = env_of(f, pages);
    return ky_layout_parallel(&env, en, ja);
}

static ky_span *span(fixture *f, const char *text)
{
    ky_span *s = KY_NEW(&f->arena, ky_span);
    s->text = text;
    s->len = strlen(text);
    return s;
}

static ky_block *paragraph(fixture *f, const char *text, const char *label)
{
    ky_block *b = KY_NEW(&f->arena, ky_block);
    b->kind = KY_BLOCK_TEXT;
    b->style = KY_STYLE_BODY;
    b->spans = span(f, text);
    b->label = label;
    return b;
}

static double frag_width(fixture *f, const ky_frag *frag)
{
    size_t pos = 0, chars = 0;
    while (pos < frag->len) {
        ky_utf8_next(frag->text, frag->len, &pos);
        chars++;
    }
    return ky_font_width(&f->fonts, frag->face, frag->size, frag->text, frag->len) +
           frag->char_spacing * (double)(chars - 1);
}

/* Many paragraphs and a signature block: text stays inside the margins,
 * pages follow each other, and the signature block is not split. */
static void paginates_inside_margins(void **state, ky_lang lang, const char *text)
{
    fixture *f = *state;
    ky_flow flow = {.lang = lang};
    ky_block **tail = &flow.first;
    for (int i = 0; i < 30; i++) {
        *tail = paragraph(f, text, ky_arena_printf(&f->arena, "%d.", i + 1));
        tail = &(*tail)->next;
    }
    ky_block *sig = KY_NEW(&f->arena, ky_block);
    sig->kind = KY_BLOCK_SIGNATURES;
    sig->style = KY_STYLE_SIGNATURE;
    sig->column_count = 2;
    sig->columns = KY_NEW_ARRAY(&f->arena, ky_signature_column, 2);
    for (int i = 0; i < 2; i++) {
        sig->columns[i].for_party = span(f, "For the Government of Somewhere");
        sig->columns[i].name = span(f, "A. Name");
    }
    *tail = sig;
    ky_pages pages;
    recorder *r = recorder_new(&pages, f);
    assert_int_equal(lay_out(f, &flow, &pages), 0);
    assert_true(r->count >= 3);
    /* Pages went out as they were finished. */
    assert_int_equal(r->most_open, 1);
    const ky_template *t = f->tpl;
    size_t rules_seen = 0;
    for (size_t p = 0; p < r->count; p++) {
        const rec_page *page = &r->pages[p];
        assert_true(page->frag_count > 0);
        for (size_t i = 0; i < page->frag_count; i++) {
            const ky_frag *frag = &page->frags[i];
            assert_true(frag->x >= t->margin_left - 0.01);
            assert_true(frag->x + frag_width(f, frag) <= t->page_width - t->margin_right + 0.5);
            assert_true(frag->y >= t->footer_offset - 0.01);
            assert_true(frag->y <= t->page_height - t->margin_top);
        }
        if (p + 1 == r->count)
            assert_int_equal(page->rule_count, 2);
        else
            assert_int_equal(page->rule_count, 0);
        rules_seen += page->rule_count;
    }
    assert_int_equal(rules_seen, 2);
    recorder_free(r);
}

static void paginates_english(void **state)
{
    paginates_inside_margins(
        state, KY_EN,
        "Both countries reaffirmed that existing international law is applicable in "
        "cyberspace, and that no State should conduct or knowingly support ICT-enabled theft "
        "of intellectual property, including trade secrets.");
}

static void paginates_japanese(void **state)
{
    paginates_inside_margins(state, KY_JA,
                             "両国は、既存の国際法がサイバー空間にも適用されることを再確認するとと"
                             "もに、いかなる国家も、企業又は商業部門に競争上の優位を与える意図をも"
                             "って、ICTを利用した窃取を行うべきではないことを再確認した。");
}

static void justifies_full_lines_to_the_measure(void **state)
{
    fixture *f = *state;
    ky_flow flow = {.lang = KY_JA};
    flow.first = paragraph(f,
                           "日印両国は、経済の革新と成長を可能とする、自由で、開かれ、安定し、"
                           "安全で、アクセス可能で、平和的なサイバー空間に対する両国のコミットメ"
                           "ントを再確認した。双方は、それぞれの国におけるサイバー政策の状況、サ"
                           "イバー脅威とその緩和、地域及び国際的な場における協力の可能性並びに二"
                           "国間協力の枠組みについて意見交換を行った。",
                           NULL);
    ky_pages pages;
    recorder *r = recorder_new(&pages, f);
    assert_int_equal(lay_out(f, &flow, &pages), 0);
    /* Group fragments into lines by baseline; every line but the last (and
     * the footer) ends at the right margin. */
    const rec_page *page = &r->pages[0];
    double right = f->tpl->page_width - f->tpl->margin_right;
    double line_y[16], line_end[16];
    size_t lines = 0;
    for (size_t i = 0; i < page->frag_count; i++) {
        const ky_frag *frag = &page->frags[i];
        if (lines == 0 || frag->y != line_y[lines - 1]) {
            line_y[lines] = frag->y;
            line_end[lines++] = 0;
        }
        double end = frag->x + frag_width(f, frag);
        if (end > line_end[lines - 1]) line_end[lines - 1] = end;
    }
    assert_true(lines >= 4); /* at least 3 text lines and the footer */
    for (size_t i = 0; i + 2 < lines; i++)
        assert_float_equal(line_end[i], right, 0.5);
    assert_true(line_end[lines - 2] < right - 5);
    recorder_free(r);
}

/* Which paragraph a fragment belongs to: each test paragraph repeats a word
 * made of its own letter ("aaaa aaaa …", "bbbb …"). */
static char owner(const ky_frag *frag)
{
    return frag->text[0];
}

static ky_block *heading(fixture *f, const char *text)
{
    ky_block *b = paragraph(f, text, NULL);
    b->style = KY_STYLE_HEADING;
    b->keep_with_next = 1;
    return b;
}

static char *repeat(fixture *f, char letter, int words)
{
    char *text = ky_arena_alloc(&f->arena, (size_t)words * 5 + 1);
    for (int i = 0; i < words; i++) {
        memset(text + i * 5, letter, 4);
        text[i * 5 + 4] = i + 1 < words ? ' ' : '\0';
    }
    return text;
}

/* Paragraphs of many sizes run over pages: no page starts with a
 * paragraph's last line alone, none ends with its first line alone, and a
 * heading is never the last thing on a page. */
static void keeps_widows_orphans_and_headings(void **state)
{
    fixture *f = *state;
    for (int shift = 0; shift < 12; shift++) {
        ky_flow flow = {.lang = KY_EN};
        ky_block **tail = &flow.first;
        int sizes[] = {40, 25, 60, 9, 33, 48, 17, 70, 28, 55, 12, 90};
        char letter = 'a';
        for (int i = 0; i < 12; i++) {
            if (i % 4 == 3) {
                *tail = heading(f, "Heading");
                tail = &(*tail)->next;
            }
            *tail = paragraph(f, repeat(f, letter++, 3 * sizes[(i + shift) % 12] + shift), NULL);
            tail = &(*tail)->next;
        }
        ky_pages pages;
        recorder *r = recorder_new(&pages, f);
        assert_int_equal(lay_out(f, &flow, &pages), 0);
        for (size_t p = 0; p < r->count; p++) {
            const rec_page *page = &r->pages[p];
            /* Lines per paragraph on this page (one baseline = one line). */
            int lines[128] = {0};
            double last_y[128] = {0};
            char first = 0, last = 0;
            bool heading_last = false;
            for (size_t i = 0; i < page->frag_count; i++) {
                const ky_frag *frag = &page->frags[i];
                if (frag->y < f->tpl->margin_bottom) continue; /* the footer */
                unsigned char o = (unsigned char)owner(frag);
                if (o >= 128) continue; /* a soft hyphen ending a line */
                if (o == 'H') {
                    heading_last = true;
                    continue;
                }
                heading_last = false;
                if (!first) first = (char)o;
                last = (char)o;
                if (frag->y != last_y[o]) lines[o]++, last_y[o] = frag->y;
            }
            if (getenv("DEBUG_LAYOUT")) {
                for (int o = 'a'; o < 'z'; o++)
                    if (lines[o]) fprintf(stderr, "%c:%d ", o, lines[o]);
                fprintf(stderr, "| first %c last %c\n", first, last);
            }
            assert_false(heading_last);
            /* A paragraph split across this page break keeps two lines on
             * each side: its share at the top and at the bottom. */
            if (p > 0 && first) assert_true(lines[(unsigned char)first] >= 2);
            if (p + 1 < r->count && last) assert_true(lines[(unsigned char)last] >= 2);
        }
        recorder_free(r);
    }
}

static void kerns_latin_pairs(void **state)
{
    fixture *f = *state;
    int face = ky_font_pick(&f->fonts, KY_EN, KY_ROLE_BODY, 'T', &f->diags);
    uint32_t starts[8];
    double x[8];
    /* "To" and "AV" are kerned in Liberation Serif; "no" is not. */
    size_t pieces = ky_font_kerned_pieces(&f->fonts, face, 10, "Tokyo", 5, starts, x, 8);
    assert_int_equal(pieces, 2);
    assert_int_equal(starts[1], 1);
    assert_true(x[1] < ky_font_width(&f->fonts, face, 10, "T", 1));
    assert_int_equal(ky_font_kerned_pieces(&f->fonts, face, 10, "none", 4, starts, x, 8), 1);
    /* Measured widths include the kerning. */
    assert_true(ky_font_width(&f->fonts, face, 10, "To", 2) <
                ky_font_width(&f->fonts, face, 10, "T", 1) +
                    ky_font_width(&f->fonts, face, 10, "o", 1));
}

/* ---- the flow's interface, with a block kind of the test's own ---- */

/* A fake block: slices of given heights; every draw is logged. */
typedef struct fake {
    const double *heights;
    char name;
} fake;

typedef struct draw_log {
    char name[256];
    size_t page[256], from[256], to[256];
    double top[256];
    size_t count;
} draw_log;

static draw_log *the_log;

static double fake_height(const ky_box *box, size_t from, size_t to)
{
    const fake *k = box->data;
    double h = 0;
    for (size_t i = from; i < to; i++)
        h += k->heights[i];
    return h;
}

static int fake_draw(const ky_box *box, ky_page_flow *flow, size_t from, size_t to, double top)
{
    const fake *k = box->data;
    draw_log *log = the_log;
    assert_true(log->count < 256);
    log->name[log->count] = k->name;
    log->page[log->count] = flow->page->index;
    log->from[log->count] = from;
    log->to[log->count] = to;
    log->top[log->count++] = top;
    /* Nothing is drawn below the type area, except one slice forced onto an
     * empty page (which the test never makes). */
    assert_true(top + fake_height(box, from, to) <=
                flow->tpl->page_height - flow->tpl->margin_bottom + 1e-6);
    return 0;
}

static const ky_box_kind fake_kind = {.name = "fake", .height = fake_height, .draw = fake_draw};

typedef struct fake_rows {
    ky_box *boxes[16][2];
    size_t per_row[16];
    size_t count;
} fake_rows;

static int fake_source(void *data, size_t index, ky_row *row)
{
    fake_rows *rows = data;
    if (index >= rows->count) return 0;
    row->count = rows->per_row[index];
    for (size_t c = 0; c < row->count; c++)
        row->boxes[c] = rows->boxes[index][c];
    return 0;
}

static ky_box *fake_box(fixture *f, char name, size_t count, double height)
{
    double *heights = KY_NEW_ARRAY(&f->arena, double, count ? count : 1);
    for (size_t i = 0; i < count; i++)
        heights[i] = height;
    fake *k = KY_NEW(&f->arena, fake);
    k->heights = heights;
    k->name = name;
    ky_box *box = KY_NEW(&f->arena, ky_box);
    *box = (ky_box){.kind = &fake_kind, .data = k, .count = count, .orphans = 2, .widows = 2};
    return box;
}

static void run_fake(fixture *f, fake_rows *rows, draw_log *log, size_t *pages_out)
{
    ky_pages pages;
    ky_pages_init(&pages, (ky_page_sink){0}, &f->arena);
    ky_page_flow flow;
    ky_page_flow_init(&flow, f->tpl, &pages, KY_EN, &f->diags);
    memset(log, 0, sizeof *log);
    the_log = log;
    assert_int_equal(ky_page_flow_run(&flow, fake_source, rows), 0);
    assert_int_equal(ky_page_flow_end(&flow), 0);
    *pages_out = pages.count;
}

/* The type area's height in the stock template, in slices of 10 pt. */
static size_t slices_per_page(fixture *f)
{
    return (size_t)((f->tpl->page_height - f->tpl->margin_top - f->tpl->margin_bottom + 1e-6) / 10);
}

/* A block kind the flow has never seen is placed by the same rules: split
 * across pages with widows and orphans kept, kept with the next block,
 * moved whole when kept together, and level with its neighbour in a row. */
static void flow_places_any_block_kind(void **state)
{
    fixture *f = *state;
    size_t per_page = slices_per_page(f);
    draw_log *log = calloc(1, sizeof *log);
    size_t pages;

    /* One long box: split, with at least 2 slices on each side of a break. */
    for (size_t extra = 0; extra < 6; extra++) {
        fake_rows rows = {.count = 2, .per_row = {1, 1}};
        rows.boxes[0][0] = fake_box(f, 'a', per_page - 3, 10);
        rows.boxes[1][0] = fake_box(f, 'b', 2 + extra, 10);
        run_fake(f, &rows, log, &pages);
        for (size_t i = 0; i < log->count; i++) {
            size_t n = log->to[i] - log->from[i];
            size_t total = log->name[i] == 'a' ? per_page - 3 : 2 + extra;
            /* a part at a page's foot or head has 2 slices at least */
            if (n < total) assert_true(n >= 2);
        }
        /* b's first slices are never alone at a page foot */
        if (log->count == 3) assert_true(log->to[1] - log->from[1] >= 2);
    }

    /* keep_with_next: a heading-like box never ends a page. */
    {
        fake_rows rows = {.count = 3, .per_row = {1, 1, 1}};
        rows.boxes[0][0] = fake_box(f, 'a', per_page - 2, 10);
        rows.boxes[1][0] = fake_box(f, 'h', 1, 10);
        rows.boxes[1][0]->keep_with_next = true;
        rows.boxes[2][0] = fake_box(f, 'c', 10, 10);
        run_fake(f, &rows, log, &pages);
        assert_int_equal(log->name[1], 'h');
        assert_int_equal(log->page[1], 1);
        assert_int_equal(log->page[2], 1);
    }

    /* keep_together: moves whole to the next page when it fits one, and is
     * split by slices when it does not. */
    {
        fake_rows rows = {.count = 2, .per_row = {1, 1}};
        rows.boxes[0][0] = fake_box(f, 'a', per_page / 2, 10);
        rows.boxes[1][0] = fake_box(f, 's', per_page - 1, 10);
        rows.boxes[1][0]->keep_together = true;
        rows.boxes[1][0]->orphans = rows.boxes[1][0]->widows = 1;
        run_fake(f, &rows, log, &pages);
        assert_int_equal(log->count, 2);
        assert_int_equal(log->page[1], 1);
        rows.boxes[1][0] = fake_box(f, 's', 3 * per_page, 10);
        rows.boxes[1][0]->keep_together = true;
        rows.boxes[1][0]->orphans = rows.boxes[1][0]->widows = 1;
        run_fake(f, &rows, log, &pages);
        assert_int_equal(pages, 4);
    }

    /* Two boxes in a row start level on their first baselines. */
    {
        fake_rows rows = {.count = 1, .per_row = {2}};
        rows.boxes[0][0] = fake_box(f, 'l', 3, 10);
        rows.boxes[0][1] = fake_box(f, 'r', 3, 14);
        rows.boxes[0][0]->first_baseline = 8;
        rows.boxes[0][1]->first_baseline = 11;
        run_fake(f, &rows, log, &pages);
        assert_int_equal(log->count, 2);
        assert_float_equal(log->top[0] + 8, log->top[1] + 11, 1e-9);
    }
    free(log);
}

/* The widow and orphan rule over every count, position and room, as the
 * place where the old code underflowed (fit 0 with one slice left). */
static void box_fit_sweep(void **state)
{
    fixture *f = *state;
    for (size_t count = 0; count < 12; count++) {
        ky_box *box = fake_box(f, 'x', count, 10);
        for (size_t done = 0; done <= count; done++)
            for (int room = -20; room < 140; room += 3)
                for (int top = 0; top < 2; top++) {
                    size_t rest = count - done;
                    size_t fit = ky_box_fit(box, done, room, 0, top);
                    assert_true(fit <= rest);
                    if (top && rest) assert_true(fit >= 1);
                    if (!top && fit < rest && fit > 0) {
                        assert_true(rest - fit >= 2);
                        if (done == 0) assert_true(fit >= 2);
                        assert_true(fit * 10 <= room + 1e-6);
                    }
                }
    }
}

/* 50 signatories: the block continues on the next pages by whole rows,
 * every signatory's name on a page, nothing below the type area. */
static void signatures_continue_by_rows(void **state)
{
    fixture *f = *state;
    for (size_t n = 1; n <= 50; n += 7) {
        ky_flow flow = {.lang = KY_EN};
        flow.first = paragraph(f, "Both sides signed.", NULL);
        ky_block *sig = KY_NEW(&f->arena, ky_block);
        sig->kind = KY_BLOCK_SIGNATURES;
        sig->style = KY_STYLE_SIGNATURE;
        sig->column_count = n;
        sig->columns = KY_NEW_ARRAY(&f->arena, ky_signature_column, n);
        for (size_t i = 0; i < n; i++) {
            sig->columns[i].for_party = span(f, "For the Government of Somewhere");
            sig->columns[i].name = span(f, ky_arena_printf(&f->arena, "Signer%zu", i + 1));
        }
        flow.first->next = sig;
        ky_pages pages;
        recorder *r = recorder_new(&pages, f);
        assert_int_equal(lay_out(f, &flow, &pages), 0);
        size_t seen = 0;
        for (size_t p = 0; p < r->count; p++)
            for (size_t i = 0; i < r->pages[p].frag_count; i++) {
                const ky_frag *frag = &r->pages[p].frags[i];
                if (strncmp(frag->text, "Signer", 6) == 0) seen++;
                assert_true(frag->y >= f->tpl->footer_offset - 0.01);
                /* Above the bottom margin, but for the footer's line. */
                if (frag->y > f->tpl->footer_offset + 0.5)
                    assert_true(frag->y >= f->tpl->margin_bottom - 0.01);
            }
        assert_int_equal(seen, n);
        recorder_free(r);
    }
}

/* A kind that refuses some breaks: the flow carries lines over instead. */
static bool odd_breaks_only(const ky_box *box, size_t at)
{
    (void)box;
    return at % 2 == 1;
}

static void box_fit_asks_the_kind(void **state)
{
    fixture *f = *state;
    static const ky_box_kind picky = {
        .name = "picky", .height = fake_height, .draw = fake_draw, .breakable = odd_breaks_only};
    ky_box *box = fake_box(f, 'p', 20, 10);
    box->kind = &picky;
    for (int room = 0; room < 200; room += 5)
        for (size_t done = 0; done < 20; done++) {
            size_t fit = ky_box_fit(box, done, room, 0, false);
            if (fit > 0 && done + fit < 20) assert_true((done + fit) % 2 == 1);
        }
}

/* A paragraph with a footnote after its text, and more text after the
 * mark. The note's words are "nKwI" (note K, word I), so that the test
 * finds each one on the pages. */
static ky_block *noted_paragraph(fixture *f, int number, int words)
{
    ky_block *b = paragraph(f,
                            "The two sides reviewed the progress of their cooperation in the "
                            "fields named in the previous statement and agreed on the way ahead",
                            NULL);
    ky_note *note = KY_NEW(&f->arena, ky_note);
    note->number = number;
    note->label = ky_arena_printf(&f->arena, "%d", number);
    char *text = "";
    for (int i = 0; i < words; i++)
        text = ky_arena_printf(&f->arena, "%s%sn%dw%d", text, i ? " " : "", number, i);
    note->spans = span(f, text);
    ky_span *mark = span(f, ky_arena_printf(&f->arena, "%d", number));
    mark->style = KY_SPAN_NOTE | KY_SPAN_SUPERSCRIPT;
    mark->note = note;
    b->spans->next = mark;
    mark->next = span(f, ", as both delegations had proposed.");
    return b;
}

/* The words of a page's footnotes (frags in the note style's size), in
 * reading order: a word drawn in kerned pieces is joined again, never
 * across the word space a piece ends with (however narrow justification
 * made the gap); a space drawn on its own (a line's last) is no word. */
static int by_reading_order(const void *a, const void *b)
{
    const ky_frag *x = a, *y = b;
    if (fabs(x->y - y->y) > 0.01) return x->y > y->y ? -1 : 1;
    return (x->x > y->x) - (x->x < y->x);
}

static size_t note_words(fixture *f, const rec_page *page, double size, char words[][16],
                         double *ys, size_t most)
{
    ky_frag frags[2048];
    size_t count = 0, n = 0;
    for (size_t i = 0; i < page->frag_count; i++)
        if (fabs(page->frags[i].size - size) < 0.01 &&
            page->frags[i].y > f->tpl->footer_offset + 0.5)
            frags[count++] = page->frags[i];
    qsort(frags, count, sizeof *frags, by_reading_order);
    double end = 0, y = -1;
    bool spaced = false; /* the last word ended with its space */
    for (size_t i = 0; i < count; i++) {
        int len = (int)frags[i].len;
        bool ends_spaced = false;
        while (len > 0 && frags[i].text[len - 1] == ' ')
            len--, ends_spaced = true;
        if (len == 0) continue;
        assert_null(memchr(frags[i].text, ' ', (size_t)len));
        bool joined = n > 0 && !spaced && fabs(frags[i].y - y) < 0.01 && frags[i].x < end + 0.5;
        if (!joined) {
            assert_true(n < most);
            words[n][0] = '\0';
            ys[n++] = frags[i].y;
        }
        size_t have = strlen(words[n - 1]);
        snprintf(words[n - 1] + have, 16 - have, "%.*s", len, frags[i].text);
        end = frags[i].x + frag_width(f, &frags[i]);
        y = frags[i].y;
        spaced = ends_spaced;
    }
    return n;
}

/* Footnotes stand at the foot of the page their mark is on, under the
 * text and above the bottom margin, in order; one too long for what is
 * left continues at the foot of the next page, before the notes of that
 * page, and no word is lost. Swept over where the marks fall. */
static void notes_at_the_foot_of_their_page(void **state)
{
    fixture *f = *state;
    const ky_style *body = ky_template_style(f->tpl, KY_EN, KY_STYLE_BODY, false);
    const ky_style *note = ky_template_style(f->tpl, KY_EN, KY_STYLE_NOTE, false);
    assert_true(note->size < body->size);
    const double mark_size = body->size * KY_SCRIPT_SCALE;
    enum { NOTES = 6, LONG = 3, LONG_WORDS = 160, WORDS = 14 };
    size_t continued = 0;
    static char words[1024][16];
    static double ys[1024];
    for (int lead = 0; lead < 48; lead++) {
        ky_flow flow = {.lang = KY_EN};
        ky_block **tail = &flow.first;
        for (int i = 0; i < lead; i++) {
            *tail = paragraph(f, "A short paragraph.", NULL);
            tail = &(*tail)->next;
        }
        for (int k = 1; k <= NOTES; k++) {
            *tail = noted_paragraph(f, k, k == LONG ? LONG_WORDS : WORDS);
            tail = &(*tail)->next;
        }
        ky_pages pages;
        recorder *r = recorder_new(&pages, f);
        assert_int_equal(lay_out(f, &flow, &pages), 0);
        size_t mark_page[NOTES + 1] = {0}, first_page[NOTES + 1], seen[NOTES + 1] = {0};
        for (int k = 0; k <= NOTES; k++)
            first_page[k] = SIZE_MAX;
        int last_k = 0, last_w = -1;
        for (size_t p = 0; p < r->count; p++) {
            const rec_page *page = &r->pages[p];
            double lowest_text = 1e9;
            for (size_t i = 0; i < page->frag_count; i++) {
                const ky_frag *frag = &page->frags[i];
                int k;
                if (frag->y <= f->tpl->footer_offset + 0.5) continue; /* the footer */
                if (fabs(frag->size - mark_size) < 0.01 && sscanf(frag->text, "%d", &k) == 1)
                    mark_page[k] = p;
                else if (fabs(frag->size - note->size) > 0.01)
                    lowest_text = fmin(lowest_text, frag->y);
            }
            size_t n = note_words(f, page, note->size, words, ys, 1024);
            double highest_long = -1e9, other = -1e9;
            for (size_t i = 0; i < n; i++) {
                int k, w;
                if (sscanf(words[i], "n%dw%d", &k, &w) != 2) continue; /* a label */
                /* Below the text (the rule between them), above the margin. */
                assert_true(ys[i] + note->size < lowest_text - 2);
                assert_true(ys[i] >= f->tpl->margin_bottom - 0.01);
                if (first_page[k] == SIZE_MAX) first_page[k] = p;
                /* In order: notes by number, each one's words by index. */
                assert_true(k > last_k || (k == last_k && w == last_w + 1));
                if (k > last_k) assert_int_equal(w, 0);
                last_k = k, last_w = w;
                seen[k]++;
                if (k == LONG)
                    highest_long = fmax(highest_long, ys[i]);
                else
                    other = fmax(other, ys[i]);
            }
            /* A note continued here comes before this page's own. */
            if (highest_long > 0 && first_page[LONG] < p) {
                continued++;
                if (other > 0) assert_true(highest_long > other);
            }
        }
        for (int k = 1; k <= NOTES; k++) {
            assert_int_equal(first_page[k], mark_page[k]);
            assert_int_equal(seen[k], k == LONG ? LONG_WORDS : WORDS);
        }
        recorder_free(r);
    }
    /* The sweep made the long note continue, or it tested nothing. */
    assert_true(continued > 0);
}

/* No page ends with a hyphen: swept over many page-break positions, the
 * last line above each page's foot never ends with the soft hyphen. */
static void no_page_ends_with_a_hyphen(void **state)
{
    fixture *f = *state;
    static const char *const text =
        "Recognizing the importance of interoperability, internationalization and "
        "standardization, the representatives reaffirmed their determination to strengthen "
        "comprehensive cooperation regarding telecommunications infrastructure, "
        "cybersecurity capacity-building, counterterrorism, intellectual-property protection "
        "and environmentally sustainable industrialization across multilateral institutions.";
    size_t hyphens = 0;
    for (int lead = 0; lead < 24; lead++) {
        ky_flow flow = {.lang = KY_EN};
        ky_block **tail = &flow.first;
        for (int i = 0; i < lead; i++) {
            *tail = paragraph(f, "Short.", NULL);
            tail = &(*tail)->next;
        }
        for (int i = 0; i < 16; i++) {
            *tail = paragraph(f, text, NULL);
            tail = &(*tail)->next;
        }
        ky_pages pages;
        recorder *r = recorder_new(&pages, f);
        assert_int_equal(lay_out(f, &flow, &pages), 0);
        for (size_t p = 0; p + 1 < r->count; p++) {
            const rec_page *page = &r->pages[p];
            const ky_frag *last = NULL;
            for (size_t i = 0; i < page->frag_count; i++) {
                const ky_frag *frag = &page->frags[i];
                if (frag->y <= f->tpl->footer_offset + 0.5) continue; /* the footer */
                if (strcmp(frag->text, "\xC2\xAD") == 0) hyphens++;
                if (!last || frag->y < last->y || (frag->y == last->y && frag->x > last->x))
                    last = frag;
            }
            assert_non_null(last);
            assert_string_not_equal(last->text, "\xC2\xAD");
        }
        recorder_free(r);
    }
    assert_true(hyphens > 0); /* the sweep does hyphenate */
}

/* Whether a line's last fragment ends with a hyphen: the soft hyphen that
 * hyphenation draws, or a compound's own ("capacity-" at a line end). */
static bool ends_with_hyphen(const ky_frag *frag)
{
    return strcmp(frag->text, "\xC2\xAD") == 0 || (frag->len && frag->text[frag->len - 1] == '-');
}

/* The same in the parallel layout, column by column: each row's English
 * column pages break by its own lines, beside Japanese of another length;
 * swept over the rows before it and the length of the paragraphs. */
static void no_column_ends_with_a_hyphen(void **state)
{
    fixture *f = *state;
    static const char *const words[] = {"Recognizing",
                                        "the",
                                        "importance",
                                        "of",
                                        "interoperability,",
                                        "internationalization",
                                        "and",
                                        "standardization,",
                                        "the",
                                        "representatives",
                                        "reaffirmed",
                                        "their",
                                        "determination",
                                        "to",
                                        "strengthen",
                                        "comprehensive",
                                        "cooperation",
                                        "regarding",
                                        "telecommunications",
                                        "infrastructure,",
                                        "cybersecurity",
                                        "capacity-building,",
                                        "counterterrorism,",
                                        "intellectual-property",
                                        "protection",
                                        "and",
                                        "environmentally",
                                        "sustainable",
                                        "industrialization",
                                        "across",
                                        "multilateral",
                                        "institutions."};
    enum { WORDS = sizeof words / sizeof *words };
    size_t hyphens = 0, pages_seen = 0;
    for (int lead = 0; lead < 12; lead++)
        for (int length = 12; length <= WORDS; length += 5) {
            char *text = ky_arena_printf(&f->arena, "%s", words[0]);
            for (int w = 1; w < length; w++)
                text = ky_arena_printf(&f->arena, "%s %s", text, words[w]);
            ky_flow en = {.lang = KY_EN}, ja = {.lang = KY_JA};
            ky_block **en_tail = &en.first, **ja_tail = &ja.first;
            for (int i = 0; i < lead + 12; i++) {
                *en_tail = paragraph(f, i < lead ? "Short." : text, NULL);
                en_tail = &(*en_tail)->next;
                *ja_tail = paragraph(f, i < lead ? "短い。" : "双方は協力を確認した。", NULL);
                ja_tail = &(*ja_tail)->next;
            }
            ky_pages pages;
            recorder *r = recorder_new(&pages, f);
            assert_int_equal(lay_out_parallel(f, &en, &ja, &pages), 0);
            double middle = f->tpl->page_width / 2;
            for (size_t p = 0; p + 1 < r->count; p++) {
                const rec_page *page = &r->pages[p];
                const ky_frag *last = NULL;
                for (size_t i = 0; i < page->frag_count; i++) {
                    const ky_frag *frag = &page->frags[i];
                    if (frag->y <= f->tpl->footer_offset + 0.5 || frag->x >= middle) continue;
                    if (ends_with_hyphen(frag)) hyphens++;
                    if (!last || frag->y < last->y || (frag->y == last->y && frag->x > last->x))
                        last = frag;
                }
                assert_non_null(last);
                if (ends_with_hyphen(last))
                    fail_msg("lead %d, %d words: page %zu ends with \"%s\"", lead, length, p + 1,
                             last->text);
                pages_seen++;
            }
            recorder_free(r);
        }
    assert_true(hyphens > 0 && pages_seen > 0); /* the sweep does hyphenate and paginate */
}

/* A template's ragged-under: English justified text on a measure under
 * that many ems is set flush left, its word spaces at their natural width
 * and its lines ending where they end; at or over it, justified to the
 * measure. Swept across the parallel column's width in ems. */
static void sets_narrow_english_ragged(void **state)
{
    fixture *f = *state;
    static const char *const text =
        "The delegations exchanged views on the cyber policy landscape, on cyber threats and "
        "their mitigation, and on mechanisms for bilateral cooperation between the Computer "
        "Emergency Response Teams of both countries, and agreed to meet again next year.";
    const ky_style *style = ky_template_style(f->tpl, KY_EN, KY_STYLE_BODY, true);
    double column =
        (f->tpl->page_width - f->tpl->margin_left - f->tpl->margin_right - f->tpl->gutter) / 2;
    double ems = column / style->size,
           space = ky_font_width(&f->fonts, KY_ROLE_BODY, style->size, " ", 1);
    double saved = f->tpl->ragged_under;
    for (double under = ems - 2; under <= ems + 2; under += 0.5) {
        f->tpl->ragged_under = under;
        bool ragged = column < under * style->size;
        ky_flow en = {.lang = KY_EN, .first = paragraph(f, text, NULL)};
        ky_flow ja = {.lang = KY_JA, .first = paragraph(f, "双方は協力を確認した。", NULL)};
        ky_pages pages;
        recorder *r = recorder_new(&pages, f);
        assert_int_equal(lay_out_parallel(f, &en, &ja, &pages), 0);
        const rec_page *page = &r->pages[0];
        double right = f->tpl->margin_left + column, middle = f->tpl->page_width / 2;
        double line_y[64], line_end[64];
        size_t lines = 0, short_lines = 0;
        const ky_frag *before = NULL;
        for (size_t i = 0; i < page->frag_count; i++) {
            const ky_frag *frag = &page->frags[i];
            if (frag->x >= middle || frag->y <= f->tpl->footer_offset + 0.5) continue;
            if (lines == 0 || frag->y != line_y[lines - 1]) {
                assert_true(lines < 64);
                line_y[lines] = frag->y;
                line_end[lines++] = 0;
                before = NULL;
            }
            /* Between two words on a ragged line: one space, as it is. */
            if (ragged && before && strcmp(frag->text, "\xC2\xAD") != 0) {
                double gap = frag->x - (before->x + frag_width(f, before));
                /* Within a word, a kerned pair's pieces ("T" "eams"); between
                 * words, the space and its pair's kerning at most. */
                if (gap > space / 2) assert_float_equal(gap, space, 0.3);
            }
            before = frag;
            line_end[lines - 1] = fmax(line_end[lines - 1], frag->x + frag_width(f, frag));
        }
        assert_true(lines >= 4);
        for (size_t i = 0; i + 1 < lines; i++) {
            assert_true(line_end[i] <= right + 0.5);
            if (!ragged) assert_float_equal(line_end[i], right, 0.5);
            short_lines += line_end[i] < right - 1;
        }
        if (ragged) assert_true(short_lines > 0);
        recorder_free(r);
    }
    f->tpl->ragged_under = saved;
}

/* ---- word spaces drawn as glyphs ---- */

/* What line n of set shows: its text from its first box to its last, the
 * spaces between included, and the space it breaks at, if it breaks at one
 * (a hyphenated line ends in its word's piece). In Japanese a space after
 * punctuation that carries its own space is not set, so not drawn. */
static size_t line_shows(const ky_set_text *set, size_t n, char *out, size_t size)
{
    const ky_item *items = set->items.items;
    uint32_t first = UINT32_MAX, end = 0;
    for (size_t i = set->lines[n].first; i < set->lines[n].end; i++)
        if (items[i].kind == KY_ITEM_BOX) {
            if (first == UINT32_MAX) first = items[i].start;
            end = items[i].start + items[i].len;
        }
    if (end < set->para.len && set->para.text[end] == ' ' && n + 1 < set->line_count) end++;
    size_t len = 0;
    for (uint32_t t = first; t < end && len + 1 < size; t++) {
        bool unset = set->para.text[t] == ' ' && t >= 3 && set->para.lang == KY_JA &&
                     (memcmp(set->para.text + t - 3, "、", 3) == 0 ||
                      memcmp(set->para.text + t - 3, "。", 3) == 0);
        if (!unset) out[len++] = set->para.text[t];
    }
    out[len] = '\0';
    return len;
}

/* A justified line's fragments carry its word spaces as U+0020, each at
 * the end of the word before it and in that word's face (the space after
 * an italic word is italic); the line's last fragment has none unless the
 * line breaks at a space, and then that space ends within the measure. The
 * words stay where justification puts them: the line still ends at the
 * measure. Spaces inside a <nobreak> are spaces too; U+00A0 is drawn as
 * itself. Swept over measures, in both languages. */
static void lines_carry_their_word_spaces(void **state)
{
    fixture *f = *state;
    ky_typesetter ts = {
        .tpl = f->tpl, .fonts = &f->fonts, .hyphenator = &f->hyphenator, .diags = &f->diags};
    ky_span en_tail = {.text = " on 14\u00a0August 2017, and agreed to intensify their "
                               "cooperation in cyberspace through the existing mechanisms."};
    ky_span en_kept = {.text = "Shri Narendra Modi", .style = KY_SPAN_NOBREAK, .next = &en_tail};
    ky_span en_middle = {.text = " exercise in the Bay of Bengal and the Arabian Sea, welcomed "
                                 "the participation of Prime Minister ",
                         .next = &en_kept};
    ky_span en_em = {.text = "Malabar", .style = KY_SPAN_EMPHASIS, .next = &en_middle};
    ky_span en = {.text = "The two sides noted with appreciation the annual ", .next = &en_em};
    ky_span ja = {.text = "両国は、 2017年8月に Quad Cyber 会合を開催し、サイバー空間における"
                          "協力を一層強化することで一致した。"};
    ky_span *texts[KY_LANG_COUNT] = {&en, &ja};
    for (ky_span *s = &en; s; s = s->next)
        s->len = strlen(s->text);
    ja.len = strlen(ja.text);
    ky_pages pages;
    ky_pages_init(&pages, (ky_page_sink){0}, &f->arena);
    const double left = 72;
    size_t spaced_italic = 0, line_end_spaces = 0, hyphenated = 0, nobreak_spaces = 0;
    for (int lang = 0; lang < KY_LANG_COUNT; lang++) {
        const ky_style *style = ky_template_style(f->tpl, (ky_lang)lang, KY_STYLE_BODY, false);
        assert_int_equal(style->align, KY_ALIGN_JUSTIFY);
        int roman = ky_font_pick(&f->fonts, KY_EN, KY_ROLE_BODY, 'M', &f->diags);
        int italic = ky_font_pick(&f->fonts, KY_EN, KY_ROLE_ITALIC, 'M', &f->diags);
        assert_int_not_equal(roman, italic);
        for (double width = 110; width < 470; width += 3.7) {
            ky_arena arena;
            ky_arena_init(&arena);
            ky_set_text set;
            assert_int_equal(
                ky_typeset(&ts, &arena, (ky_lang)lang, texts[lang], style, width, "t.xml", 1, &set),
                0);
            for (size_t n = 0; n < set.line_count; n++) {
                ky_page *page = ky_pages_overlay(&pages, f->tpl, 0, (ky_lang)lang);
                assert_non_null(page);
                assert_int_equal(ky_typeset_line(&ts, page, &set, n, left, 100), 0);
                char want[1024], got[1024];
                line_shows(&set, n, want, sizeof want);
                size_t len = 0;
                double end = 0;
                bool last_line = n + 1 == set.line_count;
                for (size_t i = 0; i < page->frag_count; i++) {
                    const ky_frag *frag = &page->frags[i];
                    bool hyphen = frag->len == 2 && memcmp(frag->text, "\xC2\xAD", 2) == 0;
                    hyphenated += hyphen;
                    /* Every glyph within the measure, the line's last space
                     * too (、 and 。 may hang past it). */
                    bool hangs =
                        i + 1 == page->frag_count && frag->len == 3 &&
                        (memcmp(frag->text, "、", 3) == 0 || memcmp(frag->text, "。", 3) == 0);
                    if (!hangs) assert_true(frag->x + frag_width(f, frag) <= left + width + 0.01);
                    /* Where its glyphs end, the space after them aside. */
                    ky_frag inked = *frag;
                    while (inked.len && inked.text[inked.len - 1] == ' ')
                        inked.len--;
                    if (inked.len) end = fmax(end, inked.x + frag_width(f, &inked));
                    if (hyphen) continue;
                    /* A space ends a fragment (only a line's last may
                     * stand alone), one at a time. */
                    const char *space = memchr(frag->text, ' ', frag->len);
                    assert_true(!space || space == frag->text + frag->len - 1);
                    if (frag->len == 1 && space) {
                        assert_true(i + 1 == page->frag_count);
                        line_end_spaces++;
                    }
                    if (space && frag->len > 1 && frag->face == italic &&
                        memcmp(frag->text, "Malabar ", 8) == 0)
                        spaced_italic++;
                    if (space && lang == KY_EN && strncmp(frag->text, "Narendra ", 9) == 0)
                        nobreak_spaces++;
                    assert_true(len + frag->len < sizeof got);
                    memcpy(got + len, frag->text, frag->len);
                    len += frag->len;
                }
                got[len] = '\0';
                /* The words and the spaces between them, in order, and the
                 * paragraph's last line ends with no space. */
                assert_string_equal(got, want);
                if (last_line) assert_true(len == 0 || got[len - 1] != ' ');
                /* Justified: the words still reach the measure (a line
                 * that has glue to stretch, not set ragged on a narrow
                 * measure). */
                bool stretches = false;
                for (size_t i = set.lines[n].first; i < set.lines[n].end; i++)
                    stretches = stretches || (set.items.items[i].kind == KY_ITEM_GLUE &&
                                              set.items.items[i].stretch > 0);
                if (!last_line && stretches && !set.ragged && set.lines[n].ratio >= 0)
                    assert_float_equal(end, left + width, lang == KY_JA ? 6 : 0.05);
                ky_page_free(page);
            }
            ky_arena_free(&arena);
        }
    }
    /* The sweep set what it is about. */
    assert_true(spaced_italic > 0);
    assert_true(line_end_spaces > 0);
    assert_true(hyphenated > 0);
    assert_true(nobreak_spaces > 0);
    ky_breakers_free(&ts.breakers);
}

/* A <br/> stands for a space in English (the text that is drawn reads on
 * into the next line: "Vision 2025: Special …") and for nothing in Japanese;
 * what all the lines draw is the text, its word spaces at line ends
 * included. Swept over measures. */
/* A word space after a superscript or subscript ("21<sup>st</sup>
 * century", "CO<sub>2</sub> emissions") is the text's: drawn at its size on
 * its baseline, not in the small raised or lowered run, which a reader
 * would take for a line of its own. */
static void a_space_after_a_script_is_the_texts(void **state)
{
    fixture *f = *state;
    ky_typesetter ts = {
        .tpl = f->tpl, .fonts = &f->fonts, .hyphenator = &f->hyphenator, .diags = &f->diags};
    const ky_style *style = ky_template_style(f->tpl, KY_EN, KY_STYLE_BODY, false);
    ky_pages pages;
    ky_pages_init(&pages, (ky_page_sink){0}, &f->arena);
    static const unsigned scripts[] = {KY_SPAN_SUPERSCRIPT, KY_SPAN_SUBSCRIPT};
    for (size_t k = 0; k < 2; k++) {
        ky_span after = {.text = " century and the 22nd.", .len = 22};
        ky_span script = {.text = "st", .len = 2, .style = scripts[k], .next = &after};
        ky_span before = {.text = "In the 21", .len = 9, .next = &script};
        for (double width = 200; width < 480; width += 13) {
            ky_arena arena;
            ky_arena_init(&arena);
            ky_set_text set;
            assert_int_equal(
                ky_typeset(&ts, &arena, KY_EN, &before, style, width, "t.xml", 1, &set), 0);
            assert_int_equal(set.line_count, 1);
            ky_page *page = ky_pages_overlay(&pages, f->tpl, 0, KY_EN);
            assert_int_equal(ky_typeset_line(&ts, page, &set, 0, 72, 100), 0);
            size_t spaces = 0;
            for (size_t i = 0; i < page->frag_count; i++) {
                const ky_frag *frag = &page->frags[i];
                size_t here = 0;
                for (size_t c = 0; c < frag->len; c++)
                    here += frag->text[c] == ' ';
                if (!here) continue;
                spaces += here;
                assert_float_equal(frag->size, style->size, 0.001);
                assert_float_equal(frag->y, page->frags[0].y, 0.001); /* "In the 21" */
            }
            assert_int_equal(spaces, 6); /* "In the 21st century and the 22nd." */
            ky_page_free(page);
            ky_arena_free(&arena);
        }
    }
}

static void br_reads_as_a_space_in_english(void **state)
{
    fixture *f = *state;
    ky_typesetter ts = {
        .tpl = f->tpl, .fonts = &f->fonts, .hyphenator = &f->hyphenator, .diags = &f->diags};
    static const char *const first[KY_LANG_COUNT] = {"Japan–India Vision 2025:",
                                                     "日印ヴィジョン2025"};
    static const char *const second[KY_LANG_COUNT] = {
        "Special Strategic and Global Partnership Working Together for Peace and Prosperity",
        "特別戦略的グローバル・パートナーシップ"};
    static const char *const whole[KY_LANG_COUNT] = {
        "Japan–India Vision 2025: Special Strategic and Global Partnership Working Together "
        "for Peace and Prosperity",
        "日印ヴィジョン2025特別戦略的グローバル・パートナーシップ"};
    ky_pages pages;
    ky_pages_init(&pages, (ky_page_sink){0}, &f->arena);
    for (int lang = 0; lang < KY_LANG_COUNT; lang++) {
        ky_span after = {.text = second[lang], .len = strlen(second[lang])};
        ky_span br = {.text = "", .style = KY_SPAN_BREAK, .next = &after};
        ky_span before = {.text = first[lang], .len = strlen(first[lang]), .next = &br};
        const ky_style *style = ky_template_style(f->tpl, (ky_lang)lang, KY_STYLE_BODY, false);
        for (double width = 150; width < 480; width += 6.5) {
            ky_arena arena;
            ky_arena_init(&arena);
            ky_set_text set;
            assert_int_equal(
                ky_typeset(&ts, &arena, (ky_lang)lang, &before, style, width, "t.xml", 1, &set), 0);
            char got[512];
            size_t len = 0;
            for (size_t n = 0; n < set.line_count; n++) {
                ky_page *page = ky_pages_overlay(&pages, f->tpl, 0, (ky_lang)lang);
                assert_int_equal(ky_typeset_line(&ts, page, &set, n, 72, 100), 0);
                for (size_t i = 0; i < page->frag_count; i++) {
                    const ky_frag *frag = &page->frags[i];
                    assert_true(frag->x + frag_width(f, frag) <= 72 + width + 0.01);
                    if (frag->len == 2 && memcmp(frag->text, "\xC2\xAD", 2) == 0) continue;
                    assert_true(len + frag->len < sizeof got);
                    memcpy(got + len, frag->text, frag->len);
                    len += frag->len;
                }
                ky_page_free(page);
            }
            got[len] = '\0';
            assert_string_equal(got, whole[lang]);
            ky_arena_free(&arena);
        }
    }
    ky_breakers_free(&ts.breakers);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(paginates_english),
        cmocka_unit_test(paginates_japanese),
        cmocka_unit_test(justifies_full_lines_to_the_measure),
        cmocka_unit_test(keeps_widows_orphans_and_headings),
        cmocka_unit_test(kerns_latin_pairs),
        cmocka_unit_test(flow_places_any_block_kind),
        cmocka_unit_test(box_fit_sweep),
        cmocka_unit_test(signatures_continue_by_rows),
        cmocka_unit_test(box_fit_asks_the_kind),
        cmocka_unit_test(no_page_ends_with_a_hyphen),
        cmocka_unit_test(no_column_ends_with_a_hyphen),
        cmocka_unit_test(sets_narrow_english_ragged),
        cmocka_unit_test(notes_at_the_foot_of_their_page),
        cmocka_unit_test(lines_carry_their_word_spaces),
        cmocka_unit_test(a_space_after_a_script_is_the_texts),
        cmocka_unit_test(br_reads_as_a_space_in_english),
    };
    return cmocka_run_group_tests_name("layout", tests, setup, teardown);
}
