#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "utf8.h"

typedef struct {
    ky_arena arena;
    ky_diags diags;
    ky_fontset fonts;
    ky_hyphenator hyphenator;
    ky_template *tpl;
} fixture;

static int setup(void **state)
{
    static fixture f;
    memset(&f, 0, sizeof f);
    ky_arena_init(&f.arena);
    ky_diags_init(&f.diags);
    ky_hyphenator_init(&f.hyphenator, ky_hyphen_default_path());
    ky_template_dirs dirs = {{KY_TEMPLATE_DIR}, 1};
    f.tpl = ky_template_load("joint-statement", &dirs, &f.arena, &f.diags, NULL, 0);
    if (!f.tpl || ky_fontset_load(&f.fonts, KY_FONTSET, &f.diags) != 0) {
        ky_diags_print(&f.diags, stderr);
        return -1;
    }
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ky_fontset_free(&f->fonts);
    ky_hyphenator_free(&f->hyphenator);
    ky_diags_free(&f->diags);
    ky_arena_free(&f->arena);
    return 0;
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
    ky_pages pages = {0};
    assert_int_equal(
        ky_layout_flow(&flow, f->tpl, &f->fonts, &f->hyphenator, &pages, &f->arena, &f->diags), 0);
    assert_true(pages.count >= 3);
    const ky_template *t = f->tpl;
    size_t rules_seen = 0;
    for (ky_page *page = pages.first; page; page = page->next) {
        assert_true(page->frag_count > 0);
        for (size_t i = 0; i < page->frag_count; i++) {
            const ky_frag *frag = &page->frags[i];
            assert_true(frag->x >= t->margin_left - 0.01);
            assert_true(frag->x + frag_width(f, frag) <= t->page_width - t->margin_right + 0.5);
            assert_true(frag->y >= t->footer_offset - 0.01);
            assert_true(frag->y <= t->page_height - t->margin_top);
        }
        if (page->next == NULL)
            assert_int_equal(page->rule_count, 2);
        else
            assert_int_equal(page->rule_count, 0);
        rules_seen += page->rule_count;
    }
    assert_int_equal(rules_seen, 2);
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
    ky_pages pages = {0};
    assert_int_equal(
        ky_layout_flow(&flow, f->tpl, &f->fonts, &f->hyphenator, &pages, &f->arena, &f->diags), 0);
    /* Group fragments into lines by baseline; every line but the last (and
     * the footer) ends at the right margin. */
    const ky_page *page = pages.first;
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
        ky_pages pages = {0};
        assert_int_equal(
            ky_layout_flow(&flow, f->tpl, &f->fonts, &f->hyphenator, &pages, &f->arena, &f->diags),
            0);
        for (ky_page *page = pages.first; page; page = page->next) {
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
            if (page != pages.first && first) assert_true(lines[(unsigned char)first] >= 2);
            if (page->next && last) assert_true(lines[(unsigned char)last] >= 2);
        }
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(paginates_english),
        cmocka_unit_test(paginates_japanese),
        cmocka_unit_test(justifies_full_lines_to_the_measure),
        cmocka_unit_test(keeps_widows_orphans_and_headings),
        cmocka_unit_test(kerns_latin_pairs),
    };
    return cmocka_run_group_tests_name("layout", tests, setup, teardown);
}
