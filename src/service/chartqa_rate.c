/*
 * The rule table of chart completion (`mrt chart rules`, `mrt chart
 * rule-set`, audited, admin or him_technician) and the department's
 * delinquency rate (`mrt chart delinquency`): per quarter, the records
 * delinquent at its end over the quarter's average monthly discharges,
 * against The Joint Commission's limit of 50 %.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "service/chartqa_int.h"

#define DELINQUENCY_LIMIT 50.0

int chartqa_svc_rules(mrt_session *s, json_t **out, mrt_err *err)
{
	static const char rules[] =
	    "SELECT class, requirement, doc_kind, before_hours, after_hours, short_stay_hours,"
	    " short_stay_kind, delinquent_days, enabled, citation FROM deficiency_rule ORDER BY id";
	static const char ops[] =
	    "SELECT system, section, coalesce(approach, 'any') AS approach, description, enabled"
	    " FROM operative_procedure_rule ORDER BY id";
	mrt_db *db = mrt_session_db(s);
	int rc = mrt_db_begin(db, err);
	if (rc)
		return rc;
	json_t *r = json_array(), *o = json_array();
	*out = json_pack("{s:o, s:o}", "rules", r, "operative_procedures", o);
	mrt_stmt *st = mrt_db_stmt(db, rules, err);
	rc = st ? svc_rows_json(st, r, err) : err->code;
	if (rc == 0)
		rc = (st = mrt_db_stmt(db, ops, err)) ? svc_rows_json(st, o, err) : err->code;
	if (rc == 0)
		rc = svc_audit(s, "chart.rules", "deficiency_rule", 0, 0, NULL, NULL, err);
	return svc_finish_json(db, rc, out, err);
}

static int set_requirement(mrt_session *s, const struct chartqa_rule_set *r, mrt_err *err)
{
	static const char sql[] =
	    "INSERT INTO deficiency_rule(class, requirement, doc_kind, before_hours, after_hours,"
	    " short_stay_hours, short_stay_kind, delinquent_days, enabled, updated_at, updated_by)"
	    " VALUES (?1, ?2, ?3, max(?4, 0), max(?5, 0), max(?6, 0), ?7,"
	    "  CASE WHEN ?8 < 0 THEN 30 ELSE ?8 END, CASE WHEN ?9 < 0 THEN 1 ELSE ?9 END, ?10, ?11)"
	    " ON CONFLICT (class, requirement) DO UPDATE SET"
	    "  doc_kind = coalesce(?3, doc_kind),"
	    "  before_hours = CASE WHEN ?4 < 0 THEN before_hours ELSE ?4 END,"
	    "  after_hours = CASE WHEN ?5 < 0 THEN after_hours ELSE ?5 END,"
	    "  short_stay_hours = CASE WHEN ?6 < 0 THEN short_stay_hours ELSE ?6 END,"
	    "  short_stay_kind = coalesce(?7, short_stay_kind),"
	    "  delinquent_days = CASE WHEN ?8 < 0 THEN delinquent_days ELSE ?8 END,"
	    "  enabled = CASE WHEN ?9 < 0 THEN enabled ELSE ?9 END,"
	    "  updated_at = ?10, updated_by = ?11";
	char now[32];
	mrt_now_iso(now);
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, r->cls);
	mrt_stmt_bind_text(st, 2, r->requirement);
	mrt_stmt_bind_text(st, 3, r->doc_kind);
	mrt_stmt_bind_int(st, 4, r->before_hours);
	mrt_stmt_bind_int(st, 5, r->after_hours);
	mrt_stmt_bind_int(st, 6, r->short_stay_hours);
	mrt_stmt_bind_text(st, 7, r->short_stay_kind);
	mrt_stmt_bind_int(st, 8, r->delinquent_days);
	mrt_stmt_bind_int(st, 9, r->enabled);
	mrt_stmt_bind_text(st, 10, now);
	mrt_stmt_bind_int(st, 11, mrt_session_user_id(s));
	int rc = mrt_stmt_run(st, err);
	if (rc)
		return mrt_err_set(err, MRT_EINVAL,
				   "--class %s --requirement %s: not a valid rule"
				   " (class inpatient|outpatient|emergency|observation; requirement"
				   " history-physical|hp-update|operative-report|discharge-summary|"
				   "authentication; days > 0)",
				   r->cls, r->requirement);
	char detail[128];
	snprintf(detail, sizeof detail, "%s %s", r->cls, r->requirement);
	return svc_audit(s, "chart.rule-set", "deficiency_rule", 0, 0, NULL, detail, err);
}

static int set_operative(mrt_session *s, const struct chartqa_rule_set *r, mrt_err *err)
{
	static const char upd[] =
	    "UPDATE operative_procedure_rule SET enabled = ?3, updated_at = ?4, updated_by = ?5"
	    " WHERE system = 'ICD-10-PCS' AND section = ?1 AND approach IS ?2";
	static const char ins[] =
	    "INSERT INTO operative_procedure_rule(section, approach, enabled, updated_at,"
	    " updated_by) VALUES (?1, ?2, ?3, ?4, ?5)";
	const char *a = r->op_approach && strcmp(r->op_approach, "any") ? r->op_approach : NULL;
	if (strlen(r->op_section) != 1 || (a && strlen(a) != 1))
		return mrt_err_set(err, MRT_EINVAL,
				   "--operative-section and --approach: one"
				   " ICD-10-PCS character each (approach: or any)");
	char now[32];
	mrt_now_iso(now);
	int rc = 0;
	for (int pass = 0; pass < 2 && rc == 0; pass++) {
		mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), pass ? ins : upd, err);
		if (!st)
			return err->code;
		mrt_stmt_bind_text(st, 1, r->op_section);
		mrt_stmt_bind_text(st, 2, a);
		mrt_stmt_bind_int(st, 3, r->enabled < 0 ? 1 : r->enabled);
		mrt_stmt_bind_text(st, 4, now);
		mrt_stmt_bind_int(st, 5, mrt_session_user_id(s));
		rc = mrt_stmt_run(st, err);
		if (rc == 0 && mrt_db_changes(mrt_session_db(s)) > 0)
			break;
	}
	char detail[96];
	snprintf(detail, sizeof detail, "operative section %s approach %s: %s", r->op_section,
		 a ? a : "any", r->enabled == 0 ? "disabled" : "enabled");
	return rc ? rc
		  : svc_audit(s, "chart.rule-set", "operative_procedure_rule", 0, 0, NULL, detail,
			      err);
}

int chartqa_svc_rule_set(mrt_session *s, const struct chartqa_rule_set *r, mrt_err *err)
{
	if (!r->op_section && (!r->cls || !r->requirement))
		return mrt_err_set(err, MRT_EINVAL,
				   "--class and --requirement (or"
				   " --operative-section) are required");
	int rc = mrt_session_require_either(s, MRT_ROLE_ADMIN, MRT_ROLE_HIM, "chart.rule-set", err);
	mrt_db *db = mrt_session_db(s);
	if (rc || (rc = mrt_db_begin(db, err)) != 0)
		return rc;
	rc = r->op_section ? set_operative(s, r, err) : set_requirement(s, r, err);
	return svc_finish(db, rc, err);
}

static int count_of(mrt_session *s, const char *sql, const char *from, const char *to, int64_t *n,
		    mrt_err *err)
{
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, from);
	mrt_stmt_bind_text(st, 2, to);
	int rc = mrt_stmt_step(st, err);
	*n = rc == 1 ? mrt_stmt_int(st, 0) : 0;
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* The first and last day of months m .. m + n - 1 of year y. */
static void months(int y, int m, int n, char from[MRT_DATE_LEN], char to[MRT_DATE_LEN])
{
	int last = m + n; /* the month after */
	mrt_date_format(from, mrt_date_from_ymd(y, m, 1));
	mrt_date_format(to, (last > 12 ? mrt_date_from_ymd(y + 1, last - 12, 1)
				       : mrt_date_from_ymd(y, last, 1)) -
				1);
}

