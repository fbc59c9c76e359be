/*
 * User administration; see user_svc.h.
 */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/str.h"
#include "privacy/password.h"
#include "privacy/roles.h"
#include "service/user_svc.h"

int user_name_valid(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-' && c != '@')))
			return 0;
	}
	return 1;
}

static int check_role(const char *role, mrt_err *err)
{
	if (role_bit(role))
		return 0;
	return mrt_err_set(err, MRT_EINVAL, "unknown role '%s' (roles: %s)", role ? role : "",
	                   role_list_text());
}

int user_svc_find(mrt_session *s, const char *name, int active_only, int64_t *id, mrt_err *err)
{
	static const char sql_any[] = "SELECT id FROM app_user WHERE name = ?";
	static const char sql_active[] = "SELECT id FROM app_user WHERE name = ? AND active = 1";
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), active_only ? sql_active : sql_any, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, name);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1)
		*id = mrt_stmt_int(st, 0);
	mrt_stmt_reset(st);
	return rc;
}

static int need_user(mrt_session *s, const char *name, int64_t *id, mrt_err *err)
{
	int rc = user_svc_find(s, name, 0, id, err);
	if (rc == 0)
		return mrt_err_set(err, MRT_ENOTFOUND, "no mrt user named %s", name);
	return rc < 0 ? rc : 0;
}

static int audit(mrt_session *s, const char *action, const char *name, const char *detail,
                 mrt_err *err)
{
	struct mrt_audit_rec r = { .action = action, .object_type = "app_user", .object_id = name,
	                           .detail = detail };
	return mrt_session_audit(s, &r, err);
}

static int insert_grant(mrt_session *s, int64_t uid, const char *role, mrt_err *err)
{
	static const char sql[] =
		"INSERT INTO role_grant(user_id, role, granted_at, granted_by) VALUES (?,?,?,?)";
	char now[32];
	mrt_now_iso(now);
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, uid);
	mrt_stmt_bind_text(st, 2, role);
	mrt_stmt_bind_text(st, 3, now);
	mrt_stmt_bind_int(st, 4, mrt_session_user_id(s));
	return mrt_stmt_run(st, err);
}

static int os_account_taken(mrt_session *s, const char *acct, mrt_err *err)
{
	static const char sql[] = "SELECT name FROM app_user WHERE os_account = ?";
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, acct);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1)
		rc = mrt_err_set(err, MRT_EEXIST, "OS account %s is already mapped to user %s", acct,
		                 mrt_stmt_text(st, 0));
	mrt_stmt_reset(st);
	return rc;
}

static int validate_new(const struct user_new *u, mrt_err *err)
{
	if (!user_name_valid(u->name))
		return mrt_err_set(err, MRT_EINVAL, "user name '%s' is not valid (1-64 letters, digits, "
		                   "'.', '_', '-', '@', starting with a letter or digit)",
		                   u->name ? u->name : "");
	if (u->os_account && !user_name_valid(u->os_account))
		return mrt_err_set(err, MRT_EINVAL, "OS account '%s' is not a valid account name",
		                   u->os_account);
	for (int i = 0; i < u->nroles; i++) {
		int rc = check_role(u->roles[i], err);
		if (rc)
			return rc;
	}
	return 0;
}

static int add_rows(mrt_session *s, const struct user_new *u, const char *hash, int64_t *id,
                    mrt_err *err)
{
	static const char sql[] =
		"INSERT INTO app_user(name, os_account, full_name, password_hash, created_at, created_by)"
		" VALUES (?,?,?,?,?,?)";
	int64_t existing = 0;
	int rc = user_svc_find(s, u->name, 0, &existing, err);
	if (rc == 1)
		return mrt_err_set(err, MRT_EEXIST, "user %s already exists", u->name);
	if (rc < 0 || (u->os_account && (rc = os_account_taken(s, u->os_account, err)) != 0))
		return rc;
	char now[32];
	mrt_now_iso(now);
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, u->name);
	mrt_stmt_bind_text(st, 2, u->os_account);
	mrt_stmt_bind_text(st, 3, u->full_name);
	mrt_stmt_bind_text(st, 4, hash);
	mrt_stmt_bind_text(st, 5, now);
	mrt_stmt_bind_int(st, 6, mrt_session_user_id(s));
	if ((rc = mrt_stmt_run(st, err)) != 0)
		return rc;
	*id = mrt_db_last_insert_id(mrt_session_db(s));
	unsigned done = 0;
	for (int i = 0; i < u->nroles && rc == 0; i++) {
		if (done & role_bit(u->roles[i]))
			continue;
		done |= role_bit(u->roles[i]);
		rc = insert_grant(s, *id, u->roles[i], err);
	}
	if (rc)
		return rc;
	char detail[200], roles[96];
	role_set_format(roles, sizeof roles, done);
	snprintf(detail, sizeof detail, "user added; roles: %s; %s", roles[0] ? roles : "none",
	         u->os_account ? "peer authentication" : "password only");
	return audit(s, "user.add", u->name, detail, err);
}

