/*
 * Code text: loading the ICD-10-CM tabular notes (and, for a release known
 * only from its tabular XML, its codes), shared release helpers, and
 * dropping a release's text. The readers in src/formats stream the files;
 * this file stores what they pass on, inside the caller's transaction.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "base/str.h"
#include "codes/codetext_int.h"
#include "formats/cm_tabular.h"

int ct_release_get(mrt_db *db, int64_t id, struct ct_release *out, mrt_err *err)
{
	static const char sql[] =
		"SELECT system, version, effective_from FROM code_release WHERE id = ?";
	mrt_stmt *s = mrt_db_stmt(db, sql, err);
	if (!s)
		return MRT_EDB;
	mrt_stmt_bind_int(s, 1, id);
	int rc = mrt_stmt_step(s, err);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return mrt_err_set(err, MRT_ENOTFOUND, "release %lld not found", (long long)id);
	memset(out, 0, sizeof *out);
	out->id = id;
	snprintf(out->system, sizeof out->system, "%s", mrt_stmt_text(s, 0));
	snprintf(out->version, sizeof out->version, "%s", mrt_stmt_text(s, 1));
	snprintf(out->effective_from, sizeof out->effective_from, "%s", mrt_stmt_text(s, 2));
	mrt_stmt_reset(s);
	return 0;
}

int ct_check_version(const struct ct_release *r, const char *file, const char *version,
		     mrt_err *err)
{
	size_t n = strlen(version);
	if (n && (strcmp(r->version, version) == 0 ||
		  (strncmp(r->version, version, n) == 0 && r->version[n] == '-')))
		return 0;
	return mrt_err_set(err, MRT_EVERSION, "%s: <version>%.16s</version> does not belong to %s %s",
			   file, version, r->system, r->version);
}

static const char sql_src_notes[] =
	"SELECT r.id FROM code_release r WHERE r.system = ?1 AND r.effective_from <= ?2"
	" AND EXISTS (SELECT 1 FROM code_note n WHERE n.release_id = r.id)"
	" ORDER BY r.effective_from DESC LIMIT 1";
static const char sql_src_index[] =
	"SELECT r.id FROM code_release r WHERE r.system = ?1 AND r.effective_from <= ?2"
	" AND EXISTS (SELECT 1 FROM index_term t WHERE t.release_id = r.id AND t.kind = ?3)"
	" ORDER BY r.effective_from DESC LIMIT 1";

int ct_source_release(mrt_db *db, const struct ct_release *r, const char *source,
		      struct ct_release *out, int *found, mrt_err *err)
{
	int notes = strcmp(source, "notes") == 0;
	mrt_stmt *s = mrt_db_stmt(db, notes ? sql_src_notes : sql_src_index, err);
	if (!s)
		return MRT_EDB;
	mrt_stmt_bind_text(s, 1, r->system);
	mrt_stmt_bind_text(s, 2, r->effective_from);
	if (!notes)
		mrt_stmt_bind_text(s, 3, source);
	int rc = mrt_stmt_step(s, err);
	if (rc < 0)
		return rc;
	*found = rc == 1;
	int64_t id = rc == 1 ? mrt_stmt_int(s, 0) : 0;
	mrt_stmt_reset(s);
	return *found ? ct_release_get(db, id, out, err) : 0;
}

char *ct_fold(const char *s)
{
	utf8proc_uint8_t *m = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &m,
					  UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
						  UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK);
	if (n < 0)
		return mrt_str_fold(s);
	char *out = (char *)m;
	size_t j = 0;
	int space = 1;
	for (utf8proc_ssize_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)out[i];
		if (isalnum(c) || c >= 0x80) {
			out[j++] = (char)c;
			space = 0;
		} else if (!space) {
			out[j++] = ' ';
			space = 1;
		}
	}
	while (j && out[j - 1] == ' ')
		j--;
	out[j] = '\0';
	return out;
}

void ct_dotted(char *out, size_t cap, const char *system, const char *code)
{
	if (strcmp(system, "icd10cm") == 0 && strlen(code) > 3)
		snprintf(out, cap, "%.3s.%s", code, code + 3);
	else
		snprintf(out, cap, "%s", code);
}

/* --- tabular ---------------------------------------------------------- */

struct tabload {
	mrt_db *db;
	const struct ct_release *rel;
	const char *file;
	int create_codes;
	int64_t rows;
	long order_no;
};

static int tab_version(void *ctx, const char *version, mrt_err *err)
{
	struct tabload *t = ctx;
	return ct_check_version(t->rel, t->file, version, err);
}

