/*
 * Helpers shared by the release-of-information services (disclose_int.h):
 * the patient a request names, checked through the access decision, and
 * the audit event.
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

int disclose_audit(mrt_session *s, const char *action, const char *type, int64_t id,
                   int64_t patient, const char *outcome, const char *detail, mrt_err *err)
{
	char oid[32];
	snprintf(oid, sizeof oid, "%" PRId64, id);
	struct mrt_audit_rec r = { .action = action, .object_type = type, .object_id = oid,
	                           .patient_id = patient, .outcome = outcome, .detail = detail };
	return mrt_session_audit(s, &r, err);
}

int disclose_finish(mrt_db *db, int rc, mrt_err *err)
{
	if (rc) {
		mrt_db_rollback(db);
		return rc;
	}
	return mrt_db_commit(db, err);
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
