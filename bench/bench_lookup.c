/*
 * Benchmark: code lookups on the in-memory index (codes/lookup) that the
 * coding and edit paths use - lookups/s on one core, p50/p99 latency - and
 * the same lookups as SQLite point queries. 90% hits (every FY2026 CM code,
 * shuffled), 10% misses. Prints peak RSS. --smoke = a short run.
 */
#include <stdint.h>

#include "bench_common.h"
#include "codes/lookup.h"
#include "codes/release.h"

/* Fills qs with n codes: hits from the release, every 10th a miss. */
static char (*make_queries(mrt_db *db, size_t n, mrt_err *err))[8]
{
	static const char sql[] = "SELECT code FROM code";
	size_t cap = 0, k = 0;
	char(*all)[8] = NULL;
	mrt_stmt *s = mrt_db_stmt(db, sql, err);
	while (s && mrt_stmt_step(s, err) == 1) {
		if (k == cap) {
			cap = cap ? cap * 2 : 1024;
			all = realloc(all, cap * sizeof *all);
		}
		snprintf(all[k++], 8, "%s", mrt_stmt_text(s, 0));
	}
	if (s)
		mrt_stmt_reset(s);
	char(*qs)[8] = malloc(n * sizeof *qs);
	for (size_t i = 0; i < n && k; i++) {
		memcpy(qs[i], all[bench_next() % k], 8);
		if (i % 10 == 9)
			qs[i][1] = 'Z'; /* second character never Z: a miss */
	}
	free(all);
	return qs;
}

static void report(const char *what, double secs, size_t n, double *lat, size_t nlat)
{
	qsort(lat, nlat, sizeof *lat, bench_cmp_double);
	printf("%-22s %10.0f lookups/s  p50 %7.0f ns  p99 %7.0f ns  (%zu lookups)\n", what,
	       (double)n / secs, lat[nlat / 2] * 1e9, lat[nlat * 99 / 100] * 1e9, n);
}

int main(int argc, char **argv)
{
	int smoke = argc > 1 && strcmp(argv[1], "--smoke") == 0;
	char order[4096], dir[] = "/tmp/mrt-bench-XXXXXX", dbpath[4200];
	mrt_err err = { 0 };
	if (bench_data_file(order, sizeof order, "icd10cm/fy2026/icd10cm_order_2026.txt") != 0) {
		printf("no data: %s\n", order);
		return 77;
	}
	if (mrt_hash_init(&err) != 0 || !mkdtemp(dir))
		return 1;
	snprintf(dbpath, sizeof dbpath, "%s/mrt.db", dir);
	mrt_db *db = NULL;
	if (bench_load(&db, dbpath, order, &err) != 0) {
		fprintf(stderr, "load failed: %s\n", err.msg);
		return 1;
	}
	struct codes_release rel;
	codes_lookup *l = NULL;
	double t0 = bench_now();
	if (codes_release_find(db, "icd10cm", "2026", &rel, &err) != 0 ||
	    codes_lookup_load(db, rel.id, &l, &err) != 0) {
		fprintf(stderr, "index failed: %s\n", err.msg);
		return 1;
	}
	double t_build = bench_now() - t0;
	size_t n = smoke ? 200000 : 20000000, nlat = smoke ? 20000 : 1000000, nsql = smoke ? 20000 : 500000;
	char(*qs)[8] = make_queries(db, n, &err);
	double *lat = malloc(nlat * sizeof *lat);
	printf("index: %zu codes, %.1f MiB, built in %.3f s\n", codes_lookup_count(l),
	       (double)codes_lookup_bytes(l) / 1048576.0, t_build);
	size_t hits = 0;
	t0 = bench_now();
	for (size_t i = 0; i < n; i++)
		hits += codes_lookup_find(l, qs[i]) != NULL;
	double t_all = bench_now() - t0;
	for (size_t i = 0; i < nlat; i++) {
		double a = bench_now();
		hits += codes_lookup_find(l, qs[i]) != NULL;
		lat[i] = bench_now() - a;
	}
	double a = bench_now(), b = bench_now();
	report("in-memory index", t_all, n, lat, nlat);
	printf("  (latencies include one clock read, about %.0f ns; %zu hits)\n", (b - a) * 1e9, hits);
	static const char sql[] =
		"SELECT billable, short_title, long_title, parent FROM code WHERE release_id = ? AND code = ?";
	size_t sqlhits = 0;
	t0 = bench_now();
	for (size_t i = 0; i < nsql; i++) {
		double s0 = bench_now();
		mrt_stmt *s = mrt_db_stmt(db, sql, &err);
		mrt_stmt_bind_int(s, 1, rel.id);
		mrt_stmt_bind_text(s, 2, qs[i]);
		sqlhits += mrt_stmt_step(s, &err) == 1;
		mrt_stmt_reset(s);
		lat[i] = bench_now() - s0;
	}
	double t_sql = bench_now() - t0;
	report("SQLite point queries", t_sql, nsql, lat, nsql < nlat ? nsql : nlat);
	printf("peak RSS: %ld KiB\n", bench_peak_rss_kb());
	free(lat);
	free(qs);
	codes_lookup_free(l);
	mrt_db_close(db);
	char cmd[4300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 && sqlhits > 0 ? 0 : 1;
}
