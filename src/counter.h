/* Counters: the numbers of list items, paragraphs and sections written in
 * the numeral systems statements use (1, a, i, ア, イ, ①), and the list
 * styles a draft may ask for. Templates place the counters in their marker
 * texts ("({a})", "{kana}", "{circled}"), so a ministry changes a marker's
 * form without touching the numbering. */
#ifndef KY_COUNTER_H
#define KY_COUNTER_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    KY_COUNTER_DECIMAL, /* {n}: 1, 2, … */
    KY_COUNTER_ALPHA,   /* {a}: a … z, aa, ab, … */
    KY_COUNTER_UPPER,   /* {A}: A … Z, AA, … */
    KY_COUNTER_ROMAN,   /* {roman}: i, ii, … (decimal past 3999) */
    KY_COUNTER_KANA,  /* {kana}: ア, イ, ウ … ン (gojūon order), then アア, アイ, … */
    KY_COUNTER_IROHA, /* {iroha}: イ, ロ, ハ … ス (iroha order), then イイ, … */
    KY_COUNTER_CIRCLED, /* {circled}: ① … ㊿, then (51), (52), … */
    KY_COUNTER_COUNT
} ky_counter;

/* The placeholder name of a counter in template texts ("n", "a", …). */
const char *ky_counter_name(ky_counter counter);

/* n (n >= 1) in the counter's numerals, NUL-terminated in out (at most size
 * bytes; 64 always suffice for an int); returns out. */
char *ky_counter_format(ky_counter counter, int n, char *out, size_t size);

/* The list styles of <list style="…">; each has its marker text in the
 * template ("list-bullet", "list-decimal", …). */
typedef enum {
    KY_LIST_BULLET,
    KY_LIST_DECIMAL,
    KY_LIST_PAREN_DECIMAL,
    KY_LIST_ALPHA,
    KY_LIST_ROMAN,
    KY_LIST_IROHA,
    KY_LIST_CIRCLED,
    KY_LIST_STYLE_COUNT
} ky_list_style;

/* "bullet", "decimal", "paren-decimal", "alpha", "roman", "iroha",
 * "circled". */
const char *ky_list_style_name(ky_list_style style);
/* The style named name; false when there is none. */
bool ky_list_style_parse(const char *name, ky_list_style *style);
/* The style names, comma-separated, for messages. */
const char *ky_list_style_names(void);

#endif
