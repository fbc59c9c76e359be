/*
 * The coder's own coding of an encounter (mrt encounter code): every code
 * checked against the ICD-10-CM / ICD-10-PCS release in effect on the
 * discharge date. Unlike imports, which record what was coded elsewhere
 * and turn problems into findings, this refuses: an invalid code, a header
 * that is not billable (with its billable codes as suggestions), a bad POA
 * indicator, a code listed twice, a procedure dated after discharge. Every
 * refused code is named at once; nothing is written. Re-coding keeps the
 * previous coding as history (chart_coding_apply).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "chart/chart.h"
#include "service/chart_svc_int.h"
#include "service/chartqa_svc.h"

#define MAX_ITEMS 200

struct entry {
	const char *item; /* principal, secondary, admitting, procedure */
	const char *spec; /* as typed */
	char code[8];
	char raw[32];
	char poa[4];
	char date[MRT_DATE_LEN];
	char title[256];
};

struct coding_job {
	mrt_db *db;
	mrt_day day;
	char date[MRT_DATE_LEN];
	struct entry e[MAX_ITEMS];
	size_t n;
	json_t *refused;
};

static void refuse(struct coding_job *j, const struct entry *e, const char *problem,
                   const char *message, json_t *suggestions)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "item", e->item, "code", e->raw, "problem",
	                      problem, "message", message);
	if (suggestions)
		json_object_set_new(o, "suggestions", suggestions);
	json_array_append_new(j->refused, o);
}

/* Splits "CODE[:POA]" or "CODE[@DATE]" into the entry; a refusal when the
 * suffix is wrong. */
static void parse_entry(struct coding_job *j, struct entry *e)
{
	const char *spec = e->spec;
	const char *item = e->item;
	int px = strcmp(item, "procedure") == 0;
	const char *sep = strchr(spec, px ? '@' : ':');
	size_t len = sep ? (size_t)(sep - spec) : strlen(spec);
	if (len >= sizeof e->raw)
		len = sizeof e->raw - 1;
	memcpy(e->raw, spec, len);
	e->raw[len] = 0;
	if (!sep)
		return;
	const char *suf = sep + 1;
	if (px) {
		mrt_day d;
		if (mrt_date_parse(&d, suf) != 0) {
			refuse(j, e, "bad-date", "the procedure date must be YYYY-MM-DD", NULL);
		} else if (j->day && d > j->day) {
			refuse(j, e, "after-discharge", "the procedure date is after the discharge date",
			       NULL);
		}
		mrt_strlcpy(e->date, suf, sizeof e->date);
		return;
	}
	if (strlen(suf) != 1 || !strchr("YNUW1ynuw", suf[0])) {
		refuse(j, e, "bad-poa", "present on admission must be Y, N, U, W or 1 (exempt)", NULL);
		return;
	}
	e->poa[0] = (char)(suf[0] >= 'a' ? suf[0] - 'a' + 'A' : suf[0]);
}

static int check_entry(struct coding_job *j, struct entry *e, mrt_err *err)
{
	int px = strcmp(e->item, "procedure") == 0;
	const char *sys = px ? "ICD-10-PCS" : "ICD-10-CM";
	struct chart_code_check r;
	int rc = chart_code_check(j->db, px ? "icd10pcs" : "icd10cm", e->raw, j->day, &r, err);
	if (rc)
		return rc;
	mrt_strlcpy(e->code, r.code, sizeof e->code);
	mrt_strlcpy(e->title, r.title, sizeof e->title);
	char msg[256];
	json_t *sugg = NULL;
	switch (r.status) {
	case CHART_CODE_OK:
		return 0;
	case CHART_CODE_MALFORMED:
		snprintf(msg, sizeof msg, "not an %s code", sys);
		refuse(j, e, "malformed", msg, NULL);
		return 0;
	case CHART_CODE_NO_RELEASE:
		snprintf(msg, sizeof msg, "no %s release is in effect on %s (the discharge date):"
		         " load it with mrt codes load", sys, j->date);
		refuse(j, e, "no-release", msg, NULL);
		return 0;
	case CHART_CODE_INVALID:
		snprintf(msg, sizeof msg, "not a valid %s code on %s (release %s)", sys, j->date,
		         r.release);
		break;
	case CHART_CODE_NOT_BILLABLE:
		snprintf(msg, sizeof msg, "a header, not billable on %s (release %s): code to one of"
		         " its billable codes", j->date, r.release);
		break;
	}
	if ((rc = chart_code_children(j->db, r.release_id, r.code, 50, &sugg, err)) != 0)
		return rc;
	if (json_array_size(sugg) == 0) {
		json_decref(sugg);
		sugg = NULL;
	}
	refuse(j, e, r.status == CHART_CODE_INVALID ? "invalid" : "not-billable", msg, sugg);
	return 0;
}

