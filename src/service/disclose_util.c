/*
 * Helpers shared by the release-of-information services (disclose_int.h):
 * the patient a request names, checked through the access decision.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>

#include "chart/chart.h"
#include "service/disclose_int.h"

int disclose_patient_find(mrt_session *s, enum access_op op, const char *action,
                          const char *mrn, int64_t id, int64_t *patient,
                          struct access_decision *d, mrt_err *err)
{
	mrt_db *db = mrt_session_db(s);
	struct access_target t = { .action = action };
	int rc = access_svc_check(s, op, &t, d, err);
	if (rc)
		return rc;
	if (!id) {
		if (!mrn || !*mrn)
			return mrt_err_set(err, MRT_EINVAL, "a patient (MRN) is required");
		rc = chart_patient_by_mrn(db, mrn, &id, err);
		if (rc == MRT_ENOTFOUND)
			return mrt_err_set(err, MRT_ENOTFOUND, "no patient with that MRN");
		if (rc)
			return rc;
	} else {
		mrt_stmt *st = mrt_db_stmt(db, "SELECT 1 FROM patient WHERE id = ?", err);
		if (!st)
			return err->code;
		mrt_stmt_bind_int(st, 1, id);
		rc = mrt_stmt_step(st, err);
		mrt_stmt_reset(st);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return mrt_err_set(err, MRT_ENOTFOUND, "no patient with id %" PRId64, id);
	}
	*patient = id;
	return 0;
}

int disclose_patient_access(mrt_session *s, enum access_op op, const char *action,
                            const char *mrn, int64_t id, int64_t *patient, unsigned extra_labels,
                            struct access_decision *d, mrt_err *err)
{
	int rc = disclose_patient_find(s, op, action, mrn, id, &id, d, err);
	if (rc)
		return rc;
	*patient = id;
	struct access_target t = { .action = action };
	t.patient_id = id;
	t.object_type = "patient";
	t.object_id = id;
	t.extra_labels = extra_labels;
	return access_svc_check(s, op, &t, d, err);
}

int disclose_patient_rows(mrt_session *s, enum access_op op, const char *action,
                          const char *mrn, const char *sql, int flag,
                          json_t *(*row)(mrt_stmt *st, const void *arg), const void *arg,
                          json_t **out, mrt_err *err)
{
	*out = NULL;
	mrt_db *db = mrt_session_db(s);
	int64_t patient = 0;
	struct access_decision d;
	int rc = disclose_patient_access(s, op, action, mrn, 0, &patient, 0, &d, err);
	if (rc || (rc = mrt_db_begin(db, err)) != 0)
		return rc;
	rc = svc_audit(s, action, "patient", patient, patient, access_outcome(&d), NULL, err);
	mrt_stmt *st = rc ? NULL : mrt_db_stmt(db, sql, err);
	if (rc == 0 && !st)
		rc = err->code;
	json_t *a = json_array();
	if (rc == 0) {
		mrt_stmt_bind_int(st, 1, patient);
		if (flag >= 0)
			mrt_stmt_bind_int(st, 2, flag);
		while ((rc = mrt_stmt_step(st, err)) == 1)
			json_array_append_new(a, row(st, arg));
		mrt_stmt_reset(st);
	}
	if ((rc = svc_finish(db, rc < 0 ? rc : 0, err)) != 0) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

int disclose_read_begin(mrt_session *s, int64_t id, const char *action, mrt_err *err)
{
	static const char sql[] = "SELECT patient_id FROM disclosure WHERE id = ?";
	mrt_db *db = mrt_session_db(s);
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, id);
	int rc = mrt_stmt_step(st, err);
	int64_t patient = rc == 1 ? mrt_stmt_int(st, 0) : -1;
	mrt_stmt_reset(st);
	struct access_decision d;
	if (rc < 0 || (rc = disclose_patient_access(s, ACCESS_DISCLOSE_ACCOUNT, action, NULL, patient,
	                                            &patient, 0, &d, err)) != 0)
		return rc == MRT_ENOTFOUND ? mrt_err_set(err, rc, "no disclosure %" PRId64, id) : rc;
	if ((rc = mrt_db_begin(db, err)) != 0)
		return rc;
	rc = svc_audit(s, action, "disclosure", id, patient, access_outcome(&d), NULL, err);
	if (rc)
		mrt_db_rollback(db);
	return rc;
}

const char *disclose_text(const char *s)
{
	if (!s)
		return NULL;
	for (const char *p = s; *p; p++)
		if (!isspace((unsigned char)*p))
			return s;
	return NULL;
}
