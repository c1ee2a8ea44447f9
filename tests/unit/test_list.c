/* List items through draft.c and merge.c with the shipped template: every
 * style's markers in both languages, items 1..60, nesting, and how the
 * blocks of a paragraph with a list hang together. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "counter.h"
#include "merged.h"

/* The marker the template's text for a style gives item n, written out by
 * hand from templates/joint-statement.xml. */
static const char *expected(ky_list_style style, ky_lang lang, int n, char *out, size_t size)
{
    char num[64];
    switch (style) {
    case KY_LIST_BULLET:
        snprintf(out, size, "%s", lang == KY_EN ? "•" : "・");
        break;
    case KY_LIST_DECIMAL:
        snprintf(out, size, lang == KY_EN ? "%d." : "%d．", n);
        break;
    case KY_LIST_PAREN_DECIMAL:
        snprintf(out, size, lang == KY_EN ? "(%d)" : "（%d）", n);
        break;
    case KY_LIST_ALPHA:
        if (lang == KY_EN)
            snprintf(out, size, "(%s)", ky_counter_format(KY_COUNTER_ALPHA, n, num, sizeof num));
        else
            snprintf(out, size, "%s", ky_counter_format(KY_COUNTER_KANA, n, num, sizeof num));
        break;
    case KY_LIST_ROMAN:
        snprintf(out, size, "(%s)", ky_counter_format(KY_COUNTER_ROMAN, n, num, sizeof num));
        break;
    case KY_LIST_IROHA:
        if (lang == KY_EN)
            snprintf(out, size, "(%s)", ky_counter_format(KY_COUNTER_ALPHA, n, num, sizeof num));
        else
            snprintf(out, size, "%s", ky_counter_format(KY_COUNTER_IROHA, n, num, sizeof num));
        break;
    default:
        snprintf(out, size, "%s", ky_counter_format(KY_COUNTER_CIRCLED, n, num, sizeof num));
    }
    return out;
}

/* One paragraph per style, each with a list of 60 items. */
static void markers_of_every_style_1_to_60(void **state)
{
    (void)state;
    size_t size = 1 << 20, at = 0;
    char *body = malloc(size);
    for (int s = 0; s < KY_LIST_STYLE_COUNT; s++) {
        at += (size_t)snprintf(body + at, size - at,
                               "<p><en>Intro %d:</en><ja>序%d。</ja><list style=\"%s\">", s, s,
                               ky_list_style_name((ky_list_style)s));
        for (int n = 1; n <= 60; n++)
            at += (size_t)snprintf(body + at, size - at,
                                   "<item><en>item %d</en><ja>項目%d</ja></item>", n, n);
        at += (size_t)snprintf(body + at, size - at, "</list></p>\n");
    }
    merged m;
    merged_init(&m);
    merge_body(&m, "joint-statement", body);
    free(body);
    for (int lang = 0; lang < KY_LANG_COUNT; lang++) {
        const ky_block *block = m.flow[lang]->first;
        while (block && block->style != KY_STYLE_BODY)
            block = block->next;
        for (int s = 0; s < KY_LIST_STYLE_COUNT; s++) {
            assert_non_null(block);
            char number[16];
            snprintf(number, sizeof number, lang == KY_EN ? "%d." : "%d．", s + 1);
            assert_string_equal(block->label, number);
            assert_true(block->keep_with_next && block->joined);
            block = block->next;
            for (int n = 1; n <= 60; n++, block = block->next) {
                char want[64];
                assert_non_null(block);
                assert_int_equal(block->style, KY_STYLE_LIST);
                assert_int_equal(block->level, 1);
                assert_true(block->list_item);
                assert_string_equal(
                    block->label, expected((ky_list_style)s, (ky_lang)lang, n, want, sizeof want));
                /* The first item keeps with the second; the last item
                 * ends the paragraph. */
                assert_int_equal(block->keep_with_next, n == 1);
                assert_int_equal(block->joined, n < 60);
            }
        }
    }
    merged_free(&m);
}

