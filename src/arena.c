#include "arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

struct ky_arena_chunk {
    ky_arena_chunk *next;
    size_t used;
    size_t capacity;
    max_align_t data[];
};

enum { KY_ARENA_CHUNK_SIZE = 64 * 1024 };

_Noreturn void ky_out_of_memory(void)
{
    /* write(2), not stdio: stdio may itself need memory. */
    static const char message[] = "kyodo: out of memory\n";
    if (write(STDERR_FILENO, message, sizeof message - 1) < 0) {
        /* Nothing left to report with. */
    }
    abort();
}

void *ky_xmalloc(size_t size)
{
    void *block = malloc(size ? size : 1);
    if (!block) ky_out_of_memory();
    return block;
}

void *ky_xcalloc(size_t count, size_t size)
{
    void *block = calloc(count ? count : 1, size ? size : 1);
    if (!block) ky_out_of_memory();
    return block;
}

void *ky_xrealloc(void *block, size_t count, size_t size)
{
    size_t total;
    if (__builtin_mul_overflow(count, size, &total)) ky_out_of_memory();
    void *bigger = realloc(block, total ? total : 1);
    if (!bigger) ky_out_of_memory();
    return bigger;
}

char *ky_xstrdup(const char *text)
{
    char *copy = strdup(text);
    if (!copy) ky_out_of_memory();
    return copy;
}

void ky_arena_init(ky_arena *arena)
{
    arena->head = NULL;
}

void ky_arena_free(ky_arena *arena)
{
    ky_arena_chunk *chunk = arena->head;
    while (chunk) {
        ky_arena_chunk *next = chunk->next;
        free(chunk);
        chunk = next;
    }
    arena->head = NULL;
}

void *ky_arena_alloc(ky_arena *arena, size_t size)
{
    const size_t align = sizeof(max_align_t);
    if (size > SIZE_MAX - sizeof(ky_arena_chunk) - align) ky_out_of_memory();
    size = (size + align - 1) / align * align;
    if (size == 0) size = align;
    ky_arena_chunk *chunk = arena->head;
    if (!chunk || chunk->capacity - chunk->used < size) {
        size_t capacity = size > KY_ARENA_CHUNK_SIZE ? size : KY_ARENA_CHUNK_SIZE;
        ky_arena_chunk *fresh = ky_xmalloc(sizeof(ky_arena_chunk) + capacity);
        fresh->used = 0;
        fresh->capacity = capacity;
        /* A large block gets its own chunk behind the current one, so the
         * current chunk's free space is not thrown away. */
        if (chunk && size > KY_ARENA_CHUNK_SIZE) {
            fresh->next = chunk->next;
            chunk->next = fresh;
        } else {
            fresh->next = chunk;
            arena->head = fresh;
        }
        chunk = fresh;
    }
    void *result = (char *)chunk->data + chunk->used;
    chunk->used += size;
    memset(result, 0, size);
    return result;
}

void *ky_arena_alloc_array(ky_arena *arena, size_t count, size_t size)
{
    size_t total;
    if (__builtin_mul_overflow(count, size, &total)) ky_out_of_memory();
    return ky_arena_alloc(arena, total);
}

char *ky_arena_strndup(ky_arena *arena, const char *text, size_t len)
{
    char *copy = ky_arena_alloc(arena, len + 1);
    memcpy(copy, text, len);
    copy[len] = '\0';
    return copy;
}

char *ky_arena_strdup(ky_arena *arena, const char *text)
{
    return ky_arena_strndup(arena, text, strlen(text));
}

char *ky_arena_printf(ky_arena *arena, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int len = vsnprintf(NULL, 0, format, args);
    va_end(args);
    if (len < 0) return NULL;
    char *out = ky_arena_alloc(arena, (size_t)len + 1);
    va_start(args, format);
    vsnprintf(out, (size_t)len + 1, format, args);
    va_end(args);
    return out;
}

int ky_arena_grow(ky_arena *arena, void **array, size_t count, size_t *capacity, size_t size,
                  size_t minimum)
{
    if (count < *capacity) return 0;
    size_t grown = *capacity ? *capacity * 2 : minimum;
    if (grown < *capacity) ky_out_of_memory();
    void *bigger = ky_arena_alloc_array(arena, grown, size);
    if (count) memcpy(bigger, *array, count * size);
    *array = bigger;
    *capacity = grown;
    return 0;
}
