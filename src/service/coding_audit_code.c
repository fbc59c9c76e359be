/*
 * The reviewer's blind coding of a coding audit item (caudit_svc_code):
 * who may code it (never the audited coder; the named reviewer when the
 * sample names one), access to the encounter, each code checked against
 * the ICD-10-CM / ICD-10-PCS release in effect on the discharge date as
 * `encounter code` checks them (invalid, header, malformed, no release,
 * bad POA, a diagnosis twice: every refused code named, nothing written),
 * then the coding kept on the item, its work item closed, and - only now -
 * the comparison with the coder's codes returned.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "chart/chart.h"
#include "service/access_svc.h"
#include "service/coding_audit_int.h"
#include "service/queue_svc.h"
#include "service/svc_util.h"

#define MAX_CODES (1 + CC_MAX_DX + CC_MAX_PX)

struct rv_code {
	const char *item; /* principal secondary procedure */
	char raw[32];
	char code[CC_CODE_MAX];
	char poa[4];
	int refused; /* its suffix was refused: the code is not checked */
};

struct code_job {
	mrt_session *s;
	mrt_db *db;
	const struct caudit_code_req *r;
	int64_t item, audit, enc, patient, coding, coder, reviewer, work;
	char account[64];
	char status[16];
	char date[MRT_DATE_LEN];
	mrt_day day;
	char cm_rel[16], pcs_rel[16];
	struct rv_code c[MAX_CODES];
	size_t n;
	json_t *refused;
};

static const char SQL_ITEM[] =
    "SELECT i.audit_id, i.encounter_id, i.patient_id, i.coding_id, i.status, a.coder_id,"
    " coalesce(a.reviewer_id, 0), coalesce(i.work_item_id, 0), e.account"
    " FROM coding_audit_item i JOIN coding_audit a ON a.id = i.audit_id"
    " JOIN encounter e ON e.id = i.encounter_id WHERE i.id = ?1";

static int load_item(struct code_job *j, mrt_err *err)
{
	mrt_stmt *st = mrt_db_stmt(j->db, SQL_ITEM, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, j->item);
	int rc = mrt_stmt_step(st, err);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return mrt_err_set(err, MRT_ENOTFOUND, "no coding audit item %" PRId64, j->item);
	j->audit = mrt_stmt_int(st, 0);
	j->enc = mrt_stmt_int(st, 1);
	j->patient = mrt_stmt_int(st, 2);
	j->coding = mrt_stmt_int(st, 3);
	mrt_strlcpy(j->status, mrt_stmt_text(st, 4), sizeof j->status);
	j->coder = mrt_stmt_int(st, 5);
	j->reviewer = mrt_stmt_int(st, 6);
	j->work = mrt_stmt_int(st, 7);
	mrt_strlcpy(j->account, mrt_stmt_text(st, 8), sizeof j->account);
	mrt_stmt_reset(st);
	return 0;
}

/* The reviewer rules; a refusal is audited on its own. */
static int may_code(struct code_job *j, mrt_err *err)
{
	int64_t me = mrt_session_user_id(j->s);
	const char *why = NULL;
	if (me == j->coder)
		why = "a coder cannot review their own coding";
	else if (j->reviewer && j->reviewer != me)
		why = "the item is assigned to another reviewer";
	if (!why)
		return strcmp(j->status, "pending") == 0
			   ? 0
			   : mrt_err_set(err, MRT_EINVAL,
					 "coding audit item %" PRId64 " is already coded", j->item);
	mrt_err ignored = {0};
	if (mrt_db_begin(j->db, &ignored) == 0)
		svc_finish(j->db,
			   svc_audit(j->s, "coding_audit.code", "coding_audit_item", j->item,
				     j->patient, "deny", why, &ignored),
			   &ignored);
	return mrt_err_set(err, MRT_EACCESS, "%s (item %" PRId64 ")", why, j->item);
}

