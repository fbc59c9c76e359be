/*
 * Unit tests for the work queue service on an in-memory site: a change and
 * its history row and audit event commit together (a failing audit write
 * leaves no item and no history), bad input is refused without writing,
 * add/assign/done keep the history, closed and missing items are errors,
 * list filters by status, role and user.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "test_util.h"
#include "base/hash.h"
#include "service/queue_svc.h"

static int setup(void **state)
{
	(void)state;
	return tu_site_open(NULL, NULL);
}

static void failed_audit_rolls_back_the_change(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	int64_t events = count("SELECT count(*) FROM audit_event");
	assert_int_equal(sqlite3_exec(mrt_db_sqlite(mrt_session_db(s)),
	                              "CREATE TEMP TRIGGER no_queue_audit BEFORE INSERT ON audit_event"
	                              " WHEN NEW.action = 'queue.add'"
	                              " BEGIN SELECT RAISE(ABORT, 'audit store full'); END;",
	                              NULL, NULL, NULL), SQLITE_OK);
	struct queue_new n = { .kind = "review", .subject_type = "encounter", .subject_id = "1",
	                       .assign_role = "coder" };
	int64_t id = 0;
	assert_true(queue_svc_add(s, &n, &id, &err) < 0);
	assert_non_null(strstr(err.msg, "audit"));
	assert_int_equal(count("SELECT count(*) FROM work_item"), 0);
	assert_int_equal(count("SELECT count(*) FROM work_item_history"), 0);
	assert_int_equal(count("SELECT count(*) FROM audit_event"), events);
	assert_int_equal(sqlite3_exec(mrt_db_sqlite(mrt_session_db(s)), "DROP TRIGGER no_queue_audit",
	                              NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(queue_svc_add(s, &n, &id, &err), 0);
	assert_int_equal(count("SELECT count(*) FROM work_item"), 1);
	assert_int_equal(count("SELECT count(*) FROM audit_event WHERE action = 'queue.add'"), 1);
}

static void bad_input_writes_nothing(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	int64_t id = 0;
	const struct queue_new bad[] = {
		{ .kind = "Review!", .subject_type = "encounter", .subject_id = "1" },
		{ .kind = "review", .subject_type = "Encounter", .subject_id = "1" },
		{ .kind = "review", .subject_type = "encounter", .subject_id = "" },
		{ .kind = "review", .subject_type = "encounter", .subject_id = "1", .due_date = "2026-02-29" },
		{ .kind = "review", .subject_type = "encounter", .subject_id = "1", .assign_role = "nurse" },
		{ .kind = "review", .subject_type = "encounter", .subject_id = "1", .assign_role = "coder",
		  .assign_user = "x" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(queue_svc_add(s, &bad[i], &id, &err), MRT_EINVAL);
	struct queue_new ghost = { .kind = "review", .subject_type = "encounter", .subject_id = "1",
	                           .assign_user = "ghost" };
	assert_int_equal(queue_svc_add(s, &ghost, &id, &err), MRT_ENOTFOUND);
	assert_non_null(strstr(err.msg, "ghost"));
	assert_int_equal(count("SELECT count(*) FROM work_item"), 0);
}

static void lifecycle_keeps_history(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	int64_t a = 0, b = 0;
	struct queue_new n = { .kind = "review", .subject_type = "encounter", .subject_id = "7",
	                       .assign_role = "coder", .due_date = "2026-12-01", .patient_id = 9 };
	assert_int_equal(queue_svc_add(s, &n, &a, &err), 0);
	n.assign_role = "physician";
	n.subject_id = "8";
	assert_int_equal(queue_svc_add(s, &n, &b, &err), 0);
	assert_int_equal(queue_svc_assign(s, a, mrt_session_user(s), NULL, &err), 0);
	assert_int_equal(queue_svc_assign(s, a, "x", "coder", &err), MRT_EINVAL);
	assert_int_equal(queue_svc_done(s, a, "checked", &err), 0);
	assert_int_equal(queue_svc_done(s, a, NULL, &err), MRT_EEXIST);
	assert_int_equal(queue_svc_assign(s, a, NULL, "coder", &err), MRT_EEXIST);
	assert_int_equal(queue_svc_done(s, 999, NULL, &err), MRT_ENOTFOUND);
	assert_int_equal(count("SELECT count(*) FROM work_item_history WHERE work_item_id = 1"), 3);
	assert_int_equal(count("SELECT count(*) FROM audit_event WHERE object_type = 'work_item'"
	                       " AND patient_id = 9"), 4);

	json_t *items = NULL;
	struct queue_filter open = { 0 }, done = { .status = "done" }, all = { .status = "all" },
	                    phys = { .role = "physician" }, mine = { .mine = 1, .status = "all" };
	assert_int_equal(queue_svc_list(s, &open, &items, &err), 0);
	assert_int_equal(json_array_size(items), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "id")), b);
	json_decref(items);
	assert_int_equal(queue_svc_list(s, &done, &items, &err), 0);
	assert_int_equal(json_array_size(items), 1);
	json_t *hist = json_object_get(json_array_get(items, 0), "history");
	assert_int_equal(json_array_size(hist), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(hist, 2), "note")),
	                    "checked");
	json_decref(items);
	assert_int_equal(queue_svc_list(s, &all, &items, &err), 0);
	assert_int_equal(json_array_size(items), 2);
	json_decref(items);
	assert_int_equal(queue_svc_list(s, &phys, &items, &err), 0);
	assert_int_equal(json_array_size(items), 1);
	json_decref(items);
	assert_int_equal(queue_svc_list(s, &mine, &items, &err), 0);
	assert_int_equal(json_array_size(items), 1);
	json_decref(items);
	struct queue_filter badst = { .status = "lost" };
	assert_int_equal(queue_svc_list(s, &badst, &items, &err), MRT_EINVAL);
}

int main(void)
{
	mrt_err err = { 0 };
	if (mrt_hash_init(&err) != 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(failed_audit_rolls_back_the_change, setup, tu_site_close),
		cmocka_unit_test_setup_teardown(bad_input_writes_nothing, setup, tu_site_close),
		cmocka_unit_test_setup_teardown(lifecycle_keeps_history, setup, tu_site_close),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
