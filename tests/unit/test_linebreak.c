#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jlreq.h"
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
    assert_int_equal(ky_break_opportunities(NULL, text, len, lang, allowed, &diags), 0);
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

typedef struct {
    ky_arena arena;
    ky_diags diags;
    ky_fontset fonts;
    ky_item_list list;
} built;

static void build(built *b, const char *text, ky_lang lang, bool latin_spacing)
{
    ky_arena_init(&b->arena);
    ky_diags_init(&b->diags);
    assert_int_equal(ky_fontset_load(&b->fonts, KY_FONTSET, &b->diags), 0);
    int face = ky_font_pick(&b->fonts, lang, KY_ROLE_BODY, 0x65E5, &b->diags);
    assert_true(face >= 0);
    ky_run *run = KY_NEW(&b->arena, ky_run);
    *run = (ky_run){.start = 0, .end = (uint32_t)strlen(text), .face = face};
    ky_para para = {.text = text,
                    .len = strlen(text),
                    .runs = run,
                    .run_count = 1,
                    .size = 10,
                    .lang = lang,
                    .cjk_latin_spacing = latin_spacing};
    bool *allowed = opportunities(text, lang);
    memset(&b->list, 0, sizeof b->list);
    assert_int_equal(ky_items_build(&para, allowed, &b->fonts, &b->list, &b->arena), 0);
    free(allowed);
}

static void unbuild(built *b)
{
    ky_fontset_free(&b->fonts);
    ky_diags_free(&b->diags);
    ky_arena_free(&b->arena);
}

static void sets_punctuation_in_half_an_em(void **state)
{
    (void)state;
    built b;
    build(&b, "日本、「対話」", KY_JA, true);
    const ky_item *it = b.list.items;
    /* 日 | pen gap | 本 | pen gap | 、 aki | pen gap | 「 | ... */
    assert_int_equal(it[0].kind, KY_ITEM_BOX);
    assert_float_equal(it[0].width, 10, 1e-6); /* a full-width em */
    size_t comma = 6;
    assert_int_equal(it[comma].kind, KY_ITEM_BOX);
    assert_float_equal(it[comma].width, 5, 1e-6);
    assert_true(it[comma].solo);
    /* The half em after the comma may be taken away, but is no break. */
    assert_int_equal(it[comma + 1].kind, KY_ITEM_GLUE);
    assert_float_equal(it[comma + 1].width, 5, 1e-6);
    assert_float_equal(it[comma + 1].shrink, 5, 1e-6);
    assert_true(it[comma + 1].no_break);
    /* "、「" share one half em: the bracket brings no space of its own. */
    assert_int_equal(it[comma + 2].kind, KY_ITEM_PENALTY);
    assert_int_equal(it[comma + 3].kind, KY_ITEM_GLUE);
    assert_int_equal(it[comma + 4].kind, KY_ITEM_BOX);
    assert_float_equal(it[comma + 4].x_offset, -5, 1e-6); /* ink in the right half */
    /* No break after the opening bracket. */
    assert_int_equal(it[comma + 5].kind, KY_ITEM_PENALTY);
    assert_int_equal(it[comma + 5].penalty, KY_PENALTY_NEVER);
    unbuild(&b);
}

static void spaces_japanese_from_latin(void **state)
{
    (void)state;
    built b;
    build(&b, "日本ICT", KY_JA, true);
    const ky_item *it = b.list.items;
    /* 日 | pen gap | 本 | pen quarter-em | ICT */
    assert_int_equal(b.list.count, 7);
    assert_float_equal(it[5].width, 2.5, 1e-6);
    assert_float_equal(it[5].shrink, 1.25, 1e-6);
    assert_int_equal(it[6].len, 3); /* "ICT" stays one box */
    unbuild(&b);
    build(&b, "日本ICT", KY_JA, false);
    assert_float_equal(b.list.items[5].width, 0, 1e-6);
    unbuild(&b);
    /* None beside punctuation: "（NISC）" */
    build(&b, "ー（NISC）", KY_JA, true);
    for (size_t i = 0; i < b.list.count; i++)
        if (b.list.items[i].kind == KY_ITEM_GLUE && !b.list.items[i].no_break)
            assert_float_equal(b.list.items[i].width, 0, 1e-6);
    unbuild(&b);
}

