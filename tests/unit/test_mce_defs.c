/*
 * Unit tests for src/formats/mce_defs (the CMS Definitions of Medicare Code
 * Edits reader) and the tables built from it (mce_tables_from_text): on
 * small hand-made texts in the manual's layout - the title, the table of
 * contents, section and subsection headings, codes named in prose, the
 * asterisked code, discontinued sections, discharge statuses with their
 * dates, chapter 2, page furniture, Windows-1252 - and malformed or
 * truncated texts, which must fail naming file:line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "edits/mce.h"
#include "edits/mce_data.h"
#include "edits/mce_tables.h"
#include "formats/mce_defs.h"

/* A small manual; "\x96" is the Windows-1252 en dash. */
static const char good[] =
    "\r\nDefinitions of Medicare Code Edits\r\nICD-10 Version\r\nv43.1 April 2026\r\n"
    "Table of Contents\r\n4. Age conflict\t8\r\nA. Perinatal/Newborn diagnoses\t9\r\n"
    "Chapter 2: Code list changes\t267\r\n \r\nAbout this document\r\n"
    "Chapter 1: Edit code lists\r\n4. Age conflict\r\n5. Sex conflict (deactivated as of "
    "10/01/2024)\r\n"
    "9. Unacceptable principal diagnosis\r\n"
    "4. Age conflict\r\nSome prose.\r\n* Perinatal/Newborn. Age 0 years only\r\n"
    "A. Perinatal/Newborn diagnoses\r\nA33\tTetanus neonatorum\r\nP0500\tNewborn light\r\n"
    "\t\t\r\n\tDefinitions of Medicare Code Edits\t1\r\n\tEdit code lists\r\n"
    "D. Adult diagnoses (age 15 through 124)\r\nF03A0\tDementia\r\n"
    "5. Sex conflict (deactivated as of 10/01/2024)\r\nProse about sex.\r\n"
    "8. Questionable admission\r\nA. Some diagnoses are not sufficient.\r\nQuestionable admission "
    "codes\r\n"
    "R030\tElevated blood-pressure reading\r\nB. The following procedures...\r\n"
    "1. Cesarean section procedure codes\r\n10D00Z0\tExtraction\r\n"
    "2. Vaginal delivery procedure codes\r\n10E0XZZ\tDelivery\r\n"
    "3. Outcome of delivery diagnoses codes\r\nZ370\tSingle live birth\r\n"
    "9. Unacceptable principal diagnosis\r\nIf no secondary diagnosis is present:\r\n"
    "Z5189\tEncounter for other specified aftercare\r\nUnacceptable principal diagnosis codes\r\n"
    "*Z5189\tEncounter for other specified aftercare\r\nZ516\tEncounter for desensitization\r\n"
    "11. Non-covered procedure\r\nB. Non-covered procedure codes\r\n"
    "ICD-10-PCS procedure codes for pancreas transplants (0FYG0Z0, 0FYG0Z1) alone [without kidney "
    "transplant codes (0TY00Z0, 0TY10Z2)] are considered \"Non-covered\"\r\n"
    "When either 0FYG0Z0 (Transplantation of Pancreas, Open) is combined:\r\nDiagnoses list \r\n"
    "E1010\tType 1 diabetes\r\nC. Non-covered procedure codes (discontinued as of 04/01/2022)\r\n"
    "D. Non-covered procedure codes\r\nProcedures\r\n30233G0\tTransfuse\r\nDiagnoses\r\n"
    "C9100\tAcute lymphoblastic leukemia\r\nG. Non-covered procedure codes\r\n"
    "Only when ICD-10-CM diagnosis code Z302 (Encounter for sterilization) is listed.\r\n"
    "Procedure\r\n0UL70CZ\tOcclusion of Bilateral Fallopian Tubes\r\n"
    "16. Invalid discharge status\r\n01 = Home or self-care\r\n"
    "04 = Disch/trans to ICF (valid until 9/30/09)\r\n04 = Cust/supp care (added 10/01/09)\r\n"
    "71 = Outpatient services-other facility (10/01/01\x96"
    "09/30/03 only)\r\n"
    "64 = Nursing facility\x96Medicaid certified (added 10/01/02)\r\n"
    "19. Procedure inconsistent with LOS\r\n5A1955Z \tRespiratory Ventilation, >96 hours\r\n"
    "Chapter 2: Code list changes\r\nChanges to edits\r\n9. Unacceptable principal diagnosis\r\n"
    "The following codes were removed\r\nF0781\tPostconcussional syndrome\r\n"
    "The following codes were added\r\nZ516\tEncounter for desensitization\r\n"
    "11D. Non-covered procedure codes\r\nThe following codes were removed\r\n30233AZ\tTransfuse\r\n"
    "Index\r\nA\r\nAdult\t73\r\nZ999\t12\r\n\tDefinitions of Medicare Code Edits\t1\r\n";

