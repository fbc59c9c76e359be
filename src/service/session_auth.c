/*
 * Authentication, like PostgreSQL's `peer` method: the OS account running
 * mrt (getpwuid(geteuid()); never getlogin(), which fails without a
 * terminal) mapped to an mrt user (app_user.os_account) acts as that user.
 * An administrator may act as another user (--user / $MRT_USER): every
 * event then records the admin as actor and the user as on_behalf_of, and
 * the user's rights apply. Anyone else must give the user's password.
 * Every failed attempt is itself an audit event with outcome deny.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "privacy/password.h"
#include "privacy/roles.h"
#include "service/session_int.h"
#include "service/site.h"

struct found_user {
	int64_t id;
	char name[SESSION_NAME_MAX];
	char *hash; /* malloc'ed, or NULL */
};

static const char by_os_sql[] =
	"SELECT id, name, password_hash FROM app_user WHERE os_account = ? AND active = 1";
static const char by_name_sql[] =
	"SELECT id, name, password_hash FROM app_user WHERE name = ? AND active = 1";

/* 1 found, 0 not found, < 0 error. */
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

/* Records a failed attempt (actor: the mapped user, else "os:ACCOUNT") and
 * returns MRT_EAUTH with msg. */
static int deny(mrt_session *s, const char *actor, const char *as_user, const char *action,
                const char *msg, mrt_err *err)
{
	mrt_strlcpy(s->actor, actor, sizeof s->actor);
	mrt_strlcpy(s->user, as_user ? as_user : actor, sizeof s->user);
	s->acting_as = as_user != NULL;
	s->roles = 0;
	s->role_text[0] = '\0';
	struct mrt_audit_rec r = { .action = action, .object_type = "app_user",
	                           .object_id = as_user, .outcome = "deny", .detail = msg };
	mrt_err aerr = { 0 };
	if (mrt_session_audit(s, &r, &aerr) != 0)
		return mrt_err_set(err, aerr.code, "%s (and the attempt could not be audited: %s)", msg,
		                   aerr.msg);
	return mrt_err_set(err, MRT_EAUTH, "%s", msg);
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

static int by_password(mrt_session *s, const char *actor, const struct found_user *target,
                       const char *password, mrt_err *err)
{
	char msg[MRT_ERR_MSG_MAX];
	if (password_verify(target->hash, password) != 0) {
		snprintf(msg, sizeof msg, "authentication failed for user %s: wrong password or no "
		         "password set", target->name);
		return deny(s, actor, target->name, "auth.password", msg, err);
	}
	int rc = session_set_user(s, target->id, target->name, err);
	if (rc)
		return rc;
	mrt_strlcpy(s->actor, target->name, sizeof s->actor);
	struct mrt_audit_rec r = { .action = "auth.password", .object_type = "app_user",
	                           .object_id = target->name, .detail = "password accepted" };
	return mrt_session_audit(s, &r, err);
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

static int authenticate(mrt_session *s, const struct mrt_session_opts *o, mrt_err *err)
{
	char os[SESSION_NAME_MAX], msg[MRT_ERR_MSG_MAX], actor[SESSION_NAME_MAX + 4];
	struct found_user me, target = { 0 };
	session_os_account(os, sizeof os);
	int rc = find_user(s, by_os_sql, os, &me, err);
	if (rc < 0)
		goto done;
	if (!o->as_user || (me.id && strcmp(o->as_user, me.name) == 0 && !o->password)) {
		rc = peer(s, os, &me, err);
		goto done;
	}
	if (me.id)
		mrt_strlcpy(actor, me.name, sizeof actor);
	else
		snprintf(actor, sizeof actor, "os:%s", os);
	if ((rc = find_user(s, by_name_sql, o->as_user, &target, err)) < 0)
		goto done;
	if (rc == 0) {
		snprintf(msg, sizeof msg, "no mrt user named %s", o->as_user);
		rc = deny(s, actor, o->as_user, "auth.user", msg, err);
		goto done;
	}
	if (o->password) {
		rc = by_password(s, actor, &target, o->password, err);
		goto done;
	}
	if (me.id && (rc = is_admin(s, &me, err)) != 0) {
		rc = rc < 0 ? rc : act_as(s, &me, &target, err);
		goto done;
	}
	snprintf(msg, sizeof msg, "acting as user %s needs %s's password (--password-stdin) or an "
	         "administrator's OS account", target.name, target.name);
	rc = deny(s, actor, target.name, "auth.user", msg, err);
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
