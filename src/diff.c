#include "diff.h"

#include "draft.h"

#include <string.h>

static size_t body_nodes(const ky_doc *doc, const ky_node ***nodes, ky_arena *arena)
{
    size_t count = 0;
    for (const ky_node *node = doc->body; node; node = node->next)
        count++;
    *nodes = KY_NEW_ARRAY(arena, const ky_node *, count ? count : 1);
    size_t i = 0;
    for (const ky_node *node = doc->body; node && *nodes; node = node->next)
        (*nodes)[i++] = node;
    return count;
}

ky_comparison *ky_compare(const ky_doc *old_doc, const ky_doc *new_doc, ky_lang lang,
                          ky_arena *arena)
{
    ky_comparison *c = KY_NEW(arena, ky_comparison);
    if (!c) return NULL;
    c->old_count = body_nodes(old_doc, &c->old_nodes, arena);
    c->new_count = body_nodes(new_doc, &c->new_nodes, arena);
    size_t n = c->old_count, m = c->new_count;
    char **old_text = KY_NEW_ARRAY(arena, char *, n + 1);
    char **new_text = KY_NEW_ARRAY(arena, char *, m + 1);
    c->new_change = KY_NEW_ARRAY(arena, ky_change, m + 1);
    c->old_removed = KY_NEW_ARRAY(arena, bool, n + 1);
    c->was = KY_NEW_ARRAY(arena, const ky_node *, m + 1);
    /* lcs[i][j]: the common subsequence of old[i..] and new[j..]. */
    size_t *lcs = KY_NEW_ARRAY(arena, size_t, (n + 1) * (m + 1));
    if (!old_text || !new_text || !c->new_change || !c->old_removed || !c->was || !lcs) return NULL;
    for (size_t i = 0; i < n; i++)
        old_text[i] = ky_ltext_plain(&c->old_nodes[i]->text.lang[lang], arena);
    for (size_t j = 0; j < m; j++)
        new_text[j] = ky_ltext_plain(&c->new_nodes[j]->text.lang[lang], arena);
#define LCS(i, j) lcs[(i) * (m + 1) + (j)]
    for (size_t i = n + 1; i-- > 0;)
        for (size_t j = m + 1; j-- > 0;) {
            if (i == n || j == m)
                LCS(i, j) = 0;
            else if (!strcmp(old_text[i], new_text[j]))
                LCS(i, j) = LCS(i + 1, j + 1) + 1;
            else
                LCS(i, j) = LCS(i + 1, j) > LCS(i, j + 1) ? LCS(i + 1, j) : LCS(i, j + 1);
        }
    bool *old_kept = KY_NEW_ARRAY(arena, bool, n + 1);
    if (!old_kept) return NULL;
    for (size_t j = 0; j < m; j++)
        c->new_change[j] = KY_ADDED;
    for (size_t i = 0, j = 0; i < n && j < m;) {
        if (!strcmp(old_text[i], new_text[j])) {
            c->new_change[j] = KY_SAME;
            old_kept[i] = true;
            i++, j++;
        } else if (LCS(i + 1, j) >= LCS(i, j + 1)) {
            i++;
        } else {
            j++;
        }
    }
#undef LCS
    /* Texts outside the common subsequence that the old draft has, unkept,
     * elsewhere moved; of the rest, one standing where an old text was
     * dropped replaced it (changed). */
    bool *old_used = KY_NEW_ARRAY(arena, bool, n + 1);
    if (!old_used) return NULL;
    for (size_t j = 0; j < m; j++) {
        if (c->new_change[j] != KY_ADDED) continue;
        for (size_t i = 0; i < n; i++)
            if (!old_kept[i] && !old_used[i] && !strcmp(old_text[i], new_text[j])) {
                c->new_change[j] = KY_MOVED;
                c->was[j] = c->old_nodes[i];
                old_used[i] = true;
                break;
            }
    }
    size_t i = 0;
    for (size_t j = 0; j < m; j++) {
        if (c->new_change[j] == KY_SAME) {
            /* Advance i past the old node this one matched. */
            while (i < n && !(old_kept[i] && !strcmp(old_text[i], new_text[j])))
                i++;
            if (i < n) i++;
            continue;
        }
        if (c->new_change[j] != KY_ADDED) continue;
        /* An old text dropped between the previous match and the next. */
        for (size_t k = i; k < n && !old_kept[k]; k++)
            if (!old_used[k] && c->old_nodes[k]->kind == c->new_nodes[j]->kind) {
                c->new_change[j] = KY_CHANGED;
                c->was[j] = c->old_nodes[k];
                old_used[k] = true;
                break;
            }
    }
    for (size_t k = 0; k < n; k++)
        c->old_removed[k] = !old_kept[k] && !old_used[k];
    return c;
}

void ky_mark_changes(const ky_doc *old_doc, ky_doc *new_doc, ky_arena *arena)
{
    for (int lang = 0; lang < KY_LANG_COUNT; lang++) {
        ky_comparison *c = ky_compare(old_doc, new_doc, (ky_lang)lang, arena);
        if (!c) return;
        for (size_t j = 0; j < c->new_count; j++)
            ((ky_node *)c->new_nodes[j])->changed[lang] = c->new_change[j] != KY_SAME;
    }
}

int ky_print_diff(const ky_doc *old_doc, const ky_doc *new_doc, FILE *out, ky_arena *arena)
{
    static const char *const kinds[] = {"same", "changed", "added", "moved"};
    int changes = 0;
    for (int lang = 0; lang < KY_LANG_COUNT; lang++) {
        ky_comparison *c = ky_compare(old_doc, new_doc, (ky_lang)lang, arena);
        if (!c) return -1;
        fprintf(out, "%s:\n", lang == KY_EN ? "English" : "Japanese");
        int before = changes;
        char what[64], was[64];
        for (size_t j = 0; j < c->new_count; j++) {
            if (c->new_change[j] == KY_SAME) continue;
            changes++;
            ky_node_describe(c->new_nodes[j], what, sizeof what);
            fprintf(out, "  %s %s", kinds[c->new_change[j]], what);
            if (c->was[j]) {
                ky_node_describe(c->was[j], was, sizeof was);
                if (strcmp(was, what)) fprintf(out, " (was %s)", was);
            }
            fprintf(out, " (line %d):\n    + %s\n", c->new_nodes[j]->text.lang[lang].line,
                    ky_ltext_plain(&c->new_nodes[j]->text.lang[lang], arena));
            if (c->new_change[j] == KY_CHANGED)
                fprintf(out, "    - %s\n", ky_ltext_plain(&c->was[j]->text.lang[lang], arena));
        }
        for (size_t i = 0; i < c->old_count; i++) {
            if (!c->old_removed[i]) continue;
            changes++;
            ky_node_describe(c->old_nodes[i], what, sizeof what);
            fprintf(out, "  removed %s of the old draft:\n    - %s\n", what,
                    ky_ltext_plain(&c->old_nodes[i]->text.lang[lang], arena));
        }
        if (changes == before) fprintf(out, "  no changes\n");
    }
    return changes;
}
