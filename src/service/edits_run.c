/*
 * `mrt edits run` (edits_svc_run): the code editor over stored encounters.
 * It selects finished encounters with a coding (one account, discharge
 * dates, or all), decides access to each before reading anything (a
 * hidden or denied encounter is skipped and counted, never read), builds
 * each one's claim from its current coding (edits_claim.c), edits it, and
 * keeps the findings and the coder's work items (edits_store.c) - all in
 * one transaction with an audit event per encounter read and one for the
 * run (counts only).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/str.h"
#include "chart/chart.h"
#include "service/access_svc.h"
#include "service/edits_claim.h"
#include "service/edits_store.h"
#include "service/edits_svc.h"
#include "service/svc_util.h"

#define MAX_FOUND (MCE_MAX_HITS + TAB_MAX_FINDINGS + 4)

struct enc_ref {
	int64_t id, patient;
	int allowed;
	struct access_decision d;
};

struct run {
	mrt_session *s;
	struct edits_ctx *x;
	struct edits_store_run st;
	struct edits_store_counts n;
	long no_coding, no_pdx, outside;
	struct claim c;
	struct mce_result mr;
	struct tab_result tr;
	struct edits_found found[MAX_FOUND];
	int nfound;
};

static const char all_sql[] =
    "SELECT e.id, e.patient_id FROM encounter e WHERE e.status = 'finished'"
    " AND EXISTS (SELECT 1 FROM coding c WHERE c.encounter_id = e.id AND c.superseded_by IS NULL)"
    " AND (?1 IS NULL OR substr(e.discharge_at, 1, 10) >= ?1)"
    " AND (?2 IS NULL OR substr(e.discharge_at, 1, 10) <= ?2)"
    " AND (?1 IS NULL AND ?2 IS NULL OR e.discharge_at IS NOT NULL) ORDER BY e.id";

static int check_opts(const struct edits_run_opts *o, mrt_err *err)
{
	mrt_day f = 0, t = 0;
	if (o->account && (o->from || o->to))
		return mrt_err_set(err, MRT_EINVAL, "give --account or --from/--to, not both");
	if (o->from && mrt_date_parse(&f, o->from) != 0)
		return mrt_err_set(err, MRT_EINVAL, "--from: not a date (YYYY-MM-DD)");
	if (o->to && mrt_date_parse(&t, o->to) != 0)
		return mrt_err_set(err, MRT_EINVAL, "--to: not a date (YYYY-MM-DD)");
	if (o->from && o->to && t < f)
		return mrt_err_set(err, MRT_EINVAL, "--to is before --from");
	return 0;
}

static int add_ref(struct enc_ref **v, size_t *n, size_t *cap, int64_t id, int64_t patient,
		   mrt_err *err)
{
	struct enc_ref *nv = mrt_grow(*v, cap, *n + 1, sizeof *nv, 64);
	if (!nv)
		return mrt_err_set(err, MRT_ENOMEM, "edits run: out of memory");
	*v = nv;
	(*v)[(*n)++] = (struct enc_ref){.id = id, .patient = patient};
	return 0;
}

/* The encounters to edit, each with its access decision. */
static int select_encounters(mrt_session *s, const struct edits_run_opts *o, struct enc_ref **v,
			     size_t *n, mrt_err *err)
{
	size_t cap = 0;
	int64_t id, patient;
	int rc = 0;
	*v = NULL;
	*n = 0;
	if (o->account) {
		rc = chart_encounter_by_account(mrt_session_db(s), o->account, &id, &patient, err);
		if (rc == 0)
			rc = add_ref(v, n, &cap, id, patient, err);
	} else {
		mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), all_sql, err);
		if (!st)
			return err->code;
		mrt_stmt_bind_text(st, 1, o->from);
		mrt_stmt_bind_text(st, 2, o->to);
		while ((rc = mrt_stmt_step(st, err)) == 1)
			if ((rc = add_ref(v, n, &cap, mrt_stmt_int(st, 0), mrt_stmt_int(st, 1),
					  err)) != 0)
				break;
		mrt_stmt_reset(st);
		rc = rc < 0 ? rc : 0;
	}
	for (size_t i = 0; rc == 0 && i < *n; i++) {
		struct enc_ref *e = &(*v)[i];
		struct access_target t = {.action = "edits.run",
					  .patient_id = e->patient,
					  .object_type = "encounter",
					  .object_id = e->id};
		rc = access_svc_decide(s, ACCESS_CHART_CODE, &t, &e->d, err);
		e->allowed = e->d.result == ACCESS_ALLOW;
	}
	return rc;
}

