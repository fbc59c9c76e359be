/*
 * Break-the-glass review (see glass_svc.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "service/access_svc.h"
#include "service/glass_svc.h"
#include "service/queue_svc.h"
#include "service/svc_util.h"
#include "service/svc_util.h"

#define NOTE_MAX 2000

static const char list_sql[] =
	"SELECT g.id, u.name AS user, p.mrn, g.category, g.reason, g.labels, g.started_at,"
	" g.expires_at, g.reads, g.work_item_id, g.reviewed_at, r.name AS reviewed_by,"
	" g.review_outcome, g.review_note"
	" FROM break_glass g JOIN app_user u ON u.id = g.user_id JOIN patient p ON p.id = g.patient_id"
	" LEFT JOIN app_user r ON r.id = g.reviewed_by"
	" WHERE ?1 OR g.reviewed_at IS NULL ORDER BY g.id";

int glass_svc_list(mrt_session *s, int all, json_t **out, mrt_err *err)
{
	*out = NULL;
	struct access_target t = { .action = "privacy.review" };
	int rc = access_svc_check(s, ACCESS_PRIVACY_REVIEW, &t, NULL, err);
	mrt_db *db = mrt_session_db(s);
	if (rc || (rc = mrt_db_begin(db, err)) != 0)
		return rc;
	mrt_stmt *st = mrt_db_stmt(db, list_sql, err);
	json_t *a = json_array();
	if (!st)
		rc = err->code;
	else
		mrt_stmt_bind_int(st, 1, all);
	while (rc == 0 && (rc = mrt_stmt_step(st, err)) == 1) {
		rc = 0;
		json_array_append_new(a, svc_row_json(st));
	}
	if (st)
		mrt_stmt_reset(st);
	if (rc == 0) {
		/* One event for the list, one per patient whose use it shows. */
		char detail[64];
		snprintf(detail, sizeof detail, "%zu uses", json_array_size(a));
		struct mrt_audit_rec r = { .action = "privacy.review.list", .detail = detail };
		rc = mrt_session_audit(s, &r, err);
	}
	if (rc) {
		mrt_db_rollback(db);
		json_decref(a);
		return rc;
	}
	*out = a;
	return mrt_db_commit(db, err);
}

static int load(mrt_db *db, int64_t id, int64_t *patient, int64_t *item, int *reviewed,
                mrt_err *err)
{
	mrt_stmt *st = mrt_db_stmt(db, "SELECT patient_id, work_item_id, reviewed_at IS NOT NULL"
	                               " FROM break_glass WHERE id = ?", err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, id);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1) {
		*patient = mrt_stmt_int(st, 0);
		*item = mrt_stmt_int(st, 1);
		*reviewed = (int)mrt_stmt_int(st, 2);
	}
	mrt_stmt_reset(st);
	if (rc == 0)
		return mrt_err_set(err, MRT_ENOTFOUND, "no break-the-glass use %" PRId64, id);
	return rc < 0 ? rc : 0;
}

int glass_svc_review(mrt_session *s, int64_t id, const char *outcome, const char *note,
                     mrt_err *err)
{
	if (!outcome || (strcmp(outcome, "appropriate") && strcmp(outcome, "inappropriate")))
		return mrt_err_set(err, MRT_EINVAL, "--outcome must be appropriate or inappropriate");
	if (note && strlen(note) > NOTE_MAX)
		return mrt_err_set(err, MRT_EINVAL, "--note is longer than %d characters", NOTE_MAX);
	struct access_target t = { .action = "privacy.review" };
	int rc = access_svc_check(s, ACCESS_PRIVACY_REVIEW, &t, NULL, err);
	mrt_db *db = mrt_session_db(s);
	if (rc || (rc = mrt_db_begin(db, err)) != 0)
		return rc;
	int64_t patient = 0, item = 0;
	int reviewed = 0;
	rc = load(db, id, &patient, &item, &reviewed, err);
	if (rc == 0 && reviewed)
		rc = mrt_err_set(err, MRT_EINVAL, "break-the-glass use %" PRId64 " is already reviewed",
		                 id);
	mrt_stmt *st = NULL;
	if (rc == 0) {
		st = mrt_db_stmt(db, "UPDATE break_glass SET reviewed_at = ?, reviewed_by = ?,"
		                     " review_outcome = ?, review_note = ? WHERE id = ?", err);
		rc = st ? 0 : err->code;
	}
	if (rc == 0) {
		char now[32];
		mrt_now_iso(now);
		mrt_stmt_bind_text(st, 1, now);
		mrt_stmt_bind_int(st, 2, mrt_session_user_id(s));
		mrt_stmt_bind_text(st, 3, outcome);
		mrt_stmt_bind_text(st, 4, note);
		mrt_stmt_bind_int(st, 5, id);
		rc = mrt_stmt_run(st, err);
	}
	if (rc == 0 && item) {
		rc = queue_svc_done(s, item, outcome, err);
		if (rc == MRT_EEXIST) /* closed by hand before: the review still counts */
			rc = 0;
	}
	if (rc == 0) {
		char oid[32];
		snprintf(oid, sizeof oid, "%" PRId64, id);
		struct mrt_audit_rec r = { .action = "privacy.review", .object_type = "break_glass",
		                           .object_id = oid, .patient_id = patient, .detail = outcome };
		rc = mrt_session_audit(s, &r, err);
	}
	return svc_finish(db, rc, err);
}
