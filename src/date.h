/* Calendar and counting helpers: dates of issue, Japanese eras, and the
 * numerals templates count with (kanji, letters, katakana). */
#ifndef KY_DATE_H
#define KY_DATE_H

#include <stddef.h>

/* Years a date of issue may have: what a PDF date (four digits) and the
 * Gregorian calendar of xsd:date can both express. */
enum { KY_YEAR_MIN = 1, KY_YEAR_MAX = 9999 };

/* Reads a date of issue as xsd:date writes it ("2017-08-14", optionally with
 * a time zone, which a date of issue has no use for). Returns NULL and sets
 * year, month and day; or, for anything else, why it is not a date kyodo can
 * print: a malformed text, a year outside KY_YEAR_MIN..KY_YEAR_MAX, or a day
 * the proleptic Gregorian calendar does not have (2017-02-29). */
const char *ky_parse_date(const char *text, int *year, int *month, int *day);

/* A whole number in xsd:integer's form (optional sign, decimal digits,
 * white space around it allowed) from min to max. Returns 0 and sets value;
 * -1 when it is not such a number or lies outside the range. */
int ky_parse_int(const char *text, long min, long max, long *value);

/* The Japanese era of a Gregorian date and the year within it (1 for the
 * era's first year, written 元年). Returns the era's name (令和, 平成, 昭和,
 * 大正, 明治) or NULL before 1868. */
const char *ky_era(int year, int month, int day, int *era_year);

/* n (0 < n < 100000) in kanji numerals, as treaty texts write years:
 * 2017 → 二千十七, 10 → 十, 1 → 一; other n in digits. Writes at most size
 * bytes; returns out. */
char *ky_kanji_number(int n, char *out, size_t size);

#endif
