/*
 * Authentication, like PostgreSQL's `peer` method: the OS account running
 * mrt (getpwuid(geteuid()); never getlogin(), which fails without a
 * terminal) mapped to an mrt user (app_user.os_account) acts as that user.
 * An administrator may act as another user (--user / $MRT_USER): every
 * event then records the admin as actor and the user as on_behalf_of, and
 * the user's rights apply. Anyone else must give the user's password.
 * Every failed attempt is itself an audit event with outcome deny.
 *
 * A disabled user (app_user.active = 0) cannot act at all, neither by
 * peer mapping nor by --user (an administrator acting as them, or their
 * own password). From a disabled user's OS account only another user's
 * password signs in. Password sign-ins count consecutive
 * failures: the meta row auth.lockout_attempts (default 5) locks the
 * account for auth.lockout_seconds (default 900); while locked even the
 * right password is refused. Each password sign-in costs exactly one
 * Argon2id verification, against a dummy hash when the user does not
 * exist or has no password, and every failure gives the same message, so
 * neither the answer nor its time tells whether a name exists (a lock,
 * once reached, does say so; see docs/access-and-audit.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "base/date.h"
#include "base/str.h"
#include "privacy/password.h"
#include "privacy/roles.h"
#include "service/session_int.h"
#include "service/site.h"
#include "service/user_svc.h"

#define LOCKOUT_ATTEMPTS 5
#define LOCKOUT_SECONDS 900

struct found_user {
	int64_t id;
	char name[SESSION_NAME_MAX];
	char *hash; /* malloc'ed, or NULL */
	int active;
	char locked_until[32]; /* "" when never locked */
};

#define USER_COLS "SELECT id, name, password_hash, active, locked_until FROM app_user"
static const char by_os_sql[] = USER_COLS " WHERE os_account = ?";
static const char by_name_sql[] = USER_COLS " WHERE name = ?";

/* 1 found, 0 not found, < 0 error. Disabled users are found too. */
static int find_user(mrt_session *s, const char *sql, const char *key, struct found_user *u,
                     mrt_err *err)
{
	memset(u, 0, sizeof *u);
	mrt_stmt *st = mrt_db_stmt(s->db, sql, err);
	if (!st)
		return err ? err->code : MRT_EDB;
	mrt_stmt_bind_text(st, 1, key);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1) {
		u->id = mrt_stmt_int(st, 0);
		mrt_strlcpy(u->name, mrt_stmt_text(st, 1), sizeof u->name);
		u->active = mrt_stmt_int(st, 3) != 0;
		const char *lock = mrt_stmt_text(st, 4);
		mrt_strlcpy(u->locked_until, lock ? lock : "", sizeof u->locked_until);
		const char *h = mrt_stmt_text(st, 2);
		if (h) {
			u->hash = mrt_strndup(h, strlen(h));
			if (!u->hash)
				rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
		}
	}
	mrt_stmt_reset(st);
	return rc;
}

/* The identity a refused attempt is recorded under: actor the mapped user
 * (else "os:ACCOUNT"), on behalf of the user asked for; no roles. */
static void deny_identity(mrt_session *s, const char *actor, const char *as_user)
{
	mrt_strlcpy(s->actor, actor, sizeof s->actor);
	mrt_strlcpy(s->user, as_user ? as_user : actor, sizeof s->user);
	s->acting_as = as_user != NULL;
	s->user_id = 0;
	s->roles = 0;
	s->label_grants = 0;
	s->provider_id = 0;
	s->role_text[0] = '\0';
}

static int deny_event(mrt_session *s, const char *action, const char *as_user, const char *msg,
                      mrt_err *err)
{
	struct mrt_audit_rec r = { .action = action, .object_type = "app_user",
	                           .object_id = as_user, .outcome = "deny", .detail = msg };
	mrt_err aerr = { 0 };
	if (mrt_session_audit(s, &r, &aerr) != 0)
		return mrt_err_set(err, aerr.code, "%s (and the attempt could not be audited: %s)", msg,
		                   aerr.msg);
	return mrt_err_set(err, MRT_EAUTH, "%s", msg);
}

