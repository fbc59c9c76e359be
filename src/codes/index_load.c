/*
 * Loading the alphabetic indexes (ICD-10-CM index, external cause index,
 * Neoplasm and Drug tables; ICD-10-PCS index) and the ICD-10-PCS
 * definitions into a release. Each term row keeps its parent, its level,
 * folded keys for lookup and the path of titles from its main term (what
 * search matches against).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/str.h"
#include "codes/codetext_int.h"
#include "formats/pcs_index.h"

struct idxload {
	mrt_db *db;
	const struct ct_release *rel;
	const char *kind;
	const char *file;
	int64_t rows;
	int64_t ids[IDX_MAX_LEVEL + 1];
	mrt_buf path[IDX_MAX_LEVEL + 1];
};

static int il_version(void *ctx, const char *version, mrt_err *err)
{
	struct idxload *l = ctx;
	return ct_check_version(l->rel, l->file, version, err);
}

static int il_heading(void *ctx, int col, const char *name, mrt_err *err)
{
	static const char sql[] =
		"INSERT INTO index_heading(release_id, kind, col, name) VALUES (?,?,?,?)";
	struct idxload *l = ctx;
	mrt_stmt *s = mrt_db_stmt(l->db, sql, err);
	if (!s)
		return MRT_EDB;
	mrt_stmt_bind_int(s, 1, l->rel->id);
	mrt_stmt_bind_text(s, 2, l->kind);
	mrt_stmt_bind_int(s, 3, col);
	mrt_stmt_bind_text(s, 4, name);
	int rc = mrt_stmt_run(s, err);
	if (rc < 0)
		return mrt_err_prefix(err, "%s: column %d", l->file, col);
	return 0;
}

static int il_cells(struct idxload *l, int64_t id, const struct idx_term *t, mrt_err *err)
{
	static const char sql[] = "INSERT INTO index_cell(term_id, col, code) VALUES (?,?,?)";
	for (int i = 0; i < t->ncells; i++) {
		mrt_stmt *s = mrt_db_stmt(l->db, sql, err);
		if (!s)
			return MRT_EDB;
		mrt_stmt_bind_int(s, 1, id);
		mrt_stmt_bind_int(s, 2, t->cells[i].col);
		mrt_stmt_bind_text(s, 3, t->cells[i].code);
		int rc = mrt_stmt_run(s, err);
		if (rc < 0)
			return mrt_err_prefix(err, "%s:%lu: <cell col=%d>", l->file, t->line,
					      t->cells[i].col);
		l->rows++;
	}
	return 0;
}

static int il_path(struct idxload *l, const struct idx_term *t, const char *title)
{
	mrt_buf *p = &l->path[t->level];
	mrt_buf_reset(p);
	if (t->level > 0 && mrt_buf_adds(p, mrt_buf_str(&l->path[t->level - 1])) < 0)
		return MRT_ENOMEM;
	if (*title && p->len && mrt_buf_addc(p, ' ') < 0)
		return MRT_ENOMEM;
	return mrt_buf_adds(p, title) < 0 ? MRT_ENOMEM : 0;
}

static int il_insert(struct idxload *l, const struct idx_term *t, const char *title,
		     const char *key, const char *head, mrt_err *err)
{
	static const char sql[] =
		"INSERT INTO index_term(release_id, kind, parent_id, level, title, nemod,"
		" title_key, head_key, code, code_kind, manif, see, see_also, use_term, path)"
		" VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
	mrt_stmt *s = mrt_db_stmt(l->db, sql, err);
	if (!s)
		return MRT_EDB;
	mrt_stmt_bind_int(s, 1, l->rel->id);
	mrt_stmt_bind_text(s, 2, l->kind);
	if (t->level > 0)
		mrt_stmt_bind_int(s, 3, l->ids[t->level - 1]);
	mrt_stmt_bind_int(s, 4, t->level);
	mrt_stmt_bind_text(s, 5, title);
	mrt_stmt_bind_text(s, 6, t->nemod);
	mrt_stmt_bind_text(s, 7, key);
	mrt_stmt_bind_text(s, 8, head);
	mrt_stmt_bind_text(s, 9, t->code);
	mrt_stmt_bind_text(s, 10, t->code_kind);
	mrt_stmt_bind_text(s, 11, t->manif);
	mrt_stmt_bind_text(s, 12, t->see);
	mrt_stmt_bind_text(s, 13, t->see_also);
	mrt_stmt_bind_text(s, 14, t->use);
	mrt_stmt_bind_text(s, 15, mrt_buf_str(&l->path[t->level]));
	int rc = mrt_stmt_run(s, err);
	if (rc < 0)
		return mrt_err_prefix(err, "%s:%lu: <term>", l->file, t->line);
	l->ids[t->level] = mrt_db_last_insert_id(l->db);
	l->rows++;
	return 0;
}

static int il_term(void *ctx, const struct idx_term *t, mrt_err *err)
{
	struct idxload *l = ctx;
	const char *title = t->title ? t->title : "";
	if (t->level == 0 && !*title)
		return mrt_err_set(err, MRT_EPARSE, "%s:%lu: <mainTerm> without a title", l->file,
				   t->line);
	char *key = ct_fold(title);
	const char *comma = strchr(title, ',');
	char *head_src = mrt_strndup(title, comma ? (size_t)(comma - title) : strlen(title));
	char *head = head_src ? ct_fold(head_src) : NULL;
	int rc = 0;
	if (!key || !head || il_path(l, t, title) < 0)
		rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
	if (rc == 0)
		rc = il_insert(l, t, title, key, head, err);
	if (rc == 0)
		rc = il_cells(l, l->ids[t->level], t, err);
	free(key);
	free(head_src);
	free(head);
	return rc;
}

static int load_idx(mrt_db *db, int64_t release_id, const char *kind, const char *system,
		    mrt_src *src, int64_t *rows, mrt_err *err)
{
	*rows = 0;
	struct ct_release rel;
	int rc = ct_release_get(db, release_id, &rel, err);
	if (rc)
		return rc;
	if (strcmp(rel.system, system) != 0)
		return mrt_err_set(err, MRT_EINVAL, "%s: a %s index cannot load into %s %s",
				   mrt_src_name(src), system, rel.system, rel.version);
	struct idxload *l = calloc(1, sizeof *l);
	if (!l)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	l->db = db;
	l->rel = &rel;
	l->kind = kind;
	l->file = mrt_src_name(src);
	for (int i = 0; i <= IDX_MAX_LEVEL; i++)
		mrt_buf_init(&l->path[i], 64 * 1024);
	struct idx_handler h = { l, il_version, il_heading, il_term };
	long terms = 0;
	if (strcmp(kind, "pcs") == 0)
		rc = pcs_index_read(src, &h, &terms, err);
	else
		rc = idx_read(src, "ICD10CM.index", &h, &terms, err);
	*rows = l->rows;
	for (int i = 0; i <= IDX_MAX_LEVEL; i++)
		mrt_buf_free(&l->path[i]);
	free(l);
	return rc;
}

int codetext_load_cm_index(mrt_db *db, int64_t release_id, const char *kind, mrt_src *src,
			   int64_t *rows, mrt_err *err)
{
	static const char *const kinds[] = { "index", "neoplasm", "drug", "eindex", NULL };
	for (int i = 0; kinds[i]; i++)
		if (kind && strcmp(kind, kinds[i]) == 0)
			return load_idx(db, release_id, kinds[i], "icd10cm", src, rows, err);
	*rows = 0;
	return mrt_err_set(err, MRT_EINVAL, "unknown index kind \"%s\"", kind ? kind : "");
}

int codetext_load_pcs_index(mrt_db *db, int64_t release_id, mrt_src *src, int64_t *rows,
			    mrt_err *err)
{
	return load_idx(db, release_id, "pcs", "icd10pcs", src, rows, err);
}

struct defload {
	mrt_db *db;
	const struct ct_release *rel;
	const char *file;
	int64_t rows;
};

static int dl_version(void *ctx, const char *version, mrt_err *err)
{
	struct defload *d = ctx;
	return ct_check_version(d->rel, d->file, version, err);
}

static int dl_def(void *ctx, const struct pcs_def *p, mrt_err *err)
{
	static const char sql[] =
		"INSERT INTO pcs_definition(release_id, section, axis_pos, axis_title, term,"
		" definition, explanation, includes) VALUES (?,?,?,?,?,?,?,?)";
	struct defload *d = ctx;
	mrt_stmt *s = mrt_db_stmt(d->db, sql, err);
	if (!s)
		return MRT_EDB;
	mrt_stmt_bind_int(s, 1, d->rel->id);
	mrt_stmt_bind_text(s, 2, p->section);
	mrt_stmt_bind_int(s, 3, p->axis_pos);
	mrt_stmt_bind_text(s, 4, p->axis_title);
	mrt_stmt_bind_text(s, 5, p->term);
	mrt_stmt_bind_text(s, 6, p->definition);
	mrt_stmt_bind_text(s, 7, p->explanation);
	mrt_stmt_bind_text(s, 8, p->includes);
	d->rows++;
	return mrt_stmt_run(s, err);
}

int codetext_load_pcs_definitions(mrt_db *db, int64_t release_id, mrt_src *src, int64_t *rows,
				  mrt_err *err)
{
	*rows = 0;
	struct ct_release rel;
	int rc = ct_release_get(db, release_id, &rel, err);
	if (rc)
		return rc;
	if (strcmp(rel.system, "icd10pcs") != 0)
		return mrt_err_set(err, MRT_EINVAL, "%s: ICD-10-PCS definitions cannot load into %s",
				   mrt_src_name(src), rel.system);
	struct defload d = { db, &rel, mrt_src_name(src), 0 };
	struct pcs_def_handler h = { &d, dl_version, dl_def };
	long n = 0;
	rc = pcs_definitions_read(src, &h, &n, err);
	*rows = d.rows;
	return rc;
}
