/* The structure elements the layout records for a tagged PDF (pages.c):
 * Parts per language, heading levels that never skip, lists nested in
 * items, the Part's bound on children, and the inline elements a
 * paragraph's lines make as they are drawn (typeset.c): a link's text in
 * its Link, a note's mark a Reference paired with its Note, a <foreign>
 * phrase a Span in its language. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "fixture.h"
#include "merged.h"
#include "pages.h"
#include "typeset.h"

typedef struct {
    ky_arena arena;
    ky_pages pages;
} tree;

static int tree_setup(void **state)
{
    tree *f = calloc(1, sizeof *f);
    ky_arena_init(&f->arena);
    ky_pages_init(&f->pages, (ky_page_sink){0}, &f->arena);
    *state = f;
    return 0;
}

static int tree_teardown(void **state)
{
    tree *f = *state;
    ky_arena_free(&f->arena);
    free(f);
    return 0;
}

static const ky_struct_elem *elem(const ky_pages *pages, int sid)
{
    assert_true(sid >= 0 && (size_t)sid < pages->elem_count);
    return &pages->elems[sid];
}

/* Each language's blocks go to a Part of its own under the Document,
 * however the two interleave (the parallel layout). */
static void parts_per_language(void **state)
{
    ky_pages *pages = &((tree *)*state)->pages;
    int en1 = ky_pages_block(pages, KY_SE_P, KY_EN);
    int ja1 = ky_pages_block(pages, KY_SE_P, KY_JA);
    int en2 = ky_pages_block(pages, KY_SE_P, KY_EN);
    assert_int_equal(elem(pages, 0)->type, KY_SE_DOCUMENT);
    int en_part = elem(pages, en1)->parent, ja_part = elem(pages, ja1)->parent;
    assert_int_equal(elem(pages, en2)->parent, en_part);
    assert_int_not_equal(en_part, ja_part);
    assert_int_equal(elem(pages, en_part)->type, KY_SE_PART);
    assert_int_equal(elem(pages, en_part)->lang, KY_EN);
    assert_int_equal(elem(pages, ja_part)->lang, KY_JA);
    assert_int_equal(elem(pages, en_part)->parent, 0);
}

/* A heading more than one level below the last one is raised to the level
 * after it (PDF/UA: levels never skip); each language counts its own. */
static void headings_never_skip(void **state)
{
    ky_pages *pages = &((tree *)*state)->pages;
    struct {
        ky_se_type asked, got;
    } steps[] = {
        {KY_SE_H3, KY_SE_H1}, /* nothing before it: the first level */
        {KY_SE_H1, KY_SE_H1}, {KY_SE_H2, KY_SE_H2}, {KY_SE_H4, KY_SE_H3}, {KY_SE_H6, KY_SE_H4},
        {KY_SE_H2, KY_SE_H2}, {KY_SE_H3, KY_SE_H3}, {KY_SE_H1, KY_SE_H1}, {KY_SE_H5, KY_SE_H2},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        int sid = ky_pages_block(pages, steps[i].asked, KY_EN);
        if (elem(pages, sid)->type != steps[i].got)
            fail_msg("step %zu: H%d became H%d, not H%d", i, steps[i].asked - KY_SE_H1 + 1,
                     elem(pages, sid)->type - KY_SE_H1 + 1, steps[i].got - KY_SE_H1 + 1);
    }
    /* The other language starts afresh. */
    assert_int_equal(elem(pages, ky_pages_block(pages, KY_SE_H2, KY_JA))->type, KY_SE_H1);
}

/* Items of one depth share an L; a deeper item opens an L inside the last
 * item above it; a shallower one goes back to its own; any other block
 * ends the lists. Swept over depths 0..9 (deeper than the stack). */
