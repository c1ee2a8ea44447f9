#include "check.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "blocks.h"
#include "draft.h"
#include "font.h"
#include "furniture.h"
#include "merge.h"
#include "quotes.h"
#include "template.h"
#include "utf8.h"

typedef struct {
    const ky_doc *doc;
    const ky_template *tpl;
    ky_fontset *fonts; /* NULL when the font set could not be loaded */
    ky_arena *arena;
    ky_diags *diags;
} ky_lint;

static void finding(ky_lint *lint, ky_severity severity, int line, const char *rule,
                    const char *format, ...) __attribute__((format(printf, 5, 6)));

static void finding(ky_lint *lint, ky_severity severity, int line, const char *rule,
                    const char *format, ...)
{
    va_list args;
    va_start(args, format);
    ky_diag_vadd(lint->diags, severity, lint->doc->path, line, 0, format, args);
    va_end(args);
    lint->diags->last->rule = strdup(rule);
}

/* ---- characters no font has -------------------------------------------------- */

static void glyphs(void *data, const char *what, const ky_btext *text)
{
    ky_lint *lint = data;
    (void)what;
    if (!lint->fonts) return;
    for (int lang = 0; lang < KY_LANG_COUNT; lang++) {
        const ky_ltext *lt = &text->lang[lang];
        for (const ky_span *span = lt->spans; span; span = span->next) {
            ky_role role = ky_span_role(span->style, KY_ROLE_BODY);
            size_t pos = 0;
            while (pos < span->len) {
                uint32_t cp = ky_utf8_next(span->text, span->len, &pos);
                char shown[8] = {0};
                ky_utf8_encode(cp, shown);
                if (cp > 0xFFFF)
                    finding(lint, KY_ERROR, lt->line, "missing-glyph",
                            "U+%04X '%s' is outside the Basic Multilingual Plane, which the PDF "
                            "backend (libharu 2.3.0) cannot encode",
                            cp, shown);
                else if (ky_font_pick(lint->fonts, (ky_lang)lang, role, cp, lint->diags) < 0)
                    finding(lint, KY_ERROR, lt->line, "missing-glyph",
                            "no font in the %s %s chain has U+%04X '%s'",
                            ky_lang_code((ky_lang)lang), ky_role_name(role), cp, shown);
            }
        }
    }
}

/* ---- ASCII quotes a template wants typed as typographic ones ---------------- */

/* smart-quotes="report": the quotes render would have changed, for the
 * writer to type as “ ” ‘ ’ (or to keep: a template that reports them sets
 * them as typed). */
static void quotes(void *data, const char *what, const ky_btext *text)
{
    ky_lint *lint = data;
    for (int lang = 0; lang < KY_LANG_COUNT; lang++) {
        const ky_ltext *lt = &text->lang[lang];
        char *plain = ky_ltext_plain(lt, lint->arena);
        size_t len = strlen(plain), count = 0;
        char *out = ky_arena_alloc(lint->arena, 3 * len + 1);
        size_t n = ky_quotes_convert(plain, len, (ky_lang)lang, out, NULL, &count);
        if (count)
            finding(lint, KY_WARNING, lt->line, "ascii-quotes",
                    "%zu ASCII quote%s in the %s %s, which would read \"%.*s\" with typographic "
                    "quotes",
                    count, count == 1 ? "" : "s", lang == KY_EN ? "English" : "Japanese", what,
                    (int)(n > 200 ? 200 : n), out);
    }
}

/* ---- leftover markers in final statements ---------------------------------- */

static void markers(void *data, const char *what, const ky_btext *text)
{
    ky_lint *lint = data;
    static const char *const leftovers[] = {"TODO", "TBD", "XXX", "【要確認】", "＊＊"};
    for (int lang = 0; lang < KY_LANG_COUNT; lang++) {
        const ky_ltext *lt = &text->lang[lang];
        char *plain = ky_ltext_plain(lt, lint->arena);
        for (size_t i = 0; plain && i < sizeof leftovers / sizeof leftovers[0]; i++)
            if (strstr(plain, leftovers[i]))
                finding(lint, KY_ERROR, lt->line, "leftover-marker",
                        "the %s (%s) still says '%s' in a final statement", what,
                        ky_lang_code((ky_lang)lang), leftovers[i]);
    }
}

