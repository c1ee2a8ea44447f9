#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "utf8.h"

static void decodes_each_length(void **state)
{
    (void)state;
    const char *text = "a\xc3\xa9\xe6\x97\xa5\xf0\xa0\xae\xb7"; /* a é 日 𠮷 */
    size_t len = strlen(text), pos = 0;
    assert_int_equal(ky_utf8_next(text, len, &pos), 'a');
    assert_int_equal(ky_utf8_next(text, len, &pos), 0xE9);
    assert_int_equal(ky_utf8_next(text, len, &pos), 0x65E5);
    assert_int_equal(ky_utf8_next(text, len, &pos), 0x20BB7);
    assert_int_equal(pos, len);
}

static void rejects_malformed_sequences(void **state)
{
    (void)state;
    const char *cases[] = {"\xc0\xaf",         "\xe0\x80\xaf", "\xed\xa0\x80",
                           "\xf5\x80\x80\x80", "\xe6\x97",     "\x80"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t pos = 0;
        assert_int_equal(ky_utf8_next(cases[i], strlen(cases[i]), &pos), KY_UTF8_INVALID);
        assert_int_equal(pos, 1);
    }
}

static void encodes_round_trip(void **state)
{
    (void)state;
    const unsigned cps[] = {0x41, 0xE9, 0x3042, 0xFF0C, 0x20BB7};
    for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
        char buf[4];
        size_t n = ky_utf8_encode(cps[i], buf), pos = 0;
        assert_int_equal(ky_utf8_next(buf, n, &pos), cps[i]);
        assert_int_equal(pos, n);
    }
}

static void knows_wide_characters(void **state)
{
    (void)state;
    assert_true(ky_is_wide(0x65E5)); /* 日 */
    assert_true(ky_is_wide(0x30A2)); /* ア */
    assert_true(ky_is_wide(0x3001)); /* 、 */
    assert_true(ky_is_wide(0xFF08)); /* （ */
    assert_false(ky_is_wide('A'));
    assert_false(ky_is_wide(0x2013)); /* – */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decodes_each_length),
        cmocka_unit_test(rejects_malformed_sequences),
        cmocka_unit_test(encodes_round_trip),
        cmocka_unit_test(knows_wide_characters),
    };
    return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
