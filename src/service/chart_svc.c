/*
 * Chart use cases (see chart_svc.h): access check, one transaction, audit
 * events, then the domain work in src/chart.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "chart/chart.h"
#include "service/chart_svc.h"

/* Every role of the department reads charts (finer rules: labels,
 * restrictions and relations, come with the privacy model). */
static const char *const readers[] = {
	MRT_ROLE_ADMIN, MRT_ROLE_HIM, MRT_ROLE_CODER, MRT_ROLE_REGISTRAR, MRT_ROLE_PRIVACY,
	MRT_ROLE_PHYSICIAN,
};

static int require_reader(mrt_session *s, const char *action, mrt_err *err)
{
	for (size_t i = 0; i < sizeof readers / sizeof readers[0]; i++)
		if (mrt_session_has_role(s, readers[i]))
			return 0;
	return mrt_session_require(s, MRT_ROLE_HIM, action, err);
}

static int audit(mrt_session *s, const char *action, const char *type, int64_t id,
                 int64_t patient, const char *detail, mrt_err *err)
{
	char oid[32];
	snprintf(oid, sizeof oid, "%" PRId64, id);
	struct mrt_audit_rec r = { .action = action, .object_type = type, .object_id = oid,
	                           .patient_id = patient, .detail = detail };
	return mrt_session_audit(s, &r, err);
}

static int finish(mrt_db *db, int rc, mrt_err *err)
{
	if (rc) {
		mrt_db_rollback(db);
		return rc;
	}
	return mrt_db_commit(db, err);
}

int chart_svc_patient_show(mrt_session *s, const char *mrn, json_t **out, mrt_err *err)
{
	*out = NULL;
	mrt_db *db = mrt_session_db(s);
	int rc = require_reader(s, "patient.show", err);
	if (rc || (rc = mrt_db_begin(db, err)) != 0)
		return rc;
	int64_t id = 0;
	rc = chart_patient_by_mrn(db, mrn, &id, err);
	if (rc == 0)
		rc = audit(s, "patient.show", "patient", id, id, NULL, err);
	if (rc == 0)
		rc = chart_patient_json(db, id, out, err);
	rc = finish(db, rc, err);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int chart_svc_patient_find(mrt_session *s, const char *name, const char *birth_date, size_t limit,
                           json_t **out, mrt_err *err)
{
	*out = NULL;
	mrt_db *db = mrt_session_db(s);
	mrt_day day;
	if (birth_date && mrt_date_parse(&day, birth_date) != 0)
		return mrt_err_set(err, MRT_EINVAL, "--birth-date: not a date (YYYY-MM-DD)");
	int rc = require_reader(s, "patient.find", err);
	if (rc || (rc = mrt_db_begin(db, err)) != 0)
		return rc;
	json_t *res = NULL;
	rc = chart_patient_find(db, name, birth_date, limit, &res, err);
	size_t i;
	json_t *v;
	/* One event per patient the search showed (the search words are
	 * patient data: not recorded). */
	json_array_foreach(res, i, v) {
		if (rc)
			break;
		int64_t id = 0;
		rc = chart_patient_by_mrn(db, json_string_value(json_object_get(v, "mrn")), &id, err);
		if (rc == 0)
			rc = audit(s, "patient.find", "patient", id, id, NULL, err);
	}
	if (rc == 0 && json_array_size(res) == 0)
		rc = audit(s, "patient.find", "patient", 0, 0, "no match", err);
	rc = finish(db, rc, err);
	if (rc)
		json_decref(res);
	else
		*out = res;
	return rc;
}

int chart_svc_encounter_show(mrt_session *s, const char *account, json_t **out, mrt_err *err)
{
	*out = NULL;
	mrt_db *db = mrt_session_db(s);
	int rc = require_reader(s, "encounter.show", err);
	if (rc || (rc = mrt_db_begin(db, err)) != 0)
		return rc;
	int64_t id = 0, patient = 0;
	rc = chart_encounter_by_account(db, account, &id, &patient, err);
	if (rc == 0)
		rc = audit(s, "encounter.show", "encounter", id, patient, NULL, err);
	if (rc == 0)
		rc = chart_encounter_json(db, id, out, err);
	rc = finish(db, rc, err);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int chart_svc_coding_status(mrt_session *s, const char *account, const char *status,
                            mrt_err *err)
{
	mrt_db *db = mrt_session_db(s);
	int rc = mrt_session_require_either(s, MRT_ROLE_CODER, MRT_ROLE_ADMIN, "encounter.status", err);
	if (rc || (rc = mrt_db_begin(db, err)) != 0)
		return rc;
	struct chart_ctx c;
	chart_ctx_init(&c, "coder", mrt_session_user_id(s));
	int64_t id = 0, patient = 0;
	int changed = 0;
	rc = chart_encounter_by_account(db, account, &id, &patient, err);
	if (rc == 0)
		rc = chart_coding_status_set(db, &c, id, status, &changed, err);
	if (rc == 0 && changed)
		rc = audit(s, "encounter.status", "encounter", id, patient, status, err);
	return finish(db, rc, err);
}