static void check_twice(struct coding_job *j)
{
	for (size_t a = 0; a < j->n; a++)
		for (size_t b = a + 1; b < j->n; b++) {
			int pa = strcmp(j->e[a].item, "procedure") == 0;
			int pb = strcmp(j->e[b].item, "procedure") == 0;
			int adm = strcmp(j->e[a].item, "admitting") == 0 ||
			          strcmp(j->e[b].item, "admitting") == 0;
			if (pa || pb || adm || !j->e[a].code[0] || strcmp(j->e[a].code, j->e[b].code))
				continue;
			refuse(j, &j->e[b], "duplicate", "the diagnosis is listed twice", NULL);
		}
}

static int load_day(struct coding_job *j, int64_t enc, mrt_err *err)
{
	char admit[32], disch[32];
	int rc = chart_encounter_dates(j->db, enc, admit, disch, err);
	if (rc)
		return rc;
	if (strlen(disch) < 10)
		return mrt_err_set(err, MRT_EINVAL, "the encounter has no discharge date: it is coded"
		                   " against the code set in effect on the day of discharge");
	memcpy(j->date, disch, 10);
	j->date[10] = 0;
	if (mrt_date_parse(&j->day, j->date) != 0)
		return mrt_err_set(err, MRT_EINVAL, "the encounter's discharge date is not a date");
	return 0;
}

static int apply(mrt_session *s, struct coding_job *j, int64_t patient, int64_t enc,
                 const char *status, int64_t *coding, int *changed, mrt_err *err)
{
	struct chart_dx dx[MAX_ITEMS];
	struct chart_px px[MAX_ITEMS];
	size_t nd = 0, np = 0;
	for (size_t i = 0; i < j->n; i++) {
		struct entry *e = &j->e[i];
		if (strcmp(e->item, "procedure") == 0) {
			px[np++] = (struct chart_px){ .system = CHART_SYS_ICD10PCS, .code = e->code,
			                              .display = e->title, .performed_at = e->date };
		} else {
			dx[nd++] = (struct chart_dx){ .system = CHART_SYS_ICD10CM, .code = e->code,
			                              .display = e->title, .poa = e->poa,
			                              .kind = e->item };
		}
	}
	struct chart_ctx c;
	chart_ctx_init(&c, "coder", mrt_session_user_id(s));
	struct chart_coding_change ch = { .dx_mode = CHART_REPLACE, .px_mode = CHART_REPLACE,
		                          .dx = dx, .n_dx = nd, .px = px, .n_px = np };
	int rc = chart_coding_apply(j->db, &c, patient, enc, &ch, coding, changed, err);
	int st_changed = 0;
	if (rc == 0)
		rc = chart_coding_status_set(j->db, &c, enc, status, &st_changed, err);
	return rc;
}

static void add(struct coding_job *j, const char *item, const char *spec)
{
	if (j->n == MAX_ITEMS)
		return;
	struct entry *e = &j->e[j->n++];
	memset(e, 0, sizeof *e);
	e->item = item;
	e->spec = spec;
}

static void collect(struct coding_job *j, const struct chart_svc_code_req *req)
{
	add(j, "principal", req->pdx);
	for (size_t i = 0; i < req->n_sdx; i++)
		add(j, "secondary", req->sdx[i]);
	if (req->admit_dx)
		add(j, "admitting", req->admit_dx);
	for (size_t i = 0; i < req->n_px; i++)
		add(j, "procedure", req->px[i]);
}