static void never_breaks_before_small_kana_after_a_comma(void **state)
{
    (void)state;
    built b;
    /* No break opportunity at all in this run (ICU strict + JLREQ). */
    const char *text = "っ、ゃ、ゅ、ょ、ー、ァ、ィ";
    build(&b, text, KY_JA, true);
    ky_line *lines;
    size_t count = ky_break_greedy(b.list.items, b.list.count, 30, &lines, &b.arena);
    assert_int_equal(count, 1);
    ky_break_params params = {
        .width = 30, .tolerance = 20, .line_penalty = 10, .max_hyphen_run = 2, .allow_rigid = 1};
    assert_int_equal(ky_break_optimal(b.list.items, b.list.count, &params, &lines, &b.arena), 0);
    unbuild(&b);
}

static void keeps_a_lone_character_off_the_last_line(void **state)
{
    (void)state;
    built b;
    /* Nine characters in lines of four: the last line would hold one. */
    build(&b, "日本国日本国日本国", KY_JA, true);
    ky_line *lines;
    size_t count = ky_break_greedy(b.list.items, b.list.count, 40, &lines, &b.arena);
    assert_int_equal(count, 3);
    assert_int_equal(lines[2].first, lines[2].end - 1);
    ky_avoid_lone_last_character(b.list.items, b.list.count, "日本国日本国日本国", 40, lines,
                                 count);
    size_t boxes = 0;
    for (size_t i = lines[2].first; i < lines[2].end; i++)
        boxes += b.list.items[i].kind == KY_ITEM_BOX;
    assert_int_equal(boxes, 2);
    assert_true(lines[1].ratio > 0); /* the line before is spread instead */
    unbuild(&b);
}

/* The offset of the first box of line n. */
static uint32_t line_text_start(const built *b, const ky_line *line)
{
    for (size_t i = line->first; i < line->end; i++)
        if (b->list.items[i].kind == KY_ITEM_BOX) return b->list.items[i].start;
    return UINT32_MAX;
}

static void sets_horizontal_bars_solid(void **state)
{
    (void)state;
    /* ―― is what Shift_JIS drafts have for ——: cl-08, like the em dash. */
    assert_int_equal(ky_jlreq_class(0x2014), KY_CL_INSEPARABLE);
    assert_int_equal(ky_jlreq_class(0x2015), KY_CL_INSEPARABLE);
    assert_int_equal(ky_jlreq_class(0x2025), KY_CL_INSEPARABLE);
    assert_int_equal(ky_jlreq_class(0x2026), KY_CL_INSEPARABLE);
    const char *dashes[] = {"は――と", "は——と", "は……と", "は‥‥と"};
    for (size_t d = 0; d < 4; d++) {
        built b;
        build(&b, dashes[d], KY_JA, true);
        /* No quarter em beside them: they are Japanese, not Latin. */
        for (size_t i = 0; i < b.list.count; i++)
            if (b.list.items[i].kind == KY_ITEM_GLUE)
                assert_float_equal(b.list.items[i].width, 0, 1e-6);
        unbuild(&b);
        bool *allowed = opportunities(dashes[d], KY_JA);
        assert_false(allowed[6]); /* never split */
        free(allowed);
    }
}

static void drops_ideographic_space_after_question_mark_at_line_end(void **state)
{
    (void)state;
    const char *marks[] = {"何か？　次へ", "何か！　次へ"};
    for (size_t m = 0; m < 2; m++) {
        built b;
        build(&b, marks[m], KY_JA, true);
        /* Sweep measures of 3 to 4 ems: the line ends with the mark, the
         * next starts with 次, and no line is longer than the measure. */
        for (double width = 30; width < 40; width += 1) {
            ky_line *lines;
            size_t count = ky_break_greedy(b.list.items, b.list.count, width, &lines, &b.arena);
            assert_int_equal(count, 2);
            assert_float_equal(lines[0].natural, 30, 1e-6);
            assert_int_equal(line_text_start(&b, &lines[1]), 12); /* 次 */
        }
        /* Within a line it keeps its em. */
        ky_line *lines;
        assert_int_equal(ky_break_greedy(b.list.items, b.list.count, 60, &lines, &b.arena), 1);
        assert_float_equal(lines[0].natural, 60, 1e-6);
        unbuild(&b);
    }
}

