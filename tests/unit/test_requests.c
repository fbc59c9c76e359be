/*
 * Unit tests for patients' requests, representatives and retention: the
 * pure rules (request deadlines and the one extension, age and years with
 * 29 February, who is a personal representative on a day for a minor, an
 * adult and a deceased patient, the retention period of adults and
 * minors) and the services on an in-memory site (deadlines stored, the
 * extension once, closings per kind, a request through a representative
 * who does not act is refused, statements after a denied amendment only,
 * a legal hold blocks the purge check, the schedule change is logged, and
 * a failed audit write leaves no request, work item, hold or representative).
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
#include "privacy/retention.h"
#include "service/request_svc.h"
#include "service/retention_svc.h"

static void request_clocks(void **state)
{
	(void)state;
	mrt_day r = day("2026-01-15");
	assert_int_equal(retention_request_due(REQUEST_ACCESS, r, 0), day("2026-02-14"));
	assert_int_equal(retention_request_due(REQUEST_ACCESS, r, 1), day("2026-03-16"));
	assert_int_equal(retention_request_due(REQUEST_AMENDMENT, r, 0), day("2026-03-16"));
	assert_int_equal(retention_request_due(REQUEST_AMENDMENT, r, 1), day("2026-04-15"));
	mrt_day due = day("2026-02-14");
	assert_null(retention_request_may_extend(0, "records stored off-site", due, due));
	assert_non_null(retention_request_may_extend(1, "again", due, due));
	assert_non_null(retention_request_may_extend(0, NULL, due, due));
	assert_non_null(retention_request_may_extend(0, "", due, due));
	assert_non_null(retention_request_may_extend(0, "too late", due, due + 1));
}

static void ages_and_years(void **state)
{
	(void)state;
	assert_int_equal(retention_age(day("2008-03-01"), day("2026-02-28")), 17);
	assert_int_equal(retention_age(day("2008-03-01"), day("2026-03-01")), 18);
	assert_int_equal(retention_age(day("2008-02-29"), day("2026-02-28")), 17);
	assert_int_equal(retention_add_years(day("2008-02-29"), 1), day("2009-02-28"));
	assert_int_equal(retention_add_years(day("2008-02-29"), 4), day("2012-02-29"));
	assert_int_equal(retention_add_years(day("2016-01-05"), 10), day("2026-01-05"));
}

static struct rep_verdict rep(enum rep_relation rel, const char *birth, const char *death,
                              const char *on, enum rep_exception exc)
{
	struct rep_facts f = { .relation = rel, .exception = exc, .majority_age = 18,
	                       .on = day(on) };
	if (birth) {
		f.has_birth = 1;
		f.birth = day(birth);
	}
	if (death) {
		f.deceased = 1;
		f.death = day(death);
	}
	struct rep_verdict v;
	retention_rep_decide(&v, &f);
	return v;
}

static void representatives(void **state)
{
	(void)state;
	/* a parent acts for a minor, up to the day before the 18th birthday */
	assert_true(rep(REP_PARENT, "2010-05-01", NULL, "2026-11-25", 0).valid);
	assert_true(rep(REP_PARENT, "2008-11-26", NULL, "2026-11-25", 0).valid);
	assert_false(rep(REP_PARENT, "2008-11-25", NULL, "2026-11-25", 0).valid);
	assert_non_null(strstr(rep(REP_PARENT, "1970-01-01", NULL, "2026-11-25", 0).reason, "of age"));
	/* no birth date: the patient cannot be shown a minor */
	assert_false(rep(REP_PARENT, NULL, NULL, "2026-11-25", 0).valid);
	/* the (g)(3)(i) exceptions */
	for (int e = REP_EXC_MINOR_CONSENTED; e < REP_EXC_COUNT; e++) {
		struct rep_verdict v = rep(REP_PARENT, "2012-01-01", NULL, "2026-11-25", e);
		assert_false(v.valid);
		assert_non_null(strstr(v.reason, "164.502(g)(3)(i)"));
	}
	/* an executor only after death; others not after it */
	assert_false(rep(REP_EXECUTOR, "1940-01-01", NULL, "2026-11-25", 0).valid);
	assert_false(rep(REP_EXECUTOR, "1940-01-01", "2026-06-01", "2026-05-31", 0).valid);
	assert_true(rep(REP_EXECUTOR, "1940-01-01", "2026-06-01", "2026-06-01", 0).valid);
	assert_false(rep(REP_POA, "1940-01-01", "2026-06-01", "2026-07-01", 0).valid);
	assert_true(rep(REP_POA, "1940-01-01", "2026-06-01", "2026-05-01", 0).valid);
	assert_false(rep(REP_PARENT, "2015-01-01", "2026-06-01", "2026-07-01", 0).valid);
	assert_true(rep(REP_GUARDIAN, NULL, NULL, "2026-11-25", 0).valid);
	/* refusal, dates, end */
	struct rep_facts f = { .relation = REP_GUARDIAN, .majority_age = 18, .on = day("2026-11-25"),
	                       .refused = 1 };
	struct rep_verdict v;
	retention_rep_decide(&v, &f);
	assert_false(v.valid);
	assert_non_null(strstr(v.reason, "164.502(g)(5)"));
	f.refused = 0;
	f.from = day("2026-12-01");
	retention_rep_decide(&v, &f);
	assert_false(v.valid);
	f.from = 0;
	f.until = day("2026-11-24");
	retention_rep_decide(&v, &f);
	assert_false(v.valid);
	f.until = day("2026-11-25");
	retention_rep_decide(&v, &f);
	assert_true(v.valid);
	f.ended = 1;
	retention_rep_decide(&v, &f);
	assert_false(v.valid);
	assert_int_equal(rep_relation_parse("healthcare-poa"), REP_POA);
	assert_int_equal(rep_relation_parse("uncle"), -1);
	assert_int_equal(rep_exception_parse("court-authorized"), REP_EXC_COURT);
	assert_int_equal(rep_exception_parse(NULL), -1);
}

