/* Layout: flows of blocks become pages of positioned text fragments and
 * rules. Works only on font metrics (HarfBuzz, through font.c); it never
 * touches the PDF library, so it can be tested on its own.
 *
 * Pages leave the layout as soon as they are final: each finished page goes
 * to a sink (the PDF backend in a render) and its memory is released, so
 * memory does not grow with the page count. What needs the whole document
 * (the footer's "Page n of N") is drawn at the end of a part as an overlay of
 * each page, which the sink lays over the page it already has.
 *
 * The stages, one file each: typeset.c sets a paragraph's lines; flow.c
 * places blocks on pages (keeps, widows and orphans, rows of columns);
 * paragraph.c, signatures.c and table.c are the block kinds; furniture.c draws what
 * belongs to a page rather than to the text (footers, status marks, change
 * bars); pages.c holds pages, the outline and the sink; layout.c (this
 * header's entry points) puts them together for each layout. */
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
    int sid; /* the structure element it belongs to (ky_pages.elems), or -1: an artifact */
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

/* A link: the area over a line's piece of a <link>'s text (or of a note's
 * mark), and its target. */
typedef struct ky_link {
    double x1, y1, x2, y2;
    const char *uri;  /* NULL: a note's mark, to its note (the Link's Reference's) */
    int sid;          /* the structure element of the text it covers (its Link), or -1 */
    const char *text; /* what the reader sees of it (the text it covers), or NULL */
} ky_link;

/* The logical structure of the document (a tagged PDF's structure tree):
 * one element per block, not per line, so that it stays small. Elements
 * are made as blocks are first drawn; each names its parent, and the PDF
 * orders an element's children as their content first appears, which in
 * each language is reading order (the parallel layout's rows interleave
 * two languages, but each has a Part of its own). */
typedef enum {
    KY_SE_DOCUMENT,
    KY_SE_PART,
    KY_SE_H1,
    KY_SE_H2,
    KY_SE_H3,
    KY_SE_H4,
    KY_SE_H5,
    KY_SE_H6,
    KY_SE_P,
    KY_SE_L,
    KY_SE_LI,
    KY_SE_LBL,
    KY_SE_LBODY,
    KY_SE_TABLE,
    KY_SE_THEAD,
    KY_SE_TBODY,
    KY_SE_TR,
    KY_SE_TH,
    KY_SE_TD,
    KY_SE_NOTE,
    KY_SE_DIV,
    /* Inline: a stretch of a block's text (typeset.h's ky_text_tag). */
    KY_SE_SPAN,      /* a phrase in another language, with its /Lang */
    KY_SE_LINK,      /* a link's text and its annotations */
    KY_SE_REFERENCE, /* a note's mark in the text, referring to the Note */
    KY_SE_COUNT
} ky_se_type;

typedef struct ky_struct_elem {
    uint8_t type; /* ky_se_type */
    uint8_t lang; /* ky_lang */
    int parent;   /* index, -1 for the document */
} ky_struct_elem;

/* The most children a Part holds: PDF readers need hold no array longer
 * than 8,191 elements (ISO 32000-1, annex C); a language with more blocks
 * goes on in another Part of its language. */
#define KY_PART_MAX_KIDS 8191

/* Its PDF structure type name: "P", "H1", … */
const char *ky_se_name(ky_se_type type);

/* A page, or an overlay of one. Everything it holds lives in its own arena
 * (fragments own a copy of their text) and is freed once the sink has it. */
typedef struct ky_page {
    size_t index; /* 0-based, in the document */
    ky_lang lang;
    double width, height;
    ky_arena arena;
    ky_frag *frags;
    size_t frag_count, frag_capacity;
    ky_rule *rules;
    size_t rule_count, rule_capacity;
    ky_link *links;
    size_t link_count, link_capacity;
    ky_shape under[KY_LANG_COUNT]; /* drawn first, behind the text: watermarks */
    size_t under_count;
    /* The element the block being drawn belongs to, stamped on what
     * ky_page_text and ky_page_link add; -1 (footers, marks): artifacts. */
    int current_sid;
    struct ky_pages *doc; /* the structure elements (inline ones are made as text is drawn) */
} ky_page;

