/*
 * Patients' requests for access (164.524) and amendment (164.526); see
 * request_svc.h. Deadlines come from privacy/retention.c; listing and the
 * linked statements are in request_svc_list.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "privacy/retention.h"
#include "service/queue_svc.h"
#include "service/request_svc.h"
#include "service/request_svc_int.h"

static int new_validate(const struct request_new *n, mrt_day *received, mrt_err *err)
{
	int rc;
	int access = n->kind && strcmp(n->kind, "access") == 0;
	if (!access && (!n->kind || strcmp(n->kind, "amendment") != 0))
		return mrt_err_set(err, MRT_EINVAL, "the request kind must be access or amendment");
	if (!n->received)
		return mrt_err_set(err, MRT_EINVAL, "--received is required (the day the request came)");
	if ((rc = rq_date("--received", n->received, received, err)) != 0)
		return rc;
	if (*received > mrt_date_today())
		return mrt_err_set(err, MRT_EINVAL, "--received is in the future");
	if (access && n->format && strcmp(n->format, "paper") != 0 &&
	    strcmp(n->format, "electronic") != 0)
		return mrt_err_set(err, MRT_EINVAL, "--format must be paper or electronic");
	if (!access && n->format)
		return mrt_err_set(err, MRT_EINVAL, "--format goes with an access request");
	if (access && (n->what || n->encounter))
		return mrt_err_set(err, MRT_EINVAL, "--what and --encounter go with an amendment");
	return rq_text("--what", n->what, 2000, !access, err);
}

/* A work item for the records technicians, due on the deadline. */
static int add_item(mrt_session *s, int64_t id, int64_t patient, const char *kind,
                    const char *due, int64_t *item, mrt_err *err)
{
	char sid[32], title[96], qkind[32];
	snprintf(sid, sizeof sid, "%" PRId64, id);
	snprintf(qkind, sizeof qkind, "%s-request", kind);
	snprintf(title, sizeof title, "%s request %" PRId64 " due %s", kind, id, due);
	struct queue_new q = { .kind = qkind, .subject_type = "patient_request", .subject_id = sid,
	                       .patient_id = patient, .title = title, .assign_role = MRT_ROLE_HIM,
	                       .due_date = due };
	int rc = queue_svc_add(s, &q, item, err);
	if (rc)
		return rc;
	static const char sql[] = "UPDATE patient_request SET work_item_id = ? WHERE id = ?";
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, *item);
	mrt_stmt_bind_int(st, 2, id);
	return mrt_stmt_run(st, err);
}

/* Whether the queue lets the session close the technicians' items. */
static int may_close_items(const mrt_session *s)
{
	return mrt_session_has_role(s, MRT_ROLE_HIM) || mrt_session_has_role(s, MRT_ROLE_ADMIN);
}

/* Closes the request's work item when the queue lets the session do so
 * (admin or him_technician); otherwise the technicians close it. */
static int close_item(mrt_session *s, int64_t item, const char *note, mrt_err *err)
{
	if (!item || !may_close_items(s))
		return 0;
	mrt_err qerr = { 0 };
	int rc = queue_svc_done(s, item, note, &qerr);
	if (rc == MRT_EEXIST)
		return 0; /* closed by hand already */
	if (rc)
		*err = qerr;
	return rc;
}

static int insert(mrt_session *s, const struct request_new *n, int64_t patient, int64_t enc,
                  const char *due, int64_t *id, mrt_err *err)
{
	static const char sql[] =
		"INSERT INTO patient_request(patient_id, kind, received_date, due_date, format, what,"
		" encounter_id, representative_id, status, created_at, created_by)"
		" VALUES (?,?,?,?,?,?,?,?,'open',?,?)";
	char now[32];
	mrt_now_iso(now);
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, patient);
	const char *text[] = { n->kind, n->received, due, n->format, n->what };
	for (int i = 0; i < 5; i++)
		mrt_stmt_bind_text(st, 2 + i, text[i]);
	if (enc)
		mrt_stmt_bind_int(st, 7, enc);
	if (n->representative)
		mrt_stmt_bind_int(st, 8, n->representative);
	mrt_stmt_bind_text(st, 9, now);
	mrt_stmt_bind_int(st, 10, mrt_session_user_id(s));
	int rc = mrt_stmt_run(st, err);
	*id = rc ? 0 : mrt_db_last_insert_id(mrt_session_db(s));
	return rc;
}

