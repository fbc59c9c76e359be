/*
 * Unit tests for the import helpers: the counters' JSON has every key with
 * its value; the progress line is silent when stderr is not a terminal,
 * and on a terminal is redrawn at most about five times a second however
 * often rows are added, ending with a newline.
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(count_json_has_every_counter),
	    cmocka_unit_test(silent_when_not_a_terminal),
	    cmocka_unit_test(terminal_redraws_are_rate_limited),
	    cmocka_unit_test(unknown_total_shows_the_count),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
