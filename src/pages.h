/* Pages while they are filled: fragments and rules pushed onto them, the
 * outline and parts recorded, and finished pages handed to the sink. */
#ifndef KY_PAGES_H
#define KY_PAGES_H

#include "layout.h"

/* Starts page number pages->count (after finishing the open one, if any)
 * and returns it, or NULL with a diagnostic. */
ky_page *ky_pages_start(ky_pages *pages, const ky_template *tpl, ky_lang lang, ky_diags *diags);
/* Hands the open page to the sink and releases it. */
int ky_pages_finish(ky_pages *pages);
/* Releases the open page without handing it on (after a failure). */
void ky_pages_discard(ky_pages *pages);

/* An overlay of page index: drawn over it by ky_pages_overlay_done. */
ky_page *ky_pages_overlay(ky_pages *pages, const ky_template *tpl, size_t index, ky_lang lang);
int ky_pages_overlay_done(ky_pages *pages, ky_page *overlay);
/* Releases a page or overlay that is not handed to the sink. */
void ky_page_free(ky_page *page);

/* A fragment whose text is copied into the page, so that what it was set
 * from may be released before the page is finished. */
int ky_page_text(ky_page *page, ky_frag frag);
int ky_page_rule(ky_page *page, ky_rule rule);
/* A link whose target is copied into the page. */
int ky_page_link(ky_page *page, ky_link link);
/* Draws what page from holds (text, rules, links) onto page, dy points higher. */
int ky_page_copy(ky_page *page, const ky_page *from, double dy);
/* A new shape behind the text, or NULL when the page has no room for one. */
ky_shape *ky_page_shape(ky_page *page);
int ky_shape_op(ky_page *page, ky_shape *shape, ky_path_op op);

int ky_pages_bookmark(ky_pages *pages, int level, ky_lang lang, const char *title, double y);
int ky_pages_part(ky_pages *pages, ky_lang lang, bool parallel);

/* Structure elements (layout.h's ky_struct_elem): each returns the new
 * element's index, or -1 when out of memory. */
int ky_pages_elem_document(ky_pages *pages);
int ky_pages_elem(ky_pages *pages, ky_se_type type, ky_lang lang, int parent);
/* lang's Part, made on first use. */
int ky_pages_part_of(ky_pages *pages, ky_lang lang);
/* A block of type in lang's Part (made on first use); headings are
 * levelled so that they never skip one, and any block ends the lists. */
int ky_pages_block(ky_pages *pages, ky_se_type type, ky_lang lang);
/* The LI of a list item of depth level, in the list it continues or in a
 * new L (nested in the last item of a shallower list). */
int ky_pages_list_item(ky_pages *pages, ky_lang lang, int level);
/* An inline element of type (Span, Link, Reference) in parent: in lang, or
 * (lang < 0) in its parent's. A Reference's key is the note it marks. */
int ky_pages_inline(ky_pages *pages, ky_se_type type, int lang, int parent, const void *key);
/* The Note of the note key (the one a Reference of key refers to) in parent. */
int ky_pages_note(ky_pages *pages, ky_lang lang, int parent, const void *key);
/* The note whose Reference is element reference, or NULL. */
const struct ky_note_tag *ky_pages_note_of(const ky_pages *pages, int reference);

#endif
