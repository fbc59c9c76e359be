/*
 * The retention schedule, the due report and the purge check (see
 * retention_svc.h); legal holds are in retention_svc_hold.c. The period
 * itself is computed by privacy/retention.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "privacy/retention.h"
#include "service/retention_svc.h"
#include "service/retention_svc_int.h"

int retention_rules(mrt_session *s, struct retention_rule *adult, struct retention_rule *minor,
                    int *majority, mrt_err *err)
{
	static const char sql[] =
		"SELECT class, years_after_discharge, years_after_majority FROM retention_class";
	*adult = (struct retention_rule){ 10, 0 };
	*minor = (struct retention_rule){ 10, 3 };
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		struct retention_rule *r = strcmp(mrt_stmt_text(st, 0), "minor") == 0 ? minor : adult;
		r->years_after_discharge = (int)mrt_stmt_int(st, 1);
		r->years_after_majority = (int)mrt_stmt_int(st, 2);
	}
	mrt_stmt_reset(st);
	return rc < 0 ? rc : rq_majority_age(s, majority, err);
}

/* Facts of each patient (one, or all when patient_id is 0). */
static const char facts_sql[] =
	"SELECT p.id, p.mrn, p.birth_date, max(substr(e.discharge_at, 1, 10)),"
	" coalesce(sum(e.id IS NOT NULL AND e.discharge_at IS NULL"
	"   AND e.status NOT IN ('cancelled','merged')), 0),"
	" (SELECT count(*) FROM legal_hold h WHERE h.patient_id = p.id AND h.released_at IS NULL"
	"   AND (h.until_date IS NULL OR h.until_date >= ?2))"
	" FROM patient p LEFT JOIN encounter e ON e.patient_id = p.id"
	" WHERE (?1 = 0 OR p.id = ?1) AND p.status <> 'merged' GROUP BY p.id ORDER BY p.id";

int retention_row_facts(mrt_stmt *st, const struct retention_rules_set *rules,
                        struct retention_row *row)
{
	memset(row, 0, sizeof *row);
	row->patient_id = mrt_stmt_int(st, 0);
	mrt_strlcpy(row->mrn, mrt_stmt_text(st, 1), sizeof row->mrn);
	struct retention_facts f = { .majority_age = rules->majority };
	const char *birth = mrt_stmt_text(st, 2), *disch = mrt_stmt_text(st, 3);
	char day[MRT_DATE_LEN];
	if (birth && strlen(birth) >= 10) {
		mrt_strlcpy(day, birth, sizeof day);
		f.has_birth = mrt_date_parse(&f.birth, day) == 0;
	}
	if (disch && mrt_date_parse(&f.last_discharge, disch) != 0)
		f.last_discharge = 0;
	row->open_encounters = (int)mrt_stmt_int(st, 4);
	row->holds = (int)mrt_stmt_int(st, 5);
	retention_until(&row->r, &rules->adult, &rules->minor, &f);
	row->last_discharge = f.last_discharge;
	return 0;
}

void retention_row_verdict(const struct retention_row *row, mrt_day today, int *may,
                           const char **why)
{
	*may = 0;
	if (row->holds)
		*why = "a legal hold is active";
	else if (row->open_encounters)
		*why = "an encounter is still open (no discharge)";
	else if (!row->r.known)
		*why = "no discharge on record: the retention period has not started";
	else if (today <= row->r.until)
		*why = "the retention period has not run out";
	else {
		*may = 1;
		*why = "the retention period has run out and no legal hold is active";
	}
}

int retention_load_rules(mrt_session *s, struct retention_rules_set *rules, mrt_err *err)
{
	return retention_rules(s, &rules->adult, &rules->minor, &rules->majority, err);
}

int retention_facts_stmt(mrt_session *s, int64_t patient_id, mrt_stmt **out, mrt_err *err)
{
	char today[MRT_DATE_LEN];
	rq_today(today);
	*out = mrt_db_stmt(mrt_session_db(s), facts_sql, err);
	if (!*out)
		return err->code;
	mrt_stmt_bind_int(*out, 1, patient_id);
	mrt_stmt_bind_text(*out, 2, today);
	return 0;
}

static int one_row(mrt_session *s, int64_t patient_id, struct retention_row *row, mrt_err *err)
{
	struct retention_rules_set rules;
	mrt_stmt *st = NULL;
	int rc = retention_load_rules(s, &rules, err);
	if (rc || (rc = retention_facts_stmt(s, patient_id, &st, err)) != 0)
		return rc;
	rc = mrt_stmt_step(st, err);
	if (rc == 1)
		retention_row_facts(st, &rules, row);
	mrt_stmt_reset(st);
	if (rc == 0)
		return mrt_err_set(err, MRT_ENOTFOUND, "no patient with that id");
	return rc < 0 ? rc : 0;
}

