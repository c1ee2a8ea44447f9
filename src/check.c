#include "check.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
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
#include "xml.h"

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

/* A note's characters need a glyph as much as its paragraph's; findings
 * about them point at the <note>. */
static void glyph_spans(ky_lint *lint, ky_lang lang, int line, const ky_span *spans)
{
    for (const ky_span *span = spans; span; span = span->next) {
        ky_role role = ky_span_role(span->style, KY_ROLE_BODY);
        size_t pos = 0;
        while (pos < span->len) {
            uint32_t cp = ky_utf8_next(span->text, span->len, &pos);
            char shown[8] = {0};
            ky_utf8_encode(cp, shown);
            if (cp > 0xFFFF)
                finding(lint, KY_ERROR, line, "missing-glyph",
                        "U+%04X '%s' is outside the Basic Multilingual Plane, which the PDF "
                        "backend (libharu 2.3.0) cannot encode",
                        cp, shown);
            else if (ky_font_pick(lint->fonts, lang, role, cp, lint->diags) < 0)
                finding(lint, KY_ERROR, line, "missing-glyph",
                        "no font in the %s %s chain has U+%04X '%s'", ky_lang_code(lang),
                        ky_role_name(role), cp, shown);
        }
        if (span->note) glyph_spans(lint, lang, span->note->line, span->note->spans);
    }
}

