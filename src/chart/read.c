/*
 * Reading the chart as JSON for the faces: a patient with their names,
 * identifiers, labels, links and encounters; an encounter with everything
 * recorded about it; patient search by name; rejects. Rows become objects
 * keyed by column name (NULL columns left out).
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "chart/chart_int.h"

static json_t *row_object(mrt_stmt *st, int first)
{
	json_t *o = json_object();
	int n = mrt_stmt_columns(st);
	for (int i = first; i < n; i++) {
		if (mrt_stmt_is_null(st, i))
			continue;
		const char *name = mrt_stmt_column_name(st, i);
		if (mrt_stmt_is_int(st, i))
			json_object_set_new(o, name, json_integer(mrt_stmt_int(st, i)));
		else
			json_object_set_new(o, name, json_string(mrt_stmt_text(st, i)));
	}
	return o;
}

/* Appends every row of sql (one bound id) to a new array set as key in o. */
static int rows_into(mrt_db *db, json_t *o, const char *key, const char *sql, int64_t id,
                     mrt_err *err)
{
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, id);
	json_t *a = json_array();
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1)
		json_array_append_new(a, row_object(st, 0));
	mrt_stmt_reset(st);
	json_object_set_new(o, key, a);
	return rc < 0 ? rc : 0;
}

/* The first row of sql as an object; NULL (and MRT_ENOTFOUND) when none. */
static int row_one(mrt_db *db, const char *sql, int64_t id, json_t **out, mrt_err *err)
{
	*out = NULL;
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, id);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1)
		*out = row_object(st, 0);
	mrt_stmt_reset(st);
	if (rc == 0)
		return mrt_err_set(err, MRT_ENOTFOUND, "not found");
	return rc < 0 ? rc : 0;
}

static const char patient_sql[] =
	"SELECT mrn, mrn_system, status, family, given, middle, prefix, suffix, birth_date, sex,"
	" address_line, city, state, postal_code, country, phone_home, phone_work, phone_mobile,"
	" marital_status, race, ethnicity, language, CASE deceased WHEN 1 THEN 'true' END AS deceased,"
	" death_at, source, version, created_at, updated_at FROM patient WHERE id = ?";
static const char names_sql[] =
	"SELECT use, family, given, nullif(middle,'') AS middle, prefix, suffix, source, created_at"
	" FROM patient_name WHERE patient_id = ? ORDER BY id";
static const char idents_sql[] =
	"SELECT nullif(system,'') AS system, nullif(type,'') AS type, value,"
	" CASE active WHEN 0 THEN 'false' END AS active, source FROM patient_identifier"
	" WHERE patient_id = ? ORDER BY id";
static const char labels_sql[] =
	"SELECT object_type, object_id, nullif(system,'') AS system, code, display, source, created_at"
	" FROM label WHERE patient_id = ? AND ended_at IS NULL ORDER BY id";
static const char links_sql[] =
	"SELECT l.kind, l.status, o.mrn AS other_mrn, l.other_identifier, l.at, l.source"
	" FROM patient_link l LEFT JOIN patient o ON o.id = l.other_patient_id"
	" WHERE l.patient_id = ?1 OR l.other_patient_id = ?1 ORDER BY l.id";
static const char encs_sql[] =
	"SELECT account, class, status, admit_at, discharge_at, discharge_status, service,"
	" coding_status FROM encounter WHERE patient_id = ? ORDER BY admit_at, id";

static void fix_bool(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (v && json_is_string(v))
		json_object_set_new(o, key, json_boolean(strcmp(json_string_value(v), "true") == 0));
}

