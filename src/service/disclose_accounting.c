/*
 * The accounting of disclosures (164.528): the entries a patient may ask
 * for (six years back, exempt kinds left out), the agency's temporary
 * suspension (164.528(a)(2)), the tracked request with its 60-day clock
 * and one 30-day extension (164.528(c)), and one disclosure shown whole.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/str.h"
#include "service/disclose_int.h"
#include "service/disclose_svc.h"
#include "service/queue_svc.h"

#define MAX_SUSPENSIONS 64

/* The agencies whose suspension is in force today. */
struct suspensions {
	char agency[MAX_SUSPENSIONS][501];
	int n;
};

static int load_suspensions(mrt_db *db, int64_t patient, const char *today, struct suspensions *sp,
                            mrt_err *err)
{
	static const char sql[] = "SELECT agency FROM disclosure_suspension WHERE patient_id = ?"
	                          " AND until_on > ? ORDER BY id";
	sp->n = 0;
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, patient);
	mrt_stmt_bind_text(st, 2, today);
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1 && sp->n < MAX_SUSPENSIONS)
		mrt_strlcpy(sp->agency[sp->n++], mrt_stmt_text(st, 0), sizeof sp->agency[0]);
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int suspended(const struct suspensions *sp, const char *recipient)
{
	for (int i = 0; i < sp->n; i++)
		if (roi_recipient_match(sp->agency[i], recipient))
			return 1;
	return 0;
}

static json_t *opt_text(mrt_stmt *st, int col)
{
	return mrt_stmt_is_null(st, col) ? json_null() : json_string(mrt_stmt_text(st, col));
}

static json_t *entry(mrt_stmt *st)
{
	char desc[256] = "";
	unsigned items = 0;
	char bad[32];
	roi_items_parse(&items, mrt_stmt_text(st, 8), bad, sizeof bad);
	for (int i = 0, k = 0; i < ROI_ITEM_COUNT; i++) {
		if (!(items & (1u << i)))
			continue;
		k += snprintf(desc + k, sizeof desc - (size_t)k, "%s%s", k ? "; " : "",
		              roi_item_names[i]);
		if (k >= (int)sizeof desc)
			break;
	}
	return json_pack("{s:I,s:s,s:s,s:s,s:o,s:s,s:s,s:o,s:s,s:s}", "id",
	                 (json_int_t)mrt_stmt_int(st, 0), "date", mrt_stmt_text(st, 1), "at",
	                 mrt_stmt_text(st, 2), "recipient", mrt_stmt_text(st, 3),
	                 "recipient_address", opt_text(st, 4), "purpose", mrt_stmt_text(st, 5),
	                 "kind", mrt_stmt_text(st, 6), "legal_basis", opt_text(st, 7), "items",
	                 mrt_stmt_text(st, 8), "description", desc);
}

static int entries(mrt_db *db, int64_t patient, const char *from, const char *today,
                   json_t *out, int *n_suspended, mrt_err *err)
{
	static const char sql[] =
		"SELECT id, disclosed_on, disclosed_at, recipient, recipient_address, purpose, kind,"
		" legal_basis, items, authorization_id FROM disclosure"
		" WHERE patient_id = ? AND disclosed_on >= ? AND disclosed_on <= ?"
		" ORDER BY disclosed_on, id";
	static struct suspensions sp;
	int rc = load_suspensions(db, patient, today, &sp, err);
	mrt_stmt *st = rc ? NULL : mrt_db_stmt(db, sql, err);
	if (!st)
		return rc ? rc : err->code;
	mrt_stmt_bind_int(st, 1, patient);
	mrt_stmt_bind_text(st, 2, from);
	mrt_stmt_bind_text(st, 3, today);
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		int purpose = access_purpose_parse(mrt_stmt_text(st, 5));
		int64_t auth = mrt_stmt_is_null(st, 9) ? 0 : mrt_stmt_int(st, 9);
		if (roi_accounting_exempt(purpose, mrt_stmt_text(st, 6), auth))
			continue;
		if (suspended(&sp, mrt_stmt_text(st, 3))) {
			(*n_suspended)++;
			continue;
		}
		json_array_append_new(out, entry(st));
	}
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int window(const char *from, char out[MRT_DATE_LEN], char today[MRT_DATE_LEN],
                  mrt_err *err)
{
	mrt_day t = mrt_date_today(), start = roi_accounting_start(t), f = start;
	if (from && mrt_date_parse(&f, from) != 0)
		return mrt_err_set(err, MRT_EINVAL, "--from must be a date YYYY-MM-DD");
	if (f < start)
		f = start; /* 164.528(a)(3): at most six years */
	mrt_date_format(out, f);
	mrt_date_format(today, t);
	return 0;
}

