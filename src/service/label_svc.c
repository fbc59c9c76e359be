/*
 * Labels by hand (see label_svc.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "chart/chart.h"
#include "service/access_svc.h"
#include "service/label_svc.h"

#define REASON_MAX 1000

static int check_code(const char *code, mrt_err *err)
{
	if (access_label_bit(code))
		return 0;
	char all[256] = "";
	size_t used = 0;
	for (int i = 0; i < LABEL_COUNT; i++) {
		int n = snprintf(all + used, sizeof all - used, "%s%s", i ? ", " : "",
		                 access_labels[i].code);
		if (n < 0 || (size_t)n >= sizeof all - used)
			break;
		used += (size_t)n;
	}
	return mrt_err_set(err, MRT_EINVAL, "not a sensitivity label (one of: %s)", all);
}

static int change(mrt_session *s, int add, const char *type, const char *ref, const char *code,
                  const char *reason, int *changed, mrt_err *err)
{
	*changed = 0;
	const char *action = add ? "label.add" : "label.remove";
	struct access_target t = { .action = action };
	int rc = access_svc_check(s, ACCESS_LABEL_SET, &t, NULL, err);
	if (rc || (rc = check_code(code, err)) != 0)
		return rc;
	if (reason && strlen(reason) > REASON_MAX)
		return mrt_err_set(err, MRT_EINVAL, "--reason is longer than %d characters", REASON_MAX);
	const char *stored = strcmp(code, "PART2") == 0 ? "42CFRPart2" : code;
	mrt_db *db = mrt_session_db(s);
	if ((rc = mrt_db_begin(db, err)) != 0)
		return rc;
	int64_t obj = 0, patient = 0;
	struct chart_ctx c;
	chart_ctx_init(&c, "privacy-officer", mrt_session_user_id(s));
	rc = chart_label_object(db, type, ref, &obj, &patient, err);
	if (rc == 0 && add)
		rc = chart_label_set(db, &c, patient, type, obj, ACCESS_ACTCODE_SYSTEM, stored, reason,
		                     changed, err);
	else if (rc == 0)
		rc = chart_label_end(db, &c, type, obj, ACCESS_ACTCODE_SYSTEM, stored, reason, changed,
		                     err);
	if (rc == 0 && *changed) {
		char oid[32];
		snprintf(oid, sizeof oid, "%" PRId64, obj);
		struct mrt_audit_rec r = { .action = action, .object_type = type, .object_id = oid,
		                           .patient_id = patient };
		rc = mrt_session_audit(s, &r, err);
	}
	if (rc) {
		mrt_db_rollback(db);
		return rc == MRT_ENOTFOUND ? mrt_err_set(err, rc, "no %s with that id", type) : rc;
	}
	return mrt_db_commit(db, err);
}

int label_svc_add(mrt_session *s, const char *object_type, const char *ref, const char *code,
                  const char *reason, int *changed, mrt_err *err)
{
	return change(s, 1, object_type, ref, code, reason, changed, err);
}

int label_svc_remove(mrt_session *s, const char *object_type, const char *ref, const char *code,
                     const char *reason, int *changed, mrt_err *err)
{
	return change(s, 0, object_type, ref, code, reason, changed, err);
}

int label_svc_list(mrt_session *s, const char *mrn, json_t **out, mrt_err *err)
{
	*out = NULL;
	struct access_target t = { .action = "label.list" };
	int rc = access_svc_check(s, ACCESS_LABEL_SET, &t, NULL, err);
	mrt_db *db = mrt_session_db(s);
	int64_t id = 0;
	if (rc || (rc = chart_patient_by_mrn(db, mrn, &id, err)) != 0 ||
	    (rc = mrt_db_begin(db, err)) != 0)
		return rc;
	char oid[32];
	snprintf(oid, sizeof oid, "%" PRId64, id);
	struct mrt_audit_rec r = { .action = "label.list", .object_type = "patient", .object_id = oid,
	                           .patient_id = id };
	rc = mrt_session_audit(s, &r, err);
	if (rc == 0)
		rc = chart_labels_json(db, id, out, err);
	if (rc) {
		mrt_db_rollback(db);
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	return mrt_db_commit(db, err);
}
