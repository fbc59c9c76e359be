/*
 * Unit tests for src/codes/load: file names to (system, version, kind),
 * discovery in folders and zips (a plain file wins over the same member),
 * and loads of small hand-made releases into a temporary database - codes
 * and parents, the codes-file and addenda cross-checks, "unchanged" on the
 * same files, a changed file refused without --replace and replaced with it.
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
#include <zip.h>

#include "base/hash.h"
#include "codes/load.h"
#include "codes/lookup.h"
#include "codes/release.h"

static void classify_is(const char *name, const char *context, const char *sys, const char *ver,
                        enum codes_kind kind)
{
	struct codes_file f;
	memset(&f, 0, sizeof f);
	int rc = codes_classify(name, context, NULL, &f);
	if (!sys) {
		assert_int_equal(rc, MRT_ENOTFOUND);
		return;
	}
	assert_int_equal(rc, 0);
	assert_string_equal(f.system, sys);
	assert_string_equal(f.version, ver);
	assert_int_equal(f.kind, kind);
}

static void test_classify(void **state)
{
	(void)state;
	classify_is("icd10cm_order_2026.txt", NULL, "icd10cm", "2026", CK_ORDER);
	classify_is("icd10cm_codes_addenda_2025.txt", NULL, "icd10cm", "2025", CK_CODES_ADDENDA);
	classify_is("icd10pcs_order_2026.txt", NULL, "icd10pcs", "2026", CK_ORDER);
	classify_is("order_addenda_2026.txt", "/data/icd10pcs/fy2026", "icd10pcs", "2026", CK_ORDER_ADDENDA);
	classify_is("order_addenda_2026.txt", "/data/misc", NULL, NULL, CK_ORDER);
	classify_is("icd10pcs_tables_2025.xml", NULL, "icd10pcs", "2025", CK_PCS_TABLES);
	classify_is("icd-10-cm-drug-2025.xml", NULL, "icd10cm", "2025", CK_DRUG);
	classify_is("icd10cm-neoplasm-2025.xml", NULL, "icd10cm", "2025", CK_NEOPLASM);
	classify_is("icd10cm_tabular_2023.xml", NULL, "icd10cm", "2023", CK_TABULAR);
	classify_is("icd10cm_order_2026_April.txt", NULL, "icd10cm", "2026-04", CK_ORDER);
	classify_is("icd10cm_order.txt", NULL, NULL, NULL, CK_ORDER);
	classify_is("icd10OrderFiles.pdf", NULL, NULL, NULL, CK_ORDER);
	struct codes_file f;
	memset(&f, 0, sizeof f);
	assert_int_equal(codes_classify("order_addenda_2026.txt", NULL, "icd10cm", &f), 0);
	assert_string_equal(f.system, "icd10cm");
}

static char dir[64];

static void put(const char *name, const char *text)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static const char order1[] =
	"00001 A00     0 Cholera                                                      Cholera\r\n"
	"00002 A000    1 Cholera due to Vibrio cholerae 01, biovar cholerae           Cholera due to Vibrio cholerae 01, biovar cholerae\r\n"
	"00003 A001    1 Cholera due to Vibrio cholerae 01, biovar eltor              Cholera due to Vibrio cholerae 01, biovar eltor\r\n"
	"00004 S33121  0 Dislocation of L2/L3 lumbar vertebra                         Dislocation of L2/L3 lumbar vertebra\r\n"
	"00005 S33121A 1 Dislocation of L2/L3 lumbar vertebra, initial encounter      Dislocation of L2/L3 lumbar vertebra, initial encounter\r\n";
static const char codes1[] =
	"A000    Cholera due to Vibrio cholerae 01, biovar cholerae\r\n"
	"A001    Cholera due to Vibrio cholerae 01, biovar eltor\r\n"
	"S33121A Dislocation of L2/L3 lumbar vertebra, initial encounter\r\n";

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/mrt-test-load-XXXXXX");
	assert_non_null(mkdtemp(dir));
	mrt_err err = { 0 };
	assert_int_equal(mrt_hash_init(&err), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int load(mrt_db *db, const char *path, int replace, json_t **rep, mrt_err *err)
{
	const char *paths[1] = { path };
	struct codes_file *files = NULL;
	size_t n = 0;
	*rep = NULL;
	int rc = codes_discover(paths, 1, NULL, &files, &n, err);
	if (rc)
		return rc;
	assert_int_equal(mrt_db_begin(db, err), 0);
	struct codes_load_opts o = { .replace = replace, .user = "tester" };
	rc = codes_load_files(db, files, n, &o, rep, err);
	if (rc)
		mrt_db_rollback(db);
	else
		assert_int_equal(mrt_db_commit(db, err), 0);
	free(files);
	return rc;
}

static const char *action(json_t *rep)
{
	return json_string_value(json_object_get(json_array_get(rep, 0), "action"));
}

static void test_discover_zip(void **state)
{
	(void)state;
	char zp[256], sub[128];
	snprintf(sub, sizeof sub, "%s/zipped", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	snprintf(zp, sizeof zp, "%s/2026-code-descriptions-tabular-order.zip", sub);
	int zerr = 0;
	zip_t *z = zip_open(zp, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	assert_non_null(z);
	zip_source_t *s1 = zip_source_buffer(z, order1, strlen(order1), 0);
	zip_source_t *s2 = zip_source_buffer(z, codes1, strlen(codes1), 0);
	assert_true(zip_file_add(z, "icd10cm_order_2026.txt", s1, 0) >= 0);
	assert_true(zip_file_add(z, "icd10cm_codes_2026.txt", s2, 0) >= 0);
	assert_int_equal(zip_close(z), 0);
	put("zipped/icd10cm_codes_2026.txt", codes1);
	put("zipped/readme.txt", "not a release file\n");
	const char *paths[1] = { sub };
	struct codes_file *files = NULL;
	size_t n = 0;
	mrt_err err = { 0 };
	assert_int_equal(codes_discover(paths, 1, NULL, &files, &n, &err), 0);
	assert_int_equal(n, 2);
	for (size_t i = 0; i < n; i++) {
		if (files[i].kind == CK_CODES)
			assert_false(files[i].in_zip); /* the plain file wins */
		else
			assert_string_equal(files[i].name, "2026-code-descriptions-tabular-order.zip#icd10cm_order_2026.txt");
	}
	free(files);
	char bad[200];
	snprintf(bad, sizeof bad, "%s/readme.txt", sub);
	paths[0] = bad;
	assert_int_equal(codes_discover(paths, 1, NULL, &files, &n, &err), MRT_EINVAL);
	assert_non_null(strstr(err.msg, "not a release file"));
}

