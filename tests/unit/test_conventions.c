/* Conventions of signed instruments and official texts, from the draft to
 * the merged flows: the one-em indent of unnumbered Japanese paragraphs
 * (字下げ), the place and date above the signatures, signatories in their
 * own capacity, typographic quotes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merged.h"

static const char ideographic_space[] = "\u3000";

/* The text of a flow's n-th block of the body style (numbered or not). */
static const ky_block *nth_body(const merged *m, ky_lang lang, int n)
{
    for (const ky_block *b = m->flow[lang]->first; b; b = b->next)
        if ((b->style == KY_STYLE_BODY || b->style == KY_STYLE_PREAMBLE) && n-- == 0) return b;
    fail_msg("no body block %d", n);
    return NULL;
}

static const char *plain(merged *m, const ky_block *b)
{
    return ky_spans_plain(b->spans, &m->arena);
}

static bool starts_with(const char *text, const char *prefix)
{
    return strncmp(text, prefix, strlen(prefix)) == 0;
}

static const char jisage_body[] =
    "<preamble><p><en>Recalling,</en><ja>想起し、</ja></p></preamble>"
    "<p numbered=\"no\"><en>Unnumbered.</en><ja>番号のない段落。</ja></p>"
    "<p numbered=\"no\"><en>Typed.</en><ja>\n   　字下げを打った段落。</ja></p>"
    "<p><en>Numbered.</en><ja>番号のある段落。</ja></p>"
    "<p numbered=\"no\"><en>Emphasis.</en><ja><em>強調</em>で始まる段落。</ja></p>";

/* The shipped templates indent unnumbered Japanese paragraphs (recitals
 * too) by one ideographic space, never twice when the writer typed it;
 * numbered paragraphs and English ones are left as they are. */
static void jisage_one_em_typed_or_not(void **state)
{
    (void)state;
    merged m;
    merged_init(&m);
    merge_body(&m, "joint-statement", jisage_body);
    const char *ja[] = {"　想起し、", "　番号のない段落。", "　字下げを打った段落。",
                        "番号のある段落。", "　強調で始まる段落。"};
    for (int i = 0; i < 5; i++) {
        const ky_block *b = nth_body(&m, KY_JA, i);
        assert_string_equal(plain(&m, b), ja[i]);
        assert_false(starts_with(plain(&m, nth_body(&m, KY_EN, i)), ideographic_space));
    }
    assert_non_null(nth_body(&m, KY_JA, 3)->label);
    /* The emphasis stays emphasis; the indent is a span of its own. */
    const ky_block *em = nth_body(&m, KY_JA, 4);
    assert_string_equal(em->spans->text, ideographic_space);
    assert_true(em->spans->next->style & KY_SPAN_EMPHASIS);
    merged_free(&m);
}

/* A template without the indent keeps what the writer typed, and adds
 * nothing: white-space collapsing never strips U+3000. */
static void jisage_typed_kept_without_the_template_indent(void **state)
{
    (void)state;
    merged m;
    merged_init(&m);
    write_template(&m, "flat",
                   "<template name=\"flat\" extends=\"joint-statement\">"
                   "<typesetting first-line-indent=\"no\"/></template>");
    merge_body(&m, "flat", jisage_body);
    assert_string_equal(plain(&m, nth_body(&m, KY_JA, 1)), "番号のない段落。");
    assert_string_equal(plain(&m, nth_body(&m, KY_JA, 2)), "　字下げを打った段落。");
    merged_free(&m);
}

static const char signed_body[] =
    "<p><en>The last paragraph.</en><ja>最後の段落。</ja></p>"
    "<signatures><signatory party=\"jp\" capacity=\"own\"><name><en>Taro Aso</en>"
    "<ja>麻生太郎</ja></name></signatory>"
    "<signatory party=\"jp\" capacity=\"party\"><name><en>Hirofumi Nakasone</en>"
    "<ja>中曽根弘文</ja></name></signatory>"
    "<signatory party=\"jp\"><name><en>Someone</en><ja>誰か</ja></name></signatory>"
    "</signatures>";

/* The blocks between the last body paragraph and the signatures, as text. */
static void check_end(merged *m, const char *issued, const char *en, const char *ja,
                      bool top_dateline)
{
    char body[1024];
    snprintf(body, sizeof body, "%s%s", issued, signed_body);
    merge_body(m, "joint-statement", body);
    const char *expected[KY_LANG_COUNT] = {en, ja};
    for (int lang = 0; lang < KY_LANG_COUNT; lang++) {
        bool dateline = false;
        const ky_block *before = NULL;
        for (const ky_block *b = m->flow[lang]->first; b; b = b->next) {
            dateline = dateline || b->style == KY_STYLE_DATELINE;
            if (b->next && b->next->kind == KY_BLOCK_SIGNATURES) before = b;
        }
        assert_int_equal(dateline, top_dateline);
        assert_non_null(before);
        assert_string_equal(plain(m, before), expected[lang]);
        if (!top_dateline) assert_null(before->label);
        assert_true(before->keep_with_next);
    }
}