static void glyphs(void *data, const char *what, const ky_btext *text)
{
    ky_lint *lint = data;
    (void)what;
    if (!lint->fonts) return;
    for (int lang = 0; lang < KY_LANG_COUNT; lang++)
        glyph_spans(lint, (ky_lang)lang, text->lang[lang].line, text->lang[lang].spans);
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

/* URLs are addresses, not prose: their dots are not Japanese punctuation
 * and their digits are not numbers a translation must state. The length
 * of the URL that starts at text + at (http://, https://, www.), without
 * the punctuation that ends the sentence around it; 0 if none does. */
static size_t url_length(const char *text, size_t len, size_t at)
{
    if (at > 0 && isalnum((unsigned char)text[at - 1])) return 0;
    static const char *const schemes[] = {"https://", "http://", "www."};
    bool url = false;
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
        url = url || (len - at > strlen(schemes[i]) &&
                      !strncasecmp(text + at, schemes[i], strlen(schemes[i])));
    if (!url) return 0;
    size_t end = at;
    while (end < len && text[end] > ' ' && text[end] < 0x7F && !strchr("\"<>[]{}|\\^`", text[end]))
        end++;
    while (end > at && strchr(".,;:!?)'", text[end - 1]))
        end--;
    return end - at;
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
        size_t url = url_length(plain, len, pos);
        if (url) {
            pos += url;
            previous = 'u';
            continue;
        }
        uint32_t cp = ky_utf8_next(plain, len, &pos);
        size_t after = pos;
        uint32_t next = after < len ? ky_utf8_next(plain, len, &after) : 0;
        /* 1,000.5 keeps its ASCII separators, and so do Latin words
         * (mofa.go.jp, U.S); Japanese prose does not. */
        bool in_word = (is_digit(previous) || (previous < 0x80 && isalnum((int)previous))) &&
                       (is_digit(next) || (next < 0x80 && isalnum((int)next)));
        if ((cp == ',' || cp == '.') && !in_word && !reported_punct) {
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

/* As many as the text states: a number past a fixed count would be missing
 * from the other language's list, and reported as a mismatch. */
typedef struct {
    ky_arena *arena;
    double *values;
    size_t count, capacity;
} ky_numbers;

static void add_number(ky_numbers *numbers, double value)
{
    /* Hundreds of digits in a row are no number a translation states (and
     * infinities would not sort). */
    if (!isfinite(value)) return;
    if (numbers->count == numbers->capacity) {
        size_t capacity = numbers->capacity ? 2 * numbers->capacity : 32;
        double *values = KY_NEW_ARRAY(numbers->arena, double, capacity);
        if (numbers->count) memcpy(values, numbers->values, numbers->count * sizeof *values);
        numbers->values = values;
        numbers->capacity = capacity;
    }
    numbers->values[numbers->count++] = value;
}

static int compare_numbers(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Equal up to the rounding of decimal fractions ("1.2 billion" is
 * 1.2 × 10⁹ in binary, 12億 an exact integer); numbers is sorted, as a
 * long text states thousands of numbers. */
static bool has_number(const ky_numbers *numbers, double value)
{
    double slack = 1e-14 * fabs(value);
    size_t low = 0, high = numbers->count;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (numbers->values[middle] < value - slack)
            low = middle + 1;
        else
            high = middle;
    }
    return low < numbers->count && numbers->values[low] <= value + slack;
}

static int digit_value(uint32_t cp)
{
    return cp >= 0xFF10 ? (int)(cp - 0xFF10) : (int)(cp - '0');
}

/* A number in digits at text + *pos (ASCII or full-width; "1,000" and
 * "１，０００" are one number, as is "1.5"); *pos moves past it. */
static double digits_at(const char *text, size_t len, size_t *pos)
{
    double mantissa = 0, divisor = 1;
    bool fraction = false;
    while (*pos < len) {
        size_t after = *pos;
        uint32_t cp = ky_utf8_next(text, len, &after);
        if (is_digit(cp)) {
            mantissa = mantissa * 10 + digit_value(cp);
            if (fraction) divisor *= 10;
            *pos = after;
            continue;
        }
        /* A separator belongs to the number when digits follow it: three
         * after a comma (a list "1,2" is two numbers), any after a point. */
        size_t look = after;
        int following = 0;
        while (look < len && following < 4) {
            size_t next = look;
            if (!is_digit(ky_utf8_next(text, len, &next))) break;
            look = next;
            following++;
        }
        if ((cp == ',' || cp == 0xFF0C) && !fraction && following == 3) {
            *pos = after;
        } else if ((cp == '.' || cp == 0xFF0E) && !fraction && following > 0) {
            fraction = true;
            *pos = after;
        } else {
            break;
        }
    }
    return mantissa / divisor;
}

typedef struct {
    const char *word;
    double value;
    int kind; /* 0 unit or teen, 1 tens, 2 ordinal (ends the number), 3 scale */
} ky_number_word;

static const ky_number_word number_words[] = {
    {"zero", 0, 0},         {"one", 1, 0},         {"two", 2, 0},         {"three", 3, 0},
    {"four", 4, 0},         {"five", 5, 0},        {"six", 6, 0},         {"seven", 7, 0},
    {"eight", 8, 0},        {"nine", 9, 0},        {"ten", 10, 0},        {"eleven", 11, 0},
    {"twelve", 12, 0},      {"thirteen", 13, 0},   {"fourteen", 14, 0},   {"fifteen", 15, 0},
    {"sixteen", 16, 0},     {"seventeen", 17, 0},  {"eighteen", 18, 0},   {"nineteen", 19, 0},
    {"twenty", 20, 1},      {"thirty", 30, 1},     {"forty", 40, 1},      {"fifty", 50, 1},
    {"sixty", 60, 1},       {"seventy", 70, 1},    {"eighty", 80, 1},     {"ninety", 90, 1},
    {"first", 1, 2},        {"second", 2, 2},      {"third", 3, 2},       {"fourth", 4, 2},
    {"fifth", 5, 2},        {"sixth", 6, 2},       {"seventh", 7, 2},     {"eighth", 8, 2},
    {"ninth", 9, 2},        {"tenth", 10, 2},      {"eleventh", 11, 2},   {"twelfth", 12, 2},
    {"thirteenth", 13, 2},  {"fourteenth", 14, 2}, {"fifteenth", 15, 2},  {"sixteenth", 16, 2},
    {"seventeenth", 17, 2}, {"eighteenth", 18, 2}, {"nineteenth", 19, 2}, {"twentieth", 20, 2},
    {"thirtieth", 30, 2},   {"fortieth", 40, 2},   {"fiftieth", 50, 2},   {"sixtieth", 60, 2},
    {"seventieth", 70, 2},  {"eightieth", 80, 2},  {"ninetieth", 90, 2},  {"hundredth", 100, 2},
    {"thousandth", 1e3, 2}, {"once", 1, 2},        {"twice", 2, 2},       {"thrice", 3, 2},
    {"double", 2, 2},       {"triple", 3, 2},      {"bilateral", 2, 2},   {"trilateral", 3, 2},
    {"hundred", 100, 3},    {"thousand", 1e3, 3},  {"million", 1e6, 3},   {"billion", 1e9, 3},
    {"trillion", 1e12, 3},  {"decade", 10, 3},     {"decades", 10, 3},
};

/* The number word at text + at (a whole word, any case), or NULL. */
static const ky_number_word *number_word(const char *text, size_t len, size_t at, size_t *end)
{
    size_t stop = at;
    while (stop < len && isalpha((unsigned char)text[stop]))
        stop++;
    for (size_t i = 0; i < sizeof number_words / sizeof number_words[0]; i++)
        if (strlen(number_words[i].word) == stop - at &&
            !strncasecmp(text + at, number_words[i].word, stop - at)) {
            *end = stop;
            return &number_words[i];
        }
    return NULL;
}

/* The next word after a space or a hyphen ("twenty-one", "12 billion"). */
static const ky_number_word *next_number_word(const char *text, size_t len, size_t at, size_t *end)
{
    if (at >= len || (text[at] != ' ' && text[at] != '-')) return NULL;
    return number_word(text, len, at + 1, end);
}

/* Words, and digits followed by words, make one number: "two hundred and
 * fifty", "twenty-first", "12 billion", "1.5 trillion", "two decades";
 * start is the value of digits already read (< 0: none). *pos moves past
 * the words it used. */
static double english_number(const char *text, size_t len, size_t *pos, double start)
{
    double total = 0, current = start < 0 ? 0 : start;
    int last = start < 0 ? -1 : 0; /* the kind of the word before */
    size_t at = *pos, end;
    while (true) {
        const ky_number_word *word =
            last < 0 ? number_word(text, len, at, &end) : next_number_word(text, len, at, &end);
        /* "two hundred and fifty": and joins what a scale began. */
        if (!word && last == 3 && at + 5 < len && !strncasecmp(text + at, " and ", 5)) {
            const ky_number_word *after = number_word(text, len, at + 5, &end);
            if (after && after->kind != 3) word = after;
        }
        if (!word) break;
        if (word->kind == 3) {
            if (word->value >= 1e3) {
                total += (last < 0 ? 1 : current) * word->value;
                current = 0;
            } else {
                current = (last < 0 ? 1 : current) * word->value;
            }
        } else if (last == 0 || last == 2 || (last == 1 && word->kind == 1)) {
            break; /* "one two" is two numbers */
        } else {
            current += word->value;
        }
        last = word->kind;
        at = end;
        if (word->kind == 2) break;
    }
    *pos = at;
    return total + current;
}

static void english_numbers(const char *text, ky_numbers *stated, ky_numbers *worded)
{
    static const char *const months[] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};
    size_t len = text ? strlen(text) : 0, pos = 0;
    while (pos < len) {
        size_t at = pos, skip = url_length(text, len, at);
        if (skip) {
            pos += skip;
            continue;
        }
        uint32_t cp = ky_utf8_next(text, len, &pos);
        if (is_digit(cp)) {
            pos = at;
            double value = digits_at(text, len, &pos);
            add_number(stated, english_number(text, len, &pos, value));
            continue;
        }
        if (!isalpha((unsigned char)cp) || (at > 0 && isalpha((unsigned char)text[at - 1])))
            continue;
        for (int m = 0; m < 12; m++)
            if (!strncmp(text + at, months[m], strlen(months[m]))) add_number(worded, m + 1);
        size_t end = at;
        if (!number_word(text, len, at, &end)) {
            while (pos < len && isalpha((unsigned char)text[pos]))
                pos++;
            continue;
        }
        pos = at;
        add_number(worded, english_number(text, len, &pos, -1));
    }
}

/* Japanese numerals: kanji digits (positional in 二〇一七, or with 十百千),
 * and the myriads 万億兆 after digits or kanji (1兆5000億, 120億, 1.5兆). */
static int kanji_digit(uint32_t cp)
{
    static const uint32_t digits[] = {0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB,
                                      0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D};
    for (int i = 0; i < 10; i++)
        if (cp == digits[i]) return i;
    return -1;
}

static double kanji_multiplier(uint32_t cp)
{
    return cp == 0x5341 ? 10 : cp == 0x767E ? 100 : cp == 0x5343 ? 1000 : 0;
}

static double myriad(uint32_t cp)
{
    return cp == 0x4E07 ? 1e4 : cp == 0x5104 ? 1e8 : cp == 0x5146 ? 1e12 : 0;
}

static bool starts_with(const char *text, size_t len, size_t at, const char *prefix)
{
    return len - at >= strlen(prefix) && !strncmp(text + at, prefix, strlen(prefix));
}

/* Kanji alone are words as often as numbers (一層, 統一, 十分, 二国間): they
 * are stated numbers only after 第 or before a counter, and 一 only after
 * 第 (一日も早く, 一人ひとり). Countries are no counter: 「三か国は」 is how
 * Japanese says "they" or "the trilateral". */
static bool japanese_counter(const char *text, size_t len, size_t at)
{
    static const char *const counters[] = {
        "回", "番目", "周年", "世紀", "か月", "カ月",       "ヶ月", "年", "月", "日",
        "人", "名",   "件",   "％",   "%",    "パーセント", "倍",   "条", "項"};
    for (size_t i = 0; i < sizeof counters / sizeof counters[0]; i++)
        if (starts_with(text, len, at, counters[i])) return true;
    return false;
}

/* A Japanese era year (平成29年, 令和元年) as the Gregorian year it is. */
static bool era_year(const char *text, size_t len, size_t *pos, double *year)
{
    static const struct {
        const char *name;
        int base;
    } eras[] = {{"令和", 2018}, {"平成", 1988}, {"昭和", 1925}, {"大正", 1911}, {"明治", 1867}};
    for (size_t i = 0; i < sizeof eras / sizeof eras[0]; i++) {
        if (!starts_with(text, len, *pos, eras[i].name)) continue;
        size_t at = *pos + strlen(eras[i].name);
        double n = 0;
        if (starts_with(text, len, at, "元")) {
            n = 1;
            at += strlen("元");
        } else {
            size_t start = at;
            while (at < len) {
                size_t next = at;
                uint32_t cp = ky_utf8_next(text, len, &next);
                if (is_digit(cp))
                    n = n * 10 + digit_value(cp);
                else if (kanji_digit(cp) >= 0)
                    n = n * 10 + kanji_digit(cp);
                else if (kanji_multiplier(cp) == 10)
                    n = (n == 0 ? 1 : n) * 10;
                else
                    break;
                at = next;
            }
            if (at == start) return false;
        }
        if (!starts_with(text, len, at, "年")) return false;
        *year = eras[i].base + n;
        *pos = at;
        return true;
    }
    return false;
}

static void japanese_numbers(const char *text, ky_numbers *stated, ky_numbers *worded)
{
    size_t len = text ? strlen(text) : 0, pos = 0;
    uint32_t before = 0;
    while (pos < len) {
        size_t at = pos, skip = url_length(text, len, at);
        double year;
        if (skip) {
            pos += skip;
            before = 0;
            continue;
        }
        if (era_year(text, len, &pos, &year)) {
            add_number(stated, year);
            before = 0;
            continue;
        }
        uint32_t cp = ky_utf8_next(text, len, &pos);
        if (!is_digit(cp) && kanji_digit(cp) < 0 && !kanji_multiplier(cp)) {
            before = cp;
            continue;
        }
        /* 数百人, 何千: not a number a translation states. */
        bool vague = before == 0x6570 || before == 0x4F55 || before == 0x5E7E;
        bool ordinal = before == 0x7B2C; /* 第 */
        double total = 0, section = 0, current = 0;
        bool has_current = false, digits = false, kanji_positional = false;
        int kanji = 0;
        pos = at;
        while (pos < len) {
            size_t next = pos;
            uint32_t c = ky_utf8_next(text, len, &next);
            if (is_digit(c)) {
                current = digits_at(text, len, &pos);
                has_current = digits = true;
                kanji_positional = false;
                continue;
            }
            if (kanji_digit(c) >= 0) {
                current = kanji_positional ? current * 10 + kanji_digit(c) : kanji_digit(c);
                has_current = kanji_positional = true;
                kanji++;
            } else if (kanji_multiplier(c)) {
                section += (has_current ? current : 1) * kanji_multiplier(c);
                current = 0;
                has_current = kanji_positional = false;
                kanji++;
            } else if (myriad(c) && (has_current || section > 0)) {
                total += (section + current) * myriad(c);
                section = current = 0;
                has_current = kanji_positional = false;
            } else {
                break;
            }
            pos = next;
        }
        before = 0;
        if (vague) continue;
        double value = total + section + current;
        bool lone_one = !digits && kanji == 1 && value == 1;
        if (digits || ordinal || (!lone_one && japanese_counter(text, len, pos)))
            add_number(stated, value);
        else
            add_number(worded, value);
    }
}

/* A number one language states in digits that the other does not state at
 * all (in digits or words, which are in other, sorted): "5th" against
 * 「第6回」. */
static bool unmatched(const ky_numbers *stated, const ky_numbers *other, double *missing)
{
    for (size_t i = 0; i < stated->count; i++)
        if (!has_number(other, stated->values[i])) {
            *missing = stated->values[i];
            return true;
        }
    return false;
}

static void numbers(void *data, const char *what, const ky_btext *text)
{
    ky_lint *lint = data;
    if (!text->lang[KY_EN].spans || !text->lang[KY_JA].spans) return;
    ky_numbers en = {.arena = lint->arena}, en_all = en, ja = en, ja_all = en;
    english_numbers(ky_ltext_plain(&text->lang[KY_EN], lint->arena), &en, &en_all);
    japanese_numbers(ky_ltext_plain(&text->lang[KY_JA], lint->arena), &ja, &ja_all);
    /* What a language states in words or digits alike can match. */
    for (size_t i = 0; i < en.count; i++)
        add_number(&en_all, en.values[i]);
    for (size_t i = 0; i < ja.count; i++)
        add_number(&ja_all, ja.values[i]);
    if (en_all.count) qsort(en_all.values, en_all.count, sizeof *en_all.values, compare_numbers);
    if (ja_all.count) qsort(ja_all.values, ja_all.count, sizeof *ja_all.values, compare_numbers);
    double missing;
    if (unmatched(&en, &ja_all, &missing))
        finding(lint, KY_WARNING, text->lang[KY_JA].line, "number-mismatch",
                "the %s states %.15g in English but not in Japanese", what, missing);
    else if (unmatched(&ja, &en_all, &missing))
        finding(lint, KY_WARNING, text->lang[KY_JA].line, "number-mismatch",
                "the %s states %.15g in Japanese but not in English", what, missing);
}

/* ---- notes one language has and the other lacks -------------------------- */

static void notes(void *data, const char *what, const ky_btext *text)
{
    ky_lint *lint = data;
    int count[KY_LANG_COUNT] = {0};
    const ky_note *extra[KY_LANG_COUNT] = {NULL};
    for (int lang = 0; lang < KY_LANG_COUNT; lang++)
        for (const ky_span *span = text->lang[lang].spans; span; span = span->next)
            if (span->note) count[lang]++;
    if (count[KY_EN] == count[KY_JA]) return;
    /* The finding points at the first note without a counterpart. */
    ky_lang more = count[KY_EN] > count[KY_JA] ? KY_EN : KY_JA;
    int seen = 0;
    for (const ky_span *span = text->lang[more].spans; span && !extra[more]; span = span->next)
        if (span->note && ++seen > count[!more]) extra[more] = span->note;
    finding(lint, KY_WARNING, extra[more]->line, "note-mismatch",
            "the %s has %d note%s in English but %d in Japanese", what, count[KY_EN],
            count[KY_EN] == 1 ? "" : "s", count[KY_JA]);
}

/* A text with more links in one language than in the other: the
 * translation lost one (the targets may differ: ministries link each
 * language's own page). A link is a run of spans with one target. */
static int count_links(const ky_span *spans)
{
    int count = 0;
    const char *last = NULL;
    for (const ky_span *span = spans; span; span = span->next) {
        if (span->note) count += count_links(span->note->spans);
        if (span->href && !(last && strcmp(last, span->href) == 0)) count++;
        last = span->href;
    }
    return count;
}

static void links(void *data, const char *what, const ky_btext *text)
{
    if (!text->lang[KY_EN].present || !text->lang[KY_JA].present) return;
    int en = count_links(text->lang[KY_EN].spans), ja = count_links(text->lang[KY_JA].spans);
    if (en != ja)
        finding(data, KY_WARNING, text->lang[en > ja ? KY_EN : KY_JA].line, "link-mismatch",
                "the %s has %d link%s in English but %d in Japanese", what, en, en == 1 ? "" : "s",
                ja);
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
     * party; a statement that has signatures most likely meant every party
     * to sign too. */
    for (size_t p = 0; p < doc->party_count; p++) {
        bool signs = false;
        for (size_t s = 0; s < doc->signatory_count; s++)
            signs = signs || doc->signatories[s].party == &doc->parties[p];
        if (!signs && closing)
            finding(lint, KY_ERROR, doc->parties[p].line, "unsigned-party",
                    "party '%s' does not sign, but template '%s' is a signed instrument",
                    doc->parties[p].id, tpl->name);
        else if (!signs && doc->signatory_count > 0)
            finding(lint, KY_WARNING, doc->parties[p].line, "unsigned-party",
                    "party '%s' has no signatory, but the other parties sign", doc->parties[p].id);
    }
}

/* Each party signs once: a second signatory for the same party is most
 * often a copied block whose party was not changed. One finding per party,
 * at its second signatory, however many more there are. */
static void signs_twice(ky_lint *lint)
{
    const ky_doc *doc = lint->doc;
    if (!doc->party_count) return;
    size_t *count = KY_NEW_ARRAY(lint->arena, size_t, doc->party_count);
    const ky_signatory **first = KY_NEW_ARRAY(lint->arena, const ky_signatory *, doc->party_count);
    const ky_signatory **second = KY_NEW_ARRAY(lint->arena, const ky_signatory *, doc->party_count);
    for (size_t s = 0; s < doc->signatory_count; s++) {
        const ky_signatory *sig = &doc->signatories[s];
        if (!sig->party) continue;
        size_t p = (size_t)(sig->party - doc->parties);
        if (count[p]++ == 0)
            first[p] = sig;
        else if (count[p] == 2)
            second[p] = sig;
    }
    for (size_t p = 0; p < doc->party_count; p++)
        if (count[p] == 2)
            finding(lint, KY_WARNING, second[p]->line, "party-signs-twice",
                    "party '%s' signs twice: its signatory at line %d signs for it too",
                    doc->parties[p].id, first[p]->line);
        else if (count[p] > 2)
            finding(lint, KY_WARNING, second[p]->line, "party-signs-twice",
                    "party '%s' signs %zu times: its signatory at line %d signs for it too",
                    doc->parties[p].id, count[p], first[p]->line);
}

/* ---- check-ignore: findings the draft itself accepts ---------------------- */

/* The rules a draft may silence: check's own lint. What render refuses too
 * (schema, templates, fonts, tables, missing glyphs) no attribute can
 * make pass. */
static const char *const ignorable_rules[] = {
    "unsigned-party",       "party-signs-twice", "leftover-marker",
    "ja-ascii-punctuation", "ja-halfwidth-kana", "en-fullwidth",
    "number-mismatch",      "note-mismatch",     "link-mismatch"};
static const char *const fixed_rules[] = {
    "schema", "missing-translation", "template",      "fonts",
    "table",  "missing-parameter",   "missing-glyph", "check-ignore"};

static bool is_ignorable(const char *rule)
{
    for (size_t i = 0; i < sizeof ignorable_rules / sizeof ignorable_rules[0]; i++)
        if (strcmp(rule, ignorable_rules[i]) == 0) return true;
    return false;
}

/* An element's check-ignore: its rules hold for the lines from its start
 * tag to the start tag of its last descendant, which holds every finding
 * about what it contains (findings point at start tags). */
typedef struct ky_ignore {
    int first, last;
    const char *rules;              /* as written: names separated by white space */
    const struct ky_ignore *parent; /* the nearest element around it with one */
} ky_ignore;

/* In document order, so sorted by first line: a finding's line finds the
 * last one that starts before it, and the ones around that (parent) are
 * the only others that can hold it. */
typedef struct {
    ky_ignore **items;
    size_t count, capacity;
} ky_ignores;

static bool names_rule(const char *rules, const char *rule)
{
    size_t len = strlen(rule);
    for (const char *at = rules; *at;) {
        at += strspn(at, " \t\r\n");
        size_t word = strcspn(at, " \t\r\n");
        if (word == len && strncmp(at, rule, len) == 0) return true;
        at += word;
    }
    return false;
}

static void check_rule_names(ky_lint *lint, const char *rules, int line)
{
    for (const char *at = rules; *at;) {
        at += strspn(at, " \t\r\n");
        size_t word = strcspn(at, " \t\r\n");
        if (!word) break;
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(word < 63 ? word : 63), at);
        at += word;
        bool fixed = false;
        for (size_t i = 0; i < sizeof fixed_rules / sizeof fixed_rules[0]; i++)
            fixed = fixed || strcmp(name, fixed_rules[i]) == 0;
        const char *closest =
            ky_closest(name, ignorable_rules, sizeof ignorable_rules / sizeof ignorable_rules[0]);
        if (fixed)
            finding(lint, KY_ERROR, line, "check-ignore",
                    "check-ignore cannot ignore rule '%s': kyodo render refuses such drafts too",
                    name);
        else if (!is_ignorable(name) && closest)
            finding(lint, KY_ERROR, line, "check-ignore",
                    "check-ignore names an unknown rule '%s'; did you mean '%s'?", name, closest);
        else if (!is_ignorable(name)) {
            char known[256] = "";
            for (size_t i = 0; i < sizeof ignorable_rules / sizeof ignorable_rules[0]; i++)
                snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s", i ? ", " : "",
                         ignorable_rules[i]);
            finding(lint, KY_ERROR, line, "check-ignore",
                    "check-ignore names an unknown rule '%s'; the rules it can ignore are %s", name,
                    known);
        }
    }
}