/* Where finished pages go. page() receives each page once, in order;
 * overlay() receives, at the end of a part, what is drawn over a page that
 * was already delivered (overlay->index). Both return 0 or -1. */
typedef struct ky_page_sink {
    void *data;
    int (*page)(void *data, const ky_page *page);
    int (*overlay)(void *data, const ky_page *overlay);
} ky_page_sink;

/* An outline entry: each language version's title (level 0) and its
 * headings (a section's level: 1, 2, …), where they stand. */
typedef struct ky_bookmark {
    int level;
    ky_lang lang;
    const char *title;
    size_t page; /* index */
    double y;    /* top of the line, PDF coordinates */
    struct ky_bookmark *next;
} ky_bookmark;

/* A run of pages numbered together (a language version, or a parallel
 * document), for page labels: "EN-1", "JA-1", … */
typedef struct ky_part {
    size_t first; /* page index */
    ky_lang lang;
    bool parallel;
    struct ky_part *next;
} ky_part;

/* The document's pages as the layout produces them: the sink, the page
 * being filled, and what the PDF needs at the end (outline, parts), which
 * is small and kept in arena. */
typedef struct ky_pages {
    ky_page_sink sink;
    ky_arena *arena; /* the document's: bookmarks and parts */
    ky_page *open;   /* the page being filled, or NULL */
    size_t count;    /* pages started so far */
    ky_bookmark *bookmarks, *last_bookmark;
    ky_part *parts, *last_part;
    /* The structure tree (in arena): elems[0] is the document. */
    ky_struct_elem *elems;
    size_t elem_count, elem_capacity;
    int part_sid[KY_LANG_COUNT];     /* each language's Part, or -1 */
    size_t part_kids[KY_LANG_COUNT]; /* the children it has */
    int last_heading[KY_LANG_COUNT]; /* the last heading level of each Part (1: the title) */
    struct ky_list_level {
        int level, list, item; /* a list item's depth, its L, its last LI */
    } lists[KY_LANG_COUNT][8];
    int list_depth[KY_LANG_COUNT];
    /* Footnotes: each note's Reference (its mark in the text) and its Note,
     * found by the note they stand for; number counts the notes of a
     * language as the first of the two is made (their /ID, "note-en-3", is
     * unique in the document and known once the mark is drawn). */
    struct ky_note_tag {
        const void *key;
        int reference, note, number;
        uint8_t lang;
    } * notes;
    size_t note_count, note_capacity;
    int note_numbers[KY_LANG_COUNT];
} ky_pages;

void ky_pages_init(ky_pages *pages, ky_page_sink sink, ky_arena *arena);

typedef enum {
    KY_LAYOUT_SEQUENTIAL,
    KY_LAYOUT_EN,
    KY_LAYOUT_JA,
    KY_LAYOUT_PARALLEL,
    KY_LAYOUT_COUNT
} ky_layout_kind;

/* "sequential", "en", "ja", "parallel". */
const char *ky_layout_name(ky_layout_kind layout);
/* The layout named name; false when there is none. */
bool ky_layout_parse(const char *name, ky_layout_kind *layout);

/* What every layout of one document shares. */
typedef struct ky_layout_env {
    const ky_template *tpl;
    ky_fontset *fonts;
    ky_hyphenator *hyphenator;
    ky_pages *pages;
    ky_diags *diags;
    struct ky_typeset_report *report; /* NULL, or figures for --report */
} ky_layout_env;

/* Lays out one language's flow on new pages, footers numbered within that
 * language's part. */
int ky_layout_flow(const ky_layout_env *env, const ky_flow *flow);

/* Lays out two flows of one draft side by side: each pair of blocks is a
 * row whose first lines share a baseline; signatures span both columns. */
int ky_layout_parallel(const ky_layout_env *env, const ky_flow *left, const ky_flow *right);

/* A bilingual title page: every flow's title, subtitle and date line, one
 * language under the other, on a page of its own without a page number. */
int ky_layout_title_page(const ky_layout_env *env, ky_flow *const *flows, size_t count);

#endif