/* The representative must act for the patient on the day received. */
static int check_rep(mrt_session *s, const struct request_new *n, int64_t patient, mrt_err *err)
{
	int valid = 0;
	const char *why = NULL;
	if (!n->representative)
		return 0;
	int rc = request_svc_rep_valid(s, n->representative, patient, n->received, &valid, &why, err);
	if (rc)
		return rc;
	return valid ? 0 : mrt_err_set(err, MRT_EINVAL, "--via-representative %" PRId64 ": not a "
	                               "personal representative on %s: %s", n->representative,
	                               n->received, why);
}

int request_svc_new(mrt_session *s, const struct request_new *n, int64_t *id, char due[11],
                    mrt_err *err)
{
	char action[32];
	snprintf(action, sizeof action, "request.%s", n->kind && strcmp(n->kind, "access") == 0
	                                                  ? "access" : "amend");
	struct access_target t = { .action = action };
	struct rq_patient p;
	mrt_day received;
	int rc = new_validate(n, &received, err);
	if (rc || (rc = rq_check(s, ACCESS_PATIENT_REQUEST, &t, NULL, err)) != 0 ||
	    (rc = rq_patient_by_mrn(s, n->mrn, &p, err)) != 0)
		return rc;
	t.patient_id = p.id;
	int64_t enc = 0, enc_patient = 0;
	mrt_day enc_day;
	if ((rc = rq_check(s, ACCESS_PATIENT_REQUEST, &t, NULL, err)) != 0 ||
	    (n->encounter && (rc = rq_encounter(s, n->encounter, &enc, &enc_patient, &enc_day, err))))
		return rc;
	if (enc && enc_patient != p.id)
		return mrt_err_set(err, MRT_EINVAL, "--encounter: the encounter is not the patient's");
	if ((rc = check_rep(s, n, p.id, err)) != 0)
		return rc;
	enum request_kind k = strcmp(n->kind, "access") == 0 ? REQUEST_ACCESS : REQUEST_AMENDMENT;
	mrt_date_format(due, retention_request_due(k, received, 0));
	mrt_db *db = mrt_session_db(s);
	if ((rc = mrt_db_begin(db, err)) != 0)
		return rc;
	int64_t item = 0;
	rc = insert(s, n, p.id, enc, due, id, err);
	if (rc == 0)
		rc = add_item(s, *id, p.id, n->kind, due, &item, err);
	if (rc == 0)
		rc = svc_audit(s, action, "patient_request", *id, p.id, NULL,
		               n->representative ? "via a personal representative" : NULL, err);
	return svc_finish(db, rc, err);
}

struct req_head {
	int64_t id, patient_id, work_item;
	char kind[16], status[16];
	mrt_day received, due;
	int extended;
};

static int load_head(mrt_session *s, int64_t id, struct req_head *h, mrt_err *err)
{
	static const char sql[] =
		"SELECT patient_id, kind, status, received_date, due_date, extended, work_item_id"
		" FROM patient_request WHERE id = ?";
	memset(h, 0, sizeof *h);
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, id);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1) {
		h->id = id;
		h->patient_id = mrt_stmt_int(st, 0);
		mrt_strlcpy(h->kind, mrt_stmt_text(st, 1), sizeof h->kind);
		mrt_strlcpy(h->status, mrt_stmt_text(st, 2), sizeof h->status);
		if (mrt_date_parse(&h->received, mrt_stmt_text(st, 3)) != 0 ||
		    mrt_date_parse(&h->due, mrt_stmt_text(st, 4)) != 0)
			rc = mrt_err_set(err, MRT_EDB, "request %" PRId64 ": bad stored date", id);
		h->extended = (int)mrt_stmt_int(st, 5);
		h->work_item = mrt_stmt_is_null(st, 6) ? 0 : mrt_stmt_int(st, 6);
	}
	mrt_stmt_reset(st);
	if (rc == 0)
		return mrt_err_set(err, MRT_ENOTFOUND, "no patient request %" PRId64, id);
	return rc < 0 ? rc : 0;
}

/* Loads request id and checks the session may act on it. */
static int open_request(mrt_session *s, int64_t id, const char *action, struct req_head *h,
                        mrt_err *err)
{
	struct access_target t = { .action = action };
	int rc = rq_check(s, ACCESS_PATIENT_REQUEST, &t, NULL, err);
	if (rc || (rc = load_head(s, id, h, err)) != 0)
		return rc;
	t.patient_id = h->patient_id;
	t.object_type = "patient_request";
	t.object_id = id;
	return access_svc_check(s, ACCESS_PATIENT_REQUEST, &t, NULL, err);
}

static int set_extended(mrt_session *s, int64_t id, const char *reason, const char *due,
                        mrt_err *err)
{
	static const char sql[] =
		"UPDATE patient_request SET extended = 1, extension_reason = ?, due_date = ?"
		" WHERE id = ?";
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, reason);
	mrt_stmt_bind_text(st, 2, due);
	mrt_stmt_bind_int(st, 3, id);
	return mrt_stmt_run(st, err);
}

