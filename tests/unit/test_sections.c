/* Sections inside sections and the preamble, through draft.c and merge.c:
 * each level's heading number and style in both languages, paragraph
 * numbers through the statement or afresh in every section, unnumbered
 * recitals, and the errors for a preamble out of place and sections nested
 * too deep. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "counter.h"
#include "merged.h"

/* The first block after the title, subtitle and date line. */
static const ky_block *body_of(const merged *m, ky_lang lang)
{
    const ky_block *block = m->flow[lang]->first;
    while (block && block->style == KY_STYLE_TITLE)
        block = block->next;
    return block;
}

static void append(char **body, size_t *at, size_t *size, const char *format, int a, int b, int c)
{
    int written;
    while ((written = snprintf(*body + *at, *size - *at, format, a, b, c)) >= 0 &&
           (size_t)written >= *size - *at) {
        *size *= 2;
        *body = realloc(*body, *size);
        assert_non_null(*body);
    }
    *at += (size_t)written;
}

/* tops top sections, each with subs sections in it, each with subs2 in
 * it; every section has a heading and one paragraph. */
static char *nested_body(int tops, int subs, int subs2)
{
    size_t size = 4096, at = 0;
    char *body = malloc(size);
    assert_non_null(body);
    body[0] = '\0';
    for (int i = 1; i <= tops; i++) {
        append(&body, &at, &size,
               "<section><heading><en>H%d</en><ja>見%d</ja></heading>"
               "<p><en>P%d</en><ja>段</ja></p>",
               i, i, i);
        for (int j = 1; j <= subs; j++) {
            append(&body, &at, &size,
                   "<section><heading><en>H%d.%d</en><ja>見%d</ja></heading>"
                   "<p><en>P</en><ja>段</ja></p>",
                   i, j, j);
            for (int k = 1; k <= subs2; k++)
                append(&body, &at, &size,
                       "<section><heading><en>H%d.%d.%d</en><ja>見</ja></heading>"
                       "<p><en>P</en><ja>段</ja></p></section>",
                       i, j, k);
            append(&body, &at, &size, "</section>", 0, 0, 0);
        }
        append(&body, &at, &size, "</section>\n", 0, 0, 0);
    }
    return body;
}

/* The shipped joint statement: top headings unnumbered, the second level
 * "1." / 「1」, the third "(1)" / 「（1）」, each counting afresh under its
 * parent; their styles by level; paragraph numbers run through. Swept over
 * section counts. */
static void joint_statement_numbers_each_level(void **state)
{
    (void)state;
    static const int counts[][3] = {{1, 1, 1}, {1, 0, 0}, {2, 3, 0}, {3, 2, 4}, {2, 1, 12}};
    for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
        int tops = counts[c][0], subs = counts[c][1], subs2 = counts[c][2];
        merged m;
        merged_init(&m);
        char *body = nested_body(tops, subs, subs2);
        merge_body(&m, "joint-statement", body);
        free(body);
        for (int lang = 0; lang < KY_LANG_COUNT; lang++) {
            const ky_block *block = body_of(&m, (ky_lang)lang);
            int paragraph = 0;
            char want[64];
            for (int i = 1; i <= tops; i++) {
                assert_int_equal(block->heading, 1);
                assert_int_equal(block->style, KY_STYLE_HEADING);
                assert_null(block->label);
                assert_true(block->keep_with_next);
                block = block->next;
                snprintf(want, sizeof want, lang == KY_EN ? "%d." : "%d．", ++paragraph);
                assert_string_equal(block->label, want);
                block = block->next;
                for (int j = 1; j <= subs; j++) {
                    assert_int_equal(block->heading, 2);
                    assert_int_equal(block->style, KY_STYLE_HEADING_2);
                    snprintf(want, sizeof want, lang == KY_EN ? "%d." : "%d", j);
                    assert_string_equal(block->label, want);
                    assert_true(block->keep_with_next);
                    block = block->next;
                    snprintf(want, sizeof want, lang == KY_EN ? "%d." : "%d．", ++paragraph);
                    assert_string_equal(block->label, want);
                    block = block->next;
                    for (int k = 1; k <= subs2; k++) {
                        assert_int_equal(block->heading, 3);
                        assert_int_equal(block->style, KY_STYLE_HEADING_3);
                        snprintf(want, sizeof want, lang == KY_EN ? "(%d)" : "（%d）", k);
                        assert_string_equal(block->label, want);
                        block = block->next->next;
                        ++paragraph;
                    }
                }
            }
            assert_null(block);
        }
        merged_free(&m);
    }
}

