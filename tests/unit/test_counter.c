#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "counter.h"

static const char *fmt(ky_counter counter, int n)
{
    static char out[64];
    return ky_counter_format(counter, n, out, sizeof out);
}

/* The writings of 1..60 in one counter: every one nonempty and distinct,
 * so that no two items of a list carry the same marker. */
static void sweep_distinct(ky_counter counter)
{
    char seen[61][64];
    for (int n = 1; n <= 60; n++) {
        snprintf(seen[n], sizeof seen[n], "%s", fmt(counter, n));
        assert_true(seen[n][0] != '\0');
        for (int k = 1; k < n; k++)
            if (strcmp(seen[k], seen[n]) == 0)
                fail_msg("%s: %d and %d both write '%s'", ky_counter_name(counter), k, n, seen[n]);
    }
}

static void decimal_writes_digits(void **state)
{
    (void)state;
    char want[16];
    for (int n = 1; n <= 60; n++) {
        snprintf(want, sizeof want, "%d", n);
        assert_string_equal(fmt(KY_COUNTER_DECIMAL, n), want);
    }
    sweep_distinct(KY_COUNTER_DECIMAL);
}

/* Letters count on past z as aa, ab, … (bijective base 26). */
static void alpha_counts_past_z(void **state)
{
    (void)state;
    for (int n = 1; n <= 26; n++) {
        char want[2] = {(char)('a' + n - 1), 0};
        assert_string_equal(fmt(KY_COUNTER_ALPHA, n), want);
        want[0] = (char)('A' + n - 1);
        assert_string_equal(fmt(KY_COUNTER_UPPER, n), want);
    }
    for (int n = 27; n <= 60; n++) {
        char want[3] = {(char)('a' + (n - 27) / 26), (char)('a' + (n - 27) % 26), 0};
        assert_string_equal(fmt(KY_COUNTER_ALPHA, n), want);
    }
    assert_string_equal(fmt(KY_COUNTER_ALPHA, 702), "zz");
    assert_string_equal(fmt(KY_COUNTER_ALPHA, 703), "aaa");
    sweep_distinct(KY_COUNTER_ALPHA);
    sweep_distinct(KY_COUNTER_UPPER);
}

static int roman_value(const char *text)
{
    int total = 0;
    for (const char *c = text; *c; c++) {
        int v = strchr("i", *c) ? 1
                : *c == 'v'     ? 5
                : *c == 'x'     ? 10
                : *c == 'l'     ? 50
                : *c == 'c'     ? 100
                : *c == 'd'     ? 500
                : *c == 'm'     ? 1000
                                : -100000;
        int next = c[1] == 'i'   ? 1
                   : c[1] == 'v' ? 5
                   : c[1] == 'x' ? 10
                   : c[1] == 'l' ? 50
                   : c[1] == 'c' ? 100
                   : c[1] == 'd' ? 500
                   : c[1] == 'm' ? 1000
                                 : 0;
        total += v < next ? -v : v;
    }
    return total;
}

static void roman_reads_back(void **state)
{
    (void)state;
    assert_string_equal(fmt(KY_COUNTER_ROMAN, 1), "i");
    assert_string_equal(fmt(KY_COUNTER_ROMAN, 4), "iv");
    assert_string_equal(fmt(KY_COUNTER_ROMAN, 9), "ix");
    assert_string_equal(fmt(KY_COUNTER_ROMAN, 14), "xiv");
    assert_string_equal(fmt(KY_COUNTER_ROMAN, 40), "xl");
    assert_string_equal(fmt(KY_COUNTER_ROMAN, 49), "xlix");
    assert_string_equal(fmt(KY_COUNTER_ROMAN, 58), "lviii");
    assert_string_equal(fmt(KY_COUNTER_ROMAN, 3999), "mmmcmxcix");
    assert_string_equal(fmt(KY_COUNTER_ROMAN, 4000), "4000");
    for (int n = 1; n <= 60; n++)
        assert_int_equal(roman_value(fmt(KY_COUNTER_ROMAN, n)), n);
    sweep_distinct(KY_COUNTER_ROMAN);
}

/* The katakana orders: 44 in gojūon (ア … ワ), 47 in iroha (イ … ス); past
 * the last, two letters, as with a … z. */
