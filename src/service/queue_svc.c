/*
 * The work queue; see queue_svc.h. Listing and history rendering are in
 * queue_list.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/str.h"
#include "privacy/roles.h"
#include "service/queue_int.h"
#include "service/svc_util.h"
#include "service/user_svc.h"

static int word_valid(const char *w, const char *extra)
{
	if (!w || !*w || strlen(w) > 64)
		return 0;
	for (const char *p = w; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr(extra, *p)))
			return 0;
	return 1;
}

int queue_load_item(mrt_session *s, int64_t id, struct queue_item *it, mrt_err *err)
{
	static const char sql[] =
		"SELECT w.patient_id, w.assigned_user, w.assigned_role, w.status FROM work_item w"
		" WHERE w.id = ?";
	memset(it, 0, sizeof *it);
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, id);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1) {
		it->id = id;
		it->patient_id = mrt_stmt_is_null(st, 0) ? 0 : mrt_stmt_int(st, 0);
		it->assigned_user = mrt_stmt_is_null(st, 1) ? 0 : mrt_stmt_int(st, 1);
		mrt_strlcpy(it->assigned_role, mrt_stmt_is_null(st, 2) ? "" : mrt_stmt_text(st, 2),
		            sizeof it->assigned_role);
		mrt_strlcpy(it->status, mrt_stmt_text(st, 3), sizeof it->status);
	}
	mrt_stmt_reset(st);
	if (rc == 0)
		return mrt_err_set(err, MRT_ENOTFOUND, "no work item %" PRId64, id);
	return rc < 0 ? rc : 0;
}

static int audit_item(mrt_session *s, const char *action, int64_t id, int64_t patient,
                      const char *outcome, const char *detail, mrt_err *err)
{
	return svc_audit(s, action, "work_item", id, patient, outcome, detail, err);
}

static int deny(mrt_session *s, const char *action, const struct queue_item *it, mrt_err *err)
{
	char msg[200];
	snprintf(msg, sizeof msg, "work item %" PRId64 " is not assigned to user %s or a role they "
	         "hold (a supervisor - admin or him - may act on any item)", it->id,
	         mrt_session_user(s));
	mrt_err ignored = { 0 };
	audit_item(s, action, it->id, it->patient_id, "deny", "not assigned to the user or their roles",
	           &ignored);
	return mrt_err_set(err, MRT_EACCESS, "%s", msg);
}

static int history(mrt_session *s, int64_t id, const char *action, const char *from,
                   const char *to, int64_t user, const char *role, const char *note, mrt_err *err)
{
	static const char sql[] =
		"INSERT INTO work_item_history(work_item_id, at, by_user, action, from_status, to_status,"
		" assigned_user, assigned_role, note) VALUES (?,?,?,?,?,?,?,?,?)";
	char now[32];
	mrt_now_iso(now);
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, id);
	mrt_stmt_bind_text(st, 2, now);
	mrt_stmt_bind_int(st, 3, mrt_session_user_id(s));
	mrt_stmt_bind_text(st, 4, action);
	mrt_stmt_bind_text(st, 5, from);
	mrt_stmt_bind_text(st, 6, to);
	if (user)
		mrt_stmt_bind_int(st, 7, user);
	mrt_stmt_bind_text(st, 8, role);
	mrt_stmt_bind_text(st, 9, note);
	return mrt_stmt_run(st, err);
}

static int validate_new(mrt_session *s, const struct queue_new *n, int64_t *uid, mrt_err *err)
{
	mrt_day day;
	if (!word_valid(n->kind, "-_."))
		return mrt_err_set(err, MRT_EINVAL, "--kind: '%s' is not a valid kind (lowercase letters, "
		                   "digits, '-', '_', '.')", n->kind ? n->kind : "");
	if (!word_valid(n->subject_type, "_-") || !n->subject_id || !*n->subject_id ||
	    strlen(n->subject_id) > 128)
		return mrt_err_set(err, MRT_EINVAL, "--subject: give TYPE:ID (TYPE lowercase, e.g. "
		                   "encounter:123)");
	if (n->due_date && mrt_date_parse(&day, n->due_date) != 0)
		return mrt_err_set(err, MRT_EINVAL, "--due: '%s' is not a date (YYYY-MM-DD)", n->due_date);
	if (n->assign_user && n->assign_role)
		return mrt_err_set(err, MRT_EINVAL, "assign to a user or to a role, not both");
	if (n->assign_role && !role_bit(n->assign_role))
		return mrt_err_set(err, MRT_EINVAL, "unknown role '%s' (roles: %s)", n->assign_role,
		                   role_list_text());
	*uid = 0;
	if (n->assign_user) {
		int rc = user_svc_find(s, n->assign_user, 1, uid, err);
		if (rc <= 0)
			return rc < 0 ? rc : mrt_err_set(err, MRT_ENOTFOUND, "no mrt user named %s",
			                                 n->assign_user);
	}
	return 0;
}

static int add_rows(mrt_session *s, const struct queue_new *n, int64_t uid, int64_t *id,
                    mrt_err *err)
{
	static const char sql[] =
		"INSERT INTO work_item(kind, subject_type, subject_id, patient_id, title, assigned_user,"
		" assigned_role, status, due_date, created_at, created_by)"
		" VALUES (?,?,?,?,?,?,?,'open',?,?,?)";
	char now[32];
	mrt_now_iso(now);
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, n->kind);
	mrt_stmt_bind_text(st, 2, n->subject_type);
	mrt_stmt_bind_text(st, 3, n->subject_id);
	if (n->patient_id)
		mrt_stmt_bind_int(st, 4, n->patient_id);
	mrt_stmt_bind_text(st, 5, n->title);
	if (uid)
		mrt_stmt_bind_int(st, 6, uid);
	mrt_stmt_bind_text(st, 7, n->assign_role);
	mrt_stmt_bind_text(st, 8, n->due_date);
	mrt_stmt_bind_text(st, 9, now);
	mrt_stmt_bind_int(st, 10, mrt_session_user_id(s));
	int rc = mrt_stmt_run(st, err);
	if (rc)
		return rc;
	*id = mrt_db_last_insert_id(mrt_session_db(s));
	if ((rc = history(s, *id, "add", NULL, "open", uid, n->assign_role, NULL, err)) != 0)
		return rc;
	char detail[160];
	snprintf(detail, sizeof detail, "kind %s, subject type %s", n->kind, n->subject_type);
	return audit_item(s, "queue.add", *id, n->patient_id, NULL, detail, err);
}

int queue_svc_add(mrt_session *s, const struct queue_new *n, int64_t *id, mrt_err *err)
{
	int64_t uid = 0;
	int rc = validate_new(s, n, &uid, err);
	if (rc || (rc = mrt_db_begin(mrt_session_db(s), err)) != 0)
		return rc;
	if ((rc = add_rows(s, n, uid, id, err)) != 0) {
		mrt_db_rollback(mrt_session_db(s));
		return rc;
	}
	return mrt_db_commit(mrt_session_db(s), err);
}

int queue_svc_add_by_hand(mrt_session *s, const struct queue_new *n, int64_t *id, mrt_err *err)
{
	int rc = mrt_session_require_either(s, MRT_ROLE_ADMIN, MRT_ROLE_HIM, "queue.add", err);
	return rc ? rc : queue_svc_add(s, n, id, err);
}

static int open_status(const char *status)
{
	return strcmp(status, "open") == 0 || strcmp(status, "in-progress") == 0;
}

/* The item is the session user's, or belongs to a role they hold. */
static int is_mine(const mrt_session *s, const struct queue_item *it)
{
	return it->assigned_user == mrt_session_user_id(s) ||
	       (it->assigned_role[0] && mrt_session_has_role(s, it->assigned_role));
}

