/* The schema read as a table (rng.c), "did you mean" and the quoted source
 * line with its caret (diag.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "rng.h"
#include "xml.h"

extern const char ky_schema_draft[], ky_schema_draft_end[];

static int load(void **state)
{
    ky_xml_init();
    *state = ky_rng_load(ky_schema_draft, (size_t)(ky_schema_draft_end - ky_schema_draft));
    return *state ? 0 : -1;
}

static int unload(void **state)
{
    ky_rng_free(*state);
    return 0;
}

static const ky_rng_item *find(const ky_rng_item *items, size_t count, const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(items[i].name, name) == 0) return &items[i];
    return NULL;
}

static void section_children_in_schema_order(void **state)
{
    const char *path[] = {"statement", "section"};
    ky_rng_content content;
    ky_rng_content_at(*state, path, 2, &content);
    const char *expected[] = {"heading", "p", "list", "table", "item", "section"};
    assert_int_equal(content.child_count, 6);
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(content.children[i].name, expected[i]);
    assert_false(content.children[0].required);
    assert_false(content.text);
    assert_true(content.known);
}

static void required_children_and_attributes(void **state)
{
    const char *path[] = {"statement", "parties", "party"};
    ky_rng_content content;
    ky_rng_content_at(*state, path, 3, &content);
    assert_true(find(content.children, content.child_count, "name")->required);
    assert_false(find(content.children, content.child_count, "short")->required);
    assert_true(find(content.children, content.child_count, "government")->required);
    assert_true(find(content.attributes, content.attribute_count, "id")->required);
    assert_false(find(content.attributes, content.attribute_count, "lang")->required);
}

/* <parties> is a list of parties in <statement>, an empty placeholder in
 * text: the path tells them apart. */
static void the_path_tells_definitions_apart(void **state)
{
    const char *list[] = {"statement", "parties"};
    const char *placeholder[] = {"statement", "title", "en", "parties"};
    ky_rng_content content;
    ky_rng_content_at(*state, list, 2, &content);
    assert_int_equal(content.child_count, 1);
    ky_rng_content_at(*state, placeholder, 4, &content);
    assert_int_equal(content.child_count, 0);
    assert_false(content.text);
    /* Off the schema's paths, by name alone. */
    const char *lost[] = {"statement", "nowhere", "p"};
    ky_rng_content_at(*state, lost, 3, &content);
    assert_true(content.known);
    assert_non_null(find(content.children, content.child_count, "en"));
    const char *unknown[] = {"statement", "heding"};
    ky_rng_content_at(*state, unknown, 2, &content);
    assert_false(content.known);
}

static void values_in_words(void **state)
{
    const char *path[] = {"statement", "issued"};
    ky_rng_content content;
    ky_rng_content_at(*state, path, 2, &content);
    const ky_rng_item *date = find(content.attributes, content.attribute_count, "date");
    const ky_rng_item *calendar = find(content.attributes, content.attribute_count, "calendar");
    char buffer[128];
    const char *expect;
    assert_true(ky_rng_value_ok(date, "2025-03-12", buffer, sizeof buffer, &expect));
    assert_false(ky_rng_value_ok(date, "12/03/2025", buffer, sizeof buffer, &expect));
    assert_string_equal(expect, "YYYY-MM-DD");
    assert_false(ky_rng_value_ok(date, "2017-02-29", buffer, sizeof buffer, &expect));
    assert_true(ky_rng_value_ok(calendar, " japanese ", buffer, sizeof buffer, &expect));
    assert_false(ky_rng_value_ok(calendar, "lunar", buffer, sizeof buffer, &expect));
    assert_string_equal(expect, "gregorian or japanese");
    const char *statement[] = {"statement"};
    ky_rng_content_at(*state, statement, 1, &content);
    const ky_rng_item *provisional =
        find(content.attributes, content.attribute_count, "provisional");
    assert_true(ky_rng_value_ok(provisional, "en  ja", buffer, sizeof buffer, &expect));
    assert_false(ky_rng_value_ok(provisional, "fr", buffer, sizeof buffer, &expect));
    assert_string_equal(expect, "one of en, ja, \"en ja\", \"ja en\"");
}

