/*
 * Mandated reports (see mandated_svc.h). The rules (kinds, default due
 * dates, the withheld-needs-a-reason rule, statuses) are in
 * privacy/mandated.c; this file checks access, stores and audits.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "privacy/mandated.h"
#include "privacy/roi.h"
#include "service/disclose_svc.h"
#include "service/mandated_svc.h"
#include "service/queue_svc.h"
#include "service/request_svc_int.h"

#define MANDATED_LABEL (1u << LABEL_MANDATED)

#define ITEMS_MAX 160

/* The items, as disclose new names them (minimum necessary: required),
 * written in canonical form into out. */
static int check_items(const char *items, char out[ITEMS_MAX], mrt_err *err)
{
	unsigned bits = 0;
	char bad[32] = "";
	if (!items || strlen(items) > 500 || roi_items_parse(&bits, items, bad, sizeof bad) != 0 ||
	    !bits)
		return mrt_err_set(err, MRT_EINVAL, "--items: %s%s%sthe minimum necessary, a comma list "
		                   "of %s", bad[0] ? "unknown item '" : "", bad, bad[0] ? "'; " : "",
		                   roi_items_help());
	roi_items_format(out, ITEMS_MAX, bits);
	return 0;
}

static int validate(const struct mandated_new *n, char items[ITEMS_MAX], mrt_err *err)
{
	if (mandated_kind_parse(n->kind) < 0)
		return mrt_err_set(err, MRT_EINVAL, "--kind must be child-abuse, elder-abuse, "
		                   "domestic-violence, reportable-disease, wound or cancer-registry");
	int rc;
	if ((rc = rq_text("--jurisdiction", n->jurisdiction, 200, 1, err)) ||
	    (rc = rq_text("--legal-basis", n->legal_basis, 1000, 1, err)) ||
	    (rc = rq_text("--agency", n->agency, 200, 1, err)) ||
	    (rc = rq_text("--agency-address", n->agency_address, 500, 0, err)) ||
	    (rc = rq_text("--withheld-reason", n->withheld_reason, 1000, 0, err)) ||
	    (rc = rq_text("--patient-objection", n->objection, 1000, 0, err)) ||
	    (rc = rq_text("--may-tell", n->may_tell, 500, 0, err)))
		return rc;
	if ((rc = check_items(n->items, items, err)) != 0)
		return rc;
	const char *problem = mandated_check_informed(n->informed, n->withheld_reason);
	if (problem)
		return mrt_err_set(err, MRT_EINVAL, "%s", problem);
	if (n->informed_on && (!n->informed || strcmp(n->informed, "yes") != 0))
		return mrt_err_set(err, MRT_EINVAL, "--informed-on goes with --patient-informed yes");
	mrt_day d;
	if ((rc = rq_date("--due", n->due, &d, err)) != 0 ||
	    (rc = rq_date("--informed-on", n->informed_on, &d, err)) != 0)
		return rc;
	return 0;
}

static int insert(mrt_session *s, const struct mandated_new *n, const char *items,
                  int64_t patient, int64_t enc, const char *due, int due_default,
                  const char *informed_on, mrt_err *err)
{
	static const char sql[] =
		"INSERT INTO mandated_report(patient_id, encounter_id, kind, jurisdiction, legal_basis,"
		" agency, agency_address, items, due_date, due_default, patient_informed, informed_on,"
		" withheld_reason, patient_objection, may_tell, status, created_at, created_by)"
		" VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'draft',?,?)";
	char now[32];
	mrt_now_iso(now);
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, patient);
	if (enc)
		mrt_stmt_bind_int(st, 2, enc);
	const char *text[] = { n->kind, n->jurisdiction, n->legal_basis, n->agency,
	                       n->agency_address, items, due };
	for (int i = 0; i < 7; i++)
		mrt_stmt_bind_text(st, 3 + i, text[i]);
	mrt_stmt_bind_int(st, 10, due_default);
	mrt_stmt_bind_text(st, 11, n->informed);
	mrt_stmt_bind_text(st, 12, informed_on);
	mrt_stmt_bind_text(st, 13, n->withheld_reason && *n->withheld_reason ? n->withheld_reason
	                                                                       : NULL);
	mrt_stmt_bind_text(st, 14, n->objection && *n->objection ? n->objection : NULL);
	mrt_stmt_bind_text(st, 15, n->may_tell && *n->may_tell ? n->may_tell : NULL);
	mrt_stmt_bind_text(st, 16, now);
	mrt_stmt_bind_int(st, 17, mrt_session_user_id(s));
	return mrt_stmt_run(st, err);
}

