/*
 * Typed fields of the current CSV record, for the table readers (MIMIC-IV,
 * Synthea): columns resolved by name once at open, then each field parsed
 * and validated. A field that fails marks the row rejected with a message
 * naming file, line, record and column and what is wrong - never the value.
 */
#ifndef MRT_FORMATS_CSVROW_H
#define MRT_FORMATS_CSVROW_H

#include <stdint.h>

#include "base/date.h"
#include "formats/csv.h"

/* A date-time as day number plus seconds since midnight (no time zone). */
struct csv_time {
	mrt_day day;
	int32_t sec;
};

/* Per-row parsing state: the first failure is kept in err. */
struct csvrow {
	csv_reader *r;
	mrt_err *err;
	int bad;
};

/* Resolves each of names[0..n) to a column index in idx; a missing column
 * is an MRT_EPARSE error unless optional[i] is set (then idx[i] = -1). */
int csvrow_columns(csv_reader *r, const char *const *names, const unsigned char *optional, int *idx,
		   int n, mrt_err *err);

/* Each returns 1 when the field is present, 0 when empty (or the column is
 * absent, col < 0) - an error when required - and -1 when it is malformed. */
const char *csvrow_str(struct csvrow *c, int col, int required);
int csvrow_i64(struct csvrow *c, int col, int required, int64_t *out);
int csvrow_int(struct csvrow *c, int col, int required, int lo, int hi, int *out);
int csvrow_double(struct csvrow *c, int col, int required, double *out);
/* "YYYY-MM-DD". */
int csvrow_date(struct csvrow *c, int col, int required, mrt_day *out);
/* "YYYY-MM-DD HH:MM:SS" or ISO "YYYY-MM-DDTHH:MM:SS[Z]". */
int csvrow_time(struct csvrow *c, int col, int required, struct csv_time *out);
/* Marks the row bad with a reason about column col. */
void csvrow_fail(struct csvrow *c, int col, const char *what);

/* Parses one date-time string (see csvrow_time); 0 or MRT_EPARSE. */
int csv_time_parse(struct csv_time *out, const char *s);

#endif
