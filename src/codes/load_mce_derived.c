/*
 * The derived MCE lists of a period for which no CMS definitions text is
 * at hand (FY2025: MCE v42.x): a small TSV in share/mce/ that names its
 * release, dates and base release in "#" header lines
 *   # release: 42.1-derived
 *   # effective: 2024-10-01 2025-09-30
 *   # derived_from: 43.0
 * and then lines "add|remove<TAB>list<TAB>code" that turn the base release's
 * lists into this period's. Stored as a release of its own (with the base's
 * discharge statuses); skipped - and a stored copy dropped - when a release
 * loaded from a real CMS text covers any of its dates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/log.h"
#include "base/str.h"
#include "codes/load.h"
#include "edits/mce_data.h"
#include "formats/source.h"

struct dfile {
	char version[32], base[32], note[512];
	mrt_day from, to;
	struct mce_member *m;
	size_t n, cap;
};

static int header(struct dfile *d, const char *s, const char *name, unsigned long ln, mrt_err *err)
{
	char a[16], b[16];
	if (strncmp(s, "# release: ", 11) == 0)
		mrt_strlcpy(d->version, s + 11, sizeof d->version);
	else if (strncmp(s, "# derived_from: ", 16) == 0)
		mrt_strlcpy(d->base, s + 16, sizeof d->base);
	else if (strncmp(s, "# effective: ", 13) == 0) {
		if (sscanf(s + 13, "%15s %15s", a, b) != 2 || mrt_date_parse(&d->from, a) != 0 ||
		    mrt_date_parse(&d->to, b) != 0 || d->from > d->to)
			return mrt_err_set(err, MRT_EPARSE,
					   "%s:%lu: effective: expected two dates "
					   "YYYY-MM-DD YYYY-MM-DD",
					   name, ln);
	} else if (strncmp(s, "# ", 2) == 0 && !d->note[0])
		mrt_strlcpy(d->note, s + 2, sizeof d->note);
	return 0;
}

static int row(struct dfile *d, char *s, const char *name, unsigned long ln, mrt_err *err)
{
	char *t1 = strchr(s, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
	if (!t2 || strchr(t2 + 1, '\t'))
		return mrt_err_set(err, MRT_EPARSE,
				   "%s:%lu: expected 3 tab-separated fields "
				   "(add|remove, list, code)",
				   name, ln);
	*t1 = *t2 = '\0';
	enum mce_list l;
	int add = strcmp(s, "add") == 0;
	if (!add && strcmp(s, "remove") != 0)
		return mrt_err_set(err, MRT_EPARSE, "%s:%lu: field 1: '%s' is not add or remove",
				   name, ln, s);
	if (mce_list_parse(t1 + 1, &l) != 0)
		return mrt_err_set(err, MRT_EPARSE, "%s:%lu: field 2: unknown MCE list", name, ln);
	size_t cl = strlen(t2 + 1);
	if (cl < 3 || cl > 7)
		return mrt_err_set(err, MRT_EPARSE, "%s:%lu: field 3: not a code", name, ln);
	struct mce_member *m = mrt_grow(d->m, &d->cap, d->n + 1, sizeof *m, 256);
	if (!m)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	d->m = m;
	struct mce_member *x = &d->m[d->n++];
	memset(x, 0, sizeof *x);
	mrt_strlcpy(x->code, t2 + 1, sizeof x->code);
	x->list = (uint8_t)l;
	x->added = (int8_t)add;
	x->lineno = ln;
	return 0;
}

static int read_file(struct dfile *d, const struct codes_file *f, char sha[MRT_SHA256_HEX],
		     mrt_err *err)
{
	mrt_src *src = NULL;
	mrt_buf line = MRT_BUF_INIT(4096);
	int rc = mrt_src_open(&src, f->spec, err), crlf;
	while (rc == 0 && (rc = mrt_src_getline(src, &line, &crlf, err)) == 1) {
		char *s = line.ptr ? line.ptr : (char *)"";
		unsigned long ln = mrt_src_lineno(src);
		rc = !*s	 ? 0
		     : *s == '#' ? header(d, s, f->name, ln, err)
				 : row(d, s, f->name, ln, err);
	}
	if (rc == 0)
		mrt_src_sha256_hex(src, sha);
	if (rc == 0 && (!d->version[0] || !d->base[0] || !d->from))
		rc = mrt_err_set(err, MRT_EPARSE,
				 "%s: the header must name the release, effective "
				 "dates and derived_from",
				 f->name);
	mrt_buf_free(&line);
	mrt_src_close(src);
	return rc;
}

static int64_t one_int(mrt_db *db, const char *sql, const char *a, const char *b, const char *c,
		       mrt_err *err)
{
	const char *v[3] = {a, b, c};
	mrt_stmt *s = mrt_db_stmt_texts(db, sql, v, 3, err);
	if (!s)
		return MRT_EDB;
	int rc = mrt_stmt_step(s, err);
	int64_t x = rc == 1 ? mrt_stmt_int(s, 0) : rc < 0 ? rc : 0;
	mrt_stmt_reset(s);
	return x;
}

static int exec3(mrt_db *db, const char *sql, const char *a, const char *b, const char *c,
		 mrt_err *err)
{
	const char *v[3] = {a, b, c};
	mrt_stmt *s = mrt_db_stmt_texts(db, sql, v, 3, err);
	return s ? mrt_stmt_run(s, err) : MRT_EDB;
}

static const char sql_real[] =
    "SELECT count(*) FROM mce_release WHERE derived_from IS NULL AND effective_from <= ?2"
    " AND effective_to >= ?1";
static const char sql_drop_codes[] =
    "DELETE FROM mce_list_code WHERE release_id IN (SELECT id FROM mce_release WHERE version = ?)";
static const char sql_drop_st[] =
    "DELETE FROM mce_status WHERE release_id IN (SELECT id FROM mce_release WHERE version = ?)";
static const char sql_drop_rel[] = "DELETE FROM mce_release WHERE version = ?";
static const char sql_same[] = "SELECT count(*) FROM mce_release WHERE version = ? AND sha256 = ?";
static const char sql_rel[] =
    "INSERT INTO mce_release(version, effective_from, effective_to, title, source_name, sha256,"
    " derived_from, loaded_at, loaded_by, note) SELECT ?1, ?2, ?3, ?4, ?5, ?6, version, ?7, ?8, ?9"
    " FROM mce_release WHERE version = ?10";
static const char sql_copy[] =
    "INSERT INTO mce_list_code(release_id, list, code) SELECT ?1, list, code FROM mce_list_code"
    " WHERE release_id = (SELECT id FROM mce_release WHERE version = ?2)";
static const char sql_copy_st[] =
    "INSERT INTO mce_status(release_id, status, valid_from, valid_to, title) SELECT ?1, status,"
    " valid_from, valid_to, title FROM mce_status"
    " WHERE release_id = (SELECT id FROM mce_release WHERE version = ?2)";
static const char sql_add[] =
    "INSERT OR IGNORE INTO mce_list_code(release_id, list, code) VALUES (?,?,?)";
static const char sql_del[] =
    "DELETE FROM mce_list_code WHERE release_id = ? AND list = ? AND code = ?";

static int drop(mrt_db *db, const char *version, mrt_err *err)
{
	int rc = exec3(db, sql_drop_codes, version, NULL, NULL, err);
	if (rc == 0)
		rc = exec3(db, sql_drop_st, version, NULL, NULL, err);
	return rc ? rc : exec3(db, sql_drop_rel, version, NULL, NULL, err);
}

static int insert(mrt_db *db, const struct dfile *d, const struct codes_file *f, const char *sha,
		  const char *user, mrt_err *err)
{
	char a[MRT_DATE_LEN], b[MRT_DATE_LEN], now[32], title[96];
	mrt_date_format(a, d->from);
	mrt_date_format(b, d->to);
	mrt_now_iso(now);
	snprintf(title, sizeof title, "MCE lists %s (derived from %s)", d->version, d->base);
	const char *v[10] = {d->version, a, b, title, f->name, sha, now, user, d->note, d->base};
	mrt_stmt *s = mrt_db_stmt_texts(db, sql_rel, v, 10, err);
	if (!s)
		return MRT_EDB;
	int rc = mrt_stmt_run(s, err);
	if (rc)
		return rc;
	int64_t id = mrt_db_last_insert_id(db);
	const char *copies[2] = {sql_copy, sql_copy_st};
	for (int i = 0; i < 2 && rc == 0; i++) {
		if (!(s = mrt_db_stmt(db, copies[i], err)))
			return MRT_EDB;
		mrt_stmt_bind_int(s, 1, id);
		mrt_stmt_bind_text(s, 2, d->base);
		rc = mrt_stmt_run(s, err);
	}
	for (size_t i = 0; i < d->n && rc == 0; i++) {
		if (!(s = mrt_db_stmt(db, d->m[i].added ? sql_add : sql_del, err)))
			return MRT_EDB;
		mrt_stmt_bind_int(s, 1, id);
		mrt_stmt_bind_text(s, 2, mce_list_name((enum mce_list)d->m[i].list));
		mrt_stmt_bind_text(s, 3, d->m[i].code);
		rc = mrt_stmt_run(s, err);
	}
	return rc;
}

int mce_derived_load(mrt_db *db, const struct codes_file *f, const struct codes_load_opts *o,
		     json_t *rep, mrt_err *err)
{
	struct dfile d;
	char sha[MRT_SHA256_HEX], a[MRT_DATE_LEN], b[MRT_DATE_LEN];
	memset(&d, 0, sizeof d);
	int rc = read_file(&d, f, sha, err);
	const char *action = "loaded";
	if (rc)
		goto done;
	mrt_date_format(a, d.from);
	mrt_date_format(b, d.to);
	int64_t real = one_int(db, sql_real, a, b, NULL, err);
	int64_t same = one_int(db, sql_same, d.version, sha, NULL, err);
	int64_t base = one_int(db, "SELECT count(*) FROM mce_release WHERE version = ?", d.base,
			       NULL, NULL, err);
	int64_t had = one_int(db, "SELECT count(*) FROM mce_release WHERE version = ?", d.version,
			      NULL, NULL, err);
	if (real < 0 || same < 0 || base < 0 || had < 0) {
		rc = MRT_EDB;
		goto done;
	}
	if (real > 0) {
		action = "superseded"; /* a real CMS text covers these dates */
		rc = drop(db, d.version, err);
	} else if (same > 0) {
		action = "unchanged";
	} else if (!base) {
		/* Nothing to derive from (a data folder without the definitions
		 * text): reported, not an error, so `codes load --all` still
		 * loads the code sets. */
		action = "skipped";
		mrt_warn("%s: not loaded: its base release MCE %s is not loaded (load the "
			 "definitions text it derives from with or before it)",
			 f->name, d.base);
	} else {
		if (had && !o->replace) {
			rc =
			    mrt_err_set(err, MRT_EEXIST,
					"MCE %s is already loaded and %s differs from the "
					"file loaded before (SHA-256); use --replace to replace it",
					d.version, f->name);
			goto done;
		}
		action = had ? "replaced" : "loaded";
		if ((had && (rc = drop(db, d.version, err)) != 0) ||
		    (rc = insert(db, &d, f, sha, o->user, err)) != 0)
			goto done;
	}
	if (rc == 0) {
		int64_t codes = one_int(db,
					"SELECT count(*) FROM mce_list_code WHERE release_id ="
					" (SELECT id FROM mce_release WHERE version = ?)",
					d.version, NULL, NULL, err);
		json_t *files = json_pack(
		    "[{s:s, s:s, s:s, s:I, s:s}]", "kind", codes_kind_name(f->kind), "name",
		    f->name, "sha256", sha, "rows", (json_int_t)d.n, "status",
		    strcmp(action, "loaded") == 0 || strcmp(action, "replaced") == 0 ? "loaded"
										     : action);
		json_array_append_new(
		    rep,
		    json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:o}", "system", "mce",
			      "version", d.version, "action", action, "effective_from", a,
			      "effective_to", b, "codes", (json_int_t)(codes > 0 ? codes : 0),
			      "billable", (json_int_t)0, "derived_from", d.base, "files", files));
	}
done:
	free(d.m);
	return rc;
}