/* ---- punctuation and width that belong to the other language ----------------- */

static bool is_digit(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
}

static void widths(void *data, const char *what, const ky_btext *text)
{
    ky_lint *lint = data;
    const ky_ltext *ja = &text->lang[KY_JA], *en = &text->lang[KY_EN];
    char *plain = ky_ltext_plain(ja, lint->arena);
    size_t len = plain ? strlen(plain) : 0, pos = 0;
    uint32_t previous = 0;
    bool reported_punct = false, reported_kana = false;
    while (pos < len) {
        uint32_t cp = ky_utf8_next(plain, len, &pos);
        size_t after = pos;
        uint32_t next = after < len ? ky_utf8_next(plain, len, &after) : 0;
        /* 1,000.5 keeps its ASCII separators; Japanese prose does not. */
        bool in_number = is_digit(previous) && is_digit(next);
        if ((cp == ',' || cp == '.') && !in_number && !reported_punct) {
            finding(lint, KY_WARNING, ja->line, "ja-ascii-punctuation",
                    "ASCII '%c' in the Japanese %s; use '%s'", (char)cp, what,
                    cp == ',' ? "、" : "。");
            reported_punct = true;
        }
        if (cp >= 0xFF61 && cp <= 0xFF9F && !reported_kana) {
            char shown[8] = {0};
            ky_utf8_encode(cp, shown);
            finding(lint, KY_WARNING, ja->line, "ja-halfwidth-kana",
                    "half-width katakana '%s' in the Japanese %s; use full-width katakana", shown,
                    what);
            reported_kana = true;
        }
        previous = cp;
    }
    plain = ky_ltext_plain(en, lint->arena);
    len = plain ? strlen(plain) : 0;
    pos = 0;
    while (pos < len) {
        uint32_t cp = ky_utf8_next(plain, len, &pos);
        char shown[8] = {0}, suggested[8] = {0};
        ky_utf8_encode(cp, shown);
        if (cp >= 0xFF01 && cp <= 0xFF5E)
            suggested[0] = (char)(cp - 0xFEE0);
        else if (cp == 0x3001)
            suggested[0] = ',';
        else if (cp == 0x3002)
            suggested[0] = '.';
        else
            continue;
        finding(lint, KY_WARNING, en->line, "en-fullwidth",
                "full-width '%s' in the English %s; use '%s'", shown, what, suggested);
        break;
    }
}

/* ---- numbers that differ between the languages ------------------------------ */

typedef struct {
    long values[32];
    size_t count;
} ky_numbers;

static void add_number(ky_numbers *numbers, long value)
{
    if (numbers->count < sizeof numbers->values / sizeof numbers->values[0])
        numbers->values[numbers->count++] = value;
}

static bool has_number(const ky_numbers *numbers, long value)
{
    for (size_t i = 0; i < numbers->count; i++)
        if (numbers->values[i] == value) return true;
    return false;
}

/* The numbers a text writes in digits (ASCII or full-width; "1,000" is one
 * number) go in stated; those it writes in words — English month names and
 * number words, so that "14 August 2017" matches 「2017年8月14日」 and "the
 * Second Dialogue" 「第2回」 — go in worded only. */
