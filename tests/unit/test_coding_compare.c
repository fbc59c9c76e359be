/*
 * Unit tests for the comparison of two codings (chart/coding_compare.c):
 * full agreement, a principal that differs, codes of the same category
 * paired as "different", missing and extra codes, POA differences,
 * duplicates counted once, procedures, empty sides, the list cap, and the
 * per-coder sums with their rates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "chart/coding_compare.h"

/* "PDX:POA SDX:POA ... | PCS PCS ..." */
static struct cc_coding coding(const char *spec)
{
	struct cc_coding c;
	memset(&c, 0, sizeof c);
	char buf[512];
	snprintf(buf, sizeof buf, "%s", spec);
	int px = 0, first = 1;
	for (char *save = NULL, *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (strcmp(t, "|") == 0) {
			px = 1;
			continue;
		}
		if (px) {
			snprintf(c.px[c.npx++], CC_CODE_MAX, "%s", t);
			continue;
		}
		struct cc_dx *d = first ? &c.pdx : &c.sdx[c.nsdx++];
		first = 0;
		char *colon = strchr(t, ':');
		if (colon) {
			*colon = 0;
			snprintf(d->poa, sizeof d->poa, "%s", colon + 1);
		}
		snprintf(d->code, sizeof d->code, "%s", t);
	}
	return c;
}

static struct cc_result cmp(const char *coder, const char *reviewer)
{
	struct cc_coding a = coding(coder), b = coding(reviewer);
	struct cc_result r;
	cc_compare(&a, &b, &r);
	return r;
}

static void assert_diff(const struct cc_diff *d, enum cc_diff_kind k, int px, const char *coder,
			const char *reviewer)
{
	assert_int_equal(d->kind, k);
	assert_int_equal(d->px, px);
	assert_string_equal(d->coder, coder);
	assert_string_equal(d->reviewer, reviewer);
}

static void test_agree(void **state)
{
	(void)state;
	struct cc_result r = cmp("J189:Y I10:Y E119:Y | 0DTJ4ZZ", "J189:Y E119:Y I10:Y | 0DTJ4ZZ");
	assert_true(r.pdx_agree);
	assert_int_equal(r.dx_coder, 3);
	assert_int_equal(r.dx_reviewer, 3);
	assert_int_equal(r.dx_both, 3);
	assert_int_equal(r.px_both, 1);
	assert_int_equal(r.ndiff, 0);
	assert_true(cc_dx_agree(&r));
	assert_true(cc_px_agree(&r));
}

static void test_principal_and_different(void **state)
{
	(void)state;
	/* The principal differs within one category: listed as principal and
	 * as a different code; K219 agrees. */
	struct cc_result r = cmp("K8000:Y K219:Y", "K8010:Y K219:Y");
	assert_false(r.pdx_agree);
	assert_int_equal(r.dx_both, 1);
	assert_int_equal(r.ndiff, 2);
	assert_diff(&r.diff[0], CC_DIFF_PDX, 0, "K8000", "K8010");
	assert_diff(&r.diff[1], CC_DIFF_DIFFERENT, 0, "K8000", "K8010");
	assert_false(cc_dx_agree(&r));
	assert_string_equal(cc_diff_kind_name(CC_DIFF_DIFFERENT), "different");
	/* A principal coded as a secondary by the other: in the set, not
	 * the principal. */
	r = cmp("I10:Y E119:Y", "E119:Y I10:Y");
	assert_false(r.pdx_agree);
	assert_int_equal(r.dx_both, 2);
	assert_int_equal(r.ndiff, 1);
}

static void test_missing_extra(void **state)
{
	(void)state;
	struct cc_result r = cmp("N179:Y E871:Y K219:Y", "N179:Y E871:Y E785:Y");
	assert_true(r.pdx_agree);
	assert_int_equal(r.dx_both, 2);
	assert_int_equal(r.ndiff, 2);
	assert_diff(&r.diff[0], CC_DIFF_EXTRA, 0, "K219", "");
	assert_diff(&r.diff[1], CC_DIFF_MISSING, 0, "", "E785");
	/* Two of one category on one side, one on the other: one pair, one
	 * extra. */
	r = cmp("I10 E1165 E119", "I10 E1122");
	assert_int_equal(r.ndiff, 2);
	assert_diff(&r.diff[0], CC_DIFF_DIFFERENT, 0, "E1165", "E1122");
	assert_diff(&r.diff[1], CC_DIFF_EXTRA, 0, "E119", "");
}

static void test_poa(void **state)
{
	(void)state;
	struct cc_result r = cmp("A419:Y E871:N N390", "A419:Y E871:Y N390:Y");
	assert_int_equal(r.dx_both, 3);
	assert_int_equal(r.poa_diff, 2);
	assert_int_equal(r.ndiff, 2);
	assert_diff(&r.diff[0], CC_DIFF_POA, 0, "E871", "E871");
	assert_string_equal(r.diff[0].coder_poa, "N");
	assert_string_equal(r.diff[0].reviewer_poa, "Y");
	assert_string_equal(r.diff[1].coder_poa, "");
	assert_false(cc_dx_agree(&r)); /* same codes, POA differs */
}

