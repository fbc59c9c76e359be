/*
 * Loading MCE releases (see load.h): each Definitions of Medicare Code
 * Edits text becomes the release of its version (dates from its title to
 * the end of that fiscal year) and, when it is not a fiscal year's first
 * version, the previous version rebuilt from its chapter 2 (derived_from =
 * this version). A release loaded from its own text is never overwritten by
 * a rebuilt one; a rebuilt one gives way to a real text. Then the derived
 * FY2025 lists (share/mce/mce-fy2025-differences.tsv), unless a real release
 * covers FY2025. Idempotent by SHA-256; --replace as for code sets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/str.h"
#include "codes/load.h"
#include "edits/mce_data.h"

struct mrel { /* a stored mce_release */
	int64_t id;
	char sha[MRT_SHA256_HEX];
	char derived_from[32];
	int64_t codes;
};

static int find_rel(mrt_db *db, const char *version, struct mrel *r, mrt_err *err)
{
	static const char sql[] =
	    "SELECT id, sha256, coalesce(derived_from, ''),"
	    " (SELECT count(*) FROM mce_list_code c WHERE c.release_id = mce_release.id)"
	    " FROM mce_release WHERE version = ?";
	mrt_stmt *s = mrt_db_stmt(db, sql, err);
	if (!s)
		return MRT_EDB;
	mrt_stmt_bind_text(s, 1, version);
	int rc = mrt_stmt_step(s, err);
	if (rc == 1) {
		r->id = mrt_stmt_int(s, 0);
		mrt_strlcpy(r->sha, mrt_stmt_text(s, 1), sizeof r->sha);
		mrt_strlcpy(r->derived_from, mrt_stmt_text(s, 2), sizeof r->derived_from);
		r->codes = mrt_stmt_int(s, 3);
	}
	mrt_stmt_reset(s);
	return rc < 0 ? rc : rc == 1 ? 0 : MRT_ENOTFOUND;
}

static int drop_rel(mrt_db *db, int64_t id, mrt_err *err)
{
	static const char *const sql[3] = {"DELETE FROM mce_list_code WHERE release_id = ?",
					   "DELETE FROM mce_status WHERE release_id = ?",
					   "DELETE FROM mce_release WHERE id = ?"};
	for (int i = 0; i < 3; i++) {
		mrt_stmt *s = mrt_db_stmt(db, sql[i], err);
		if (!s)
			return MRT_EDB;
		mrt_stmt_bind_int(s, 1, id);
		int rc = mrt_stmt_run(s, err);
		if (rc)
			return rc;
	}
	return 0;
}

struct newrel {
	const char *version, *title, *source, *sha, *derived_from, *note, *user;
	mrt_day from, to;
	const struct mce_member *m;
	size_t n;
	const struct mce_status_row *st;
	size_t nst;
};

static int insert_rel(mrt_db *db, const struct newrel *nr, mrt_err *err)
{
	static const char sql_rel[] =
	    "INSERT INTO mce_release(version, effective_from, effective_to, title, source_name, "
	    "sha256,"
	    " derived_from, loaded_at, loaded_by, note) VALUES (?,?,?,?,?,?,?,?,?,?)";
	static const char sql_code[] =
	    "INSERT INTO mce_list_code(release_id, list, code) VALUES (?,?,?)";
	static const char sql_st[] = "INSERT INTO mce_status(release_id, status, valid_from, "
				     "valid_to, title) VALUES (?,?,?,?,?)";
	char from[MRT_DATE_LEN], to[MRT_DATE_LEN], now[32];
	mrt_date_format(from, nr->from);
	mrt_date_format(to, nr->to);
	mrt_now_iso(now);
	const char *v[10] = {nr->version,      from, to,       nr->title, nr->source, nr->sha,
			     nr->derived_from, now,  nr->user, nr->note};
	mrt_stmt *s = mrt_db_stmt_texts(db, sql_rel, v, 10, err);
	if (!s)
		return MRT_EDB;
	int rc = mrt_stmt_run(s, err);
	if (rc)
		return rc;
	int64_t id = mrt_db_last_insert_id(db);
	for (size_t i = 0; i < nr->n && rc == 0; i++) {
		if (!(s = mrt_db_stmt(db, sql_code, err)))
			return MRT_EDB;
		mrt_stmt_bind_int(s, 1, id);
		mrt_stmt_bind_text(s, 2, mce_list_name((enum mce_list)nr->m[i].list));
		mrt_stmt_bind_text(s, 3, nr->m[i].code);
		rc = mrt_stmt_run(s, err);
	}
	for (size_t i = 0; i < nr->nst && rc == 0; i++) {
		const struct mce_status_row *r = &nr->st[i];
		char a[MRT_DATE_LEN], b[MRT_DATE_LEN];
		mrt_date_format(a, r->from);
		mrt_date_format(b, r->to);
		if (!(s = mrt_db_stmt(db, sql_st, err)))
			return MRT_EDB;
		mrt_stmt_bind_int(s, 1, id);
		mrt_stmt_bind_text(s, 2, r->status);
		mrt_stmt_bind_text(s, 3, r->has_from ? a : NULL);
		mrt_stmt_bind_text(s, 4, r->has_to ? b : NULL);
		mrt_stmt_bind_text(s, 5, r->title);
		rc = mrt_stmt_run(s, err);
	}
	return rc;
}

