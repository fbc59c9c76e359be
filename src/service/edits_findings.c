/*
 * `mrt edits findings` (edits_svc_findings): the findings of the edit
 * runs as a coder reads them. One encounter (--account) goes through the
 * full access check (a denial is audited and refused); a listing of many
 * leaves out the encounters the user may not see, counting them. Each
 * encounter shown is one audit event.
 */
#include <stdlib.h>
#include <string.h>

#include "chart/chart.h"
#include "service/access_svc.h"
#include "service/edits_findings.h"
#include "service/svc_util.h"

static const char list_sql[] =
    "SELECT f.id, e.account, f.encounter_id, f.kind, f.rule, f.code, f.code2, f.occurrences,"
    " f.severity, f.message, f.source, f.mce_release, f.status, f.opened_at, f.closed_at,"
    " f.first_run, f.last_run, f.closed_run, f.work_item_id, f.patient_id"
    " FROM edit_finding f JOIN encounter e ON e.id = f.encounter_id"
    " WHERE (?1 IS NULL OR f.encounter_id = ?1) AND (?2 = 'all' OR f.status = ?2)"
    " AND (?3 IS NULL OR f.rule = ?3)"
    " ORDER BY e.account, f.encounter_id, f.kind, f.rule, f.code, f.code2, f.id";

static int check_opts(const struct edits_findings_opts *o, const char **status, mrt_err *err)
{
	*status = o->status ? o->status : "open";
	if (strcmp(*status, "open") && strcmp(*status, "closed") && strcmp(*status, "all"))
		return mrt_err_set(err, MRT_EINVAL, "--status: open, closed or all");
	if (o->rule && (!*o->rule || strlen(o->rule) > 64))
		return mrt_err_set(err, MRT_EINVAL, "--rule: an edit or rule name");
	return 0;
}

/* Whether the user may see the encounter's findings (decided once per
 * encounter: rows come ordered by encounter). */
struct seen {
	int64_t enc;
	int ok;
	struct access_decision d;
};

static int visible(mrt_session *s, struct seen *v, int64_t enc, int64_t patient, long *hidden,
		   int *first, mrt_err *err)
{
	*first = 0;
	if (enc == v->enc)
		return 0;
	struct access_target t = {.action = "edits.findings",
				  .patient_id = patient,
				  .object_type = "encounter",
				  .object_id = enc};
	int rc = access_svc_decide(s, ACCESS_CHART_CODE, &t, &v->d, err);
	if (rc)
		return rc;
	v->enc = enc;
	v->ok = v->d.result == ACCESS_ALLOW;
	*hidden += !v->ok;
	*first = v->ok;
	return 0;
}

static int read_rows(mrt_session *s, int64_t enc, const char *status, const char *rule, json_t *arr,
		     long *hidden, mrt_err *err)
{
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), list_sql, err);
	if (!st)
		return err->code;
	if (enc)
		mrt_stmt_bind_int(st, 1, enc);
	mrt_stmt_bind_text(st, 2, status);
	mrt_stmt_bind_text(st, 3, rule);
	struct seen v = {.enc = 0};
	int rc, first;
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		int64_t e = mrt_stmt_int(st, 2), patient = mrt_stmt_int(st, 19);
		if ((rc = visible(s, &v, e, patient, hidden, &first, err)) != 0)
			break;
		if (first && (rc = svc_audit(s, "edits.findings", "encounter", e, patient,
					     access_outcome(&v.d), status, err)) != 0)
			break;
		if (!v.ok)
			continue;
		json_t *row = svc_row_json(st);
		if (!row) {
			rc = mrt_err_set(err, MRT_ENOMEM, "edits findings: out of memory");
			break;
		}
		json_object_del(row, "patient_id");
		json_array_append_new(arr, row);
	}
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int edits_svc_findings(mrt_session *s, const struct edits_findings_opts *o, json_t **out,
		       long *hidden, mrt_err *err)
{
	const char *status;
	struct access_target role = {.action = "edits.findings"};
	int64_t enc = 0, patient = 0;
	*out = NULL;
	*hidden = 0;
	int rc = check_opts(o, &status, err);
	if (rc || (rc = access_svc_check(s, ACCESS_CHART_CODE, &role, NULL, err)) != 0)
		return rc;
	if (o->account) {
		rc = chart_encounter_by_account(mrt_session_db(s), o->account, &enc, &patient, err);
		struct access_target t = {.action = "edits.findings",
					  .patient_id = patient,
					  .object_type = "encounter",
					  .object_id = enc};
		if (rc || (rc = access_svc_check(s, ACCESS_CHART_CODE, &t, NULL, err)) != 0)
			return rc;
	}
	if ((rc = mrt_db_begin(mrt_session_db(s), err)) != 0)
		return rc;
	*out = json_array();
	rc = *out ? read_rows(s, enc, status, o->rule, *out, hidden, err)
		  : mrt_err_set(err, MRT_ENOMEM, "edits findings: out of memory");
	return svc_finish_json(mrt_session_db(s), rc, out, err);
}
