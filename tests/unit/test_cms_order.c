/*
 * Unit tests for src/formats/cms_order: the order file, codes file and
 * addenda layouts on small hand-made lines - good rows, CRLF and LF,
 * truncated and misaligned lines, bad flags, duplicates, Windows-1252 and
 * UTF-8 titles, bytes of the wrong encoding - and the code set helper.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "formats/cms_order.h"

/* One order-file line in the CMS layout. */
static void order_line(mrt_buf *b, int no, const char *code, char flag, const char *st,
                       const char *lt, const char *eol)
{
	mrt_buf_addf(b, "%05d %-7s %c %-60s %s%s", no, code, flag, st, lt, eol);
}

struct rows {
	int n, billable;
	char codes[16][8];
	char st[16][80], lt[16][200];
	long order[16];
};

static int collect(void *ctx, const struct cms_order_row *r, mrt_err *err)
{
	(void)err;
	struct rows *rs = ctx;
	if (rs->n < 16) {
		snprintf(rs->codes[rs->n], 8, "%s", r->code);
		snprintf(rs->st[rs->n], 80, "%s", r->short_title);
		snprintf(rs->lt[rs->n], 200, "%s", r->long_title);
		rs->order[rs->n] = r->order_no;
	}
	rs->n++;
	rs->billable += r->billable;
	return 0;
}

/* Runs the order reader over b; returns its status, rows in rs. */
static int read_order(const mrt_buf *b, struct rows *rs, mrt_err *err)
{
	mrt_src *s = NULL;
	memset(rs, 0, sizeof *rs);
	assert_int_equal(mrt_src_open_mem(&s, "order.txt", b->ptr, b->len, err), 0);
	int rc = cms_order_read(s, collect, rs, err);
	mrt_src_close(s);
	return rc;
}

static void good_file(mrt_buf *b, const char *eol)
{
	mrt_buf_reset(b);
	order_line(b, 1, "A00", '0', "Cholera", "Cholera", eol);
	order_line(b, 2, "A000", '1', "Cholera due to Vibrio cholerae 01, biovar cholerae",
	           "Cholera due to Vibrio cholerae 01, biovar cholerae", eol);
	order_line(b, 3, "S33121A", '1', "Dislocation of L2/L3 lumbar vertebra, initial encounter",
	           "Dislocation of L2/L3 lumbar vertebra, initial encounter", eol);
}

static void test_good_crlf_and_lf(void **state)
{
	(void)state;
	mrt_buf b = MRT_BUF_INIT(1 << 16);
	struct rows rs;
	mrt_err err = { 0 };
	const char *eols[2] = { "\r\n", "\n" };
	for (int i = 0; i < 2; i++) {
		good_file(&b, eols[i]);
		assert_int_equal(read_order(&b, &rs, &err), 0);
		assert_int_equal(rs.n, 3);
		assert_int_equal(rs.billable, 2);
		assert_string_equal(rs.codes[0], "A00");
		assert_string_equal(rs.codes[2], "S33121A");
		assert_int_equal(rs.order[1], 2);
		assert_string_equal(rs.st[1], "Cholera due to Vibrio cholerae 01, biovar cholerae");
		assert_string_equal(rs.lt[2], "Dislocation of L2/L3 lumbar vertebra, initial encounter");
	}
	mrt_buf_free(&b);
}

static void expect_error(mrt_buf *b, const char *want)
{
	struct rows rs;
	mrt_err err = { 0 };
	int rc = read_order(b, &rs, &err);
	assert_true(rc < 0);
	if (!strstr(err.msg, want))
		fail_msg("error '%s' does not contain '%s'", err.msg, want);
}

static void test_mixed_endings(void **state)
{
	(void)state;
	mrt_buf b = MRT_BUF_INIT(1 << 16);
	order_line(&b, 1, "A00", '0', "Cholera", "Cholera", "\r\n");
	order_line(&b, 2, "A000", '1', "Cholera due", "Cholera due", "\n");
	order_line(&b, 3, "A001", '1', "Cholera eltor", "Cholera eltor", "\r\n");
	expect_error(&b, "order.txt:2: line ends in LF or nothing but the lines before end in CR LF");
	mrt_buf_free(&b);
}

static void test_truncated(void **state)
{
	(void)state;
	mrt_buf b = MRT_BUF_INIT(1 << 16);
	good_file(&b, "\r\n");
	mrt_buf_adds(&b, "00004 A009    1 Cholera, unspecif");
	expect_error(&b, "order.txt:4:");
	/* Truncated in the middle of the last line's long title: no CR LF. */
	good_file(&b, "\r\n");
	b.len -= 10;
	b.ptr[b.len] = '\0';
	expect_error(&b, "order.txt:3: line ends in LF or nothing");
	mrt_buf_reset(&b);
	mrt_buf_adds(&b, "00001 A00     0 Cholera\r\n");
	expect_error(&b, "order.txt:1: line has 23 characters, fewer than the 78");
	mrt_buf_free(&b);
}

