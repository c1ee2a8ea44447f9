/* Draft XML → document model. */
#ifndef KY_DRAFT_H
#define KY_DRAFT_H

#include "arena.h"
#include "diag.h"
#include "node.h"

/* Loads, validates and converts a draft (encoding: see ky_xml_load_encoded).
 * Returns NULL with diagnostics. */
ky_doc *ky_draft_load(const char *path, const char *encoding, ky_arena *arena, ky_diags *diags);
/* The same for a draft already read; path names it in diagnostics. */
ky_doc *ky_draft_load_memory(const char *path, const char *text, size_t size, const char *encoding,
                             ky_arena *arena, ky_diags *diags);

/* A node's name in messages: "paragraph 3", "heading", "item 2". */
void ky_node_describe(const ky_node *node, char *out, size_t size);

/* Calls visit for every bilingual text a statement prints, with its name
 * for messages ("title", "paragraph 3", "name of party 'jp'", …). */
typedef void (*ky_text_visit)(void *data, const char *what, const ky_btext *text);
void ky_doc_each_text(const ky_doc *doc, ky_text_visit visit, void *data);

/* Checks that every text the document shows has the given language;
 * returns the number of errors added. */
int ky_doc_require_lang(const ky_doc *doc, ky_lang lang, ky_diags *diags);

/* Collapses XML white space the way a reader expects (runs become one
 * space, none at the ends, none at a line break between two Japanese
 * characters) and normalizes to NFC. Returns the new length; out must hold
 * len bytes. Exposed for unit tests. */
typedef struct ky_ws_state {
    int pending_space;
    int pending_newline;
    unsigned last_cp; /* 0 at the start of the text */
} ky_ws_state;
size_t ky_collapse_space(ky_ws_state *state, const char *in, size_t len, char *out);

#endif
