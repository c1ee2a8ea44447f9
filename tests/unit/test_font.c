#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "fixture.h"

/* PDF/A wants /CapHeight in every FontDescriptor: each face of the font set
 * gives one, as tall as its capitals (below its ascender, above its
 * x-height), and Liberation Serif's is its OS/2 sCapHeight, 1341/2048. */
static void every_face_has_a_cap_height(void **state)
{
    fixture *f = *state;
    for (int i = 0; i < f->fonts.face_count; i++) {
        assert_int_equal(ky_face_open(&f->fonts, i, &f->diags), 0);
        double cap = ky_font_cap_height(&f->fonts, i);
        double ascender = f->fonts.faces[i].ascender;
        assert_true(cap > 0.5);
        assert_true(cap <= ascender);
        if (strcmp(f->fonts.faces[i].id, "serif") == 0)
            assert_float_equal(cap, 1341.0 / 2048, 1e-9);
    }
}

/* A face that cannot be opened has no cap height, and says nothing twice. */
static void a_face_that_cannot_open_gives_zero(void **state)
{
    (void)state;
    ky_fontset fonts;
    memset(&fonts, 0, sizeof fonts);
    fonts.face_count = 1;
    fonts.faces[0].id = "missing";
    fonts.faces[0].path = "/nonexistent/kyodo-test-font.ttf";
    assert_float_equal(ky_font_cap_height(&fonts, 0), 0, 0);
    fonts.faces[0].id = NULL;
    fonts.faces[0].path = NULL;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_face_has_a_cap_height),
        cmocka_unit_test(a_face_that_cannot_open_gives_zero),
    };
    return cmocka_run_group_tests_name("font", tests, setup, teardown);
}
