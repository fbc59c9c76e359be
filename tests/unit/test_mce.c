/*
 * The MCE edits on hand-made claims and hand-made lists (two releases,
 * 2025-10-01..2026-03-31 and 2026-04-01..2026-09-30, with lists that
 * differ, and two code sets): each edit, age bands at their edges, counts
 * per occurrence, the conditions of non-covered lists B, D, F and G, a
 * non-covered procedure not also limited coverage, dates before, inside
 * and after the releases, --release, dotted codes, and the claim reader's
 * errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "edits/mce.h"
#include "edits/mce_tables.h"
#include "formats/claim_jsonl.h"

static mce_tables *tables;
static codes_lookup *cm1, *cm2, *pcs;
static struct mce_codeset sets[2];
static struct mce_ctx ctx;

static mrt_day d(const char *s)
{
	mrt_day v = 0;
	assert_int_equal(mrt_date_parse(&v, s), 0);
	return v;
}

static const char *const cm_codes[] = {
    "A000", "I10",  "Z370",  "Z302",  "E109",	 "C9100", "P000",  "Q000", "O000", "F030",
    "D630", "R030", "Z5189", "Z0000", "V0001XA", "Y6551", "G8100", "E11A", "E881", "I21",
};
static const int cm_bill[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0};
static const char *const pcs_codes[] = {
    "0016070", "00F3XZZ", "0FYG0Z0", "0TY00Z0", "30233G0",
    "0SR20JZ", "0U570ZZ", "10D00Z1", "5A1955Z", "02YA0Z0",
};

static void add(mce_rel *r, enum mce_list l, const char *code)
{
	assert_int_equal(mce_rel_add_code(r, l, code), 0);
}

static void lists(mce_rel *r, int second)
{
	add(r, ML_NEWBORN, "P000");
	add(r, ML_PEDIATRIC, "Q000");
	add(r, ML_MATERNITY, "O000");
	add(r, ML_ADULT, "F030");
	add(r, ML_MANIFESTATION, "D630");
	add(r, ML_QUESTIONABLE, second ? "I10" : "R030");
	add(r, ML_UNACCEPTABLE_PDX, "Z0000");
	add(r, ML_UNACCEPTABLE_PDX, "Z5189");
	add(r, ML_REQUIRES_SDX, "Z5189");
	add(r, ML_CESAREAN, "10D00Z1");
	add(r, ML_OUTCOME_DELIVERY, "Z370");
	add(r, ML_NONCOV_A, "00F3XZZ");
	add(r, ML_LIMITED_A, "00F3XZZ");
	add(r, ML_NONCOV_B_PROC, "0FYG0Z0");
	add(r, ML_NONCOV_B_KIDNEY, "0TY00Z0");
	add(r, ML_LIMITED_A, "0TY00Z0");
	add(r, ML_LIMITED_A, "02YA0Z0");
	add(r, ML_NONCOV_B_DX, "E109");
	add(r, ML_NONCOV_D_PROC, "30233G0");
	add(r, ML_NONCOV_D_DX, "C9100");
	add(r, ML_NONCOV_F, "0SR20JZ");
	add(r, ML_NONCOV_G_PROC, "0U570ZZ");
	add(r, ML_NONCOV_G_DX, "Z302");
	add(r, ML_WRONG_PROCEDURE, "Y6551");
	add(r, ML_LOS_VENT, "5A1955Z");
	add(r, ML_UNSPECIFIED, "G8100");
	struct mce_status_row st[2] = {{.status = "01"}, {.status = "21", .has_from = 1}};
	st[1].from = d("2026-01-01");
	assert_int_equal(mce_rel_set_statuses(r, st, 2), 0);
}

static int setup(void **state)
{
	(void)state;
	mrt_err err = {0};
	size_t ncm = sizeof cm_codes / sizeof *cm_codes,
	       npcs = sizeof pcs_codes / sizeof *pcs_codes;
	int bill2[sizeof cm_bill / sizeof *cm_bill], pbill[sizeof pcs_codes / sizeof *pcs_codes];
	const char *titles[32];
	for (size_t i = 0; i < 32; i++)
		titles[i] = "t";
	for (size_t i = 0; i < npcs; i++)
		pbill[i] = 1;
	memcpy(bill2, cm_bill, sizeof bill2);
	bill2[17] = 1; /* E11A: new in the second code set */
	bill2[18] = 0; /* E881: deleted in it */
	assert_int_equal(codes_lookup_build(&cm1, cm_codes, cm_bill, titles, ncm, &err), 0);
	assert_int_equal(codes_lookup_build(&cm2, cm_codes, bill2, titles, ncm, &err), 0);
	assert_int_equal(codes_lookup_build(&pcs, pcs_codes, pbill, titles, npcs, &err), 0);
	sets[0] = (struct mce_codeset){
	    .from = d("2024-10-01"), .to = d("2025-09-30"), .cm = cm1, .pcs = pcs};
	sets[1] = (struct mce_codeset){
	    .from = d("2025-10-01"), .to = d("2026-09-30"), .cm = cm2, .pcs = pcs};
	tables = mce_tables_new();
	assert_non_null(tables);
	lists(mce_tables_add(tables, "43.0", d("2025-10-01"), d("2026-03-31")), 0);
	lists(mce_tables_add(tables, "43.1", d("2026-04-01"), d("2026-09-30")), 1);
	ctx = (struct mce_ctx){.tables = tables, .sets = sets, .nsets = 2};
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	mce_tables_free(tables);
	codes_lookup_free(cm1);
	codes_lookup_free(cm2);
	codes_lookup_free(pcs);
	return 0;
}

