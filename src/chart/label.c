/*
 * Labels set and ended by hand (the privacy officer's `mrt label`), and
 * the full label list of a patient. Imports put labels with
 * chart_label_put (document.c); a label is never deleted: ending one
 * keeps it with who ended it and why.
 */
#include <string.h>

#include "chart/chart_int.h"

int chart_label_object(mrt_db *db, const char *object_type, const char *ref, int64_t *object_id,
                       int64_t *patient_id, mrt_err *err)
{
	static const char doc_sql[] =
		"SELECT id, patient_id FROM document WHERE doc_ref = ? ORDER BY version DESC LIMIT 1";
	*object_id = *patient_id = 0;
	if (!object_type || !ref || !*ref)
		return mrt_err_set(err, MRT_EINVAL, "label: an object type and id are needed");
	if (strcmp(object_type, "patient") == 0) {
		int rc = chart_patient_by_mrn(db, ref, object_id, err);
		*patient_id = *object_id;
		return rc;
	}
	if (strcmp(object_type, "encounter") == 0)
		return chart_encounter_by_account(db, ref, object_id, patient_id, err);
	if (strcmp(object_type, "document") != 0)
		return mrt_err_set(err, MRT_EINVAL, "label: object must be patient, encounter or document");
	mrt_stmt *st = mrt_db_stmt(db, doc_sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, ref);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1) {
		*object_id = mrt_stmt_int(st, 0);
		*patient_id = mrt_stmt_int(st, 1);
	}
	mrt_stmt_reset(st);
	if (rc == 0)
		return mrt_err_set(err, MRT_ENOTFOUND, "no document with that doc_ref");
	return rc < 0 ? rc : 0;
}

int chart_label_set(mrt_db *db, const struct chart_ctx *c, int64_t patient_id,
                    const char *object_type, int64_t object_id, const char *system,
                    const char *code, const char *reason, int *changed, mrt_err *err)
{
	static const char again_sql[] =
		"UPDATE label SET ended_at = NULL, ended_by = NULL, end_reason = NULL, reason = ?5,"
		" created_at = ?6, created_by = ?7, source = ?8"
		" WHERE object_type = ?1 AND object_id = ?2 AND system = ?3 AND code = ?4"
		"   AND ended_at IS NOT NULL";
	static const char reason_sql[] =
		"UPDATE label SET reason = ?5 WHERE object_type = ?1 AND object_id = ?2 AND system = ?3"
		" AND code = ?4 AND reason IS NULL AND created_at = ?6";
	int rc = chart_label_put(db, c, patient_id, object_type, object_id, system, code, NULL,
	                         changed, err);
	const char *sql = *changed ? reason_sql : again_sql;
	mrt_stmt *st = rc ? NULL : mrt_db_stmt(db, sql, err);
	if (!st)
		return rc ? rc : err->code;
	mrt_stmt_bind_text(st, 1, object_type);
	mrt_stmt_bind_int(st, 2, object_id);
	mrt_stmt_bind_text(st, 3, system);
	mrt_stmt_bind_text(st, 4, code);
	chart_bind(st, 5, reason);
	mrt_stmt_bind_text(st, 6, c->now);
	if (!*changed) {
		chart_bind_id(st, 7, c->user_id);
		mrt_stmt_bind_text(st, 8, c->source);
	}
	rc = mrt_stmt_run(st, err);
	if (rc == 0 && !*changed)
		*changed = mrt_db_changes(db) > 0;
	return rc;
}

int chart_label_end(mrt_db *db, const struct chart_ctx *c, const char *object_type,
                    int64_t object_id, const char *system, const char *code, const char *reason,
                    int *changed, mrt_err *err)
{
	static const char sql[] =
		"UPDATE label SET ended_at = ?5, ended_by = ?6, end_reason = ?7"
		" WHERE object_type = ?1 AND object_id = ?2 AND system = ?3 AND code = ?4"
		"   AND ended_at IS NULL";
	*changed = 0;
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, object_type);
	mrt_stmt_bind_int(st, 2, object_id);
	mrt_stmt_bind_text(st, 3, system);
	mrt_stmt_bind_text(st, 4, code);
	mrt_stmt_bind_text(st, 5, c->now);
	chart_bind_id(st, 6, c->user_id);
	chart_bind(st, 7, reason);
	int rc = mrt_stmt_run(st, err);
	if (rc == 0)
		*changed = mrt_db_changes(db) > 0;
	return rc;
}

int chart_labels_json(mrt_db *db, int64_t patient_id, json_t **out, mrt_err *err)
{
	static const char sql[] =
		"SELECT l.object_type, CASE l.object_type WHEN 'patient' THEN p.mrn"
		"   WHEN 'encounter' THEN e.account ELSE d.doc_ref END AS object,"
		" nullif(l.system,'') AS system, l.code, l.display, l.source, l.created_at, l.reason,"
		" l.ended_at, l.end_reason"
		" FROM label l LEFT JOIN patient p ON l.object_type = 'patient' AND p.id = l.object_id"
		" LEFT JOIN encounter e ON l.object_type = 'encounter' AND e.id = l.object_id"
		" LEFT JOIN document d ON l.object_type = 'document' AND d.id = l.object_id"
		" WHERE l.patient_id = ? ORDER BY l.id";
	*out = NULL;
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, patient_id);
	json_t *a = json_array();
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		json_t *o = json_object();
		for (int i = 0; i < mrt_stmt_columns(st); i++)
			if (!mrt_stmt_is_null(st, i))
				json_object_set_new(o, mrt_stmt_column_name(st, i),
				                    json_string(mrt_stmt_text(st, i)));
		json_array_append_new(a, o);
	}
	mrt_stmt_reset(st);
	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}
