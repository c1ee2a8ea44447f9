/* Merge: a document and its template become, per language, a flow of
 * blocks with their styles and the template's fixed texts filled in. */
#ifndef KY_MERGE_H
#define KY_MERGE_H

#include "arena.h"
#include "diag.h"
#include "node.h"
#include "template.h"

typedef enum { KY_BLOCK_TEXT, KY_BLOCK_SIGNATURES, KY_BLOCK_TABLE } ky_block_kind;

typedef struct ky_signature_column {
    ky_span *for_party;
    ky_span *name;
    ky_span *title; /* may be NULL */
    int line;       /* of the signatory's name, for diagnostics */
} ky_signature_column;

typedef struct ky_block {
    ky_block_kind kind;
    ky_style_id style;
    const char *label; /* paragraph number as the template writes it, or NULL */
    int level;         /* 0, or the depth of a list item (indented once more per level) */
    int heading;       /* a heading's section level (1, 2, …; its outline level), else 0 */
    bool list_item;    /* its label is a list marker, right-aligned in the indent */
    bool hang;         /* no label, but the text stands where a label's text would */
    bool joined;       /* the next block continues this paragraph (its list, or text
                          after its list): the list's spacing after it, not a paragraph's */
    bool changed;      /* since the revision compared with: a change bar */
    ky_span *spans;
    bool keep_with_next;
    const char *file; /* where the text came from, for diagnostics */
    int line;
    ky_signature_column *columns;
    size_t column_count;
    bool page_break_before; /* starts a new page (an annex) */
    /* A table: its model, and each cell's text in this flow's language,
     * row after row (cells[r][c] is table->rows[r].cells[c]). */
    const ky_table *table;
    ky_span ***cells;
    struct ky_block *next;
} ky_block;

typedef struct ky_flow {
    ky_lang lang;
    ky_block *first;
    /* Status marks of a statement that is not final: the watermark behind
     * every page ("DRAFT", 「案」) and the line under the page number
     * ("Draft — revision 3 — 14 August 2017"); NULL when final. */
    const char *watermark;
    const char *draft_line;
} ky_flow;

/* The order of the parties in this copy: with `copy` (an alternat, --copy),
 * that party first and the others in the draft's order. */
typedef struct ky_merge_options {
    const char *copy;
} ky_merge_options;

ky_flow *ky_merge(const ky_doc *doc, const ky_template *tpl, ky_lang lang,
                  const ky_merge_options *options, ky_arena *arena, ky_diags *diags);

/* The plain text of spans (after merge, no placeholders are left). */
char *ky_spans_plain(const ky_span *spans, ky_arena *arena);
/* The same as one line, as a title in the document's metadata reads: an
 * English <br/> is a word space, Japanese runs on. */
char *ky_spans_line(const ky_span *spans, ky_lang lang, ky_arena *arena);

/* "14 August 2017" / "2017年8月14日" as the template's date text says, or
 * with japanese_calendar its date-era text ("平成29年8月14日"). Placeholders:
 * {year} {month} {day} {month-name} {era} {era-year} (元 for an era's first
 * year) and kanji forms {kanji-year} {kanji-era-year} {kanji-month}
 * {kanji-day} (二千十七, 二十九, 八, 十四). */
char *ky_format_date(const ky_template *tpl, ky_lang lang, int year, int month, int day,
                     bool japanese_calendar, ky_arena *arena, ky_diags *diags);

#endif
