#include "diff.h"

#include "draft.h"

#include <libxml/hash.h>
#include <stdint.h>
#include <string.h>

static size_t body_nodes(const ky_doc *doc, const ky_node ***nodes, ky_arena *arena)
{
    size_t count = 0;
    for (const ky_node *node = doc->body; node; node = node->next)
        count++;
    *nodes = KY_NEW_ARRAY(arena, const ky_node *, count ? count : 1);
    size_t i = 0;
    for (const ky_node *node = doc->body; node; node = node->next)
        (*nodes)[i++] = node;
    return count;
}

/* Each distinct text becomes a small number, so that the comparison below
 * compares integers, not strings, in its inner loops. (libxml2's hash
 * table: glibc's hsearch hashes only a key's last few bytes, and paragraphs
 * that end alike all collided.) */
static void intern(char **old_text, size_t n, char **new_text, size_t m, int *a, int *b)
{
    xmlHashTablePtr table = xmlHashCreate((int)((n + m) / 2 + 16));
    if (!table) ky_out_of_memory();
    intptr_t next = 0;
    for (size_t k = 0; k < n + m; k++) {
        const xmlChar *text = (const xmlChar *)(k < n ? old_text[k] : new_text[k - n]);
        /* Stored as id + 1: a lookup's NULL means absent. */
        intptr_t id = (intptr_t)xmlHashLookup(table, text) - 1;
        if (id < 0) {
            id = next++;
            if (xmlHashAddEntry(table, text, (void *)(id + 1)) != 0) ky_out_of_memory();
        }
        (k < n ? a : b)[k < n ? k : k - n] = (int)id;
    }
    xmlHashFree(table, NULL);
}

/* Myers' O(ND) comparison with its linear-space refinement ("An O(ND)
 * Difference Algorithm and Its Variations", 1986, section 4b): the middle
 * snake of a shortest edit script splits the problem in two, recursively,
 * so memory stays linear (two vectors of 2(n + m) + 2 entries) and time is
 * O((n + m) D) for D differences: fast for revisions of one draft, and
 * O((n + m)²) only for two unrelated ones. The common subsequence found is
 * a longest one (as the quadratic table it replaced found), though where
 * several are longest it may pick another one. */
typedef struct {
    const int *a, *b;
    bool *old_kept, *new_kept;
    ptrdiff_t *forward, *backward; /* indexed by diagonal k + offset */
    ptrdiff_t offset;
    ptrdiff_t too_expensive; /* edit distance at which a search gives up */
    bool approximate;        /* some search gave up: not a longest one */
} ky_myers;

/* Drafts that differ in this many places more than a few thousand (two
 * revisions that reorder everything) would take O((n + m) D) time: past
 * it, a search splits where it got furthest, as GNU diff's heuristic
 * does. The result is still a common subsequence, only maybe not a longest
 * one, and the diff says so. */
enum { KY_DIFF_TOO_EXPENSIVE = 4096 };

static void match(ky_myers *my, ptrdiff_t x, ptrdiff_t y)
{
    my->old_kept[x] = true;
    my->new_kept[y] = true;
}

/* Gives up a search after d differences: the furthest point either
 * direction reached (by x + y from its own end) becomes the split. Any
 * split gives a common subsequence; this one keeps the snakes found. */
static void split_furthest(ky_myers *my, const ptrdiff_t *vf, const ptrdiff_t *vb, ptrdiff_t n,
                           ptrdiff_t m, ptrdiff_t d, const ptrdiff_t bounds[4], ptrdiff_t *split_x,
                           ptrdiff_t *split_y)
{
    my->approximate = true;
    ptrdiff_t best = 0, x_best = n / 2, y_best = m / 2;
    for (ptrdiff_t k = -d + bounds[0]; k <= d - bounds[1]; k += 2) {
        ptrdiff_t x = vf[k], y = x - k;
        if (x >= 0 && x <= n && y >= 0 && y <= m && x + y > best && x + y < n + m)
            best = x + y, x_best = x, y_best = y;
    }
    for (ptrdiff_t k = -d + bounds[2]; k <= d - bounds[3]; k += 2) {
        ptrdiff_t x = vb[k], y = x - k;
        if (x >= 0 && x <= n && y >= 0 && y <= m && x + y > best && x + y < n + m)
            best = x + y, x_best = n - x, y_best = m - y;
    }
    *split_x = x_best;
    *split_y = y_best;
}

/* The middle snake of a[a0..a1) and b[b0..b1), both non-empty and with no
 * common first or last element: sets the point (x, y) where a shortest edit
 * script can be split into two halves that are each shorter. */
