#include "merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>

#include "counter.h"
#include "date.h"
#include "quotes.h"
#include "utf8.h"

enum { KY_VARS_MAX = 16 };

typedef struct {
    const char *names[KY_VARS_MAX];
    const char *values[KY_VARS_MAX];
    int count;
} ky_vars;

static const char *lookup_var(void *data, const char *name)
{
    const ky_vars *vars = data;
    for (int i = 0; i < vars->count; i++)
        if (strcmp(vars->names[i], name) == 0) return vars->values[i];
    return NULL;
}

static void set_var(ky_vars *vars, const char *name, const char *value)
{
    /* The callers below set at most 10; a larger set is a bug here. */
    if (vars->count == KY_VARS_MAX) abort();
    vars->names[vars->count] = name;
    vars->values[vars->count] = value;
    vars->count++;
}

static ky_span *plain_span(ky_arena *arena, const char *text)
{
    if (!text) return NULL;
    ky_span *span = KY_NEW(arena, ky_span);
    span->text = text;
    span->len = strlen(text);
    return span;
}

/* The n-th word of the template's month list. */
static const char *month_name(const char *months, int month, ky_arena *arena)
{
    const char *c = months;
    for (int i = 1; *c; i++) {
        while (*c == ' ' || *c == '\n' || *c == '\t')
            c++;
        const char *end = c;
        while (*end && *end != ' ' && *end != '\n' && *end != '\t')
            end++;
        if (i == month && end > c) return ky_arena_strndup(arena, c, (size_t)(end - c));
        c = end;
    }
    return NULL;
}

/* Whether text shows anything: not only white space (U+3000 included) and
 * invisible characters (zero-width space, joiners). */
static bool visible(const char *text)
{
    size_t len = strlen(text), pos = 0;
    while (pos < len) {
        uint32_t cp = ky_utf8_next(text, len, &pos);
        if (!u_isUWhiteSpace((UChar32)cp) &&
            !u_hasBinaryProperty((UChar32)cp, UCHAR_DEFAULT_IGNORABLE_CODE_POINT))
            return true;
    }
    return false;
}

char *ky_format_date(const ky_template *tpl, ky_lang lang, int year, int month, int day,
                     bool japanese_calendar, ky_arena *arena, ky_diags *diags)
{
    ky_vars vars = {0};
    char kanji[4][64]; /* lives only until ky_expand copies the text */
    set_var(&vars, "year", ky_arena_printf(arena, "%d", year));
    set_var(&vars, "month", ky_arena_printf(arena, "%d", month));
    set_var(&vars, "day", ky_arena_printf(arena, "%d", day));
    set_var(&vars, "kanji-year", ky_kanji_number(year, kanji[0], sizeof kanji[0]));
    set_var(&vars, "kanji-month", ky_kanji_number(month, kanji[1], sizeof kanji[1]));
    set_var(&vars, "kanji-day", ky_kanji_number(day, kanji[2], sizeof kanji[2]));
    const char *name = month_name(tpl->text[lang][KY_TEXT_MONTHS], month, arena);
    if (!name) {
        ky_error(diags, tpl->text_path[lang][KY_TEXT_MONTHS], tpl->text_line[lang][KY_TEXT_MONTHS],
                 "the months text has no month %d", month);
        return NULL;
    }
    set_var(&vars, "month-name", name);
    if (!japanese_calendar)
        return ky_expand(tpl, lang, KY_TEXT_DATE, lookup_var, &vars, arena, diags);
    int era_year = 0;
    const char *era = ky_era(year, month, day, &era_year);
    if (!era) {
        ky_error(diags, NULL, 0,
                 "%04d-%02d-%02d is before the Meiji era (1868): no Japanese era date", year, month,
                 day);
        return NULL;
    }
    if (!tpl->text[lang][KY_TEXT_DATE_ERA]) {
        ky_error(diags, tpl->path, 0, "template '%s' has no date-era text for %s", tpl->name,
                 ky_lang_code(lang));
        return NULL;
    }
    set_var(&vars, "era", era);
    /* The first year of an era is 元年, in either numeral style. */
    set_var(&vars, "era-year", era_year == 1 ? "元" : ky_arena_printf(arena, "%d", era_year));
    set_var(&vars, "kanji-era-year",
            era_year == 1 ? "元" : ky_kanji_number(era_year, kanji[3], sizeof kanji[3]));
    return ky_expand(tpl, lang, KY_TEXT_DATE_ERA, lookup_var, &vars, arena, diags);
}

