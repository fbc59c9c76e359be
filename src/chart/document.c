/*
 * Documents (versioned by their sender's reference: a changed document is
 * a new version that supersedes the old), record labels, links between
 * patient records, and rejects (what could not be read, kept whole).
 */
#include <inttypes.h>
#include <string.h>

#include "base/hash.h"
#include "chart/chart_int.h"

#define DOC_NCOLS 10

static const char *const doc_statuses[] = { "in-progress", "signed", "amended", "cancelled" };

static int doc_insert(mrt_db *db, const struct chart_ctx *c, int64_t patient_id,
                      const struct chart_document *d, const char *const *g, int64_t version,
                      int64_t supersedes, int64_t *id, mrt_err *err)
{
	static const char sql[] =
		"INSERT INTO document (type, type_system, title, status, written_at, signed_at,"
		" content_type, text, url, encounter_id, author_id, patient_id, doc_ref, version,"
		" supersedes, source, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
	static const char sup_sql[] = "UPDATE document SET superseded_by = ? WHERE id = ?";
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	for (int i = 0; i < DOC_NCOLS - 1; i++)
		chart_bind(st, i + 1, g[i]);
	chart_bind_id(st, 10, d->encounter_id);
	chart_bind_id(st, 11, d->author_id);
	mrt_stmt_bind_int(st, 12, patient_id);
	mrt_stmt_bind_text(st, 13, d->doc_ref);
	mrt_stmt_bind_int(st, 14, version);
	chart_bind_id(st, 15, supersedes);
	mrt_stmt_bind_text(st, 16, c->source);
	mrt_stmt_bind_text(st, 17, c->now);
	int rc = mrt_stmt_run(st, err);
	if (rc)
		return rc;
	*id = mrt_db_last_insert_id(db);
	if (!supersedes)
		return 0;
	st = mrt_db_stmt(db, sup_sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, *id);
	mrt_stmt_bind_int(st, 2, supersedes);
	return mrt_stmt_run(st, err);
}

int chart_document_put(mrt_db *db, const struct chart_ctx *c, int64_t patient_id,
                       const struct chart_document *d, int64_t *id, int *changed, mrt_err *err)
{
	static const char sel_sql[] =
		"SELECT id, version, type, type_system, title, status, written_at, signed_at,"
		" content_type, text, url, encounter_id, author_id, patient_id FROM document"
		" WHERE doc_ref = ? AND superseded_by IS NULL";
	*changed = 0;
	*id = 0;
	if (!d->doc_ref || !*d->doc_ref)
		return mrt_err_set(err, MRT_EINVAL, "document: no document reference");
	if (!chart_one_of(d->status, doc_statuses, 4))
		return mrt_err_set(err, MRT_EINVAL, "document: status must be in-progress, signed,"
		                   " amended or cancelled");
	const char *g[DOC_NCOLS - 1] = { d->type, d->type_system, d->title, d->status,
		                         d->written_at, d->signed_at, d->content_type, d->text,
		                         d->url };
	mrt_stmt *st = mrt_db_stmt(db, sel_sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, d->doc_ref);
	int rc = mrt_stmt_step(st, err);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		mrt_stmt_reset(st);
		if (!d->status || !*d->status)
			g[3] = "in-progress";
		rc = doc_insert(db, c, patient_id, d, g, 1, 0, id, err);
		*changed = rc == 0;
		return rc ? mrt_err_prefix(err, "document") : 0;
	}
	int64_t old = mrt_stmt_int(st, 0), version = mrt_stmt_int(st, 1);
	int64_t enc = mrt_stmt_is_null(st, 11) ? 0 : mrt_stmt_int(st, 11);
	int64_t author = mrt_stmt_is_null(st, 12) ? 0 : mrt_stmt_int(st, 12);
	int64_t owner = mrt_stmt_int(st, 13);
	struct chart_row r;
	rc = chart_row_load(&r, st, 2, DOC_NCOLS - 1, err);
	mrt_stmt_reset(st);
	if (rc)
		return rc;
	*id = old;
	if (owner != patient_id) {
		rc = mrt_err_set(err, MRT_EEXIST, "document: the reference belongs to another patient");
		goto done;
	}
	chart_row_merge(&r, g);
	struct chart_document m = *d;
	m.encounter_id = d->encounter_id ? d->encounter_id : enc;
	m.author_id = d->author_id ? d->author_id : author;
	if (!r.changed && m.encounter_id == enc && m.author_id == author)
		goto done;
	rc = doc_insert(db, c, patient_id, &m, r.merged, version + 1, old, id, err);
	*changed = rc == 0;
