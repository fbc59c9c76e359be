/*
 * Storing a release's codes: from the order file or, for ICD-10-PCS without
 * one, from the tables XML. One prepared insert per row inside the caller's
 * transaction; the parent is the longest shorter code already seen (order
 * files and tables list a header before its codes).
 */
#include <stdio.h>
#include <string.h>

#include "codes/load_int.h"
#include "formats/pcs_tables.h"

static const char sql_ins[] =
	"INSERT INTO code(release_id, code, billable, order_no, short_title, long_title, parent)"
	" VALUES (?,?,?,?,?,?,?)";

struct ins {
	struct load_rel *r;
	mrt_stmt *st; /* the prepared insert, bound afresh for every row */
	cms_codeset *seen;
	int64_t rows;
	const char *file;
};

static int insert(struct ins *in, const char *code, int billable, long order_no, const char *st,
                  const char *lt, mrt_err *err)
{
	char parent[CMS_CODE_MAX + 1] = "";
	size_t n = strlen(code);
	for (size_t k = n - 1; k >= 3 && !parent[0]; k--) {
		char pre[CMS_CODE_MAX + 1];
		memcpy(pre, code, k);
		pre[k] = '\0';
		if (cms_codeset_get(in->seen, pre, NULL))
			memcpy(parent, pre, k + 1);
	}
	if (cms_codeset_add(in->seen, code, 1, NULL) < 0)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	if (!in->st && !(in->st = mrt_db_stmt(in->r->db, sql_ins, err)))
		return MRT_EDB;
	mrt_stmt *s = in->st;
	mrt_stmt_bind_int(s, 1, in->r->id);
	mrt_stmt_bind_text(s, 2, code);
	mrt_stmt_bind_int(s, 3, billable);
	if (order_no > 0)
		mrt_stmt_bind_int(s, 4, order_no);
	else
		mrt_stmt_bind_null(s, 4);
	mrt_stmt_bind_text(s, 5, st);
	mrt_stmt_bind_text(s, 6, lt);
	mrt_stmt_bind_text(s, 7, parent[0] ? parent : NULL);
	int rc = mrt_stmt_run(s, err);
	if (rc)
		return mrt_err_prefix(err, "%s: code %s", in->file, code);
	in->rows++;
	return 0;
}

static int check_system(struct ins *in, const char *code, int billable, unsigned long line,
                        mrt_err *err)
{
	size_t n = strlen(code);
	int pcs = strcmp(in->r->system, "icd10pcs") == 0;
	int ok = pcs ? (billable ? n == 7 : n == 3) : (code[0] >= 'A' && code[0] <= 'Z');
	if (!ok)
		return mrt_err_set(err, MRT_EPARSE, "%s:%lu: %s is not an %s %s", in->file, line, code,
		                   pcs ? "ICD-10-PCS" : "ICD-10-CM",
		                   pcs ? (billable ? "code (7 characters)" : "table (3 characters)") : "code");
	return 0;
}

static int on_order(void *ctx, const struct cms_order_row *row, mrt_err *err)
{
	struct ins *in = ctx;
	int rc = check_system(in, row->code, row->billable, row->lineno, err);
	if (rc)
		return rc;
	return insert(in, row->code, row->billable, row->order_no, row->short_title, row->long_title, err);
}

int load_codes_order(struct load_rel *r, mrt_src *src, int64_t *rows, mrt_err *err)
{
	struct ins in = { .r = r, .seen = cms_codeset_new(), .file = mrt_src_name(src) };
	if (!in.seen)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	int rc = cms_order_read(src, on_order, &in, err);
	cms_codeset_free(in.seen);
	*rows = in.rows;
	return rc;
}

static int on_table_item(void *ctx, const struct pcs_tables_item *it, mrt_err *err)
{
	struct ins *in = ctx;
	return insert(in, it->code, it->valid, 0, it->title, it->title, err);
}

int load_codes_tables(struct load_rel *r, mrt_src *src, int64_t *rows, mrt_err *err)
{
	struct ins in = { .r = r, .seen = cms_codeset_new(), .file = mrt_src_name(src) };
	if (!in.seen)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	struct pcs_tables_cb cb = { on_table_item, &in };
	char version[16];
	int rc = pcs_tables_read(src, &cb, version, err);
	if (rc == 0 && strncmp(version, r->version, 4) != 0)
		rc = mrt_err_set(err, MRT_EPARSE, "%s: <version>%s</version> does not match release %s",
		                 mrt_src_name(src), version, r->version);
	cms_codeset_free(in.seen);
	*rows = in.rows;
	return rc;
}

int load_stored_codes(struct load_rel *r, cms_codeset **out, mrt_err *err)
{
	static const char sql[] = "SELECT code, billable FROM code WHERE release_id = ?";
	*out = cms_codeset_new();
	if (!*out)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	mrt_stmt *s = mrt_db_stmt(r->db, sql, err);
	if (!s)
		return MRT_EDB;
	mrt_stmt_bind_int(s, 1, r->id);
	int rc;
	while ((rc = mrt_stmt_step(s, err)) == 1) {
		const char *c = mrt_stmt_text(s, 0);
		if (c && strlen(c) <= CMS_CODE_MAX &&
		    cms_codeset_add(*out, c, (unsigned long)mrt_stmt_int(s, 1), NULL) < 0) {
			rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
			break;
		}
	}
	mrt_stmt_reset(s);
	if (rc < 0) {
		cms_codeset_free(*out);
		*out = NULL;
		return rc;
	}
	return 0;
}

struct fix {
	struct load_rel *r;
	const cms_codeset *all;
	mrt_err *err;
};

static int fix_one(void *ctx, const char *code, unsigned long v)
{
	static const char sql[] =
		"UPDATE code SET parent = ? WHERE release_id = ? AND code = ? AND parent IS NULL";
	struct fix *f = ctx;
	mrt_err *err = f->err;
	(void)v;
	size_t n = strlen(code);
	for (size_t k = n - 1; k >= 3; k--) {
		char pre[CMS_CODE_MAX + 1];
		memcpy(pre, code, k);
		pre[k] = '\0';
		if (!cms_codeset_get(f->all, pre, NULL))
			continue;
		mrt_stmt *s = mrt_db_stmt(f->r->db, sql, err);
		if (!s)
			return MRT_EDB;
		mrt_stmt_bind_text(s, 1, pre);
		mrt_stmt_bind_int(s, 2, f->r->id);
		mrt_stmt_bind_text(s, 3, code);
		return mrt_stmt_run(s, err);
	}
	return 0;
}

int load_fix_parents(struct load_rel *r, mrt_err *err)
{
	cms_codeset *all = NULL;
	int rc = load_stored_codes(r, &all, err);
	if (rc)
		return rc;
	struct fix f = { r, all, err };
	rc = cms_codeset_each(all, fix_one, &f);
	cms_codeset_free(all);
	return rc;
}
