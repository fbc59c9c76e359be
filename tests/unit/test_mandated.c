/*
 * Unit tests for mandated reports: the kind table and default due dates
 * (48 hours, 7 days, 6 months after diagnosis with month ends), the
 * withheld-needs-a-reason rule, status moves and overdue; and the service
 * on an in-memory site: bad input writes nothing, the report and its
 * audit event commit together, an overdue report is queued for the
 * privacy officer once however often it is listed or swept, and a report
 * can be submitted only once it exists and only from draft, and the site's
 * due-date rules (per jurisdiction, per kind, built in) apply in that order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "test_util.h"
#include "privacy/mandated.h"
#include "service/mandated_svc.h"

static void kinds_and_default_due_dates(void **state)
{
	(void)state;
	assert_int_equal(mandated_kind_parse("child-abuse"), MANDATED_CHILD_ABUSE);
	assert_int_equal(mandated_kind_parse("cancer-registry"), MANDATED_CANCER_REGISTRY);
	assert_int_equal(mandated_kind_parse("Child-Abuse"), -1);
	assert_int_equal(mandated_kind_parse(NULL), -1);
	for (int k = 0; k < MANDATED_KIND_COUNT; k++) {
		assert_non_null(mandated_kinds[k].section);
		assert_true(strcmp(mandated_kinds[k].purpose, "public_health") == 0 ||
		            strcmp(mandated_kinds[k].purpose, "legal") == 0);
	}
	assert_string_equal(mandated_kinds[MANDATED_WOUND].purpose, "legal");
	mrt_day filed = day("2026-11-25");
	assert_int_equal(mandated_default_due(MANDATED_CHILD_ABUSE, filed, 0), day("2026-11-27"));
	assert_int_equal(mandated_default_due(MANDATED_ELDER_ABUSE, filed, 0), day("2026-11-27"));
	assert_int_equal(mandated_default_due(MANDATED_DISEASE, filed, 0), day("2026-12-02"));
	assert_int_equal(mandated_default_due(MANDATED_WOUND, filed, 0), day("2026-11-26"));
	/* the diagnosis does not move a clock that runs from filing */
	assert_int_equal(mandated_default_due(MANDATED_DISEASE, filed, day("2020-01-01")),
	                 day("2026-12-02"));
	/* registry: 6 months after diagnosis, or after filing when unknown */
	assert_int_equal(mandated_default_due(MANDATED_CANCER_REGISTRY, filed, day("2026-08-31")),
	                 day("2027-02-28"));
	assert_int_equal(mandated_default_due(MANDATED_CANCER_REGISTRY, filed, day("2027-08-31")),
	                 day("2028-02-29"));
	assert_int_equal(mandated_default_due(MANDATED_CANCER_REGISTRY, filed, 0), day("2027-05-25"));
	assert_int_equal(mandated_add_months(day("2026-12-15"), 1), day("2027-01-15"));
}

static void withheld_needs_a_reason(void **state)
{
	(void)state;
	assert_null(mandated_check_informed(NULL, NULL));
	assert_null(mandated_check_informed("yes", NULL));
	assert_null(mandated_check_informed("no", ""));
	assert_null(mandated_check_informed("withheld", "informing would place the child at risk"));
	assert_non_null(strstr(mandated_check_informed("withheld", NULL), "164.512(c)(2)"));
	assert_non_null(mandated_check_informed("withheld", ""));
	assert_non_null(mandated_check_informed("maybe", NULL));
	assert_non_null(mandated_check_informed("yes", "a reason without withholding"));
	assert_non_null(mandated_check_informed(NULL, "a reason alone"));
}

static void statuses_and_overdue(void **state)
{
	(void)state;
	assert_true(mandated_status_next("draft", "submitted"));
	assert_true(mandated_status_next("submitted", "acknowledged"));
	assert_false(mandated_status_next("draft", "acknowledged"));
	assert_false(mandated_status_next("submitted", "submitted"));
	assert_false(mandated_status_next("acknowledged", "draft"));
	mrt_day due = day("2026-11-27");
	assert_false(mandated_overdue("draft", due, due));
	assert_true(mandated_overdue("draft", due, due + 1));
	assert_false(mandated_overdue("submitted", due, due + 30));
}

