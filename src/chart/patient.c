/*
 * Patients: the idempotent put keyed by MRN (old row to patient_history
 * before a change), their identifiers and other names, and lookups.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "chart/chart_int.h"

#define PATIENT_NCOLS 22

/* Same order in the SELECT, the INSERT, the UPDATE and given[] below. */
static const char sel_sql[] =
	"SELECT id, version, mrn_system, family, given, middle, prefix, suffix, birth_date, sex,"
	" address_line, city, state, postal_code, country, phone_home, phone_work, phone_mobile,"
	" marital_status, race, ethnicity, language, death_at, source_ref, deceased"
	" FROM patient WHERE mrn = ?";
static const char snap_sql[] = "SELECT * FROM patient WHERE id = ?";
static const char ins_sql[] =
	"INSERT INTO patient (mrn_system, family, given, middle, prefix, suffix, birth_date, sex,"
	" address_line, city, state, postal_code, country, phone_home, phone_work, phone_mobile,"
	" marital_status, race, ethnicity, language, death_at, source_ref, deceased, mrn, source,"
	" created_at, updated_at) VALUES (coalesce(?1,''),?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,"
	"?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?24,?25,?26,?26)";
static const char upd_sql[] =
	"UPDATE patient SET mrn_system=coalesce(?1,''), family=?2, given=?3, middle=?4, prefix=?5,"
	" suffix=?6, birth_date=?7, sex=?8, address_line=?9, city=?10, state=?11, postal_code=?12,"
	" country=?13, phone_home=?14, phone_work=?15, phone_mobile=?16, marital_status=?17,"
	" race=?18, ethnicity=?19, language=?20, death_at=?21, source_ref=?22, deceased=?23,"
	" version = version + 1, updated_at=?26 WHERE id=?27";
static const char hist_sql[] =
	"INSERT INTO patient_history (patient_id, version, snapshot, replaced_at, replaced_by, source)"
	" VALUES (?1,?3,?4,?5,?6,?7)";
static const char name_sql[] =
	"INSERT OR IGNORE INTO patient_name (patient_id, use, family, given, middle, prefix, suffix,"
	" source, created_at) VALUES (?,?,coalesce(?,''),coalesce(?,''),coalesce(?,''),?,?,?,?)";
static const char ident_sql[] =
	"INSERT OR IGNORE INTO patient_identifier (patient_id, system, type, value, source, created_at)"
	" VALUES (?,coalesce(?,''),coalesce(?,''),?,?,?)";

void chart_patient_init(struct chart_patient *p)
{
	memset(p, 0, sizeof *p);
	p->deceased = -1;
}

static void given_cols(const struct chart_patient *p, const char **g)
{
	const char *v[PATIENT_NCOLS] = {
		p->mrn_system, p->family,      p->given,     p->middle,         p->prefix,
		p->suffix,     p->birth_date,  p->sex,       p->address_line,   p->city,
		p->state,      p->postal_code, p->country,   p->phone_home,     p->phone_work,
		p->phone_mobile, p->marital_status, p->race, p->ethnicity,      p->language,
		p->death_at,   p->source_ref,
	};
	memcpy(g, v, sizeof v);
}

static int bind_cols(mrt_stmt *st, const char *const *v, int deceased)
{
	for (int i = 0; i < PATIENT_NCOLS; i++)
		chart_bind(st, i + 1, v[i]);
	return mrt_stmt_bind_int(st, 23, deceased);
}

static int put_name(mrt_db *db, const struct chart_ctx *c, int64_t id, const char *use,
                    const char *family, const char *given, const char *middle, const char *prefix,
                    const char *suffix, int *changed, mrt_err *err)
{
	if (chart_same(family, NULL) && chart_same(given, NULL))
		return 0;
	mrt_stmt *st = mrt_db_stmt(db, name_sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, id);
	mrt_stmt_bind_text(st, 2, use && *use ? use : "alias");
	mrt_stmt_bind_text(st, 3, family);
	mrt_stmt_bind_text(st, 4, given);
	mrt_stmt_bind_text(st, 5, middle);
	chart_bind(st, 6, prefix);
	chart_bind(st, 7, suffix);
	mrt_stmt_bind_text(st, 8, c->source);
	mrt_stmt_bind_text(st, 9, c->now);
	int rc = mrt_stmt_run(st, err);
	if (rc == 0 && mrt_db_changes(db) > 0)
		*changed = 1;
	return rc;
}

static int put_ident(mrt_db *db, const struct chart_ctx *c, int64_t id,
                     const struct chart_ident *x, int *changed, mrt_err *err)
{
	if (!x->value || !*x->value)
		return 0;
	mrt_stmt *st = mrt_db_stmt(db, ident_sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, id);
	mrt_stmt_bind_text(st, 2, x->system);
	mrt_stmt_bind_text(st, 3, x->type);
	mrt_stmt_bind_text(st, 4, x->value);
	mrt_stmt_bind_text(st, 5, c->source);
	mrt_stmt_bind_text(st, 6, c->now);
	int rc = mrt_stmt_run(st, err);
	if (rc == 0 && mrt_db_changes(db) > 0)
		*changed = 1;
	return rc;
}

static int put_extras(mrt_db *db, const struct chart_ctx *c, const struct chart_patient *p,
                      int64_t id, int *changed, mrt_err *err)
{
	struct chart_ident mrn = { p->mrn_system ? p->mrn_system : "", "MR", p->mrn };
	int rc = put_ident(db, c, id, &mrn, changed, err);
	for (size_t i = 0; rc == 0 && i < p->n_idents; i++)
		rc = put_ident(db, c, id, &p->idents[i], changed, err);
	for (size_t i = 0; rc == 0 && i < p->n_names; i++) {
		const struct chart_name *n = &p->names[i];
		rc = put_name(db, c, id, n->use, n->family, n->given, n->middle, n->prefix, n->suffix,
		              changed, err);
	}
	return rc;
}