int mandated_svc_new(mrt_session *s, const struct mandated_new *n, int64_t *id, char due[11],
                     mrt_err *err)
{
	struct access_target t = { .action = "mandated.new" };
	struct rq_patient p;
	char items[ITEMS_MAX] = "";
	int rc = validate(n, items, err);
	if (rc || (rc = rq_check(s, ACCESS_MANDATED_NEW, &t, NULL, err)) != 0 ||
	    (rc = rq_patient_by_mrn(s, n->mrn, &p, err)) != 0)
		return rc;
	int64_t enc = 0, enc_patient = 0;
	mrt_day enc_day = 0, day;
	if (n->encounter && (rc = rq_encounter(s, n->encounter, &enc, &enc_patient, &enc_day, err)))
		return rc;
	if (enc && enc_patient != p.id)
		return mrt_err_set(err, MRT_EINVAL, "--encounter: the encounter is not the patient's");
	t.patient_id = p.id;
	if ((rc = rq_check(s, ACCESS_MANDATED_NEW, &t, NULL, err)) != 0)
		return rc;
	struct mandated_due_rule rule;
	int site_rule = 0;
	if (n->due)
		mrt_date_parse(&day, n->due);
	else if ((rc = mandated_due_rule_find(s, n->kind, n->jurisdiction, &rule, &site_rule,
	                                      err)) != 0)
		return rc;
	else
		day = mandated_due(mandated_kind_parse(n->kind), &rule, mrt_date_today(), enc_day);
	mrt_date_format(due, day);
	char informed_on[MRT_DATE_LEN] = "";
	if (n->informed && strcmp(n->informed, "yes") == 0 && n->informed_on)
		mrt_strlcpy(informed_on, n->informed_on, sizeof informed_on);
	else if (n->informed && strcmp(n->informed, "yes") == 0)
		rq_today(informed_on);
	mrt_db *db = mrt_session_db(s);
	if ((rc = mrt_db_begin(db, err)) != 0)
		return rc;
	rc = insert(s, n, items, p.id, enc, due, n->due == NULL, informed_on[0] ? informed_on : NULL,
	            err);
	/* No kind in the audit detail: whoever reads the trail may not read the
	 * report, and "child-abuse" next to a patient says too much. */
	if (rc == 0) {
		*id = mrt_db_last_insert_id(db);
		rc = svc_audit(s, "mandated.new", "mandated_report", *id, p.id, NULL, NULL, err);
	}
	return svc_finish(db, rc, err);
}

struct report_head {
	int64_t id, patient_id, created_by, overdue_item;
	char status[16], kind[32], due[MRT_DATE_LEN];
};

static int load_head(mrt_session *s, int64_t id, struct report_head *h, mrt_err *err)
{
	static const char sql[] =
		"SELECT patient_id, created_by, status, kind, due_date, overdue_item_id"
		" FROM mandated_report WHERE id = ?";
	memset(h, 0, sizeof *h);
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, id);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1) {
		h->id = id;
		h->patient_id = mrt_stmt_int(st, 0);
		h->created_by = mrt_stmt_int(st, 1);
		mrt_strlcpy(h->status, mrt_stmt_text(st, 2), sizeof h->status);
		mrt_strlcpy(h->kind, mrt_stmt_text(st, 3), sizeof h->kind);
		mrt_strlcpy(h->due, mrt_stmt_text(st, 4), sizeof h->due);
		h->overdue_item = mrt_stmt_is_null(st, 5) ? 0 : mrt_stmt_int(st, 5);
	}
	mrt_stmt_reset(st);
	if (rc == 0)
		return mrt_err_set(err, MRT_ENOTFOUND, "no mandated report %" PRId64, id);
	return rc < 0 ? rc : 0;
}

/* Loads the report and checks the session may read it (privacy officer
 * or author); a denial is audited under action with the report's id. */
static int open_report(mrt_session *s, int64_t id, const char *action, struct report_head *h,
                       struct access_decision *d, mrt_err *err)
{
	int rc = load_head(s, id, h, err);
	if (rc)
		return rc;
	struct access_target t = { .action = action, .patient_id = h->patient_id,
	                           .object_type = "mandated_report", .object_id = id,
	                           .extra_labels = MANDATED_LABEL,
	                           .author = h->created_by == mrt_session_user_id(s) };
	return access_svc_check(s, ACCESS_MANDATED_READ, &t, d, err);
}

