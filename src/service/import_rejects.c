/*
 * Listing and showing rejects; see import_rejects.h.
 */
#include <inttypes.h>
#include <stdio.h>

#include "chart/chart.h"
#include "service/import_rejects.h"

static int require(mrt_session *s, const char *action, mrt_err *err)
{
	if (mrt_session_has_role(s, MRT_ROLE_PRIVACY))
		return 0;
	return mrt_session_require_either(s, MRT_ROLE_ADMIN, MRT_ROLE_HIM, action, err);
}

static int audit(mrt_session *s, const char *action, const char *id, const char *detail,
		 mrt_err *err)
{
	struct mrt_audit_rec a = {
	    .action = action, .object_type = "reject", .object_id = id, .detail = detail};
	return mrt_session_audit(s, &a, err);
}

int import_rejects_list(mrt_session *s, const char *kind, size_t limit, json_t **out, mrt_err *err)
{
	*out = NULL;
	mrt_db *db = mrt_session_db(s);
	int rc = require(s, "reject.list", err);
	if (rc || (rc = mrt_db_begin(db, err)) != 0)
		return rc;
	json_t *a = NULL;
	rc = chart_rejects_json(db, kind, limit ? limit : (size_t)INT64_MAX, &a, err);
	size_t i;
	json_t *r;
	json_array_foreach(a, i, r)
	{
		json_object_set(r, "size", json_object_get(r, "bytes"));
		json_object_del(r, "bytes");
	}
	char detail[96];
	snprintf(detail, sizeof detail, "%zu rejects listed", json_array_size(a));
	if (rc == 0)
		rc = audit(s, "reject.list", NULL, detail, err);
	if (rc == 0)
		rc = mrt_db_commit(db, err);
	else
		mrt_db_rollback(db);
	if (rc) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

int import_rejects_show(mrt_session *s, int64_t id, struct chart_reject **out, mrt_err *err)
{
	*out = NULL;
	mrt_db *db = mrt_session_db(s);
	int rc = require(s, "reject.show", err);
	if (rc || (rc = mrt_db_begin(db, err)) != 0)
		return rc;
	char oid[24], detail[64];
	snprintf(oid, sizeof oid, "%" PRId64, id);
	rc = chart_reject_get(db, id, out, err);
	if (rc == 0) {
		snprintf(detail, sizeof detail, "content shown (%zu bytes)", (*out)->len);
		rc = audit(s, "reject.show", oid, detail, err);
	}
	if (rc == 0)
		rc = mrt_db_commit(db, err);
	else
		mrt_db_rollback(db);
	if (rc) {
		chart_reject_free(*out);
		*out = NULL;
	}
	return rc;
}
