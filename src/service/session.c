/*
 * Sessions: the acting user and their roles, and the audit trail every
 * service call writes through mrt_session_audit. Authentication lives in
 * session_auth.c; the chain's rules in privacy/audit.c.
 *
 * Anchor and crash consistency: an event's anchor line ("<id> <mac>") is
 * kept in memory while its transaction is open and appended to the anchor
 * file (O_APPEND, one write) only once the outermost transaction has
 * committed; a rolled-back transaction leaves no line. So every anchored
 * event is a committed one, and verification requires each anchored event
 * to be in the database with the anchored MAC. A crash between the commit
 * and the write leaves the newest events unanchored: verification still
 * checks their chain and reports them as not yet anchored rather than
 * failing. Anchor lines are not fsync'ed (like the database's own
 * synchronous=NORMAL): a power cut may lose the last lines, never add any.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/date.h"
#include "base/log.h"
#include "base/str.h"
#include "privacy/access.h"
#include "privacy/roles.h"
#include "service/session_int.h"
#include "service/site.h"

static void txn_ended(void *ctx, int committed);

static int is_memory_db(const char *path)
{
	return !path || !*path || strcmp(path, ":memory:") == 0;
}

int session_new(mrt_session **out, mrt_db *db, const char *purpose, mrt_err *err)
{
	*out = NULL;
	mrt_session *s = calloc(1, sizeof *s);
	if (!s) {
		mrt_db_close(db);
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	}
	s->db = db;
	s->anchor_fd = -1;
	mrt_buf_init(&s->pending, 64u << 20);
	int pid = purpose && *purpose ? access_purpose_parse(purpose) : PURPOSE_OPERATIONS;
	mrt_strlcpy(s->purpose, pid >= 0 ? access_purpose_names[pid] : purpose, sizeof s->purpose);
	const char *path = mrt_db_path(db);
	int rc = 0;
	if (is_memory_db(path)) {
		mrt_random_bytes(s->key, sizeof s->key);
	} else {
		char key_path[PATH_MAX];
		rc = site_key_path(key_path, sizeof key_path, path, mrt_db_id(db), err);
		if (!rc)
			rc = site_key_load(s->key, key_path, err);
		if (!rc)
			rc = site_anchor_path(s->anchor_path, sizeof s->anchor_path, path, mrt_db_id(db), err);
	}
	/* An audited read returns its data only once its audit event is on
	 * disk: every commit of a session is durable (one fsync a commit;
	 * bulk imports commit once). */
	if (rc == 0)
		rc = mrt_db_set_durable(db, err);
	if (rc) {
		mrt_session_close(s);
		return rc;
	}
	mrt_db_set_txn_hook(db, txn_ended, s);
	*out = s;
	return 0;
}

void mrt_session_close(mrt_session *s)
{
	if (!s)
		return;
	if (s->db) {
		mrt_db_set_txn_hook(s->db, NULL, NULL);
		mrt_db_close(s->db);
	}
	if (s->anchor_fd >= 0)
		close(s->anchor_fd);
	mrt_buf_free(&s->pending);
	memset(s->key, 0, sizeof s->key);
	free(s);
}

void session_os_account(char *out, size_t size)
{
	struct passwd *pw = getpwuid(geteuid());
	if (pw && pw->pw_name && *pw->pw_name)
		mrt_strlcpy(out, pw->pw_name, size);
	else
		snprintf(out, size, "uid%lu", (unsigned long)geteuid());
}

int session_set_user(mrt_session *s, int64_t id, const char *name, mrt_err *err)
{
	static const char sql[] =
		"SELECT role, (SELECT provider_id FROM app_user WHERE id = ?1) FROM role_grant"
		" WHERE user_id = ?1 AND revoked_at IS NULL";
	mrt_stmt *st = mrt_db_stmt(s->db, sql, err);
	if (!st)
		return err ? err->code : MRT_EDB;
	mrt_stmt_bind_int(st, 1, id);
	unsigned roles = 0, labels = 0;
	int64_t provider = 0;
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		roles |= role_bit(mrt_stmt_text(st, 0));
		labels |= access_label_bit(mrt_stmt_text(st, 0));
		provider = mrt_stmt_int(st, 1);
	}
	if (rc < 0)
		return rc;
	s->user_id = id;
	s->roles = roles;
	s->label_grants = labels;
	s->provider_id = provider;
	mrt_strlcpy(s->user, name, sizeof s->user);
	role_set_format(s->role_text, sizeof s->role_text, roles);
	return 0;
}

