/* Diagnostics: every stage reports problems here instead of printing or
 * exiting, so the CLI (and later batch builds) decide how to show them. */
#ifndef KY_DIAG_H
#define KY_DIAG_H

#include <stdbool.h>
#include <stdio.h>

typedef enum { KY_ERROR, KY_WARNING } ky_severity;

typedef struct ky_diag {
    ky_severity severity;
    char *file; /* may be NULL for problems not tied to a file */
    int line;   /* 0 when unknown */
    int column; /* 0 when unknown */
    char *message;
    char *rule; /* a lint rule id ("missing-translation"), or NULL */
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
} ky_diags;

void ky_diags_init(ky_diags *diags);
void ky_diags_free(ky_diags *diags);
/* diags may be NULL: the diagnostic is then dropped (for callers that only
 * need to know that something failed). */
void ky_diag_add(ky_diags *diags, ky_severity severity, const char *file, int line, int column,
                 const char *format, ...) __attribute__((format(printf, 6, 7)));
#define ky_error(diags, file, line, ...)                                                           \
    ky_diag_add((diags), KY_ERROR, (file), (line), 0, __VA_ARGS__)
/* The name among names closest to word (a typo: at most a third of its
 * letters wrong, and at most 3), for "did you mean …?"; NULL if none is. */
const char *ky_closest(const char *word, const char *const *names, size_t count);

/* Moves every diagnostic of from to the end of to (from is left empty). */
void ky_diags_append(ky_diags *to, ky_diags *from);
/* Tags every diagnostic after `from` (NULL: all) that has no rule yet. */
void ky_diags_tag(ky_diags *diags, ky_diag *from, const char *rule);
/* GCC style: file:line:col: error: message [rule] */
void ky_diags_print(const ky_diags *diags, FILE *out);
/* As JSON: an array of {file, line, column, severity, message, rule,
 * suppressed}. */
void ky_diags_print_json(const ky_diags *diags, FILE *out);

#endif
