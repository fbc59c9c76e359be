/*
 * Answering and closing a physician query (chartqa_svc.h): the physician
 * it was sent to answers (ACCESS_PATIENT_READ on the encounter), which
 * closes their work item and gives the asking coder one; the coder closes
 * it (ACCESS_CHART_CODE), linking the coding in force then: a new version
 * since the query was asked is the resulting code change.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/str.h"
#include "service/access_svc.h"
#include "service/pq_int.h"
#include "service/queue_svc.h"
#include "service/svc_util.h"

int pq_load(mrt_session *s, int64_t id, struct pq_row *q, mrt_err *err)
{
	static const char sql[] =
	    "SELECT q.id, q.encounter_id, q.patient_id, q.asked_by, coalesce(q.to_provider_id, 0),"
	    " coalesce(q.to_user_id, 0), coalesce(q.coding_before, 0), q.status, q.format, u.name"
	    " FROM physician_query q JOIN app_user u ON u.id = q.asked_by WHERE q.id = ?";
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, id);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1) {
		*q = (struct pq_row){.id = id,
				     .enc = mrt_stmt_int(st, 1),
				     .patient = mrt_stmt_int(st, 2),
				     .asked_by = mrt_stmt_int(st, 3),
				     .to_provider = mrt_stmt_int(st, 4),
				     .to_user = mrt_stmt_int(st, 5),
				     .coding_before = mrt_stmt_int(st, 6)};
		mrt_strlcpy(q->status, mrt_stmt_text(st, 7), sizeof q->status);
		mrt_strlcpy(q->format, mrt_stmt_text(st, 8), sizeof q->format);
		mrt_strlcpy(q->asker, mrt_stmt_text(st, 9), sizeof q->asker);
	}
	mrt_stmt_reset(st);
	if (rc == 0)
		return mrt_err_set(err, MRT_ENOTFOUND, "no physician query %" PRId64, id);
	return rc < 0 ? rc : 0;
}

/* Marks the query's open work items done: those the session may close
 * (its own, its roles', or any for a supervisor); another user's item is
 * left to them. */
static int items_done(mrt_session *s, int64_t id, const char *note, mrt_err *err)
{
	static const char sql[] =
	    "SELECT w.id FROM work_item w WHERE w.subject_type = 'physician_query'"
	    " AND w.subject_id = ?1 AND w.status IN ('open','in-progress')"
	    " AND (?3 OR w.assigned_user = ?2 OR EXISTS (SELECT 1 FROM role_grant g"
	    "  WHERE g.user_id = ?2 AND g.role = w.assigned_role AND g.revoked_at IS NULL))"
	    " ORDER BY w.id";
	char subject[32];
	int64_t items[8];
	size_t n = 0;
	snprintf(subject, sizeof subject, "%" PRId64, id);
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, subject);
	mrt_stmt_bind_int(st, 2, mrt_session_user_id(s));
	mrt_stmt_bind_int(st, 3,
			  mrt_session_has_role(s, MRT_ROLE_ADMIN) ||
			      mrt_session_has_role(s, MRT_ROLE_HIM));
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1 && n < 8)
		items[n++] = mrt_stmt_int(st, 0);
	mrt_stmt_reset(st);
	for (size_t i = 0; rc >= 0 && i < n; i++)
		rc = queue_svc_done(s, items[i], note, err);
	return rc < 0 ? rc : 0;
}

static int check_choice(mrt_session *s, const struct pq_row *q, int choice, const char *text,
			mrt_err *err)
{
	static const char sql[] =
	    "SELECT kind FROM physician_query_option WHERE query_id = ? AND seq = ?";
	if (strcmp(q->format, "open") == 0)
		return choice || !text || !*text
			   ? mrt_err_set(err, MRT_EINVAL,
					 "--text: an open query is answered in"
					 " words")
			   : 0;
	if (choice <= 0)
		return mrt_err_set(err, MRT_EINVAL,
				   "--choice N: a multiple-choice query is answered"
				   " with one of its options");
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, q->id);
	mrt_stmt_bind_int(st, 2, choice);
	int rc = mrt_stmt_step(st, err);
	int other = rc == 1 && strcmp(mrt_stmt_text(st, 0), "other") == 0;
	mrt_stmt_reset(st);
	if (rc == 0)
		return mrt_err_set(err, MRT_EINVAL, "--choice %d: the query has no such option",
				   choice);
	if (rc == 1 && other && (!text || !*text))
		return mrt_err_set(err, MRT_EINVAL, "--text: say what the other diagnosis is");
	return rc < 0 ? rc : 0;
}

