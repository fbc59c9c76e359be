/*
 * Helpers shared across the services; see svc_util.h.
 */
#include <inttypes.h>
#include <stdio.h>

#include "service/svc_util.h"

int svc_audit(mrt_session *s, const char *action, const char *object_type, int64_t object_id,
              int64_t patient_id, const char *outcome, const char *detail, mrt_err *err)
{
	char oid[32];
	snprintf(oid, sizeof oid, "%" PRId64, object_id);
	struct mrt_audit_rec r = { .action = action, .object_type = object_type,
	                           .object_id = object_id ? oid : NULL, .patient_id = patient_id,
	                           .outcome = outcome, .detail = detail };
	return mrt_session_audit(s, &r, err);
}

int svc_is_supervisor(const mrt_session *s)
{
	return mrt_session_has_role(s, MRT_ROLE_ADMIN) || mrt_session_has_role(s, MRT_ROLE_HIM);
}

int svc_finish(mrt_db *db, int rc, mrt_err *err)
{
	if (rc) {
		mrt_db_rollback(db);
		return rc;
	}
	return mrt_db_commit(db, err);
}

int svc_finish_json(mrt_db *db, int rc, json_t **out, mrt_err *err)
{
	rc = svc_finish(db, rc, err);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

json_t *svc_col_json(mrt_stmt *st, int col)
{
	if (mrt_stmt_is_null(st, col))
		return json_null();
	if (mrt_stmt_is_int(st, col))
		return json_integer(mrt_stmt_int(st, col));
	return json_string(mrt_stmt_text(st, col));
}

json_t *svc_row_json(mrt_stmt *st)
{
	json_t *o = json_object();
	int n = mrt_stmt_columns(st);
	for (int c = 0; o && c < n; c++)
		json_object_set_new(o, mrt_stmt_column_name(st, c), svc_col_json(st, c));
	return o;
}

int svc_rows_json(mrt_stmt *st, json_t *arr, mrt_err *err)
{
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		json_t *o = svc_row_json(st);
		if (!o || json_array_append_new(arr, o) != 0) {
			mrt_stmt_reset(st);
			return mrt_err_set(err, MRT_ENOMEM, "out of memory");
		}
	}
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int svc_row_by_id(mrt_session *s, const char *sql, int64_t id, const char *what, json_t **out,
                  mrt_err *err)
{
	*out = NULL;
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, id);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1)
		*out = svc_row_json(st);
	mrt_stmt_reset(st);
	if (rc == 0)
		return mrt_err_set(err, MRT_ENOTFOUND, "no %s %" PRId64, what, id);
	if (rc == 1 && !*out)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	return rc < 0 ? rc : 0;
}

int svc_int_by_id(mrt_db *db, const char *sql, int64_t id, int64_t *out, mrt_err *err)
{
	*out = 0;
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, id);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1)
		*out = mrt_stmt_int(st, 0);
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}
