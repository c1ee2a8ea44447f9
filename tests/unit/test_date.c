#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "counter.h"
#include "date.h"

/* Every year from -1 to past INT_MAX's neighbourhood, as a draft may write
 * it: NULL (accepted) exactly for 1..9999, a clear reason otherwise. */
static void bounds_the_year(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *why; /* NULL: accepted */
        int year;
    } cases[] = {
        {"0000-01-01", "the year must be from 1 to 9999", 0},
        {"0001-01-01", NULL, 1},
        {"1867-12-31", NULL, 1867},
        {"1868-01-01", NULL, 1868},
        {"9999-12-31", NULL, 9999},
        {"10000-01-01", "the year must be from 1 to 9999", 0},
        {"2147483647-01-01", "the year must be from 1 to 9999", 0},
        {"2147483648-01-01", "the year must be from 1 to 9999", 0},
        {"99999999999999999999-01-01", "the year must be from 1 to 9999", 0},
        {"-0001-01-01", "the year must be from 1 to 9999", 0},
        {"-2017-08-14", "the year must be from 1 to 9999", 0},
        {"17-08-14", "not a date of the form YYYY-MM-DD", 0},
        {"2017-8-14", "not a date of the form YYYY-MM-DD", 0},
        {"2017-08-14T10:00", "not a date of the form YYYY-MM-DD", 0},
        {"", "not a date of the form YYYY-MM-DD", 0},
        {"+2017-08-14", "not a date of the form YYYY-MM-DD", 0},
        {" 2017-08-14 ", NULL, 2017},
        {"2017-08-14Z", NULL, 2017},
        {"2017-08-14+09:00", NULL, 2017},
        {"2017-08-14+9", "not a date of the form YYYY-MM-DD", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int y = -7, m = -7, d = -7;
        const char *why = ky_parse_date(cases[i].text, &y, &m, &d);
        if (!cases[i].why) {
            assert_null(why);
            assert_int_equal(y, cases[i].year);
        } else {
            assert_non_null(why);
            assert_string_equal(why, cases[i].why);
            assert_int_equal(y, -7); /* untouched on failure */
        }
    }
}

/* Every day of every month of a sweep of years, against the Gregorian
 * rule written out here: leap years, 29 February of 1900 and 2000. */
static void knows_the_calendar(void **state)
{
    (void)state;
    static const int years[] = {1,    4,    100,  400,  1582, 1868, 1900, 1999,
                                2000, 2016, 2017, 2100, 2400, 9996, 9999};
    static const int lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (size_t i = 0; i < sizeof years / sizeof years[0]; i++)
        for (int month = 0; month <= 13; month++)
            for (int day = 0; day <= 32; day++) {
                int year = years[i];
                bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
                int length = month < 1 || month > 12 ? 0
                             : month == 2 && leap    ? 29
                                                     : lengths[month - 1];
                char text[32];
                snprintf(text, sizeof text, "%04d-%02d-%02d", year, month, day);
                int y, m, d;
                const char *why = ky_parse_date(text, &y, &m, &d);
                if (day >= 1 && day <= length) {
                    assert_null(why);
                    assert_int_equal(y * 10000 + m * 100 + d, year * 10000 + month * 100 + day);
                } else {
                    assert_non_null(why);
                    assert_string_equal(why, "no such day in the Gregorian calendar");
                }
            }
}

static void bounds_whole_numbers(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int ok;
        long value;
    } cases[] = {
        {"0", 1, 0},          {"1", 1, 1},          {"999999", 1, 999999},
        {"1000000", 0, 0},    {"2147483647", 0, 0}, {"2147483648", 0, 0},
        {"4294967297", 0, 0}, {"-1", 0, 0},         {"1e3", 0, 0},
        {" 7", 1, 7},         {"7 ", 1, 7},         {"\n7\t", 1, 7},
        {"+7", 1, 7},         {"007", 1, 7},        {"", 0, 0},
        {" ", 0, 0},          {"0x10", 0, 0},       {"12abc", 0, 0},
        {"- 3", 0, 0},        {"3.0", 0, 0},        {"99999999999999999999999", 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        long value = -7;
        int status = ky_parse_int(cases[i].text, 0, 999999, &value);
        if (cases[i].ok) {
            assert_int_equal(status, 0);
            assert_int_equal(value, cases[i].value);
        } else {
            assert_int_equal(status, -1);
            assert_int_equal(value, -7);
        }
    }
}

