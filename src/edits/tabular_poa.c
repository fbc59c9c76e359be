/*
 * Present-on-admission rules (ICD-10-CM Official Guidelines, Appendix I,
 * and the CMS POA-exempt lists by fiscal year): every diagnosis of an
 * inpatient claim carries Y, N, U or W unless its code is on the exempt
 * list of the discharge date's fiscal year, where the indicator is left
 * blank (or reported as 1). A value outside Y, N, U, W, 1 and blank is
 * invalid. A claim that gives no indicator at all gets one finding, not
 * one per code. Also the loading of the lists (table poa_exempt_code).
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "edits/tabular_int.h"
#include "formats/cm_tabular.h"

static int cmp_key(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int has_table(mrt_db *db, int *yes, mrt_err *err)
{
	static const char sql[] =
	    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'poa_exempt_code'";
	mrt_stmt *s = mrt_db_stmt(db, sql, err);
	if (!s)
		return MRT_EDB;
	int rc = mrt_stmt_step(s, err);
	mrt_stmt_reset(s);
	*yes = rc == 1;
	return rc < 0 ? rc : 0;
}

static int add_code(tabular_tables *t, size_t *cap, int fy, const char *from, const char *to,
		    const char *code, mrt_err *err)
{
	struct tab_poa *p = t->npoa ? &t->poa[t->npoa - 1] : NULL;
	if (!p || p->fy != fy) {
		struct tab_poa *q = realloc(t->poa, (t->npoa + 1) * sizeof *q);
		if (!q)
			return mrt_err_set(err, MRT_ENOMEM, "POA-exempt lists: out of memory");
		t->poa = q;
		p = &t->poa[t->npoa++];
		memset(p, 0, sizeof *p);
		p->fy = fy;
		mrt_date_parse(&p->from, from);
		mrt_date_parse(&p->to, to);
		*cap = 0;
	}
	uint64_t *c = mrt_grow(p->codes, cap, p->n + 1, sizeof *c, 4096);
	if (!c)
		return mrt_err_set(err, MRT_ENOMEM, "POA-exempt lists: out of memory");
	p->codes = c;
	char u[16];
	if (cm_code_undot(u, sizeof u, code) > 0 && strlen(u) <= 7)
		p->codes[p->n++] = tab_key(u);
	return 0;
}

int tab_poa_load(mrt_db *db, tabular_tables *t, mrt_err *err)
{
	static const char sql[] =
	    "SELECT r.fiscal_year, r.effective_from, r.effective_to, c.code"
	    " FROM poa_exempt_code c JOIN poa_exempt_release r ON r.id = c.release_id"
	    " ORDER BY r.fiscal_year";
	int yes = 0, rc = has_table(db, &yes, err);
	if (rc || !yes)
		return rc;
	mrt_stmt *s = mrt_db_stmt(db, sql, err);
	if (!s)
		return MRT_EDB;
	size_t cap = 0;
	while ((rc = mrt_stmt_step(s, err)) == 1) {
		const char *from = mrt_stmt_text(s, 1), *to = mrt_stmt_text(s, 2);
		const char *code = mrt_stmt_text(s, 3);
		rc = add_code(t, &cap, (int)mrt_stmt_int(s, 0), from ? from : "", to ? to : "",
			      code ? code : "", err);
		if (rc)
			break;
	}
	mrt_stmt_reset(s);
	for (size_t i = 0; i < t->npoa; i++)
		if (t->poa[i].n)
			qsort(t->poa[i].codes, t->poa[i].n, sizeof t->poa[i].codes[0], cmp_key);
	return rc < 0 ? rc : 0;
}

/* The list of the day's fiscal year (October to September), else the
 * nearest year loaded. */
static const struct tab_poa *list_for(const tabular_tables *t, mrt_day day)
{
	if (!t || !t->npoa)
		return NULL;
	int y = 0, m = 0, d = 0, fy = 0;
	if (day) {
		mrt_date_to_ymd(day, &y, &m, &d);
		fy = m >= 10 ? y + 1 : y;
	}
	const struct tab_poa *best = &t->poa[t->npoa - 1];
	for (size_t i = 0; i < t->npoa; i++) {
		int dist = abs(t->poa[i].fy - fy), bd = abs(best->fy - fy);
		if (day && dist < bd)
			best = &t->poa[i];
	}
	return best;
}

static int exempt(const struct tab_poa *l, const struct tab_dx *d)
{
	return bsearch(&d->key, l->codes, l->n, sizeof l->codes[0], cmp_key) != NULL;
}

static int valid_poa(const char *p)
{
	return !p[0] || (!p[1] && strchr("YNUW1", p[0]));
}

static int reported(const char *p)
{
	return p[0] && !p[1] && strchr("YNUW", p[0]);
}

static void check_one(struct tab_claim *x, const struct tab_poa *l, const struct tab_dx *d, int ex,
		      int any)
{
	char a[TAB_DOT_MAX];
	tab_dot(a, d->code);
	if (!valid_poa(d->poa)) {
		tab_add(x, TAB_POA_INVALID, d, NULL, "", 0,
			"%s: POA indicator is not one of Y, N, U, W, 1 or blank "
			"(Official Guidelines, Appendix I)",
			a);
		return;
	}
	if (!l)
		return;
	if (ex && reported(d->poa))
		tab_add(x, TAB_POA_EXEMPT, d, NULL, "", 0,
			"%s is on the CMS POA-exempt list of FY%d: leave the indicator blank "
			"(or 1), not %s",
			a, l->fy, d->poa);
	else if (!ex && any && !reported(d->poa))
		tab_add(x, TAB_POA_MISSING, d, NULL, "", 0,
			"%s: POA indicator %s where one of Y, N, U or W is required (not on the "
			"CMS POA-exempt list of FY%d)",
			a, d->poa[0] ? "1 (exempt)" : "missing", l->fy);
}

void tab_check_poa(struct tab_claim *x)
{
	const struct tab_poa *l = list_for(x->t, x->c->discharge);
	int any = 0, need = 0;
	for (int i = 0; i < x->n; i++)
		any |= x->d[i].poa[0] != '\0';
	for (int i = 0; i < x->n; i++) {
		int ex = l && exempt(l, &x->d[i]);
		check_one(x, l, &x->d[i], ex, any);
		need += l && !ex;
	}
	if (any || !need)
		return;
	tab_add(x, TAB_POA_MISSING, NULL, NULL, "", 0,
		"no POA indicator on the claim: %d of its %d diagnoses need one (not on the CMS "
		"POA-exempt list of FY%d)",
		need, x->n, l->fy);
}
