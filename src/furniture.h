/* Page furniture: what belongs to a page rather than to the text — footers
 * with page numbers, the draft line and the watermark of a statement that
 * is not final, change bars. */
#ifndef KY_FURNITURE_H
#define KY_FURNITURE_H

#include "blocks.h"

/* What a column of pages carries: its footer and status marks. */
typedef struct ky_furnished {
    ky_column column;
    const ky_flow *flow; /* its watermark and draft line */
} ky_furnished;

/* A change bar beside one line (top and height from the page's top). */
int ky_change_bar(ky_page *page, double x, double top, double height);

/* Whether flow's watermark can be drawn: every character in the one face
 * the bold chain picks for its first (the mark is outlines of one face).
 * Reports at the template's text; render and check both ask. */
int ky_watermark_check(const ky_flow *flow, const ky_template *tpl, ky_fontset *fonts,
                       ky_diags *diags);

/* The watermarks of count columns, behind the text of page ("DRAFT",
 * 「案」): one centered, or two stacked along the diagonal. */
int ky_furniture_under(ky_typesetter *ts, ky_page *page, const ky_furnished *columns, size_t count);

/* Footers ("Page n of N") and draft lines of pages [first, end) as
 * overlays: numbered from 1 within the part. */
int ky_furniture_over(ky_typesetter *ts, ky_pages *pages, size_t first, size_t end,
                      const ky_furnished *columns, size_t count);

#endif
