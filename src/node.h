/* The document model: what a draft says, independent of how it is laid out.
 * Every text is bilingual; each language keeps its own source line so that
 * diagnostics point at the <en> or <ja> element that caused them. */
#ifndef KY_NODE_H
#define KY_NODE_H

#include <stdbool.h>
#include <stddef.h>

#include "counter.h"

struct ky_arena;

typedef enum { KY_EN, KY_JA, KY_LANG_COUNT } ky_lang;

/* Inline style bits of a span (they combine: <strong><em> is both). */
enum {
    KY_SPAN_EMPHASIS = 1,    /* <em>: italic (roman again inside another <em>) */
    KY_SPAN_PARTIES = 2,     /* <parties/>: the parties' names, in the copy's order */
    KY_SPAN_NOTE = 4,        /* a <note>'s reference: its mark (set by merge), the note in note */
    KY_SPAN_SUPERSCRIPT = 8, /* <sup>, a note's mark: set smaller, above the baseline */
    KY_SPAN_SUBSCRIPT = 16,  /* <sub>: set smaller, below the baseline */
    KY_SPAN_STRONG = 32,     /* <strong>: bold */
    KY_SPAN_NOBREAK = 64,    /* <nobreak>: no line break inside */
    KY_SPAN_LINK = 128,      /* <link>: a link annotation to href over the text */
    KY_SPAN_BREAK = 256,     /* <br/>: the line ends here (the span holds no text) */
    KY_SPAN_PARTY = 512,     /* <party ref/>: that party's name (merge) */
    KY_SPAN_FOREIGN = 1024   /* <foreign lang>: a phrase in the other language, in lang */
};

/* Which of a party's names <party>/<parties> print. */
typedef enum { KY_FORM_NAME, KY_FORM_SHORT, KY_FORM_GOVERNMENT } ky_party_form;

struct ky_note;

typedef struct ky_span {
    const char *text; /* UTF-8, NFC, whitespace collapsed */
    size_t len;
    unsigned style;
    const struct ky_note *note; /* KY_SPAN_NOTE */
    const char *href;           /* KY_SPAN_LINK: the target */
    const char *party;          /* KY_SPAN_PARTY: the party's id */
    ky_party_form form;         /* KY_SPAN_PARTY, KY_SPAN_PARTIES */
    bool running;               /* KY_SPAN_PARTIES: joined as running text ("Japan and India") */
    int lang;                   /* KY_SPAN_FOREIGN: the phrase's language (a ky_lang) */
    struct ky_span *next;
} ky_span;

/* A footnote: numbered per language through the statement, in the order
 * of the references. Merge fills in the template's texts: the mark at the
 * reference (a superscript "1") and the label the note starts with at the
 * foot of the page ("1", 「注1」). */
typedef struct ky_note {
    int line;
    int number;
    struct ky_span *spans;
    const char *label; /* merge's */
    const char *link;  /* merge's: what its mark's link says ("Note 1"), or NULL */
} ky_note;

typedef struct ky_ltext {
    bool present;
    int line;
    ky_span *spans;
} ky_ltext;

typedef struct ky_btext {
    int line;
    ky_ltext lang[KY_LANG_COUNT];
} ky_btext;

typedef struct ky_party {
    const char *id;
    int line;
    int lang; /* the party's own language (ky_lang), -1 when not given */
    ky_btext name;
    ky_btext shortname; /* <short>, for titles that name the parties; else the name */
    ky_btext government;
} ky_party;

typedef enum { KY_NODE_HEADING, KY_NODE_PARAGRAPH, KY_NODE_ITEM, KY_NODE_TABLE } ky_node_kind;

/* Tables: a column is a fixed length ("20mm"), a share of what the fixed
 * and automatic columns leave ("2*"), or as wide as its content ("auto");
 * its cells align as it says. A cell is an <en>/<ja> pair, or one text
 * shown in both languages (numbers, codes): then both languages hold the
 * same spans. span: how many columns it covers. */
