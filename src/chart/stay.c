/*
 * Providers and the parts of a stay: transfers between units and beds,
 * hospital services, DRG assignments. Each is an idempotent put keyed by
 * its natural key.
 */
#include <string.h>

#include "chart/chart_int.h"

/* The current row of st holds id then n columns: merges g into them and,
 * when something differs, runs upd_sql (?1..?n the columns, ?n+1 the id). */
static int update_changed(mrt_db *db, mrt_stmt *st, const char *const *g, int n,
                          const char *upd_sql, int64_t id, int *changed, mrt_err *err)
{
	struct chart_row r;
	int rc = chart_row_load(&r, st, 1, n, err);
	mrt_stmt_reset(st);
	if (rc)
		return rc;
	chart_row_merge(&r, g);
	if (r.changed) {
		mrt_stmt *u = mrt_db_stmt(db, upd_sql, err);
		rc = u ? 0 : err->code;
		for (int i = 0; u && i < n; i++)
			chart_bind(u, i + 1, r.merged[i]);
		if (u) {
			mrt_stmt_bind_int(u, n + 1, id);
			rc = mrt_stmt_run(u, err);
		}
		*changed = rc == 0;
	}
	chart_row_free(&r);
	return rc;
}

int chart_provider_put(mrt_db *db, const struct chart_ctx *c, const struct chart_provider *p,
                       int64_t *id, int *changed, mrt_err *err)
{
	static const char sel_sql[] =
		"SELECT id, name, family, given, specialty, source_ref FROM provider"
		" WHERE system = ? AND ident = ?";
	static const char ins_sql[] =
		"INSERT INTO provider (system, ident, name, family, given, specialty, source, created_at,"
		" source_ref) VALUES (?,?,?,?,?,?,?,?,?)";
	static const char upd_sql[] =
		"UPDATE provider SET name = ?, family = ?, given = ?, specialty = ?, source_ref = ?"
		" WHERE id = ?";
	*changed = 0;
	if (!p->ident || !*p->ident)
		return mrt_err_set(err, MRT_EINVAL, "provider: no identifier");
	const char *sys = p->system ? p->system : "";
	mrt_stmt *st = mrt_db_stmt(db, sel_sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, sys);
	mrt_stmt_bind_text(st, 2, p->ident);
	int rc = mrt_stmt_step(st, err);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		*id = mrt_stmt_int(st, 0);
		const char *g[5] = { p->name, p->family, p->given, p->specialty, p->source_ref };
		return update_changed(db, st, g, 5, upd_sql, *id, changed, err);
	}
	mrt_stmt_reset(st);
	st = mrt_db_stmt(db, ins_sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, sys);
	mrt_stmt_bind_text(st, 2, p->ident);
	chart_bind(st, 3, p->name);
	chart_bind(st, 4, p->family);
	chart_bind(st, 5, p->given);
	chart_bind(st, 6, p->specialty);
	mrt_stmt_bind_text(st, 7, c->source);
	mrt_stmt_bind_text(st, 8, c->now);
	chart_bind(st, 9, p->source_ref);
	if ((rc = mrt_stmt_run(st, err)) != 0)
		return rc;
	*id = mrt_db_last_insert_id(db);
	*changed = 1;
	return 0;
}

int chart_provider_find(mrt_db *db, const char *system, const char *ident, int64_t *id,
                        mrt_err *err)
{
	static const char sql[] = "SELECT id FROM provider WHERE system = ? AND ident = ?";
	int rc = chart_find_id(db, sql, system ? system : "", ident, id, NULL, err);
	if (rc == MRT_ENOTFOUND)
		return mrt_err_set(err, rc, "no provider with that identifier");
	return rc;
}

int chart_provider_by_source_ref(mrt_db *db, const char *ref, int64_t *id, mrt_err *err)
{
	static const char sql[] = "SELECT id FROM provider WHERE source_ref = ?";
	int rc = chart_find_unique(db, sql, ref, NULL, id, err);
	if (rc == MRT_ENOTFOUND)
		return mrt_err_set(err, rc, "no provider with that reference");
	if (rc == MRT_EAMBIG)
		return mrt_err_set(err, rc, "several providers hold that reference");
	return rc;
}

