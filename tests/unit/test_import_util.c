/*
 * Unit tests for the import helpers: the counters' JSON has every key with
 * its value; the progress line is silent when stderr is not a terminal,
 * and on a terminal is redrawn at most about five times a second however
 * often rows are added, ending with a newline; the id map keeps every key
 * through growth, overwrites and misses; date-times print as ISO; a
 * rejected CSV record is written back quoted as CSV would have it; a file
 * is read whole, and one over the cap or missing is an error.
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

#include "formats/csv.h"
#include "formats/source.h"
#include "service/import_util.h"

static void count_json_has_every_counter(void **state)
{
	(void)state;
	struct import_count c = {
	    .read = 10, .created = 4, .updated = 3, .unchanged = 2, .rejected = 1};
	json_t *j = import_count_json(&c);
	assert_non_null(j);
	assert_int_equal(json_object_size(j), 5);
	assert_int_equal(json_integer_value(json_object_get(j, "read")), 10);
	assert_int_equal(json_integer_value(json_object_get(j, "created")), 4);
	assert_int_equal(json_integer_value(json_object_get(j, "updated")), 3);
	assert_int_equal(json_integer_value(json_object_get(j, "unchanged")), 2);
	assert_int_equal(json_integer_value(json_object_get(j, "rejected")), 1);
	json_decref(j);
	struct import_count big = {.read = INT64_C(5000000000)};
	j = import_count_json(&big);
	assert_true(json_integer_value(json_object_get(j, "read")) == INT64_C(5000000000));
	json_decref(j);
}

/* Runs fn with stderr sent to a temporary file; returns what was written. */
static char *capture_stderr(void (*fn)(int force_tty))
{
	char path[] = "/tmp/test_import_util_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	assert_true(dup2(fd, STDERR_FILENO) >= 0);
	fn(1);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	static char text[65536];
	ssize_t n = pread(fd, text, sizeof text - 1, 0);
	text[n < 0 ? 0 : n] = '\0';
	close(fd);
	unlink(path);
	return text;
}

static void run_silent(int force_tty)
{
	(void)force_tty;
	struct import_progress p;
	import_progress_start(&p, "patients", 100);
	assert_int_equal(p.tty, 0); /* stderr is a file here */
	for (int i = 0; i < 100; i++)
		import_progress_add(&p, 1);
	assert_int_equal(p.done, 100);
	import_progress_end(&p);
}

static void silent_when_not_a_terminal(void **state)
{
	(void)state;
	assert_string_equal(capture_stderr(run_silent), "");
}

static void run_tty(int force_tty)
{
	struct import_progress p;
	import_progress_start(&p, "diagnoses_icd", 1000);
	p.tty = force_tty;
	double until = import_now() + 0.5;
	while (import_now() < until)
		import_progress_add(&p, 1);
	import_progress_end(&p);
}

static void terminal_redraws_are_rate_limited(void **state)
{
	(void)state;
	const char *out = capture_stderr(run_tty);
	int draws = 0;
	for (const char *c = out; *c; c++)
		draws += *c == '\r';
	/* 0.5 s of adds: about 2 timed redraws plus the final one, never one per row */
	assert_true(draws >= 1);
	assert_true(draws <= 5);
	assert_non_null(strstr(out, "diagnoses_icd: "));
	assert_non_null(strstr(out, "of 1000"));
	assert_int_equal(out[strlen(out) - 1], '\n');
}

static void run_unknown_total(int force_tty)
{
	struct import_progress p;
	import_progress_start(&p, NULL, 0);
	p.tty = force_tty;
	import_progress_add(&p, 42);
	import_progress_end(&p);
}

static void unknown_total_shows_the_count(void **state)
{
	(void)state;
	const char *out = capture_stderr(run_unknown_total);
	assert_non_null(strstr(out, "import: 42 "));
	assert_null(strstr(out, "%"));
}

static void map_keeps_every_key(void **state)
{
	(void)state;
	import_map *m = import_map_new();
	assert_non_null(m);
	int64_t a = 0, b = 0;
	assert_int_equal(import_map_get(m, "missing", &a, &b), 0);
	for (int64_t i = 0; i < 100000; i++)
		assert_int_equal(import_map_put_i(m, i * 7919, i, -i), 0);
	assert_int_equal(import_map_count(m), 100000);
	for (int64_t i = 0; i < 100000; i++) {
		assert_int_equal(import_map_get_i(m, i * 7919, &a, &b), 1);
		assert_true(a == i && b == -i);
	}
	assert_int_equal(import_map_get_i(m, 7918, NULL, NULL), 0);
	assert_int_equal(import_map_put_i(m, 7919, 42, 43), 0); /* overwrite */
	assert_int_equal(import_map_count(m), 100000);
	assert_int_equal(import_map_get_i(m, 7919, &a, NULL), 1);
	assert_int_equal(a, 42);
	/* text keys that share a prefix or differ in case are distinct */
	assert_int_equal(import_map_put(m, "b63edfda-d82b", 1, 0), 0);
	assert_int_equal(import_map_put(m, "B63EDFDA-D82B", 2, 0), 0);
	assert_int_equal(import_map_put(m, "", 3, 0), 0);
	assert_int_equal(import_map_get(m, "b63edfda-d82b", &a, NULL), 1);
	assert_int_equal(a, 1);
	assert_int_equal(import_map_get(m, "B63EDFDA-D82B", &a, NULL), 1);
	assert_int_equal(a, 2);
	assert_int_equal(import_map_get(m, "", &a, NULL), 1);
	assert_int_equal(a, 3);
	assert_int_equal(import_map_get(m, "b63edfda", NULL, NULL), 0);
	import_map_free(m);
	import_map_free(NULL);
}