int user_svc_add(mrt_session *s, const struct user_new *u, int64_t *id, mrt_err *err)
{
	int rc = mrt_session_require(s, MRT_ROLE_ADMIN, "user.add", err);
	if (rc || (rc = validate_new(u, err)) != 0)
		return rc;
	char hash[PASSWORD_HASH_MAX] = "";
	if (u->password && (rc = password_hash(hash, u->password, err)) != 0)
		return rc;
	if (!u->os_account && !hash[0])
		return mrt_err_set(err, MRT_EINVAL, "user %s needs --os-account or --password-stdin to be "
		                   "able to sign in", u->name);
	if ((rc = mrt_db_begin(mrt_session_db(s), err)) != 0)
		return rc;
	rc = add_rows(s, u, hash[0] ? hash : NULL, id, err);
	if (rc) {
		mrt_db_rollback(mrt_session_db(s));
		return rc;
	}
	return mrt_db_commit(mrt_session_db(s), err);
}

/* Runs body between begin and commit, rolling back when it fails. */
#define IN_TXN(s, err, body)                                   \
	do {                                                       \
		int rc_ = mrt_db_begin(mrt_session_db(s), (err));      \
		if (rc_)                                               \
			return rc_;                                        \
		rc_ = (body);                                          \
		if (rc_) {                                             \
			mrt_db_rollback(mrt_session_db(s));                \
			return rc_;                                        \
		}                                                      \
		return mrt_db_commit(mrt_session_db(s), (err));        \
	} while (0)

/* 1 = active grant found (*gid set), 0 none, < 0 error. */
static int active_grant(mrt_session *s, int64_t uid, const char *role, int64_t *gid, mrt_err *err)
{
	static const char sql[] =
		"SELECT id FROM role_grant WHERE user_id = ? AND role = ? AND revoked_at IS NULL";
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, uid);
	mrt_stmt_bind_text(st, 2, role);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1)
		*gid = mrt_stmt_int(st, 0);
	mrt_stmt_reset(st);
	return rc;
}

static int grant_rows(mrt_session *s, const char *name, const char *role, int *changed,
                      mrt_err *err)
{
	int64_t uid = 0, gid = 0;
	char detail[120];
	int rc = need_user(s, name, &uid, err);
	if (rc || (rc = active_grant(s, uid, role, &gid, err)) < 0)
		return rc;
	*changed = rc == 0;
	if (rc == 0 && (rc = insert_grant(s, uid, role, err)) != 0)
		return rc;
	snprintf(detail, sizeof detail, "%s role %s", *changed ? "granted" : "already held", role);
	return audit(s, "user.grant", name, detail, err);
}

int user_svc_grant(mrt_session *s, const char *name, const char *role, int *changed, mrt_err *err)
{
	int rc = mrt_session_require(s, MRT_ROLE_ADMIN, "user.grant", err);
	if (rc || (rc = check_role(role, err)) != 0)
		return rc;
	IN_TXN(s, err, grant_rows(s, name, role, changed, err));
}

static int other_admins(mrt_session *s, int64_t uid, mrt_err *err)
{
	static const char sql[] =
		"SELECT count(*) FROM role_grant g JOIN app_user u ON u.id = g.user_id"
		" WHERE g.role = 'admin' AND g.revoked_at IS NULL AND u.active = 1 AND u.id <> ?";
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, uid);
	int rc = mrt_stmt_step(st, err);
	int n = rc == 1 ? (int)mrt_stmt_int(st, 0) : 0;
	mrt_stmt_reset(st);
	return rc < 0 ? rc : n;
}

