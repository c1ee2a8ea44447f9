/* The block kinds the flow places (flow.h's ky_box): paragraphs (with
 * headings, titles and every other text block), signature blocks and
 * tables. */
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

/* A table set for a column (table.c): 0, -1 with a diagnostic, or 1
 * (without one) when its columns cannot fit the column's width. */
int ky_table_box(ky_typesetter *ts, ky_arena *arena, const ky_block *block, const ky_column *column,
                 ky_box **box);

/* The error of a table whose columns do not fit measure. */
void ky_table_too_wide(ky_diags *diags, const char *file, const ky_table *table, double measure);

/* What the layout would refuse of a body's tables, without setting them
 * (kyodo check): columns that cannot fit the page's measure. Returns the
 * number of errors. */
int ky_tables_check(const ky_node *body, const ky_template *tpl, const char *file, ky_diags *diags);

/* What a cell asks of the columns it covers [column, column + span): its
 * text's width on one line, with its padding. */
typedef struct ky_table_need {
    size_t column, span;
    double natural;
} ky_table_need;

/* The widths of count columns in measure: fixed columns as given; automatic
 * ones as wide as the widest cell of their own (cells spanning automatic
 * columns only widen them evenly), narrowed in proportion, to no less than
 * least, when they would not leave every share column least; share columns
 * divide the rest by their weights. Without share columns the table is as
 * wide as its columns. -1 when the fixed columns and least for each other
 * one exceed the measure. */
int ky_table_widths(const ky_table_column *columns, size_t count, const ky_table_need *needs,
                    size_t need_count, double measure, double least, double *widths);

#endif
