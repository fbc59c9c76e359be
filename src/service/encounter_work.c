/*
 * What the department's work left on one encounter, for `mrt encounter
 * show`: the physician queries about it (question, answer, outcome and the
 * coding versions before and after: the resulting code change), its open
 * chart deficiencies, and the code editor's open findings. Read inside the
 * caller's audited transaction; the caller has already decided access.
 */
#include "service/encounter_work.h"

#include "service/svc_util.h"

static const char queries_sql[] =
    "SELECT q.id, q.status, q.format, q.question, q.asked_at,"
    " (SELECT name FROM app_user WHERE id = q.asked_by) AS asked_by,"
    " coalesce((SELECT name FROM app_user WHERE id = q.to_user_id),"
    "          (SELECT coalesce(name, ident) FROM provider WHERE id = q.to_provider_id)) AS "
    "asked_of,"
    " (SELECT text FROM physician_query_option o WHERE o.query_id = q.id"
    "  AND o.seq = q.answer_option) AS answer_choice, q.answer_text, q.answered_at,"
    " q.outcome, (SELECT version FROM coding WHERE id = q.coding_before) AS coding_before,"
    " (SELECT version FROM coding WHERE id = q.coding_after) AS coding_after, q.closed_at"
    " FROM physician_query q WHERE q.encounter_id = ? ORDER BY q.id";

static const char deficiencies_sql[] =
    "SELECT d.id, d.kind, d.detail, coalesce(p.name, p.ident) AS physician, d.opened_at,"
    " d.due_date, d.delinquent_since FROM deficiency d LEFT JOIN provider p"
    " ON p.id = d.provider_id WHERE d.encounter_id = ? AND d.status = 'open' ORDER BY d.id";

static const char findings_sql[] =
    "SELECT id, kind, rule, code, code2, severity, message, opened_at FROM edit_finding"
    " WHERE encounter_id = ? AND status = 'open' ORDER BY id";

static int rows(mrt_db *db, const char *sql, int64_t encounter, json_t *enc, const char *key,
		mrt_err *err)
{
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, encounter);
	json_t *arr = json_array();
	int rc = svc_rows_json(st, arr, err);
	json_object_set_new(enc, key, arr);
	return rc;
}

int encounter_work_json(mrt_db *db, int64_t encounter, json_t *enc, mrt_err *err)
{
	int rc = rows(db, queries_sql, encounter, enc, "queries", err);
	if (rc == 0)
		rc = rows(db, deficiencies_sql, encounter, enc, "deficiencies", err);
	if (rc == 0)
		rc = rows(db, findings_sql, encounter, enc, "edit_findings", err);
	return rc;
}