typedef enum { KY_WIDTH_FIXED, KY_WIDTH_FRACTION, KY_WIDTH_AUTO } ky_width_kind;

typedef struct ky_table_column {
    ky_width_kind kind;
    double value; /* points (fixed) or weight (fraction) */
    int align;    /* a ky_align (template.h) */
} ky_table_column;

typedef struct ky_cell {
    ky_btext text;
    bool shared; /* one text for both languages */
    size_t span;
    size_t column; /* the first column it covers */
} ky_cell;

typedef struct ky_table_row {
    int line;
    bool head; /* repeated at the top of every page the table runs onto */
    ky_cell *cells;
    size_t count;
} ky_table_row;

typedef struct ky_table {
    int line;
    ky_table_column *columns;
    size_t column_count;
    ky_table_row *rows;
    size_t row_count, head_count; /* head rows come first */
} ky_table;

/* Sections nest at most this deep: templates style and number each level
 * (heading, heading-2, heading-3), and the outline nests as deep. */
enum { KY_SECTION_MAX_DEPTH = 3 };

typedef struct ky_node {
    ky_node_kind kind;
    int line;
    bool numbered; /* paragraphs are numbered 1., 2., … across sections */
    int number;    /* 0 when unnumbered; items count within their paragraph, headings
                      their section among the sections of its parent */
    int section;   /* 1, 2, … for nodes inside <section> (the innermost one, counted in
                      document order at every level), 0 outside */
    int level;     /* headings: 1 for a top section's, 2 for a section's inside it, … */
    bool preamble; /* a recital of the <preamble>: never numbered */
    bool changed[KY_LANG_COUNT]; /* since the revision given by --changes-since */
    ky_btext text;
    /* Lists: a paragraph's (or an item's) <list> becomes its items, one
     * node each, right after it; text after the list continues the
     * paragraph in a node of its own (continued). */
    int depth;                /* items: 1 in a paragraph's list, 2 in an item's, … */
    ky_list_style list_style; /* items: their list's style */
    int list_line;            /* items: the line of their <list> */
    bool continued;           /* text after a list, in the paragraph or item before it */
    bool implicit;            /* a section's <item> outside any <list>: the template's
                                 item-number, or alpha */
    int paragraph;            /* the number of the paragraph it belongs to; 0: unnumbered */
    const ky_table *table;    /* KY_NODE_TABLE */
    struct ky_node *next;
} ky_node;

/* An annex after the signatures: a title, and a body numbered on its own. */
typedef struct ky_annex {
    int line;
    ky_btext title;
    ky_node *body;
    struct ky_annex *next;
} ky_annex;

typedef struct ky_signatory {
    const char *party_id;
    const ky_party *party;
    int line;
    ky_btext name;
    ky_btext title;
    bool own_capacity; /* capacity="own": no for-party line */
} ky_signatory;

typedef struct ky_doc {
    const char *path; /* as given on the command line: used in diagnostics */
    const char *template_name;
    int template_line;
    const char *status;              /* "draft", "final", … */
    bool provisional[KY_LANG_COUNT]; /* a provisional translation */
    int revision;
    ky_party *parties;
    size_t party_count;
    ky_btext title;
    bool has_subtitle;
    ky_btext subtitle;
    bool has_issued;
    int year, month, day; /* of <issued date="YYYY-MM-DD"> */
    int calendar;         /* <issued calendar>: 1 japanese, -1 gregorian, 0 template's */
    int issued_position;  /* <issued position>: 1 end, -1 top, 0 template's */
    int issued_line;
    ky_btext place;
    ky_node *body;
    bool has_done; /* <done>: the closing formula's parameters */
    ky_btext done_languages, done_authenticity;
    ky_signatory *signatories;
    size_t signatory_count;
    ky_annex *annexes;
    size_t annex_count;
} ky_doc;

/* Concatenated plain text of one language of a bilingual text. */
char *ky_ltext_plain(const ky_ltext *text, struct ky_arena *arena);

static inline const char *ky_lang_code(ky_lang lang)
{
    return lang == KY_EN ? "en" : "ja";
}

#endif
