/*
 * Discharged-not-final-coded turnaround (caudit_svc_dnfc): encounters
 * discharged on or before the as-of date whose coding status is still
 * uncoded or in-progress, with the days since discharge per coder holding
 * them (who set the coding status, else who made the newest coder's
 * coding, else "unassigned") and overall, oldest first; and the days from
 * discharge to the first final (or billed) coding status of the encounters
 * finalised in the period, per coder who finalised them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/str.h"
#include "service/coding_audit_int.h"
#include "service/svc_util.h"

struct row {
	char coder[64];
	long days;
};

struct rows {
	struct row *r;
	size_t n, cap;
};

static int push(struct rows *v, const char *coder, long days, mrt_err *err)
{
	struct row *r = mrt_grow(v->r, &v->cap, v->n + 1, sizeof *r, 256);
	if (!r)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	v->r = r;
	mrt_strlcpy(v->r[v->n].coder, coder, sizeof v->r[v->n].coder);
	v->r[v->n++].days = days;
	return 0;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

static json_t *num2(double v)
{
	return json_real((double)(long)(v * 100.0 + (v < 0 ? -0.5 : 0.5)) / 100.0);
}

/* Count, mean, median, max and the day buckets of the rows of coder
 * (NULL: all); NULL when out of memory. */
static json_t *stats(const struct rows *v, const char *coder, int buckets)
{
	long *d = malloc((v->n + 1) * sizeof *d);
	if (!d)
		return NULL;
	size_t n = 0;
	double sum = 0;
	long b[5] = {0};
	for (size_t i = 0; i < v->n; i++) {
		if (coder && strcmp(coder, v->r[i].coder))
			continue;
		long x = v->r[i].days;
		d[n++] = x;
		sum += (double)x;
		b[x <= 3 ? 0 : x <= 7 ? 1 : x <= 14 ? 2 : x <= 30 ? 3 : 4]++;
	}
	if (n)
		qsort(d, n, sizeof *d, cmp_long);
	json_t *o = json_object();
	if (coder)
		json_object_set_new(o, "coder", json_string(coder));
	json_object_set_new(o, "count", json_integer((json_int_t)n));
	json_object_set_new(o, "mean_days", n ? num2(sum / (double)n) : json_null());
	json_object_set_new(o, "median_days",
			    !n	    ? json_null()
			    : n % 2 ? json_real((double)d[n / 2])
				    : num2(((double)d[n / 2 - 1] + (double)d[n / 2]) / 2.0));
	json_object_set_new(o, "max_days", n ? json_integer(d[n - 1]) : json_null());
	if (buckets)
		json_object_set_new(o, "buckets",
				    json_pack("{s:I, s:I, s:I, s:I, s:I}", "0-3", (json_int_t)b[0],
					      "4-7", (json_int_t)b[1], "8-14", (json_int_t)b[2],
					      "15-30", (json_int_t)b[3], ">30", (json_int_t)b[4]));
	free(d);
	return o;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct row *)a)->coder, ((const struct row *)b)->coder);
}

/* One stats object per coder, by name. */
static json_t *per_coder(const struct rows *v, int buckets)
{
	json_t *arr = json_array();
	struct row *sorted = malloc((v->n + 1) * sizeof *sorted);
	if (!sorted)
		return arr;
	if (v->n)
		memcpy(sorted, v->r, v->n * sizeof *sorted);
	qsort(sorted, v->n, sizeof *sorted, by_name);
	for (size_t i = 0; i < v->n; i++)
		if (i == 0 || strcmp(sorted[i].coder, sorted[i - 1].coder))
			json_array_append_new(arr, stats(v, sorted[i].coder, buckets));
	free(sorted);
	return arr;
}

static const char SQL_DNFC[] =
    "SELECT * FROM (SELECT e.account, substr(e.discharge_at, 1, 10) AS d, e.coding_status,"
    "  coalesce(us.name, (SELECT u.name FROM coding c JOIN app_user u ON u.id = c.created_by"
    "   WHERE c.encounter_id = e.id AND c.source = 'coder' ORDER BY c.version DESC LIMIT 1),"
    "   'unassigned') AS holder"
    "  FROM encounter e LEFT JOIN app_user us ON us.id = e.coding_status_by"
    "  WHERE e.discharge_at IS NOT NULL AND substr(e.discharge_at, 1, 10) <= ?1"
    "   AND e.coding_status IN ('uncoded', 'in-progress')"
    "   AND e.status NOT IN ('cancelled', 'merged'))"
    " WHERE ?2 IS NULL OR holder = ?2 ORDER BY d, account";

