/*
 * Benchmark: loading the FY2026 ICD-10-CM order file through the real
 * loader (checksum, parse, inserts with both indexes, full-text rows), and,
 * in the same run, `sqlite3 .import` of the same rows into the same table
 * shape with the same indexes and an equivalent FTS5 index. Prints rows/s
 * for both, their ratio (goal: within 1.5x, < 1 s) and peak RSS; the
 * loader's own debug lines split its time into the order file and the
 * full-text index.
 * --smoke loads the first 3,000 lines only.
 */
#include <stdint.h>

#include "base/log.h"
#include "bench_common.h"

static const char import_sql[] =
	"PRAGMA journal_mode=WAL;\n"
	"PRAGMA synchronous=NORMAL;\n"
	"CREATE TABLE code (id INTEGER PRIMARY KEY, release_id INTEGER NOT NULL, code TEXT NOT NULL,"
	" billable INTEGER NOT NULL CHECK (billable IN (0,1)), order_no INTEGER, short_title TEXT NOT NULL,"
	" long_title TEXT NOT NULL, parent TEXT, UNIQUE (release_id, code)) STRICT;\n"
	"CREATE INDEX code_by_code ON code(code);\n"
	"CREATE VIRTUAL TABLE code_fts USING fts5(text, code UNINDEXED, kind UNINDEXED,"
	" tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');\n"
	".mode tabs\n"
	"BEGIN;\n"
	".import %s code\n"
	"INSERT INTO code_fts(rowid, text, code, kind) SELECT (1 << 32) + row_number() OVER"
	" (ORDER BY length(long_title) + 20 * (1 - billable), code, long_title), long_title, code, 'title'"
	" FROM code;\n"
	"COMMIT;\n";

/* Writes the loaded rows as TSV (the shape of the code table). */
static long write_tsv(mrt_db *db, const char *path, mrt_err *err)
{
	static const char sql[] =
		"SELECT id, release_id, code, billable, order_no, short_title, long_title,"
		" coalesce(parent, '') FROM code ORDER BY id";
	FILE *f = fopen(path, "w");
	mrt_stmt *s = f ? mrt_db_stmt(db, sql, err) : NULL;
	long n = 0;
	if (!s) {
		if (f)
			fclose(f);
		return -1;
	}
	while (mrt_stmt_step(s, err) == 1) {
		fprintf(f, "%lld\t%lld\t%s\t%lld\t%lld\t%s\t%s\t%s\n", (long long)mrt_stmt_int(s, 0),
		        (long long)mrt_stmt_int(s, 1), mrt_stmt_text(s, 2), (long long)mrt_stmt_int(s, 3),
		        (long long)mrt_stmt_int(s, 4), mrt_stmt_text(s, 5), mrt_stmt_text(s, 6),
		        mrt_stmt_text(s, 7));
		n++;
	}
	mrt_stmt_reset(s);
	return fclose(f) == 0 ? n : -1;
}

static double run_import(const char *dir, const char *tsv)
{
	char script[4200], cmd[8600], db[4200];
	snprintf(script, sizeof script, "%s/import.sql", dir);
	snprintf(db, sizeof db, "%s/import.db", dir);
	FILE *f = fopen(script, "w");
	if (!f)
		return -1;
	fprintf(f, import_sql, tsv);
	fclose(f);
	snprintf(cmd, sizeof cmd, "sqlite3 '%s' < '%s' > /dev/null", db, script);
	double t0 = bench_now();
	int rc = system(cmd);
	double t = bench_now() - t0;
	return rc == 0 ? t : -1;
}

int main(int argc, char **argv)
{
	int smoke = argc > 1 && strcmp(argv[1], "--smoke") == 0;
	char order[4096], dir[] = "/tmp/mrt-bench-XXXXXX", spec[4200], dbpath[4200], tsv[4200];
	mrt_err err = { 0 };
	if (bench_data_file(order, sizeof order, "icd10cm/fy2026/icd10cm_order_2026.txt") != 0) {
		printf("no data: %s\n", order);
		return 77;
	}
	if (mrt_hash_init(&err) != 0 || !mkdtemp(dir))
		return 1;
	snprintf(spec, sizeof spec, "%s/icd10cm_order_2026.txt", dir);
	if (smoke ? bench_head(order, spec, 3000) != 0 : symlink(order, spec) != 0)
		return 1;
	snprintf(dbpath, sizeof dbpath, "%s/mrt.db", dir);
	snprintf(tsv, sizeof tsv, "%s/rows.tsv", dir);
	mrt_db *db = NULL;
	mrt_log_set_level(MRT_LOG_DEBUG); /* the loader's per-step times */
	double t0 = bench_now();
	int rc = bench_load(&db, dbpath, spec, &err);
	double t_load = bench_now() - t0;
	if (rc) {
		fprintf(stderr, "load failed: %s\n", err.msg);
		return 1;
	}
	long rows = write_tsv(db, tsv, &err);
	mrt_db_close(db);
	double t_import = rows > 0 ? run_import(dir, tsv) : -1;
	printf("order file: %s%s\n", order, smoke ? " (first 3,000 lines)" : "");
	printf("mrt loader:      %7ld rows in %.3f s = %9.0f rows/s\n", rows, t_load, (double)rows / t_load);
	if (t_import > 0) {
		printf("sqlite3 .import: %7ld rows in %.3f s = %9.0f rows/s\n", rows, t_import,
		       (double)rows / t_import);
		printf("ratio loader/import: %.2fx (goal <= 1.5x); loader %s 1 s\n", t_load / t_import,
		       t_load < 1.0 ? "under" : "over");
	} else {
		printf("sqlite3 .import: not run (sqlite3 CLI missing or failed)\n");
	}
	printf("peak RSS: %ld KiB\n", bench_peak_rss_kb());
	char cmd[4300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	return rows > 0 ? 0 : 1;
}