int chart_transfer_put(mrt_db *db, const struct chart_ctx *c, int64_t patient_id,
                       int64_t encounter_id, const struct chart_transfer *t, int *changed,
                       mrt_err *err)
{
	static const char sel_sql[] =
		"SELECT id, event, unit, room, bed, in_at, out_at FROM transfer"
		" WHERE source = ? AND source_ref = ?";
	static const char ins_sql[] =
		"INSERT INTO transfer (event, unit, room, bed, in_at, out_at, patient_id, encounter_id,"
		" source_ref, source, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)";
	static const char upd_sql[] =
		"UPDATE transfer SET event = ?, unit = ?, room = ?, bed = ?, in_at = ?, out_at = ?"
		" WHERE id = ?";
	*changed = 0;
	if (!t->source_ref || !*t->source_ref || !t->event || !*t->event)
		return mrt_err_set(err, MRT_EINVAL, "transfer: no reference or event");
	const char *g[6] = { t->event, t->unit, t->room, t->bed, t->in_at, t->out_at };
	mrt_stmt *st = mrt_db_stmt(db, sel_sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, c->source);
	mrt_stmt_bind_text(st, 2, t->source_ref);
	int rc = mrt_stmt_step(st, err);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		return update_changed(db, st, g, 6, upd_sql, mrt_stmt_int(st, 0), changed, err);
	}
	mrt_stmt_reset(st);
	st = mrt_db_stmt(db, ins_sql, err);
	if (!st)
		return err->code;
	for (int i = 0; i < 6; i++)
		chart_bind(st, i + 1, g[i]);
	mrt_stmt_bind_int(st, 7, patient_id);
	chart_bind_id(st, 8, encounter_id);
	mrt_stmt_bind_text(st, 9, t->source_ref);
	mrt_stmt_bind_text(st, 10, c->source);
	mrt_stmt_bind_text(st, 11, c->now);
	rc = mrt_stmt_run(st, err);
	if (rc == 0)
		*changed = 1;
	return rc;
}

int chart_service_put(mrt_db *db, const struct chart_ctx *c, int64_t patient_id,
                      int64_t encounter_id, const char *at, const char *prev_service,
                      const char *service, int *changed, mrt_err *err)
{
	static const char sql[] =
		"INSERT OR IGNORE INTO encounter_service (patient_id, encounter_id, at, prev_service,"
		" service, source) VALUES (?,?,?,?,?,?)";
	*changed = 0;
	if (!at || !*at || !service || !*service)
		return mrt_err_set(err, MRT_EINVAL, "service: no time or service");
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, patient_id);
	mrt_stmt_bind_int(st, 2, encounter_id);
	mrt_stmt_bind_text(st, 3, at);
	chart_bind(st, 4, prev_service);
	mrt_stmt_bind_text(st, 5, service);
	mrt_stmt_bind_text(st, 6, c->source);
	int rc = mrt_stmt_run(st, err);
	if (rc == 0)
		*changed = mrt_db_changes(db) > 0;
	return rc;
}

int chart_drg_put(mrt_db *db, const struct chart_ctx *c, int64_t patient_id, int64_t encounter_id,
                  const char *type, const char *code, const char *description, int severity,
                  int mortality, int *changed, mrt_err *err)
{
	static const char sql[] =
		"INSERT OR IGNORE INTO encounter_drg (patient_id, encounter_id, drg_type, drg_code,"
		" description, severity, mortality, source) VALUES (?,?,?,?,?,?,?,?)";
	*changed = 0;
	if (!type || !*type || !code || !*code)
		return mrt_err_set(err, MRT_EINVAL, "DRG: no type or code");
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, patient_id);
	mrt_stmt_bind_int(st, 2, encounter_id);
	mrt_stmt_bind_text(st, 3, type);
	mrt_stmt_bind_text(st, 4, code);
	chart_bind(st, 5, description);
	chart_bind_id(st, 6, severity);
	chart_bind_id(st, 7, mortality);
	mrt_stmt_bind_text(st, 8, c->source);
	int rc = mrt_stmt_run(st, err);
	if (rc == 0)
		*changed = mrt_db_changes(db) > 0;
	return rc;
}