static void retention_periods(void **state)
{
	(void)state;
	struct retention_rule adult = { 10, 0 }, minor = { 10, 3 };
	struct retention_result r;
	struct retention_facts f = { .last_discharge = day("2016-01-05"), .has_birth = 1,
	                             .birth = day("2015-03-01"), .majority_age = 18 };
	retention_until(&r, &adult, &minor, &f);
	assert_true(r.known && r.minor && !r.age_assumed);
	assert_int_equal(r.until, day("2036-03-01")); /* age 21 is later than 10 years */
	f.birth = day("2000-03-01");                  /* 15 at discharge: 10 years is later */
	retention_until(&r, &adult, &minor, &f);
	assert_true(r.minor);
	assert_int_equal(r.until, day("2026-01-05"));
	f.birth = day("1970-01-01");
	retention_until(&r, &adult, &minor, &f);
	assert_false(r.minor);
	assert_int_equal(r.until, day("2026-01-05"));
	f.has_birth = 0;
	retention_until(&r, &adult, &minor, &f);
	assert_true(r.age_assumed && !r.minor);
	f.last_discharge = 0;
	retention_until(&r, &adult, &minor, &f);
	assert_false(r.known);
}

/* --- the services on an in-memory site --- */

static int setup(void **state)
{
	(void)state;
	int rc = tu_site_open("2026-11-25", NULL);
	if (rc)
		return rc;
	return sqlite3_exec(
		raw(),
		"INSERT INTO patient(mrn, birth_date, deceased, death_at, source, created_at, updated_at)"
		" VALUES ('KID', '2015-03-01', 0, NULL, 't', 'now', 'now'),"
		"        ('ADULT', '1970-01-01', 0, NULL, 't', 'now', 'now'),"
		"        ('DEAD', '1940-01-01', 1, '2024-06-01T10:00:00', 't', 'now', 'now');"
		"INSERT INTO encounter(patient_id, account, status, admit_at, discharge_at, source,"
		" created_at, updated_at) VALUES"
		" (1, 'K1', 'finished', '2016-01-02T08:00:00', '2016-01-05T09:00:00', 't', 'now', 'now'),"
		" (2, 'A1', 'finished', '2010-01-02T08:00:00', '2010-01-05T09:00:00', 't', 'now', 'now'),"
		" (2, 'A2', 'in-progress', '2026-11-20T08:00:00', NULL, 't', 'now', 'now');",
		NULL, NULL, NULL);
}

