/*
 * Unit tests for the chart completion services on an in-memory site: an
 * analysis is one transaction (a failing work-item write leaves no
 * deficiency and no audit event), re-runs neither duplicate nor lose
 * deficiencies and close the fixed ones with their work items, an open
 * physician query holds final coding, and the schema's own checks and
 * seeded defaults.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "test_util.h"
#include "service/chartqa_svc.h"

static int exec(const char *sql)
{
	return sqlite3_exec(raw(), sql, NULL, NULL, NULL);
}

static int setup(void **state)
{
	(void)state;
	if (tu_site_open("2026-02-20", NULL) != 0)
		return -1;
	return exec("INSERT INTO provider(id, ident, name, source, created_at)"
		    "  VALUES (1, 'P1', 'Ann Hart', 'test', 'now');"
		    "INSERT INTO patient(id, mrn, source, created_at, updated_at)"
		    "  VALUES (1, 'MRN-1', 'test', 'now', 'now');"
		    "INSERT INTO encounter(id, patient_id, account, class, admit_at, discharge_at,"
		    "  attending_id, source, created_at, updated_at) VALUES (1, 1, 'ACC-1',"
		    "  'inpatient', '2026-02-01T08:00:00', '2026-02-03T09:00:00', 1, 'test', 'now',"
		    "  'now');"
		    "INSERT INTO document(patient_id, encounter_id, doc_ref, type, type_system, "
		    "status,"
		    "  written_at, author_id, source, created_at) VALUES (1, 1, 'D1', '34117-2',"
		    "  'http://loinc.org', 'signed', '2026-02-01T09:00:00', 1, 'test', 'now');") ==
		       SQLITE_OK
		   ? 0
		   : -1;
}

static int analyze(void)
{
	mrt_err err = {0};
	json_t *out = NULL;
	struct chartqa_scope all = {0};
	int rc = chartqa_svc_analyze(s, &all, &out, &err);
	json_decref(out);
	return rc;
}

static void analysis_is_one_transaction(void **state)
{
	(void)state;
	assert_int_equal(exec("CREATE TEMP TRIGGER no_items BEFORE INSERT ON work_item"
			      " BEGIN SELECT RAISE(ABORT, 'queue full'); END;"),
			 SQLITE_OK);
	assert_true(analyze() < 0);
	assert_int_equal(count("SELECT count(*) FROM deficiency"), 0);
	assert_int_equal(count("SELECT count(*) FROM audit_event WHERE action = 'chart.analyze'"),
			 0);
	assert_int_equal(exec("DROP TRIGGER no_items"), SQLITE_OK);
	assert_int_equal(analyze(), 0);
	/* 49 h stay without a summary; the H&P is in time */
	assert_int_equal(count("SELECT count(*) FROM deficiency WHERE status = 'open'"
			       " AND kind = 'discharge-summary' AND provider_id = 1"
			       " AND due_date = '2026-03-05' AND delinquent_since IS NULL"),
			 1);
	assert_int_equal(count("SELECT count(*) FROM deficiency"), 1);
	assert_int_equal(count("SELECT count(*) FROM work_item w JOIN deficiency d"
			       " ON d.work_item_id = w.id WHERE w.assigned_role = 'physician'"
			       " AND w.status = 'open' AND w.kind = 'chart-deficiency'"),
			 1);
}

static void reruns_close_what_is_fixed(void **state)
{
	(void)state;
	assert_int_equal(analyze(), 0);
	assert_int_equal(analyze(), 0);
	assert_int_equal(count("SELECT count(*) FROM deficiency"), 1);
	assert_int_equal(count("SELECT count(*) FROM work_item"), 1);
	/* an unsigned summary: the summary is there, its signature is not */
	assert_int_equal(
	    exec("INSERT INTO document(patient_id, encounter_id, doc_ref, type, status,"
		 " written_at, author_id, source, created_at) VALUES (1, 1, 'D2', 'DS',"
		 " 'in-progress', '2026-02-03T10:00:00', 1, 'test', 'now')"),
	    SQLITE_OK);
	assert_int_equal(analyze(), 0);
	assert_int_equal(count("SELECT count(*) FROM deficiency WHERE kind = 'discharge-summary'"
			       " AND status = 'closed' AND closed_at IS NOT NULL"),
			 1);
	assert_int_equal(count("SELECT count(*) FROM deficiency WHERE kind = 'authentication'"
			       " AND status = 'open' AND key = 'authentication:D2'"),
			 1);
	assert_int_equal(count("SELECT count(*) FROM work_item WHERE status = 'done'"), 1);
	/* a disabled rule is no longer asked for */
	mrt_err err = {0};
	struct chartqa_rule_set r = {.cls = "inpatient",
				     .requirement = "authentication",
				     .before_hours = -1,
				     .after_hours = -1,
				     .short_stay_hours = -1,
				     .delinquent_days = -1,
				     .enabled = 0};
	assert_int_equal(chartqa_svc_rule_set(s, &r, &err), 0);
	assert_int_equal(analyze(), 0);
	assert_int_equal(count("SELECT count(*) FROM deficiency WHERE status = 'open'"), 0);
	assert_int_equal(count("SELECT count(*) FROM audit_event WHERE action = 'chart.rule-set'"),
			 1);
}

