/*
 * Unit tests for the de-identification rules (privacy/deid.c): years of
 * dates and timestamps, ages at 89/90 and on 29 February, "90+", days and
 * hours, ZIP3 with the restricted prefixes and with empty, short, ZIP+4 and
 * foreign codes; the restricted-ZIP3 list file (the shipped one has the 17
 * prefixes of the HHS guidance; header errors; the newest list in effect
 * on a date is chosen); and data use agreements on an in-memory site
 * (required fields, a past expiry refused, active until its expiry day,
 * ended once, never changed by SQL).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "base/hash.h"
#include "privacy/deid.h"
#include "service/dua_svc.h"

static void years(void **state)
{
	(void)state;
	char y[5];
	deid_year(y, "2137-09-02T17:05:00");
	assert_string_equal(y, "2137");
	deid_year(y, "1968-07-31");
	assert_string_equal(y, "1968");
	deid_year(y, NULL);
	assert_string_equal(y, "");
	deid_year(y, "2021-02-30");
	assert_string_equal(y, "");
	deid_year(y, "2021");
	assert_string_equal(y, "");
	deid_year(y, "unknown date");
	assert_string_equal(y, "");
}

static void ages(void **state)
{
	(void)state;
	assert_int_equal(deid_age("1936-11-25", "2026-11-24"), 89);
	assert_int_equal(deid_age("1936-11-25", "2026-11-25"), 90);
	assert_int_equal(deid_age("1936-11-25", "2026-11-25T00:00:01"), 90);
	/* 29 February: birthday on 1 March in common years */
	assert_int_equal(deid_age("2000-02-29", "2001-02-28"), 0);
	assert_int_equal(deid_age("2000-02-29", "2001-03-01"), 1);
	assert_int_equal(deid_age("2000-02-29", "2004-02-29"), 4);
	assert_int_equal(deid_age("1936-02-29", "2026-02-28"), 89);
	assert_int_equal(deid_age("1936-02-29", "2026-03-01"), 90);
	assert_int_equal(deid_age("2020-01-01", "2019-12-31"), -1);
	assert_int_equal(deid_age(NULL, "2019-12-31"), -1);
	assert_int_equal(deid_age("", "2019-12-31"), -1);
	char t[DEID_AGE_LEN];
	deid_age_text(t, 89);
	assert_string_equal(t, "89");
	deid_age_text(t, 90);
	assert_string_equal(t, "90+");
	deid_age_text(t, 117);
	assert_string_equal(t, "90+");
	deid_age_text(t, 0);
	assert_string_equal(t, "0");
	deid_age_text(t, -1);
	assert_string_equal(t, "");
}

static void intervals(void **state)
{
	(void)state;
	assert_int_equal(deid_days("2196-02-24T14:38:00", "2196-03-04T14:02:00"), 9);
	assert_int_equal(deid_days("2024-02-28", "2024-03-01"), 2);
	assert_int_equal(deid_days("2023-02-28", "2023-03-01"), 1);
	assert_int_equal(deid_days("2024-03-01", "2024-02-28"), -1);
	assert_int_equal(deid_days(NULL, "2024-02-28"), -1);
	assert_int_equal(deid_hours("2125-10-01T10:00:00", "2125-10-01T14:59:59"), 4);
	assert_int_equal(deid_hours("1969-12-31T23:00", "1970-01-01 01:30"), 2);
	assert_int_equal(deid_hours("2125-10-01", "2125-10-02T00:00"), -1);
	assert_int_equal(deid_hours("2125-10-01T25:00", "2125-10-02T00:00"), -1);
}

static const char list_text[] = "# a list for tests\n"
				"# source: test\n"
				"# effective: 2012-11-26\n"
				"zip3\tnote\n"
				"036\tNH\n"
				"102\r\n"
				"893\n";

