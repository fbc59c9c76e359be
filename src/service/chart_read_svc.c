/*
 * Reading the chart through the access decision: patient show, encounter
 * show, patient find. A record with a label the user is not granted is
 * refused as a whole (the user learns that a restricted record exists,
 * nothing of it) unless they break the glass; parts of an allowed record
 * that carry labels of their own (an encounter, a document) are replaced
 * by a stub that says they exist. Every patient shown is an audit event
 * whose outcome says how it was allowed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/str.h"
#include "service/chart_svc_int.h"
#include "service/encounter_work.h"
#include "service/request_svc.h"

static void set_glass(struct access_target *t, const struct chart_svc_glass *g)
{
	if (g && g->reason) {
		t->glass_reason = g->reason;
		t->glass_category = g->category;
	}
}

int chart_svc_encounter_access(mrt_session *s, enum access_op op, const char *action,
                               const char *account, const struct chart_svc_glass *glass,
                               int64_t *id, int64_t *patient, struct access_decision *d,
                               mrt_err *err)
{
	struct access_target t = { .action = action };
	int rc = access_svc_check(s, op, &t, d, err);
	if (rc || (rc = chart_encounter_by_account(mrt_session_db(s), account, id, patient, err)))
		return rc;
	t.patient_id = *patient;
	t.object_type = "encounter";
	t.object_id = *id;
	set_glass(&t, glass);
	return access_svc_check(s, op, &t, d, err);
}

/* Labels of the patient's encounters (by account) or of one encounter's
 * documents (by doc_ref), one row per label. */
static const char enc_labels_sql[] =
	"SELECT e.account, l.system, l.code FROM label l JOIN encounter e ON e.id = l.object_id"
	" WHERE l.patient_id = ?1 AND l.object_type = 'encounter' AND l.ended_at IS NULL";
static const char doc_labels_sql[] =
	"SELECT d.doc_ref, l.system, l.code FROM label l JOIN document d ON d.id = l.object_id"
	" WHERE d.encounter_id = ?1 AND l.object_type = 'document' AND l.ended_at IS NULL";

/* Replaces each element of array a whose key value carries labels the
 * user may not see (rows of sql bound to id) by {key, "restricted": true}. */
static int stub_hidden(mrt_session *s, json_t *a, const char *key, const char *sql, int64_t id,
                       int64_t patient, int glass, mrt_err *err)
{
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, id);
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		const char *ref = mrt_stmt_text(st, 0);
		unsigned bit = access_label_bit_sys(mrt_stmt_text(st, 1), mrt_stmt_text(st, 2));
		if (!ref || !bit || access_svc_covers(s, ACCESS_PATIENT_READ, patient, bit, glass))
			continue;
		size_t i;
		json_t *v;
		json_array_foreach(a, i, v) {
			const char *have = json_string_value(json_object_get(v, key));
			if (!have || strcmp(have, ref) != 0)
				continue;
			json_t *stub = json_object();
			json_object_set_new(stub, key, json_string(ref));
			json_object_set_new(stub, "restricted", json_true());
			json_array_set_new(a, i, stub);
		}
	}
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Drops the labels the user may not see from the record's label list: a
 * label names a condition. */
static void drop_hidden_labels(mrt_session *s, json_t *labels, int64_t patient, int glass)
{
	for (size_t i = json_array_size(labels); i-- > 0;) {
		json_t *l = json_array_get(labels, i);
		unsigned bit = access_label_bit_sys(json_string_value(json_object_get(l, "system")),
		                                    json_string_value(json_object_get(l, "code")));
		if (bit && !access_svc_covers(s, ACCESS_PATIENT_READ, patient, bit, glass))
			json_array_remove(labels, i);
	}
}

/* Amendments accepted or denied, with the patient's statements of
 * disagreement and the rebuttals, travel with the record (164.526). */
static int add_amendments(mrt_session *s, json_t *p, int64_t patient, mrt_err *err)
{
	json_t *a = NULL;
	int rc = request_svc_amendments_json(s, patient, &a, err);
	if (rc == 0 && json_array_size(a) > 0)
		json_object_set(p, "amendments", a);
	json_decref(a);
	return rc;
}