static void no_word_space_beside_punctuation(void **state)
{
    (void)state;
    const char *texts[] = {"は、 2020年", "は。 ICT", "（注） ICT"};
    for (size_t t = 0; t < 3; t++) {
        built b;
        build(&b, texts[t], KY_JA, true);
        /* The punctuation's own half em is all the space there is
         * between it and the next character. */
        size_t mark = 0;
        while (!b.list.items[mark].solo || b.list.items[mark + 1].kind != KY_ITEM_GLUE ||
               !b.list.items[mark + 1].no_break)
            mark++;
        double space = 0;
        for (size_t i = mark + 1; b.list.items[i].kind != KY_ITEM_BOX; i++)
            space += b.list.items[i].kind == KY_ITEM_GLUE ? b.list.items[i].width : 0;
        assert_float_equal(space, 5, 1e-6);
        unbuild(&b);
    }
}

static void keeps_a_lone_character_and_its_punctuation_off_the_last_line(void **state)
{
    (void)state;
    const char *texts[] = {"日本国日本国日本た。", "日本国日本国日本た」。",
                           "日本国日本国日本か？"};
    for (size_t t = 0; t < 3; t++) {
        built b;
        build(&b, texts[t], KY_JA, true);
        ky_line *lines;
        size_t count = ky_break_greedy(b.list.items, b.list.count, 40, &lines, &b.arena);
        assert_int_equal(count, 3);
        ky_avoid_lone_last_character(b.list.items, b.list.count, texts[t], 40, lines, count);
        assert_int_equal(line_text_start(&b, &lines[2]), 21); /* 本 moved down */
        unbuild(&b);
    }
}

static void english_em_dash_ends_a_line(void **state)
{
    (void)state;
    bool *allowed = opportunities("round—the Third", KY_EN);
    assert_false(allowed[5]); /* before — */
    assert_true(allowed[8]);  /* after it */
    free(allowed);
    allowed = opportunities("round —the Third", KY_EN);
    assert_false(allowed[6]); /* not after the space either */
    free(allowed);
}

static void english_compounds_break_at_their_hyphen_only(void **state)
{
    (void)state;
    bool *allowed = opportunities("CERT-In and e-mail, cyber-security", KY_EN);
    assert_false(allowed[5]);  /* CERT-|In: 2 letters after */
    assert_false(allowed[14]); /* e-|mail: 1 letter before */
    assert_true(allowed[26]);  /* cyber-|security */
    free(allowed);
    const char *text = "cyber-security international agreements";
    built b;
    ky_arena_init(&b.arena);
    ky_diags_init(&b.diags);
    assert_int_equal(ky_fontset_load(&b.fonts, KY_FONTSET, &b.diags), 0);
    int face = ky_font_pick(&b.fonts, KY_EN, KY_ROLE_BODY, 'a', &b.diags);
    ky_hyphenator h;
    ky_hyphenator_init(&h, ky_hyphen_default_path());
    ky_run run = {.start = 0, .end = (uint32_t)strlen(text), .face = face};
    ky_para para = {.text = text,
                    .len = strlen(text),
                    .runs = &run,
                    .run_count = 1,
                    .size = 10,
                    .lang = KY_EN,
                    .hyphenator = &h,
                    .diags = &b.diags};
    allowed = opportunities(text, KY_EN);
    memset(&b.list, 0, sizeof b.list);
    assert_int_equal(ky_items_build(&para, allowed, &b.fonts, &b.list, &b.arena), 0);
    size_t flagged = 0;
    for (size_t i = 0; i < b.list.count; i++)
        if (b.list.items[i].kind == KY_ITEM_PENALTY && b.list.items[i].flagged) {
            flagged++;
            assert_true(b.list.items[i - 1].start >= 15); /* none in cyber-security */
        }
    assert_true(flagged > 0); /* in-ter-na-tional */
    free(allowed);
    ky_hyphenator_free(&h);
    unbuild(&b);
}

