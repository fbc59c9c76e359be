/*
 * Helpers of the request, mandated-report and retention services (see
 * request_svc_int.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "service/request_svc_int.h"

static int patient_row(mrt_session *s, const char *sql, const char *mrn, int64_t id,
                       struct rq_patient *p, mrt_err *err)
{
	memset(p, 0, sizeof *p);
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	if (mrn)
		mrt_stmt_bind_text(st, 1, mrn);
	else
		mrt_stmt_bind_int(st, 1, id);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1) {
		p->id = mrt_stmt_int(st, 0);
		mrt_strlcpy(p->mrn, mrt_stmt_text(st, 1), sizeof p->mrn);
		const char *birth = mrt_stmt_text(st, 2), *death = mrt_stmt_text(st, 4);
		char day[MRT_DATE_LEN] = "";
		if (birth && strlen(birth) >= 10) {
			mrt_strlcpy(day, birth, sizeof day);
			p->has_birth = mrt_date_parse(&p->birth, day) == 0;
		}
		p->deceased = (int)mrt_stmt_int(st, 3);
		if (death && strlen(death) >= 10) {
			mrt_strlcpy(day, death, sizeof day);
			if (mrt_date_parse(&p->death, day) != 0)
				p->death = 0;
		}
	}
	mrt_stmt_reset(st);
	if (rc == 0)
		return mrt_err_set(err, MRT_ENOTFOUND, "no patient with that MRN");
	return rc < 0 ? rc : 0;
}

int rq_patient_by_mrn(mrt_session *s, const char *mrn, struct rq_patient *p, mrt_err *err)
{
	static const char sql[] =
		"SELECT id, mrn, birth_date, deceased, death_at FROM patient WHERE mrn = ?";
	if (!mrn || !*mrn)
		return mrt_err_set(err, MRT_EINVAL, "--patient: an MRN is required");
	return patient_row(s, sql, mrn, 0, p, err);
}

int rq_patient_by_id(mrt_session *s, int64_t id, struct rq_patient *p, mrt_err *err)
{
	static const char sql[] =
		"SELECT id, mrn, birth_date, deceased, death_at FROM patient WHERE id = ?";
	return patient_row(s, sql, NULL, id, p, err);
}

int rq_encounter(mrt_session *s, const char *account, int64_t *id, int64_t *patient,
                 mrt_day *day, mrt_err *err)
{
	static const char sql[] =
		"SELECT id, patient_id, substr(coalesce(discharge_at, admit_at), 1, 10) FROM encounter"
		" WHERE account = ?";
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, account);
	int rc = mrt_stmt_step(st, err);
	*day = 0;
	if (rc == 1) {
		*id = mrt_stmt_int(st, 0);
		*patient = mrt_stmt_int(st, 1);
		const char *d = mrt_stmt_text(st, 2);
		if (d && mrt_date_parse(day, d) != 0)
			*day = 0;
	}
	mrt_stmt_reset(st);
	if (rc == 0)
		return mrt_err_set(err, MRT_ENOTFOUND, "--encounter: no encounter with that account");
	return rc < 0 ? rc : 0;
}

int rq_check(mrt_session *s, enum access_op op, const struct access_target *t,
             struct access_decision *d, mrt_err *err)
{
	if (t->patient_id == 0) {
		struct access_target role = { .action = t->action, .author = t->author,
		                              .object_type = t->object_type, .object_id = t->object_id };
		return access_svc_check(s, op, &role, d, err);
	}
	return access_svc_check(s, op, t, d, err);
}

int rq_date(const char *opt, const char *v, mrt_day *out, mrt_err *err)
{
	*out = 0;
	if (!v)
		return 0;
	if (mrt_date_parse(out, v) != 0)
		return mrt_err_set(err, MRT_EINVAL, "%s: not a date (YYYY-MM-DD)", opt);
	return 0;
}

int rq_text(const char *opt, const char *v, size_t max, int required, mrt_err *err)
{
	if (!v || !*v)
		return required ? mrt_err_set(err, MRT_EINVAL, "%s is required", opt) : 0;
	size_t n = strlen(v);
	if (n > max)
		return mrt_err_set(err, MRT_EINVAL, "%s: longer than %zu bytes", opt, max);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 && v[i] != '\n' && v[i] != '\t')
			return mrt_err_set(err, MRT_EINVAL, "%s: control characters are not allowed", opt);
	return 0;
}

int rq_majority_age(mrt_session *s, int *age, mrt_err *err)
{
	static const char sql[] = "SELECT value FROM request_setting WHERE name = 'age_of_majority'";
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	int rc = mrt_stmt_step(st, err);
	*age = rc == 1 ? (int)mrt_stmt_int(st, 0) : 18;
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

void rq_today(char out[MRT_DATE_LEN])
{
	mrt_date_format(out, mrt_date_today());
}