static int access(struct code_job *j, mrt_err *err)
{
	enum access_op op =
	    mrt_session_has_role(j->s, MRT_ROLE_CODER) || mrt_session_has_role(j->s, MRT_ROLE_ADMIN)
		? ACCESS_CHART_CODE
		: ACCESS_PATIENT_READ;
	struct access_target t = {.action = "coding_audit.code",
				  .patient_id = j->patient,
				  .object_type = "encounter",
				  .object_id = j->enc};
	return access_svc_check(j->s, op, &t, NULL, err);
}

static void refuse(struct code_job *j, const struct rv_code *c, const char *problem,
		   const char *message)
{
	json_array_append_new(j->refused,
			      json_pack("{s:s, s:s, s:s, s:s}", "item", c->item, "code", c->raw,
					"problem", problem, "message", message));
}

static void add(struct code_job *j, const char *item, const char *spec)
{
	struct rv_code *c = &j->c[j->n++];
	memset(c, 0, sizeof *c);
	c->item = item;
	const char *sep = strcmp(item, "procedure") ? strchr(spec, ':') : NULL;
	size_t len = sep ? (size_t)(sep - spec) : strlen(spec);
	mrt_strlcpy(c->raw, spec, len + 1 < sizeof c->raw ? len + 1 : sizeof c->raw);
	if (!sep)
		return;
	if (strlen(sep + 1) != 1 || !strchr("YNUW1ynuw", sep[1])) {
		refuse(j, c, "bad-poa", "present on admission must be Y, N, U, W or 1 (exempt)");
		c->refused = 1;
		return;
	}
	c->poa[0] = (char)(sep[1] >= 'a' ? sep[1] - 'a' + 'A' : sep[1]);
}

static int check(struct code_job *j, struct rv_code *c, mrt_err *err)
{
	int px = strcmp(c->item, "procedure") == 0;
	struct chart_code_check r;
	int rc = chart_code_check(j->db, px ? "icd10pcs" : "icd10cm", c->raw, j->day, &r, err);
	if (rc)
		return rc;
	mrt_strlcpy(c->code, r.code, sizeof c->code);
	mrt_strlcpy(px ? j->pcs_rel : j->cm_rel, r.release, sizeof j->cm_rel);
	char msg[160];
	const char *sys = px ? "ICD-10-PCS" : "ICD-10-CM";
	switch (r.status) {
	case CHART_CODE_OK:
		return 0;
	case CHART_CODE_MALFORMED:
		snprintf(msg, sizeof msg, "not an %s code", sys);
		refuse(j, c, "malformed", msg);
		break;
	case CHART_CODE_NO_RELEASE:
		snprintf(msg, sizeof msg, "no %s release is in effect on %s (the discharge date)",
			 sys, j->date);
		refuse(j, c, "no-release", msg);
		break;
	case CHART_CODE_INVALID:
		snprintf(msg, sizeof msg, "not a valid %s code on %s (release %s)", sys, j->date,
			 r.release);
		refuse(j, c, "invalid", msg);
		break;
	case CHART_CODE_NOT_BILLABLE:
		snprintf(msg, sizeof msg, "a header, not billable on %s (release %s)", j->date,
			 r.release);
		refuse(j, c, "not-billable", msg);
		break;
	}
	return 0;
}

static int check_all(struct code_job *j, mrt_err *err)
{
	const struct caudit_code_req *r = j->r;
	char admit[32], disch[32];
	int rc = chart_encounter_dates(j->db, j->enc, admit, disch, err);
	if (rc)
		return rc;
	mrt_strlcpy(j->date, disch, sizeof j->date);
	if (strlen(j->date) != 10 || mrt_date_parse(&j->day, j->date) != 0)
		return mrt_err_set(err, MRT_EINVAL,
				   "the encounter has no discharge date to code against");
	add(j, "principal", r->pdx);
	for (size_t i = 0; i < r->n_sdx; i++)
		add(j, "secondary", r->sdx[i]);
	for (size_t i = 0; i < r->n_pcs; i++)
		add(j, "procedure", r->pcs[i]);
	for (size_t i = 0; i < j->n; i++)
		if (!j->c[i].refused && (rc = check(j, &j->c[i], err)) != 0)
			return rc;
	for (size_t a = 0; a < j->n; a++)
		for (size_t b = a + 1; b < j->n; b++)
			if (strcmp(j->c[b].item, "procedure") && j->c[a].code[0] &&
			    strcmp(j->c[a].code, j->c[b].code) == 0)
				refuse(j, &j->c[b], "duplicate", "the diagnosis is listed twice");
	return 0;
}

