/*
 * Unit tests for src/formats/source: lines with CRLF and LF, line numbers,
 * the line-length cap, checksums, zip members and a missing member.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zip.h>

#include "base/hash.h"
#include "formats/source.h"

static const char text[] = "00001 A00     0 Cholera\r\nsecond line\nthird\r\nlast-no-newline";

static void test_lines(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	mrt_src *s = NULL;
	assert_int_equal(mrt_src_open_mem(&s, "mem.txt", text, strlen(text), &err), 0);
	mrt_buf line = MRT_BUF_INIT(1024);
	int crlf;
	assert_int_equal(mrt_src_getline(s, &line, &crlf, &err), 1);
	assert_string_equal(line.ptr, "00001 A00     0 Cholera");
	assert_true(crlf);
	assert_int_equal(mrt_src_getline(s, &line, &crlf, &err), 1);
	assert_string_equal(line.ptr, "second line");
	assert_false(crlf);
	assert_int_equal(mrt_src_getline(s, &line, &crlf, &err), 1);
	assert_int_equal(mrt_src_getline(s, &line, &crlf, &err), 1);
	assert_string_equal(line.ptr, "last-no-newline");
	assert_int_equal(mrt_src_lineno(s), 4);
	assert_int_equal(mrt_src_getline(s, &line, &crlf, &err), 0);
	char hex[MRT_SHA256_HEX], want[MRT_SHA256_HEX];
	unsigned char md[MRT_SHA256_LEN];
	mrt_src_sha256_hex(s, hex);
	mrt_sha256_buf(md, text, strlen(text));
	mrt_hex(want, md, sizeof md);
	assert_string_equal(hex, want);
	mrt_src_close(s);
	mrt_buf_free(&line);
}

static void test_line_cap(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	mrt_src *s = NULL;
	assert_int_equal(mrt_src_open_mem(&s, "long.txt", text, strlen(text), &err), 0);
	mrt_buf line = MRT_BUF_INIT(8);
	int crlf;
	assert_int_equal(mrt_src_getline(s, &line, &crlf, &err), MRT_EPARSE);
	assert_string_equal(err.msg, "long.txt:1: line longer than 8 bytes");
	mrt_src_close(s);
	mrt_buf_free(&line);
}

static void test_zip(void **state)
{
	(void)state;
	char dir[] = "/tmp/mrt-test-src-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char zpath[128], spec[160];
	snprintf(zpath, sizeof zpath, "%s/codes.zip", dir);
	int zerr;
	zip_t *z = zip_open(zpath, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	assert_non_null(z);
	zip_source_t *zs = zip_source_buffer(z, text, strlen(text), 0);
	assert_true(zip_file_add(z, "icd10cm_order_2026.txt", zs, ZIP_FL_ENC_UTF_8) >= 0);
	assert_int_equal(zip_close(z), 0);

	char **names = NULL;
	mrt_err err = { 0 };
	assert_int_equal(mrt_src_zip_list(&names, zpath, &err), 0);
	assert_string_equal(names[0], "icd10cm_order_2026.txt");
	assert_null(names[1]);
	mrt_src_free_list(names);

	snprintf(spec, sizeof spec, "%s#icd10cm_order_2026.txt", zpath);
	mrt_src *s = NULL;
	assert_int_equal(mrt_src_open(&s, spec, &err), 0);
	assert_int_equal(mrt_src_size(s), (long long)strlen(text));
	mrt_buf line = MRT_BUF_INIT(1024);
	assert_int_equal(mrt_src_getline(s, &line, NULL, &err), 1);
	assert_string_equal(line.ptr, "00001 A00     0 Cholera");
	mrt_src_close(s);
	mrt_buf_free(&line);

	char a[MRT_SHA256_HEX], b[MRT_SHA256_HEX];
	unsigned char md[MRT_SHA256_LEN];
	assert_int_equal(mrt_src_checksum(spec, a, &err), 0);
	mrt_sha256_buf(md, text, strlen(text));
	mrt_hex(b, md, sizeof md);
	assert_string_equal(a, b);

	snprintf(spec, sizeof spec, "%s#icd10cm_codes_2026.txt", zpath);
	assert_int_equal(mrt_src_open(&s, spec, &err), MRT_ENOTFOUND);
	assert_non_null(strstr(err.msg, "archive has no member 'icd10cm_codes_2026.txt'"));
	assert_int_equal(mrt_src_open(&s, "/nonexistent/file.txt", &err), MRT_ENOTFOUND);
	assert_non_null(strstr(err.msg, "/nonexistent/file.txt"));
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	mrt_hash_init(NULL);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_line_cap),
		cmocka_unit_test(test_zip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
