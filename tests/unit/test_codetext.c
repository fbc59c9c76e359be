/*
 * Unit tests for the code-text store on a temporary database and small
 * hand-made files: tabular loading with codes (create_codes) and the wrong
 * <version>, notes of a code with its ancestors' notes, borrowed by a later
 * release only for codes present in both; the alphabetic index with
 * subterm paths, see / see also followed, a see cycle, suggestions; the
 * Neoplasm table's named columns; search (all words, prefixes, any order);
 * PCS definitions; dropping a release's text.
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

#include "codes/codetext.h"

static char dir[64];
static mrt_db *db;

static const char tabular[] =
	"<ICD10CM.tabular><version>2023</version><chapter><name>4</name>"
	"<desc>Endocrine (E00-E89)</desc><includes><note>endocrine things</note></includes>"
	"<section id=\"E08-E13\"><desc>Diabetes</desc>"
	"<excludes2><note>section note (E20-E35)</note></excludes2>"
	"<diag><name>E11</name><desc>Type 2 diabetes mellitus</desc>"
	"<excludes1><note>diabetes due to underlying condition (E08.-)</note></excludes1>"
	"<diag><name>E11.2</name><desc>Type 2 diabetes mellitus with kidney complications</desc>"
	"<diag><name>E11.22</name><desc>Type 2 diabetes mellitus with diabetic chronic kidney"
	" disease</desc><inclusionTerm><note>Type 2 diabetic nephropathy CKD</note></inclusionTerm>"
	"</diag></diag>"
	"<diag><name>E11.9</name><desc>Type 2 diabetes mellitus without complications</desc></diag>"
	"</diag></section></chapter>"
	"<chapter><name>19</name><desc>Injury</desc><section id=\"S70-S79\"><desc>Hip</desc>"
	"<diag><name>S72</name><desc>Fracture of femur</desc><sevenChrDef>"
	"<extension char=\"A\">initial encounter</extension></sevenChrDef>"
	"<diag><name>S72.0</name><desc>Fracture of neck of femur</desc></diag></diag>"
	"</section></chapter></ICD10CM.tabular>";

static const char index_xml[] =
	"<ICD10CM.index><version>2023</version><letter><title>D</title>"
	"<mainTerm><title>Diabetes, diabetic<nemod>(mellitus)</nemod></title><code>E11.9</code>"
	"<term level=\"1\"><title>type 2</title><code>E11.9</code>"
	"<term level=\"2\"><title>with</title><term level=\"3\"><title>chronic kidney disease</title>"
	"<code>E11.22</code></term></term></term></mainTerm>"
	"<mainTerm><title>Dyabetes</title><see>Diabetes, type 2</see></mainTerm>"
	"<mainTerm><title>Loop one</title><see>Loop two</see></mainTerm>"
	"<mainTerm><title>Loop two</title><seeAlso>Loop one</seeAlso></mainTerm>"
	"</letter></ICD10CM.index>";

static const char neoplasm_xml[] =
	"<ICD10CM.index><version>2023</version><indexHeading><head col=\"1\">Neoplasm</head>"
	"<head col=\"2\">Malignant Primary</head><head col=\"3\">Malignant Secondary</head>"
	"</indexHeading><letter><title>N</title><mainTerm><title>Neoplasm, neoplastic</title>"
	"<cell col=\"2\">C80.1</cell><term level=\"1\"><title>breast</title>"
	"<cell col=\"2\">C50.9-</cell><cell col=\"3\">C79.81</cell></term></mainTerm>"
	"</letter></ICD10CM.index>";

static const char defs_xml[] =
	"<ICD10PCS.definitions><version>2025</version><section code=\"0\"><title>Med</title>"
	"<axis pos=\"3\"><title>Operation</title><terms><title>Bypass</title>"
	"<definition>Altering the route of passage</definition><includes>CABG</includes>"
	"<includes>colostomy</includes></terms></axis></section></ICD10PCS.definitions>";

static int64_t add_release(const char *system, const char *version, const char *from,
			   const char *to)
{
	mrt_err err = { 0 };
	mrt_stmt *s = mrt_db_stmt(db, "INSERT INTO code_release(system, version, effective_from,"
				      " effective_to, loaded_at, loaded_by) VALUES (?,?,?,?,'x','t')",
				  &err);
	assert_non_null(s);
	mrt_stmt_bind_text(s, 1, system);
	mrt_stmt_bind_text(s, 2, version);
	mrt_stmt_bind_text(s, 3, from);
	mrt_stmt_bind_text(s, 4, to);
	assert_int_equal(mrt_stmt_run(s, &err), 0);
	return mrt_db_last_insert_id(db);
}

static void add_code(int64_t rid, const char *code, int billable, const char *title)
{
	mrt_err err = { 0 };
	mrt_stmt *s = mrt_db_stmt(db, "INSERT INTO code(release_id, code, billable, short_title,"
				      " long_title) VALUES (?,?,?,?,?)", &err);
	assert_non_null(s);
	mrt_stmt_bind_int(s, 1, rid);
	mrt_stmt_bind_text(s, 2, code);
	mrt_stmt_bind_int(s, 3, billable);
	mrt_stmt_bind_text(s, 4, title);
	mrt_stmt_bind_text(s, 5, title);
	assert_int_equal(mrt_stmt_run(s, &err), 0);
}

typedef int (*loader)(mrt_db *, int64_t, mrt_src *, int64_t *, mrt_err *);

static int load_mem(const char *xml, int64_t rid, const char *kind, int64_t *rows, mrt_err *err)
{
	mrt_src *src = NULL;
	assert_int_equal(mrt_src_open_mem(&src, "mem.xml", xml, strlen(xml), err), 0);
	int rc;
	if (!strcmp(kind, "tabular"))
		rc = codetext_load_cm_tabular(db, rid, src, 1, rows, err);
	else if (!strcmp(kind, "defs"))
		rc = codetext_load_pcs_definitions(db, rid, src, rows, err);
	else
		rc = codetext_load_cm_index(db, rid, kind, src, rows, err);
	mrt_src_close(src);
	return rc;
}

static int64_t r23, r26;

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/mrt-test-codetext-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	char path[128];
	snprintf(path, sizeof path, "%s/t.db", dir);
	mrt_err err = { 0 };
	if (mrt_db_open(&db, path, MRT_DB_CREATE, &err) != 0)
		return -1;
	r23 = add_release("icd10cm", "2023", "2022-10-01", "2023-09-30");
	r26 = add_release("icd10cm", "2026", "2025-10-01", "2026-09-30");
	int64_t rows = 0;
	assert_int_equal(mrt_db_begin(db, &err), 0);
	assert_int_equal(load_mem(tabular, r23, "tabular", &rows, &err), 0);
	assert_int_equal(load_mem(index_xml, r23, "index", &rows, &err), 0);
	assert_int_equal(load_mem(neoplasm_xml, r23, "neoplasm", &rows, &err), 0);
	/* FY2026: E11.9 as in 2023, E11A new, E11.22 gone. */
	add_code(r26, "E11", 0, "Type 2 diabetes mellitus");
	add_code(r26, "E119", 1, "Type 2 diabetes mellitus without complications");
	add_code(r26, "E11A", 1, "Type 2 diabetes mellitus without complications in remission");
	assert_int_equal(codetext_index_release(db, r23, &err), 0);
	assert_int_equal(mrt_db_commit(db, &err), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	mrt_db_close(db);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int64_t count(const char *sql)
{
	mrt_err err = { 0 };
	mrt_stmt *s = mrt_db_stmt(db, sql, &err);
	assert_non_null(s);
	assert_int_equal(mrt_stmt_step(s, &err), 1);
	int64_t n = mrt_stmt_int(s, 0);
	mrt_stmt_reset(s);
	return n;
}

static void test_tabular_codes(void **state)
{
	(void)state;
	/* E11, E11.2, E11.22, E11.9, S72, S72.0 (header), S72.0XXA. */
	assert_int_equal(count("SELECT count(*) FROM code WHERE release_id = 1"), 7);
	assert_int_equal(count("SELECT count(*) FROM code WHERE release_id = 1 AND billable = 1"), 3);
	assert_int_equal(count("SELECT count(*) FROM code WHERE code = 'S720XXA' AND parent = 'S720'"), 1);
	assert_int_equal(count("SELECT count(*) FROM code_note WHERE ref_code = 'E08'"), 1);
}

static void test_wrong_version(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	int64_t rows = 0;
	assert_int_equal(load_mem(tabular, r26, "tabular", &rows, &err), MRT_EVERSION);
	assert_non_null(strstr(err.msg, "mem.xml"));
	assert_non_null(strstr(err.msg, "2026"));
	assert_int_equal(load_mem(index_xml, r26, "nosuch", &rows, &err), MRT_EINVAL);
	/* A malformed index names the line and element. */
	assert_int_equal(load_mem("<ICD10CM.index>\n<letter><mainTerm><title>x</title>\n<term>"
				  "</term></mainTerm></letter></ICD10CM.index>",
				  r23, "index", &rows, &err),
			 MRT_EPARSE);
	assert_non_null(strstr(err.msg, "mem.xml:3: <term>: term without a level"));
}

static void test_duplicate_code(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	int64_t r24 = add_release("icd10cm", "2024", "2023-10-01", "2024-09-30"), rows = 0;
	static const char dup[] =
		"<ICD10CM.tabular><version>2024</version><chapter><name>4</name><desc>E</desc>"
		"<section id=\"E08-E13\"><desc>D</desc>\n<diag><name>E11</name><desc>a</desc></diag>\n"
		"<diag><name>E11</name><desc>b</desc></diag></section></chapter></ICD10CM.tabular>";
	assert_int_equal(mrt_db_begin(db, &err), 0);
	assert_int_equal(load_mem(dup, r24, "tabular", &rows, &err), MRT_EEXIST);
	mrt_db_rollback(db);
	assert_non_null(strstr(err.msg, "mem.xml:3: <diag>: duplicate code E11"));
}

static void test_notes(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	json_t *o = NULL;
	assert_int_equal(codetext_notes_json(db, r23, "E11.22", &o, &err), 0);
	json_t *ex = json_object_get(o, "excludes1");
	assert_int_equal(json_array_size(ex), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(ex, 0), "at")), "E11");
	assert_int_equal(json_array_size(json_object_get(o, "inclusion_terms")), 1);
	/* Section and chapter notes apply to the codes in their range. */
	json_t *x2 = json_array_get(json_object_get(o, "excludes2"), 0);
	assert_string_equal(json_string_value(json_object_get(x2, "at")), "E08-E13");
	assert_string_equal(json_string_value(json_object_get(x2, "at_level")), "section");
	json_t *inc = json_array_get(json_object_get(o, "includes"), 0);
	assert_string_equal(json_string_value(json_object_get(inc, "at")), "E00-E89");
	assert_false(json_is_true(json_object_get(o, "borrowed")));
	json_decref(o);
	/* E11.9 in FY2026 borrows from 2023 and says so; no inclusion terms of
	 * another code leak in. */
	assert_int_equal(codetext_notes_json(db, r26, "e119", &o, &err), 0);
	assert_true(json_is_true(json_object_get(o, "borrowed")));
	assert_string_equal(json_string_value(json_object_get(o, "release")), "2023");
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(o, "excludes1"), 0), "release")),
			    "2023");
	assert_null(json_object_get(o, "inclusion_terms"));
	json_decref(o);
	/* E11A is not in 2023: it gets the notes written at E11 (in both
	 * releases), none of its own, and the source says why. */
	assert_int_equal(codetext_notes_json(db, r26, "E11A", &o, &err), 0);
	assert_true(json_is_true(json_object_get(o, "borrowed")));
	json_t *e1 = json_object_get(o, "excludes1");
	assert_true(json_array_size(e1) > 0);
	for (size_t i = 0; i < json_array_size(e1); i++)
		assert_string_equal(json_string_value(json_object_get(json_array_get(e1, i), "at")),
				    "E11");
	assert_null(json_object_get(o, "inclusion_terms"));
	assert_non_null(strstr(json_string_value(json_object_get(o, "source")), "has no code E11A"));
	json_decref(o);
	/* 7th characters come from S72; E00-E89 chapter notes stay there. */
	assert_int_equal(codetext_notes_json(db, r23, "S72.0XXA", &o, &err), 0);
	assert_null(json_object_get(o, "includes"));
	json_t *sc = json_array_get(json_object_get(o, "seventh_characters"), 0);
	assert_string_equal(json_string_value(json_object_get(sc, "char")), "A");
	assert_string_equal(json_string_value(json_object_get(sc, "at")), "S72");
	json_decref(o);
}

