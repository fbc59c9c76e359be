/*
 * User administration; see user_svc.h.
 */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/str.h"
#include "privacy/access.h"
#include "privacy/password.h"
#include "privacy/roles.h"
#include "service/access_svc.h"
#include "service/user_svc.h"

int user_name_valid(const char *name)
{
	size_t n = name ? strnlen(name, USER_NAME_MAX + 1) : 0;
	if (n == 0 || n > USER_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-' && c != '@')))
			return 0;
	}
	return 1;
}

/* Refuses a name, quoting it only when it is short enough to read. */
static int bad_name(mrt_err *err, const char *what, const char *name)
{
	size_t n = name ? strnlen(name, 4 * USER_NAME_MAX) : 0;
	if (n > USER_NAME_MAX)
		return mrt_err_set(err, MRT_EINVAL, "%s is too long (%s%zu characters; at most %d)", what,
		                   n >= 4 * USER_NAME_MAX ? "at least " : "", n, USER_NAME_MAX);
	return mrt_err_set(err, MRT_EINVAL, "%s '%s' is not valid (" USER_NAME_RULE ")", what,
	                   name ? name : "");
}

/* Free text (full name, reason): 1..max bytes, no control characters. */
static int check_text(const char *what, const char *t, size_t max, mrt_err *err)
{
	size_t n = t ? strnlen(t, max + 1) : 0;
	if (n == 0)
		return mrt_err_set(err, MRT_EINVAL, "%s is empty", what);
	if (n > max)
		return mrt_err_set(err, MRT_EINVAL, "%s is too long (at most %zu characters)", what, max);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)t[i] < 0x20 || t[i] == 0x7f)
			return mrt_err_set(err, MRT_EINVAL, "%s holds a control character", what);
	return 0;
}

/* The label codes a user may be granted (every sensitivity label but the
 * mandated-report one, which only its author and the privacy officer
 * read). */
static unsigned grantable_label(const char *code)
{
	unsigned b = access_label_bit(code);
	return b == (1u << LABEL_MANDATED) ? 0 : b;
}

static const char *label_code(unsigned bit)
{
	for (int i = 0; i < LABEL_COUNT; i++)
		if (bit == 1u << i)
			return access_labels[i].code;
	return "";
}

static const char *label_list_text(void)
{
	static char text[160];
	if (!text[0])
		access_label_format(text, sizeof text, ((1u << LABEL_COUNT) - 1) &
		                    ~(1u << LABEL_MANDATED));
	return text;
}

static int check_role(const char *role, mrt_err *err)
{
	if (role_bit(role))
		return 0;
	return mrt_err_set(err, MRT_EINVAL, "unknown role '%.64s' (roles: %s)", role ? role : "",
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

/* The user named name (any state): 0 (*id, *active set) or an error. */
static int need_user_state(mrt_session *s, const char *name, int64_t *id, int *active, mrt_err *err)
{
	static const char sql[] = "SELECT id, active FROM app_user WHERE name = ?";
	if (!user_name_valid(name))
		return bad_name(err, "user name", name);
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, name);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1) {
		*id = mrt_stmt_int(st, 0);
		*active = mrt_stmt_int(st, 1) != 0;
	}
	mrt_stmt_reset(st);
	if (rc == 0)
		return mrt_err_set(err, MRT_ENOTFOUND, "no mrt user named %s", name);
	return rc < 0 ? rc : 0;
}

static int need_user(mrt_session *s, const char *name, int64_t *id, mrt_err *err)
{
	int active = 0;
	return need_user_state(s, name, id, &active, err);
}

static int audit(mrt_session *s, const char *action, const char *name, const char *detail,
                 mrt_err *err)
{
	struct mrt_audit_rec r = { .action = action, .object_type = "app_user", .object_id = name,
	                           .detail = detail };
	return mrt_session_audit(s, &r, err);
}

/* One user_event row by the session's user (reason, provider may be
 * NULL/0). */
static int user_event(mrt_session *s, int64_t uid, const char *kind, const char *reason,
                      int64_t provider, mrt_err *err)
{
	static const char sql[] =
		"INSERT INTO user_event(user_id, kind, at, by_user, reason, provider_id)"
		" VALUES (?,?,?,?,?,?)";
	char now[32];
	mrt_now_iso(now);
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, uid);
	mrt_stmt_bind_text(st, 2, kind);
	mrt_stmt_bind_text(st, 3, now);
	mrt_stmt_bind_int(st, 4, mrt_session_user_id(s));
	mrt_stmt_bind_text(st, 5, reason);
	if (provider)
		mrt_stmt_bind_int(st, 6, provider);
	return mrt_stmt_run(st, err);
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