int chart_patient_json(mrt_db *db, int64_t patient_id, json_t **out, mrt_err *err)
{
	json_t *p = NULL;
	int rc = row_one(db, patient_sql, patient_id, &p, err);
	if (rc == MRT_ENOTFOUND)
		return mrt_err_set(err, rc, "no patient %" PRId64, patient_id);
	if (rc)
		return rc;
	fix_bool(p, "deceased");
	if ((rc = rows_into(db, p, "names", names_sql, patient_id, err)) == 0 &&
	    (rc = rows_into(db, p, "identifiers", idents_sql, patient_id, err)) == 0 &&
	    (rc = rows_into(db, p, "labels", labels_sql, patient_id, err)) == 0 &&
	    (rc = rows_into(db, p, "links", links_sql, patient_id, err)) == 0)
		rc = rows_into(db, p, "encounters", encs_sql, patient_id, err);
	if (rc) {
		json_decref(p);
		return rc;
	}
	json_t *ids = json_object_get(p, "identifiers");
	size_t i;
	json_t *v;
	json_array_foreach(ids, i, v)
		fix_bool(v, "active");
	*out = p;
	return 0;
}

static const char enc_sql[] =
	"SELECT e.account, e.visit_number, e.class, e.status, e.admit_at, e.discharge_at,"
	" e.admit_type, e.admit_source, e.discharge_status, e.discharge_location,"
	" a.ident AS attending_id, a.name AS attending, m.ident AS admitting_id, m.name AS admitting,"
	" e.service, e.payer, e.unit, e.room, e.bed, e.facility, e.reason, e.coding_status,"
	" u.name AS coding_status_by, e.coding_status_at, e.source, e.version, e.created_at,"
	" e.updated_at, e.patient_id AS patient_id_"
	" FROM encounter e LEFT JOIN provider a ON a.id = e.attending_id"
	" LEFT JOIN provider m ON m.id = e.admitting_id LEFT JOIN app_user u ON u.id = e.coding_status_by"
	" WHERE e.id = ?";
static const char enc_patient_sql[] =
	"SELECT mrn, family, given, birth_date, sex, status FROM patient WHERE id = ?";
static const char coding_sql[] =
	"SELECT c.id AS id_, c.version, c.source, c.created_at, u.name AS created_by,"
	" r1.version AS cm_release, r2.version AS pcs_release FROM coding c"
	" LEFT JOIN app_user u ON u.id = c.created_by LEFT JOIN code_release r1 ON r1.id = c.cm_release_id"
	" LEFT JOIN code_release r2 ON r2.id = c.pcs_release_id"
	" WHERE c.encounter_id = ? AND c.superseded_by IS NULL";
static const char dx_sql[] =
	"SELECT seq, system, code, display, poa, kind, onset, source_ref FROM diagnosis"
	" WHERE coding_id = ? ORDER BY seq";
static const char px_sql[] =
	"SELECT p.seq, p.system, p.code, p.display, p.performed_at, s.ident AS surgeon_id,"
	" s.name AS surgeon, p.source_ref FROM procedure p LEFT JOIN provider s ON s.id = p.surgeon_id"
	" WHERE p.coding_id = ? ORDER BY p.seq";
static const char findings_sql[] =
	"SELECT item, seq, system, nullif(code,'') AS code, problem, message FROM coding_finding"
	" WHERE coding_id = ? ORDER BY item, seq, id";
static const char history_sql[] =
	"SELECT c.version, c.source, c.created_at, u.name AS created_by,"
	" (SELECT count(*) FROM diagnosis d WHERE d.coding_id = c.id) AS diagnoses,"
	" (SELECT count(*) FROM procedure p WHERE p.coding_id = c.id) AS procedures,"
	" CASE WHEN c.superseded_by IS NULL THEN 'current' ELSE 'superseded' END AS state"
	" FROM coding c LEFT JOIN app_user u ON u.id = c.created_by WHERE c.encounter_id = ?"
	" ORDER BY c.version";
static const char transfers_sql[] =
	"SELECT event, unit, room, bed, in_at, out_at, source_ref FROM transfer"
	" WHERE encounter_id = ? ORDER BY in_at, id";
static const char services_sql[] =
	"SELECT at, prev_service, service FROM encounter_service WHERE encounter_id = ? ORDER BY at, id";
