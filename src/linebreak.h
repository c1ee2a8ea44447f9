/* Line breaking: a paragraph becomes a list of boxes, glue and penalties
 * (Knuth and Plass's model) at the break opportunities of UAX #14 as ICU
 * finds them; a breaker then chooses where lines end. */
#ifndef KY_LINEBREAK_H
#define KY_LINEBREAK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "font.h"
#include "hyphenate.h"
#include "node.h"

/* A penalty of at least this never breaks. */
#define KY_PENALTY_NEVER 10000
/* An emergency break between any two characters: taken only where no
 * other break keeps a line within its measure. */
#define KY_PENALTY_EMERGENCY 9000
/* A hyphen in a capitalized word (a name): allowed only when the
 * alternative is word spaces over twice their width. */
#define KY_PENALTY_CAPITALIZED_HYPHEN 500

typedef enum { KY_ITEM_BOX, KY_ITEM_GLUE, KY_ITEM_PENALTY } ky_item_kind;

typedef struct ky_item {
    ky_item_kind kind;
    double width; /* points */
    double stretch, shrink;
    int penalty;
    int face;            /* boxes: the face that sets the text; word spaces: the space's */
    uint32_t start, len; /* boxes: bytes of the paragraph's text; word spaces: the space's */
    double x_offset;     /* boxes: where the glyph is drawn relative to the box */
    bool solo;           /* boxes: drawn as a fragment of its own */
    bool between_wide;   /* glue between Japanese characters (no visible space) */
    bool no_break;       /* glue: never a line break (punctuation's own space) */
    bool flagged;        /* penalties: a hyphen, drawn at the end of its line */
    bool space;          /* glue: a U+0020 of the text, drawn as a glyph between words */
    signed char script;  /* boxes: a ky_script */
} ky_item;

typedef struct ky_item_list {
    ky_item *items;
    size_t count;
    size_t capacity;
} ky_item_list;

/* Superscripts (<sup>, a note's mark) and subscripts (<sub>) are set at
 * KY_SCRIPT_SCALE of the size, their baseline ky_script_rise() of the size
 * above (below) the line's; no line starts with one: it stands against
 * the word before it ("1st", "CO2", a note's mark). */
typedef enum { KY_SCRIPT_SUB = -1, KY_SCRIPT_NONE = 0, KY_SCRIPT_SUPER = 1 } ky_script;
#define KY_SCRIPT_SCALE 0.6
static inline double ky_script_rise(int script)
{
    return script > 0 ? 0.38 : script < 0 ? -0.14 : 0;
}

/* A run of the paragraph's text and the face that sets it. */
typedef struct ky_run {
    uint32_t start, end;
    int face;
    signed char script; /* a ky_script */
} ky_run;

typedef struct ky_para {
    const char *text;
    size_t len;
    ky_run *runs;
    size_t run_count;
    double size;
    ky_lang lang;
    bool cjk_latin_spacing;     /* ¼ em between Japanese and Latin letters or digits */
    bool hanging_punctuation;   /* 、 and 。 may hang past the end of a line */
    ky_hyphenator *hyphenator;  /* NULL: no hyphenation */
    bool hyphenate_capitalized; /* capitalized words too, at a cost (TeX's \uchyph) */
    const bool *emergency;      /* breaks that cost KY_PENALTY_EMERGENCY, or NULL */
    const bool *unhyphenated;   /* bytes of words never hyphenated (<nobreak>), or NULL */
    ky_diags *diags;
} ky_para;

typedef struct ky_line {
    size_t first, end; /* items [first, end) */
    double natural;    /* width at ratio 0 */
    double ratio;      /* glue adjustment: >0 stretches, <0 shrinks */
} ky_line;

/* ICU's line break iterators, opened once per document and language:
 * opening one costs more than breaking a short paragraph (a third of the
 * time of a statement of many short paragraphs). */
struct UBreakIterator;
typedef struct ky_breakers {
    struct UBreakIterator *iter[KY_LANG_COUNT];
    struct UBreakIterator *phrase; /* Japanese phrases ("ja@lw=phrase"), opened when needed */
} ky_breakers;
void ky_breakers_free(ky_breakers *breakers);
/* The version of ICU in use ("72.1"), for --version. */
const char *ky_break_library_version(char *out, size_t size);

/* Marks allowed[i] for every byte offset i (0 < i <= len) at which a line may
 * break before text[i]: ICU's line BreakIterator for the language, tailored
 * with JLREQ's rules where they are stricter (jlreq.c). */
int ky_break_opportunities(ky_breakers *breakers, const char *text, size_t len, ky_lang lang,
                           bool *allowed, ky_diags *diags);

/* Marks phrase[i] for every byte offset i (0 < i < len) at which ICU's
 * phrase-based Japanese line breaking ("ja@lw=phrase", ICU 72) ends a
 * phrase (文節): 「サプライチェーンの／強靱化に関する」, never inside
 * サプライチェーン. */