/* The provider ref names: its ident, its source_ref, or "SYSTEM|IDENT".
 * 0 (*id set), MRT_ENOTFOUND or MRT_EAMBIG naming the candidates. */
static int find_provider(mrt_session *s, const char *ref, int64_t *id, mrt_err *err)
{
	static const char sql[] =
		"SELECT id, system, ident FROM provider WHERE ident = ?1 OR source_ref = ?1"
		" OR system || '|' || ident = ?1 ORDER BY id LIMIT 4";
	if (check_text("provider reference", ref, 200, err))
		return err->code;
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, ref);
	char seen[300] = "";
	int n = 0, rc;
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		if (n++ == 0)
			*id = mrt_stmt_int(st, 0);
		size_t used = strlen(seen);
		snprintf(seen + used, sizeof seen - used, "%s%s|%s", used ? ", " : "",
		         mrt_stmt_text(st, 1), mrt_stmt_text(st, 2));
	}
	mrt_stmt_reset(st);
	if (rc < 0)
		return rc;
	if (n == 0)
		return mrt_err_set(err, MRT_ENOTFOUND, "no provider has ident or source reference '%s'",
		                   ref);
	if (n > 1)
		return mrt_err_set(err, MRT_EAMBIG, "provider reference '%s' matches %s%d providers "
		                   "(%s); give it as SYSTEM|IDENT", ref, n > 3 ? "at least " : "", n,
		                   seen);
	return 0;
}

static int validate_new(const struct user_new *u, mrt_err *err)
{
	if (!user_name_valid(u->name))
		return bad_name(err, "user name", u->name);
	if (u->os_account && !user_name_valid(u->os_account))
		return bad_name(err, "OS account", u->os_account);
	if (u->full_name && check_text("full name", u->full_name, USER_FULL_NAME_MAX, err))
		return err->code;
	for (int i = 0; i < u->nroles; i++) {
		int rc = check_role(u->roles[i], err);
		if (rc)
			return rc;
	}
	if (u->password)
		return password_rules(u->name, u->password, err);
	return 0;
}

