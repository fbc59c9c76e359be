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

/* Runs "SELECT id FROM ... WHERE ..." style statements: one bound text, an
 * id out; MRT_ENOTFOUND when no row. */
int chart_find_id(mrt_db *db, const char *sql, const char *a, const char *b, int64_t *id,
                  int64_t *id2, mrt_err *err);

#endif