static void report(json_t *rep, const char *version, const char *action, const struct newrel *nr,
		   mrt_day from, mrt_day to, int64_t codes, const struct codes_file *f,
		   const char *sha)
{
	char a[MRT_DATE_LEN], b[MRT_DATE_LEN];
	mrt_date_format(a, from);
	mrt_date_format(b, to);
	json_t *files =
	    json_pack("[{s:s, s:s, s:s, s:I, s:s}]", "kind", codes_kind_name(f->kind), "name",
		      f->name, "sha256", sha, "rows", (json_int_t)codes, "status",
		      strcmp(action, "unchanged") == 0 ? "unchanged" : "loaded");
	json_t *o =
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:o}", "system", "mce", "version",
		      version, "action", action, "effective_from", a, "effective_to", b, "codes",
		      (json_int_t)codes, "billable", (json_int_t)0, "files", files);
	if (nr && nr->derived_from)
		json_object_set_new(o, "derived_from", json_string(nr->derived_from));
	json_array_append_new(rep, o);
}

/* Stores one release (real or rebuilt) unless the same is there. */
static int put_rel(mrt_db *db, const struct newrel *nr, const struct codes_file *f, int replace,
		   json_t *rep, mrt_err *err)
{
	struct mrel old;
	int rc = find_rel(db, nr->version, &old, err);
	if (rc && rc != MRT_ENOTFOUND)
		return rc;
	const char *action = "loaded";
	if (rc == 0) {
		int same = strcmp(old.sha, nr->sha) == 0 &&
			   strcmp(old.derived_from, nr->derived_from ? nr->derived_from : "") == 0;
		if (same) {
			report(rep, nr->version, "unchanged", nr, nr->from, nr->to, old.codes, f,
			       nr->sha);
			return 0;
		}
		if (nr->derived_from && !old.derived_from[0])
			return 0; /* a release from its own text wins over a rebuilt one */
		if (!replace && !(old.derived_from[0] && !nr->derived_from))
			return mrt_err_set(
			    err, MRT_EEXIST,
			    "MCE %s is already loaded and %s differs from "
			    "the file loaded before (SHA-256); use --replace to replace it",
			    nr->version, f->name);
		if ((rc = drop_rel(db, old.id, err)) != 0)
			return rc;
		action = "replaced";
	}
	if ((rc = insert_rel(db, nr, err)) != 0)
		return rc;
	report(rep, nr->version, action, nr, nr->from, nr->to, (int64_t)nr->n, f, nr->sha);
	return 0;
}

static int load_defs(mrt_db *db, const struct codes_file *f, const struct codes_load_opts *o,
		     json_t *rep, mrt_err *err)
{
	char sha[MRT_SHA256_HEX], pver[32], note[1024];
	struct mce_data d;
	struct mce_member *prev = NULL;
	size_t nprev = 0;
	mrt_day pfrom, pto;
	int ok = 0;
	mrt_src *src = NULL;
	memset(&d, 0, sizeof d);
	int rc = mrt_src_checksum(f->spec, sha, err);
	if (rc == 0)
		rc = mrt_src_open(&src, f->spec, err);
	if (rc == 0)
		rc = mce_data_read(&d, src, err);
	if (rc == 0)
		rc =
		    mce_data_previous(&d, &prev, &nprev, pver, sizeof pver, &pfrom, &pto, &ok, err);
	struct newrel nr = {.version = d.head.version,
			    .title = d.head.title,
			    .source = f->name,
			    .sha = sha,
			    .user = o->user,
			    .from = d.from,
			    .to = d.to,
			    .m = d.m,
			    .n = d.nm,
			    .st = d.st,
			    .nst = d.nst};
	if (rc == 0)
		rc = put_rel(db, &nr, f, o->replace, rep, err);
	if (rc == 0 && ok) {
		char title[160];
		snprintf(title, sizeof title, "MCE v%s lists rebuilt from chapter 2 of v%s", pver,
			 d.head.version);
		snprintf(note, sizeof note,
			 "rebuilt from chapter 2 (code list changes) of %s: the v%s lists "
			 "with its %zu changes undone; discharge statuses as in v%s",
			 f->name, d.head.version, d.nchg, d.head.version);
		struct newrel pr = {.version = pver,
				    .title = title,
				    .source = f->name,
				    .sha = sha,
				    .derived_from = d.head.version,
				    .note = note,
				    .user = o->user,
				    .from = pfrom,
				    .to = pto,
				    .m = prev,
				    .n = nprev,
				    .st = d.st,
				    .nst = d.nst};
		rc = put_rel(db, &pr, f, o->replace, rep, err);
	}
	free(prev);
	mce_data_free(&d);
	mrt_src_close(src);
	return rc;
}

int mce_load_files(mrt_db *db, const struct codes_file *files, size_t n,
		   const struct codes_load_opts *o, json_t *report_arr, mrt_err *err)
{
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++)
		if (strcmp(files[i].system, "mce") == 0 && files[i].kind == CK_MCE_DEFS)
			rc = load_defs(db, &files[i], o, report_arr, err);
	for (size_t i = 0; i < n && rc == 0; i++)
		if (strcmp(files[i].system, "mce") == 0 && files[i].kind == CK_MCE_DERIVED)
			rc = mce_derived_load(db, &files[i], o, report_arr, err);
	return rc;
}
