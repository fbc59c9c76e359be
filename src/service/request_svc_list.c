/*
 * Patients' requests, the read side (see request_svc.h): the list with
 * its open/overdue filters, one request with its statements, and the
 * amendments and statements of disagreement linked to a patient's record.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "service/request_svc.h"
#include "service/request_svc_int.h"

static const char list_sql[] =
	"SELECT r.id, p.mrn, r.kind, r.received_date, r.due_date, r.extended, r.status, r.format,"
	" r.representative_id, r.closed_at, r.deny_reason, r.reviewable, r.work_item_id,"
	" r.patient_id FROM patient_request r JOIN patient p ON p.id = r.patient_id"
	" WHERE (?1 = 0 OR r.patient_id = ?1) AND (?2 = 0 OR r.status = 'open')"
	" AND (?3 IS NULL OR (r.status = 'open' AND r.due_date < ?3))"
	" ORDER BY r.due_date, r.id";

/* Drops rows of patients the session may not see (labels); audits each
 * row shown; marks overdue rows. */
static int list_rows(mrt_session *s, json_t *rows, const char *today, mrt_err *err)
{
	for (size_t i = json_array_size(rows); i-- > 0;) {
		json_t *r = json_array_get(rows, i);
		int64_t patient = json_integer_value(json_object_get(r, "patient_id"));
		struct access_target t = { .patient_id = patient };
		struct access_decision d;
		int rc = access_svc_decide(s, ACCESS_PATIENT_REQUEST, &t, &d, err);
		if (rc)
			return rc;
		if (d.result != ACCESS_ALLOW) {
			json_array_remove(rows, i);
			continue;
		}
		const char *due = json_string_value(json_object_get(r, "due_date"));
		const char *status = json_string_value(json_object_get(r, "status"));
		int late = strcmp(status, "open") == 0 && due && strcmp(due, today) < 0;
		json_object_set_new(r, "overdue", json_boolean(late));
		json_object_del(r, "patient_id");
		rc = svc_audit(s, "request.list", "patient_request",
		               json_integer_value(json_object_get(r, "id")), patient, NULL, NULL, err);
		if (rc)
			return rc;
	}
	return 0;
}

int request_svc_list(mrt_session *s, const struct request_filter *f, json_t **out,
                     mrt_err *err)
{
	struct access_target t = { .action = "request.list" };
	struct rq_patient p = { 0 };
	*out = NULL;
	int rc = rq_check(s, ACCESS_PATIENT_REQUEST, &t, NULL, err);
	if (rc || (f->mrn && (rc = rq_patient_by_mrn(s, f->mrn, &p, err)) != 0))
		return rc;
	t.patient_id = p.id;
	if (p.id && (rc = rq_check(s, ACCESS_PATIENT_REQUEST, &t, NULL, err)) != 0)
		return rc;
	char today[MRT_DATE_LEN];
	rq_today(today);
	mrt_db *db = mrt_session_db(s);
	if ((rc = mrt_db_begin(db, err)) != 0)
		return rc;
	*out = json_array();
	mrt_stmt *st = mrt_db_stmt(db, list_sql, err);
	rc = st && *out ? 0 : (st ? mrt_err_set(err, MRT_ENOMEM, "out of memory") : err->code);
	if (rc == 0) {
		mrt_stmt_bind_int(st, 1, p.id);
		mrt_stmt_bind_int(st, 2, f->open || f->overdue);
		mrt_stmt_bind_text(st, 3, f->overdue ? today : NULL);
		rc = svc_rows_json(st, *out, err);
	}
	if (rc == 0)
		rc = list_rows(s, *out, today, err);
	return svc_finish_json(db, rc, out, err);
}

static const char statements_sql[] =
	"SELECT st.kind, st.text, st.created_at, u.name AS by FROM request_statement st"
	" JOIN app_user u ON u.id = st.created_by WHERE st.request_id = ? ORDER BY st.id";

static int add_statements(mrt_session *s, json_t *req, mrt_err *err)
{
	json_t *a = json_array();
	mrt_stmt *st = a ? mrt_db_stmt(mrt_session_db(s), statements_sql, err) : NULL;
	if (!st) {
		json_decref(a);
		return a ? err->code : mrt_err_set(err, MRT_ENOMEM, "out of memory");
	}
	mrt_stmt_bind_int(st, 1, json_integer_value(json_object_get(req, "id")));
	int rc = svc_rows_json(st, a, err);
	json_object_set_new(req, "statements", a);
	return rc;
}

static const char show_sql[] =
	"SELECT r.id, p.mrn, r.kind, r.received_date, r.due_date, r.extended, r.extension_reason,"
	" r.status, r.format, r.what, e.account AS encounter, r.representative_id, pr.name AS"
	" representative, r.closed_at, cu.name AS closed_by, r.deny_reason, r.reviewable,"
	" r.work_item_id, r.created_at, u.name AS created_by, r.patient_id"
	" FROM patient_request r JOIN patient p ON p.id = r.patient_id"
	" LEFT JOIN encounter e ON e.id = r.encounter_id"
	" LEFT JOIN personal_rep pr ON pr.id = r.representative_id"
	" LEFT JOIN app_user cu ON cu.id = r.closed_by JOIN app_user u ON u.id = r.created_by"
	" WHERE r.id = ?";

int request_svc_show(mrt_session *s, int64_t id, json_t **out, mrt_err *err)
{
	struct access_target t = { .action = "request.show" };
	*out = NULL;
	int rc = rq_check(s, ACCESS_PATIENT_REQUEST, &t, NULL, err);
	if (rc || (rc = svc_row_by_id(s, show_sql, id, "patient request", out, err)) != 0)
		return rc;
	t.patient_id = json_integer_value(json_object_get(*out, "patient_id"));
	t.object_type = "patient_request";
	t.object_id = id;
	mrt_db *db = mrt_session_db(s);
	if ((rc = access_svc_check(s, ACCESS_PATIENT_REQUEST, &t, NULL, err)) == 0 &&
	    (rc = mrt_db_begin(db, err)) == 0) {
		rc = svc_audit(s, "request.show", "patient_request", id, t.patient_id, NULL, NULL, err);
		if (rc == 0)
			rc = add_statements(s, *out, err);
		if (rc == 0)
			rc = mrt_db_commit(db, err);
		else
			mrt_db_rollback(db);
	}
	if (rc) {
		json_decref(*out);
		*out = NULL;
	} else {
		json_object_del(*out, "patient_id");
	}
	return rc;
}

int request_svc_amendments_json(mrt_session *s, int64_t patient_id, json_t **out, mrt_err *err)
{
	static const char sql[] =
		"SELECT r.id, r.received_date, r.what, e.account AS encounter, r.status, r.closed_at,"
		" r.deny_reason FROM patient_request r LEFT JOIN encounter e ON e.id = r.encounter_id"
		" WHERE r.patient_id = ? AND r.kind = 'amendment' AND r.status IN ('accepted','denied')"
		" ORDER BY r.id";
	*out = json_array();
	mrt_stmt *st = *out ? mrt_db_stmt(mrt_session_db(s), sql, err) : NULL;
	int rc = st ? 0 : (*out ? err->code : mrt_err_set(err, MRT_ENOMEM, "out of memory"));
	if (rc == 0) {
		mrt_stmt_bind_int(st, 1, patient_id);
		rc = svc_rows_json(st, *out, err);
	}
	size_t i;
	json_t *r;
	json_array_foreach(*out, i, r) {
		if (rc)
			break;
		rc = add_statements(s, r, err);
	}
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}
