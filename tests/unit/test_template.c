#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "merge.h"
#include "template.h"

static const char *lookup(void *data, const char *name)
{
    (void)data;
    if (strcmp(name, "page") == 0) return "2";
    if (strcmp(name, "pages") == 0) return "3";
    return NULL;
}

static void expands_placeholders(void **state)
{
    (void)state;
    ky_arena arena;
    ky_arena_init(&arena);
    ky_diags diags;
    ky_diags_init(&diags);
    char *out = ky_expand_string("Page {page} of {pages}", lookup, NULL, &arena, &diags, "t", 1);
    assert_string_equal(out, "Page 2 of 3");
    out = ky_expand_string("{page}／{pages}", lookup, NULL, &arena, &diags, "t", 1);
    assert_string_equal(out, "2／3");
    out = ky_expand_string("{{literal}} {page}", lookup, NULL, &arena, &diags, "t", 1);
    assert_string_equal(out, "{literal} 2");
    assert_int_equal(diags.errors, 0);
    ky_diags_free(&diags);
    ky_arena_free(&arena);
}

static void reports_unknown_placeholder(void **state)
{
    (void)state;
    ky_arena arena;
    ky_arena_init(&arena);
    ky_diags diags;
    ky_diags_init(&diags);
    assert_null(ky_expand_string("Page {page} of {total}", lookup, NULL, &arena, &diags,
                                 "templates/x.xml", 7));
    assert_int_equal(diags.errors, 1);
    assert_string_equal(diags.first->file, "templates/x.xml");
    assert_int_equal(diags.first->line, 7);
    assert_string_equal(diags.first->message,
                        "unknown placeholder {total} in \"Page {page} of {total}\"");
    assert_null(ky_expand_string("Page {page", lookup, NULL, &arena, &diags, "t", 1));
    assert_int_equal(diags.errors, 2);
    ky_diags_free(&diags);
    ky_arena_free(&arena);
}

