/*
 * Coding audit report (caudit_svc_report): for every item a reviewer has
 * coded, the coder's audited coding compared with the reviewer's, and the
 * MCE edits each version raises; agreement summed per coder and overall,
 * every disagreement listed. Also reading the two codings of an item into
 * the comparison's structs and the comparison as JSON (shared with the
 * reviewer's coding, coding_audit_code.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "chart/chart.h"
#include "service/access_svc.h"
#include "service/coding_audit_int.h"
#include "service/svc_util.h"

static const char SQL_DX[] =
    "SELECT code, coalesce(poa, ''), kind FROM diagnosis WHERE coding_id = ?1 AND system = ?2"
    " AND kind IN ('principal', 'secondary') ORDER BY kind = 'secondary', seq";
static const char SQL_PX[] =
    "SELECT code FROM procedure WHERE coding_id = ?1 AND system = ?2 ORDER BY seq";

static void upper_undotted(char *out, size_t cap, const char *code)
{
	size_t n = 0;
	for (const char *p = code ? code : ""; *p && n + 1 < cap; p++)
		if (*p != '.')
			out[n++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
	out[n] = 0;
}

static int load_dx(mrt_db *db, int64_t coding_id, struct cc_coding *out, mrt_err *err)
{
	mrt_stmt *st = mrt_db_stmt(db, SQL_DX, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, coding_id);
	mrt_stmt_bind_text(st, 2, CHART_SYS_ICD10CM);
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		struct cc_dx *d = NULL;
		if (strcmp(mrt_stmt_text(st, 2), "principal") == 0 && !out->pdx.code[0])
			d = &out->pdx;
		else if (out->nsdx < CC_MAX_DX)
			d = &out->sdx[out->nsdx++];
		if (!d)
			continue;
		upper_undotted(d->code, sizeof d->code, mrt_stmt_text(st, 0));
		mrt_strlcpy(d->poa, mrt_stmt_text(st, 1), sizeof d->poa);
	}
	return rc < 0 ? rc : 0;
}

int caudit_load_coding(mrt_db *db, int64_t coding_id, struct cc_coding *out, mrt_err *err)
{
	memset(out, 0, sizeof *out);
	int rc = load_dx(db, coding_id, out, err);
	if (rc)
		return rc;
	mrt_stmt *st = mrt_db_stmt(db, SQL_PX, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, coding_id);
	mrt_stmt_bind_text(st, 2, CHART_SYS_ICD10PCS);
	while ((rc = mrt_stmt_step(st, err)) == 1)
		if (out->npx < CC_MAX_PX)
			upper_undotted(out->px[out->npx++], CC_CODE_MAX, mrt_stmt_text(st, 0));
	return rc < 0 ? rc : 0;
}

static const char *str_or(json_t *v)
{
	return json_is_string(v) ? json_string_value(v) : "";
}

int caudit_reviewer_coding(const char *pdx, const char *pdx_poa, const char *sdx_json,
			   const char *pcs_json, struct cc_coding *out, mrt_err *err)
{
	memset(out, 0, sizeof *out);
	mrt_strlcpy(out->pdx.code, pdx ? pdx : "", sizeof out->pdx.code);
	mrt_strlcpy(out->pdx.poa, pdx_poa ? pdx_poa : "", sizeof out->pdx.poa);
	json_t *sdx = json_loads(sdx_json ? sdx_json : "[]", 0, NULL);
	json_t *pcs = json_loads(pcs_json ? pcs_json : "[]", 0, NULL);
	int rc = json_is_array(sdx) && json_is_array(pcs)
		     ? 0
		     : mrt_err_set(err, MRT_EDB, "coding_audit_item: sdx or pcs is not a list");
	size_t i;
	json_t *v;
	json_array_foreach(sdx, i, v)
	{
		if (rc || out->nsdx == CC_MAX_DX)
			break;
		struct cc_dx *d = &out->sdx[out->nsdx++];
		mrt_strlcpy(d->code, str_or(json_object_get(v, "code")), sizeof d->code);
		mrt_strlcpy(d->poa, str_or(json_object_get(v, "poa")), sizeof d->poa);
	}
	json_array_foreach(pcs, i, v)
	{
		if (rc || out->npx == CC_MAX_PX)
			break;
		mrt_strlcpy(out->px[out->npx++], str_or(v), CC_CODE_MAX);
	}
	json_decref(sdx);
	json_decref(pcs);
	return rc;
}

static json_t *diff_json(const struct cc_diff *d)
{
	json_t *o =
	    json_pack("{s:s, s:s, s:s?, s:s?}", "kind", cc_diff_kind_name(d->kind), "system",
		      d->px ? "icd10pcs" : "icd10cm", "coder_code", d->coder[0] ? d->coder : NULL,
		      "reviewer_code", d->reviewer[0] ? d->reviewer : NULL);
	if (d->kind == CC_DIFF_POA) {
		json_object_set_new(o, "coder_poa", json_string(d->coder_poa));
		json_object_set_new(o, "reviewer_poa", json_string(d->reviewer_poa));
	}
	return o;
}

json_t *caudit_result_json(const struct cc_result *r)
{
	json_t *diffs = json_array();
	for (int i = 0; i < r->ndiff; i++)
		json_array_append_new(diffs, diff_json(&r->diff[i]));
	return json_pack("{s:b, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:b, s:b, s:o}", "pdx_agree",
			 r->pdx_agree, "dx_coder", r->dx_coder, "dx_reviewer", r->dx_reviewer,
			 "dx_both", r->dx_both, "poa_diff", r->poa_diff, "px_coder", r->px_coder,
			 "px_reviewer", r->px_reviewer, "px_both", r->px_both, "dx_agree",
			 cc_dx_agree(r), "px_agree", cc_px_agree(r), "disagreements", diffs);
}

/* A ratio rounded to 4 places, or null when there is nothing to measure. */
static json_t *rate(double v)
{
	return v < 0 ? json_null() : json_real((double)(long)(v * 10000.0 + 0.5) / 10000.0);
}

