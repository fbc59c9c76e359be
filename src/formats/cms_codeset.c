/*
 * cms_codeset: an open-addressing set of short codes (packed into 64 bits),
 * each with one number (a line number, a flag). Used by the release-file
 * readers to find duplicates and by the loader to compare code sets.
 */
#include <stdlib.h>
#include <string.h>

#include "formats/cms_order.h"

struct slot {
	uint64_t key; /* 0 = empty */
	unsigned long v;
};

struct cms_codeset {
	struct slot *slots;
	size_t cap; /* power of two */
	size_t n;
};

static uint64_t pack(const char *code)
{
	uint64_t k = 0;
	size_t i = 0;
	for (; i < 8 && code[i]; i++)
		k = (k << 8) | (unsigned char)code[i];
	return k << (8 * (8 - i));
}

static size_t slot_of(uint64_t k, size_t cap)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return (size_t)k & (cap - 1);
}

cms_codeset *cms_codeset_new(void)
{
	cms_codeset *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->cap = 1024;
	s->slots = calloc(s->cap, sizeof *s->slots);
	if (!s->slots) {
		free(s);
		return NULL;
	}
	return s;
}

void cms_codeset_free(cms_codeset *s)
{
	if (!s)
		return;
	free(s->slots);
	free(s);
}

static int grow(cms_codeset *s)
{
	size_t cap = s->cap * 2;
	struct slot *n = calloc(cap, sizeof *n);
	if (!n)
		return MRT_ENOMEM;
	for (size_t i = 0; i < s->cap; i++) {
		if (!s->slots[i].key)
			continue;
		size_t j = slot_of(s->slots[i].key, cap);
		while (n[j].key)
			j = (j + 1) & (cap - 1);
		n[j] = s->slots[i];
	}
	free(s->slots);
	s->slots = n;
	s->cap = cap;
	return 0;
}

int cms_codeset_add(cms_codeset *s, const char *code, unsigned long v, unsigned long *old)
{
	if ((s->n + 1) * 2 > s->cap && grow(s) != 0)
		return MRT_ENOMEM;
	uint64_t k = pack(code);
	if (!k)
		return MRT_EINVAL;
	size_t j = slot_of(k, s->cap);
	while (s->slots[j].key) {
		if (s->slots[j].key == k) {
			if (old)
				*old = s->slots[j].v;
			return 0;
		}
		j = (j + 1) & (s->cap - 1);
	}
	s->slots[j].key = k;
	s->slots[j].v = v;
	s->n++;
	return 1;
}

int cms_codeset_put(cms_codeset *s, const char *code, unsigned long v)
{
	unsigned long old;
	int rc = cms_codeset_add(s, code, v, &old);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	uint64_t k = pack(code);
	size_t j = slot_of(k, s->cap);
	while (s->slots[j].key != k)
		j = (j + 1) & (s->cap - 1);
	s->slots[j].v = v;
	return 0;
}

int cms_codeset_get(const cms_codeset *s, const char *code, unsigned long *v)
{
	uint64_t k = pack(code);
	if (!k)
		return 0;
	size_t j = slot_of(k, s->cap);
	while (s->slots[j].key) {
		if (s->slots[j].key == k) {
			if (v)
				*v = s->slots[j].v;
			return 1;
		}
		j = (j + 1) & (s->cap - 1);
	}
	return 0;
}

size_t cms_codeset_count(const cms_codeset *s) { return s->n; }

int cms_codeset_each(const cms_codeset *s, int (*fn)(void *ctx, const char *code, unsigned long v),
                     void *ctx)
{
	for (size_t i = 0; i < s->cap; i++) {
		uint64_t k = s->slots[i].key;
		if (!k)
			continue;
		char code[9];
		for (int b = 0; b < 8; b++)
			code[b] = (char)((k >> (8 * (7 - b))) & 0xff);
		code[8] = '\0';
		int rc = fn(ctx, code, s->slots[i].v);
		if (rc)
			return rc;
	}
	return 0;
}