static ky_ignore *add_ignore(ky_lint *lint, xmlNodePtr element, const ky_ignore *parent,
                             ky_ignores *ignores)
{
    char *rules = ky_xml_attr(element, "check-ignore");
    if (!rules) return NULL;
    ky_ignore *ignore = KY_NEW(lint->arena, ky_ignore);
    ignore->first = ignore->last = ky_xml_line(element);
    ignore->rules = ky_arena_strdup(lint->arena, rules);
    ignore->parent = parent;
    check_rule_names(lint, rules, ignore->first);
    xmlFree(rules);
    if (ignores->count == ignores->capacity) {
        size_t capacity = ignores->capacity ? 2 * ignores->capacity : 16;
        ky_ignore **items = KY_NEW_ARRAY(lint->arena, ky_ignore *, capacity);
        if (ignores->count) memcpy(items, ignores->items, ignores->count * sizeof *items);
        ignores->items = items;
        ignores->capacity = capacity;
    }
    ignores->items[ignores->count++] = ignore;
    return ignore;
}

/* Returns the line of the last start tag in element's subtree. */
static int collect_ignores(ky_lint *lint, xmlNodePtr element, const ky_ignore *parent,
                           ky_ignores *ignores)
{
    ky_ignore *own = add_ignore(lint, element, parent, ignores);
    int last = ky_xml_line(element);
    for (xmlNodePtr child = ky_xml_first_element(element); child;
         child = ky_xml_next_element(child)) {
        int line = collect_ignores(lint, child, own ? own : parent, ignores);
        if (line > last) last = line;
    }
    if (own) own->last = last;
    return last;
}

