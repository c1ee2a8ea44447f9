/* Revisions: which paragraphs of a draft changed since an earlier one. */
#ifndef KY_DIFF_H
#define KY_DIFF_H

#include <stdio.h>

#include "arena.h"
#include "node.h"

typedef enum { KY_SAME, KY_CHANGED, KY_ADDED, KY_MOVED } ky_change;

typedef struct ky_comparison {
    size_t new_count, old_count;
    const ky_node **new_nodes, **old_nodes;
    ky_change *new_change; /* per node of the new draft's body */
    bool *old_removed;     /* per node of the old body: gone from the new */
    const ky_node **was;   /* per new node: the old node it replaces, if changed/moved */
    bool approximate;      /* too different for a longest common subsequence in time */
} ky_comparison;

/* Compares the body texts (headings, paragraphs, items) of one language by
 * their longest common subsequence: a new text outside it is moved when the
 * old draft has it elsewhere, changed when it stands where an old text was
 * dropped, and added otherwise. Memory is linear in the drafts' length and
 * time O((n + m) D) for D differences; past a few thousand differences a
 * quicker common subsequence is taken (approximate). Never returns NULL. */
ky_comparison *ky_compare(const ky_doc *old_doc, const ky_doc *new_doc, ky_lang lang,
                          ky_arena *arena);

/* Marks the changed, added and moved nodes of new_doc (node->changed). */
void ky_mark_changes(const ky_doc *old_doc, ky_doc *new_doc, ky_arena *arena);

/* The changed paragraphs per language, numbered as in the document, for
 * review in a terminal or a CI log. Returns the number of changes. */
int ky_print_diff(const ky_doc *old_doc, const ky_doc *new_doc, FILE *out, ky_arena *arena);

#endif
