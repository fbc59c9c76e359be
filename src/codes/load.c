/*
 * The release loader: groups the discovered files by release and loads each
 * group inside the caller's transaction (see load.h). A release's codes come
 * from one defining file - the order file, else the PCS tables XML, else the
 * CM tabular XML - and every other file is checked against them or handed
 * to codetext. Same checksums again: nothing is written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/date.h"
#include "base/hash.h"
#include "base/log.h"
#include "codes/codetext.h"
#include "codes/load_int.h"
#include "codes/release.h"

struct rec {              /* what code_release_file says about one kind */
	int present;
	char sha[MRT_SHA256_HEX];
	int64_t rows;
};

struct group {
	const struct codes_file *f[CK__COUNT];
	char sha[CK__COUNT][MRT_SHA256_HEX];
	struct rec rec[CK__COUNT];
	int64_t rows[CK__COUNT];
	int load[CK__COUNT];  /* to be read in this run */
	int definer;          /* kind giving the codes, -1 = none */
};

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp_file(const void *a, const void *b)
{
	const struct codes_file *x = a, *y = b;
	int c = strcmp(x->system, y->system);
	if (!c)
		c = strcmp(x->version, y->version);
	return c ? c : (int)x->kind - (int)y->kind;
}

static int read_records(struct load_rel *r, struct group *g, mrt_err *err)
{
	static const char sql[] = "SELECT kind, sha256, rows FROM code_release_file WHERE release_id = ?";
	mrt_stmt *s = mrt_db_stmt(r->db, sql, err);
	if (!s)
		return MRT_EDB;
	mrt_stmt_bind_int(s, 1, r->id);
	int rc;
	while ((rc = mrt_stmt_step(s, err)) == 1) {
		for (int k = 0; k < CK__COUNT; k++) {
			if (strcmp(codes_kind_name((enum codes_kind)k), mrt_stmt_text(s, 0)) != 0)
				continue;
			g->rec[k].present = 1;
			snprintf(g->rec[k].sha, sizeof g->rec[k].sha, "%s", mrt_stmt_text(s, 1));
			g->rec[k].rows = mrt_stmt_int(s, 2);
		}
	}
	mrt_stmt_reset(s);
	return rc < 0 ? rc : 0;
}

static int drop_release(struct load_rel *r, mrt_err *err)
{
	static const char del_codes[] = "DELETE FROM code WHERE release_id = ?";
	static const char del_files[] = "DELETE FROM code_release_file WHERE release_id = ?";
	const char *sqls[2] = { del_codes, del_files };
	for (int i = 0; i < 2; i++) {
		mrt_stmt *s = mrt_db_stmt(r->db, sqls[i], err);
		if (!s)
			return MRT_EDB;
		mrt_stmt_bind_int(s, 1, r->id);
		int rc = mrt_stmt_run(s, err);
		if (rc)
			return rc;
	}
	return codetext_drop_release(r->db, r->id, err);
}

static int record_file(struct load_rel *r, const struct codes_file *f, const char *sha, int64_t rows,
                       mrt_err *err)
{
	static const char sql[] =
		"INSERT INTO code_release_file(release_id, kind, name, sha256, rows, loaded_at)"
		" VALUES (?,?,?,?,?,?)";
	mrt_stmt *s = mrt_db_stmt(r->db, sql, err);
	if (!s)
		return MRT_EDB;
	char now[32];
	mrt_now_iso(now);
	mrt_stmt_bind_int(s, 1, r->id);
	mrt_stmt_bind_text(s, 2, codes_kind_name(f->kind));
	mrt_stmt_bind_text(s, 3, f->name);
	mrt_stmt_bind_text(s, 4, sha);
	mrt_stmt_bind_int(s, 5, rows);
	mrt_stmt_bind_text(s, 6, now);
	return mrt_stmt_run(s, err);
}

static int is_defining(int k, const char *system)
{
	if (k == CK_ORDER)
		return 1;
	if (k == CK_PCS_TABLES)
		return strcmp(system, CODES_SYS_PCS) == 0;
	return k == CK_TABULAR && strcmp(system, CODES_SYS_CM) == 0;
}

