/* Layout: flows of blocks become pages of positioned text fragments and
 * rules. Works only on font metrics (HarfBuzz); it never touches the PDF
 * library, so it can be tested on its own. */
#ifndef KY_LAYOUT_H
#define KY_LAYOUT_H

#include "arena.h"
#include "diag.h"
#include "font.h"
#include "hyphenate.h"
#include "merge.h"
#include "template.h"

/* A piece of text set in one face on one baseline. char_spacing is added
 * after every character (PDF's Tc): justified Japanese uses it. */
typedef struct ky_frag {
    int face;
    double size;
    double x, y; /* baseline start, PDF coordinates (points, origin bottom left) */
    const char *text;
    uint32_t len;
    double char_spacing;
} ky_frag;

/* A filled outline: a watermark, drawn as shapes so that it is no part of
 * the document's text. */
typedef struct ky_path_op {
    char op; /* 'm' move, 'l' line, 'c' cubic curve, 'h' close */
    double x[3], y[3];
} ky_path_op;

typedef struct ky_shape {
    ky_path_op *ops;
    size_t count, capacity;
    double gray;
} ky_shape;

typedef struct ky_rule {
    double x1, y1, x2, y2;
    double width;
} ky_rule;

typedef struct ky_page {
    ky_lang lang;
    double width, height;
    ky_frag *frags;
    size_t frag_count, frag_capacity;
    ky_rule *rules;
    size_t rule_count, rule_capacity;
    ky_shape under[KY_LANG_COUNT]; /* drawn first, behind the text: watermarks */
    size_t under_count;
    struct ky_page *next;
} ky_page;

/* An outline entry: each language version's title (level 0) and its
 * headings (level 1), where they stand. */
typedef struct ky_bookmark {
    int level;
    ky_lang lang;
    const char *title;
    const ky_page *page;
    double y; /* top of the line, PDF coordinates */
    struct ky_bookmark *next;
} ky_bookmark;

/* A run of pages numbered together (a language version, or a parallel
 * document), for page labels: "EN-1", "JA-1", … */
typedef struct ky_part {
    const ky_page *first;
    ky_lang lang;
    bool parallel;
    struct ky_part *next;
} ky_part;

typedef struct ky_pages {
    ky_page *first, *last;
    size_t count;
    ky_bookmark *bookmarks, *last_bookmark;
    ky_part *parts, *last_part;
} ky_pages;

typedef enum {
    KY_LAYOUT_SEQUENTIAL,
    KY_LAYOUT_EN,
    KY_LAYOUT_JA,
    KY_LAYOUT_PARALLEL
} ky_layout_kind;

/* Lays out one language's flow on new pages appended to pages, footers
 * numbered within that language's part. */
int ky_layout_flow(const ky_flow *flow, const ky_template *tpl, ky_fontset *fonts,
                   ky_hyphenator *hyphenator, ky_pages *pages, ky_arena *arena, ky_diags *diags);

/* Lays out two flows of one draft side by side: each pair of blocks is a
 * row whose first lines share a baseline; signatures span both columns. */
int ky_layout_parallel(const ky_flow *left, const ky_flow *right, const ky_template *tpl,
                       ky_fontset *fonts, ky_hyphenator *hyphenator, ky_pages *pages,
                       ky_arena *arena, ky_diags *diags);

/* A bilingual title page: every flow's title, subtitle and date line, one
 * language under the other, on a page of its own without a page number. */
int ky_layout_title_page(ky_flow *const *flows, size_t count, const ky_template *tpl,
                         ky_fontset *fonts, ky_hyphenator *hyphenator, ky_pages *pages,
                         ky_arena *arena, ky_diags *diags);

#endif
