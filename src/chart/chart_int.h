/*
 * Private helpers shared by the chart's .c files: binding "given or not"
 * strings, comparing and merging column values, and snapshotting a row to
 * JSON for its _history table.
 */
#ifndef MRT_CHART_CHART_INT_H
#define MRT_CHART_CHART_INT_H

#include "chart/chart.h"

/* Binds s, with "" bound as NULL (a value given as empty clears it). */
void chart_bind(mrt_stmt *st, int idx, const char *s);
/* Binds an id, 0 as NULL. */
void chart_bind_id(mrt_stmt *st, int idx, int64_t id);
/* 1 when two stored values are the same (NULL equals NULL). */
int chart_same(const char *a, const char *b);

/* n text columns of a stored row, copied, and the merge with what was given. */
struct chart_row {
	int n;
	char *old[40];
	const char *merged[40];
	int changed;
};
/* Copies columns first..first+n-1 of the current row of st into r->old. */
int chart_row_load(struct chart_row *r, mrt_stmt *st, int first, int n, mrt_err *err);
/* merged[i] = given[i] when given (NULL for ""), else old[i]; sets changed. */
void chart_row_merge(struct chart_row *r, const char *const *given);
void chart_row_free(struct chart_row *r);

/* The current row of st (every column) as a JSON object, serialised. */
char *chart_row_snapshot(mrt_stmt *st);

/* Copies the row id (snap_sql: "SELECT * FROM t WHERE id = ?") as JSON
 * into a history table; hist_sql takes ?1 patient, ?2 id, ?3 version,
 * ?4 snapshot, ?5 when, ?6 by, ?7 source (unused numbers may be left out). */
int chart_history_put(mrt_db *db, const struct chart_ctx *c, const char *snap_sql,
                      const char *hist_sql, int64_t patient, int64_t id, int64_t version,
                      mrt_err *err);
/* 1 when s is NULL, empty or one of the n words of set. */
int chart_one_of(const char *s, const char *const *set, size_t n);

/* r->release_id and r->code set: r->status from the cached index of the
 * release (no title). */
int chart_cache_status(mrt_db *db, struct chart_cache *cache, struct chart_code_check *r,
                       mrt_err *err);

/* Runs "SELECT id FROM ... WHERE ..." style statements: one or two bound
 * texts (b NULL: one), the first row's id (and a second column) out;
 * MRT_ENOTFOUND when no row. */
int chart_find_id(mrt_db *db, const char *sql, const char *a, const char *b, int64_t *id,
                  int64_t *id2, mrt_err *err);
/* The same for a key that may match several rows: MRT_EAMBIG then. */
int chart_find_unique(mrt_db *db, const char *sql, const char *a, const char *b, int64_t *id,
                      mrt_err *err);

#endif
