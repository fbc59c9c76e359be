/*
 * Providers and encounters: idempotent puts keyed by provider identifier
 * and account number (old encounter row to encounter_history before a
 * change), coding status with its history, and moving an encounter to
 * another patient.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart/chart_int.h"

#define ENC_NCOLS 19

static const char sel_sql[] =
	"SELECT id, version, patient_id, visit_number, class, status, admit_at, discharge_at,"
	" admit_type, admit_source, discharge_status, discharge_location, service, payer, unit, room,"
	" bed, facility, reason, source_ref, attending_id, admitting_id"
	" FROM encounter WHERE account = ?";
static const char snap_sql[] = "SELECT * FROM encounter WHERE id = ?";
static const char ins_sql[] =
	"INSERT INTO encounter (visit_number, class, status, admit_at, discharge_at, admit_type,"
	" admit_source, discharge_status, discharge_location, service, payer, unit, room, bed,"
	" facility, reason, source_ref, attending_id, admitting_id, patient_id, account, source,"
	" created_at, updated_at) VALUES (?1,?2,coalesce(?3,'in-progress'),?4,?5,?6,?7,?8,?9,?10,"
	"?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?23)";
static const char upd_sql[] =
	"UPDATE encounter SET visit_number=?1, class=?2, status=coalesce(?3,'in-progress'),"
	" admit_at=?4, discharge_at=?5, admit_type=?6, admit_source=?7, discharge_status=?8,"
	" discharge_location=?9, service=?10, payer=?11, unit=?12, room=?13, bed=?14, facility=?15,"
	" reason=?16, source_ref=?17, attending_id=?18, admitting_id=?19, version = version + 1,"
	" updated_at=?23 WHERE id=?24";
static const char hist_sql[] =
	"INSERT INTO encounter_history (patient_id, encounter_id, version, snapshot, replaced_at,"
	" replaced_by, source) VALUES (?1,?2,?3,?4,?5,?6,?7)";

void chart_encounter_init(struct chart_encounter *e)
{
	memset(e, 0, sizeof *e);
}

static const char *const klasses[] = { "inpatient", "outpatient", "emergency", "observation" };
static const char *const statuses[] = { "planned", "in-progress", "finished", "cancelled" };

static void given_cols(const struct chart_encounter *e, const char **g)
{
	const char *v[ENC_NCOLS - 2] = {
		e->visit_number, e->klass,     e->status,  e->admit_at,         e->discharge_at,
		e->admit_type,   e->admit_source, e->discharge_status, e->discharge_location,
		e->service,      e->payer,     e->unit,    e->room,             e->bed,
		e->facility,     e->reason,    e->source_ref,
	};
	memcpy(g, v, sizeof v);
}

static void bind_cols(mrt_stmt *st, const char *const *v, int64_t att, int64_t adm)
{
	for (int i = 0; i < ENC_NCOLS - 2; i++)
		chart_bind(st, i + 1, v[i]);
	chart_bind_id(st, 18, att);
	chart_bind_id(st, 19, adm);
}

static int update_encounter(mrt_db *db, const struct chart_ctx *c, int64_t patient_id,
                            const struct chart_encounter *e, const char *const *g, mrt_stmt *st,
                            int *changed, mrt_err *err)
{
	int64_t id = mrt_stmt_int(st, 0), version = mrt_stmt_int(st, 1);
	int64_t owner = mrt_stmt_int(st, 2);
	int64_t att = mrt_stmt_is_null(st, 20) ? 0 : mrt_stmt_int(st, 20);
	int64_t adm = mrt_stmt_is_null(st, 21) ? 0 : mrt_stmt_int(st, 21);
	if (owner != patient_id) {
		mrt_stmt_reset(st);
		return mrt_err_set(err, MRT_EEXIST, "the account belongs to another patient");
	}
	struct chart_row r;
	int rc = chart_row_load(&r, st, 3, ENC_NCOLS - 2, err);
	mrt_stmt_reset(st);
	if (rc)
		return rc;
	chart_row_merge(&r, g);
	int64_t natt = e->attending_id ? e->attending_id : att;
	int64_t nadm = e->admitting_id ? e->admitting_id : adm;
	if (!r.changed && natt == att && nadm == adm)
		goto done;
	*changed = 1;
	if ((rc = chart_history_put(db, c, snap_sql, hist_sql, patient_id, id, version, err)) != 0)
		goto done;
	mrt_stmt *u = mrt_db_stmt(db, upd_sql, err);
	if (!u) {
		rc = err->code;
		goto done;
	}
	bind_cols(u, r.merged, natt, nadm);
	mrt_stmt_bind_text(u, 23, c->now);
	mrt_stmt_bind_int(u, 24, id);
	rc = mrt_stmt_run(u, err);
done:
	chart_row_free(&r);
	return rc;
}

int chart_encounter_put(mrt_db *db, const struct chart_ctx *c, int64_t patient_id,
                        const struct chart_encounter *e, int64_t *id, int *changed, mrt_err *err)
{
	*changed = 0;
	*id = 0;
	if (!e->account || !*e->account)
		return mrt_err_set(err, MRT_EINVAL, "encounter: no account number");
	if (!chart_one_of(e->klass, klasses, 4))
		return mrt_err_set(err, MRT_EINVAL, "encounter: class must be inpatient, outpatient,"
		                   " emergency or observation");
	if (!chart_one_of(e->status, statuses, 4))
		return mrt_err_set(err, MRT_EINVAL, "encounter: status must be planned, in-progress,"
		                   " finished or cancelled");
	const char *g[ENC_NCOLS - 2];
	given_cols(e, g);
	mrt_stmt *st = mrt_db_stmt(db, sel_sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, e->account);
	int rc = mrt_stmt_step(st, err);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		*id = mrt_stmt_int(st, 0);
		rc = update_encounter(db, c, patient_id, e, g, st, changed, err);
		return rc ? mrt_err_prefix(err, "encounter") : 0;
	}
	mrt_stmt_reset(st);
	st = mrt_db_stmt(db, ins_sql, err);
	if (!st)
		return err->code;
	bind_cols(st, g, e->attending_id, e->admitting_id);
	mrt_stmt_bind_int(st, 20, patient_id);
	mrt_stmt_bind_text(st, 21, e->account);
	mrt_stmt_bind_text(st, 22, c->source);
	mrt_stmt_bind_text(st, 23, c->now);
	rc = mrt_stmt_run(st, err);
	if (rc)
		return mrt_err_prefix(err, "encounter");
	*id = mrt_db_last_insert_id(db);
	*changed = 1;
	return 0;
}

int chart_encounter_by_account(mrt_db *db, const char *account, int64_t *id, int64_t *patient_id,
                               mrt_err *err)
{
	static const char sql[] = "SELECT id, patient_id FROM encounter WHERE account = ?";
	int rc = chart_find_id(db, sql, account, NULL, id, patient_id, err);
	if (rc == MRT_ENOTFOUND)
		return mrt_err_set(err, rc, "no encounter with that account number");
	return rc;
}

int chart_encounter_by_source_ref(mrt_db *db, const char *source, const char *ref, int64_t *id,
                                  int64_t *patient_id, mrt_err *err)
{
	static const char sql[] =
		"SELECT id, patient_id FROM encounter WHERE source = ? AND source_ref = ?";
	int rc = chart_find_id(db, sql, source, ref, id, patient_id, err);
	if (rc == MRT_ENOTFOUND)
		return mrt_err_set(err, rc, "no encounter with that %s reference", source);
	return rc;
}

/* The tables whose rows belong to an encounter; each carries patient_id. */
static const char *const move_sql[] = {
	"UPDATE encounter SET patient_id = ?1, version = version + 1, updated_at = ?3 WHERE id = ?2",
	"UPDATE encounter_history SET patient_id = ?1 WHERE encounter_id = ?2",
	"UPDATE coding_status_history SET patient_id = ?1 WHERE encounter_id = ?2",
	"UPDATE transfer SET patient_id = ?1 WHERE encounter_id = ?2",
	"UPDATE encounter_service SET patient_id = ?1 WHERE encounter_id = ?2",
	"UPDATE encounter_drg SET patient_id = ?1 WHERE encounter_id = ?2",
	"UPDATE coding SET patient_id = ?1 WHERE encounter_id = ?2",
	"UPDATE diagnosis SET patient_id = ?1 WHERE encounter_id = ?2",
	"UPDATE procedure SET patient_id = ?1 WHERE encounter_id = ?2",
	"UPDATE coding_finding SET patient_id = ?1 WHERE encounter_id = ?2",
	"UPDATE document SET patient_id = ?1 WHERE encounter_id = ?2",
	"UPDATE label SET patient_id = ?1 WHERE object_type = 'encounter' AND object_id = ?2",
};

