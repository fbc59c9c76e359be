/*
 * Loading the CMS POA-exempt lists (see load.h): one release per fiscal
 * year from POAexemptCodesFYnn.txt (tab-separated: order, code, title,
 * one header line; codes dotted, stored undotted), checked against that
 * year's add / delete / revise files when they are given with it: every
 * added or revised code must be on the list, every deleted one must not.
 * Idempotent by the list's SHA-256; --replace as for code sets.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/str.h"
#include "codes/load.h"
#include "formats/cms_order.h"
#include "formats/source.h"

/* The code of field col (0-based) of a tab-separated line, undotted, upper
 * case; 0 or -1 when the field is missing or not a code. */
static int field_code(const char *s, int col, char out[8])
{
	for (int i = 0; i < col && s; i++) {
		s = strchr(s, '\t');
		s = s ? s + 1 : NULL;
	}
	if (!s)
		return -1;
	size_t n = 0;
	for (; *s && *s != '\t'; s++) {
		if (*s == '.')
			continue;
		if (!isalnum((unsigned char)*s) || n >= 7)
			return -1;
		out[n++] = (char)toupper((unsigned char)*s);
	}
	out[n] = '\0';
	return n >= 3 ? 0 : -1;
}

/* Reads one file; each code goes to set (value: line). col: the code's field. */
static int read_list(const struct codes_file *f, int col, cms_codeset *set, char *sha,
		     int64_t *rows, mrt_err *err)
{
	mrt_src *src = NULL;
	mrt_buf line = MRT_BUF_INIT(8192);
	int rc = mrt_src_open(&src, f->spec, err), crlf;
	*rows = 0;
	while (rc == 0 && (rc = mrt_src_getline(src, &line, &crlf, err)) == 1) {
		const char *s = mrt_buf_str(&line);
		unsigned long ln = mrt_src_lineno(src);
		char code[8];
		rc = 0;
		if (ln == 1) {
			if (!strstr(s, "POAexemptCode"))
				rc = mrt_err_set(err, MRT_EPARSE,
						 "%s:1: expected a header naming POAexemptCode",
						 f->name);
			continue;
		}
		if (!*s)
			continue;
		if (field_code(s, col, code) != 0)
			rc = mrt_err_set(err, MRT_EPARSE, "%s:%lu: field %d: not an ICD-10-CM code",
					 f->name, ln, col + 1);
		else if (cms_codeset_put(set, code, ln) != 0)
			rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
		else
			(*rows)++;
	}
	if (rc == 0 && sha)
		mrt_src_sha256_hex(src, sha);
	mrt_buf_free(&line);
	mrt_src_close(src);
	return rc;
}

struct check {
	const cms_codeset *list;
	int want; /* 1: must be on the list */
	const char *name;
	mrt_err *err;
};

static int check_one(void *ctx, const char *code, unsigned long ln)
{
	struct check *c = ctx;
	if (cms_codeset_get(c->list, code, NULL) == c->want)
		return 0;
	return mrt_err_set(c->err, MRT_EPARSE, "%s:%lu: %s is %s the POA-exempt list it goes with",
			   c->name, ln, code, c->want ? "not on" : "still on");
}

static int insert_code(void *ctx, const char *code, unsigned long ln)
{
	(void)ln;
	mrt_stmt *s = ctx;
	mrt_stmt_bind_text(s, 2, code);
	return mrt_stmt_run(s, NULL);
}

static int store(mrt_db *db, int fy, const struct codes_file *f, const char *sha, cms_codeset *set,
		 const char *user, mrt_err *err)
{
	static const char sql_rel[] =
	    "INSERT INTO poa_exempt_release(fiscal_year, effective_from, effective_to, source_name,"
	    " sha256, rows, loaded_at, loaded_by) VALUES (?,?,?,?,?,?,?,?)";
	static const char sql_code[] = "INSERT INTO poa_exempt_code(release_id, code) VALUES (?,?)";
	char a[MRT_DATE_LEN], b[MRT_DATE_LEN], now[32];
	mrt_date_format(a, mrt_date_from_ymd(fy - 1, 10, 1));
	mrt_date_format(b, mrt_date_from_ymd(fy, 9, 30));
	mrt_now_iso(now);
	mrt_stmt *s = mrt_db_stmt(db, sql_rel, err);
	if (!s)
		return MRT_EDB;
	mrt_stmt_bind_int(s, 1, fy);
	mrt_stmt_bind_text(s, 2, a);
	mrt_stmt_bind_text(s, 3, b);
	mrt_stmt_bind_text(s, 4, f->name);
	mrt_stmt_bind_text(s, 5, sha);
	mrt_stmt_bind_int(s, 6, (int64_t)cms_codeset_count(set));
	mrt_stmt_bind_text(s, 7, now);
	mrt_stmt_bind_text(s, 8, user);
	int rc = mrt_stmt_run(s, err);
	if (rc)
		return rc;
	if (!(s = mrt_db_stmt(db, sql_code, err)))
		return MRT_EDB;
	mrt_stmt_bind_int(s, 1, mrt_db_last_insert_id(db));
	rc = cms_codeset_each(set, insert_code, s);
	return rc ? mrt_err_set(err, MRT_EDB, "%s: cannot store the POA-exempt codes", f->name) : 0;
}

