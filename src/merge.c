#include "merge.h"

#include <stdio.h>
#include <string.h>

#include "date.h"

typedef struct {
    const char *names[16];
    const char *values[16];
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
    vars->names[vars->count] = name;
    vars->values[vars->count] = value;
    vars->count++;
}

static ky_span *plain_span(ky_arena *arena, const char *text)
{
    if (!text) return NULL;
    ky_span *span = KY_NEW(arena, ky_span);
    if (!span) return NULL;
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
                 "%d-%02d-%02d is before the Meiji era (1868): no Japanese era date", year, month,
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

static ky_block *new_block(ky_arena *arena, ky_block ***tail, ky_style_id style,
                           const ky_btext *text, ky_lang lang, const char *file)
{
    ky_block *block = KY_NEW(arena, ky_block);
    if (!block) return NULL;
    block->kind = KY_BLOCK_TEXT;
    block->style = style;
    if (text) {
        block->spans = text->lang[lang].spans;
        block->line = text->lang[lang].line ? text->lang[lang].line : text->line;
    }
    block->file = file;
    **tail = block;
    *tail = &block->next;
    return block;
}

static void merge_signatures(const ky_doc *doc, const ky_template *tpl, ky_lang lang,
                             ky_block *block, ky_arena *arena, ky_diags *diags)
{
    block->kind = KY_BLOCK_SIGNATURES;
    block->column_count = doc->signatory_count;
    block->columns = KY_NEW_ARRAY(arena, ky_signature_column, doc->signatory_count);
    if (!block->columns) return;
    for (size_t i = 0; i < doc->signatory_count; i++) {
        const ky_signatory *sig = &doc->signatories[i];
        ky_signature_column *column = &block->columns[i];
        if (sig->party) {
            ky_vars vars = {0};
            set_var(&vars, "government", ky_ltext_plain(&sig->party->government.lang[lang], arena));
            set_var(&vars, "party", ky_ltext_plain(&sig->party->name.lang[lang], arena));
            column->for_party = plain_span(
                arena, ky_expand(tpl, lang, KY_TEXT_FOR_PARTY, lookup_var, &vars, arena, diags));
        }
        column->name = sig->name.lang[lang].spans;
        column->line = sig->name.lang[lang].line ? sig->name.lang[lang].line : sig->line;
        column->title = sig->title.lang[lang].spans;
    }
}

ky_flow *ky_merge(const ky_doc *doc, const ky_template *tpl, ky_lang lang, ky_arena *arena,
                  ky_diags *diags)
{
    int before = diags->errors;
    ky_flow *flow = KY_NEW(arena, ky_flow);
    if (!flow) return NULL;
    flow->lang = lang;
    ky_block **tail = &flow->first;
    ky_block *title = new_block(arena, &tail, KY_STYLE_TITLE, &doc->title, lang, doc->path);
    if (title) title->keep_with_next = 1;
    if (doc->has_subtitle) {
        ky_block *sub = new_block(arena, &tail, KY_STYLE_SUBTITLE, &doc->subtitle, lang, doc->path);
        if (sub) sub->keep_with_next = 1;
    }
    if (doc->has_issued) {
        ky_vars vars = {0};
        bool era = doc->calendar ? doc->calendar > 0 : tpl->japanese_calendar[lang] > 0;
        const char *date =
            ky_format_date(tpl, lang, doc->year, doc->month, doc->day, era, arena, diags);
        set_var(&vars, "date", date ? date : "");
        const char *text = date;
        if (doc->place.lang[lang].spans) {
            set_var(&vars, "place", ky_ltext_plain(&doc->place.lang[lang], arena));
            text = ky_expand(tpl, lang, KY_TEXT_DATELINE, lookup_var, &vars, arena, diags);
        }
        ky_block *dateline = new_block(arena, &tail, KY_STYLE_DATELINE, NULL, lang, doc->path);
        if (dateline) {
            dateline->spans = plain_span(arena, text);
            dateline->line = doc->place.line;
            dateline->keep_with_next = 1;
        }
    }
    for (const ky_node *node = doc->body; node; node = node->next) {
        ky_style_id style = node->kind == KY_NODE_HEADING ? KY_STYLE_HEADING : KY_STYLE_BODY;
        ky_block *block = new_block(arena, &tail, style, &node->text, lang, doc->path);
        if (!block) break;
        block->keep_with_next = node->kind == KY_NODE_HEADING;
        if (node->number > 0) {
            ky_vars vars = {0};
            set_var(&vars, "n", ky_arena_printf(arena, "%d", node->number));
            block->label = ky_expand(tpl, lang, KY_TEXT_NUMBER, lookup_var, &vars, arena, diags);
        }
    }
    if (doc->signatory_count > 0) {
        /* Signatures never stand alone on a page: the text above them comes
         * along. */
        for (ky_block *block = flow->first; block; block = block->next)
            if (!block->next) block->keep_with_next = 1;
        ky_block *block = new_block(arena, &tail, KY_STYLE_SIGNATURE, NULL, lang, doc->path);
        if (block) merge_signatures(doc, tpl, lang, block, arena, diags);
    }
    return diags->errors > before ? NULL : flow;
}