static const char drgs_sql[] =
	"SELECT drg_type, drg_code, description, severity, mortality FROM encounter_drg"
	" WHERE encounter_id = ? ORDER BY drg_type, drg_code";
static const char docs_sql[] =
	"SELECT d.doc_ref, d.version, d.type, d.type_system, d.title, d.status, d.written_at,"
	" d.signed_at, a.ident AS author_id, a.name AS author, d.content_type, d.text, d.url, d.source"
	" FROM document d LEFT JOIN provider a ON a.id = d.author_id"
	" WHERE d.encounter_id = ? AND d.superseded_by IS NULL ORDER BY d.written_at, d.id";
static const char enc_labels_sql[] =
	"SELECT nullif(system,'') AS system, code, display, source, created_at FROM label"
	" WHERE object_type = 'encounter' AND object_id = ? AND ended_at IS NULL ORDER BY id";

static int add_coding(mrt_db *db, json_t *e, int64_t enc, mrt_err *err)
{
	json_t *c = NULL;
	int rc = row_one(db, coding_sql, enc, &c, err);
	if (rc == MRT_ENOTFOUND) {
		json_object_set_new(e, "coding", json_null());
		json_object_set_new(e, "diagnoses", json_array());
		json_object_set_new(e, "procedures", json_array());
		json_object_set_new(e, "findings", json_array());
		return 0;
	}
	if (rc)
		return rc;
	int64_t id = json_integer_value(json_object_get(c, "id_"));
	json_object_del(c, "id_");
	json_object_set_new(e, "coding", c);
	if ((rc = rows_into(db, e, "diagnoses", dx_sql, id, err)) == 0 &&
	    (rc = rows_into(db, e, "procedures", px_sql, id, err)) == 0)
		rc = rows_into(db, e, "findings", findings_sql, id, err);
	return rc;
}

int chart_encounter_json(mrt_db *db, int64_t encounter_id, json_t **out, mrt_err *err)
{
	json_t *e = NULL, *p = NULL;
	int rc = row_one(db, enc_sql, encounter_id, &e, err);
	if (rc == MRT_ENOTFOUND)
		return mrt_err_set(err, rc, "no encounter %" PRId64, encounter_id);
	if (rc)
		return rc;
	int64_t pid = json_integer_value(json_object_get(e, "patient_id_"));
	json_object_del(e, "patient_id_");
	if ((rc = row_one(db, enc_patient_sql, pid, &p, err)) != 0)
		goto fail;
	json_object_set_new(e, "mrn", json_incref(json_object_get(p, "mrn")));
	json_object_set_new(e, "patient", p);
	if ((rc = add_coding(db, e, encounter_id, err)) == 0 &&
	    (rc = rows_into(db, e, "coding_history", history_sql, encounter_id, err)) == 0 &&
	    (rc = rows_into(db, e, "transfers", transfers_sql, encounter_id, err)) == 0 &&
	    (rc = rows_into(db, e, "services", services_sql, encounter_id, err)) == 0 &&
	    (rc = rows_into(db, e, "drgs", drgs_sql, encounter_id, err)) == 0 &&
	    (rc = rows_into(db, e, "documents", docs_sql, encounter_id, err)) == 0)
		rc = rows_into(db, e, "labels", enc_labels_sql, encounter_id, err);
	if (rc)
		goto fail;
	*out = e;
	return 0;
fail:
	json_decref(e);
	return rc;
}

/* Words of a name query, lower-cased, in a fixed-size table. */
struct words {
	char w[8][64];
	int n;
};

static void split_words(const char *s, struct words *ws)
{
	ws->n = 0;
	while (*s && ws->n < 8) {
		while (*s && (isspace((unsigned char)*s) || *s == ','))
			s++;
		size_t k = 0;
		while (*s && !isspace((unsigned char)*s) && *s != ',') {
			if (k + 1 < sizeof ws->w[0])
				ws->w[ws->n][k++] = (char)tolower((unsigned char)*s);
			s++;
		}
		if (k) {
			ws->w[ws->n][k] = 0;
			ws->n++;
		}
	}
}