static void lists_nest_in_items(void **state)
{
    ky_pages *pages = &((tree *)*state)->pages;
    int a = ky_pages_list_item(pages, KY_EN, 0);
    int b = ky_pages_list_item(pages, KY_EN, 0);
    int list = elem(pages, a)->parent;
    assert_int_equal(elem(pages, a)->type, KY_SE_LI);
    assert_int_equal(elem(pages, list)->type, KY_SE_L);
    assert_int_equal(elem(pages, b)->parent, list);
    assert_int_equal(elem(pages, elem(pages, list)->parent)->type, KY_SE_PART);
    int inner = ky_pages_list_item(pages, KY_EN, 1);
    int inner_list = elem(pages, inner)->parent;
    assert_int_equal(elem(pages, inner_list)->parent, b);
    int c = ky_pages_list_item(pages, KY_EN, 0);
    assert_int_equal(elem(pages, c)->parent, list);
    ky_pages_block(pages, KY_SE_P, KY_EN);
    int d = ky_pages_list_item(pages, KY_EN, 0);
    assert_int_not_equal(elem(pages, d)->parent, list);
    int last = d;
    for (int depth = 1; depth < 10; depth++) {
        int item = ky_pages_list_item(pages, KY_EN, depth);
        assert_true(item >= 0);
        int up = elem(pages, elem(pages, item)->parent)->parent;
        assert_int_equal(elem(pages, up)->type, KY_SE_LI);
        if (depth < 8) assert_int_equal(up, last);
        last = item;
    }
}

/* A Part holds at most KY_PART_MAX_KIDS children: then another Part of
 * that language begins. */
static void parts_hold_a_bounded_number(void **state)
{
    ky_pages *pages = &((tree *)*state)->pages;
    int first = -1, parts = 0, part = -1;
    for (int i = 0; i < 2 * KY_PART_MAX_KIDS + 1; i++) {
        int sid = ky_pages_block(pages, KY_SE_P, KY_JA);
        assert_true(sid > 0);
        if (elem(pages, sid)->parent != part) {
            part = elem(pages, sid)->parent;
            parts++;
            if (first < 0) first = part;
            assert_int_equal(i, (parts - 1) * KY_PART_MAX_KIDS);
        }
    }
    assert_int_equal(parts, 3);
    assert_int_equal(elem(pages, part)->lang, KY_JA);
}

/* Inline elements stand in the element they are made in, in their own
 * language (a Span) or their parent's; each note's Reference and Note are
 * paired by the note, and the Notes of each language numbered 1, 2, …
 * (their /IDs), swept over note counts. */
static void inline_elements_pair_notes(void **state)
{
    ky_pages *pages = &((tree *)*state)->pages;
    int p = ky_pages_block(pages, KY_SE_P, KY_JA);
    int span = ky_pages_inline(pages, KY_SE_SPAN, KY_EN, p, NULL);
    int link = ky_pages_inline(pages, KY_SE_LINK, -1, span, NULL);
    assert_int_equal(elem(pages, span)->parent, p);
    assert_int_equal(elem(pages, span)->lang, KY_EN);
    assert_int_equal(elem(pages, link)->parent, span);
    assert_int_equal(elem(pages, link)->lang, KY_EN);
    assert_string_equal(ky_se_name(KY_SE_REFERENCE), "Reference");
    assert_string_equal(ky_se_name(KY_SE_LINK), "Link");
    assert_string_equal(ky_se_name(KY_SE_SPAN), "Span");
    assert_int_equal(ky_pages_inline(pages, KY_SE_SPAN, -1, -1, NULL), -1);
    static const int counts[] = {1, 2, 3, 17, 300};
    static char keys[KY_LANG_COUNT][300];
    size_t before = 0;
    for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
        int first[KY_LANG_COUNT] = {pages->note_numbers[KY_EN], pages->note_numbers[KY_JA]};
        for (int i = 0; i < counts[c]; i++)
            for (int lang = 0; lang < KY_LANG_COUNT; lang++) {
                int block = ky_pages_block(pages, KY_SE_P, (ky_lang)lang);
                int ref = ky_pages_inline(pages, KY_SE_REFERENCE, -1, block, &keys[lang][i]);
                assert_int_equal(elem(pages, ref)->type, KY_SE_REFERENCE);
                assert_int_equal(elem(pages, ref)->lang, lang);
                int note = ky_pages_note(pages, (ky_lang)lang, block, &keys[lang][i]);
                assert_int_equal(elem(pages, note)->type, KY_SE_NOTE);
                assert_int_equal(elem(pages, note)->parent, block);
            }
        assert_int_equal(pages->note_count, before + 2 * (size_t)counts[c]);
        for (size_t k = before; k < pages->note_count; k++) {
            const struct ky_note_tag *tag = &pages->notes[k];
            int lang = tag->lang, i = (int)((const char *)tag->key - keys[lang]);
            assert_true(i >= 0 && i < counts[c]);
            assert_int_equal(elem(pages, tag->reference)->type, KY_SE_REFERENCE);
            assert_int_equal(elem(pages, tag->note)->type, KY_SE_NOTE);
            assert_int_equal(elem(pages, tag->reference)->parent, elem(pages, tag->note)->parent);
            assert_int_equal(tag->number, first[lang] + i + 1);
        }
        before = pages->note_count;
    }
}

