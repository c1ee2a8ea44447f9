#include "pages.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

void ky_pages_init(ky_pages *pages, ky_page_sink sink, ky_arena *arena)
{
    *pages = (ky_pages){.sink = sink, .arena = arena};
    for (int lang = 0; lang < KY_LANG_COUNT; lang++)
        pages->part_sid[lang] = -1;
}

const char *ky_se_name(ky_se_type type)
{
    static const char *const names[KY_SE_COUNT] = {[KY_SE_DOCUMENT] = "Document",
                                                   [KY_SE_PART] = "Part",
                                                   [KY_SE_H1] = "H1",
                                                   [KY_SE_H2] = "H2",
                                                   [KY_SE_H3] = "H3",
                                                   [KY_SE_H4] = "H4",
                                                   [KY_SE_H5] = "H5",
                                                   [KY_SE_H6] = "H6",
                                                   [KY_SE_P] = "P",
                                                   [KY_SE_L] = "L",
                                                   [KY_SE_LI] = "LI",
                                                   [KY_SE_LBL] = "Lbl",
                                                   [KY_SE_LBODY] = "LBody",
                                                   [KY_SE_TABLE] = "Table",
                                                   [KY_SE_THEAD] = "THead",
                                                   [KY_SE_TBODY] = "TBody",
                                                   [KY_SE_TR] = "TR",
                                                   [KY_SE_TH] = "TH",
                                                   [KY_SE_TD] = "TD",
                                                   [KY_SE_NOTE] = "Note",
                                                   [KY_SE_DIV] = "Div",
                                                   [KY_SE_SPAN] = "Span",
                                                   [KY_SE_LINK] = "Link",
                                                   [KY_SE_REFERENCE] = "Reference"};
    return type < KY_SE_COUNT ? names[type] : "Span";
}

int ky_pages_elem(ky_pages *pages, ky_se_type type, ky_lang lang, int parent)
{
    if (pages->elem_count >= INT_MAX) return -1;
    if (!pages->elems && ky_pages_elem_document(pages) < 0) return -1;
    if (ky_arena_grow(pages->arena, (void **)&pages->elems, pages->elem_count,
                      &pages->elem_capacity, sizeof(ky_struct_elem), 64))
        return -1;
    pages->elems[pages->elem_count] =
        (ky_struct_elem){.type = (uint8_t)type, .lang = (uint8_t)lang, .parent = parent};
    if (parent >= 0 && pages->elems[parent].type == KY_SE_PART)
        pages->part_kids[pages->elems[parent].lang]++;
    return (int)pages->elem_count++;
}

int ky_pages_elem_document(ky_pages *pages)
{
    if (pages->elems) return 0;
    if (ky_arena_grow(pages->arena, (void **)&pages->elems, 0, &pages->elem_capacity,
                      sizeof(ky_struct_elem), 64))
        return -1;
    pages->elems[0] = (ky_struct_elem){.type = KY_SE_DOCUMENT, .lang = KY_EN, .parent = -1};
    pages->elem_count = 1;
    return 0;
}

int ky_pages_part_of(ky_pages *pages, ky_lang lang)
{
    if (pages->part_sid[lang] < 0 || pages->part_kids[lang] >= KY_PART_MAX_KIDS) {
        pages->part_sid[lang] = ky_pages_elem(pages, KY_SE_PART, lang, 0);
        pages->part_kids[lang] = 0;
    }
    return pages->part_sid[lang];
}

int ky_pages_block(ky_pages *pages, ky_se_type type, ky_lang lang)
{
    int part = ky_pages_part_of(pages, lang);
    pages->list_depth[lang] = 0; /* a block that is no list item ends the lists */
    if (type >= KY_SE_H1 && type <= KY_SE_H6) {
        /* Levels never skip (PDF/UA): a heading is at most one below the last. */
        int level = type - KY_SE_H1 + 1;
        if (level > pages->last_heading[lang] + 1) level = pages->last_heading[lang] + 1;
        pages->last_heading[lang] = level;
        type = (ky_se_type)(KY_SE_H1 + level - 1);
    }
    return part < 0 ? -1 : ky_pages_elem(pages, type, lang, part);
}

int ky_pages_list_item(ky_pages *pages, ky_lang lang, int level)
{
    int part = ky_pages_part_of(pages, lang);
    if (part < 0) return -1;
    struct ky_list_level *stack = pages->lists[lang];
    int *depth = &pages->list_depth[lang];
    while (*depth > 0 && stack[*depth - 1].level > level)
        --*depth;
    if (*depth == 0 || stack[*depth - 1].level < level) {
        /* A list of its own: in the item it follows when nested, else in the Part. */
        int parent = *depth > 0 ? stack[*depth - 1].item : part;
        int list = ky_pages_elem(pages, KY_SE_L, lang, parent);
        if (list < 0) return -1;
        if (*depth == (int)(sizeof pages->lists[lang] / sizeof stack[0])) --*depth;
        stack[(*depth)++] = (struct ky_list_level){.level = level, .list = list, .item = -1};
    }
    struct ky_list_level *top = &stack[*depth - 1];
    top->item = ky_pages_elem(pages, KY_SE_LI, lang, top->list);
    return top->item;
}