static int revoke_rows(mrt_session *s, const char *name, const char *role, mrt_err *err)
{
	static const char sql[] =
		"UPDATE role_grant SET revoked_at = ?, revoked_by = ? WHERE id = ?";
	int64_t uid = 0, gid = 0;
	int rc = need_user(s, name, &uid, err);
	if (rc || (rc = active_grant(s, uid, role, &gid, err)) < 0)
		return rc;
	if (rc == 0)
		return mrt_err_set(err, MRT_ENOTFOUND, "user %s does not hold role %s", name, role);
	if (strcmp(role, MRT_ROLE_ADMIN) == 0 && (rc = other_admins(s, uid, err)) <= 0)
		return rc < 0 ? rc : mrt_err_set(err, MRT_EACCESS, "revoking admin from %s would leave "
		                                 "the site without an administrator", name);
	char now[32], detail[80];
	mrt_now_iso(now);
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, now);
	mrt_stmt_bind_int(st, 2, mrt_session_user_id(s));
	mrt_stmt_bind_int(st, 3, gid);
	if ((rc = mrt_stmt_run(st, err)) != 0)
		return rc;
	snprintf(detail, sizeof detail, "revoked role %s", role);
	return audit(s, "user.revoke", name, detail, err);
}

int user_svc_revoke(mrt_session *s, const char *name, const char *role, mrt_err *err)
{
	int rc = mrt_session_require(s, MRT_ROLE_ADMIN, "user.revoke", err);
	if (rc || (rc = check_role(role, err)) != 0)
		return rc;
	IN_TXN(s, err, revoke_rows(s, name, role, err));
}

static int passwd_rows(mrt_session *s, const char *name, const char *hash, mrt_err *err)
{
	static const char sql[] = "UPDATE app_user SET password_hash = ? WHERE id = ?";
	int64_t uid = 0;
	int rc = need_user(s, name, &uid, err);
	if (rc)
		return rc;
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, hash);
	mrt_stmt_bind_int(st, 2, uid);
	if ((rc = mrt_stmt_run(st, err)) != 0)
		return rc;
	return audit(s, "user.passwd", name, "password set", err);
}

int user_svc_passwd(mrt_session *s, const char *name, const char *password, mrt_err *err)
{
	int rc = 0;
	if (strcmp(name, mrt_session_user(s)) != 0)
		rc = mrt_session_require(s, MRT_ROLE_ADMIN, "user.passwd", err);
	char hash[PASSWORD_HASH_MAX];
	if (rc || (rc = password_hash(hash, password ? password : "", err)) != 0)
		return rc;
	IN_TXN(s, err, passwd_rows(s, name, hash, err));
}

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *row_json(mrt_stmt *st)
{
	unsigned roles = 0;
	const char *list = mrt_stmt_text(st, 7);
	char buf[128];
	mrt_strlcpy(buf, list ? list : "", sizeof buf);
	for (char *save = NULL, *r = strtok_r(buf, ",", &save); r; r = strtok_r(NULL, ",", &save))
		roles |= role_bit(r);
	json_t *arr = json_array();
	for (int i = 0; i < ROLE_COUNT; i++)
		if (roles & (1u << i))
			json_array_append_new(arr, json_string(role_names[i]));
	return json_pack("{s:I, s:s, s:o, s:o, s:o, s:b, s:b, s:s}", "id",
	                 (json_int_t)mrt_stmt_int(st, 0), "name", mrt_stmt_text(st, 1), "os_account",
	                 jstr(mrt_stmt_text(st, 2)), "full_name", jstr(mrt_stmt_text(st, 3)), "roles",
	                 arr, "password", (int)mrt_stmt_int(st, 4), "active",
	                 (int)mrt_stmt_int(st, 5), "created_at", mrt_stmt_text(st, 6));
}

int user_svc_list(mrt_session *s, json_t **out, mrt_err *err)
{
	static const char sql[] =
		"SELECT u.id, u.name, u.os_account, u.full_name, u.password_hash IS NOT NULL, u.active,"
		" u.created_at, (SELECT group_concat(g.role, ',') FROM role_grant g"
		"  WHERE g.user_id = u.id AND g.revoked_at IS NULL)"
		" FROM app_user u ORDER BY u.name";
	*out = NULL;
	int rc = mrt_session_require_either(s, MRT_ROLE_ADMIN, MRT_ROLE_PRIVACY, "user.list", err);
	if (rc || (rc = audit(s, "user.list", NULL, NULL, err)) != 0)
		return rc;
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	json_t *arr = json_array();
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		json_t *o = row_json(st);
		if (!o || json_array_append_new(arr, o) != 0) {
			rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
			break;
		}
	}
	mrt_stmt_reset(st);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return 0;
}
