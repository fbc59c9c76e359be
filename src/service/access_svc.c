/*
 * The access check of the service layer (see access_svc.h): it loads the
 * facts - label grants and roles from the session, the labels of the
 * patient and of the object read, the user's treating relation, an open
 * break-the-glass - hands them to the pure decision (privacy/access.c),
 * and records what must be recorded: a denial as a "deny" audit event, a
 * new break-the-glass as its own row, a work item for the privacy
 * officer's review and a "break-glass" audit event.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/date.h"
#include "base/str.h"
#include "privacy/roles.h"
#include "service/access_svc.h"
#include "service/queue_svc.h"

#define GLASS_MINUTES_DEFAULT 60
#define GLASS_REASON_MAX 1000

int access_svc_purpose(const mrt_session *s)
{
	int p = access_purpose_parse(mrt_session_purpose(s));
	return p < 0 ? PURPOSE_OPERATIONS : p;
}

static int labels_of(mrt_db *db, int64_t patient_id, const char *type, int64_t id, unsigned *out,
                     mrt_err *err)
{
	static const char sql[] =
		"SELECT system, code FROM label WHERE patient_id = ?1 AND ended_at IS NULL"
		" AND ((object_type = 'patient' AND object_id = ?1)"
		"   OR (object_type = ?2 AND object_id = ?3))";
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, patient_id);
	mrt_stmt_bind_text(st, 2, type ? type : "patient");
	mrt_stmt_bind_int(st, 3, type ? id : patient_id);
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1)
		*out |= access_label_bit_sys(mrt_stmt_text(st, 0), mrt_stmt_text(st, 1));
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int access_svc_labels(mrt_session *s, int64_t patient_id, const char *object_type,
                      int64_t object_id, unsigned *out, mrt_err *err)
{
	*out = 0;
	return labels_of(mrt_session_db(s), patient_id, object_type, object_id, out, err);
}

/* The user's provider is attending, admitting, surgeon or author on one
 * of the patient's encounters. */
static int treating(mrt_db *db, int64_t provider, int64_t patient_id, int *out, mrt_err *err)
{
	static const char sql[] =
		"SELECT EXISTS (SELECT 1 FROM encounter WHERE patient_id = ?1"
		"   AND (attending_id = ?2 OR admitting_id = ?2))"
		" OR EXISTS (SELECT 1 FROM procedure WHERE patient_id = ?1 AND surgeon_id = ?2)"
		" OR EXISTS (SELECT 1 FROM document WHERE patient_id = ?1 AND author_id = ?2)";
	*out = 0;
	if (!provider || !patient_id)
		return 0;
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, patient_id);
	mrt_stmt_bind_int(st, 2, provider);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1)
		*out = (int)mrt_stmt_int(st, 0);
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* The id of this user's unexpired break-glass on the patient, or 0. */
static int open_glass(mrt_session *s, int64_t patient_id, int64_t *out, mrt_err *err)
{
	static const char sql[] =
		"SELECT id FROM break_glass WHERE user_id = ? AND patient_id = ? AND expires_at > ?"
		" ORDER BY id DESC LIMIT 1";
	*out = 0;
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	char now[32];
	mrt_now_iso(now);
	mrt_stmt_bind_int(st, 1, mrt_session_user_id(s));
	mrt_stmt_bind_int(st, 2, patient_id);
	mrt_stmt_bind_text(st, 3, now);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1)
		*out = mrt_stmt_int(st, 0);
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int gather(mrt_session *s, enum access_op op, const struct access_target *t,
                  struct access_subject *who, struct access_object *obj, mrt_err *err)
{
	memset(who, 0, sizeof *who);
	memset(obj, 0, sizeof *obj);
	who->roles = mrt_session_roles(s);
	who->label_grants = mrt_session_label_grants(s);
	who->author = t ? t->author : 0;
	if (!t)
		return 0;
	obj->labels = t->extra_labels;
	obj->restricted = t->restricted;
	obj->authorized = t->authorized;
	if (!t->patient_id || !(access_ops[op].per_patient || access_ops[op].disclosure))
		return 0;
	mrt_db *db = mrt_session_db(s);
	int rc = labels_of(db, t->patient_id, t->object_type, t->object_id, &obj->labels, err);
	if (rc == 0 && obj->labels)
		rc = treating(db, mrt_session_provider_id(s), t->patient_id, &who->treating, err);
	return rc;
}

static const char *const glass_categories[] = {
	"emergency", "continuity-of-care", "patient-request", "legal", "other", NULL,
};