static json_t *lookup(int64_t rid, const char *table, const char *term, int want)
{
	mrt_err err = { 0 };
	json_t *o = NULL;
	int rc = codetext_index_lookup(db, rid, table, term, &o, &err);
	if (rc != want)
		fail_msg("%s: rc %d (%s)", term, rc, err.msg);
	return o;
}

static void test_index(void **state)
{
	(void)state;
	json_t *o = lookup(r23, NULL, "diabetes", 0);
	json_t *e = json_object_get(o, "entry");
	assert_string_equal(json_string_value(json_object_get(e, "title")), "Diabetes, diabetic");
	assert_string_equal(json_string_value(json_object_get(e, "nemod")), "(mellitus)");
	json_t *subs = json_object_get(e, "subterms");
	assert_int_equal(json_array_size(subs), 3);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(subs, 2), "level")), 3);
	json_decref(o);
	/* A path of subterms, then a see-reference followed to a subterm. */
	o = lookup(r23, NULL, "Diabetes, type 2, with, chronic kidney", 0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(o, "entry"), "code")),
			    "E11.22");
	json_decref(o);
	o = lookup(r23, NULL, "Dyabetes", 0);
	json_t *f = json_array_get(json_object_get(json_object_get(o, "entry"), "followed"), 0);
	assert_true(json_is_true(json_object_get(f, "found")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(f, "entry"), "title")),
			    "type 2");
	json_decref(o);
	/* Loop one -> Loop two -> Loop one stops. */
	o = lookup(r23, NULL, "Loop one", 0);
	f = json_array_get(json_object_get(json_object_get(o, "entry"), "followed"), 0);
	json_t *g = json_array_get(json_object_get(json_object_get(f, "entry"), "followed"), 0);
	assert_true(json_is_true(json_object_get(g, "cycle")));
	json_decref(o);
	/* Unknown: suggestions; FY2026 borrows the 2023 index. */
	o = lookup(r23, NULL, "Diabx", MRT_ENOTFOUND);
	assert_string_equal(json_string_value(json_array_get(json_object_get(o, "suggestions"), 0)),
			    "Diabetes, diabetic");
	json_decref(o);
	o = lookup(r26, NULL, "Diabetes", 0);
	assert_true(json_is_true(json_object_get(o, "borrowed")));
	json_decref(o);
	json_decref(lookup(r23, "drug", "aspirin", MRT_ENOTFOUND));
	json_decref(lookup(r23, "bogus", "aspirin", MRT_EINVAL));
}