static const char numbered_template[] =
    "<?xml version=\"1.0\"?>\n<template name=\"numbered\" extends=\"joint-statement\">"
    "<numbering paragraphs=\"per-section\"/>"
    "<language code=\"en\"><text name=\"section-number\">{roman}.</text>"
    "<text name=\"section-number-2\">{A}.</text>"
    "<text name=\"section-number-3\">({a})</text></language>"
    "<language code=\"ja\"><text name=\"section-number\">第{n}</text>"
    "<text name=\"section-number-2\">{kana}</text>"
    "<text name=\"section-number-3\">{circled}</text></language></template>\n";

/* A template that numbers every level in other numerals, and numbers
 * paragraphs afresh in each section (the innermost one, at any level). */
static void template_numerals_and_restart(void **state)
{
    (void)state;
    merged m;
    merged_init(&m);
    write_template(&m, "numbered", numbered_template);
    char *body = nested_body(2, 28, 3);
    merge_body(&m, "numbered", body);
    free(body);
    char numeral[64];
    for (int lang = 0; lang < KY_LANG_COUNT; lang++) {
        const ky_block *block = body_of(&m, (ky_lang)lang);
        char want[96];
        for (int i = 1; i <= 2; i++) {
            if (lang == KY_EN)
                snprintf(want, sizeof want, "%s.",
                         ky_counter_format(KY_COUNTER_ROMAN, i, numeral, sizeof numeral));
            else
                snprintf(want, sizeof want, "第%d", i);
            assert_string_equal(block->label, want);
            block = block->next;
            /* Every section's paragraphs start again at 1. */
            assert_string_equal(block->label, lang == KY_EN ? "1." : "1．");
            block = block->next;
            for (int j = 1; j <= 28; j++) {
                ky_counter counter = lang == KY_EN ? KY_COUNTER_UPPER : KY_COUNTER_KANA;
                snprintf(want, sizeof want, lang == KY_EN ? "%s." : "%s",
                         ky_counter_format(counter, j, numeral, sizeof numeral));
                assert_string_equal(block->label, want);
                block = block->next;
                assert_string_equal(block->label, lang == KY_EN ? "1." : "1．");
                block = block->next;
                for (int k = 1; k <= 3; k++) {
                    counter = lang == KY_EN ? KY_COUNTER_ALPHA : KY_COUNTER_CIRCLED;
                    snprintf(want, sizeof want, lang == KY_EN ? "(%s)" : "%s",
                             ky_counter_format(counter, k, numeral, sizeof numeral));
                    assert_string_equal(block->label, want);
                    block = block->next;
                    assert_string_equal(block->label, lang == KY_EN ? "1." : "1．");
                    block = block->next;
                }
            }
        }
        assert_null(block);
    }
    merged_free(&m);
}

/* Paragraphs of one section, n of them, then a subsection with two: with
 * restart, the subsection counts from 1 and paragraphs outside any
 * section keep the statement's count; through, one count for all. */
