#include "diag.h"

#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unistd.h>

#include "arena.h"
#include "i18n.h"
#include "utf8.h"

void ky_diags_init(ky_diags *diags)
{
    memset(diags, 0, sizeof(*diags));
}

void ky_diags_free(ky_diags *diags)
{
    ky_diag *diag = diags->first;
    while (diag) {
        ky_diag *next = diag->next;
        free(diag->file);
        free(diag->message);
        free(diag->localized);
        free(diag->rule);
        free(diag->source);
        free(diag);
        diag = next;
    }
    ky_diags_init(diags);
}

/* The message formatted, on one line: libxml2 continues some messages on a
 * second line and ends them all with a newline. */
static char *format_message(const char *format, va_list args)
{
    va_list copy;
    va_copy(copy, args);
    int len = vsnprintf(NULL, 0, format, copy);
    va_end(copy);
    char *message = malloc(len > 0 ? (size_t)len + 1 : 1);
    if (!message) ky_out_of_memory();
    va_copy(copy, args);
    vsnprintf(message, len > 0 ? (size_t)len + 1 : 1, format, copy);
    va_end(copy);
    size_t mlen = strlen(message);
    for (size_t i = 0; i + 1 < mlen; i++)
        if (message[i] == '\n') message[i] = ' ';
    while (mlen > 0 && (message[mlen - 1] == '\n' || message[mlen - 1] == ' '))
        message[--mlen] = '\0';
    return message;
}

void ky_diag_vadd(ky_diags *diags, ky_severity severity, const char *file, int line, int column,
                  const char *format, va_list args)
{
    /* No list: the caller only wants to know that it failed. */
    if (!diags) return;
    ky_diag *diag = calloc(1, sizeof(*diag));
    if (!diag) ky_out_of_memory();
    diag->message = format_message(format, args);
    /* The format is the catalogue's key, so that no call site has to mark
     * it ("" would be the catalogue's header). The English is kept for
     * JSON, which tools read. */
    const char *translated = *format ? _(format) : format;
    if (translated != format) diag->localized = format_message(translated, args);
    diag->severity = severity;
    diag->file = file ? strdup(file) : NULL;
    diag->line = line;
    diag->column = column;
    if (diags->last)
        diags->last->next = diag;
    else
        diags->first = diag;
    diags->last = diag;
    if (severity == KY_ERROR)
        diags->errors++;
    else
        diags->warnings++;
}

void ky_diag_add(ky_diags *diags, ky_severity severity, const char *file, int line, int column,
                 const char *format, ...)
{
    va_list args;
    va_start(args, format);
    ky_diag_vadd(diags, severity, file, line, column, format, args);
    va_end(args);
}

const char *ky_diag_text(const ky_diag *diag)
{
    return diag->localized ? diag->localized : diag->message;
}

void ky_i18n_init(const char *localedir)
{
    setlocale(LC_MESSAGES, "");
    setlocale(LC_CTYPE, "");
    bindtextdomain(KY_TEXT_DOMAIN, localedir);
}

void ky_diags_tag(ky_diags *diags, ky_diag *from, const char *rule)
{
    for (ky_diag *diag = from ? from->next : diags->first; diag; diag = diag->next)
        if (!diag->rule) diag->rule = strdup(rule);
}

bool ky_color_parse(const char *when, ky_color *color)
{
    static const char *const names[] = {"auto", "never", "always"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (when && strcmp(when, names[i]) == 0) {
            *color = (ky_color)i;
            return true;
        }
    return false;
}

bool ky_color_wanted(ky_color color, FILE *out)
{
    if (color != KY_COLOR_AUTO) return color == KY_COLOR_ALWAYS;
    /* https://no-color.org: present and not empty. */
    const char *no_color = getenv("NO_COLOR");
    if (no_color && *no_color) return false;
    const char *term = getenv("TERM");
    return term && strcmp(term, "dumb") != 0 && isatty(fileno(out));
}

void ky_diags_quote(ky_diags *diags, const char *line, size_t len)
{
    if (!diags || !diags->last) return;
    while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == '\n'))
        len--;
    free(diags->last->source);
    diags->last->source = malloc(len + 1);
    if (!diags->last->source) ky_out_of_memory();
    memcpy(diags->last->source, line, len);
    diags->last->source[len] = '\0';
}

