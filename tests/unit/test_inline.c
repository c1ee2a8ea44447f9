/* Inline markup through draft.c, merge.c and typeset.c with the shipped
 * template: the style bits each element gives (nested both ways), party
 * names in the copy's order, forced breaks, text that must stay on one line,
 * links, superscripts and subscripts. */
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

static const char parties3[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<statement><parties>"
    "<party id=\"jp\"><name><en>Japan</en><ja>日本</ja></name>"
    "<government><en>the Government of Japan</en><ja>日本国政府</ja></government></party>"
    "<party id=\"in\"><name><en>India</en><ja>インド</ja></name>"
    "<short><en>Ind.</en><ja>印</ja></short>"
    "<government><en>the Government of India</en><ja>インド政府</ja></government></party>"
    "<party id=\"au\"><name><en>Australia</en><ja>オーストラリア</ja></name>"
    "<government><en>the Government of Australia</en><ja>豪州政府</ja></government></party>"
    "</parties><title><en>T</en><ja>題</ja></title>\n";

/* The first paragraph's spans in lang, merged for copy (NULL: the draft's
 * order), from a draft of the three parties above. */
static const ky_span *first_paragraph(merged *m, const char *body, const char *copy, ky_lang lang)
{
    merged_init(m);
    size_t size = strlen(parties3) + strlen(body) + 32;
    char *text = ky_arena_alloc(&m->arena, size);
    snprintf(text, size, "%s%s</statement>\n", parties3, body);
    m->doc = ky_draft_load_memory("t.xml", text, strlen(text), NULL, &m->arena, &m->diags);
    if (!m->doc) ky_diags_print(&m->diags, stderr);
    assert_non_null(m->doc);
    ky_template_dirs dirs = {{KY_TEMPLATE_DIR}, 1};
    m->tpl = ky_template_load("joint-statement", &dirs, &m->arena, &m->diags, NULL, 0);
    assert_non_null(m->tpl);
    ky_merge_options options = {.copy = copy};
    m->flow[lang] = ky_merge(m->doc, m->tpl, lang, &options, &m->arena, &m->diags);
    assert_non_null(m->flow[lang]);
    return body_spans(m, lang);
}

static void styles_nest_both_ways(void **state)
{
    (void)state;
    merged m;
    const ky_span *spans = first_paragraph(
        &m,
        "<p><en><strong>b<em>bi</em></strong><em>i<strong>ib</strong><em>r</em></em>"
        "1<sup>st</sup> CO<sub>2</sub><sup>a<sub>b</sub></sup><nobreak>n<em>ne</em></nobreak>"
        "</en><ja>甲</ja></p>",
        NULL, KY_EN);
    assert_int_equal(span_with(spans, "b")->style, KY_SPAN_STRONG);
    assert_int_equal(span_with(spans, "bi")->style, KY_SPAN_STRONG | KY_SPAN_EMPHASIS);
    assert_int_equal(span_with(spans, "i")->style, KY_SPAN_EMPHASIS);
    assert_int_equal(span_with(spans, "ib")->style, KY_SPAN_STRONG | KY_SPAN_EMPHASIS);
    /* Emphasis inside emphasis is roman again. */
    assert_int_equal(span_with(spans, "r")->style, 0);
    assert_int_equal(span_with(spans, "st")->style, KY_SPAN_SUPERSCRIPT);
    assert_int_equal(span_with(spans, "2")->style, KY_SPAN_SUBSCRIPT);
    /* The innermost script wins. */
    assert_int_equal(span_with(spans, "b")->next->style, KY_SPAN_STRONG | KY_SPAN_EMPHASIS);
    assert_int_equal(span_with(spans, "a")->style, KY_SPAN_SUPERSCRIPT);
    assert_int_equal(span_with(spans, "a")->next->style, KY_SPAN_SUBSCRIPT);
    assert_int_equal(span_with(spans, "n")->style, KY_SPAN_NOBREAK);
    assert_int_equal(span_with(spans, "ne")->style, KY_SPAN_NOBREAK | KY_SPAN_EMPHASIS);
    merged_free(&m);
}

static void roles_of_styles(void **state)
{
    (void)state;
    assert_int_equal(ky_span_role(0, KY_ROLE_BODY), KY_ROLE_BODY);
    assert_int_equal(ky_span_role(KY_SPAN_STRONG, KY_ROLE_BODY), KY_ROLE_BOLD);
    assert_int_equal(ky_span_role(KY_SPAN_EMPHASIS, KY_ROLE_BODY), KY_ROLE_ITALIC);
    assert_int_equal(ky_span_role(KY_SPAN_STRONG | KY_SPAN_EMPHASIS, KY_ROLE_BODY),
                     KY_ROLE_BOLD_ITALIC);
    /* In a bold heading, emphasis is bold italic; in an italic date line,
     * roman. */
    assert_int_equal(ky_span_role(KY_SPAN_EMPHASIS, KY_ROLE_BOLD), KY_ROLE_BOLD_ITALIC);
    assert_int_equal(ky_span_role(KY_SPAN_EMPHASIS, KY_ROLE_ITALIC), KY_ROLE_BODY);
    assert_int_equal(ky_span_role(KY_SPAN_STRONG, KY_ROLE_ITALIC), KY_ROLE_BOLD_ITALIC);
}

/* <parties joiner="and"/> joins running text as the template says, in the
 * copy's order; <party ref> prints one party in the form asked for. */
static void parties_in_running_text_follow_the_copy(void **state)
{
    (void)state;
    static const char body[] =
        "<p><en><parties joiner=\"and\"/> agreed; <party ref=\"in\"/>, <party ref=\"in\" "
        "form=\"short\"/> and <party ref=\"au\" form=\"government\"/>: <parties/>.</en>"
        "<ja><parties joiner=\"and\"/>は合意した。<party ref=\"in\" form=\"government\"/></ja></p>";
    static const struct {
        const char *copy;
        ky_lang lang;
        const char *expected;
    } cases[] = {
        {NULL, KY_EN,
         "Japan, India, and Australia agreed; India, Ind. and the Government of Australia: "
         "Japan–Ind.–Australia."},
        {"in", KY_EN,
         "India, Japan, and Australia agreed; India, Ind. and the Government of Australia: "
         "Ind.–Japan–Australia."},
        {NULL, KY_JA, "日本、インド及びオーストラリアは合意した。インド政府"},
        {"au", KY_JA, "オーストラリア、日本及びインドは合意した。インド政府"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        merged m;
        const ky_span *spans = first_paragraph(&m, body, cases[i].copy, cases[i].lang);
        assert_string_equal(ky_spans_plain(spans, &m.arena), cases[i].expected);
        merged_free(&m);
    }
    /* Two parties: "and" alone. */
    merged m;
    merged_init(&m);
    merge_body(
        &m, "joint-statement",
        "<p><en>By <parties joiner=\"and\"/>.</en><ja><parties joiner=\"and\"/>による。</ja></p>");
    merged_free(&m);
}

static void links_and_breaks_in_the_model(void **state)
{
    (void)state;
    merged m;
    const ky_span *spans = first_paragraph(
        &m,
        "<p><en>See <link href=\"https://www.mofa.go.jp/\">the <em>Ministry</em></link> or "
        "<link href=\"https://www.mea.gov.in/\"/>.<br/>  Next line.</en><ja>甲</ja></p>",
        NULL, KY_EN);
    const ky_span *ministry = span_with(spans, " Ministry");
    assert_int_equal(ministry->style, KY_SPAN_LINK | KY_SPAN_EMPHASIS);
    assert_string_equal(ministry->href, "https://www.mofa.go.jp/");
    /* A link without content shows its address. */
    const ky_span *bare = span_with(spans, " https://www.mea.gov.in/");
    assert_string_equal(bare->href, "https://www.mea.gov.in/");
    const ky_span *br = bare->next->next;
    assert_int_equal(br->style, KY_SPAN_BREAK);
    /* The line after a break starts with its first word. */
    assert_string_equal(span_with(spans, "Next line.")->text, "Next line.");
    merged_free(&m);
}

/* Typesets text in lang's body style at width. */
static void set(fixture *f, ky_typesetter *ts, ky_arena *arena, ky_lang lang, const ky_span *spans,
                double width, ky_set_text *out)
{
    const ky_style *style = ky_template_style(f->tpl, lang, KY_STYLE_BODY, false);
    assert_int_equal(ky_typeset(ts, arena, lang, spans, style, width, "t.xml", 1, out), 0);
}

/* The first and last byte of the text on line n. */
static void line_bytes(const ky_set_text *set, size_t n, uint32_t *first, uint32_t *end)
{
    *first = UINT32_MAX, *end = 0;
    for (size_t i = set->lines[n].first; i < set->lines[n].end; i++) {
        const ky_item *item = &set->items.items[i];
        if (item->kind != KY_ITEM_BOX) continue;
        if (item->start < *first) *first = item->start;
        if (item->start + item->len > *end) *end = item->start + item->len;
    }
}

/* Swept over measures: no line breaks inside a <nobreak> nor hyphenates
 * it (unless it is wider than the measure), while the rest still breaks. */
static void nobreak_stays_on_one_line(void **state)
{
    fixture *f = *state;
    ky_typesetter ts = {
        .tpl = f->tpl, .fonts = &f->fonts, .hyphenator = &f->hyphenator, .diags = &f->diags};
    static const char *const kept[KY_LANG_COUNT] = {"Prime Minister Shri Narendra Modi",
                                                    "ナレンドラ・モディ首相"};
    static const char *const before[KY_LANG_COUNT] = {
        "The representatives noted with appreciation the participation of ", "会合には"};
    static const char *const after[KY_LANG_COUNT] = {
        " in the opening session of the dialogue on international cooperation.",
        "が出席し、国際協力に関する対話の開会式に参加した。"};
    for (int lang = 0; lang < KY_LANG_COUNT; lang++) {
        ky_span tail = {.text = after[lang], .len = strlen(after[lang])};
        ky_span keep = {
            .text = kept[lang], .len = strlen(kept[lang]), .style = KY_SPAN_NOBREAK, .next = &tail};
        ky_span head = {.text = before[lang], .len = strlen(before[lang]), .next = &keep};
        uint32_t start = (uint32_t)head.len, end = start + (uint32_t)keep.len;
        size_t multi = 0;
        for (double width = 180; width < 460; width += 2.5) {
            ky_arena arena;
            ky_arena_init(&arena);
            ky_set_text out;
            set(f, &ts, &arena, (ky_lang)lang, &head, width, &out);
            multi += out.line_count > 1;
            for (size_t n = 0; n < out.line_count; n++) {
                uint32_t first, last;
                line_bytes(&out, n, &first, &last);
                /* No line starts or ends inside the kept stretch. */
                assert_false(first > start && first < end);
                assert_false(last > start && last < end);
                /* And no hyphen breaks it. */
                size_t e = out.lines[n].end;
                if (e < out.items.count && out.items.items[e].kind == KY_ITEM_PENALTY &&
                    out.items.items[e].flagged)
                    assert_false(last > start && last <= end);
            }
            ky_arena_free(&arena);
        }
        assert_true(multi > 0);
    }
    ky_breakers_free(&ts.breakers);
}

/* A forced break ends a line there, and the line before it is not
 * justified (it keeps its natural word spaces). */
static void br_ends_a_line_unjustified(void **state)
{
    fixture *f = *state;
    ky_typesetter ts = {.tpl = f->tpl, .fonts = &f->fonts, .diags = &f->diags};
    ky_span second = {.text = "Second part of the text, set on a line of its own.", .len = 0};
    second.len = strlen(second.text);
    ky_span br = {.text = "", .style = KY_SPAN_BREAK, .next = &second};
    ky_span first = {.text = "First part.", .next = &br};
    first.len = strlen(first.text);
    for (double width = 120; width < 400; width += 7) {
        ky_arena arena;
        ky_arena_init(&arena);
        ky_set_text out;
        set(f, &ts, &arena, KY_EN, &first, width, &out);
        assert_true(out.line_count >= 2);
        uint32_t a, b;
        line_bytes(&out, 0, &a, &b);
        assert_int_equal(a, 0);
        assert_int_equal(b, first.len);
        assert_true(out.lines[0].ratio <= 0);
        line_bytes(&out, 1, &a, &b);
        assert_int_equal(a, first.len);
        ky_arena_free(&arena);
    }
    ky_breakers_free(&ts.breakers);
}

/* What stays together by itself, in both languages, swept over measures
 * where it matters: no line ends inside any of these (an English word may
 * still be hyphenated). */
static void stays_together_at_every_measure(void **state)
{
    fixture *f = *state;
    ky_typesetter ts = {
        .tpl = f->tpl, .fonts = &f->fonts, .hyphenator = &f->hyphenator, .diags = &f->diags};
    static const struct {
        ky_lang lang;
        const char *text;
        const char *kept[6];
    } cases[] = {
        {KY_EN,
         "The meeting was opened by H.E. Mr. Narendra Modi and S. Jaishankar on 14 August, who "
         "announced 12 billion yen for 100 km of railway under Art. 5 and No. 12, as agreed on "
         "August 14 by Dr. Sato, e.g. under the framework of cooperation.",
         {"H.E. Mr. Narendra", "S. Jaishankar", "14 August", "12 billion", "100 km", "Art. 5"}},
        {KY_EN,
         "The delegation, led by Shri Vikram Misri and Smt. Kumar, met on August 14 again.",
         {"Shri Vikram", "Smt. Kumar", "August 14"}},
        {KY_JA,
         "両国は、2017年10月29日に開催された第2回対話において、1,000件の事案及び3〜4回の演習"
         "について協議し、ＩＣＴ分野の協力を100%実施することを確認した。",
         {"2017年", "10月", "29日", "第2回", "1,000件", "3〜4回"}},
        {KY_JA, "ＩＣＴ及びＡＩの分野における協力", {"ＩＣＴ", "ＡＩ"}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        ky_span span = {.text = cases[c].text, .len = strlen(cases[c].text)};
        size_t multi = 0;
        for (double width = 60; width < 420; width += 1.75) {
            ky_arena arena;
            ky_arena_init(&arena);
            ky_set_text out;
            set(f, &ts, &arena, cases[c].lang, &span, width, &out);
            multi += out.line_count > 1;
            for (size_t k = 0; k < 6 && cases[c].kept[k]; k++) {
                const char *at = strstr(out.para.text, cases[c].kept[k]);
                assert_non_null(at);
                uint32_t start = (uint32_t)(at - out.para.text);
                uint32_t end = start + (uint32_t)strlen(cases[c].kept[k]);
                for (size_t n = 1; n < out.line_count; n++) {
                    uint32_t first, last;
                    line_bytes(&out, n, &first, &last);
                    /* Only the emergency setting (a phrase wider than
                     * the measure) may split one. */
                    bool hyphen = out.para.text[first - 1] != ' ' && cases[c].lang == KY_EN;
                    if (first > start && first < end && !hyphen &&
                        out.relaxed != KY_KINSOKU_EMERGENCY)
                        fail_msg("'%s' split at %.1f pt", cases[c].kept[k], width);
                }
            }
            ky_arena_free(&arena);
        }
        assert_true(multi > 0);
    }
    ky_breakers_free(&ts.breakers);
}

/* Japanese headings and signature lines break between phrases (ICU's
 * ja@lw=phrase) at every measure where the phrases fit: never inside
 * サプライチェーン or に関する. */
static void japanese_headings_break_between_phrases(void **state)
{
    fixture *f = *state;
    ky_typesetter ts = {.tpl = f->tpl, .fonts = &f->fonts, .diags = &f->diags};
    static const char text[] = "サプライチェーンの強靱化に関する日印協力";
    static const char *const words[] = {"サプライチェーン", "に関する"};
    const ky_style *style = ky_template_style(f->tpl, KY_JA, KY_STYLE_HEADING, false);
    ky_span span = {.text = text, .len = strlen(text)};
    size_t multi = 0;
    for (double width = 100; width < 240; width += 1.5) {
        ky_arena arena;
        ky_arena_init(&arena);
        ky_set_text out;
        assert_int_equal(ky_typeset(&ts, &arena, KY_JA, &span, style, width, "t.xml", 1, &out), 0);
        multi += out.line_count > 1;
        for (size_t k = 0; k < 2; k++) {
            uint32_t start = (uint32_t)(strstr(text, words[k]) - text);
            uint32_t end = start + (uint32_t)strlen(words[k]);
            for (size_t n = 1; n < out.line_count; n++) {
                uint32_t first, last;
                line_bytes(&out, n, &first, &last);
                if (first > start && first < end)
                    fail_msg("'%s' split at %.1f pt", words[k], width);
            }
        }
        ky_arena_free(&arena);
    }
    assert_true(multi > 0);
    ky_breakers_free(&ts.breakers);
}

/* A text read as one line (the document's title in its metadata): an
 * English <br/> is a word space, one only, and Japanese runs on. */
static void a_line_break_reads_as_a_space_in_english(void **state)
{
    (void)state;
    static const struct {
        const char *body;
        ky_lang lang;
        const char *expected;
    } cases[] = {
        {"<p><en>Vision 2025:<br/>Special</en><ja>ヴィジョン2025<br/>特別</ja></p>", KY_EN,
         "Vision 2025: Special"},
        {"<p><en>Vision 2025:<br/>Special</en><ja>ヴィジョン2025<br/>特別</ja></p>", KY_JA,
         "ヴィジョン2025特別"},
        {"<p><en>Vision 2025: <br/>Special</en><ja>a</ja></p>", KY_EN, "Vision 2025: Special"},
        {"<p><en>One<br/><br/>Two<br/></en><ja>a</ja></p>", KY_EN, "One Two"},
        {"<p><en>No break</en><ja>a</ja></p>", KY_EN, "No break"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        merged m;
        const ky_span *spans = first_paragraph(&m, cases[i].body, NULL, cases[i].lang);
        assert_string_equal(ky_spans_line(spans, cases[i].lang, &m.arena), cases[i].expected);
        merged_free(&m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(styles_nest_both_ways),
        cmocka_unit_test(roles_of_styles),
        cmocka_unit_test(parties_in_running_text_follow_the_copy),
        cmocka_unit_test(a_line_break_reads_as_a_space_in_english),
        cmocka_unit_test(links_and_breaks_in_the_model),
        cmocka_unit_test(nobreak_stays_on_one_line),
        cmocka_unit_test(br_ends_a_line_unjustified),
        cmocka_unit_test(stays_together_at_every_measure),
        cmocka_unit_test(japanese_headings_break_between_phrases),
    };
    return cmocka_run_group_tests_name("inline", tests, setup, teardown);
}