static void numbers_of(const char *text, bool english, ky_numbers *stated, ky_numbers *worded)
{
    static const char *const months[] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};
    static const char *const words[2][12] = {{"one", "two", "three", "four", "five", "six", "seven",
                                              "eight", "nine", "ten", "eleven", "twelve"},
                                             {"first", "second", "third", "fourth", "fifth",
                                              "sixth", "seventh", "eighth", "ninth", "tenth",
                                              "eleventh", "twelfth"}};
    size_t len = text ? strlen(text) : 0, pos = 0;
    long value = -1;
    while (pos <= len) {
        size_t at = pos;
        uint32_t cp = pos < len ? ky_utf8_next(text, len, &pos) : (pos++, 0);
        if (is_digit(cp)) {
            value = (value < 0 ? 0 : value * 10) + (long)(cp >= 0xFF10 ? cp - 0xFF10 : cp - '0');
            continue;
        }
        if (value >= 0 && cp == ',' && pos < len && is_digit((unsigned char)text[pos])) continue;
        if (value >= 0) add_number(stated, value), value = -1;
        if (!english || cp == 0 || (at > 0 && isalpha((unsigned char)text[at - 1]))) continue;
        for (int m = 0; m < 12; m++)
            if (!strncmp(text + at, months[m], strlen(months[m]))) add_number(worded, m + 1);
        for (int kind = 0; kind < 2; kind++)
            for (int n = 0; n < 12; n++) {
                size_t wlen = strlen(words[kind][n]);
                if (!strncasecmp(text + at, words[kind][n], wlen) &&
                    !isalpha((unsigned char)text[at + wlen]))
                    add_number(worded, n + 1);
            }
    }
}

/* A number one language states in digits that the other does not state at
 * all (in digits or words): "5th" against 「第6回」. */
static long unmatched(const ky_numbers *stated, const ky_numbers *other_stated,
                      const ky_numbers *other_worded)
{
    for (size_t i = 0; i < stated->count; i++)
        if (!has_number(other_stated, stated->values[i]) &&
            !has_number(other_worded, stated->values[i]))
            return stated->values[i];
    return -1;
}

static void numbers(void *data, const char *what, const ky_btext *text)
{
    ky_lint *lint = data;
    if (!text->lang[KY_EN].spans || !text->lang[KY_JA].spans) return;
    ky_numbers en = {0}, en_words = {0}, ja = {0}, ja_words = {0};
    numbers_of(ky_ltext_plain(&text->lang[KY_EN], lint->arena), true, &en, &en_words);
    numbers_of(ky_ltext_plain(&text->lang[KY_JA], lint->arena), false, &ja, &ja_words);
    long missing = unmatched(&en, &ja, &ja_words);
    if (missing >= 0) {
        finding(lint, KY_WARNING, text->lang[KY_JA].line, "number-mismatch",
                "the %s states %ld in English but not in Japanese", what, missing);
        return;
    }
    missing = unmatched(&ja, &en, &en_words);
    if (missing >= 0)
        finding(lint, KY_WARNING, text->lang[KY_JA].line, "number-mismatch",
                "the %s states %ld in Japanese but not in English", what, missing);
}

/* ---- template parameters and signatures ----------------------------------- */

static bool uses(const char *text, const char *placeholder)
{
    return text && strstr(text, placeholder);
}

static void template_needs(ky_lint *lint)
{
    const ky_doc *doc = lint->doc;
    const ky_template *tpl = lint->tpl;
    bool closing = tpl->text[KY_EN][KY_TEXT_CLOSING] || tpl->text[KY_JA][KY_TEXT_CLOSING];
    /* A leaders' declaration may close with its place and date alone, above
     * the signatures, instead of the formula. */
    bool dateline_end = doc->has_issued &&
                        (doc->issued_position ? doc->issued_position > 0 : tpl->dateline_end > 0);
    if (closing && !doc->has_done && !dateline_end)
        finding(lint, KY_ERROR, doc->template_line, "missing-parameter",
                "template '%s' closes with a formula that needs <done> (languages, "
                "authenticity)",
                tpl->name);
    for (int lang = 0; lang < KY_LANG_COUNT; lang++) {
        const char *text = tpl->text[lang][KY_TEXT_CLOSING];
        if ((uses(text, "{date}") || uses(text, "{place}")) &&
            (!doc->has_issued || !doc->place.line)) {
            finding(lint, KY_ERROR, doc->template_line, "missing-parameter",
                    "template '%s' closes with the date and place: the draft needs <issued "
                    "date=\"…\"> with <place>",
                    tpl->name);
            break;
        }
    }
    /* A signed instrument (one with a closing formula) is signed by every
     * party. */
    if (closing)
        for (size_t p = 0; p < doc->party_count; p++) {
            bool signs = false;
            for (size_t s = 0; s < doc->signatory_count; s++)
                signs = signs || doc->signatories[s].party == &doc->parties[p];
            if (!signs)
                finding(lint, KY_ERROR, doc->parties[p].line, "unsigned-party",
                        "party '%s' does not sign, but template '%s' is a signed instrument",
                        doc->parties[p].id, tpl->name);
        }
}