static void access_request_deadline_and_extension(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	int64_t id = 0;
	char due[11];
	struct request_new n = { .mrn = "ADULT", .kind = "access", .received = "2026-11-01",
	                         .format = "electronic" };
	assert_int_equal(request_svc_new(s, &n, &id, due, &err), 0);
	assert_string_equal(due, "2026-12-01");
	assert_int_equal(count("SELECT count(*) FROM work_item WHERE kind = 'access-request'"
	                       " AND assigned_role = 'him_technician' AND status = 'open'"
	                       " AND due_date = '2026-12-01'"), 1);
	assert_int_equal(request_svc_extend(s, id, "", due, &err), MRT_EINVAL);
	assert_int_equal(request_svc_extend(s, id, "records stored off-site", due, &err), 0);
	assert_string_equal(due, "2026-12-31");
	assert_int_equal(request_svc_extend(s, id, "again", due, &err), MRT_EINVAL);
	assert_non_null(strstr(err.msg, "one 30-day extension"));
	/* the old item closed, one open item on the new deadline */
	assert_int_equal(count("SELECT count(*) FROM work_item WHERE status = 'open'"
	                       " AND due_date = '2026-12-31'"), 1);
	assert_int_equal(count("SELECT count(*) FROM work_item WHERE status = 'open'"), 1);
	/* an access request is completed or denied, not accepted */
	assert_int_equal(request_svc_close(s, id, "accept", NULL, -1, NULL, &err), MRT_EINVAL);
	assert_int_equal(request_svc_close(s, id, "deny", "psychotherapy notes", -1, NULL, &err),
	                 MRT_EINVAL);
	assert_int_equal(request_svc_close(s, id, "deny", "psychotherapy notes", 0, NULL, &err), 0);
	assert_int_equal(count("SELECT count(*) FROM patient_request WHERE status = 'denied'"
	                       " AND reviewable = 0"), 1);
	assert_int_equal(request_svc_close(s, id, "complete", NULL, -1, NULL, &err), MRT_EEXIST);
	assert_int_equal(count("SELECT count(*) FROM work_item WHERE status = 'open'"), 0);
	/* bad input */
	n.received = "2026-12-01"; /* future */
	assert_int_equal(request_svc_new(s, &n, &id, due, &err), MRT_EINVAL);
	n.received = "2026-11-01";
	n.format = "fax";
	assert_int_equal(request_svc_new(s, &n, &id, due, &err), MRT_EINVAL);
	assert_int_equal(count("SELECT count(*) FROM patient_request"), 1);
}

static void overdue_listing(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	int64_t id = 0;
	char due[11];
	struct request_new n = { .mrn = "ADULT", .kind = "access", .received = "2026-10-01" };
	assert_int_equal(request_svc_new(s, &n, &id, due, &err), 0);
	n.received = "2026-11-20";
	assert_int_equal(request_svc_new(s, &n, &id, due, &err), 0);
	struct request_filter f = { .overdue = 1 };
	json_t *rows = NULL;
	assert_int_equal(request_svc_list(s, &f, &rows, &err), 0);
	assert_int_equal(json_array_size(rows), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 0), "id")), 1);
	json_decref(rows);
	f = (struct request_filter){ .mrn = "ADULT", .open = 1 };
	assert_int_equal(request_svc_list(s, &f, &rows, &err), 0);
	assert_int_equal(json_array_size(rows), 2);
	json_decref(rows);
}

static void amendment_and_statements(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	int64_t a = 0, b = 0;
	char due[11];
	struct request_new n = { .mrn = "ADULT", .kind = "amendment", .received = "2026-11-10",
	                         .what = "the allergy to penicillin is wrong", .encounter = "A1" };
	assert_int_equal(request_svc_new(s, &n, &a, due, &err), 0);
	assert_string_equal(due, "2027-01-09");
	n.what = "the home address is old";
	n.encounter = NULL;
	assert_int_equal(request_svc_new(s, &n, &b, due, &err), 0);
	n.encounter = "K1"; /* another patient's encounter */
	assert_int_equal(request_svc_new(s, &n, &b, due, &err), MRT_EINVAL);
	assert_int_equal(request_svc_statement(s, a, "disagreement", "no", &err), MRT_EINVAL);
	assert_int_equal(request_svc_close(s, a, "complete", NULL, -1, NULL, &err), MRT_EINVAL);
	assert_int_equal(request_svc_close(s, a, "deny", "accurate and complete", 1, NULL, &err),
	                 MRT_EINVAL);
	assert_int_equal(request_svc_close(s, a, "deny", "accurate and complete", -1, NULL, &err), 0);
	assert_int_equal(request_svc_statement(s, a, "rebuttal", "documented 2019", &err),
	                 MRT_EINVAL);
	assert_int_equal(request_svc_statement(s, a, "disagreement", "I was never allergic", &err), 0);
	assert_int_equal(request_svc_statement(s, a, "disagreement", "twice", &err), MRT_EEXIST);
	assert_int_equal(request_svc_statement(s, a, "rebuttal", "documented 2019", &err), 0);
	assert_int_equal(request_svc_close(s, 2, "accept", NULL, -1, NULL, &err), 0);
	json_t *am = NULL;
	assert_int_equal(request_svc_amendments_json(s, 2, &am, &err), 0);
	assert_int_equal(json_array_size(am), 2);
	json_t *first = json_array_get(am, 0), *second = json_array_get(am, 1);
	assert_string_equal(json_string_value(json_object_get(first, "encounter")), "A1");
	json_t *st = json_object_get(first, "statements");
	assert_int_equal(json_array_size(st), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(st, 0), "kind")),
	                    "disagreement");
	st = json_object_get(second, "statements");
	assert_int_equal(json_array_size(st), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(st, 0), "text")),
	                    "the home address is old");
	json_decref(am);
}

