/*
 * What the service tests on an in-memory site share (test_mandated.c,
 * test_requests.c, test_roi.c, test_queue.c): the session `s` every test
 * of the program works on, opened by setup and closed by teardown, the raw
 * SQLite handle for planting rows and triggers, count(SQL) for the checks
 * and day(TEXT) for dates. Include after cmocka.h, once per test program.
 */
#ifndef MRT_TESTS_UNIT_TEST_UTIL_H
#define MRT_TESTS_UNIT_TEST_UTIL_H

#include <stdint.h>
#include <stdlib.h>

#include <sqlite3.h>

#include "base/date.h"
#include "service/session.h"
#include "store/db.h"

static mrt_session *s;
static int tu_today_set;

/* A date of the test's text, asserted valid. */
static inline mrt_day day(const char *v)
{
	mrt_day d = 0;
	assert_int_equal(mrt_date_parse(&d, v), 0);
	return d;
}

static inline sqlite3 *raw(void)
{
	return mrt_db_sqlite(mrt_session_db(s));
}

/* The first column of the first row of sql (a count), -1 on failure. */
static inline int64_t count(const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t n = -1;
	if (sqlite3_prepare_v2(raw(), sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Opens s on a new in-memory site (purpose: the session's purpose of use,
 * NULL for the default); with today, pins MRT_TODAY to it until
 * tu_site_close. */
static inline int tu_site_open(const char *today, const char *purpose)
{
	mrt_err err = { 0 };
	if (today) {
		setenv("MRT_TODAY", today, 1);
		tu_today_set = 1;
	}
	struct mrt_session_opts o = { .db_path = ":memory:", .create = 1, .purpose = purpose };
	return mrt_session_open(&s, &o, &err);
}

/* A cmocka teardown: closes s (and unpins MRT_TODAY). */
static inline int tu_site_close(void **state)
{
	(void)state;
	mrt_session_close(s);
	s = NULL;
	if (tu_today_set)
		unsetenv("MRT_TODAY");
	tu_today_set = 0;
	return 0;
}

#endif
