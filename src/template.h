/* Templates: what a statement takes from its kind rather than its draft. */
#ifndef KY_TEMPLATE_H
#define KY_TEMPLATE_H

#include "arena.h"
#include "diag.h"
#include "font.h"
#include "node.h"

typedef enum { KY_ALIGN_LEFT, KY_ALIGN_CENTER, KY_ALIGN_RIGHT, KY_ALIGN_JUSTIFY } ky_align;

typedef enum {
    KY_STYLE_TITLE,
    KY_STYLE_SUBTITLE,
    KY_STYLE_DATELINE,
    KY_STYLE_HEADING,
    KY_STYLE_BODY,
    KY_STYLE_SIGNATURE,
    KY_STYLE_FOOTER,
    KY_STYLE_LIST,      /* optional from here on: list items, else the body style */
    KY_STYLE_HEADING_2, /* headings of sections in sections, else the level above's */
    KY_STYLE_HEADING_3,
    KY_STYLE_PREAMBLE,   /* recitals, else the body style */
    KY_STYLE_TABLE,      /* table cells, else the body style */
    KY_STYLE_TABLE_HEAD, /* cells of head rows, else the table style */
    KY_STYLE_NOTE,       /* footnotes at the foot of a page, else the table style */
    KY_STYLE_COUNT
} ky_style_id;

typedef enum {
    KY_TEXT_NUMBER,
    KY_TEXT_DATE,
    KY_TEXT_MONTHS,
    KY_TEXT_DATELINE,
    KY_TEXT_FOR_PARTY,
    KY_TEXT_FOOTER,
    KY_TEXT_DATE_ERA, /* optional from here on */
    KY_TEXT_DRAFT,
    KY_TEXT_WATERMARK,
    KY_TEXT_PROVISIONAL,
    KY_TEXT_CLOSING,
    KY_TEXT_SECTION_NUMBER,
    KY_TEXT_ITEM_NUMBER,
    KY_TEXT_PARTY_JOINER,
    /* List markers, one per list style (ky_list_style), in its order. */
    KY_TEXT_LIST_BULLET,
    KY_TEXT_LIST_DECIMAL,
    KY_TEXT_LIST_PAREN_DECIMAL,
    KY_TEXT_LIST_ALPHA,
    KY_TEXT_LIST_ROMAN,
    KY_TEXT_LIST_IROHA,
    KY_TEXT_LIST_CIRCLED,
    /* Heading numbers of the deeper section levels (section-number is the
     * first level's); a level without one has unnumbered headings. */
    KY_TEXT_SECTION_NUMBER_2,
    KY_TEXT_SECTION_NUMBER_3,
    /* The line over an annex's title: "Annex" when a statement has one,
     * "Annex {n}" when it has several; none without the text. */
    KY_TEXT_ANNEX,
    KY_TEXT_ANNEX_NUMBER,
    /* A footnote's mark at its reference (set as a superscript) and the
     * label it starts with at the foot; {n} is its number. Without them,
     * "{n}". */
    KY_TEXT_NOTE_REFERENCE,
    KY_TEXT_NOTE_LABEL,
    /* What a footnote's mark's link says it leads to, for a screen reader
     * (the link annotation's /Contents): "Note {n}" / 「注{n}」; without
     * it, the mark itself. */
    KY_TEXT_NOTE_LINK,
    /* <parties joiner="and"/>: between two names ("and" / 「及び」), between
     * the first of three or more (", " / 「、」), before the last of those
     * (", and " / 「及び」). */
    KY_TEXT_PARTIES_AND,
    KY_TEXT_PARTIES_SEPARATOR,
    KY_TEXT_PARTIES_LAST,
    /* The place and date above the signatures ("Done at {place} on
     * {date}"), when the dateline stands at the end. */
    KY_TEXT_DATELINE_END,
    /* Words a line never ends after ("Mr." "H.E." "No."), and words a line
     * never starts with after a number ("14 August", "12 billion", "100
     * km"; the month names count too): space-separated lists. */
    KY_TEXT_ABBREVIATIONS,
    KY_TEXT_UNITS,
    KY_TEXT_COUNT
} ky_text_id;

/* Styles every template (with what it extends) must define; the others
 * fall back to the style they refine (ky_template_style). */
#define KY_STYLE_REQUIRED KY_STYLE_LIST

/* Texts every template (with what it extends) must define. */
#define KY_TEXT_REQUIRED KY_TEXT_DATE_ERA

/* The rules of a table: horizontal (above and below the head rows and at
 * the table's end on every page, as official lists have them; the
 * default), rows (also between body rows), grid (also between columns and
 * at the sides), none. */
typedef enum { KY_RULES_HORIZONTAL, KY_RULES_ROWS, KY_RULES_GRID, KY_RULES_NONE } ky_table_rules;

/* ASCII quotes in English text: set as typographic quotes (yes), left as
 * typed (no), or left and reported by `kyodo check` (report). */
typedef enum { KY_QUOTES_NO, KY_QUOTES_YES, KY_QUOTES_REPORT } ky_smart_quotes;

typedef struct ky_style {
    bool defined;
    ky_role font;
    double size, leading, space_before, space_after, indent; /* points */
    ky_align align;
} ky_style;

