#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "linebreak.h"

static ky_item box(double width)
{
    return (ky_item){.kind = KY_ITEM_BOX, .width = width};
}

static ky_item space(void)
{
    return (ky_item){.kind = KY_ITEM_GLUE, .width = 6, .stretch = 3, .shrink = 2};
}

/* Five words of 20 pt with 6 pt spaces. */
static size_t words(ky_item *items)
{
    size_t n = 0;
    for (int i = 0; i < 5; i++) {
        if (i) items[n++] = space();
        items[n++] = box(20);
    }
    return n;
}

static void fills_lines_first_fit(void **state)
{
    (void)state;
    ky_arena arena;
    ky_arena_init(&arena);
    ky_item items[16];
    size_t n = words(items);
    ky_line *lines;
    /* 20+6+20+6+20 = 72 fits in 75; the fourth word does not. */
    size_t count = ky_break_greedy(items, n, 75, &lines, &arena);
    assert_int_equal(count, 2);
    assert_int_equal(lines[0].first, 0);
    assert_int_equal(lines[0].end, 5);
    assert_float_equal(lines[0].natural, 72, 1e-9);
    /* 3 pt of slack over two spaces that stretch 3 pt each. */
    assert_float_equal(lines[0].ratio, 0.5, 1e-9);
    assert_int_equal(lines[1].first, 6);
    assert_int_equal(lines[1].end, 9);
    /* The last line is set at its natural width. */
    assert_float_equal(lines[1].ratio, 0, 1e-9);
    ky_arena_free(&arena);
}

static void shrinks_rather_than_breaking(void **state)
{
    (void)state;
    ky_arena arena;
    ky_arena_init(&arena);
    ky_item items[16];
    size_t n = words(items);
    ky_line *lines;
    /* 124 pt of material with 4 spaces that shrink 2 pt each fits in 118. */
    size_t count = ky_break_greedy(items, n, 118, &lines, &arena);
    assert_int_equal(count, 1);
    assert_float_equal(lines[0].ratio, -0.75, 1e-9);
    ky_arena_free(&arena);
}

static void overfull_word_gets_its_own_line(void **state)
{
    (void)state;
    ky_arena arena;
    ky_arena_init(&arena);
    ky_item items[] = {box(10), space(), box(200), space(), box(10)};
    ky_line *lines;
    size_t count = ky_break_greedy(items, 5, 50, &lines, &arena);
    assert_int_equal(count, 3);
    assert_int_equal(lines[1].first, 2);
    assert_int_equal(lines[1].end, 3);
    ky_arena_free(&arena);
}

static void never_breaks_at_forbidden_penalty(void **state)
{
    (void)state;
    ky_arena arena;
    ky_arena_init(&arena);
    ky_item never = {.kind = KY_ITEM_PENALTY, .penalty = KY_PENALTY_NEVER};
    ky_item gap = {.kind = KY_ITEM_GLUE, .stretch = 1, .between_wide = 1};
    /* Three 10 pt characters; no break allowed before the third. */
    ky_item items[] = {box(10), gap, box(10), never, gap, box(10)};
    ky_line *lines;
    size_t count = ky_break_greedy(items, 6, 25, &lines, &arena);
    assert_int_equal(count, 2);
    assert_int_equal(lines[0].end, 1);
    assert_int_equal(lines[1].first, 2);
    ky_arena_free(&arena);
}

static bool *opportunities(const char *text, ky_lang lang)
{
    size_t len = strlen(text);
    bool *allowed = calloc(len + 1, 1);
    ky_diags diags;
    ky_diags_init(&diags);
    assert_int_equal(ky_break_opportunities(text, len, lang, allowed, &diags), 0);
    ky_diags_free(&diags);
    return allowed;
}

static void english_breaks_after_spaces(void **state)
{
    (void)state;
    const char *text = "open, stable cyber-space";
    bool *allowed = opportunities(text, KY_EN);
    for (size_t i = 1; i < strlen(text); i++) {
        bool expected = i == 6 || i == 13 || i == 19; /* after "open, ", "stable ", "cyber-" */
        assert_int_equal(allowed[i], expected);
    }
    free(allowed);
}

static void japanese_breaks_are_strict(void **state)
{
    (void)state;
    /* サーバー、「対話」 — bytes: each character is 3 bytes. */
    const char *text = "サーバー、「対話」を";
    bool *allowed = opportunities(text, KY_JA);
    assert_false(allowed[3]);  /* before ー */
    assert_true(allowed[6]);   /* before バ */
    assert_false(allowed[9]);  /* before ー */
    assert_false(allowed[12]); /* before 、 */
    assert_true(allowed[15]);  /* before 「 */
    assert_false(allowed[18]); /* after 「 */
    assert_false(allowed[24]); /* before 」 */
    free(allowed);
    /* Small kana may not start a line under strict rules. */
    allowed = opportunities("セキュリティ", KY_JA);
    assert_false(allowed[6]);  /* before ュ */
    assert_true(allowed[9]);   /* before リ */
    assert_false(allowed[15]); /* before ィ */
    free(allowed);
}

static void builds_items_from_real_fonts(void **state)
{
    (void)state;
    ky_arena arena;
    ky_arena_init(&arena);
    ky_diags diags;
    ky_diags_init(&diags);
    ky_fontset fonts;
    assert_int_equal(ky_fontset_load(&fonts, KY_FONTSET, &diags), 0);
    const char *text = "日本、ICT";
    int face = ky_font_pick(&fonts, KY_JA, KY_ROLE_BODY, 0x65E5, &diags);
    assert_true(face >= 0);
    ky_run run = {0, (uint32_t)strlen(text), face};
    ky_para para = {
        .text = text, .len = strlen(text), .runs = &run, .run_count = 1, .size = 10, .lang = KY_JA};
    bool *allowed = opportunities(text, KY_JA);
    ky_item_list list = {0};
    assert_int_equal(ky_items_build(&para, allowed, &fonts, &list, &arena), 0);
    /* 日 gap 本 never gap 、 gap ICT */
    assert_int_equal(list.count, 8);
    assert_int_equal(list.items[0].kind, KY_ITEM_BOX);
    assert_float_equal(list.items[0].width, 10, 1e-6); /* a full-width em */
    assert_int_equal(list.items[3].kind, KY_ITEM_PENALTY);
    assert_int_equal(list.items[3].penalty, KY_PENALTY_NEVER);
    assert_int_equal(list.items[7].kind, KY_ITEM_BOX);
    assert_int_equal(list.items[7].len, 3); /* "ICT" stays one box */
    free(allowed);
    ky_fontset_free(&fonts);
    ky_diags_free(&diags);
    ky_arena_free(&arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fills_lines_first_fit),
        cmocka_unit_test(shrinks_rather_than_breaking),
        cmocka_unit_test(overfull_word_gets_its_own_line),
        cmocka_unit_test(never_breaks_at_forbidden_penalty),
        cmocka_unit_test(english_breaks_after_spaces),
        cmocka_unit_test(japanese_breaks_are_strict),
        cmocka_unit_test(builds_items_from_real_fonts),
    };
    return cmocka_run_group_tests_name("linebreak", tests, NULL, NULL);
}