int chart_encounter_move(mrt_db *db, const struct chart_ctx *c, int64_t encounter_id,
                         int64_t to_patient_id, const char *source_ref, mrt_err *err)
{
	static const char owner_sql[] = "SELECT patient_id, version FROM encounter WHERE id = ?";
	static const char link_sql[] =
		"INSERT INTO encounter_link (patient_id, encounter_id, from_patient_id, kind, at, by_user,"
		" source, source_ref) VALUES (?,?,?,'move',?,?,?,?)";
	mrt_stmt *st = mrt_db_stmt(db, owner_sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, encounter_id);
	int rc = mrt_stmt_step(st, err);
	int64_t from = rc == 1 ? mrt_stmt_int(st, 0) : 0, version = rc == 1 ? mrt_stmt_int(st, 1) : 0;
	mrt_stmt_reset(st);
	if (rc <= 0)
		return rc < 0 ? rc : mrt_err_set(err, MRT_ENOTFOUND, "no encounter %" PRId64,
		                                 encounter_id);
	if (from == to_patient_id)
		return 0;
	if ((rc = chart_history_put(db, c, snap_sql, hist_sql, from, encounter_id, version, err)) != 0)
		return rc;
	for (size_t i = 0; i < sizeof move_sql / sizeof move_sql[0]; i++) {
		st = mrt_db_stmt(db, move_sql[i], err);
		if (!st)
			return err->code;
		mrt_stmt_bind_int(st, 1, to_patient_id);
		mrt_stmt_bind_int(st, 2, encounter_id);
		if (i == 0)
			mrt_stmt_bind_text(st, 3, c->now);
		if ((rc = mrt_stmt_run(st, err)) != 0)
			return rc;
	}
	st = mrt_db_stmt(db, link_sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, to_patient_id);
	mrt_stmt_bind_int(st, 2, encounter_id);
	mrt_stmt_bind_int(st, 3, from);
	mrt_stmt_bind_text(st, 4, c->now);
	chart_bind_id(st, 5, c->user_id);
	mrt_stmt_bind_text(st, 6, c->source);
	chart_bind(st, 7, source_ref);
	return mrt_stmt_run(st, err);
}

