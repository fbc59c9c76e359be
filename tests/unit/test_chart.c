/*
 * Unit tests for the chart (src/chart) and its service on an in-memory
 * site with a small hand-made ICD-10-CM/PCS release: idempotent puts with
 * history, codings versioned with findings (invalid, header, no release),
 * merge and keep modes, documents versioned, rejects kept once, encounter
 * moves, patient search, and the coder's entry refused or accepted against
 * the release in effect on the discharge date.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "chart/chart.h"
#include "service/chart_svc.h"

static mrt_session *s;
static mrt_db *db;
static struct chart_ctx ctx;

static const char release_sql[] =
	"INSERT INTO code_release (id, system, version, effective_from, effective_to, loaded_at,"
	" loaded_by) VALUES (1, 'icd10cm', '2026', '2025-10-01', '2026-09-30', 'x', 'x'),"
	" (2, 'icd10pcs', '2026', '2025-10-01', '2026-09-30', 'x', 'x');"
	"INSERT INTO code (release_id, code, billable, short_title, long_title) VALUES"
	" (1, 'E11', 0, 'Type 2 diabetes', 'Type 2 diabetes mellitus'),"
	" (1, 'E119', 1, 'T2DM w/o comp', 'Type 2 diabetes mellitus without complications'),"
	" (1, 'E1165', 1, 'T2DM w hyperglycemia', 'Type 2 diabetes mellitus with hyperglycemia'),"
	" (1, 'I10', 1, 'HTN', 'Essential (primary) hypertension'),"
	" (2, '0DTJ4ZZ', 1, 'Resection of appendix', 'Resection of Appendix, Endo');";

static int64_t count(const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t n = -1;
	if (sqlite3_prepare_v2(mrt_db_sqlite(db), sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static int setup(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	struct mrt_session_opts o = { .db_path = ":memory:", .create = 1 };
	int rc = mrt_session_open(&s, &o, &err);
	if (rc)
		return rc;
	db = mrt_session_db(s);
	chart_ctx_init(&ctx, "test", mrt_session_user_id(s));
	return sqlite3_exec(mrt_db_sqlite(db), release_sql, NULL, NULL, NULL);
}

static int teardown(void **state)
{
	(void)state;
	mrt_session_close(s);
	s = NULL;
	return 0;
}

static int64_t put_patient(const char *mrn, const char *family, const char *given, int *changed)
{
	struct chart_patient p;
	chart_patient_init(&p);
	p.mrn = mrn;
	p.family = family;
	p.given = given;
	p.birth_date = "1950-02-03";
	p.sex = "F";
	struct chart_name alias = { "alias", "Moreau", "Jeanne", NULL, NULL, NULL };
	struct chart_ident ss = { "SSA", "SS", "999-00-1234" };
	p.names = &alias;
	p.n_names = 1;
	p.idents = &ss;
	p.n_idents = 1;
	int64_t id = 0;
	mrt_err err = { 0 };
	assert_int_equal(chart_patient_put(db, &ctx, &p, &id, changed, &err), 0);
	return id;
}

static int64_t put_encounter(int64_t patient, const char *account, const char *discharge)
{
	struct chart_encounter e;
	chart_encounter_init(&e);
	e.account = account;
	e.klass = "inpatient";
	e.admit_at = "2025-11-01T08:00:00";
	e.discharge_at = discharge;
	e.discharge_status = "01";
	int64_t id = 0;
	int changed = 0;
	mrt_err err = { 0 };
	assert_int_equal(chart_encounter_put(db, &ctx, patient, &e, &id, &changed, &err), 0);
	return id;
}

static void patient_put_is_idempotent_and_keeps_history(void **state)
{
	(void)state;
	int changed = 0;
	int64_t id = put_patient("M1", "Durand", "Marie", &changed);
	assert_true(id > 0);
	assert_int_equal(changed, 1);
	assert_int_equal(put_patient("M1", "Durand", "Marie", &changed), id);
	assert_int_equal(changed, 0);
	assert_int_equal(count("SELECT count(*) FROM patient_history"), 0);
	/* A new legal name: the old row to history, the old name kept as "old". */
	assert_int_equal(put_patient("M1", "Martin", "Marie", &changed), id);
	assert_int_equal(changed, 1);
	assert_int_equal(count("SELECT version FROM patient WHERE mrn = 'M1'"), 2);
	assert_int_equal(count("SELECT count(*) FROM patient_history WHERE version = 1"
	                       " AND json_extract(snapshot, '$.family') = 'Durand'"), 1);
	assert_int_equal(count("SELECT count(*) FROM patient_name WHERE use = 'old'"
	                       " AND family = 'Durand'"), 1);
	/* The MRN and the other identifier are both identifiers. */
	assert_int_equal(count("SELECT count(*) FROM patient_identifier"), 2);
	int64_t found = 0;
	mrt_err err = { 0 };
	assert_int_equal(chart_patient_by_ident(db, "SSA", "999-00-1234", &found, &err), 0);
	assert_int_equal(found, id);
	assert_int_equal(chart_patient_by_mrn(db, "nope", &found, &err), MRT_ENOTFOUND);
	/* NULL keeps, "" clears. */
	struct chart_patient p;
	chart_patient_init(&p);
	p.mrn = "M1";
	p.sex = "";
	assert_int_equal(chart_patient_put(db, &ctx, &p, &found, &changed, &err), 0);
	assert_int_equal(count("SELECT count(*) FROM patient WHERE mrn = 'M1' AND sex IS NULL"
	                       " AND family = 'Martin'"), 1);
	p.sex = "X";
	assert_int_equal(chart_patient_put(db, &ctx, &p, &found, &changed, &err), MRT_EINVAL);
}