mrt_db *mrt_session_db(mrt_session *s) { return s->db; }
const char *mrt_session_user(const mrt_session *s) { return s->user; }
int64_t mrt_session_user_id(const mrt_session *s) { return s->user_id; }
const char *mrt_session_actor(const mrt_session *s) { return s->actor; }
const char *mrt_session_purpose(const mrt_session *s) { return s->purpose; }

unsigned mrt_session_roles(const mrt_session *s) { return s->roles; }
unsigned mrt_session_label_grants(const mrt_session *s) { return s->label_grants; }
int64_t mrt_session_provider_id(const mrt_session *s) { return s->provider_id; }

int mrt_session_has_role(const mrt_session *s, const char *role)
{
	return role_set_has(s->roles, role);
}

static void anchor_flush(mrt_session *s)
{
	if (!s->anchor_path[0] || s->pending.len == 0)
		return;
	if (s->anchor_fd < 0)
		s->anchor_fd = open(s->anchor_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (s->anchor_fd < 0) {
		mrt_log(MRT_LOG_ERROR, "%s: cannot open audit anchor: %s", s->anchor_path, strerror(errno));
		return;
	}
	const char *p = s->pending.ptr;
	size_t left = s->pending.len;
	while (left > 0) {
		ssize_t n = write(s->anchor_fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			mrt_log(MRT_LOG_ERROR, "%s: cannot append to audit anchor: %s", s->anchor_path,
			        strerror(errno));
			return;
		}
		p += n;
		left -= (size_t)n;
	}
}

static void txn_ended(void *ctx, int committed)
{
	mrt_session *s = ctx;
	if (committed)
		anchor_flush(s);
	mrt_buf_reset(&s->pending);
	s->head_valid = 0;
}

static int load_head(mrt_session *s, mrt_err *err)
{
	static const char sql[] = "SELECT id, mac FROM audit_event ORDER BY id DESC LIMIT 1";
	mrt_stmt *st = mrt_db_stmt(s->db, sql, err);
	if (!st)
		return err ? err->code : MRT_EDB;
	int rc = mrt_stmt_step(st, err);
	if (rc < 0)
		return rc;
	s->head_id = 0;
	memcpy(s->head_mac, AUDIT_GENESIS, AUDIT_MAC_HEX);
	if (rc == 1) {
		s->head_id = mrt_stmt_int(st, 0);
		const char *mac = mrt_stmt_text(st, 1);
		mrt_strlcpy(s->head_mac, mac ? mac : "", sizeof s->head_mac);
	}
	mrt_stmt_reset(st);
	s->head_valid = 1;
	return 0;
}

int session_audit_insert(mrt_db *db, const struct audit_event *e, mrt_err *err)
{
	static const char sql[] =
		"INSERT INTO audit_event(id, at, actor, on_behalf_of, role, action, object_type,"
		" object_id, patient_id, purpose, outcome, detail, prev_mac, mac)"
		" VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err ? err->code : MRT_EDB;
	mrt_stmt_bind_int(st, 1, e->id);
	mrt_stmt_bind_text(st, 2, e->at);
	mrt_stmt_bind_text(st, 3, e->actor);
	mrt_stmt_bind_text(st, 4, e->on_behalf_of);
	mrt_stmt_bind_text(st, 5, e->role);
	mrt_stmt_bind_text(st, 6, e->action);
	mrt_stmt_bind_text(st, 7, e->object_type);
	mrt_stmt_bind_text(st, 8, e->object_id);
	if (e->patient_id)
		mrt_stmt_bind_int(st, 9, e->patient_id);
	mrt_stmt_bind_text(st, 10, e->purpose);
	mrt_stmt_bind_text(st, 11, e->outcome);
	mrt_stmt_bind_text(st, 12, e->detail);
	mrt_stmt_bind_text(st, 13, e->prev_mac);
	mrt_stmt_bind_text(st, 14, e->mac);
	return mrt_stmt_run(st, err);
}

static int valid_outcome(const char *o)
{
	return strcmp(o, "allow") == 0 || strcmp(o, "deny") == 0 || strcmp(o, "break-glass") == 0;
}

/* The event as the session records it; id, at, prev_mac and mac unset. */
static int make_event(mrt_session *s, const struct mrt_audit_rec *r, struct audit_event *e,
                      mrt_err *err)
{
	*e = (struct audit_event){
		.actor = s->actor[0] ? s->actor : s->user,
		.on_behalf_of = s->acting_as ? s->user : NULL, .role = s->role_text,
		.action = r->action, .object_type = r->object_type, .object_id = r->object_id,
		.patient_id = r->patient_id, .purpose = s->purpose,
		.outcome = r->outcome ? r->outcome : "allow", .detail = r->detail,
	};
	if (!e->action || !*e->actor || !valid_outcome(e->outcome))
		return mrt_err_set(err, MRT_EINVAL, "audit event needs an action, an actor and an outcome "
		                   "of allow, deny or break-glass");
	return 0;
}

static int append(mrt_session *s, const struct mrt_audit_rec *r, mrt_err *err)
{
	int rc = s->head_valid ? 0 : load_head(s, err);
	if (rc)
		return rc;
	char now[32], mac[AUDIT_MAC_HEX];
	mrt_now_iso(now);
	struct audit_event e;
	if ((rc = make_event(s, r, &e, err)) != 0)
		return rc;
	e.id = s->head_id + 1;
	e.at = now;
	e.prev_mac = s->head_mac;
	if ((rc = audit_mac(mac, s->key, &e)) != 0)
		return mrt_err_set(err, rc, "audit event too large");
	e.mac = mac;
	if ((rc = session_audit_insert(s->db, &e, err)) != 0)
		return rc;
	char line[AUDIT_ANCHOR_LINE];
	size_t n = audit_anchor_format(line, sizeof line, e.id, mac);
	if (mrt_buf_add(&s->pending, line, n) != 0)
		return mrt_err_set(err, MRT_ENOMEM, "too many audit events in one transaction");
	s->head_id = e.id;
	memcpy(s->head_mac, mac, AUDIT_MAC_HEX);
	return 0;
}

void session_set_audit_sink(mrt_session *s, session_audit_sink fn, void *ctx)
{
	s->sink = fn;
	s->sink_ctx = ctx;
}

int mrt_session_audit(mrt_session *s, const struct mrt_audit_rec *r, mrt_err *err)
{
	if (s->sink) {
		struct audit_event e;
		int rc = make_event(s, r, &e, err);
		return rc ? rc : s->sink(s->sink_ctx, &e, err);
	}
	int rc = mrt_db_begin(s->db, err);
	if (rc)
		return rc;
	rc = append(s, r, err);
	if (rc) {
		s->head_valid = 0;
		mrt_db_rollback(s->db);
		return mrt_err_prefix(err, "writing the audit trail");
	}
	return mrt_db_commit(s->db, err);
}

int mrt_session_require(mrt_session *s, const char *role, const char *action, mrt_err *err)
{
	if (mrt_session_has_role(s, role))
		return 0;
	char detail[160];
	snprintf(detail, sizeof detail, "role %s required", role);
	struct mrt_audit_rec r = { .action = action, .outcome = "deny", .detail = detail };
	mrt_err ignored = { 0 };
	if (mrt_session_audit(s, &r, &ignored) != 0)
		mrt_warn("%s", ignored.msg);
	return mrt_err_set(err, MRT_EACCESS, "user %s may not %s: role %s required%s%s%s", s->user,
	                   action, role, s->acting_as ? " (administrator " : "",
	                   s->acting_as ? s->actor : "", s->acting_as ? " is acting as that user)" : "");
}

int mrt_session_require_either(mrt_session *s, const char *role_a, const char *role_b,
                               const char *action, mrt_err *err)
{
	if (mrt_session_has_role(s, role_a) || (role_b && mrt_session_has_role(s, role_b)))
		return 0;
	if (!role_b)
		return mrt_session_require(s, role_a, action, err);
	char detail[160];
	snprintf(detail, sizeof detail, "role %s or %s required", role_a, role_b);
	struct mrt_audit_rec r = { .action = action, .outcome = "deny", .detail = detail };
	mrt_err ignored = { 0 };
	if (mrt_session_audit(s, &r, &ignored) != 0)
		mrt_warn("%s", ignored.msg);
	return mrt_err_set(err, MRT_EACCESS, "user %s may not %s: role %s or %s required%s%s%s",
	                   s->user, action, role_a, role_b, s->acting_as ? " (administrator " : "",
	                   s->acting_as ? s->actor : "", s->acting_as ? " is acting as that user)" : "");
}