/* One fiscal year's files (g[kind], NULL when absent). */
static int load_year(mrt_db *db, const struct codes_file *const *g, const struct codes_load_opts *o,
		     json_t *rep, mrt_err *err)
{
	const struct codes_file *main = g[CK_POA];
	const struct codes_file *any = main		  ? main
				       : g[CK_POA_ADD]	  ? g[CK_POA_ADD]
				       : g[CK_POA_DELETE] ? g[CK_POA_DELETE]
							  : g[CK_POA_REVISE];
	if (!main)
		return mrt_err_set(err, MRT_EINVAL,
				   "%s: load it together with the POA-exempt list of its "
				   "year (POAexemptCodesFY%s.txt)",
				   any->name, any->version + 2);
	int fy = 0;
	if (mrt_parse_int(&fy, main->version) != 0)
		return mrt_err_set(err, MRT_EINVAL, "%s: no fiscal year in the name", main->name);
	char sha[MRT_SHA256_HEX];
	int64_t rows = 0, r2;
	cms_codeset *set = cms_codeset_new(), *other = cms_codeset_new();
	int rc = set && other ? read_list(main, 1, set, sha, &rows, err)
			      : mrt_err_set(err, MRT_ENOMEM, "out of memory");
	static const int cols[4] = {
	    1, 1, 0, 2}; /* list, add: order, code; delete: code; revise: order, action, code */
	for (int k = CK_POA_ADD; k <= CK_POA_REVISE && rc == 0; k++) {
		if (!g[k])
			continue;
		cms_codeset_free(other);
		if (!(other = cms_codeset_new())) {
			rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
			break;
		}
		if ((rc = read_list(g[k], cols[k - CK_POA], other, NULL, &r2, err)) != 0)
			break;
		struct check c = {set, k != CK_POA_DELETE, g[k]->name, err};
		rc = cms_codeset_each(other, check_one, &c);
	}
	const char *action = "loaded";
	if (rc == 0) {
		static const char sql_old[] =
		    "SELECT id, sha256 FROM poa_exempt_release WHERE fiscal_year = ?";
		mrt_stmt *s = mrt_db_stmt(db, sql_old, err);
		int64_t old_id = 0;
		int same = 0;
		if (!s) {
			rc = MRT_EDB;
		} else {
			mrt_stmt_bind_int(s, 1, fy);
			if ((rc = mrt_stmt_step(s, err)) == 1) {
				old_id = mrt_stmt_int(s, 0);
				same = strcmp(mrt_stmt_text(s, 1), sha) == 0;
			}
			mrt_stmt_reset(s);
			rc = rc < 0 ? rc : 0;
		}
		if (rc == 0 && old_id && same) {
			action = "unchanged";
		} else if (rc == 0 && old_id && !o->replace) {
			rc = mrt_err_set(
			    err, MRT_EEXIST,
			    "POA-exempt FY%d is already loaded and %s differs from "
			    "the file loaded before (SHA-256); use --replace to replace it",
			    fy, main->name);
		} else if (rc == 0) {
			if (old_id) {
				action = "replaced";
				char id[24];
				snprintf(id, sizeof id, "%lld", (long long)old_id);
				static const char d1[] =
				    "DELETE FROM poa_exempt_code WHERE release_id = ?";
				static const char d2[] =
				    "DELETE FROM poa_exempt_release WHERE id = ?";
				const char *ds[2] = {d1, d2};
				for (int i = 0; i < 2 && rc == 0; i++) {
					if (!(s = mrt_db_stmt(db, ds[i], err))) {
						rc = MRT_EDB;
						break;
					}
					mrt_stmt_bind_int(s, 1, old_id);
					rc = mrt_stmt_run(s, err);
				}
			}
			if (rc == 0)
				rc = store(db, fy, main, sha, set, o->user, err);
		}
	}
	if (rc == 0) {
		char a[MRT_DATE_LEN], b[MRT_DATE_LEN], ver[16];
		mrt_date_format(a, mrt_date_from_ymd(fy - 1, 10, 1));
		mrt_date_format(b, mrt_date_from_ymd(fy, 9, 30));
		snprintf(ver, sizeof ver, "FY%d", fy);
		json_t *files = json_array();
		for (int k = CK_POA; k <= CK_POA_REVISE; k++)
			if (g[k])
				json_array_append_new(
				    files, json_pack("{s:s, s:s, s:s, s:I}", "kind",
						     codes_kind_name((enum codes_kind)k), "name",
						     g[k]->name, "status",
						     k == CK_POA ? action : "checked", "rows",
						     (json_int_t)(k == CK_POA ? rows : 0)));
		json_array_append_new(rep, json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:o}",
						     "system", "poa", "version", ver, "action",
						     action, "effective_from", a, "effective_to", b,
						     "codes", (json_int_t)rows, "billable",
						     (json_int_t)0, "files", files));
	}
	cms_codeset_free(set);
	cms_codeset_free(other);
	return rc;
}

int poa_load_files(mrt_db *db, const struct codes_file *files, size_t n,
		   const struct codes_load_opts *o, json_t *report, mrt_err *err)
{
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (strcmp(files[i].system, "poa") != 0)
			continue;
		int first = 1;
		for (size_t j = 0; j < i && first; j++)
			first = !(strcmp(files[j].system, "poa") == 0 &&
				  strcmp(files[j].version, files[i].version) == 0);
		if (!first)
			continue;
		const struct codes_file *g[CK__COUNT] = {0};
		for (size_t j = i; j < n; j++)
			if (strcmp(files[j].system, "poa") == 0 &&
			    strcmp(files[j].version, files[i].version) == 0)
				g[files[j].kind] = &files[j];
		rc = load_year(db, g, o, report, err);
	}
	return rc;
}
