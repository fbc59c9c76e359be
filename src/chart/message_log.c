/*
 * The imported-message log and the chart writes of HL7 v2 events that
 * chart.h does not have (account merge, identifier change, finding the
 * link an unlink ends); see message_log.h.
 */
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "chart/chart_int.h"
#include "chart/message_log.h"

static void bind_user(mrt_stmt *st, int idx, const struct chart_ctx *c)
{
	if (c->user_id)
		mrt_stmt_bind_int(st, idx, c->user_id);
	else
		mrt_stmt_bind_null(st, idx);
}

int message_log_find(mrt_db *db, const char *app, const char *facility, const char *control_id,
		     char sha256[65], char ack_code[3], mrt_buf *ack, mrt_err *err)
{
	static const char sql[] =
	    "SELECT sha256, ack_code, ack FROM message_log"
	    " WHERE sending_app = ? AND sending_facility = ? AND control_id = ?";
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err ? err->code : MRT_EDB;
	mrt_stmt_bind_text(st, 1, app);
	mrt_stmt_bind_text(st, 2, facility);
	mrt_stmt_bind_text(st, 3, control_id);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1) {
		mrt_strlcpy(sha256, mrt_stmt_text(st, 0), 65);
		mrt_strlcpy(ack_code, mrt_stmt_text(st, 1), 3);
		mrt_buf_reset(ack);
		if (mrt_buf_adds(ack, mrt_stmt_text(st, 2)) != 0)
			rc = mrt_err_set(err, MRT_ENOMEM, "message_log: stored ACK too large");
	}
	mrt_stmt_reset(st);
	return rc;
}

int message_log_put(mrt_db *db, const struct chart_ctx *c, const struct message_log_rec *r,
		    mrt_err *err)
{
	static const char sql[] =
	    "INSERT INTO message_log(patient_id, sending_app, sending_facility, control_id,"
	    " message_type, received_at, channel, sha256, ack_code, ack, outcome, content)"
	    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)";
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err ? err->code : MRT_EDB;
	if (r->patient_id)
		mrt_stmt_bind_int(st, 1, r->patient_id);
	mrt_stmt_bind_text(st, 2, r->sending_app ? r->sending_app : "");
	mrt_stmt_bind_text(st, 3, r->sending_facility ? r->sending_facility : "");
	mrt_stmt_bind_text(st, 4, r->control_id);
	mrt_stmt_bind_text(st, 5, r->message_type);
	mrt_stmt_bind_text(st, 6, c->now);
	mrt_stmt_bind_text(st, 7, r->channel);
	mrt_stmt_bind_text(st, 8, r->sha256);
	mrt_stmt_bind_text(st, 9, r->ack_code);
	mrt_stmt_bind_text(st, 10, r->ack);
	mrt_stmt_bind_text(st, 11, r->outcome);
	if (r->content)
		mrt_stmt_bind_blob(st, 12, r->content, r->content_len);
	int rc = mrt_stmt_run(st, err);
	if (rc)
		mrt_err_prefix(err, "message_log");
	return rc;
}

int chart_account_merge_put(mrt_db *db, const struct chart_ctx *c, int64_t patient_id,
			    int64_t encounter_id, int64_t other_encounter_id,
			    const char *source_ref, int *changed, mrt_err *err)
{
	static const char find[] =
	    "SELECT id FROM encounter_link WHERE kind = 'account-merge' AND encounter_id = ?"
	    " AND other_encounter_id IS ? AND source = ? AND source_ref IS ?";
	static const char ins[] =
	    "INSERT INTO encounter_link(patient_id, encounter_id, other_encounter_id, kind, at,"
	    " by_user, source, source_ref) VALUES (?,?,?,'account-merge',?,?,?,?)";
	*changed = 0;
	mrt_stmt *st = mrt_db_stmt(db, find, err);
	if (!st)
		return err ? err->code : MRT_EDB;
	mrt_stmt_bind_int(st, 1, encounter_id);
	if (other_encounter_id)
		mrt_stmt_bind_int(st, 2, other_encounter_id);
	mrt_stmt_bind_text(st, 3, c->source);
	mrt_stmt_bind_text(st, 4, source_ref);
	int rc = mrt_stmt_step(st, err);
	mrt_stmt_reset(st);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	if (!(st = mrt_db_stmt(db, ins, err)))
		return err ? err->code : MRT_EDB;
	mrt_stmt_bind_int(st, 1, patient_id);
	mrt_stmt_bind_int(st, 2, encounter_id);
	if (other_encounter_id)
		mrt_stmt_bind_int(st, 3, other_encounter_id);
	mrt_stmt_bind_text(st, 4, c->now);
	bind_user(st, 5, c);
	mrt_stmt_bind_text(st, 6, c->source);
	mrt_stmt_bind_text(st, 7, source_ref);
	if ((rc = mrt_stmt_run(st, err)) != 0)
		return rc;
	*changed = 1;
	return 0;
}