/* The quarter's discharges, month by month, into arr; their sum. */
static int discharges(mrt_session *s, int y, int q, json_t *arr, int64_t *sum, mrt_err *err)
{
	static const char sql[] =
	    "SELECT count(*) FROM encounter WHERE status NOT IN ('merged','cancelled')"
	    " AND substr(discharge_at, 1, 10) BETWEEN ?1 AND ?2";
	*sum = 0;
	for (int i = 0; i < 3; i++) {
		char from[MRT_DATE_LEN], to[MRT_DATE_LEN];
		int64_t n = 0;
		months(y, q * 3 - 2 + i, 1, from, to);
		int rc = count_of(s, sql, from, to, &n, err);
		if (rc)
			return rc;
		json_array_append_new(arr, json_integer((json_int_t)n));
		*sum += n;
	}
	return 0;
}

/* One quarter (y, q) as {quarter, from, to, discharges, ...}. */
static int quarter_json(mrt_session *s, int y, int q, json_t *arr, mrt_err *err)
{
	static const char late[] =
	    "SELECT count(DISTINCT encounter_id) FROM deficiency WHERE due_date < ?2"
	    " AND (closed_at IS NULL OR substr(closed_at, 1, 10) > ?2) AND ?1 IS NOT NULL";
	char from[MRT_DATE_LEN], to[MRT_DATE_LEN], name[16];
	months(y, q * 3 - 2, 3, from, to);
	snprintf(name, sizeof name, "%dQ%d", y, q);
	int64_t d = 0, l = 0;
	json_t *monthly = json_array();
	int rc = discharges(s, y, q, monthly, &d, err);
	if (rc == 0)
		rc = count_of(s, late, from, to, &l, err);
	if (rc) {
		json_decref(monthly);
		return rc;
	}
	double avg = (double)d / 3.0;
	json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:o, s:f, s:I, s:f}", "quarter", name, "from",
			      from, "to", to, "discharges", (json_int_t)d, "monthly_discharges",
			      monthly, "average_monthly_discharges", avg, "delinquent_records",
			      (json_int_t)l, "limit_percent", DELINQUENCY_LIMIT);
	double rate = d > 0 ? 100.0 * (double)l / avg : 0;
	json_object_set_new(o, "rate_percent", d > 0 ? json_real(rate) : json_null());
	json_object_set_new(o, "within_limit",
			    d > 0 ? json_boolean(rate <= DELINQUENCY_LIMIT) : json_null());
	json_array_append_new(arr, o);
	return 0;
}