static int glass_minutes(mrt_db *db)
{
	mrt_err ignored = { 0 };
	mrt_stmt *st = mrt_db_stmt(db, "SELECT value FROM meta WHERE key = 'break_glass_minutes'",
	                           &ignored);
	int minutes = GLASS_MINUTES_DEFAULT;
	if (st && mrt_stmt_step(st, &ignored) == 1) {
		int64_t v = 0;
		if (mrt_parse_i64(&v, mrt_stmt_text(st, 0)) == 0 && v > 0 && v <= 24 * 60)
			minutes = (int)v;
	}
	if (st)
		mrt_stmt_reset(st);
	return minutes;
}

static void iso_in(char out[32], int minutes)
{
	time_t t = time(NULL) + (time_t)minutes * 60;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%S.000000Z", &tm);
}

static int glass_row(mrt_session *s, int64_t patient_id, const char *category, const char *reason,
                     unsigned labels, int64_t *id, mrt_err *err)
{
	static const char sql[] =
		"INSERT INTO break_glass (user_id, patient_id, category, reason, labels, started_at,"
		" expires_at, reads) VALUES (?,?,?,?,?,?,?,1)";
	mrt_db *db = mrt_session_db(s);
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	char now[32], until[32], lab[128];
	mrt_now_iso(now);
	iso_in(until, glass_minutes(db));
	access_label_format(lab, sizeof lab, labels);
	mrt_stmt_bind_int(st, 1, mrt_session_user_id(s));
	mrt_stmt_bind_int(st, 2, patient_id);
	mrt_stmt_bind_text(st, 3, category);
	mrt_stmt_bind_text(st, 4, reason);
	mrt_stmt_bind_text(st, 5, lab);
	mrt_stmt_bind_text(st, 6, now);
	mrt_stmt_bind_text(st, 7, until);
	int rc = mrt_stmt_run(st, err);
	if (rc == 0)
		*id = mrt_db_last_insert_id(db);
	return rc;
}

static int glass_review_item(mrt_session *s, int64_t glass_id, int64_t patient_id, mrt_err *err)
{
	char sid[32], title[160];
	snprintf(sid, sizeof sid, "%" PRId64, glass_id);
	snprintf(title, sizeof title, "review break-the-glass use by %s", mrt_session_user(s));
	struct queue_new n = { .kind = "break-glass-review", .subject_type = "break_glass",
	                       .subject_id = sid, .patient_id = patient_id, .title = title,
	                       .assign_role = MRT_ROLE_PRIVACY };
	int64_t item = 0;
	int rc = queue_svc_add(s, &n, &item, err);
	if (rc)
		return rc;
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s),
	                           "UPDATE break_glass SET work_item_id = ? WHERE id = ?", err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, item);
	mrt_stmt_bind_int(st, 2, glass_id);
	return mrt_stmt_run(st, err);
}

/* Opens a break-the-glass: its row, the review item and the audit event,
 * in one transaction. The reason is the user's words: kept in the
 * break_glass row for the reviewer, not in the audit detail. */
static int glass_open(mrt_session *s, const struct access_target *t, unsigned labels, mrt_err *err)
{
	const char *cat = t->glass_category && *t->glass_category ? t->glass_category : "emergency";
	int ok = 0;
	for (const char *const *c = glass_categories; *c; c++)
		ok |= strcmp(*c, cat) == 0;
	if (!ok)
		return mrt_err_set(err, MRT_EINVAL, "break-glass category must be emergency, "
		                   "continuity-of-care, patient-request, legal or other");
	size_t len = strlen(t->glass_reason);
	int blank = 1;
	for (size_t i = 0; i < len; i++)
		blank &= t->glass_reason[i] == ' ' || t->glass_reason[i] == '\t';
	if (blank)
		return mrt_err_set(err, MRT_EINVAL, "break-glass needs a reason");
	if (len > GLASS_REASON_MAX)
		return mrt_err_set(err, MRT_EINVAL, "break-glass reason is longer than %d characters",
		                   GLASS_REASON_MAX);
	mrt_db *db = mrt_session_db(s);
	int rc = mrt_db_begin(db, err);
	if (rc)
		return rc;
	int64_t id = 0;
	char oid[32], detail[200], lab[128];
	access_label_format(lab, sizeof lab, labels);
	rc = glass_row(s, t->patient_id, cat, t->glass_reason, labels, &id, err);
	if (rc == 0)
		rc = glass_review_item(s, id, t->patient_id, err);
	if (rc == 0) {
		snprintf(oid, sizeof oid, "%" PRId64, id);
		snprintf(detail, sizeof detail, "category %s; labels %s; %d minutes", cat, lab,
		         glass_minutes(db));
		struct mrt_audit_rec r = { .action = "break-glass.open", .object_type = "break_glass",
		                           .object_id = oid, .patient_id = t->patient_id,
		                           .outcome = "break-glass", .detail = detail };
		rc = mrt_session_audit(s, &r, err);
	}
	if (rc) {
		mrt_db_rollback(db);
		return rc;
	}
	return mrt_db_commit(db, err);
}