static void delinquent_after_day_30(void **state)
{
	(void)state;
	setenv("MRT_TODAY", "2026-03-05", 1); /* discharge + 30 */
	assert_int_equal(analyze(), 0);
	assert_int_equal(count("SELECT count(*) FROM deficiency WHERE delinquent_since IS NULL"),
			 1);
	setenv("MRT_TODAY", "2026-03-06", 1);
	assert_int_equal(analyze(), 0);
	assert_int_equal(count("SELECT count(*) FROM deficiency"
			       " WHERE delinquent_since = '2026-03-06'"),
			 1);
}

static void open_query_holds_final_coding(void **state)
{
	(void)state;
	mrt_err err = {0};
	assert_int_equal(pq_svc_hold(mrt_session_db(s), 1, &err), 0);
	assert_int_equal(
	    exec("INSERT INTO physician_query(id, patient_id, encounter_id, question,"
		 " format, asked_by, asked_at) VALUES (7, 1, 1, 'q', 'open', 1, 'now')"),
	    SQLITE_OK);
	assert_int_not_equal(pq_svc_hold(mrt_session_db(s), 1, &err), 0);
	assert_non_null(strstr(err.msg, "physician query 7 is open"));
	assert_int_equal(exec("UPDATE physician_query SET status = 'answered'"), SQLITE_OK);
	assert_int_not_equal(pq_svc_hold(mrt_session_db(s), 1, &err), 0);
	assert_int_equal(exec("UPDATE physician_query SET status = 'closed'"), SQLITE_OK);
	assert_int_equal(pq_svc_hold(mrt_session_db(s), 1, &err), 0);
}

static void schema_checks(void **state)
{
	(void)state;
	assert_int_equal(count("SELECT count(*) FROM deficiency_rule"), 14);
	assert_int_equal(count("SELECT count(*) FROM operative_procedure_rule WHERE section = '0'"
			       " AND approach IN ('0','4') AND enabled = 1"),
			 2);
	assert_int_not_equal(exec("INSERT INTO deficiency_rule(class, requirement)"
				  " VALUES ('ward', 'hp-update')"),
			     SQLITE_OK);
	assert_int_not_equal(exec("UPDATE deficiency_rule SET delinquent_days = 0"), SQLITE_OK);
	const char *d = "INSERT INTO deficiency(patient_id, encounter_id, kind, key, detail,"
			" opened_at) VALUES (1, 1, 'k', 'key', 'd', 'now')";
	assert_int_equal(exec(d), SQLITE_OK);
	assert_int_not_equal(exec(d), SQLITE_OK); /* one open deficiency per key */
	assert_int_equal(exec("UPDATE deficiency SET status = 'closed'"), SQLITE_OK);
	assert_int_equal(exec(d), SQLITE_OK);
	assert_int_not_equal(exec("INSERT INTO physician_query(patient_id, encounter_id, question,"
				  " format, asked_by, asked_at) VALUES (1, 1, 'q', 'yes-no', 1,"
				  " 'now')"),
			     SQLITE_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(analysis_is_one_transaction, setup, tu_site_close),
	    cmocka_unit_test_setup_teardown(reruns_close_what_is_fixed, setup, tu_site_close),
	    cmocka_unit_test_setup_teardown(delinquent_after_day_30, setup, tu_site_close),
	    cmocka_unit_test_setup_teardown(open_query_holds_final_coding, setup, tu_site_close),
	    cmocka_unit_test_setup_teardown(schema_checks, setup, tu_site_close),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
