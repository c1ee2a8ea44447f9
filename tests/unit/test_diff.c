#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"

/* The comparison kyodo had before its linear-space one, kept here as the
 * oracle: a quadratic table of longest common subsequences, traced back
 * from the start, then the same moved/changed rules. */
static void oracle(const ky_node **old_nodes, size_t n, const ky_node **new_nodes, size_t m,
                   ky_change *change, const ky_node **was, bool *removed)
{
    const char **ot = calloc(n + 1, sizeof *ot), **nt = calloc(m + 1, sizeof *nt);
    for (size_t i = 0; i < n; i++)
        ot[i] = old_nodes[i]->text.lang[KY_EN].spans->text;
    for (size_t j = 0; j < m; j++)
        nt[j] = new_nodes[j]->text.lang[KY_EN].spans->text;
    size_t *lcs = calloc((n + 1) * (m + 1), sizeof *lcs);
#define LCS(i, j) lcs[(i) * (m + 1) + (j)]
    for (size_t i = n + 1; i-- > 0;)
        for (size_t j = m + 1; j-- > 0;) {
            if (i == n || j == m)
                LCS(i, j) = 0;
            else if (!strcmp(ot[i], nt[j]))
                LCS(i, j) = LCS(i + 1, j + 1) + 1;
            else
                LCS(i, j) = LCS(i + 1, j) > LCS(i, j + 1) ? LCS(i + 1, j) : LCS(i, j + 1);
        }
    bool *kept = calloc(n + 1, 1), *used = calloc(n + 1, 1);
    for (size_t j = 0; j < m; j++)
        change[j] = KY_ADDED, was[j] = NULL;
    for (size_t i = 0, j = 0; i < n && j < m;) {
        if (!strcmp(ot[i], nt[j])) {
            change[j] = KY_SAME;
            kept[i] = true;
            i++, j++;
        } else if (LCS(i + 1, j) >= LCS(i, j + 1)) {
            i++;
        } else {
            j++;
        }
    }
#undef LCS
    for (size_t j = 0; j < m; j++) {
        if (change[j] != KY_ADDED) continue;
        for (size_t i = 0; i < n; i++)
            if (!kept[i] && !used[i] && !strcmp(ot[i], nt[j])) {
                change[j] = KY_MOVED;
                was[j] = old_nodes[i];
                used[i] = true;
                break;
            }
    }
    size_t i = 0;
    for (size_t j = 0; j < m; j++) {
        if (change[j] == KY_SAME) {
            while (i < n && !(kept[i] && !strcmp(ot[i], nt[j])))
                i++;
            if (i < n) i++;
            continue;
        }
        if (change[j] != KY_ADDED) continue;
        for (size_t k = i; k < n && !kept[k]; k++)
            if (!used[k] && old_nodes[k]->kind == new_nodes[j]->kind) {
                change[j] = KY_CHANGED;
                was[j] = old_nodes[k];
                used[k] = true;
                break;
            }
    }
    for (size_t k = 0; k < n; k++)
        removed[k] = !kept[k] && !used[k];
    free(ot), free(nt), free(lcs), free(kept), free(used);
}

/* A draft body of count nodes whose English texts are words[i]. */
static ky_doc *body(ky_arena *arena, char **words, const ky_node_kind *kinds, size_t count)
{
    ky_doc *doc = KY_NEW(arena, ky_doc);
    ky_node **tail = &doc->body;
    for (size_t i = 0; i < count; i++) {
        ky_node *node = KY_NEW(arena, ky_node);
        ky_span *span = KY_NEW(arena, ky_span);
        span->text = words[i];
        span->len = strlen(words[i]);
        node->kind = kinds[i];
        node->text.lang[KY_EN].spans = span;
        node->text.lang[KY_JA].spans = span;
        *tail = node;
        tail = &node->next;
    }
    return doc;
}

static unsigned next_random(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) & 0x7fff;
}

enum { MAX_NODES = 40 };

typedef struct {
    char *words[MAX_NODES];
    ky_node_kind kinds[MAX_NODES];
    size_t count;
} ky_side;

/* Compares with the oracle. exact: the whole classification must be the
 * same; otherwise (several longest common subsequences) what any longest
 * one gives: as many kept and as many moved, each kept pair equal and in
 * order, each moved or changed one paired with an old node of its kind or
 * text that nothing else took. */
