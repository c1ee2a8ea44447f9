#ifndef KY_UTF8_H
#define KY_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define KY_UTF8_INVALID 0xFFFFFFFFu

/* Decodes the code point at text[*pos] (of len bytes) and advances *pos.
 * Malformed or overlong sequences and surrogates give KY_UTF8_INVALID and
 * advance by one byte. */
uint32_t ky_utf8_next(const char *text, size_t len, size_t *pos);
/* Writes the UTF-8 form of cp to out (at least 4 bytes); returns its length. */
size_t ky_utf8_encode(uint32_t cp, char *out);
/* The number of code points in text (bytes that do not continue one). */
size_t ky_utf8_count(const char *text, size_t len);
/* Japanese/Chinese ideographs, kana and full-width forms: scripts that are
 * set without spaces between words. */
int ky_is_wide(uint32_t cp);

#endif
