/*
 * Benchmark: code search. 1,000 realistic coder queries built from the real
 * titles and index terms (1-3 words, some cut to prefixes, mixed case),
 * top 20 results through codetext_search on the ICD-10-CM FY2026 release
 * (titles from the order file, inclusion and index terms borrowed from
 * FY2023): p50/p99/mean. In the same run, the plain FTS5 bm25 query for
 * "fracture" over the same table, for comparison. Prints peak RSS.
 * --smoke: FY2023 tabular only, 100 queries.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "bench_common.h"
#include "codes/codetext.h"

#define MAXQ 1000

static const char *const stop[] = { "of", "and", "with", "the", "in", "to", "or", "due",
				    "for", "by", "on", "as", "at", "other", "unspecified",
				    "not", "elsewhere", "classified", "without", "nos", NULL };

static uint64_t rng = 88172645463325252ull;
static unsigned next(void)
{
	return (unsigned)(bench_xorshift(&rng) >> 16);
}

static int is_stop(const char *w)
{
	for (int i = 0; stop[i]; i++)
		if (strcmp(stop[i], w) == 0)
			return 1;
	return 0;
}

/* One query from a title: 1-3 of its words in order, long words sometimes
 * cut to a prefix of 4+ letters, sometimes upper-cased. */
static void make_query(const char *title, char *out, size_t cap)
{
	char words[16][32];
	int n = 0;
	const char *p = title;
	while (*p && n < 16) {
		while (*p && !isalnum((unsigned char)*p))
			p++;
		size_t k = 0;
		while (isalnum((unsigned char)p[k]))
			k++;
		if (k >= 2 && k < 32) {
			for (size_t i = 0; i < k; i++)
				words[n][i] = (char)tolower((unsigned char)p[i]);
			words[n][k] = '\0';
			if (!is_stop(words[n]))
				n++;
		}
		p += k;
	}
	out[0] = '\0';
	if (n == 0)
		return;
	int want = 1 + (int)(next() % 3), start = (int)(next() % (unsigned)n), used = 0;
	for (int i = start; i < n && used < want; i++, used++) {
		char w[32];
		snprintf(w, sizeof w, "%s", words[i]);
		size_t len = strlen(w);
		if (len > 5 && next() % 3 == 0)
			w[4 + next() % (len - 4)] = '\0';
		if (next() % 4 == 0)
			w[0] = (char)toupper((unsigned char)w[0]);
		size_t have = strlen(out);
		snprintf(out + have, cap - have, "%s%s", have ? " " : "", w);
	}
}

static int build_queries(mrt_db *db, char q[][96], int nq, mrt_err *err)
{
	static const char sql[] =
		"SELECT text FROM code_fts WHERE rowid % 31 = 0 AND (kind <> 'title'"
		" OR length(code) < 7) ORDER BY rowid LIMIT 5000";
	char *pool[5000];
	int n = 0;
	mrt_stmt *s = mrt_db_stmt(db, sql, err);
	if (!s)
		return MRT_EDB;
	while (n < 5000 && mrt_stmt_step(s, err) == 1)
		pool[n++] = strdup(mrt_stmt_text(s, 0));
	mrt_stmt_reset(s);
	if (n == 0)
		return mrt_err_set(err, MRT_ENOTFOUND, "no searchable rows");
	for (int i = 0; i < nq; i++) {
		do
			make_query(pool[next() % (unsigned)n], q[i], sizeof q[i]);
		while (!q[i][0]);
	}
	for (int i = 0; i < n; i++)
		free(pool[i]);
	return 0;
}

/* The plain query: every match of "fracture" ranked by bm25, top 20;
 * release > 0 restricts it to that release's rows. Median of runs, ms. */