static void encounter_put_checks_owner_and_values(void **state)
{
	(void)state;
	int changed = 0;
	int64_t a = put_patient("A", "Alpha", "Ann", &changed);
	int64_t b = put_patient("B", "Beta", "Bob", &changed);
	/* Both hold the same social security number: a lookup by it is ambiguous. */
	int64_t who = 0;
	mrt_err amb = { 0 };
	assert_int_equal(chart_patient_by_ident(db, "SSA", "999-00-1234", &who, &amb), MRT_EAMBIG);
	assert_int_equal(chart_patient_by_ident(db, NULL, "B", &who, &amb), 0);
	assert_int_equal(who, b);
	int64_t e = put_encounter(a, "ACC1", "2025-11-03T10:00:00");
	assert_int_equal(put_encounter(a, "ACC1", "2025-11-03T10:00:00"), e);
	assert_int_equal(count("SELECT count(*) FROM encounter_history"), 0);
	assert_int_equal(put_encounter(a, "ACC1", "2025-11-04T10:00:00"), e);
	assert_int_equal(count("SELECT count(*) FROM encounter_history"), 1);
	struct chart_encounter x;
	chart_encounter_init(&x);
	x.account = "ACC1";
	int64_t id = 0;
	mrt_err err = { 0 };
	assert_int_equal(chart_encounter_put(db, &ctx, b, &x, &id, &changed, &err), MRT_EEXIST);
	x.klass = "ambulance";
	assert_int_equal(chart_encounter_put(db, &ctx, a, &x, &id, &changed, &err), MRT_EINVAL);
	/* Moving the encounter moves its rows and records the move. */
	struct chart_transfer t = { "T1", "admit", "MED", "101", "A", "2025-11-01T08:00:00", NULL };
	assert_int_equal(chart_transfer_put(db, &ctx, a, e, &t, &changed, &err), 0);
	assert_int_equal(changed, 1);
	assert_int_equal(chart_transfer_put(db, &ctx, a, e, &t, &changed, &err), 0);
	assert_int_equal(changed, 0);
	assert_int_equal(chart_encounter_move(db, &ctx, e, b, "MSG1", &err), 0);
	assert_int_equal(count("SELECT count(*) FROM transfer WHERE patient_id = 2"), 1);
	assert_int_equal(count("SELECT count(*) FROM encounter_link WHERE kind = 'move'"
	                       " AND from_patient_id = 1"), 1);
}