static void did_you_mean_counts_a_transposition_as_one(void **state)
{
    (void)state;
    const char *names[] = {"parties", "title", "subtitle", "issued"};
    assert_string_equal(ky_closest("titel", names, 4), "title");
    assert_string_equal(ky_closest("isued", names, 4), "issued");
    assert_null(ky_closest("zzzzz", names, 4));
}

/* The diagnostic printed into a string. */
static char *printed(int column, const char *source, ky_color color)
{
    ky_diags diags;
    ky_diags_init(&diags);
    diags.color = color;
    ky_diag_add(&diags, KY_ERROR, "d.xml", 7, column, "bad");
    ky_diags_quote(&diags, source, strlen(source));
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    ky_diags_print(&diags, out);
    fclose(out);
    ky_diags_free(&diags);
    return text;
}

static void caret_under_the_column(void **state)
{
    (void)state;
    /* 日本 take two cells each, the tab runs to the next multiple of 8. */
    char *text = printed(4, "日本\t&x\r", KY_COLOR_NEVER);
    assert_string_equal(text, "d.xml:7:4: error: bad\n"
                              "    7 | 日本    &x\n"
                              "      |         ^\n");
    free(text);
    /* A column past the end: the caret just after the line. */
    text = printed(9, "ab", KY_COLOR_NEVER);
    assert_string_equal(text, "d.xml:7:9: error: bad\n    7 | ab\n      |   ^\n");
    free(text);
    /* No column: no quote. */
    text = printed(0, "ab", KY_COLOR_NEVER);
    assert_string_equal(text, "d.xml:7: error: bad\n");
    free(text);
}

static void long_lines_are_cut_around_the_caret(void **state)
{
    (void)state;
    for (size_t length = 100; length <= 100000; length *= 10) {
        char *line = malloc(length + 1);
        memset(line, 'a', length);
        line[length] = '\0';
        line[length / 2] = '&';
        char *text = printed((int)(length / 2 + 1), line, KY_COLOR_NEVER);
        char *quote = strchr(text, '\n') + 1, *caret = strchr(quote, '\n') + 1;
        assert_true(caret - quote <= 8 + 3 + 120 + 3 + 1);
        size_t at = strchr(caret, '^') - caret;
        assert_int_equal(quote[at], '&');
        free(text);
        free(line);
    }
}

static void colour_as_gcc(void **state)
{
    (void)state;
    char *text = printed(1, "x", KY_COLOR_ALWAYS);
    assert_string_equal(text,
                        "\33[01m\33[Kd.xml:7:1:\33[m\33[K \33[01;31m\33[Kerror:\33[m\33[K bad\n"
                        "    7 | x\n"
                        "      | \33[01;32m\33[K^\33[m\33[K\n");
    free(text);
    ky_color color = KY_COLOR_AUTO;
    assert_true(ky_color_parse("never", &color));
    assert_int_equal(color, KY_COLOR_NEVER);
    assert_true(ky_color_parse("always", &color));
    assert_int_equal(color, KY_COLOR_ALWAYS);
    assert_false(ky_color_parse("sometimes", &color));
    assert_int_equal(color, KY_COLOR_ALWAYS);
    assert_false(ky_color_wanted(KY_COLOR_NEVER, stderr));
    assert_true(ky_color_wanted(KY_COLOR_ALWAYS, stderr));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(section_children_in_schema_order),
        cmocka_unit_test(required_children_and_attributes),
        cmocka_unit_test(the_path_tells_definitions_apart),
        cmocka_unit_test(values_in_words),
        cmocka_unit_test(did_you_mean_counts_a_transposition_as_one),
        cmocka_unit_test(caret_under_the_column),
        cmocka_unit_test(long_lines_are_cut_around_the_caret),
        cmocka_unit_test(colour_as_gcc),
    };
    return cmocka_run_group_tests(tests, load, unload);
}
