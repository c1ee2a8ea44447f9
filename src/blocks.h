/* The block kinds the flow places (flow.h's ky_box): paragraphs (with
 * headings, titles and every other text block) and signature blocks. */
#ifndef KY_BLOCKS_H
#define KY_BLOCKS_H

#include "flow.h"
#include "typeset.h"

/* Where a block kind is set: its language, its column and the layout. */
typedef struct ky_column {
    ky_lang lang;
    double x, width;
    bool parallel;  /* the parallel layout's styles */
    bool grid;      /* body lines on the baseline grid */
    bool bookmarks; /* titles and headings go into the outline */
    double bar_x;   /* where change bars stand */
} ky_column;

/* A text block (paragraph, heading, title…) set for a column. */
int ky_paragraph_box(ky_typesetter *ts, ky_arena *arena, const ky_block *block,
                     const ky_column *column, ky_box **box);

/* A signature block spanning the whole measure, each signatory's parts in
 * every given language (one block per language, stacked), whole rows of
 * signatories as its slices. */
int ky_signatures_box(ky_typesetter *ts, ky_arena *arena, const ky_block *const *blocks,
                      const ky_column *columns, size_t count, ky_box **box);

#endif