static int answer_rows(mrt_session *s, const struct pq_row *q, int choice, const char *text,
		       mrt_err *err)
{
	static const char sql[] =
	    "UPDATE physician_query SET status = 'answered', answer_option = ?, answer_text = ?,"
	    " answered_by = ?, answered_at = ? WHERE id = ?";
	char now[32];
	mrt_now_iso(now);
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	if (choice > 0)
		mrt_stmt_bind_int(st, 1, choice);
	mrt_stmt_bind_text(st, 2, text);
	mrt_stmt_bind_int(st, 3, mrt_session_user_id(s));
	mrt_stmt_bind_text(st, 4, now);
	mrt_stmt_bind_int(st, 5, q->id);
	int rc = mrt_stmt_run(st, err);
	if (rc == 0)
		rc = items_done(s, q->id, "answered", err);
	if (rc == 0)
		rc = pq_item(s, "query-answered", q->id, q->patient, q->asker,
			     "physician query answered: review and close", err);
	return rc;
}

int pq_svc_answer(mrt_session *s, int64_t id, int choice, const char *text, mrt_err *err)
{
	struct pq_row q;
	if (text && strlen(text) > 4000)
		return mrt_err_set(err, MRT_EINVAL, "--text: at most 4000 characters");
	int rc = mrt_session_require(s, MRT_ROLE_PHYSICIAN, "query.answer", err);
	if (rc || (rc = pq_load(s, id, &q, err)) != 0)
		return rc;
	int mine = q.to_user ? q.to_user == mrt_session_user_id(s)
			     : q.to_provider && q.to_provider == mrt_session_provider_id(s);
	if (!mine)
		return mrt_err_set(err, MRT_EACCESS,
				   "physician query %" PRId64 " was sent to another"
				   " physician",
				   id);
	if (strcmp(q.status, "open") != 0)
		return mrt_err_set(err, MRT_EEXIST, "physician query %" PRId64 " is already %s", id,
				   q.status);
	struct access_target t = {.action = "query.answer",
				  .patient_id = q.patient,
				  .object_type = "encounter",
				  .object_id = q.enc};
	struct access_decision d;
	if ((rc = access_svc_check(s, ACCESS_PATIENT_READ, &t, &d, err)) != 0 ||
	    (rc = check_choice(s, &q, choice, text, err)) != 0)
		return rc;
	mrt_db *db = mrt_session_db(s);
	if ((rc = mrt_db_begin(db, err)) != 0)
		return rc;
	rc = answer_rows(s, &q, choice, text, err);
	if (rc == 0)
		rc = svc_audit(s, "query.answer", "physician_query", id, q.patient,
			       access_outcome(&d),
			       choice > 0 ? "option chosen" : "answered in words", err);
	return svc_finish(db, rc, err);
}

static int close_rows(mrt_session *s, const struct pq_row *q, const char **outcome, mrt_err *err)
{
	static const char sql[] =
	    "UPDATE physician_query SET status = 'closed', closed_by = ?, closed_at = ?,"
	    " coding_after = ?, outcome = ? WHERE id = ?";
	int64_t after = 0;
	int rc = pq_current_coding(mrt_session_db(s), q->enc, &after, err);
	if (rc)
		return rc;
	*outcome = after != q->coding_before ? "code-change" : "no-change";
	char now[32];
	mrt_now_iso(now);
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, mrt_session_user_id(s));
	mrt_stmt_bind_text(st, 2, now);
	if (after)
		mrt_stmt_bind_int(st, 3, after);
	mrt_stmt_bind_text(st, 4, *outcome);
	mrt_stmt_bind_int(st, 5, q->id);
	if ((rc = mrt_stmt_run(st, err)) == 0)
		rc = items_done(s, q->id, *outcome, err);
	return rc;
}

int pq_svc_close(mrt_session *s, int64_t id, const char **outcome, mrt_err *err)
{
	struct pq_row q;
	struct access_target t = {.action = "query.close"};
	struct access_decision d;
	int rc = access_svc_check(s, ACCESS_CHART_CODE, &t, &d, err);
	if (rc || (rc = pq_load(s, id, &q, err)) != 0)
		return rc;
	t.patient_id = q.patient;
	t.object_type = "encounter";
	t.object_id = q.enc;
	if ((rc = access_svc_check(s, ACCESS_CHART_CODE, &t, &d, err)) != 0)
		return rc;
	if (strcmp(q.status, "answered") != 0)
		return mrt_err_set(err, MRT_EINVAL,
				   "physician query %" PRId64 " is %s: only an"
				   " answered query is closed",
				   id, q.status);
	mrt_db *db = mrt_session_db(s);
	if ((rc = mrt_db_begin(db, err)) != 0)
		return rc;
	rc = close_rows(s, &q, outcome, err);
	if (rc == 0)
		rc = svc_audit(s, "query.close", "physician_query", id, q.patient,
			       access_outcome(&d), *outcome, err);
	return svc_finish(db, rc, err);
}