static json_t *add_rep(const char *mrn, const char *relation, const char *exception,
                       const char *refuse)
{
	mrt_err err = { 0 };
	json_t *o = NULL;
	struct rep_new n = { .mrn = mrn, .name = "R", .relation = relation, .authority = "papers",
	                     .exception = exception, .refuse = refuse };
	assert_int_equal(request_svc_rep_add(s, &n, &o, &err), 0);
	return o;
}

static int valid_today(json_t *o)
{
	int v = json_is_true(json_object_get(o, "valid_today"));
	json_decref(o);
	return v;
}

static void requests_through_representatives(void **state)
{
	(void)state;
	assert_true(valid_today(add_rep("KID", "parent", NULL, NULL)));            /* 1 */
	assert_false(valid_today(add_rep("ADULT", "parent", NULL, NULL)));         /* 2 */
	assert_true(valid_today(add_rep("DEAD", "executor", NULL, NULL)));         /* 3 */
	assert_false(valid_today(add_rep("ADULT", "executor", NULL, NULL)));       /* 4 */
	assert_false(valid_today(add_rep("KID", "parent", NULL, "suspected abuse"))); /* 5 */
	assert_false(valid_today(add_rep("KID", "parent", "confidentiality-agreed", NULL))); /* 6 */
	assert_int_equal(count("SELECT count(*) FROM personal_rep WHERE decision = 'refused'"
	                       " AND decision_reason = 'suspected abuse'"), 1);
	mrt_err err = { 0 };
	int64_t id = 0;
	char due[11];
	struct request_new n = { .mrn = "KID", .kind = "access", .received = "2026-11-20",
	                         .representative = 1 };
	assert_int_equal(request_svc_new(s, &n, &id, due, &err), 0);
	n.representative = 5;
	assert_int_equal(request_svc_new(s, &n, &id, due, &err), MRT_EINVAL);
	assert_non_null(strstr(err.msg, "164.502(g)(5)"));
	n.representative = 3; /* another patient's */
	assert_int_equal(request_svc_new(s, &n, &id, due, &err), MRT_EINVAL);
	n = (struct request_new){ .mrn = "DEAD", .kind = "access", .received = "2026-11-20",
	                          .representative = 3 };
	assert_int_equal(request_svc_new(s, &n, &id, due, &err), 0);
	n.received = "2024-05-01"; /* before the death: the executor did not act yet */
	assert_int_equal(request_svc_new(s, &n, &id, due, &err), MRT_EINVAL);
	/* ending a representation */
	assert_int_equal(request_svc_rep_end(s, 1, "court order", &err), 0);
	assert_int_equal(request_svc_rep_end(s, 1, "again", &err), MRT_EEXIST);
	n = (struct request_new){ .mrn = "KID", .kind = "access", .received = "2026-11-25",
	                          .representative = 1 };
	assert_int_equal(request_svc_new(s, &n, &id, due, &err), MRT_EINVAL);
	json_t *rows = NULL;
	assert_int_equal(request_svc_rep_list(s, "KID", "2026-11-20", &rows, &err), 0);
	assert_int_equal(json_array_size(rows), 3);
	json_decref(rows);
	assert_int_equal(count("SELECT count(*) FROM patient_request"), 2);
}