int retention_svc_may_purge(mrt_session *s, int64_t patient_id, int *may, char *why,
                            size_t why_size, mrt_err *err)
{
	struct access_target t = { .action = "retention.check" };
	struct retention_row row;
	const char *reason = NULL;
	*may = 0;
	int rc = access_svc_check(s, ACCESS_RETENTION, &t, NULL, err);
	if (rc || (rc = one_row(s, patient_id, &row, err)) != 0)
		return rc;
	retention_row_verdict(&row, mrt_date_today(), may, &reason);
	mrt_strlcpy(why, reason, why_size);
	mrt_db *db = mrt_session_db(s);
	if ((rc = mrt_db_begin(db, err)) != 0)
		return rc;
	rc = svc_audit(s, "retention.check", "patient", patient_id, patient_id, NULL,
	               *may ? "may purge" : reason, err);
	if (rc) {
		*may = 0;
		mrt_db_rollback(db);
		return rc;
	}
	return mrt_db_commit(db, err);
}

json_t *retention_row_json(const struct retention_row *row, mrt_day today)
{
	char until[MRT_DATE_LEN] = "", last[MRT_DATE_LEN] = "";
	int may;
	const char *why;
	retention_row_verdict(row, today, &may, &why);
	if (row->r.known)
		mrt_date_format(until, row->r.until);
	if (row->last_discharge)
		mrt_date_format(last, row->last_discharge);
	return json_pack("{s:s, s:s?, s:s, s:s?, s:b, s:i, s:i, s:b, s:s}", "mrn", row->mrn,
	                 "last_discharge", last[0] ? last : NULL, "class",
	                 row->r.minor ? "minor" : "adult", "retain_until", until[0] ? until : NULL,
	                 "age_assumed", row->r.age_assumed, "open_encounters", row->open_encounters,
	                 "holds", row->holds, "may_purge", may, "reason", why);
}

int retention_svc_check(mrt_session *s, const char *mrn, json_t **out, mrt_err *err)
{
	struct access_target t = { .action = "retention.check" };
	struct rq_patient p;
	struct retention_row row;
	*out = NULL;
	int rc = access_svc_check(s, ACCESS_RETENTION, &t, NULL, err);
	if (rc || (rc = rq_patient_by_mrn(s, mrn, &p, err)) != 0 ||
	    (rc = one_row(s, p.id, &row, err)) != 0)
		return rc;
	int may;
	const char *why;
	retention_row_verdict(&row, mrt_date_today(), &may, &why);
	mrt_db *db = mrt_session_db(s);
	if ((rc = mrt_db_begin(db, err)) != 0)
		return rc;
	rc = svc_audit(s, "retention.check", "patient", p.id, p.id, NULL, may ? "may purge" : why, err);
	if (rc == 0 && (rc = mrt_db_commit(db, err)) == 0) {
		*out = retention_row_json(&row, mrt_date_today());
		if (!*out)
			rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
	} else if (rc) {
		mrt_db_rollback(db);
	}
	return rc;
}

int retention_svc_due(mrt_session *s, json_t **out, mrt_err *err)
{
	struct access_target t = { .action = "retention.due" };
	struct retention_rules_set rules;
	mrt_stmt *st = NULL;
	*out = NULL;
	mrt_db *db = mrt_session_db(s);
	int rc = access_svc_check(s, ACCESS_RETENTION, &t, NULL, err);
	if (rc || (rc = retention_load_rules(s, &rules, err)) != 0 ||
	    (rc = mrt_db_begin(db, err)) != 0)
		return rc;
	mrt_day today = mrt_date_today();
	*out = json_array();
	if (!*out)
		rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
	if (rc == 0)
		rc = retention_facts_stmt(s, 0, &st, err);
	while (rc == 0 && (rc = mrt_stmt_step(st, err)) == 1) {
		struct retention_row row;
		retention_row_facts(st, &rules, &row);
		rc = 0;
		if (row.open_encounters || !row.r.known || today <= row.r.until)
			continue;
		json_t *o = retention_row_json(&row, today);
		if (!o || json_array_append_new(*out, o) != 0)
			rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
		if (rc == 0)
			rc = svc_audit(s, "retention.due", "patient", row.patient_id, row.patient_id, NULL,
			               NULL, err);
	}
	if (st)
		mrt_stmt_reset(st);
	return svc_finish_json(db, rc, out, err);
}

int retention_svc_list(mrt_session *s, json_t **out, mrt_err *err)
{
	static const char sql[] =
		"SELECT c.class, c.years_after_discharge, c.years_after_majority, c.note, c.updated_at,"
		" u.name AS updated_by FROM retention_class c LEFT JOIN app_user u ON u.id = c.updated_by"
		" ORDER BY c.class";
	struct access_target t = { .action = "retention.list" };
	int majority = 0;
	*out = NULL;
	int rc = access_svc_check(s, ACCESS_RETENTION, &t, NULL, err);
	if (rc || (rc = rq_majority_age(s, &majority, err)) != 0)
		return rc;
	json_t *a = json_array();
	if (!a)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	rc = st ? svc_rows_json(st, a, err) : err->code;
	if (rc == 0)
		*out = json_pack("{s:o, s:i}", "classes", a, "age_of_majority", majority);
	else
		json_decref(a);
	return rc ? rc : (*out ? 0 : mrt_err_set(err, MRT_ENOMEM, "out of memory"));
}

