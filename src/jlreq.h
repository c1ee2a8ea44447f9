/* Japanese character classes of W3C's "Requirements for Japanese Text
 * Layout" (JLREQ, https://www.w3.org/TR/jlreq/, appendix A), as far as
 * kyodo's line breaking and line adjustment need them. */
#ifndef KY_JLREQ_H
#define KY_JLREQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    KY_CL_OTHER = 0,
    KY_CL_OPENING = 1,     /* cl-01 opening brackets */
    KY_CL_CLOSING = 2,     /* cl-02 closing brackets */
    KY_CL_HYPHEN = 3,      /* cl-03 hyphens */
    KY_CL_DIVIDING = 4,    /* cl-04 dividing punctuation */
    KY_CL_MIDDLE_DOT = 5,  /* cl-05 middle dots */
    KY_CL_FULL_STOP = 6,   /* cl-06 full stops */
    KY_CL_COMMA = 7,       /* cl-07 commas */
    KY_CL_INSEPARABLE = 8, /* cl-08 inseparable characters */
    KY_CL_ITERATION = 9,   /* cl-09 iteration marks */
    KY_CL_PROLONGED = 10,  /* cl-10 prolonged sound mark */
    KY_CL_SMALL_KANA = 11  /* cl-11 small kana */
} ky_jclass;

ky_jclass ky_jlreq_class(uint32_t cp);

/* JLREQ 3.1.7: characters not allowed at the start of a line (cl-02 to
 * cl-07, cl-09 to cl-11) and at the end of a line (cl-01). */
bool ky_jlreq_no_line_start(uint32_t cp);
bool ky_jlreq_no_line_end(uint32_t cp);

/* JLREQ 3.1.7's looser rule, for a text the strict one cannot break:
 * small kana (cl-11) and the prolonged sound mark (cl-10) may start a line,
 * as in newspapers. */
bool ky_jlreq_loose_line_start(uint32_t cp);

/* Removes the break opportunities that JLREQ forbids and ICU's rules still
 * allow: allowed[i] is a break before text[i]. loose: the looser rule. */
void ky_jlreq_tailor(const char *text, size_t len, bool loose, bool *allowed);

#endif
