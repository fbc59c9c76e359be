/*
 * Alphabetic index navigation: find the main term, walk down its subterms
 * by the comma-separated path a coder types ("Fracture, femur, neck"),
 * show the entry with its subterms, levels and codes (and for the Neoplasm
 * and Drug tables the codes under their named columns), and follow "see" /
 * "see also" references to the entries they name, guarding against cycles.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/str.h"
#include "codes/codetext_int.h"

#define MAX_SEGS 12
#define MAX_SUBTERMS 5000
#define MAX_FOLLOW 4

static const char sql_main_key[] =
	"SELECT id FROM index_term WHERE release_id = ? AND kind = ? AND level = 0"
	" AND title_key = ? ORDER BY id LIMIT 1";
static const char sql_main_head[] =
	"SELECT id FROM index_term WHERE release_id = ? AND kind = ? AND level = 0"
	" AND head_key = ? ORDER BY id LIMIT 2";
static const char sql_main_prefix[] =
	"SELECT title FROM index_term WHERE release_id = ?1 AND kind = ?2 AND level = 0"
	" AND title_key >= ?3 AND title_key < ?3 || '~' ORDER BY title_key LIMIT 10";
static const char sql_main_near[] =
	"SELECT title FROM index_term WHERE release_id = ?1 AND kind = ?2 AND level = 0"
	" AND title_key >= ?3 ORDER BY title_key LIMIT 5";
static const char sql_child[] =
	"SELECT id FROM index_term WHERE parent_id = ?1 AND (title_key = ?2 OR"
	" (title_key >= ?2 AND title_key < ?2 || '~')) ORDER BY title_key <> ?2, id LIMIT 1";
static const char sql_term[] =
	"SELECT id, level, title, nemod, code, code_kind, manif, see, see_also, use_term"
	" FROM index_term WHERE id = ?";
static const char sql_children[] =
	"SELECT id, level, title, nemod, code, code_kind, manif, see, see_also, use_term"
	" FROM index_term WHERE parent_id = ? ORDER BY id";
static const char sql_cells[] =
	"SELECT c.col, c.code, h.name FROM index_cell c JOIN index_term t ON t.id = c.term_id"
	" LEFT JOIN index_heading h ON h.release_id = t.release_id AND h.kind = t.kind"
	" AND h.col = c.col WHERE c.term_id = ? ORDER BY c.col";

struct nav {
	mrt_db *db;
	struct ct_release src;
	const char *kind;
	int64_t visited[MAX_FOLLOW + 2];
	int nvisited;
	int nsub;
};

static int one_id(mrt_db *db, const char *sql, int64_t rid, const char *kind, const char *key,
		  int64_t *id, int *count, mrt_err *err)
{
	mrt_stmt *s = mrt_db_stmt(db, sql, err);
	if (!s)
		return MRT_EDB;
	mrt_stmt_bind_int(s, 1, rid);
	mrt_stmt_bind_text(s, 2, kind);
	mrt_stmt_bind_text(s, 3, key);
	int rc;
	*count = 0;
	while ((rc = mrt_stmt_step(s, err)) == 1)
		if ((*count)++ == 0)
			*id = mrt_stmt_int(s, 0);
	mrt_stmt_reset(s);
	return rc < 0 ? rc : 0;
}

static void json_set_opt(json_t *o, const char *key, const char *v)
{
	if (v && *v)
		json_object_set_new(o, key, json_string(v));
}

static int add_cells(struct nav *n, int64_t id, json_t *o, mrt_err *err)
{
	mrt_stmt *s = mrt_db_stmt(n->db, sql_cells, err);
	if (!s)
		return MRT_EDB;
	mrt_stmt_bind_int(s, 1, id);
	json_t *cols = NULL;
	int rc;
	while ((rc = mrt_stmt_step(s, err)) == 1) {
		if (!cols)
			cols = json_object();
		char name[32];
		const char *h = mrt_stmt_text(s, 2);
		if (!h)
			snprintf(name, sizeof name, "col%d", (int)mrt_stmt_int(s, 0));
		json_object_set_new(cols, h ? h : name, json_string(mrt_stmt_text(s, 1)));
	}
	mrt_stmt_reset(s);
	if (cols)
		json_object_set_new(o, "columns", cols);
	return rc < 0 ? rc : 0;
}

/* The current row of sql_term / sql_children, as JSON. */
static json_t *row_json(mrt_stmt *s)
{
	json_t *o = json_pack("{s:i, s:s}", "level", (int)mrt_stmt_int(s, 1), "title",
			      mrt_stmt_text(s, 2) ? mrt_stmt_text(s, 2) : "");
	if (!o)
		return NULL;
	json_set_opt(o, "nemod", mrt_stmt_text(s, 3));
	json_set_opt(o, "code", mrt_stmt_text(s, 4));
	if (mrt_stmt_text(s, 5) && strcmp(mrt_stmt_text(s, 5), "code") != 0)
		json_set_opt(o, "code_kind", mrt_stmt_text(s, 5));
	json_set_opt(o, "manif", mrt_stmt_text(s, 6));
	json_set_opt(o, "see", mrt_stmt_text(s, 7));
	json_set_opt(o, "see_also", mrt_stmt_text(s, 8));
	json_set_opt(o, "use", mrt_stmt_text(s, 9));
	return o;
}