static void paragraphs_through_or_per_section(void **state)
{
    (void)state;
    for (int restart = 0; restart < 2; restart++)
        for (int n = 1; n <= 12; n += 11) {
            merged m;
            merged_init(&m);
            write_template(&m, "through",
                           restart ? "<template name=\"through\" extends=\"joint-statement\">"
                                     "<numbering paragraphs=\"per-section\"/></template>\n"
                                   : "<template name=\"through\" extends=\"memorandum-of-"
                                     "cooperation\"><numbering paragraphs=\"through\"/>"
                                     "</template>\n");
            size_t size = 64, at = 0;
            char *body = malloc(size);
            append(&body, &at, &size, "<p><en>A</en><ja>甲</ja></p><section>", 0, 0, 0);
            for (int i = 0; i < n; i++)
                append(&body, &at, &size, "<p><en>P%d</en><ja>段%d</ja></p>", i, i, 0);
            append(&body, &at, &size,
                   "<section><p><en>Q</en><ja>乙</ja></p><p><en>R</en><ja>丙</ja></p>"
                   "</section></section><section><p><en>S</en><ja>丁</ja></p></section>",
                   0, 0, 0);
            merge_body(&m, "through", body);
            free(body);
            for (int lang = 0; lang < KY_LANG_COUNT; lang++) {
                /* The memorandum writes paragraph numbers (1) / （1）. */
                const char *format = restart ? (lang == KY_EN ? "%d." : "%d．")
                                             : (lang == KY_EN ? "(%d)" : "（%d）");
                int expect[64], count = 0;
                expect[count++] = 1;
                for (int i = 1; i <= n; i++)
                    expect[count++] = restart ? i : 1 + i;
                expect[count++] = restart ? 1 : n + 2;
                expect[count++] = restart ? 2 : n + 3;
                expect[count++] = restart ? 1 : n + 4;
                const ky_block *block = body_of(&m, (ky_lang)lang);
                for (int i = 0; i < count; i++, block = block->next) {
                    char want[32];
                    snprintf(want, sizeof want, format, expect[i]);
                    assert_non_null(block);
                    assert_string_equal(block->label, want);
                }
                assert_null(block);
            }
            merged_free(&m);
        }
}

/* Without <numbering>, what templates did before it: the memorandum
 * (which numbers sections) counts each section's paragraphs afresh, the
 * joint statement through. */
static void default_numbering_follows_section_numbers(void **state)
{
    (void)state;
    static const char body[] = "<section><p><en>A</en><ja>甲</ja></p><p><en>B</en><ja>乙</ja></p>"
                               "</section><section><p><en>C</en><ja>丙</ja></p></section>";
    merged m;
    merged_init(&m);
    merge_body(&m, "memorandum-of-cooperation", body);
    const char *const memorandum[] = {"(1)", "(2)", "(1)"};
    const ky_block *block = body_of(&m, KY_EN);
    for (int i = 0; i < 3; i++, block = block->next)
        assert_string_equal(block->label, memorandum[i]);
    merged_free(&m);
    merged_init(&m);
    merge_body(&m, "joint-statement", body);
    const char *const statement[] = {"1.", "2.", "3."};
    block = body_of(&m, KY_EN);
    for (int i = 0; i < 3; i++, block = block->next)
        assert_string_equal(block->label, statement[i]);
    merged_free(&m);
}

/* Recitals: preamble style, no number, text after a recital's list too;
 * the first paragraph after them is 1. Swept over the recitals' count. */
static void preamble_recitals_are_unnumbered(void **state)
{
    (void)state;
    for (int n = 1; n <= 30; n += 29) {
        merged m;
        merged_init(&m);
        size_t size = 64, at = 0;
        char *body = malloc(size);
        append(&body, &at, &size, "<preamble>", 0, 0, 0);
        for (int i = 0; i < n; i++)
            append(&body, &at, &size, "<p><en>Recognizing %d;</en><ja>認識%dし、</ja></p>", i, i,
                   0);
        append(&body, &at, &size,
               "<p><en>Noting:</en><ja>留意し、</ja><list><item><en>x</en><ja>エ</ja></item>"
               "</list><en>and</en><ja>及び</ja></p></preamble>"
               "<section><heading><en>H</en><ja>見</ja></heading>"
               "<p><en>First</en><ja>第一</ja></p></section>",
               0, 0, 0);
        merge_body(&m, "joint-statement", body);
        free(body);
        for (int lang = 0; lang < KY_LANG_COUNT; lang++) {
            const ky_block *block = body_of(&m, (ky_lang)lang);
            for (int i = 0; i < n; i++, block = block->next) {
                assert_int_equal(block->style, KY_STYLE_PREAMBLE);
                assert_null(block->label);
                assert_false(block->hang);
            }
            assert_int_equal(block->style, KY_STYLE_PREAMBLE); /* Noting: */
            assert_null(block->label);
            block = block->next;
            assert_int_equal(block->style, KY_STYLE_LIST);
            assert_true(block->list_item);
            block = block->next;
            assert_int_equal(block->style, KY_STYLE_PREAMBLE); /* and */
            assert_null(block->label);
            assert_false(block->hang);
            block = block->next;
            assert_int_equal(block->heading, 1);
            block = block->next;
            assert_string_equal(block->label, lang == KY_EN ? "1." : "1．");
            assert_null(block->next);
        }
        merged_free(&m);
    }
}

