/*
 * Helpers shared by the code-set benchmarks: finding the data folder,
 * wall-clock time, peak RSS, a fixed pseudo-random sequence, sorting
 * latencies, a throw-away database with one release loaded through the
 * real loader.
 */
#ifndef MRT_BENCH_COMMON_H
#define MRT_BENCH_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "base/hash.h"
#include "codes/load.h"
#include "store/db.h"

static inline double bench_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static inline long bench_peak_rss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* One xorshift64 step of *state: the same draws on every run. */
static inline uint64_t bench_xorshift(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

/* The next draw of the benchmarks' shared sequence. */
static inline uint64_t bench_next(void)
{
	static uint64_t rng = 0x9E3779B97F4A7C15ull;
	return bench_xorshift(&rng);
}

/* qsort's order of doubles (latencies), smallest first. */
static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The data folder ($MRT_DATA, else $MRT_SOURCE_DIR/../shared/data, else
 * ../shared/data) into out; 0 when the FY2026 CM order file is there. */
static inline int bench_data_file(char *out, size_t n, const char *rel)
{
	const char *d = getenv("MRT_DATA");
	char buf[4096];
	if (!d || !*d) {
		const char *src = getenv("MRT_SOURCE_DIR");
		snprintf(buf, sizeof buf, "%s/../shared/data", src && *src ? src : ".");
		d = buf;
		if (access(buf, F_OK) != 0)
			d = "../shared/data";
	}
	int k = snprintf(out, n, "%s/%s", d, rel);
	if (k < 0 || (size_t)k >= n)
		return -1;
	return access(out, R_OK);
}

/* Copies the first max_lines lines of src into dir/name (a smaller file
 * with the same layout, for --smoke runs). */
static inline int bench_head(const char *src, const char *dst, long max_lines)
{
	FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
	int rc = in && out ? 0 : -1;
	long lines = 0;
	int c;
	while (rc == 0 && lines < max_lines && (c = fgetc(in)) != EOF) {
		fputc(c, out);
		lines += c == '\n';
	}
	if (in)
		fclose(in);
	if (out && fclose(out) != 0)
		rc = -1;
	return rc;
}

/* Opens a new database at path and loads the release files under the n
 * specs through the real loader (one transaction). */
static inline int bench_load_specs(mrt_db **db, const char *path, const char *const *specs,
                                   size_t nspecs, mrt_err *err)
{
	struct codes_file *files = NULL;
	size_t n = 0;
	json_t *rep = NULL;
	int rc = mrt_db_open(db, path, MRT_DB_CREATE, err);
	if (rc == 0)
		rc = codes_discover(specs, nspecs, NULL, &files, &n, err);
	if (rc == 0)
		rc = mrt_db_begin(*db, err);
	if (rc == 0) {
		struct codes_load_opts o = { .replace = 0, .user = "bench" };
		rc = codes_load_files(*db, files, n, &o, &rep, err);
		if (rc == 0)
			rc = mrt_db_commit(*db, err);
		else
			mrt_db_rollback(*db);
	}
	json_decref(rep);
	free(files);
	return rc;
}

static inline int bench_load(mrt_db **db, const char *path, const char *spec, mrt_err *err)
{
	const char *specs[1] = { spec };
	return bench_load_specs(db, path, specs, 1, err);
}

#endif
