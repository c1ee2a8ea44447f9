#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "draft.h"

static void collapse(const char *in, const char *expected)
{
    char out[256];
    ky_ws_state ws = {0, 0, 0};
    size_t n = ky_collapse_space(&ws, in, strlen(in), out);
    out[n] = '\0';
    assert_string_equal(out, expected);
}

static void collapses_runs_and_trims(void **state)
{
    (void)state;
    collapse("  The \n   Dialogue\twas  held ", "The Dialogue was held");
}

static void joins_japanese_source_lines(void **state)
{
    (void)state;
    /* A line break between two Japanese characters is source wrapping. */
    collapse("開催された。\n        対話では", "開催された。対話では");
    /* A space typed on one line is kept; so is a break next to Latin. */
    collapse("日本 国", "日本 国");
    collapse("（NISC）\n及び", "（NISC）及び");
    collapse("ICT\nを利用", "ICT を利用");
}

static void carries_state_across_spans(void **state)
{
    (void)state;
    ky_ws_state ws = {0, 0, 0};
    char out[64];
    size_t n = ky_collapse_space(&ws, "a free ", 7, out);
    out[n] = '\0';
    assert_string_equal(out, "a free");
    n = ky_collapse_space(&ws, "and open", 8, out);
    out[n] = '\0';
    assert_string_equal(out, " and open");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(collapses_runs_and_trims),
        cmocka_unit_test(joins_japanese_source_lines),
        cmocka_unit_test(carries_state_across_spans),
    };
    return cmocka_run_group_tests_name("draft", tests, NULL, NULL);
}