static void hyphenates_capitalized_words_only_when_asked_at_a_cost(void **state)
{
    (void)state;
    const char *text = "International relations";
    for (int caps = 0; caps < 2; caps++) {
        built b;
        ky_arena_init(&b.arena);
        ky_diags_init(&b.diags);
        assert_int_equal(ky_fontset_load(&b.fonts, KY_FONTSET, &b.diags), 0);
        int face = ky_font_pick(&b.fonts, KY_EN, KY_ROLE_BODY, 'a', &b.diags);
        ky_hyphenator h;
        ky_hyphenator_init(&h, ky_hyphen_default_path());
        ky_run run = {.start = 0, .end = (uint32_t)strlen(text), .face = face};
        ky_para para = {.text = text,
                        .len = strlen(text),
                        .runs = &run,
                        .run_count = 1,
                        .size = 10,
                        .lang = KY_EN,
                        .hyphenator = &h,
                        .hyphenate_capitalized = caps,
                        .diags = &b.diags};
        bool *allowed = opportunities(text, KY_EN);
        memset(&b.list, 0, sizeof b.list);
        assert_int_equal(ky_items_build(&para, allowed, &b.fonts, &b.list, &b.arena), 0);
        size_t flagged = 0;
        for (size_t i = 0; i < b.list.count; i++)
            if (b.list.items[i].kind == KY_ITEM_PENALTY && b.list.items[i].flagged) {
                flagged++;
                assert_int_equal(b.list.items[i].penalty, KY_PENALTY_CAPITALIZED_HYPHEN);
            }
        assert_int_equal(flagged > 0, caps);
        free(allowed);
        ky_hyphenator_free(&h);
        unbuild(&b);
    }
}

static bool *opportunities_at(const char *text, ky_lang lang, ky_kinsoku level)
{
    size_t len = strlen(text);
    bool *allowed = calloc(len + 1, 1);
    ky_diags diags;
    ky_diags_init(&diags);
    assert_int_equal(ky_break_opportunities_at(NULL, text, len, lang, level, allowed, &diags), 0);
    ky_diags_free(&diags);
    return allowed;
}

static void relaxes_kinsoku_in_order(void **state)
{
    (void)state;
    /* は、ぁぃ…: strict allows no break at all after the comma. */
    const char *text = "ぁぃぅっゃー、々ゝ";
    size_t len = strlen(text);
    bool *strict = opportunities_at(text, KY_JA, KY_KINSOKU_STRICT);
    bool *loose = opportunities_at(text, KY_JA, KY_KINSOKU_LOOSE);
    bool *emergency = opportunities_at(text, KY_JA, KY_KINSOKU_EMERGENCY);
    for (size_t i = 1; i < len; i++) {
        /* Each level allows what the stricter one does, and more. */
        assert_true(!strict[i] || loose[i]);
        assert_true(!loose[i] || emergency[i]);
        assert_int_equal(emergency[i], i % 3 == 0);
    }
    assert_false(strict[3]); /* before ぃ */
    assert_true(loose[3]);
    assert_true(loose[15]);  /* before ー */
    assert_false(loose[18]); /* before 、 : never, short of an emergency */
    assert_false(loose[21]); /* before 々 */
    free(strict);
    free(loose);
    free(emergency);
    /* A long URL in English: any character, but no combining mark alone. */
    const char *url = "https://example.org/averyveryverylongpathname e\xCC\x81t";
    emergency = opportunities_at(url, KY_EN, KY_KINSOKU_EMERGENCY);
    assert_true(emergency[25]);
    assert_false(emergency[48]); /* between e and its accent */
    free(emergency);
}