/* Producing the accounting answers the patient's open requests: each is
 * marked fulfilled and, for a user who works the him_technician queue, its
 * work item closed. */
static int fulfil(mrt_session *s, int64_t patient, const char *today, json_t *answered,
                  mrt_err *err)
{
	static const char sel[] = "SELECT id, work_item_id FROM accounting_request"
	                          " WHERE patient_id = ? AND fulfilled_on IS NULL ORDER BY id";
	static const char upd[] = "UPDATE accounting_request SET fulfilled_on = ?, fulfilled_by = ?"
	                          " WHERE id = ?";
	mrt_db *db = mrt_session_db(s);
	int64_t ids[32], items[32];
	size_t n = 0;
	mrt_stmt *st = mrt_db_stmt(db, sel, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, patient);
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1 && n < 32) {
		ids[n] = mrt_stmt_int(st, 0);
		items[n++] = mrt_stmt_is_null(st, 1) ? 0 : mrt_stmt_int(st, 1);
	}
	mrt_stmt_reset(st);
	int closes = mrt_session_has_role(s, MRT_ROLE_HIM) || mrt_session_has_role(s, MRT_ROLE_ADMIN);
	for (size_t i = 0; rc >= 0 && i < n; i++) {
		if (!(st = mrt_db_stmt(db, upd, err)))
			return err->code;
		mrt_stmt_bind_text(st, 1, today);
		mrt_stmt_bind_int(st, 2, mrt_session_user_id(s));
		mrt_stmt_bind_int(st, 3, ids[i]);
		if ((rc = mrt_stmt_run(st, err)) != 0)
			return rc;
		if (closes && items[i]) {
			mrt_err qerr = { 0 };
			rc = queue_svc_done(s, items[i], "accounting produced", &qerr);
			if (rc && rc != MRT_EEXIST)
				return mrt_err_set(err, rc, "%s", qerr.msg);
			rc = 0;
		}
		json_array_append_new(answered, json_integer(ids[i]));
	}
	return rc < 0 ? rc : 0;
}

int disclose_svc_accounting(mrt_session *s, const char *mrn, const char *from, json_t **out,
                            mrt_err *err)
{
	*out = NULL;
	char f[MRT_DATE_LEN], today[MRT_DATE_LEN];
	int rc = window(from, f, today, err);
	if (rc)
		return rc;
	mrt_db *db = mrt_session_db(s);
	int64_t patient = 0;
	struct access_decision d;
	rc = disclose_patient_access(s, ACCESS_DISCLOSE_ACCOUNT, "disclose.accounting", mrn, 0,
	                             &patient, 0, &d, err);
	if (rc || (rc = mrt_db_begin(db, err)) != 0)
		return rc;
	json_t *list = json_array(), *answered = json_array();
	int n_susp = 0;
	rc = entries(db, patient, f, today, list, &n_susp, err);
	if (rc == 0)
		rc = fulfil(s, patient, today, answered, err);
	if (rc == 0) {
		char detail[160];
		snprintf(detail, sizeof detail, "from %s; %zu entries; %d suspended; %zu requests "
		         "answered", f, json_array_size(list), n_susp, json_array_size(answered));
		rc = svc_audit(s, "disclose.accounting", "patient", patient, patient,
		               access_outcome(&d), detail, err);
	}
	if ((rc = svc_finish(db, rc, err)) != 0) {
		json_decref(list);
		json_decref(answered);
		return rc;
	}
	*out = json_pack("{s:s,s:s,s:s,s:o,s:i,s:o}", "mrn", mrn, "from", f, "to", today, "entries",
	                 list, "suspended", n_susp, "answered_requests", answered);
	return 0;
}

static int suspend_insert(mrt_session *s, const struct disclose_suspend *r, int64_t patient,
                          const char *today, int64_t *id, mrt_err *err)
{
	static const char sql[] =
		"INSERT INTO disclosure_suspension (patient_id, agency, requested_on, until_on, oral,"
		" statement, created_at, created_by) VALUES (?,?,?,?,?,?,?,?)";
	mrt_db *db = mrt_session_db(s);
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	char now[32];
	mrt_now_iso(now);
	mrt_stmt_bind_int(st, 1, patient);
	mrt_stmt_bind_text(st, 2, r->agency);
	mrt_stmt_bind_text(st, 3, today);
	mrt_stmt_bind_text(st, 4, r->until);
	mrt_stmt_bind_int(st, 5, r->oral != 0);
	mrt_stmt_bind_text(st, 6, disclose_text(r->statement));
	mrt_stmt_bind_text(st, 7, now);
	mrt_stmt_bind_int(st, 8, mrt_session_user_id(s));
	int rc = mrt_stmt_run(st, err);
	if (rc == 0)
		*id = mrt_db_last_insert_id(db);
	return rc;
}

