/*
 * Restrictions on disclosures (164.522(a)) and confidential
 * communications (164.522(b)): added with their status, ended (never
 * deleted), listed, and matched against each disclosure
 * (consent_find_restriction) by privacy/roi.c's rule.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "chart/chart.h"
#include "service/consent_svc.h"
#include "service/disclose_int.h"

static int check_new(const struct consent_restriction_new *n, const char **status,
                     char *items, size_t isize, mrt_err *err)
{
	*status = n->status ? n->status : "agreed";
	const char *why = roi_restriction_status_check(n->kind, *status);
	if (why)
		return mrt_err_set(err, MRT_EINVAL, "restriction refused: %s", why);
	int cc = strcmp(n->kind, "confidential-communication") == 0;
	if (cc && !disclose_text(n->address) && !disclose_text(n->phone))
		return mrt_err_set(err, MRT_EINVAL, "a confidential communication needs --address or "
		                   "--phone");
	if (!cc && !disclose_text(n->recipient))
		return mrt_err_set(err, MRT_EINVAL, "a restriction needs --recipient (e.g. the health "
		                   "plan)");
	if (!cc && (n->address || n->phone))
		return mrt_err_set(err, MRT_EINVAL, "--address and --phone belong to "
		                   "--kind confidential-communication");
	const char *texts[] = { n->recipient, n->address, n->note };
	for (size_t i = 0; i < 3; i++)
		if (texts[i] && strlen(texts[i]) > 500)
			return mrt_err_set(err, MRT_EINVAL, "%s is longer than 500 characters",
			                   i == 0 ? "--recipient" : i == 1 ? "--address" : "--note");
	if (n->phone && strlen(n->phone) > 100)
		return mrt_err_set(err, MRT_EINVAL, "--phone is longer than 100 characters");
	items[0] = '\0';
	if (n->items) {
		unsigned bits = 0;
		char bad[32];
		if (roi_items_parse(&bits, n->items, bad, sizeof bad) != 0)
			return mrt_err_set(err, MRT_EINVAL, "--items: unknown item '%s' (items: %s)", bad,
			                   roi_items_help());
		roi_items_format(items, isize, bits);
	}
	return 0;
}

static int insert(mrt_session *s, const struct consent_restriction_new *n, int64_t patient,
                  const char *status, const char *items, int64_t enc, int64_t *id, mrt_err *err)
{
	static const char sql[] =
		"INSERT INTO roi_restriction (patient_id, kind, status, recipient, items, encounter_id,"
		" address, phone, note, created_at, created_by, decided_at, decided_by)"
		" VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,"
		"  CASE WHEN ?3 = 'requested' THEN NULL ELSE ?10 END,"
		"  CASE WHEN ?3 = 'requested' THEN NULL ELSE ?11 END)";
	mrt_db *db = mrt_session_db(s);
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	char now[32];
	mrt_now_iso(now);
	mrt_stmt_bind_int(st, 1, patient);
	mrt_stmt_bind_text(st, 2, n->kind);
	mrt_stmt_bind_text(st, 3, status);
	mrt_stmt_bind_text(st, 4, disclose_text(n->recipient));
	mrt_stmt_bind_text(st, 5, items[0] ? items : NULL);
	if (enc)
		mrt_stmt_bind_int(st, 6, enc);
	else
		mrt_stmt_bind_null(st, 6);
	mrt_stmt_bind_text(st, 7, disclose_text(n->address));
	mrt_stmt_bind_text(st, 8, disclose_text(n->phone));
	mrt_stmt_bind_text(st, 9, disclose_text(n->note));
	mrt_stmt_bind_text(st, 10, now);
	mrt_stmt_bind_int(st, 11, mrt_session_user_id(s));
	int rc = mrt_stmt_run(st, err);
	if (rc == 0)
		*id = mrt_db_last_insert_id(db);
	return rc;
}

int consent_svc_restriction_add(mrt_session *s, const struct consent_restriction_new *n,
                                int64_t *id, mrt_err *err)
{
	const char *status;
	char items[200];
	if (!n->kind)
		return mrt_err_set(err, MRT_EINVAL, "a restriction needs --kind");
	int rc = check_new(n, &status, items, sizeof items, err);
	if (rc)
		return rc;
	mrt_db *db = mrt_session_db(s);
	int64_t patient = 0, enc = 0, enc_patient = 0;
	struct access_decision d;
	rc = disclose_patient_access(s, ACCESS_PATIENT_REQUEST, "restriction.add", n->mrn, 0,
	                             &patient, 0, &d, err);
	if (rc)
		return rc;
	if (n->encounter) {
		rc = chart_encounter_by_account(db, n->encounter, &enc, &enc_patient, err);
		if (rc == MRT_ENOTFOUND || (rc == 0 && enc_patient != patient))
			return mrt_err_set(err, MRT_ENOTFOUND, "--encounter: the patient has no encounter "
			                   "with that account");
		if (rc)
			return rc;
	}
	if ((rc = mrt_db_begin(db, err)) != 0)
		return rc;
	rc = insert(s, n, patient, status, items, enc, id, err);
	if (rc == 0) {
		char detail[320];
		snprintf(detail, sizeof detail, "kind %s; status %s; items %s%s", n->kind, status,
		         items[0] ? items : "all", enc ? "; one encounter" : "");
		rc = svc_audit(s, "restriction.add", "roi_restriction", *id, patient,
		               access_outcome(&d), detail, err);
	}
	return svc_finish(db, rc, err);
}

/* The restriction's patient, kind and status; MRT_ENOTFOUND when none. */
static int load(mrt_db *db, int64_t id, int64_t *patient, char kind[32], char status[16],
                int *ended, mrt_err *err)
{
	mrt_stmt *st = mrt_db_stmt(db, "SELECT patient_id, kind, status, ended_at IS NOT NULL"
	                               " FROM roi_restriction WHERE id = ?", err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, id);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1) {
		*patient = mrt_stmt_int(st, 0);
		mrt_strlcpy(kind, mrt_stmt_text(st, 1), 32);
		mrt_strlcpy(status, mrt_stmt_text(st, 2), 16);
		*ended = (int)mrt_stmt_int(st, 3);
	}
	mrt_stmt_reset(st);
	if (rc == 0)
		return mrt_err_set(err, MRT_ENOTFOUND, "no restriction %" PRId64, id);
	return rc < 0 ? rc : 0;
}

