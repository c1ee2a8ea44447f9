/* The font set: faces opened with HarfBuzz for measuring, per-language
 * fallback chains, and subsets of the characters a document uses. */
#ifndef KY_FONT_H
#define KY_FONT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "node.h"

/* HarfBuzz stays inside font.c: other modules see its types only by name. */
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_font_t hb_font_t;
typedef struct hb_map_t hb_map_t;
typedef struct hb_buffer_t hb_buffer_t;

typedef enum { KY_ROLE_BODY, KY_ROLE_BOLD, KY_ROLE_ITALIC, KY_ROLE_COUNT } ky_role;

/* "body", "bold", "italic": the names font sets and templates use. */
const char *ky_role_name(ky_role role);
/* The role named name; false when there is none. */
bool ky_role_parse(const char *name, ky_role *role);

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
    /* The characters this document sets in the face, in the order of first
     * use: character cps[i] has the code KY_CODE_BASE + i. */
    hb_map_t *codes; /* code point -> i */
    uint32_t *cps;
    size_t cp_count, cp_capacity;
    bool failed; /* could not be opened (reported once) */
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
/* The version of HarfBuzz in use, and a face's own version string (its
 * name table's), for --version. */
const char *ky_font_library_version(void);
const char *ky_face_version(ky_fontset *fonts, int face, char *out, size_t size);

/* The height of the face's capital letters per unit of font size (for the
 * PDF's FontDescriptor /CapHeight). */
double ky_font_cap_height(ky_fontset *fonts, int face);
/* Whether face has a glyph for cp (opening it if need be). */
bool ky_font_has(ky_fontset *fonts, int face, uint32_t cp);
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
/* The PDF's character codes for text set in face: one two-byte code per
 * character (into out, which holds len codes), given in the order
 * characters are first used, so that a page can be written as soon as it is
 * finished. The subset's cmap maps code KY_CODE_BASE + i to the i-th
 * character's glyph: a single compact segment, because libharu 2.3.0 looks
 * up every one of the 65,536 BMP codes when it loads a font, through a
 * linear search of the cmap's segments. Returns the number of codes. */
#define KY_CODE_BASE 0x0100u
#define KY_CODE_COUNT (0xFFFEu - KY_CODE_BASE)
size_t ky_font_encode(ky_fontset *fonts, int face, const char *text, size_t len, uint16_t *out);
/* How many different characters the document has set in face: more than
 * KY_CODE_COUNT do not fit the two-byte codes (their code is 0). */
size_t ky_font_code_count(const ky_fontset *fonts, int face);

/* A face's subset as plain data for the PDF backend. */
typedef struct ky_subset {
    const char *data; /* TrueType font */
    size_t size;
    const uint32_t *cps; /* character of code KY_CODE_BASE + i */
    uint32_t *glyphs;    /* its glyph in the subset */
    size_t count;
    hb_blob_t *owner;
} ky_subset;
/* The subset of the face holding the characters encoded so far. */
int ky_font_subset(ky_fontset *fonts, int face, ky_subset *subset, ky_diags *diags);
void ky_subset_free(ky_subset *subset);

#endif
