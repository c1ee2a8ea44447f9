#include "render.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "date.h"
#include "diff.h"
#include "draft.h"
#include "font.h"
#include "furniture.h"
#include "merge.h"
#include "pdf.h"
#include "utf8.h"

#ifndef KY_TEMPLATE_DIR
#define KY_TEMPLATE_DIR "/usr/local/share/kyodo/templates"
#endif
#ifndef KY_FONTSET
#define KY_FONTSET "/usr/local/share/kyodo/fonts/fontset.xml"
#endif

const char *ky_default_template_dir(void)
{
    return KY_TEMPLATE_DIR;
}

const char *ky_default_fontset(void)
{
    const char *env = getenv("KYODO_FONTSET");
    return env && *env ? env : KY_FONTSET;
}

int ky_template_dirs_add(ky_template_dirs *dirs, const char *dir)
{
    int max = (int)(sizeof dirs->dirs / sizeof dirs->dirs[0]);
    if (dirs->count == max) return -1;
    dirs->dirs[dirs->count++] = dir;
    return 0;
}

void ky_render_options_defaults(ky_render_options *options)
{
    /* $KYODO_TEMPLATE_PATH is colon-separated; its strings must outlive the
     * options: one directory is the environment's own string, several a
     * split copy kept for the process (tiny, once). */
    const char *env = getenv("KYODO_TEMPLATE_PATH");
    if (env && *env && !strchr(env, ':')) {
        ky_template_dirs_add(&options->template_dirs, env);
    } else if (env && *env) {
        char *copy = ky_xstrdup(env);
        char *save = NULL;
        for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save))
            ky_template_dirs_add(&options->template_dirs, dir);
    }
    ky_template_dirs_add(&options->template_dirs, KY_TEMPLATE_DIR);
    if (!options->fontset_path) options->fontset_path = ky_default_fontset();
}

static char *party_list(const ky_doc *doc, ky_lang lang, ky_arena *arena)
{
    char *out = "";
    for (size_t i = 0; i < doc->party_count; i++) {
        char *name = ky_ltext_plain(&doc->parties[i].government.lang[lang], arena);
        out = ky_arena_printf(arena, "%s%s%s", out, i ? "; " : "", name);
    }
    return out;
}

/* SOURCE_DATE_EPOCH as the reproducible-builds specification asks: an
 * integer of seconds, and an error when it is malformed; bounded to the
 * dates a PDF can hold (years 1970 to 9999). */
static int source_date(const char *epoch, long long *seconds, ky_diags *diags)
{
    long value = 0;
    const long max = 253402300799; /* 9999-12-31T23:59:59Z */
    if (ky_parse_int(epoch, 0, max, &value) != 0) {
        ky_error(diags, NULL, 0,
                 "SOURCE_DATE_EPOCH '%s' must be a whole number of seconds from 0 to %ld", epoch,
                 max);
        return -1;
    }
    *seconds = value;
    return 0;
}

