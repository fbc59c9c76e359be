/*
 * Listing and showing physician queries (chartqa_svc.h): coders and HIM
 * see every query, a physician those sent to them; show adds the options,
 * the answer and the coding before and after (the code change).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "service/access_svc.h"
#include "service/pq_int.h"
#include "service/svc_util.h"

#define Q_COLS                                                                                     \
	"SELECT q.id, e.account, q.status, q.format, q.question, a.name AS asked_by, q.asked_at,"  \
	" coalesce(t.name, 'role physician') AS to_user, coalesce(p.name, p.ident) AS "            \
	"to_physician,"                                                                            \
	" q.answer_option, q.answer_text, q.answered_at, q.closed_at, q.outcome"                   \
	" FROM physician_query q JOIN encounter e ON e.id = q.encounter_id"                        \
	" JOIN app_user a ON a.id = q.asked_by LEFT JOIN app_user t ON t.id = q.to_user_id"        \
	" LEFT JOIN provider p ON p.id = q.to_provider_id"

int pq_svc_list(mrt_session *s, const struct pq_filter *f, json_t **out, mrt_err *err)
{
	static const char sql[] =
	    Q_COLS " WHERE (?1 = 0 OR q.status <> 'closed') AND (?2 IS NULL OR e.account = ?2)"
		   " AND (?3 = 0 OR q.to_user_id = ?3 OR q.asked_by = ?3"
		   "      OR (q.to_user_id IS NULL AND ?4 <> 0 AND q.to_provider_id = ?4))"
		   " ORDER BY q.id";
	*out = NULL;
	int staff =
	    mrt_session_has_role(s, MRT_ROLE_CODER) || mrt_session_has_role(s, MRT_ROLE_HIM);
	int rc = staff ? 0 : mrt_session_require(s, MRT_ROLE_PHYSICIAN, "query.list", err);
	if (rc)
		return rc;
	mrt_db *db = mrt_session_db(s);
	if ((rc = mrt_db_begin(db, err)) != 0)
		return rc;
	int mine = f->mine || !staff;
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	*out = json_array();
	if (!st)
		rc = err->code;
	if (rc == 0) {
		mrt_stmt_bind_int(st, 1, f->open);
		mrt_stmt_bind_text(st, 2, f->account);
		mrt_stmt_bind_int(st, 3, mine ? mrt_session_user_id(s) : 0);
		mrt_stmt_bind_int(st, 4, mine ? mrt_session_provider_id(s) : 0);
		rc = svc_rows_json(st, *out, err);
	}
	char detail[48];
	snprintf(detail, sizeof detail, "%zu queries", json_array_size(*out));
	if (rc == 0)
		rc = svc_audit(s, "query.list", "physician_query", 0, 0, NULL, detail, err);
	return svc_finish_json(db, rc, out, err);
}

static int codes_of(mrt_db *db, int64_t coding, json_t **out, mrt_err *err)
{
	static const char sql[] =
	    "SELECT c.version, d.kind || ' ' || d.code FROM coding c JOIN diagnosis d"
	    "  ON d.coding_id = c.id WHERE c.id = ?1"
	    " UNION ALL SELECT c.version, 'procedure ' || p.code FROM coding c JOIN procedure p"
	    "  ON p.coding_id = c.id WHERE c.id = ?1";
	*out = json_null();
	if (!coding)
		return 0;
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, coding);
	json_t *codes = json_array();
	int rc;
	int64_t version = 0;
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		version = mrt_stmt_int(st, 0);
		json_array_append_new(codes, json_string(mrt_stmt_text(st, 1)));
	}
	mrt_stmt_reset(st);
	*out = json_pack("{s:I, s:I, s:o}", "coding_id", (json_int_t)coding, "version",
			 (json_int_t)version, "codes", codes);
	return rc < 0 ? rc : 0;
}

/* The options, and the codings before and after the answer. */
static int details(mrt_session *s, int64_t id, json_t *o, mrt_err *err)
{
	static const char opts[] =
	    "SELECT seq, text, kind FROM physician_query_option WHERE query_id = ? ORDER BY seq";
	static const char cod[] =
	    "SELECT coalesce(coding_before, 0), coalesce(coding_after, 0) FROM physician_query"
	    " WHERE id = ?";
	mrt_db *db = mrt_session_db(s);
	mrt_stmt *st = mrt_db_stmt(db, opts, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, id);
	json_t *arr = json_array();
	json_object_set_new(o, "options", arr);
	int rc = svc_rows_json(st, arr, err);
	if (rc || !(st = mrt_db_stmt(db, cod, err)))
		return rc ? rc : err->code;
	mrt_stmt_bind_int(st, 1, id);
	rc = mrt_stmt_step(st, err);
	int64_t before = rc == 1 ? mrt_stmt_int(st, 0) : 0,
		after = rc == 1 ? mrt_stmt_int(st, 1) : 0;
	mrt_stmt_reset(st);
	json_t *b = NULL, *a = NULL;
	if (rc >= 0)
		rc = codes_of(db, before, &b, err);
	if (rc >= 0)
		rc = codes_of(db, after, &a, err);
	json_object_set_new(o, "coding_before", b ? b : json_null());
	json_object_set_new(o, "coding_after", a ? a : json_null());
	return rc < 0 ? rc : 0;
}

int pq_svc_show(mrt_session *s, int64_t id, json_t **out, mrt_err *err)
{
	static const char sql[] = Q_COLS " WHERE q.id = ?";
	struct pq_row q;
	*out = NULL;
	int rc = pq_load(s, id, &q, err);
	if (rc)
		return rc;
	int recipient = mrt_session_has_role(s, MRT_ROLE_PHYSICIAN) &&
			(q.to_user == mrt_session_user_id(s) ||
			 (q.to_provider && q.to_provider == mrt_session_provider_id(s)));
	struct access_target t = {.action = "query.show",
				  .patient_id = q.patient,
				  .object_type = "encounter",
				  .object_id = q.enc};
	struct access_decision d;
	if ((rc = access_svc_check(s, recipient ? ACCESS_PATIENT_READ : ACCESS_CHART_CODE, &t, &d,
				   err)) != 0)
		return rc;
	mrt_db *db = mrt_session_db(s);
	if ((rc = mrt_db_begin(db, err)) != 0)
		return rc;
	rc = svc_row_by_id(s, sql, id, "physician query", out, err);
	if (rc == 0)
		rc = details(s, id, *out, err);
	if (rc == 0)
		rc = svc_audit(s, "query.show", "physician_query", id, q.patient,
			       access_outcome(&d), NULL, err);
	return svc_finish_json(db, rc, out, err);
}