static void zip3_rules(void **state)
{
	(void)state;
	struct deid_zip3 z;
	mrt_err err = {0};
	assert_int_equal(deid_zip3_parse(&z, list_text, strlen(list_text), "t", &err), 0);
	assert_int_equal(z.count, 3);
	assert_string_equal(z.effective, "2012-11-26");
	assert_string_equal(z.source, "test");
	char o[4];
	deid_zip3_of(o, &z, "02451");
	assert_string_equal(o, "024");
	deid_zip3_of(o, &z, "03601");
	assert_string_equal(o, "000");
	deid_zip3_of(o, &z, "10299-1234");
	assert_string_equal(o, "000");
	deid_zip3_of(o, &z, "893011234");
	assert_string_equal(o, "000");
	deid_zip3_of(o, &z, "03701");
	assert_string_equal(o, "037");
	static const char *const dropped[] = {"", "0", "036", "2451", "024511", "0245A",
					      "SW1A 1AA", "02451-12", "K1A 0B1", NULL};
	for (int i = 0; dropped[i]; i++) {
		deid_zip3_of(o, &z, dropped[i]);
		assert_string_equal(o, "");
	}
	deid_zip3_of(o, &z, NULL);
	assert_string_equal(o, "");
}

static void zip3_file_errors(void **state)
{
	(void)state;
	struct deid_zip3 z;
	mrt_err err = {0};
	static const char *const bad[] = {
	    "# source: s\nzip3\n036\n",                             /* no effective */
	    "# effective: 2012-11-26\nzip3\n036\n",                 /* no source */
	    "# source: s\n# effective: 2012-11-31\nzip3\n036\n",    /* bad date */
	    "# source: s\n# effective: 2012-11-26\n036\n",          /* no header */
	    "# source: s\n# effective: 2012-11-26\nzip3\n36\n",     /* two digits */
	    "# source: s\n# effective: 2012-11-26\nzip3\n036\n036\n", /* twice */
	    NULL};
	for (int i = 0; bad[i]; i++) {
		memset(&err, 0, sizeof err);
		assert_int_equal(deid_zip3_parse(&z, bad[i], strlen(bad[i]), "bad.tsv", &err),
				 MRT_EPARSE);
		assert_non_null(strstr(err.msg, "bad.tsv"));
	}
}

