/* One draft → one PDF: the whole pipeline, for the CLI and later batch use. */
#ifndef KY_RENDER_H
#define KY_RENDER_H

#include "diag.h"
#include "layout.h"
#include "pdf.h"
#include "template.h"

typedef struct ky_render_options {
    const char *draft_path;
    const char *output_path;
    ky_layout_kind layout;
    const char *template_name; /* overrides the draft's template attribute */
    ky_template_dirs template_dirs;
    const char *fontset_path;
    int first_lang;            /* -1: from the draft (first party's language) */
    const char *copy;          /* --copy PARTY: that party's original (alternat) */
    bool title_page;           /* sequential: a bilingual title page first */
    const char *encoding;      /* --encoding: the draft's encoding when undeclared */
    const char *changes_since; /* an earlier revision: change bars beside what changed */
    bool print;                /* crop marks, bleed, TrimBox and BleedBox */
    ky_standard standard;      /* --standard: PDF/A-2u (default) or none */
    /* Hyphenation patterns loaded once for many renders (kyodo build loads
     * them before it forks); NULL: each render loads its own when needed. */
    struct ky_hyphenator *hyphenator;
    /* The draft's and the earlier revision's bytes when already read (kyodo
     * build renders exactly what it hashed); NULL: read the files named. */
    const char *draft_text, *changes_since_text;
    size_t draft_size, changes_since_size;
    /* --report: filled with the figures of the line breaking (NULL: none). */
    struct ky_typeset_report *report;
} ky_render_options;

/* Fills in the template directories (--template-dir first, then
 * $KYODO_TEMPLATE_PATH, then the built-in one) and the font set. */
void ky_render_options_defaults(ky_render_options *options);
int ky_template_dirs_add(ky_template_dirs *dirs, const char *dir);

int ky_render(const ky_render_options *options, ky_diags *diags);

const char *ky_default_template_dir(void);
const char *ky_default_fontset(void);

#endif
