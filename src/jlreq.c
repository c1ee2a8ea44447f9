#include "jlreq.h"

#include "utf8.h"

/* The classes, from JLREQ appendix A, with the full-width forms of the
 * ASCII characters it lists (（）［］｛｝，．！？：；) added, as the
 * JLREQ text itself asks for wherever full-width forms are used. ICU's
 * strict line breaking (ja@lb=strict) already forbids most of these
 * positions; this table is applied on top of it for the rest (quotation
 * marks, which UAX #14 treats as ambiguous, and the few hyphens and
 * brackets it classes differently). */
typedef struct {
    uint32_t cp;
    unsigned char cls;
} ky_jclass_entry;

static const ky_jclass_entry classes[] = {
    /* sorted by code point for binary search */
    {0x0021, KY_CL_DIVIDING},   {0x0028, KY_CL_OPENING},     {0x0029, KY_CL_CLOSING},
    {0x002C, KY_CL_COMMA},      {0x002E, KY_CL_FULL_STOP},   {0x003A, KY_CL_MIDDLE_DOT},
    {0x003B, KY_CL_MIDDLE_DOT}, {0x003F, KY_CL_DIVIDING},    {0x005B, KY_CL_OPENING},
    {0x005D, KY_CL_CLOSING},    {0x007B, KY_CL_OPENING},     {0x007D, KY_CL_CLOSING},
    {0x00AB, KY_CL_OPENING},    {0x00BB, KY_CL_CLOSING},     {0x2010, KY_CL_HYPHEN},
    {0x2013, KY_CL_HYPHEN},     {0x2014, KY_CL_INSEPARABLE}, {0x2015, KY_CL_INSEPARABLE},
    {0x2018, KY_CL_OPENING},    {0x2019, KY_CL_CLOSING},     {0x201C, KY_CL_OPENING},
    {0x201D, KY_CL_CLOSING},    {0x2025, KY_CL_INSEPARABLE}, {0x2026, KY_CL_INSEPARABLE},
    {0x203C, KY_CL_DIVIDING},   {0x2047, KY_CL_DIVIDING},    {0x2048, KY_CL_DIVIDING},
    {0x2049, KY_CL_DIVIDING},   {0x2985, KY_CL_OPENING},     {0x2986, KY_CL_CLOSING},
    {0x3001, KY_CL_COMMA},      {0x3002, KY_CL_FULL_STOP},   {0x3005, KY_CL_ITERATION},
    {0x3008, KY_CL_OPENING},    {0x3009, KY_CL_CLOSING},     {0x300A, KY_CL_OPENING},
    {0x300B, KY_CL_CLOSING},    {0x300C, KY_CL_OPENING},     {0x300D, KY_CL_CLOSING},
    {0x300E, KY_CL_OPENING},    {0x300F, KY_CL_CLOSING},     {0x3010, KY_CL_OPENING},
    {0x3011, KY_CL_CLOSING},    {0x3014, KY_CL_OPENING},     {0x3015, KY_CL_CLOSING},
    {0x3016, KY_CL_OPENING},    {0x3017, KY_CL_CLOSING},     {0x3018, KY_CL_OPENING},
    {0x3019, KY_CL_CLOSING},    {0x301C, KY_CL_HYPHEN},      {0x301D, KY_CL_OPENING},
    {0x301F, KY_CL_CLOSING},    {0x303B, KY_CL_ITERATION},   {0x3041, KY_CL_SMALL_KANA},
    {0x3043, KY_CL_SMALL_KANA}, {0x3045, KY_CL_SMALL_KANA},  {0x3047, KY_CL_SMALL_KANA},
    {0x3049, KY_CL_SMALL_KANA}, {0x3063, KY_CL_SMALL_KANA},  {0x3083, KY_CL_SMALL_KANA},
    {0x3085, KY_CL_SMALL_KANA}, {0x3087, KY_CL_SMALL_KANA},  {0x308E, KY_CL_SMALL_KANA},
    {0x3095, KY_CL_SMALL_KANA}, {0x3096, KY_CL_SMALL_KANA},  {0x309D, KY_CL_ITERATION},
    {0x309E, KY_CL_ITERATION},  {0x30A0, KY_CL_HYPHEN},      {0x30A1, KY_CL_SMALL_KANA},
    {0x30A3, KY_CL_SMALL_KANA}, {0x30A5, KY_CL_SMALL_KANA},  {0x30A7, KY_CL_SMALL_KANA},
    {0x30A9, KY_CL_SMALL_KANA}, {0x30C3, KY_CL_SMALL_KANA},  {0x30E3, KY_CL_SMALL_KANA},
    {0x30E5, KY_CL_SMALL_KANA}, {0x30E7, KY_CL_SMALL_KANA},  {0x30EE, KY_CL_SMALL_KANA},
    {0x30F5, KY_CL_SMALL_KANA}, {0x30F6, KY_CL_SMALL_KANA},  {0x30FB, KY_CL_MIDDLE_DOT},
    {0x30FC, KY_CL_PROLONGED},  {0x30FD, KY_CL_ITERATION},   {0x30FE, KY_CL_ITERATION},
    {0xFF01, KY_CL_DIVIDING},   {0xFF08, KY_CL_OPENING},     {0xFF09, KY_CL_CLOSING},
    {0xFF0C, KY_CL_COMMA},      {0xFF0E, KY_CL_FULL_STOP},   {0xFF1A, KY_CL_MIDDLE_DOT},
    {0xFF1B, KY_CL_MIDDLE_DOT}, {0xFF1F, KY_CL_DIVIDING},    {0xFF3B, KY_CL_OPENING},
    {0xFF3D, KY_CL_CLOSING},    {0xFF5B, KY_CL_OPENING},     {0xFF5D, KY_CL_CLOSING},
    {0xFF5F, KY_CL_OPENING},    {0xFF60, KY_CL_CLOSING},
};

