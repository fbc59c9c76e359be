/*
 * Unit tests for src/store: creation and migration, refusal of newer or
 * foreign databases, STRICT tables and foreign keys, nested transactions,
 * the statement cache.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store/db.h"
#include "store/migrate.h"

static char dir[256];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/mrt-test-store-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[512];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void path_of(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

static void test_create_and_reopen(void **state)
{
	(void)state;
	char path[300];
	path_of(path, sizeof path, "a.db");
	mrt_err err = { 0 };
	mrt_db *db = NULL;
	assert_int_equal(mrt_db_open(&db, path, 0, &err), MRT_ENOTFOUND);
	assert_non_null(strstr(err.msg, "mrt init"));
	assert_int_equal(mrt_db_open(&db, path, MRT_DB_CREATE, &err), 0);
	assert_true(mrt_db_created(db));
	assert_int_equal(mrt_db_schema_version(db), mrt_schema_latest());
	char id[64];
	snprintf(id, sizeof id, "%s", mrt_db_id(db));
	assert_int_equal(strlen(id), 32);
	mrt_db_close(db);
	assert_int_equal(mrt_db_open(&db, path, 0, &err), 0);
	assert_false(mrt_db_created(db));
	assert_string_equal(mrt_db_id(db), id); /* the id is stable */
	mrt_stmt *st = mrt_db_stmt(db, "PRAGMA journal_mode", &err);
	assert_non_null(st);
	assert_int_equal(mrt_stmt_step(st, &err), 1);
	assert_string_equal(mrt_stmt_text(st, 0), "wal");
	st = mrt_db_stmt(db, "PRAGMA foreign_keys", &err);
	assert_int_equal(mrt_stmt_step(st, &err), 1);
	assert_int_equal(mrt_stmt_int(st, 0), 1);
	mrt_db_close(db);
}

static void test_newer_and_foreign_refused(void **state)
{
	(void)state;
	char path[300];
	path_of(path, sizeof path, "newer.db");
	mrt_err err = { 0 };
	mrt_db *db = NULL;
	assert_int_equal(mrt_db_open(&db, path, MRT_DB_CREATE, &err), 0);
	mrt_db_close(db);
	sqlite3 *h;
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "PRAGMA user_version=999", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	assert_int_equal(mrt_db_open(&db, path, 0, &err), MRT_EVERSION);
	assert_null(db);
	assert_non_null(strstr(err.msg, "newer mrt"));
	assert_non_null(strstr(err.msg, "999"));

	path_of(path, sizeof path, "foreign.db");
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	assert_int_equal(mrt_db_open(&db, path, 0, &err), MRT_EVERSION);
	assert_non_null(strstr(err.msg, "not an mrt database"));

	path_of(path, sizeof path, "garbage.db");
	FILE *f = fopen(path, "w");
	fputs("this is not a database file, not even close, padding padding padding padding", f);
	fclose(f);
	assert_true(mrt_db_open(&db, path, 0, &err) < 0);
	assert_null(db);
}

static int64_t count_meta(mrt_db *db)
{
	mrt_err err;
	mrt_stmt *st = mrt_db_stmt(db, "SELECT count(*) FROM meta", &err);
	assert_int_equal(mrt_stmt_step(st, &err), 1);
	int64_t n = mrt_stmt_int(st, 0);
	mrt_stmt_reset(st);
	return n;
}

static void test_transactions_and_strict(void **state)
{
	(void)state;
	char path[300];
	path_of(path, sizeof path, "tx.db");
	mrt_err err = { 0 };
	mrt_db *db = NULL;
	assert_int_equal(mrt_db_open(&db, path, MRT_DB_CREATE, &err), 0);
	static const char ins[] = "INSERT INTO meta(key, value) VALUES (?, ?)";
	int64_t before = count_meta(db);

	/* Committed outer transaction with an inner one. */
	assert_int_equal(mrt_db_begin(db, &err), 0);
	mrt_stmt *st = mrt_db_stmt(db, ins, &err);
	mrt_stmt_bind_text(st, 1, "k1");
	mrt_stmt_bind_text(st, 2, "v1");
	assert_int_equal(mrt_stmt_run(st, &err), 0);
	assert_int_equal(mrt_db_begin(db, &err), 0);
	assert_int_equal(mrt_db_commit(db, &err), 0);
	assert_true(mrt_db_in_transaction(db));
	assert_int_equal(mrt_db_commit(db, &err), 0);
	assert_int_equal(count_meta(db), before + 1);

	/* An inner rollback dooms the outer transaction. */
	assert_int_equal(mrt_db_begin(db, &err), 0);
	st = mrt_db_stmt(db, ins, &err);
	mrt_stmt_bind_text(st, 1, "k2");
	mrt_stmt_bind_text(st, 2, "v2");
	assert_int_equal(mrt_stmt_run(st, &err), 0);
	assert_int_equal(mrt_db_begin(db, &err), 0);
	mrt_db_rollback(db);
	assert_int_equal(mrt_db_commit(db, &err), MRT_EDB);
	assert_int_equal(count_meta(db), before + 1);

	/* Constraint violations are MRT_EEXIST with SQLite's message. */
	st = mrt_db_stmt(db, ins, &err);
	mrt_stmt_bind_text(st, 1, "k1");
	mrt_stmt_bind_text(st, 2, "again");
	assert_int_equal(mrt_stmt_run(st, &err), MRT_EEXIST);
	assert_non_null(strstr(err.msg, "UNIQUE"));

	/* STRICT: a text value in an INTEGER column is refused. */
	assert_int_not_equal(
		mrt_db_exec(db, "INSERT INTO code_release(system, version, effective_from, effective_to,"
		                " loaded_at, loaded_by) VALUES ('icd10cm','x','a','b','c','d');"
		                "INSERT INTO code(release_id, code, billable, short_title, long_title)"
		                " VALUES ('not a number','A00',0,'t','t')", &err),
		0);
	/* Foreign keys are enforced. */
	assert_int_not_equal(mrt_db_exec(db, "INSERT INTO code(release_id, code, billable, short_title,"
	                                     " long_title) VALUES (424242,'A00',0,'t','t')", &err),
	                     0);
	assert_non_null(strstr(err.msg, "FOREIGN KEY"));

	/* The cache hands back the same statement for the same SQL string. */
	mrt_stmt *a = mrt_db_stmt(db, ins, &err), *b = mrt_db_stmt(db, ins, &err);
	assert_ptr_equal(a, b);
	assert_null(mrt_db_stmt(db, "SELEKT nonsense", &err));
	assert_int_equal(err.code, MRT_EDB);
	mrt_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_and_reopen),
		cmocka_unit_test(test_newer_and_foreign_refused),
		cmocka_unit_test(test_transactions_and_strict),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