static double plain_bm25(mrt_db *db, int64_t release, int runs)
{
	const char *sql = release
		? "SELECT rowid FROM code_fts WHERE code_fts MATCH 'fracture' AND rowid BETWEEN"
		  " (?1 << 32) AND (?1 << 32) + 4294967295 ORDER BY bm25(code_fts) LIMIT 20"
		: "SELECT rowid FROM code_fts WHERE code_fts MATCH 'fracture'"
		  " ORDER BY bm25(code_fts) LIMIT 20";
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(mrt_db_sqlite(db), sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	double t[64];
	runs = runs > 64 ? 64 : runs;
	for (int i = 0; i < runs; i++) {
		double t0 = bench_now();
		sqlite3_reset(st);
		if (release)
			sqlite3_bind_int64(st, 1, release);
		while (sqlite3_step(st) == SQLITE_ROW)
			;
		t[i] = (bench_now() - t0) * 1e3;
	}
	sqlite3_finalize(st);
	qsort(t, (size_t)runs, sizeof t[0], bench_cmp_double);
	return t[runs / 2];
}

static int64_t release_id(mrt_db *db, const char *version)
{
	mrt_err err = { 0 };
	mrt_stmt *s = mrt_db_stmt(db, "SELECT id FROM code_release WHERE system = 'icd10cm'"
				      " AND version = ?", &err);
	if (!s)
		return 0;
	mrt_stmt_bind_text(s, 1, version);
	int64_t id = mrt_stmt_step(s, &err) == 1 ? mrt_stmt_int(s, 0) : 0;
	mrt_stmt_reset(s);
	return id;
}

static int run_queries(mrt_db *db, int64_t rel, char q[][96], int nq, mrt_err *err)
{
	static double t[MAXQ];
	long results = 0;
	int slow = getenv("BENCH_SLOW") != NULL;
	for (int i = 0; i < nq; i++) {
		json_t *o = NULL;
		double t0 = bench_now();
		int rc = codetext_search(db, &rel, 1, q[i], 20, &o, err);
		t[i] = (bench_now() - t0) * 1e3;
		if (rc)
			return rc;
		results += (long)json_array_size(o);
		if (slow && t[i] > 10)
			printf("  slow: %.1f ms \"%s\"\n", t[i], q[i]);
		json_decref(o);
	}
	double sum = 0;
	for (int i = 0; i < nq; i++)
		sum += t[i];
	qsort(t, (size_t)nq, sizeof t[0], bench_cmp_double);
	printf("search, %d coder queries, top 20:  p50 %.2f ms  p99 %.2f ms  max %.2f ms  mean %.2f ms"
	       "  (%.1f results/query; goal p99 < 10 ms)\n",
	       nq, t[nq / 2], t[(nq * 99) / 100], t[nq - 1], sum / nq, (double)results / nq);
	printf("  e.g. \"%s\", \"%s\", \"%s\"\n", q[0], q[1], q[2]);
	json_t *o = NULL;
	double t0 = bench_now();
	int rc = codetext_search(db, &rel, 1, "fracture", 20, &o, err);
	double f = (bench_now() - t0) * 1e3;
	json_decref(o);
	double plain_all = plain_bm25(db, 0, 15), plain_rel = plain_bm25(db, rel, 15);
	printf("\"fracture\": mrt search %.2f ms; plain FTS5 bm25 top 20 over the whole table %.2f ms"
	       " (%.1fx), over the release's rows %.2f ms (%.1fx)\n",
	       f, plain_all, plain_all / (f > 0 ? f : 1e-9), plain_rel, plain_rel / (f > 0 ? f : 1e-9));
	printf("plain bm25 \"fracture\" / mrt search p99: %.1fx\n", plain_all / t[(nq * 99) / 100]);
	return rc;
}

int main(int argc, char **argv)
{
	int smoke = argc > 1 && strcmp(argv[1], "--smoke") == 0;
	char tab[4096], cm26[4096];
	if (bench_data_file(tab, sizeof tab, "icd10cm/fy2023-tabular-index/icd10cm_tabular_2023.xml") ||
	    bench_data_file(cm26, sizeof cm26, "icd10cm/fy2026")) {
		fprintf(stderr, "bench_search: no data\n");
		return 77;
	}
	char dir[] = "/tmp/mrt-bench-search-XXXXXX", path[128];
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof path, "%s/b.db", dir);
	char idx[4096];
	snprintf(idx, sizeof idx, "%.*s", (int)(strrchr(tab, '/') - tab), tab);
	const char *full[2] = { idx, cm26 }, *small[1] = { tab };
	mrt_err err = { 0 };
	mrt_db *db = NULL;
	double t0 = bench_now();
	int rc = bench_load_specs(&db, path, smoke ? small : full, smoke ? 1 : 2, &err);
	printf("loaded %s in %.1f s\n", smoke ? "FY2023 tabular" : "FY2023 tabular+index, FY2026",
	       bench_now() - t0);
	int64_t rel = release_id(db, smoke ? "2023" : "2026");
	int nq = smoke ? 100 : MAXQ;
	static char q[MAXQ][96];
	if (rc == 0)
		rc = build_queries(db, q, nq, &err);
	if (rc == 0)
		rc = run_queries(db, rel, q, nq, &err);
	if (rc)
		fprintf(stderr, "bench_search: %s\n", err.msg);
	printf("peak RSS %ld MB\n", bench_peak_rss_kb() / 1024);
	mrt_db_close(db);
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		rc = 1;
	return rc ? 1 : 0;
}
