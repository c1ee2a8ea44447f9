#include "template.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xml.h"

static const char *const style_names[KY_STYLE_COUNT] = {"title", "subtitle",  "dateline", "heading",
                                                        "body",  "signature", "footer"};
static const char *const text_names[KY_TEXT_COUNT] = {
    "number",  "date",           "months",      "dateline",    "for-party",
    "footer",  "date-era",       "draft",       "watermark",   "provisional",
    "closing", "section-number", "item-number", "party-joiner"};

/* Templates may extend templates; a loop or a very deep chain is an error. */
enum { KY_TEMPLATE_MAX_DEPTH = 8 };

double ky_parse_length(const char *text)
{
    char *end = NULL;
    double value = strtod(text, &end);
    if (end == text || value < 0) return -1;
    if (*end == '\0' || strcmp(end, "pt") == 0) return value;
    if (strcmp(end, "mm") == 0) return value * 72.0 / 25.4;
    if (strcmp(end, "cm") == 0) return value * 72.0 / 2.54;
    if (strcmp(end, "in") == 0) return value * 72.0;
    return -1;
}

static int valid_name(const char *name)
{
    if (!name[0] || strlen(name) > 64) return 0;
    for (const char *c = name; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_') return 0;
    return 1;
}

static void set_length(xmlNodePtr node, const char *attr, double *target)
{
    char *value = ky_xml_attr(node, attr);
    if (value) *target = ky_parse_length(value);
    xmlFree(value);
}

static void read_style(xmlNodePtr node, ky_style *style)
{
    static const char *const roles[] = {"body", "bold", "italic"};
    static const char *const aligns[] = {"left", "center", "right", "justify"};
    style->defined = 1;
    char *font = ky_xml_attr(node, "font");
    for (int i = 0; font && i < 3; i++)
        if (strcmp(font, roles[i]) == 0) style->font = (ky_role)i;
    xmlFree(font);
    char *align = ky_xml_attr(node, "align");
    for (int i = 0; align && i < 4; i++)
        if (strcmp(align, aligns[i]) == 0) style->align = (ky_align)i;
    xmlFree(align);
    set_length(node, "size", &style->size);
    set_length(node, "leading", &style->leading);
    set_length(node, "space-before", &style->space_before);
    set_length(node, "space-after", &style->space_after);
    set_length(node, "indent", &style->indent);
}

static int find_name(const char *const *names, int count, const char *name)
{
    for (int i = 0; i < count; i++)
        if (strcmp(names[i], name) == 0) return i;
    return -1;
}

static void read_language(xmlNodePtr node, ky_template *tpl, ky_arena *arena)
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
                read_style(item, parallel);
            } else if (id >= 0) {
                read_style(item, &tpl->style[lang][id]);
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
        if (path && access(path, R_OK) == 0) return path;
    }
    return NULL;
}

static int load_into(ky_template *tpl, const char *name, const ky_template_dirs *dirs,
                     ky_arena *arena, ky_diags *diags, const char *file, int line, int depth)
{
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
        size_t len = 0;
        for (int i = 0; i < dirs->count; i++)
            len += strlen(dirs->dirs[i]) + 2;
        char *searched = ky_arena_alloc(arena, len + 1);
        for (int i = 0; searched && i < dirs->count; i++) {
            if (i) strcat(searched, ", ");
            strcat(searched, dirs->dirs[i]);
        }
        ky_error(diags, file, line, "unknown template '%s' (searched %s)", name,
                 searched ? searched : "");
        return -1;
    }
    xmlDocPtr xml = ky_xml_load(path, KY_SCHEMA_TEMPLATE, diags);
    if (!xml) return -1;
    xmlNodePtr root = xmlDocGetRootElement(xml);
    int status = 0;
    char *parent = ky_xml_attr(root, "extends");
    if (parent) {
        status = load_into(tpl, parent, dirs, arena, diags, path, ky_xml_line(root), depth + 1);
        xmlFree(parent);
    }
    if (status == 0) {
        tpl->path = path;
        char *own_name = ky_xml_attr(root, "name");
        tpl->name = ky_arena_strdup(arena, own_name);
        xmlFree(own_name);
        for (xmlNodePtr node = ky_xml_first_element(root); node; node = ky_xml_next_element(node)) {
            if (ky_xml_is(node, "page")) {
                set_length(node, "width", &tpl->page_width);
                set_length(node, "height", &tpl->page_height);
                set_length(node, "top", &tpl->margin_top);
                set_length(node, "bottom", &tpl->margin_bottom);
                set_length(node, "left", &tpl->margin_left);
                set_length(node, "right", &tpl->margin_right);
                set_length(node, "footer", &tpl->footer_offset);
                set_length(node, "signature-space", &tpl->signature_space);
                set_length(node, "signature-gap", &tpl->signature_gap);
                set_length(node, "gutter", &tpl->gutter);
                set_length(node, "column-rule", &tpl->column_rule);
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
            } else if (ky_xml_is(node, "language")) {
                read_language(node, tpl, arena);
            }
        }
    }
    xmlFreeDoc(xml);
    return status;
}

