/* Typesetting: a run of text in one style becomes lines at a given measure
 * (total-fit breaking, hyphenation, Japanese spacing), and a set line
 * becomes fragments on a page. It knows nothing of pages breaking. */
#ifndef KY_TYPESET_H
#define KY_TYPESET_H

#include "layout.h"
#include "linebreak.h"

/* What `kyodo render --report` prints, per language: how hard the line
 * breaking had to work, counted over the lines drawn. */
typedef struct ky_typeset_stats {
    size_t lines;
    size_t word_spaces;                    /* in justified lines but a paragraph's last */
    double word_space_sum, word_space_max; /* as a ratio of the natural space */
    size_t letter_spaced_lines;
    double letter_space_max; /* ems */
    size_t hyphenated_lines, relaxed_lines, emergency_breaks;
    /* Lines set flush left instead of justified (ragged-under), and the
     * least any of them but a paragraph's last fills of its measure. */
    size_t ragged_lines;
    double ragged_fill_min;
} ky_typeset_stats;

typedef struct ky_typeset_report {
    ky_typeset_stats lang[KY_LANG_COUNT];
} ky_typeset_report;

/* What setting text needs, for one document. reported remembers the
 * characters already reported as missing: one error each, not one per use. */
typedef struct ky_typesetter {
    const ky_template *tpl;
    ky_fontset *fonts;
    ky_hyphenator *hyphenator;
    ky_diags *diags;
    uint32_t reported[32];
    size_t reported_count;
    ky_breakers breakers;      /* ky_breakers_free when done */
    ky_typeset_report *report; /* NULL: no figures kept */
} ky_typesetter;

/* A note referenced in a set text: its mark starts at byte offset of the
 * paragraph's text. */
typedef struct ky_note_ref {
    uint32_t offset;
    const ky_note *note;
} ky_note_ref;

/* A stretch [start, end) of the paragraph's text: a <link>'s (to href) or
 * a <nobreak>'s. */
typedef struct ky_text_range {
    uint32_t start, end;
    const char *href;
} ky_text_range;

/* A stretch [start, end) of the text that is an element of its own in the
 * paragraph's (layout.h's inline KY_SE_SPAN, KY_SE_LINK, KY_SE_REFERENCE),
 * in text order, outer ones first. sid: the element made for it in parent
 * when its text is first drawn (-1: none yet). */
typedef struct ky_text_tag {
    uint32_t start, end;
    int type;        /* a ky_se_type */
    int lang;        /* a Span's language; -1: its parent's */
    const void *key; /* a Reference's ky_note */
    int parent, sid;
} ky_text_tag;

/* A text set into lines, not yet placed on a page. */
typedef struct ky_set_text {
    const ky_style *style;
    ky_para para;
    ky_item_list items;
    ky_line *lines;
    size_t line_count;
    double width;
    const char *file; /* where the text is, for warnings */
    int line;
    ky_kinsoku relaxed;      /* the loosest rule its breaks needed */
    size_t emergency_breaks; /* lines ended between two characters */
    bool ragged;             /* justified English set flush left: the template's ragged-under */
    ky_note_ref *notes;      /* in text order */
    size_t note_count;
    ky_text_range *links, *nobreaks; /* in text order */
    size_t link_count, nobreak_count;
    ky_text_tag *tags; /* drawing makes their elements */
    size_t tag_count;
    uint32_t *breaks; /* where a <br/> ended a line (no character of the text there) */
    size_t break_count;
    /* A word space after its last line, in any language: a label, drawn
     * apart from its text, reads "1. The Second …", 「1 総論」, 「注1 2015年」. */
    bool end_space;
} ky_set_text;

/* The line of set that holds byte offset of its text. */
size_t ky_set_text_line_at(const ky_set_text *set, uint32_t offset);

/* The font role of a span set in a style of role base: <strong> makes it
 * bold, <em> turns italic on (off inside italic). */
ky_role ky_span_role(unsigned span_style, ky_role base);

/* Sets spans in lang and style at width; memory from arena. file and line
 * locate the text in diagnostics. Returns 0 or -1 with a diagnostic. */
int ky_typeset(ky_typesetter *ts, ky_arena *arena, ky_lang lang, const ky_span *spans,
               const ky_style *style, double width, const char *file, int line, ky_set_text *set);

/* Sets a plain string, as ky_typeset does. */
int ky_typeset_string(ky_typesetter *ts, ky_arena *arena, ky_lang lang, const char *text,
                      const ky_style *style, double width, const char *file, int line,
                      ky_set_text *set);

/* Draws line n of set on page, its left edge at x and its baseline at
 * baseline (points from the page's top). */
int ky_typeset_line(ky_typesetter *ts, ky_page *page, const ky_set_text *set, size_t n, double x,
                    double baseline);

static inline double ky_text_height(const ky_set_text *set)
{
    return (double)set->line_count * set->style->leading;
}

/* Where the baseline sits in a line of the given leading: the em box is
 * centered in the line, and the baseline is 0.88 em below its top (the
 * ideographic em box of IPAex and the ascent of Liberation agree on that). */
static inline double ky_baseline_offset(double leading, double size)
{
    return (leading - size) / 2 + 0.88 * size;
}

#endif
