/*
 * The full-text index of a release: one FTS5 row per code title, inclusion
 * term and index line that gives one of the release's codes. A release
 * without its own tabular or index XML borrows the inclusion and index
 * terms of the newest earlier release that has them, for the codes present
 * in both (kind 'main' for a main term's own line, 'index' below it).
 * Rowids are (release_id << 32) + rank with rank from the likeliest
 * answer (billable, title, short) to the least likely (see schema_codetext.c).
 */
#include <string.h>

#include "codes/codetext_int.h"

static const char sql_clear[] =
	"DELETE FROM code_fts WHERE rowid BETWEEN (?1 << 32) AND (?1 << 32) + 4294967295";

/* ?1 release, ?2 release of the inclusion terms, ?3/?4 releases of the two
 * index kinds ?5/?6, ?7/?8 releases of the Neoplasm and Drug tables (0 =
 * none). A table cell is searchable as its row's path and column name
 * ("Aspirin Poisoning Accidental (unintentional)" -> T39.011). Injury codes
 * for subsequent encounters and sequelae rank after the initial encounter,
 * whose titles are longer but which coders look for first. */
static const char sql_fill[] =
	"INSERT INTO code_fts(rowid, text, code, kind)"
	" SELECT (?1 << 32) + row_number() OVER (ORDER BY score, code, text), text, code, kind"
	" FROM ("
	"  SELECT c.code, c.long_title AS text, 'title' AS kind,"
	"         length(c.long_title) + 20 * (1 - c.billable)"
	"         + CASE WHEN c.long_title LIKE '%, sequela'"
	"                  OR c.long_title LIKE '%, subsequent encounter%' THEN 40 ELSE 0 END AS score"
	"  FROM code c WHERE c.release_id = ?1"
	"  UNION ALL"
	"  SELECT c.code, n.text, 'inclusion', length(n.text) + 6 + 20 * (1 - c.billable)"
	"  FROM code_note n JOIN code c ON c.release_id = ?1 AND c.code = n.code"
	"  WHERE n.release_id = ?2 AND n.kind = 'inclusionTerm'"
	"  UNION ALL"
	"  SELECT c.code, t.path, CASE WHEN t.level = 0 THEN 'main' ELSE 'index' END,"
	"         length(t.path) + 10 + 20 * (1 - c.billable)"
	"  FROM index_term t JOIN code c ON c.release_id = ?1"
	"   AND c.code = replace(replace(t.code, '.', ''), '-', '')"
	"  WHERE t.release_id IN (?3, ?4) AND t.kind IN (?5, ?6)"
	"   AND t.code_kind IN ('code', 'codes', 'tab') AND t.code IS NOT NULL"
	"  UNION ALL"
	"  SELECT c.code, t.path || ' ' || h.name, 'table',"
	"         length(t.path) + length(h.name) + 14 + 20 * (1 - c.billable)"
	"  FROM index_cell x JOIN index_term t ON t.id = x.term_id"
	"  JOIN index_heading h ON h.release_id = t.release_id AND h.kind = t.kind AND h.col = x.col"
	"  JOIN code c ON c.release_id = ?1 AND c.code = replace(replace(x.code, '.', ''), '-', '')"
	"  WHERE (t.release_id = ?7 AND t.kind = 'neoplasm') OR (t.release_id = ?8 AND t.kind = 'drug')"
	" )";

static int source_id(mrt_db *db, const struct ct_release *r, const char *source, int64_t *id,
		     mrt_err *err)
{
	struct ct_release s;
	int found = 0;
	int rc = ct_source_release(db, r, source, &s, &found, err);
	*id = rc == 0 && found ? s.id : 0;
	return rc;
}

static int rebuild(mrt_db *db, const struct ct_release *r, mrt_err *err)
{
	int pcs = strcmp(r->system, "icd10pcs") == 0;
	const char *k1 = pcs ? "pcs" : "index", *k2 = pcs ? "pcs" : "eindex";
	int64_t notes = 0, i1 = 0, i2 = 0, neo = 0, drug = 0;
	int rc = source_id(db, r, "notes", &notes, err);
	if (rc == 0)
		rc = source_id(db, r, k1, &i1, err);
	if (rc == 0)
		rc = source_id(db, r, k2, &i2, err);
	if (rc == 0 && !pcs)
		rc = source_id(db, r, "neoplasm", &neo, err);
	if (rc == 0 && !pcs)
		rc = source_id(db, r, "drug", &drug, err);
	if (rc)
		return rc;
	mrt_stmt *s = mrt_db_stmt(db, sql_clear, err);
	if (!s)
		return MRT_EDB;
	mrt_stmt_bind_int(s, 1, r->id);
	if ((rc = mrt_stmt_run(s, err)) != 0)
		return rc;
	s = mrt_db_stmt(db, sql_fill, err);
	if (!s)
		return MRT_EDB;
	mrt_stmt_bind_int(s, 1, r->id);
	mrt_stmt_bind_int(s, 2, notes);
	mrt_stmt_bind_int(s, 3, i1);
	mrt_stmt_bind_int(s, 4, i2);
	mrt_stmt_bind_text(s, 5, k1);
	mrt_stmt_bind_text(s, 6, k2);
	mrt_stmt_bind_int(s, 7, neo);
	mrt_stmt_bind_int(s, 8, drug);
	return mrt_stmt_run(s, err);
}

int codetext_index_release(mrt_db *db, int64_t release_id, mrt_err *err)
{
	/* Later releases of the system may borrow this one's terms: rebuild
	 * them too, so the load order of releases does not matter. */
	static const char sql_later[] =
		"SELECT l.id FROM code_release r JOIN code_release l ON l.system = r.system"
		" AND l.effective_from > r.effective_from WHERE r.id = ?"
		" ORDER BY l.effective_from";
	struct ct_release r;
	int rc = ct_release_get(db, release_id, &r, err);
	if (rc == 0)
		rc = rebuild(db, &r, err);
	int64_t later[64];
	int n = 0;
	mrt_stmt *s = rc == 0 ? mrt_db_stmt(db, sql_later, err) : NULL;
	if (rc == 0 && !s)
		return MRT_EDB;
	if (s) {
		mrt_stmt_bind_int(s, 1, release_id);
		while (n < 64 && (rc = mrt_stmt_step(s, err)) == 1)
			later[n++] = mrt_stmt_int(s, 0);
		mrt_stmt_reset(s);
		rc = rc < 0 ? rc : 0;
	}
	for (int i = 0; rc == 0 && i < n; i++) {
		rc = ct_release_get(db, later[i], &r, err);
		if (rc == 0)
			rc = rebuild(db, &r, err);
	}
	if (rc == 0)
		rc = mrt_db_exec(db, "DELETE FROM code_term;"
				     "INSERT INTO code_term SELECT term FROM code_fts_vocab;", err);
	return rc;
}