static int insert_patient(mrt_db *db, const struct chart_ctx *c, const struct chart_patient *p,
                          const char *const *g, int64_t *id, mrt_err *err)
{
	mrt_stmt *st = mrt_db_stmt(db, ins_sql, err);
	if (!st)
		return err->code;
	int dead = p->deceased > 0 || (p->deceased < 0 && p->death_at && *p->death_at);
	bind_cols(st, g, dead);
	mrt_stmt_bind_text(st, 24, p->mrn);
	mrt_stmt_bind_text(st, 25, c->source);
	mrt_stmt_bind_text(st, 26, c->now);
	int rc = mrt_stmt_run(st, err);
	if (rc == 0)
		*id = mrt_db_last_insert_id(db);
	return rc;
}

/* Compares and, when something differs, snapshots and updates. The old
 * official name becomes an "old" name when the name changes. */
static int update_patient(mrt_db *db, const struct chart_ctx *c, const struct chart_patient *p,
                          const char *const *g, mrt_stmt *st, int *changed, mrt_err *err)
{
	int64_t id = mrt_stmt_int(st, 0), version = mrt_stmt_int(st, 1);
	int old_dead = (int)mrt_stmt_int(st, 2 + PATIENT_NCOLS);
	struct chart_row r;
	int rc = chart_row_load(&r, st, 2, PATIENT_NCOLS, err);
	mrt_stmt_reset(st);
	if (rc)
		return rc;
	chart_row_merge(&r, g);
	int dead = p->deceased >= 0 ? p->deceased : old_dead;
	if (p->deceased < 0 && p->death_at && *p->death_at)
		dead = 1;
	if (!r.changed && dead == old_dead)
		goto done;
	*changed = 1;
	int renamed = !chart_same(r.old[1], r.merged[1]) || !chart_same(r.old[2], r.merged[2]) ||
	              !chart_same(r.old[3], r.merged[3]);
	if (renamed)
		rc = put_name(db, c, id, "old", r.old[1], r.old[2], r.old[3], r.old[4], r.old[5],
		              changed, err);
	if (rc == 0)
		rc = chart_history_put(db, c, snap_sql, hist_sql, id, id, version, err);
	if (rc)
		goto done;
	mrt_stmt *u = mrt_db_stmt(db, upd_sql, err);
	if (!u) {
		rc = err->code;
		goto done;
	}
	bind_cols(u, r.merged, dead);
	mrt_stmt_bind_text(u, 26, c->now);
	mrt_stmt_bind_int(u, 27, id);
	rc = mrt_stmt_run(u, err);
done:
	chart_row_free(&r);
	return rc;
}

int chart_patient_put(mrt_db *db, const struct chart_ctx *c, const struct chart_patient *p,
                      int64_t *id, int *changed, mrt_err *err)
{
	*changed = 0;
	*id = 0;
	if (!p->mrn || !*p->mrn)
		return mrt_err_set(err, MRT_EINVAL, "patient: no MRN");
	if (p->sex && *p->sex && !strchr("FMOU", p->sex[0]))
		return mrt_err_set(err, MRT_EINVAL, "patient: sex must be F, M, O or U");
	const char *g[PATIENT_NCOLS];
	given_cols(p, g);
	mrt_stmt *st = mrt_db_stmt(db, sel_sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, p->mrn);
	int rc = mrt_stmt_step(st, err);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		*id = mrt_stmt_int(st, 0);
		rc = update_patient(db, c, p, g, st, changed, err);
	} else {
		mrt_stmt_reset(st);
		rc = insert_patient(db, c, p, g, id, err);
		*changed = 1;
	}
	if (rc == 0)
		rc = put_extras(db, c, p, *id, changed, err);
	return rc ? mrt_err_prefix(err, "patient") : 0;
}

int chart_patient_by_mrn(mrt_db *db, const char *mrn, int64_t *id, mrt_err *err)
{
	static const char sql[] = "SELECT id FROM patient WHERE mrn = ?";
	int rc = chart_find_id(db, sql, mrn, NULL, id, NULL, err);
	if (rc == MRT_ENOTFOUND)
		return mrt_err_set(err, rc, "no patient with that MRN");
	return rc;
}

int chart_patient_by_ident(mrt_db *db, const char *system, const char *value, int64_t *id,
                           mrt_err *err)
{
	static const char any_sql[] =
		"SELECT DISTINCT patient_id FROM patient_identifier WHERE value = ? AND active = 1";
	static const char sys_sql[] =
		"SELECT DISTINCT patient_id FROM patient_identifier WHERE value = ?1 AND system = ?2"
		" AND active = 1";
	int rc = chart_find_unique(db, system ? sys_sql : any_sql, value, system, id, err);
	if (rc == MRT_ENOTFOUND)
		return mrt_err_set(err, rc, "no patient with that identifier");
	if (rc == MRT_EAMBIG)
		return mrt_err_set(err, rc, "several patients hold that identifier");
	return rc;
}

int chart_patient_by_source_ref(mrt_db *db, const char *source, const char *ref, int64_t *id,
                                mrt_err *err)
{
	static const char sql[] = "SELECT id FROM patient WHERE source = ? AND source_ref = ?";
	int rc = chart_find_id(db, sql, source, ref, id, NULL, err);
	if (rc == MRT_ENOTFOUND)
		return mrt_err_set(err, rc, "no patient with that %s reference", source);
	return rc;
}