/* A claim from "DATE AGE SEX STATUS LOS PDX SDX,SDX PROC,PROC" ("-" = none). */
static void mk(struct claim *c, const char *spec)
{
	char date[16], pdx[16], sdx[256], proc[256], sex[4], st[4];
	memset(c, 0, sizeof *c);
	assert_int_equal(sscanf(spec, "%15s %d %3s %3s %d %15s %255s %255s", date, &c->age, sex, st,
				&c->los, pdx, sdx, proc),
			 8);
	snprintf(c->id, sizeof c->id, "t1");
	c->discharge = d(date);
	c->sex = sex[0];
	snprintf(c->status, sizeof c->status, "%.2s", st);
	snprintf(c->pdx.code, sizeof c->pdx.code, "%s", pdx);
	for (char *p = strcmp(sdx, "-") ? sdx : NULL; p;
	     p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		snprintf(c->sdx[c->nsdx++].code, CLAIM_CODE_MAX, "%.*s", (int)strcspn(p, ","), p);
	for (char *p = strcmp(proc, "-") ? proc : NULL; p;
	     p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		snprintf(c->proc[c->nproc++].code, CLAIM_CODE_MAX, "%.*s", (int)strcspn(p, ","), p);
}

static struct mce_result res;

/* Edits the claim; returns how many hits of edit it has. */
static int hits(const char *spec, enum mce_edit edit)
{
	struct claim c;
	mk(&c, spec);
	mce_check(&ctx, &c, &res);
	int n = 0;
	for (int i = 0; i < res.n; i++)
		n += res.hit[i].edit == edit;
	return n;
}

static void test_clean_claim(void **state)
{
	(void)state;
	assert_int_equal(hits("2026-05-01 50 F 01 3 A000 I10 0016070", MCE_INVALID_CODE), 0);
	assert_int_equal(res.n, 0);
	assert_int_equal(res.status, MCE_STATUS_NONE);
	assert_string_equal(mce_status_name(res.status), "NONE");
	assert_string_equal(mce_rel_version(res.rel), "43.1");
}

static void test_invalid_code(void **state)
{
	(void)state;
	/* a header (I21) as pdx, an unknown code twice, an unknown procedure: one per occurrence */
	assert_int_equal(
	    hits("2026-05-01 50 F 01 3 I21 ZZZ9,ZZZ9,A000 0016070,0000000", MCE_INVALID_CODE), 4);
	assert_int_equal(res.status, MCE_STATUS_PREPAYMENT);
	/* E11A is new in the second code set; E881 deleted there */
	assert_int_equal(hits("2025-09-30 50 F 01 3 A000 E11A,E881 -", MCE_INVALID_CODE), 1);
	assert_int_equal(res.hit[0].where, CLAIM_AT_SDX);
	assert_int_equal(res.hit[0].pos, 0);
	assert_int_equal(hits("2025-10-01 50 F 01 3 A000 E11A,E881 -", MCE_INVALID_CODE), 1);
	assert_int_equal(res.hit[0].pos, 1);
}

static void test_admit_dx(void **state)
{
	(void)state;
	struct claim c;
	mk(&c, "2026-05-01 50 F 01 3 A000 - -");
	c.has_admit_dx = 1;
	snprintf(c.admit_dx.code, sizeof c.admit_dx.code, "I21");
	mce_check(&ctx, &c, &res);
	assert_int_equal(res.n, 1);
	assert_int_equal(res.hit[0].edit, MCE_INVALID_ADMIT_DX);
	assert_int_equal(res.hit[0].where, CLAIM_AT_ADMIT);
}

static void test_pdx_edits(void **state)
{
	(void)state;
	assert_int_equal(hits("2026-05-01 50 F 01 3 V0001XA - -", MCE_E_CODE_AS_PDX), 1);
	assert_int_equal(hits("2026-05-01 50 F 01 3 A000 V0001XA -", MCE_E_CODE_AS_PDX), 0);
	assert_int_equal(hits("2026-05-01 50 F 01 3 A000 A000,I10,A000 -", MCE_DUPLICATE_OF_PDX),
			 2);
	assert_int_equal(hits("2026-05-01 50 F 01 3 I10 A000,A000 -", MCE_DUPLICATE_OF_PDX), 0);
	assert_int_equal(hits("2026-05-01 50 F 01 3 D630 - -", MCE_MANIFESTATION_AS_PDX), 1);
	assert_int_equal(hits("2026-05-01 50 F 01 3 A000 D630 -", MCE_MANIFESTATION_AS_PDX), 0);
	assert_int_equal(hits("2026-05-01 50 F 01 3 Z0000 - -", MCE_UNACCEPTABLE_PDX), 1);
	assert_int_equal(hits("2026-05-01 50 F 01 3 Z5189 - -", MCE_REQUIRES_SDX), 1);
	assert_int_equal(res.n, 1); /* not also UNACCEPTABLE_PDX */
	assert_int_equal(hits("2026-05-01 50 F 01 3 Z5189 A000 -", MCE_REQUIRES_SDX), 0);
	assert_int_equal(res.n, 0);
	assert_int_equal(hits("2026-05-01 50 F 01 3 Y6551 - -", MCE_WRONG_PROCEDURE_PERFORMED), 1);
	assert_int_equal(res.n, 2); /* and E_CODE_AS_PDX */
	assert_int_equal(hits("2026-05-01 50 F 01 3 G8100 G8100,Y6551 -", MCE_UNSPECIFIED), 2);
}

static void test_questionable_by_release(void **state)
{
	(void)state;
	/* R030 questionable in 43.0 only, I10 in 43.1 only */
	assert_int_equal(hits("2026-03-31 50 F 01 3 R030 - -", MCE_QUESTIONABLE_ADMISSION), 1);
	assert_int_equal(hits("2026-04-01 50 F 01 3 R030 - -", MCE_QUESTIONABLE_ADMISSION), 0);
	assert_int_equal(hits("2026-04-01 50 F 01 3 I10 - -", MCE_QUESTIONABLE_ADMISSION), 1);
	assert_int_equal(hits("2026-04-01 50 F 01 3 A000 I10 -", MCE_QUESTIONABLE_ADMISSION), 0);
}

static void test_age_bands(void **state)
{
	(void)state;
	static const struct {
		const char *code;
		int age, conflict;
	} t[] = {
	    {"P000", 0, 0},  {"P000", 1, 1},   {"Q000", 0, 0},	 {"Q000", 17, 0},  {"Q000", 18, 1},
	    {"O000", 8, 1},  {"O000", 9, 0},   {"O000", 64, 0},	 {"O000", 65, 1},  {"F030", 14, 1},
	    {"F030", 15, 0}, {"F030", 124, 0}, {"F030", 125, 1}, {"A000", 999, 0},
	};
	char spec[96];
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		snprintf(spec, sizeof spec, "2026-05-01 %d F 01 3 A000 %s -", t[i].age, t[i].code);
		assert_int_equal(hits(spec, MCE_AGE_CONFLICT), t[i].conflict);
		snprintf(spec, sizeof spec, "2026-05-01 %d F 01 3 %s %s,%s -", t[i].age, t[i].code,
			 t[i].code, t[i].code);
		assert_int_equal(hits(spec, MCE_AGE_CONFLICT), 3 * t[i].conflict);
	}
	assert_int_equal(hits("2026-05-01 124 F 01 3 A000 - -", MCE_INVALID_AGE), 0);
	assert_int_equal(hits("2026-05-01 125 F 01 3 A000 - -", MCE_INVALID_AGE), 1);
	assert_int_equal(hits("2026-05-01 -1 F 01 3 A000 - -", MCE_INVALID_AGE), 1);
}

static void test_non_covered(void **state)
{
	(void)state;
	assert_int_equal(hits("2026-05-01 50 F 01 3 A000 - 00F3XZZ,00F3XZZ", MCE_NON_COVERED), 2);
	assert_int_equal(res.n, 2); /* NON_COVERED, not also LIMITED_COVERAGE */
	/* B: pancreas alone non-covered; with a kidney or a listed diabetes dx limited */
	assert_int_equal(hits("2026-05-01 50 F 01 3 A000 - 0FYG0Z0", MCE_NON_COVERED), 1);
	assert_int_equal(hits("2026-05-01 50 F 01 3 A000 - 0FYG0Z0,0TY00Z0", MCE_NON_COVERED), 0);
	assert_int_equal(hits("2026-05-01 50 F 01 3 A000 - 0FYG0Z0,0TY00Z0", MCE_LIMITED_COVERAGE),
			 2);
	assert_int_equal(hits("2026-05-01 50 F 01 3 A000 E109 0FYG0Z0", MCE_NON_COVERED), 0);
	assert_int_equal(hits("2026-05-01 50 F 01 3 E109 - 0FYG0Z0", MCE_LIMITED_COVERAGE), 1);
	/* D only with a listed leukemia */
	assert_int_equal(hits("2026-05-01 50 F 01 3 A000 - 30233G0", MCE_NON_COVERED), 0);
	assert_int_equal(hits("2026-05-01 50 F 01 3 A000 C9100 30233G0", MCE_NON_COVERED), 1);
	assert_int_equal(hits("2026-05-01 50 F 01 3 C9100 - 30233G0", MCE_NON_COVERED), 1);
	/* F over 60 */
	assert_int_equal(hits("2026-05-01 60 F 01 3 A000 - 0SR20JZ", MCE_NON_COVERED), 0);
	assert_int_equal(hits("2026-05-01 61 F 01 3 A000 - 0SR20JZ", MCE_NON_COVERED), 1);
	assert_int_equal(hits("2026-05-01 -1 F 01 3 A000 - 0SR20JZ", MCE_NON_COVERED), 1);
	assert_int_equal(hits("2026-05-01 0 F 01 3 A000 - 0SR20JZ", MCE_NON_COVERED), 0);
	/* G with Z302 */
	assert_int_equal(hits("2026-05-01 30 F 01 3 A000 - 0U570ZZ", MCE_NON_COVERED), 0);
	assert_int_equal(hits("2026-05-01 30 F 01 3 A000 Z302 0U570ZZ", MCE_NON_COVERED), 1);
	assert_int_equal(hits("2026-05-01 30 F 01 3 A000 - 02YA0Z0,02YA0Z0", MCE_LIMITED_COVERAGE),
			 2);
}

static void test_obstetric_and_los(void **state)
{
	(void)state;
	assert_int_equal(
	    hits("2026-05-01 30 F 01 3 O000 - 10D00Z1", MCE_QUESTIONABLE_OBSTETRIC_ADMISSION), 1);
	assert_int_equal(
	    hits("2026-05-01 30 F 01 3 O000 Z370 10D00Z1", MCE_QUESTIONABLE_OBSTETRIC_ADMISSION),
	    0);
	/* an outcome of delivery as principal does not count */
	assert_int_equal(
	    hits("2026-05-01 30 F 01 3 Z370 - 10D00Z1", MCE_QUESTIONABLE_OBSTETRIC_ADMISSION), 1);
	assert_int_equal(
	    hits("2026-05-01 30 F 01 0 A000 - 5A1955Z", MCE_INCONSISTENT_WITH_LENGTH_OF_STAY), 1);
	assert_int_equal(
	    hits("2026-05-01 30 F 01 4 A000 - 5A1955Z", MCE_INCONSISTENT_WITH_LENGTH_OF_STAY), 1);
	assert_int_equal(
	    hits("2026-05-01 30 F 01 5 A000 - 5A1955Z", MCE_INCONSISTENT_WITH_LENGTH_OF_STAY), 0);
}

static void test_claim_edits(void **state)
{
	(void)state;
	assert_int_equal(hits("2026-05-01 30 U 01 3 A000 - -", MCE_INVALID_SEX), 0);
	assert_int_equal(hits("2026-05-01 30 X 01 3 A000 - -", MCE_INVALID_SEX), 1);
	assert_int_equal(res.hit[0].where, CLAIM_AT_CLAIM);
	assert_int_equal(hits("2026-05-01 30 F 02 3 A000 - -", MCE_INVALID_DISCHARGE_STATUS), 1);
	/* 21 valid from 2026-01-01 only */
	assert_int_equal(hits("2025-12-31 30 F 21 3 A000 - -", MCE_INVALID_DISCHARGE_STATUS), 1);
	assert_int_equal(hits("2026-01-01 30 F 21 3 A000 - -", MCE_INVALID_DISCHARGE_STATUS), 0);
}

static void test_dates(void **state)
{
	(void)state;
	/* after the newest release: no edits at all */
	assert_int_equal(hits("2026-10-01 999 X 99 3 I21 - -", MCE_INVALID_CODE), 0);
	assert_int_equal(res.n, 0);
	assert_int_equal(res.status, MCE_STATUS_INVALID_DISCHARGE_DATE);
	assert_string_equal(mce_status_name(res.status), "INVALID_DISCHARGE_DATE");
	assert_null(res.rel);
	/* before the earliest: its lists, the code set of the claim's date, said so */
	assert_int_equal(hits("2025-03-01 50 F 01 3 R030 E11A -", MCE_QUESTIONABLE_ADMISSION), 1);
	assert_int_equal(res.before_first, 1);
	assert_string_equal(mce_rel_version(res.rel), "43.0");
	assert_int_equal(hits("2025-03-01 50 F 01 3 R030 E11A -", MCE_INVALID_CODE), 1);
	/* --release: every claim against 43.1 and the code set of its first day */
	ctx.forced = mce_tables_find(tables, "43.1");
	assert_non_null(ctx.forced);
	assert_int_equal(hits("2150-01-01 50 F 01 3 I10 E11A -", MCE_QUESTIONABLE_ADMISSION), 1);
	assert_int_equal(res.status, MCE_STATUS_PREPAYMENT);
	assert_int_equal(hits("2150-01-01 50 F 01 3 I10 E11A -", MCE_INVALID_CODE), 0);
	ctx.forced = NULL;
}

static int parse(struct claim *c, const char *line, mrt_err *err)
{
	memset(err, 0, sizeof *err);
	return claim_jsonl_parse(c, line, strlen(line), "c.jsonl", 7, err);
}

static void test_reader(void **state)
{
	(void)state;
	struct claim c;
	mrt_err err;
	assert_int_equal(
	    parse(
		&c,
		"{\"id\":\"a1\",\"discharge_date\":\"2026-05-01\",\"age\":50,\"sex\":\"F\","
		"\"discharge_status\":\"1\",\"los\":3,\"pdx\":{\"code\":\"g81.00\",\"poa\":\"Y\"},"
		"\"sdx\":[{\"code\":\"I10\"},{\"code\":\"I10\"}],\"procedures\":[{\"code\":"
		"\"5a1955z\",\"date\":\"2026-04-30\"}],\"admit_dx\":{\"code\":\"R03.0\"}}",
		&err),
	    0);
	assert_string_equal(c.pdx.code, "G8100");
	assert_string_equal(c.pdx.poa, "Y");
	assert_string_equal(c.status, "01");
	assert_string_equal(c.proc[0].code, "5A1955Z");
	assert_int_equal(c.proc[0].date, d("2026-04-30"));
	assert_int_equal(c.has_admit_dx, 1);
	assert_string_equal(c.admit_dx.code, "R030");
	assert_int_equal(c.nsdx, 2);
	mce_check(&ctx, &c, &res);
	assert_int_equal(
	    res.n, 2); /* UNSPECIFIED (dotted code undotted) and INCONSISTENT_WITH_LENGTH_OF_STAY */
	assert_int_equal(
	    parse(&c,
		  "{\"id\":\"a2\",\"discharge_date\":\"2026-05-01\",\"age\":5,\"sex\":\"Q\","
		  "\"discharge_status\":\"7x\",\"los\":3,\"pdx\":{\"code\":\"A000\"}}",
		  &err),
	    0);
	assert_int_equal(c.sex, 'X');
	assert_int_equal(c.nsdx, 0);
	assert_string_equal(c.status, ""); /* "7x": kept as an invalid status */
	assert_int_equal(
	    parse(&c,
		  "{\"id\":\"a3\",\"discharge_date\":\"2026-05-01\",\"age\":63.0,\"sex\":\"M\","
		  "\"discharge_status\":\" 06 \",\"los\":2,\"pdx\":{\"code\":\"A000\"}}",
		  &err),
	    0);
	assert_int_equal(c.age, 63);
	assert_string_equal(c.status, "06");
}

/* Blank codes as the CMS component takes them (checked against it): a blank
 * principal diagnosis is an invalid code, a blank secondary diagnosis or
 * procedure slot is no code; a negative stay is edited, not refused. */
static void test_reader_blanks(void **state)
{
	(void)state;
	struct claim c;
	mrt_err err;
	assert_int_equal(
	    parse(&c,
		  "{\"id\":\"k1\",\"discharge_date\":\"2026-05-01\",\"age\":50,\"sex\":\"M\","
		  "\"discharge_status\":\"01\",\"los\":-2,\"pdx\":{\"code\":\"\",\"poa\":\"\"},"
		  "\"sdx\":[{\"code\":\"\"},{\"code\":\" I10 \"},{\"code\":\" \"}],"
		  "\"procedures\":[{\"code\":\"\"},{\"code\":\"5A1955Z\"}],\"admit_dx\":\"\"}",
		  &err),
	    0);
	assert_int_equal(c.los, -2);
	assert_string_equal(c.pdx.code, "");
	assert_int_equal(c.nsdx, 1);
	assert_string_equal(c.sdx[0].code, "I10");
	assert_int_equal(c.nproc, 1);
	assert_string_equal(c.proc[0].code, "5A1955Z");
	assert_int_equal(c.has_admit_dx, 0);
	mce_check(&ctx, &c, &res);
	assert_int_equal(res.n, 2);
	assert_int_equal(res.hit[0].edit, MCE_INVALID_CODE);
	assert_int_equal(res.hit[0].where, CLAIM_AT_PDX);
	assert_int_equal(res.hit[1].edit, MCE_INCONSISTENT_WITH_LENGTH_OF_STAY);
	assert_int_equal(res.hit[1].pos, 0);
}

static void reader_error(const char *line, const char *field, const char *hidden)
{
	struct claim c;
	mrt_err err;
	assert_int_not_equal(parse(&c, line, &err), 0);
	assert_non_null(strstr(err.msg, "c.jsonl:7"));
	assert_non_null(strstr(err.msg, field));
	if (hidden)
		assert_null(strstr(err.msg, hidden));
}

static void test_reader_errors(void **state)
{
	(void)state;
	char big[4096];
	int n =
	    snprintf(big, sizeof big,
		     "{\"id\":\"b\",\"discharge_date\":\"2026-05-01\",\"age\":5,\"sex\":\"F\","
		     "\"discharge_status\":\"01\",\"los\":3,\"pdx\":{\"code\":\"A000\"},\"sdx\":[");
	for (int i = 0; i < 25; i++)
		n +=
		    snprintf(big + n, sizeof big - (size_t)n, "%s{\"code\":\"I10\"}", i ? "," : "");
	snprintf(big + n, sizeof big - (size_t)n, "]}");
	reader_error(big, "field sdx: more than 24 secondary diagnoses", NULL);
	reader_error("{\"id\":\"b\",\"discharge_date\":\"2026-02-03\",\"age\":5,\"sex\":\"F\","
		     "\"discharge_status\":\"01\",\"los\":3,\"pdx\":{\"code\":\"A000\"},"
		     "\"sdx\":{\"code\":\"I10\"}}",
		     "field sdx: not an array", NULL);
	reader_error("{\"id\":\"b\",\"discharge_date\":\"2026-02-03\",\"age\":5,\"sex\":\"F\","
		     "\"discharge_status\":\"01\",\"los\":3,\"pdx\":{\"code\":\"A000\"},"
		     "\"procedures\":\"0016070\"}",
		     "field procedures: not an array", NULL);
	reader_error("{\"id\":\"b\",\"discharge_date\":\"2026-02-30\",\"age\":5,\"sex\":\"F\","
		     "\"discharge_status\":"
		     "\"01\",\"los\":3,\"pdx\":{\"code\":\"A000\"}}",
		     "discharge_date", "2026-02-30");
	reader_error("{\"id\":\"b\",\"discharge_date\":\"2026-02-03\",\"age\":5,\"sex\":\"F\","
		     "\"discharge_status\":"
		     "\"01\",\"los\":3,\"pdx\":{\"code\":\"SECRETSECRETSECRET\"}}",
		     "pdx.code", "SECRET");
	reader_error("{\"id\":\"b\",\"discharge_date\":\"2026-02-03\",\"age\":\"old\",\"sex\":"
		     "\"F\",\"discharge_status\":"
		     "\"01\",\"los\":3,\"pdx\":{\"code\":\"A000\"}}",
		     "age", "old");
	reader_error("{\"id\":\"b\",\"discharge_date\":\"2026-02-03\",\"age\":5,\"sex\":\"F\","
		     "\"discharge_status\":"
		     "\"01\",\"los\":3}",
		     "pdx", NULL);
	reader_error("{\"id\":\"b\",\"discharge_date\":\"2026-02-03\",\"age\":5,\"sex\":\"F\","
		     "\"discharge_status\":"
		     "\"01\",\"los\":3,\"pdx\":{\"code\":\"A000\"},\"procedures\":[{\"code\":"
		     "\"0016070\",\"date\":"
		     "\"yesterday\"}]}",
		     "procedures[1].date", "yesterday");
	reader_error("{\"id\":\"b\",\"id\":\"c\"}", "JSON", NULL);
	reader_error("[1,2]", "object", NULL);
	reader_error("{\"discharge_date\":\"2026-02-03\"}", "id", NULL);
	reader_error("{\"id\":\"b\",\"discharge_date\":\"2026-02-03\",\"age\":6.5,\"sex\":\"F\","
		     "\"discharge_status\":"
		     "\"01\",\"los\":3,\"pdx\":{\"code\":\"A000\"}}",
		     "age", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_clean_claim),
	    cmocka_unit_test(test_invalid_code),
	    cmocka_unit_test(test_admit_dx),
	    cmocka_unit_test(test_pdx_edits),
	    cmocka_unit_test(test_questionable_by_release),
	    cmocka_unit_test(test_age_bands),
	    cmocka_unit_test(test_non_covered),
	    cmocka_unit_test(test_obstetric_and_los),
	    cmocka_unit_test(test_claim_edits),
	    cmocka_unit_test(test_dates),
	    cmocka_unit_test(test_reader),
	    cmocka_unit_test(test_reader_blanks),
	    cmocka_unit_test(test_reader_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