/* GCC's colours (its defaults for GCC_COLORS). */
#define SGR(codes) "\33[" codes "m\33[K"
#define SGR_END "\33[m\33[K"

enum { TAB_STOP = 8, QUOTE_WIDTH = 120 };

/* Columns a character takes on a terminal: East Asian wide characters two,
 * combining marks none. */
static int cell_width(uint32_t cp)
{
    int category = u_charType((UChar32)cp);
    if (category == U_NON_SPACING_MARK || category == U_ENCLOSING_MARK || category == U_FORMAT_CHAR)
        return 0;
    int east_asian = u_getIntPropertyValue((UChar32)cp, UCHAR_EAST_ASIAN_WIDTH);
    return east_asian == U_EA_WIDE || east_asian == U_EA_FULLWIDTH ? 2 : 1;
}

/* The source line, tabs expanded, then a caret under the column-th
 * character (1-based, as libxml2 counts): a long line is cut to a window
 * around the caret, marked with "...". Control characters and bytes that
 * are not UTF-8 show as '?' and U+FFFD, never reach the terminal raw. */
static void print_source(FILE *out, const ky_diag *diag, bool color)
{
    const char *text = diag->source;
    size_t len = strlen(text), pos = 0;
    /* First pass: where the caret goes, and how wide the line is. */
    int width = 0, caret = -1, index = 1;
    while (pos < len) {
        uint32_t cp = ky_utf8_next(text, len, &pos);
        if (index++ == diag->column) caret = width;
        width += cp == '\t'                           ? TAB_STOP - width % TAB_STOP
                 : cp == KY_UTF8_INVALID || cp < 0x20 ? 1
                                                      : cell_width(cp);
    }
    if (caret < 0) caret = width;
    int from = 0;
    if (width > QUOTE_WIDTH && caret > QUOTE_WIDTH / 2) from = caret - QUOTE_WIDTH / 2;
    int to = from + QUOTE_WIDTH;
    /* The gutter grows with the line number, and the caret's with it. */
    int gutter = snprintf(NULL, 0, "%d", diag->line);
    if (gutter < 5) gutter = 5;
    fprintf(out, "%*d | %s", gutter, diag->line, from > 0 ? "..." : "");
    int at = 0, shift = from > 0 ? 3 : 0;
    bool cut = false;
    pos = 0;
    while (pos < len) {
        size_t start = pos;
        uint32_t cp = ky_utf8_next(text, len, &pos);
        int w = cp == '\t'                           ? TAB_STOP - at % TAB_STOP
                : cp == KY_UTF8_INVALID || cp < 0x20 ? 1
                                                     : cell_width(cp);
        if (at + w > to) {
            cut = true;
            break;
        }
        if (at >= from) {
            if (cp == '\t')
                fprintf(out, "%*s", w, "");
            else if (cp == KY_UTF8_INVALID)
                fputs("\xef\xbf\xbd", out);
            else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
                fputc('?', out);
            else
                fwrite(text + start, 1, pos - start, out);
        } else if (at + w > from) {
            /* A wide character or a tab astride the window's edge. */
            shift -= at + w - from;
        }
        at += w;
    }
    fputs(cut ? "...\n" : "\n", out);
    fprintf(out, "%*s | %*s%s^%s\n", gutter, "", caret - from + shift, "",
            color ? SGR("01;32") : "", color ? SGR_END : "");
}

void ky_diags_print(const ky_diags *diags, FILE *out)
{
    bool color = ky_color_wanted(diags->color, out);
    for (const ky_diag *diag = diags->first; diag; diag = diag->next) {
        if (diag->suppressed) continue;
        /* Translated as GCC translates them (a tool that parses the
         * text runs with LC_MESSAGES=C, or reads --format json). */
        const char *kind = diag->severity == KY_ERROR ? _("error") : _("warning");
        const char *kind_color = diag->severity == KY_ERROR ? SGR("01;31") : SGR("01;35");
        const char *bold = color ? SGR("01") : "", *end = color ? SGR_END : "";
        if (diag->file && diag->line > 0 && diag->column > 0)
            fprintf(out, "%s%s:%d:%d:%s ", bold, diag->file, diag->line, diag->column, end);
        else if (diag->file && diag->line > 0)
            fprintf(out, "%s%s:%d:%s ", bold, diag->file, diag->line, end);
        else if (diag->file)
            fprintf(out, "%s%s:%s ", bold, diag->file, end);
        else
            fprintf(out, "%skyodo:%s ", bold, end);
        fprintf(out, "%s%s:%s %s", color ? kind_color : "", kind, end, ky_diag_text(diag));
        if (diag->rule) fprintf(out, " [%s%s%s]", color ? kind_color : "", diag->rule, end);
        fputc('\n', out);
        if (diag->source && diag->line > 0 && diag->column > 0) print_source(out, diag, color);
    }
}