static const char show_sql[] =
	"SELECT r.id, p.mrn, e.account AS encounter, r.kind, r.jurisdiction, r.legal_basis, r.agency,"
	" r.agency_address, r.items, r.due_date, r.due_default, r.patient_informed, r.informed_on,"
	" r.withheld_reason, r.patient_objection, r.may_tell, r.status, r.created_at,"
	" u.name AS author, r.submitted_at, su.name AS submitted_by, r.disclosure_id,"
	" r.acknowledged_at, r.agency_reference, r.overdue_item_id"
	" FROM mandated_report r JOIN patient p ON p.id = r.patient_id"
	" LEFT JOIN encounter e ON e.id = r.encounter_id"
	" JOIN app_user u ON u.id = r.created_by LEFT JOIN app_user su ON su.id = r.submitted_by"
	" WHERE r.id = ?";

static int report_json(mrt_session *s, int64_t id, json_t **out, mrt_err *err)
{
	int rc = svc_row_by_id(s, show_sql, id, "mandated report", out, err);
	if (rc)
		return rc;
	int k = mandated_kind_parse(json_string_value(json_object_get(*out, "kind")));
	if (k >= 0) {
		json_object_set_new(*out, "purpose", json_string(mandated_kinds[k].purpose));
		json_object_set_new(*out, "section", json_string(mandated_kinds[k].section));
	}
	mrt_day due;
	const char *status = json_string_value(json_object_get(*out, "status"));
	int late = mrt_date_parse(&due, json_string_value(json_object_get(*out, "due_date"))) == 0 &&
	           mandated_overdue(status, due, mrt_date_today());
	json_object_set_new(*out, "overdue", json_boolean(late));
	return 0;
}

int mandated_svc_show(mrt_session *s, int64_t id, json_t **out, mrt_err *err)
{
	struct report_head h;
	struct access_decision d;
	*out = NULL;
	int rc = open_report(s, id, "mandated.show", &h, &d, err);
	mrt_db *db = mrt_session_db(s);
	if (rc || (rc = mrt_db_begin(db, err)) != 0)
		return rc;
	rc = svc_audit(s, "mandated.show", "mandated_report", id, h.patient_id, access_outcome(&d),
	               NULL, err);
	if (rc == 0)
		rc = report_json(s, id, out, err);
	return svc_finish_json(db, rc, out, err);
}

/* Puts an overdue report in the privacy officer's queue, once. */
static int flag_overdue(mrt_session *s, int64_t id, int64_t patient, const char *due,
                        int *added, mrt_err *err)
{
	static const char sql[] = "UPDATE mandated_report SET overdue_item_id = ? WHERE id = ?"
	                          " AND overdue_item_id IS NULL";
	char sid[32], title[96];
	snprintf(sid, sizeof sid, "%" PRId64, id);
	snprintf(title, sizeof title, "mandated report %" PRId64 " is overdue", id);
	struct queue_new q = { .kind = "mandated-overdue", .subject_type = "mandated_report",
	                       .subject_id = sid, .patient_id = patient, .title = title,
	                       .assign_role = MRT_ROLE_PRIVACY, .due_date = due };
	int64_t item = 0;
	int rc = queue_svc_add(s, &q, &item, err);
	mrt_stmt *st = rc ? NULL : mrt_db_stmt(mrt_session_db(s), sql, err);
	if (rc || !st)
		return rc ? rc : err->code;
	mrt_stmt_bind_int(st, 1, item);
	mrt_stmt_bind_int(st, 2, id);
	if ((rc = mrt_stmt_run(st, err)) == 0 && added)
		(*added)++;
	return rc;
}

static const char list_sql[] =
	"SELECT r.id, p.mrn, r.kind, r.jurisdiction, r.agency, r.status, r.due_date, r.created_at,"
	" u.name AS author, r.overdue_item_id, r.patient_id, r.created_by"
	" FROM mandated_report r JOIN patient p ON p.id = r.patient_id"
	" JOIN app_user u ON u.id = r.created_by"
	" WHERE (?1 = 0 OR r.created_by = ?1) AND (?2 IS NULL OR (r.status = 'draft'"
	"   AND r.due_date < ?2))"
	" ORDER BY r.due_date, r.id";

/* Whether the session may see the row (labels of the patient, author). */
static int row_visible(mrt_session *s, json_t *row, mrt_err *err)
{
	int64_t patient = json_integer_value(json_object_get(row, "patient_id"));
	int64_t author = json_integer_value(json_object_get(row, "created_by"));
	struct access_target t = { .patient_id = patient, .extra_labels = MANDATED_LABEL,
	                           .author = author == mrt_session_user_id(s) };
	struct access_decision d;
	int rc = access_svc_decide(s, ACCESS_MANDATED_READ, &t, &d, err);
	return rc ? rc : d.result == ACCESS_ALLOW;
}