static void test_neoplasm(void **state)
{
	(void)state;
	json_t *o = lookup(r23, NULL, "Neoplasm, breast", 0);
	assert_string_equal(json_string_value(json_object_get(o, "table")), "neoplasm");
	json_t *cols = json_object_get(json_object_get(o, "entry"), "columns");
	assert_string_equal(json_string_value(json_object_get(cols, "Malignant Primary")), "C50.9-");
	assert_string_equal(json_string_value(json_object_get(cols, "Malignant Secondary")), "C79.81");
	json_decref(o);
}

static void test_search(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	json_t *o = NULL;
	assert_int_equal(codetext_search(db, &r23, 1, "KIDNEY diab typ", 10, &o, &err), 0);
	assert_true(json_array_size(o) >= 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(o, 0), "code")), "E1122");
	json_decref(o);
	/* Inclusion terms and index lines match too. */
	assert_int_equal(codetext_search(db, &r23, 1, "nephropathy", 10, &o, &err), 0);
	assert_int_equal(json_array_size(o), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(o, 0), "match_kind")),
			    "inclusion");
	json_decref(o);
	assert_int_equal(codetext_search(db, &r23, 1, "diabetes femur", 10, &o, &err), 0);
	assert_int_equal(json_array_size(o), 0);
	json_decref(o);
	assert_int_equal(codetext_search(db, &r23, 1, " ,; ", 10, &o, &err), MRT_EINVAL);
	/* FTS syntax in the text is only words. */
	assert_int_equal(codetext_search(db, &r23, 1, "\"femur* OR NEAR(", 10, &o, &err), 0);
	json_decref(o);
}

static void test_definitions_and_drop(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	int64_t p25 = add_release("icd10pcs", "2025", "2024-10-01", "2025-09-30"), rows = 0;
	assert_int_equal(load_mem(defs_xml, p25, "defs", &rows, &err), 0);
	assert_int_equal(rows, 1);
	assert_int_equal(count("SELECT count(*) FROM pcs_definition WHERE includes ="
			       " 'CABG; colostomy'"), 1);
	assert_int_equal(load_mem(defs_xml, r23, "defs", &rows, &err), MRT_EINVAL);
	assert_int_equal(codetext_drop_release(db, r23, &err), 0);
	assert_int_equal(count("SELECT count(*) FROM code_note WHERE release_id = 1"), 0);
	assert_int_equal(count("SELECT count(*) FROM index_term WHERE release_id = 1"), 0);
	assert_int_equal(count("SELECT count(*) FROM code_fts WHERE rowid >> 32 = 1"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tabular_codes), cmocka_unit_test(test_wrong_version),
		cmocka_unit_test(test_duplicate_code), cmocka_unit_test(test_notes),
		cmocka_unit_test(test_index),
		cmocka_unit_test(test_neoplasm),      cmocka_unit_test(test_search),
		cmocka_unit_test(test_definitions_and_drop),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