/* The entry of note key: the last one that has no element of kind yet
 * (a Reference and its Note are made near each other, the Reference
 * first), else a new one, numbered in lang; NULL when out of memory. */
static struct ky_note_tag *note_tag(ky_pages *pages, const void *key, ky_lang lang, bool note)
{
    for (size_t i = pages->note_count; i-- > 0;) {
        struct ky_note_tag *tag = &pages->notes[i];
        if (tag->key == key && tag->lang == lang && (note ? tag->note : tag->reference) < 0)
            return tag;
    }
    if (ky_arena_grow(pages->arena, (void **)&pages->notes, pages->note_count,
                      &pages->note_capacity, sizeof *pages->notes, 16))
        return NULL;
    struct ky_note_tag *tag = &pages->notes[pages->note_count++];
    *tag = (struct ky_note_tag){.key = key,
                                .reference = -1,
                                .note = -1,
                                .number = ++pages->note_numbers[lang],
                                .lang = (uint8_t)lang};
    return tag;
}

int ky_pages_inline(ky_pages *pages, ky_se_type type, int lang, int parent, const void *key)
{
    if (parent < 0 || (size_t)parent >= pages->elem_count) return -1;
    if (lang < 0) lang = pages->elems[parent].lang;
    int sid = ky_pages_elem(pages, type, (ky_lang)lang, parent);
    if (sid < 0 || type != KY_SE_REFERENCE || !key) return sid;
    struct ky_note_tag *tag = note_tag(pages, key, (ky_lang)lang, false);
    if (!tag) return -1;
    tag->reference = sid;
    return sid;
}

int ky_pages_note(ky_pages *pages, ky_lang lang, int parent, const void *key)
{
    int sid = ky_pages_elem(pages, KY_SE_NOTE, lang, parent);
    if (sid < 0) return -1;
    struct ky_note_tag *tag = note_tag(pages, key, lang, true);
    if (!tag) return -1;
    tag->note = sid;
    return sid;
}

const struct ky_note_tag *ky_pages_note_of(const ky_pages *pages, int reference)
{
    for (size_t i = pages->note_count; i-- > 0;)
        if (pages->notes[i].reference == reference) return &pages->notes[i];
    return NULL;
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
    page->current_sid = -1;
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
    if (page) page->doc = pages;
    if (!page) {
        ky_error(diags, NULL, 0, "out of memory");
        return NULL;
    }
    pages->open = page;
    pages->count++;
    return page;
}

ky_page *ky_pages_overlay(ky_pages *pages, const ky_template *tpl, size_t index, ky_lang lang)
{
    ky_page *page = page_new(tpl, index, lang);
    if (page) page->doc = pages;
    return page;
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
    frag.sid = page->current_sid;
    page->frags[page->frag_count++] = frag;
    return 0;
}

int ky_page_copy(ky_page *page, const ky_page *from, double dy)
{
    /* What is copied keeps its structure elements. */
    int sid = page->current_sid;
    for (size_t i = 0; i < from->frag_count; i++) {
        ky_frag frag = from->frags[i];
        frag.y += dy;
        page->current_sid = frag.sid;
        if (ky_page_text(page, frag)) return -1;
    }
    page->current_sid = sid;
    for (size_t i = 0; i < from->rule_count; i++) {
        ky_rule rule = from->rules[i];
        rule.y1 += dy;
        rule.y2 += dy;
        if (ky_page_rule(page, rule)) return -1;
    }
    for (size_t i = 0; i < from->link_count; i++) {
        ky_link link = from->links[i];
        link.y1 += dy;
        link.y2 += dy;
        page->current_sid = link.sid;
        if (ky_page_link(page, link)) return -1;
    }
    page->current_sid = sid;
    return 0;
}

int ky_page_link(ky_page *page, ky_link link)
{
    if (ky_arena_grow(&page->arena, (void **)&page->links, page->link_count, &page->link_capacity,
                      sizeof(ky_link), 8))
        return -1;
    if (link.uri && !(link.uri = ky_arena_strdup(&page->arena, link.uri))) return -1;
    if (link.text && !(link.text = ky_arena_strdup(&page->arena, link.text))) return -1;
    link.sid = page->current_sid;
    page->links[page->link_count++] = link;
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