static json_t *tally_json(const char *coder, const struct cc_tally *t)
{
	json_t *o = json_object();
	if (coder)
		json_object_set_new(o, "coder", json_string(coder));
	struct {
		const char *k;
		long v;
	} n[] = {{"items", t->items},
		 {"pdx_agree", t->pdx_agree},
		 {"dx_coder", t->dx_coder},
		 {"dx_reviewer", t->dx_reviewer},
		 {"dx_both", t->dx_both},
		 {"dx_items_agree", t->dx_items_agree},
		 {"poa_diff", t->poa_diff},
		 {"px_coder", t->px_coder},
		 {"px_reviewer", t->px_reviewer},
		 {"px_both", t->px_both},
		 {"px_items_agree", t->px_items_agree},
		 {"edits_items", t->edits_items},
		 {"edits_items_agree", t->edits_items_agree},
		 {"edits_coder", t->edits_coder},
		 {"edits_reviewer", t->edits_reviewer}};
	for (size_t i = 0; i < sizeof n / sizeof n[0]; i++)
		json_object_set_new(o, n[i].k, json_integer(n[i].v));
	json_object_set_new(o, "pdx_rate", rate(cc_ratio(t->pdx_agree, t->items)));
	json_object_set_new(o, "dx_precision", rate(cc_ratio(t->dx_both, t->dx_coder)));
	json_object_set_new(o, "dx_recall", rate(cc_ratio(t->dx_both, t->dx_reviewer)));
	json_object_set_new(o, "dx_jaccard",
			    rate(cc_jaccard(t->dx_both, t->dx_coder, t->dx_reviewer)));
	json_object_set_new(o, "px_precision", rate(cc_ratio(t->px_both, t->px_coder)));
	json_object_set_new(o, "px_recall", rate(cc_ratio(t->px_both, t->px_reviewer)));
	json_object_set_new(o, "px_jaccard",
			    rate(cc_jaccard(t->px_both, t->px_coder, t->px_reviewer)));
	json_object_set_new(o, "edits_rate", rate(cc_ratio(t->edits_items_agree, t->edits_items)));
	return o;
}

struct report {
	mrt_session *s;
	mrt_db *db;
	struct edits_ctx *x;
	struct cc_tally coder, all;
	char cur[128];
	json_t *coders, *disagreements;
	struct cc_coding a, b;
	struct cc_result res;
};