static void test_misaligned(void **state)
{
	(void)state;
	mrt_buf b = MRT_BUF_INIT(1 << 16);
	mrt_buf_adds(&b, " ");
	order_line(&b, 1, "A00", '0', "Cholera", "Cholera", "\r\n");
	expect_error(&b, "order.txt:1: misaligned columns: columns 1-5");
	mrt_buf_reset(&b);
	mrt_buf_addf(&b, "%05d %-8s %c %-60s %s\r\n", 1, "A00", '0', "Cholera", "Cholera");
	expect_error(&b, "order.txt:1: misaligned columns: the billable flag is in column 16");
	mrt_buf_reset(&b);
	mrt_buf_addf(&b, "%05d %-7s %c %-61s %s\r\n", 1, "A00", '0', "Cholera", "Cholera");
	expect_error(&b, "order.txt:1: misaligned columns: the short title must start in column 17");
	mrt_buf_reset(&b);
	mrt_buf_addf(&b, "%05d %-7s %c %-60s %s\r\n", 1, "a00", '0', "Cholera", "Cholera");
	expect_error(&b, "columns 7-13 must hold the code");
	mrt_buf_free(&b);
}

static void test_bad_flag(void **state)
{
	(void)state;
	mrt_buf b = MRT_BUF_INIT(1 << 16);
	order_line(&b, 1, "A00", '2', "Cholera", "Cholera", "\r\n");
	expect_error(&b, "order.txt:1: bad billable flag '2' in column 15 (expected 0 or 1)");
	mrt_buf_free(&b);
}

static void test_duplicate_and_order(void **state)
{
	(void)state;
	mrt_buf b = MRT_BUF_INIT(1 << 16);
	good_file(&b, "\r\n");
	order_line(&b, 4, "A000", '1', "Again", "Again", "\r\n");
	expect_error(&b, "order.txt:4: duplicate code A000 (first on line 2)");
	good_file(&b, "\r\n");
	order_line(&b, 2, "A009", '1', "Cholera, unspecified", "Cholera, unspecified", "\r\n");
	expect_error(&b, "order.txt:4: order number 00002 does not follow 00003");
	mrt_buf_free(&b);
}

static void test_encodings(void **state)
{
	(void)state;
	mrt_buf b = MRT_BUF_INIT(1 << 16);
	struct rows rs;
	mrt_err err = { 0 };
	/* Windows-1252: e-acute (0xE9) and a right quote (0x92), one byte each. */
	order_line(&b, 1, "C841", '1', "S\xE9zary disease", "S\xE9zary\x92s disease", "\r\n");
	/* UTF-8: two bytes for one character; the columns still line up. */
	order_line(&b, 2, "C842", '1', "S\xC3\xA9zary", "S\xC3\xA9zary syndrome", "\r\n");
	/* The UTF-8 short title is one byte longer than its 60 columns. */
	assert_int_equal(read_order(&b, &rs, &err), MRT_EPARSE);
	mrt_buf_reset(&b);
	order_line(&b, 1, "C841", '1', "S\xE9zary disease", "S\xE9zary\x92s disease", "\r\n");
	mrt_buf_addf(&b, "%05d %-7s %c %-61s %s\r\n", 2, "C842", '1', "S\xC3\xA9zary", "S\xC3\xA9zary syndrome");
	assert_int_equal(read_order(&b, &rs, &err), 0);
	assert_string_equal(rs.st[0], "S\xC3\xA9zary disease");
	assert_string_equal(rs.lt[0], "S\xC3\xA9zary\xE2\x80\x99s disease");
	assert_string_equal(rs.st[1], "S\xC3\xA9zary");
	assert_string_equal(rs.lt[1], "S\xC3\xA9zary syndrome");
	/* 0x81 is undefined in Windows-1252 and not UTF-8. */
	mrt_buf_reset(&b);
	order_line(&b, 1, "C841", '1', "Bad \x81 byte", "Bad", "\r\n");
	expect_error(&b, "order.txt:1: byte 0x81 in column 21 is neither UTF-8 nor Windows-1252");
	/* UTF-16 shows as NUL bytes. */
	mrt_buf_reset(&b);
	mrt_buf_add(&b, "\xFF\xFE" "0\0" "0\0" "\r\0\n\0", 10);
	expect_error(&b, "NUL byte in column 4: wrong encoding (UTF-16?)");
	mrt_buf_free(&b);
}

static void test_empty(void **state)
{
	(void)state;
	mrt_buf b = MRT_BUF_INIT(64);
	mrt_buf_adds(&b, "\r\n");
	expect_error(&b, "no order-file lines");
	mrt_buf_free(&b);
}

static int read_codes(const char *text, struct rows *rs, mrt_err *err)
{
	mrt_src *s = NULL;
	memset(rs, 0, sizeof *rs);
	assert_int_equal(mrt_src_open_mem(&s, "codes.txt", text, strlen(text), err), 0);
	int rc = cms_codes_read(s, collect, rs, err);
	mrt_src_close(s);
	return rc;
}

