/*
 * Authorizations (164.508) and 42 CFR Part 2 consents: recorded once the
 * required core elements are all there (privacy/roi.c checks them),
 * revoked with a reason, listed with their state, and looked up by a
 * disclosure that needs one. Restrictions are in consent_restrict.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/str.h"
#include "service/consent_svc.h"
#include "service/disclose_int.h"

#define DEFAULT_DISCLOSER "this organisation (the covered entity keeping the record)"

static json_t *missing_json(const char *const *m, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(m[i]));
	return a;
}

static int auth_insert(mrt_session *s, const struct consent_auth_new *n, int64_t patient,
                       const char *items, const char *signed_on, int64_t *id, mrt_err *err)
{
	static const char sql[] =
		"INSERT INTO roi_authorization (patient_id, discloser, recipient, purpose,"
		" purpose_detail, items, expires_on, expires_event, signed_by, signed_on,"
		" representative, part2, psychotherapy, statements_ack, created_at, created_by)"
		" VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?)";
	mrt_db *db = mrt_session_db(s);
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	mrt_day exp;
	int is_date = mrt_date_parse(&exp, n->expires) == 0;
	char now[32];
	mrt_now_iso(now);
	mrt_stmt_bind_int(st, 1, patient);
	mrt_stmt_bind_text(st, 2, disclose_text(n->discloser) ? n->discloser : DEFAULT_DISCLOSER);
	mrt_stmt_bind_text(st, 3, n->recipient);
	mrt_stmt_bind_text(st, 4, access_purpose_names[access_purpose_parse(n->purpose)]);
	mrt_stmt_bind_text(st, 5, disclose_text(n->purpose_detail));
	mrt_stmt_bind_text(st, 6, items);
	mrt_stmt_bind_text(st, 7, is_date ? n->expires : NULL);
	mrt_stmt_bind_text(st, 8, is_date ? NULL : n->expires);
	mrt_stmt_bind_text(st, 9, n->signed_by);
	mrt_stmt_bind_text(st, 10, signed_on);
	mrt_stmt_bind_text(st, 11, disclose_text(n->representative));
	mrt_stmt_bind_int(st, 12, n->part2 != 0);
	mrt_stmt_bind_int(st, 13, n->psychotherapy != 0);
	mrt_stmt_bind_text(st, 14, now);
	mrt_stmt_bind_int(st, 15, mrt_session_user_id(s));
	int rc = mrt_stmt_run(st, err);
	if (rc == 0)
		*id = mrt_db_last_insert_id(db);
	return rc;
}

int consent_svc_auth_add(mrt_session *s, const struct consent_auth_new *n, int64_t *id,
                         json_t **missing, mrt_err *err)
{
	if (missing)
		*missing = NULL;
	char today[MRT_DATE_LEN];
	mrt_date_format(today, mrt_date_today());
	struct roi_auth_form f = {
		.items = n->items, .discloser = n->discloser ? n->discloser : DEFAULT_DISCLOSER,
		.recipient = n->recipient, .purpose = n->purpose, .expires = n->expires,
		.signed_by = n->signed_by, .signed_on = n->signed_on ? n->signed_on : today,
		.representative = n->representative, .by_representative = n->by_representative,
		.statements_ack = n->statements_ack,
	};
	const char *texts[] = { n->discloser, n->recipient, n->expires, n->signed_by,
		                n->representative, n->purpose_detail };
	const char *names[] = { "--discloser", "--recipient", "--expires", "--signed-by",
		                "--representative", "--purpose-detail" };
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		if (texts[i] && strlen(texts[i]) > (i == 5 ? 1000u : 500u))
			return mrt_err_set(err, MRT_EINVAL, "%s is longer than %u characters", names[i],
			                   i == 5 ? 1000u : 500u);
	const char *m[ROI_AUTH_MISSING_MAX];
	size_t nm = roi_auth_missing(&f, mrt_date_today(), m);
	if (nm) {
		if (missing)
			*missing = missing_json(m, nm);
		return mrt_err_set(err, MRT_EINVAL, "authorization refused: %zu required element%s "
		                   "missing or wrong, first: %s", nm, nm == 1 ? "" : "s", m[0]);
	}
	unsigned items = 0;
	char bad[32], canon[200];
	roi_items_parse(&items, n->items, bad, sizeof bad);
	roi_items_format(canon, sizeof canon, items);
	int64_t patient = 0;
	struct access_decision d;
	int rc = disclose_patient_access(s, ACCESS_PATIENT_REQUEST, "authorization.add", n->mrn, 0,
	                                 &patient, 0, &d, err);
	mrt_db *db = mrt_session_db(s);
	if (rc || (rc = mrt_db_begin(db, err)) != 0)
		return rc;
	rc = auth_insert(s, n, patient, canon, f.signed_on, id, err);
	if (rc == 0) {
		char detail[300];
		snprintf(detail, sizeof detail, "items %s; purpose %s; part2 %d; psychotherapy %d",
		         canon, access_purpose_names[access_purpose_parse(n->purpose)], n->part2 != 0,
		         n->psychotherapy != 0);
		rc = svc_audit(s, "authorization.add", "roi_authorization", *id, patient,
		               access_outcome(&d), detail, err);
	}
	return svc_finish(db, rc, err);
}

static int auth_patient(mrt_db *db, int64_t id, int64_t *patient, int *revoked, mrt_err *err)
{
	mrt_stmt *st = mrt_db_stmt(
		db, "SELECT patient_id, revoked_at IS NOT NULL FROM roi_authorization WHERE id = ?",
		err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, id);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1) {
		*patient = mrt_stmt_int(st, 0);
		*revoked = (int)mrt_stmt_int(st, 1);
	}
	mrt_stmt_reset(st);
	if (rc == 0)
		return mrt_err_set(err, MRT_ENOTFOUND, "no authorization %" PRId64, id);
	return rc < 0 ? rc : 0;
}

int consent_svc_auth_revoke(mrt_session *s, int64_t id, const char *reason, mrt_err *err)
{
	if (!disclose_text(reason))
		return mrt_err_set(err, MRT_EINVAL, "a revocation needs a reason (--reason)");
	if (strlen(reason) > 1000)
		return mrt_err_set(err, MRT_EINVAL, "--reason is longer than 1000 characters");
	mrt_db *db = mrt_session_db(s);
	struct access_target t = { .action = "authorization.revoke" };
	struct access_decision d;
	int64_t patient = 0;
	int revoked = 0;
	int rc = access_svc_check(s, ACCESS_PATIENT_REQUEST, &t, &d, err);
	if (rc || (rc = auth_patient(db, id, &patient, &revoked, err)) != 0 ||
	    (rc = disclose_patient_access(s, ACCESS_PATIENT_REQUEST, "authorization.revoke", NULL,
	                                  patient, &patient, 0, &d, err)) != 0)
		return rc;
	if (revoked)
		return mrt_err_set(err, MRT_EEXIST, "authorization %" PRId64 " is already revoked", id);
	if ((rc = mrt_db_begin(db, err)) != 0)
		return rc;
	mrt_stmt *st = mrt_db_stmt(db,
	                           "UPDATE roi_authorization SET revoked_at = ?, revoked_by = ?,"
	                           " revoke_reason = ? WHERE id = ? AND revoked_at IS NULL",
	                           err);
	rc = st ? 0 : err->code;
	if (rc == 0) {
		char now[32];
		mrt_now_iso(now);
		mrt_stmt_bind_text(st, 1, now);
		mrt_stmt_bind_int(st, 2, mrt_session_user_id(s));
		mrt_stmt_bind_text(st, 3, reason);
		mrt_stmt_bind_int(st, 4, id);
		rc = mrt_stmt_run(st, err);
	}
	if (rc == 0)
		rc = svc_audit(s, "authorization.revoke", "roi_authorization", id, patient,
		               access_outcome(&d), NULL, err);
	return svc_finish(db, rc, err);
}

#define AUTH_COLS                                                                           \
	"SELECT id, recipient, discloser, purpose, purpose_detail, items, expires_on, expires_event," \
	" signed_by, signed_on, representative, part2, psychotherapy, revoked_at, revoke_reason," \
	" created_at FROM roi_authorization WHERE patient_id = ?1"

static void auth_from_row(mrt_stmt *st, struct roi_auth *a)
{
	char bad[32];
	memset(a, 0, sizeof *a);
	a->recipient = mrt_stmt_text(st, 1);
	roi_items_parse(&a->items, mrt_stmt_text(st, 5), bad, sizeof bad);
	a->expires_on = mrt_stmt_text(st, 6);
	a->expires_event = mrt_stmt_text(st, 7);
	a->part2 = (int)mrt_stmt_int(st, 11);
	a->psychotherapy = (int)mrt_stmt_int(st, 12);
	a->revoked_at = mrt_stmt_text(st, 13);
}

static const char *const state_names[] = { "valid", "expired", "revoked" };

static json_t *auth_json(mrt_stmt *st, mrt_day today)
{
	static const char *const keys[] = { "id", "recipient", "discloser", "purpose",
		"purpose_detail", "items", "expires_on", "expires_event", "signed_by", "signed_on",
		"representative", "part2", "psychotherapy", "revoked_at", "revoke_reason",
		"created_at" };
	json_t *o = json_object();
	for (int i = 0; i < (int)(sizeof keys / sizeof keys[0]); i++) {
		if (i == 0)
			json_object_set_new(o, keys[i], json_integer(mrt_stmt_int(st, i)));
		else if (i == 11 || i == 12)
			json_object_set_new(o, keys[i], json_boolean(mrt_stmt_int(st, i)));
		else
			json_object_set_new(o, keys[i], mrt_stmt_is_null(st, i)
			                                        ? json_null()
			                                        : json_string(mrt_stmt_text(st, i)));
	}
	struct roi_auth a;
	auth_from_row(st, &a);
	json_object_set_new(o, "state", json_string(state_names[roi_auth_state(&a, today)]));
	return o;
}

static json_t *auth_row(mrt_stmt *st, const void *arg)
{
	return auth_json(st, *(const mrt_day *)arg);
}

int consent_svc_auth_list(mrt_session *s, const char *mrn, json_t **out, mrt_err *err)
{
	static const char sql[] = AUTH_COLS " ORDER BY id";
	mrt_day today = mrt_date_today();
	return disclose_patient_rows(s, ACCESS_PATIENT_REQUEST, "authorization.list", mrn, sql, -1,
	                             auth_row, &today, out, err);
}

static int auth_check_row(mrt_stmt *st, mrt_day today, const char *recipient, unsigned items,
                          int need_part2, int need_psy, const char **why)
{
	struct roi_auth a;
	auth_from_row(st, &a);
	enum roi_auth_state state = roi_auth_state(&a, today);
	if (state == ROI_AUTH_REVOKED)
		*why = "it is revoked";
	else if (state == ROI_AUTH_EXPIRED)
		*why = "it has expired";
	else
		*why = roi_auth_covers(&a, recipient, items, need_part2, need_psy);
	return *why == NULL;
}

int consent_find_authorization(mrt_db *db, int64_t patient_id, int64_t auth_id,
                               const char *recipient, unsigned items, int need_part2,
                               int need_psychotherapy, int64_t *found, char *why, size_t why_size,
                               mrt_err *err)
{
	static const char sql[] = AUTH_COLS " AND (?2 = 0 OR id = ?2) ORDER BY id DESC";
	*found = 0;
	mrt_strlcpy(why, auth_id ? "it belongs to another patient or does not exist"
	                         : "no authorization on file covers it",
	            why_size);
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, patient_id);
	mrt_stmt_bind_int(st, 2, auth_id);
	mrt_day today = mrt_date_today();
	int rc, seen = 0;
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		const char *w = NULL;
		if (auth_check_row(st, today, recipient, items, need_part2, need_psychotherapy, &w)) {
			*found = mrt_stmt_int(st, 0);
			break;
		}
		if (auth_id)
			mrt_strlcpy(why, w, why_size);
		else if (!seen++)
			snprintf(why, why_size, "the newest on file: %s", w);
	}
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}