static void coding_versions_and_findings(void **state)
{
	(void)state;
	int changed = 0;
	mrt_err err = { 0 };
	int64_t p = put_patient("C", "Gamma", "Cy", &changed);
	int64_t e = put_encounter(p, "ACC2", "2025-11-03T10:00:00");
	struct chart_dx dx[] = {
		{ CHART_SYS_ICD10CM, "E11.9", NULL, "Y", "principal", NULL, NULL },
		{ CHART_SYS_ICD10CM, "E11", NULL, "N", NULL, NULL, NULL },
		{ CHART_SYS_ICD10CM, "E1199", NULL, NULL, NULL, NULL, NULL },
		{ CHART_SYS_SNOMED, "44054006", NULL, NULL, NULL, NULL, NULL },
	};
	struct chart_px px[] = { { "I10P", "0DTJ4ZZ", NULL, "2025-11-02", NULL, 0 } };
	struct chart_coding_change ch = { CHART_REPLACE, CHART_REPLACE, dx, 4, px, 1 };
	int64_t coding = 0;
	assert_int_equal(chart_coding_apply(db, &ctx, p, e, &ch, &coding, &changed, &err), 0);
	assert_int_equal(changed, 1);
	/* Stored as sent; the header and the invalid code are findings. */
	assert_int_equal(count("SELECT count(*) FROM diagnosis WHERE code = 'E11.9'"), 1);
	assert_int_equal(count("SELECT count(*) FROM coding_finding WHERE problem = 'not-billable'"
	                       " AND code = 'E11'"), 1);
	assert_int_equal(count("SELECT count(*) FROM coding_finding WHERE problem = 'invalid'"
	                       " AND code = 'E1199'"), 1);
	assert_int_equal(count("SELECT count(*) FROM coding_finding"), 2);
	assert_int_equal(count("SELECT cm_release_id FROM coding"), 1);
	/* The same again: nothing written. */
	int64_t again = 0;
	assert_int_equal(chart_coding_apply(db, &ctx, p, e, &ch, &again, &changed, &err), 0);
	assert_int_equal(changed, 0);
	assert_int_equal(again, coding);
	assert_int_equal(count("SELECT count(*) FROM coding"), 1);
	/* Merge one by source_ref, keep the procedures: version 2, v1 kept. */
	struct chart_dx add[] = { { CHART_SYS_ICD10CM, "I10", NULL, NULL, NULL, NULL, "cond-1" } };
	struct chart_coding_change m = { CHART_MERGE, CHART_KEEP, add, 1, NULL, 0 };
	assert_int_equal(chart_coding_apply(db, &ctx, p, e, &m, &again, &changed, &err), 0);
	assert_int_equal(changed, 1);
	assert_int_equal(count("SELECT count(*) FROM coding"), 2);
	assert_int_equal(count("SELECT count(*) FROM diagnosis d JOIN coding c ON c.id = d.coding_id"
	                       " WHERE c.superseded_by IS NULL"), 5);
	assert_int_equal(count("SELECT count(*) FROM procedure p JOIN coding c ON c.id = p.coding_id"
	                       " WHERE c.superseded_by IS NULL"), 1);
	assert_int_equal(chart_coding_apply(db, &ctx, p, e, &m, &again, &changed, &err), 0);
	assert_int_equal(changed, 0);
	/* The same code under another reference is another item; without a
	 * reference it replaces the item with the same code and kind. */
	struct chart_dx other[] = { { CHART_SYS_ICD10CM, "I10", "HTN", NULL, NULL, NULL, "cond-2" },
		                    { CHART_SYS_SNOMED, "44054006", "T2DM", NULL, NULL, NULL, NULL } };
	struct chart_coding_change m2 = { CHART_MERGE, CHART_KEEP, other, 2, NULL, 0 };
	assert_int_equal(chart_coding_apply(db, &ctx, p, e, &m2, &again, &changed, &err), 0);
	assert_int_equal(changed, 1);
	assert_int_equal(count("SELECT count(*) FROM diagnosis d JOIN coding c ON c.id = d.coding_id"
	                       " WHERE c.superseded_by IS NULL"), 6);
	assert_int_equal(count("SELECT count(*) FROM diagnosis d JOIN coding c ON c.id = d.coding_id"
	                       " WHERE c.superseded_by IS NULL AND d.display = 'T2DM'"), 1);
	/* No release in effect: one finding per system, not one per code. */
	int64_t e2 = put_encounter(p, "ACC3", "2150-01-01T00:00:00");
	assert_int_equal(chart_coding_apply(db, &ctx, p, e2, &ch, &coding, &changed, &err), 0);
	assert_int_equal(count("SELECT count(*) FROM coding_finding WHERE coding_id = (SELECT max(id)"
	                       " FROM coding) AND problem = 'no-release'"), 2);
}

