#include "template.h"

#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xml.h"

static const char *const style_names[KY_STYLE_COUNT] = {
    "title", "subtitle",  "dateline",  "heading",  "body",  "signature",  "footer",
    "list",  "heading-2", "heading-3", "preamble", "table", "table-head", "note"};
static const char *const text_names[KY_TEXT_COUNT] = {"number",
                                                      "date",
                                                      "months",
                                                      "dateline",
                                                      "for-party",
                                                      "footer",
                                                      "date-era",
                                                      "draft",
                                                      "watermark",
                                                      "provisional",
                                                      "closing",
                                                      "section-number",
                                                      "item-number",
                                                      "party-joiner",
                                                      "list-bullet",
                                                      "list-decimal",
                                                      "list-paren-decimal",
                                                      "list-alpha",
                                                      "list-roman",
                                                      "list-iroha",
                                                      "list-circled",
                                                      "section-number-2",
                                                      "section-number-3",
                                                      "annex",
                                                      "annex-number",
                                                      "note-reference",
                                                      "note-label",
                                                      "note-link",
                                                      "parties-and",
                                                      "parties-separator",
                                                      "parties-last",
                                                      "dateline-end",
                                                      "abbreviations",
                                                      "units"};

const char *ky_template_text_name(ky_text_id text)
{
    return text < KY_TEXT_COUNT ? text_names[text] : "?";
}

ky_style_id ky_heading_style(int level)
{
    return level >= 3 ? KY_STYLE_HEADING_3 : level == 2 ? KY_STYLE_HEADING_2 : KY_STYLE_HEADING;
}

ky_text_id ky_section_number_text(int level)
{
    return level >= 3   ? KY_TEXT_SECTION_NUMBER_3
           : level == 2 ? KY_TEXT_SECTION_NUMBER_2
                        : KY_TEXT_SECTION_NUMBER;
}

bool ky_template_restarts(const ky_template *tpl, ky_lang lang)
{
    if (tpl->restart_per_section >= 0) return tpl->restart_per_section > 0;
    return tpl->text[lang][KY_TEXT_SECTION_NUMBER] != NULL;
}

/* Templates may extend templates; a loop or a very deep chain is an error. */
enum { KY_TEMPLATE_MAX_DEPTH = 8 };

double ky_parse_length(const char *text)
{
    /* The schema's form only, digits[.digits]unit: strtod alone would also
     * take " 1", "nan", "inf", "0x1p9" and "1e999". */
    const char *c = text;
    if (!isdigit((unsigned char)*c)) return -1;
    while (isdigit((unsigned char)*c))
        c++;
    if (*c == '.') {
        if (!isdigit((unsigned char)c[1])) return -1;
        for (c++; isdigit((unsigned char)*c);)
            c++;
    }
    double value = strtod(text, NULL);
    if (!isfinite(value)) return -1;
    if (*c == '\0' || strcmp(c, "pt") == 0) return value;
    if (strcmp(c, "mm") == 0) return value * 72.0 / 25.4;
    if (strcmp(c, "cm") == 0) return value * 72.0 / 2.54;
    if (strcmp(c, "in") == 0) return value * 72.0;
    return -1;
}

/* Bounds of template lengths, in points. No length on a page can exceed
 * the largest page a PDF viewer (and libharu) accepts, 14400 pt (200 in);
 * libharu refuses font sizes above 600 pt; and a size or leading under
 * 1 pt only ever comes from a typo. */
#define KY_LENGTH_MAX 14400.0
#define KY_FONT_SIZE_MAX 600.0
#define KY_FONT_SIZE_MIN 1.0

typedef struct {
    const char *path;
    ky_diags *diags;
} ky_template_ctx;

static void set_bounded(ky_template_ctx *ctx, xmlNodePtr node, const char *attr, double min,
                        double max, double *target)
{
    char *value = ky_xml_attr(node, attr);
    if (!value) return;
    double length = ky_parse_length(value);
    if (length < min || length > max) {
        /* A value of hundreds of digits is quoted by its start. */
        ky_error(ctx->diags, ctx->path, ky_xml_line(node),
                 "%s '%.24s%s' must be a length from %gpt to %gpt%s", attr, value,
                 strlen(value) > 24 ? "…" : "", min, max,
                 max == KY_LENGTH_MAX ? " (5080mm, the largest PDF page)" : "");
        length = 0;
    }
    *target = length;
    xmlFree(value);
}

