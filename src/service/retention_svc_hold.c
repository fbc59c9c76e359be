/*
 * Legal holds (see retention_svc.h): placed on a patient's record for a
 * matter (litigation, investigation, audit), active until released with a
 * reason or until their --until date passes; an active hold stops any
 * purge. Holds are never deleted.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "service/retention_svc_int.h"

static int check(mrt_session *s, const char *action, int64_t patient, int64_t hold,
                 mrt_err *err)
{
	struct access_target t = { .action = action, .patient_id = patient,
	                           .object_type = hold ? "legal_hold" : NULL, .object_id = hold };
	return access_svc_check(s, ACCESS_RETENTION, &t, NULL, err);
}

static int insert_hold(mrt_session *s, int64_t patient, const char *matter, const char *until,
                       int64_t *id, mrt_err *err)
{
	static const char sql[] =
		"INSERT INTO legal_hold(patient_id, matter, placed_at, placed_by, until_date)"
		" VALUES (?,?,?,?,?)";
	char now[32];
	mrt_now_iso(now);
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, patient);
	mrt_stmt_bind_text(st, 2, matter);
	mrt_stmt_bind_text(st, 3, now);
	mrt_stmt_bind_int(st, 4, mrt_session_user_id(s));
	mrt_stmt_bind_text(st, 5, until);
	int rc = mrt_stmt_run(st, err);
	*id = rc ? 0 : mrt_db_last_insert_id(mrt_session_db(s));
	return rc;
}

int retention_svc_hold_add(mrt_session *s, const char *mrn, const char *matter,
                           const char *until, int64_t *id, mrt_err *err)
{
	struct rq_patient p;
	mrt_day day;
	int rc = rq_text("--matter", matter, 500, 1, err);
	if (rc || (rc = rq_date("--until", until, &day, err)) != 0)
		return rc;
	if (until && day < mrt_date_today())
		return mrt_err_set(err, MRT_EINVAL, "--until is in the past");
	if ((rc = check(s, "hold.add", 0, 0, err)) != 0 ||
	    (rc = rq_patient_by_mrn(s, mrn, &p, err)) != 0 ||
	    (rc = check(s, "hold.add", p.id, 0, err)) != 0)
		return rc;
	mrt_db *db = mrt_session_db(s);
	if ((rc = mrt_db_begin(db, err)) != 0)
		return rc;
	rc = insert_hold(s, p.id, matter, until, id, err);
	if (rc == 0)
		rc = svc_audit(s, "hold.add", "legal_hold", *id, p.id, NULL, NULL, err);
	return svc_finish(db, rc, err);
}

int retention_svc_hold_release(mrt_session *s, int64_t id, const char *reason, mrt_err *err)
{
	static const char get_sql[] = "SELECT patient_id, released_at FROM legal_hold WHERE id = ?";
	static const char sql[] =
		"UPDATE legal_hold SET released_at = ?, released_by = ?, release_reason = ?"
		" WHERE id = ? AND released_at IS NULL";
	int rc = rq_text("--reason", reason, 1000, 1, err);
	if (rc || (rc = check(s, "hold.release", 0, id, err)) != 0)
		return rc;
	mrt_db *db = mrt_session_db(s);
	mrt_stmt *st = mrt_db_stmt(db, get_sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, id);
	int64_t patient = 0;
	int released = 0;
	if ((rc = mrt_stmt_step(st, err)) == 1) {
		patient = mrt_stmt_int(st, 0);
		released = !mrt_stmt_is_null(st, 1);
	}
	mrt_stmt_reset(st);
	if (rc <= 0)
		return rc < 0 ? rc : mrt_err_set(err, MRT_ENOTFOUND, "no legal hold %" PRId64, id);
	if (released)
		return mrt_err_set(err, MRT_EEXIST, "legal hold %" PRId64 " is released already", id);
	if ((rc = check(s, "hold.release", patient, id, err)) != 0 ||
	    (rc = mrt_db_begin(db, err)) != 0)
		return rc;
	char now[32];
	mrt_now_iso(now);
	st = mrt_db_stmt(db, sql, err);
	rc = st ? 0 : err->code;
	if (rc == 0) {
		mrt_stmt_bind_text(st, 1, now);
		mrt_stmt_bind_int(st, 2, mrt_session_user_id(s));
		mrt_stmt_bind_text(st, 3, reason);
		mrt_stmt_bind_int(st, 4, id);
		rc = mrt_stmt_run(st, err);
	}
	if (rc == 0)
		rc = svc_audit(s, "hold.release", "legal_hold", id, patient, NULL, NULL, err);
	return svc_finish(db, rc, err);
}

static const char list_sql[] =
	"SELECT h.id, p.mrn, h.matter, h.placed_at, u.name AS placed_by, h.until_date,"
	" h.released_at, ru.name AS released_by, h.release_reason,"
	" (h.released_at IS NULL AND (h.until_date IS NULL OR h.until_date >= ?3)) AS active,"
	" h.patient_id FROM legal_hold h JOIN patient p ON p.id = h.patient_id"
	" JOIN app_user u ON u.id = h.placed_by LEFT JOIN app_user ru ON ru.id = h.released_by"
	" WHERE (?1 = 0 OR h.patient_id = ?1) AND (?2 = 1 OR (h.released_at IS NULL"
	"   AND (h.until_date IS NULL OR h.until_date >= ?3))) ORDER BY h.id";

static int audit_rows(mrt_session *s, json_t *rows, mrt_err *err)
{
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		int64_t patient = json_integer_value(json_object_get(r, "patient_id"));
		json_object_set_new(r, "active", json_boolean(json_integer_value(json_object_get(r,
		                                                                   "active"))));
		json_object_del(r, "patient_id");
		int rc = svc_audit(s, "hold.list", "legal_hold",
		                   json_integer_value(json_object_get(r, "id")), patient, NULL, NULL, err);
		if (rc)
			return rc;
	}
	return 0;
}

int retention_svc_hold_list(mrt_session *s, const char *mrn, int all, json_t **out,
                            mrt_err *err)
{
	struct rq_patient p = { 0 };
	*out = NULL;
	int rc = check(s, "hold.list", 0, 0, err);
	if (rc || (mrn && (rc = rq_patient_by_mrn(s, mrn, &p, err)) != 0) ||
	    (p.id && (rc = check(s, "hold.list", p.id, 0, err)) != 0))
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
		mrt_stmt_bind_int(st, 2, all);
		mrt_stmt_bind_text(st, 3, today);
		rc = svc_rows_json(st, *out, err);
	}
	if (rc == 0)
		rc = audit_rows(s, *out, err);
	return svc_finish_json(db, rc, out, err);
}