ky_jclass ky_jlreq_class(uint32_t cp)
{
    /* Small katakana for Ainu, ㇰ to ㇿ, all cl-11. */
    if (cp >= 0x31F0 && cp <= 0x31FF) return KY_CL_SMALL_KANA;
    size_t lo = 0, hi = sizeof classes / sizeof classes[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (classes[mid].cp == cp) return (ky_jclass)classes[mid].cls;
        if (classes[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return KY_CL_OTHER;
}

bool ky_jlreq_no_line_start(uint32_t cp)
{
    ky_jclass cls = ky_jlreq_class(cp);
    return cls != KY_CL_OTHER && cls != KY_CL_OPENING && cls != KY_CL_INSEPARABLE;
}

bool ky_jlreq_no_line_end(uint32_t cp)
{
    return ky_jlreq_class(cp) == KY_CL_OPENING;
}

bool ky_jlreq_loose_line_start(uint32_t cp)
{
    ky_jclass cls = ky_jlreq_class(cp);
    return cls == KY_CL_SMALL_KANA || cls == KY_CL_PROLONGED;
}

void ky_jlreq_tailor(const char *text, size_t len, bool loose, bool *allowed)
{
    size_t pos = 0;
    uint32_t previous = 0;
    while (pos < len) {
        size_t start = pos;
        uint32_t cp = ky_utf8_next(text, len, &pos);
        if (start > 0 && allowed[start]) {
            /* A space ends the line before it, so the rule looks past it
             * only for what follows it. */
            bool start = ky_jlreq_no_line_start(cp) && !(loose && ky_jlreq_loose_line_start(cp));
            bool forbidden = start || ky_jlreq_no_line_end(previous) ||
                             /* cl-08: ——, …… and ‥‥ are never split */
                             (cp == previous && ky_jlreq_class(cp) == KY_CL_INSEPARABLE);
            if (forbidden && previous != ' ') allowed[start] = 0;
        }
        previous = cp;
    }
}