static int assign_rows(mrt_session *s, const struct queue_item *it, int64_t uid, const char *role,
                       mrt_err *err)
{
	static const char sql[] =
		"UPDATE work_item SET assigned_user = ?, assigned_role = ? WHERE id = ?";
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	if (uid)
		mrt_stmt_bind_int(st, 1, uid);
	mrt_stmt_bind_text(st, 2, role);
	mrt_stmt_bind_int(st, 3, it->id);
	int rc = mrt_stmt_run(st, err);
	if (!rc)
		rc = history(s, it->id, "assign", it->status, it->status, uid, role, NULL, err);
	if (rc)
		return rc;
	char detail[160];
	snprintf(detail, sizeof detail, "assigned to %s %s", uid ? "user" : "role",
	         uid ? "(see history)" : role);
	return audit_item(s, "queue.assign", it->id, it->patient_id, NULL, detail, err);
}

int queue_svc_assign(mrt_session *s, int64_t id, const char *user, const char *role, mrt_err *err)
{
	struct queue_item it;
	int64_t uid = 0;
	if ((user && role) || (!user && !role))
		return mrt_err_set(err, MRT_EINVAL, "assign to a user (--user) or a role (--role)");
	if (role && !role_bit(role))
		return mrt_err_set(err, MRT_EINVAL, "unknown role '%s' (roles: %s)", role, role_list_text());
	int rc = queue_load_item(s, id, &it, err);
	if (rc)
		return rc;
	if (user && (rc = user_svc_find(s, user, 1, &uid, err)) <= 0)
		return rc < 0 ? rc : mrt_err_set(err, MRT_ENOTFOUND, "no mrt user named %s", user);
	/* Anyone may take an item of theirs for themselves; the rest is a
	 * supervisor's. */
	int taking = uid == mrt_session_user_id(s) && is_mine(s, &it);
	if (!svc_is_supervisor(s) && !taking)
		return deny(s, "queue.assign", &it, err);
	if (!open_status(it.status))
		return mrt_err_set(err, MRT_EEXIST, "work item %" PRId64 " is already %s", id, it.status);
	if ((rc = mrt_db_begin(mrt_session_db(s), err)) != 0)
		return rc;
	if ((rc = assign_rows(s, &it, uid, role, err)) != 0) {
		mrt_db_rollback(mrt_session_db(s));
		return rc;
	}
	return mrt_db_commit(mrt_session_db(s), err);
}