/* Records a failed attempt and returns MRT_EAUTH with msg. */
static int deny(mrt_session *s, const char *actor, const char *as_user, const char *action,
                const char *msg, mrt_err *err)
{
	deny_identity(s, actor, as_user);
	return deny_event(s, action, as_user, msg, err);
}

static int64_t meta_int(mrt_session *s, const char *key, int64_t dflt, int64_t max)
{
	static const char sql[] = "SELECT value FROM meta WHERE key = ?";
	mrt_err ignored = { 0 };
	mrt_stmt *st = mrt_db_stmt(s->db, sql, &ignored);
	if (!st)
		return dflt;
	mrt_stmt_bind_text(st, 1, key);
	int64_t v = dflt;
	if (mrt_stmt_step(st, &ignored) == 1 && mrt_stmt_text(st, 0)) {
		char *end = NULL;
		long long n = strtoll(mrt_stmt_text(st, 0), &end, 10);
		if (end && *end == '\0' && n > 0 && n <= max)
			v = n;
	}
	mrt_stmt_reset(st);
	return v;
}

/* Now plus secs, in mrt_now_iso's format (so the two compare as text). */
static void iso_after(char out[32], int64_t secs)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	time_t t = tv.tv_sec + (time_t)secs;
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(out, 32, "%04u-%02u-%02uT%02u:%02u:%02u.%06luZ",
	         (unsigned)(tm.tm_year + 1900) % 10000u, (unsigned)(tm.tm_mon + 1) % 100u,
	         (unsigned)tm.tm_mday % 100u, (unsigned)tm.tm_hour % 100u,
	         (unsigned)tm.tm_min % 100u, (unsigned)tm.tm_sec % 100u,
	         (unsigned long)tv.tv_usec % 1000000ul);
}

static int is_locked(const struct found_user *u)
{
	char now[32];
	mrt_now_iso(now);
	return u->locked_until[0] && strcmp(u->locked_until, now) > 0;
}

static int run_id(mrt_session *s, const char *sql, int64_t id, mrt_err *err)
{
	mrt_stmt *st = mrt_db_stmt(s->db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, id);
	return mrt_stmt_run(st, err);
}

/* After the failure that reached the limit: the lock, its user_event row
 * and its audit event. */
static int lock_user(mrt_session *s, const struct found_user *t, int64_t attempts, char until[32],
                     mrt_err *err)
{
	static const char upd[] =
		"UPDATE app_user SET failed_count = 0, locked_until = ?2 WHERE id = ?1";
	static const char ev[] =
		"INSERT INTO user_event(user_id, kind, at, until) VALUES (?1, 'lock', ?2, ?3)";
	char now[32], detail[160];
	mrt_now_iso(now);
	iso_after(until, meta_int(s, "auth.lockout_seconds", LOCKOUT_SECONDS, 366 * 86400));
	mrt_stmt *st = mrt_db_stmt(s->db, upd, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, t->id);
	mrt_stmt_bind_text(st, 2, until);
	int rc = mrt_stmt_run(st, err);
	if (rc || !(st = mrt_db_stmt(s->db, ev, err)))
		return rc ? rc : err->code;
	mrt_stmt_bind_int(st, 1, t->id);
	mrt_stmt_bind_text(st, 2, now);
	mrt_stmt_bind_text(st, 3, until);
	if ((rc = mrt_stmt_run(st, err)) != 0)
		return rc;
	snprintf(detail, sizeof detail, "locked until %s after %lld failed password sign-ins", until,
	         (long long)attempts);
	struct mrt_audit_rec r = { .action = "user.lock", .object_type = "app_user",
	                           .object_id = t->name, .outcome = "deny", .detail = detail };
	return mrt_session_audit(s, &r, err);
}

/* Counts one failed password sign-in of an existing user, locks the
 * account when it reaches the limit (appending to msg), and records the
 * attempt: all in one transaction. */