int disclose_svc_suspend(mrt_session *s, const struct disclose_suspend *r, int64_t *id,
                         mrt_err *err)
{
	mrt_day until, t = mrt_date_today();
	if (!disclose_text(r->agency) || strlen(r->agency) > 500)
		return mrt_err_set(err, MRT_EINVAL, "a suspension needs --agency (at most 500 "
		                   "characters)");
	if (!r->until || mrt_date_parse(&until, r->until) != 0)
		return mrt_err_set(err, MRT_EINVAL, "--until must be a date YYYY-MM-DD");
	if (until <= t)
		return mrt_err_set(err, MRT_EINVAL, "--until must be after today");
	if (r->oral && until - t > ROI_ORAL_SUSPENSION_DAYS)
		return mrt_err_set(err, MRT_EINVAL, "an oral suspension lasts at most %d days (45 CFR "
		                   "164.528(a)(2)(ii)); ask for the agency's written statement",
		                   ROI_ORAL_SUSPENSION_DAYS);
	if (r->statement && strlen(r->statement) > 1000)
		return mrt_err_set(err, MRT_EINVAL, "--statement is longer than 1000 characters");
	char today[MRT_DATE_LEN];
	mrt_date_format(today, t);
	mrt_db *db = mrt_session_db(s);
	int64_t patient = 0;
	struct access_decision d;
	int rc = disclose_patient_access(s, ACCESS_DISCLOSE_ACCOUNT, "disclose.suspend", r->mrn, 0,
	                                 &patient, 0, &d, err);
	if (rc || (rc = mrt_db_begin(db, err)) != 0)
		return rc;
	rc = suspend_insert(s, r, patient, today, id, err);
	if (rc == 0) {
		char detail[100];
		snprintf(detail, sizeof detail, "until %s; %s", r->until, r->oral ? "oral" : "written");
		rc = svc_audit(s, "disclose.suspend", "disclosure_suspension", *id, patient,
		               access_outcome(&d), detail, err);
	}
	return svc_finish(db, rc, err);
}

static int request_insert(mrt_session *s, int64_t patient, const char *today, const char *due,
                          int64_t *id, mrt_err *err)
{
	static const char sql[] =
		"INSERT INTO accounting_request (patient_id, requested_on, due_on, created_at,"
		" created_by) VALUES (?,?,?,?,?)";
	mrt_db *db = mrt_session_db(s);
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	char now[32];
	mrt_now_iso(now);
	mrt_stmt_bind_int(st, 1, patient);
	mrt_stmt_bind_text(st, 2, today);
	mrt_stmt_bind_text(st, 3, due);
	mrt_stmt_bind_text(st, 4, now);
	mrt_stmt_bind_int(st, 5, mrt_session_user_id(s));
	int rc = mrt_stmt_run(st, err);
	if (rc == 0)
		*id = mrt_db_last_insert_id(db);
	return rc;
}

static int request_item(mrt_session *s, int64_t id, int64_t patient, const char *due,
                        mrt_err *err)
{
	char sid[32];
	snprintf(sid, sizeof sid, "%" PRId64, id);
	struct queue_new q = { .kind = "accounting-request", .subject_type = "accounting_request",
	                       .subject_id = sid, .patient_id = patient,
	                       .title = "answer a request for an accounting of disclosures",
	                       .assign_role = MRT_ROLE_HIM, .due_date = due };
	int64_t item = 0;
	int rc = queue_svc_add(s, &q, &item, err);
	if (rc)
		return rc;
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s),
	                           "UPDATE accounting_request SET work_item_id = ? WHERE id = ?", err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, item);
	mrt_stmt_bind_int(st, 2, id);
	return mrt_stmt_run(st, err);
}

int disclose_svc_request(mrt_session *s, const char *mrn, int64_t *id, char due[11],
                         mrt_err *err)
{
	mrt_day t = mrt_date_today();
	char today[MRT_DATE_LEN];
	mrt_date_format(today, t);
	mrt_date_format(due, t + ROI_ACCOUNTING_DAYS);
	mrt_db *db = mrt_session_db(s);
	int64_t patient = 0;
	struct access_decision d;
	int rc = disclose_patient_access(s, ACCESS_DISCLOSE_ACCOUNT, "disclose.request", mrn, 0,
	                                 &patient, 0, &d, err);
	if (rc || (rc = mrt_db_begin(db, err)) != 0)
		return rc;
	rc = request_insert(s, patient, today, due, id, err);
	if (rc == 0)
		rc = request_item(s, *id, patient, due, err);
	if (rc == 0) {
		char detail[64];
		snprintf(detail, sizeof detail, "due %s", due);
		rc = svc_audit(s, "disclose.request", "accounting_request", *id, patient,
		               access_outcome(&d), detail, err);
	}
	return svc_finish(db, rc, err);
}