static const char SQL_FINAL[] =
    "SELECT substr(e.discharge_at, 1, 10), substr(h.at, 1, 10), coalesce(u.name, 'unassigned')"
    " FROM coding_status_history h JOIN encounter e ON e.id = h.encounter_id"
    " LEFT JOIN app_user u ON u.id = h.by_user"
    " WHERE h.to_status IN ('final', 'billed') AND e.discharge_at IS NOT NULL"
    "  AND h.id = (SELECT min(id) FROM coding_status_history x WHERE x.encounter_id ="
    "   h.encounter_id AND x.to_status IN ('final', 'billed'))"
    "  AND substr(h.at, 1, 10) BETWEEN ?1 AND ?2 AND (?3 IS NULL OR u.name = ?3)";

static int dnfc_rows(mrt_db *db, const char *as_of, const char *coder, struct rows *v, json_t *list,
		     mrt_err *err)
{
	mrt_day today, d;
	mrt_date_parse(&today, as_of);
	mrt_stmt *st = mrt_db_stmt(db, SQL_DNFC, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, as_of);
	mrt_stmt_bind_text(st, 2, coder);
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		const char *dd = mrt_stmt_text(st, 1);
		if (mrt_date_parse(&d, dd) != 0)
			continue; /* not a date: nothing to count from */
		long days = (long)(today - d);
		if ((rc = push(v, mrt_stmt_text(st, 3), days, err)) != 0)
			break;
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:I, s:s, s:s}", "account", mrt_stmt_text(st, 0),
				    "discharge_date", dd, "days", (json_int_t)days, "coder",
				    mrt_stmt_text(st, 3), "status", mrt_stmt_text(st, 2)));
	}
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int final_rows(mrt_db *db, const char *from, const char *to, const char *coder,
		      struct rows *v, mrt_err *err)
{
	mrt_stmt *st = mrt_db_stmt(db, SQL_FINAL, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, from);
	mrt_stmt_bind_text(st, 2, to);
	mrt_stmt_bind_text(st, 3, coder);
	int rc;
	mrt_day a, b;
	while ((rc = mrt_stmt_step(st, err)) == 1)
		if (mrt_date_parse(&a, mrt_stmt_text(st, 0)) == 0 &&
		    mrt_date_parse(&b, mrt_stmt_text(st, 1)) == 0 &&
		    (rc = push(v, mrt_stmt_text(st, 2), (long)(b - a), err)) != 0)
			break;
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Supervisors see every coder; a coder only what they hold. */
static const struct caudit_own dnfc_own = {"coding.dnfc", "encounter", "another coder's list",
					   "a coder reads only their own DNFC list"};

static int dnfc_dates(const struct caudit_dnfc_req *r, char as_of[MRT_DATE_LEN],
		      char from[MRT_DATE_LEN], mrt_err *err)
{
	int rc = caudit_date_opt("--as-of", r->as_of, err);
	if (rc == 0)
		rc = caudit_date_opt("--from", r->from, err);
	if (rc)
		return rc;
	mrt_day t = mrt_date_today();
	if (r->as_of)
		mrt_date_parse(&t, r->as_of);
	mrt_date_format(as_of, t);
	mrt_date_format(from, t - 29);
	if (r->from)
		mrt_strlcpy(from, r->from, MRT_DATE_LEN);
	return 0;
}

int caudit_svc_dnfc(mrt_session *s, const struct caudit_dnfc_req *r, json_t **out, mrt_err *err)
{
	*out = NULL;
	const char *coder = NULL;
	char as_of[MRT_DATE_LEN], from[MRT_DATE_LEN];
	int64_t uid = 0;
	int rc = caudit_own_coder(s, r->coder, &dnfc_own, &coder, err);
	if (rc == 0 && coder && strcmp(coder, "unassigned") != 0)
		rc = caudit_user_id(mrt_session_db(s), coder, &uid, err);
	if (rc == 0)
		rc = dnfc_dates(r, as_of, from, err);
	if (rc)
		return rc;
	mrt_db *db = mrt_session_db(s);
	struct rows open = {0}, done = {0};
	json_t *list = json_array();
	if ((rc = mrt_db_begin(db, err)) != 0)
		goto out;
	rc = dnfc_rows(db, as_of, coder, &open, list, err);
	if (rc == 0)
		rc = final_rows(db, from, as_of, coder, &done, err);
	char detail[64];
	snprintf(detail, sizeof detail, "%zu encounters not final coded", open.n);
	if (rc == 0)
		rc = svc_audit(s, "coding.dnfc", "encounter", 0, 0, "allow", detail, err);
	if (rc == 0)
		*out = json_pack("{s:s, s:s?, s:o, s:o, s:O, s:{s:s, s:s, s:o, s:o}}", "as_of",
				 as_of, "coder", coder, "overall", stats(&open, NULL, 1), "coders",
				 per_coder(&open, 1), "encounters", list, "timeliness", "from",
				 from, "to", as_of, "overall", stats(&done, NULL, 0), "coders",
				 per_coder(&done, 0));
	rc = svc_finish_json(db, rc, out, err);
out:
	json_decref(list);
	free(open.r);
	free(done.r);
	return rc;
}