static int count_failure(mrt_session *s, const struct found_user *t, char *msg, size_t size,
                         mrt_err *err)
{
	static const char inc[] = "UPDATE app_user SET failed_count = failed_count + 1 WHERE id = ?";
	static const char get[] = "SELECT failed_count FROM app_user WHERE id = ?";
	int64_t limit = meta_int(s, "auth.lockout_attempts", LOCKOUT_ATTEMPTS, 1000000);
	int rc = mrt_db_begin(s->db, err);
	if (rc)
		return rc;
	rc = run_id(s, inc, t->id, err);
	mrt_stmt *st = rc ? NULL : mrt_db_stmt(s->db, get, err);
	if (!rc && !st)
		rc = err->code;
	int64_t n = 0;
	if (st) {
		mrt_stmt_bind_int(st, 1, t->id);
		if ((rc = mrt_stmt_step(st, err)) == 1)
			n = mrt_stmt_int(st, 0);
		mrt_stmt_reset(st);
		rc = rc < 0 ? rc : 0;
	}
	char until[32];
	if (!rc && n >= limit && (rc = lock_user(s, t, n, until, err)) == 0) {
		size_t used = strlen(msg);
		snprintf(msg + used, size - used, "; the account is now locked until %s", until);
	}
	if (rc) {
		mrt_db_rollback(s->db);
		return rc;
	}
	rc = deny_event(s, "auth.password", t->name, msg, err);
	mrt_err cerr = { 0 };
	if (mrt_db_commit(s->db, &cerr) != 0)
		return mrt_err_set(err, cerr.code, "%s", cerr.msg);
	return rc;
}

static int disabled_msg(char *msg, size_t size, const char *name)
{
	return snprintf(msg, size, "user %s is disabled; an administrator may run `mrt user enable %s`",
	                name, name);
}

static int peer(mrt_session *s, const char *os, const struct found_user *me, mrt_err *err)
{
	char msg[MRT_ERR_MSG_MAX];
	if (!me->id) {
		snprintf(msg, sizeof msg, "no mrt user is mapped to OS account %s; ask an administrator "
		         "to run `mrt user add`", os);
		char actor[SESSION_NAME_MAX + 4];
		snprintf(actor, sizeof actor, "os:%s", os);
		return deny(s, actor, NULL, "auth.peer", msg, err);
	}
	int rc = session_set_user(s, me->id, me->name, err);
	if (!rc)
		mrt_strlcpy(s->actor, me->name, sizeof s->actor);
	return rc;
}

/* One Argon2id verification whatever the case (see the top of the file). */
static int by_password(mrt_session *s, const char *actor, const char *as_user,
                       const struct found_user *t, const char *password, mrt_err *err)
{
	char msg[MRT_ERR_MSG_MAX];
	int wrong = password_verify(t->id ? t->hash : NULL, password) != 0;
	deny_identity(s, actor, as_user);
	if (t->id && is_locked(t)) {
		snprintf(msg, sizeof msg, "user %s is locked until %s after repeated failed sign-ins; an "
		         "administrator may run `mrt user unlock %s`", t->name, t->locked_until, t->name);
		return deny_event(s, "auth.password", as_user, msg, err);
	}
	if (wrong) {
		snprintf(msg, sizeof msg, "authentication failed for user %s: wrong password, no "
		         "password set, or no such user", as_user);
		if (!t->id)
			return deny_event(s, "auth.password", as_user, msg, err);
		return count_failure(s, t, msg, sizeof msg, err);
	}
	if (!t->active) {
		disabled_msg(msg, sizeof msg, t->name);
		return deny_event(s, "auth.password", as_user, msg, err);
	}
	static const char reset[] =
		"UPDATE app_user SET failed_count = 0, locked_until = NULL WHERE id = ?"
		" AND (failed_count <> 0 OR locked_until IS NOT NULL)";
	int rc = session_set_user(s, t->id, t->name, err);
	if (rc || (rc = mrt_db_begin(s->db, err)) != 0)
		return rc;
	mrt_strlcpy(s->actor, t->name, sizeof s->actor);
	s->acting_as = 0;
	struct mrt_audit_rec r = { .action = "auth.password", .object_type = "app_user",
	                           .object_id = t->name, .detail = "password accepted" };
	rc = run_id(s, reset, t->id, err);
	if (!rc)
		rc = mrt_session_audit(s, &r, err);
	if (rc) {
		mrt_db_rollback(s->db);
		return rc;
	}
	return mrt_db_commit(s->db, err);
}

