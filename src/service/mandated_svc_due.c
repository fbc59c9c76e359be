/*
 * The site's due-date rules of mandated reports (see mandated_svc.h): a
 * rule per kind, or per kind and jurisdiction, over the built-in defaults
 * of privacy/mandated.c. Statutes differ by state and disease; the
 * privacy officer sets what the site's jurisdictions ask for.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "service/mandated_svc.h"
#include "service/request_svc_int.h"

int mandated_due_rule_find(mrt_session *s, const char *kind, const char *jurisdiction,
                           struct mandated_due_rule *r, int *site, mrt_err *err)
{
	static const char sql[] =
		"SELECT due_days, due_months FROM mandated_due_rule WHERE kind = ?1"
		" AND (jurisdiction = ?2 OR jurisdiction = '') ORDER BY jurisdiction = '' LIMIT 1";
	int k = mandated_kind_parse(kind);
	if (k < 0)
		return mrt_err_set(err, MRT_EINVAL, "unknown kind of mandated report");
	r->days = mandated_kinds[k].due_days;
	r->months = mandated_kinds[k].due_months;
	*site = 0;
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, kind);
	mrt_stmt_bind_text(st, 2, jurisdiction ? jurisdiction : "");
	int rc = mrt_stmt_step(st, err);
	if (rc == 1) {
		r->days = (int)mrt_stmt_int(st, 0);
		r->months = (int)mrt_stmt_int(st, 1);
		*site = 1;
	}
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int built_in(json_t *a, mrt_err *err)
{
	for (int k = 0; k < MANDATED_KIND_COUNT; k++) {
		const struct mandated_kind_info *i = &mandated_kinds[k];
		json_t *o = json_pack("{s:s, s:s, s:i, s:i, s:b, s:s, s:s, s:n, s:n}", "kind", i->name,
		                      "jurisdiction", "", "days", i->due_days, "months", i->due_months,
		                      "from_diagnosis", i->from_diagnosis, "source", "built-in", "note",
		                      i->due_note, "updated_at", "updated_by");
		if (!o || json_array_append_new(a, o) != 0)
			return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	}
	return 0;
}

int mandated_svc_due_rules(mrt_session *s, json_t **out, mrt_err *err)
{
	static const char sql[] =
		"SELECT r.kind, r.jurisdiction, r.due_days AS days, r.due_months AS months,"
		" 'site' AS source, r.updated_at, u.name AS updated_by FROM mandated_due_rule r"
		" JOIN app_user u ON u.id = r.updated_by ORDER BY r.kind, r.jurisdiction";
	struct access_target t = { .action = "mandated.due-list" };
	*out = NULL;
	int rc = access_svc_check(s, ACCESS_MANDATED_NEW, &t, NULL, err);
	if (rc)
		return rc;
	*out = json_array();
	if (!*out)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	rc = st ? built_in(*out, err) : err->code;
	if (rc == 0)
		rc = svc_rows_json(st, *out, err);
	size_t i;
	json_t *o;
	json_array_foreach(*out, i, o) {
		int k = mandated_kind_parse(json_string_value(json_object_get(o, "kind")));
		if (k >= 0 && !json_object_get(o, "from_diagnosis"))
			json_object_set_new(o, "from_diagnosis", json_boolean(mandated_kinds[k].from_diagnosis));
	}
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

static int log_change(mrt_session *s, const char *kind, const char *jurisdiction, int days,
                      int months, mrt_err *err)
{
	static const char sql[] =
		"INSERT INTO schedule_change(name, old_value, new_value, at, by_user)"
		" SELECT ?1, (SELECT due_months || ' months ' || due_days || ' days' FROM mandated_due_rule"
		"   WHERE kind = ?2 AND jurisdiction = ?3), ?4, ?5, ?6";
	char name[300], value[64], now[32];
	snprintf(name, sizeof name, "mandated.%s%s%s", kind, *jurisdiction ? "." : "", jurisdiction);
	snprintf(value, sizeof value, "%d months %d days", months, days);
	mrt_now_iso(now);
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, name);
	mrt_stmt_bind_text(st, 2, kind);
	mrt_stmt_bind_text(st, 3, jurisdiction);
	mrt_stmt_bind_text(st, 4, value);
	mrt_stmt_bind_text(st, 5, now);
	mrt_stmt_bind_int(st, 6, mrt_session_user_id(s));
	return mrt_stmt_run(st, err);
}

static int put_rule(mrt_session *s, const char *kind, const char *jurisdiction, int days,
                    int months, mrt_err *err)
{
	static const char sql[] =
		"INSERT INTO mandated_due_rule(kind, jurisdiction, due_days, due_months, updated_at,"
		" updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (kind, jurisdiction) DO UPDATE"
		" SET due_days = ?3, due_months = ?4, updated_at = ?5, updated_by = ?6";
	char now[32];
	mrt_now_iso(now);
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, kind);
	mrt_stmt_bind_text(st, 2, jurisdiction);
	mrt_stmt_bind_int(st, 3, days);
	mrt_stmt_bind_int(st, 4, months);
	mrt_stmt_bind_text(st, 5, now);
	mrt_stmt_bind_int(st, 6, mrt_session_user_id(s));
	return mrt_stmt_run(st, err);
}

int mandated_svc_due_set(mrt_session *s, const char *kind, const char *jurisdiction, int days,
                         int months, mrt_err *err)
{
	if (mandated_kind_parse(kind) < 0)
		return mrt_err_set(err, MRT_EINVAL, "--kind must be child-abuse, elder-abuse, "
		                   "domestic-violence, reportable-disease, wound or cancer-registry");
	if (days < 0 || days > 3660 || months < 0 || months > 120 || (days == 0 && months == 0))
		return mrt_err_set(err, MRT_EINVAL, "give --days (up to 3660) and/or --months (up to "
		                   "120), not both zero");
	int rc = rq_text("--jurisdiction", jurisdiction, 200, 0, err);
	if (rc)
		return rc;
	if (!jurisdiction)
		jurisdiction = "";
	struct access_target t = { .action = "mandated.due-set" };
	mrt_db *db = mrt_session_db(s);
	if ((rc = access_svc_check(s, ACCESS_PRIVACY_REVIEW, &t, NULL, err)) != 0 ||
	    (rc = mrt_db_begin(db, err)) != 0)
		return rc;
	rc = log_change(s, kind, jurisdiction, days, months, err);
	if (rc == 0)
		rc = put_rule(s, kind, jurisdiction, days, months, err);
	if (rc == 0)
		rc = svc_audit(s, "mandated.due-set", "mandated_due_rule", 0, 0, NULL, kind, err);
	return svc_finish(db, rc, err);
}