/* Audits each listed report, flags the overdue ones, drops internal keys. */
static int list_rows(mrt_session *s, json_t *rows, int overdue, mrt_err *err)
{
	mrt_day today = mrt_date_today();
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		int64_t id = json_integer_value(json_object_get(r, "id"));
		int64_t patient = json_integer_value(json_object_get(r, "patient_id"));
		const char *due = json_string_value(json_object_get(r, "due_date"));
		mrt_day d = 0;
		int late = mrt_date_parse(&d, due) == 0 &&
		           mandated_overdue(json_string_value(json_object_get(r, "status")), d, today);
		int rc = svc_audit(s, "mandated.list", "mandated_report", id, patient, NULL, NULL, err);
		if (rc == 0 && overdue && late && json_is_null(json_object_get(r, "overdue_item_id")))
			rc = flag_overdue(s, id, patient, due, NULL, err);
		if (rc)
			return rc;
		json_object_set_new(r, "overdue", json_boolean(late));
		json_object_del(r, "patient_id");
		json_object_del(r, "created_by");
		json_object_del(r, "overdue_item_id");
	}
	return 0;
}

static int select_rows(mrt_session *s, int64_t only_author, const char *before, json_t *rows,
                       mrt_err *err)
{
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), list_sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, only_author);
	mrt_stmt_bind_text(st, 2, before);
	int rc = svc_rows_json(st, rows, err);
	for (size_t i = json_array_size(rows); rc == 0 && i-- > 0;) {
		int v = row_visible(s, json_array_get(rows, i), err);
		if (v < 0)
			rc = v;
		else if (!v)
			json_array_remove(rows, i);
	}
	return rc;
}

int mandated_svc_list(mrt_session *s, int overdue, json_t **out, mrt_err *err)
{
	char today[MRT_DATE_LEN];
	rq_today(today);
	int64_t only = mrt_session_has_role(s, MRT_ROLE_PRIVACY) ? 0 : mrt_session_user_id(s);
	mrt_db *db = mrt_session_db(s);
	*out = json_array();
	if (!*out)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	int rc = mrt_db_begin(db, err);
	if (rc == 0)
		rc = select_rows(s, only, overdue ? today : NULL, *out, err);
	if (rc == 0)
		rc = list_rows(s, *out, overdue, err);
	if (rc == 0)
		rc = mrt_db_commit(db, err);
	else if (mrt_db_in_transaction(db))
		mrt_db_rollback(db);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int mandated_svc_sweep(mrt_session *s, int *added, mrt_err *err)
{
	static const char sql[] =
		"SELECT id, patient_id, due_date FROM mandated_report WHERE status = 'draft'"
		" AND due_date < ? AND overdue_item_id IS NULL ORDER BY id";
	struct access_target t = { .action = "mandated.sweep" };
	*added = 0;
	int rc = access_svc_check(s, ACCESS_PRIVACY_REVIEW, &t, NULL, err);
	mrt_db *db = mrt_session_db(s);
	if (rc || (rc = mrt_db_begin(db, err)) != 0)
		return rc;
	char today[MRT_DATE_LEN];
	rq_today(today);
	json_t *rows = json_array();
	mrt_stmt *st = rows ? mrt_db_stmt(db, sql, err) : NULL;
	if (!st)
		rc = rows ? err->code : mrt_err_set(err, MRT_ENOMEM, "out of memory");
	else
		mrt_stmt_bind_text(st, 1, today);
	if (rc == 0)
		rc = svc_rows_json(st, rows, err);
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		if (rc)
			break;
		rc = flag_overdue(s, json_integer_value(json_object_get(r, "id")),
		                  json_integer_value(json_object_get(r, "patient_id")),
		                  json_string_value(json_object_get(r, "due_date")), added, err);
	}
	json_decref(rows);
	if (rc == 0) {
		char detail[64];
		snprintf(detail, sizeof detail, "%d overdue report(s) queued", *added);
		rc = svc_audit(s, "mandated.sweep", NULL, 0, 0, NULL, detail, err);
	}
	return svc_finish(db, rc, err);
}