static const char SQL_ITEMS[] =
    "SELECT i.id, a.id, uc.name, ub.name, e.account, i.encounter_id, i.patient_id, i.coding_id,"
    " i.pdx, i.pdx_poa, i.sdx, i.pcs"
    " FROM coding_audit_item i JOIN coding_audit a ON a.id = i.audit_id"
    " JOIN coding c ON c.id = i.coding_id JOIN encounter e ON e.id = i.encounter_id"
    " JOIN app_user uc ON uc.id = a.coder_id JOIN app_user ub ON ub.id = i.coded_by"
    " WHERE i.status = 'coded' AND (?1 IS NULL OR uc.name = ?1)"
    "   AND (?2 IS NULL OR substr(c.created_at, 1, 10) >= ?2)"
    "   AND (?3 IS NULL OR substr(c.created_at, 1, 10) <= ?3)"
    " ORDER BY uc.name, i.id";

/* The item's disagreements, each with who and where. */
static void list_item(struct report *p, mrt_stmt *st, json_t *only_c, json_t *only_r)
{
	for (int i = 0; i < p->res.ndiff; i++) {
		json_t *d = diff_json(&p->res.diff[i]);
		json_t *who = json_pack(
		    "{s:I, s:I, s:s, s:s, s:s}", "item", (json_int_t)mrt_stmt_int(st, 0), "sample",
		    (json_int_t)mrt_stmt_int(st, 1), "coder", mrt_stmt_text(st, 2), "reviewer",
		    mrt_stmt_text(st, 3), "account", mrt_stmt_text(st, 4));
		json_object_update_missing(d, who);
		json_decref(who);
		json_array_append_new(p->disagreements, d);
	}
	json_t *sides[2] = {only_c, only_r};
	for (int k = 0; k < 2; k++) {
		size_t i;
		json_t *v;
		json_array_foreach(sides[k], i, v) json_array_append_new(
		    p->disagreements,
		    json_pack("{s:s, s:s, s:O?, s:O?, s:I, s:I, s:s, s:s, s:s}", "kind", "edit",
			      "system", "mce", "coder_code", k == 0 ? v : NULL, "reviewer_code",
			      k == 1 ? v : NULL, "item", (json_int_t)mrt_stmt_int(st, 0), "sample",
			      (json_int_t)mrt_stmt_int(st, 1), "coder", mrt_stmt_text(st, 2),
			      "reviewer", mrt_stmt_text(st, 3), "account", mrt_stmt_text(st, 4)));
	}
}

/* Whether the reader may not see the codes of the item's encounter (its
 * or its patient's sensitivity labels): then its disagreements are one
 * row {item, sample, coder, reviewer, account, kind "restricted"}; the
 * figures still count it. */
static int hidden(struct report *p, mrt_stmt *st, int *out, mrt_err *err)
{
	unsigned labels = 0;
	int64_t patient = mrt_stmt_int(st, 6);
	int rc = access_svc_labels(p->s, patient, "encounter", mrt_stmt_int(st, 5), &labels, err);
	enum access_op op =
	    mrt_session_has_role(p->s, MRT_ROLE_CODER) || mrt_session_has_role(p->s, MRT_ROLE_ADMIN)
		? ACCESS_CHART_CODE
		: ACCESS_PATIENT_READ;
	*out = rc == 0 && labels && !access_svc_covers(p->s, op, patient, labels, 0);
	if (rc == 0 && *out)
		json_array_append_new(
		    p->disagreements,
		    json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:b}", "item",
			      (json_int_t)mrt_stmt_int(st, 0), "sample",
			      (json_int_t)mrt_stmt_int(st, 1), "coder", mrt_stmt_text(st, 2),
			      "reviewer", mrt_stmt_text(st, 3), "account", mrt_stmt_text(st, 4),
			      "kind", "restricted", "restricted", 1));
	return rc;
}

static void flush_coder(struct report *p)
{
	if (p->cur[0])
		json_array_append_new(p->coders, tally_json(p->cur, &p->coder));
	memset(&p->coder, 0, sizeof p->coder);
}