static void put_code(char out[CLAIM_CODE_MAX], const char *code)
{
	mrt_strlcpy(out, code ? code : "", CLAIM_CODE_MAX);
}

/* The MCE edits of the claim as findings. With no birth date recorded the
 * age is unknown: INVALID_AGE says so, and the age-list conflicts, which
 * would only repeat it, are left out. */
static void mce_found(struct run *r)
{
	for (int i = 0; i < r->mr.n; i++) {
		const struct mce_hit *h = &r->mr.hit[i];
		const struct mce_edit_info *in = &mce_edit_info[h->edit];
		if (r->c.age < 0 && h->edit == MCE_AGE_CONFLICT)
			continue;
		struct edits_found f = {.kind = "mce", .rule = in->name, .severity = "error"};
		put_code(f.code, claim_code_at(&r->c, h->where, h->pos));
		mrt_strlcpy(f.message,
			    r->c.age < 0 && h->edit == MCE_INVALID_AGE
				? "no birth date recorded: the claim has no valid age"
				: in->message,
			    sizeof f.message);
		mrt_strlcpy(f.source, in->source, sizeof f.source);
		edits_found_add(r->found, &r->nfound, MAX_FOUND, &f);
	}
}

static void tab_found(struct run *r)
{
	for (int i = 0; i < r->tr.n; i++) {
		const struct tab_finding *t = &r->tr.f[i];
		struct edits_found f = {.kind = "tabular",
					.rule = tab_rule_info[t->rule].name,
					.severity = tab_severity_name(t->severity),
					.source_release_id = t->note_release_id};
		put_code(f.code, claim_code_at(&r->c, t->where, t->pos));
		if (t->where2 != CLAIM_AT_CLAIM)
			put_code(f.code2, claim_code_at(&r->c, t->where2, t->pos2));
		mrt_strlcpy(f.message, t->message, sizeof f.message);
		mrt_strlcpy(f.source, t->note_code, sizeof f.source);
		edits_found_add(r->found, &r->nfound, MAX_FOUND, &f);
	}
}

/* n codes (what) past the max a claim holds, said rather than cut
 * silently. */
static void over(struct run *r, const char *rule, int n, const char *what, int max)
{
	struct edits_found f = {.kind = "claim", .severity = "warning", .rule = rule};
	if (!n)
		return;
	snprintf(f.message, sizeof f.message, "%d %s past the %d a claim holds were not edited", n,
		 what, max);
	edits_found_add(r->found, &r->nfound, MAX_FOUND, &f);
}

/* What did not fit on the claim. */
static void claim_found(struct run *r, const struct edits_claim_info *in)
{
	over(r, "TOO_MANY_DIAGNOSES", in->over_sdx, "secondary diagnoses", CLAIM_MAX_SDX);
	over(r, "TOO_MANY_PROCEDURES", in->over_proc, "procedures", CLAIM_MAX_PROC);
}

static int audit_enc(struct run *r, const struct enc_ref *e, const char *what, mrt_err *err)
{
	char detail[128];
	snprintf(detail, sizeof detail, "edit run %" PRId64 ": %s", r->st.id, what);
	return svc_audit(r->s, "edits.run", "encounter", e->id, e->patient, access_outcome(&e->d),
			 detail, err);
}

