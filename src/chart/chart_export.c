/*
 * The chart's reading SQL for export (see chart_export.h): each query a
 * static string with bound parameters, each row turned into a JSON object
 * of its named columns.
 */
#include "chart/chart_export.h"

#include <string.h>

static const char provider_sql[] =
    "SELECT id, system, ident, name, family, given, specialty FROM provider"
    " WHERE ?1 IS NULL OR created_at >= ?1 ORDER BY id";

static const char patient_sql[] =
    "SELECT id, mrn, mrn_system, family, given, middle, prefix, suffix, birth_date, sex,"
    " address_line, city, state, postal_code, country, phone_home, phone_work, phone_mobile,"
    " marital_status, race, ethnicity, language, deceased, death_at, source_ref AS patient_ref"
    " FROM patient WHERE ?1 IS NULL OR updated_at >= ?1 ORDER BY id";

static const char encounter_sql[] =
    "SELECT e.id, e.account, e.class, e.status, e.admit_at, e.discharge_at, e.admit_source,"
    " e.discharge_status, e.discharge_location, e.service, e.facility, e.reason,"
    " e.source_ref AS enc_ref, p.source_ref AS patient_ref, p.mrn AS patient_mrn,"
    " a.system AS attending_system, a.ident AS attending_ident, a.name AS attending_name,"
    " m.system AS admitting_system, m.ident AS admitting_ident, m.name AS admitting_name"
    " FROM encounter e JOIN patient p ON p.id = e.patient_id"
    " LEFT JOIN provider a ON a.id = e.attending_id LEFT JOIN provider m ON m.id = e.admitting_id"
    " WHERE ?1 IS NULL OR e.updated_at >= ?1 ORDER BY e.id";

static const char diagnosis_sql[] =
    "SELECT d.id, d.seq, d.system, d.code, d.display, d.kind, d.onset, d.source_ref,"
    " e.source_ref AS enc_ref, e.account AS enc_account, p.source_ref AS patient_ref,"
    " p.mrn AS patient_mrn FROM diagnosis d JOIN coding c ON c.id = d.coding_id"
    " JOIN encounter e ON e.id = d.encounter_id JOIN patient p ON p.id = d.patient_id"
    " WHERE c.superseded_by IS NULL AND (?1 IS NULL OR c.created_at >= ?1) ORDER BY d.id";

static const char procedure_sql[] =
    "SELECT x.id, x.seq, x.system, x.code, x.display, x.performed_at, x.source_ref,"
    " e.source_ref AS enc_ref, e.account AS enc_account, p.source_ref AS patient_ref,"
    " p.mrn AS patient_mrn, s.system AS surgeon_system, s.ident AS surgeon_ident,"
    " s.name AS surgeon_name FROM procedure x JOIN coding c ON c.id = x.coding_id"
    " JOIN encounter e ON e.id = x.encounter_id JOIN patient p ON p.id = x.patient_id"
    " LEFT JOIN provider s ON s.id = x.surgeon_id"
    " WHERE c.superseded_by IS NULL AND (?1 IS NULL OR c.created_at >= ?1) ORDER BY x.id";

static const char document_sql[] =
    "SELECT d.id, d.doc_ref, d.type, d.type_system, d.title, d.status, d.written_at,"
    " d.content_type, d.text, d.url, e.source_ref AS enc_ref, e.account AS enc_account,"
    " p.source_ref AS patient_ref, p.mrn AS patient_mrn, a.system AS author_system,"
    " a.ident AS author_ident, a.name AS author_name FROM document d"
    " JOIN patient p ON p.id = d.patient_id LEFT JOIN encounter e ON e.id = d.encounter_id"
    " LEFT JOIN provider a ON a.id = d.author_id"
    " WHERE d.superseded_by IS NULL AND (?1 IS NULL OR d.created_at >= ?1) ORDER BY d.id";

static const char *const kind_sql[CHART_X_N] = {
    provider_sql, patient_sql, encounter_sql, diagnosis_sql, procedure_sql, document_sql,
};

/* The current row as an object; SQL NULLs are left out. */
static json_t *row_json(mrt_stmt *st, mrt_err *err)
{
	json_t *o = json_object();
	int n = mrt_stmt_columns(st);
	for (int i = 0; o && i < n; i++) {
		if (mrt_stmt_is_null(st, i))
			continue;
		json_t *v = mrt_stmt_is_int(st, i) ? json_integer(mrt_stmt_int(st, i))
						   : json_string(mrt_stmt_text(st, i));
		if (!v || json_object_set_new(o, mrt_stmt_column_name(st, i), v) != 0) {
			json_decref(o);
			o = NULL;
		}
	}
	if (!o)
		mrt_err_set(err, MRT_ENOMEM, "export: out of memory (or a value is not UTF-8)");
	return o;
}