static void hold_blocks_purge(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	int may = -1;
	char why[128];
	/* KID: minor at discharge, kept until 21 (2036-03-01) */
	assert_int_equal(retention_svc_may_purge(s, 1, &may, why, sizeof why, &err), 0);
	assert_false(may);
	setenv("MRT_TODAY", "2036-03-02", 1);
	assert_int_equal(retention_svc_may_purge(s, 1, &may, why, sizeof why, &err), 0);
	assert_true(may);
	/* ADULT has an open encounter; DEAD has no encounter */
	assert_int_equal(retention_svc_may_purge(s, 2, &may, why, sizeof why, &err), 0);
	assert_false(may);
	assert_non_null(strstr(why, "open"));
	assert_int_equal(retention_svc_may_purge(s, 3, &may, why, sizeof why, &err), 0);
	assert_false(may);
	json_t *rows = NULL;
	assert_int_equal(retention_svc_due(s, &rows, &err), 0);
	assert_int_equal(json_array_size(rows), 1);
	json_decref(rows);
	int64_t hold = 0;
	assert_int_equal(retention_svc_hold_add(s, "KID", "Doe v. Hospital", NULL, &hold, &err), 0);
	assert_int_equal(retention_svc_may_purge(s, 1, &may, why, sizeof why, &err), 0);
	assert_false(may);
	assert_string_equal(why, "a legal hold is active");
	assert_int_equal(retention_svc_hold_release(s, hold, "", &err), MRT_EINVAL);
	assert_int_equal(retention_svc_hold_release(s, hold, "settled", &err), 0);
	assert_int_equal(retention_svc_hold_release(s, hold, "settled", &err), MRT_EEXIST);
	assert_int_equal(retention_svc_may_purge(s, 1, &may, why, sizeof why, &err), 0);
	assert_true(may);
	/* a hold with an end date lapses after it */
	assert_int_equal(retention_svc_hold_add(s, "KID", "audit", "2036-03-05", &hold, &err), 0);
	assert_int_equal(retention_svc_may_purge(s, 1, &may, why, sizeof why, &err), 0);
	assert_false(may);
	setenv("MRT_TODAY", "2036-03-06", 1);
	assert_int_equal(retention_svc_may_purge(s, 1, &may, why, sizeof why, &err), 0);
	assert_true(may);
	assert_int_equal(count("SELECT count(*) FROM legal_hold"), 2);
	/* the schedule moves the date; the change is kept */
	assert_int_equal(retention_svc_set(s, "minor", -1, 5, -1, &err), 0);
	assert_int_equal(retention_svc_may_purge(s, 1, &may, why, sizeof why, &err), 0);
	assert_false(may);
	assert_int_equal(retention_svc_set(s, "teen", 3, -1, -1, &err), MRT_EINVAL);
	assert_int_equal(retention_svc_set(s, NULL, -1, -1, 0, &err), MRT_EINVAL);
	assert_int_equal(retention_svc_set(s, NULL, -1, -1, 21, &err), 0);
	assert_int_equal(count("SELECT count(*) FROM schedule_change"), 2);
	assert_int_equal(count("SELECT count(*) FROM audit_event WHERE action = 'retention.check'"),
	                 9);
}

static void failed_audit_records_nothing(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	int64_t id = 0, hold = 0;
	char due[11];
	assert_int_equal(sqlite3_exec(raw(), "CREATE TEMP TRIGGER no_audit BEFORE INSERT ON audit_event"
	                                     " WHEN NEW.action IN ('request.access', 'hold.add',"
	                                     "   'representative.add')"
	                                     " BEGIN SELECT RAISE(ABORT, 'audit store full'); END;",
	                              NULL, NULL, NULL), SQLITE_OK);
	struct request_new n = { .mrn = "ADULT", .kind = "access", .received = "2026-11-01" };
	assert_true(request_svc_new(s, &n, &id, due, &err) < 0);
	assert_true(retention_svc_hold_add(s, "KID", "matter", NULL, &hold, &err) < 0);
	json_t *o = NULL;
	struct rep_new r = { .mrn = "KID", .name = "R", .relation = "parent", .authority = "bc" };
	assert_true(request_svc_rep_add(s, &r, &o, &err) < 0);
	assert_null(o);
	assert_int_equal(count("SELECT count(*) FROM patient_request"), 0);
	assert_int_equal(count("SELECT count(*) FROM work_item"), 0);
	assert_int_equal(count("SELECT count(*) FROM legal_hold"), 0);
	assert_int_equal(count("SELECT count(*) FROM personal_rep"), 0);
	assert_int_equal(count("SELECT count(*) FROM audit_event WHERE action = 'queue.add'"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(request_clocks),
		cmocka_unit_test(ages_and_years),
		cmocka_unit_test(representatives),
		cmocka_unit_test(retention_periods),
		cmocka_unit_test_setup_teardown(access_request_deadline_and_extension, setup, tu_site_close),
		cmocka_unit_test_setup_teardown(overdue_listing, setup, tu_site_close),
		cmocka_unit_test_setup_teardown(amendment_and_statements, setup, tu_site_close),
		cmocka_unit_test_setup_teardown(requests_through_representatives, setup, tu_site_close),
		cmocka_unit_test_setup_teardown(hold_blocks_purge, setup, tu_site_close),
		cmocka_unit_test_setup_teardown(failed_audit_records_nothing, setup, tu_site_close),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
