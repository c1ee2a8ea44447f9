/* Diagnostics: every stage reports problems here instead of printing or
 * exiting, so the CLI (and later batch builds) decide how to show them. */
#ifndef KY_DIAG_H
#define KY_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

typedef enum { KY_ERROR, KY_WARNING } ky_severity;

/* --color=auto|never|always: auto (the default) colours a terminal unless
 * NO_COLOR is set or TERM is dumb. */
typedef enum { KY_COLOR_AUTO, KY_COLOR_NEVER, KY_COLOR_ALWAYS } ky_color;

/* Parses WHEN of --color=WHEN; false when it is none of the three. */
bool ky_color_parse(const char *when, ky_color *color);
/* Whether diagnostics written to out are coloured. */
bool ky_color_wanted(ky_color color, FILE *out);

typedef struct ky_diag {
    ky_severity severity;
    char *file;      /* may be NULL for problems not tied to a file */
    int line;        /* 0 when unknown */
    int column;      /* 0 when unknown */
    char *message;   /* in English, as --format json gives it */
    char *localized; /* in the user's language (LC_MESSAGES), or NULL if it is the English */
    char *rule;      /* a lint rule id ("missing-translation"), or NULL */
    char *source;    /* the line it points at, quoted under it with a caret; or NULL */
    /* Silenced by the draft's check-ignore: not counted, not printed as
     * text, listed in JSON so that what a draft silences stays visible. */
    bool suppressed;
    struct ky_diag *next;
} ky_diag;

typedef struct ky_diags {
    ky_diag *first;
    ky_diag *last;
    int errors;
    int warnings;
    ky_color color; /* how ky_diags_print colours (zero: auto) */
} ky_diags;

void ky_diags_init(ky_diags *diags);
void ky_diags_free(ky_diags *diags);
/* diags may be NULL: the diagnostic is then dropped (for callers that only
 * need to know that something failed). */
void ky_diag_add(ky_diags *diags, ky_severity severity, const char *file, int line, int column,
                 const char *format, ...) __attribute__((format(printf, 6, 7)));
/* The same with a va_list: for functions of their own that take a format. */
void ky_diag_vadd(ky_diags *diags, ky_severity severity, const char *file, int line, int column,
                  const char *format, va_list args) __attribute__((format(printf, 6, 0)));
/* The message as a person reads it: in their language when the catalogue
 * has it. */
const char *ky_diag_text(const ky_diag *diag);
#define ky_error(diags, file, line, ...)                                                           \
    ky_diag_add((diags), KY_ERROR, (file), (line), 0, __VA_ARGS__)
/* The name among names closest to word (a typo: at most a third of its
 * letters wrong, and at most 3), for "did you mean …?"; NULL if none is. */
const char *ky_closest(const char *word, const char *const *names, size_t count);

/* Attaches to the last diagnostic the source line it points at (len bytes,
 * without its newline): printed under it with a caret at its column. */
void ky_diags_quote(ky_diags *diags, const char *line, size_t len);

/* Moves every diagnostic of from to the end of to (from is left empty). */
void ky_diags_append(ky_diags *to, ky_diags *from);
/* Tags every diagnostic after `from` (NULL: all) that has no rule yet. */
void ky_diags_tag(ky_diags *diags, ky_diag *from, const char *rule);
/* GCC style: file:line:col: error: message [rule], then the source line and
 * a caret under the column when both are known; coloured as diags->color
 * says for out. */
void ky_diags_print(const ky_diags *diags, FILE *out);
/* As JSON: an array of {file, line, column, severity, message, rule,
 * suppressed}. */
void ky_diags_print_json(const ky_diags *diags, FILE *out);
/* One diagnostic as that array's object, and each as one such line (kyodo
 * build's jobs write them; the parent joins them into one array). */
void ky_diag_print_json(const ky_diag *diag, FILE *out);
void ky_diags_print_json_lines(const ky_diags *diags, FILE *out);

#endif