/* The model keeps no attribute that only check reads: the draft (already
 * found valid) is read again for them, part by part as the model is. */
static ky_ignores read_ignores(ky_lint *lint, const char *encoding)
{
    ky_diags scratch;
    ky_diags_init(&scratch);
    ky_ignores ignores = {0};
    ky_xml_stream *stream =
        ky_xml_stream_open(lint->doc->path, NULL, 0, KY_SCHEMA_NONE, encoding, &scratch);
    xmlNodePtr root = stream ? ky_xml_stream_root(stream) : NULL;
    /* The statement's reaches every line. */
    ky_ignore *top = root ? add_ignore(lint, root, NULL, &ignores) : NULL;
    if (top) top->first = 0, top->last = INT_MAX;
    for (xmlNodePtr child = root ? ky_xml_stream_next(stream) : NULL; child;
         child = ky_xml_stream_next(stream))
        collect_ignores(lint, child, top, &ignores);
    ky_xml_stream_close(stream);
    ky_diags_free(&scratch);
    return ignores;
}

static bool ignored(const ky_ignores *ignores, int line, const char *rule)
{
    size_t low = 0, high = ignores->count;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (ignores->items[middle]->first <= line)
            low = middle + 1;
        else
            high = middle;
    }
    if (low == 0) return false;
    for (const ky_ignore *ignore = ignores->items[low - 1]; ignore; ignore = ignore->parent)
        if (line <= ignore->last && names_rule(ignore->rules, rule)) return true;
    return false;
}

/* Suppressed findings stay in the list, for --format json to show. */
static void suppress(ky_diags *diags, ky_diag *from, const char *path, const ky_ignores *ignores)
{
    for (ky_diag *diag = from ? from->next : diags->first; diag; diag = diag->next) {
        if (!diag->rule || !is_ignorable(diag->rule) || !diag->file || diag->line <= 0 ||
            strcmp(diag->file, path) != 0 || !ignored(ignores, diag->line, diag->rule))
            continue;
        diag->suppressed = true;
        if (diag->severity == KY_ERROR)
            diags->errors--;
        else
            diags->warnings--;
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
    ky_diag *start = diags->last, *mark = start;
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
    ky_ignores ignores = read_ignores(&lint, options->encoding);
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
    ky_doc_each_text(doc, notes, &lint);
    ky_doc_each_text(doc, links, &lint);
    signs_twice(&lint);
    suppress(diags, start, doc->path, &ignores);
    ky_fontset_free(&fonts);
done:
    ky_arena_free(&arena);
    return diags->errors - before;
}