static int read_text(struct mce_data *d, const char *text, size_t len, mrt_err *err)
{
	mrt_src *src = NULL;
	int rc = mrt_src_open_mem(&src, "defs.txt", text, len, err);
	if (rc == 0)
		rc = mce_data_read(d, src, err);
	mrt_src_close(src);
	return rc;
}

static int on(const struct mce_data *d, enum mce_list l, const char *code)
{
	for (size_t i = 0; i < d->nm; i++)
		if (d->m[i].list == l && strcmp(d->m[i].code, code) == 0)
			return 1;
	return 0;
}

static void test_lists(void **state)
{
	(void)state;
	struct mce_data d;
	mrt_err err = {0};
	assert_int_equal(read_text(&d, good, sizeof good - 1, &err), 0);
	assert_string_equal(d.head.version, "43.1");
	assert_int_equal(d.head.year, 2026);
	assert_int_equal(d.head.month, 4);
	char a[MRT_DATE_LEN], b[MRT_DATE_LEN];
	mrt_date_format(a, d.from);
	mrt_date_format(b, d.to);
	assert_string_equal(a, "2026-04-01");
	assert_string_equal(b, "2026-09-30");
	assert_true(on(&d, ML_NEWBORN, "A33") && on(&d, ML_NEWBORN, "P0500"));
	assert_true(on(&d, ML_ADULT, "F03A0"));
	assert_true(on(&d, ML_QUESTIONABLE, "R030"));
	assert_true(on(&d, ML_CESAREAN, "10D00Z0") && on(&d, ML_VAGINAL, "10E0XZZ"));
	assert_true(on(&d, ML_OUTCOME_DELIVERY, "Z370"));
	assert_true(on(&d, ML_UNACCEPTABLE_PDX, "Z5189") && on(&d, ML_REQUIRES_SDX, "Z5189"));
	assert_false(on(&d, ML_REQUIRES_SDX, "Z516"));
	assert_true(on(&d, ML_NONCOV_B_PROC, "0FYG0Z0") && on(&d, ML_NONCOV_B_PROC, "0FYG0Z1"));
	assert_true(on(&d, ML_NONCOV_B_KIDNEY, "0TY00Z0") && on(&d, ML_NONCOV_B_KIDNEY, "0TY10Z2"));
	assert_false(on(&d, ML_NONCOV_B_KIDNEY, "0FYG0Z0"));
	assert_true(on(&d, ML_NONCOV_B_DX, "E1010"));
	assert_true(on(&d, ML_NONCOV_D_PROC, "30233G0") && on(&d, ML_NONCOV_D_DX, "C9100"));
	assert_true(on(&d, ML_NONCOV_G_DX, "Z302") && on(&d, ML_NONCOV_G_PROC, "0UL70CZ"));
	assert_true(on(&d, ML_LOS_VENT, "5A1955Z"));
	/* Nothing from the table of contents or the index. */
	assert_false(on(&d, ML_UNSPECIFIED, "Z999"));
	assert_int_equal(d.nm, 20);
	mce_data_free(&d);
}

static void test_statuses_and_changes(void **state)
{
	(void)state;
	struct mce_data d;
	mrt_err err = {0};
	assert_int_equal(read_text(&d, good, sizeof good - 1, &err), 0);
	assert_int_equal(d.nst, 5);
	assert_string_equal(d.st[1].status, "04");
	assert_true(d.st[1].has_to && !d.st[1].has_from);
	assert_true(d.st[2].has_from && !d.st[2].has_to);
	assert_string_equal(d.st[2].title, "Cust/supp care");
	assert_true(d.st[3].has_from && d.st[3].has_to);
	char a[MRT_DATE_LEN];
	mrt_date_format(a, d.st[3].to);
	assert_string_equal(a, "2003-09-30");
	assert_string_equal(d.st[4].title, "Nursing facility\xe2\x80\x93Medicaid certified");
	assert_int_equal(d.nchg, 3);
	assert_int_equal(d.chg[0].list, ML_UNACCEPTABLE_PDX);
	assert_int_equal(d.chg[0].added, 0);
	assert_int_equal(d.chg[1].added, 1);
	assert_int_equal(d.chg[2].list, ML_NONCOV_D_PROC);
	struct mce_member *prev = NULL;
	size_t n = 0;
	char ver[16];
	mrt_day from, to;
	int ok = 0;
	assert_int_equal(mce_data_previous(&d, &prev, &n, ver, sizeof ver, &from, &to, &ok, &err),
			 0);
	assert_true(ok);
	assert_string_equal(ver, "43.0");
	mrt_date_format(a, from);
	assert_string_equal(a, "2025-10-01");
	mrt_date_format(a, to);
	assert_string_equal(a, "2026-03-31");
	assert_int_equal(n, d.nm + 2 - 1); /* two removals undone, one addition undone */
	free(prev);
	mce_data_free(&d);
}