static void middle_snake(ky_myers *my, ptrdiff_t a0, ptrdiff_t a1, ptrdiff_t b0, ptrdiff_t b1,
                         ptrdiff_t *split_x, ptrdiff_t *split_y)
{
    const int *a = my->a + a0, *b = my->b + b0;
    ptrdiff_t n = a1 - a0, m = b1 - b0;
    ptrdiff_t max_d = (n + m + 1) / 2, delta = n - m;
    ptrdiff_t *vf = my->forward + my->offset, *vb = my->backward + my->offset;
    for (ptrdiff_t k = -max_d - 1; k <= max_d + 1; k++)
        vf[k] = vb[k] = -1;
    vf[1] = vb[1] = 0;
    bool odd = delta % 2 != 0;
    /* Diagonals that have left the rectangle are not followed further. */
    ptrdiff_t f_start = 0, f_end = 0, b_start = 0, b_end = 0;
    for (ptrdiff_t d = 0; d <= max_d; d++) {
        if (d >= my->too_expensive) {
            split_furthest(my, vf, vb, n, m, d - 1, (ptrdiff_t[]){f_start, f_end, b_start, b_end},
                           split_x, split_y);
            *split_x += a0;
            *split_y += b0;
            return;
        }
        for (ptrdiff_t k = -d + f_start; k <= d - f_end; k += 2) {
            ptrdiff_t x = k == -d || (k != d && vf[k - 1] < vf[k + 1]) ? vf[k + 1] : vf[k - 1] + 1;
            ptrdiff_t y = x - k;
            while (x < n && y < m && a[x] == b[y])
                x++, y++;
            vf[k] = x;
            if (x > n) {
                f_end += 2;
            } else if (y > m) {
                f_start += 2;
            } else if (odd) {
                ptrdiff_t other = delta - k;
                if (other >= -max_d && other <= max_d && vb[other] != -1 && x >= n - vb[other]) {
                    *split_x = a0 + x;
                    *split_y = b0 + y;
                    return;
                }
            }
        }
        for (ptrdiff_t k = -d + b_start; k <= d - b_end; k += 2) {
            ptrdiff_t x = k == -d || (k != d && vb[k - 1] < vb[k + 1]) ? vb[k + 1] : vb[k - 1] + 1;
            ptrdiff_t y = x - k;
            while (x < n && y < m && a[n - x - 1] == b[m - y - 1])
                x++, y++;
            vb[k] = x;
            if (x > n) {
                b_end += 2;
            } else if (y > m) {
                b_start += 2;
            } else if (!odd) {
                ptrdiff_t other = delta - k;
                if (other >= -max_d && other <= max_d && vf[other] != -1 && vf[other] >= n - x) {
                    *split_x = a0 + vf[other];
                    *split_y = b0 + vf[other] - other;
                    return;
                }
            }
        }
    }
    /* Unreachable: the two searches meet by d = max_d. Splitting in the
     * middle still terminates with a correct (if longer) script. */
    *split_x = a0 + n / 2;
    *split_y = b0 + m / 2;
}

static void compare_range(ky_myers *my, ptrdiff_t a0, ptrdiff_t a1, ptrdiff_t b0, ptrdiff_t b1)
{
    while (a0 < a1 && b0 < b1 && my->a[a0] == my->b[b0])
        match(my, a0++, b0++);
    while (a0 < a1 && b0 < b1 && my->a[a1 - 1] == my->b[b1 - 1])
        match(my, --a1, --b1);
    if (a0 == a1 || b0 == b1) return;
    ptrdiff_t x, y;
    middle_snake(my, a0, a1, b0, b1, &x, &y);
    compare_range(my, a0, x, b0, y);
    compare_range(my, x, a1, y, b1);
}

