#include "date.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Era start dates (the first day of each era), newest first. Meiji is
 * counted from 1 January 1868, the year it began; Japan adopted the
 * Gregorian calendar only in 1873, and kyodo does not convert earlier
 * lunisolar dates. */
static const struct {
    const char *name;
    int year, month, day;
} eras[] = {
    {"令和", 2019, 5, 1},  {"平成", 1989, 1, 8}, {"昭和", 1926, 12, 25},
    {"大正", 1912, 7, 30}, {"明治", 1868, 1, 1},
};

static int is_xml_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Exactly `count` decimal digits at *text, advancing past them. */
static int fixed_digits(const char **text, int count, int *value)
{
    *value = 0;
    for (int i = 0; i < count; i++) {
        if (!isdigit((unsigned char)(*text)[i])) return -1;
        *value = *value * 10 + ((*text)[i] - '0');
    }
    *text += count;
    return 0;
}

const char *ky_parse_date(const char *text, int *year, int *month, int *day)
{
    static const char *const malformed = "not a date of the form YYYY-MM-DD";
    const char *c = text;
    while (is_xml_space(*c))
        c++;
    bool negative = *c == '-';
    if (negative) c++;
    if (!isdigit((unsigned char)*c)) return malformed;
    char *end = NULL;
    errno = 0;
    long y = strtol(c, &end, 10);
    if (end - c < 4) return malformed;
    if (negative || errno == ERANGE || y < KY_YEAR_MIN || y > KY_YEAR_MAX)
        return "the year must be from 1 to 9999";
    c = end;
    int m = 0, d = 0;
    if (*c++ != '-' || fixed_digits(&c, 2, &m) || *c++ != '-' || fixed_digits(&c, 2, &d))
        return malformed;
    /* A time zone is part of xsd:date's form, but not of a date of issue. */
    int hours = 0, minutes = 0;
    if (*c == 'Z')
        c++;
    else if ((*c == '+' || *c == '-') &&
             (c++, fixed_digits(&c, 2, &hours) || *c++ != ':' || fixed_digits(&c, 2, &minutes)))
        return malformed;
    while (is_xml_space(*c))
        c++;
    if (*c) return malformed;
    /* timegm normalizes a day the month does not have (30 February → 2
     * March): a date that comes back changed does not exist. */
    struct tm tm = {.tm_year = (int)y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12};
    if (m < 1 || m > 12 || d < 1 || timegm(&tm) == (time_t)-1 || tm.tm_mon != m - 1 ||
        tm.tm_mday != d)
        return "no such day in the Gregorian calendar";
    *year = (int)y;
    *month = m;
    *day = d;
    return NULL;
}

int ky_parse_int(const char *text, long min, long max, long *value)
{
    const char *c = text;
    while (is_xml_space(*c))
        c++;
    /* strtol alone would take "0x1F", " - 3" or "12abc". */
    const char *digits = c + (*c == '+' || *c == '-');
    if (!isdigit((unsigned char)*digits)) return -1;
    char *end = NULL;
    errno = 0;
    long parsed = strtol(c, &end, 10);
    if (errno == ERANGE) return -1;
    while (is_xml_space(*end))
        end++;
    if (*end || parsed < min || parsed > max) return -1;
    *value = parsed;
    return 0;
}

const char *ky_era(int year, int month, int day, int *era_year)
{
    /* Compared field by field: year * 10000 + … overflows for large years. */
    for (size_t i = 0; i < sizeof eras / sizeof eras[0]; i++) {
        int after = year != eras[i].year     ? year > eras[i].year
                    : month != eras[i].month ? month > eras[i].month
                                             : day >= eras[i].day;
        if (after) {
            *era_year = year - eras[i].year + 1;
            return eras[i].name;
        }
    }
    return NULL;
}

char *ky_kanji_number(int n, char *out, size_t size)
{
    static const char *const digits[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    static const char *const units[] = {"", "十", "百", "千", "万"};
    out[0] = '\0';
    if (n <= 0 || n >= 100000) {
        snprintf(out, size, "%d", n);
        return out;
    }
    size_t at = 0;
    for (int unit = 4, scale = 10000; unit >= 0; unit--, scale /= 10) {
        int digit = n / scale % 10;
        if (digit == 0) continue;
        /* 千, 百 and 十 stand alone for one of them: 千九百, not 一千九百. */
        const char *d = digit == 1 && unit > 0 && unit < 4 ? "" : digits[digit];
        at += (size_t)snprintf(out + at, size > at ? size - at : 0, "%s%s", d, units[unit]);
    }
    return out;
}
