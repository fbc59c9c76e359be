/*
 * Typed CSV fields; see csvrow.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "formats/csvrow.h"

int csvrow_columns(csv_reader *r, const char *const *names, const unsigned char *optional, int *idx,
		   int n, mrt_err *err)
{
	for (int i = 0; i < n; i++) {
		idx[i] = csv_col(r, names[i]);
		if (idx[i] < 0 && !(optional && optional[i]))
			return mrt_err_set(err, MRT_EPARSE, "%s: the header has no column '%s'",
					   csv_name(r), names[i]);
	}
	return 0;
}

void csvrow_fail(struct csvrow *c, int col, const char *what)
{
	if (c->bad)
		return;
	c->bad = 1;
	const char *name = col >= 0 ? csv_colname(c->r, (size_t)col) : "?";
	mrt_err_set(c->err, MRT_EPARSE, "%s: line %lu (record %lu), column '%s': %s",
		    csv_name(c->r), csv_lineno(c->r), csv_recno(c->r), name, what);
}

/* The field, or NULL when empty/absent (failing the row when required). */
static const char *field(struct csvrow *c, int col, int required)
{
	const char *s = col >= 0 ? csv_field(c->r, (size_t)col) : "";
	if (*s)
		return s;
	if (required)
		csvrow_fail(c, col, "required value is empty");
	return NULL;
}

const char *csvrow_str(struct csvrow *c, int col, int required)
{
	const char *s = field(c, col, required);
	return s ? s : "";
}

int csvrow_i64(struct csvrow *c, int col, int required, int64_t *out)
{
	const char *s = field(c, col, required);
	*out = 0;
	if (!s)
		return 0;
	if (mrt_parse_i64(out, s) != 0) {
		csvrow_fail(c, col, "not an integer");
		return -1;
	}
	return 1;
}

int csvrow_int(struct csvrow *c, int col, int required, int lo, int hi, int *out)
{
	int64_t v;
	*out = 0;
	int rc = csvrow_i64(c, col, required, &v);
	if (rc <= 0)
		return rc;
	if (v < lo || v > hi) {
		char what[80];
		snprintf(what, sizeof what, "integer out of range %d..%d", lo, hi);
		csvrow_fail(c, col, what);
		return -1;
	}
	*out = (int)v;
	return 1;
}

int csvrow_double(struct csvrow *c, int col, int required, double *out)
{
	const char *s = field(c, col, required);
	*out = 0;
	if (!s)
		return 0;
	char *end = NULL;
	errno = 0;
	double v = strtod(s, &end);
	if (errno != 0 || end == s || *end) {
		csvrow_fail(c, col, "not a number");
		return -1;
	}
	*out = v;
	return 1;
}

int csvrow_date(struct csvrow *c, int col, int required, mrt_day *out)
{
	const char *s = field(c, col, required);
	*out = 0;
	if (!s)
		return 0;
	if (mrt_date_parse(out, s) != 0) {
		csvrow_fail(c, col, "not a date YYYY-MM-DD");
		return -1;
	}
	return 1;
}

static int two(const char *s, int *v)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	*v = (s[0] - '0') * 10 + (s[1] - '0');
	return 0;
}

int csv_time_parse(struct csv_time *out, const char *s)
{
	char d[MRT_DATE_LEN];
	size_t n = strlen(s);
	if (n != 19 && !(n == 20 && s[19] == 'Z'))
		return MRT_EPARSE;
	if (s[10] != ' ' && s[10] != 'T')
		return MRT_EPARSE;
	memcpy(d, s, 10);
	d[10] = '\0';
	int h, m, sec;
	if (mrt_date_parse(&out->day, d) != 0 || two(s + 11, &h) || s[13] != ':' ||
	    two(s + 14, &m) || s[16] != ':' || two(s + 17, &sec) || h > 23 || m > 59 || sec > 60)
		return MRT_EPARSE;
	out->sec = h * 3600 + m * 60 + sec;
	return 0;
}

int csvrow_time(struct csvrow *c, int col, int required, struct csv_time *out)
{
	const char *s = field(c, col, required);
	memset(out, 0, sizeof *out);
	if (!s)
		return 0;
	if (csv_time_parse(out, s) != 0) {
		csvrow_fail(c, col, "not a date-time YYYY-MM-DD HH:MM:SS");
		return -1;
	}
	return 1;
}