/* --- the service on an in-memory site --- */

static int setup(void **state)
{
	(void)state;
	int rc = tu_site_open("2026-11-25", NULL);
	if (rc)
		return rc;
	return sqlite3_exec(raw(),
	                    "INSERT INTO patient(mrn, birth_date, source, created_at, updated_at)"
	                    " VALUES ('M1', '2015-03-01', 'test', 'now', 'now'),"
	                    "        ('M2', '1970-01-01', 'test', 'now', 'now');"
	                    "INSERT INTO encounter(patient_id, account, status, admit_at, discharge_at, source,"
	                    " created_at, updated_at) VALUES (2, 'A2', 'finished', '2026-06-01T08:00:00',"
	                    " '2026-06-10T09:00:00', 'test', 'now', 'now');",
	                    NULL, NULL, NULL);
}

static const struct mandated_new good = {
	.mrn = "M1", .kind = "child-abuse", .jurisdiction = "MA", .legal_basis = "MGL c.119 s.51A",
	.agency = "DCF", .items = "demographics,encounters",
};

static void bad_input_writes_nothing(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	int64_t id = 0;
	char due[11];
	int64_t events = count("SELECT count(*) FROM audit_event");
	struct mandated_new n;
	const char *bad_items[] = { "", ",", "xrays", "encounters,xrays", "Encounters", "x;drop" };
	for (size_t i = 0; i < sizeof bad_items / sizeof bad_items[0]; i++) {
		n = good;
		n.items = bad_items[i];
		assert_int_equal(mandated_svc_new(s, &n, &id, due, &err), MRT_EINVAL);
	}
	n = good;
	n.kind = "gossip";
	assert_int_equal(mandated_svc_new(s, &n, &id, due, &err), MRT_EINVAL);
	n = good;
	n.informed = "withheld";
	assert_int_equal(mandated_svc_new(s, &n, &id, due, &err), MRT_EINVAL);
	assert_non_null(strstr(err.msg, "--withheld-reason"));
	n = good;
	n.due = "2026-02-30";
	assert_int_equal(mandated_svc_new(s, &n, &id, due, &err), MRT_EINVAL);
	n = good;
	n.encounter = "A2"; /* M2's encounter */
	assert_int_equal(mandated_svc_new(s, &n, &id, due, &err), MRT_EINVAL);
	n = good;
	n.mrn = "nobody";
	assert_int_equal(mandated_svc_new(s, &n, &id, due, &err), MRT_ENOTFOUND);
	assert_null(strstr(err.msg, "nobody"));
	assert_int_equal(count("SELECT count(*) FROM mandated_report"), 0);
	assert_int_equal(count("SELECT count(*) FROM audit_event"), events);
}

static void filed_with_due_date_and_audit(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	int64_t id = 0;
	char due[11];
	struct mandated_new n = good;
	n.informed = "withheld";
	n.withheld_reason = "informing would place the child at risk";
	assert_int_equal(mandated_svc_new(s, &n, &id, due, &err), 0);
	assert_string_equal(due, "2026-11-27");
	n = good;
	n.mrn = "M2";
	n.kind = "cancer-registry";
	n.encounter = "A2";
	n.informed = "yes";
	assert_int_equal(mandated_svc_new(s, &n, &id, due, &err), 0);
	assert_string_equal(due, "2026-12-10"); /* 6 months after the discharge */
	n.kind = "reportable-disease";
	n.due = "2026-11-26";
	assert_int_equal(mandated_svc_new(s, &n, &id, due, &err), 0);
	assert_string_equal(due, "2026-11-26");
	assert_int_equal(count("SELECT count(*) FROM mandated_report WHERE status = 'draft'"), 3);
	n.items = " diagnoses,,demographics,"; /* stored in canonical form */
	assert_int_equal(mandated_svc_new(s, &n, &id, due, &err), 0);
	assert_int_equal(count("SELECT count(*) FROM mandated_report WHERE items ="
	                       " 'demographics,diagnoses'"), 1);
	assert_int_equal(count("SELECT count(*) FROM mandated_report WHERE patient_informed = 'yes'"
	                       " AND informed_on = '2026-11-25'"), 3);
	assert_int_equal(count("SELECT count(*) FROM audit_event WHERE action = 'mandated.new'"
	                       " AND object_type = 'mandated_report' AND patient_id IS NOT NULL"), 4);
	json_t *o = NULL;
	assert_int_equal(mandated_svc_show(s, 1, &o, &err), 0);
	assert_string_equal(json_string_value(json_object_get(o, "withheld_reason")),
	                    "informing would place the child at risk");
	assert_string_equal(json_string_value(json_object_get(o, "section")), "164.512(b)(1)(ii)");
	json_decref(o);
	assert_int_equal(mandated_svc_show(s, 99, &o, &err), MRT_ENOTFOUND);
	assert_null(o);
}