/* <issued position="end">: no dateline under the title, "Done at … on …"
 * after the last paragraph, kept with the signatures. */
static void place_and_date_at_the_end(void **state)
{
    (void)state;
    merged m;
    merged_init(&m);
    check_end(&m,
              "<issued date=\"2008-10-22\" position=\"end\"><place><en>Tokyo</en>"
              "<ja>東京</ja></place></issued>",
              "Done at Tokyo on 22 October 2008", "2008年10月22日に東京で", false);
    merged_free(&m);
    merged_init(&m);
    check_end(&m, "<issued date=\"2008-10-22\"><place><en>Tokyo</en><ja>東京</ja></place></issued>",
              "The last paragraph.", "最後の段落。", true);
    merged_free(&m);
}

/* A template may put it there (<dateline position="end"/>); a draft's
 * position="top" still keeps it under the title. */
static void place_and_date_by_the_template(void **state)
{
    (void)state;
    static const char leaders[] = "<template name=\"leaders\" extends=\"joint-statement\">"
                                  "<dateline position=\"end\"/></template>";
    static const char *const issued[] = {
        "<issued date=\"2008-10-22\"><place><en>Tokyo</en><ja>東京</ja></place></issued>",
        "<issued date=\"2008-10-22\" position=\"top\"><place><en>Tokyo</en><ja>東京</ja>"
        "</place></issued>"};
    for (int i = 0; i < 2; i++) {
        merged m;
        merged_init(&m);
        write_template(&m, "leaders", leaders);
        char body[1024];
        snprintf(body, sizeof body, "%s%s", issued[i], signed_body);
        merge_body(&m, "leaders", body);
        bool dateline = false;
        const ky_block *before = NULL;
        for (const ky_block *b = m.flow[KY_EN]->first; b; b = b->next) {
            dateline = dateline || b->style == KY_STYLE_DATELINE;
            if (b->next && b->next->kind == KY_BLOCK_SIGNATURES) before = b;
        }
        assert_int_equal(dateline, i == 1);
        assert_string_equal(plain(&m, before),
                            i == 0 ? "Done at Tokyo on 22 October 2008" : "The last paragraph.");
        merged_free(&m);
    }
}

/* Without a place, the end line cannot be written: an error at <issued>. */
static void place_and_date_at_the_end_need_a_place(void **state)
{
    (void)state;
    merged m;
    merged_init(&m);
    char body[1024];
    snprintf(body, sizeof body, "<issued date=\"2008-10-22\" position=\"end\"/>%s", signed_body);
    ky_doc *doc = load_body(&m, body);
    assert_non_null(doc);
    ky_template_dirs dirs = {{KY_TEMPLATE_DIR}, 1};
    m.tpl = ky_template_load("joint-statement", &dirs, &m.arena, &m.diags, NULL, 0);
    ky_merge_options options = {0};
    assert_null(ky_merge(doc, m.tpl, KY_EN, &options, &m.arena, &m.diags));
    assert_int_equal(m.diags.errors, 1);
    merged_free(&m);
}

/* capacity="own": that signatory has no for-party line; capacity="party"
 * and no capacity sign for the government. */
static void own_capacity_has_no_for_line(void **state)
{
    (void)state;
    merged m;
    merged_init(&m);
    merge_body(&m, "joint-statement", signed_body);
    for (int lang = 0; lang < KY_LANG_COUNT; lang++) {
        const ky_block *sig = m.flow[lang]->first;
        while (sig->kind != KY_BLOCK_SIGNATURES)
            sig = sig->next;
        assert_int_equal(sig->column_count, 3);
        assert_null(sig->columns[0].for_party);
        assert_string_equal(ky_spans_plain(sig->columns[1].for_party, &m.arena),
                            lang == KY_EN ? "For the Government of Japan" : "日本国政府のために");
        assert_non_null(sig->columns[2].for_party);
    }
    merged_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(jisage_one_em_typed_or_not),
        cmocka_unit_test(jisage_typed_kept_without_the_template_indent),
        cmocka_unit_test(place_and_date_at_the_end),
        cmocka_unit_test(place_and_date_by_the_template),
        cmocka_unit_test(place_and_date_at_the_end_need_a_place),
        cmocka_unit_test(own_capacity_has_no_for_line),
    };
    return cmocka_run_group_tests_name("conventions", tests, NULL, NULL);
}
