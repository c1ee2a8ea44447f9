/* What several unit tests share: a document's arena, diagnostics, font set,
 * hyphenator and the stock template (cmocka group setup and teardown), and
 * the head of a minimal draft. */
#ifndef KY_TEST_FIXTURE_H
#define KY_TEST_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "font.h"
#include "hyphenate.h"
#include "template.h"

typedef struct {
    ky_arena arena;
    ky_diags diags;
    ky_fontset fonts;
    ky_hyphenator hyphenator;
    ky_template *tpl;
} fixture;

static inline int setup(void **state)
{
    static fixture f;
    memset(&f, 0, sizeof f);
    ky_arena_init(&f.arena);
    ky_diags_init(&f.diags);
    ky_hyphenator_init(&f.hyphenator, ky_hyphen_default_path());
    ky_template_dirs dirs = {{KY_TEMPLATE_DIR}, 1};
    f.tpl = ky_template_load(KY_DEFAULT_TEMPLATE, &dirs, &f.arena, &f.diags, NULL, 0);
    if (!f.tpl || ky_fontset_load(&f.fonts, KY_FONTSET, &f.diags) != 0) {
        ky_diags_print(&f.diags, stderr);
        return -1;
    }
    *state = &f;
    return 0;
}

static inline int teardown(void **state)
{
    fixture *f = *state;
    ky_fontset_free(&f->fonts);
    ky_hyphenator_free(&f->hyphenator);
    ky_diags_free(&f->diags);
    ky_arena_free(&f->arena);
    return 0;
}

/* A draft's start, up to its title: the tests append a body. */
#define KY_TEST_DRAFT_HEAD                                                                         \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<statement><parties><party id=\"jp\">"            \
    "<name><en>Japan</en><ja>日本</ja></name>"                                                   \
    "<government><en>the Government of Japan</en><ja>日本国政府</ja></government>"            \
    "</party></parties><title><en>T</en><ja>題</ja></title>\n"

#endif