static void test_duplicates_and_procedures(void **state)
{
	(void)state;
	/* A code twice counts once; procedures compare as sets. */
	struct cc_result r = cmp("I10 I10 | 0DTJ4ZZ 0DTJ4ZZ", "I10 | 0DTJ4ZZ 5A1955Z 0FT44ZZ");
	assert_int_equal(r.dx_coder, 1);
	assert_int_equal(r.px_coder, 1);
	assert_int_equal(r.px_reviewer, 3);
	assert_int_equal(r.px_both, 1);
	assert_int_equal(r.ndiff, 2);
	assert_diff(&r.diff[0], CC_DIFF_MISSING, 1, "", "5A1955Z");
	assert_diff(&r.diff[1], CC_DIFF_MISSING, 1, "", "0FT44ZZ");
	assert_false(cc_px_agree(&r));
	/* Same root operation, another approach: different. */
	r = cmp("K3580 | 0DTJ4ZZ", "K3580 | 0DTJ0ZZ");
	assert_int_equal(r.ndiff, 1);
	assert_diff(&r.diff[0], CC_DIFF_DIFFERENT, 1, "0DTJ4ZZ", "0DTJ0ZZ");
}

static void test_empty(void **state)
{
	(void)state;
	struct cc_result r = cmp("", "I10");
	assert_false(r.pdx_agree); /* nothing coded never agrees */
	assert_int_equal(r.dx_coder, 0);
	assert_int_equal(r.dx_reviewer, 1);
	assert_int_equal(r.ndiff, 2);
	assert_diff(&r.diff[0], CC_DIFF_PDX, 0, "", "I10");
	assert_diff(&r.diff[1], CC_DIFF_MISSING, 0, "", "I10");
	r = cmp("I10", "I10");
	assert_true(cc_px_agree(&r)); /* no procedures on either side */
}

static void test_cap(void **state)
{
	(void)state;
	struct cc_coding a, b;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	snprintf(a.pdx.code, CC_CODE_MAX, "A000");
	snprintf(b.pdx.code, CC_CODE_MAX, "B000");
	a.nsdx = b.nsdx = CC_MAX_DX;
	a.npx = b.npx = CC_MAX_PX;
	for (int i = 0; i < CC_MAX_DX; i++) {
		snprintf(a.sdx[i].code, CC_CODE_MAX, "C%03d", i);
		snprintf(b.sdx[i].code, CC_CODE_MAX, "D%03d", i);
	}
	for (int i = 0; i < CC_MAX_PX; i++) {
		snprintf(a.px[i], CC_CODE_MAX, "0%02dAAAA", i);
		snprintf(b.px[i], CC_CODE_MAX, "1%02dBBBB", i);
	}
	struct cc_result r;
	cc_compare(&a, &b, &r);
	assert_int_equal(r.dx_coder, CC_MAX_DX + 1);
	assert_int_equal(r.ndiff, CC_MAX_DIFF);
	assert_true(r.truncated);
}

static void test_tally(void **state)
{
	(void)state;
	struct cc_tally t;
	memset(&t, 0, sizeof t);
	struct cc_result r = cmp("J189:Y I10:Y", "J189:Y I10:Y");
	cc_tally_add(&t, &r);
	r = cmp("K8000:Y K219:Y | 0FT44ZZ", "K8010:Y K219:Y | 0FT44ZZ 5A1955Z");
	cc_tally_add(&t, &r);
	cc_tally_edits(&t, 2, 1, 0);
	cc_tally_edits(&t, 0, 0, 1);
	assert_int_equal(t.items, 2);
	assert_int_equal(t.pdx_agree, 1);
	assert_int_equal(t.dx_coder, 4);
	assert_int_equal(t.dx_both, 3);
	assert_int_equal(t.dx_items_agree, 1);
	assert_int_equal(t.px_items_agree, 1);
	assert_int_equal(t.edits_items, 2);
	assert_int_equal(t.edits_items_agree, 1);
	assert_int_equal(t.edits_coder, 2);
	assert_true(cc_ratio(t.pdx_agree, t.items) == 0.5);
	assert_true(cc_ratio(t.dx_both, t.dx_coder) == 0.75);
	assert_true(cc_jaccard(t.dx_both, t.dx_coder, t.dx_reviewer) == 3.0 / 5.0);
	assert_true(cc_jaccard(t.px_both, t.px_coder, t.px_reviewer) == 0.5);
	assert_true(cc_ratio(1, 0) < 0);
	assert_true(cc_jaccard(0, 0, 0) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_agree),
	    cmocka_unit_test(test_principal_and_different),
	    cmocka_unit_test(test_missing_extra),
	    cmocka_unit_test(test_poa),
	    cmocka_unit_test(test_duplicates_and_procedures),
	    cmocka_unit_test(test_empty),
	    cmocka_unit_test(test_cap),
	    cmocka_unit_test(test_tally),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