static int add_rows(mrt_session *s, const struct user_new *u, const char *hash, int64_t *id,
                    mrt_err *err)
{
	static const char sql[] =
		"INSERT INTO app_user(name, os_account, full_name, password_hash, created_at, created_by,"
		" provider_id) VALUES (?,?,?,?,?,?,?)";
	int64_t existing = 0, provider = 0;
	int rc = user_svc_find(s, u->name, 0, &existing, err);
	if (rc == 1)
		return mrt_err_set(err, MRT_EEXIST, "user %s already exists", u->name);
	if (rc < 0 || (u->os_account && (rc = os_account_taken(s, u->os_account, err)) != 0))
		return rc;
	if (u->provider && (rc = find_provider(s, u->provider, &provider, err)) != 0)
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
	if (provider)
		mrt_stmt_bind_int(st, 7, provider);
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
	if (rc || (provider && (rc = user_event(s, *id, "link", NULL, provider, err)) != 0))
		return rc;
	char detail[200], roles[96];
	role_set_format(roles, sizeof roles, done);
	snprintf(detail, sizeof detail, "user added; roles: %s; %s%s", roles[0] ? roles : "none",
	         u->os_account ? "peer authentication" : "password only",
	         provider ? "; linked to a provider" : "");
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

/* Whether what is a role or a label, and the access check for it: an
 * admin grants roles, a privacy officer labels. *code is the stored name
 * (a label's canonical code: PART2 is stored as 42CFRPart2), *kind
 * "role" or "label". */
static int grant_check(mrt_session *s, const char *action, const char *what, const char **code,
                       const char **kind, mrt_err *err)
{
	unsigned label = grantable_label(what);
	if (role_bit(what)) {
		*code = what;
		*kind = "role";
		return mrt_session_require(s, MRT_ROLE_ADMIN, action, err);
	}
	if (label) {
		*code = label_code(label);
		*kind = "label";
		struct access_target t = { .action = action };
		return access_svc_check(s, ACCESS_LABEL_GRANT, &t, NULL, err);
	}
	return mrt_err_set(err, MRT_EINVAL, "unknown role '%.64s' (roles: %s; sensitivity labels, "
	                   "granted by a privacy officer: %s)", what ? what : "", role_list_text(),
	                   label_list_text());
}

static int grant_rows(mrt_session *s, const char *name, const char *code, const char *kind,
                      int *changed, mrt_err *err)
{
	int64_t uid = 0, gid = 0;
	char detail[120];
	int rc = need_user(s, name, &uid, err);
	if (rc || (rc = active_grant(s, uid, code, &gid, err)) < 0)
		return rc;
	*changed = rc == 0;
	if (rc == 0 && (rc = insert_grant(s, uid, code, err)) != 0)
		return rc;
	snprintf(detail, sizeof detail, "%s %s %s", *changed ? "granted" : "already held", kind, code);
	return audit(s, "user.grant", name, detail, err);
}

int user_svc_grant(mrt_session *s, const char *name, const char *what, int *changed, mrt_err *err)
{
	const char *code = NULL, *kind = NULL;
	int rc = grant_check(s, "user.grant", what, &code, &kind, err);
	if (rc)
		return rc;
	IN_TXN(s, err, grant_rows(s, name, code, kind, changed, err));
}

/* Active administrators other than uid (< 0: error). */
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

static int revoke_rows(mrt_session *s, const char *name, const char *code, const char *kind,
                       mrt_err *err)
{
	static const char sql[] =
		"UPDATE role_grant SET revoked_at = ?, revoked_by = ? WHERE id = ?";
	int64_t uid = 0, gid = 0;
	int rc = need_user(s, name, &uid, err);
	if (rc || (rc = active_grant(s, uid, code, &gid, err)) < 0)
		return rc;
	if (rc == 0)
		return mrt_err_set(err, MRT_ENOTFOUND, "user %s does not hold %s %s", name, kind, code);
	if (strcmp(code, MRT_ROLE_ADMIN) == 0 && (rc = other_admins(s, uid, err)) <= 0)
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
	snprintf(detail, sizeof detail, "revoked %s %s", kind, code);
	return audit(s, "user.revoke", name, detail, err);
}

int user_svc_revoke(mrt_session *s, const char *name, const char *what, mrt_err *err)
{
	const char *code = NULL, *kind = NULL;
	int rc = grant_check(s, "user.revoke", what, &code, &kind, err);
	if (rc)
		return rc;
	IN_TXN(s, err, revoke_rows(s, name, code, kind, err));
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
	if (!rc && !user_name_valid(name))
		rc = bad_name(err, "user name", name);
	if (rc || (rc = password_rules(name, password, err)) != 0 ||
	    (rc = password_hash(hash, password ? password : "", err)) != 0)
		return rc;
	IN_TXN(s, err, passwd_rows(s, name, hash, err));
}

static int set_active(mrt_session *s, int64_t uid, int active, mrt_err *err)
{
	static const char sql[] = "UPDATE app_user SET active = ? WHERE id = ?";
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, active);
	mrt_stmt_bind_int(st, 2, uid);
	return mrt_stmt_run(st, err);
}

static int holds_admin(mrt_session *s, int64_t uid, mrt_err *err)
{
	int64_t gid = 0;
	return active_grant(s, uid, MRT_ROLE_ADMIN, &gid, err);
}

static int disable_rows(mrt_session *s, const char *name, const char *reason, mrt_err *err)
{
	int64_t uid = 0;
	int active = 0;
	int rc = need_user_state(s, name, &uid, &active, err);
	if (rc)
		return rc;
	if (!active)
		return mrt_err_set(err, MRT_EEXIST, "user %s is already disabled", name);
	if ((rc = holds_admin(s, uid, err)) < 0)
		return rc;
	if (rc == 1 && (rc = other_admins(s, uid, err)) <= 0)
		return rc < 0 ? rc : mrt_err_set(err, MRT_EACCESS, "disabling %s would leave the site "
		                                 "without an active administrator", name);
	if ((rc = set_active(s, uid, 0, err)) != 0 ||
	    (rc = user_event(s, uid, "disable", reason, 0, err)) != 0)
		return rc;
	/* The reason stays in user_event (shown by user list), not in the
	 * audit detail, in case it tells more than the trail should. */
	return audit(s, "user.disable", name, "user disabled", err);
}

int user_svc_disable(mrt_session *s, const char *name, const char *reason, mrt_err *err)
{
	int rc = mrt_session_require(s, MRT_ROLE_ADMIN, "user.disable", err);
	if (rc || (rc = check_text("reason", reason, USER_REASON_MAX, err)) != 0)
		return rc;
	IN_TXN(s, err, disable_rows(s, name, reason, err));
}

