/* Per-document bump allocator: everything a render allocates lives until the
 * document is done, so one free at the end replaces thousands of small ones. */
#ifndef KY_ARENA_H
#define KY_ARENA_H

#include <stddef.h>

typedef struct ky_arena_chunk ky_arena_chunk;

typedef struct ky_arena {
    ky_arena_chunk *head;
} ky_arena;

/* kyodo's one policy for running out of memory, as cmark's xcalloc: print
 * "kyodo: out of memory" to stderr and abort. A render has no useful way to
 * go on without the memory, and a NULL check at every call site would be a
 * second, untested error path. These never return NULL; sizes that overflow
 * (count * size) count as out of memory. */
void *ky_xmalloc(size_t size);
void *ky_xcalloc(size_t count, size_t size);
void *ky_xrealloc(void *block, size_t count, size_t size);
char *ky_xstrdup(const char *text);
_Noreturn void ky_out_of_memory(void);

void ky_arena_init(ky_arena *arena);
void ky_arena_free(ky_arena *arena);
/* Returns zeroed memory; never NULL (out of memory aborts, see above). */
void *ky_arena_alloc(ky_arena *arena, size_t size) __attribute__((returns_nonnull));
char *ky_arena_strndup(ky_arena *arena, const char *text, size_t len);
char *ky_arena_strdup(ky_arena *arena, const char *text);
/* Like sprintf into the arena. */
char *ky_arena_printf(ky_arena *arena, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* Makes room for one more element in an arena-allocated array of count
 * elements of size bytes (doubling its capacity, at least to minimum).
 * Returns 0 (kept as int for its callers; out of memory aborts). */
int ky_arena_grow(ky_arena *arena, void **array, size_t count, size_t *capacity, size_t size,
                  size_t minimum);

#define KY_NEW(arena, type) ((type *)ky_arena_alloc((arena), sizeof(type)))
#define KY_NEW_ARRAY(arena, type, count)                                                           \
    ((type *)ky_arena_alloc_array((arena), (count), sizeof(type)))
/* count * size bytes, zeroed; an overflowing product is out of memory. */
void *ky_arena_alloc_array(ky_arena *arena, size_t count, size_t size)
    __attribute__((returns_nonnull));

#endif