/* Appends the subtree under parent to arr in document order. The children
 * are read first (the statement is shared by the recursion). */
static int subterms(struct nav *n, int64_t parent, json_t *arr, mrt_err *err)
{
	mrt_stmt *s = mrt_db_stmt(n->db, sql_children, err);
	if (!s)
		return MRT_EDB;
	mrt_stmt_bind_int(s, 1, parent);
	int64_t *ids = NULL;
	json_t *rows = json_array();
	size_t k = 0, cap = 0;
	int rc;
	while ((rc = mrt_stmt_step(s, err)) == 1 && rows) {
		if (k == cap) {
			cap = cap ? 2 * cap : 64;
			int64_t *more = realloc(ids, cap * sizeof *ids);
			if (!more) {
				rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
				break;
			}
			ids = more;
		}
		ids[k++] = mrt_stmt_int(s, 0);
		json_array_append_new(rows, row_json(s));
	}
	mrt_stmt_reset(s);
	if (!rows)
		rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
	for (size_t i = 0; rc >= 0 && i < k && n->nsub < MAX_SUBTERMS; i++) {
		json_t *row = json_array_get(rows, i);
		n->nsub++;
		rc = add_cells(n, ids[i], row, err);
		json_array_append(arr, row);
		if (rc >= 0)
			rc = subterms(n, ids[i], arr, err);
	}
	json_decref(rows);
	free(ids);
	return rc < 0 ? rc : 0;
}