static void emergency_breaks_cost_more_than_any_other(void **state)
{
    (void)state;
    const char *text = "ぁぃぅっゃ";
    built b;
    ky_arena_init(&b.arena);
    ky_diags_init(&b.diags);
    assert_int_equal(ky_fontset_load(&b.fonts, KY_FONTSET, &b.diags), 0);
    int face = ky_font_pick(&b.fonts, KY_JA, KY_ROLE_BODY, 0x65E5, &b.diags);
    ky_run run = {.start = 0, .end = (uint32_t)strlen(text), .face = face};
    bool *allowed = opportunities_at(text, KY_JA, KY_KINSOKU_EMERGENCY);
    bool *strict = opportunities_at(text, KY_JA, KY_KINSOKU_STRICT);
    bool emergency[32] = {0};
    for (size_t i = 0; i <= strlen(text); i++)
        emergency[i] = allowed[i] && !strict[i];
    ky_para para = {.text = text,
                    .len = strlen(text),
                    .runs = &run,
                    .run_count = 1,
                    .size = 10,
                    .lang = KY_JA,
                    .emergency = emergency};
    memset(&b.list, 0, sizeof b.list);
    assert_int_equal(ky_items_build(&para, allowed, &b.fonts, &b.list, &b.arena), 0);
    size_t costly = 0;
    for (size_t i = 0; i < b.list.count; i++)
        if (b.list.items[i].kind == KY_ITEM_PENALTY) {
            assert_int_equal(b.list.items[i].penalty, KY_PENALTY_EMERGENCY);
            costly++;
        }
    assert_int_equal(costly, 4);
    /* Every measure of 1 to 5 ems now fits without a line past it. */
    for (double width = 10; width <= 50; width += 2.5) {
        ky_break_params params = {.width = width,
                                  .tolerance = 20,
                                  .line_penalty = 10,
                                  .max_hyphen_run = 2,
                                  .allow_rigid = 1};
        ky_line *lines;
        size_t count = ky_break_optimal(b.list.items, b.list.count, &params, &lines, &b.arena);
        assert_true(count > 0);
        for (size_t i = 0; i < count; i++)
            assert_true(lines[i].natural <= width + 1e-6);
    }
    free(allowed);
    free(strict);
    unbuild(&b);
}

static void marks_only_inside_runs_wider_than_the_measure(void **state)
{
    (void)state;
    const char *text = "and averyverylongwordxxx and";
    /* "and averyverylongword and": the middle word is 200 pt wide. */
    ky_item items[] = {
        {.kind = KY_ITEM_BOX, .width = 10, .start = 0, .len = 3},   space(),
        {.kind = KY_ITEM_BOX, .width = 200, .start = 4, .len = 20}, space(),
        {.kind = KY_ITEM_BOX, .width = 10, .start = 25, .len = 3},
    };
    for (double width = 20; width <= 240; width += 20) {
        bool inside[29] = {0};
        ky_mark_overwide(items, 5, width, text, inside);
        for (size_t t = 0; t < 29; t++)
            assert_int_equal(inside[t], width < 200 && t > 4 && t < 24);
    }
    /* Glue that no break divides (a penalty of KY_PENALTY_NEVER before it)
     * joins its neighbours into one run; its shrink counts. */
    ky_item never = {.kind = KY_ITEM_PENALTY, .penalty = KY_PENALTY_NEVER};
    ky_item joined[] = {
        {.kind = KY_ITEM_BOX, .width = 30, .start = 0, .len = 3},
        never,
        space(),
        {.kind = KY_ITEM_BOX, .width = 30, .start = 4, .len = 3},
    };
    bool inside[8] = {0};
    ky_mark_overwide(joined, 4, 64, text, inside); /* 66 wide, 64 shrunk */
    assert_false(inside[2]);
    ky_mark_overwide(joined, 4, 63, text, inside);
    assert_true(inside[2] && inside[4] && inside[6]);
    assert_false(inside[0] || inside[7]);
    /* A word of 2,000 to 20,000 letters (5 pt each) in lines of 100 pt:
     * one letter in 5 (a quarter line), never more than 20 pt apart. */
    for (size_t n = 2000; n <= 20000; n += 6000) {
        char *word = malloc(n + 1);
        bool *marks = calloc(n + 1, 1);
        memset(word, 'a', n);
        word[n] = 0;
        ky_item one = {
            .kind = KY_ITEM_BOX, .width = 5.0 * (double)n, .start = 0, .len = (uint32_t)n};
        ky_mark_overwide(&one, 1, 100, word, marks);
        size_t last = 0, count = 0;
        for (size_t t = 1; t < n; t++)
            if (marks[t]) {
                assert_true(t - last <= 5);
                last = t, count++;
            }
        assert_true(count >= n / 5 - 1 && count <= n / 5);
        free(word);
        free(marks);
    }
}

static double sum_of_cubes(const ky_line *lines, size_t count)
{
    double sum = 0;
    for (size_t i = 0; i + 1 < count; i++)
        sum += fabs(lines[i].ratio * lines[i].ratio * lines[i].ratio);
    return sum;
}