static void failed_audit_files_nothing(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	int64_t id = 0;
	char due[11];
	assert_int_equal(sqlite3_exec(raw(), "CREATE TEMP TRIGGER no_audit BEFORE INSERT ON audit_event"
	                                     " WHEN NEW.action = 'mandated.new'"
	                                     " BEGIN SELECT RAISE(ABORT, 'audit store full'); END;",
	                              NULL, NULL, NULL), SQLITE_OK);
	assert_true(mandated_svc_new(s, &good, &id, due, &err) < 0);
	assert_int_equal(count("SELECT count(*) FROM mandated_report"), 0);
}

static void overdue_is_queued_once(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	int64_t id = 0;
	char due[11];
	assert_int_equal(mandated_svc_new(s, &good, &id, due, &err), 0);      /* due 11-27 */
	struct mandated_new n = good;
	n.kind = "reportable-disease";                                        /* due 12-02 */
	assert_int_equal(mandated_svc_new(s, &n, &id, due, &err), 0);
	json_t *rows = NULL;
	assert_int_equal(mandated_svc_list(s, 1, &rows, &err), 0);
	assert_int_equal(json_array_size(rows), 0);
	json_decref(rows);
	setenv("MRT_TODAY", "2026-11-28", 1);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(mandated_svc_list(s, 1, &rows, &err), 0);
		assert_int_equal(json_array_size(rows), 1);
		assert_true(json_is_true(json_object_get(json_array_get(rows, 0), "overdue")));
		json_decref(rows);
	}
	int added = -1;
	assert_int_equal(mandated_svc_sweep(s, &added, &err), 0);
	assert_int_equal(added, 0);
	assert_int_equal(count("SELECT count(*) FROM work_item WHERE kind = 'mandated-overdue'"
	                       " AND assigned_role = 'privacy_officer' AND subject_id = '1'"), 1);
	setenv("MRT_TODAY", "2026-12-05", 1);
	assert_int_equal(mandated_svc_sweep(s, &added, &err), 0);
	assert_int_equal(added, 1);
	assert_int_equal(mandated_svc_sweep(s, &added, &err), 0);
	assert_int_equal(added, 0);
	assert_int_equal(mandated_svc_list(s, 1, &rows, &err), 0);
	assert_int_equal(json_array_size(rows), 2);
	json_decref(rows);
	assert_int_equal(count("SELECT count(*) FROM work_item WHERE kind = 'mandated-overdue'"), 2);
	assert_int_equal(count("SELECT count(*) FROM mandated_report WHERE overdue_item_id IS NULL"), 0);
}

