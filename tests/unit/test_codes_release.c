/*
 * Unit tests for src/codes/release (version parsing, fiscal-year dates, the
 * October release cut short by an April update, the release in effect on a
 * date), src/codes/lookup (the in-memory code index) and the code
 * spelling and chapter helpers of src/codes/show.
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

#include "base/date.h"
#include "codes/lookup.h"
#include "codes/release.h"
#include "codes/show.h"

static void fmt2(const char *version, int has_april, char from[MRT_DATE_LEN], char to[MRT_DATE_LEN])
{
	mrt_day f, t;
	assert_int_equal(codes_release_dates(version, has_april, &f, &t), 0);
	mrt_date_format(from, f);
	mrt_date_format(to, t);
}

static void test_versions_and_dates(void **state)
{
	(void)state;
	int fy, april;
	assert_int_equal(codes_version_parse("2026", &fy, &april), 0);
	assert_int_equal(fy, 2026);
	assert_false(april);
	assert_int_equal(codes_version_parse("2026-04", &fy, &april), 0);
	assert_true(april);
	assert_int_equal(codes_version_parse("2026-10", &fy, &april), MRT_EINVAL);
	assert_int_equal(codes_version_parse("FY26", &fy, &april), MRT_EINVAL);
	assert_int_equal(codes_version_parse("", &fy, &april), MRT_EINVAL);
	char f[MRT_DATE_LEN], t[MRT_DATE_LEN];
	fmt2("2026", 0, f, t);
	assert_string_equal(f, "2025-10-01");
	assert_string_equal(t, "2026-09-30");
	fmt2("2026", 1, f, t);
	assert_string_equal(t, "2026-03-31");
	fmt2("2024-04", 0, f, t);
	assert_string_equal(f, "2024-04-01");
	assert_string_equal(t, "2024-09-30");
	assert_true(codes_system_valid("icd10cm"));
	assert_false(codes_system_valid("icd9cm"));
}

static mrt_db *temp_db(char path[64])
{
	snprintf(path, 64, "/tmp/mrt-test-release-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	mrt_db *db = NULL;
	mrt_err err = { 0 };
	assert_int_equal(mrt_db_open(&db, path, MRT_DB_CREATE, &err), 0);
	return db;
}

static void drop_db(mrt_db *db, const char *path)
{
	mrt_db_close(db);
	char p[80];
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

static void on(mrt_db *db, const char *date, const char *want_version)
{
	mrt_day d;
	struct codes_release r;
	mrt_err err = { 0 };
	assert_int_equal(mrt_date_parse(&d, date), 0);
	int rc = codes_release_on(db, "icd10cm", d, &r, &err);
	if (!want_version) {
		assert_int_equal(rc, MRT_ENOTFOUND);
		return;
	}
	assert_int_equal(rc, 0);
	assert_string_equal(r.version, want_version);
}

static void test_release_rows(void **state)
{
	(void)state;
	char path[64];
	mrt_db *db = temp_db(path);
	mrt_err err = { 0 };
	int64_t id, id2;
	int created;
	assert_int_equal(codes_release_ensure(db, "icd10cm", "2026", "tester", &id, &created, &err), 0);
	assert_true(created);
	assert_int_equal(codes_release_ensure(db, "icd10cm", "2026", "tester", &id2, &created, &err), 0);
	assert_false(created);
	assert_int_equal(id, id2);
	assert_int_equal(codes_release_ensure(db, "icd10cm", "2025", "tester", &id2, &created, &err), 0);
	on(db, "2025-09-30", "2025");
	on(db, "2025-10-01", "2026");
	on(db, "2026-04-01", "2026");
	on(db, "2026-10-01", NULL);
	on(db, "2024-09-30", NULL);
	/* An April update cuts the October release short. */
	assert_int_equal(codes_release_ensure(db, "icd10cm", "2026-04", "tester", &id2, &created, &err), 0);
	struct codes_release r;
	assert_int_equal(codes_release_find(db, "icd10cm", "2026", &r, &err), 0);
	assert_string_equal(r.effective_to, "2026-03-31");
	on(db, "2026-03-31", "2026");
	on(db, "2026-04-01", "2026-04");
	on(db, "2026-09-30", "2026-04");
	mrt_day late;
	assert_int_equal(mrt_date_parse(&late, "2027-01-15"), 0);
	assert_int_equal(codes_release_newest_by(db, "icd10cm", late, &r, &err), 0);
	assert_string_equal(r.version, "2026-04");
	assert_int_equal(mrt_date_parse(&late, "2024-01-15"), 0);
	assert_int_equal(codes_release_newest_by(db, "icd10cm", late, &r, &err), MRT_ENOTFOUND);
	assert_int_equal(codes_release_ensure(db, "icd9cm", "2026", "tester", &id2, &created, &err), MRT_EINVAL);
	assert_int_equal(codes_release_ensure(db, "icd10cm", "26", "tester", &id2, &created, &err), MRT_EINVAL);
	struct codes_release *list = NULL;
	size_t n = 0;
	assert_int_equal(codes_release_list(db, &list, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_string_equal(list[0].version, "2025");
	assert_string_equal(list[2].version, "2026-04");
	free(list);
	drop_db(db, path);
}

static void test_lookup(void **state)
{
	(void)state;
	const char *codes[] = { "E11", "E11A", "E119", "S33121", "S33121A", "0016070", "001" };
	const int billable[] = { 0, 1, 1, 0, 1, 1, 0 };
	const char *titles[] = { "Type 2 diabetes mellitus", "In remission", "Without complications",
	                         "Dislocation", "Dislocation, initial", "Bypass", "CNS, Bypass" };
	codes_lookup *l = NULL;
	mrt_err err = { 0 };
	assert_int_equal(codes_lookup_build(&l, codes, billable, titles, 7, &err), 0);
	assert_int_equal(codes_lookup_count(l), 7);
	const struct codes_entry *e = codes_lookup_find(l, "E11A");
	assert_non_null(e);
	assert_true(e->billable);
	assert_string_equal(codes_lookup_long_title(l, e), "In remission");
	const struct codes_entry *p = codes_lookup_parent(l, e);
	assert_non_null(p);
	char code[8];
	codes_lookup_code(p, code);
	assert_string_equal(code, "E11");
	assert_null(codes_lookup_parent(l, p));
	e = codes_lookup_find(l, "S33121A");
	codes_lookup_code(codes_lookup_parent(l, e), code);
	assert_string_equal(code, "S33121");
	e = codes_lookup_find(l, "0016070");
	codes_lookup_code(codes_lookup_parent(l, e), code);
	assert_string_equal(code, "001");
	assert_null(codes_lookup_find(l, "E11.A"));
	assert_null(codes_lookup_find(l, "E1"));
	assert_null(codes_lookup_find(l, "E11A0"));
	assert_null(codes_lookup_find(l, "S33121AX"));
	assert_null(codes_lookup_find(l, "S33121AXY")); /* longer than a key holds */
	assert_null(codes_lookup_find(l, ""));
	codes_lookup_free(l);
	const char *dup[] = { "A00", "A00" };
	assert_int_equal(codes_lookup_build(&l, dup, billable, titles, 2, &err), MRT_EEXIST);
	assert_null(l);
}

static void chapter_is(const char *system, const char *code, const char *num)
{
	json_t *c = codes_chapter_json(system, code);
	if (!num) {
		assert_null(c);
		return;
	}
	assert_non_null(c);
	assert_string_equal(json_string_value(json_object_get(c, "number")), num);
	json_decref(c);
}

static void test_spelling_and_chapters(void **state)
{
	(void)state;
	char code[8], dotted[16];
	assert_int_equal(codes_normalize("e11.a", code), 0);
	assert_string_equal(code, "E11A");
	assert_int_equal(codes_normalize(" S33.121A", code), 0);
	assert_string_equal(code, "S33121A");
	assert_int_equal(codes_normalize("E1", code), MRT_EINVAL);
	assert_int_equal(codes_normalize("S33121AX", code), MRT_EINVAL);
	assert_int_equal(codes_normalize("E11-A", code), MRT_EINVAL);
	codes_dotted("icd10cm", "S33121A", dotted);
	assert_string_equal(dotted, "S33.121A");
	codes_dotted("icd10cm", "A00", dotted);
	assert_string_equal(dotted, "A00");
	codes_dotted("icd10pcs", "0016070", dotted);
	assert_string_equal(dotted, "0016070");
	chapter_is("icd10cm", "A000", "1");
	chapter_is("icd10cm", "D500", "3");
	chapter_is("icd10cm", "H601", "8");
	chapter_is("icd10cm", "O9A11", "15");
	chapter_is("icd10cm", "QA0", "17");
	chapter_is("icd10cm", "T7432XA", "19");
	chapter_is("icd10cm", "U071", "22");
	chapter_is("icd10cm", "Z992", "21");
	chapter_is("icd10pcs", "0016070", "0");
	chapter_is("icd10pcs", "BW00ZZZ", "B");
	chapter_is("icd10pcs", "XW033E5", "X");
	chapter_is("icd10pcs", "E00", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_versions_and_dates),
		cmocka_unit_test(test_release_rows),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_spelling_and_chapters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
