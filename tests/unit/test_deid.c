/*
 * Unit tests for the de-identification rules (privacy/deid.c): years of
 * dates and timestamps, ages at 89/90 and on 29 February, "90+", days and
 * hours, ZIP3 with the restricted prefixes and with empty, short, ZIP+4 and
 * foreign codes; the restricted-ZIP3 list file (the shipped one has the 17
 * prefixes of the HHS guidance; header errors; the newest list in effect
 * on a date is chosen); and data use agreements on an in-memory site
 * (required fields, a past expiry refused, active until its expiry day,
 * ended once, never changed by SQL); an extract of hand-made patients
 * (a 90-year-old born on 29 February in a restricted ZIP3 area, a short
 * ZIP, a transfer outside any admission, a merged record, a patient who
 * died at 59) holds exactly the generalised values.
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
#include "service/export_deid.h"

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

static const char chart_sql[] =
    "INSERT INTO patient (id, mrn, status, family, given, birth_date, sex, address_line, city,"
    " state, postal_code, phone_home, deceased, death_at, source, created_at, updated_at) VALUES"
    " (1, 'MRN-A1', 'active', 'Quill', 'Ada', '1936-02-29', 'F', '1 Elm St', 'Claremont', 'NH',"
    "  '03601-1234', '603-555-0101', 0, NULL, 't', 'x', 'x'),"
    " (2, 'MRN-B2', 'active', 'Brook', 'Bea', '1980-06-15', 'F', '2 Oak St', 'Waltham', 'MA',"
    "  '2451', NULL, 0, NULL, 't', 'x', 'x'),"
    " (3, 'MRN-C3', 'merged', 'Cole', 'Cy', '1970-01-01', 'M', NULL, NULL, 'MA', '02139', NULL, 0,"
    "  NULL, 't', 'x', 'x'),"
    " (4, 'MRN-D4', 'active', 'Dane', 'Di', '1940-01-01', 'M', NULL, NULL, 'MA', '02139', NULL, 1,"
    "  '1999-12-31T10:00:00', 't', 'x', 'x');"
    "INSERT INTO encounter (id, patient_id, account, class, status, admit_at, discharge_at, facility,"
    " reason, source, created_at, updated_at) VALUES"
    " (10, 1, 'ACC-10', 'inpatient', 'finished', '2000-05-01T08:00', '2000-05-04T09:00', 'Hosp A',"
    "  'fell at home', 't', 'x', 'x'),"
    " (11, 1, 'ACC-11', 'inpatient', 'finished', '2026-03-01T08:00', '2026-03-02T08:00', NULL, NULL,"
    "  't', 'x', 'x'),"
    " (12, 3, 'ACC-12', 'outpatient', 'finished', '2020-01-01', '2020-01-01', NULL, NULL, 't', 'x',"
    "  'x'),"
    " (13, 4, 'ACC-13', 'inpatient', 'finished', '1999-12-01T08:00', '1999-12-31T08:00', NULL, NULL,"
    "  't', 'x', 'x');"
    "INSERT INTO transfer (patient_id, encounter_id, source_ref, event, unit, in_at, out_at, source,"
    " created_at) VALUES (2, NULL, 'T1', 'ED', 'Emergency', '2025-01-01T10:00', '2025-01-01T16:30',"
    " 't', 'x'), (1, 10, 'T2', 'admit', 'MICU', '2000-05-01T08:00', '2000-05-03T08:00', 't', 'x');";

/* The file's lines after the header, each as text. */
static int read_lines(const char *dir, const char *name, char lines[][256], int max)
{
	char path[1200];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char buf[256];
	int n = -1;
	while (fgets(buf, sizeof buf, f)) {
		buf[strcspn(buf, "\n")] = '\0';
		if (n >= 0 && n < max)
			memcpy(lines[n], buf, sizeof buf);
		n++;
	}
	fclose(f);
	return n;
}

/* The line's text after the first column (the surrogate). */
static const char *after_id(const char *line)
{
	const char *c = strchr(line, ',');
	return c ? c + 1 : "";
}

static void hand_made_extract(void **state)
{
	(void)state;
	const char *src = getenv("MRT_SOURCE_DIR");
	if (!src)
		skip();
	mrt_err err = {0};
	assert_int_equal(sqlite3_exec(mrt_db_sqlite(mrt_session_db(s)), chart_sql, 0, 0, 0),
			 SQLITE_OK);
	char dir[] = "/tmp/test_deid_x.XXXXXX", zip3[1024];
	assert_non_null(mkdtemp(dir));
	snprintf(zip3, sizeof zip3, "%s/share/deid/restricted-zip3-census2000.tsv", src);
	struct export_deid_opts o = {
	    .method = EXPORT_DEID_SAFE_HARBOR, .out_dir = dir, .zip3_file = zip3};
	json_t *rep = NULL;
	assert_int_equal(export_deid(s, &o, &rep, &err), 0);
	json_decref(rep);
	char l[8][256];
	assert_int_equal(read_lines(dir, "patients.csv", l, 8), 3);
	/* 90 on the extract date (29 February 1936): no birth year, 90+, ZIP3 000 */
	assert_string_equal(after_id(l[0]), "F,,90+,0,,,,,,NH,000,");
	/* a four-digit ZIP is dropped */
	assert_string_equal(after_id(l[1]), "F,1980,46,0,,,,,,MA,,");
	/* died at 59 in 1999; would be 86 now: birth year kept */
	assert_string_equal(after_id(l[2]), "M,1940,59,1,1999,,,,,MA,021,");
	assert_int_equal(read_lines(dir, "encounters.csv", l, 8), 3);
	/* the 90+ patient: at 64 the age is withheld, at 90 it is 90+ */
	assert_non_null(strstr(l[0], ",inpatient,finished,2000,2000,3,,"));
	assert_non_null(strstr(l[1], ",inpatient,finished,2026,2026,1,90+,"));
	assert_non_null(strstr(l[2], ",inpatient,finished,1999,1999,30,59,"));
	assert_int_equal(read_lines(dir, "transfers.csv", l, 8), 2);
	/* in patient order; outside any admission: no encounter; 6.5 h -> 6 */
	assert_non_null(strstr(l[0], ",admit,MICU,2000,2000,48"));
	assert_int_equal(l[1][0], ',');
	assert_non_null(strstr(l[1], ",ED,Emergency,2025,2025,6"));
	/* nothing identifying in any file */
	static const char *const names[] = {"patients.csv", "encounters.csv", "transfers.csv",
					    "README.txt", "manifest.json"};
	static const char *const secrets[] = {"MRN-", "ACC-", "Quill", "Elm", "Claremont",
					      "555-0101", "Hosp A", "fell", "03601", "2000-05"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char path[1200], buf[8192];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		FILE *f = fopen(path, "r");
		assert_non_null(f);
		size_t n = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
		buf[n] = '\0';
		for (size_t k = 0; k < sizeof secrets / sizeof secrets[0]; k++)
			assert_null(strstr(buf, secrets[k]));
		unlink(path);
	}
	static const char *const rest[] = {"diagnoses.csv", "procedures.csv", "services.csv",
					   "drgs.csv"};
	for (size_t i = 0; i < sizeof rest / sizeof rest[0]; i++) {
		char path[1200];
		snprintf(path, sizeof path, "%s/%s", dir, rest[i]);
		unlink(path);
	}
	assert_int_equal(rmdir(dir), 0);
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
	    cmocka_unit_test_setup_teardown(hand_made_extract, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
