/*
 * The Medicare Code Editor's one table of edits (CMS names, the edit's
 * number in the CMS definitions, a coder's message) and the one table of
 * edit families, and mce_check: find the release and code sets of the
 * claim's date, look each code up once, run every family, order the hits
 * by position. Nothing here allocates.
 */
#include <string.h>

#include "edits/mce_int.h"

const struct mce_edit_info mce_edit_info[MCE_EDIT_COUNT] = {
    [MCE_INVALID_CODE] = {"INVALID_CODE", "1", "code not valid on the discharge date", 1},
    [MCE_E_CODE_AS_PDX] = {"E_CODE_AS_PDX", "2", "external cause code as principal diagnosis", 1},
    [MCE_DUPLICATE_OF_PDX] = {"DUPLICATE_OF_PDX", "3", "secondary diagnosis repeats the principal",
			      1},
    [MCE_AGE_CONFLICT] = {"AGE_CONFLICT", "4", "diagnosis not possible at the patient's age", 1},
    [MCE_SEX_CONFLICT] = {"SEX_CONFLICT", "5", "code conflicts with the patient's sex", 0},
    [MCE_MANIFESTATION_AS_PDX] =
	{"MANIFESTATION_AS_PDX", "6",
	 "manifestation code as principal diagnosis: code the underlying disease first", 1},
    [MCE_NONSPECIFIC_PDX] = {"NONSPECIFIC_PDX", "7", "non-specific principal diagnosis", 0},
    [MCE_QUESTIONABLE_ADMISSION] = {"QUESTIONABLE_ADMISSION", "8A",
				    "principal diagnosis rarely justifies an inpatient admission",
				    1},
    [MCE_QUESTIONABLE_OBSTETRIC_ADMISSION] =
	{"QUESTIONABLE_OBSTETRIC_ADMISSION", "8B",
	 "delivery procedure without an outcome of delivery (Z37) code", 1},
    [MCE_UNACCEPTABLE_PDX] = {"UNACCEPTABLE_PDX", "9", "code not acceptable as principal diagnosis",
			      1},
    [MCE_REQUIRES_SDX] = {"REQUIRES_SDX", "9",
			  "principal diagnosis acceptable only with a secondary diagnosis", 1},
    [MCE_NONSPECIFIC_OR] = {"NONSPECIFIC_OR", "10", "non-specific O.R. procedure", 0},
    [MCE_NON_COVERED] = {"NON_COVERED", "11", "procedure not covered by Medicare in this case", 1},
    [MCE_OPEN_BIOPSY] = {"OPEN_BIOPSY", "12", "open biopsy check", 0},
    [MCE_BILATERAL] = {"BILATERAL", "13", "bilateral procedure", 0},
    [MCE_INVALID_AGE] = {"INVALID_AGE", "14", "age outside 0-124 years", 1},
    [MCE_INVALID_SEX] = {"INVALID_SEX", "15", "sex other than M, F or U", 1},
    [MCE_INVALID_DISCHARGE_STATUS] =
	{"INVALID_DISCHARGE_STATUS", "16",
	 "discharge status not a valid UB-04 value on the discharge date", 1},
    [MCE_LIMITED_COVERAGE] = {"LIMITED_COVERAGE", "17", "procedure with limited Medicare coverage",
			      1},
    [MCE_WRONG_PROCEDURE_PERFORMED] = {"WRONG_PROCEDURE_PERFORMED", "18",
				       "code reports a wrong procedure, patient or site", 1},
    [MCE_INCONSISTENT_WITH_LENGTH_OF_STAY] = {"INCONSISTENT_WITH_LENGTH_OF_STAY", "19",
					      "ventilation over 96 hours with a stay under 5 days",
					      1},
    [MCE_UNSPECIFIED] = {"UNSPECIFIED", "20", "unspecified laterality: a more specific code exists",
			 1},
    [MCE_INVALID_POA] = {"INVALID_POA", "", "present-on-admission indicator not valid", 0},
    [MCE_INVALID_ADMIT_DX] = {"INVALID_ADMIT_DX", "1",
			      "admitting diagnosis not valid on the discharge date", 1},
    [MCE_TYPE_OF_AGE_CONFLICT] = {"TYPE_OF_AGE_CONFLICT", "", "type of age conflict", 0},
    [MCE_MEDICARE_IS_SECONDARY_PAYER] = {"MEDICARE_IS_SECONDARY_PAYER", "",
					 "Medicare is the secondary payer", 0},
};

/* The one table of edit families, in the order they run. */
static const mce_family_fn families[] = {
    mce_family_code, mce_family_age,  mce_family_pdx,
    mce_family_dx,   mce_family_proc, mce_family_claim,
};

