/* The font set: faces opened with HarfBuzz for measuring, per-language
 * fallback chains, and subsets of the characters a document uses. */
#ifndef KY_FONT_H
#define KY_FONT_H

#include <hb.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "node.h"

typedef enum { KY_ROLE_BODY, KY_ROLE_BOLD, KY_ROLE_ITALIC, KY_ROLE_COUNT } ky_role;

enum { KY_MAX_FACES = 16, KY_CHAIN_MAX = 4 };

typedef struct ky_face {
    char *id;
    char *path;
    char *package;
    char sha256[65];
    hb_blob_t *blob; /* NULL until first used: opening maps the file */
    hb_face_t *face;
    hb_font_t *font;
    unsigned upem;
    double ascender, descender; /* per unit of font size */
    hb_set_t *used;             /* code points this document sets in the face */
    bool failed;                /* could not be opened (reported once) */
} ky_face;

typedef struct ky_fontset {
    char *config_path;
    ky_face faces[KY_MAX_FACES];
    int face_count;
    int chain[KY_LANG_COUNT][KY_ROLE_COUNT][KY_CHAIN_MAX];
    int chain_len[KY_LANG_COUNT][KY_ROLE_COUNT];
    hb_buffer_t *buffer;
    int failed; /* faces that could not be opened: no PDF may be written */
} ky_fontset;

int ky_fontset_load(ky_fontset *fonts, const char *config_path, ky_diags *diags);
void ky_fontset_free(ky_fontset *fonts);
/* Compares each face's file with its configured SHA-256. */
int ky_fontset_verify(ky_fontset *fonts, ky_diags *diags);

/* Opens the face's file on first use; returns 0 or -1 with a diagnostic. */
int ky_face_open(ky_fontset *fonts, int face, ky_diags *diags);
/* The first face of the chain that has a glyph for cp, or -1. Faces that
 * cannot be opened are skipped (reported once, counted in fonts->failed). */
int ky_font_pick(ky_fontset *fonts, ky_lang lang, ky_role role, uint32_t cp, ky_diags *diags);
/* Width in points of text set in face at size, shaped by HarfBuzz. */
double ky_font_width(ky_fontset *fonts, int face, double size, const char *text, size_t len);
/* Where kerning moves the characters of text away from their nominal
 * advances: starts[i] (byte offsets) and x[i] (points from the text's start)
 * of at most max pieces, each drawable with nominal advances. Returns the
 * number of pieces (1 when nothing is kerned). */
size_t ky_font_kerned_pieces(ky_fontset *fonts, int face, double size, const char *text, size_t len,
                             uint32_t *starts, double *x, size_t max);
/* Glyph outlines of text set in face, one glyph after another at their
 * nominal advances, in points from the text's origin; emit receives path
 * operations: 'm' (move), 'l' (line), 'c' (cubic curve: x[0..2], y[0..2])
 * and 'h' (close). Quadratic TrueType curves come out as cubic ones. */
typedef void (*ky_outline_fn)(void *data, char op, const double *x, const double *y);
void ky_font_outline(ky_fontset *fonts, int face, double size, const char *text, size_t len,
                     ky_outline_fn emit, void *data);
/* Records the code points of text as used in face, for subsetting. */
void ky_font_use(ky_fontset *fonts, int face, const char *text, size_t len);
/* A TrueType subset of the face holding the used code points. Its cmap
 * maps the i-th used code point (in code point order) from KY_CODE_BASE + i,
 * a compact run of codes: libharu 2.3.0 looks up every one of
 * the 65,536 BMP codes when it loads a UTF-8 font, through a linear search
 * of the cmap's segments, which a single segment makes cheap. The PDF's
 * text therefore uses these codes, and its ToUnicode maps them back. */
#define KY_CODE_BASE 0x0100u
/* glyphs, when not NULL, receives the subset's glyph of each code (malloc'd,
 * one per used code point). */
hb_blob_t *ky_font_subset(ky_fontset *fonts, int face, hb_codepoint_t **glyphs, ky_diags *diags);

#endif
