/*
 * Arena allocator; see arena.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"

struct block {
	struct block *next;
	size_t size;
	size_t used;
	_Alignas(16) unsigned char data[];
};

struct mrt_arena {
	struct block *head;
	size_t block_size;
	size_t total;
	int debug; /* each allocation is its own block */
};

mrt_arena *mrt_arena_new(size_t block_size)
{
	mrt_arena *a = calloc(1, sizeof *a);
	if (!a)
		return NULL;
	a->block_size = block_size ? block_size : 65536;
	a->debug = getenv("MRT_ARENA_DEBUG") != NULL;
	return a;
}

static struct block *new_block(size_t size)
{
	struct block *b = malloc(sizeof *b + size);
	if (!b)
		return NULL;
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

void *mrt_arena_alloc(mrt_arena *a, size_t size)
{
	size_t need = (size + 15) & ~(size_t)15;
	if (need < size)
		return NULL;
	struct block *b = a->head;
	if (a->debug || !b || b->size - b->used < need) {
		size_t bs = a->debug ? need : (need > a->block_size ? need : a->block_size);
		b = new_block(bs);
		if (!b)
			return NULL;
		if (a->head && !a->debug && need > a->block_size) {
			/* Keep the partly used head for the next small allocation. */
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	void *p = b->data + b->used;
	b->used += need;
	a->total += need;
	memset(p, 0, size);
	return p;
}

char *mrt_arena_strndup(mrt_arena *a, const char *s, size_t n)
{
	char *p = mrt_arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *mrt_arena_strdup(mrt_arena *a, const char *s)
{
	return mrt_arena_strndup(a, s, strlen(s));
}

size_t mrt_arena_used(const mrt_arena *a)
{
	return a->total;
}

static void free_chain(struct block *b)
{
	while (b) {
		struct block *next = b->next;
		memset(b->data, 0, b->used);
		free(b);
		b = next;
	}
}

void mrt_arena_reset(mrt_arena *a)
{
	if (!a || !a->head)
		return;
	/* Keep the most recent block, drop the rest. */
	free_chain(a->head->next);
	a->head->next = NULL;
	memset(a->head->data, 0, a->head->used);
	a->head->used = 0;
	a->total = 0;
}

void mrt_arena_free(mrt_arena *a)
{
	if (!a)
		return;
	free_chain(a->head);
	free(a);
}