/* The parties in this copy's order: the copy's party first. */
static const ky_party **party_order(const ky_doc *doc, const ky_merge_options *options,
                                    ky_arena *arena)
{
    const ky_party **order = KY_NEW_ARRAY(arena, const ky_party *, doc->party_count + 1);
    size_t n = 0;
    for (size_t i = 0; i < doc->party_count; i++)
        if (options->copy && strcmp(doc->parties[i].id, options->copy) == 0)
            order[n++] = &doc->parties[i];
    for (size_t i = 0; i < doc->party_count; i++)
        if (!options->copy || strcmp(doc->parties[i].id, options->copy) != 0)
            order[n++] = &doc->parties[i];
    return order;
}

typedef struct {
    const ky_doc *doc;
    const ky_template *tpl;
    ky_lang lang;
    const ky_party **order;
    ky_arena *arena;
    ky_diags *diags;
} ky_merge_ctx;

static const char *note_text(ky_merge_ctx *m, ky_text_id text, int n);
static ky_span *text_spans(ky_merge_ctx *m, ky_span *spans);

/* A party's name in the merged language, in the form asked for. */
static const char *party_name(ky_merge_ctx *m, const ky_party *party, ky_party_form form)
{
    const ky_btext *text = form == KY_FORM_SHORT        ? &party->shortname
                           : form == KY_FORM_GOVERNMENT ? &party->government
                                                        : &party->name;
    return ky_ltext_plain(&text->lang[m->lang], m->arena);
}

/* A joiner of running text; a template without it is an error. */
static const char *running_joiner(ky_merge_ctx *m, ky_text_id text)
{
    const char *joiner = m->tpl->text[m->lang][text];
    if (joiner) return joiner;
    ky_error(m->diags, m->tpl->path, 0,
             "template '%s' has no %s text for %s, which <parties joiner=\"and\"/> needs",
             m->tpl->name, ky_template_text_name(text), ky_lang_code(m->lang));
    return "";
}

/* Spans with <parties/> replaced by the short names in the copy's order,
 * joined as the template says ("Japan–India", 「日印」), and notes' marks
 * and labels written as the template says. */
static ky_span *expand_spans(ky_merge_ctx *m, ky_span *spans)
{
    bool placeholder = false;
    for (ky_span *span = spans; span; span = span->next)
        placeholder =
            placeholder || (span->style & (KY_SPAN_PARTIES | KY_SPAN_PARTY | KY_SPAN_NOTE));
    if (!placeholder) return spans;
    const char *joiner = m->tpl->text[m->lang][KY_TEXT_PARTY_JOINER];
    ky_span *out = NULL, **tail = &out;
    for (ky_span *span = spans; span; span = span->next) {
        ky_span *copy = KY_NEW(m->arena, ky_span);
        *copy = *span;
        copy->next = NULL;
        if (span->style & KY_SPAN_PARTIES) {
            size_t n = m->doc->party_count;
            char *names = "";
            for (size_t i = 0; i < n; i++) {
                const char *between = !i               ? ""
                                      : !span->running ? (joiner ? joiner : "–")
                                      : n == 2         ? running_joiner(m, KY_TEXT_PARTIES_AND)
                                      : i + 1 == n     ? running_joiner(m, KY_TEXT_PARTIES_LAST)
                                                   : running_joiner(m, KY_TEXT_PARTIES_SEPARATOR);
                names = ky_arena_printf(m->arena, "%s%s%s", names, between,
                                        party_name(m, m->order[i], span->form));
            }
            copy->text = names;
            copy->len = strlen(names);
            copy->style &= ~(unsigned)KY_SPAN_PARTIES;
        }
        if (span->style & KY_SPAN_PARTY) {
            for (size_t i = 0; i < m->doc->party_count; i++)
                if (strcmp(m->doc->parties[i].id, span->party) == 0)
                    copy->text = party_name(m, &m->doc->parties[i], span->form);
            copy->len = strlen(copy->text);
            copy->style &= ~(unsigned)KY_SPAN_PARTY;
        }
        if (span->note) {
            ky_note *note = KY_NEW(m->arena, ky_note);
            *note = *span->note;
            note->spans = text_spans(m, note->spans);
            note->label = note_text(m, KY_TEXT_NOTE_LABEL, note->number);
            note->link = m->tpl->text[m->lang][KY_TEXT_NOTE_LINK]
                             ? note_text(m, KY_TEXT_NOTE_LINK, note->number)
                             : NULL;
            const char *mark = note_text(m, KY_TEXT_NOTE_REFERENCE, note->number);
            copy->text = mark ? mark : "";
            copy->len = strlen(copy->text);
            copy->note = note;
        }
        *tail = copy;
        tail = &copy->next;
    }
    return out;
}