/* Reads one file of the group into the release. */
static int load_one(struct load_rel *r, struct group *g, int k, mrt_err *err)
{
	mrt_src *src = NULL;
	double t0 = now_s();
	int rc = mrt_src_open(&src, g->f[k]->spec, err);
	if (rc)
		return rc;
	int64_t rows = 0;
	int def = k == g->definer;
	switch ((enum codes_kind)k) {
	case CK_ORDER: rc = load_codes_order(r, src, &rows, err); break;
	case CK_PCS_TABLES:
		rc = def ? load_codes_tables(r, src, &rows, err) : load_check_tables(r, src, &rows, err);
		break;
	case CK_TABULAR:
		rc = codetext_load_cm_tabular(r->db, r->id, src, def, &rows, err);
		if (rc == 0 && def)
			rc = load_fix_parents(r, err);
		break;
	case CK_CODES: rc = load_check_codes(r, src, &rows, err); break;
	case CK_ORDER_ADDENDA: rc = load_check_addenda(r, src, 1, &rows, err); break;
	case CK_CODES_ADDENDA: rc = load_check_addenda(r, src, 0, &rows, err); break;
	case CK_INDEX: case CK_NEOPLASM: case CK_DRUG: case CK_EINDEX:
		rc = codetext_load_cm_index(r->db, r->id, codes_kind_name((enum codes_kind)k), src, &rows, err);
		break;
	case CK_PCS_INDEX: rc = codetext_load_pcs_index(r->db, r->id, src, &rows, err); break;
	case CK_DEFINITIONS: rc = codetext_load_pcs_definitions(r->db, r->id, src, &rows, err); break;
	default: rc = mrt_err_set(err, MRT_EINVAL, "unknown file kind"); break;
	}
	mrt_src_close(src);
	if (rc == 0)
		rc = record_file(r, g->f[k], g->sha[k], rows, err);
	g->rows[k] = rows;
	mrt_debug("%s %s: %s: %lld rows in %.3f s", r->system, r->version, g->f[k]->name,
	          (long long)rows, now_s() - t0);
	return rc;
}

static int pick_definer(struct group *g, const char *system, int use_records)
{
	for (int k = 0; k < CK__COUNT; k++)
		if (is_defining(k, system) && (g->f[k] || (use_records && g->rec[k].present)))
			return k;
	return -1;
}

/* Decides what to read; *action = "loaded" | "added" | "unchanged" | "replaced". */
static int plan(struct load_rel *r, struct group *g, int exists, int64_t codes, int replace,
                const char **action, mrt_err *err)
{
	int changed = -1, fresh = 0;
	for (int k = 0; k < CK__COUNT; k++) {
		if (!g->f[k])
			continue;
		if (g->rec[k].present && strcmp(g->rec[k].sha, g->sha[k]) != 0 && changed < 0)
			changed = k;
		g->load[k] = !g->rec[k].present;
		fresh += g->load[k];
	}
	g->definer = pick_definer(g, r->system, 1);
	int redefine = g->definer >= 0 && g->f[g->definer] && g->load[g->definer] && codes > 0;
	if (exists && (changed >= 0 || redefine)) {
		int k = changed >= 0 ? changed : g->definer;
		if (!replace)
			return mrt_err_set(err, MRT_EEXIST,
			                   "%s %s is already loaded and %s %s; use --replace to replace the "
			                   "release with these files", r->system, r->version, g->f[k]->name,
			                   changed >= 0 ? "differs from the file loaded before (SHA-256)"
			                                : "would change its codes");
		for (int j = 0; j < CK__COUNT; j++)
			g->load[j] = g->f[j] != NULL;
		g->definer = pick_definer(g, r->system, 0);
		*action = "replaced";
		return drop_release(r, err);
	}
	*action = !exists || codes == 0 ? "loaded" : fresh ? "added" : "unchanged";
	if (g->definer < 0 || (!g->f[g->definer] && codes == 0))
		return mrt_err_set(err, MRT_EINVAL,
		                   "%s %s has no codes yet: load its order file (or the %s XML) with or "
		                   "before %s", r->system, r->version,
		                   strcmp(r->system, CODES_SYS_PCS) == 0 ? "tables" : "tabular",
		                   g->f[0] ? g->f[0]->name : "these files");
	return 0;
}

