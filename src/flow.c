#include "flow.h"

#include <math.h>
#include <string.h>

#include "pages.h"

enum { KY_QUEUE = sizeof(((ky_page_flow *)0)->queue) / sizeof(ky_row) };

double ky_notes_height(const ky_box *box, size_t from, size_t to, double foot, bool split)
{
    if (!box->kind->notes) return 0;
    double need = 0;
    const ky_box *last = NULL;
    for (size_t s = from; s < to; s++) {
        ky_box *const *notes = NULL;
        size_t count = box->kind->notes(box, s, &notes);
        for (size_t i = 0; i < count; i++) {
            const ky_box *note = notes[i];
            if (note->count == 0) continue;
            need += (foot + need > 0 ? note->space_before : KY_NOTE_SEPARATION) +
                    note->kind->height(note, 0, note->count);
            last = note;
        }
    }
    if (split && last && last->count > 2) need -= last->kind->height(last, 2, last->count);
    return need;
}

size_t ky_box_fit(const ky_box *box, size_t done, double room, double foot, bool at_top)
{
    size_t rest = box->count - done, fit = 0;
    while (fit < rest && box->kind->height(box, done, done + fit + 1) + foot +
                                 ky_notes_height(box, done, done + fit + 1, foot, true) <=
                             room)
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

/* Releases the feet of a page that is not finished (after a failure). */
static void drop_feet(ky_page_flow *flow)
{
    for (size_t c = 0; c < KY_ROW_MAX; c++) {
        if (flow->foot[c].notes) ky_page_free(flow->foot[c].notes);
        flow->foot[c] = (struct ky_foot){0};
    }
}

/* The footnotes of each column go to the foot of the page, under their
 * rule. */
static int finish_feet(ky_page_flow *flow)
{
    int status = 0;
    for (size_t c = 0; c < KY_ROW_MAX; c++) {
        struct ky_foot *foot = &flow->foot[c];
        if (!foot->notes) continue;
        double top = content_bottom(flow) - foot->height, h = flow->page->height;
        double y = h - top - KY_NOTE_RULE_AT;
        if (status == 0 &&
            (ky_page_rule(flow->page, (ky_rule){foot->x, y, foot->x + foot->width / 3, y,
                                                KY_NOTE_RULE_WIDTH}) ||
             ky_page_copy(flow->page, foot->notes, -top)))
            status = -1;
    }
    drop_feet(flow);
    return status;
}

static int finish_page(ky_page_flow *flow)
{
    if (!flow->page) return 0;
    if (finish_feet(flow)) return -1;
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

/* The foot a box must leave free: its column's, or for a box alone in a
 * row (one that spans the columns: signatures, a wide table) the tallest. */
static double foot_of(const ky_page_flow *flow, const ky_row *row, size_t c)
{
    if (row->count > 1) return flow->foot[c].height;
    double most = 0;
    for (size_t k = 0; k < KY_ROW_MAX; k++)
        most = fmax(most, flow->foot[k].height);
    return most;
}

/* Footnotes waiting for the foot of a column: notes[0] from its line
 * `line`, the others whole. */
typedef struct {
    ky_box **notes;
    size_t count, line;
} ky_notes_due;

/* Sets as much of due as fits at the foot of column c, under what stands
 * down to body_bottom, in order; what does not fit stays in due for the
 * next page. owner: the box the notes belong to (where the foot's rule
 * stands). force: the page holds nothing else yet, so a line must go. */
static int set_notes(ky_page_flow *flow, size_t c, const ky_box *owner, ky_notes_due *due,
                     double body_bottom, bool force)
{
    struct ky_foot *foot = &flow->foot[c];
    while (due->count) {
        ky_box *note = due->notes[0];
        size_t from = due->line;
        double before = foot->height > 0 ? note->space_before : KY_NOTE_SEPARATION;
        double room = content_bottom(flow) - body_bottom - foot->height - before + 1e-6;
        size_t fit = 0;
        while (from + fit < note->count && note->kind->height(note, from, from + fit + 1) <= room)
            fit++;
        if (fit == 0 && force && foot->height == 0 && from < note->count) fit = 1;
        if (fit == 0 && from < note->count) break;
        if (fit > 0) {
            if (!foot->notes) {
                foot->notes =
                    ky_pages_overlay(flow->pages, flow->tpl, flow->page->index, flow->lang);
                foot->x = owner->x;
                foot->width = owner->width;
            }
            /* The note is drawn on the foot's own page, from its top. */
            ky_page *page = flow->page;
            flow->page = foot->notes;
            int status = note->kind->draw(note, flow, from, from + fit, foot->height + before);
            flow->page = page;
            if (status) return -1;
            foot->height += before + note->kind->height(note, from, from + fit);
        }
        if (from + fit < note->count) {
            due->line = from + fit;
            break;
        }
        due->notes++;
        due->count--;
        due->line = 0;
    }
    return 0;
}

/* The notes referenced in slices [from, to) of box, in order. */
static ky_notes_due notes_of(ky_row *row, const ky_box *box, size_t from, size_t to)
{
    ky_notes_due due = {0};
    if (!box->kind->notes) return due;
    size_t total = 0;
    for (size_t s = from; s < to; s++) {
        ky_box *const *notes = NULL;
        total += box->kind->notes(box, s, &notes);
    }
    if (!total) return due;
    due.notes = KY_NEW_ARRAY(&row->arena, ky_box *, total);
    for (size_t s = from; s < to; s++) {
        ky_box *const *notes = NULL;
        size_t count = box->kind->notes(box, s, &notes);
        for (size_t i = 0; i < count; i++)
            due.notes[due.count++] = notes[i];
    }
    return due;
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
    double foot = 0;
    for (size_t c = 0; c < row->count; c++)
        foot = fmax(foot, foot_of(flow, row, c));
    if (!flow->at_top && (page_break || flow->cursor + need > content_bottom(flow) - foot))
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
            fit[c] = ky_box_fit(box, done[c], room, foot_of(flow, row, c), flow->at_top);
            if (fit[c] == 0) move = true;
        }
        if (move && !flow->at_top) {
            if (ky_page_flow_new_page(flow)) return -1;
            continue;
        }
        double height = 0;
        ky_notes_due due[KY_ROW_MAX] = {0};
        bool carry = false;
        for (size_t c = 0; c < row->count; c++) {
            const ky_box *box = row->boxes[c];
            if (!fit[c]) continue;
            double shift = first - box->first_baseline;
            if (box->kind->draw(box, flow, done[c], done[c] + fit[c], flow->cursor + shift))
                return -1;
            double own = shift + box->kind->height(box, done[c], done[c] + fit[c]);
            height = fmax(height, own);
            due[c] = notes_of(row, box, done[c], done[c] + fit[c]);
            if (due[c].count && set_notes(flow, c, box, &due[c], flow->cursor + own, false))
                return -1;
            carry = carry || due[c].count;
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
        if (more || carry) {
            if (ky_page_flow_new_page(flow)) return -1;
            rule_top = flow->cursor;
        }
        /* Notes that did not fit under their reference continue at the
         * foot of the next page, before any other; a page may hold
         * nothing but notes when one is longer than a page. */
        while (carry) {
            carry = false;
            for (size_t c = 0; c < row->count; c++) {
                if (!due[c].count) continue;
                if (set_notes(flow, c, row->boxes[c], &due[c], flow->cursor, true)) return -1;
                carry = carry || due[c].count;
            }
            if (carry && ky_page_flow_new_page(flow)) return -1;
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
    if (status) drop_feet(flow);
    /* Rows set ahead of a failure are released too. */
    while (flow->queue_count) {
        ky_arena_free(&flow->queue[flow->queue_first].arena);
        flow->queue_first = (flow->queue_first + 1) % KY_QUEUE;
        flow->queue_count--;
    }
    return status;
}
