/* Smart quotes (quotes.c): ASCII quotes made typographic by context, over
 * a whole text and across its spans. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "merged.h"
#include "quotes.h"

static void expect(ky_lang lang, const char *in, const char *want)
{
    size_t len = strlen(in);
    char *out = malloc(3 * len + 1);
    assert_non_null(out);
    size_t n = ky_quotes_convert(in, len, lang, out, NULL, NULL);
    out[n] = 0;
    if (strcmp(out, want) != 0) fail_msg("'%s' gave '%s', expected '%s'", in, out, want);
    free(out);
}

static void english(void **state)
{
    (void)state;
    expect(KY_EN, "\"Hello,\" she said.", "“Hello,” she said.");
    expect(KY_EN, "It's the parties' view.", "It’s the parties’ view.");
    expect(KY_EN, "'single' quotes", "‘single’ quotes");
    expect(KY_EN, "\"He said 'yes' today.\"", "“He said ‘yes’ today.”");
    expect(KY_EN, "\"'Nested' at the start\"", "“‘Nested’ at the start”");
    expect(KY_EN, "\"ends nested 'here'\"", "“ends nested ‘here’”");
    expect(KY_EN, "in the '90s and '20s", "in the ’90s and ’20s");
    expect(KY_EN, "rock 'n' roll", "rock ’n’ roll");
    expect(KY_EN, "'Tis true, give 'em it", "’Tis true, give ’em it");
    expect(KY_EN, "(\"bracketed\") [\"too\"]", "(“bracketed”) [“too”]");
    expect(KY_EN, "a word\u2014\"quoted\"\u2014here", "a word\u2014“quoted”\u2014here");
    expect(KY_EN, "the 1990s' growth", "the 1990s’ growth");
    expect(KY_EN, "\"", "“");
    expect(KY_EN, "'", "‘");
    expect(KY_EN, "", "");
    expect(KY_EN, "no quotes at all", "no quotes at all");
    /* Typographic quotes typed as such stay, and give context. */
    expect(KY_EN, "“'inner'”", "“‘inner’”");
}

static void japanese(void **state)
{
    (void)state;
    /* Japanese quotes are 「」: ASCII quotes next to Japanese stay as typed. */
    expect(KY_JA, "「\"Act East\"」政策", "「\"Act East\"」政策");
    expect(KY_JA, "政策\"Act East\"を", "政策\"Act East\"を");
    expect(KY_JA, "\"Quad\"の会合", "\"Quad\"の会合");
    expect(KY_JA, "\"日本語\"", "\"日本語\"");
    /* Clearly Latin: a pair among Latin text, an apostrophe in a word. */
    expect(KY_JA, "日本は (\"Act East\") を", "日本は (“Act East”) を");
    expect(KY_JA, "Prime Minister's Office", "Prime Minister’s Office");
    expect(KY_JA, "首相'の", "首相'の");
    expect(KY_JA, "'90年代", "'90年代");
    /* An unpaired quote stays. */
    expect(KY_JA, "a \"b c", "a \"b c");
}

/* Quotes across <em> boundaries: the context runs across spans. */
static void across_spans(void **state)
{
    (void)state;
    merged m;
    merged_init(&m);
    merge_body(&m, "joint-statement",
               "<p><en>They said <em>\"Tokyo</em>\" and \"<em>Delhi</em>\" <em>'n'</em> "
               "\"it's<em>'</em>\".</en><ja>東京と\"デリー\"。</ja></p>");
    const ky_block *b = m.flow[KY_EN]->first;
    while (b->style != KY_STYLE_BODY)
        b = b->next;
    assert_string_equal(ky_spans_plain(b->spans, &m.arena),
                        "They said “Tokyo” and “Delhi” ’n’ “it’s’”.");
    /* The emphasis still covers exactly its words. */
    const ky_span *s = b->spans->next;
    assert_true(s->style & KY_SPAN_EMPHASIS);
    assert_int_equal(s->len, strlen(" “Tokyo"));
    assert_memory_equal(s->text, " “Tokyo", s->len);
    b = m.flow[KY_JA]->first;
    while (b->style != KY_STYLE_BODY)
        b = b->next;
    assert_string_equal(ky_spans_plain(b->spans, &m.arena), "東京と\"デリー\"。");
    merged_free(&m);
}

/* A template may keep them as typed (no) or leave them for check
 * (report); headings, notes and table cells are converted too. */
static void template_switch(void **state)
{
    (void)state;
    static const char body[] =
        "<section><heading><en>The \"Quad\"</en><ja>クアッド</ja></heading>"
        "<p><en>It's<note>The \"note\".</note></en><ja>それ<note>注。</note></ja></p></section>";
    static const char *const modes[] = {"yes", "no", "report"};
    for (int i = 0; i < 3; i++) {
        merged m;
        merged_init(&m);
        char tpl[256];
        snprintf(tpl, sizeof tpl,
                 "<template name=\"q\" extends=\"joint-statement\">"
                 "<typesetting smart-quotes=\"%s\"/></template>",
                 modes[i]);
        write_template(&m, "q", tpl);
        merge_body(&m, "q", body);
        const ky_block *heading = m.flow[KY_EN]->first;
        while (!heading->heading)
            heading = heading->next;
        const ky_block *p = heading->next;
        const ky_span *mark = p->spans->next;
        assert_non_null(mark->note);
        if (i == 0) {
            assert_string_equal(ky_spans_plain(heading->spans, &m.arena), "The “Quad”");
            assert_string_equal(ky_spans_plain(p->spans, &m.arena), "It’s1[The “note”.]");
            assert_string_equal(ky_spans_plain(mark->note->spans, &m.arena), "The “note”.");
        } else {
            assert_string_equal(ky_spans_plain(heading->spans, &m.arena), "The \"Quad\"");
            assert_string_equal(ky_spans_plain(mark->note->spans, &m.arena), "The \"note\".");
        }
        merged_free(&m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(english),
        cmocka_unit_test(japanese),
        cmocka_unit_test(across_spans),
        cmocka_unit_test(template_switch),
    };
    return cmocka_run_group_tests_name("quotes", tests, NULL, NULL);
}