/* The text each element holds on page (fragments in drawing order, soft
 * hyphens left out), as one string per element. */
static void text_of(const ky_page *page, int sid, char *out, size_t size)
{
    size_t len = 0;
    for (size_t i = 0; i < page->frag_count; i++) {
        const ky_frag *frag = &page->frags[i];
        if (frag->sid != sid || (frag->len == 2 && memcmp(frag->text, "\xC2\xAD", 2) == 0))
            continue;
        assert_true(len + frag->len < size);
        memcpy(out + len, frag->text, frag->len);
        len += frag->len;
    }
    out[len] = '\0';
}

static void strip_spaces(const char *in, char *out)
{
    for (; *in; in++)
        if (*in != ' ') *out++ = *in;
    *out = '\0';
}

/* Drawn line by line at every measure from 60 to 400 points, a
 * paragraph's link text is in one Link element (however many lines it
 * takes, and not the full stop after a bare address, which is in the same
 * word), each of the link's areas belongs to that Link and says its text,
 * the <foreign> phrase is one Span in its language, the note's mark a
 * Reference holding a Link (with one area, to the note), and the rest is
 * the paragraph's. */
static void lines_tag_inline_text(void **state)
{
    fixture *f = *state;
    ky_typesetter ts = {
        .tpl = f->tpl, .fonts = &f->fonts, .hyphenator = &f->hyphenator, .diags = &f->diags};
    static ky_note note = {.number = 1};
    struct {
        ky_lang lang;
        const char *parts[6]; /* before, link, between, foreign, mark, after */
        const char *link_text;
    } cases[] = {
        {KY_JA,
         {"文書の本文は", "外務省ホームページ", "に掲載されている。「メイク・イン・インディア」（",
          "Make in India", "注1", "）の下での技能開発及び製造業について、両首脳は協力を確認した。"},
         "外務省ホームページ"},
        {KY_EN,
         {"Their texts are published by the Ministry of External Affairs at ",
          "https://www.mea.gov.in/bilateral-documents.htm", ". The Japanese expression ", "Nihon",
          "1", " names the country in its own language, as the parties recalled."},
         "https://www.mea.gov.in/bilateral-documents.htm"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        ky_span spans[6] = {{0}};
        for (int k = 0; k < 6; k++) {
            spans[k].text = cases[c].parts[k];
            spans[k].len = strlen(cases[c].parts[k]);
            spans[k].next = k < 5 ? &spans[k + 1] : NULL;
        }
        spans[1].style = KY_SPAN_LINK, spans[1].href = cases[c].link_text;
        spans[3].style = KY_SPAN_FOREIGN, spans[3].lang = cases[c].lang == KY_JA ? KY_EN : KY_JA;
        spans[4].style = KY_SPAN_NOTE | KY_SPAN_SUPERSCRIPT, spans[4].note = &note;
        const ky_style *style = ky_template_style(f->tpl, cases[c].lang, KY_STYLE_BODY, false);
        for (double width = 60; width <= 400; width += 7) {
            ky_arena arena;
            ky_arena_init(&arena);
            ky_pages pages;
            ky_pages_init(&pages, (ky_page_sink){0}, &arena);
            ky_set_text set;
            assert_int_equal(
                ky_typeset(&ts, &arena, cases[c].lang, spans, style, width, "t.xml", 1, &set), 0);
            ky_page *page = ky_pages_start(&pages, f->tpl, cases[c].lang, &f->diags);
            assert_non_null(page);
            int p = ky_pages_block(&pages, KY_SE_P, cases[c].lang);
            for (size_t n = 0; n < set.line_count; n++) {
                page->current_sid = p;
                assert_int_equal(ky_typeset_line(&ts, page, &set, n, 50, 50 + 12.0 * (double)n), 0);
                assert_int_equal(page->current_sid, p);
            }
            int link = -1, span = -1, ref = -1, mark = -1;
            for (size_t e = 0; e < pages.elem_count; e++) {
                /* The mark's Link is the one in the Reference. */
                bool in_ref = ref >= 0 && pages.elems[e].parent == ref;
                int *which = pages.elems[e].type == KY_SE_LINK        ? in_ref ? &mark : &link
                             : pages.elems[e].type == KY_SE_SPAN      ? &span
                             : pages.elems[e].type == KY_SE_REFERENCE ? &ref
                                                                      : NULL;
                if (!which) continue;
                if (*which >= 0)
                    fail_msg("width %g: two %s elements", width, ky_se_name(pages.elems[e].type));
                *which = (int)e;
                assert_int_equal(pages.elems[e].parent, which == &mark ? ref : p);
            }
            assert_true(link > 0 && span > 0 && ref > 0 && mark > 0);
            assert_int_equal(pages.elems[span].lang, spans[3].lang);
            assert_int_equal(pages.elems[link].lang, cases[c].lang);
            char got[1024], want[1024];
            text_of(page, link, got, sizeof got);
            strip_spaces(cases[c].link_text, want);
            if (strcmp(got, want) != 0) fail_msg("width %g: the Link holds '%s'", width, got);
            /* Word spaces are drawn: each in the element that holds the
             * words on both sides of it. */
            text_of(page, span, got, sizeof got);
            assert_string_equal(got, cases[c].parts[3]);
            text_of(page, ref, got, sizeof got);
            assert_string_equal(got, "");
            text_of(page, mark, got, sizeof got);
            assert_string_equal(got, cases[c].parts[4]);
            text_of(page, p, got, sizeof got);
            char rest[1024];
            snprintf(rest, sizeof rest, "%s%s%s", cases[c].parts[0], cases[c].parts[2],
                     cases[c].parts[5]);
            if (strcmp(got, rest) != 0) fail_msg("width %g: the P holds '%s'", width, got);
            /* The link's areas, and one over the mark, to its note. */
            size_t to_note = 0;
            assert_true(page->link_count >= 2);
            for (size_t k = 0; k < page->link_count; k++) {
                const ky_link *l = &page->links[k];
                assert_int_equal(l->sid, l->uri ? link : mark);
                assert_string_equal(l->text, l->uri ? cases[c].link_text : cases[c].parts[4]);
                assert_true(l->x1 < l->x2 && l->y1 < l->y2);
                to_note += !l->uri;
            }
            assert_int_equal(to_note, 1);
            ky_pages_discard(&pages);
            ky_arena_free(&arena);
        }
    }
    ky_breakers_free(&ts.breakers);
}

/* <foreign lang> marks its text, through other inline markup inside and
 * around it, with its language, past merge (parties, smart quotes); the
 * text around it is no part of it. */
static void foreign_marks_its_spans(void **state)
{
    merged m;
    merged_init(&m);
    merge_body(&m, "joint-statement",
               "<p><en>The <foreign lang=\"ja\">Nihon <em>Shoki</em></foreign> says \"so\".</en>"
               "<ja>「<strong><foreign lang=\"en\">Make in <link href=\"https://x.example/\">India"
               "</link> <party ref=\"jp\"/></foreign></strong>」の下で</ja></p>");
    const ky_span *en = body_spans(&m, KY_EN), *ja = body_spans(&m, KY_JA);
    assert_int_equal(span_with(en, " Nihon")->style, KY_SPAN_FOREIGN);
    assert_int_equal(span_with(en, " Nihon")->lang, KY_JA);
    assert_int_equal(span_with(en, " Shoki")->style, KY_SPAN_FOREIGN | KY_SPAN_EMPHASIS);
    assert_int_equal(span_with(en, " Shoki")->lang, KY_JA);
    assert_int_equal(span_with(en, "The")->style & KY_SPAN_FOREIGN, 0);
    const ky_span *india = span_with(ja, " India");
    assert_int_equal(india->style, KY_SPAN_FOREIGN | KY_SPAN_STRONG | KY_SPAN_LINK);
    assert_int_equal(india->lang, KY_EN);
    assert_int_equal(span_with(ja, "Make in")->lang, KY_EN);
    /* The party's name, filled in by merge, is the phrase's too. */
    const ky_span *party = span_with(ja, "日本");
    assert_true(party->style & KY_SPAN_FOREIGN);
    assert_int_equal(party->lang, KY_EN);
    assert_int_equal(span_with(ja, "」の下で")->style & KY_SPAN_FOREIGN, 0);
    /* Drawn, the phrase is one Span (the space before the party's name
     * too), the link a Link inside it. */
    fixture *f = *state;
    ky_typesetter ts = {.tpl = f->tpl, .fonts = &f->fonts, .diags = &f->diags};
    ky_pages pages;
    ky_pages_init(&pages, (ky_page_sink){0}, &m.arena);
    ky_set_text set;
    const ky_style *style = ky_template_style(f->tpl, KY_JA, KY_STYLE_BODY, false);
    assert_int_equal(ky_typeset(&ts, &m.arena, KY_JA, ja, style, 400, "t.xml", 1, &set), 0);
    ky_page *page = ky_pages_start(&pages, f->tpl, KY_JA, &f->diags);
    assert_non_null(page);
    int p = ky_pages_block(&pages, KY_SE_P, KY_JA);
    page->current_sid = p;
    for (size_t n = 0; n < set.line_count; n++)
        assert_int_equal(ky_typeset_line(&ts, page, &set, n, 50, 50 + 12.0 * (double)n), 0);
    int spans = 0, span = -1, link = -1;
    for (size_t e = 0; e < pages.elem_count; e++) {
        if (pages.elems[e].type == KY_SE_SPAN) spans++, span = (int)e;
        if (pages.elems[e].type == KY_SE_LINK) link = (int)e;
    }
    assert_int_equal(spans, 1);
    assert_int_equal(pages.elems[span].lang, KY_EN);
    assert_int_equal(pages.elems[span].parent, p);
    assert_int_equal(pages.elems[link].parent, span);
    char got[256];
    /* Its own text: the Link's "India" stands between its two spaces. */
    text_of(page, span, got, sizeof got);
    assert_string_equal(got, "Make in  日本");
    text_of(page, link, got, sizeof got);
    assert_string_equal(got, "India");
    ky_pages_discard(&pages);
    ky_breakers_free(&ts.breakers);
    merged_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(parts_per_language, tree_setup, tree_teardown),
        cmocka_unit_test_setup_teardown(headings_never_skip, tree_setup, tree_teardown),
        cmocka_unit_test_setup_teardown(lists_nest_in_items, tree_setup, tree_teardown),
        cmocka_unit_test_setup_teardown(parts_hold_a_bounded_number, tree_setup, tree_teardown),
        cmocka_unit_test_setup_teardown(inline_elements_pair_notes, tree_setup, tree_teardown),
        cmocka_unit_test(lines_tag_inline_text),
        cmocka_unit_test(foreign_marks_its_spans),
    };
    return cmocka_run_group_tests_name("structure", tests, setup, teardown);
}