static void eras_without_overflow(void **state)
{
    (void)state;
    int era_year = 0;
    assert_string_equal(ky_era(2019, 5, 1, &era_year), "令和");
    assert_int_equal(era_year, 1);
    assert_string_equal(ky_era(2019, 4, 30, &era_year), "平成");
    assert_int_equal(era_year, 31);
    assert_string_equal(ky_era(1989, 1, 7, &era_year), "昭和");
    assert_string_equal(ky_era(1868, 1, 1, &era_year), "明治");
    assert_null(ky_era(1867, 12, 31, &era_year));
    /* year * 10000 overflowed int: INT_MAX came out before Meiji. */
    assert_string_equal(ky_era(INT_MAX, 12, 31, &era_year), "令和");
    assert_int_equal(era_year, INT_MAX - 2019 + 1);
    assert_string_equal(ky_era(9999, 12, 31, &era_year), "令和");
    assert_int_equal(era_year, 7981);
    assert_null(ky_era(INT_MIN, 1, 1, &era_year));
    assert_null(ky_era(-1, 1, 1, &era_year));
}

static void kanji_numbers(void **state)
{
    (void)state;
    char out[64];
    assert_string_equal(ky_kanji_number(1, out, sizeof out), "一");
    assert_string_equal(ky_kanji_number(10, out, sizeof out), "十");
    assert_string_equal(ky_kanji_number(2017, out, sizeof out), "二千十七");
    assert_string_equal(ky_kanji_number(1989, out, sizeof out), "千九百八十九");
    assert_string_equal(ky_kanji_number(9999, out, sizeof out), "九千九百九十九");
    assert_string_equal(ky_kanji_number(99999, out, sizeof out), "九万九千九百九十九");
    assert_string_equal(ky_kanji_number(100000, out, sizeof out), "100000");
    assert_string_equal(ky_kanji_number(0, out, sizeof out), "0");
    /* Unique over every year a date may have. */
    static char seen[10000][48];
    for (int n = 1; n <= 9999; n++) {
        ky_kanji_number(n, seen[n], sizeof seen[n]);
        assert_true(strlen(seen[n]) > 0);
    }
    for (int n = 1; n <= 9999; n++)
        for (int k = n + 1; k <= 9999 && k < n + 200; k++)
            assert_string_not_equal(seen[n], seen[k]);
}

/* Shortlex order: shorter first, then by the symbols' order; the order
 * labels must keep for a reader to follow them. */
static int shortlex(const char *a, const char *b, const char *const *symbols, int count)
{
    /* Compares symbol by symbol (kana are 3 bytes each, letters 1). */
    size_t width = strlen(symbols[0]);
    size_t la = strlen(a) / width, lb = strlen(b) / width;
    if (la != lb) return la < lb ? -1 : 1;
    for (size_t i = 0; i < la; i++) {
        int ia = -1, ib = -1;
        for (int s = 0; s < count; s++) {
            if (!strncmp(a + i * width, symbols[s], width)) ia = s;
            if (!strncmp(b + i * width, symbols[s], width)) ib = s;
        }
        assert_true(ia >= 0 && ib >= 0);
        if (ia != ib) return ia < ib ? -1 : 1;
    }
    return 0;
}

/* The counters moved to counter.c; these sweeps keep guarding them. */
static char *alpha(int n, char *out, size_t size)
{
    return ky_counter_format(KY_COUNTER_ALPHA, n, out, size);
}

static char *kana_of(int n, char *out, size_t size)
{
    return ky_counter_format(KY_COUNTER_KANA, n, out, size);
}