static void shipped_list(void **state)
{
	(void)state;
	const char *src = getenv("MRT_SOURCE_DIR");
	if (!src)
		skip();
	char dir[1024];
	snprintf(dir, sizeof dir, "%s/share/deid", src);
	struct deid_zip3 z;
	mrt_err err = {0};
	assert_int_equal(deid_zip3_pick(&z, dir, "2026-11-25", &err), 0);
	assert_int_equal(z.count, 17);
	static const int hhs[] = {36,  59,  63,  102, 203, 556, 692, 790, 821,
				  823, 830, 831, 878, 879, 884, 890, 893};
	int n = 0;
	for (int p = 0; p < 1000; p++)
		n += z.restricted[p];
	assert_int_equal(n, 17);
	for (size_t i = 0; i < sizeof hhs / sizeof hhs[0]; i++)
		assert_int_equal(z.restricted[hhs[i]], 1);
	/* before the list's effective date there is none */
	assert_int_equal(deid_zip3_pick(&z, dir, "2012-11-25", &err), MRT_ENOTFOUND);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void newest_list_in_effect(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_deid.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char a[1100], b[1100], c[1100];
	snprintf(a, sizeof a, "%s/restricted-zip3-2000.tsv", dir);
	snprintf(b, sizeof b, "%s/restricted-zip3-2010.tsv", dir);
	snprintf(c, sizeof c, "%s/other.tsv", dir);
	write_file(a, "# source: census 2000\n# effective: 2012-11-26\nzip3\n036\n");
	write_file(b, "# source: census 2010\n# effective: 2030-01-01\nzip3\n037\n");
	write_file(c, "not a list");
	struct deid_zip3 z;
	mrt_err err = {0};
	assert_int_equal(deid_zip3_pick(&z, dir, "2029-12-31", &err), 0);
	assert_string_equal(z.source, "census 2000");
	assert_int_equal(z.restricted[36], 1);
	assert_int_equal(deid_zip3_pick(&z, dir, "2030-01-01", &err), 0);
	assert_string_equal(z.source, "census 2010");
	assert_int_equal(z.restricted[36], 0);
	assert_int_equal(z.restricted[37], 1);
	assert_int_equal(deid_zip3_load(&z, c, &err), MRT_EPARSE);
	unlink(a);
	unlink(b);
	unlink(c);
	rmdir(dir);
}

static mrt_session *s;

static int setup(void **state)
{
	(void)state;
	mrt_err err = {0};
	setenv("MRT_TODAY", "2026-11-25", 1);
	struct mrt_session_opts o = {.db_path = ":memory:", .create = 1};
	return mrt_session_open(&s, &o, &err);
}

static int teardown(void **state)
{
	(void)state;
	mrt_session_close(s);
	unsetenv("MRT_TODAY");
	return 0;
}

static void agreements(void **state)
{
	(void)state;
	mrt_err err = {0};
	int64_t id = 0;
	struct dua_new n = {.recipient = "University study group",
			    .purpose = "research",
			    .permitted_uses = "readmission study; no linkage",
			    .expires = "2026-11-25"};
	assert_int_equal(dua_svc_add(s, &n, &id, &err), 0);
	assert_true(id > 0);
	mrt_db *db = mrt_session_db(s);
	assert_int_equal(dua_check_active(db, id, "2026-11-25", &err), 0);
	assert_int_equal(dua_check_active(db, id, "2026-11-26", &err), MRT_EACCESS);
	assert_non_null(strstr(err.msg, "expired"));
	assert_int_equal(dua_check_active(db, id + 1, "2026-11-25", &err), MRT_ENOTFOUND);
	struct dua_new past = n;
	past.expires = "2026-11-24";
	int64_t id2 = 0;
	assert_int_equal(dua_svc_add(s, &past, &id2, &err), MRT_EINVAL);
	struct dua_new missing = n;
	missing.permitted_uses = "";
	assert_int_equal(dua_svc_add(s, &missing, &id2, &err), MRT_EINVAL);
	assert_non_null(strstr(err.msg, "--permitted-uses"));
	json_t *rows = NULL;
	assert_int_equal(dua_svc_list(s, 0, &rows, &err), 0);
	assert_int_equal(json_array_size(rows), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "status")),
			    "active");
	json_decref(rows);
	/* an agreement's terms never change, by any SQL */
	sqlite3 *h = mrt_db_sqlite(db);
	assert_int_not_equal(sqlite3_exec(h, "UPDATE dua SET expires_on = '2099-01-01'", 0, 0, 0),
			     SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(h, "DELETE FROM dua", 0, 0, 0), SQLITE_OK);
	assert_int_equal(dua_svc_end(s, id, "study closed", &err), 0);
	assert_int_equal(dua_check_active(db, id, "2026-11-25", &err), MRT_EACCESS);
	assert_non_null(strstr(err.msg, "ended"));
	assert_int_equal(dua_svc_end(s, id, NULL, &err), MRT_EINVAL);
	assert_int_equal(dua_svc_list(s, 0, &rows, &err), 0);
	assert_int_equal(json_array_size(rows), 0);
	json_decref(rows);
	assert_int_equal(dua_svc_list(s, 1, &rows, &err), 0);
	assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "status")),
			    "ended");
	json_decref(rows);
}

int main(void)
{
	mrt_err err = {0};
	if (mrt_hash_init(&err) != 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(years),
	    cmocka_unit_test(ages),
	    cmocka_unit_test(intervals),
	    cmocka_unit_test(zip3_rules),
	    cmocka_unit_test(zip3_file_errors),
	    cmocka_unit_test(shipped_list),
	    cmocka_unit_test(newest_list_in_effect),
	    cmocka_unit_test_setup_teardown(agreements, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