static const char SQL_SAVE[] =
    "UPDATE coding_audit_item SET status = 'coded', pdx = ?2, pdx_poa = ?3, sdx = ?4, pcs = ?5,"
    " cm_release = ?6, pcs_release = nullif(?7, ''), coded_by = ?8, coded_at = ?9 WHERE id = ?1";
static const char SQL_SAMPLE_DONE[] =
    "UPDATE coding_audit SET status = 'done' WHERE id = ?1 AND NOT EXISTS"
    " (SELECT 1 FROM coding_audit_item WHERE audit_id = ?1 AND status = 'pending')";

static int save(struct code_job *j, mrt_err *err)
{
	json_t *sdx = json_array(), *pcs = json_array();
	for (size_t i = 1; i < j->n; i++) {
		if (strcmp(j->c[i].item, "procedure") == 0)
			json_array_append_new(pcs, json_string(j->c[i].code));
		else
			json_array_append_new(
			    sdx, json_pack("{s:s, s:s}", "code", j->c[i].code, "poa", j->c[i].poa));
	}
	char *sdx_s = json_dumps(sdx, JSON_COMPACT), *pcs_s = json_dumps(pcs, JSON_COMPACT);
	char now[32];
	mrt_now_iso(now);
	int rc;
	mrt_stmt *st = mrt_db_stmt(j->db, SQL_SAVE, err);
	if (!st || !sdx_s || !pcs_s) {
		rc = st ? mrt_err_set(err, MRT_ENOMEM, "out of memory") : err->code;
	} else {
		mrt_stmt_bind_int(st, 1, j->item);
		mrt_stmt_bind_text(st, 2, j->c[0].code);
		mrt_stmt_bind_text(st, 3, j->c[0].poa);
		mrt_stmt_bind_text(st, 4, sdx_s);
		mrt_stmt_bind_text(st, 5, pcs_s);
		mrt_stmt_bind_text(st, 6, j->cm_rel);
		mrt_stmt_bind_text(st, 7, j->pcs_rel);
		mrt_stmt_bind_int(st, 8, mrt_session_user_id(j->s));
		mrt_stmt_bind_text(st, 9, now);
		rc = mrt_stmt_run(st, err);
	}
	free(sdx_s);
	free(pcs_s);
	json_decref(sdx);
	json_decref(pcs);
	if (rc == 0 && !(st = mrt_db_stmt(j->db, SQL_SAMPLE_DONE, err)))
		rc = err->code;
	if (rc == 0) {
		mrt_stmt_bind_int(st, 1, j->audit);
		rc = mrt_stmt_run(st, err);
	}
	return rc;
}