/* A text's spans as the flow sets them: placeholders expanded, then ASCII
 * quotes made typographic over the whole text when the template says so
 * (after the expansion, so that a party's name is context too). */
static ky_span *text_spans(ky_merge_ctx *m, ky_span *spans)
{
    ky_span *out = expand_spans(m, spans);
    return m->tpl->smart_quotes == KY_QUOTES_YES ? ky_quotes_spans(out, m->lang, m->arena) : out;
}

/* Every counter's numerals of n as template variables ({n}, {a}, {kana},
 * {roman}, …: counter.c): no style runs out of symbols. numerals holds them
 * until ky_expand has copied the text. */
static void counter_vars(ky_vars *vars, int n, char numerals[KY_COUNTER_COUNT][64])
{
    for (int c = 0; c < KY_COUNTER_COUNT; c++)
        set_var(vars, ky_counter_name((ky_counter)c),
                ky_counter_format((ky_counter)c, n, numerals[c], sizeof numerals[c]));
}

static const char *number_label(ky_merge_ctx *m, ky_text_id format, int n)
{
    ky_vars vars = {0};
    char numerals[KY_COUNTER_COUNT][64];
    counter_vars(&vars, n, numerals);
    return ky_expand(m->tpl, m->lang, format, lookup_var, &vars, m->arena, m->diags);
}

/* A note's mark or label: the template's text, or its number alone. */
static const char *note_text(ky_merge_ctx *m, ky_text_id text, int n)
{
    if (m->tpl->text[m->lang][text]) return number_label(m, text, n);
    return ky_arena_printf(m->arena, "%d", n);
}

/* A list item's marker: its list style's text in the template, with every
 * counter's numerals; an item outside a <list> takes the template's
 * item-number text where there is one. An error names the draft's <list>,
 * the line that asked for the style. */
static const char *list_marker(ky_merge_ctx *m, const ky_node *node)
{
    ky_text_id text = (ky_text_id)(KY_TEXT_LIST_BULLET + (int)node->list_style);
    if (node->implicit && m->tpl->text[m->lang][KY_TEXT_ITEM_NUMBER]) text = KY_TEXT_ITEM_NUMBER;
    if (!m->tpl->text[m->lang][text]) {
        ky_error(m->diags, m->doc->path, node->list_line,
                 "template '%s' has no %s text for %s, the marker of list style '%s'", m->tpl->name,
                 ky_template_text_name(text), ky_lang_code(m->lang),
                 ky_list_style_name(node->list_style));
        return NULL;
    }
    ky_vars vars = {0};
    char numerals[KY_COUNTER_COUNT][64];
    counter_vars(&vars, node->number, numerals);
    return ky_expand(m->tpl, m->lang, text, lookup_var, &vars, m->arena, m->diags);
}

/* A heading's number as its level's section-number text writes it, with
 * every counter's numerals; NULL for a level the template leaves
 * unnumbered. */