int ky_render(const ky_render_options *options, ky_diags *diags)
{
    ky_arena arena, outline;
    ky_arena_init(&arena);
    ky_arena_init(&outline);
    ky_fontset fonts;
    memset(&fonts, 0, sizeof fonts);
    ky_hyphenator hyphenator;
    ky_hyphenator_init(&hyphenator, ky_hyphen_default_path());
    ky_hyphenator *hyph = options->hyphenator ? options->hyphenator : &hyphenator;
    int status = -1;
    ky_pdf *pdf = NULL;
    ky_doc *doc = options->draft_text
                      ? ky_draft_load_memory(options->draft_path, options->draft_text,
                                             options->draft_size, options->encoding, &arena, diags)
                      : ky_draft_load(options->draft_path, options->encoding, &arena, diags);
    if (!doc) goto done;
    if (options->changes_since) {
        ky_doc *old = options->changes_since_text
                          ? ky_draft_load_memory(
                                options->changes_since, options->changes_since_text,
                                options->changes_since_size, options->encoding, &arena, diags)
                          : ky_draft_load(options->changes_since, options->encoding, &arena, diags);
        if (!old) goto done;
        ky_mark_changes(old, doc, &arena);
    }
    const char *name = options->template_name;
    const char *requested_in = NULL;
    int requested_line = 0;
    if (!name && doc->template_name) {
        name = doc->template_name;
        requested_in = doc->path;
        requested_line = doc->template_line;
    }
    if (!name) name = KY_DEFAULT_TEMPLATE;
    ky_template *tpl = ky_template_load(name, &options->template_dirs, &arena, diags, requested_in,
                                        requested_line);
    if (!tpl) goto done;
    if (ky_fontset_load(&fonts, options->fontset_path, diags) != 0) goto done;

    /* Language order: English first (the first part, or the left column),
     * except in a party's copy (--copy), where that party's language leads,
     * and except where --first says otherwise. */
    const ky_party *leading = NULL;
    if (options->copy) {
        for (size_t i = 0; i < doc->party_count; i++)
            if (strcmp(doc->parties[i].id, options->copy) == 0) leading = &doc->parties[i];
        if (!leading) {
            ky_error(diags, doc->path, 0,
                     "--copy names party '%s', which the draft does not declare", options->copy);
            goto done;
        }
    }
    ky_lang first = options->first_lang >= 0        ? (ky_lang)options->first_lang
                    : leading && leading->lang >= 0 ? (ky_lang)leading->lang
                                                    : KY_EN;
    ky_lang langs[KY_LANG_COUNT];
    int lang_count = 0;
    if (options->layout == KY_LAYOUT_EN)
        langs[lang_count++] = KY_EN;
    else if (options->layout == KY_LAYOUT_JA)
        langs[lang_count++] = KY_JA;
    else {
        langs[lang_count++] = first;
        langs[lang_count++] = first == KY_EN ? KY_JA : KY_EN;
    }
    int missing = 0;
    for (int i = 0; i < lang_count; i++)
        missing += ky_doc_require_lang(doc, langs[i], diags);
    if (missing) goto done;

    ky_merge_options merge_options = {.copy = options->copy};
    ky_flow *flows[KY_LANG_COUNT];
    for (int i = 0; i < lang_count; i++)
        if (!(flows[i] = ky_merge(doc, tpl, langs[i], &merge_options, &arena, diags))) goto done;
    int unmarked = 0;
    for (int i = 0; i < lang_count; i++)
        unmarked += ky_watermark_check(flows[i], tpl, &fonts, diags) != 0;
    if (unmarked) goto done;
    ky_pdf_info info = {
        .title = ky_spans_line(flows[0]->first->spans, langs[0], &arena),
        .subject = lang_count == 2 ? ky_spans_line(flows[1]->first->spans, langs[1], &arena) : NULL,
        .author = party_list(doc, langs[0], &arena),
        .keywords =
            ky_arena_printf(&arena, "%s; %s; revision %d", tpl->name, doc->status, doc->revision),
        .lang = ky_lang_code(langs[0]),
        .print = options->print,
        .standard = options->standard,
        .inputs = {{"draft", options->draft_path},
                   {"earlier revision", options->changes_since},
                   {"template", tpl->path}},
    };
    for (int i = 0; i < lang_count; i++)
        info.titles[langs[i]] = ky_spans_line(flows[i]->first->spans, langs[i], &arena);
    /* Dates make the same draft give the same bytes: SOURCE_DATE_EPOCH
     * (reproducible builds), else the statement's own date. */
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    if (epoch && *epoch) {
        if (source_date(epoch, &info.date, diags) != 0) goto done;
        info.has_date = true;
    } else if (doc->has_issued) {
        struct tm tm = {.tm_year = doc->year - 1900, .tm_mon = doc->month - 1, .tm_mday = doc->day};
        info.date = (long long)timegm(&tm);
        info.has_date = true;
    }
    /* Pages go to the PDF as the layout finishes them. */
    pdf = ky_pdf_new(&fonts, &info, options->output_path, diags);
    if (!pdf) goto done;
    /* The outline and parts outlive the document's arena. */
    ky_pages pages;
    ky_pages_init(&pages, ky_pdf_sink(pdf), &outline);
    ky_layout_env env = {.tpl = tpl,
                         .fonts = &fonts,
                         .hyphenator = hyph,
                         .pages = &pages,
                         .diags = diags,
                         .report = options->report};
    if (options->layout == KY_LAYOUT_PARALLEL) {
        if (ky_layout_parallel(&env, flows[0], flows[1]) != 0) goto done;
    } else {
        if (options->title_page && lang_count == 2 && ky_layout_title_page(&env, flows, 2))
            goto done;
        for (int i = 0; i < lang_count; i++)
            if (ky_layout_flow(&env, flows[i]) != 0) goto done;
    }
    /* The draft's model and flows are done with: their memory goes before
     * the fonts are subset and the file is written. */
    ky_arena_free(&arena);
    ky_arena_init(&arena);
    status = ky_pdf_finish(pdf, &pages);
done:
    ky_pdf_free(pdf);
    ky_hyphenator_free(&hyphenator);
    ky_fontset_free(&fonts);
    ky_arena_free(&arena);
    ky_arena_free(&outline);
    return status;
}