/* The active identifier row of a patient with value (system NULL: any). */
static int ident_row(mrt_db *db, int64_t patient_id, const char *system, const char *value,
		     int64_t *id, char *sys, char *type, mrt_err *err)
{
	static const char sql[] =
	    "SELECT id, system, type FROM patient_identifier WHERE patient_id = ? AND value = ?"
	    " AND active = 1 AND (?3 IS NULL OR system = ?3) ORDER BY id LIMIT 1";
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err ? err->code : MRT_EDB;
	mrt_stmt_bind_int(st, 1, patient_id);
	mrt_stmt_bind_text(st, 2, value);
	mrt_stmt_bind_text(st, 3, system);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1) {
		*id = mrt_stmt_int(st, 0);
		mrt_strlcpy(sys, mrt_stmt_text(st, 1), 256);
		mrt_strlcpy(type, mrt_stmt_text(st, 2), 64);
	}
	mrt_stmt_reset(st);
	return rc;
}

static int ident_add(mrt_db *db, const struct chart_ctx *c, int64_t patient_id, const char *sys,
		     const char *type, const char *value, int64_t *id, mrt_err *err)
{
	static const char sql[] =
	    "INSERT INTO patient_identifier(patient_id, system, type, value, source, created_at)"
	    " VALUES (?,?,?,?,?,?)";
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err ? err->code : MRT_EDB;
	mrt_stmt_bind_int(st, 1, patient_id);
	mrt_stmt_bind_text(st, 2, sys);
	mrt_stmt_bind_text(st, 3, type);
	mrt_stmt_bind_text(st, 4, value);
	mrt_stmt_bind_text(st, 5, c->source);
	mrt_stmt_bind_text(st, 6, c->now);
	int rc = mrt_stmt_run(st, err);
	*id = mrt_db_last_insert_id(db);
	return rc;
}

static int ident_end(mrt_db *db, const struct chart_ctx *c, int64_t old_id, int64_t new_id,
		     mrt_err *err)
{
	static const char sql[] =
	    "UPDATE patient_identifier SET active = 0, ended_at = ?, replaced_by = ? WHERE id = ?";
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err ? err->code : MRT_EDB;
	mrt_stmt_bind_text(st, 1, c->now);
	mrt_stmt_bind_int(st, 2, new_id);
	mrt_stmt_bind_int(st, 3, old_id);
	return mrt_stmt_run(st, err);
}

/* The row of table (patient or encounter) id as it is now, to its
 * _history table, before a change here. *version 0: no such row. */
