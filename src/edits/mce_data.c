/*
 * A definitions text gathered in memory (see mce_data.h): the reader's
 * callbacks append to growable arrays; the memberships are then sorted
 * so that chapter 2 can be checked against them and undone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/str.h"
#include "edits/mce_data.h"

/* Appends a member (code of list l, read at lineno) to *v; NULL when out
 * of memory. */
static struct mce_member *push(struct mce_member **v, size_t *cap, size_t *n, enum mce_list l,
			       const char *code, unsigned long lineno)
{
	struct mce_member *m = mrt_grow(*v, cap, *n + 1, sizeof *m, 1024);
	if (!m)
		return NULL;
	*v = m;
	struct mce_member *x = &m[(*n)++];
	memset(x, 0, sizeof *x);
	mrt_strlcpy(x->code, code, sizeof x->code);
	x->list = (uint8_t)l;
	x->lineno = lineno;
	return x;
}

static int on_member(void *ctx, enum mce_list l, const char *code, unsigned long lineno,
		     mrt_err *err)
{
	struct mce_data *d = ctx;
	if (!push(&d->m, &d->capm, &d->nm, l, code, lineno))
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	return 0;
}

static int on_change(void *ctx, enum mce_list l, const char *code, int added, unsigned long lineno,
		     mrt_err *err)
{
	struct mce_data *d = ctx;
	struct mce_member *x = push(&d->chg, &d->capchg, &d->nchg, l, code, lineno);
	if (!x)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	x->added = (int8_t)added;
	return 0;
}

static int on_status(void *ctx, const struct mce_defs_status *s, mrt_err *err)
{
	struct mce_data *d = ctx;
	struct mce_status_row *st = mrt_grow(d->st, &d->capst, d->nst + 1, sizeof *st, 1024);
	if (!st)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	d->st = st;
	struct mce_status_row *x = &st[d->nst++];
	memset(x, 0, sizeof *x);
	memcpy(x->status, s->status, 3);
	x->has_from = s->has_from;
	x->has_to = s->has_to;
	x->from = s->from;
	x->to = s->to;
	mrt_strlcpy(x->title, s->title, sizeof x->title);
	return 0;
}

static int cmp_member(const void *a, const void *b)
{
	const struct mce_member *x = a, *y = b;
	if (x->list != y->list)
		return x->list < y->list ? -1 : 1;
	return strcmp(x->code, y->code);
}

void mce_members_sort(struct mce_member *m, size_t *n)
{
	if (!*n)
		return;
	qsort(m, *n, sizeof *m, cmp_member);
	size_t k = 1;
	for (size_t i = 1; i < *n; i++)
		if (cmp_member(&m[i], &m[k - 1]) != 0)
			m[k++] = m[i];
	*n = k;
}

static int has(const struct mce_data *d, const struct mce_member *c)
{
	return d->nm && bsearch(c, d->m, d->nm, sizeof *d->m, cmp_member) != NULL;
}

int mce_data_read(struct mce_data *d, mrt_src *src, mrt_err *err)
{
	memset(d, 0, sizeof *d);
	static const struct mce_defs_cb cb = {on_member, on_status, on_change};
	int rc = mce_defs_read(src, &cb, d, &d->head, err);
	if (rc)
		return rc;
	mce_defs_dates(&d->head, &d->from, &d->to);
	mce_members_sort(d->m, &d->nm);
	for (size_t i = 0; i < d->nchg; i++) {
		const struct mce_member *c = &d->chg[i];
		if (has(d, c) != c->added)
			return mrt_err_set(err, MRT_EPARSE,
					   "%s:%lu: chapter 2 says %s was %s list %s, but "
					   "chapter 1 %s it",
					   mrt_src_name(src), c->lineno, c->code,
					   c->added ? "added to" : "removed from",
					   mce_list_name(c->list),
					   c->added ? "does not list" : "still lists");
	}
	return 0;
}

int mce_data_previous(const struct mce_data *d, struct mce_member **out, size_t *nout,
		      char *version, size_t vlen, mrt_day *from, mrt_day *to, int *ok, mrt_err *err)
{
	*out = NULL;
	*nout = 0;
	*ok = d->head.minor > 0;
	if (!*ok)
		return 0;
	size_t cap = d->nm + d->nchg + 1, n = 0;
	struct mce_member *v = malloc(cap * sizeof *v);
	if (!v)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	for (size_t i = 0; i < d->nm; i++) {
		int drop = 0;
		for (size_t j = 0; j < d->nchg && !drop; j++)
			drop = d->chg[j].added && cmp_member(&d->chg[j], &d->m[i]) == 0;
		if (!drop)
			v[n++] = d->m[i];
	}
	for (size_t j = 0; j < d->nchg; j++)
		if (!d->chg[j].added)
			v[n++] = d->chg[j];
	mce_members_sort(v, &n);
	snprintf(version, vlen, "%d.%d", d->head.major, d->head.minor - 1);
	int fy = d->head.month >= 10 ? d->head.year : d->head.year - 1;
	*from = mrt_date_from_ymd(fy, 10, 1);
	*to = d->from - 1;
	if (*from > *to) {
		free(v);
		*ok = 0;
		return 0;
	}
	*out = v;
	*nout = n;
	return 0;
}

void mce_data_free(struct mce_data *d)
{
	free(d->m);
	free(d->chg);
	free(d->st);
	memset(d, 0, sizeof *d);
}