static const char *heading_label(ky_merge_ctx *m, const ky_node *node)
{
    ky_text_id text = ky_section_number_text(node->level);
    if (!m->tpl->text[m->lang][text] || node->number < 1) return NULL;
    ky_vars vars = {0};
    char numerals[KY_COUNTER_COUNT][64]; /* lives only until ky_expand copies the text */
    for (int c = 0; c < KY_COUNTER_COUNT; c++)
        set_var(&vars, ky_counter_name((ky_counter)c),
                ky_counter_format((ky_counter)c, node->number, numerals[c], sizeof numerals[c]));
    return ky_expand(m->tpl, m->lang, text, lookup_var, &vars, m->arena, m->diags);
}

/* How a block of the body hangs together with the blocks after it: a
 * paragraph (or item) keeps with the first two items of its list, and the
 * items of one paragraph and the text after them stand close. */
static void link_list(const ky_node *node, ky_block *block)
{
    const ky_node *next = node->next;
    if (!next || (next->kind != KY_NODE_ITEM && !next->continued)) return;
    block->joined = true;
    int depth = node->kind == KY_NODE_ITEM ? node->depth : 0;
    if (next->kind == KY_NODE_ITEM && !next->continued && next->number == 1 && next->depth > depth)
        block->keep_with_next = true;
    if (node->kind != KY_NODE_ITEM || node->continued || node->number != 1) return;
    const ky_node *sibling = next;
    while (sibling && sibling->kind == KY_NODE_ITEM && sibling->depth > node->depth)
        sibling = sibling->next;
    if (sibling && sibling->kind == KY_NODE_ITEM && !sibling->continued &&
        sibling->depth == node->depth && sibling->number == 2)
        block->keep_with_next = true;
}

static ky_block *new_block(ky_merge_ctx *m, ky_block ***tail, ky_style_id style,
                           const ky_btext *text)
{
    ky_block *block = KY_NEW(m->arena, ky_block);
    block->kind = KY_BLOCK_TEXT;
    block->style = style;
    block->file = m->doc->path;
    if (text) {
        block->spans = text_spans(m, text->lang[m->lang].spans);
        block->line = text->lang[m->lang].line ? text->lang[m->lang].line : text->line;
    }
    **tail = block;
    *tail = &block->next;
    return block;
}

char *ky_spans_plain(const ky_span *spans, ky_arena *arena)
{
    ky_ltext text = {.spans = (ky_span *)spans};
    return ky_ltext_plain(&text, arena);
}

char *ky_spans_line(const ky_span *spans, ky_lang lang, ky_arena *arena)
{
    size_t size = 1;
    for (const ky_span *span = spans; span; span = span->next)
        size += span->len + 1;
    char *out = ky_arena_alloc(arena, size);
    size_t at = 0;
    bool pending = false; /* a <br/>'s space, written before the next text */
    for (const ky_span *span = spans; span; span = span->next) {
        if (span->style & KY_SPAN_BREAK) {
            pending = lang != KY_JA;
            continue;
        }
        if (!span->len) continue;
        if (pending && at > 0 && out[at - 1] != ' ' && span->text[0] != ' ') out[at++] = ' ';
        pending = false;
        memcpy(out + at, span->text, span->len);
        at += span->len;
    }
    out[at] = '\0';
    return out;
}

static ky_span *append_span(ky_arena *arena, ky_span *spans, const char *text)
{
    ky_span *out = NULL, **tail = &out;
    for (const ky_span *span = spans; span; span = span->next) {
        ky_span *copy = KY_NEW(arena, ky_span);
        *copy = *span;
        copy->next = NULL;
        *tail = copy;
        tail = &copy->next;
    }
    *tail = plain_span(arena, text);
    return out;
}

