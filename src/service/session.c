/*
 * Sessions (interim): opens the database as the OS account with every role.
 * Authentication, role checks and the HMAC audit chain replace this.
 */
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/date.h"
#include "base/str.h"
#include "service/session.h"

struct mrt_session {
	mrt_db *db;
	char user[128];
	char purpose[64];
};

int mrt_session_open(mrt_session **out, const struct mrt_session_opts *o, mrt_err *err)
{
	*out = NULL;
	mrt_session *s = calloc(1, sizeof *s);
	if (!s)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	int rc = mrt_db_open(&s->db, o->db_path, o->create ? MRT_DB_CREATE : 0, err);
	if (rc) {
		free(s);
		return rc;
	}
	struct passwd *pw = getpwuid(geteuid());
	mrt_strlcpy(s->user, pw ? pw->pw_name : "unknown", sizeof s->user);
	mrt_strlcpy(s->purpose, o->purpose ? o->purpose : "operations", sizeof s->purpose);
	*out = s;
	return 0;
}

void mrt_session_close(mrt_session *s)
{
	if (!s)
		return;
	mrt_db_close(s->db);
	free(s);
}

mrt_db *mrt_session_db(mrt_session *s) { return s->db; }
const char *mrt_session_user(const mrt_session *s) { return s->user; }
int64_t mrt_session_user_id(const mrt_session *s) { (void)s; return 0; }
const char *mrt_session_actor(const mrt_session *s) { return s->user; }
const char *mrt_session_purpose(const mrt_session *s) { return s->purpose; }
int mrt_session_has_role(const mrt_session *s, const char *role) { (void)s; (void)role; return 1; }

int mrt_session_audit(mrt_session *s, const struct mrt_audit_rec *r, mrt_err *err)
{
	static const char sql[] =
		"INSERT INTO audit_event(at, actor, action, object_type, object_id, patient_id,"
		" purpose, outcome, detail, prev_mac, mac) VALUES (?,?,?,?,?,?,?,?,?,'','')";
	mrt_stmt *st = mrt_db_stmt(s->db, sql, err);
	if (!st)
		return err->code;
	char now[32];
	mrt_now_iso(now);
	mrt_stmt_bind_text(st, 1, now);
	mrt_stmt_bind_text(st, 2, s->user);
	mrt_stmt_bind_text(st, 3, r->action);
	mrt_stmt_bind_text(st, 4, r->object_type);
	mrt_stmt_bind_text(st, 5, r->object_id);
	if (r->patient_id)
		mrt_stmt_bind_int(st, 6, r->patient_id);
	mrt_stmt_bind_text(st, 7, s->purpose);
	mrt_stmt_bind_text(st, 8, r->outcome ? r->outcome : "allow");
	mrt_stmt_bind_text(st, 9, r->detail);
	return mrt_stmt_run(st, err);
}

int mrt_session_require(mrt_session *s, const char *role, const char *action, mrt_err *err)
{
	(void)s; (void)role; (void)action; (void)err;
	return 0;
}