static void cached_checks_find_the_same(void **state)
{
	(void)state;
	int changed = 0;
	mrt_err err = { 0 };
	struct chart_ctx bulk;
	chart_ctx_init(&bulk, "test", 0);
	assert_int_equal(chart_ctx_use_cache(&bulk, &err), 0);
	int64_t p = put_patient("Q", "Qu", "Quinn", &changed);
	struct chart_dx dx[] = {
		{ CHART_SYS_ICD10CM, "E11.9", NULL, "Y", "principal", NULL, NULL },
		{ CHART_SYS_ICD10CM, "E11", NULL, "N", NULL, NULL, NULL },
		{ CHART_SYS_ICD10CM, "E1199", NULL, NULL, NULL, NULL, NULL },
	};
	struct chart_px px[] = { { "I10P", "0DTJ4ZZ", NULL, "2025-11-02", NULL, 0 },
		                 { "I10P", "0DTJ4ZX", NULL, "2025-11-02", NULL, 0 } };
	struct chart_coding_change ch = { CHART_REPLACE, CHART_REPLACE, dx, 3, px, 2 };
	int64_t coding = 0;
	for (int i = 0; i < 2; i++) {
		char acc[16];
		snprintf(acc, sizeof acc, "QACC%d", i);
		int64_t e = put_encounter(p, acc, "2025-11-03T10:00:00");
		assert_int_equal(chart_coding_apply(db, i ? &bulk : &ctx, p, e, &ch, &coding, &changed,
		                                    &err), 0);
	}
	chart_ctx_release(&bulk);
	chart_ctx_release(&bulk);
	/* The query path and the cached path give the same findings. */
	assert_int_equal(count("SELECT count(*) FROM (SELECT item, seq, code, problem FROM"
	                       " coding_finding WHERE encounter_id = (SELECT id FROM encounter"
	                       " WHERE account = 'QACC0') EXCEPT SELECT item, seq, code, problem"
	                       " FROM coding_finding WHERE encounter_id = (SELECT id FROM encounter"
	                       " WHERE account = 'QACC1'))"), 0);
	assert_int_equal(count("SELECT count(*) FROM coding_finding WHERE encounter_id = (SELECT id"
	                       " FROM encounter WHERE account = 'QACC1')"), 3);
}

static void documents_labels_rejects(void **state)
{
	(void)state;
	int changed = 0;
	mrt_err err = { 0 };
	int64_t p = put_patient("D", "Delta", "Di", &changed);
	struct chart_document d = { .doc_ref = "DOC1", .type = "DS", .status = "in-progress",
	                            .text = "draft" };
	int64_t id1 = 0, id2 = 0;
	assert_int_equal(chart_document_put(db, &ctx, p, &d, &id1, &changed, &err), 0);
	assert_int_equal(chart_document_put(db, &ctx, p, &d, &id2, &changed, &err), 0);
	assert_int_equal(changed, 0);
	assert_int_equal(id1, id2);
	d.status = "signed";
	d.signed_at = "2025-11-05T09:00:00";
	assert_int_equal(chart_document_put(db, &ctx, p, &d, &id2, &changed, &err), 0);
	assert_int_equal(changed, 1);
	assert_true(id2 != id1);
	assert_int_equal(count("SELECT count(*) FROM document WHERE doc_ref = 'DOC1'"), 2);
	assert_int_equal(count("SELECT count(*) FROM document WHERE superseded_by IS NULL"
	                       " AND status = 'signed' AND text = 'draft'"), 1);
	d.status = "final";
	assert_int_equal(chart_document_put(db, &ctx, p, &d, &id2, &changed, &err), MRT_EINVAL);
	assert_int_equal(chart_label_put(db, &ctx, p, "patient", p, "http://terminology.hl7.org/"
	                                 "CodeSystem/v3-Confidentiality", "R", NULL, &changed, &err), 0);
	assert_int_equal(changed, 1);
	assert_int_equal(chart_label_put(db, &ctx, p, "patient", p, "http://terminology.hl7.org/"
	                                 "CodeSystem/v3-Confidentiality", "R", NULL, &changed, &err), 0);
	assert_int_equal(changed, 0);
	assert_int_equal(chart_reject_put(db, &ctx, "hl7", "f.hl7", "message 2", "no MSH", "x|y", 3,
	                                  &changed, &err), 0);
	assert_int_equal(changed, 1);
	assert_int_equal(chart_reject_put(db, &ctx, "hl7", "f.hl7", "message 2", "no MSH", "x|y", 3,
	                                  &changed, &err), 0);
	assert_int_equal(changed, 0);
	json_t *r = NULL;
	assert_int_equal(chart_rejects_json(db, "hl7", 10, &r, &err), 0);
	assert_int_equal(json_array_size(r), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(r, 0), "bytes")), 3);
	json_decref(r);
}