static int tab_note(void *ctx, const struct cm_tab_note *n, mrt_err *err)
{
	static const char sql[] = "INSERT INTO code_note(release_id, code, kind, seq, text,"
				  " ref_code, ch) VALUES (?,?,?,?,?,?,?)";
	struct tabload *t = ctx;
	char refs[1][CM_TAB_MAX_CODE];
	int nref = cm_note_refs(n->text, refs, 1);
	mrt_stmt *s = mrt_db_stmt(t->db, sql, err);
	if (!s)
		return MRT_EDB;
	mrt_stmt_bind_int(s, 1, t->rel->id);
	mrt_stmt_bind_text(s, 2, n->owner);
	mrt_stmt_bind_text(s, 3, n->kind);
	mrt_stmt_bind_int(s, 4, n->seq);
	mrt_stmt_bind_text(s, 5, n->text);
	mrt_stmt_bind_text(s, 6, nref ? refs[0] : NULL);
	mrt_stmt_bind_text(s, 7, n->ch);
	t->rows++;
	return mrt_stmt_run(s, err);
}

/* The order file's short titles are at most 60 characters; the XML has
 * none, so the long title is cut at a character boundary. */
static size_t short_len(const char *title)
{
	size_t n = strlen(title);
	if (n <= 60)
		return n;
	n = 60;
	while (n > 0 && ((unsigned char)title[n] & 0xC0) == 0x80)
		n--;
	return n;
}

static int tab_code(void *ctx, const struct cm_tab_code *c, mrt_err *err)
{
	static const char sql[] = "INSERT INTO code(release_id, code, billable, order_no,"
				  " short_title, long_title, parent) VALUES (?,?,?,?,?,?,?)";
	struct tabload *t = ctx;
	if (!t->create_codes)
		return 0;
	mrt_stmt *s = mrt_db_stmt(t->db, sql, err);
	if (!s)
		return MRT_EDB;
	mrt_stmt_bind_int(s, 1, t->rel->id);
	mrt_stmt_bind_text(s, 2, c->code);
	mrt_stmt_bind_int(s, 3, c->billable);
	mrt_stmt_bind_int(s, 4, ++t->order_no);
	mrt_stmt_bind_textn(s, 5, c->title, short_len(c->title));
	mrt_stmt_bind_text(s, 6, c->title);
	mrt_stmt_bind_text(s, 7, c->parent);
	t->rows++;
	int rc = mrt_stmt_run(s, err);
	if (rc < 0 && strstr(err->msg, "UNIQUE"))
		return mrt_err_set(err, MRT_EEXIST, "%s:%lu: <diag>: duplicate code %s", t->file,
				   c->line, c->code);
	return rc;
}

int codetext_load_cm_tabular(mrt_db *db, int64_t release_id, mrt_src *src, int create_codes,
			     int64_t *rows, mrt_err *err)
{
	*rows = 0;
	struct ct_release rel;
	int rc = ct_release_get(db, release_id, &rel, err);
	if (rc)
		return rc;
	if (strcmp(rel.system, "icd10cm") != 0)
		return mrt_err_set(err, MRT_EINVAL, "%s: an ICD-10-CM tabular file cannot load into %s",
				   mrt_src_name(src), rel.system);
	struct tabload t = { db, &rel, mrt_src_name(src), create_codes, 0, 0 };
	struct cm_tab_handler h = { &t, tab_version, tab_note, tab_code };
	struct cm_tab_counts counts;
	rc = cm_tabular_read(src, &h, &counts, err);
	*rows = t.rows;
	return rc;
}

int codetext_drop_release(mrt_db *db, int64_t release_id, mrt_err *err)
{
	static const char *const sqls[] = {
		"DELETE FROM code_note WHERE release_id = ?1",
		"DELETE FROM index_cell WHERE term_id IN (SELECT id FROM index_term"
		" WHERE release_id = ?1)",
		"DELETE FROM index_term WHERE release_id = ?1",
		"DELETE FROM index_heading WHERE release_id = ?1",
		"DELETE FROM pcs_definition WHERE release_id = ?1",
		"DELETE FROM code_fts WHERE rowid BETWEEN (?1 << 32) AND (?1 << 32) + 4294967295",
		NULL,
	};
	for (int i = 0; sqls[i]; i++) {
		mrt_stmt *s = mrt_db_stmt(db, sqls[i], err);
		if (!s)
			return MRT_EDB;
		mrt_stmt_bind_int(s, 1, release_id);
		int rc = mrt_stmt_run(s, err);
		if (rc)
			return rc;
	}
	return 0;
}
