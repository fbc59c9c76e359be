/*
 * The code editor's context and `mrt edits check` (edits_svc.h): every
 * ICD-10-CM and ICD-10-PCS release as an in-memory lookup, cut into date
 * ranges that each have one CM and one PCS release; the MCE releases; the
 * tabular notes. Loaded once, read-only after. Claims from a file carry no
 * stored patient data, but reading them is still a use of the editor by a
 * session: the roles that code or review claims may run it, and each run
 * is one audit event with its counts (never a claim's content).
 */
#include "service/edits_svc.h"

#include <stdlib.h>
#include <string.h>

#include "codes/release.h"
#include "edits/mce_int.h"
#include "privacy/roles.h"
#include "service/edits_svc_int.h"

static void free_lookups(struct edits_ctx *x)
{
	for (size_t i = 0; i < x->nrel; i++)
		codes_lookup_free(x->lookups[i]);
	free(x->lookups);
	free(x->rels);
	x->lookups = NULL;
	x->rels = NULL;
}

void edits_ctx_free(struct edits_ctx *x)
{
	if (!x)
		return;
	free_lookups(x);
	free(x->sets);
	mce_tables_free(x->mce);
	tabular_tables_free(x->tab);
	free(x);
}

/* The lookup of system's release in effect on day (NULL when none). */
static const struct codes_release *rel_on(const struct edits_ctx *x, const char *system,
					  mrt_day day, const codes_lookup **l)
{
	for (size_t i = 0; i < x->nrel; i++) {
		const struct codes_release *r = &x->rels[i];
		mrt_day from, to;
		if (strcmp(r->system, system) || mrt_date_parse(&from, r->effective_from) ||
		    mrt_date_parse(&to, r->effective_to) || day < from || day > to)
			continue;
		*l = x->lookups[i];
		return r;
	}
	*l = NULL;
	return NULL;
}

static void set_fill(const struct edits_ctx *x, struct mce_codeset *s)
{
	const struct codes_release *r = rel_on(x, CODES_SYS_CM, s->from, &s->cm);
	s->cm_release_id = r ? r->id : 0;
	mrt_strlcpy(s->cm_version, r ? r->version : "", sizeof s->cm_version);
	r = rel_on(x, CODES_SYS_PCS, s->from, &s->pcs);
	s->pcs_release_id = r ? r->id : 0;
	mrt_strlcpy(s->pcs_version, r ? r->version : "", sizeof s->pcs_version);
}

static int day_cmp(const void *a, const void *b)
{
	mrt_day x = *(const mrt_day *)a, y = *(const mrt_day *)b;
	return (x > y) - (x < y);
}

/* The date ranges of the code sets: cut at every release's first day and
 * after every last day; ranges with neither system are dropped. */
static int build_sets(struct edits_ctx *x, mrt_err *err)
{
	mrt_day *cut = calloc(2 * x->nrel + 1, sizeof *cut);
	x->sets = calloc(2 * x->nrel + 1, sizeof *x->sets);
	if (!cut || !x->sets) {
		free(cut);
		return mrt_err_set(err, MRT_ENOMEM, "edits: out of memory");
	}
	size_t n = 0;
	for (size_t i = 0; i < x->nrel; i++) {
		mrt_day f, t;
		if (mrt_date_parse(&f, x->rels[i].effective_from) ||
		    mrt_date_parse(&t, x->rels[i].effective_to))
			continue;
		cut[n++] = f;
		cut[n++] = t + 1;
	}
	if (n)
		qsort(cut, n, sizeof *cut, day_cmp);
	for (size_t i = 0; i + 1 < n; i++) {
		if (cut[i] == cut[i + 1])
			continue;
		struct mce_codeset *s = &x->sets[x->nsets];
		s->from = cut[i];
		s->to = cut[i + 1] - 1;
		set_fill(x, s);
		if (s->cm || s->pcs)
			x->nsets++;
	}
	free(cut);
	return 0;
}

static int load_codesets(mrt_db *db, struct edits_ctx *x, mrt_err *err)
{
	int rc = codes_release_list(db, &x->rels, &x->nrel, err);
	if (rc)
		return rc;
	x->lookups = calloc(x->nrel + 1, sizeof *x->lookups);
	if (!x->lookups)
		return mrt_err_set(err, MRT_ENOMEM, "edits: out of memory");
	for (size_t i = 0; i < x->nrel && !rc; i++)
		if (codes_system_valid(x->rels[i].system))
			rc = codes_lookup_load(db, x->rels[i].id, &x->lookups[i], err);
	return rc ? rc : build_sets(x, err);
}

int edits_ctx_load(mrt_db *db, const char *release, struct edits_ctx **out, mrt_err *err)
{
	*out = NULL;
	struct edits_ctx *x = calloc(1, sizeof *x);
	if (!x)
		return mrt_err_set(err, MRT_ENOMEM, "edits: out of memory");
	int rc = load_codesets(db, x, err);
	if (!rc)
		rc = mce_tables_load(db, &x->mce, err);
	if (!rc)
		rc = tabular_tables_load(db, &x->tab, err);
	if (!rc && release) {
		x->m.forced = mce_tables_find(x->mce, release);
		if (!x->m.forced)
			rc = mrt_err_set(err, MRT_ENOTFOUND,
					 "edits: no MCE release %s loaded (mrt codes load)",
					 release);
	}
	if (!rc && !mce_tables_count(x->mce))
		rc = mrt_err_set(err, MRT_ENOTFOUND,
				 "edits: no MCE definitions loaded (mrt codes load --all)");
	if (rc) {
		edits_ctx_free(x);
		return rc;
	}
	x->m.tables = x->mce;
	x->m.sets = x->sets;
	x->m.nsets = x->nsets;
	*out = x;
	return 0;
}

const struct mce_ctx *edits_ctx_mce(const struct edits_ctx *x)
{
	return &x->m;
}

const tabular_tables *edits_ctx_tabular(const struct edits_ctx *x)
{
	return x->tab;
}

void edits_ctx_check(const struct edits_ctx *x, const struct claim *c, struct mce_result *mr,
		     struct tab_result *tr)
{
	mce_check(&x->m, c, mr);
	if (!tr)
		return;
	tr->n = tr->truncated = 0;
	const struct mce_codeset *set = mr->set;
	for (size_t i = 0; !set && i < x->nsets; i++)
		if (x->sets[i].from <= c->discharge && c->discharge <= x->sets[i].to)
			set = &x->sets[i];
	if (x->tab)
		tabular_check(x->tab, set ? set->cm : NULL, c, tr);
}
