/*
 * Filling mce_tables: from the database (every mce_release with its list
 * memberships and discharge statuses) or, for tests and tools, from a
 * definitions text in memory (that version plus the previous one rebuilt
 * from its chapter 2, as the loader stores them).
 */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/str.h"
#include "edits/mce_tables.h"

static const char sql_rel[] =
    "SELECT id, version, effective_from, effective_to FROM mce_release ORDER BY effective_from, id";
static const char sql_codes[] = "SELECT list, code FROM mce_list_code WHERE release_id = ?";
static const char sql_status[] =
    "SELECT status, valid_from, valid_to, title FROM mce_status WHERE release_id = ?";

static int load_codes(mrt_db *db, int64_t id, mce_rel *r, mrt_err *err)
{
	mrt_stmt *s = mrt_db_stmt(db, sql_codes, err);
	if (!s)
		return MRT_EDB;
	mrt_stmt_bind_int(s, 1, id);
	int rc;
	while ((rc = mrt_stmt_step(s, err)) == 1) {
		enum mce_list l;
		const char *name = mrt_stmt_text(s, 0), *code = mrt_stmt_text(s, 1);
		if (mce_list_parse(name, &l) != 0 || mce_rel_add_code(r, l, code) != 0) {
			rc = mrt_err_set(err, MRT_EPARSE,
					 "mce_list_code: release %s: list '%s' code '%s' "
					 "cannot be read",
					 mce_rel_version(r), name, code);
			break;
		}
	}
	mrt_stmt_reset(s);
	return rc < 0 ? rc : 0;
}

static int load_status(mrt_db *db, int64_t id, mce_rel *r, mrt_err *err)
{
	mrt_stmt *s = mrt_db_stmt(db, sql_status, err);
	if (!s)
		return MRT_EDB;
	mrt_stmt_bind_int(s, 1, id);
	struct mce_status_row *v = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = mrt_stmt_step(s, err)) == 1) {
		struct mce_status_row *p = mrt_grow(v, &cap, n + 1, sizeof *p, 64);
		if (!p) {
			rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
			break;
		}
		v = p;
		struct mce_status_row *x = &v[n++];
		memset(x, 0, sizeof *x);
		mrt_strlcpy(x->status, mrt_stmt_text(s, 0), sizeof x->status);
		x->has_from =
		    !mrt_stmt_is_null(s, 1) && mrt_date_parse(&x->from, mrt_stmt_text(s, 1)) == 0;
		x->has_to =
		    !mrt_stmt_is_null(s, 2) && mrt_date_parse(&x->to, mrt_stmt_text(s, 2)) == 0;
		mrt_strlcpy(x->title, mrt_stmt_text(s, 3), sizeof x->title);
	}
	mrt_stmt_reset(s);
	if (rc >= 0 && mce_rel_set_statuses(r, v, n) != 0)
		rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
	free(v);
	return rc < 0 ? rc : 0;
}

int mce_tables_load(mrt_db *db, mce_tables **out, mrt_err *err)
{
	*out = NULL;
	mce_tables *t = mce_tables_new();
	if (!t)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	mrt_stmt *s = mrt_db_stmt(db, sql_rel, err);
	if (!s) {
		mce_tables_free(t);
		return MRT_EDB;
	}
	int64_t ids[256];
	char vers[256][32];
	mrt_day from[256], to[256];
	size_t n = 0;
	int rc;
	while ((rc = mrt_stmt_step(s, err)) == 1 && n < 256) {
		ids[n] = mrt_stmt_int(s, 0);
		mrt_strlcpy(vers[n], mrt_stmt_text(s, 1), sizeof vers[n]);
		if (mrt_date_parse(&from[n], mrt_stmt_text(s, 2)) != 0 ||
		    mrt_date_parse(&to[n], mrt_stmt_text(s, 3)) != 0) {
			rc = mrt_err_set(err, MRT_EPARSE, "mce_release %s: bad dates", vers[n]);
			break;
		}
		n++;
	}
	mrt_stmt_reset(s);
	for (size_t i = 0; rc >= 0 && i < n; i++) {
		mce_rel *r = mce_tables_add(t, vers[i], from[i], to[i]);
		if (!r)
			rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
		else if ((rc = load_codes(db, ids[i], r, err)) == 0)
			rc = load_status(db, ids[i], r, err);
	}
	if (rc < 0) {
		mce_tables_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

static int fill(mce_tables *t, const char *version, mrt_day from, mrt_day to,
		const struct mce_member *m, size_t n, const struct mce_data *d)
{
	mce_rel *r = mce_tables_add(t, version, from, to);
	if (!r)
		return MRT_ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (mce_rel_add_code(r, (enum mce_list)m[i].list, m[i].code) != 0)
			return MRT_ENOMEM;
	return mce_rel_set_statuses(r, d->st, d->nst);
}

int mce_tables_from_text(mce_tables **out, const char *name, const void *text, size_t len,
			 mrt_err *err)
{
	*out = NULL;
	mrt_src *src = NULL;
	struct mce_data d;
	struct mce_member *prev = NULL;
	size_t nprev = 0;
	char pver[32];
	mrt_day pfrom = 0, pto = 0;
	int ok = 0;
	memset(&d, 0, sizeof d);
	mce_tables *t = mce_tables_new();
	int rc = t ? mrt_src_open_mem(&src, name, text, len, err)
		   : mrt_err_set(err, MRT_ENOMEM, "out of memory");
	if (rc == 0)
		rc = mce_data_read(&d, src, err);
	if (rc == 0)
		rc =
		    mce_data_previous(&d, &prev, &nprev, pver, sizeof pver, &pfrom, &pto, &ok, err);
	if (rc == 0 && fill(t, d.head.version, d.from, d.to, d.m, d.nm, &d) != 0)
		rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
	if (rc == 0 && ok && fill(t, pver, pfrom, pto, prev, nprev, &d) != 0)
		rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
	free(prev);
	mce_data_free(&d);
	mrt_src_close(src);
	if (rc) {
		mce_tables_free(t);
		return rc;
	}
	*out = t;
	return 0;
}