static int keep_history(mrt_db *db, const struct chart_ctx *c, int enc, int64_t id,
			int64_t *version, mrt_err *err)
{
	static const char psel[] = "SELECT * FROM patient WHERE id = ?";
	static const char esel[] = "SELECT * FROM encounter WHERE id = ?";
	static const char pins[] =
	    "INSERT INTO patient_history(patient_id, version, snapshot, replaced_at, replaced_by,"
	    " source) VALUES (?1,?3,?4,?5,?6,?7)";
	static const char eins[] = "INSERT INTO encounter_history(patient_id, encounter_id, "
				   "version, snapshot, replaced_at,"
				   " replaced_by, source) VALUES (?1,?2,?3,?4,?5,?6,?7)";
	*version = 0;
	mrt_stmt *st = mrt_db_stmt(db, enc ? esel : psel, err);
	if (!st)
		return err ? err->code : MRT_EDB;
	mrt_stmt_bind_int(st, 1, id);
	int rc = mrt_stmt_step(st, err);
	char *snap = NULL;
	int64_t patient = id;
	for (int i = 0; rc == 1 && i < mrt_stmt_columns(st); i++) {
		if (strcmp(mrt_stmt_column_name(st, i), "version") == 0)
			*version = mrt_stmt_int(st, i);
		if (enc && strcmp(mrt_stmt_column_name(st, i), "patient_id") == 0)
			patient = mrt_stmt_int(st, i);
	}
	if (rc == 1 && !(snap = chart_row_snapshot(st)))
		rc = mrt_err_set(err, MRT_ENOMEM, "history snapshot: out of memory");
	mrt_stmt_reset(st);
	if (rc <= 0) {
		*version = 0;
		return rc;
	}
	if (!(st = mrt_db_stmt(db, enc ? eins : pins, err))) {
		free(snap);
		return err ? err->code : MRT_EDB;
	}
	mrt_stmt_bind_int(st, 1, patient);
	mrt_stmt_bind_int(st, 2, id);
	mrt_stmt_bind_int(st, 3, *version);
	mrt_stmt_bind_text(st, 4, snap);
	mrt_stmt_bind_text(st, 5, c->now);
	bind_user(st, 6, c);
	mrt_stmt_bind_text(st, 7, c->source);
	rc = mrt_stmt_run(st, err);
	free(snap);
	return rc;
}

/* When the old value is the patient's MRN, the MRN becomes the new value;
 * the row as it was goes to patient_history first. */
static int mrn_change(mrt_db *db, const struct chart_ctx *c, int64_t patient_id,
		      const char *old_value, const char *new_value, mrt_err *err)
{
	static const char is_mrn[] = "SELECT 1 FROM patient WHERE id = ? AND mrn = ?";
	static const char upd[] = "UPDATE patient SET mrn = ?, version = version + 1, updated_at = "
				  "? WHERE id = ? AND mrn = ?";
	mrt_stmt *st = mrt_db_stmt(db, is_mrn, err);
	if (!st)
		return err ? err->code : MRT_EDB;
	mrt_stmt_bind_int(st, 1, patient_id);
	mrt_stmt_bind_text(st, 2, old_value);
	int rc = mrt_stmt_step(st, err);
	mrt_stmt_reset(st);
	if (rc <= 0) /* an error, or the old value is not the MRN */
		return rc;
	int64_t version = 0;
	if ((rc = keep_history(db, c, 0, patient_id, &version, err)) != 0)
		return rc;
	if (!(st = mrt_db_stmt(db, upd, err)))
		return err ? err->code : MRT_EDB;
	mrt_stmt_bind_text(st, 1, new_value);
	mrt_stmt_bind_text(st, 2, c->now);
	mrt_stmt_bind_int(st, 3, patient_id);
	mrt_stmt_bind_text(st, 4, old_value);
	return mrt_stmt_run(st, err);
}

int chart_encounter_merged(mrt_db *db, const struct chart_ctx *c, int64_t encounter_id,
			   int64_t into_id, int *changed, mrt_err *err)
{
	static const char is_merged[] =
	    "SELECT 1 FROM encounter WHERE id = ? AND status = 'merged' AND merged_into IS ?";
	static const char upd[] =
	    "UPDATE encounter SET status = 'merged', merged_into = ?, version = version + 1,"
	    " updated_at = ? WHERE id = ?";
	*changed = 0;
	mrt_stmt *st = mrt_db_stmt(db, is_merged, err);
	if (!st)
		return err ? err->code : MRT_EDB;
	mrt_stmt_bind_int(st, 1, encounter_id);
	mrt_stmt_bind_int(st, 2, into_id);
	int rc = mrt_stmt_step(st, err);
	mrt_stmt_reset(st);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	int64_t version = 0;
	if ((rc = keep_history(db, c, 1, encounter_id, &version, err)) != 0)
		return rc;
	if (!version)
		return mrt_err_set(err, MRT_ENOTFOUND, "no such encounter");
	if (!(st = mrt_db_stmt(db, upd, err)))
		return err ? err->code : MRT_EDB;
	mrt_stmt_bind_int(st, 1, into_id);
	mrt_stmt_bind_text(st, 2, c->now);
	mrt_stmt_bind_int(st, 3, encounter_id);
	if ((rc = mrt_stmt_run(st, err)) == 0)
		*changed = 1;
	return rc;
}