/* A JSON string: always valid, even for a file name that is not UTF-8
 * (each byte that is not part of a valid sequence becomes U+FFFD, as a
 * terminal would show it), so that CI tools can always parse the output. */
static void json_string(FILE *out, const char *text)
{
    fputc('"', out);
    size_t len = text ? strlen(text) : 0, pos = 0;
    while (pos < len) {
        size_t start = pos;
        uint32_t cp = ky_utf8_next(text, len, &pos);
        if (cp == KY_UTF8_INVALID) {
            fputs("\\ufffd", out);
            pos = start + 1;
        } else if (cp == '"' || cp == '\\') {
            fprintf(out, "\\%c", (char)cp);
        } else if (cp < 0x20) {
            fprintf(out, "\\u%04x", (unsigned)cp);
        } else {
            fwrite(text + start, 1, pos - start, out);
        }
    }
    fputc('"', out);
}

void ky_diag_print_json(const ky_diag *diag, FILE *out)
{
    fputs("{\"file\": ", out);
    if (diag->file)
        json_string(out, diag->file);
    else
        fputs("null", out);
    fprintf(out, ", \"line\": %d, \"column\": %d, \"severity\": \"%s\", \"message\": ", diag->line,
            diag->column, diag->severity == KY_ERROR ? "error" : "warning");
    json_string(out, diag->message);
    fputs(", \"rule\": ", out);
    if (diag->rule)
        json_string(out, diag->rule);
    else
        fputs("null", out);
    fprintf(out, ", \"suppressed\": %s}", diag->suppressed ? "true" : "false");
}

void ky_diags_print_json(const ky_diags *diags, FILE *out)
{
    fputs("[", out);
    for (const ky_diag *diag = diags->first; diag; diag = diag->next) {
        fputs(diag == diags->first ? "\n  " : ",\n  ", out);
        ky_diag_print_json(diag, out);
    }
    fputs(diags->first ? "\n]\n" : "]\n", out);
}

void ky_diags_print_json_lines(const ky_diags *diags, FILE *out)
{
    for (const ky_diag *diag = diags->first; diag; diag = diag->next) {
        ky_diag_print_json(diag, out);
        fputc('\n', out);
    }
}

void ky_diags_append(ky_diags *to, ky_diags *from)
{
    if (!from->first) return;
    if (to->last)
        to->last->next = from->first;
    else
        to->first = from->first;
    to->last = from->last;
    to->errors += from->errors;
    to->warnings += from->warnings;
    ky_diags_init(from);
}

/* Levenshtein distance with transpositions ("titel" is one edit from
 * "title"), the rows kept small: names are short. */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63) return (size_t)-1;
    size_t rows[3][64], *before = rows[0], *above = rows[1], *row = rows[2];
    for (size_t j = 0; j <= lb; j++)
        above[j] = j;
    for (size_t i = 1; i <= la; i++) {
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = above[j - 1] + cost;
            if (above[j] + 1 < best) best = above[j] + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                before[j - 2] + 1 < best)
                best = before[j - 2] + 1;
            row[j] = best;
        }
        size_t *oldest = before;
        before = above, above = row, row = oldest;
    }
    return above[lb];
}

const char *ky_closest(const char *word, const char *const *names, size_t count)
{
    size_t limit = strlen(word) / 3;
    if (limit < 1) limit = 1;
    if (limit > 3) limit = 3;
    const char *best = NULL;
    size_t best_distance = limit + 1;
    for (size_t i = 0; i < count; i++) {
        size_t d = distance(word, names[i]);
        if (d < best_distance) best = names[i], best_distance = d;
    }
    return best;
}