/* Three levels, text after an inner and an outer list: the blocks come in
 * document order with their depth, the text after a list continues without
 * a label, and both languages have the same blocks. */
static void nests_three_levels(void **state)
{
    (void)state;
    merged m;
    merged_init(&m);
    merge_body(&m, "joint-statement",
               "<p><en>A:</en><ja>甲</ja>"
               "<list style=\"bullet\"><item><en>B</en><ja>乙</ja>"
               "<list style=\"alpha\"><item><en>C</en><ja>丙</ja>"
               "<list style=\"roman\"><item><en>D</en><ja>丁</ja></item>"
               "<item><en>E</en><ja>戊</ja></item></list>"
               "<en>F</en><ja>己</ja></item></list></item>"
               "<item><en>G</en><ja>庚</ja></item></list>"
               "<en>H</en><ja>辛</ja></p><p><en>I</en><ja>壬</ja></p>");
    static const struct {
        const char *en, *ja, *label_en, *label_ja;
        int level;
        bool hang, keep, joined;
    } want[] = {
        {"A:", "甲", "1.", "1．", 0, false, true, true},
        {"B", "乙", "•", "・", 1, false, true, true},
        {"C", "丙", "(a)", "ア", 2, false, true, true},
        {"D", "丁", "(i)", "(i)", 3, false, true, true},
        {"E", "戊", "(ii)", "(ii)", 3, false, false, true},
        {"F", "己", NULL, NULL, 2, true, false, true},
        {"G", "庚", "•", "・", 1, false, false, true},
        {"H", "辛", NULL, NULL, 0, true, false, false},
        {"I", "壬", "2.", "2．", 0, false, false, false},
    };
    for (int lang = 0; lang < KY_LANG_COUNT; lang++) {
        const ky_block *block = m.flow[lang]->first;
        while (block && block->style != KY_STYLE_BODY)
            block = block->next;
        for (size_t i = 0; i < sizeof want / sizeof want[0]; i++, block = block->next) {
            assert_non_null(block);
            char *text = ky_spans_plain(block->spans, &m.arena);
            assert_string_equal(text, lang == KY_EN ? want[i].en : want[i].ja);
            const char *label = lang == KY_EN ? want[i].label_en : want[i].label_ja;
            if (label)
                assert_string_equal(block->label, label);
            else
                assert_null(block->label);
            assert_int_equal(block->level, want[i].level);
            assert_int_equal(block->hang, want[i].hang);
            assert_int_equal(block->keep_with_next, want[i].keep);
            assert_int_equal(block->joined, want[i].joined);
        }
        assert_null(block);
    }
    merged_free(&m);
}

/* A section's <item> outside any <list> under a template without an
 * item-number text: lettered as an alpha list (render used to fail with a
 * template error naming no draft line). */
static void section_items_without_item_number(void **state)
{
    (void)state;
    merged m;
    merged_init(&m);
    merge_body(&m, "joint-statement",
               "<section><p><en>Areas:</en><ja>分野</ja></p>"
               "<item><en>one</en><ja>一</ja></item><item><en>two</en><ja>二</ja></item>"
               "</section>");
    for (int lang = 0; lang < KY_LANG_COUNT; lang++) {
        const ky_block *block = m.flow[lang]->first;
        while (block && block->style != KY_STYLE_BODY)
            block = block->next;
        assert_true(block->keep_with_next);
        block = block->next;
        assert_string_equal(block->label, lang == KY_EN ? "(a)" : "ア");
        assert_true(block->keep_with_next);
        block = block->next;
        assert_string_equal(block->label, lang == KY_EN ? "(b)" : "イ");
        assert_false(block->joined);
    }
    merged_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(markers_of_every_style_1_to_60),
        cmocka_unit_test(nests_three_levels),
        cmocka_unit_test(section_items_without_item_number),
    };
    return cmocka_run_group_tests_name("list", tests, NULL, NULL);
}