/* Each entry in order: its suffix, then its code (refusals in the order
 * the codes were given). */
static int check_entries(struct coding_job *j, mrt_err *err)
{
	for (size_t i = 0; i < j->n; i++) {
		size_t before = json_array_size(j->refused);
		parse_entry(j, &j->e[i]);
		if (json_array_size(j->refused) > before)
			continue;
		int rc = check_entry(j, &j->e[i], err);
		if (rc)
			return rc;
	}
	return 0;
}

static int audit_code(mrt_session *s, int64_t enc, int64_t patient, const char *detail,
                      const char *outcome, mrt_err *err)
{
	char oid[32];
	snprintf(oid, sizeof oid, "%" PRId64, enc);
	struct mrt_audit_rec r = { .action = "encounter.code", .object_type = "encounter",
		                   .object_id = oid, .patient_id = patient, .outcome = outcome,
		                   .detail = detail };
	return mrt_session_audit(s, &r, err);
}

int chart_svc_encounter_code(mrt_session *s, const struct chart_svc_code_req *req, json_t **out,
                             mrt_err *err)
{
	*out = NULL;
	const char *status = req->status ? req->status : "in-progress";
	if (!req->pdx || !*req->pdx)
		return mrt_err_set(err, MRT_EINVAL, "--pdx: the principal diagnosis is required");
	if (req->n_sdx + req->n_px + 2 > MAX_ITEMS)
		return mrt_err_set(err, MRT_EINVAL, "too many codes (at most %d)", MAX_ITEMS - 2);
	if (strcmp(status, "in-progress") && strcmp(status, "final"))
		return mrt_err_set(err, MRT_EINVAL, "coding status after coding: in-progress or final");
	mrt_db *db = mrt_session_db(s);
	int64_t enc = 0, patient = 0, coding = 0;
	struct access_decision d;
	int rc = chart_svc_encounter_access(s, ACCESS_CHART_CODE, "encounter.code", req->account, NULL,
	                                    &enc, &patient, &d, err);
	if (rc)
		return rc;
	struct coding_job *j = calloc(1, sizeof *j);
	if (!j)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	j->db = db;
	j->refused = json_array();
	int changed = 0;
	if ((rc = mrt_db_begin(db, err)) != 0)
		goto done;
	rc = load_day(j, enc, err);
	if (rc == 0 && strcmp(status, "final") == 0)
		rc = pq_svc_hold(db, enc, err); /* an open physician query holds final coding */
	if (rc == 0) {
		collect(j, req);
		rc = check_entries(j, err);
	}
	if (rc == 0)
		check_twice(j);
	if (rc == 0 && json_array_size(j->refused) > 0) {
		json_t *f = json_array_get(j->refused, 0);
		rc = mrt_err_set(err, MRT_EINVAL, "%s %s refused: %s%s", json_string_value(
		                 json_object_get(f, "item")), json_string_value(json_object_get(f, "code")),
		                 json_string_value(json_object_get(f, "message")),
		                 json_array_size(j->refused) > 1 ? " (and more: see the list)" : "");
		mrt_db_rollback(db);
		/* The refusal is recorded on its own, after the rollback. */
		mrt_err ignored = { 0 };
		if (mrt_db_begin(db, &ignored) == 0) {
			if (audit_code(s, enc, patient, "refused: codes not valid", access_outcome(&d),
			               &ignored) == 0)
				mrt_db_commit(db, &ignored);
			else
				mrt_db_rollback(db);
		}
		*out = json_pack("{s:O}", "refused", j->refused);
		goto done;
	}
	if (rc == 0)
		rc = apply(s, j, patient, enc, status, &coding, &changed, err);
	char detail[96];
	snprintf(detail, sizeof detail, "%zu codes, %s", j->n, changed ? "new coding version"
	                                                               : "unchanged");
	if (rc == 0)
		rc = audit_code(s, enc, patient, detail, access_outcome(&d), err);
	if (rc == 0)
		rc = chart_encounter_json(db, enc, out, err);
	if (rc)
		mrt_db_rollback(db);
	else
		rc = mrt_db_commit(db, err);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
done:
	json_decref(j->refused);
	free(j);
	return rc;
}