done:
	chart_row_free(&r);
	return rc ? mrt_err_prefix(err, "document") : 0;
}

int chart_label_put(mrt_db *db, const struct chart_ctx *c, int64_t patient_id,
                    const char *object_type, int64_t object_id, const char *system,
                    const char *code, const char *display, int *changed, mrt_err *err)
{
	static const char sql[] =
		"INSERT OR IGNORE INTO label (patient_id, object_type, object_id, system, code, display,"
		" source, created_at, created_by) VALUES (?,?,?,coalesce(?,''),?,?,?,?,?)";
	*changed = 0;
	if (!code || !*code)
		return mrt_err_set(err, MRT_EINVAL, "label: no code");
	if (!object_type || (strcmp(object_type, "patient") && strcmp(object_type, "encounter") &&
	                     strcmp(object_type, "document")))
		return mrt_err_set(err, MRT_EINVAL, "label: object must be patient, encounter or"
		                   " document");
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, patient_id);
	mrt_stmt_bind_text(st, 2, object_type);
	mrt_stmt_bind_int(st, 3, object_id);
	mrt_stmt_bind_text(st, 4, system);
	mrt_stmt_bind_text(st, 5, code);
	chart_bind(st, 6, display);
	mrt_stmt_bind_text(st, 7, c->source);
	mrt_stmt_bind_text(st, 8, c->now);
	chart_bind_id(st, 9, c->user_id);
	int rc = mrt_stmt_run(st, err);
	if (rc == 0)
		*changed = mrt_db_changes(db) > 0;
	return rc;
}

int chart_link_put(mrt_db *db, const struct chart_ctx *c, const struct chart_link *l, int64_t *id,
                   mrt_err *err)
{
	static const char sql[] =
		"INSERT INTO patient_link (patient_id, other_patient_id, other_identifier, kind, status,"
		" at, by_user, source, source_ref, snapshot, ends) VALUES (?,?,?,?,?,?,?,?,?,?,?)";
	static const char end_sql[] = "UPDATE patient_link SET status = 'ended' WHERE id = ?";
	*id = 0;
	if (!l->patient_id || !l->kind || !l->status)
		return mrt_err_set(err, MRT_EINVAL, "link: no patient, kind or status");
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, l->patient_id);
	chart_bind_id(st, 2, l->other_patient_id);
	chart_bind(st, 3, l->other_identifier);
	mrt_stmt_bind_text(st, 4, l->kind);
	mrt_stmt_bind_text(st, 5, l->status);
	mrt_stmt_bind_text(st, 6, c->now);
	chart_bind_id(st, 7, c->user_id);
	mrt_stmt_bind_text(st, 8, c->source);
	chart_bind(st, 9, l->source_ref);
	chart_bind(st, 10, l->snapshot);
	chart_bind_id(st, 11, l->ends);
	int rc = mrt_stmt_run(st, err);
	if (rc)
		return mrt_err_prefix(err, "link");
	*id = mrt_db_last_insert_id(db);
	if (!l->ends)
		return 0;
	st = mrt_db_stmt(db, end_sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, l->ends);
	return mrt_stmt_run(st, err);
}

int chart_reject_put(mrt_db *db, const struct chart_ctx *c, const char *kind, const char *source,
                     const char *position, const char *reason, const void *content, size_t len,
                     int *changed, mrt_err *err)
{
	static const char sql[] =
		"INSERT OR IGNORE INTO reject (kind, source, position, reason, content, sha256,"
		" first_seen, by_user) VALUES (?,?,?,?,?,?,?,?)";
	*changed = 0;
	unsigned char sum[MRT_SHA256_LEN];
	char hex[MRT_SHA256_HEX];
	mrt_sha256_buf(sum, content, len);
	mrt_hex(hex, sum, sizeof sum);
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, kind);
	mrt_stmt_bind_text(st, 2, source);
	mrt_stmt_bind_text(st, 3, position && *position ? position : "whole file");
	mrt_stmt_bind_text(st, 4, reason);
	mrt_stmt_bind_blob(st, 5, len ? content : "", len);
	mrt_stmt_bind_text(st, 6, hex);
	mrt_stmt_bind_text(st, 7, c->now);
	chart_bind_id(st, 8, c->user_id);
	int rc = mrt_stmt_run(st, err);
	if (rc == 0)
		*changed = mrt_db_changes(db) > 0;
	return rc ? mrt_err_prefix(err, "reject") : 0;
}
