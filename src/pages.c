#include "pages.h"

#include <stdlib.h>
#include <string.h>

void ky_pages_init(ky_pages *pages, ky_page_sink sink, ky_arena *arena)
{
    *pages = (ky_pages){.sink = sink, .arena = arena};
}

void ky_page_free(ky_page *page)
{
    ky_arena arena = page->arena;
    ky_arena_free(&arena); /* the page itself lives in its arena */
}

/* A page with its own arena; the struct is the arena's first allocation. */
static ky_page *page_new(const ky_template *tpl, size_t index, ky_lang lang)
{
    ky_arena arena;
    ky_arena_init(&arena);
    ky_page *page = KY_NEW(&arena, ky_page);
    if (!page) {
        ky_arena_free(&arena);
        return NULL;
    }
    page->arena = arena;
    page->index = index;
    page->lang = lang;
    page->width = tpl->page_width;
    page->height = tpl->page_height;
    return page;
}

int ky_pages_finish(ky_pages *pages)
{
    ky_page *page = pages->open;
    if (!page) return 0;
    pages->open = NULL;
    int status = pages->sink.page ? pages->sink.page(pages->sink.data, page) : 0;
    ky_page_free(page);
    return status;
}

void ky_pages_discard(ky_pages *pages)
{
    if (pages->open) ky_page_free(pages->open);
    pages->open = NULL;
}

ky_page *ky_pages_start(ky_pages *pages, const ky_template *tpl, ky_lang lang, ky_diags *diags)
{
    if (ky_pages_finish(pages)) return NULL;
    ky_page *page = page_new(tpl, pages->count, lang);
    if (!page) {
        ky_error(diags, NULL, 0, "out of memory");
        return NULL;
    }
    pages->open = page;
    pages->count++;
    return page;
}

ky_page *ky_pages_overlay(const ky_pages *pages, const ky_template *tpl, size_t index, ky_lang lang)
{
    (void)pages;
    return page_new(tpl, index, lang);
}

int ky_pages_overlay_done(ky_pages *pages, ky_page *overlay)
{
    int status = pages->sink.overlay ? pages->sink.overlay(pages->sink.data, overlay) : 0;
    ky_page_free(overlay);
    return status;
}

int ky_page_text(ky_page *page, ky_frag frag)
{
    if (ky_arena_grow(&page->arena, (void **)&page->frags, page->frag_count, &page->frag_capacity,
                      sizeof(ky_frag), 256))
        return -1;
    char *text = ky_arena_strndup(&page->arena, frag.text, frag.len);
    if (!text) return -1;
    frag.text = text;
    page->frags[page->frag_count++] = frag;
    return 0;
}

int ky_page_copy(ky_page *page, const ky_page *from, double dy)
{
    for (size_t i = 0; i < from->frag_count; i++) {
        ky_frag frag = from->frags[i];
        frag.y += dy;
        if (ky_page_text(page, frag)) return -1;
    }
    for (size_t i = 0; i < from->rule_count; i++) {
        ky_rule rule = from->rules[i];
        rule.y1 += dy;
        rule.y2 += dy;
        if (ky_page_rule(page, rule)) return -1;
    }
    return 0;
}

int ky_page_rule(ky_page *page, ky_rule rule)
{
    if (ky_arena_grow(&page->arena, (void **)&page->rules, page->rule_count, &page->rule_capacity,
                      sizeof(ky_rule), 8))
        return -1;
    page->rules[page->rule_count++] = rule;
    return 0;
}

ky_shape *ky_page_shape(ky_page *page)
{
    if (page->under_count == sizeof page->under / sizeof page->under[0]) return NULL;
    return &page->under[page->under_count++];
}

int ky_shape_op(ky_page *page, ky_shape *shape, ky_path_op op)
{
    if (ky_arena_grow(&page->arena, (void **)&shape->ops, shape->count, &shape->capacity,
                      sizeof(ky_path_op), 64))
        return -1;
    shape->ops[shape->count++] = op;
    return 0;
}

int ky_pages_bookmark(ky_pages *pages, int level, ky_lang lang, const char *title, double y)
{
    ky_bookmark *mark = KY_NEW(pages->arena, ky_bookmark);
    char *copy = ky_arena_strdup(pages->arena, title);
    if (!mark || !copy || !pages->open) return -1;
    *mark = (ky_bookmark){
        .level = level, .lang = lang, .title = copy, .page = pages->open->index, .y = y};
    if (pages->last_bookmark)
        pages->last_bookmark->next = mark;
    else
        pages->bookmarks = mark;
    pages->last_bookmark = mark;
    return 0;
}

int ky_pages_part(ky_pages *pages, ky_lang lang, bool parallel)
{
    ky_part *part = KY_NEW(pages->arena, ky_part);
    if (!part || !pages->open) return -1;
    *part = (ky_part){.first = pages->open->index, .lang = lang, .parallel = parallel};
    if (pages->last_part)
        pages->last_part->next = part;
    else
        pages->parts = part;
    pages->last_part = part;
    return 0;
}
