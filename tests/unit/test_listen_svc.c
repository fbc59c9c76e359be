/*
 * Unit tests for the listener's group commit (service/listen_svc) with a
 * stand-in per-message step on an in-memory site: a group is one commit
 * and every item is stored; a message whose step fails sinks its group,
 * after which every other message is stored in a transaction of its own
 * and the failed one is left unstored with nothing of it written; an empty
 * group commits nothing; start and stop are audited with the counts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "service/listen_svc.h"

static mrt_session *s;
static int calls;

static int setup(void **state)
{
	(void)state;
	mrt_err err = {0};
	struct mrt_session_opts o = {.db_path = ":memory:", .create = 1};
	return mrt_session_open(&s, &o, &err);
}

static int teardown(void **state)
{
	(void)state;
	mrt_session_close(s);
	s = NULL;
	return 0;
}

static int64_t count(const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t n = -1;
	if (sqlite3_prepare_v2(mrt_db_sqlite(mrt_session_db(s)), sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Writes one audit event named after the message, then fails for "FAIL". */
static int step(mrt_session *ss, const char *msg, size_t len, const char *channel,
		struct hl7_apply_result *res, mrt_err *err)
{
	char id[32];
	calls++;
	snprintf(id, sizeof id, "%.*s", (int)len, msg);
	memset(res, 0, sizeof *res);
	mrt_buf_init(&res->ack, 1024);
	struct mrt_audit_rec a = {
	    .action = "test.step", .object_type = "msg", .object_id = id, .detail = channel};
	int rc = mrt_session_audit(ss, &a, err);
	if (rc == 0 && strcmp(id, "FAIL") == 0)
		rc = mrt_err_set(err, MRT_EDB, "step failed");
	if (rc == 0)
		rc = mrt_buf_adds(&res->ack, id);
	memcpy(res->ack_code, "AA", 3);
	return rc;
}

static void fill(struct listen_item *it, const char *const *msgs, size_t n)
{
	memset(it, 0, sizeof *it * n);
	for (size_t i = 0; i < n; i++) {
		it[i].msg = msgs[i];
		it[i].len = strlen(msgs[i]);
		it[i].channel = "mllp:test";
	}
}

static void group_is_one_commit(void **state)
{
	(void)state;
	static const char *const msgs[] = {"M1", "M2", "M3", "M4", "M5"};
	struct listen_item it[5];
	fill(it, msgs, 5);
	uint64_t commits = 0;
	mrt_err err = {0};
	calls = 0;
	assert_int_equal(listen_svc_apply_batch(s, step, it, 5, &commits, &err), 0);
	assert_int_equal(commits, 1);
	assert_int_equal(calls, 5);
	for (int i = 0; i < 5; i++) {
		assert_true(it[i].stored);
		assert_string_equal(it[i].res.ack.ptr, msgs[i]);
		listen_svc_item_free(&it[i]);
	}
	assert_int_equal(count("SELECT count(*) FROM audit_event WHERE action = 'test.step'"), 5);
	assert_false(mrt_db_in_transaction(mrt_session_db(s)));
}

static void failed_message_is_isolated(void **state)
{
	(void)state;
	static const char *const msgs[] = {"A1", "A2", "FAIL", "A4"};
	struct listen_item it[4];
	fill(it, msgs, 4);
	uint64_t commits = 0;
	mrt_err err = {0};
	int64_t before = count("SELECT count(*) FROM audit_event");
	calls = 0;
	assert_int_equal(listen_svc_apply_batch(s, step, it, 4, &commits, &err), MRT_EDB);
	assert_non_null(strstr(err.msg, "step failed"));
	/* The group (3 calls, stopped at the failure), then each alone. */
	assert_int_equal(calls, 3 + 4);
	assert_int_equal(commits, 3);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(it[i].stored, i != 2);
		if (i != 2)
			assert_string_equal(it[i].res.ack.ptr, msgs[i]);
		listen_svc_item_free(&it[i]);
	}
	assert_int_equal(count("SELECT count(*) FROM audit_event") - before, 3);
	assert_int_equal(count("SELECT count(*) FROM audit_event WHERE object_id = 'FAIL'"), 0);
	assert_false(mrt_db_in_transaction(mrt_session_db(s)));
}

static void empty_group(void **state)
{
	(void)state;
	uint64_t commits = 0;
	mrt_err err = {0};
	calls = 0;
	assert_int_equal(listen_svc_apply_batch(s, step, NULL, 0, &commits, &err), 0);
	assert_int_equal(commits, 0);
	assert_int_equal(calls, 0);
}

static void start_and_stop_audited(void **state)
{
	(void)state;
	mrt_err err = {0};
	assert_int_equal(listen_svc_start(s, "127.0.0.1:2575", &err), 0);
	struct listen_counts c = {
	    .messages = 7, .aa = 5, .ae = 1, .ar = 1, .commits = 3, .connections = 2};
	assert_int_equal(listen_svc_stop(s, "127.0.0.1:2575", &c, &err), 0);
	assert_int_equal(count("SELECT count(*) FROM audit_event WHERE action = 'hl7.listen'"
			       " AND object_id = '127.0.0.1:2575'"),
			 2);
	assert_int_equal(count("SELECT count(*) FROM audit_event WHERE action = 'hl7.listen'"
			       " AND detail LIKE 'stop: 7 messages (5 AA, 1 AE, 1 AR, 0 duplicates,"
			       " 0 not stored) in 3 commits over 2 connections'"),
			 1);
	assert_int_equal(count("PRAGMA synchronous"), 2); /* FULL */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(group_is_one_commit, setup, teardown),
	    cmocka_unit_test_setup_teardown(failed_message_is_isolated, setup, teardown),
	    cmocka_unit_test_setup_teardown(empty_group, setup, teardown),
	    cmocka_unit_test_setup_teardown(start_and_stop_audited, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