typedef struct ky_template {
    const char *name;
    const char *path; /* of the template file itself (not its parent) */
    double page_width, page_height;
    double margin_top, margin_bottom, margin_left, margin_right;
    double footer_offset;   /* footer baseline above the paper's bottom edge */
    double signature_space; /* room to sign above the signature rule */
    double signature_gap;   /* between the columns of a signature block */
    double gutter;          /* between the columns of the parallel layout */
    double column_rule;     /* width of the rule down the gutter; 0 for none */
    /* Japanese typesetting options; -1 until a template sets them. */
    int cjk_latin_spacing;   /* ¼ em between Japanese and Latin (default on) */
    int hanging_punctuation; /* 、。 may hang past the measure (default off) */
    int baseline_grid;       /* body lines on a grid of the body leading (default on) */
    /* Japanese unnumbered paragraphs start with a one-em indent (字下げ,
     * JLREQ), typed or not (default off). */
    int first_line_indent;
    /* English justified text whose measure is under this many ems of its
     * size is set flush left (ragged right): a column that narrow has too
     * few spaces to justify without rivers. 0: never; -1 unset. */
    double ragged_under;
    int smart_quotes; /* a ky_smart_quotes; -1 unset (default yes) */
    /* <dateline position="end">: the place and date stand above the
     * signatures (dateline-end) instead of under the title; -1 unset. */
    int dateline_end;
    int japanese_calendar[KY_LANG_COUNT]; /* dates in eras (平成29年); -1 unset */
    /* <numbering paragraphs="through|per-section">: 1 when paragraph
     * numbers start again in every section; -1 unset, when each language
     * restarts if it numbers sections (section-number), as templates did
     * before the attribute. */
    int restart_per_section;
    /* <table rules="…" rule="…">: which rules tables draw, and how wide. */
    ky_table_rules table_rules;
    double table_rule;
    ky_style style[KY_LANG_COUNT][KY_STYLE_COUNT];
    /* Overrides for the parallel layout's columns (style layout="parallel"),
     * each starting from the ordinary style; .defined when any is given. */
    ky_style parallel_style[KY_LANG_COUNT][KY_STYLE_COUNT];
    const char *text[KY_LANG_COUNT][KY_TEXT_COUNT];
    int text_line[KY_LANG_COUNT][KY_TEXT_COUNT];
    const char *text_path[KY_LANG_COUNT][KY_TEXT_COUNT];
} ky_template;

typedef struct ky_template_dirs {
    const char *dirs[8];
    int count;
} ky_template_dirs;

/* The template of a draft that names none. */
#define KY_DEFAULT_TEMPLATE "joint-statement"

/* Finds NAME.xml in the directories, in order; a name is a plain word and
 * never a path. Loads it and what it extends. file/line locate the request
 * in diagnostics (the draft's template attribute, or NULL for the CLI). */
ky_template *ky_template_load(const char *name, const ky_template_dirs *dirs, ky_arena *arena,
                              ky_diags *diags, const char *file, int line);

/* The files template NAME is made of, found as ky_template_load finds them:
 * visit is called with NAME.xml from the first directory that has it, sets
 * *extends (NULL: none; kept until the arena is freed) and the line that says
 * so, and is called again for that template, up the chain. Errors (a bad
 * name, an unknown template, a chain too deep or a loop) go to diags at
 * file/line, the place that asked. Returns 0, or -1 after an error or when
 * visit returns nonzero. */
typedef int (*ky_template_visit)(void *data, const char *path, const char **extends,
                                 int *extends_line);
int ky_template_chain(const char *name, const ky_template_dirs *dirs, ky_template_visit visit,
                      void *data, ky_arena *arena, ky_diags *diags, const char *file, int line);

/* Expands {name} placeholders with lookup(name); "{{" and "}}" are literal
 * braces. An unknown name is an error at the template text's location. */
typedef const char *(*ky_lookup_fn)(void *data, const char *name);
char *ky_expand(const ky_template *tpl, ky_lang lang, ky_text_id text, ky_lookup_fn lookup,
                void *data, ky_arena *arena, ky_diags *diags);
char *ky_expand_string(const char *format, ky_lookup_fn lookup, void *data, ky_arena *arena,
                       ky_diags *diags, const char *file, int line);

/* A template found in the search path, for `kyodo templates`. */
typedef struct ky_template_info {
    const char *name, *path, *extends, *description; /* extends, description: may be NULL */
} ky_template_info;

/* Every template the directories hold, the first of each name (as lookup
 * finds them), in directory order and then by name. */
int ky_template_list(const ky_template_dirs *dirs, ky_template_info **list, size_t *count,
                     ky_arena *arena, ky_diags *diags);

/* The style of a role in a language; the parallel layout's narrower
 * columns may have their own (style layout="parallel"). An optional style
 * the template does not define is the one it refines (list and preamble:
 * body; heading-3: heading-2; heading-2: heading). */
const ky_style *ky_template_style(const ky_template *tpl, ky_lang lang, ky_style_id id,
                                  bool parallel);

/* The name of a template text ("number", "list-alpha", …). */
const char *ky_template_text_name(ky_text_id text);

/* The heading style and heading-number text of section level (1 to
 * KY_SECTION_MAX_DEPTH). */
ky_style_id ky_heading_style(int level);
ky_text_id ky_section_number_text(int level);

/* Whether paragraph numbers start again in every section, in lang. */
bool ky_template_restarts(const ky_template *tpl, ky_lang lang);

/* "25mm", "11", "0.5in" → points; negative when malformed. */
double ky_parse_length(const char *text);

#endif