static int edit_one(struct run *r, const struct enc_ref *e, mrt_err *err)
{
	struct edits_claim_info in;
	r->mr.status = MCE_STATUS_NONE;
	int rc = edits_claim_load(mrt_session_db(r->s), e->id, &r->c, &in, err);
	if (rc)
		return rc;
	const char *why = !in.coding_id	      ? "no coding"
			  : !r->c.pdx.code[0] ? "no ICD-10-CM principal "
						"diagnosis"
			  : !r->c.discharge   ? "no discharge date"
					      : NULL;
	if (!why) {
		edits_ctx_check(r->x, &r->c, &r->mr, &r->tr);
		if (r->mr.status == MCE_STATUS_INVALID_DISCHARGE_DATE)
			why = "discharge date after the newest MCE release";
	}
	if (why) {
		r->n.skipped_other++;
		r->no_coding += !in.coding_id;
		r->no_pdx += in.coding_id && !r->c.pdx.code[0];
		r->outside += r->mr.status == MCE_STATUS_INVALID_DISCHARGE_DATE;
		return audit_enc(r, e, why, err);
	}
	r->nfound = 0;
	mce_found(r);
	tab_found(r);
	claim_found(r, &in);
	const char *rel = r->mr.rel ? mce_rel_version(r->mr.rel) : NULL;
	rc = edits_store_encounter(r->s, &r->st, e->id, e->patient, in.coding_id, rel, r->found,
				   r->nfound, err);
	char what[48];
	snprintf(what, sizeof what, "%d findings", r->nfound);
	if (rc == 0)
		rc = audit_enc(r, e, what, err);
	r->n.edited += rc == 0;
	return rc;
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* by_rule as an array ordered by kind and rule. */
static json_t *rules_json(json_t *by_rule)
{
	size_t n = json_object_size(by_rule), i = 0;
	const char **keys = calloc(n + 1, sizeof *keys);
	json_t *arr = json_array();
	if (!keys || !arr) {
		free(keys);
		json_decref(arr);
		return NULL;
	}
	for (void *it = json_object_iter(by_rule); it && i < n;
	     it = json_object_iter_next(by_rule, it))
		keys[i++] = json_object_iter_key(it);
	if (n)
		qsort(keys, n, sizeof *keys, cmp_key);
	for (i = 0; i < n; i++)
		json_array_append(arr, json_object_get(by_rule, keys[i]));
	free(keys);
	return arr;
}

static json_t *summary_json(const struct run *r, const struct edits_run_opts *o)
{
	const struct edits_tally *t = &r->st.t;
	return json_pack("{s:I, s:s?, s:{s:i, s:i, s:i, s:i, s:i, s:i, s:i}, s:{s:i, s:i, s:i},"
			 " s:{s:i, s:i, s:i}, s:o?}",
			 "run", (json_int_t)r->st.id, "release", o->release, "encounters",
			 "selected", (int)r->n.selected, "edited", (int)r->n.edited,
			 "skipped_access", (int)r->n.skipped_access, "skipped_other",
			 (int)r->n.skipped_other, "no_coding", (int)r->no_coding, "no_principal",
			 (int)r->no_pdx, "outside_releases", (int)r->outside, "findings", "new",
			 (int)t->new_, "still_open", (int)t->still_open, "closed", (int)t->closed,
			 "work_items", "opened", (int)t->items_opened, "closed",
			 (int)t->items_closed, "kept_open", (int)t->items_kept_open, "by_rule",
			 rules_json(r->st.by_rule));
}

static int audit_run(struct run *r, mrt_err *err)
{
	char detail[200];
	snprintf(detail, sizeof detail,
		 "%ld selected, %ld edited, %ld skipped (access), %ld skipped "
		 "(other); findings %ld new, %ld still open, %ld closed",
		 r->n.selected, r->n.edited, r->n.skipped_access, r->n.skipped_other, r->st.t.new_,
		 r->st.t.still_open, r->st.t.closed);
	return svc_audit(r->s, "edits.run", "edit_run", r->st.id, 0, NULL, detail, err);
}

static int run_all(struct run *r, const struct edits_run_opts *o, struct enc_ref *v, size_t n,
		   mrt_err *err)
{
	const char *scope = o->account ? "account" : (o->from || o->to) ? "dates" : "all";
	int rc =
	    edits_store_begin(r->s, scope, o->account, o->from, o->to, o->release, &r->st, err);
	r->n.selected = (long)n;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (!v[i].allowed)
			r->n.skipped_access++;
		else
			rc = edit_one(r, &v[i], err);
	}
	if (rc == 0)
		rc = edits_store_end(r->s, &r->st, &r->n, err);
	return rc ? rc : audit_run(r, err);
}

int edits_svc_run(mrt_session *s, const struct edits_run_opts *o, json_t **summary, mrt_err *err)
{
	*summary = NULL;
	struct access_target role = {.action = "edits.run"};
	int rc = check_opts(o, err);
	if (rc || (rc = access_svc_check(s, ACCESS_CHART_CODE, &role, NULL, err)) != 0)
		return rc;
	struct enc_ref *v = NULL;
	size_t n = 0;
	struct run *r = calloc(1, sizeof *r);
	if (!r)
		return mrt_err_set(err, MRT_ENOMEM, "edits run: out of memory");
	r->s = s;
	rc = select_encounters(s, o, &v, &n, err);
	if (rc == 0)
		rc = edits_ctx_load(mrt_session_db(s), o->release, &r->x, err);
	if (rc == 0 && (rc = mrt_db_begin(mrt_session_db(s), err)) == 0) {
		rc = run_all(r, o, v, n, err);
		if (rc == 0 && !(*summary = summary_json(r, o)))
			rc = mrt_err_set(err, MRT_ENOMEM, "edits run: out of memory");
		rc = svc_finish_json(mrt_session_db(s), rc, summary, err);
	}
	edits_store_free(&r->st);
	edits_ctx_free(r->x);
	free(r);
	free(v);
	return rc;
}