static void time_prints_iso(void **state)
{
	(void)state;
	char out[IMPORT_TIME_LEN];
	struct csv_time t;
	assert_int_equal(csv_time_parse(&t, "2196-02-24 14:38:05"), 0);
	import_time_iso(out, &t);
	assert_string_equal(out, "2196-02-24T14:38:05");
	assert_int_equal(csv_time_parse(&t, "2014-01-31T00:00:00Z"), 0);
	import_time_iso(out, &t);
	assert_string_equal(out, "2014-01-31T00:00:00");
}

static void record_written_back_as_csv(void **state)
{
	(void)state;
	static const char text[] = "a,b,c,d\n"
				   "plain,\"with, comma\",\"say \"\"hi\"\"\",\"two\nlines\"\n"
				   ",,,\n";
	mrt_err err = {0};
	mrt_src *src = NULL;
	csv_reader *r = NULL;
	assert_int_equal(mrt_src_open_mem(&src, "mem.csv", text, sizeof text - 1, &err), 0);
	assert_int_equal(csv_open(&r, src, 1, NULL, &err), 0);
	mrt_buf b = MRT_BUF_INIT(1024);
	assert_int_equal(csv_next(r, &err), 1);
	assert_int_equal(import_csv_record(r, &b), 0);
	assert_string_equal(mrt_buf_str(&b),
			    "plain,\"with, comma\",\"say \"\"hi\"\"\",\"two\nlines\"");
	assert_int_equal(csv_next(r, &err), 1);
	assert_int_equal(import_csv_record(r, &b), 0);
	assert_string_equal(mrt_buf_str(&b), ",,,");
	mrt_buf_free(&b);
	/* a record over the buffer's cap is an error, not a cut row */
	mrt_buf small = MRT_BUF_INIT(8);
	assert_int_equal(import_csv_record(r, &small), 0);
	csv_close(r);
	assert_int_equal(mrt_src_open_mem(&src, "mem.csv", text, sizeof text - 1, &err), 0);
	assert_int_equal(csv_open(&r, src, 1, NULL, &err), 0);
	assert_int_equal(csv_next(r, &err), 1);
	assert_int_equal(import_csv_record(r, &small), MRT_ENOMEM);
	mrt_buf_free(&small);
	csv_close(r);
}

static void slurp_reads_whole_files(void **state)
{
	(void)state;
	char path[] = "/tmp/test_import_slurp_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	unsigned char bytes[200000];
	for (size_t i = 0; i < sizeof bytes; i++)
		bytes[i] = (unsigned char)(i * 31 + 7);
	assert_int_equal(write(fd, bytes, sizeof bytes), (ssize_t)sizeof bytes);
	close(fd);
	mrt_err err = {0};
	void *data = NULL;
	size_t len = 0;
	assert_int_equal(import_slurp(path, sizeof bytes, &data, &len, &err), 0);
	assert_int_equal(len, sizeof bytes);
	assert_memory_equal(data, bytes, sizeof bytes);
	free(data);
	assert_int_equal(import_slurp(path, sizeof bytes - 1, &data, &len, &err), MRT_ENOMEM);
	assert_null(data);
	assert_non_null(strstr(err.msg, "larger than"));
	unlink(path);
	assert_int_equal(import_slurp(path, 100, &data, &len, &err), MRT_EIO);
	assert_non_null(strstr(err.msg, "cannot open"));
	/* an empty file is an empty (not NULL) buffer */
	char empty[] = "/tmp/test_import_slurp_XXXXXX";
	fd = mkstemp(empty);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(import_slurp(empty, 100, &data, &len, &err), 0);
	assert_non_null(data);
	assert_int_equal(len, 0);
	free(data);
	unlink(empty);
}

static void paths_and_existence(void **state)
{
	(void)state;
	char out[PATH_MAX], longdir[PATH_MAX + 10];
	mrt_err err = {0};
	assert_int_equal(import_path(out, "/tmp", "x.csv", &err), 0);
	assert_string_equal(out, "/tmp/x.csv");
	memset(longdir, 'a', sizeof longdir - 1);
	longdir[sizeof longdir - 1] = '\0';
	assert_int_equal(import_path(out, longdir, "x", &err), MRT_EINVAL);
	assert_true(import_dir_exists("/tmp"));
	assert_false(import_file_exists("/tmp"));
	assert_false(import_dir_exists("/nonexistent-dir-for-test"));
	char canon[PATH_MAX], want[PATH_MAX];
	assert_non_null(realpath("/tmp", want));
	assert_int_equal(import_dir_canon(canon, "/tmp/./../tmp/", &err), 0);
	assert_string_equal(canon, want);
	assert_int_equal(import_dir_canon(canon, "/nonexistent-dir-for-test", &err), MRT_ENOTFOUND);
	assert_int_equal(import_dir_canon(canon, "/etc/passwd", &err), MRT_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(count_json_has_every_counter),
	    cmocka_unit_test(silent_when_not_a_terminal),
	    cmocka_unit_test(terminal_redraws_are_rate_limited),
	    cmocka_unit_test(unknown_total_shows_the_count),
	    cmocka_unit_test(map_keeps_every_key),
	    cmocka_unit_test(time_prints_iso),
	    cmocka_unit_test(record_written_back_as_csv),
	    cmocka_unit_test(slurp_reads_whole_files),
	    cmocka_unit_test(paths_and_existence),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