int chart_coding_status_set(mrt_db *db, const struct chart_ctx *c, int64_t encounter_id,
                            const char *status, int *changed, mrt_err *err)
{
	static const char get_sql[] = "SELECT patient_id, coding_status FROM encounter WHERE id = ?";
	static const char set_sql[] =
		"UPDATE encounter SET coding_status = ?, coding_status_by = ?, coding_status_at = ?"
		" WHERE id = ?";
	static const char hist_sql2[] =
		"INSERT INTO coding_status_history (patient_id, encounter_id, from_status, to_status, at,"
		" by_user) VALUES (?,?,?,?,?,?)";
	static const char *const ok[] = { "uncoded", "in-progress", "final", "billed" };
	*changed = 0;
	int valid = 0;
	for (size_t i = 0; i < 4; i++)
		valid |= status && strcmp(status, ok[i]) == 0;
	if (!valid)
		return mrt_err_set(err, MRT_EINVAL, "coding status must be uncoded, in-progress, final"
		                   " or billed");
	mrt_stmt *st = mrt_db_stmt(db, get_sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, encounter_id);
	int rc = mrt_stmt_step(st, err);
	char old[16] = "";
	int64_t patient = 0;
	if (rc == 1) {
		patient = mrt_stmt_int(st, 0);
		snprintf(old, sizeof old, "%s", mrt_stmt_text(st, 1));
	}
	mrt_stmt_reset(st);
	if (rc <= 0)
		return rc < 0 ? rc : mrt_err_set(err, MRT_ENOTFOUND, "no encounter %" PRId64,
		                                 encounter_id);
	if (strcmp(old, status) == 0)
		return 0;
	st = mrt_db_stmt(db, set_sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, status);
	chart_bind_id(st, 2, c->user_id);
	mrt_stmt_bind_text(st, 3, c->now);
	mrt_stmt_bind_int(st, 4, encounter_id);
	if ((rc = mrt_stmt_run(st, err)) != 0)
		return rc;
	st = mrt_db_stmt(db, hist_sql2, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, patient);
	mrt_stmt_bind_int(st, 2, encounter_id);
	mrt_stmt_bind_text(st, 3, old);
	mrt_stmt_bind_text(st, 4, status);
	mrt_stmt_bind_text(st, 5, c->now);
	chart_bind_id(st, 6, c->user_id);
	*changed = 1;
	return mrt_stmt_run(st, err);
}

int chart_encounter_dates(mrt_db *db, int64_t encounter_id, char admit[32], char discharge[32],
                          mrt_err *err)
{
	static const char sql[] = "SELECT admit_at, discharge_at FROM encounter WHERE id = ?";
	admit[0] = discharge[0] = 0;
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, encounter_id);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1) {
		snprintf(admit, 32, "%s", mrt_stmt_is_null(st, 0) ? "" : mrt_stmt_text(st, 0));
		snprintf(discharge, 32, "%s", mrt_stmt_is_null(st, 1) ? "" : mrt_stmt_text(st, 1));
	}
	mrt_stmt_reset(st);
	if (rc == 0)
		return mrt_err_set(err, MRT_ENOTFOUND, "no encounter %" PRId64, encounter_id);
	return rc < 0 ? rc : 0;
}
