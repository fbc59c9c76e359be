/*
 * Unit tests for the tabular rules (src/edits/tabular*.c): the code
 * references of note texts as ranges, then each rule on claims taken from
 * the Tabular List's own words, against the notes of the real FY2023
 * Tabular List XML loaded into a temporary database (skipped when the
 * shared data is missing), a hand-made FY2026 code set that borrows them,
 * a hand-made FY2022 Tabular List for edge cases (a section's note, a
 * "fifth or sixth character" range, a subcategory's own 7th characters,
 * words that only contain "any"),
 * the real FY2026 CMS POA-exempt list and a hand-made FY2023 one.
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
#include "edits/tabular_int.h"
#include "formats/source.h"

static char dir[64], data[512];
static mrt_db *db;
static int have_data;
static int64_t r22, r23, r26;
static tabular_tables *tabs;
static codes_lookup *cm22, *cm23, *cm26;
static struct tab_result res;

/* A hand-made FY2022 Tabular List for the edge cases: a section note, a
 * "fifth or sixth character" range, a 7th-character list of a subcategory
 * that replaces its category's. */
static const char snippet[] =
    "<ICD10CM.tabular><version>2022</version>"
    "<chapter><name>4</name><desc>Endocrine (E00-E89)</desc>"
    "<section id=\"E08-E13\"><desc>Diabetes</desc>"
    "<excludes1><note>section rule (Q99.9)</note></excludes1>"
    "<diag><name>E11</name><desc>Type 2 diabetes mellitus</desc>"
    "<useAdditionalCode><note>code for adverse effect, if applicable, to identify drug (T36-T50"
    " with fifth or sixth character 5)</note></useAdditionalCode>"
    "<codeFirst><note>pancreatitis (K85-K86.-)</note></codeFirst>"
    "<diag><name>E11.9</name><desc>without complications</desc></diag></diag>"
    "</section></chapter>"
    "<chapter><name>19</name><desc>Injury (S00-T88)</desc>"
    "<section id=\"S90-S99\"><desc>Ankle and foot</desc>"
    "<diag><name>S99</name><desc>Other injuries of ankle and foot</desc>"
    "<sevenChrDef><extension char=\"A\">initial encounter</extension>"
    "<extension char=\"D\">subsequent encounter</extension></sevenChrDef>"
    "<diag><name>S99.1</name><desc>Physeal fracture of metatarsal</desc>"
    "<sevenChrDef><extension char=\"A\">initial encounter for closed fracture</extension>"
    "<extension char=\"K\">subsequent encounter for fracture with nonunion</extension>"
    "</sevenChrDef><diag><name>S99.11</name><desc>Salter-Harris Type I</desc></diag></diag>"
    "<diag><name>S99.2</name><desc>Other</desc></diag></diag></section>"
    "<section id=\"T36-T50\"><desc>Poisoning</desc>"
    "<diag><name>T38</name><desc>Hormones</desc>"
    "<useAdditionalCode><note>code for the company of the drug (Z99.89)</note>"
    "</useAdditionalCode><sevenChrDef>"
    "<extension char=\"A\">initial encounter</extension></sevenChrDef>"
    "<diag><name>T38.3</name><desc>Insulin</desc>"
    "<diag><name>T38.3X1</name><desc>accidental</desc></diag>"
    "<diag><name>T38.3X5</name><desc>adverse effect</desc></diag></diag></diag>"
    "</section></chapter></ICD10CM.tabular>";

static int64_t add_release(const char *version, const char *from, const char *to)
{
	mrt_err err = {0};
	mrt_stmt *s = mrt_db_stmt(db,
				  "INSERT INTO code_release(system, version, effective_from,"
				  " effective_to, loaded_at, loaded_by) VALUES"
				  " ('icd10cm',?,?,?,'x','t')",
				  &err);
	assert_non_null(s);
	mrt_stmt_bind_text(s, 1, version);
	mrt_stmt_bind_text(s, 2, from);
	mrt_stmt_bind_text(s, 3, to);
	assert_int_equal(mrt_stmt_run(s, &err), 0);
	return mrt_db_last_insert_id(db);
}

