#include "date.h"

#include <stdio.h>
#include <string.h>

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

const char *ky_era(int year, int month, int day, int *era_year)
{
    int date = year * 10000 + month * 100 + day;
    for (size_t i = 0; i < sizeof eras / sizeof eras[0]; i++) {
        int start = eras[i].year * 10000 + eras[i].month * 100 + eras[i].day;
        if (date >= start) {
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