static int act_as(mrt_session *s, const struct found_user *me, const struct found_user *target,
                  mrt_err *err)
{
	int rc = session_set_user(s, target->id, target->name, err);
	if (rc)
		return rc;
	mrt_strlcpy(s->actor, me->name, sizeof s->actor);
	s->acting_as = 1;
	char detail[MRT_ERR_MSG_MAX];
	snprintf(detail, sizeof detail, "admin %s acting as %s", me->name, target->name);
	struct mrt_audit_rec r = { .action = "auth.act-as", .object_type = "app_user",
	                           .object_id = target->name, .detail = detail };
	return mrt_session_audit(s, &r, err);
}

static int is_admin(mrt_session *s, const struct found_user *u, mrt_err *err)
{
	int rc = session_set_user(s, u->id, u->name, err);
	if (rc)
		return rc;
	return mrt_session_has_role(s, MRT_ROLE_ADMIN);
}

/* --user NAME without a password: an administrator acts as NAME; anyone
 * else is told NAME's password is needed, whether NAME exists or not. */
static int by_admin(mrt_session *s, const char *actor, const char *as_user,
                    const struct found_user *me, const struct found_user *t, mrt_err *err)
{
	char msg[MRT_ERR_MSG_MAX];
	int rc = me->id ? is_admin(s, me, err) : 0;
	if (rc < 0)
		return rc;
	if (rc == 0) {
		snprintf(msg, sizeof msg, "acting as user %s needs %s's password (--password-stdin) or an "
		         "administrator's OS account", as_user, as_user);
		return deny(s, actor, as_user, "auth.user", msg, err);
	}
	if (!t->id) {
		snprintf(msg, sizeof msg, "no mrt user named %s", as_user);
		return deny(s, actor, as_user, "auth.user", msg, err);
	}
	if (!t->active) {
		disabled_msg(msg, sizeof msg, t->name);
		return deny(s, actor, as_user, "auth.user", msg, err);
	}
	return act_as(s, me, t, err);
}

static int authenticate(mrt_session *s, const struct mrt_session_opts *o, mrt_err *err)
{
	char os[SESSION_NAME_MAX], msg[MRT_ERR_MSG_MAX], actor[SESSION_NAME_MAX + 4];
	struct found_user me, target = { 0 };
	session_os_account(os, sizeof os);
	int rc = find_user(s, by_os_sql, os, &me, err);
	if (rc < 0)
		goto done;
	if (me.id)
		mrt_strlcpy(actor, me.name, sizeof actor);
	else
		snprintf(actor, sizeof actor, "os:%s", os);
	if (me.id && !me.active && !o->password) {
		disabled_msg(msg, sizeof msg, me.name);
		rc = deny(s, actor, NULL, o->as_user ? "auth.user" : "auth.peer", msg, err);
		goto done;
	}
	if (!o->as_user || (me.id && strcmp(o->as_user, me.name) == 0 && !o->password)) {
		rc = peer(s, os, &me, err);
		goto done;
	}
	if (!user_name_valid(o->as_user)) {
		snprintf(msg, sizeof msg, "the user name given with --user is not valid (%s)",
		         USER_NAME_RULE);
		rc = deny(s, actor, NULL, "auth.user", msg, err);
		goto done;
	}
	if ((rc = find_user(s, by_name_sql, o->as_user, &target, err)) < 0)
		goto done;
	if (o->password)
		rc = by_password(s, actor, o->as_user, &target, o->password, err);
	else
		rc = by_admin(s, actor, o->as_user, &me, &target, err);
done:
	free(me.hash);
	free(target.hash);
	return rc < 0 ? rc : 0;
}
int mrt_session_open(mrt_session **out, const struct mrt_session_opts *o, mrt_err *err)
{
	*out = NULL;
	if (o->create) {
		struct mrt_site_info info;
		int rc = mrt_site_init(out, o->db_path, &info, err);
		if (rc || *out)
			return rc;
		/* Already initialised: open it as usual. */
	}
	mrt_db *db = NULL;
	mrt_session *s = NULL;
	int rc = mrt_db_open(&db, o->db_path, 0, err);
	if (!rc)
		rc = session_new(&s, db, o->purpose, err);
	if (!rc)
		rc = authenticate(s, o, err);
	if (rc) {
		mrt_session_close(s);
		return rc;
	}
	*out = s;
	return 0;
}
