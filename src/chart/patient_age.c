/*
 * A patient's age in a given year, for sources that publish ages rather
 * than birth dates (MIMIC-IV: anchor_age in anchor_year). Kept beside the
 * patient, never in place of a birth date; the claim builder uses it only
 * when the birth date is unknown.
 */
#include "chart/chart.h"

static const char put_sql[] =
	"INSERT INTO patient_age_anchor (patient_id, age, year, source, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5)"
	" ON CONFLICT (patient_id) DO UPDATE SET age = ?2, year = ?3, source = ?4, updated_at = ?5"
	" WHERE age IS NOT ?2 OR year IS NOT ?3";

int chart_patient_age_anchor_put(mrt_db *db, const struct chart_ctx *c, int64_t patient_id, int age,
                                 int year, int *changed, mrt_err *err)
{
	*changed = 0;
	if (age < 0 || age > 150 || year < 1 || year > 9999)
		return mrt_err_set(err, MRT_EINVAL, "patient age anchor: age or year out of range");
	mrt_stmt *st = mrt_db_stmt(db, put_sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, patient_id);
	mrt_stmt_bind_int(st, 2, age);
	mrt_stmt_bind_int(st, 3, year);
	mrt_stmt_bind_text(st, 4, c->source);
	mrt_stmt_bind_text(st, 5, c->now);
	int rc = mrt_stmt_run(st, err);
	if (rc == 0)
		*changed = mrt_db_changes(db) > 0;
	return rc;
}