static const char *footer_value(void *data, const char *name)
{
    (void)data;
    return strcmp(name, "page") == 0 || strcmp(name, "pages") == 0 ? "1" : NULL;
}

int ky_check(const char *path, const ky_render_options *options, ky_diags *diags)
{
    int before = diags->errors;
    ky_diag *mark = diags->last;
    ky_arena arena;
    ky_arena_init(&arena);
    ky_doc *doc = ky_draft_load(path, options->encoding, &arena, diags);
    ky_diags_tag(diags, mark, "schema");
    if (!doc) goto done;
    mark = diags->last;
    ky_doc_require_lang(doc, KY_EN, diags);
    ky_doc_require_lang(doc, KY_JA, diags);
    ky_diags_tag(diags, mark, "missing-translation");
    const char *name = options->template_name ? options->template_name
                       : doc->template_name   ? doc->template_name
                                              : KY_DEFAULT_TEMPLATE;
    mark = diags->last;
    ky_template *tpl = ky_template_load(name, &options->template_dirs, &arena, diags, doc->path,
                                        doc->template_line);
    ky_diags_tag(diags, mark, "template");
    mark = diags->last;
    ky_fontset fonts;
    bool have_fonts = ky_fontset_load(&fonts, options->fontset_path, diags) == 0;
    ky_diags_tag(diags, mark, "fonts");
    ky_lint lint = {doc, tpl, have_fonts ? &fonts : NULL, &arena, diags};
    if (tpl) template_needs(&lint);
    /* What the render's merge would refuse (a list style the template has
     * no marker for, a date it cannot write), so that check and render
     * agree on every draft. */
    mark = diags->last;
    ky_merge_options merge_options = {.copy = NULL};
    for (int lang = 0; tpl && lang < KY_LANG_COUNT; lang++) {
        ky_flow *flow = ky_merge(doc, tpl, (ky_lang)lang, &merge_options, &arena, diags);
        if (flow && have_fonts) ky_watermark_check(flow, tpl, &fonts, diags);
        /* The footer is the one text the layout fills in, page by page. */
        ky_expand(tpl, (ky_lang)lang, KY_TEXT_FOOTER, footer_value, NULL, &arena, diags);
    }
    ky_diags_tag(diags, mark, "template");
    /* Tables the layout could not set in any layout. */
    mark = diags->last;
    if (tpl) {
        ky_tables_check(doc->body, tpl, doc->path, diags);
        for (const ky_annex *annex = doc->annexes; annex; annex = annex->next)
            ky_tables_check(annex->body, tpl, doc->path, diags);
    }
    ky_diags_tag(diags, mark, "table");
    ky_doc_each_text(doc, glyphs, &lint);
    if (strcmp(doc->status, "final") == 0) ky_doc_each_text(doc, markers, &lint);
    ky_doc_each_text(doc, widths, &lint);
    ky_doc_each_text(doc, numbers, &lint);
    if (tpl && tpl->smart_quotes == KY_QUOTES_REPORT) ky_doc_each_text(doc, quotes, &lint);
    ky_fontset_free(&fonts);
done:
    ky_arena_free(&arena);
    return diags->errors - before;
}
