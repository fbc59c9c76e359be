/*
 * Unit tests for the DNFC turnaround (service/coding_dnfc.c) on an
 * in-memory site with planted encounters: which encounters count (not
 * final coded, discharged on or before the as-of date, not cancelled),
 * days and the bucket edges (3|4, 7|8, 14|15, 30|31), mean and median,
 * the coder holding each encounter (who set the status, else the newest
 * coder's coding, never an imported coding's loader), oldest first, and
 * the timeliness of final coding in its window.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "service/coding_audit_svc.h"
#include "test_util.h"

static void exec(const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(raw(), sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

/* Encounter ACC discharged on DAY with a coding status, the status set by
 * user BY (0: none). */
static void enc(const char *acc, const char *day, const char *status, int by, const char *state)
{
	char sql[640], who[16] = "NULL";
	if (by)
		snprintf(who, sizeof who, "%d", by);
	snprintf(sql, sizeof sql,
		 "INSERT INTO encounter (patient_id, account, discharge_at, coding_status,"
		 " coding_status_by, status, source, created_at, updated_at)"
		 " VALUES (1, '%s', '%sT10:00:00', '%s', %s, '%s', 'test', 'x', 'x')",
		 acc, day, status, who, state);
	exec(sql);
}

static int setup(void **state)
{
	(void)state;
	int rc = tu_site_open("2025-12-31", NULL);
	if (rc)
		return rc;
	exec("INSERT INTO app_user (id, name, created_at) VALUES (2, 'ann', 'x'), (3, 'bob', 'x');"
	     "INSERT INTO patient (id, mrn, source, created_at, updated_at)"
	     " VALUES (1, 'M1', 'test', 'x', 'x')");
	return 0;
}

static json_t *dnfc(const char *coder, const char *as_of, const char *from)
{
	struct caudit_dnfc_req r = {.coder = coder, .as_of = as_of, .from = from};
	json_t *out = NULL;
	mrt_err err = {0};
	assert_int_equal(caudit_svc_dnfc(s, &r, &out, &err), 0);
	return out;
}

static long long n(json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

static void test_days_and_buckets(void **state)
{
	(void)state;
	/* Days before 2025-12-31: 0 3 4 7 8 14 15 30 31. */
	const char *days[] = {"2025-12-31", "2025-12-28", "2025-12-27", "2025-12-24", "2025-12-23",
			      "2025-12-17", "2025-12-16", "2025-12-01", "2025-11-30"};
	for (int i = 0; i < 9; i++) {
		char acc[8];
		snprintf(acc, sizeof acc, "E%d", i);
		enc(acc, days[i], i % 2 ? "in-progress" : "uncoded", 0, "finished");
	}
	/* Not counted: final, billed, cancelled, discharged after the as-of date. */
	enc("F1", "2025-12-01", "final", 2, "finished");
	enc("F2", "2025-12-01", "billed", 2, "finished");
	enc("C1", "2025-12-01", "uncoded", 0, "cancelled");
	enc("L1", "2026-01-02", "uncoded", 0, "finished");
	json_t *v = dnfc(NULL, NULL, NULL);
	json_t *o = json_object_get(v, "overall");
	assert_string_equal(json_string_value(json_object_get(v, "as_of")), "2025-12-31");
	assert_int_equal(n(o, "count"), 9);
	assert_int_equal(n(o, "max_days"), 31);
	assert_true(json_real_value(json_object_get(o, "median_days")) == 8.0);
	assert_true(json_real_value(json_object_get(o, "mean_days")) == 12.44); /* 112 / 9 */
	json_t *b = json_object_get(o, "buckets");
	assert_int_equal(n(b, "0-3"), 2);
	assert_int_equal(n(b, "4-7"), 2);
	assert_int_equal(n(b, "8-14"), 2);
	assert_int_equal(n(b, "15-30"), 2);
	assert_int_equal(n(b, ">30"), 1);
	json_t *e = json_object_get(v, "encounters");
	assert_int_equal(json_array_size(e), 9);
	assert_string_equal(json_string_value(json_object_get(json_array_get(e, 0), "account")),
			    "E8");
	assert_int_equal(n(json_array_get(e, 0), "days"), 31);
	assert_int_equal(n(json_array_get(e, 8), "days"), 0);
	json_decref(v);
	/* An earlier as-of date: fewer encounters, fewer days. */
	v = dnfc(NULL, "2025-12-16", NULL);
	o = json_object_get(v, "overall");
	assert_int_equal(n(o, "count"), 3);
	assert_int_equal(n(o, "max_days"), 16);
	assert_true(json_real_value(json_object_get(o, "median_days")) == 15.0);
	json_decref(v);
}

static void test_holder(void **state)
{
	(void)state;
	enc("H1", "2025-12-20", "in-progress", 2, "finished"); /* ann set the status */
	enc("H2", "2025-12-21", "in-progress", 0, "finished"); /* bob's coding */
	enc("H3", "2025-12-22", "uncoded", 0, "finished");     /* imported coding only */
	exec(
	    "INSERT INTO coding (patient_id, encounter_id, version, source, created_at, created_by)"
	    " SELECT 1, id, 1, 'coder', 'x', 3 FROM encounter WHERE account = 'H2';"
	    "INSERT INTO coding (patient_id, encounter_id, version, source, created_at, created_by)"
	    " SELECT 1, id, 1, 'mimic', 'x', 1 FROM encounter WHERE account = 'H3'");
	json_t *v = dnfc(NULL, NULL, NULL);
	json_t *e = json_object_get(v, "encounters");
	const char *want[] = {"ann", "bob", "unassigned"};
	for (size_t i = 0; i < 3; i++)
		assert_string_equal(
		    json_string_value(json_object_get(json_array_get(e, i), "coder")), want[i]);
	json_t *c = json_object_get(v, "coders");
	assert_int_equal(json_array_size(c), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(c, 0), "coder")),
			    "ann");
	json_decref(v);
	v = dnfc("bob", NULL, NULL);
	assert_int_equal(n(json_object_get(v, "overall"), "count"), 1);
	json_decref(v);
	v = dnfc("unassigned", NULL, NULL);
	assert_int_equal(n(json_object_get(v, "overall"), "count"), 1);
	json_decref(v);
	struct caudit_dnfc_req r = {.coder = "nobody"};
	json_t *out = NULL;
	mrt_err err = {0};
	assert_int_equal(caudit_svc_dnfc(s, &r, &out, &err), MRT_ENOTFOUND);
	assert_null(out);
	r = (struct caudit_dnfc_req){.as_of = "2025-02-30"};
	assert_int_equal(caudit_svc_dnfc(s, &r, &out, &err), MRT_EINVAL);
}