static int enable_rows(mrt_session *s, const char *name, mrt_err *err)
{
	int64_t uid = 0;
	int active = 0;
	int rc = need_user_state(s, name, &uid, &active, err);
	if (rc)
		return rc;
	if (active)
		return mrt_err_set(err, MRT_EEXIST, "user %s is not disabled", name);
	if ((rc = set_active(s, uid, 1, err)) != 0 ||
	    (rc = user_event(s, uid, "enable", NULL, 0, err)) != 0)
		return rc;
	return audit(s, "user.enable", name, "user enabled", err);
}

int user_svc_enable(mrt_session *s, const char *name, mrt_err *err)
{
	int rc = mrt_session_require(s, MRT_ROLE_ADMIN, "user.enable", err);
	if (rc)
		return rc;
	IN_TXN(s, err, enable_rows(s, name, err));
}

static int unlock_rows(mrt_session *s, const char *name, int *changed, mrt_err *err)
{
	static const char get[] = "SELECT locked_until, failed_count FROM app_user WHERE id = ?";
	static const char upd[] =
		"UPDATE app_user SET locked_until = NULL, failed_count = 0 WHERE id = ?";
	int64_t uid = 0;
	int rc = need_user(s, name, &uid, err);
	mrt_stmt *st = rc ? NULL : mrt_db_stmt(mrt_session_db(s), get, err);
	if (!st)
		return rc ? rc : err->code;
	mrt_stmt_bind_int(st, 1, uid);
	char now[32], until[40] = "";
	int64_t failed = 0;
	if ((rc = mrt_stmt_step(st, err)) == 1) {
		const char *u = mrt_stmt_text(st, 0);
		mrt_strlcpy(until, u ? u : "", sizeof until);
		failed = mrt_stmt_int(st, 1);
	}
	mrt_stmt_reset(st);
	if (rc < 0)
		return rc;
	mrt_now_iso(now);
	*changed = until[0] && strcmp(until, now) > 0;
	if (!*changed && failed == 0)
		return audit(s, "user.unlock", name, "was not locked", err);
	if (!(st = mrt_db_stmt(mrt_session_db(s), upd, err)))
		return err->code;
	mrt_stmt_bind_int(st, 1, uid);
	if ((rc = mrt_stmt_run(st, err)) != 0 ||
	    (*changed && (rc = user_event(s, uid, "unlock", NULL, 0, err)) != 0))
		return rc;
	return audit(s, "user.unlock", name,
	             *changed ? "lock lifted, failed sign-ins cleared" : "failed sign-ins cleared", err);
}

int user_svc_unlock(mrt_session *s, const char *name, int *changed, mrt_err *err)
{
	int rc = mrt_session_require(s, MRT_ROLE_ADMIN, "user.unlock", err);
	if (rc)
		return rc;
	IN_TXN(s, err, unlock_rows(s, name, changed, err));
}

static int link_rows(mrt_session *s, const char *name, const char *ref, mrt_err *err)
{
	static const char sql[] = "UPDATE app_user SET provider_id = ? WHERE id = ?";
	int64_t uid = 0, provider = 0;
	int rc = need_user(s, name, &uid, err);
	if (rc || (ref && (rc = find_provider(s, ref, &provider, err)) != 0))
		return rc;
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	if (provider)
		mrt_stmt_bind_int(st, 1, provider);
	mrt_stmt_bind_int(st, 2, uid);
	if ((rc = mrt_stmt_run(st, err)) != 0 ||
	    (rc = user_event(s, uid, provider ? "link" : "unlink", NULL, provider, err)) != 0)
		return rc;
	char detail[64] = "provider link removed";
	if (provider)
		snprintf(detail, sizeof detail, "linked to provider id %lld", (long long)provider);
	return audit(s, "user.link", name, detail, err);
}