static int set_submitted(mrt_session *s, int64_t id, int64_t disclosure, mrt_err *err)
{
	static const char sql[] =
		"UPDATE mandated_report SET status = 'submitted', submitted_at = ?, submitted_by = ?,"
		" disclosure_id = ? WHERE id = ? AND status = 'draft'";
	char now[32];
	mrt_now_iso(now);
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, now);
	mrt_stmt_bind_int(st, 2, mrt_session_user_id(s));
	mrt_stmt_bind_int(st, 3, disclosure);
	mrt_stmt_bind_int(st, 4, id);
	int rc = mrt_stmt_run(st, err);
	if (rc == 0 && mrt_db_changes(mrt_session_db(s)) != 1)
		return mrt_err_set(err, MRT_EEXIST, "mandated report %" PRId64 " is no longer a draft", id);
	return rc;
}

/* The disclosure of the report: its agency, basis and items. */
static int disclose(mrt_session *s, const struct report_head *h, json_t *r, const char *out_path,
                    const char *format, int64_t *disclosure, mrt_err *err)
{
	char ref[48];
	snprintf(ref, sizeof ref, "mandated_report:%" PRId64, h->id);
	int k = mandated_kind_parse(h->kind);
	struct disclose_new n = {
		.patient_id = h->patient_id,
		.recipient = json_string_value(json_object_get(r, "agency")),
		.recipient_address = json_string_value(json_object_get(r, "agency_address")),
		.purpose = k >= 0 ? mandated_kinds[k].purpose : "public_health",
		.legal_basis = json_string_value(json_object_get(r, "legal_basis")),
		.items = json_string_value(json_object_get(r, "items")),
		.kind = "mandated",
		.source_ref = ref,
		.out_path = out_path,
		.format = format,
	};
	return disclose_svc_new(s, &n, disclosure, err);
}

int mandated_svc_submit(mrt_session *s, int64_t id, const char *out_path, const char *format,
                        int64_t *disclosure_id, mrt_err *err)
{
	struct report_head h;
	struct access_decision d;
	json_t *r = NULL;
	int rc = open_report(s, id, "mandated.submit", &h, &d, err);
	if (rc)
		return rc;
	if (!mandated_status_next(h.status, "submitted"))
		return mrt_err_set(err, MRT_EEXIST, "mandated report %" PRId64 " is already %s", id,
		                   h.status);
	/* The disclosure's own check, before the transaction, so that its
	 * denial is audited (a physician author may read the report; recording
	 * a release is for the records office and the privacy officer). */
	struct access_target dt = { .action = "mandated.submit", .patient_id = h.patient_id };
	if ((rc = access_svc_check(s, ACCESS_DISCLOSE, &dt, NULL, err)) != 0)
		return rc;
	mrt_db *db = mrt_session_db(s);
	if ((rc = report_json(s, id, &r, err)) != 0 || (rc = mrt_db_begin(db, err)) != 0) {
		json_decref(r);
		return rc;
	}
	rc = disclose(s, &h, r, out_path, format, disclosure_id, err);
	if (rc == 0)
		rc = set_submitted(s, id, *disclosure_id, err);
	if (rc == 0) {
		char detail[64];
		snprintf(detail, sizeof detail, "disclosure %" PRId64, *disclosure_id);
		rc = svc_audit(s, "mandated.submit", "mandated_report", id, h.patient_id,
		               access_outcome(&d), detail, err);
	}
	json_decref(r);
	return svc_finish(db, rc, err);
}

int mandated_svc_acknowledge(mrt_session *s, int64_t id, const char *reference, mrt_err *err)
{
	static const char sql[] =
		"UPDATE mandated_report SET status = 'acknowledged', acknowledged_at = ?,"
		" agency_reference = ? WHERE id = ? AND status = 'submitted'";
	struct report_head h;
	struct access_decision d;
	int rc = rq_text("--reference", reference, 200, 0, err);
	if (rc || (rc = open_report(s, id, "mandated.acknowledge", &h, &d, err)) != 0)
		return rc;
	if (!mandated_status_next(h.status, "acknowledged"))
		return mrt_err_set(err, MRT_EINVAL, "mandated report %" PRId64 " is %s: only a submitted "
		                   "report can be acknowledged", id, h.status);
	mrt_db *db = mrt_session_db(s);
	char now[32];
	mrt_now_iso(now);
	if ((rc = mrt_db_begin(db, err)) != 0)
		return rc;
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	rc = st ? 0 : err->code;
	if (rc == 0) {
		mrt_stmt_bind_text(st, 1, now);
		mrt_stmt_bind_text(st, 2, reference && *reference ? reference : NULL);
		mrt_stmt_bind_int(st, 3, id);
		rc = mrt_stmt_run(st, err);
	}
	if (rc == 0)
		rc = svc_audit(s, "mandated.acknowledge", "mandated_report", id, h.patient_id,
		               access_outcome(&d), NULL, err);
	return svc_finish(db, rc, err);
}