static json_t *report_item(struct load_rel *r, struct group *g, const char *action, mrt_err *err)
{
	struct codes_release rel;
	if (codes_release_find(r->db, r->system, r->version, &rel, err) != 0)
		return NULL;
	json_t *files = json_array();
	for (int k = 0; k < CK__COUNT; k++) {
		if (!g->f[k])
			continue;
		json_array_append_new(files, json_pack("{s:s, s:s, s:s, s:I, s:s}", "kind",
		                                       codes_kind_name((enum codes_kind)k), "name",
		                                       g->f[k]->name, "sha256", g->sha[k], "rows",
		                                       (json_int_t)(g->load[k] ? g->rows[k] : g->rec[k].rows),
		                                       "status", g->load[k] ? "loaded" : "unchanged"));
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:o}", "system", r->system, "version",
	                 r->version, "action", action, "effective_from", rel.effective_from,
	                 "effective_to", rel.effective_to, "codes", (json_int_t)rel.codes, "billable",
	                 (json_int_t)rel.billable, "files", files);
}

static int load_group(mrt_db *db, struct group *g, const struct codes_load_opts *o, json_t *report,
                      mrt_err *err)
{
	const struct codes_file *any = NULL;
	for (int k = 0; k < CK__COUNT && !any; k++)
		any = g->f[k];
	struct load_rel r = { .db = db, .system = any->system, .version = any->version };
	for (int k = 0; k < CK__COUNT; k++) {
		if (!g->f[k])
			continue;
		int rc = mrt_src_checksum(g->f[k]->spec, g->sha[k], err);
		if (rc)
			return rc;
	}
	struct codes_release rel;
	int rc = codes_release_find(db, r.system, r.version, &rel, err);
	if (rc && rc != MRT_ENOTFOUND)
		return rc;
	int exists = rc == 0, created = 0;
	if ((rc = codes_release_ensure(db, r.system, r.version, o->user, &r.id, &created, err)) != 0 ||
	    (rc = read_records(&r, g, err)) != 0)
		return rc;
	const char *action = NULL;
	if ((rc = plan(&r, g, exists, exists ? rel.codes : 0, o->replace, &action, err)) != 0)
		return rc;
	int any_load = 0;
	if (g->definer >= 0 && g->load[g->definer]) {
		if ((rc = load_one(&r, g, g->definer, err)) != 0)
			return rc;
		any_load = 1;
	}
	for (int k = 0; k < CK__COUNT; k++) {
		if (!g->load[k] || k == g->definer)
			continue;
		if ((rc = load_one(&r, g, k, err)) != 0)
			return rc;
		any_load = 1;
	}
	double t0 = now_s();
	if (any_load && (rc = codetext_index_release(db, r.id, err)) != 0)
		return rc;
	if (any_load)
		mrt_debug("%s %s: full-text index in %.3f s", r.system, r.version, now_s() - t0);
	json_t *item = report_item(&r, g, action, err);
	if (!item)
		return err && err->code ? err->code : mrt_err_set(err, MRT_ENOMEM, "out of memory");
	json_array_append_new(report, item);
	return 0;
}

int codes_load_files(mrt_db *db, const struct codes_file *files, size_t n,
                     const struct codes_load_opts *o, json_t **report, mrt_err *err)
{
	*report = NULL;
	struct codes_file *v = malloc((n ? n : 1) * sizeof *v);
	struct group *g = malloc(sizeof *g);
	json_t *rep = json_array();
	int rc = 0;
	if (!v || !g || !rep) {
		rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
		goto done;
	}
	/* A release is ~100k rows with two indexes: keep its pages in memory. */
	if ((rc = mrt_db_exec(db, "PRAGMA cache_size = -65536", err)) != 0)
		goto done;
	memcpy(v, files, n * sizeof *v);
	qsort(v, n, sizeof *v, cmp_file);
	for (size_t i = 0; i < n && rc == 0;) {
		memset(g, 0, sizeof *g);
		size_t j = i;
		for (; j < n && strcmp(v[j].system, v[i].system) == 0 && strcmp(v[j].version, v[i].version) == 0; j++)
			g->f[v[j].kind] = &v[j];
		rc = load_group(db, g, o, rep, err);
		i = j;
	}
	if (rc == 0) {
		*report = rep;
		rep = NULL;
	}
done:
	json_decref(rep);
	free(g);
	free(v);
	return rc;
}
