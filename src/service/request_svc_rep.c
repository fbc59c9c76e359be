/*
 * Personal representatives (see request_svc.h): recording the decision to
 * recognise or refuse someone, ending a representation, and whether one
 * acts for the patient on a day (privacy/retention_rep.c decides).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "privacy/retention.h"
#include "service/request_svc.h"
#include "service/request_svc_int.h"

struct rep_row {
	int64_t patient_id;
	int relation, exception, refused;
	mrt_day from, until, ended;
};

static mrt_day col_day(mrt_stmt *st, int col)
{
	const char *v = mrt_stmt_text(st, col);
	char d[MRT_DATE_LEN];
	mrt_day day = 0;
	if (!v)
		return 0;
	mrt_strlcpy(d, v, sizeof d);
	return mrt_date_parse(&day, d) == 0 ? day : 0;
}

static int load_rep(mrt_session *s, int64_t id, struct rep_row *r, mrt_err *err)
{
	static const char sql[] =
		"SELECT patient_id, relation, exception, decision, valid_from, valid_until, ended_at"
		" FROM personal_rep WHERE id = ?";
	memset(r, 0, sizeof *r);
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, id);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1) {
		r->patient_id = mrt_stmt_int(st, 0);
		r->relation = rep_relation_parse(mrt_stmt_text(st, 1));
		int e = mrt_stmt_is_null(st, 2) ? REP_EXC_NONE : rep_exception_parse(mrt_stmt_text(st, 2));
		r->exception = e < 0 ? REP_EXC_NONE : e;
		r->refused = strcmp(mrt_stmt_text(st, 3), "refused") == 0;
		r->from = col_day(st, 4);
		r->until = col_day(st, 5);
		r->ended = col_day(st, 6);
	}
	mrt_stmt_reset(st);
	if (rc == 0)
		return mrt_err_set(err, MRT_ENOTFOUND, "no personal representative %" PRId64, id);
	return rc < 0 ? rc : 0;
}

static int decide(mrt_session *s, const struct rep_row *r, const struct rq_patient *p,
                  mrt_day on, struct rep_verdict *v, mrt_err *err)
{
	struct rep_facts f = { .relation = r->relation, .exception = r->exception,
	                       .refused = r->refused, .ended = r->ended && r->ended <= on,
	                       .from = r->from, .until = r->until, .has_birth = p->has_birth,
	                       .birth = p->birth, .deceased = p->deceased, .death = p->death,
	                       .on = on };
	int rc = rq_majority_age(s, &f.majority_age, err);
	if (rc == 0)
		retention_rep_decide(v, &f);
	return rc;
}

int request_svc_rep_valid(mrt_session *s, int64_t id, int64_t patient, const char *day,
                          int *valid, const char **reason, mrt_err *err)
{
	struct rep_row r;
	struct rq_patient p;
	struct rep_verdict v;
	mrt_day on = 0;
	int rc = rq_date("date", day, &on, err);
	if (rc || (rc = load_rep(s, id, &r, err)) != 0)
		return rc;
	if (r.patient_id != patient)
		return mrt_err_set(err, MRT_EINVAL, "personal representative %" PRId64 " is not the "
		                   "patient's", id);
	if ((rc = rq_patient_by_id(s, patient, &p, err)) != 0 ||
	    (rc = decide(s, &r, &p, on ? on : mrt_date_today(), &v, err)) != 0)
		return rc;
	*valid = v.valid;
	*reason = v.reason;
	return 0;
}

static int rep_validate(const struct rep_new *n, mrt_day *from, mrt_day *until, mrt_err *err)
{
	int rc;
	if ((rc = rq_text("--name", n->name, 200, 1, err)) ||
	    (rc = rq_text("--authority", n->authority, 1000, 1, err)) ||
	    (rc = rq_text("--refuse", n->refuse, 1000, 0, err)))
		return rc;
	if (rep_relation_parse(n->relation) < 0)
		return mrt_err_set(err, MRT_EINVAL, "--relation must be parent, guardian, "
		                   "healthcare-poa, executor or other");
	if (n->exception && rep_exception_parse(n->exception) < 0)
		return mrt_err_set(err, MRT_EINVAL, "--exception must be minor-consented, "
		                   "court-authorized or confidentiality-agreed");
	if (n->exception && strcmp(n->relation, "parent") != 0)
		return mrt_err_set(err, MRT_EINVAL, "--exception applies to a parent of a minor");
	if ((rc = rq_date("--from", n->from, from, err)) || (rc = rq_date("--until", n->until, until,
	                                                                  err)))
		return rc;
	if (*from && *until && *until < *from)
		return mrt_err_set(err, MRT_EINVAL, "--until is before --from");
	return 0;
}

static int rep_insert(mrt_session *s, const struct rep_new *n, int64_t patient,
                      const char *reason, int64_t *id, mrt_err *err)
{
	static const char sql[] =
		"INSERT INTO personal_rep(patient_id, name, relation, authority, valid_from, valid_until,"
		" exception, decision, decision_reason, created_at, created_by)"
		" VALUES (?,?,?,?,?,?,?,?,?,?,?)";
	char now[32];
	mrt_now_iso(now);
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, patient);
	const char *text[] = { n->name, n->relation, n->authority, n->from, n->until, n->exception,
	                       n->refuse ? "refused" : "recognized", reason, now };
	for (int i = 0; i < 9; i++)
		mrt_stmt_bind_text(st, 2 + i, text[i]);
	mrt_stmt_bind_int(st, 11, mrt_session_user_id(s));
	int rc = mrt_stmt_run(st, err);
	*id = rc ? 0 : mrt_db_last_insert_id(mrt_session_db(s));
	return rc;
}

int request_svc_rep_add(mrt_session *s, const struct rep_new *n, json_t **out, mrt_err *err)
{
	struct access_target t = { .action = "representative.add" };
	struct rq_patient p;
	mrt_day from, until;
	*out = NULL;
	int rc = rep_validate(n, &from, &until, err);
	if (rc || (rc = rq_check(s, ACCESS_PATIENT_REQUEST, &t, NULL, err)) != 0 ||
	    (rc = rq_patient_by_mrn(s, n->mrn, &p, err)) != 0)
		return rc;
	t.patient_id = p.id;
	if ((rc = rq_check(s, ACCESS_PATIENT_REQUEST, &t, NULL, err)) != 0)
		return rc;
	struct rep_row r = { .patient_id = p.id, .relation = rep_relation_parse(n->relation),
	                     .exception = n->exception ? rep_exception_parse(n->exception) : 0,
	                     .refused = n->refuse != NULL, .from = from, .until = until };
	struct rep_verdict v;
	mrt_db *db = mrt_session_db(s);
	if ((rc = decide(s, &r, &p, mrt_date_today(), &v, err)) != 0 ||
	    (rc = mrt_db_begin(db, err)) != 0)
		return rc;
	int64_t id = 0;
	const char *reason = n->refuse ? n->refuse : v.reason;
	rc = rep_insert(s, n, p.id, reason, &id, err);
	if (rc == 0)
		rc = svc_audit(s, "representative.add", "personal_rep", id, p.id, NULL,
		               n->refuse ? "refused" : "recognized", err);
	if (rc == 0)
		rc = mrt_db_commit(db, err);
	else
		mrt_db_rollback(db);
	if (rc)
		return rc;
	*out = json_pack("{s:I, s:s, s:b, s:s}", "id", (json_int_t)id, "decision",
	                 n->refuse ? "refused" : "recognized", "valid_today", v.valid, "reason",
	                 v.reason);
	return *out ? 0 : mrt_err_set(err, MRT_ENOMEM, "out of memory");
}

int request_svc_rep_end(mrt_session *s, int64_t id, const char *reason, mrt_err *err)
{
	static const char sql[] =
		"UPDATE personal_rep SET ended_at = ?, ended_by = ?, end_reason = ?"
		" WHERE id = ? AND ended_at IS NULL";
	struct rep_row r;
	int rc = rq_text("--reason", reason, 1000, 1, err);
	if (rc || (rc = load_rep(s, id, &r, err)) != 0)
		return rc;
	struct access_target t = { .action = "representative.end", .patient_id = r.patient_id,
	                           .object_type = "personal_rep", .object_id = id };
	if ((rc = access_svc_check(s, ACCESS_PATIENT_REQUEST, &t, NULL, err)) != 0)
		return rc;
	if (r.ended)
		return mrt_err_set(err, MRT_EEXIST, "personal representative %" PRId64 " has ended "
		                   "already", id);
	char today[MRT_DATE_LEN];
	rq_today(today);
	mrt_db *db = mrt_session_db(s);
	if ((rc = mrt_db_begin(db, err)) != 0)
		return rc;
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	rc = st ? 0 : err->code;
	if (rc == 0) {
		mrt_stmt_bind_text(st, 1, today);
		mrt_stmt_bind_int(st, 2, mrt_session_user_id(s));
		mrt_stmt_bind_text(st, 3, reason);
		mrt_stmt_bind_int(st, 4, id);
		rc = mrt_stmt_run(st, err);
	}
	if (rc == 0)
		rc = svc_audit(s, "representative.end", "personal_rep", id, r.patient_id, NULL, NULL, err);
	return svc_finish(db, rc, err);
}

static int rep_rows_valid(mrt_session *s, json_t *rows, const struct rq_patient *p, mrt_day on,
                          mrt_err *err)
{
	size_t i;
	json_t *o;
	json_array_foreach(rows, i, o) {
		struct rep_row r;
		struct rep_verdict v;
		int rc = load_rep(s, json_integer_value(json_object_get(o, "id")), &r, err);
		if (rc || (rc = decide(s, &r, p, on, &v, err)) != 0)
			return rc;
		json_object_set_new(o, "valid", json_boolean(v.valid));
		json_object_set_new(o, "valid_reason", json_string(v.reason));
	}
	return 0;
}

int request_svc_rep_list(mrt_session *s, const char *mrn, const char *on, json_t **out,
                         mrt_err *err)
{
	static const char sql[] =
		"SELECT r.id, r.name, r.relation, r.authority, r.valid_from, r.valid_until, r.exception,"
		" r.decision, r.decision_reason, r.created_at, u.name AS recorded_by, r.ended_at,"
		" r.end_reason FROM personal_rep r JOIN app_user u ON u.id = r.created_by"
		" WHERE r.patient_id = ? ORDER BY r.id";
	struct access_target t = { .action = "representative.list" };
	struct rq_patient p;
	mrt_day day = 0;
	*out = NULL;
	int rc = rq_date("--on", on, &day, err);
	if (rc || (rc = rq_check(s, ACCESS_PATIENT_REQUEST, &t, NULL, err)) != 0 ||
	    (rc = rq_patient_by_mrn(s, mrn, &p, err)) != 0)
		return rc;
	t.patient_id = p.id;
	mrt_db *db = mrt_session_db(s);
	if ((rc = rq_check(s, ACCESS_PATIENT_REQUEST, &t, NULL, err)) != 0 ||
	    (rc = mrt_db_begin(db, err)) != 0)
		return rc;
	*out = json_array();
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	rc = st && *out ? 0 : (st ? mrt_err_set(err, MRT_ENOMEM, "out of memory") : err->code);
	if (rc == 0) {
		mrt_stmt_bind_int(st, 1, p.id);
		rc = svc_rows_json(st, *out, err);
	}
	if (rc == 0)
		rc = rep_rows_valid(s, *out, &p, day ? day : mrt_date_today(), err);
	if (rc == 0)
		rc = svc_audit(s, "representative.list", "patient", p.id, p.id, NULL, NULL, err);
	return svc_finish_json(db, rc, out, err);
}