int chart_svc_patient_show(mrt_session *s, const char *mrn, const struct chart_svc_glass *glass,
                           json_t **out, mrt_err *err)
{
	*out = NULL;
	mrt_db *db = mrt_session_db(s);
	struct access_target t = { .action = "patient.show" };
	struct access_decision d;
	int64_t id = 0;
	int rc = access_svc_check(s, ACCESS_PATIENT_READ, &t, &d, err);
	if (rc || (rc = chart_patient_by_mrn(db, mrn, &id, err)) != 0)
		return rc;
	t.patient_id = id;
	t.object_type = "patient";
	t.object_id = id;
	set_glass(&t, glass);
	if ((rc = access_svc_check(s, ACCESS_PATIENT_READ, &t, &d, err)) != 0 ||
	    (rc = mrt_db_begin(db, err)) != 0)
		return rc;
	rc = svc_audit(s, "patient.show", "patient", id, id, access_outcome(&d), NULL, err);
	if (rc == 0)
		rc = chart_patient_json(db, id, out, err);
	if (rc == 0)
		rc = stub_hidden(s, json_object_get(*out, "encounters"), "account", enc_labels_sql, id, id,
		                 d.glass, err);
	if (rc == 0) {
		drop_hidden_labels(s, json_object_get(*out, "labels"), id, d.glass);
		if (d.glass)
			json_object_set_new(*out, "break_glass", json_true());
	}
	if (rc == 0)
		rc = add_amendments(s, *out, id, err);
	rc = svc_finish(db, rc, err);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int chart_svc_encounter_show(mrt_session *s, const char *account,
                             const struct chart_svc_glass *glass, json_t **out, mrt_err *err)
{
	*out = NULL;
	mrt_db *db = mrt_session_db(s);
	int64_t id = 0, patient = 0;
	struct access_decision d;
	int rc = chart_svc_encounter_access(s, ACCESS_PATIENT_READ, "encounter.show", account, glass,
	                                    &id, &patient, &d, err);
	if (rc || (rc = mrt_db_begin(db, err)) != 0)
		return rc;
	rc = svc_audit(s, "encounter.show", "encounter", id, patient, access_outcome(&d), NULL,
	                     err);
	if (rc == 0)
		rc = chart_encounter_json(db, id, out, err);
	if (rc == 0)
		rc = stub_hidden(s, json_object_get(*out, "documents"), "doc_ref", doc_labels_sql, id,
		                 patient, d.glass, err);
	if (rc == 0)
		rc = encounter_work_json(db, id, *out, err);
	if (rc == 0) {
		drop_hidden_labels(s, json_object_get(*out, "labels"), patient, d.glass);
		if (d.glass)
			json_object_set_new(*out, "break_glass", json_true());
	}
	rc = svc_finish(db, rc, err);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* A match the user may not see keeps only its MRN and says so. */
static int find_row(mrt_session *s, json_t *res, size_t i, mrt_err *err)
{
	mrt_db *db = mrt_session_db(s);
	json_t *v = json_array_get(res, i);
	const char *mrn = json_string_value(json_object_get(v, "mrn"));
	int64_t id = 0;
	int rc = chart_patient_by_mrn(db, mrn, &id, err);
	if (rc)
		return rc;
	struct access_target t = { .patient_id = id, .object_type = "patient", .object_id = id };
	struct access_decision d;
	if ((rc = access_svc_decide(s, ACCESS_PATIENT_FIND, &t, &d, err)) != 0)
		return rc;
	int hidden = d.result != ACCESS_ALLOW;
	if (hidden) {
		json_t *stub = json_object();
		json_object_set_new(stub, "mrn", json_string(mrn));
		json_object_set_new(stub, "restricted", json_true());
		json_array_set_new(res, i, stub);
	}
	return svc_audit(s, "patient.find", "patient", id, id, "allow",
	                       hidden ? "listed as restricted" : NULL, err);
}

int chart_svc_patient_find(mrt_session *s, const char *name, const char *birth_date, size_t limit,
                           json_t **out, mrt_err *err)
{
	*out = NULL;
	mrt_db *db = mrt_session_db(s);
	mrt_day day;
	if (birth_date && mrt_date_parse(&day, birth_date) != 0)
		return mrt_err_set(err, MRT_EINVAL, "--birth-date: not a date (YYYY-MM-DD)");
	struct access_target t = { .action = "patient.find" };
	int rc = access_svc_check(s, ACCESS_PATIENT_FIND, &t, NULL, err);
	if (rc || (rc = mrt_db_begin(db, err)) != 0)
		return rc;
	json_t *res = NULL;
	rc = chart_patient_find(db, name, birth_date, limit, &res, err);
	/* One event per patient the search showed (the search words are
	 * patient data: not recorded). */
	for (size_t i = 0; rc == 0 && i < json_array_size(res); i++)
		rc = find_row(s, res, i, err);
	if (rc == 0 && json_array_size(res) == 0)
		rc = svc_audit(s, "patient.find", "patient", 0, 0, "allow", "no match", err);
	rc = svc_finish(db, rc, err);
	if (rc)
		json_decref(res);
	else
		*out = res;
	return rc;
}