static int entry_json(struct nav *n, int64_t id, json_t **out, mrt_err *err)
{
	*out = NULL;
	mrt_stmt *s = mrt_db_stmt(n->db, sql_term, err);
	if (!s)
		return MRT_EDB;
	mrt_stmt_bind_int(s, 1, id);
	int rc = mrt_stmt_step(s, err);
	json_t *o = rc == 1 ? row_json(s) : NULL;
	mrt_stmt_reset(s);
	if (rc < 0)
		return rc;
	if (!o)
		return mrt_err_set(err, MRT_ENOTFOUND, "index term %lld not found", (long long)id);
	json_t *subs = json_array();
	n->nsub = 0;
	rc = add_cells(n, id, o, err);
	if (rc == 0)
		rc = subterms(n, id, subs, err);
	json_object_set_new(o, "subterms", subs);
	if (rc == 0 && n->nsub >= MAX_SUBTERMS)
		json_object_set_new(o, "subterms_truncated", json_true());
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

struct segs {
	char *buf;
	char *s[MAX_SEGS];
	int n;
};

static int split_segs(struct segs *g, const char *term, mrt_err *err)
{
	g->buf = strdup(term);
	g->n = 0;
	if (!g->buf)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	for (char *p = g->buf; p && g->n < MAX_SEGS;) {
		char *c = strchr(p, ',');
		if (c)
			*c = '\0';
		while (*p == ' ')
			p++;
		mrt_rtrim(p);
		if (*p)
			g->s[g->n++] = p;
		p = c ? c + 1 : NULL;
	}
	if (g->n == 0)
		return mrt_err_set(err, MRT_EINVAL, "no index term given");
	return 0;
}

/* The folded key of segments [from, to). */
static char *seg_key(const struct segs *g, int from, int to)
{
	mrt_buf b = MRT_BUF_INIT(8192);
	for (int i = from; i < to; i++)
		if (mrt_buf_addf(&b, "%s%s", i > from ? " " : "", g->s[i]) < 0)
			return NULL;
	char *k = ct_fold(mrt_buf_str(&b));
	mrt_buf_free(&b);
	return k;
}

/* The main term for the first segments: the longest run of segments that
 * is a whole main term ("Diabetes, diabetic"), else a main term whose part
 * before the comma is the first segment ("Diabetes" -> "Diabetes,
 * diabetic"). *used = segments consumed. */
static int find_main(struct nav *n, const struct segs *g, int64_t *id, int *used, mrt_err *err)
{
	int count = 0, rc = 0;
	for (int i = g->n; i >= 1 && rc == 0; i--) {
		char *k = seg_key(g, 0, i);
		if (!k)
			return mrt_err_set(err, MRT_ENOMEM, "out of memory");
		rc = one_id(n->db, sql_main_key, n->src.id, n->kind, k, id, &count, err);
		free(k);
		if (rc == 0 && count) {
			*used = i;
			return 0;
		}
	}
	char *k = seg_key(g, 0, 1);
	if (!k)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	rc = one_id(n->db, sql_main_head, n->src.id, n->kind, k, id, &count, err);
	free(k);
	*used = rc == 0 && count ? 1 : 0;
	return rc;
}

static int find_child(struct nav *n, int64_t parent, const char *seg, int64_t *id, int *found,
		      mrt_err *err)
{
	char *k = ct_fold(seg);
	if (!k)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	mrt_stmt *s = mrt_db_stmt(n->db, sql_child, err);
	if (!s) {
		free(k);
		return MRT_EDB;
	}
	mrt_stmt_bind_int(s, 1, parent);
	mrt_stmt_bind_text(s, 2, k);
	int rc = mrt_stmt_step(s, err);
	*found = rc == 1;
	if (rc == 1)
		*id = mrt_stmt_int(s, 0);
	mrt_stmt_reset(s);
	free(k);
	return rc < 0 ? rc : 0;
}

static int suggestions(struct nav *n, const char *term, json_t **out, mrt_err *err)
{
	char *k = ct_fold(term);
	if (!k)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	json_t *arr = json_array();
	int rc = 0;
	/* Main terms starting with the term, else with ever shorter beginnings
	 * of it ("Diabetx" -> "Diabet..."), else the next ones in order. */
	size_t len = strlen(k);
	for (int pass = 0; json_array_size(arr) == 0 && rc >= 0 && len >= 3; pass++) {
		int near = len <= 3 || pass > 8;
		if (pass > 0 && !near)
			k[--len] = '\0';
		if (near)
			len = 0;
		mrt_stmt *s = mrt_db_stmt(n->db, near ? sql_main_near : sql_main_prefix, err);
		if (!s) {
			rc = MRT_EDB;
			break;
		}
		mrt_stmt_bind_int(s, 1, n->src.id);
		mrt_stmt_bind_text(s, 2, n->kind);
		mrt_stmt_bind_text(s, 3, k);
		while ((rc = mrt_stmt_step(s, err)) == 1)
			json_array_append_new(arr, json_string(mrt_stmt_text(s, 0)));
		mrt_stmt_reset(s);
	}
	free(k);
	*out = json_pack("{s:o}", "suggestions", arr);
	return rc < 0 ? rc : 0;
}

/* Resolves term to a node; *id = 0 when no main term matches. unmatched
 * collects the segments that matched no subterm. */
static int resolve(struct nav *n, const char *term, int64_t *id, json_t *unmatched, mrt_err *err)
{
	struct segs g = { 0 };
	int used = 0, rc = split_segs(&g, term, err);
	*id = 0;
	if (rc == 0)
		rc = find_main(n, &g, id, &used, err);
	if (rc == 0 && used == 0)
		*id = 0;
	for (int i = used; rc == 0 && used > 0 && i < g.n; i++) {
		int found = 0;
		int64_t child = 0;
		rc = find_child(n, *id, g.s[i], &child, &found, err);
		if (rc == 0 && found)
			*id = child;
		else if (rc == 0)
			json_array_append_new(unmatched, json_string(g.s[i]));
	}
	free(g.buf);
	return rc;
}

static int path_json(struct nav *n, int64_t id, json_t *arr, mrt_err *err)
{
	static const char sql[] = "SELECT parent_id, title FROM index_term WHERE id = ?";
	for (int depth = 0; id && depth < 32; depth++) {
		mrt_stmt *s = mrt_db_stmt(n->db, sql, err);
		if (!s)
			return MRT_EDB;
		mrt_stmt_bind_int(s, 1, id);
		int rc = mrt_stmt_step(s, err);
		if (rc == 1) {
			json_array_insert_new(arr, 0, json_string(mrt_stmt_text(s, 1)));
			id = mrt_stmt_is_null(s, 0) ? 0 : mrt_stmt_int(s, 0);
		}
		mrt_stmt_reset(s);
		if (rc < 0)
			return rc;
		if (rc == 0)
			break;
	}
	return 0;
}

static int visited(struct nav *n, int64_t id)
{
	for (int i = 0; i < n->nvisited; i++)
		if (n->visited[i] == id)
			return 1;
	return 0;
}

static int node_json(struct nav *n, int64_t id, json_t **out, mrt_err *err);

/* Follows the see / see-also text of entry to the entry it names. */
static int follow(struct nav *n, json_t *entry, json_t *list, mrt_err *err)
{
	static const char *const keys[] = { "see", "see_also" };
	for (int k = 0; k < 2; k++) {
		const char *ref = json_string_value(json_object_get(entry, keys[k]));
		if (!ref || n->nvisited > MAX_FOLLOW)
			continue;
		json_t *unmatched = json_array();
		int64_t id = 0;
		int rc = resolve(n, ref, &id, unmatched, err);
		json_t *f = json_pack("{s:s, s:s}", "kind", keys[k], "target", ref);
		if (rc == 0 && id && visited(n, id)) {
			json_object_set_new(f, "cycle", json_true());
		} else if (rc == 0 && id) {
			json_t *target = NULL;
			rc = node_json(n, id, &target, err);
			if (rc == 0)
				json_object_set_new(f, "entry", target);
		}
		json_object_set_new(f, "found", json_boolean(id != 0));
		if (json_array_size(unmatched))
			json_object_set(f, "unmatched", unmatched);
		json_decref(unmatched);
		json_array_append_new(list, f);
		if (rc)
			return rc;
	}
	return 0;
}

static int node_json(struct nav *n, int64_t id, json_t **out, mrt_err *err)
{
	if (n->nvisited < (int)(sizeof n->visited / sizeof n->visited[0]))
		n->visited[n->nvisited++] = id;
	json_t *o = NULL;
	int rc = entry_json(n, id, &o, err);
	if (rc)
		return rc;
	json_t *path = json_array();
	rc = path_json(n, id, path, err);
	json_object_set_new(o, "path", path);
	json_t *followed = json_array();
	if (rc == 0)
		rc = follow(n, o, followed, err);
	if (json_array_size(followed))
		json_object_set(o, "followed", followed);
	json_decref(followed);
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

/* ICD-10-PCS: the definitions of the main term (e.g. the root operation
 * "Bypass"), from the newest release up to r that has them. */
static int add_definitions(struct nav *n, const struct ct_release *r, json_t *entry, mrt_err *err)
{
	static const char sql[] =
		"SELECT d.section, d.axis_title, d.definition, d.explanation, d.includes, r.version"
		" FROM pcs_definition d JOIN code_release r ON r.id = d.release_id"
		" WHERE r.system = 'icd10pcs' AND r.effective_from <= ?1"
		" AND r.id = (SELECT r2.id FROM code_release r2 JOIN pcs_definition d2"
		"  ON d2.release_id = r2.id WHERE r2.system = 'icd10pcs'"
		"  AND r2.effective_from <= ?1 ORDER BY r2.effective_from DESC LIMIT 1)"
		" AND d.term = ?2 COLLATE NOCASE ORDER BY d.id LIMIT 8";
	const char *title = json_string_value(json_object_get(entry, "title"));
	mrt_stmt *s = mrt_db_stmt(n->db, sql, err);
	if (!s)
		return MRT_EDB;
	mrt_stmt_bind_text(s, 1, r->effective_from);
	mrt_stmt_bind_text(s, 2, title ? title : "");
	json_t *arr = json_array();
	int rc;
	while ((rc = mrt_stmt_step(s, err)) == 1) {
		json_t *d = json_pack("{s:s, s:s, s:s}", "section", mrt_stmt_text(s, 0), "axis",
				      mrt_stmt_text(s, 1), "release", mrt_stmt_text(s, 5));
		json_set_opt(d, "definition", mrt_stmt_text(s, 2));
		json_set_opt(d, "explanation", mrt_stmt_text(s, 3));
		json_set_opt(d, "includes", mrt_stmt_text(s, 4));
		json_array_append_new(arr, d);
	}
	mrt_stmt_reset(s);
	if (json_array_size(arr))
		json_object_set(entry, "definitions", arr);
	json_decref(arr);
	return rc < 0 ? rc : 0;
}

/* Whether the term names the Neoplasm table itself ("Neoplasm, breast"). */
static int choose_is_neoplasm(const char *term)
{
	char *k = ct_fold(term);
	int neo = k && (strcmp(k, "neoplasm") == 0 || strncmp(k, "neoplasm ", 9) == 0);
	free(k);
	return neo;
}

static const char *choose_kind(const struct ct_release *r, const char *table, const char *term)
{
	if (strcmp(r->system, "icd10pcs") == 0)
		return "pcs";
	if (table)
		return table;
	return choose_is_neoplasm(term) ? "neoplasm" : "index";
}

static int lookup(struct nav *n, const struct ct_release *r, const char *term, json_t **out,
		  mrt_err *err)
{
	json_t *unmatched = json_array();
	int64_t id = 0;
	int rc = resolve(n, term, &id, unmatched, err);
	json_t *entry = NULL;
	if (rc == 0 && !id) {
		json_decref(unmatched);
		rc = suggestions(n, term, out, err);
		return rc ? rc : mrt_err_set(err, MRT_ENOTFOUND, "\"%s\" is not a main term of the %s of %s %s",
					     term, n->kind, n->src.system, n->src.version);
	}
	if (rc == 0)
		rc = node_json(n, id, &entry, err);
	if (rc == 0 && strcmp(n->kind, "pcs") == 0)
		rc = add_definitions(n, r, entry, err);
	if (rc) {
		json_decref(entry);
		json_decref(unmatched);
		return rc;
	}
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:o}", "system", r->system,
			      "version", r->version, "table", n->kind, "term", term,
			      "index_release", n->src.version, "borrowed", n->src.id != r->id,
			      "entry", entry);
	if (n->src.id != r->id) {
		char msg[200];
		snprintf(msg, sizeof msg, "%s %s has no %s XML; this is the one of release %s",
			 r->system, r->version, n->kind, n->src.version);
		json_object_set_new(o, "source", json_string(msg));
	}
	if (json_array_size(unmatched))
		json_object_set(o, "unmatched", unmatched);
	json_decref(unmatched);
	*out = o;
	return 0;
}