int user_svc_link(mrt_session *s, const char *name, const char *ref, mrt_err *err)
{
	int rc = mrt_session_require(s, MRT_ROLE_ADMIN, "user.link", err);
	if (rc)
		return rc;
	IN_TXN(s, err, link_rows(s, name, ref, err));
}

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* The roles and the labels of a comma-separated grant list. */
static void grants_json(const char *list, json_t **roles_out, json_t **labels_out)
{
	unsigned roles = 0, labels = 0;
	char buf[512];
	mrt_strlcpy(buf, list ? list : "", sizeof buf);
	for (char *save = NULL, *r = strtok_r(buf, ",", &save); r; r = strtok_r(NULL, ",", &save)) {
		roles |= role_bit(r);
		labels |= access_label_bit(r);
	}
	json_t *ra = json_array(), *la = json_array();
	for (int i = 0; i < ROLE_COUNT; i++)
		if (roles & (1u << i))
			json_array_append_new(ra, json_string(role_names[i]));
	for (int i = 0; i < LABEL_COUNT; i++)
		if (labels & (1u << i))
			json_array_append_new(la, json_string(access_labels[i].code));
	*roles_out = ra;
	*labels_out = la;
}

enum {
	C_ID, C_NAME, C_OS, C_FULL, C_PW, C_ACTIVE, C_CREATED, C_GRANTS, C_FAILED, C_LOCKED,
	C_PROV_ID, C_PROV_SYSTEM, C_PROV_IDENT, C_PROV_NAME, C_DIS_AT, C_DIS_BY, C_DIS_REASON
};

static json_t *row_json(mrt_stmt *st, const char *now)
{
	json_t *roles = NULL, *labels = NULL, *prov = json_null();
	grants_json(mrt_stmt_text(st, C_GRANTS), &roles, &labels);
	if (!mrt_stmt_is_null(st, C_PROV_ID))
		prov = json_pack("{s:I, s:s?, s:s?, s:s?}", "id",
		                 (json_int_t)mrt_stmt_int(st, C_PROV_ID), "system",
		                 mrt_stmt_text(st, C_PROV_SYSTEM), "ident", mrt_stmt_text(st, C_PROV_IDENT),
		                 "name", mrt_stmt_text(st, C_PROV_NAME));
	const char *until = mrt_stmt_text(st, C_LOCKED);
	int locked = until && strcmp(until, now) > 0;
	int active = (int)mrt_stmt_int(st, C_ACTIVE);
	return json_pack(
		"{s:I, s:s, s:o, s:o, s:o, s:o, s:b, s:b, s:s, s:b, s:o, s:o, s:o, s:o, s:I, s:b, s:o}",
		"id", (json_int_t)mrt_stmt_int(st, C_ID), "name", mrt_stmt_text(st, C_NAME),
		"os_account", jstr(mrt_stmt_text(st, C_OS)), "full_name", jstr(mrt_stmt_text(st, C_FULL)),
		"roles", roles, "labels", labels, "password", (int)mrt_stmt_int(st, C_PW), "active",
		active, "created_at", mrt_stmt_text(st, C_CREATED), "disabled", !active, "disabled_at",
		jstr(active ? NULL : mrt_stmt_text(st, C_DIS_AT)), "disabled_by",
		jstr(active ? NULL : mrt_stmt_text(st, C_DIS_BY)), "disabled_reason",
		jstr(active ? NULL : mrt_stmt_text(st, C_DIS_REASON)), "provider", prov, "failed_count",
		(json_int_t)mrt_stmt_int(st, C_FAILED), "locked", locked, "locked_until",
		jstr(locked ? until : NULL));
}

int user_svc_list(mrt_session *s, json_t **out, mrt_err *err)
{
	static const char sql[] =
		"SELECT u.id, u.name, u.os_account, u.full_name, u.password_hash IS NOT NULL, u.active,"
		" u.created_at, (SELECT group_concat(g.role, ',') FROM role_grant g"
		"  WHERE g.user_id = u.id AND g.revoked_at IS NULL),"
		" u.failed_count, u.locked_until, p.id, p.system, p.ident, p.name,"
		" d.at, (SELECT b.name FROM app_user b WHERE b.id = d.by_user), d.reason"
		" FROM app_user u LEFT JOIN provider p ON p.id = u.provider_id"
		" LEFT JOIN user_event d ON d.id = (SELECT max(e.id) FROM user_event e"
		"  WHERE e.user_id = u.id AND e.kind = 'disable')"
		" ORDER BY u.name";
	*out = NULL;
	int rc = mrt_session_require_either(s, MRT_ROLE_ADMIN, MRT_ROLE_PRIVACY, "user.list", err);
	if (rc || (rc = audit(s, "user.list", NULL, NULL, err)) != 0)
		return rc;
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	char now[32];
	mrt_now_iso(now);
	json_t *arr = json_array();
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		json_t *o = row_json(st, now);
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