static void parses_lengths(void **state)
{
    (void)state;
    assert_float_equal(ky_parse_length("11"), 11.0, 1e-9);
    assert_float_equal(ky_parse_length("10.5pt"), 10.5, 1e-9);
    assert_float_equal(ky_parse_length("25.4mm"), 72.0, 1e-9);
    assert_float_equal(ky_parse_length("1in"), 72.0, 1e-9);
    assert_true(ky_parse_length("12px") < 0);
    assert_true(ky_parse_length("wide") < 0);
    /* strtod alone took all of these: NaN and infinity passed every bound. */
    static const char *const refused[] = {"nan", "inf", "infinity", " 1", "1e3", "1e999", "0x10",
                                          "-1",  "+1",  "1.",       ".5", "",    "1 pt",  "1.5.5"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        assert_true(ky_parse_length(refused[i]) < 0);
    /* 300 digits are finite (and refused by the bounds later); 400
     * overflow to infinity, which no bound would catch. */
    char digits[401];
    memset(digits, '9', 300);
    digits[300] = '\0';
    assert_true(ky_parse_length(digits) > 1e299);
    memset(digits, '9', 400);
    digits[400] = '\0';
    assert_true(ky_parse_length(digits) < 0);
    /* A sweep of page sizes in millimetres up to the largest PDF page. */
    for (int mm = 0; mm <= 5080; mm += 127) {
        char text[16];
        snprintf(text, sizeof text, "%dmm", mm);
        assert_float_equal(ky_parse_length(text), mm * 72.0 / 25.4, 1e-9);
    }
}

static void formats_dates_per_language(void **state)
{
    (void)state;
    ky_arena arena;
    ky_arena_init(&arena);
    ky_diags diags;
    ky_diags_init(&diags);
    ky_template tpl = {0};
    tpl.text[KY_EN][KY_TEXT_DATE] = "{day} {month-name} {year}";
    tpl.text[KY_EN][KY_TEXT_MONTHS] = "January February March April May June July August "
                                      "September October November December";
    tpl.text[KY_JA][KY_TEXT_DATE] = "{year}年{month}月{day}日";
    tpl.text[KY_JA][KY_TEXT_MONTHS] = "1 2 3 4 5 6 7 8 9 10 11 12";
    assert_string_equal(ky_format_date(&tpl, KY_EN, 2017, 8, 14, false, &arena, &diags),
                        "14 August 2017");
    assert_string_equal(ky_format_date(&tpl, KY_EN, 2017, 12, 1, false, &arena, &diags),
                        "1 December 2017");
    assert_string_equal(ky_format_date(&tpl, KY_JA, 2017, 8, 14, false, &arena, &diags),
                        "2017年8月14日");
    tpl.text[KY_EN][KY_TEXT_MONTHS] = "Jan Feb";
    assert_null(ky_format_date(&tpl, KY_EN, 2017, 3, 1, false, &arena, &diags));
    assert_int_equal(diags.errors, 1);
    ky_diags_free(&diags);
    ky_arena_free(&arena);
}

static void era(int y, int m, int d, const char *name, int year)
{
    int got = 0;
    const char *e = ky_era(y, m, d, &got);
    assert_non_null(e);
    assert_string_equal(e, name);
    assert_int_equal(got, year);
}

static void finds_era_boundaries(void **state)
{
    (void)state;
    era(2019, 5, 1, "令和", 1);
    era(2019, 4, 30, "平成", 31);
    era(1989, 1, 8, "平成", 1);
    era(1989, 1, 7, "昭和", 64);
    era(1926, 12, 25, "昭和", 1);
    era(1926, 12, 24, "大正", 15);
    era(1912, 7, 30, "大正", 1);
    era(1912, 7, 29, "明治", 45);
    era(1868, 1, 1, "明治", 1);
    era(2017, 8, 14, "平成", 29);
    int year;
    assert_null(ky_era(1867, 12, 31, &year));
}

static void writes_kanji_numerals(void **state)
{
    (void)state;
    char buf[64];
    assert_string_equal(ky_kanji_number(2017, buf, sizeof buf), "二千十七");
    assert_string_equal(ky_kanji_number(1989, buf, sizeof buf), "千九百八十九");
    assert_string_equal(ky_kanji_number(29, buf, sizeof buf), "二十九");
    assert_string_equal(ky_kanji_number(10, buf, sizeof buf), "十");
    assert_string_equal(ky_kanji_number(1, buf, sizeof buf), "一");
    assert_string_equal(ky_kanji_number(2000, buf, sizeof buf), "二千");
    assert_string_equal(ky_kanji_number(11000, buf, sizeof buf), "一万千");
}

static void formats_era_dates(void **state)
{
    (void)state;
    ky_arena arena;
    ky_arena_init(&arena);
    ky_diags diags;
    ky_diags_init(&diags);
    ky_template tpl = {0};
    tpl.text[KY_JA][KY_TEXT_MONTHS] = "1 2 3 4 5 6 7 8 9 10 11 12";
    tpl.text[KY_JA][KY_TEXT_DATE_ERA] = "{era}{era-year}年{month}月{day}日";
    assert_string_equal(ky_format_date(&tpl, KY_JA, 2017, 8, 14, true, &arena, &diags),
                        "平成29年8月14日");
    assert_string_equal(ky_format_date(&tpl, KY_JA, 1989, 1, 7, true, &arena, &diags),
                        "昭和64年1月7日");
    assert_string_equal(ky_format_date(&tpl, KY_JA, 2019, 5, 1, true, &arena, &diags),
                        "令和元年5月1日");
    tpl.text[KY_JA][KY_TEXT_DATE_ERA] = "{era}{kanji-era-year}年{kanji-month}月{kanji-day}日";
    assert_string_equal(ky_format_date(&tpl, KY_JA, 2017, 8, 14, true, &arena, &diags),
                        "平成二十九年八月十四日");
    assert_string_equal(ky_format_date(&tpl, KY_JA, 1989, 1, 8, true, &arena, &diags),
                        "平成元年一月八日");
    tpl.text[KY_JA][KY_TEXT_DATE] = "{kanji-year}年{kanji-month}月{kanji-day}日";
    assert_string_equal(ky_format_date(&tpl, KY_JA, 2017, 8, 14, false, &arena, &diags),
                        "二千十七年八月十四日");
    assert_int_equal(diags.errors, 0);
    assert_null(ky_format_date(&tpl, KY_JA, 1850, 1, 1, true, &arena, &diags));
    assert_int_equal(diags.errors, 1);
    ky_diags_free(&diags);
    ky_arena_free(&arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(expands_placeholders), cmocka_unit_test(reports_unknown_placeholder),
        cmocka_unit_test(parses_lengths),       cmocka_unit_test(formats_dates_per_language),
        cmocka_unit_test(finds_era_boundaries), cmocka_unit_test(writes_kanji_numerals),
        cmocka_unit_test(formats_era_dates),
    };
    return cmocka_run_group_tests_name("template", tests, NULL, NULL);
}