static int parse_quarter(const char *v, int *y, int *q)
{
	char extra;
	if (!v || sscanf(v, "%4dQ%1d%c", y, q, &extra) != 2 || *q < 1 || *q > 4 || *y < 1900)
		return -1;
	return 0;
}

int chartqa_svc_delinquency(mrt_session *s, const char *from, const char *to, const char *quarter,
			    json_t **out, mrt_err *err)
{
	int y0, q0, y1, q1, m, d;
	mrt_day a, b;
	*out = NULL;
	if (quarter) {
		if (from || to || parse_quarter(quarter, &y0, &q0))
			return mrt_err_set(err, MRT_EINVAL,
					   "--quarter: YYYYQn (n 1-4), without"
					   " --from/--to");
		y1 = y0, q1 = q0;
	} else {
		if (!from || !to || mrt_date_parse(&a, from) || mrt_date_parse(&b, to) || b < a)
			return mrt_err_set(err, MRT_EINVAL,
					   "--from DATE --to DATE (YYYY-MM-DD, from"
					   " first) or --quarter YYYYQn");
		mrt_date_to_ymd(a, &y0, &m, &d);
		q0 = (m - 1) / 3 + 1;
		mrt_date_to_ymd(b, &y1, &m, &d);
		q1 = (m - 1) / 3 + 1;
		if ((y1 - y0) * 4 + q1 - q0 > 400)
			return mrt_err_set(err, MRT_EINVAL, "--from/--to: at most 400 quarters");
	}
	int rc =
	    mrt_session_require_either(s, MRT_ROLE_ADMIN, MRT_ROLE_HIM, "chart.delinquency", err);
	mrt_db *db = mrt_session_db(s);
	if (rc || (rc = mrt_db_begin(db, err)) != 0)
		return rc;
	json_t *arr = json_array();
	*out = json_pack("{s:o, s:f}", "quarters", arr, "limit_percent", DELINQUENCY_LIMIT);
	for (int y = y0, q = q0; rc == 0 && (y < y1 || (y == y1 && q <= q1));
	     q = q % 4 + 1, y += q == 1)
		rc = quarter_json(s, y, q, arr, err);
	if (rc == 0)
		rc = svc_audit(s, "chart.delinquency", "deficiency", 0, 0, NULL, NULL, err);
	return svc_finish_json(db, rc, out, err);
}