static void test_tables(void **state)
{
	(void)state;
	mce_tables *t = NULL;
	mrt_err err = {0};
	assert_int_equal(mce_tables_from_text(&t, "defs.txt", good, sizeof good - 1, &err), 0);
	assert_int_equal(mce_tables_count(t), 2);
	mrt_day d;
	assert_int_equal(mrt_date_parse(&d, "2026-05-01"), 0);
	const mce_rel *r = mce_tables_on(t, d, NULL);
	assert_non_null(r);
	assert_string_equal(mce_rel_version(r), "43.1");
	assert_true(mce_rel_lists(r, "Z516") & ML_BIT(ML_UNACCEPTABLE_PDX));
	assert_false(mce_rel_lists(r, "F0781") & ML_BIT(ML_UNACCEPTABLE_PDX));
	assert_int_equal(mce_rel_lists(r, "Z5189"),
			 ML_BIT(ML_UNACCEPTABLE_PDX) | ML_BIT(ML_REQUIRES_SDX));
	assert_int_equal(mce_rel_lists(r, "NOPE"), 0);
	assert_int_equal(mce_rel_lists(r, "TOOLONGCODE"), 0);
	assert_true(mce_rel_status_valid(r, "04", d));
	assert_false(mce_rel_status_valid(r, "71", d));
	assert_false(mce_rel_status_valid(r, "99", d));
	assert_false(mce_rel_status_valid(r, "4", d));
	assert_int_equal(mrt_date_parse(&d, "2002-05-01"), 0);
	int before = 0;
	r = mce_tables_on(t, d, &before);
	assert_true(before);
	assert_string_equal(mce_rel_version(r), "43.0");
	assert_true(mce_rel_status_valid(r, "71", d));
	assert_int_equal(mrt_date_parse(&d, "2025-12-01"), 0);
	r = mce_tables_on(t, d, &before);
	assert_false(before);
	assert_string_equal(mce_rel_version(r), "43.0");
	assert_true(mce_rel_lists(r, "F0781") & ML_BIT(ML_UNACCEPTABLE_PDX));
	assert_false(mce_rel_lists(r, "Z516") & ML_BIT(ML_UNACCEPTABLE_PDX));
	assert_true(mce_rel_lists(r, "30233AZ") & ML_BIT(ML_NONCOV_D_PROC));
	assert_int_equal(mrt_date_parse(&d, "2026-10-01"), 0);
	assert_null(mce_tables_on(t, d, NULL));
	enum mce_list l;
	assert_int_equal(mce_list_parse(mce_list_name(ML_NONCOV_B_KIDNEY), &l), 0);
	assert_int_equal(l, ML_NONCOV_B_KIDNEY);
	mce_tables_free(t);
}

/* The text with `from` replaced by `to` (first occurrence) must fail with
 * a message holding want. */
static void expect_fail(const char *from, const char *to, const char *want)
{
	char *text = malloc(sizeof good + 256);
	assert_non_null(text);
	const char *p = strstr(good, from);
	assert_non_null(p);
	size_t head = (size_t)(p - good);
	memcpy(text, good, head);
	size_t n = head;
	memcpy(text + n, to, strlen(to));
	n += strlen(to);
	size_t rest = strlen(p + strlen(from));
	memcpy(text + n, p + strlen(from), rest);
	n += rest;
	struct mce_data d;
	mrt_err err = {0};
	int rc = read_text(&d, text, n, &err);
	if (rc == 0)
		fail_msg("no error for %s -> %s", from, to);
	if (!strstr(err.msg, want))
		fail_msg("'%s' does not say '%s'", err.msg, want);
	mce_data_free(&d);
	free(text);
}

