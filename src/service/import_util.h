/*
 * Helpers every importer shares: a progress line on stderr for long
 * imports (only when stderr is a terminal, and never with patient data:
 * it shows what is being read and how far), and the per-table counters an
 * import report is made of.
 */
#ifndef MRT_SERVICE_IMPORT_UTIL_H
#define MRT_SERVICE_IMPORT_UTIL_H

#include <limits.h>
#include <stdint.h>

#include <jansson.h>

#include "base/buf.h"
#include "chart/chart.h"
#include "formats/csvrow.h"
#include "service/session.h"

/* Progress of a long import on stderr, only when stderr is a TTY (never patient data). */
struct import_progress {
	const char *what;
	uint64_t total, done;
	double started, last;
	int tty;
};

void import_progress_start(struct import_progress *p, const char *what,
			   uint64_t total /* 0 unknown */);
void import_progress_add(struct import_progress *p, uint64_t n); /* redraws at most ~5 times/s */
void import_progress_end(struct import_progress *p);

/* Per-table counters for import reports: read, created, updated, unchanged, rejected. */
struct import_count {
	int64_t read, created, updated, unchanged, rejected;
};

/* {"read":N,"created":N,"updated":N,"unchanged":N,"rejected":N}; NULL when out of memory. */
json_t *import_count_json(const struct import_count *c);

/* Seconds on a monotonic clock (for progress and timings). */
double import_now(void);

/* A key -> (a, b) hash map for the ids an import resolves many times
 * (subject_id -> patient id, hadm_id -> encounter and patient ids, Synthea
 * UUIDs). Keys are copied into one pool; about 40 bytes per entry plus the
 * key. */
typedef struct import_map import_map;
import_map *import_map_new(void);
void import_map_free(import_map *m);
/* Inserts or overwrites; 0 or MRT_ENOMEM. */
int import_map_put(import_map *m, const char *key, int64_t a, int64_t b);
/* 1 and the values (either pointer may be NULL) when found, 0 when not. */
int import_map_get(const import_map *m, const char *key, int64_t *a, int64_t *b);
size_t import_map_count(const import_map *m);
/* Integer keys, as their decimal text. */
int import_map_put_i(import_map *m, int64_t key, int64_t a, int64_t b);
int import_map_get_i(const import_map *m, int64_t key, int64_t *a, int64_t *b);

/* "YYYY-MM-DDTHH:MM:SS" for a CSV date-time. */
#define IMPORT_TIME_LEN 32
void import_time_iso(char out[IMPORT_TIME_LEN], const struct csv_time *t);

/* The current CSV record written back as one CSV line (fields quoted when
 * they hold a delimiter, quote or line break), for keeping a rejected row
 * as it was read. out is reset first; 0 or MRT_ENOMEM. */
int import_csv_record(const csv_reader *r, mrt_buf *out);

/* free() after zeroing: for memory that held patient data (values,
 * codes, identifiers). NULL is fine. */
void import_free_zero(void *p, size_t len);
void import_free_str(char *s);

/* Reads a whole file (at most max bytes) for keeping it as a reject:
 * 0, MRT_EIO, or MRT_ENOMEM when it is larger than max. Free *data. */
int import_slurp(const char *path, size_t max, void **data, size_t *len, mrt_err *err);

/* Keeps the current record of r (written back as a CSV line) as a reject
 * of kind at "line N" of path, with reason. line is scratch space. */
int import_reject_row(mrt_db *db, const struct chart_ctx *c, const char *kind, const char *path,
		      const csv_reader *r, const char *reason, mrt_buf *line, mrt_err *err);

/* After a failed import: rolls back the caller's transaction, then keeps
 * the file at path whole (up to 256 MiB) as a reject of kind and writes the
 * audit event action ("failed", counts nothing) in a transaction of its own.
 * Adds "failed": {file, reject_id, reason} to report (when not NULL).
 * Returns rc; err keeps the original message. */
int import_fail_file(mrt_session *s, const char *kind, const char *action, const char *path,
		     unsigned long line, json_t *report, int rc, mrt_err *err);

/* What every directory import (MIMIC-IV, Synthea) keeps about its run;
 * the first member of each importer's own run struct. */
struct import_dir_run {
	mrt_session *s;
	mrt_db *db;
	struct chart_ctx ctx;
	char dir[PATH_MAX];
	char path[PATH_MAX];       /* the file being read */
	int file_failed;           /* the error is the file's: keep it as a reject */
	unsigned long fail_line;
};

/* Fills the run header: session, database, the write context of source
 * with its code-index cache. import_dir_run_free releases what it holds. */
int import_dir_run_init(struct import_dir_run *r, mrt_session *s, const char *source,
                        mrt_err *err);
void import_dir_run_free(struct import_dir_run *r);

/* The importer's own steps, each given its run (the struct that begins
 * with the import_dir_run). */
struct import_dir_steps {
	const char *kind;   /* "mimic": the reject kind and report source */
	const char *action; /* "import.mimic": the audit action */
	int (*run_all)(struct import_dir_run *r, mrt_err *err);
	int (*audit_done)(struct import_dir_run *r, mrt_err *err);
	json_t *(*report)(struct import_dir_run *r, double secs);
};

/* The transaction of a directory import: grows the page cache, runs every
 * step in one transaction with its audit event and commits, then builds the
 * report; on failure rolls back, and when a whole file could not be read
 * keeps it as a reject (import_fail_file). Restores the page cache. */
int import_dir_run(struct import_dir_run *r, const struct import_dir_steps *st, json_t **report,
                   mrt_err *err);

/* A bulk import's transaction touches far more pages than the connection's
 * default page cache holds; when it overflows, SQLite spills pages to the
 * log in the middle of the transaction. Grow the cache (up to 256 MiB,
 * allocated only as used) for the import, and restore it after. */
int import_cache_grow(mrt_db *db, mrt_err *err);
void import_cache_restore(mrt_db *db);

/* out = dir + "/" + name; MRT_EINVAL when too long. */
int import_path(char out[PATH_MAX], const char *dir, const char *name, mrt_err *err);
/* 1 when path is a regular file. */
int import_file_exists(const char *path);
/* 1 when path is a directory. */
int import_dir_exists(const char *path);
/* The absolute path of an existing directory (symbolic links resolved),
 * so that the sources recorded with rejects do not depend on where the
 * command was run: MRT_ENOTFOUND when dir is not a directory. */
int import_dir_canon(char out[PATH_MAX], const char *dir, mrt_err *err);

#endif