static void test_codes_file(void **state)
{
	(void)state;
	struct rows rs;
	mrt_err err = { 0 };
	assert_int_equal(read_codes("A000    Cholera due to Vibrio cholerae 01, biovar cholerae\r\n"
	                            "S33121A Dislocation of L2/L3 lumbar vertebra, initial encounter\r\n",
	                            &rs, &err), 0);
	assert_int_equal(rs.n, 2);
	assert_string_equal(rs.codes[1], "S33121A");
	assert_string_equal(rs.lt[0], "Cholera due to Vibrio cholerae 01, biovar cholerae");
	assert_int_equal(read_codes("A000   Cholera\r\n", &rs, &err), MRT_EPARSE);
	assert_non_null(strstr(err.msg, "codes.txt:1: misaligned columns"));
	assert_int_equal(read_codes("A000    Cholera\r\nA000    Cholera\r\n", &rs, &err), MRT_EEXIST);
	assert_non_null(strstr(err.msg, "codes.txt:2: duplicate code A000"));
}

struct adds {
	int n;
	char line[16][160];
};

static int collect_add(void *ctx, const struct cms_addenda_row *r, mrt_err *err)
{
	(void)err;
	struct adds *a = ctx;
	if (a->n < 16)
		snprintf(a->line[a->n], 160, "%d|%d|%s|%s|%s", (int)r->action, r->billable, r->code,
		         r->short_title, r->long_title);
	a->n++;
	return 0;
}

static void test_addenda(void **state)
{
	(void)state;
	mrt_buf b = MRT_BUF_INIT(1 << 16);
	mrt_buf_adds(&b, "Delete:      1 B880    Other acariasis");
	mrt_buf_addf(&b, "%*s%s\r\n", 60 - 15, "", " Other acariasis");
	mrt_buf_addf(&b, "Add:         0 %-7s %-60s %s\r\n", "B880", "Other acariasis", "Other acariasis");
	mrt_buf_addf(&b, "Revise from: %-7s %-60s %s\r\n", "6A4", "Extracrp Hypothermia", "Extracorporeal Hypothermia");
	mrt_buf_adds(&b, "\r\nCodes\r\n  74260 codes in icd10cm_order_2025.txt\r\n");
	mrt_src *s = NULL;
	mrt_err err = { 0 };
	struct adds a = { 0 };
	assert_int_equal(mrt_src_open_mem(&s, "order_addenda.txt", b.ptr, b.len, &err), 0);
	assert_int_equal(cms_addenda_read(s, 1, collect_add, &a, &err), 0);
	mrt_src_close(s);
	assert_int_equal(a.n, 3);
	assert_string_equal(a.line[0], "1|1|B880|Other acariasis|Other acariasis");
	assert_string_equal(a.line[1], "0|0|B880|Other acariasis|Other acariasis");
	assert_string_equal(a.line[2], "2|-1|6A4|Extracrp Hypothermia|Extracorporeal Hypothermia");
	const char *codes_add = "Add:         E11A    Type 2 diabetes mellitus without complications in remission\r\n"
	                        "Delete:      E881    Lipodystrophy\r\n"
	                        "Add:         E11\r\n";
	memset(&a, 0, sizeof a);
	assert_int_equal(mrt_src_open_mem(&s, "codes_addenda.txt", codes_add, strlen(codes_add), &err), 0);
	assert_int_equal(cms_addenda_read(s, 0, collect_add, &a, &err), MRT_EPARSE);
	mrt_src_close(s);
	assert_int_equal(a.n, 2);
	assert_string_equal(a.line[0], "0|-1|E11A|Type 2 diabetes mellitus without complications in remission|"
	                               "Type 2 diabetes mellitus without complications in remission");
	assert_non_null(strstr(err.msg, "codes_addenda.txt:3: misaligned columns"));
	mrt_buf_free(&b);
}

static void test_codeset(void **state)
{
	(void)state;
	cms_codeset *s = cms_codeset_new();
	char code[8];
	for (int i = 0; i < 5000; i++) {
		snprintf(code, sizeof code, "Z%05d", i);
		assert_int_equal(cms_codeset_add(s, code, (unsigned long)i, NULL), 1);
	}
	unsigned long v = 0;
	assert_int_equal(cms_codeset_add(s, "Z00042", 7, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(cms_codeset_put(s, "Z00042", 7), 0);
	assert_true(cms_codeset_get(s, "Z00042", &v));
	assert_int_equal(v, 7);
	assert_false(cms_codeset_get(s, "Z0004", NULL));
	assert_false(cms_codeset_get(s, "Z000420", NULL));
	assert_int_equal(cms_codeset_count(s), 5000);
	cms_codeset_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_crlf_and_lf), cmocka_unit_test(test_mixed_endings),
		cmocka_unit_test(test_truncated),        cmocka_unit_test(test_misaligned),
		cmocka_unit_test(test_bad_flag),         cmocka_unit_test(test_duplicate_and_order),
		cmocka_unit_test(test_encodings),        cmocka_unit_test(test_empty),
		cmocka_unit_test(test_codes_file),       cmocka_unit_test(test_addenda),
		cmocka_unit_test(test_codeset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