int consent_svc_restriction_decide(mrt_session *s, int64_t id, const char *status,
                                   const char *note, mrt_err *err)
{
	if (!status || (strcmp(status, "agreed") != 0 && strcmp(status, "denied") != 0))
		return mrt_err_set(err, MRT_EINVAL, "the decision is agreed or denied");
	if (note && strlen(note) > 1000)
		return mrt_err_set(err, MRT_EINVAL, "--note is longer than 1000 characters");
	mrt_db *db = mrt_session_db(s);
	struct access_target t = { .action = "restriction.decide" };
	struct access_decision d;
	int64_t patient = 0;
	char kind[32] = "", was[16] = "";
	int ended = 0;
	int rc = access_svc_check(s, ACCESS_PATIENT_REQUEST, &t, &d, err);
	if (rc || (rc = load(db, id, &patient, kind, was, &ended, err)) != 0 ||
	    (rc = disclose_patient_access(s, ACCESS_PATIENT_REQUEST, "restriction.decide", NULL,
	                                  patient, &patient, 0, &d, err)) != 0)
		return rc;
	const char *why = roi_restriction_status_check(kind, status);
	if (why)
		return mrt_err_set(err, MRT_EINVAL, "restriction %" PRId64 ": %s", id, why);
	if (ended || strcmp(was, "requested") != 0)
		return mrt_err_set(err, MRT_EEXIST, "restriction %" PRId64 " is %s, not requested", id,
		                   ended ? "ended" : was);
	if ((rc = mrt_db_begin(db, err)) != 0)
		return rc;
	mrt_stmt *st = mrt_db_stmt(db, "UPDATE roi_restriction SET status = ?, decided_at = ?,"
	                               " decided_by = ?, decision_note = ?"
	                               " WHERE id = ? AND status = 'requested' AND ended_at IS NULL",
	                           err);
	rc = st ? 0 : err->code;
	if (rc == 0) {
		char now[32];
		mrt_now_iso(now);
		mrt_stmt_bind_text(st, 1, status);
		mrt_stmt_bind_text(st, 2, now);
		mrt_stmt_bind_int(st, 3, mrt_session_user_id(s));
		mrt_stmt_bind_text(st, 4, disclose_text(note));
		mrt_stmt_bind_int(st, 5, id);
		rc = mrt_stmt_run(st, err);
	}
	if (rc == 0) {
		char detail[64];
		snprintf(detail, sizeof detail, "status %s", status);
		rc = svc_audit(s, "restriction.decide", "roi_restriction", id, patient,
		               access_outcome(&d), detail, err);
	}
	return svc_finish(db, rc, err);
}

