/* What the tests that go from a draft's text to merged flows share: a
 * draft body (after the title) loaded and merged in both languages with a
 * template, shipped or of the test's own in a directory of its own. */
#ifndef KY_TEST_MERGED_H
#define KY_TEST_MERGED_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "draft.h"
#include "fixture.h"
#include "merge.h"

typedef struct {
    ky_arena arena;
    ky_diags diags;
    ky_doc *doc;
    ky_template *tpl;
    ky_flow *flow[KY_LANG_COUNT];
    char dir[64]; /* the test's own templates, or "" */
    char written[4][32];
    size_t written_count;
} merged;

static inline void merged_init(merged *m)
{
    memset(m, 0, sizeof *m);
    ky_arena_init(&m->arena);
    ky_diags_init(&m->diags);
}

/* A template of the test's own, found before the shipped ones. */
static inline void write_template(merged *m, const char *name, const char *text)
{
    if (!m->dir[0]) {
        snprintf(m->dir, sizeof m->dir, "/tmp/kyodo-merged-XXXXXX");
        assert_non_null(mkdtemp(m->dir));
    }
    char path[128];
    snprintf(path, sizeof path, "%s/%s.xml", m->dir, name);
    FILE *file = fopen(path, "w");
    assert_non_null(file);
    fputs(text, file);
    assert_int_equal(fclose(file), 0);
    assert_true(m->written_count < 4);
    snprintf(m->written[m->written_count++], sizeof m->written[0], "%s", name);
}

/* Loads draft body text (after the title) into m->doc; NULL with errors in
 * m->diags. */
static inline ky_doc *load_body(merged *m, const char *body)
{
    static const char head[] = KY_TEST_DRAFT_HEAD;
    size_t size = strlen(head) + strlen(body) + 32;
    char *text = ky_arena_alloc(&m->arena, size);
    snprintf(text, size, "%s%s</statement>\n", head, body);
    m->doc = ky_draft_load_memory("t.xml", text, strlen(text), NULL, &m->arena, &m->diags);
    return m->doc;
}

/* Loads body and merges both languages with template name. */
static inline void merge_body(merged *m, const char *template_name, const char *body)
{
    ky_doc *doc = load_body(m, body);
    ky_template_dirs dirs = {{m->dir, KY_TEMPLATE_DIR}, 2};
    if (!m->dir[0]) dirs = (ky_template_dirs){{KY_TEMPLATE_DIR}, 1};
    m->tpl = ky_template_load(template_name, &dirs, &m->arena, &m->diags, NULL, 0);
    if (!doc || !m->tpl) ky_diags_print(&m->diags, stderr);
    assert_non_null(doc);
    assert_non_null(m->tpl);
    ky_merge_options options = {0};
    for (int lang = 0; lang < KY_LANG_COUNT; lang++) {
        m->flow[lang] = ky_merge(doc, m->tpl, (ky_lang)lang, &options, &m->arena, &m->diags);
        if (!m->flow[lang]) ky_diags_print(&m->diags, stderr);
        assert_non_null(m->flow[lang]);
    }
}

/* The spans of the first body paragraph's text in lang. */
static inline const ky_span *body_spans(const merged *m, ky_lang lang)
{
    for (const ky_block *b = m->flow[lang]->first; b; b = b->next)
        if (b->style == KY_STYLE_BODY) return b->spans;
    fail();
    return NULL;
}

/* The span whose text is text (a test's failure if none is). */
static inline const ky_span *span_with(const ky_span *spans, const char *text)
{
    for (const ky_span *s = spans; s; s = s->next)
        if (s->len == strlen(text) && memcmp(s->text, text, s->len) == 0) return s;
    fail_msg("no span '%s'", text);
    return NULL;
}

static inline void merged_free(merged *m)
{
    for (size_t i = 0; i < m->written_count; i++) {
        char path[128];
        snprintf(path, sizeof path, "%s/%s.xml", m->dir, m->written[i]);
        unlink(path);
    }
    if (m->dir[0]) rmdir(m->dir);
    ky_diags_free(&m->diags);
    ky_arena_free(&m->arena);
}

#endif