const char *mce_status_name(enum mce_status s)
{
	switch (s) {
	case MCE_STATUS_PREPAYMENT:
		return "PREPAYMENT";
	case MCE_STATUS_INVALID_DISCHARGE_DATE:
		return "INVALID_DISCHARGE_DATE";
	default:
		return "NONE";
	}
}

void mce_hit(struct mce_result *r, enum mce_edit edit, enum claim_where where, int pos)
{
	if (r->n >= MCE_MAX_HITS) {
		r->truncated = 1;
		return;
	}
	struct mce_hit *h = &r->hit[r->n++];
	h->edit = (uint8_t)edit;
	h->where = (uint8_t)where;
	h->pos = (uint8_t)pos;
}

static const struct mce_codeset *set_on(const struct mce_ctx *ctx, mrt_day day)
{
	for (size_t i = 0; i < ctx->nsets; i++)
		if (ctx->sets[i].from <= day && day <= ctx->sets[i].to)
			return &ctx->sets[i];
	return NULL;
}

/* Valid: billable in the code set; not checked (valid) without one. */
static uint8_t valid(const codes_lookup *l, const char *code)
{
	if (!l)
		return 1;
	const struct codes_entry *e = codes_lookup_find(l, code);
	return e && e->billable;
}

static void env_codes(struct mce_env *e)
{
	const struct claim *c = e->c;
	const codes_lookup *cm = e->set ? e->set->cm : NULL, *pcs = e->set ? e->set->pcs : NULL;
	e->pdx_valid = valid(cm, c->pdx.code);
	e->pdx_lists = e->dx_any = e->pdx_valid ? mce_rel_lists(e->rel, c->pdx.code) : 0;
	e->sdx_any = 0;
	e->admit_valid = c->has_admit_dx ? valid(cm, c->admit_dx.code) : 1;
	e->admit_lists =
	    c->has_admit_dx && e->admit_valid ? mce_rel_lists(e->rel, c->admit_dx.code) : 0;
	for (int i = 0; i < c->nsdx; i++) {
		e->sdx_valid[i] = valid(cm, c->sdx[i].code);
		e->sdx_lists[i] = e->sdx_valid[i] ? mce_rel_lists(e->rel, c->sdx[i].code) : 0;
		e->sdx_any |= e->sdx_lists[i];
		e->dx_any |= e->sdx_lists[i];
	}
	e->proc_any = 0;
	for (int i = 0; i < c->nproc; i++) {
		e->proc_valid[i] = valid(pcs, c->proc[i].code);
		e->proc_lists[i] = e->proc_valid[i] ? mce_rel_lists(e->rel, c->proc[i].code) : 0;
		e->proc_any |= e->proc_lists[i];
	}
}

static int rank(const struct mce_hit *h)
{
	static const int where_rank[] = {[CLAIM_AT_PDX] = 0,
					 [CLAIM_AT_ADMIT] = 1,
					 [CLAIM_AT_SDX] = 2,
					 [CLAIM_AT_PROC] = 3,
					 [CLAIM_AT_CLAIM] = 4};
	return (where_rank[h->where] << 16) | (h->pos << 8) | h->edit;
}

/* Insertion sort: a claim has few hits. */
static void order_hits(struct mce_result *r)
{
	for (int i = 1; i < r->n; i++) {
		struct mce_hit h = r->hit[i];
		int k = rank(&h), j = i - 1;
		while (j >= 0 && rank(&r->hit[j]) > k) {
			r->hit[j + 1] = r->hit[j];
			j--;
		}
		r->hit[j + 1] = h;
	}
}

void mce_check(const struct mce_ctx *ctx, const struct claim *c, struct mce_result *out)
{
	struct mce_env e;
	out->status = MCE_STATUS_NONE;
	out->before_first = out->no_codeset = out->n = out->truncated = 0;
	out->rel = NULL;
	out->set = NULL;
	e.c = c;
	if (ctx->forced) {
		e.rel = ctx->forced;
		e.day = mce_rel_from(e.rel);
	} else {
		e.rel = c->discharge && ctx->tables
			    ? mce_tables_on(ctx->tables, c->discharge, &out->before_first)
			    : NULL;
		e.day = c->discharge;
	}
	if (!e.rel) {
		out->status = MCE_STATUS_INVALID_DISCHARGE_DATE;
		out->before_first = 0;
		return;
	}
	e.set = set_on(ctx, e.day);
	out->rel = e.rel;
	out->set = e.set;
	out->no_codeset = !e.set;
	env_codes(&e);
	for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
		families[i](&e, out);
	order_hits(out);
	if (out->n)
		out->status = MCE_STATUS_PREPAYMENT;
}