static void submit_only_from_draft(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	int64_t disclosure = 0;
	assert_int_equal(mandated_svc_submit(s, 5, NULL, NULL, &disclosure, &err), MRT_ENOTFOUND);
	assert_int_equal(mandated_svc_acknowledge(s, 5, NULL, &err), MRT_ENOTFOUND);
	int64_t id = 0;
	char due[11];
	assert_int_equal(mandated_svc_new(s, &good, &id, due, &err), 0);
	assert_int_equal(mandated_svc_acknowledge(s, id, "REF-1", &err), MRT_EINVAL);
	assert_int_equal(mandated_svc_submit(s, id, NULL, NULL, &disclosure, &err), 0);
	assert_true(disclosure > 0);
	assert_int_equal(count("SELECT count(*) FROM mandated_report WHERE status = 'submitted'"
	                       " AND disclosure_id IS NOT NULL AND submitted_at IS NOT NULL"), 1);
	assert_int_equal(mandated_svc_submit(s, id, NULL, NULL, &disclosure, &err), MRT_EEXIST);
	assert_int_equal(mandated_svc_acknowledge(s, id, "REF-1", &err), 0);
	assert_int_equal(count("SELECT count(*) FROM mandated_report WHERE status = 'acknowledged'"
	                       " AND agency_reference = 'REF-1'"), 1);
	/* a submitted report is never overdue */
	setenv("MRT_TODAY", "2027-01-01", 1);
	int added = -1;
	assert_int_equal(mandated_svc_sweep(s, &added, &err), 0);
	assert_int_equal(added, 0);
}

static void site_due_rules(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	int64_t id = 0;
	char due[11];
	assert_int_equal(mandated_svc_due_set(s, "reportable-disease", "Rhode Island", 3, 0, &err), 0);
	assert_int_equal(mandated_svc_due_set(s, "reportable-disease", NULL, 5, 0, &err), 0);
	assert_int_equal(mandated_svc_due_set(s, "reportable-disease", NULL, 4, 0, &err), 0);
	assert_int_equal(mandated_svc_due_set(s, "gossip", NULL, 4, 0, &err), MRT_EINVAL);
	assert_int_equal(mandated_svc_due_set(s, "wound", NULL, 0, 0, &err), MRT_EINVAL);
	assert_int_equal(mandated_svc_due_set(s, "wound", NULL, -1, 0, &err), MRT_EINVAL);
	struct mandated_new n = good;
	n.kind = "reportable-disease";
	n.jurisdiction = "RHODE ISLAND"; /* matched without regard to case */
	assert_int_equal(mandated_svc_new(s, &n, &id, due, &err), 0);
	assert_string_equal(due, "2026-11-28");
	n.jurisdiction = "MA";          /* the site's rule for the kind */
	assert_int_equal(mandated_svc_new(s, &n, &id, due, &err), 0);
	assert_string_equal(due, "2026-11-29");
	n.kind = "wound";               /* no site rule: built in */
	assert_int_equal(mandated_svc_new(s, &n, &id, due, &err), 0);
	assert_string_equal(due, "2026-11-26");
	json_t *rules = NULL;
	assert_int_equal(mandated_svc_due_rules(s, &rules, &err), 0);
	assert_int_equal(json_array_size(rules), MANDATED_KIND_COUNT + 2);
	json_decref(rules);
	assert_int_equal(count("SELECT count(*) FROM schedule_change WHERE name LIKE 'mandated.%'"), 3);
	assert_int_equal(count("SELECT count(*) FROM schedule_change WHERE old_value = '0 months 5 days'"
	                       " AND new_value = '0 months 4 days'"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kinds_and_default_due_dates),
		cmocka_unit_test(withheld_needs_a_reason),
		cmocka_unit_test(statuses_and_overdue),
		cmocka_unit_test_setup_teardown(bad_input_writes_nothing, setup, tu_site_close),
		cmocka_unit_test_setup_teardown(filed_with_due_date_and_audit, setup, tu_site_close),
		cmocka_unit_test_setup_teardown(failed_audit_files_nothing, setup, tu_site_close),
		cmocka_unit_test_setup_teardown(overdue_is_queued_once, setup, tu_site_close),
		cmocka_unit_test_setup_teardown(submit_only_from_draft, setup, tu_site_close),
		cmocka_unit_test_setup_teardown(site_due_rules, setup, tu_site_close),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