static void merge_signatures(ky_merge_ctx *m, ky_block *block)
{
    const ky_doc *doc = m->doc;
    ky_lang lang = m->lang;
    block->kind = KY_BLOCK_SIGNATURES;
    block->column_count = doc->signatory_count;
    block->columns = KY_NEW_ARRAY(m->arena, ky_signature_column, doc->signatory_count);
    /* Each party's copy has its own signatory in the first place. */
    size_t n = 0;
    for (size_t p = 0; p < doc->party_count; p++)
        for (size_t i = 0; i < doc->signatory_count; i++) {
            const ky_signatory *sig = &doc->signatories[i];
            if (sig->party != m->order[p]) continue;
            ky_signature_column *column = &block->columns[n++];
            ky_vars vars = {0};
            set_var(&vars, "government",
                    ky_ltext_plain(&sig->party->government.lang[lang], m->arena));
            set_var(&vars, "party", ky_ltext_plain(&sig->party->name.lang[lang], m->arena));
            /* A leader signing in his or her own capacity signs for no
             * government: no for-party line. */
            column->for_party =
                sig->own_capacity
                    ? NULL
                    : plain_span(m->arena, ky_expand(m->tpl, lang, KY_TEXT_FOR_PARTY, lookup_var,
                                                     &vars, m->arena, m->diags));
            column->name = sig->name.lang[lang].spans;
            column->title = sig->title.lang[lang].spans;
            column->line = sig->name.lang[lang].line ? sig->name.lang[lang].line : sig->line;
        }
    block->column_count = n;
}

/* A table's cells in the flow's language. */
static void merge_table(ky_merge_ctx *m, const ky_table *table, ky_block *block)
{
    block->kind = KY_BLOCK_TABLE;
    block->style = KY_STYLE_TABLE;
    block->table = table;
    block->cells = KY_NEW_ARRAY(m->arena, ky_span **, table->row_count);
    for (size_t r = 0; r < table->row_count; r++) {
        const ky_table_row *row = &table->rows[r];
        block->cells[r] = KY_NEW_ARRAY(m->arena, ky_span *, row->count ? row->count : 1);
        for (size_t c = 0; c < row->count; c++)
            block->cells[r][c] = text_spans(m, row->cells[c].text.lang[m->lang].spans);
    }
}

/* JIS X 4051 and JLREQ: an unnumbered Japanese paragraph starts one em in
 * (字下げ), an ideographic space wide. The indent is that space, so that
 * a writer who typed it (as Japanese writers do) gets one em, not two, and
 * the text copied from the PDF reads as typed. */
static void indent_first_line(ky_merge_ctx *m, ky_block *block)
{
    static const char ideographic_space[] = "\u3000";
    if (m->lang != KY_JA || m->tpl->first_line_indent <= 0 || !block->spans) return;
    const ky_span *first = block->spans;
    if (first->len >= 3 && memcmp(first->text, ideographic_space, 3) == 0) return;
    ky_span *indent = plain_span(m->arena, ideographic_space);
    indent->next = block->spans;
    block->spans = indent;
}

/* A body's blocks (the statement's, or an annex's); -1 after an error. */
static int merge_body(ky_merge_ctx *m, const ky_node *body, ky_block ***tail_out)
{
    const ky_template *tpl = m->tpl;
    ky_lang lang = m->lang;
    int before = m->diags->errors;
    ky_block **tail = *tail_out;
    /* Numbering as the template says: paragraphs 1., 2., … through the
     * document, or afresh in every section ((1), (2) / （1）); headings by
     * their level's section-number text ("1." / 「1　」, "(1)" / 「（1）」),
     * or not at all; items under a paragraph (a), (b) / ア, イ. */
    bool restart = ky_template_restarts(tpl, lang);
    int section = 0, in_section = 0;
    for (const ky_node *node = body; node; node = node->next) {
        ky_style_id style = node->kind == KY_NODE_HEADING ? ky_heading_style(node->level)
                            : node->preamble              ? KY_STYLE_PREAMBLE
                                                          : KY_STYLE_BODY;
        ky_block *block = new_block(m, &tail, style, &node->text);
        if (node->kind == KY_NODE_TABLE) {
            merge_table(m, node->table, block);
            continue;
        }
        block->keep_with_next = node->kind == KY_NODE_HEADING;
        block->changed = node->changed[lang];
        if (node->section != section) section = node->section, in_section = 0;
        if (node->kind == KY_NODE_HEADING) {
            block->heading = node->level;
            if (!(block->label = heading_label(m, node)) && m->diags->errors > before) return -1;
        } else if (node->kind == KY_NODE_ITEM) {
            block->style = KY_STYLE_LIST;
            block->level = node->depth;
            block->list_item = !node->continued;
            block->hang = node->continued;
            if (block->list_item && !(block->label = list_marker(m, node))) return -1;
        } else if (node->continued) {
            block->hang = node->number > 0;
        } else if (node->numbered && !node->preamble) {
            int n = restart && section ? ++in_section : node->number;
            block->label = number_label(m, KY_TEXT_NUMBER, n);
        }
        if (node->kind == KY_NODE_PARAGRAPH && !node->continued && !block->label)
            indent_first_line(m, block);
        link_list(node, block);
    }
    *tail_out = tail;
    return 0;
}

