/*
 * Data use agreements (see dua_svc.h): add, end, list, and the check the
 * limited-data-set export makes. Each change is one transaction with its
 * audit event.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "service/dua_svc.h"
#include "service/svc_util.h"

static int text_ok(const char *v, size_t max, const char *field, mrt_err *err)
{
	if (!v || !*v)
		return mrt_err_set(err, MRT_EINVAL, "dua: %s is required", field);
	if (strlen(v) > max)
		return mrt_err_set(err, MRT_EINVAL, "dua: %s is longer than %zu bytes", field, max);
	return 0;
}

static int check_new(const struct dua_new *n, mrt_err *err)
{
	int rc = text_ok(n->recipient, DUA_TEXT_MAX, "--recipient", err);
	if (rc == 0)
		rc = text_ok(n->purpose, DUA_LONG_TEXT_MAX, "--purpose", err);
	if (rc == 0)
		rc = text_ok(n->permitted_uses, DUA_USES_MAX, "--permitted-uses", err);
	if (rc)
		return rc;
	mrt_day exp;
	if (!n->expires || mrt_date_parse(&exp, n->expires) != 0)
		return mrt_err_set(err, MRT_EINVAL, "dua: --expires: not a date (YYYY-MM-DD)");
	if (exp < mrt_date_today())
		return mrt_err_set(err, MRT_EINVAL, "dua: --expires: the date has passed");
	return 0;
}

static int audit(mrt_session *s, const char *action, int64_t id, const char *outcome,
		 const char *detail, mrt_err *err)
{
	return svc_audit(s, action, "dua", id, 0, outcome, detail, err);
}

int dua_svc_add(mrt_session *s, const struct dua_new *n, int64_t *id, mrt_err *err)
{
	static const char sql[] =
	    "INSERT INTO dua (recipient, purpose, permitted_uses, expires_on, created_at, created_by)"
	    " VALUES (?, ?, ?, ?, ?, ?)";
	*id = 0;
	int rc = mrt_session_require(s, MRT_ROLE_PRIVACY, "dua.add", err);
	if (rc == 0)
		rc = check_new(n, err);
	if (rc)
		return rc;
	mrt_db *db = mrt_session_db(s);
	if ((rc = mrt_db_begin(db, err)) != 0)
		return rc;
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	rc = st ? 0 : err->code;
	if (rc == 0) {
		char now[32];
		mrt_now_iso(now);
		mrt_stmt_bind_text(st, 1, n->recipient);
		mrt_stmt_bind_text(st, 2, n->purpose);
		mrt_stmt_bind_text(st, 3, n->permitted_uses);
		mrt_stmt_bind_text(st, 4, n->expires);
		mrt_stmt_bind_text(st, 5, now);
		mrt_stmt_bind_int(st, 6, mrt_session_user_id(s));
		rc = mrt_stmt_run(st, err);
	}
	if (rc == 0) {
		*id = mrt_db_last_insert_id(db);
		char detail[64];
		snprintf(detail, sizeof detail, "expires=%s", n->expires);
		rc = audit(s, "dua.add", *id, NULL, detail, err);
	}
	if (rc == 0)
		return mrt_db_commit(db, err);
	mrt_db_rollback(db);
	*id = 0;
	return rc;
}

int dua_svc_end(mrt_session *s, int64_t id, const char *reason, mrt_err *err)
{
	static const char sql[] = "UPDATE dua SET ended_at = ?, ended_by = ?, end_reason = ?"
				  " WHERE id = ? AND ended_at IS NULL";
	static const char find_sql[] = "SELECT ended_at IS NOT NULL FROM dua WHERE id = ?";
	int rc = mrt_session_require(s, MRT_ROLE_PRIVACY, "dua.end", err);
	if (rc == 0 && reason && strlen(reason) > DUA_LONG_TEXT_MAX)
		rc = mrt_err_set(err, MRT_EINVAL, "dua end: --reason is longer than %d bytes",
				 DUA_LONG_TEXT_MAX);
	if (rc)
		return rc;
	mrt_db *db = mrt_session_db(s);
	if ((rc = mrt_db_begin(db, err)) != 0)
		return rc;
	mrt_stmt *st = mrt_db_stmt(db, find_sql, err);
	rc = st ? 0 : err->code;
	if (rc == 0) {
		mrt_stmt_bind_int(st, 1, id);
		int r = mrt_stmt_step(st, err);
		int ended = r == 1 ? (int)mrt_stmt_int(st, 0) : 0;
		mrt_stmt_reset(st);
		if (r < 0)
			rc = r;
		else if (r == 0)
			rc = mrt_err_set(err, MRT_ENOTFOUND, "no data use agreement %" PRId64, id);
		else if (ended)
			rc = mrt_err_set(err, MRT_EINVAL, "data use agreement %" PRId64
					 " has already ended", id);
	}
	if (rc == 0 && (st = mrt_db_stmt(db, sql, err)) == NULL)
		rc = err->code;
	if (rc == 0) {
		char now[32];
		mrt_now_iso(now);
		mrt_stmt_bind_text(st, 1, now);
		mrt_stmt_bind_int(st, 2, mrt_session_user_id(s));
		mrt_stmt_bind_text(st, 3, reason && *reason ? reason : NULL);
		mrt_stmt_bind_int(st, 4, id);
		rc = mrt_stmt_run(st, err);
	}
	if (rc == 0)
		rc = audit(s, "dua.end", id, NULL, NULL, err);
	if (rc == 0)
		return mrt_db_commit(db, err);
	mrt_db_rollback(db);
	return rc;
}

static json_t *row_json(mrt_stmt *st, const char *today)
{
	const char *ended = mrt_stmt_text(st, 7);
	const char *expires = mrt_stmt_text(st, 4);
	const char *status = ended ? "ended" : strcmp(expires, today) < 0 ? "expired" : "active";
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s, s:I}", "id",
			 (json_int_t)mrt_stmt_int(st, 0), "recipient", mrt_stmt_text(st, 1),
			 "purpose", mrt_stmt_text(st, 2), "permitted_uses", mrt_stmt_text(st, 3),
			 "expires", expires, "created_at", mrt_stmt_text(st, 5), "created_by",
			 mrt_stmt_text(st, 6), "ended_at", ended, "ended_by", mrt_stmt_text(st, 8),
			 "end_reason", mrt_stmt_text(st, 9), "status", status, "extracts",
			 (json_int_t)mrt_stmt_int(st, 10));
}

static int list_rows(mrt_db *db, int all, const char *today, json_t *arr, mrt_err *err)
{
	static const char sql[] =
	    "SELECT d.id, d.recipient, d.purpose, d.permitted_uses, d.expires_on, d.created_at,"
	    " c.name, d.ended_at, e.name, d.end_reason,"
	    " (SELECT count(*) FROM deid_extract x WHERE x.dua_id = d.id)"
	    " FROM dua d LEFT JOIN app_user c ON c.id = d.created_by"
	    " LEFT JOIN app_user e ON e.id = d.ended_by"
	    " WHERE ?1 OR (d.ended_at IS NULL AND d.expires_on >= ?2) ORDER BY d.id";
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, all ? 1 : 0);
	mrt_stmt_bind_text(st, 2, today);
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		json_t *o = row_json(st, today);
		if (!o || json_array_append_new(arr, o) != 0) {
			rc = mrt_err_set(err, MRT_ENOMEM, "dua list: out of memory");
			break;
		}
	}
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int dua_svc_list(mrt_session *s, int all, json_t **out, mrt_err *err)
{
	*out = NULL;
	int rc = mrt_session_require_either(s, MRT_ROLE_PRIVACY, MRT_ROLE_RESEARCHER, "dua.list",
					    err);
	if (rc)
		return rc;
	char today[MRT_DATE_LEN];
	mrt_date_format(today, mrt_date_today());
	json_t *arr = json_array();
	if (!arr)
		return mrt_err_set(err, MRT_ENOMEM, "dua list: out of memory");
	mrt_db *db = mrt_session_db(s);
	if ((rc = mrt_db_begin(db, err)) != 0) {
		json_decref(arr);
		return rc;
	}
	rc = list_rows(db, all, today, arr, err);
	if (rc == 0) {
		char detail[64];
		snprintf(detail, sizeof detail, "rows=%zu all=%d", json_array_size(arr), all ? 1 : 0);
		rc = audit(s, "dua.list", 0, NULL, detail, err);
	}
	if (rc == 0)
		rc = mrt_db_commit(db, err);
	else
		mrt_db_rollback(db);
	if (rc)
		json_decref(arr);
	else
		*out = arr;
	return rc;
}

int dua_check_active(mrt_db *db, int64_t id, const char *today, mrt_err *err)
{
	static const char sql[] = "SELECT ended_at, expires_on FROM dua WHERE id = ?";
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, id);
	int rc = mrt_stmt_step(st, err);
	if (rc == 0)
		rc = mrt_err_set(err, MRT_ENOTFOUND, "no data use agreement %" PRId64, id);
	else if (rc == 1 && !mrt_stmt_is_null(st, 0))
		rc = mrt_err_set(err, MRT_EACCESS,
				 "data use agreement %" PRId64 " has ended: no limited data set under it",
				 id);
	else if (rc == 1 && strcmp(mrt_stmt_text(st, 1), today) < 0)
		rc = mrt_err_set(err, MRT_EACCESS,
				 "data use agreement %" PRId64 " expired on %s: no limited data set "
				 "under it",
				 id, mrt_stmt_text(st, 1));
	else if (rc == 1)
		rc = 0;
	mrt_stmt_reset(st);
	return rc;
}
