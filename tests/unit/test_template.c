#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

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
    assert_string_equal(ky_format_date(&tpl, KY_EN, 2017, 8, 14, &arena, &diags), "14 August 2017");
    assert_string_equal(ky_format_date(&tpl, KY_EN, 2017, 12, 1, &arena, &diags),
                        "1 December 2017");
    assert_string_equal(ky_format_date(&tpl, KY_JA, 2017, 8, 14, &arena, &diags), "2017年8月14日");
    tpl.text[KY_EN][KY_TEXT_MONTHS] = "Jan Feb";
    assert_null(ky_format_date(&tpl, KY_EN, 2017, 3, 1, &arena, &diags));
    assert_int_equal(diags.errors, 1);
    ky_diags_free(&diags);
    ky_arena_free(&arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(expands_placeholders),
        cmocka_unit_test(reports_unknown_placeholder),
        cmocka_unit_test(parses_lengths),
        cmocka_unit_test(formats_dates_per_language),
    };
    return cmocka_run_group_tests_name("template", tests, NULL, NULL);
}