/* Whether the place and date stand above the signatures rather than under
 * the title: the draft's <issued position>, else the template's. */
static bool dateline_at_end(const ky_doc *doc, const ky_template *tpl)
{
    return doc->issued_position ? doc->issued_position > 0 : tpl->dateline_end > 0;
}

/* "Done at Tokyo on 22 October 2008" / 「2008年10月22日に東京で」: an
 * unnumbered paragraph after the last one, kept with the signatures. */
static void merge_dateline_end(ky_merge_ctx *m, const char *date, ky_block ***tail)
{
    const ky_doc *doc = m->doc;
    if (!m->tpl->text[m->lang][KY_TEXT_DATELINE_END]) {
        ky_error(m->diags, doc->path, doc->issued_line,
                 "template '%s' has no dateline-end text for %s, which the place and date at the "
                 "end need",
                 m->tpl->name, ky_lang_code(m->lang));
        return;
    }
    if (!doc->place.lang[m->lang].spans) {
        ky_error(m->diags, doc->path, doc->issued_line,
                 "the place and date at the end need the <place> of <issued>");
        return;
    }
    ky_vars vars = {0};
    set_var(&vars, "date", date);
    set_var(&vars, "place", ky_ltext_plain(&doc->place.lang[m->lang], m->arena));
    ky_block *block = new_block(m, tail, KY_STYLE_BODY, NULL);
    block->spans = plain_span(m->arena, ky_expand(m->tpl, m->lang, KY_TEXT_DATELINE_END, lookup_var,
                                                  &vars, m->arena, m->diags));
    block->line = doc->issued_line;
}