/* The comparison, now that the reviewer has coded. */
static int compare(struct code_job *j, json_t **out, mrt_err *err)
{
	struct cc_coding *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
	struct cc_result *res = calloc(1, sizeof *res);
	int rc = a && b && res ? 0 : mrt_err_set(err, MRT_ENOMEM, "out of memory");
	if (rc == 0)
		rc = caudit_load_coding(j->db, j->coding, a, err);
	if (rc == 0) {
		b->pdx = (struct cc_dx){{0}, {0}};
		mrt_strlcpy(b->pdx.code, j->c[0].code, sizeof b->pdx.code);
		mrt_strlcpy(b->pdx.poa, j->c[0].poa, sizeof b->pdx.poa);
		for (size_t i = 1; i < j->n; i++) {
			const struct rv_code *c = &j->c[i];
			if (strcmp(c->item, "procedure") == 0 && b->npx < CC_MAX_PX)
				mrt_strlcpy(b->px[b->npx++], c->code, CC_CODE_MAX);
			else if (strcmp(c->item, "procedure") && b->nsdx < CC_MAX_DX) {
				struct cc_dx *d = &b->sdx[b->nsdx++];
				mrt_strlcpy(d->code, c->code, sizeof d->code);
				mrt_strlcpy(d->poa, c->poa, sizeof d->poa);
			}
		}
		cc_compare(a, b, res);
		*out = caudit_result_json(res);
		json_object_set_new(*out, "item", json_integer(j->item));
		json_object_set_new(*out, "account", json_string(j->account));
	}
	free(a);
	free(b);
	free(res);
	return rc;
}

static int refused_end(struct code_job *j, json_t **out, mrt_err *err)
{
	json_t *f = json_array_get(j->refused, 0);
	int rc = mrt_err_set(err, MRT_EINVAL, "%s %s refused: %s%s",
			     json_string_value(json_object_get(f, "item")),
			     json_string_value(json_object_get(f, "code")),
			     json_string_value(json_object_get(f, "message")),
			     json_array_size(j->refused) > 1 ? " (and more: see the list)" : "");
	mrt_db_rollback(j->db);
	mrt_err ignored = {0};
	if (mrt_db_begin(j->db, &ignored) == 0)
		svc_finish(j->db,
			   svc_audit(j->s, "coding_audit.code", "coding_audit_item", j->item,
				     j->patient, "allow", "refused: codes not valid", &ignored),
			   &ignored);
	*out = json_pack("{s:O}", "refused", j->refused);
	return rc;
}

static int code_run(struct code_job *j, json_t **out, mrt_err *err)
{
	int rc = mrt_db_begin(j->db, err);
	if (rc)
		return rc;
	if ((rc = check_all(j, err)) == 0 && json_array_size(j->refused) > 0)
		return refused_end(j, out, err);
	if (rc == 0)
		rc = save(j, err);
	if (rc == 0 && j->work &&
	    (j->reviewer || mrt_session_has_role(j->s, MRT_ROLE_CODER) || svc_is_supervisor(j->s)))
		rc = queue_svc_done(j->s, j->work, "coded by the reviewer", err);
	if (rc == 0)
		rc = svc_audit(j->s, "coding_audit.code", "coding_audit_item", j->item, j->patient,
			       "allow", NULL, err);
	if (rc == 0)
		rc = compare(j, out, err);
	return svc_finish_json(j->db, rc, out, err);
}

int caudit_svc_code(mrt_session *s, const struct caudit_code_req *r, json_t **out, mrt_err *err)
{
	*out = NULL;
	int rc =
	    mrt_session_require_either(s, MRT_ROLE_CODER, MRT_ROLE_HIM, "coding_audit.code", err);
	if (rc)
		return rc;
	if (!r->pdx || !*r->pdx)
		return mrt_err_set(err, MRT_EINVAL, "--pdx: the principal diagnosis is required");
	if (r->n_sdx > CC_MAX_DX || r->n_pcs > CC_MAX_PX)
		return mrt_err_set(err, MRT_EINVAL,
				   "too many codes (at most %d --sdx and %d --pcs)", CC_MAX_DX,
				   CC_MAX_PX);
	struct code_job *j = calloc(1, sizeof *j);
	if (!j)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	j->s = s;
	j->db = mrt_session_db(s);
	j->r = r;
	j->item = r->item;
	j->refused = json_array();
	rc = load_item(j, err);
	if (rc == 0)
		rc = may_code(j, err);
	if (rc == 0)
		rc = access(j, err);
	if (rc == 0)
		rc = code_run(j, out, err);
	json_decref(j->refused);
	free(j);
	return rc;
}