/* Each level's optional style falls back: heading-3 to heading-2 to
 * heading, preamble to body; a level's own style is its own. */
static void heading_styles_fall_back(void **state)
{
    (void)state;
    ky_template tpl;
    memset(&tpl, 0, sizeof tpl);
    for (int id = 0; id < KY_STYLE_REQUIRED; id++)
        tpl.style[KY_JA][id] = (ky_style){.defined = true, .size = 10 + id};
    const ky_style *heading = &tpl.style[KY_JA][KY_STYLE_HEADING];
    assert_ptr_equal(ky_template_style(&tpl, KY_JA, KY_STYLE_HEADING_3, false), heading);
    assert_ptr_equal(ky_template_style(&tpl, KY_JA, KY_STYLE_HEADING_2, false), heading);
    assert_ptr_equal(ky_template_style(&tpl, KY_JA, KY_STYLE_PREAMBLE, false),
                     &tpl.style[KY_JA][KY_STYLE_BODY]);
    tpl.style[KY_JA][KY_STYLE_HEADING_2] = (ky_style){.defined = true, .size = 9};
    assert_ptr_equal(ky_template_style(&tpl, KY_JA, KY_STYLE_HEADING_3, false),
                     &tpl.style[KY_JA][KY_STYLE_HEADING_2]);
    tpl.style[KY_JA][KY_STYLE_HEADING_3] = (ky_style){.defined = true, .size = 8};
    assert_ptr_equal(ky_template_style(&tpl, KY_JA, KY_STYLE_HEADING_3, false),
                     &tpl.style[KY_JA][KY_STYLE_HEADING_3]);
    /* A parallel override of the level a style falls back to applies. */
    tpl.parallel_style[KY_JA][KY_STYLE_BODY] = (ky_style){.defined = true, .size = 7};
    assert_ptr_equal(ky_template_style(&tpl, KY_JA, KY_STYLE_PREAMBLE, true),
                     &tpl.parallel_style[KY_JA][KY_STYLE_BODY]);
    assert_int_equal(ky_heading_style(1), KY_STYLE_HEADING);
    assert_int_equal(ky_heading_style(2), KY_STYLE_HEADING_2);
    assert_int_equal(ky_heading_style(3), KY_STYLE_HEADING_3);
}