static int done_rows(mrt_session *s, const struct queue_item *it, const char *note, mrt_err *err)
{
	static const char sql[] =
		"UPDATE work_item SET status = 'done', closed_at = ? WHERE id = ?";
	char now[32];
	mrt_now_iso(now);
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, now);
	mrt_stmt_bind_int(st, 2, it->id);
	int rc = mrt_stmt_run(st, err);
	if (!rc)
		rc = history(s, it->id, "done", it->status, "done", it->assigned_user,
		             it->assigned_role[0] ? it->assigned_role : NULL, note, err);
	return rc ? rc : audit_item(s, "queue.done", it->id, it->patient_id, NULL, NULL, err);
}

int queue_svc_done(mrt_session *s, int64_t id, const char *note, mrt_err *err)
{
	struct queue_item it;
	int rc = queue_load_item(s, id, &it, err);
	if (rc)
		return rc;
	if (!svc_is_supervisor(s) && !is_mine(s, &it))
		return deny(s, "queue.done", &it, err);
	if (!open_status(it.status))
		return mrt_err_set(err, MRT_EEXIST, "work item %" PRId64 " is already %s", id, it.status);
	if ((rc = mrt_db_begin(mrt_session_db(s), err)) != 0)
		return rc;
	if ((rc = done_rows(s, &it, note, err)) != 0) {
		mrt_db_rollback(mrt_session_db(s));
		return rc;
	}
	return mrt_db_commit(mrt_session_db(s), err);
}