int disclose_svc_request_extend(mrt_session *s, int64_t request_id, const char *reason,
                                char due[11], mrt_err *err)
{
	if (!disclose_text(reason) || strlen(reason) > 1000)
		return mrt_err_set(err, MRT_EINVAL, "an extension needs --reason (at most 1000 "
		                   "characters), which is given to the patient (45 CFR "
		                   "164.528(c)(2))");
	mrt_db *db = mrt_session_db(s);
	mrt_stmt *st = mrt_db_stmt(db, "SELECT patient_id, due_on, extended_due_on IS NOT NULL,"
	                               " fulfilled_on IS NOT NULL FROM accounting_request WHERE id = ?",
	                           err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, request_id);
	int rc = mrt_stmt_step(st, err);
	int64_t patient = rc == 1 ? mrt_stmt_int(st, 0) : 0;
	mrt_day old = 0;
	int extended = rc == 1 ? (int)mrt_stmt_int(st, 2) : 0;
	int fulfilled = rc == 1 ? (int)mrt_stmt_int(st, 3) : 0;
	if (rc == 1)
		mrt_date_parse(&old, mrt_stmt_text(st, 1));
	mrt_stmt_reset(st);
	if (rc < 0)
		return rc;
	struct access_decision d;
	if ((rc = disclose_patient_access(s, ACCESS_DISCLOSE_ACCOUNT, "disclose.extend", NULL,
	                                  patient ? patient : -1, &patient, 0, &d, err)) != 0)
		return rc == MRT_ENOTFOUND
		               ? mrt_err_set(err, rc, "no accounting request %" PRId64, request_id)
		               : rc;
	if (fulfilled)
		return mrt_err_set(err, MRT_EEXIST, "accounting request %" PRId64 " was already "
		                   "answered", request_id);
	if (extended)
		return mrt_err_set(err, MRT_EEXIST, "accounting request %" PRId64 " was already "
		                   "extended once (45 CFR 164.528(c)(2) allows one extension)",
		                   request_id);
	mrt_date_format(due, old + ROI_EXTENSION_DAYS);
	if ((rc = mrt_db_begin(db, err)) != 0)
		return rc;
	st = mrt_db_stmt(db, "UPDATE accounting_request SET extended_due_on = ?, extension_reason = ?"
	                     " WHERE id = ? AND extended_due_on IS NULL", err);
	rc = st ? 0 : err->code;
	if (rc == 0) {
		mrt_stmt_bind_text(st, 1, due);
		mrt_stmt_bind_text(st, 2, reason);
		mrt_stmt_bind_int(st, 3, request_id);
		rc = mrt_stmt_run(st, err);
	}
	if (rc == 0) {
		char detail[64];
		snprintf(detail, sizeof detail, "due %s", due);
		rc = svc_audit(s, "disclose.extend", "accounting_request", request_id, patient,
		               access_outcome(&d), detail, err);
	}
	return svc_finish(db, rc, err);
}

int disclose_svc_show(mrt_session *s, int64_t id, json_t **out, mrt_err *err)
{
	static const char sql[] =
		"SELECT d.id, d.patient_id, d.disclosed_at, d.recipient, d.recipient_address, d.purpose,"
		" d.kind, d.legal_basis, d.items, d.authorization_id, d.override_restriction_id,"
		" d.packet_sha256, d.packet_format, length(d.packet), u.name, d.part2_notice,"
		" d.withheld, d.source_ref FROM disclosure d LEFT JOIN app_user u ON u.id = d.by_user"
		" WHERE d.id = ?";
	static const char *const keys[] = { "id", "patient_id", "disclosed_at", "recipient",
		"recipient_address", "purpose", "kind", "legal_basis", "items", "authorization_id",
		"override_restriction_id", "packet_sha256", "packet_format", "packet_bytes", "by",
		"part2_notice", "withheld", "source_ref" };
	*out = NULL;
	mrt_db *db = mrt_session_db(s);
	int rc = disclose_read_begin(s, id, "disclose.show", err);
	if (rc)
		return rc;
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	json_t *o = json_object();
	if (st) {
		mrt_stmt_bind_int(st, 1, id);
		if ((rc = mrt_stmt_step(st, err)) == 1) {
			for (int i = 0; i < (int)(sizeof keys / sizeof keys[0]); i++)
				json_object_set_new(o, keys[i], svc_col_json(st, i));
			rc = 0;
		}
		mrt_stmt_reset(st);
	} else {
		rc = err->code;
	}
	if ((rc = svc_finish(db, rc, err)) != 0) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}