static void check(ky_side *old_side, ky_side *new_side, bool exact)
{
    ky_arena arena;
    ky_arena_init(&arena);
    ky_doc *old_doc = body(&arena, old_side->words, old_side->kinds, old_side->count);
    ky_doc *new_doc = body(&arena, new_side->words, new_side->kinds, new_side->count);
    ky_comparison *c = ky_compare(old_doc, new_doc, KY_EN, &arena);
    size_t n = c->old_count, m = c->new_count;
    assert_int_equal(n, old_side->count);
    assert_int_equal(m, new_side->count);
    ky_change change[MAX_NODES];
    const ky_node *was[MAX_NODES];
    bool removed[MAX_NODES];
    oracle(c->old_nodes, n, c->new_nodes, m, change, was, removed);
    size_t kept = 0, oracle_kept = 0, moved = 0, oracle_moved = 0;
    for (size_t j = 0; j < m; j++) {
        kept += c->new_change[j] == KY_SAME, oracle_kept += change[j] == KY_SAME;
        moved += c->new_change[j] == KY_MOVED, oracle_moved += change[j] == KY_MOVED;
        if (exact) {
            assert_int_equal(c->new_change[j], change[j]);
            assert_ptr_equal(c->was[j], was[j]);
        }
    }
    assert_int_equal(kept, oracle_kept);
    assert_int_equal(moved, oracle_moved);
    for (size_t i = 0; i < n && exact; i++)
        assert_int_equal(c->old_removed[i], removed[i]);
    /* Every old node is kept, replaced (was of one new node) or removed,
     * exactly one of them; the kept ones read as the new kept ones. */
    int role[MAX_NODES] = {0}; /* 1: replaced, 2: removed */
    for (size_t j = 0; j < m; j++) {
        if (!c->was[j]) continue;
        size_t k = 0;
        while (c->old_nodes[k] != c->was[j])
            k++;
        assert_int_equal(role[k], 0);
        role[k] = 1;
        if (c->new_change[j] == KY_MOVED)
            assert_string_equal(c->was[j]->text.lang[KY_EN].spans->text,
                                c->new_nodes[j]->text.lang[KY_EN].spans->text);
        else
            assert_int_equal(c->was[j]->kind, c->new_nodes[j]->kind);
    }
    for (size_t k = 0; k < n; k++)
        if (c->old_removed[k]) {
            assert_int_equal(role[k], 0);
            role[k] = 2;
        }
    size_t i = 0;
    for (size_t j = 0; j < m; j++) {
        if (c->new_change[j] != KY_SAME) continue;
        while (i < n && role[i])
            i++;
        assert_true(i < n);
        assert_string_equal(c->old_nodes[i]->text.lang[KY_EN].spans->text,
                            c->new_nodes[j]->text.lang[KY_EN].spans->text);
        i++;
    }
    while (i < n && role[i])
        i++;
    assert_int_equal(i, n);
    ky_arena_free(&arena);
}

static char vocabulary[200][16];

/* Random bodies over a few texts (many repeats: several longest common
 * subsequences), of every length up to 12 against every other. */
static void agrees_with_the_quadratic_table(void **state)
{
    (void)state;
    unsigned seed = 7;
    for (int round = 0; round < 4000; round++) {
        ky_side sides[2];
        int texts = 1 + (int)next_random(&seed) % 5;
        for (int s = 0; s < 2; s++) {
            sides[s].count = next_random(&seed) % 13;
            for (size_t i = 0; i < sides[s].count; i++) {
                sides[s].words[i] = vocabulary[next_random(&seed) % (unsigned)texts];
                sides[s].kinds[i] = (ky_node_kind)(next_random(&seed) % 3);
            }
        }
        check(&sides[0], &sides[1], false);
    }
}

/* Revisions as drafting makes them: paragraphs dropped, rewritten and added
 * (each text once), never reordered. The longest common subsequence is
 * then unique, and the whole result must be the old one. */
static void same_result_for_revisions(void **state)
{
    (void)state;
    unsigned seed = 11;
    for (int round = 0; round < 3000; round++) {
        ky_side old_side, new_side;
        int fresh = 0;
        old_side.count = next_random(&seed) % 25;
        for (size_t i = 0; i < old_side.count; i++) {
            old_side.words[i] = vocabulary[fresh++];
            old_side.kinds[i] = (ky_node_kind)(next_random(&seed) % 3);
        }
        new_side.count = 0;
        for (size_t i = 0; i <= old_side.count && new_side.count < MAX_NODES - 3; i++) {
            unsigned what = next_random(&seed) % 6;
            if (what == 0 || i == old_side.count) { /* added before */
                new_side.words[new_side.count] = vocabulary[100 + fresh++ % 100];
                new_side.kinds[new_side.count++] = (ky_node_kind)(next_random(&seed) % 3);
            }
            if (i == old_side.count) break;
            if (what == 1) continue; /* dropped */
            if (what == 2) {         /* rewritten */
                new_side.words[new_side.count] = vocabulary[100 + fresh++ % 100];
                new_side.kinds[new_side.count++] = old_side.kinds[i];
                continue;
            }
            new_side.words[new_side.count] = old_side.words[i];
            new_side.kinds[new_side.count++] = old_side.kinds[i];
        }
        check(&old_side, &new_side, true);
    }
}

int main(void)
{
    for (int i = 0; i < 200; i++)
        snprintf(vocabulary[i], sizeof vocabulary[i], "t%d", i);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(agrees_with_the_quadratic_table),
        cmocka_unit_test(same_result_for_revisions),
    };
    return cmocka_run_group_tests_name("diff", tests, NULL, NULL);
}