static void total_fit_beats_first_fit(void **state)
{
    (void)state;
    ky_arena arena;
    ky_arena_init(&arena);
    /* 80 words of 10 to 40 pt (a fixed pseudo-random sequence). */
    ky_item items[200];
    size_t n = 0;
    unsigned seed = 12345;
    for (int i = 0; i < 80; i++) {
        seed = seed * 1103515245u + 12345u;
        if (i) items[n++] = space();
        items[n++] = box(10 + (seed >> 16) % 31);
    }
    ky_break_params params = {
        .width = 150, .tolerance = 2, .line_penalty = 10, .max_hyphen_run = 2, .allow_rigid = 1};
    ky_line *greedy, *optimal;
    size_t g = ky_break_greedy(items, n, 150, &greedy, &arena);
    size_t o = ky_break_optimal(items, n, &params, &optimal, &arena);
    assert_true(o > 0);
    /* Every line within the tolerance, and less total badness than first fit. */
    for (size_t i = 0; i + 1 < o; i++)
        assert_true(optimal[i].ratio >= -1 && optimal[i].ratio <= 2);
    assert_true(sum_of_cubes(optimal, o) < sum_of_cubes(greedy, g));
    ky_arena_free(&arena);
}

/* Flush left (params.ragged): a word space keeps its width, so every line
 * fits the measure at its natural width, and the lines' ends are more even
 * than first fit's (a line that cannot shrink takes as many words as fit).
 * Swept over measures and words. */
static void ragged_lines_keep_their_spaces(void **state)
{
    (void)state;
    ky_arena arena;
    ky_arena_init(&arena);
    for (double width = 60; width <= 200; width += 7) {
        ky_item items[200];
        size_t n = 0;
        unsigned seed = (unsigned)width;
        for (int i = 0; i < 80; i++) {
            seed = seed * 1103515245u + 12345u;
            if (i) items[n++] = space();
            items[n++] = box(10 + (seed >> 16) % 41);
        }
        ky_break_params params = {.width = width,
                                  .tolerance = INFINITY,
                                  .line_penalty = 10,
                                  .max_hyphen_run = 2,
                                  .ragged = 20};
        ky_line *lines;
        size_t count = ky_break_optimal(items, n, &params, &lines, &arena);
        assert_true(count > 0);
        double ragged = 0, first_fit = 0;
        for (size_t i = 0; i < count; i++) {
            assert_true(lines[i].natural <= width + 1e-9);
            if (i + 1 < count) ragged += pow(width - lines[i].natural, 3);
        }
        /* First fit at natural width: words while they fit. */
        double line = 0;
        for (size_t i = 0; i < n; i += 2) {
            double add = line > 0 ? items[i - 1].width + items[i].width : items[i].width;
            if (line > 0 && line + add > width) {
                first_fit += pow(width - line, 3);
                line = items[i].width;
            } else {
                line += add;
            }
        }
        assert_true(ragged <= first_fit + 1e-6);
    }
    ky_arena_free(&arena);
}

static void limits_hyphenated_lines_in_a_row(void **state)
{
    (void)state;
    ky_arena arena;
    ky_arena_init(&arena);
    /* Each "word" is two 20 pt halves with a hyphenation point between; in
     * 50 pt lines "20 20-" fits best, so every line would end with a hyphen
     * if nothing limited them. */
    ky_item items[64];
    size_t n = 0;
    for (int i = 0; i < 8; i++) {
        if (i) items[n++] = space();
        items[n++] = box(20);
        items[n++] = (ky_item){.kind = KY_ITEM_PENALTY, .penalty = 50, .width = 3, .flagged = 1};
        items[n++] = box(20);
    }
    ky_break_params params = {.width = 50,
                              .tolerance = 100,
                              .line_penalty = 10,
                              .double_hyphen = 3000,
                              .allow_rigid = 1,
                              .max_hyphen_run = 2};
    ky_line *lines;
    size_t count = ky_break_optimal(items, n, &params, &lines, &arena);
    assert_true(count > 3);
    int run = 0;
    for (size_t i = 0; i < count; i++) {
        bool hyphen = lines[i].end < n && items[lines[i].end].flagged;
        run = hyphen ? run + 1 : 0;
        assert_true(run <= 2);
    }
    ky_arena_free(&arena);
}

