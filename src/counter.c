#include "counter.h"

#include <stdio.h>
#include <string.h>

static const char *const counter_names[KY_COUNTER_COUNT] = {"n",    "a",     "A",      "roman",
                                                            "kana", "iroha", "circled"};

const char *ky_counter_name(ky_counter counter)
{
    return counter < KY_COUNTER_COUNT ? counter_names[counter] : "?";
}

/* Katakana in gojūon order as Japanese official documents letter items
 * (ア, イ, ウ … ワ: ヰ, ヱ, ヲ and ン are left out, as in 公用文 practice), and
 * in the older iroha order (イ, ロ, ハ …) that laws and treaties still use. */
static const char *const kana[] = {
    "ア", "イ", "ウ", "エ", "オ", "カ", "キ", "ク", "ケ", "コ", "サ", "シ", "ス", "セ", "ソ",
    "タ", "チ", "ツ", "テ", "ト", "ナ", "ニ", "ヌ", "ネ", "ノ", "ハ", "ヒ", "フ", "ヘ", "ホ",
    "マ", "ミ", "ム", "メ", "モ", "ヤ", "ユ", "ヨ", "ラ", "リ", "ル", "レ", "ロ", "ワ"};
static const char *const iroha[] = {
    "イ", "ロ", "ハ", "ニ", "ホ", "ヘ", "ト", "チ", "リ", "ヌ", "ル", "ヲ", "ワ", "カ", "ヨ", "タ",
    "レ", "ソ", "ツ", "ネ", "ナ", "ラ", "ム", "ウ", "ヰ", "ノ", "オ", "ク", "ヤ", "マ", "ケ", "フ",
    "コ", "エ", "テ", "ア", "サ", "キ", "ユ", "メ", "ミ", "シ", "ヱ", "ヒ", "モ", "セ", "ス"};

/* n in a bijective base of the given digits, as spreadsheets letter columns
 * (a … z, aa, ab …): no digit stands for zero, so every n has one writing. */
static char *bijective(const char *const *digits, int base, int n, char *out, size_t size)
{
    int places[32], count = 0;
    for (; n > 0 && count < 32; n = (n - 1) / base)
        places[count++] = (n - 1) % base;
    size_t at = 0;
    out[0] = '\0';
    while (count-- > 0) {
        int written = snprintf(out + at, size > at ? size - at : 0, "%s", digits[places[count]]);
        if (written < 0 || (size_t)written >= (size > at ? size - at : 0)) break;
        at += (size_t)written;
    }
    return out;
}

static char *roman(int n, char *out, size_t size)
{
    static const int values[] = {1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1};
    static const char *const digits[] = {"m",  "cm", "d",  "cd", "c",  "xc", "l",
                                         "xl", "x",  "ix", "v",  "iv", "i"};
    if (n >= 4000) {
        snprintf(out, size, "%d", n);
        return out;
    }
    size_t at = 0;
    out[0] = '\0';
    for (int i = 0; i < 13; i++)
        for (; n >= values[i] && at + 3 < size; n -= values[i])
            at += (size_t)snprintf(out + at, size - at, "%s", digits[i]);
    return out;
}

/* Unicode's circled numbers stop at 50 and are not contiguous: ①–⑳ at
 * U+2460, ㉑–㉟ at U+3251, ㊱–㊿ at U+32B1. */
static char *circled(int n, char *out, size_t size)
{
    unsigned cp = n <= 20   ? 0x2460 + (unsigned)n - 1
                  : n <= 35 ? 0x3251 + (unsigned)n - 21
                  : n <= 50 ? 0x32B1 + (unsigned)n - 36
                            : 0;
    if (!cp) {
        snprintf(out, size, "(%d)", n);
        return out;
    }
    snprintf(out, size, "%c%c%c", (char)(0xE0 | cp >> 12), (char)(0x80 | (cp >> 6 & 0x3F)),
             (char)(0x80 | (cp & 0x3F)));
    return out;
}

char *ky_counter_format(ky_counter counter, int n, char *out, size_t size)
{
    static const char *const lower[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i",
                                        "j", "k", "l", "m", "n", "o", "p", "q", "r",
                                        "s", "t", "u", "v", "w", "x", "y", "z"};
    static const char *const upper[] = {"A", "B", "C", "D", "E", "F", "G", "H", "I",
                                        "J", "K", "L", "M", "N", "O", "P", "Q", "R",
                                        "S", "T", "U", "V", "W", "X", "Y", "Z"};
    if (size == 0) return out;
    if (n < 1) {
        snprintf(out, size, "%d", n);
        return out;
    }
    switch (counter) {
    case KY_COUNTER_ALPHA:
        return bijective(lower, 26, n, out, size);
    case KY_COUNTER_UPPER:
        return bijective(upper, 26, n, out, size);
    case KY_COUNTER_ROMAN:
        return roman(n, out, size);
    case KY_COUNTER_KANA:
        return bijective(kana, sizeof kana / sizeof kana[0], n, out, size);
    case KY_COUNTER_IROHA:
        return bijective(iroha, sizeof iroha / sizeof iroha[0], n, out, size);
    case KY_COUNTER_CIRCLED:
        return circled(n, out, size);
    default:
        snprintf(out, size, "%d", n);
        return out;
    }
}

static const char *const style_names[KY_LIST_STYLE_COUNT] = {
    "bullet", "decimal", "paren-decimal", "alpha", "roman", "iroha", "circled"};

const char *ky_list_style_name(ky_list_style style)
{
    return style < KY_LIST_STYLE_COUNT ? style_names[style] : "?";
}

bool ky_list_style_parse(const char *name, ky_list_style *style)
{
    for (int i = 0; i < KY_LIST_STYLE_COUNT; i++)
        if (strcmp(name, style_names[i]) == 0) {
            *style = (ky_list_style)i;
            return true;
        }
    return false;
}

const char *ky_list_style_names(void)
{
    return "bullet, decimal, paren-decimal, alpha, roman, iroha, circled";
}