static int log_change(mrt_session *s, const char *name, int64_t old, int64_t now_value,
                      mrt_err *err)
{
	static const char sql[] =
		"INSERT INTO schedule_change(name, old_value, new_value, at, by_user) VALUES (?,?,?,?,?)";
	char a[24], b[24], now[32];
	snprintf(a, sizeof a, "%" PRId64, old);
	snprintf(b, sizeof b, "%" PRId64, now_value);
	mrt_now_iso(now);
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	const char *v[] = { name, a, b, now };
	for (int i = 0; i < 4; i++)
		mrt_stmt_bind_text(st, i + 1, v[i]);
	mrt_stmt_bind_int(st, 5, mrt_session_user_id(s));
	return mrt_stmt_run(st, err);
}

static int set_class(mrt_session *s, const char *cls, int years, int after, mrt_err *err)
{
	static const char sql[] =
		"UPDATE retention_class SET years_after_discharge = ?, years_after_majority = ?,"
		" note = 'set by the site', updated_at = ?, updated_by = ? WHERE class = ?";
	struct retention_rule adult, minor;
	int majority, rc = retention_rules(s, &adult, &minor, &majority, err);
	if (rc)
		return rc;
	struct retention_rule *r = strcmp(cls, "minor") == 0 ? &minor : &adult;
	char name[64], now[32];
	mrt_now_iso(now);
	if (years >= 0) {
		snprintf(name, sizeof name, "%s.years_after_discharge", cls);
		if ((rc = log_change(s, name, r->years_after_discharge, years, err)) != 0)
			return rc;
		r->years_after_discharge = years;
	}
	if (after >= 0) {
		snprintf(name, sizeof name, "%s.years_after_majority", cls);
		if ((rc = log_change(s, name, r->years_after_majority, after, err)) != 0)
			return rc;
		r->years_after_majority = after;
	}
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, r->years_after_discharge);
	mrt_stmt_bind_int(st, 2, r->years_after_majority);
	mrt_stmt_bind_text(st, 3, now);
	mrt_stmt_bind_int(st, 4, mrt_session_user_id(s));
	mrt_stmt_bind_text(st, 5, cls);
	return mrt_stmt_run(st, err);
}

static int set_majority(mrt_session *s, int age, mrt_err *err)
{
	static const char sql[] =
		"UPDATE request_setting SET value = ?, updated_at = ?, updated_by = ?"
		" WHERE name = 'age_of_majority'";
	int old = 0, rc = rq_majority_age(s, &old, err);
	if (rc || (rc = log_change(s, "age_of_majority", old, age, err)) != 0)
		return rc;
	char now[32];
	mrt_now_iso(now);
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, age);
	mrt_stmt_bind_text(st, 2, now);
	mrt_stmt_bind_int(st, 3, mrt_session_user_id(s));
	return mrt_stmt_run(st, err);
}

int retention_svc_set(mrt_session *s, const char *cls, int years_after_discharge,
                      int years_after_majority, int majority_age, mrt_err *err)
{
	if (cls && strcmp(cls, "adult") != 0 && strcmp(cls, "minor") != 0)
		return mrt_err_set(err, MRT_EINVAL, "the retention class must be adult or minor");
	if (cls && years_after_discharge < 0 && years_after_majority < 0)
		return mrt_err_set(err, MRT_EINVAL, "give --years and/or --after-majority");
	if (!cls && (years_after_discharge >= 0 || years_after_majority >= 0))
		return mrt_err_set(err, MRT_EINVAL, "--years and --after-majority need a class");
	if (years_after_discharge > 200 || years_after_majority > 200)
		return mrt_err_set(err, MRT_EINVAL, "--years: at most 200");
	if (majority_age == 0 || majority_age > 30)
		return mrt_err_set(err, MRT_EINVAL, "--age-of-majority: between 1 and 30");
	if (!cls && majority_age < 0)
		return mrt_err_set(err, MRT_EINVAL, "nothing to set");
	struct access_target t = { .action = "retention.set" };
	int rc = access_svc_check(s, ACCESS_RETENTION, &t, NULL, err);
	mrt_db *db = mrt_session_db(s);
	if (rc || (rc = mrt_db_begin(db, err)) != 0)
		return rc;
	if (cls)
		rc = set_class(s, cls, years_after_discharge, years_after_majority, err);
	if (rc == 0 && majority_age > 0)
		rc = set_majority(s, majority_age, err);
	if (rc == 0)
		rc = svc_audit(s, "retention.set", "retention_class", 0, 0, NULL,
		               cls ? cls : "age_of_majority", err);
	return svc_finish(db, rc, err);
}