static int prefix_ci(const char *s, const char *w)
{
	if (!s)
		return 0;
	for (; *w; s++, w++)
		if (!*s || tolower((unsigned char)*s) != *w)
			return 0;
	return 1;
}

/* 1 when every word starts one of the parts of one of the patient's names. */
static int names_match(mrt_db *db, int64_t id, const struct words *ws, mrt_err *err)
{
	static const char sql[] =
		"SELECT family, given, middle FROM patient WHERE id = ?1 UNION ALL"
		" SELECT family, given, middle FROM patient_name WHERE patient_id = ?1";
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, id);
	int rc, ok = 0;
	while (!ok && (rc = mrt_stmt_step(st, err)) == 1) {
		int all = 1;
		for (int i = 0; all && i < ws->n; i++) {
			int hit = 0;
			for (int c = 0; !hit && c < 3; c++)
				hit = prefix_ci(mrt_stmt_text(st, c), ws->w[i]);
			all = hit;
		}
		ok = all;
	}
	mrt_stmt_reset(st);
	if (!ok && rc < 0)
		return rc;
	return ok;
}

int chart_patient_find(mrt_db *db, const char *name, const char *birth_date, size_t limit,
                       json_t **out, mrt_err *err)
{
	static const char sql[] =
		"SELECT id, mrn, family, given, middle, birth_date, sex, status,"
		" CASE deceased WHEN 1 THEN 'true' END AS deceased,"
		" (SELECT count(*) FROM encounter e WHERE e.patient_id = patient.id) AS encounters"
		" FROM patient WHERE (?2 IS NULL OR birth_date = ?2) AND id IN ("
		"  SELECT id FROM patient WHERE family LIKE ?1 || '%' OR given LIKE ?1 || '%'"
		"   OR middle LIKE ?1 || '%'"
		"  UNION SELECT patient_id FROM patient_name WHERE family LIKE ?1 || '%'"
		"   OR given LIKE ?1 || '%' OR middle LIKE ?1 || '%')"
		" ORDER BY family, given, birth_date, mrn";
	struct words ws;
	split_words(name ? name : "", &ws);
	*out = NULL;
	if (ws.n == 0)
		return mrt_err_set(err, MRT_EINVAL, "patient find: give a name to search for");
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, ws.w[0]);
	chart_bind(st, 2, birth_date);
	/* Collect candidate ids first: names_match runs its own statement. */
	int64_t *ids = NULL;
	json_t *rows = json_array();
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			int64_t *v = realloc(ids, cap * sizeof *v);
			if (!v) {
				rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
				break;
			}
			ids = v;
		}
		ids[n++] = mrt_stmt_int(st, 0);
		json_array_append_new(rows, row_object(st, 1));
	}
	mrt_stmt_reset(st);
	json_t *res = json_array();
	for (size_t i = 0; rc >= 0 && i < n && json_array_size(res) < limit; i++) {
		rc = names_match(db, ids[i], &ws, err);
		if (rc == 1) {
			json_t *o = json_array_get(rows, i);
			fix_bool(o, "deceased");
			json_array_append(res, o);
		}
	}
	free(ids);
	json_decref(rows);
	if (rc < 0) {
		json_decref(res);
		return rc;
	}
	*out = res;
	return 0;
}

int chart_rejects_json(mrt_db *db, const char *kind, size_t limit, json_t **out, mrt_err *err)
{
	static const char sql[] =
		"SELECT id, kind, source, position, reason, length(content) AS bytes, sha256, first_seen"
		" FROM reject WHERE ?1 IS NULL OR kind = ?1 ORDER BY id LIMIT ?2";
	*out = NULL;
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	chart_bind(st, 1, kind);
	mrt_stmt_bind_int(st, 2, (int64_t)limit);
	json_t *a = json_array();
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1)
		json_array_append_new(a, row_object(st, 0));
	mrt_stmt_reset(st);
	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}
