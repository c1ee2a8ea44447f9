#include "flow.h"

#include <math.h>
#include <string.h>

#include "pages.h"

enum { KY_QUEUE = sizeof(((ky_page_flow *)0)->queue) / sizeof(ky_row) };

size_t ky_box_fit(const ky_box *box, size_t done, double room, bool at_top)
{
    size_t rest = box->count - done, fit = 0;
    while (fit < rest && box->kind->height(box, done, done + fit + 1) <= room)
        fit++;
    if (fit == rest) return fit;
    size_t fits = fit;
    /* No widow: the part carried over has at least `widows` slices; no
     * orphan: a box's first part on a page has at least `orphans`. Short
     * boxes therefore move whole. */
    if (rest - fit < box->widows) fit = rest > box->widows ? rest - box->widows : 0;
    /* Where the kind allows a break; one line fewer on the page otherwise. */
    while (fit > 0 && box->kind->breakable && !box->kind->breakable(box, done + fit))
        fit--;
    if (done == 0 && fit < box->orphans) fit = 0;
    /* On an empty page something must go, however little fits. */
    if (at_top && fit == 0) fit = fits > 0 ? fits : 1;
    return fit;
}

void ky_page_flow_init(ky_page_flow *flow, const ky_template *tpl, ky_pages *pages, ky_lang lang,
                       ky_diags *diags)
{
    *flow = (ky_page_flow){.tpl = tpl, .pages = pages, .diags = diags, .lang = lang};
}

static double content_bottom(const ky_page_flow *flow)
{
    return flow->tpl->page_height - flow->tpl->margin_bottom;
}

static int finish_page(ky_page_flow *flow)
{
    if (!flow->page) return 0;
    if (flow->finish_page && flow->finish_page(flow->hook_data, flow->page)) return -1;
    flow->page = NULL;
    return ky_pages_finish(flow->pages);
}

int ky_page_flow_new_page(ky_page_flow *flow)
{
    if (finish_page(flow)) return -1;
    flow->page = ky_pages_start(flow->pages, flow->tpl, flow->lang, flow->diags);
    if (!flow->page) return -1;
    flow->cursor = flow->tpl->margin_top;
    flow->at_top = true;
    return 0;
}

int ky_page_flow_end(ky_page_flow *flow)
{
    return finish_page(flow);
}

/* Row k of the queue (0: the next to place), set on demand; NULL after the
 * last row, or when the queue cannot look that far ahead. */
static ky_row *queued(ky_page_flow *flow, size_t k, int *status)
{
    while (flow->queue_count <= k) {
        if (flow->queue_count == KY_QUEUE || !flow->source) return NULL;
        ky_row *row = &flow->queue[(flow->queue_first + flow->queue_count) % KY_QUEUE];
        memset(row, 0, sizeof *row);
        ky_arena_init(&row->arena);
        if (flow->source(flow->source_data, flow->next_index, row)) {
            ky_arena_free(&row->arena);
            *status = -1;
            return NULL;
        }
        if (row->count == 0) {
            ky_arena_free(&row->arena);
            flow->source = NULL; /* no more rows */
            return NULL;
        }
        flow->next_index++;
        flow->queue_count++;
    }
    return &flow->queue[(flow->queue_first + k) % KY_QUEUE];
}

/* The height row k needs at the bottom of a page before it may start
 * there: all of a box kept with the next row, plus the start of that row;
 * all of a box kept together; else as many slices as orphans need. */
static double needed(ky_page_flow *flow, size_t k, int *status)
{
    ky_row *row = queued(flow, k, status);
    if (!row) return 0;
    bool chained = false;
    double need = 0;
    for (size_t c = 0; c < row->count; c++) {
        const ky_box *box = row->boxes[c];
        if (box->keep_with_next && queued(flow, k + 1, status)) {
            need = fmax(need, box->space_before + box->kind->height(box, 0, box->count) +
                                  box->space_after);
            chained = true;
        } else if (box->count == 0) {
            need = fmax(need, box->space_before);
        } else {
            size_t least = box->orphans ? box->orphans : 1;
            size_t slices = box->keep_together || box->count < least ? box->count : least;
            need = fmax(need, box->space_before + box->kind->height(box, 0, slices));
        }
    }
    return chained ? need + needed(flow, k + 1, status) : need;
}