/* A text is expanded where it is used, the labels once for every paragraph,
 * item or section: their length multiplies the cost of the whole document
 * (333 placeholders in the paragraph number made 20,000 paragraphs take 26 s
 * and 800 MB). Real texts are a tenth of these bounds. */
enum { KY_TEXT_MAX = 1000, KY_LABEL_MAX = 32 };

static bool is_label(int id)
{
    return id == KY_TEXT_NUMBER || id == KY_TEXT_SECTION_NUMBER || id == KY_TEXT_ITEM_NUMBER;
}

/* libharu refuses a font size above 600 pt (HPDF_PAGE_INVALID_FONT_SIZE),
 * and a line taller than the text area never fits on a page: both are the
 * template's error, said before any page is laid out. */
enum { KY_MAX_FONT_SIZE = 600 };

static int check_fits(const ky_template *tpl, const ky_style *style, const char *name, ky_lang lang,
                      bool parallel, ky_diags *diags)
{
    double height = tpl->page_height - tpl->margin_top - tpl->margin_bottom;
    const char *where = parallel ? " (parallel layout)" : "";
    if (style->size > KY_MAX_FONT_SIZE) {
        ky_error(diags, tpl->path, 0, "style '%s' for %s%s: size %g pt is above %d pt", name,
                 ky_lang_code(lang), where, style->size, KY_MAX_FONT_SIZE);
        return 1;
    }
    if (style->leading > height || style->size > height) {
        ky_error(diags, tpl->path, 0,
                 "style '%s' for %s%s: a line (size %g pt, leading %g pt) is taller than the "
                 "page's text area (%g pt)",
                 name, ky_lang_code(lang), where, style->size, style->leading, height);
        return 1;
    }
    return 0;
}

static int check_complete(const ky_template *tpl, ky_diags *diags)
{
    int errors = 0;
    if (tpl->page_width <= 0 || tpl->page_height <= 0 ||
        tpl->margin_left + tpl->margin_right >= tpl->page_width - 72 ||
        tpl->margin_top + tpl->margin_bottom >= tpl->page_height - 72) {
        ky_error(diags, tpl->path, 0, "page size and margins leave no room for text");
        errors++;
    }
    bool page_ok = errors == 0;
    for (int lang = 0; lang < KY_LANG_COUNT; lang++) {
        for (int id = 0; id < KY_STYLE_COUNT; id++) {
            const ky_style *style = &tpl->style[lang][id];
            if (!style->defined || style->size <= 0 || style->leading <= 0) {
                ky_error(diags, tpl->path, 0,
                         "style '%s' for %s needs a size and a leading (in this template or "
                         "the one it extends)",
                         style_names[id], ky_lang_code((ky_lang)lang));
                errors++;
                continue;
            }
            for (int parallel = 0; page_ok && parallel < 2; parallel++) {
                const ky_style *s = parallel ? &tpl->parallel_style[lang][id] : style;
                if (parallel && !s->defined) continue;
                errors += check_fits(tpl, s, style_names[id], (ky_lang)lang, parallel, diags);
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
    if (!tpl) return NULL;
    tpl->cjk_latin_spacing = -1;
    tpl->hanging_punctuation = -1;
    tpl->baseline_grid = -1;
    tpl->japanese_calendar[KY_EN] = tpl->japanese_calendar[KY_JA] = -1;
    if (load_into(tpl, name, dirs, arena, diags, file, line, 0) != 0) return NULL;
    if (check_complete(tpl, diags) != 0) return NULL;
    if (tpl->cjk_latin_spacing < 0) tpl->cjk_latin_spacing = 1;
    if (tpl->hanging_punctuation < 0) tpl->hanging_punctuation = 0;
    if (tpl->baseline_grid < 0) tpl->baseline_grid = 1;
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
            if (!out) return NULL;
        } else {
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
