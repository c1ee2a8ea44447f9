/* Footnotes through draft.c, merge.c and typeset.c with the shipped
 * template: numbered per language in the order of their references, marks
 * and labels from the template, the mark attached to its word and never
 * the start of a line, set smaller and raised. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merged.h"
#include "typeset.h"

/* English has three notes, Japanese two (a translation may drop one), in a
 * recital, a list item, a paragraph and an annex. */
static const char body[] =
    "<preamble><p><en>Recalling the Joint Statement of 2014 <note>Issued in Tokyo on 1 "
    "September 2014.</note> and</en><ja>2014年の共同声明<note>2014年9月1日に東京で発出。"
    "</note>を想起し、</ja></p></preamble>"
    "<p><en>The sides will cooperate in:</en><ja>双方は、次の分野で協力する。</ja>"
    "<list style=\"bullet\"><item><en>railways<note>Including the Shinkansen system.</note>;</en>"
    "<ja>鉄道</ja></item></list></p>"
    "<p><en>They met in <em>Tokyo</em>.<note>At the Ministry of <parties/> affairs.</note></en>"
    "<ja>東京で会談した。<note>外務省において。</note></ja></p>";

/* The note marks of a flow, in order: mark text, label, the text before. */
typedef struct {
    const char *mark, *label, *before, *body;
    unsigned style;
} found_note;

static size_t marks_of(merged *m, ky_lang lang, found_note *out, size_t most)
{
    size_t n = 0;
    for (const ky_block *b = m->flow[lang]->first; b; b = b->next) {
        const ky_span *previous = NULL;
        for (const ky_span *s = b->spans; s; previous = s, s = s->next) {
            if (!s->note) continue;
            assert_true(n < most);
            out[n++] = (found_note){
                .mark = ky_arena_strndup(&m->arena, s->text, s->len),
                .label = s->note->label,
                .before =
                    previous ? ky_arena_strndup(&m->arena, previous->text, previous->len) : "",
                .body = ky_spans_plain(s->note->spans, &m->arena),
                .style = s->style};
        }
    }
    return n;
}

static void numbered_per_language_with_the_template_texts(void **state)
{
    (void)state;
    merged m;
    merged_init(&m);
    merge_body(&m, "joint-statement", body);
    found_note en[8], ja[8];
    assert_int_equal(marks_of(&m, KY_EN, en, 8), 3);
    assert_int_equal(marks_of(&m, KY_JA, ja, 8), 2);
    for (int i = 0; i < 3; i++) {
        char number[16];
        snprintf(number, sizeof number, "%d", i + 1);
        assert_string_equal(en[i].mark, number);
        assert_string_equal(en[i].label, number);
        assert_true(en[i].style & KY_SPAN_SUPERSCRIPT);
    }
    assert_string_equal(ja[0].mark, "注1");
    assert_string_equal(ja[1].label, "注2");
    /* The mark stands against its word: white space before <note> goes. */
    assert_string_equal(en[0].before, "Recalling the Joint Statement of 2014");
    /* Notes hold inline markup as any text does: the parties' names too. */
    assert_string_equal(en[2].body, "At the Ministry of Japan affairs.");
    assert_string_equal(ja[1].body, "外務省において。");
    merged_free(&m);
}

/* Text after a note is spaced as after a word; the plain text of a
 * paragraph (what diff and lint compare) holds its notes in brackets. */
static void text_after_a_note_and_plain_text(void **state)
{
    (void)state;
    merged m;
    merged_init(&m);
    merge_body(&m, "joint-statement", body);
    const ky_node *recital = m.doc->body;
    const char *plain = ky_ltext_plain(&recital->text.lang[KY_EN], &m.arena);
    assert_string_equal(plain,
                        "Recalling the Joint Statement of 2014[Issued in Tokyo on 1 September "
                        "2014.] and");
    merged_free(&m);
}

/* Swept over measures: the mark never starts a line (it goes with the word
 * before it), and it is set at KY_SCRIPT_SCALE of the size. */
static void mark_never_starts_a_line(void **state)
{
    fixture *f = *state;
    ky_typesetter ts = {.tpl = f->tpl, .fonts = &f->fonts, .diags = &f->diags};
    for (int lang = 0; lang < KY_LANG_COUNT; lang++) {
        const ky_style *style = ky_template_style(f->tpl, (ky_lang)lang, KY_STYLE_BODY, false);
        ky_note note = {.number = 12, .label = "12"};
        ky_span after = {.text =
                             lang == KY_EN ? ", as agreed in the previous round." : "を確認した。"};
        after.len = strlen(after.text);
        ky_span mark = {.text = lang == KY_EN ? "12" : "注12",
                        .style = KY_SPAN_NOTE | KY_SPAN_SUPERSCRIPT,
                        .note = &note,
                        .next = &after};
        mark.len = strlen(mark.text);
        ky_span text = {.text = lang == KY_EN ? "The sides discussed cybersecurity cooperation"
                                              : "両国はサイバーセキュリティ協力について協議し",
                        .next = &mark};
        text.len = strlen(text.text);
        for (double width = 30; width < 400; width += 1.5) {
            ky_arena arena;
            ky_arena_init(&arena);
            ky_set_text set;
            assert_int_equal(
                ky_typeset(&ts, &arena, (ky_lang)lang, &text, style, width, "t.xml", 1, &set), 0);
            assert_int_equal(set.note_count, 1);
            assert_int_equal(set.notes[0].offset, text.len);
            size_t line = ky_set_text_line_at(&set, set.notes[0].offset);
            const ky_item *items = set.items.items;
            size_t first = set.lines[line].first;
            while (first < set.lines[line].end && items[first].kind != KY_ITEM_BOX)
                first++;
            assert_true(first < set.lines[line].end);
            assert_true(items[first].start < text.len);
            bool found = false;
            for (size_t i = 0; i < set.items.count; i++)
                if (items[i].kind == KY_ITEM_BOX && items[i].start >= text.len &&
                    items[i].start < text.len + mark.len) {
                    assert_int_equal(items[i].script, KY_SCRIPT_SUPER);
                    found = true;
                }
            assert_true(found);
            ky_arena_free(&arena);
        }
    }
    ky_breakers_free(&ts.breakers);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numbered_per_language_with_the_template_texts),
        cmocka_unit_test(text_after_a_note_and_plain_text),
        cmocka_unit_test(mark_never_starts_a_line),
    };
    return cmocka_run_group_tests_name("notes", tests, setup, teardown);
}
