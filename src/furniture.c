#include "furniture.h"

#include <math.h>
#include <string.h>

#include "pages.h"
#include "utf8.h"

int ky_change_bar(ky_page *page, double x, double top, double height)
{
    /* Consecutive lines' bars join into one. */
    double h = page->height;
    return ky_page_rule(page, (ky_rule){x, h - top, x, h - top - height, 1.5});
}

typedef struct {
    ky_page *page;
    ky_shape *shape;
    double cos, sin, x, y; /* rotation and origin */
    bool failed;
} ky_watermark;

static void watermark_op(void *data, char op, const double *x, const double *y)
{
    ky_watermark *mark = data;
    ky_path_op out = {.op = op};
    int points = op == 'c' ? 3 : op == 'h' ? 0 : 1;
    for (int i = 0; i < points; i++) {
        out.x[i] = mark->x + x[i] * mark->cos - y[i] * mark->sin;
        out.y[i] = mark->y + x[i] * mark->sin + y[i] * mark->cos;
    }
    if (ky_shape_op(mark->page, mark->shape, out)) mark->failed = true;
}

static int watermark(ky_typesetter *ts, ky_page *page, ky_lang lang, const char *text, int slot,
                     int slots)
{
    size_t len = strlen(text), pos = 0;
    uint32_t cp = ky_utf8_next(text, len, &pos);
    int face = ky_font_pick(ts->fonts, lang, KY_ROLE_BOLD, cp, ts->diags);
    if (face < 0) return -1;
    /* As large as fits along the diagonal, at most 120 pt. */
    double angle = atan2(page->height, page->width);
    double diagonal = hypot(page->width, page->height) * 0.55 / slots;
    double unit = ky_font_width(ts->fonts, face, 1, text, len);
    double size = fmin(120, diagonal / unit);
    double width = unit * size, cap = 0.7 * size;
    double cx = page->width / 2, cy = page->height / 2;
    /* Two watermarks sit one above the other along the diagonal, each over
     * its own language's column: the first (left) column's lower left. */
    double along = slots > 1 ? (slot == 0 ? -0.5 : 0.5) * diagonal : 0;
    cx += along * cos(angle);
    cy += along * sin(angle);
    ky_shape *shape = ky_page_shape(page);
    if (!shape) return 0;
    ky_watermark mark = {.page = page,
                         .shape = shape,
                         .cos = cos(angle),
                         .sin = sin(angle),
                         .x = cx - width / 2 * cos(angle) + cap / 2 * sin(angle),
                         .y = cy - width / 2 * sin(angle) - cap / 2 * cos(angle)};
    shape->gray = 0.85;
    ky_font_outline(ts->fonts, face, size, text, len, watermark_op, &mark);
    return mark.failed ? -1 : 0;
}

int ky_furniture_under(ky_typesetter *ts, ky_page *page, const ky_furnished *columns, size_t count)
{
    for (size_t c = 0; c < count; c++)
        if (columns[c].flow->watermark && watermark(ts, page, columns[c].column.lang,
                                                    columns[c].flow->watermark, (int)c, (int)count))
            return -1;
    return 0;
}

/* The watermark is drawn as outlines of one face, the one the bold chain
 * picks for its first character: every character must be in that face, or
 * the mark would silently lose them. Reports at the template's text. */
int ky_watermark_check(const ky_flow *flow, const ky_template *tpl, ky_fontset *fonts,
                       ky_diags *diags)
{
    if (!flow->watermark) return 0;
    const char *text = flow->watermark;
    const char *file = tpl->text_path[flow->lang][KY_TEXT_WATERMARK];
    int line = tpl->text_line[flow->lang][KY_TEXT_WATERMARK];
    size_t len = strlen(text), pos = 0;
    int face = -1, errors = 0;
    while (pos < len) {
        size_t start = pos;
        uint32_t cp = ky_utf8_next(text, len, &pos);
        int has = ky_font_pick(fonts, flow->lang, KY_ROLE_BOLD, cp, diags);
        if (has < 0) {
            ky_error(diags, file, line,
                     "no font in the %s bold chain has U+%04X '%.*s' of the watermark",
                     ky_lang_code(flow->lang), cp, (int)(pos - start), text + start);
            errors++;
            continue;
        }
        if (face < 0) face = has;
        if (!ky_font_has(fonts, face, cp)) {
            ky_error(diags, file, line,
                     "the watermark is drawn in one font, and '%s' (picked for its first "
                     "character) has no U+%04X '%.*s'",
                     fonts->faces[face].id, cp, (int)(pos - start), text + start);
            errors++;
        }
    }
    return errors ? -1 : 0;
}

static const char *lookup_page(void *data, const char *name)
{
    const char *const *values = data;
    if (strcmp(name, "page") == 0) return values[0];
    if (strcmp(name, "pages") == 0) return values[1];
    return NULL;
}

/* Lines of text set in the footer style from baseline y down. */
static int footer_lines(ky_typesetter *ts, ky_page *page, const ky_column *column, const char *text,
                        double y)
{
    const ky_template *tpl = ts->tpl;
    const ky_style *style = ky_template_style(tpl, column->lang, KY_STYLE_FOOTER, column->parallel);
    ky_set_text set;
    if (ky_typeset_string(ts, &page->arena, column->lang, text, style, column->width, tpl->path, 0,
                          &set))
        return -1;
    for (size_t n = 0; n < set.line_count; n++)
        if (ky_typeset_line(ts, page, &set, n, column->x, y + (double)n * style->leading))
            return -1;
    return 0;
}

int ky_furniture_over(ky_typesetter *ts, ky_pages *pages, size_t first, size_t end,
                      const ky_furnished *columns, size_t count)
{
    const ky_template *tpl = ts->tpl;
    for (size_t index = first; index < end; index++) {
        ky_page *over = ky_pages_overlay(pages, tpl, index, columns[0].column.lang);
        if (!over) {
            ky_error(ts->diags, NULL, 0, "out of memory");
            return -1;
        }
        int status = 0;
        for (size_t c = 0; c < count && status == 0; c++) {
            const ky_column *column = &columns[c].column;
            const char *values[2] = {ky_arena_printf(&over->arena, "%zu", index - first + 1),
                                     ky_arena_printf(&over->arena, "%zu", end - first)};
            char *text = ky_expand(tpl, column->lang, KY_TEXT_FOOTER, lookup_page, (void *)values,
                                   &over->arena, ts->diags);
            double y = over->height - tpl->footer_offset;
            if (!text || footer_lines(ts, over, column, text, y)) status = -1;
            /* The draft line stands under the page number. */
            const ky_style *footer =
                ky_template_style(tpl, column->lang, KY_STYLE_FOOTER, column->parallel);
            const char *draft = columns[c].flow->draft_line;
            if (status == 0 && draft && footer_lines(ts, over, column, draft, y + footer->leading))
                status = -1;
        }
        if (status) {
            ky_page_free(over);
            return -1;
        }
        if (ky_pages_overlay_done(pages, over)) return -1;
    }
    return 0;
}