int codetext_index_lookup(mrt_db *db, int64_t release_id, const char *table, const char *term,
			  json_t **out, mrt_err *err)
{
	static const char *const kinds[] = { "index", "eindex", "neoplasm", "drug", "pcs", NULL };
	*out = NULL;
	struct ct_release r;
	int rc = ct_release_get(db, release_id, &r, err);
	if (rc)
		return rc;
	int ok = !table;
	for (int i = 0; table && kinds[i]; i++)
		ok |= strcmp(table, kinds[i]) == 0;
	if (!ok)
		return mrt_err_set(err, MRT_EINVAL,
				   "unknown table \"%s\" (index, eindex, neoplasm, drug or pcs)", table);
	struct nav n = { 0 };
	n.db = db;
	n.kind = choose_kind(&r, table, term);
	int found = 0;
	rc = ct_source_release(db, &r, n.kind, &n.src, &found, err);
	if (rc == 0 && !found)
		return mrt_err_set(err, MRT_ENOTFOUND, "no %s loaded for %s %s or an earlier release",
				   n.kind, r.system, r.version);
	if (rc == 0)
		rc = lookup(&n, &r, term, out, err);
	/* The Table of Neoplasms is one main term ("Neoplasm, neoplastic")
	 * whose rows are sites: `--table neoplasm breast` means that row. */
	if (rc == MRT_ENOTFOUND && strcmp(n.kind, "neoplasm") == 0 && !choose_is_neoplasm(term)) {
		char path[512];
		snprintf(path, sizeof path, "Neoplasm, %s", term);
		json_t *alt = NULL;
		mrt_err n_err = { 0 };
		if (lookup(&n, &r, path, &alt, &n_err) == 0 && !json_object_get(alt, "unmatched")) {
			json_decref(*out);
			*out = alt;
			mrt_err_clear(err);
			return 0;
		}
		json_decref(alt);
	}
	/* A term absent from the Index to Diseases may be an external cause
	 * ("Accident"): look there before giving up. */
	if (rc == MRT_ENOTFOUND && !table && strcmp(n.kind, "index") == 0) {
		struct nav e = { 0 };
		e.db = db;
		e.kind = "eindex";
		json_t *alt = NULL;
		mrt_err e_err = { 0 };
		int erc = ct_source_release(db, &r, e.kind, &e.src, &found, &e_err);
		if (erc == 0 && found)
			erc = lookup(&e, &r, term, &alt, &e_err);
		if (erc == 0 && found) {
			json_decref(*out);
			*out = alt;
			mrt_err_clear(err);
			return 0;
		}
		json_decref(alt);
	}
	return rc;
}
