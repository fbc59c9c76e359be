/*
 * Unit tests for src/formats/csv and gzsrc: quoting, CRLF/LF, BOM, empty
 * lines, column lookup, ", " delimited files, the size caps, every parse
 * error (with file, line and column named and no field value printed), and
 * gzip made here with zlib: whole, multi-member, damaged and truncated.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "formats/csv.h"

static csv_reader *open_mem(const char *data, size_t len, const struct csv_opts *o, mrt_err *err,
			    int *rc)
{
	mrt_src *s = NULL;
	csv_reader *r = NULL;
	*rc = mrt_src_open_mem(&s, "t.csv", data, len, err);
	if (*rc == 0)
		*rc = csv_open(&r, s, 1, o, err);
	return r;
}

/* gzip of data (one member), malloc'ed. */
static unsigned char *gz(const char *data, size_t len, size_t *out_len)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	size_t cap = deflateBound(&z, len) + 64;
	unsigned char *out = malloc(cap);
	z.next_in = (unsigned char *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	*out_len = cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

static void test_quoting(void **state)
{
	(void)state;
	static const char t[] = "\xEF\xBB\xBF"
				"id,name,note\r\n"
				"1,\"Smith, John\",\"said \"\"hi\"\"\"\r\n"
				"\n"
				"2,\"two\nlines\",\r\n"
				"3,x\"y,last";
	mrt_err err = {0};
	int rc;
	csv_reader *r = open_mem(t, sizeof t - 1, NULL, &err, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(csv_ncols(r), 3);
	assert_int_equal(csv_col(r, "id"), 0); /* the BOM is not part of the name */
	assert_int_equal(csv_col(r, "note"), 2);
	assert_int_equal(csv_col(r, "nope"), -1);
	assert_true(csv_require(r, "nope", &err) < 0);
	assert_non_null(strstr(err.msg, "'nope'"));
	assert_int_equal(csv_next(r, &err), 1);
	assert_string_equal(csv_field(r, 1), "Smith, John");
	assert_string_equal(csv_field(r, 2), "said \"hi\"");
	assert_int_equal(csv_lineno(r), 2);
	assert_int_equal(csv_next(r, &err), 1);
	assert_string_equal(csv_field(r, 0), "2");
	assert_string_equal(csv_field(r, 1), "two\nlines");
	assert_int_equal(csv_field_len(r, 1), 9);
	assert_string_equal(csv_field(r, 2), "");
	assert_int_equal(csv_lineno(r), 4); /* the empty line 3 was skipped */
	assert_int_equal(csv_recno(r), 2);
	assert_int_equal(csv_next(r, &err), 1);
	assert_string_equal(csv_field(r, 1), "x\"y");
	assert_string_equal(csv_field(r, 2), "last");
	assert_int_equal(csv_lineno(r), 6);
	assert_int_equal(csv_next(r, &err), 0);
	assert_int_equal(csv_next(r, &err), 0);
	csv_close(r);
}

static void test_febrl_delim(void **state)
{
	(void)state;
	static const char t[] = "rec_id, given_name, surname\nrec-1-org, john, \"o'neil, jr\"\n";
	struct csv_opts o = {.delim = ',', .trim_leading_space = 1};
	mrt_err err = {0};
	int rc;
	csv_reader *r = open_mem(t, sizeof t - 1, &o, &err, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(csv_col(r, "surname"), 2);
	assert_int_equal(csv_next(r, &err), 1);
	assert_string_equal(csv_field(r, 1), "john");
	assert_string_equal(csv_field(r, 2), "o'neil, jr");
	csv_close(r);
	/* without the option the spaces stay */
	r = open_mem(t, sizeof t - 1, NULL, &err, &rc);
	assert_int_equal(csv_col(r, " surname"), 2);
	csv_close(r);
	/* another delimiter */
	static const char tab[] = "a\tb\n1\t2,3\n";
	struct csv_opts to = {.delim = '\t'};
	r = open_mem(tab, sizeof tab - 1, &to, &err, &rc);
	assert_int_equal(csv_next(r, &err), 1);
	assert_string_equal(csv_field(r, 1), "2,3");
	csv_close(r);
}

/* Runs text to its first error and checks the message. */
static void expect_error(const char *t, const struct csv_opts *o, int code, const char *what,
			 const char *where)
{
	mrt_err err = {0};
	int rc;
	csv_reader *r = open_mem(t, strlen(t), o, &err, &rc);
	while (rc == 0) {
		rc = csv_next(r, &err);
		rc = rc == 1 ? 0 : (rc == 0 ? 1 : rc);
	}
	assert_int_equal(rc, code);
	assert_non_null(strstr(err.msg, "t.csv"));
	assert_non_null(strstr(err.msg, what));
	assert_non_null(strstr(err.msg, where));
	assert_null(strstr(err.msg, "SECRET")); /* never a field value */
	csv_close(r);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("a,b\n1,\"SECRET\n\n", NULL, MRT_EPARSE, "never closed",
		     "line 2 (record 1), column 'b'");
	expect_error("a,b\n1,2\n3\n", NULL, CSV_REJECT, "too few fields (1, the header has 2)",
		     "line 3 (record 2), column 'b'");
	expect_error("a,b\n1,2,SECRET\n", NULL, CSV_REJECT, "too many fields", "column '#3'");
	expect_error("a,b\n\"SECRET\"x,2\n", NULL, MRT_EPARSE, "after a closing quote",
		     "column 'a'");
	expect_error("a,b\n\"SECRET\"\r2\n", NULL, MRT_EPARSE, "carriage return", "column 'a'");
	expect_error("", NULL, MRT_EPARSE, "empty file", "t.csv");
	struct csv_opts small = {.max_field = 4};
	expect_error("a,b\n1,SECRET\n", &small, MRT_ENOMEM, "field longer", "column 'b'");
	struct csv_opts rec = {.max_record = 8};
	expect_error("a,b\n123,SECRET\n", &rec, MRT_ENOMEM, "record longer", "line 2");
	struct csv_opts nf = {.max_fields = 3};
	expect_error("a,b\n1,2,3,4,5\n", &nf, MRT_ENOMEM, "more fields", "line 2");
}

static void test_recover_after_count_error(void **state)
{
	(void)state;
	static const char t[] = "a,b\r\n1\r\n2,3\r\n";
	mrt_err err = {0};
	int rc;
	csv_reader *r = open_mem(t, sizeof t - 1, NULL, &err, &rc);
	assert_int_equal(csv_next(r, &err), CSV_REJECT);
	assert_non_null(strstr(err.msg, "line 2 (record 1)"));
	assert_int_equal(csv_next(r, &err), 1);
	assert_string_equal(csv_field(r, 1), "3");
	assert_int_equal(csv_lineno(r), 3);
	assert_int_equal(csv_recno(r), 2);
	assert_int_equal(csv_next(r, &err), 0);
	csv_close(r);
}

/* A bare CR inside an unquoted field is data; a last line may end in CR. */
static void test_cr(void **state)
{
	(void)state;
	static const char t[] = "a,b\n1\r2,3\r";
	mrt_err err = {0};
	int rc;
	csv_reader *r = open_mem(t, sizeof t - 1, NULL, &err, &rc);
	assert_int_equal(csv_next(r, &err), 1);
	assert_string_equal(csv_field(r, 0), "1\r2");
	assert_string_equal(csv_field(r, 1), "3");
	assert_int_equal(csv_next(r, &err), 0);
	csv_close(r);
}

static char *big_text(size_t rows, size_t *len)
{
	mrt_buf b = MRT_BUF_INIT(64u << 20);
	mrt_buf_adds(&b, "subject_id,text\n");
	for (size_t i = 0; i < rows; i++)
		mrt_buf_addf(&b, "%zu,\"row %zu, with \"\"quotes\"\"\nand a line\"\n", i, i);
	*len = b.len;
	return mrt_buf_detach(&b);
}

static size_t count_rows(const void *data, size_t len, mrt_err *err, int *rc)
{
	mrt_src *s = NULL;
	csv_reader *r = NULL;
	size_t n = 0;
	*rc = mrt_src_open_mem(&s, "t.csv.gz", data, len, err);
	if (*rc == 0)
		*rc = csv_open(&r, s, 1, NULL, err);
	while (*rc == 0) {
		int k = csv_next(r, err);
		if (k <= 0) {
			*rc = k;
			break;
		}
		assert_int_equal(strtoul(csv_field(r, 0), NULL, 10), n);
		n++;
	}
	csv_close(r);
	return n;
}

static void test_gzip(void **state)
{
	(void)state;
	size_t len, zlen, zlen2;
	char *text = big_text(20000, &len);
	unsigned char *z = gz(text, len, &zlen);
	mrt_err err = {0};
	int rc;
	assert_int_equal(count_rows(z, zlen, &err, &rc), 20000);
	assert_int_equal(rc, 0);
	{
		mrt_src *s = NULL;
		csv_reader *r = NULL;
		assert_int_equal(mrt_src_open_mem(&s, "t.csv.gz", z, zlen, &err), 0);
		assert_int_equal(csv_open(&r, s, 1, NULL, &err), 0);
		while (csv_next(r, &err) == 1)
			;
		assert_int_equal(csv_bytes(r), len);	  /* uncompressed */
		assert_int_equal(csv_src_bytes(r), zlen); /* compressed */
		csv_close(r);
	}
	/* two members: the header in one, the rows in the next */
	size_t hl = strlen("subject_id,text\n");
	unsigned char *z1 = gz(text, hl, &zlen);
	unsigned char *z2 = gz(text + hl, len - hl, &zlen2);
	unsigned char *both = malloc(zlen + zlen2);
	memcpy(both, z1, zlen);
	memcpy(both + zlen, z2, zlen2);
	assert_int_equal(count_rows(both, zlen + zlen2, &err, &rc), 20000);
	assert_int_equal(rc, 0);
	/* truncated: every cut is an error naming the file, never a short read */
	size_t cuts[] = {2, 10, zlen2 / 2, zlen + zlen2 - 4, zlen + zlen2 - 1};
	for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
		count_rows(both, cuts[i], &err, &rc);
		assert_int_equal(rc, MRT_EPARSE);
		assert_non_null(strstr(err.msg, "t.csv.gz"));
		assert_true(strstr(err.msg, "truncated gzip") || strstr(err.msg, "bad gzip"));
	}
	count_rows(both, zlen + zlen2 / 2, &err, &rc);
	assert_non_null(strstr(err.msg, "truncated gzip"));
	/* after a fatal error the reader keeps failing, never returns a partial record */
	{
		mrt_src *s = NULL;
		csv_reader *r = NULL;
		assert_int_equal(mrt_src_open_mem(&s, "t.csv.gz", both, zlen + zlen2 / 2, &err), 0);
		assert_int_equal(csv_open(&r, s, 1, NULL, &err), 0);
		int k;
		do
			k = csv_next(r, &err);
		while (k == 1);
		assert_int_equal(k, MRT_EPARSE);
		assert_int_equal(csv_next(r, &err), MRT_EPARSE);
		assert_non_null(strstr(err.msg, "earlier error"));
		csv_close(r);
	}
	/* damaged: flip bytes in the deflate data */
	for (size_t i = 20; i < 60; i++)
		both[zlen + i] ^= 0x5a;
	count_rows(both, zlen + zlen2, &err, &rc);
	assert_int_equal(rc, MRT_EPARSE);
	assert_non_null(strstr(err.msg, "bad gzip stream"));
	/* garbage after the last member */
	memcpy(both, z1, zlen);
	memcpy(both + zlen, "XYZW", 4);
	count_rows(both, zlen + 4, &err, &rc);
	assert_int_equal(rc, MRT_EPARSE);
	free(both);
	free(z1);
	free(z2);
	free(z);
	free(text);
}

/* The FEBRL record-linkage files (", " delimited), when the data is here:
 * every record has the 11 columns and the org/dup split is as published. */
static void test_febrl_files(void **state)
{
	(void)state;
	static const struct {
		const char *file;
		long org, dup;
	} want[] = {
	    {"febrl_dataset1.csv", 500, 500},
	    {"febrl_dataset2.csv", 4000, 1000},
	    {"febrl_dataset4a.csv", 5000, 0},
	    {"febrl_dataset4b.csv", 0, 5000},
	};
	const char *d = getenv("MRT_DATA"), *src = getenv("MRT_SOURCE_DIR");
	char base[2048], path[4096];
	snprintf(base, sizeof base, "%s%s", d && *d ? d : (src && *src ? src : "."),
		 d && *d ? "" : "/../shared/data");
	struct csv_opts o = {.delim = ',', .trim_leading_space = 1};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		snprintf(path, sizeof path, "%s/febrl/%s", base, want[i].file);
		mrt_err err = {0};
		csv_reader *r = NULL;
		if (csv_open_path(&r, path, &o, &err) == MRT_EIO)
			skip();
		assert_non_null(r);
		assert_int_equal(csv_ncols(r), 11);
		int id = csv_col(r, "rec_id"), dob = csv_col(r, "date_of_birth");
		assert_int_equal(id, 0);
		assert_int_equal(dob, 9);
		long org = 0, dup = 0;
		int rc;
		for (rc = csv_next(r, &err); rc == 1; rc = csv_next(r, &err)) {
			const char *v = csv_field(r, (size_t)id);
			assert_int_equal(strncmp(v, "rec-", 4), 0);
			org += strstr(v, "-org") != NULL;
			dup += strstr(v, "-dup-") != NULL;
			assert_true(csv_field(r, (size_t)dob)[0] != ' ');
		}
		assert_int_equal(rc, 0);
		assert_int_equal(org, want[i].org);
		assert_int_equal(dup, want[i].dup);
		csv_close(r);
	}
}

static void test_missing_file(void **state)
{
	(void)state;
	mrt_err err = {0};
	csv_reader *r = NULL;
	assert_true(csv_open_path(&r, "/nonexistent/dir/admissions.csv.gz", NULL, &err) < 0);
	assert_null(r);
	assert_non_null(strstr(err.msg, "/nonexistent/dir/admissions.csv.gz"));
	/* a header-only file has columns and no rows */
	int rc;
	r = open_mem("a,b\r\n", 5, NULL, &err, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(csv_colname(r, 1), "b");
	assert_int_equal(csv_next(r, &err), 0);
	csv_close(r);
	/* a header wider than the field-count cap */
	struct csv_opts o = {.max_fields = 2};
	r = open_mem("a,b,c\n", 6, &o, &err, &rc);
	assert_int_equal(rc, MRT_ENOMEM);
	assert_null(r);
	assert_non_null(strstr(err.msg, "line 1 (record 0)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_quoting),	 cmocka_unit_test(test_febrl_delim),
	    cmocka_unit_test(test_errors),	 cmocka_unit_test(test_recover_after_count_error),
	    cmocka_unit_test(test_cr),		 cmocka_unit_test(test_gzip),
	    cmocka_unit_test(test_missing_file), cmocka_unit_test(test_febrl_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