static void letters_count_on(void **state)
{
    (void)state;
    char out[64];
    static const struct {
        int n;
        const char *text;
    } spots[] = {{1, "a"},
                 {2, "b"},
                 {26, "z"},
                 {27, "aa"},
                 {28, "ab"},
                 {52, "az"},
                 {53, "ba"},
                 {702, "zz"},
                 {703, "aaa"},
                 {704, "aab"},
                 {18278, "zzz"},
                 {18279, "aaaa"},
                 {INT_MAX, "fxshrxw"},
                 {0, "0"},
                 {-3, "-3"}};
    for (size_t i = 0; i < sizeof spots / sizeof spots[0]; i++)
        assert_string_equal(alpha(spots[i].n, out, sizeof out), spots[i].text);
    static const char *const letters[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i",
                                          "j", "k", "l", "m", "n", "o", "p", "q", "r",
                                          "s", "t", "u", "v", "w", "x", "y", "z"};
    char previous[64] = "";
    for (int n = 1; n <= 1000; n++) {
        alpha(n, out, sizeof out);
        assert_true(strspn(out, "abcdefghijklmnopqrstuvwxyz") == strlen(out));
        /* Strictly increasing, hence unique: no "?" and no repeats. */
        if (n > 1) assert_int_equal(shortlex(previous, out, letters, 26), -1);
        strcpy(previous, out);
    }
}

static void kana_count_on(void **state)
{
    (void)state;
    char out[64];
    static const char *const kana[] = {
        "ア", "イ", "ウ", "エ", "オ", "カ", "キ", "ク", "ケ", "コ", "サ", "シ", "ス", "セ", "ソ",
        "タ", "チ", "ツ", "テ", "ト", "ナ", "ニ", "ヌ", "ネ", "ノ", "ハ", "ヒ", "フ", "ヘ", "ホ",
        "マ", "ミ", "ム", "メ", "モ", "ヤ", "ユ", "ヨ", "ラ", "リ", "ル", "レ", "ロ", "ワ"};
    assert_string_equal(kana_of(1, out, sizeof out), "ア");
    assert_string_equal(kana_of(25, out, sizeof out), "ノ");
    assert_string_equal(kana_of(26, out, sizeof out), "ハ"); /* was "?" */
    assert_string_equal(kana_of(44, out, sizeof out), "ワ");
    assert_string_equal(kana_of(45, out, sizeof out), "アア");
    assert_string_equal(kana_of(46, out, sizeof out), "アイ");
    assert_string_equal(kana_of(88, out, sizeof out), "アワ");
    assert_string_equal(kana_of(89, out, sizeof out), "イア");
    assert_string_equal(kana_of(44 * 44 + 44, out, sizeof out), "ワワ");
    assert_string_equal(kana_of(44 * 44 + 45, out, sizeof out), "アアア");
    assert_string_equal(kana_of(0, out, sizeof out), "0");
    assert_true(strlen(kana_of(INT_MAX, out, sizeof out)) > 0);
    char previous[64] = "";
    for (int n = 1; n <= 1000; n++) {
        kana_of(n, out, sizeof out);
        if (n > 1) assert_int_equal(shortlex(previous, out, kana, 44), -1);
        strcpy(previous, out);
    }
}

/* A buffer too small for the label is cut, never overrun. */
static void small_buffers(void **state)
{
    (void)state;
    char out[4];
    alpha(703, out, 3);
    assert_string_equal(out, "aa");
    kana_of(45, out, 4);
    assert_string_equal(out, "ア");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bounds_the_year),      cmocka_unit_test(knows_the_calendar),
        cmocka_unit_test(bounds_whole_numbers), cmocka_unit_test(eras_without_overflow),
        cmocka_unit_test(kanji_numbers),        cmocka_unit_test(letters_count_on),
        cmocka_unit_test(kana_count_on),        cmocka_unit_test(small_buffers),
    };
    return cmocka_run_group_tests_name("date", tests, NULL, NULL);
}