static int each_row(mrt_db *db, const char *sql, const char *text, int64_t id, chart_export_fn fn,
		    void *ctx, mrt_err *err)
{
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	if (text)
		mrt_stmt_bind_text(st, 1, text);
	if (id)
		mrt_stmt_bind_int(st, text ? 2 : 1, id);
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		json_t *row = row_json(st, err);
		rc = row ? fn(ctx, row, err) : err->code;
		json_decref(row);
		if (rc)
			break;
	}
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int chart_export_rows(mrt_db *db, enum chart_export_kind kind, const char *since,
		      chart_export_fn fn, void *ctx, mrt_err *err)
{
	if ((int)kind < 0 || kind >= CHART_X_N)
		return mrt_err_set(err, MRT_EINVAL, "export: unknown row kind");
	mrt_stmt *st = mrt_db_stmt(db, kind_sql[kind], err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, since);
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		json_t *row = row_json(st, err);
		rc = row ? fn(ctx, row, err) : err->code;
		json_decref(row);
		if (rc)
			break;
	}
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int push_row(void *ctx, json_t *row, mrt_err *err)
{
	if (json_array_append(ctx, row) != 0)
		return mrt_err_set(err, MRT_ENOMEM, "export: out of memory");
	return 0;
}

static int collect(mrt_db *db, const char *sql, const char *text, int64_t id, json_t **out,
		   mrt_err *err)
{
	*out = json_array();
	if (!*out)
		return mrt_err_set(err, MRT_ENOMEM, "export: out of memory");
	int rc = each_row(db, sql, text, id, push_row, *out, err);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int chart_export_idents(mrt_db *db, int64_t patient_id, json_t **out, mrt_err *err)
{
	static const char sql[] = "SELECT system, type, value FROM patient_identifier"
				  " WHERE patient_id = ?1 AND active = 1 ORDER BY id";
	return collect(db, sql, NULL, patient_id, out, err);
}

int chart_export_names(mrt_db *db, int64_t patient_id, json_t **out, mrt_err *err)
{
	static const char sql[] = "SELECT use, family, given, middle, prefix, suffix"
				  " FROM patient_name WHERE patient_id = ?1 ORDER BY id";
	return collect(db, sql, NULL, patient_id, out, err);
}

int chart_export_coding_items(mrt_db *db, int64_t encounter_id, json_t **dx, json_t **px,
			      mrt_err *err)
{
	static const char dx_sql[] =
	    "SELECT d.system, d.code, d.display, d.poa, d.kind, d.onset, d.source_ref, d.seq"
	    " FROM diagnosis d JOIN coding c ON c.id = d.coding_id"
	    " WHERE d.encounter_id = ?1 AND c.superseded_by IS NULL ORDER BY d.seq";
	static const char px_sql[] =
	    "SELECT x.system, x.code, x.display, x.performed_at, x.source_ref, x.surgeon_id"
	    " FROM procedure x JOIN coding c ON c.id = x.coding_id"
	    " WHERE x.encounter_id = ?1 AND c.superseded_by IS NULL ORDER BY x.seq";
	*px = NULL;
	int rc = collect(db, dx_sql, NULL, encounter_id, dx, err);
	if (rc == 0)
		rc = collect(db, px_sql, NULL, encounter_id, px, err);
	if (rc) {
		json_decref(*dx);
		*dx = NULL;
	}
	return rc;
}

int chart_export_labels(mrt_db *db, const char *object_type, int64_t object_id, json_t **out,
			mrt_err *err)
{
	static const char sql[] = "SELECT system, code, display FROM label WHERE object_type = ?1"
				  " AND object_id = ?2 AND ended_at IS NULL ORDER BY id";
	return collect(db, sql, object_type, object_id, out, err);
}

static int exists(mrt_db *db, const char *sql, int64_t id, const char *text, int *out, mrt_err *err)
{
	*out = 0;
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	int k = 1;
	if (id)
		mrt_stmt_bind_int(st, k++, id);
	mrt_stmt_bind_text(st, k, text);
	int rc = mrt_stmt_step(st, err);
	mrt_stmt_reset(st);
	if (rc < 0)
		return rc;
	*out = rc == 1;
	return 0;
}

int chart_export_item_exists(mrt_db *db, int64_t encounter_id, int is_px, const char *source_ref,
			     int *out, mrt_err *err)
{
	static const char dx_sql[] =
	    "SELECT 1 FROM diagnosis d JOIN coding c ON c.id = d.coding_id WHERE d.encounter_id = ?"
	    " AND c.superseded_by IS NULL AND d.source_ref = ? LIMIT 1";
	static const char px_sql[] =
	    "SELECT 1 FROM procedure d JOIN coding c ON c.id = d.coding_id WHERE d.encounter_id = ?"
	    " AND c.superseded_by IS NULL AND d.source_ref = ? LIMIT 1";
	return exists(db, is_px ? px_sql : dx_sql, encounter_id, source_ref, out, err);
}

int chart_export_doc_exists(mrt_db *db, const char *doc_ref, int *out, mrt_err *err)
{
	static const char sql[] = "SELECT 1 FROM document WHERE doc_ref = ? LIMIT 1";
	return exists(db, sql, 0, doc_ref, out, err);
}
