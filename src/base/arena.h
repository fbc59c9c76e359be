/*
 * Arena allocator for per-message and per-load allocations (after libgit2's
 * git_pool): many small allocations, freed together. With MRT_ARENA_DEBUG set
 * in the environment each allocation is a real malloc, so AddressSanitizer
 * sees every overrun.
 */
#ifndef MRT_BASE_ARENA_H
#define MRT_BASE_ARENA_H

#include <stddef.h>

typedef struct mrt_arena mrt_arena;

mrt_arena *mrt_arena_new(size_t block_size);
void *mrt_arena_alloc(mrt_arena *a, size_t size);   /* 16-byte aligned, zeroed */
char *mrt_arena_strdup(mrt_arena *a, const char *s);
char *mrt_arena_strndup(mrt_arena *a, const char *s, size_t n);
/* Frees everything allocated so far but keeps the first block. */
void mrt_arena_reset(mrt_arena *a);
size_t mrt_arena_used(const mrt_arena *a);
void mrt_arena_free(mrt_arena *a);

#endif