int chart_ident_change(mrt_db *db, const struct chart_ctx *c, int64_t patient_id,
		       const char *system, const char *old_value, const char *new_value,
		       int *changed, mrt_err *err)
{
	char sys[256] = "", type[64] = "", nsys[256], ntype[64];
	int64_t old_id = 0, new_id = 0;
	*changed = 0;
	int rc = ident_row(db, patient_id, system, old_value, &old_id, sys, type, err);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		rc = ident_row(db, patient_id, system, new_value, &new_id, nsys, ntype, err);
		if (rc < 0)
			return rc;
		return rc ? 0
			  : mrt_err_set(err, MRT_ENOTFOUND,
					"identifier change: the patient has "
					"neither the old nor the new identifier");
	}
	rc = ident_row(db, patient_id, sys, new_value, &new_id, nsys, ntype, err);
	if (rc == 0)
		rc = ident_add(db, c, patient_id, sys, type, new_value, &new_id, err);
	if (rc < 0)
		return rc;
	if ((rc = ident_end(db, c, old_id, new_id, err)) != 0)
		return rc;
	if ((rc = mrn_change(db, c, patient_id, old_value, new_value, err)) != 0)
		return rc;
	*changed = 1;
	return 0;
}

int chart_link_find(mrt_db *db, const char *kind, int64_t a, int64_t b, int64_t *id, mrt_err *err)
{
	static const char sql[] =
	    "SELECT id FROM patient_link WHERE kind = ? AND status = 'applied'"
	    " AND ((patient_id = ?2 AND other_patient_id = ?3) OR (patient_id = ?3 AND"
	    " other_patient_id = ?2)) AND id NOT IN (SELECT ends FROM patient_link"
	    " WHERE ends IS NOT NULL) ORDER BY id DESC LIMIT 1";
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err ? err->code : MRT_EDB;
	mrt_stmt_bind_text(st, 1, kind);
	mrt_stmt_bind_int(st, 2, a);
	mrt_stmt_bind_int(st, 3, b);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1)
		*id = mrt_stmt_int(st, 0);
	mrt_stmt_reset(st);
	if (rc == 0)
		return mrt_err_set(err, MRT_ENOTFOUND, "no link between the two patients to end");
	return rc < 0 ? rc : 0;
}

int chart_encounter_by_visit(mrt_db *db, const char *visit_number, int64_t *id, int64_t *patient_id,
			     mrt_err *err)
{
	static const char sql[] =
	    "SELECT id, patient_id FROM encounter WHERE visit_number = ? ORDER BY id LIMIT 2";
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err ? err->code : MRT_EDB;
	mrt_stmt_bind_text(st, 1, visit_number);
	int rc = mrt_stmt_step(st, err), n = 0;
	if (rc == 1) {
		n = 1;
		*id = mrt_stmt_int(st, 0);
		*patient_id = mrt_stmt_int(st, 1);
		rc = mrt_stmt_step(st, err);
		n += rc == 1;
	}
	mrt_stmt_reset(st);
	if (rc < 0)
		return rc;
	if (n == 0)
		return mrt_err_set(err, MRT_ENOTFOUND, "no encounter with that visit number");
	if (n > 1)
		return mrt_err_set(err, MRT_EAMBIG, "several encounters have that visit number");
	return 0;
}