static int glass_count_read(mrt_session *s, int64_t glass_id, mrt_err *err)
{
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s),
	                           "UPDATE break_glass SET reads = reads + 1 WHERE id = ?", err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, glass_id);
	return mrt_stmt_run(st, err);
}

static int decide(mrt_session *s, enum access_op op, const struct access_target *t,
                  struct access_decision *d, int record, mrt_err *err)
{
	struct access_subject who;
	struct access_object obj;
	int rc = gather(s, op, t, &who, &obj, err);
	if (rc)
		return rc;
	int purpose = t && t->purpose ? access_purpose_parse(t->purpose) : -1;
	if (purpose < 0)
		purpose = access_svc_purpose(s);
	access_decide(d, op, purpose, &who, &obj);
	if (d->result != ACCESS_HIDDEN || op != ACCESS_PATIENT_READ || !t || !t->patient_id)
		return 0;
	int64_t glass = 0;
	if ((rc = open_glass(s, t->patient_id, &glass, err)) != 0)
		return rc;
	if (!glass && !(record && t->glass_reason))
		return 0;
	if (record && !glass && (rc = glass_open(s, t, d->hidden, err)) != 0)
		return rc;
	if (record && glass && (rc = glass_count_read(s, glass, err)) != 0)
		return rc;
	who.glass = 1;
	access_decide(d, op, purpose, &who, &obj);
	return 0;
}

int access_svc_decide(mrt_session *s, enum access_op op, const struct access_target *t,
                      struct access_decision *d, mrt_err *err)
{
	return decide(s, op, t, d, 0, err);
}

int access_svc_covers(mrt_session *s, enum access_op op, int64_t patient_id, unsigned labels,
                      int glass)
{
	struct access_subject who = { .roles = mrt_session_roles(s),
	                              .label_grants = mrt_session_label_grants(s), .glass = glass };
	struct access_object obj = { .labels = labels };
	mrt_err ignored = { 0 };
	if (labels && treating(mrt_session_db(s), mrt_session_provider_id(s), patient_id,
	                       &who.treating, &ignored) != 0)
		who.treating = 0;
	struct access_decision d;
	access_decide(&d, op, access_svc_purpose(s), &who, &obj);
	return d.result == ACCESS_ALLOW;
}

/* "role coder or admin required" for a role denial; otherwise the
 * decision's reason. The labels go to the audit detail (read by privacy
 * officers), never to the user's message: a label names a condition. */
static void deny_reason(char *out, size_t size, enum access_op op, const struct access_decision *d)
{
	if (d->result != ACCESS_DENY) {
		mrt_strlcpy(out, d->reason ? d->reason : "denied", size);
		return;
	}
	char roles[128];
	role_set_format(roles, sizeof roles, access_ops[op].roles);
	char *last = strrchr(roles, ',');
	if (last) {
		*last = '\0';
		for (char *c = roles; *c; c++)
			if (*c == ',')
				*c = '/';
		snprintf(out, size, "role %s or %s required", roles, last + 1);
	} else {
		snprintf(out, size, "role %s required", roles);
	}
}

static int deny(mrt_session *s, enum access_op op, const struct access_target *t,
                const struct access_decision *d, mrt_err *err)
{
	char reason[200], detail[360], lab[128];
	deny_reason(reason, sizeof reason, op, d);
	access_label_format(lab, sizeof lab, d->hidden);
	snprintf(detail, sizeof detail, "%s%s%s", reason, lab[0] ? "; labels " : "", lab);
	char oid[32] = "";
	if (t && t->object_id)
		snprintf(oid, sizeof oid, "%" PRId64, t->object_id);
	const char *action = t && t->action ? t->action : access_ops[op].name;
	struct mrt_audit_rec r = { .action = action, .object_type = t ? t->object_type : NULL,
	                           .object_id = oid[0] ? oid : NULL,
	                           .patient_id = t ? t->patient_id : 0, .outcome = "deny",
	                           .detail = detail };
	mrt_err ignored = { 0 };
	if (mrt_session_audit(s, &r, &ignored) != 0)
		return mrt_err_set(err, ignored.code, "%s", ignored.msg);
	return mrt_err_set(err, MRT_EACCESS, "user %s may not %s: %s", mrt_session_user(s), action,
	                   reason);
}

int access_svc_check(mrt_session *s, enum access_op op, const struct access_target *t,
                     struct access_decision *d, mrt_err *err)
{
	struct access_decision local;
	if (!d)
		d = &local;
	int rc = decide(s, op, t, d, 1, err);
	if (rc)
		return rc;
	return d->result == ACCESS_ALLOW ? 0 : deny(s, op, t, d, err);
}