static void hyphenates_with_libhyphen(void **state)
{
    (void)state;
    ky_diags diags;
    ky_diags_init(&diags);
    ky_hyphenator h;
    ky_hyphenator_init(&h, ky_hyphen_default_path());
    bool after[32];
    const char *word = "international";
    assert_true(ky_hyphenate(&h, word, strlen(word), after, &diags) > 0);
    /* in-ter-na-tional: never fewer than 2 letters before or 3 after. */
    assert_true(after[1] && after[4] && after[6]);
    for (size_t i = 0; i < strlen(word); i++)
        if (after[i]) assert_true(i >= 1 && strlen(word) - i - 1 >= 3);
    assert_int_equal(ky_hyphenate(&h, "cyber", 5, after, &diags), 0 + after[1]);
    ky_hyphenator_free(&h);
    ky_hyphenator bad;
    ky_hyphenator_init(&bad, "/nonexistent/hyph.dic");
    assert_int_equal(ky_hyphenate(&bad, word, strlen(word), after, &diags), -1);
    assert_int_equal(diags.errors, 1);
    ky_diags_free(&diags);
}

/* Letter spacing comes before word spaces past twice their width: a first
 * line a few points short with one space is feasible at a ratio of 1 only
 * when its letters may take what the space cannot. Swept over the letter
 * spacing and the shortfall. */
static void letter_spacing_before_wider_spaces(void **state)
{
    (void)state;
    ky_arena arena;
    ky_arena_init(&arena);
    /* Two words of 10 letters, 5 pt each, then one that needs a line. */
    const char *text = "aaaaaaaaaa bbbbbbbbbb cccccccccc";
    ky_item items[5] = {box(50), space(), box(50), space(), box(0)};
    items[0].start = 0, items[0].len = 10;
    items[2].start = 11, items[2].len = 10;
    items[4].start = 22, items[4].len = 10;
    double stretch = items[1].stretch, natural = 100 + items[1].width;
    /* 18 gaps between letters: the last of each word takes none. */
    assert_int_equal(ky_letter_gaps(items, 0, 3, text), 18);
    assert_int_equal(ky_letter_gaps(items, 0, 5, text), 27);
    for (double letter = 0; letter <= 0.5; letter += 0.125) {
        for (double short_by = 0.5; short_by <= 12; short_by += 1.5) {
            ky_break_params params = {.width = natural + stretch + short_by,
                                      .tolerance = 1,
                                      .line_penalty = 10,
                                      .max_hyphen_run = 2,
                                      .letter_max = letter,
                                      .text = text};
            items[4].width = params.width; /* alone on the last line */
            ky_line *lines;
            size_t count = ky_break_optimal(items, 5, &params, &lines, &arena);
            assert_int_equal(count, short_by <= 18 * letter ? 2 : 0);
            /* Without the text to count letters, no letter spacing. */
            params.text = NULL;
            assert_int_equal(ky_break_optimal(items, 5, &params, &lines, &arena), 0);
        }
    }
    ky_arena_free(&arena);
}

static void english_addresses_break_before_separators(void **state)
{
    (void)state;
    const char *text = "see https://www.example.org/cyber-security/annex.html now.";
    bool *allowed = opportunities(text, KY_EN);
    const char *at = strstr(text, "https");
    size_t base = (size_t)(at - text);
    assert_false(allowed[base + 7]);  /* not inside // */
    assert_true(allowed[base + 8]);   /* after // */
    assert_true(allowed[base + 11]);  /* www|.example */
    assert_true(allowed[base + 19]);  /* .example|.org */
    assert_true(allowed[base + 23]);  /* .org|/cyber */
    assert_true(allowed[base + 29]);  /* cyber|-security */
    assert_false(allowed[base + 30]); /* not after the hyphen */
    assert_true(allowed[base + 38]);  /* security|/annex */
    assert_true(allowed[base + 44]);  /* annex|.html */
    free(allowed);
    /* An address's last dot is the sentence's: "annex.html." keeps it. */
    text = "at www.example.org.";
    allowed = opportunities(text, KY_EN);
    assert_false(allowed[strlen(text) - 1]);
    free(allowed);
    /* Not an address: a sentence's dots and slashes are UAX #14's. */
    text = "and/or e.g.this";
    allowed = opportunities(text, KY_EN);
    assert_false(allowed[3]);
    assert_false(allowed[9]);
    free(allowed);
}

