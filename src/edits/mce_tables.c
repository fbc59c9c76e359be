/*
 * The MCE code lists in memory (the mce_tables half of mce.h): per release
 * an open-addressing hash from the packed code (8 bytes, as in
 * codes/lookup.c) to the bits of the lists it is on, and its discharge
 * statuses indexed by their two digits. Loaded once from the database (or
 * built from a definitions text, for tests); lookups allocate nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/str.h"
#include "codes/code_key.h"
#include "edits/mce.h"
#include "edits/mce_data.h"
#include "edits/mce_tables.h"

static const char *const list_names[ML_COUNT] = {
    "4A",
    "4B",
    "4C",
    "4D",
    "5-female",
    "5-male",
    "6",
    "8A",
    "8B-cesarean",
    "8B-vaginal",
    "8B-outcome",
    "9",
    "9-requires-sdx",
    "11A",
    "11B-pancreas",
    "11B-kidney",
    "11B-dx",
    "11D-proc",
    "11D-dx",
    "11F",
    "11G-proc",
    "11G-dx",
    "17A",
    "18",
    "19",
    "20",
};

const char *mce_list_name(enum mce_list l)
{
	return (unsigned)l < ML_COUNT ? list_names[l] : "?";
}

int mce_list_parse(const char *name, enum mce_list *out)
{
	for (int i = 0; i < ML_COUNT; i++)
		if (strcmp(name, list_names[i]) == 0) {
			*out = (enum mce_list)i;
			return 0;
		}
	return MRT_ENOTFOUND;
}

struct mslot {
	uint64_t key; /* 0 = empty */
	uint32_t bits;
};

struct mce_rel {
	char version[32];
	mrt_day from, to;
	struct mslot *slots;
	size_t mask, n;
	struct mce_status_row *st; /* sorted by status */
	size_t nst;
	int16_t first[100]; /* index of a status's first row, -1 = none */
};

struct mce_tables {
	mce_rel *r; /* ordered by from */
	size_t n, cap;
};

static int rel_put(mce_rel *r, const char *code, enum mce_list l)
{
	uint64_t k = codes_key_pack(code);
	if (!k)
		return MRT_EINVAL;
	if ((r->n + 1) * 2 > r->mask + 1 || !r->slots) {
		size_t cap = r->slots ? (r->mask + 1) * 2 : 4096;
		struct mslot *s = calloc(cap, sizeof *s);
		if (!s)
			return MRT_ENOMEM;
		for (size_t i = 0; r->slots && i <= r->mask; i++) {
			if (!r->slots[i].key)
				continue;
			size_t j = codes_key_mix(r->slots[i].key) & (cap - 1);
			while (s[j].key)
				j = (j + 1) & (cap - 1);
			s[j] = r->slots[i];
		}
		free(r->slots);
		r->slots = s;
		r->mask = cap - 1;
	}
	size_t j = codes_key_mix(k) & r->mask;
	while (r->slots[j].key && r->slots[j].key != k)
		j = (j + 1) & r->mask;
	if (!r->slots[j].key) {
		r->slots[j].key = k;
		r->n++;
	}
	r->slots[j].bits |= ML_BIT(l);
	return 0;
}

uint32_t mce_rel_lists(const mce_rel *r, const char *code)
{
	uint64_t k = codes_key_pack(code);
	if (!k || !r->slots)
		return 0;
	size_t j = codes_key_mix(k) & r->mask;
	for (;;) {
		const struct mslot *s = &r->slots[j];
		if (s->key == k)
			return s->bits;
		if (!s->key)
			return 0;
		j = (j + 1) & r->mask;
	}
}

static int cmp_status(const void *a, const void *b)
{
	return strcmp(((const struct mce_status_row *)a)->status,
		      ((const struct mce_status_row *)b)->status);
}

static void index_status(mce_rel *r)
{
	if (r->nst)
		qsort(r->st, r->nst, sizeof *r->st, cmp_status);
	for (int i = 0; i < 100; i++)
		r->first[i] = -1;
	for (size_t i = r->nst; i-- > 0;) {
		const char *s = r->st[i].status;
		if (s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && !s[2])
			r->first[(s[0] - '0') * 10 + (s[1] - '0')] = (int16_t)i;
	}
}

