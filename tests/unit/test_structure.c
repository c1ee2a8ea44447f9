/* The structure elements the layout records for a tagged PDF (pages.c):
 * Parts per language, heading levels that never skip, lists nested in
 * items, and the Part's bound on children. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "pages.h"

typedef struct {
    ky_arena arena;
    ky_pages pages;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    ky_arena_init(&f->arena);
    ky_pages_init(&f->pages, (ky_page_sink){0}, &f->arena);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ky_arena_free(&f->arena);
    free(f);
    return 0;
}

static const ky_struct_elem *elem(const ky_pages *pages, int sid)
{
    assert_true(sid >= 0 && (size_t)sid < pages->elem_count);
    return &pages->elems[sid];
}

/* Each language's blocks go to a Part of its own under the Document,
 * however the two interleave (the parallel layout). */
static void parts_per_language(void **state)
{
    ky_pages *pages = &((fixture *)*state)->pages;
    int en1 = ky_pages_block(pages, KY_SE_P, KY_EN);
    int ja1 = ky_pages_block(pages, KY_SE_P, KY_JA);
    int en2 = ky_pages_block(pages, KY_SE_P, KY_EN);
    assert_int_equal(elem(pages, 0)->type, KY_SE_DOCUMENT);
    int en_part = elem(pages, en1)->parent, ja_part = elem(pages, ja1)->parent;
    assert_int_equal(elem(pages, en2)->parent, en_part);
    assert_int_not_equal(en_part, ja_part);
    assert_int_equal(elem(pages, en_part)->type, KY_SE_PART);
    assert_int_equal(elem(pages, en_part)->lang, KY_EN);
    assert_int_equal(elem(pages, ja_part)->lang, KY_JA);
    assert_int_equal(elem(pages, en_part)->parent, 0);
}

/* A heading more than one level below the last one is raised to the level
 * after it (PDF/UA: levels never skip); each language counts its own. */
static void headings_never_skip(void **state)
{
    ky_pages *pages = &((fixture *)*state)->pages;
    struct {
        ky_se_type asked, got;
    } steps[] = {
        {KY_SE_H3, KY_SE_H1}, /* nothing before it: the first level */
        {KY_SE_H1, KY_SE_H1}, {KY_SE_H2, KY_SE_H2}, {KY_SE_H4, KY_SE_H3}, {KY_SE_H6, KY_SE_H4},
        {KY_SE_H2, KY_SE_H2}, {KY_SE_H3, KY_SE_H3}, {KY_SE_H1, KY_SE_H1}, {KY_SE_H5, KY_SE_H2},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        int sid = ky_pages_block(pages, steps[i].asked, KY_EN);
        if (elem(pages, sid)->type != steps[i].got)
            fail_msg("step %zu: H%d became H%d, not H%d", i, steps[i].asked - KY_SE_H1 + 1,
                     elem(pages, sid)->type - KY_SE_H1 + 1, steps[i].got - KY_SE_H1 + 1);
    }
    /* The other language starts afresh. */
    assert_int_equal(elem(pages, ky_pages_block(pages, KY_SE_H2, KY_JA))->type, KY_SE_H1);
}

/* Items of one depth share an L; a deeper item opens an L inside the last
 * item above it; a shallower one goes back to its own; any other block
 * ends the lists. Swept over depths 0..9 (deeper than the stack). */
static void lists_nest_in_items(void **state)
{
    ky_pages *pages = &((fixture *)*state)->pages;
    int a = ky_pages_list_item(pages, KY_EN, 0);
    int b = ky_pages_list_item(pages, KY_EN, 0);
    int list = elem(pages, a)->parent;
    assert_int_equal(elem(pages, a)->type, KY_SE_LI);
    assert_int_equal(elem(pages, list)->type, KY_SE_L);
    assert_int_equal(elem(pages, b)->parent, list);
    assert_int_equal(elem(pages, elem(pages, list)->parent)->type, KY_SE_PART);
    int inner = ky_pages_list_item(pages, KY_EN, 1);
    int inner_list = elem(pages, inner)->parent;
    assert_int_equal(elem(pages, inner_list)->parent, b);
    int c = ky_pages_list_item(pages, KY_EN, 0);
    assert_int_equal(elem(pages, c)->parent, list);
    ky_pages_block(pages, KY_SE_P, KY_EN);
    int d = ky_pages_list_item(pages, KY_EN, 0);
    assert_int_not_equal(elem(pages, d)->parent, list);
    int last = d;
    for (int depth = 1; depth < 10; depth++) {
        int item = ky_pages_list_item(pages, KY_EN, depth);
        assert_true(item >= 0);
        int up = elem(pages, elem(pages, item)->parent)->parent;
        assert_int_equal(elem(pages, up)->type, KY_SE_LI);
        if (depth < 8) assert_int_equal(up, last);
        last = item;
    }
}

/* A Part holds at most KY_PART_MAX_KIDS children: then another Part of
 * that language begins. */
static void parts_hold_a_bounded_number(void **state)
{
    ky_pages *pages = &((fixture *)*state)->pages;
    int first = -1, parts = 0, part = -1;
    for (int i = 0; i < 2 * KY_PART_MAX_KIDS + 1; i++) {
        int sid = ky_pages_block(pages, KY_SE_P, KY_JA);
        assert_true(sid > 0);
        if (elem(pages, sid)->parent != part) {
            part = elem(pages, sid)->parent;
            parts++;
            if (first < 0) first = part;
            assert_int_equal(i, (parts - 1) * KY_PART_MAX_KIDS);
        }
    }
    assert_int_equal(parts, 3);
    assert_int_equal(elem(pages, part)->lang, KY_JA);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(parts_per_language, setup, teardown),
        cmocka_unit_test_setup_teardown(headings_never_skip, setup, teardown),
        cmocka_unit_test_setup_teardown(lists_nest_in_items, setup, teardown),
        cmocka_unit_test_setup_teardown(parts_hold_a_bounded_number, setup, teardown),
    };
    return cmocka_run_group_tests_name("structure", tests, NULL, NULL);
}