ky_comparison *ky_compare(const ky_doc *old_doc, const ky_doc *new_doc, ky_lang lang,
                          ky_arena *arena)
{
    ky_comparison *c = KY_NEW(arena, ky_comparison);
    c->old_count = body_nodes(old_doc, &c->old_nodes, arena);
    c->new_count = body_nodes(new_doc, &c->new_nodes, arena);
    size_t n = c->old_count, m = c->new_count;
    char **old_text = KY_NEW_ARRAY(arena, char *, n + 1);
    char **new_text = KY_NEW_ARRAY(arena, char *, m + 1);
    c->new_change = KY_NEW_ARRAY(arena, ky_change, m + 1);
    c->old_removed = KY_NEW_ARRAY(arena, bool, n + 1);
    c->was = KY_NEW_ARRAY(arena, const ky_node *, m + 1);
    for (size_t i = 0; i < n; i++)
        old_text[i] = ky_ltext_plain(&c->old_nodes[i]->text.lang[lang], arena);
    for (size_t j = 0; j < m; j++)
        new_text[j] = ky_ltext_plain(&c->new_nodes[j]->text.lang[lang], arena);
    int *a = KY_NEW_ARRAY(arena, int, n + 1), *b = KY_NEW_ARRAY(arena, int, m + 1);
    intern(old_text, n, new_text, m, a, b);
    bool *old_kept = KY_NEW_ARRAY(arena, bool, n + 1);
    bool *new_kept = KY_NEW_ARRAY(arena, bool, m + 1);
    size_t texts = 0;
    for (size_t k = 0; k < n + m; k++) {
        int id = k < n ? a[k] : b[k - n];
        if ((size_t)id + 1 > texts) texts = (size_t)id + 1;
    }
    /* A text only one draft has is in no common subsequence: leaving such
     * texts out (as GNU diff does) makes rewritten and added paragraphs
     * cost nothing below, and two unrelated drafts no time at all. */
    unsigned char *sides = KY_NEW_ARRAY(arena, unsigned char, texts + 1);
    for (size_t i = 0; i < n; i++)
        sides[a[i]] |= 1;
    for (size_t j = 0; j < m; j++)
        sides[b[j]] |= 2;
    size_t *old_at = KY_NEW_ARRAY(arena, size_t, n + 1),
           *new_at = KY_NEW_ARRAY(arena, size_t, m + 1);
    int *shared_a = KY_NEW_ARRAY(arena, int, n + 1), *shared_b = KY_NEW_ARRAY(arena, int, m + 1);
    size_t sn = 0, sm = 0;
    for (size_t i = 0; i < n; i++)
        if (sides[a[i]] == 3) old_at[sn] = i, shared_a[sn++] = a[i];
    for (size_t j = 0; j < m; j++)
        if (sides[b[j]] == 3) new_at[sm] = j, shared_b[sm++] = b[j];
    bool *shared_old_kept = KY_NEW_ARRAY(arena, bool, sn + 1);
    bool *shared_new_kept = KY_NEW_ARRAY(arena, bool, sm + 1);
    ptrdiff_t diagonals = (ptrdiff_t)(sn + sm) + 4;
    ky_myers my = {shared_a,
                   shared_b,
                   shared_old_kept,
                   shared_new_kept,
                   KY_NEW_ARRAY(arena, ptrdiff_t, (size_t)diagonals * 2),
                   KY_NEW_ARRAY(arena, ptrdiff_t, (size_t)diagonals * 2),
                   diagonals,
                   KY_DIFF_TOO_EXPENSIVE,
                   false};
    compare_range(&my, 0, (ptrdiff_t)sn, 0, (ptrdiff_t)sm);
    c->approximate = my.approximate;
    for (size_t i = 0; i < sn; i++)
        old_kept[old_at[i]] = shared_old_kept[i];
    for (size_t j = 0; j < sm; j++)
        new_kept[new_at[j]] = shared_new_kept[j];
    for (size_t j = 0; j < m; j++)
        c->new_change[j] = new_kept[j] ? KY_SAME : KY_ADDED;
    /* Texts outside the common subsequence that the old draft has, unkept,
     * elsewhere moved (the first such old text, each used once); of the
     * rest, one standing where an old text was dropped replaced it
     * (changed). Lists of unkept old nodes per text and per kind keep both
     * passes linear. */
    bool *old_used = KY_NEW_ARRAY(arena, bool, n + 1);
    size_t *first = KY_NEW_ARRAY(arena, size_t, texts + 1); /* old index + 1, 0 for none */
    size_t *next = KY_NEW_ARRAY(arena, size_t, n + 1);
    for (size_t i = n; i-- > 0;)
        if (!old_kept[i]) {
            next[i] = first[a[i]];
            first[a[i]] = i + 1;
        }
    for (size_t j = 0; j < m; j++) {
        if (c->new_change[j] != KY_ADDED || !first[b[j]]) continue;
        size_t i = first[b[j]] - 1;
        first[b[j]] = next[i];
        c->new_change[j] = KY_MOVED;
        c->was[j] = c->old_nodes[i];
        old_used[i] = true;
    }
    /* Per kind, the next old node of the current gap (between two kept
     * ones) not yet used: it only moves forward within a gap. */
    size_t i = 0, cursor[3] = {0, 0, 0};
    for (size_t j = 0; j < m; j++) {
        if (c->new_change[j] == KY_SAME) {
            /* Past the old node this one matched: the next gap starts. */
            while (i < n && !old_kept[i])
                i++;
            if (i < n) i++;
            cursor[0] = cursor[1] = cursor[2] = i;
            continue;
        }
        if (c->new_change[j] != KY_ADDED) continue;
        ky_node_kind kind = c->new_nodes[j]->kind;
        size_t *k = &cursor[kind];
        while (*k < n && !old_kept[*k] && (old_used[*k] || c->old_nodes[*k]->kind != kind))
            (*k)++;
        if (*k < n && !old_kept[*k]) {
            c->new_change[j] = KY_CHANGED;
            c->was[j] = c->old_nodes[*k];
            old_used[*k] = true;
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
                if (strcmp(was, what) != 0) fprintf(out, " (was %s)", was);
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
        if (c->approximate)
            fprintf(out,
                    "  (the drafts differ in more than %d places: a quicker comparison "
                    "may show some unchanged paragraphs as moved or changed)\n",
                    KY_DIFF_TOO_EXPENSIVE);
    }
    return changes;
}