static int valid_name(const char *name)
{
    if (!name[0] || strlen(name) > 64) return 0;
    for (const char *c = name; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_') return 0;
    return 1;
}

static void set_length(ky_template_ctx *ctx, xmlNodePtr node, const char *attr, double *target)
{
    set_bounded(ctx, node, attr, 0, KY_LENGTH_MAX, target);
}

static void read_style(ky_template_ctx *ctx, xmlNodePtr node, ky_style *style)
{
    static const char *const aligns[] = {"left", "center", "right", "justify"};
    style->defined = 1;
    char *font = ky_xml_attr(node, "font");
    ky_role_parse(font, &style->font);
    xmlFree(font);
    char *align = ky_xml_attr(node, "align");
    for (int i = 0; align && i < 4; i++)
        if (strcmp(align, aligns[i]) == 0) style->align = (ky_align)i;
    xmlFree(align);
    set_bounded(ctx, node, "size", KY_FONT_SIZE_MIN, KY_FONT_SIZE_MAX, &style->size);
    set_bounded(ctx, node, "leading", KY_FONT_SIZE_MIN, KY_LENGTH_MAX, &style->leading);
    set_length(ctx, node, "space-before", &style->space_before);
    set_length(ctx, node, "space-after", &style->space_after);
    set_length(ctx, node, "indent", &style->indent);
}

static int find_name(const char *const *names, int count, const char *name)
{
    for (int i = 0; i < count; i++)
        if (strcmp(names[i], name) == 0) return i;
    return -1;
}

static void read_language(ky_template_ctx *ctx, xmlNodePtr node, ky_template *tpl, ky_arena *arena)
{
    char *code = ky_xml_attr(node, "code");
    ky_lang lang = strcmp(code, "ja") == 0 ? KY_JA : KY_EN;
    xmlFree(code);
    char *calendar = ky_xml_attr(node, "calendar");
    if (calendar) tpl->japanese_calendar[lang] = strcmp(calendar, "japanese") == 0;
    xmlFree(calendar);
    for (xmlNodePtr item = ky_xml_first_element(node); item; item = ky_xml_next_element(item)) {
        char *name = ky_xml_attr(item, "name");
        if (ky_xml_is(item, "style")) {
            int id = find_name(style_names, KY_STYLE_COUNT, name);
            char *layout = ky_xml_attr(item, "layout");
            if (id >= 0 && layout) {
                /* Read over the ordinary style as it stands: the override
                 * states only what differs. */
                ky_style *parallel = &tpl->parallel_style[lang][id];
                if (!parallel->defined) *parallel = tpl->style[lang][id];
                read_style(ctx, item, parallel);
            } else if (id >= 0) {
                read_style(ctx, item, &tpl->style[lang][id]);
            }
            xmlFree(layout);
        } else if (ky_xml_is(item, "text")) {
            int id = find_name(text_names, KY_TEXT_COUNT, name);
            xmlChar *content = xmlNodeGetContent(item);
            if (id >= 0 && content) {
                tpl->text[lang][id] = ky_arena_strdup(arena, (const char *)content);
                tpl->text_line[lang][id] = ky_xml_line(item);
                tpl->text_path[lang][id] = tpl->path;
            }
            xmlFree(content);
        }
        xmlFree(name);
    }
}

static char *find_file(const char *name, const ky_template_dirs *dirs, ky_arena *arena)
{
    for (int i = 0; i < dirs->count; i++) {
        char *path = ky_arena_printf(arena, "%s/%s.xml", dirs->dirs[i], name);
        if (access(path, R_OK) == 0) return path;
    }
    return NULL;
}

/* The template a mistyped name most likely meant, among those the
 * directories hold; NULL if none is close. */
static const char *nearest_template(const char *name, const ky_template_dirs *dirs, ky_arena *arena)
{
    const char *names[256];
    size_t count = 0;
    for (int i = 0; i < dirs->count; i++) {
        DIR *dir = opendir(dirs->dirs[i]);
        for (struct dirent *e; dir && count < 256 && (e = readdir(dir));) {
            size_t len = strlen(e->d_name);
            if (len > 4 && strcmp(e->d_name + len - 4, ".xml") == 0)
                names[count++] = ky_arena_strndup(arena, e->d_name, len - 4);
        }
        if (dir) closedir(dir);
    }
    return ky_closest(name, names, count);
}

/* The one place that says which files make a template: ky_template_load reads
 * them and kyodo build hashes them, so a build notices every change a render
 * would see. */
int ky_template_chain(const char *name, const ky_template_dirs *dirs, ky_template_visit visit,
                      void *data, ky_arena *arena, ky_diags *diags, const char *file, int line)
{
    for (int depth = 0;; depth++) {
        if (!valid_name(name)) {
            ky_error(diags, file, line,
                     "invalid template name '%s' (letters, digits, '-' and '_' only)", name);
            return -1;
        }
        if (depth > KY_TEMPLATE_MAX_DEPTH) {
            ky_error(diags, file, line, "template '%s' extends templates more than %d deep", name,
                     KY_TEMPLATE_MAX_DEPTH);
            return -1;
        }
        char *path = find_file(name, dirs, arena);
        if (!path) {
            const char *searched = "";
            for (int i = 0; searched && i < dirs->count; i++)
                searched = ky_arena_printf(arena, "%s%s%s", searched, i ? ", " : "", dirs->dirs[i]);
            const char *near = nearest_template(name, dirs, arena);
            if (near)
                ky_error(diags, file, line,
                         "unknown template '%s' (did you mean '%s'? searched %s)", name, near,
                         searched);
            else
                ky_error(diags, file, line, "unknown template '%s' (searched %s)", name, searched);
            return -1;
        }
        const char *parent = NULL;
        int parent_line = 0;
        if (visit(data, path, &parent, &parent_line) != 0) return -1;
        if (!parent) return 0;
        name = parent;
        file = path;
        line = parent_line;
    }
}

/* The parsed files of one template, child first. */
typedef struct {
    xmlDocPtr xml[KY_TEMPLATE_MAX_DEPTH + 1];
    const char *path[KY_TEMPLATE_MAX_DEPTH + 1];
    int count;
    ky_arena *arena;
    ky_diags *diags;
} ky_template_files;

static int load_file(void *data, const char *path, const char **extends, int *extends_line)
{
    ky_template_files *files = data;
    xmlDocPtr xml = ky_xml_load(path, KY_SCHEMA_TEMPLATE, files->diags);
    if (!xml) return -1;
    files->xml[files->count] = xml;
    files->path[files->count++] = path;
    xmlNodePtr root = xmlDocGetRootElement(xml);
    char *parent = ky_xml_attr(root, "extends");
    int status = 0;
    if (parent) {
        *extends = ky_arena_strdup(files->arena, parent);
        *extends_line = ky_xml_line(root);
    }
    xmlFree(parent);
    return status;
}

/* Applies one template file over what its ancestors set; -1 when one of
 * its lengths is out of bounds (reported at its line). */
static int apply_file(ky_template *tpl, const char *path, xmlDocPtr xml, ky_arena *arena,
                      ky_diags *diags)
{
    xmlNodePtr root = xmlDocGetRootElement(xml);
    ky_template_ctx ctx = {path, diags};
    int before = diags->errors;
    tpl->path = path;
    char *own_name = ky_xml_attr(root, "name");
    tpl->name = ky_arena_strdup(arena, own_name);
    xmlFree(own_name);
    for (xmlNodePtr node = ky_xml_first_element(root); node; node = ky_xml_next_element(node)) {
        if (ky_xml_is(node, "page")) {
            set_length(&ctx, node, "width", &tpl->page_width);
            set_length(&ctx, node, "height", &tpl->page_height);
            set_length(&ctx, node, "top", &tpl->margin_top);
            set_length(&ctx, node, "bottom", &tpl->margin_bottom);
            set_length(&ctx, node, "left", &tpl->margin_left);
            set_length(&ctx, node, "right", &tpl->margin_right);
            set_length(&ctx, node, "footer", &tpl->footer_offset);
            set_length(&ctx, node, "signature-space", &tpl->signature_space);
            set_length(&ctx, node, "signature-gap", &tpl->signature_gap);
            set_length(&ctx, node, "gutter", &tpl->gutter);
            set_length(&ctx, node, "column-rule", &tpl->column_rule);
        } else if (ky_xml_is(node, "typesetting")) {
            char *value = ky_xml_attr(node, "cjk-latin-spacing");
            if (value) tpl->cjk_latin_spacing = strcmp(value, "yes") == 0;
            xmlFree(value);
            value = ky_xml_attr(node, "hanging-punctuation");
            if (value) tpl->hanging_punctuation = strcmp(value, "yes") == 0;
            xmlFree(value);
            value = ky_xml_attr(node, "baseline-grid");
            if (value) tpl->baseline_grid = strcmp(value, "yes") == 0;
            xmlFree(value);
            value = ky_xml_attr(node, "ragged-under");
            if (value) tpl->ragged_under = strtod(value, NULL);
            xmlFree(value);
            value = ky_xml_attr(node, "first-line-indent");
            if (value) tpl->first_line_indent = strcmp(value, "yes") == 0;
            xmlFree(value);
            value = ky_xml_attr(node, "smart-quotes");
            if (value)
                tpl->smart_quotes = strcmp(value, "yes") == 0      ? KY_QUOTES_YES
                                    : strcmp(value, "report") == 0 ? KY_QUOTES_REPORT
                                                                   : KY_QUOTES_NO;
            xmlFree(value);
        } else if (ky_xml_is(node, "dateline")) {
            char *value = ky_xml_attr(node, "position");
            if (value) tpl->dateline_end = strcmp(value, "end") == 0;
            xmlFree(value);
        } else if (ky_xml_is(node, "table")) {
            static const char *const rules[] = {"horizontal", "rows", "grid", "none"};
            char *value = ky_xml_attr(node, "rules");
            for (int i = 0; value && i < 4; i++)
                if (strcmp(value, rules[i]) == 0) tpl->table_rules = (ky_table_rules)i;
            xmlFree(value);
            set_length(&ctx, node, "rule", &tpl->table_rule);
        } else if (ky_xml_is(node, "numbering")) {
            char *value = ky_xml_attr(node, "paragraphs");
            if (value) tpl->restart_per_section = strcmp(value, "per-section") == 0;
            xmlFree(value);
        } else if (ky_xml_is(node, "language")) {
            read_language(&ctx, node, tpl, arena);
        }
    }
    return diags->errors > before ? -1 : 0;
}

static int load_into(ky_template *tpl, const char *name, const ky_template_dirs *dirs,
                     ky_arena *arena, ky_diags *diags, const char *file, int line)
{
    ky_template_files files = {.arena = arena, .diags = diags};
    int status = ky_template_chain(name, dirs, load_file, &files, arena, diags, file, line);
    /* Ancestors first: each file states only what differs from its parent. */
    for (int i = files.count - 1; i >= 0; i--) {
        if (status == 0 && apply_file(tpl, files.path[i], files.xml[i], arena, diags)) status = -1;
        xmlFreeDoc(files.xml[i]);
    }
    return status;
}

/* A length that must fit in the room it is given (errors counted). */
static void within(const ky_template *tpl, ky_diags *diags, int *errors, double length, double room,
                   const char *what, const char *room_name)
{
    if (length <= room) return;
    ky_error(diags, tpl->path, 0, "%s (%.1fpt) must fit in %s (%.1fpt)", what, length, room_name,
             room);
    (*errors)++;
}

/* A text is expanded where it is used, the labels once for every paragraph,
 * item or section: their length multiplies the cost of the whole document
 * (333 placeholders in the paragraph number made 20,000 paragraphs take 26 s
 * and 800 MB). Real texts are a tenth of these bounds. */
enum { KY_TEXT_MAX = 1000, KY_LABEL_MAX = 32 };

static bool is_label(int id)
{
    return id == KY_TEXT_NUMBER || id == KY_TEXT_SECTION_NUMBER || id == KY_TEXT_ITEM_NUMBER ||
           (id >= KY_TEXT_LIST_BULLET && id <= KY_TEXT_LIST_CIRCLED) ||
           id == KY_TEXT_SECTION_NUMBER_2 || id == KY_TEXT_SECTION_NUMBER_3 ||
           id == KY_TEXT_NOTE_REFERENCE || id == KY_TEXT_NOTE_LABEL || id == KY_TEXT_NOTE_LINK;
}

static int check_complete(const ky_template *tpl, ky_diags *diags)
{
    int errors = 0;
    if (tpl->page_width <= 0 || tpl->page_height <= 0 ||
        tpl->margin_left + tpl->margin_right >= tpl->page_width - 72 ||
        tpl->margin_top + tpl->margin_bottom >= tpl->page_height - 72) {
        ky_error(diags, tpl->path, 0, "page size and margins leave no room for text");
        return 1;
    }
    /* Lengths that are fine alone but not on this page: a leading taller
     * than the text area never fits a line (layout would look for a page
     * it fits on forever), and gaps wider than the text leave no column. */
    double text_width = tpl->page_width - tpl->margin_left - tpl->margin_right;
    double text_height = tpl->page_height - tpl->margin_top - tpl->margin_bottom;
    within(tpl, diags, &errors, tpl->footer_offset, tpl->margin_bottom, "the footer offset",
           "the bottom margin");
    within(tpl, diags, &errors, tpl->gutter, text_width / 2, "the gutter", "half the text width");
    within(tpl, diags, &errors, tpl->column_rule, tpl->gutter, "the column rule", "the gutter");
    within(tpl, diags, &errors, tpl->signature_gap, text_width / 2, "the signature gap",
           "half the text width");
    within(tpl, diags, &errors, tpl->signature_space, text_height / 2, "the signature space",
           "half the text height");
    double column_width = (text_width - tpl->gutter) / 2;
    /* With the gutter refused, its columns would only repeat the error. */
    int passes = tpl->gutter <= text_width / 2 ? 2 : 1;
    char what[96];
    for (int lang = 0; lang < KY_LANG_COUNT; lang++)
        for (int id = 0; id < KY_STYLE_COUNT; id++) {
            const char *name = style_names[id], *code = ky_lang_code((ky_lang)lang);
            /* The parallel layout sets a style without an override in its
             * columns too: only its indent meets a narrower measure there. */
            const ky_style *ordinary = &tpl->style[lang][id];
            const ky_style *parallel = &tpl->parallel_style[lang][id];
            int before = errors;
            for (int pass = 0; pass < passes; pass++) {
                const ky_style *style = pass && parallel->defined ? parallel : ordinary;
                if (!style->defined || (pass && style == ordinary && errors > before)) continue;
                const char *kind = pass ? " (parallel)" : "";
                if (style != ordinary || !pass) {
                    snprintf(what, sizeof what, "the leading of style '%s'%s for %s", name, kind,
                             code);
                    within(tpl, diags, &errors, style->leading, text_height, what,
                           "the text area's height");
                    snprintf(what, sizeof what, "the space before style '%s'%s for %s", name, kind,
                             code);
                    within(tpl, diags, &errors, style->space_before, text_height, what,
                           "the text area's height");
                    snprintf(what, sizeof what, "the space after style '%s'%s for %s", name, kind,
                             code);
                    within(tpl, diags, &errors, style->space_after, text_height, what,
                           "the text area's height");
                }
                snprintf(what, sizeof what, "the indent and size of style '%s'%s for %s", name,
                         kind, code);
                within(tpl, diags, &errors, style->indent + style->size,
                       pass ? column_width : text_width, what,
                       pass ? "a column of the parallel layout" : "the text width");
            }
        }
    for (int lang = 0; lang < KY_LANG_COUNT; lang++) {
        for (int id = 0; id < KY_STYLE_COUNT; id++) {
            const ky_style *style = &tpl->style[lang][id];
            if (id >= KY_STYLE_REQUIRED && !style->defined) continue;
            if (!style->defined || style->size <= 0 || style->leading <= 0) {
                ky_error(diags, tpl->path, 0,
                         "style '%s' for %s needs a size and a leading (in this template or "
                         "the one it extends)",
                         style_names[id], ky_lang_code((ky_lang)lang));
                errors++;
                continue;
            }
        }
        for (int id = 0; id < KY_TEXT_COUNT; id++) {
            const char *text = tpl->text[lang][id];
            int max = is_label(id) ? KY_LABEL_MAX : KY_TEXT_MAX;
            if (text && strlen(text) > (size_t)max) {
                ky_diag_add(diags, KY_ERROR, tpl->text_path[lang][id], tpl->text_line[lang][id], 0,
                            "text '%s' for %s is longer than %d bytes", text_names[id],
                            ky_lang_code((ky_lang)lang), max);
                errors++;
            }
        }
        for (int id = 0; id < KY_TEXT_REQUIRED; id++)
            if (!tpl->text[lang][id]) {
                ky_error(diags, tpl->path, 0, "text '%s' for %s is missing", text_names[id],
                         ky_lang_code((ky_lang)lang));
                errors++;
            }
    }
    return errors;
}

ky_template *ky_template_load(const char *name, const ky_template_dirs *dirs, ky_arena *arena,
                              ky_diags *diags, const char *file, int line)
{
    ky_template *tpl = KY_NEW(arena, ky_template);
    tpl->cjk_latin_spacing = -1;
    tpl->hanging_punctuation = -1;
    tpl->baseline_grid = -1;
    tpl->first_line_indent = -1;
    tpl->ragged_under = -1;
    tpl->smart_quotes = -1;
    tpl->dateline_end = -1;
    tpl->restart_per_section = -1;
    tpl->japanese_calendar[KY_EN] = tpl->japanese_calendar[KY_JA] = -1;
    if (load_into(tpl, name, dirs, arena, diags, file, line) != 0) return NULL;
    if (check_complete(tpl, diags) != 0) return NULL;
    if (tpl->cjk_latin_spacing < 0) tpl->cjk_latin_spacing = 1;
    if (tpl->hanging_punctuation < 0) tpl->hanging_punctuation = 0;
    if (tpl->baseline_grid < 0) tpl->baseline_grid = 1;
    if (tpl->first_line_indent < 0) tpl->first_line_indent = 0;
    if (tpl->ragged_under < 0) tpl->ragged_under = 0;
    if (tpl->smart_quotes < 0) tpl->smart_quotes = KY_QUOTES_YES;
    if (tpl->dateline_end < 0) tpl->dateline_end = 0;
    for (int lang = 0; lang < KY_LANG_COUNT; lang++)
        if (tpl->japanese_calendar[lang] < 0) tpl->japanese_calendar[lang] = 0;
    return tpl;
}

char *ky_expand_string(const char *format, ky_lookup_fn lookup, void *data, ky_arena *arena,
                       ky_diags *diags, const char *file, int line)
{
    /* Two passes: measure, then fill. */
    char *out = NULL;
    size_t total = 0;
    for (int pass = 0; pass < 2; pass++) {
        size_t at = 0;
        for (const char *c = format; *c;) {
            if ((c[0] == '{' && c[1] == '{') || (c[0] == '}' && c[1] == '}')) {
                if (out) out[at] = c[0];
                at++;
                c += 2;
            } else if (c[0] == '{') {
                const char *close = strchr(c, '}');
                if (!close) {
                    if (pass == 0)
                        ky_error(diags, file, line, "unclosed '{' in template text \"%s\"", format);
                    return NULL;
                }
                char name[64];
                size_t len = (size_t)(close - c - 1);
                if (len >= sizeof name) len = sizeof name - 1;
                memcpy(name, c + 1, len);
                name[len] = '\0';
                const char *value = lookup(data, name);
                if (!value) {
                    if (pass == 0)
                        ky_error(diags, file, line, "unknown placeholder {%s} in \"%s\"", name,
                                 format);
                    return NULL;
                }
                size_t vlen = strlen(value);
                if (out) memcpy(out + at, value, vlen);
                at += vlen;
                c = close + 1;
            } else {
                if (out) out[at] = *c;
                at++;
                c++;
            }
        }
        if (pass == 0) {
            total = at;
            out = ky_arena_alloc(arena, total + 1);
        } else if (out) {
            out[at] = '\0';
        }
    }
    (void)total;
    return out;
}

char *ky_expand(const ky_template *tpl, ky_lang lang, ky_text_id text, ky_lookup_fn lookup,
                void *data, ky_arena *arena, ky_diags *diags)
{
    return ky_expand_string(tpl->text[lang][text], lookup, data, arena, diags,
                            tpl->text_path[lang][text], tpl->text_line[lang][text]);
}

const ky_style *ky_template_style(const ky_template *tpl, ky_lang lang, ky_style_id id,
                                  bool parallel)
{
    /* Each optional style falls back to the one it refines, up to a
     * required one. */
    while (id >= KY_STYLE_REQUIRED && !tpl->style[lang][id].defined)
        id = id == KY_STYLE_HEADING_3                           ? KY_STYLE_HEADING_2
             : id == KY_STYLE_HEADING_2                         ? KY_STYLE_HEADING
             : id == KY_STYLE_TABLE_HEAD || id == KY_STYLE_NOTE ? KY_STYLE_TABLE
                                                                : KY_STYLE_BODY;
    const ky_style *own = &tpl->parallel_style[lang][id];
    return parallel && own->defined ? own : &tpl->style[lang][id];
}

static int compare_info(const void *a, const void *b)
{
    return strcmp(((const ky_template_info *)a)->name, ((const ky_template_info *)b)->name);
}

int ky_template_list(const ky_template_dirs *dirs, ky_template_info **list, size_t *count,
                     ky_arena *arena, ky_diags *diags)
{
    size_t capacity = 0;
    *list = NULL;
    *count = 0;
    for (int d = 0; d < dirs->count; d++) {
        DIR *dir = opendir(dirs->dirs[d]);
        if (!dir) continue;
        size_t first = *count;
        for (struct dirent *e; (e = readdir(dir));) {
            size_t len = strlen(e->d_name);
            if (len <= 4 || strcmp(e->d_name + len - 4, ".xml") != 0) continue;
            char *name = ky_arena_strndup(arena, e->d_name, len - 4);
            bool shadowed = !valid_name(name);
            for (size_t i = 0; i < *count && !shadowed; i++)
                shadowed = strcmp((*list)[i].name, name) == 0;
            if (shadowed) continue;
            char *path = ky_arena_printf(arena, "%s/%s", dirs->dirs[d], e->d_name);
            /* Other XML files in the directory are passed over; a broken
             * template (its root names itself) is reported. */
            ky_diags scratch;
            ky_diags_init(&scratch);
            xmlDocPtr xml = ky_xml_load(path, KY_SCHEMA_TEMPLATE, &scratch);
            if (!xml) {
                ky_diags quiet;
                ky_diags_init(&quiet);
                char *own = ky_xml_root_attribute(path, NULL, 0, NULL, "name", &quiet);
                if (own) ky_diags_append(diags, &scratch);
                free(own);
                ky_diags_free(&quiet);
                ky_diags_free(&scratch);
                continue;
            }
            ky_diags_free(&scratch);
            xmlNodePtr root = xmlDocGetRootElement(xml);
            ky_template_info info = {.name = name, .path = path};
            char *extends = ky_xml_attr(root, "extends");
            if (extends) info.extends = ky_arena_strdup(arena, extends);
            xmlFree(extends);
            xmlNodePtr description = ky_xml_child(root, "description");
            if (description) {
                xmlChar *text = xmlNodeGetContent(description);
                if (text) info.description = ky_arena_strdup(arena, (const char *)text);
                xmlFree(text);
            }
            xmlFreeDoc(xml);
            if (ky_arena_grow(arena, (void **)list, *count, &capacity, sizeof **list, 8)) return -1;
            (*list)[(*count)++] = info;
        }
        closedir(dir);
        if (*count > first) qsort(*list + first, *count - first, sizeof **list, compare_info);
    }
    return 0;
}
