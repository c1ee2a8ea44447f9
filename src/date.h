/* Calendar helpers for Japanese dates: eras and kanji numerals. */
#ifndef KY_DATE_H
#define KY_DATE_H

#include <stddef.h>

/* The Japanese era of a Gregorian date and the year within it (1 for the
 * era's first year, written 元年). Returns the era's name (令和, 平成, 昭和,
 * 大正, 明治) or NULL before 1868. */
const char *ky_era(int year, int month, int day, int *era_year);

/* n (0 < n < 100000) in kanji numerals, as treaty texts write years:
 * 2017 → 二千十七, 10 → 十, 1 → 一. Writes at most size bytes; returns out. */
char *ky_kanji_number(int n, char *out, size_t size);

#endif