ky_flow *ky_merge(const ky_doc *doc, const ky_template *tpl, ky_lang lang,
                  const ky_merge_options *options, ky_arena *arena, ky_diags *diags)
{
    int before = diags->errors;
    ky_flow *flow = KY_NEW(arena, ky_flow);
    ky_merge_ctx m = {doc, tpl, lang, party_order(doc, options, arena), arena, diags};
    flow->lang = lang;
    ky_block **tail = &flow->first;
    ky_block *title = new_block(&m, &tail, KY_STYLE_TITLE, &doc->title);
    title->keep_with_next = 1;
    /* "(Provisional Translation)" / 「（仮訳）」 after a provisional title. */
    if (doc->provisional[lang] && tpl->text[lang][KY_TEXT_PROVISIONAL])
        title->spans = append_span(arena, title->spans, tpl->text[lang][KY_TEXT_PROVISIONAL]);
    if (doc->has_subtitle)
        new_block(&m, &tail, KY_STYLE_SUBTITLE, &doc->subtitle)->keep_with_next = 1;
    const char *date = NULL;
    if (doc->has_issued) {
        ky_vars vars = {0};
        /* The draft's calendar is the Japanese text's; English dates stay
         * Gregorian unless the template itself says otherwise. */
        bool era =
            lang == KY_JA && doc->calendar ? doc->calendar > 0 : tpl->japanese_calendar[lang] > 0;
        int era_year;
        if (era && !ky_era(doc->year, doc->month, doc->day, &era_year))
            /* Said here, where the draft is known: ky_format_date cannot
             * name it. */
            ky_error(diags, doc->path, 0,
                     "%04d-%02d-%02d is before the Meiji era (1868): no Japanese era date",
                     doc->year, doc->month, doc->day);
        else
            date = ky_format_date(tpl, lang, doc->year, doc->month, doc->day, era, arena, diags);
        set_var(&vars, "date", date ? date : "");
        const char *text = date;
        if (doc->place.lang[lang].spans) {
            set_var(&vars, "place", ky_ltext_plain(&doc->place.lang[lang], arena));
            text = ky_expand(tpl, lang, KY_TEXT_DATELINE, lookup_var, &vars, arena, diags);
        }
        if (!dateline_at_end(doc, tpl)) {
            ky_block *dateline = new_block(&m, &tail, KY_STYLE_DATELINE, NULL);
            dateline->spans = plain_span(arena, text);
            dateline->line = doc->place.line;
            dateline->keep_with_next = 1;
        }
    }
    if (merge_body(&m, doc->body, &tail)) return NULL;
    if (doc->has_done && tpl->text[lang][KY_TEXT_CLOSING]) {
        ky_vars vars = {0};
        set_var(&vars, "date", date ? date : "");
        set_var(&vars, "place", ky_ltext_plain(&doc->place.lang[lang], arena));
        set_var(&vars, "languages", ky_ltext_plain(&doc->done_languages.lang[lang], arena));
        set_var(&vars, "authenticity", ky_ltext_plain(&doc->done_authenticity.lang[lang], arena));
        ky_block *closing = new_block(&m, &tail, KY_STYLE_BODY, NULL);
        closing->spans = plain_span(
            arena, ky_expand(tpl, lang, KY_TEXT_CLOSING, lookup_var, &vars, arena, diags));
        closing->line = doc->done_languages.line;
    } else if (doc->has_issued && dateline_at_end(doc, tpl) && date) {
        /* The closing formula, when there is one, names place and date
         * already. */
        merge_dateline_end(&m, date, &tail);
    }
    if (doc->signatory_count > 0) {
        /* Signatures never stand alone on a page: the text above them comes
         * along. */
        for (ky_block *block = flow->first; block; block = block->next)
            if (!block->next) block->keep_with_next = 1;
        merge_signatures(&m, new_block(&m, &tail, KY_STYLE_SIGNATURE, NULL));
    }
    /* Annexes: each on a new page, under a line that names it ("Annex",
     * or "Annex 2" when there are several) and its own title. */
    size_t n = 0;
    for (const ky_annex *annex = doc->annexes; annex; annex = annex->next) {
        n++;
        ky_text_id text = doc->annex_count > 1 ? KY_TEXT_ANNEX_NUMBER : KY_TEXT_ANNEX;
        ky_block *first = NULL;
        if (tpl->text[lang][text]) {
            ky_vars vars = {0};
            set_var(&vars, "n", ky_arena_printf(arena, "%zu", n));
            first = new_block(&m, &tail, KY_STYLE_SUBTITLE, NULL);
            first->spans =
                plain_span(arena, ky_expand(tpl, lang, text, lookup_var, &vars, arena, diags));
            first->line = annex->line;
            first->keep_with_next = true;
        }
        ky_block *title = new_block(&m, &tail, KY_STYLE_TITLE, &annex->title);
        title->keep_with_next = true;
        (first ? first : title)->page_break_before = true;
        if (merge_body(&m, annex->body, &tail)) return NULL;
    }
    if (strcmp(doc->status, "final") != 0) {
        flow->watermark = tpl->text[lang][KY_TEXT_WATERMARK];
        if (flow->watermark && !visible(flow->watermark))
            ky_error(
                diags, tpl->text_path[lang][KY_TEXT_WATERMARK],
                tpl->text_line[lang][KY_TEXT_WATERMARK],
                "the %s watermark text shows nothing: a %s statement would carry no visible mark",
                ky_lang_code(lang), doc->status);
        if (tpl->text[lang][KY_TEXT_DRAFT]) {
            ky_vars vars = {0};
            set_var(&vars, "status", doc->status);
            set_var(&vars, "revision", ky_arena_printf(arena, "%d", doc->revision));
            set_var(&vars, "date", date ? date : "");
            flow->draft_line = ky_expand(tpl, lang, KY_TEXT_DRAFT, lookup_var, &vars, arena, diags);
        }
    }
    return diags->errors > before ? NULL : flow;
}
