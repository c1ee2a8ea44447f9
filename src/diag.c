#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
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
        free(diag->rule);
        free(diag);
        diag = next;
    }
    ky_diags_init(diags);
}

void ky_diag_add(ky_diags *diags, ky_severity severity, const char *file, int line, int column,
                 const char *format, ...)
{
    /* No list: the caller only wants to know that it failed. */
    if (!diags) return;
    ky_diag *diag = calloc(1, sizeof(*diag));
    if (!diag) ky_out_of_memory();
    va_list args;
    va_start(args, format);
    int len = vsnprintf(NULL, 0, format, args);
    va_end(args);
    diag->message = malloc(len > 0 ? (size_t)len + 1 : 1);
    if (!diag->message) ky_out_of_memory();
    va_start(args, format);
    vsnprintf(diag->message, len > 0 ? (size_t)len + 1 : 1, format, args);
    va_end(args);
    /* One diagnostic, one line: libxml2 continues some messages on a second
     * line and ends them all with a newline. */
    size_t mlen = strlen(diag->message);
    for (size_t i = 0; i + 1 < mlen; i++)
        if (diag->message[i] == '\n') diag->message[i] = ' ';
    while (mlen > 0 && (diag->message[mlen - 1] == '\n' || diag->message[mlen - 1] == ' '))
        diag->message[--mlen] = '\0';
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

void ky_diags_tag(ky_diags *diags, ky_diag *from, const char *rule)
{
    for (ky_diag *diag = from ? from->next : diags->first; diag; diag = diag->next)
        if (!diag->rule) diag->rule = strdup(rule);
}

void ky_diags_print(const ky_diags *diags, FILE *out)
{
    for (const ky_diag *diag = diags->first; diag; diag = diag->next) {
        if (diag->suppressed) continue;
        const char *kind = diag->severity == KY_ERROR ? "error" : "warning";
        if (diag->file && diag->line > 0 && diag->column > 0)
            fprintf(out, "%s:%d:%d: %s: %s", diag->file, diag->line, diag->column, kind,
                    diag->message);
        else if (diag->file && diag->line > 0)
            fprintf(out, "%s:%d: %s: %s", diag->file, diag->line, kind, diag->message);
        else if (diag->file)
            fprintf(out, "%s: %s: %s", diag->file, kind, diag->message);
        else
            fprintf(out, "kyodo: %s: %s", kind, diag->message);
        if (diag->rule) fprintf(out, " [%s]", diag->rule);
        fputc('\n', out);
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

void ky_diags_print_json(const ky_diags *diags, FILE *out)
{
    fputs("[", out);
    for (const ky_diag *diag = diags->first; diag; diag = diag->next) {
        fputs(diag == diags->first ? "\n  {" : ",\n  {", out);
        fputs("\"file\": ", out);
        if (diag->file)
            json_string(out, diag->file);
        else
            fputs("null", out);
        fprintf(out,
                ", \"line\": %d, \"column\": %d, \"severity\": \"%s\", \"message\": ", diag->line,
                diag->column, diag->severity == KY_ERROR ? "error" : "warning");
        json_string(out, diag->message);
        fputs(", \"rule\": ", out);
        if (diag->rule)
            json_string(out, diag->rule);
        else
            fputs("null", out);
        fprintf(out, ", \"suppressed\": %s}", diag->suppressed ? "true" : "false");
    }
    fputs(diags->first ? "\n]\n" : "]\n", out);
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

/* Levenshtein distance, with the rows kept small: names are short. */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63) return (size_t)-1;
    size_t row[64];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t above = row[j];
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = diagonal + cost;
            if (above + 1 < best) best = above + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diagonal = above;
        }
    }
    return row[lb];
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