int ky_phrase_breaks(ky_breakers *breakers, const char *text, size_t len, bool *phrase,
                     ky_diags *diags);

/* The order of relaxation a paragraph goes through when the stricter
 * setting finds no line breaks that keep every line within its measure:
 * strict kinsoku; JLREQ's looser rule (small kana and ー may start a line);
 * then an emergency break between any two characters. */
typedef enum { KY_KINSOKU_STRICT, KY_KINSOKU_LOOSE, KY_KINSOKU_EMERGENCY } ky_kinsoku;
int ky_break_opportunities_at(ky_breakers *breakers, const char *text, size_t len, ky_lang lang,
                              ky_kinsoku level, bool *allowed, ky_diags *diags);

/* What stays on one line, beyond UAX #14 and JLREQ (only the emergency
 * setting breaks it): in English, a listed abbreviation or an initial and
 * the word after it ("H.E. Mr. Modi", "S. Jaishankar", "No. 5"), a number
 * and a listed unit or month after it ("12 billion", "14 August") or a
 * month and the number after it ("August 14"); in Japanese, a number and
 * its counter or unit (「1,000件」「10月29日」「第2回」「3〜4回」) and a run
 * of full-width letters and digits (「ＩＣＴ」). Lists are space-separated
 * words, or NULL. */
void ky_keep_words(const char *text, size_t len, ky_lang lang, const char *abbreviations,
                   const char *units, const char *months, bool *allowed);

/* Builds the items of a paragraph. */
int ky_items_build(const ky_para *para, const bool *allowed, ky_fontset *fonts, ky_item_list *list,
                   ky_arena *arena);
int ky_items_push(ky_item_list *list, ky_item item, ky_arena *arena);

/* Marks inside[t] for the character starts t strictly within every run
 * of items that no break divides and that is wider than width even shrunk:
 * where an emergency break may go (in a run longer than KY_OVERWIDE_EVERY
 * bytes, one character in several: see linebreak.c). */
#define KY_OVERWIDE_EVERY 1024
void ky_mark_overwide(const ky_item *items, size_t count, double width, const char *text,
                      bool *inside);

/* First-fit breaking: each line takes as much as fits, shrinking glue if it
 * must. Returns the number of lines written to *lines (arena-allocated). */
size_t ky_break_greedy(const ky_item *items, size_t count, double width, ky_line **lines,
                       ky_arena *arena);

/* Total-fit breaking (Knuth and Plass, "Breaking paragraphs into lines",
 * 1981, as in TeX): the breaks that minimize the paragraph's demerits,
 * where a line's badness grows with the cube of its adjustment ratio. */
typedef struct ky_break_params {
    double width;
    double tolerance;   /* the largest stretch ratio a line may have */
    int line_penalty;   /* added to every line's badness (TeX's \linepenalty) */
    int double_hyphen;  /* demerits for two hyphenated lines in a row */
    int fitness_jump;   /* demerits for a tight line next to a loose one */
    int max_hyphen_run; /* at most this many hyphenated lines in a row */
    bool allow_rigid;   /* lines that cannot stretch (a lone word) are allowed */
    double min_fill;    /* no line but the last with less than this of the width */
    /* > 0: flush left (ragged right), as TeX's \raggedright: word spaces
     * keep their width (they neither stretch nor shrink) and a line's only
     * stretch is this much at its end (points), so that badness measures
     * how short of the measure it stops. */
    double ragged;
    /* Letter spacing, points per character at most (0: none): once a line's
     * word spaces are at twice their width (a ratio of 1), what it still
     * lacks may go between its letters before the spaces stretch further.
     * text is the paragraph's, to count a box's characters. */
    double letter_max;
    const char *text;
} ky_break_params;

/* The gaps between letters in items [first, end) of a line, where letter
 * spacing goes: its characters less the last of each word. */
size_t ky_letter_gaps(const ky_item *items, size_t first, size_t end, const char *text);

/* The most letter spacing a Latin line gets, in ems per character: the
 * last resort of a paragraph whose word spaces cannot fit within twice
 * their width (a narrow column). */
#define KY_LETTER_SPACING_MAX 0.05

/* Returns the number of lines, or 0 when no set of breaks keeps every line
 * within the tolerance (the caller then tries again or falls back). */
size_t ky_break_optimal(const ky_item *items, size_t count, const ky_break_params *params,
                        ky_line **lines, ky_arena *arena);

/* LuaTeX-ja's jcharwidowpenalty as a rule: when the last line holds a single
 * Japanese character, the line before it gives up its last character too. */
void ky_avoid_lone_last_character(const ky_item *items, size_t count, const char *text,
                                  double width, ky_line *lines, size_t line_count);

#endif