static int one_item(struct report *p, mrt_stmt *st, mrt_err *err)
{
	if (strcmp(p->cur, mrt_stmt_text(st, 2)) != 0) {
		flush_coder(p);
		mrt_strlcpy(p->cur, mrt_stmt_text(st, 2), sizeof p->cur);
	}
	int rc = caudit_load_coding(p->db, mrt_stmt_int(st, 7), &p->a, err);
	if (rc == 0)
		rc = caudit_reviewer_coding(mrt_stmt_text(st, 8), mrt_stmt_text(st, 9),
					    mrt_stmt_text(st, 10), mrt_stmt_text(st, 11), &p->b,
					    err);
	if (rc)
		return rc;
	cc_compare(&p->a, &p->b, &p->res);
	cc_tally_add(&p->coder, &p->res);
	cc_tally_add(&p->all, &p->res);
	json_t *only_c = json_array(), *only_r = json_array();
	int edited = 0, nc = 0, nr = 0;
	rc = caudit_edits_item(p->db, p->x, mrt_stmt_int(st, 5), &p->a, &p->b, &edited, &nc, &nr,
			       only_c, only_r, err);
	if (rc == 0 && edited) {
		int same = json_array_size(only_c) == 0 && json_array_size(only_r) == 0;
		cc_tally_edits(&p->coder, nc, nr, same);
		cc_tally_edits(&p->all, nc, nr, same);
	}
	int hide = 0;
	if (rc == 0)
		rc = hidden(p, st, &hide, err);
	if (rc == 0 && !hide)
		list_item(p, st, only_c, only_r);
	json_decref(only_c);
	json_decref(only_r);
	if (rc == 0)
		rc = svc_audit(p->s, "coding_audit.report", "coding_audit_item",
			       mrt_stmt_int(st, 0), mrt_stmt_int(st, 6), "allow", NULL, err);
	return rc;
}

static int items(struct report *p, const struct caudit_report_req *r, const char *coder,
		 mrt_err *err)
{
	mrt_stmt *st = mrt_db_stmt(p->db, SQL_ITEMS, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, coder);
	mrt_stmt_bind_text(st, 2, r->from);
	mrt_stmt_bind_text(st, 3, r->to);
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1)
		if ((rc = one_item(p, st, err)) != 0)
			break;
	mrt_stmt_reset(st);
	flush_coder(p);
	return rc < 0 ? rc : 0;
}

/* Supervisors read every report; a coder only their own. */
static const struct caudit_own report_own = {"coding_audit.report", "coding_audit",
					     "another coder's report",
					     "a coder reads only their own coding audit report"};

int caudit_svc_report(mrt_session *s, const struct caudit_report_req *r, json_t **out, mrt_err *err)
{
	*out = NULL;
	const char *coder = NULL;
	int64_t uid = 0;
	int rc = caudit_own_coder(s, r->coder, &report_own, &coder, err);
	if (rc == 0 && coder)
		rc = caudit_user_id(mrt_session_db(s), coder, &uid, err);
	if (rc == 0)
		rc = caudit_date_opt("--from", r->from, err);
	if (rc == 0)
		rc = caudit_date_opt("--to", r->to, err);
	if (rc)
		return rc;
	struct report *p = calloc(1, sizeof *p);
	if (!p)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	p->s = s;
	p->db = mrt_session_db(s);
	p->coders = json_array();
	p->disagreements = json_array();
	rc = caudit_edits_load(p->db, r->release, &p->x, err);
	if (rc == 0)
		rc = mrt_db_begin(p->db, err);
	if (rc == 0) {
		rc = items(p, r, coder, err);
		if (rc == 0)
			*out = json_pack("{s:s?, s:s?, s:s?, s:b, s:O, s:o, s:O}", "coder", coder,
					 "from", r->from, "to", r->to, "edits", p->x != NULL,
					 "coders", p->coders, "overall", tally_json(NULL, &p->all),
					 "disagreements", p->disagreements);
		rc = svc_finish_json(p->db, rc, out, err);
	}
	caudit_edits_free(p->x);
	json_decref(p->coders);
	json_decref(p->disagreements);
	free(p);
	return rc;
}