static void find_by_any_name(void **state)
{
	(void)state;
	int changed = 0;
	mrt_err err = { 0 };
	put_patient("F1", "Fournier", "Paul", &changed);
	put_patient("F2", "Fontaine", "Paula", &changed);
	json_t *a = NULL;
	assert_int_equal(chart_svc_patient_find(s, "fo pau", NULL, 10, &a, &err), 0);
	assert_int_equal(json_array_size(a), 2);
	json_decref(a);
	assert_int_equal(chart_svc_patient_find(s, "Fournier, Paul", "1950-02-03", 10, &a, &err), 0);
	assert_int_equal(json_array_size(a), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(a, 0), "mrn")), "F1");
	json_decref(a);
	/* By an alias. */
	assert_int_equal(chart_svc_patient_find(s, "moreau jeanne", NULL, 10, &a, &err), 0);
	assert_int_equal(json_array_size(a), 2);
	json_decref(a);
	assert_int_equal(chart_svc_patient_find(s, "fournier", "1960-01-01", 10, &a, &err), 0);
	assert_int_equal(json_array_size(a), 0);
	json_decref(a);
	assert_int_equal(chart_svc_patient_find(s, "x", "1960-13-01", 10, &a, &err), MRT_EINVAL);
	assert_int_equal(chart_svc_patient_find(s, " , ", NULL, 10, &a, &err), MRT_EINVAL);
	/* One audit event per patient shown. */
	assert_int_equal(count("SELECT count(*) FROM audit_event WHERE action = 'patient.find'"
	                       " AND patient_id IS NOT NULL AND patient_id > 0"), 5);
}

static void coder_entry_refused_then_accepted(void **state)
{
	(void)state;
	int changed = 0;
	mrt_err err = { 0 };
	int64_t p = put_patient("K", "Kappa", "Kim", &changed);
	put_encounter(p, "ACC9", "2025-11-03T10:00:00");
	put_encounter(p, "ACC10", NULL);
	const char *sdx[] = { "I10:Q", "E1199" };
	const char *px[] = { "0DTJ4ZZ@2025-11-09" };
	struct chart_svc_code_req req = { .account = "ACC9", .pdx = "E11:Y", .sdx = sdx, .n_sdx = 2,
	                                  .px = px, .n_px = 1 };
	json_t *out = NULL;
	assert_int_equal(chart_svc_encounter_code(s, &req, &out, &err), MRT_EINVAL);
	assert_non_null(strstr(err.msg, "E11"));
	json_t *ref = json_object_get(out, "refused");
	assert_int_equal(json_array_size(ref), 4);
	json_t *first = json_array_get(ref, 0);
	assert_string_equal(json_string_value(json_object_get(first, "problem")), "not-billable");
	json_t *sugg = json_object_get(first, "suggestions");
	assert_int_equal(json_array_size(sugg), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(sugg, 0), "code")),
	                    "E1165");
	json_decref(out);
	assert_int_equal(count("SELECT count(*) FROM coding"), 0);
	/* Valid codes, dotted or not: coding version 1, then a re-code is version 2. */
	const char *sdx2[] = { "I10:N" };
	const char *px2[] = { "0DTJ4ZZ@2025-11-02" };
	struct chart_svc_code_req ok = { .account = "ACC9", .pdx = "E11.9:y", .sdx = sdx2,
	                                 .n_sdx = 1, .px = px2, .n_px = 1, .status = "final" };
	assert_int_equal(chart_svc_encounter_code(s, &ok, &out, &err), 0);
	assert_string_equal(json_string_value(json_object_get(out, "coding_status")), "final");
	json_t *dx0 = json_array_get(json_object_get(out, "diagnoses"), 0);
	assert_string_equal(json_string_value(json_object_get(dx0, "code")), "E119");
	assert_string_equal(json_string_value(json_object_get(dx0, "poa")), "Y");
	assert_string_equal(json_string_value(json_object_get(dx0, "kind")), "principal");
	json_decref(out);
	ok.pdx = "E11.65:Y";
	assert_int_equal(chart_svc_encounter_code(s, &ok, &out, &err), 0);
	assert_int_equal(json_array_size(json_object_get(out, "coding_history")), 2);
	json_decref(out);
	assert_int_equal(count("SELECT count(*) FROM coding WHERE superseded_by IS NOT NULL"), 1);
	/* Not discharged: nothing to code against. */
	req.account = "ACC10";
	assert_int_equal(chart_svc_encounter_code(s, &req, &out, &err), MRT_EINVAL);
	assert_non_null(strstr(err.msg, "discharge"));
	req.account = "NOPE";
	assert_int_equal(chart_svc_encounter_code(s, &req, &out, &err), MRT_ENOTFOUND);
	assert_null(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(patient_put_is_idempotent_and_keeps_history, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(encounter_put_checks_owner_and_values, setup, teardown),
		cmocka_unit_test_setup_teardown(coding_versions_and_findings, setup, teardown),
		cmocka_unit_test_setup_teardown(cached_checks_find_the_same, setup, teardown),
		cmocka_unit_test_setup_teardown(documents_labels_rejects, setup, teardown),
		cmocka_unit_test_setup_teardown(find_by_any_name, setup, teardown),
		cmocka_unit_test_setup_teardown(coder_entry_refused_then_accepted, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
