/* The flow: places blocks on pages. Every block kind (paragraphs, headings,
 * list items, signature blocks, tables) is a ky_box: a stack of slices (a
 * paragraph's lines, a signature block's rows, a table's body rows) that can say how
 * tall a run of its slices is and draw one at a given height. Page breaking,
 * keeps, widows and orphans are decided here, once, for every kind and for
 * both columns of the parallel layout. */
#ifndef KY_FLOW_H
#define KY_FLOW_H

#include "layout.h"

typedef struct ky_box ky_box;
typedef struct ky_page_flow ky_page_flow;

/* The flow calls draw once for each page a box is placed on, with the run
 * of slices that page takes; a box may draw something at the head of
 * every run (a table repeats its head rows on every page it runs onto), so
 * height(from, to) is the height of such a run with what heads it, and
 * ky_box_fit asks for it run by run. */
typedef struct ky_box_kind {
    const char *name;
    /* Height of slices [from, to) set one under the other (to > from), as
     * one page's run: with whatever draw puts at the head of a run. */
    double (*height)(const ky_box *box, size_t from, size_t to);
    /* Draws slices [from, to) on the flow's page, the first slice's top at
     * top (points from the page's top). */
    int (*draw)(const ky_box *box, ky_page_flow *flow, size_t from, size_t to, double top);
    /* Optional (NULL: anywhere): whether a page may end after slice at - 1
     * and the next begin with slice at (0 < at < count) — a paragraph says
     * no after a hyphenated line, so that no page ends with a hyphen. */
    bool (*breakable)(const ky_box *box, size_t at);
    /* Optional (NULL: none): the footnotes referenced in slice at, each a
     * box of its own (its slices: its lines) that the flow sets at the
     * foot of the page (of the column) the slice is placed on; returns
     * how many, *notes pointing at them. */
    size_t (*notes)(const ky_box *box, size_t at, ky_box *const **notes);
} ky_box_kind;

struct ky_box {
    const ky_box_kind *kind;
    void *data;
    size_t count; /* slices */
    double space_before, space_after;
    double first_baseline;  /* from the top of slice 0 to its baseline: columns align on it */
    size_t orphans;         /* fewest slices left at the foot of a page */
    size_t widows;          /* fewest slices carried to the next page */
    bool keep_with_next;    /* no page break between this row and the next */
    bool keep_together;     /* starts on a new page rather than split, if it fits one */
    double grid;            /* > 0: each page's first slice starts on this grid */
    bool page_break_before; /* its row starts a new page unless the page is still empty */
    double x, width;        /* across the page: where the rule over its notes stands */
};

/* Above a page's footnotes, a short rule parts them from the text: the
 * foot's first KY_NOTE_SEPARATION points, the rule KY_NOTE_RULE_AT from
 * their top, a third of the measure long. */
#define KY_NOTE_SEPARATION 10.0
#define KY_NOTE_RULE_AT 5.0
#define KY_NOTE_RULE_WIDTH 0.5

/* How many of box's slices, from slice done, to place in room (points,
 * from where the box starts to the foot of the page) that already holds
 * foot points of footnotes; the notes the slices bring must fit too, but
 * for the last one's lines after its first two, which may continue on the
 * next page. at_top: the page is still empty, so at least one slice must
 * go. This is where widows and orphans are decided. */
size_t ky_box_fit(const ky_box *box, size_t done, double room, double foot, bool at_top);

/* The height footnotes of slices [from, to) add to a foot of height foot
 * (0: none yet, so the rule's space too); with split, the last note by
 * its first two lines only. */
double ky_notes_height(const ky_box *box, size_t from, size_t to, double foot, bool split);

/* One row of the flow: one box, or one per column placed side by side with
 * their first baselines level (the parallel layout). Rows own an arena for
 * everything set for them, released once the row is placed. */
enum { KY_ROW_MAX = 2 };
typedef struct ky_row {
    ky_box *boxes[KY_ROW_MAX];
    size_t count;
    double rule_x; /* > 0: a rule down the gutter at this x beside the row */
    ky_arena arena;
} ky_row;

/* Sets row index of a flow into row (count 0 when there are no more rows);
 * returns 0 or -1 with a diagnostic. */
typedef int (*ky_row_source)(void *data, size_t index, ky_row *row);

/* Called when a page is started (after it exists) and before a page is
 * finished: page furniture that does not need the page count. */
typedef int (*ky_page_hook)(void *data, ky_page *page);

struct ky_page_flow {
    const ky_template *tpl;
    ky_pages *pages;
    ky_diags *diags;
    ky_lang lang;  /* of the pages (for page labels and the outline) */
    ky_page *page; /* being filled */
    double cursor; /* from the top of the page */
    bool at_top;   /* nothing placed yet on this page */
    double rule_width;
    ky_page_hook finish_page;
    void *hook_data;
    /* Rows set but not placed: the one being placed and those it is kept
     * with, in a ring. */
    ky_row queue[8];
    size_t queue_first, queue_count, next_index;
    ky_row_source source;
    void *source_data;
    /* The footnotes of each column of the page being filled, set from the
     * foot's top on a page of their own (its frags and rules move onto the
     * page when it is finished, once the foot's height is known). */
    struct ky_foot {
        ky_page *notes; /* NULL: none on this page */
        double height;  /* of the foot, the rule's space included */
        double x, width;
    } foot[KY_ROW_MAX];
};

void ky_page_flow_init(ky_page_flow *flow, const ky_template *tpl, ky_pages *pages, ky_lang lang,
                       ky_diags *diags);
/* Starts a new page (finishing the current one). */
int ky_page_flow_new_page(ky_page_flow *flow);
/* Places every row the source gives, in order. */
int ky_page_flow_run(ky_page_flow *flow, ky_row_source source, void *data);
/* Finishes the last page. */
int ky_page_flow_end(ky_page_flow *flow);

#endif