int request_svc_extend(mrt_session *s, int64_t id, const char *reason, char due[11],
                       mrt_err *err)
{
	struct req_head h;
	int rc = rq_text("--reason", reason, 1000, 1, err);
	if (rc || (rc = open_request(s, id, "request.extend", &h, err)) != 0)
		return rc;
	if (strcmp(h.status, "open") != 0)
		return mrt_err_set(err, MRT_EEXIST, "request %" PRId64 " is %s already", id, h.status);
	const char *why = retention_request_may_extend(h.extended, reason, h.due, mrt_date_today());
	if (why)
		return mrt_err_set(err, MRT_EINVAL, "request %" PRId64 ": %s", id, why);
	enum request_kind k = strcmp(h.kind, "access") == 0 ? REQUEST_ACCESS : REQUEST_AMENDMENT;
	mrt_date_format(due, retention_request_due(k, h.received, 1));
	mrt_db *db = mrt_session_db(s);
	if ((rc = mrt_db_begin(db, err)) != 0)
		return rc;
	int64_t item = 0;
	rc = set_extended(s, id, reason, due, err);
	/* The item moves to the new deadline: closed and made again, by a user
	 * who may close it (else the old one stays, rather than two). */
	int move = !h.work_item || may_close_items(s);
	if (rc == 0 && move)
		rc = close_item(s, h.work_item, "deadline extended", err);
	if (rc == 0 && move)
		rc = add_item(s, id, h.patient_id, h.kind, due, &item, err);
	if (rc == 0)
		rc = svc_audit(s, "request.extend", "patient_request", id, h.patient_id, NULL, NULL, err);
	return svc_finish(db, rc, err);
}

static int set_closed(mrt_session *s, int64_t id, const char *status, const char *reason,
                      int reviewable, mrt_err *err)
{
	static const char sql[] =
		"UPDATE patient_request SET status = ?, closed_at = ?, closed_by = ?, deny_reason = ?,"
		" reviewable = ? WHERE id = ? AND status = 'open'";
	char now[32];
	mrt_now_iso(now);
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, status);
	mrt_stmt_bind_text(st, 2, now);
	mrt_stmt_bind_int(st, 3, mrt_session_user_id(s));
	mrt_stmt_bind_text(st, 4, reason);
	if (reviewable >= 0)
		mrt_stmt_bind_int(st, 5, reviewable);
	mrt_stmt_bind_int(st, 6, id);
	int rc = mrt_stmt_run(st, err);
	if (rc == 0 && mrt_db_changes(mrt_session_db(s)) != 1)
		return mrt_err_set(err, MRT_EEXIST, "request %" PRId64 " is closed already", id);
	return rc;
}

static int add_statement(mrt_session *s, int64_t id, int64_t patient, const char *kind,
                         const char *text, mrt_err *err)
{
	static const char sql[] =
		"INSERT INTO request_statement(request_id, patient_id, kind, text, created_at, created_by)"
		" VALUES (?,?,?,?,?,?)";
	char now[32];
	mrt_now_iso(now);
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, id);
	mrt_stmt_bind_int(st, 2, patient);
	mrt_stmt_bind_text(st, 3, kind);
	mrt_stmt_bind_text(st, 4, text);
	mrt_stmt_bind_text(st, 5, now);
	mrt_stmt_bind_int(st, 6, mrt_session_user_id(s));
	return mrt_stmt_run(st, err);
}

/* Which closing fits which kind, and what it needs. */
static int close_validate(const struct req_head *h, const char *action, const char *reason,
                          int reviewable, const char *note, mrt_err *err)
{
	int access = strcmp(h->kind, "access") == 0, rc;
	if (strcmp(h->status, "open") != 0)
		return mrt_err_set(err, MRT_EEXIST, "request %" PRId64 " is %s already", h->id, h->status);
	if (strcmp(action, "complete") == 0 && !access)
		return mrt_err_set(err, MRT_EINVAL, "an amendment request is accepted or denied, not "
		                   "completed");
	if (strcmp(action, "accept") == 0 && access)
		return mrt_err_set(err, MRT_EINVAL, "an access request is completed or denied, not "
		                   "accepted");
	if (strcmp(action, "deny") == 0) {
		if ((rc = rq_text("--reason", reason, 2000, 1, err)) != 0)
			return rc;
		if (access && reviewable < 0)
			return mrt_err_set(err, MRT_EINVAL, "denying access needs --reviewable yes|no: the "
			                   "grounds of 164.524(a)(3) are reviewable, those of (a)(2) are not");
		if (!access && reviewable >= 0)
			return mrt_err_set(err, MRT_EINVAL, "--reviewable goes with an access request");
	} else if (reason) {
		return mrt_err_set(err, MRT_EINVAL, "--reason goes with deny");
	}
	if (note && strcmp(action, "accept") != 0)
		return mrt_err_set(err, MRT_EINVAL, "--note goes with accept");
	return rq_text("--note", note, 10000, 0, err);
}