static void add_code(int64_t rid, const char *code, int billable)
{
	mrt_err err = {0};
	mrt_stmt *s = mrt_db_stmt(db,
				  "INSERT INTO code(release_id, code, billable, short_title,"
				  " long_title) VALUES (?,?,?,'t','t')",
				  &err);
	assert_non_null(s);
	mrt_stmt_bind_int(s, 1, rid);
	mrt_stmt_bind_text(s, 2, code);
	mrt_stmt_bind_int(s, 3, billable);
	assert_int_equal(mrt_stmt_run(s, &err), 0);
}

static void sql(const char *text)
{
	mrt_err err = {0};
	assert_int_equal(mrt_db_exec(db, text, &err), 0);
}

/* The real FY2026 POA-exempt list (tab-separated, code in column 2). */
static void load_poa26(void)
{
	char path[600];
	snprintf(path, sizeof path, "%s/cms-poa-exempt/fy2026/POAexemptCodesFY26.txt", data);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	sql("INSERT INTO poa_exempt_release(id, fiscal_year, effective_from, effective_to,"
	    " source_name, sha256, rows, loaded_at, loaded_by) VALUES (26, 2026, '2025-10-01',"
	    " '2026-09-30', 'POAexemptCodesFY26.txt', 'x', 0, 'x', 't')");
	mrt_err err = {0};
	mrt_stmt *s = mrt_db_stmt(db, "INSERT OR IGNORE INTO poa_exempt_code VALUES (26, ?)", &err);
	char line[512];
	int n = 0;
	while (fgets(line, sizeof line, f)) {
		char *tab = strchr(line, '\t'), *end = tab ? strchr(tab + 1, '\t') : NULL;
		if (!end || n++ == 0)
			continue;
		mrt_stmt_bind_textn(s, 1, tab + 1, (size_t)(end - tab - 1));
		assert_int_equal(mrt_stmt_run(s, &err), 0);
	}
	fclose(f);
	assert_true(n > 38000);
}