static void test_load_cycle(void **state)
{
	(void)state;
	char dbp[128], sub[128];
	snprintf(dbp, sizeof dbp, "%s/t.db", dir);
	snprintf(sub, sizeof sub, "%s/fy2026", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	put("fy2026/icd10cm_order_2026.txt", order1);
	put("fy2026/icd10cm_codes_2026.txt", codes1);
	put("fy2026/icd10cm_codes_addenda_2026.txt",
	    "Add:         S33121A Dislocation of L2/L3 lumbar vertebra, initial encounter\r\n"
	    "Delete:      A009    Cholera, unspecified\r\n");
	mrt_db *db = NULL;
	mrt_err err = { 0 };
	json_t *rep = NULL;
	assert_int_equal(mrt_db_open(&db, dbp, MRT_DB_CREATE, &err), 0);
	assert_int_equal(load(db, sub, 0, &rep, &err), 0);
	assert_string_equal(action(rep), "loaded");
	json_decref(rep);
	struct codes_release r;
	assert_int_equal(codes_release_find(db, "icd10cm", "2026", &r, &err), 0);
	assert_int_equal(r.codes, 5);
	assert_int_equal(r.billable, 3);
	assert_string_equal(r.effective_from, "2025-10-01");
	/* The in-memory index built from the stored release. */
	codes_lookup *l = NULL;
	assert_int_equal(codes_lookup_load(db, r.id, &l, &err), 0);
	assert_int_equal(codes_lookup_count(l), 5);
	const struct codes_entry *e = codes_lookup_find(l, "S33121A");
	assert_non_null(e);
	assert_true(e->billable);
	assert_string_equal(codes_lookup_short_title(l, e), "Dislocation of L2/L3 lumbar vertebra, initial encounter");
	char code[8];
	codes_lookup_code(codes_lookup_parent(l, e), code);
	assert_string_equal(code, "S33121");
	assert_false(codes_lookup_find(l, "A00")->billable);
	assert_null(codes_lookup_find(l, "A009"));
	codes_lookup_free(l);
	assert_int_equal(load(db, sub, 0, &rep, &err), 0);
	assert_string_equal(action(rep), "unchanged");
	json_decref(rep);
	/* A changed order file: refused, then replaced. */
	char changed[sizeof order1 + 200];
	snprintf(changed, sizeof changed, "%s%s", order1,
	         "00006 S33121D 1 Dislocation of L2/L3 lumbar vertebra, subs encounter         Dislocation of L2/L3 lumbar vertebra, subsequent encounter\r\n");
	put("fy2026/icd10cm_order_2026.txt", changed);
	assert_int_equal(load(db, sub, 0, &rep, &err), MRT_EEXIST);
	assert_non_null(strstr(err.msg, "--replace"));
	/* Replaced, but the codes file no longer lists every billable code. */
	assert_int_equal(load(db, sub, 1, &rep, &err), MRT_EPARSE);
	assert_non_null(strstr(err.msg, "lists 3 codes but the release has 4 billable codes"));
	assert_int_equal(codes_release_find(db, "icd10cm", "2026", &r, &err), 0);
	assert_int_equal(r.codes, 5);
	char codes2[sizeof codes1 + 100];
	snprintf(codes2, sizeof codes2, "%s%s", codes1, "S33121D Dislocation of L2/L3 lumbar vertebra, subsequent encounter\r\n");
	put("fy2026/icd10cm_codes_2026.txt", codes2);
	assert_int_equal(load(db, sub, 1, &rep, &err), 0);
	assert_string_equal(action(rep), "replaced");
	json_decref(rep);
	assert_int_equal(codes_release_find(db, "icd10cm", "2026", &r, &err), 0);
	assert_int_equal(r.billable, 4);
	/* An addenda that deletes a code the release has. */
	put("fy2026/icd10cm_codes_addenda_2026.txt", "Delete:      A001    Cholera eltor\r\n");
	assert_int_equal(load(db, sub, 1, &rep, &err), MRT_EPARSE);
	assert_non_null(strstr(err.msg, "icd10cm_codes_addenda_2026.txt:1: the addenda delete A001"));
	mrt_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_discover_zip),
		cmocka_unit_test(test_load_cycle),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
