/*
 * Physician queries (chartqa_svc.h, docs/physician-queries.md): a coder
 * asks (compliance checked by chart/phys_query.h; the question goes to
 * the attending's user, or to the physician named), the physician answers,
 * the coder closes it, linking the coding version after the answer. The
 * query is a work item of the physician, its answer one of the coder; an
 * open query holds the encounter out of final coding (pq_svc_hold).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "chart/phys_query.h"
#include "service/chart_svc_int.h"
#include "service/chartqa_int.h"
#include "service/pq_int.h"
#include "service/queue_svc.h"
#include "service/svc_util.h"

int pq_current_coding(mrt_db *db, int64_t enc, int64_t *coding, mrt_err *err)
{
	static const char sql[] =
	    "SELECT id FROM coding WHERE encounter_id = ? AND superseded_by IS NULL";
	return svc_int_by_id(db, sql, enc, coding, err);
}

/* The physician a query goes to: the user named (who must hold the
 * physician role), else the attending and their linked user. */
static int recipient(mrt_session *s, const char *to, int64_t enc, int64_t *provider, int64_t *uid,
		     char *name, size_t cap, mrt_err *err)
{
	static const char by_name[] =
	    "SELECT u.id, coalesce(u.provider_id, 0) FROM app_user u WHERE u.name = ?"
	    " AND u.active = 1 AND EXISTS (SELECT 1 FROM role_grant g WHERE g.user_id = u.id"
	    "  AND g.role = 'physician' AND g.revoked_at IS NULL)";
	static const char attending[] =
	    "SELECT coalesce(attending_id, 0) FROM encounter WHERE id = ?";
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), to ? by_name : attending, err);
	if (!st)
		return err->code;
	if (to)
		mrt_stmt_bind_text(st, 1, to);
	else
		mrt_stmt_bind_int(st, 1, enc);
	int rc = mrt_stmt_step(st, err);
	*uid = to && rc == 1 ? mrt_stmt_int(st, 0) : 0;
	*provider = rc == 1 ? mrt_stmt_int(st, to ? 1 : 0) : 0;
	mrt_stmt_reset(st);
	if (rc < 0)
		return rc;
	if (to) {
		if (rc == 0)
			return mrt_err_set(err, MRT_ENOTFOUND,
					   "--to: no active physician user by that"
					   " name");
		mrt_strlcpy(name, to, cap);
		return 0;
	}
	if (!*provider)
		return mrt_err_set(err, MRT_EINVAL,
				   "the encounter has no attending physician: name"
				   " the physician with --to");
	return cq_provider_user(s, *provider, name, cap, uid, err);
}

static int insert_query(mrt_session *s, const struct pq_new *q, const struct pq_target *t,
			int64_t *id, mrt_err *err)
{
	static const char sql[] =
	    "INSERT INTO physician_query(patient_id, encounter_id, question, format, asked_by,"
	    " asked_at, to_provider_id, to_user_id, coding_before) VALUES (?,?,?,?,?,?,?,?,?)";
	static const char opt[] =
	    "INSERT INTO physician_query_option(query_id, seq, text, kind) VALUES (?,?,?,?)";
	char now[32];
	mrt_now_iso(now);
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, t->patient);
	mrt_stmt_bind_int(st, 2, t->enc);
	mrt_stmt_bind_text(st, 3, q->question);
	mrt_stmt_bind_text(st, 4, q->n_options ? "multiple-choice" : "open");
	mrt_stmt_bind_int(st, 5, mrt_session_user_id(s));
	mrt_stmt_bind_text(st, 6, now);
	if (t->provider)
		mrt_stmt_bind_int(st, 7, t->provider);
	if (t->uid)
		mrt_stmt_bind_int(st, 8, t->uid);
	if (t->coding)
		mrt_stmt_bind_int(st, 9, t->coding);
	int rc = mrt_stmt_run(st, err);
	if (rc)
		return rc;
	*id = mrt_db_last_insert_id(mrt_session_db(s));
	struct pq_option o[PQ_MAX_OPTIONS];
	size_t n = pq_options(q->options, q->n_options, o, PQ_MAX_OPTIONS);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (!(st = mrt_db_stmt(mrt_session_db(s), opt, err)))
			return err->code;
		mrt_stmt_bind_int(st, 1, *id);
		mrt_stmt_bind_int(st, 2, (int64_t)i + 1);
		mrt_stmt_bind_text(st, 3, o[i].text);
		mrt_stmt_bind_text(st, 4, o[i].kind);
		rc = mrt_stmt_run(st, err);
	}
	return rc;
}

int pq_item(mrt_session *s, const char *kind, int64_t query, int64_t patient, const char *user,
	    const char *title, mrt_err *err)
{
	char subject[32];
	snprintf(subject, sizeof subject, "%" PRId64, query);
	struct queue_new n = {.kind = kind,
			      .subject_type = "physician_query",
			      .subject_id = subject,
			      .patient_id = patient,
			      .title = title,
			      .assign_user = user && *user ? user : NULL,
			      .assign_role = user && *user ? NULL : MRT_ROLE_PHYSICIAN};
	int64_t item = 0;
	return queue_svc_add(s, &n, &item, err);
}

int pq_svc_new(mrt_session *s, const struct pq_new *q, int64_t *id, mrt_err *err)
{
	char why[256];
	struct pq_target t = {0};
	struct access_decision d;
	int rc = chart_svc_encounter_access(s, ACCESS_CHART_CODE, "query.new", q->account, NULL,
					    &t.enc, &t.patient, &d, err);
	if (rc)
		return rc;
	if (pq_check(q->question, q->options, q->n_options, why, sizeof why) != 0)
		return mrt_err_set(err, MRT_EINVAL, "query refused: %s", why);
	mrt_db *db = mrt_session_db(s);
	if ((rc = mrt_db_begin(db, err)) != 0)
		return rc;
	char name[128] = "";
	rc = recipient(s, q->to, t.enc, &t.provider, &t.uid, name, sizeof name, err);
	if (rc == 0)
		rc = pq_current_coding(db, t.enc, &t.coding, err);
	if (rc == 0)
		rc = insert_query(s, q, &t, id, err);
	if (rc == 0)
		rc = pq_item(s, "physician-query", *id, t.patient, name,
			     "physician query: documentation clarification requested", err);
	if (rc == 0)
		rc = svc_audit(s, "query.new", "physician_query", *id, t.patient,
			       access_outcome(&d), q->n_options ? "multiple-choice" : "open", err);
	return svc_finish(db, rc, err);
}

int pq_svc_hold(mrt_db *db, int64_t encounter_id, mrt_err *err)
{
	static const char sql[] =
	    "SELECT min(id) FROM physician_query WHERE encounter_id = ? AND status <> 'closed'";
	int64_t q = 0;
	int rc = svc_int_by_id(db, sql, encounter_id, &q, err);
	if (rc)
		return rc;
	if (q)
		return mrt_err_set(err, MRT_EINVAL,
				   "physician query %" PRId64 " is open: it holds the"
				   " encounter out of final coding until it is answered and closed"
				   " (mrt query close %" PRId64 ")",
				   q, q);
	return 0;
}