/* No hyphen in an address: its long stretches break between letters,
 * unflagged, at a capitalized word's cost; a word with a slash is never
 * hyphenated. */
static void english_addresses_are_never_hyphenated(void **state)
{
    (void)state;
    const char *text = "at https://averyverylongsubdomain.example.org/cybersecurity/guidelines and "
                       "international relations";
    built b;
    ky_arena_init(&b.arena);
    ky_diags_init(&b.diags);
    assert_int_equal(ky_fontset_load(&b.fonts, KY_FONTSET, &b.diags), 0);
    int face = ky_font_pick(&b.fonts, KY_EN, KY_ROLE_BODY, 'a', &b.diags);
    ky_hyphenator h;
    ky_hyphenator_init(&h, ky_hyphen_default_path());
    ky_run run = {.start = 0, .end = (uint32_t)strlen(text), .face = face};
    ky_para para = {.text = text,
                    .len = strlen(text),
                    .runs = &run,
                    .run_count = 1,
                    .size = 10,
                    .lang = KY_EN,
                    .hyphenator = &h,
                    .diags = &b.diags};
    bool *allowed = opportunities(text, KY_EN);
    memset(&b.list, 0, sizeof b.list);
    assert_int_equal(ky_items_build(&para, allowed, &b.fonts, &b.list, &b.arena), 0);
    size_t address_end = (size_t)(strstr(text, " and") - text), flagged = 0, inside = 0;
    for (size_t i = 1; i < b.list.count; i++) {
        const ky_item *p = &b.list.items[i];
        if (p->kind != KY_ITEM_PENALTY || b.list.items[i - 1].kind != KY_ITEM_BOX) continue;
        size_t at = b.list.items[i - 1].start + b.list.items[i - 1].len;
        if (p->flagged) {
            flagged++;
            assert_true(at > address_end); /* in-ter-na-tional, not in the address */
        } else if (at < address_end && p->penalty == KY_PENALTY_CAPITALIZED_HYPHEN) {
            inside++;
        }
    }
    assert_true(flagged > 0);
    assert_true(inside > 0); /* averyverylong|subdomain, cyber|security */
    free(allowed);
    ky_hyphenator_free(&h);
    unbuild(&b);
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
        cmocka_unit_test(sets_punctuation_in_half_an_em),
        cmocka_unit_test(spaces_japanese_from_latin),
        cmocka_unit_test(never_breaks_before_small_kana_after_a_comma),
        cmocka_unit_test(keeps_a_lone_character_off_the_last_line),
        cmocka_unit_test(total_fit_beats_first_fit),
        cmocka_unit_test(ragged_lines_keep_their_spaces),
        cmocka_unit_test(limits_hyphenated_lines_in_a_row),
        cmocka_unit_test(hyphenates_with_libhyphen),
        cmocka_unit_test(sets_horizontal_bars_solid),
        cmocka_unit_test(drops_ideographic_space_after_question_mark_at_line_end),
        cmocka_unit_test(no_word_space_beside_punctuation),
        cmocka_unit_test(keeps_a_lone_character_and_its_punctuation_off_the_last_line),
        cmocka_unit_test(english_em_dash_ends_a_line),
        cmocka_unit_test(english_compounds_break_at_their_hyphen_only),
        cmocka_unit_test(hyphenates_capitalized_words_only_when_asked_at_a_cost),
        cmocka_unit_test(relaxes_kinsoku_in_order),
        cmocka_unit_test(emergency_breaks_cost_more_than_any_other),
        cmocka_unit_test(marks_only_inside_runs_wider_than_the_measure),
        cmocka_unit_test(letter_spacing_before_wider_spaces),
        cmocka_unit_test(english_addresses_break_before_separators),
        cmocka_unit_test(english_addresses_are_never_hyphenated),
    };
    return cmocka_run_group_tests_name("linebreak", tests, NULL, NULL);
}