/* The errors, each once, at the element's line. */
static void misplaced_preamble_and_deep_sections(void **state)
{
    (void)state;
    static const struct {
        const char *body, *message;
        int line;
    } cases[] = {
        {"<p><en>A</en><ja>甲</ja></p>\n<preamble><p><en>R</en><ja>認</ja></p></preamble>",
         "<preamble> must come before the first paragraph, list or section", 4},
        {"<section><p><en>A</en><ja>甲</ja></p></section>\n"
         "<preamble><p><en>R</en><ja>認</ja></p></preamble>",
         "<preamble> must come before the first paragraph, list or section", 4},
        {"<preamble><p><en>R</en><ja>認</ja></p></preamble>\n"
         "<preamble><p><en>R</en><ja>認</ja></p></preamble><p><en>A</en><ja>甲</ja></p>",
         "a statement has one <preamble>", 4},
        {"<section><section><section>\n<section><p><en>A</en><ja>甲</ja></p></section>"
         "</section></section></section>",
         "sections nest more than 3 deep", 4},
        {"<section><section><section>\n<section><section><p><en>A</en><ja>甲</ja></p></section>"
         "</section></section></section></section>",
         "sections nest more than 3 deep", 4},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        merged m;
        merged_init(&m);
        assert_null(load_body(&m, cases[i].body));
        assert_int_equal(m.diags.errors, 1);
        assert_string_equal(m.diags.first->message, cases[i].message);
        assert_int_equal(m.diags.first->line, cases[i].line);
        merged_free(&m);
    }
    /* Three levels are fine. */
    merged m;
    merged_init(&m);
    assert_non_null(load_body(&m, "<section><section><section><p><en>A</en><ja>甲</ja></p>"
                                  "</section></section></section>"));
    assert_int_equal(m.diags.errors, 0);
    merged_free(&m);
}

/* Diagnostics and `kyodo diff` name a deeper heading's level; a top
 * section's heading stays "heading", and a recital says it is one. */
static void describes_levels_and_recitals(void **state)
{
    (void)state;
    merged m;
    merged_init(&m);
    assert_non_null(load_body(&m, "<preamble><p><en>R</en><ja>認</ja></p></preamble>"
                                  "<section><heading><en>A</en><ja>甲</ja></heading><section>"
                                  "<heading><en>B</en><ja>乙</ja></heading><section>"
                                  "<heading><en>C</en><ja>丙</ja></heading>"
                                  "<p><en>P</en><ja>段</ja></p></section></section></section>"));
    const char *const want[] = {"paragraph of the preamble", "heading", "heading (level 2)",
                                "heading (level 3)", "paragraph 1"};
    const ky_node *node = m.doc->body;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++, node = node->next) {
        char what[96];
        assert_non_null(node);
        ky_node_describe(node, what, sizeof what);
        assert_string_equal(what, want[i]);
    }
    assert_null(node);
    merged_free(&m);
}

/* The deeper levels' heading numbers are labels, expanded for every
 * section: bounded like section-number (32 bytes), swept across the bound. */
static void deeper_section_numbers_are_bounded(void **state)
{
    (void)state;
    static const char *const names[] = {"section-number-2", "section-number-3"};
    for (size_t t = 0; t < 2; t++)
        for (int len = 30; len <= 34; len++) {
            merged m;
            merged_init(&m);
            char text[64], tpl[512];
            memset(text, 'x', (size_t)len - 3);
            memcpy(text + len - 3, "{n}", 4);
            snprintf(tpl, sizeof tpl,
                     "<template name=\"numbered\" extends=\"joint-statement\">"
                     "<language code=\"ja\"><text name=\"%s\">%s</text></language>"
                     "</template>\n",
                     names[t], text);
            write_template(&m, "numbered", tpl);
            ky_template_dirs dirs = {{m.dir, KY_TEMPLATE_DIR}, 2};
            ky_template *loaded = ky_template_load("numbered", &dirs, &m.arena, &m.diags, NULL, 0);
            if (len <= 32) {
                assert_non_null(loaded);
            } else {
                char want[96];
                snprintf(want, sizeof want, "text '%s' for ja is longer than 32 bytes", names[t]);
                assert_null(loaded);
                assert_int_equal(m.diags.errors, 1);
                assert_string_equal(m.diags.first->message, want);
            }
            merged_free(&m);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(joint_statement_numbers_each_level),
        cmocka_unit_test(template_numerals_and_restart),
        cmocka_unit_test(paragraphs_through_or_per_section),
        cmocka_unit_test(default_numbering_follows_section_numbers),
        cmocka_unit_test(preamble_recitals_are_unnumbered),
        cmocka_unit_test(heading_styles_fall_back),
        cmocka_unit_test(misplaced_preamble_and_deep_sections),
        cmocka_unit_test(describes_levels_and_recitals),
        cmocka_unit_test(deeper_section_numbers_are_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