static void test_timeliness(void **state)
{
	(void)state;
	enc("T1", "2025-12-01", "final", 2, "finished");
	enc("T2", "2025-12-10", "billed", 3, "finished");
	enc("T3", "2025-10-01", "final", 2, "finished");
	/* T1 final after 9 days, then re-opened and final again (the first
	 * counts); T2 billed straight after 5 days; T3 final before the window. */
	exec("INSERT INTO coding_status_history (patient_id, encounter_id, from_status, to_status, "
	     "at,"
	     " by_user) SELECT 1, id, 'in-progress', 'final', '2025-12-10T09:00:00Z', 2 FROM "
	     "encounter"
	     " WHERE account = 'T1';"
	     "INSERT INTO coding_status_history (patient_id, encounter_id, from_status, to_status, "
	     "at,"
	     " by_user) SELECT 1, id, 'in-progress', 'final', '2025-12-20T09:00:00Z', 2 FROM "
	     "encounter"
	     " WHERE account = 'T1';"
	     "INSERT INTO coding_status_history (patient_id, encounter_id, from_status, to_status, "
	     "at,"
	     " by_user) SELECT 1, id, 'in-progress', 'billed', '2025-12-15T09:00:00Z', 3 FROM "
	     "encounter"
	     " WHERE account = 'T2';"
	     "INSERT INTO coding_status_history (patient_id, encounter_id, from_status, to_status, "
	     "at,"
	     " by_user) SELECT 1, id, 'uncoded', 'final', '2025-10-05T09:00:00Z', 2 FROM encounter"
	     " WHERE account = 'T3'");
	json_t *v = dnfc(NULL, NULL, NULL);
	json_t *t = json_object_get(v, "timeliness");
	assert_string_equal(json_string_value(json_object_get(t, "from")), "2025-12-02");
	json_t *o = json_object_get(t, "overall");
	assert_int_equal(n(o, "count"), 2);
	assert_int_equal(n(o, "max_days"), 9);
	assert_true(json_real_value(json_object_get(o, "mean_days")) == 7.0);
	json_t *c = json_object_get(t, "coders");
	assert_int_equal(json_array_size(c), 2);
	assert_int_equal(n(json_array_get(c, 1), "max_days"), 5); /* bob */
	json_decref(v);
	v = dnfc(NULL, NULL, "2025-10-01");
	assert_int_equal(n(json_object_get(json_object_get(v, "timeliness"), "overall"), "count"),
			 3);
	json_decref(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_days_and_buckets, setup, tu_site_close),
	    cmocka_unit_test_setup_teardown(test_holder, setup, tu_site_close),
	    cmocka_unit_test_setup_teardown(test_timeliness, setup, tu_site_close),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