/* The amendment the patient asked for (the default amendment text). */
static int request_what(mrt_session *s, int64_t id, char what[2048], mrt_err *err)
{
	static const char sql[] = "SELECT what FROM patient_request WHERE id = ?";
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, id);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1 && mrt_stmt_text(st, 0))
		mrt_strlcpy(what, mrt_stmt_text(st, 0), 2048);
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int request_svc_close(mrt_session *s, int64_t id, const char *action, const char *reason,
                      int reviewable, const char *note, mrt_err *err)
{
	static const char *const status[] = { "complete", "completed", "accept", "accepted", "deny",
	                                      "denied" };
	const char *to = NULL;
	for (int i = 0; i < 6; i += 2)
		if (action && strcmp(action, status[i]) == 0)
			to = status[i + 1];
	if (!to)
		return mrt_err_set(err, MRT_EINVAL, "close a request with complete, accept or deny");
	char act[32];
	snprintf(act, sizeof act, "request.%s", action);
	struct req_head h;
	int rc = open_request(s, id, act, &h, err);
	if (rc || (rc = close_validate(&h, action, reason, reviewable, note, err)) != 0)
		return rc;
	char what[2048] = "";
	if (strcmp(to, "accepted") == 0 && !note && (rc = request_what(s, id, what, err)) != 0)
		return rc;
	mrt_db *db = mrt_session_db(s);
	if ((rc = mrt_db_begin(db, err)) != 0)
		return rc;
	rc = set_closed(s, id, to, reason, reviewable, err);
	if (rc == 0 && strcmp(to, "accepted") == 0)
		rc = add_statement(s, id, h.patient_id, "amendment", note ? note : what, err);
	if (rc == 0)
		rc = close_item(s, h.work_item, to, err);
	if (rc == 0)
		rc = svc_audit(s, act, "patient_request", id, h.patient_id, NULL, to, err);
	return svc_finish(db, rc, err);
}

static int has_statement(mrt_session *s, int64_t id, const char *kind, int *has, mrt_err *err)
{
	static const char sql[] =
		"SELECT count(*) FROM request_statement WHERE request_id = ? AND kind = ?";
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, id);
	mrt_stmt_bind_text(st, 2, kind);
	int rc = mrt_stmt_step(st, err);
	*has = rc == 1 && mrt_stmt_int(st, 0) > 0;
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int request_svc_statement(mrt_session *s, int64_t id, const char *kind, const char *text,
                          mrt_err *err)
{
	int dis = kind && strcmp(kind, "disagreement") == 0;
	if (!dis && (!kind || strcmp(kind, "rebuttal") != 0))
		return mrt_err_set(err, MRT_EINVAL, "a statement is a disagreement or a rebuttal");
	char act[32];
	snprintf(act, sizeof act, "request.%s", kind);
	struct req_head h;
	int rc = rq_text(dis ? "--statement" : "--rebuttal", text, 10000, 1, err), has = 0;
	if (rc || (rc = open_request(s, id, act, &h, err)) != 0)
		return rc;
	if (strcmp(h.kind, "amendment") != 0 || strcmp(h.status, "denied") != 0)
		return mrt_err_set(err, MRT_EINVAL, "request %" PRId64 ": a %s follows a denied "
		                   "amendment (164.526(d))", id, kind);
	if ((rc = has_statement(s, id, kind, &has, err)) != 0)
		return rc;
	if (has)
		return mrt_err_set(err, MRT_EEXIST, "request %" PRId64 " has its %s already", id, kind);
	if (!dis && ((rc = has_statement(s, id, "disagreement", &has, err)) != 0 || !has))
		return rc ? rc : mrt_err_set(err, MRT_EINVAL, "request %" PRId64 ": a rebuttal answers "
		                             "the patient's statement of disagreement", id);
	mrt_db *db = mrt_session_db(s);
	if ((rc = mrt_db_begin(db, err)) != 0)
		return rc;
	rc = add_statement(s, id, h.patient_id, kind, text, err);
	if (rc == 0)
		rc = svc_audit(s, act, "patient_request", id, h.patient_id, NULL, NULL, err);
	return svc_finish(db, rc, err);
}