int consent_svc_restriction_end(mrt_session *s, int64_t id, const char *reason, mrt_err *err)
{
	if (reason && strlen(reason) > 1000)
		return mrt_err_set(err, MRT_EINVAL, "--reason is longer than 1000 characters");
	mrt_db *db = mrt_session_db(s);
	struct access_target t = { .action = "restriction.end" };
	struct access_decision d;
	int64_t patient = 0;
	char kind[32], was[16];
	int ended = 0;
	int rc = access_svc_check(s, ACCESS_PATIENT_REQUEST, &t, &d, err);
	if (rc || (rc = load(db, id, &patient, kind, was, &ended, err)) != 0)
		return rc;
	if ((rc = disclose_patient_access(s, ACCESS_PATIENT_REQUEST, "restriction.end", NULL,
	                                  patient, &patient, 0, &d, err)) != 0)
		return rc;
	if (ended)
		return mrt_err_set(err, MRT_EEXIST, "restriction %" PRId64 " has already ended", id);
	if ((rc = mrt_db_begin(db, err)) != 0)
		return rc;
	mrt_stmt *st = mrt_db_stmt(db, "UPDATE roi_restriction SET ended_at = ?, ended_by = ?,"
	                               " end_reason = ? WHERE id = ? AND ended_at IS NULL", err);
	rc = st ? 0 : err->code;
	if (rc == 0) {
		char now[32];
		mrt_now_iso(now);
		mrt_stmt_bind_text(st, 1, now);
		mrt_stmt_bind_int(st, 2, mrt_session_user_id(s));
		mrt_stmt_bind_text(st, 3, disclose_text(reason));
		mrt_stmt_bind_int(st, 4, id);
		rc = mrt_stmt_run(st, err);
	}
	if (rc == 0)
		rc = svc_audit(s, "restriction.end", "roi_restriction", id, patient,
		               access_outcome(&d), NULL, err);
	return svc_finish(db, rc, err);
}

static json_t *text_or_null(mrt_stmt *st, int col)
{
	return mrt_stmt_is_null(st, col) ? json_null() : json_string(mrt_stmt_text(st, col));
}

static json_t *restriction_row(mrt_stmt *st, const void *arg)
{
	static const char *const keys[] = { "id", "kind", "status", "recipient", "items",
		"encounter", "address", "phone", "note", "created_at", "ended_at", "end_reason", "decided_at",
		"decision_note" };
	(void)arg;
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(mrt_stmt_int(st, 0)));
	for (int i = 1; i < 14; i++)
		json_object_set_new(o, keys[i], text_or_null(st, i));
	json_object_set_new(o, "active", json_boolean(mrt_stmt_is_null(st, 10)));
	return o;
}

int consent_svc_restriction_list(mrt_session *s, const char *mrn, int all, json_t **out,
                                 mrt_err *err)
{
	static const char sql[] =
		"SELECT r.id, r.kind, r.status, r.recipient, r.items, e.account, r.address, r.phone,"
		" r.note, r.created_at, r.ended_at, r.end_reason, r.decided_at, r.decision_note"
		" FROM roi_restriction r"
		" LEFT JOIN encounter e ON e.id = r.encounter_id"
		" WHERE r.patient_id = ? AND (? OR r.ended_at IS NULL) ORDER BY r.id";
	return disclose_patient_rows(s, ACCESS_PATIENT_REQUEST, "restriction.list", mrn, sql,
	                             all != 0, restriction_row, NULL, out, err);
}

int consent_find_restriction(mrt_db *db, int64_t patient_id, const char *recipient,
                             unsigned items, int64_t encounter_id, int64_t *found, mrt_err *err)
{
	static const char sql[] =
		"SELECT id, kind, status, recipient, items, encounter_id FROM roi_restriction"
		" WHERE patient_id = ? AND ended_at IS NULL AND status = 'agreed'"
		" AND kind <> 'confidential-communication' ORDER BY id";
	*found = 0;
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, patient_id);
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		struct roi_restriction r = { .kind = mrt_stmt_text(st, 1),
		                             .status = mrt_stmt_text(st, 2),
		                             .recipient = mrt_stmt_text(st, 3) };
		char bad[32];
		if (!mrt_stmt_is_null(st, 4))
			roi_items_parse(&r.items, mrt_stmt_text(st, 4), bad, sizeof bad);
		r.encounter_id = mrt_stmt_is_null(st, 5) ? 0 : mrt_stmt_int(st, 5);
		if (roi_restriction_matches(&r, recipient, items, encounter_id)) {
			*found = mrt_stmt_int(st, 0);
			break;
		}
	}
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int consent_confidential_contact(mrt_db *db, int64_t patient_id, char *address, size_t asize,
                                 char *phone, size_t psize, mrt_err *err)
{
	static const char sql[] =
		"SELECT address, phone FROM roi_restriction WHERE patient_id = ? AND ended_at IS NULL"
		" AND kind = 'confidential-communication' AND status <> 'denied' ORDER BY id DESC LIMIT 1";
	address[0] = phone[0] = '\0';
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, patient_id);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1) {
		mrt_strlcpy(address, mrt_stmt_is_null(st, 0) ? "" : mrt_stmt_text(st, 0), asize);
		mrt_strlcpy(phone, mrt_stmt_is_null(st, 1) ? "" : mrt_stmt_text(st, 1), psize);
	}
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}
