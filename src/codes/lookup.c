/*
 * In-memory code index (see lookup.h). Slots hold the packed key next to
 * the entry index, so a hit costs one cache line; titles live in one blob.
 */
#include <stdlib.h>
#include <string.h>

#include "codes/code_key.h"
#include "codes/lookup.h"

struct slot {
	uint64_t key; /* 0 = empty */
	uint32_t idx;
};

struct codes_lookup {
	struct codes_entry *e;
	size_t n, ecap;
	char *blob;
	size_t blen, bcap;
	struct slot *slots;
	size_t mask;
};

void codes_lookup_code(const struct codes_entry *e, char out[8])
{
	size_t n = 0;
	for (int b = 0; b < 7; b++) {
		char c = (char)((e->key >> (8 * (7 - b))) & 0xff);
		if (!c)
			break;
		out[n++] = c;
	}
	out[n] = '\0';
}

static int add_title(codes_lookup *l, const char *s, uint32_t *off)
{
	size_t n = strlen(s) + 1;
	if (l->blen + n > l->bcap) {
		size_t cap = l->bcap ? l->bcap * 2 : 1 << 20;
		while (cap < l->blen + n)
			cap *= 2;
		if (cap > UINT32_MAX)
			return MRT_ENOMEM;
		char *p = realloc(l->blob, cap);
		if (!p)
			return MRT_ENOMEM;
		l->blob = p;
		l->bcap = cap;
	}
	memcpy(l->blob + l->blen, s, n);
	*off = (uint32_t)l->blen;
	l->blen += n;
	return 0;
}

static int add_entry(codes_lookup *l, const char *code, int billable, const char *st, const char *lt)
{
	if (l->n == l->ecap) {
		size_t cap = l->ecap ? l->ecap * 2 : 4096;
		struct codes_entry *p = realloc(l->e, cap * sizeof *p);
		if (!p)
			return MRT_ENOMEM;
		l->e = p;
		l->ecap = cap;
	}
	struct codes_entry *e = &l->e[l->n];
	memset(e, 0, sizeof *e);
	e->key = codes_key_pack(code);
	e->billable = (uint8_t)(billable != 0);
	e->parent = UINT32_MAX;
	if (!e->key || strlen(code) > 7 || add_title(l, st, &e->short_off) != 0)
		return MRT_ENOMEM;
	if (st == lt || strcmp(st, lt) == 0)
		e->long_off = e->short_off;
	else if (add_title(l, lt, &e->long_off) != 0)
		return MRT_ENOMEM;
	l->n++;
	return 0;
}

static const struct codes_entry *find_key(const codes_lookup *l, uint64_t k)
{
	size_t j = codes_key_mix(k) & l->mask;
	for (;;) {
		const struct slot *s = &l->slots[j];
		if (s->key == k)
			return &l->e[s->idx];
		if (!s->key)
			return NULL;
		j = (j + 1) & l->mask;
	}
}

/* Fills the slots and links each entry to its longest shorter code. */
static int finish(codes_lookup *l)
{
	size_t cap = 16;
	while (cap < l->n * 2)
		cap *= 2;
	l->slots = calloc(cap, sizeof *l->slots);
	if (!l->slots)
		return MRT_ENOMEM;
	l->mask = cap - 1;
	for (size_t i = 0; i < l->n; i++) {
		size_t j = codes_key_mix(l->e[i].key) & l->mask;
		while (l->slots[j].key && l->slots[j].key != l->e[i].key)
			j = (j + 1) & l->mask;
		if (l->slots[j].key)
			return MRT_EEXIST;
		l->slots[j].key = l->e[i].key;
		l->slots[j].idx = (uint32_t)i;
	}
	for (size_t i = 0; i < l->n; i++) {
		char code[9] = { 0 }; /* codes_key_pack may look at a 9th byte */
		codes_lookup_code(&l->e[i], code);
		for (size_t k = strlen(code) - 1; k >= 3; k--) {
			code[k] = '\0';
			const struct codes_entry *p = find_key(l, codes_key_pack(code));
			if (p) {
				l->e[i].parent = (uint32_t)(p - l->e);
				break;
			}
		}
	}
	return 0;
}

static int fail(codes_lookup *l, int rc, mrt_err *err)
{
	codes_lookup_free(l);
	if (rc == MRT_EEXIST)
		return mrt_err_set(err, rc, "duplicate code in the index input");
	return rc == MRT_ENOMEM ? mrt_err_set(err, rc, "out of memory building the code index") : rc;
}

int codes_lookup_build(codes_lookup **out, const char *const *codes, const int *billable,
                       const char *const *titles, size_t n, mrt_err *err)
{
	*out = NULL;
	codes_lookup *l = calloc(1, sizeof *l);
	if (!l)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		int rc = add_entry(l, codes[i], billable[i], titles[i], titles[i]);
		if (rc)
			return fail(l, rc, err);
	}
	int rc = finish(l);
	if (rc)
		return fail(l, rc, err);
	*out = l;
	return 0;
}

int codes_lookup_load(mrt_db *db, int64_t release_id, codes_lookup **out, mrt_err *err)
{
	static const char sql[] =
		"SELECT code, billable, short_title, long_title FROM code WHERE release_id = ?";
	*out = NULL;
	codes_lookup *l = calloc(1, sizeof *l);
	if (!l)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	mrt_stmt *s = mrt_db_stmt(db, sql, err);
	if (!s)
		return fail(l, MRT_EDB, err);
	mrt_stmt_bind_int(s, 1, release_id);
	int rc;
	while ((rc = mrt_stmt_step(s, err)) == 1) {
		if ((rc = add_entry(l, mrt_stmt_text(s, 0), (int)mrt_stmt_int(s, 1), mrt_stmt_text(s, 2),
		                    mrt_stmt_text(s, 3))) != 0)
			break;
	}
	mrt_stmt_reset(s);
	if (rc == 0)
		rc = finish(l);
	if (rc)
		return fail(l, rc, err);
	*out = l;
	return 0;
}

void codes_lookup_free(codes_lookup *l)
{
	if (!l)
		return;
	free(l->e);
	free(l->blob);
	free(l->slots);
	free(l);
}

const struct codes_entry *codes_lookup_find(const codes_lookup *l, const char *code)
{
	uint64_t k = codes_key_pack(code); /* 8 characters: a key no entry has */
	return k ? find_key(l, k) : NULL;
}

size_t codes_lookup_count(const codes_lookup *l) { return l->n; }

size_t codes_lookup_bytes(const codes_lookup *l)
{
	return sizeof *l + l->ecap * sizeof *l->e + l->bcap + (l->mask + 1) * sizeof *l->slots;
}

const char *codes_lookup_short_title(const codes_lookup *l, const struct codes_entry *e)
{
	return l->blob + e->short_off;
}

const char *codes_lookup_long_title(const codes_lookup *l, const struct codes_entry *e)
{
	return l->blob + e->long_off;
}

const struct codes_entry *codes_lookup_parent(const codes_lookup *l, const struct codes_entry *e)
{
	return e->parent == UINT32_MAX ? NULL : &l->e[e->parent];
}