/* Body lines sit on a baseline grid that starts at the top margin (so that
 * lines align from page to page); headings and titles may leave it. */
static double snap_to_grid(const ky_page_flow *flow, double cursor, double step)
{
    double top = flow->tpl->margin_top;
    return top + ceil((cursor - top) / step - 1e-6) * step;
}

/* Places a row's boxes side by side, their first baselines level. Slices
 * that do not fit continue at the top of the next page in every column,
 * each column keeping its own widow and orphan rules; a row that cannot
 * start in every column moves to the next page whole. */
static int place_row(ky_page_flow *flow, ky_row *row, int *status)
{
    double need = needed(flow, 0, status);
    if (*status) return -1;
    bool page_break = false;
    for (size_t c = 0; c < row->count; c++)
        page_break = page_break || row->boxes[c]->page_break_before;
    if (!flow->at_top && (page_break || flow->cursor + need > content_bottom(flow)))
        if (ky_page_flow_new_page(flow)) return -1;
    double before = 0, after = 0, first = 0;
    for (size_t c = 0; c < row->count; c++) {
        before = fmax(before, row->boxes[c]->space_before);
        after = fmax(after, row->boxes[c]->space_after);
        first = fmax(first, row->boxes[c]->first_baseline);
    }
    double rule_top = flow->cursor;
    if (!flow->at_top) flow->cursor += before;
    size_t done[KY_ROW_MAX] = {0};
    for (;;) {
        bool more = false;
        for (size_t c = 0; c < row->count; c++)
            more = more || done[c] < row->boxes[c]->count;
        if (!more) break;
        size_t fit[KY_ROW_MAX] = {0};
        bool move = false;
        for (size_t c = 0; c < row->count; c++) {
            const ky_box *box = row->boxes[c];
            if (done[c] == box->count) continue;
            if (box->grid > 0 && row->count == 1)
                flow->cursor = snap_to_grid(flow, flow->cursor, box->grid);
            double shift = first - box->first_baseline;
            double room = content_bottom(flow) - flow->cursor - shift + 1e-6;
            fit[c] = ky_box_fit(box, done[c], room, flow->at_top);
            if (fit[c] == 0) move = true;
        }
        if (move && !flow->at_top) {
            if (ky_page_flow_new_page(flow)) return -1;
            continue;
        }
        double height = 0;
        for (size_t c = 0; c < row->count; c++) {
            const ky_box *box = row->boxes[c];
            if (!fit[c]) continue;
            double shift = first - box->first_baseline;
            if (box->kind->draw(box, flow, done[c], done[c] + fit[c], flow->cursor + shift))
                return -1;
            height = fmax(height, shift + box->kind->height(box, done[c], done[c] + fit[c]));
            done[c] += fit[c];
        }
        flow->at_top = false;
        flow->cursor += height;
        more = false;
        for (size_t c = 0; c < row->count; c++)
            more = more || done[c] < row->boxes[c]->count;
        /* The rule down the gutter runs beside the row, to its end. */
        if (row->rule_x > 0 && flow->rule_width > 0) {
            double h = flow->page->height, bottom = flow->cursor + (more ? 0 : after);
            if (ky_page_rule(flow->page, (ky_rule){row->rule_x, h - rule_top, row->rule_x,
                                                   h - bottom, flow->rule_width}))
                return -1;
        }
        if (more) {
            if (ky_page_flow_new_page(flow)) return -1;
            rule_top = flow->cursor;
        }
    }
    flow->cursor += after;
    return 0;
}

int ky_page_flow_run(ky_page_flow *flow, ky_row_source source, void *data)
{
    flow->source = source;
    flow->source_data = data;
    flow->next_index = 0;
    int status = 0;
    for (;;) {
        ky_row *row = queued(flow, 0, &status);
        if (!row) break;
        if (!flow->page && ky_page_flow_new_page(flow)) status = -1;
        if (status == 0 && place_row(flow, row, &status)) status = -1;
        ky_arena_free(&row->arena);
        flow->queue_first = (flow->queue_first + 1) % KY_QUEUE;
        flow->queue_count--;
        if (status) break;
    }
    /* Rows set ahead of a failure are released too. */
    while (flow->queue_count) {
        ky_arena_free(&flow->queue[flow->queue_first].arena);
        flow->queue_first = (flow->queue_first + 1) % KY_QUEUE;
        flow->queue_count--;
    }
    return status;
}