int mce_rel_status_valid(const mce_rel *r, const char *status, mrt_day day)
{
	if (!status || status[0] < '0' || status[0] > '9' || status[1] < '0' || status[1] > '9' ||
	    status[2])
		return 0;
	int i = r->first[(status[0] - '0') * 10 + (status[1] - '0')];
	if (i < 0)
		return 0;
	for (size_t j = (size_t)i; j < r->nst && strcmp(r->st[j].status, status) == 0; j++) {
		const struct mce_status_row *s = &r->st[j];
		if ((!s->has_from || day >= s->from) && (!s->has_to || day <= s->to))
			return 1;
	}
	return 0;
}

const char *mce_rel_version(const mce_rel *r)
{
	return r->version;
}
mrt_day mce_rel_from(const mce_rel *r)
{
	return r->from;
}
mrt_day mce_rel_to(const mce_rel *r)
{
	return r->to;
}

size_t mce_tables_count(const mce_tables *t)
{
	return t ? t->n : 0;
}

const mce_rel *mce_tables_at(const mce_tables *t, size_t i)
{
	return t && i < t->n ? &t->r[i] : NULL;
}

const mce_rel *mce_tables_find(const mce_tables *t, const char *version)
{
	for (size_t i = 0; t && i < t->n; i++)
		if (strcmp(t->r[i].version, version) == 0)
			return &t->r[i];
	return NULL;
}

const mce_rel *mce_tables_on(const mce_tables *t, mrt_day day, int *before_first)
{
	if (before_first)
		*before_first = 0;
	if (!t || !t->n)
		return NULL;
	if (day < t->r[0].from) {
		if (before_first)
			*before_first = 1;
		return &t->r[0];
	}
	mrt_day last = t->r[0].to;
	for (size_t i = 1; i < t->n; i++)
		last = t->r[i].to > last ? t->r[i].to : last;
	if (day > last)
		return NULL;
	/* The newest release that has started and covers the day; in a gap
	 * between releases, the one before it. */
	for (size_t i = t->n; i-- > 0;)
		if (day >= t->r[i].from && day <= t->r[i].to)
			return &t->r[i];
	for (size_t i = t->n; i-- > 0;)
		if (day >= t->r[i].from)
			return &t->r[i];
	return NULL;
}

void mce_tables_free(mce_tables *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		free(t->r[i].slots);
		free(t->r[i].st);
	}
	free(t->r);
	free(t);
}

mce_rel *mce_tables_add(mce_tables *t, const char *version, mrt_day from, mrt_day to)
{
	mce_rel *p = mrt_grow(t->r, &t->cap, t->n + 1, sizeof *p, 8);
	if (!p)
		return NULL;
	t->r = p;
	size_t at = t->n;
	while (at > 0 && t->r[at - 1].from > from)
		at--;
	memmove(&t->r[at + 1], &t->r[at], (t->n - at) * sizeof *t->r);
	t->n++;
	mce_rel *r = &t->r[at];
	memset(r, 0, sizeof *r);
	mrt_strlcpy(r->version, version, sizeof r->version);
	r->from = from;
	r->to = to;
	for (int i = 0; i < 100; i++)
		r->first[i] = -1;
	return r;
}

int mce_rel_add_code(mce_rel *r, enum mce_list l, const char *code)
{
	return rel_put(r, code, l);
}

int mce_rel_set_statuses(mce_rel *r, const struct mce_status_row *st, size_t n)
{
	free(r->st);
	r->st = NULL;
	r->nst = 0;
	if (n) {
		r->st = malloc(n * sizeof *st);
		if (!r->st)
			return MRT_ENOMEM;
		memcpy(r->st, st, n * sizeof *st);
		r->nst = n;
	}
	index_status(r);
	return 0;
}

mce_tables *mce_tables_new(void)
{
	return calloc(1, sizeof(mce_tables));
}