static int setup(void **state)
{
	(void)state;
	const char *d = getenv("MRT_DATA"), *src = getenv("MRT_SOURCE_DIR");
	snprintf(data, sizeof data, "%s", d ? d : "");
	if (!d)
		snprintf(data, sizeof data, "%s/../shared/data", src ? src : ".");
	char path[600];
	snprintf(path, sizeof path, "%s/icd10cm/fy2023-tabular-index/icd10cm_tabular_2023.xml",
		 data);
	have_data = access(path, R_OK) == 0;
	snprintf(dir, sizeof dir, "/tmp/mrt-test-tabular-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	char dbp[128];
	snprintf(dbp, sizeof dbp, "%s/t.db", dir);
	mrt_err err = {0};
	if (mrt_db_open(&db, dbp, MRT_DB_CREATE, &err) != 0)
		return -1;
	if (!have_data)
		return 0;
	assert_int_equal(mrt_db_begin(db, &err), 0);
	r23 = add_release("2023", "2022-10-01", "2023-09-30");
	r26 = add_release("2026", "2025-10-01", "2026-09-30");
	mrt_src *x = NULL;
	int64_t rows = 0;
	assert_int_equal(mrt_src_open(&x, path, &err), 0);
	assert_int_equal(codetext_load_cm_tabular(db, r23, x, 1, &rows, &err), 0);
	mrt_src_close(x);
	r22 = add_release("2022", "2021-10-01", "2022-09-30");
	assert_int_equal(mrt_src_open_mem(&x, "snippet.xml", snippet, strlen(snippet), &err), 0);
	assert_int_equal(codetext_load_cm_tabular(db, r22, x, 1, &rows, &err), 0);
	mrt_src_close(x);
	/* FY2026 as the order file has it for these codes: E11.A is new. */
	static const char *const c26[] = {"E10", "E109", "E11", "E119", "E11A", "I10", "Z3800"};
	for (size_t i = 0; i < sizeof c26 / sizeof c26[0]; i++)
		add_code(r26, c26[i], strlen(c26[i]) > 3 || !strcmp(c26[i], "I10"));
	load_poa26();
	/* A hand-made FY2023 list: I10 exempt only in that year. */
	sql("INSERT INTO poa_exempt_release(id, fiscal_year, effective_from, effective_to,"
	    " source_name, sha256, rows, loaded_at, loaded_by) VALUES (23, 2023, '2022-10-01',"
	    " '2023-09-30', 'hand', 'x', 1, 'x', 't');"
	    "INSERT INTO poa_exempt_code VALUES (23, 'I10'), (23, 'Z38.00')");
	assert_int_equal(mrt_db_commit(db, &err), 0);
	assert_int_equal(tabular_tables_load(db, &tabs, &err), 0);
	assert_int_equal(codes_lookup_load(db, r23, &cm23, &err), 0);
	assert_int_equal(codes_lookup_load(db, r22, &cm22, &err), 0);
	assert_int_equal(codes_lookup_load(db, r26, &cm26, &err), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tabular_tables_free(tabs);
	codes_lookup_free(cm22);
	codes_lookup_free(cm23);
	codes_lookup_free(cm26);
	mrt_db_close(db);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void set_dx(struct claim_dx *d, const char *spec)
{
	const char *colon = strchr(spec, ':');
	size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
	snprintf(d->code, sizeof d->code, "%.*s", (int)n, spec);
	snprintf(d->poa, sizeof d->poa, "%s", colon ? colon + 1 : "");
}

/* Checks the claim discharged on date with the codes "CODE[:POA]", the
 * first the principal diagnosis; returns the number of findings. */
static int check(const char *date, ...)
{
	static struct claim c;
	memset(&c, 0, sizeof c);
	assert_int_equal(mrt_date_parse(&c.discharge, date), 0);
	va_list ap;
	va_start(ap, date);
	const char *spec = va_arg(ap, const char *);
	set_dx(&c.pdx, spec);
	while ((spec = va_arg(ap, const char *)) != NULL)
		set_dx(&c.sdx[c.nsdx++], spec);
	va_end(ap);
	const codes_lookup *cm = strncmp(date, "2026", 4) == 0	 ? cm26
				 : strncmp(date, "2022", 4) == 0 ? cm22
								 : cm23;
	tabular_check(tabs, cm, &c, &res);
	return res.n;
}

static void dump(void)
{
	for (int i = 0; i < res.n; i++)
		print_message("  %s: %s\n", tab_rule_info[res.f[i].rule].name, res.f[i].message);
}

/* The only finding of the rule (asserted alone), or NULL when none. */
static const struct tab_finding *only(int rule)
{
	const struct tab_finding *f = NULL;
	for (int i = 0; i < res.n; i++) {
		if (res.f[i].rule != rule)
			continue;
		if (f)
			dump();
		assert_null(f);
		f = &res.f[i];
	}
	return f;
}

/* The finding of the rule from the note written at note_code. */
static const struct tab_finding *at_note(int rule, const char *note_code)
{
	for (int i = 0; i < res.n; i++)
		if (res.f[i].rule == rule && strcmp(res.f[i].note_code, note_code) == 0)
			return &res.f[i];
	dump();
	return NULL;
}

static int count_rule(int rule)
{
	int n = 0;
	for (int i = 0; i < res.n; i++)
		n += res.f[i].rule == rule;
	return n;
}

static void has(const struct tab_finding *f, const char *text)
{
	if (!f || !strstr(f->message, text)) {
		dump();
		fail_msg("\"%s\" not in %s", text, f ? f->message : "(no finding)");
	}
}

#define NEED_DATA()                                                                                \
	do {                                                                                       \
		if (!have_data)                                                                    \
			skip();                                                                    \
	} while (0)

static void test_ranges(void **state)
{
	(void)state;
	struct tab_range r[8];
	assert_int_equal(tab_parse_ranges("type 1 diabetes mellitus (E10.-)", r, 8), 1);
	assert_string_equal(r[0].lo, "E10");
	assert_true(tab_range_match(&r[0], tab_key("E109"), "E109"));
	assert_false(tab_range_match(&r[0], tab_key("E119"), "E119"));
	/* "the type of cholecystitis (K81.-), or cholelithiasis with cholecystitis
	 * (K80.00-K80.19, K80.40-K80.47, K80.60-K80.67)" */
	assert_int_equal(tab_parse_ranges("the type of cholecystitis (K81.-), or cholelithiasis "
					  "with cholecystitis (K80.00-K80.19, K80.40-K80.47, "
					  "K80.60-K80.67)",
					  r, 8),
			 4);
	assert_string_equal(r[1].lo, "K8000");
	assert_string_equal(r[1].hi, "K8019");
	assert_true(tab_range_match(&r[1], tab_key("K8012"), "K8012"));
	assert_false(tab_range_match(&r[1], tab_key("K8020"), "K8020"));
	/* "pancreatitis and other diseases of the pancreas (K85-K86.-)" */
	assert_int_equal(tab_parse_ranges("pancreas (K85-K86.-)", r, 8), 1);
	assert_true(tab_range_match(&r[0], tab_key("K861"), "K861"));
	assert_false(tab_range_match(&r[0], tab_key("K870"), "K870"));
	/* "code for adverse effect, if applicable, to identify drug (T36-T50 with
	 * fifth or sixth character 5)" */
	assert_int_equal(tab_parse_ranges("drug (T36-T50 with fifth or sixth character 5)", r, 8),
			 1);
	assert_int_equal(r[0].at56, '5');
	assert_true(tab_range_match(&r[0], tab_key("T360X5A"), "T360X5A"));
	assert_true(tab_range_match(&r[0], tab_key("T3815XA"), "T3815XA"));
	assert_false(tab_range_match(&r[0], tab_key("T360X1A"), "T360X1A"));
	/* Words in parentheses and codes outside them are not references. */
	assert_int_equal(tab_parse_ranges("vitamin B12 deficiency (in) (Chapter 1)", r, 8), 0);
	/* A reversed range names nothing (found by fuzzing). */
	assert_int_equal(tab_parse_ranges("(T36-T19, E10.-)", r, 8), 1);
	assert_string_equal(r[0].lo, "E10");
	assert_int_equal(tab_parse_ranges("gestational diabetes (O24.4-)", r, 8), 1);
	assert_string_equal(r[0].lo, "O244");
}

static void test_excludes1(void **state)
{
	(void)state;
	NEED_DATA();
	/* E11 Excludes1: "type 1 diabetes mellitus (E10.-)" (and E10 names E11:
	 * one finding per pair). */
	check("2023-03-01", "E119", "E109", NULL);
	const struct tab_finding *f = only(TAB_EXCLUDES1);
	has(f, "E11.9 with E10.9: Excludes1 at E11 \"type 1 diabetes mellitus (E10.-)\"");
	has(f, "(ICD-10-CM 2023)");
	assert_string_equal(f->note_code, "E11");
	assert_int_equal(f->note_release_id, r23);
	assert_int_equal(f->where, CLAIM_AT_PDX);
	assert_int_equal(f->where2, CLAIM_AT_SDX);
	assert_int_equal(f->severity, TAB_ERROR);
	/* J45 Excludes1 "detergent asthma (J69.8)" (J69 names no J45): found
	 * from the side that carries the note. */
	check("2023-03-01", "J698", "J45909", NULL);
	f = only(TAB_EXCLUDES1);
	has(f, "J45.909 with J69.8: Excludes1 at J45 \"detergent asthma (J69.8)\"");
	assert_int_equal(f->where, CLAIM_AT_SDX);
	assert_int_equal(f->where2, CLAIM_AT_PDX);
	/* Two codes of one category are not excluded. */
	check("2023-03-01", "E119", "E1165", NULL);
	assert_null(only(TAB_EXCLUDES1));
	/* A note of an enclosing section: V00-V99 (Transport accidents) holds
	 * V20-V29 and says Excludes1 "assault by crashing of motor vehicle
	 * (Y03.-)". */
	check("2023-03-01", "S72001A", "V2001XA", "Y030XXA", NULL);
	f = only(TAB_EXCLUDES1);
	has(f, "V20.01XA with Y03.0XXA: Excludes1 at V00-V99 \"assault by crashing of motor "
	       "vehicle (Y03.-)\"");
	assert_string_equal(f->note_code, "V00-V99");
	/* FY2026 has no Tabular List: E11.A (new) is bound by E11's notes of
	 * FY2023, and the finding says so. */
	check("2026-01-15", "E11A", "E109", NULL);
	f = only(TAB_EXCLUDES1);
	has(f, "E11.A with E10.9: Excludes1 at E11");
	has(f, "(ICD-10-CM 2023)");
	assert_int_equal(f->note_release_id, r23);
}

static void test_code_first(void **state)
{
	(void)state;
	NEED_DATA();
	/* G01 "Code first underlying disease": wrong only when listed first. */
	check("2023-03-01", "G01", NULL);
	has(only(TAB_CODE_FIRST), "G01 is listed first: Code first at G01 \"underlying disease\"");
	check("2023-03-01", "A419", "G01", NULL);
	assert_null(only(TAB_CODE_FIRST));
	/* E08 "Code first the underlying condition, such as: ... cystic fibrosis
	 * (E84.-)": examples, so none missing; but E84 after E08 is out of order. */
	check("2023-03-01", "E0865", NULL);
	assert_null(only(TAB_CODE_FIRST));
	check("2023-03-01", "E0865", "E840", NULL);
	const struct tab_finding *f = only(TAB_CODE_FIRST);
	has(f, "E08.65 is sequenced before E84.0: Code first at E08 \"the underlying condition, "
	       "such as:");
	assert_int_equal(f->where2, CLAIM_AT_SDX);
	check("2023-03-01", "E840", "E0865", NULL);
	assert_null(only(TAB_CODE_FIRST));
	/* T28.5 "Code first (T51-T65) to identify chemical and intent": a list
	 * with nothing optional about it. */
	check("2023-03-01", "T285XXA", NULL);
	has(only(TAB_CODE_FIRST), "T28.5XXA: Code first at T28.5 \"(T51-T65) to identify chemical "
				  "and intent\" (ICD-10-CM 2023): no such code on the claim");
	check("2023-03-01", "T540X1A", "T285XXA", NULL);
	assert_null(only(TAB_CODE_FIRST));
	/* N18 "Code first any associated: diabetic chronic kidney disease (E08.22,
	 * ...)": optional. A41 "Code first: postprocedural sepsis (T81.4-), sepsis
	 * during labor (O75.3), ...": alternatives that apply when they apply. */
	check("2023-03-01", "N186", NULL);
	assert_null(only(TAB_CODE_FIRST));
	check("2023-03-01", "A419", NULL);
	assert_null(only(TAB_CODE_FIRST));
	/* ... but each is still sequenced first when coded. */
	check("2023-03-01", "A419", "T8144XA", NULL);
	has(only(TAB_CODE_FIRST), "A41.9 is sequenced before T81.44XA: Code first at A41");
}

static void test_use_additional(void **state)
{
	(void)state;
	NEED_DATA();
	/* N18 "Use additional code to identify kidney transplant status, if
	 * applicable, (Z94.0)". */
	check("2023-03-01", "N186", NULL);
	const struct tab_finding *f = at_note(TAB_USE_ADDITIONAL, "N18");
	has(f, "N18.6: Use additional code at N18 \"code to identify kidney transplant status, if "
	       "applicable, (Z94.0)\" (ICD-10-CM 2023): none on the claim");
	assert_int_equal(f->severity, TAB_INFO);
	check("2023-03-01", "N186", "Z940", NULL);
	/* N18.6's own note stays: "code to identify dialysis status (Z99.2)", a
	 * single item with no condition: a warning. */
	f = only(TAB_USE_ADDITIONAL);
	has(f, "N18.6: Use additional code at N18.6 \"code to identify dialysis status (Z99.2)\"");
	assert_int_equal(f->severity, TAB_WARNING);
	check("2023-03-01", "N186", "Z940", "Z992", NULL);
	assert_null(only(TAB_USE_ADDITIONAL));
	/* E11 "Use additional code to identify control using: insulin (Z79.4),
	 * oral antidiabetic drugs (Z79.84) ...": one finding for the list, any of
	 * its codes satisfies it, and two E11 codes raise it once. */
	check("2023-03-01", "E119", "E1165", NULL);
	has(only(TAB_USE_ADDITIONAL),
	    "Use additional code at E11 \"code to identify control using: "
	    "insulin (Z79.4); oral antidiabetic drugs (Z79.84)");
	check("2023-03-01", "E119", "Z7984", NULL);
	assert_null(only(TAB_USE_ADDITIONAL));
}

static void test_seventh_and_placeholder(void **state)
{
	(void)state;
	NEED_DATA();
	/* S72 "The appropriate 7th character is to be added to all codes from
	 * category S72": S72.001 is one character short. */
	check("2023-03-01", "S72001", NULL);
	const struct tab_finding *f = only(TAB_SEVENTH_CHAR);
	has(f, "S72.001: 7th character missing;");
	has(f, "e.g. S72.001A");
	assert_string_equal(f->note_code, "S72");
	assert_null(only(TAB_HEADER));
	/* S72's 7th characters are A B C D E F G H J K M N P Q R S: not Z. */
	check("2023-03-01", "S72001Z", NULL);
	has(only(TAB_SEVENTH_CHAR), "S72.001Z: 7th character Z is not allowed for S72");
	check("2023-03-01", "S72001A:Y", NULL);
	assert_null(only(TAB_SEVENTH_CHAR));
	assert_null(only(TAB_PLACEHOLDER_X));
	assert_null(only(TAB_HEADER));
	/* T36.0X1A written T3601A; S02.0 with A written S020A. */
	check("2023-03-01", "T3601A", NULL);
	has(only(TAB_PLACEHOLDER_X), "T36.01A: placeholder X missing, write T36.0X1A");
	check("2023-03-01", "S020A", NULL);
	has(only(TAB_PLACEHOLDER_X), "S02.0A: placeholder X missing, write S02.0XXA");
	/* S02.0 without anything: 7th character and placeholder missing. */
	check("2023-03-01", "S020", NULL);
	has(only(TAB_SEVENTH_CHAR), "S02.0: 7th character missing, with placeholder X");
}

static void test_header(void **state)
{
	(void)state;
	NEED_DATA();
	check("2023-03-01", "E112", NULL);
	const struct tab_finding *f = only(TAB_HEADER);
	has(f, "E11.2 is a header, not a billable code");
	has(f, "E11.21, E11.22, E11.29");
	check("2023-03-01", "E11", NULL);
	has(only(TAB_HEADER), "E11.00, E11.01, E11.10, E11.11, ...");
}

static void test_external_causes(void **state)
{
	(void)state;
	NEED_DATA();
	check("2023-03-01", "S72001A", "W010XXA", "Y92009", "Y92002", "Y930", "Y999", NULL);
	const struct tab_finding *f = only(TAB_EXTERNAL_CAUSE_REPEATED);
	has(f, "Y92.002 after Y92.009: only one place of occurrence code (Y92)");
	assert_int_equal(f->pos, 2); /* sdx 2 after sdx 1 */
	assert_int_equal(f->pos2, 1);
	check("2023-03-01", "S72001A", "Y930", "Y9301", "Y999", "Y998", NULL);
	assert_int_equal(count_rule(TAB_EXTERNAL_CAUSE_REPEATED), 2);
	/* An external cause alone explains nothing; with R55 (A00-T88) it does. */
	check("2023-03-01", "W010XXA", "Y92009", NULL);
	f = only(TAB_EXTERNAL_CAUSE_ALONE);
	has(f, "W01.0XXA: an external cause code with no condition");
	assert_int_equal(f->where, CLAIM_AT_PDX);
	check("2023-03-01", "R55", "W010XXA", NULL);
	assert_null(only(TAB_EXTERNAL_CAUSE_ALONE));
}

static void test_poa(void **state)
{
	(void)state;
	NEED_DATA();
	/* Z38.00 (single liveborn, born in hospital) is on the FY2026 exempt
	 * list: Y is wrong, blank is right. I10 is not: blank is missing. */
	check("2026-01-15", "Z3800:Y", "I10:", NULL);
	has(only(TAB_POA_EXEMPT), "Z38.00 is on the CMS POA-exempt list of FY2026");
	has(only(TAB_POA_MISSING), "I10: POA indicator missing");
	check("2026-01-15", "Z3800:", "I10:N", NULL);
	assert_int_equal(res.n, 0);
	check("2026-01-15", "Z3800:1", "I10:1", NULL);
	assert_null(only(TAB_POA_EXEMPT));
	has(only(TAB_POA_MISSING), "I10: POA indicator 1 (exempt)");
	/* The list is that of the discharge date's fiscal year: the hand-made
	 * FY2023 list exempts I10. */
	check("2023-03-01", "I10:Y", NULL);
	has(only(TAB_POA_EXEMPT), "I10 is on the CMS POA-exempt list of FY2023");
	/* An invalid value, and a claim with no POA at all (one finding). */
	check("2026-01-15", "I10:X", NULL);
	has(only(TAB_POA_INVALID), "I10: POA indicator is not one of Y, N, U, W, 1 or blank");
	check("2026-01-15", "I10", "Z3800", "E119", NULL);
	const struct tab_finding *f = only(TAB_POA_MISSING);
	has(f, "no POA indicator on the claim: 2 of its 3 diagnoses need one");
	assert_int_equal(f->where, CLAIM_AT_CLAIM);
}

static void test_snippet(void **state)
{
	(void)state;
	NEED_DATA();
	/* A FY2022 claim uses the FY2022 notes. E11 "Use additional code for
	 * adverse effect, if applicable, to identify drug (T36-T50 with fifth or
	 * sixth character 5)": T38.3X5A (adverse effect) satisfies it, T38.3X1A
	 * (poisoning) does not. */
	check("2022-03-01", "K861:Y", "E119:Y", "T383X5A:Y", NULL);
	for (int i = 0; i < res.n; i++)
		assert_false(res.f[i].rule == TAB_USE_ADDITIONAL &&
			     !strcmp(res.f[i].note_code, "E11"));
	assert_null(only(TAB_CODE_FIRST));
	check("2022-03-01", "K861:Y", "E119:Y", "T383X1A:Y", NULL);
	const struct tab_finding *f = at_note(TAB_USE_ADDITIONAL, "E11");
	has(f, "E11.9: Use additional code at E11 \"code for adverse effect, if applicable");
	has(f, "(ICD-10-CM 2022)");
	assert_int_equal(f->note_release_id, r22);
	/* E11 "Code first pancreatitis (K85-K86.-)", a single item: required. */
	check("2022-03-01", "E119:Y", "T383X5A:Y", NULL);
	has(only(TAB_CODE_FIRST), "E11.9: Code first at E11 \"pancreatitis (K85-K86.-)\" "
				  "(ICD-10-CM 2022): no such code on the claim");
	/* A section's Excludes1 binds its codes. */
	check("2022-03-01", "K861:Y", "Q999:Y", "E119:Y", NULL);
	f = only(TAB_EXCLUDES1);
	has(f, "E11.9 with Q99.9: Excludes1 at E08-E13 \"section rule (Q99.9)\" (ICD-10-CM 2022)");
	assert_string_equal(f->note_code, "E08-E13");
	/* S99.1's 7th characters (A, K) replace those of S99 (A, D). */
	check("2022-03-01", "S9911XK:Y", NULL);
	assert_null(only(TAB_SEVENTH_CHAR));
	check("2022-03-01", "S9911XD:Y", NULL);
	has(only(TAB_SEVENTH_CHAR), "S99.11XD: 7th character D is not allowed for S99.1 "
				    "(ICD-10-CM 2022 7th characters: A, K)");
	check("2022-03-01", "S992XXK:Y", NULL);
	has(only(TAB_SEVENTH_CHAR), "7th character K is not allowed for S99 (ICD-10-CM 2022 7th "
				    "characters: A, D)");
	/* "company" is not the word "any": the single item is required. */
	check("2022-03-01", "T383X5A:Y", NULL);
	f = only(TAB_USE_ADDITIONAL);
	has(f,
	    "T38.3X5A: Use additional code at T38 \"code for the company of the drug (Z99.89)\"");
	assert_int_equal(f->severity, TAB_WARNING);
	/* S99.2 (five characters) with its 7th character but no X. */
	check("2022-03-01", "S992A:Y", NULL);
	has(only(TAB_PLACEHOLDER_X), "S99.2A: placeholder X missing, write S99.2XXA");
}

static void test_no_tables(void **state)
{
	(void)state;
	/* Without tables or code set only the rules that need neither run. */
	struct claim c;
	memset(&c, 0, sizeof c);
	snprintf(c.pdx.code, sizeof c.pdx.code, "W010XXA");
	snprintf(c.pdx.poa, sizeof c.pdx.poa, "Q");
	tabular_check(NULL, NULL, &c, &res);
	assert_int_equal(res.n, 2);
	assert_int_equal(res.f[0].rule, TAB_EXTERNAL_CAUSE_ALONE);
	assert_int_equal(res.f[1].rule, TAB_POA_INVALID);
	/* The longest code a claim keeps (15 characters) fits the message. */
	snprintf(c.pdx.code, sizeof c.pdx.code, "V00ABCDEFGHIJKL");
	tabular_check(NULL, NULL, &c, &res);
	assert_int_equal(res.n, 2);
	assert_non_null(strstr(res.f[1].message, "V00.ABCDEFGHIJKL: POA indicator is not"));
	assert_string_equal(tab_rule_info[TAB_EXCLUDES1].name, "excludes1");
	assert_string_equal(tab_severity_name(TAB_WARNING), "warning");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ranges),
	    cmocka_unit_test(test_excludes1),
	    cmocka_unit_test(test_code_first),
	    cmocka_unit_test(test_use_additional),
	    cmocka_unit_test(test_seventh_and_placeholder),
	    cmocka_unit_test(test_header),
	    cmocka_unit_test(test_external_causes),
	    cmocka_unit_test(test_poa),
	    cmocka_unit_test(test_snippet),
	    cmocka_unit_test(test_no_tables),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