static void test_errors(void **state)
{
	(void)state;
	/* A code in a deactivated section, with its line. */
	expect_fail("Prose about sex.\r\n", "N400\tEnlarged prostate\r\n",
		    "code N400 in section 5");
	/* A code before any list heading of section 11 (prose, not a list). */
	expect_fail("Diagnoses list \r\n", "", "code E1010 outside any code list");
	/* Chapter 2 contradicting chapter 1. */
	expect_fail("F0781\tPostconcussional", "Z516\tPostconcussional", "still lists");
	/* Bad status dates. */
	expect_fail("(added 10/01/09)", "(added 13/45/09)", "discharge status 04");
	/* Truncated: the text stops in chapter 1. */
	const char *cut = strstr(good, "16. Invalid");
	assert_non_null(cut);
	struct mce_data d;
	mrt_err err = {0};
	assert_int_equal(read_text(&d, good, (size_t)(cut - good), &err), MRT_EPARSE);
	assert_non_null(strstr(err.msg, "ends in chapter 1 (section 11)"));
	assert_non_null(strstr(err.msg, "truncated"));
	mce_data_free(&d);
	/* Not a definitions text. */
	expect_fail("v43.1 April 2026", "version 43", "no version line");
	/* A year no date can hold is no title either. */
	expect_fail("v43.1 April 2026", "v43.1 April 505755", "no version line");
	/* Chapter 2 adding a code to a list chapter 1 does not have at all. */
	expect_fail("Z516\tEncounter for desensitization\r\n11.", "11.", "does not list");
	/* A byte neither UTF-8 nor Windows-1252. */
	expect_fail("Prose about sex.", "Prose \x81 sex.", "neither UTF-8 nor Windows-1252");
	/* Chapter 2 codes before saying added or removed. */
	expect_fail("The following codes were removed\r\nF0781", "F0781", "before a line saying");
}

static void test_lf_and_utf8(void **state)
{
	(void)state;
	char *text = malloc(sizeof good * 2);
	assert_non_null(text);
	size_t n = 0;
	for (const char *p = good; *p; p++) {
		if (*p == '\r')
			continue;
		if (*p == '\x96') {
			memcpy(text + n, "\xe2\x80\x93", 3);
			n += 3;
			continue;
		}
		text[n++] = *p;
	}
	struct mce_data d;
	mrt_err err = {0};
	assert_int_equal(read_text(&d, text, n, &err), 0);
	assert_int_equal(d.nm, 20);
	assert_string_equal(d.st[4].title, "Nursing facility\xe2\x80\x93Medicaid certified");
	mce_data_free(&d);
	free(text);
}

/* Releases with a gap between them: a day in the gap gets the release
 * before it; after the last day covered, none. */
static void test_gap(void **state)
{
	(void)state;
	mce_tables *t = mce_tables_new();
	assert_non_null(t);
	mrt_day a, b, c, d, x;
	assert_int_equal(mrt_date_parse(&a, "2019-10-01"), 0);
	assert_int_equal(mrt_date_parse(&b, "2020-09-30"), 0);
	assert_int_equal(mrt_date_parse(&c, "2024-10-01"), 0);
	assert_int_equal(mrt_date_parse(&d, "2025-09-30"), 0);
	mce_rel *r = mce_tables_add(t, "new", c, d);
	assert_non_null(r);
	assert_int_equal(mce_rel_add_code(r, ML_ADULT, "F03A0"), 0);
	assert_int_equal(mce_rel_set_statuses(r, NULL, 0), 0);
	r = mce_tables_add(t, "old", a, b); /* added second, sorted first */
	assert_non_null(r);
	assert_int_equal(mce_rel_set_statuses(r, NULL, 0), 0);
	assert_string_equal(mce_rel_version(mce_tables_at(t, 0)), "old");
	assert_int_equal(mrt_date_parse(&x, "2022-06-01"), 0);
	int before = 1;
	assert_string_equal(mce_rel_version(mce_tables_on(t, x, &before)), "old");
	assert_false(before);
	assert_string_equal(mce_rel_version(mce_tables_on(t, d, NULL)), "new");
	assert_int_equal(mce_rel_lists(mce_tables_find(t, "new"), "F03A0"), ML_BIT(ML_ADULT));
	assert_null(mce_tables_on(t, d + 1, NULL));
	assert_null(mce_tables_find(t, "none"));
	mce_tables_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lists),	cmocka_unit_test(test_statuses_and_changes),
	    cmocka_unit_test(test_tables),	cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_lf_and_utf8), cmocka_unit_test(test_gap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