static void kana_in_both_orders(void **state)
{
    (void)state;
    assert_string_equal(fmt(KY_COUNTER_KANA, 1), "ア");
    assert_string_equal(fmt(KY_COUNTER_KANA, 2), "イ");
    assert_string_equal(fmt(KY_COUNTER_KANA, 6), "カ");
    assert_string_equal(fmt(KY_COUNTER_KANA, 44), "ワ");
    assert_string_equal(fmt(KY_COUNTER_KANA, 45), "アア");
    assert_string_equal(fmt(KY_COUNTER_KANA, 46), "アイ");
    assert_string_equal(fmt(KY_COUNTER_IROHA, 1), "イ");
    assert_string_equal(fmt(KY_COUNTER_IROHA, 2), "ロ");
    assert_string_equal(fmt(KY_COUNTER_IROHA, 3), "ハ");
    assert_string_equal(fmt(KY_COUNTER_IROHA, 47), "ス");
    assert_string_equal(fmt(KY_COUNTER_IROHA, 48), "イイ");
    for (int n = 1; n <= 60; n++) {
        size_t want = n <= 44 ? 3 : 6; /* one or two katakana of 3 bytes */
        assert_int_equal(strlen(fmt(KY_COUNTER_KANA, n)), want);
        assert_int_equal(strlen(fmt(KY_COUNTER_IROHA, n)), n <= 47 ? 3 : 6);
    }
    sweep_distinct(KY_COUNTER_KANA);
    sweep_distinct(KY_COUNTER_IROHA);
}

static unsigned first_codepoint(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    return (u[0] & 0x0Fu) << 12 | (u[1] & 0x3Fu) << 6 | (u[2] & 0x3Fu);
}

/* ① … ⑳, ㉑ … ㉟, ㊱ … ㊿ lie in three blocks of Unicode. */
static void circled_spans_three_blocks(void **state)
{
    (void)state;
    for (int n = 1; n <= 50; n++) {
        unsigned want = n <= 20   ? 0x2460u + (unsigned)n - 1
                        : n <= 35 ? 0x3251u + (unsigned)n - 21
                                  : 0x32B1u + (unsigned)n - 36;
        const char *text = fmt(KY_COUNTER_CIRCLED, n);
        assert_int_equal(strlen(text), 3);
        assert_int_equal(first_codepoint(text), want);
    }
    assert_string_equal(fmt(KY_COUNTER_CIRCLED, 1), "①");
    assert_string_equal(fmt(KY_COUNTER_CIRCLED, 21), "㉑");
    assert_string_equal(fmt(KY_COUNTER_CIRCLED, 50), "㊿");
    assert_string_equal(fmt(KY_COUNTER_CIRCLED, 51), "(51)");
    assert_string_equal(fmt(KY_COUNTER_CIRCLED, 60), "(60)");
    sweep_distinct(KY_COUNTER_CIRCLED);
}

/* A small buffer truncates and stays terminated. */
static void small_buffers_stay_terminated(void **state)
{
    (void)state;
    for (int c = 0; c < KY_COUNTER_COUNT; c++)
        for (size_t size = 1; size <= 8; size++)
            for (int n = 1; n <= 60; n++) {
                char out[8];
                memset(out, 'x', sizeof out);
                ky_counter_format((ky_counter)c, n, out, size);
                assert_true(memchr(out, '\0', size) != NULL);
            }
}

static void list_styles_by_name(void **state)
{
    (void)state;
    for (int s = 0; s < KY_LIST_STYLE_COUNT; s++) {
        ky_list_style style;
        assert_true(ky_list_style_parse(ky_list_style_name((ky_list_style)s), &style));
        assert_int_equal(style, s);
        assert_non_null(strstr(ky_list_style_names(), ky_list_style_name((ky_list_style)s)));
    }
    ky_list_style style;
    assert_false(ky_list_style_parse("Alpha", &style));
    assert_false(ky_list_style_parse("", &style));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decimal_writes_digits),
        cmocka_unit_test(alpha_counts_past_z),
        cmocka_unit_test(roman_reads_back),
        cmocka_unit_test(kana_in_both_orders),
        cmocka_unit_test(circled_spans_three_blocks),
        cmocka_unit_test(small_buffers_stay_terminated),
        cmocka_unit_test(list_styles_by_name),
    };
    return cmocka_run_group_tests_name("counter", tests, NULL, NULL);
}
