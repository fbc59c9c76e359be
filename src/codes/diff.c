/*
 * Release differences (see diff.h): three set queries over the code table,
 * each using the (release_id, code) index.
 */
#include <string.h>

#include "codes/diff.h"
#include "codes/release.h"

static const char sql_added[] =
	"SELECT b.code, b.billable, b.short_title, b.long_title FROM code b"
	" WHERE b.release_id = ?2 AND (?3 OR b.billable = 1) AND NOT EXISTS"
	" (SELECT 1 FROM code a WHERE a.release_id = ?1 AND a.code = b.code AND (?3 OR a.billable = 1))"
	" ORDER BY b.code";
static const char sql_deleted[] =
	"SELECT a.code, a.billable, a.short_title, a.long_title FROM code a"
	" WHERE a.release_id = ?1 AND (?3 OR a.billable = 1) AND NOT EXISTS"
	" (SELECT 1 FROM code b WHERE b.release_id = ?2 AND b.code = a.code AND (?3 OR b.billable = 1))"
	" ORDER BY a.code";
static const char sql_retitled[] =
	"SELECT b.code, b.billable, a.short_title, a.long_title, b.short_title, b.long_title"
	" FROM code b JOIN code a ON a.release_id = ?1 AND a.code = b.code"
	" WHERE b.release_id = ?2 AND (?3 OR b.billable = 1)"
	" AND (a.short_title <> b.short_title OR a.long_title <> b.long_title) ORDER BY b.code";

static int run(mrt_db *db, const char *sql, int64_t a, int64_t b, int all, int retitled,
               json_t *arr, mrt_err *err)
{
	mrt_stmt *s = mrt_db_stmt(db, sql, err);
	if (!s)
		return MRT_EDB;
	mrt_stmt_bind_int(s, 1, a);
	mrt_stmt_bind_int(s, 2, b);
	mrt_stmt_bind_int(s, 3, all);
	int rc;
	while ((rc = mrt_stmt_step(s, err)) == 1) {
		json_t *o;
		if (retitled)
			o = json_pack("{s:s, s:b, s:{s:s, s:s}, s:{s:s, s:s}}", "code", mrt_stmt_text(s, 0),
			              "billable", (int)mrt_stmt_int(s, 1), "from", "short_title",
			              mrt_stmt_text(s, 2), "long_title", mrt_stmt_text(s, 3), "to",
			              "short_title", mrt_stmt_text(s, 4), "long_title", mrt_stmt_text(s, 5));
		else
			o = json_pack("{s:s, s:b, s:s, s:s}", "code", mrt_stmt_text(s, 0), "billable",
			              (int)mrt_stmt_int(s, 1), "short_title", mrt_stmt_text(s, 2),
			              "long_title", mrt_stmt_text(s, 3));
		json_array_append_new(arr, o);
	}
	mrt_stmt_reset(s);
	return rc < 0 ? rc : 0;
}

int codes_diff_json(mrt_db *db, const char *system, const char *va, const char *vb, int all,
                    json_t **out, mrt_err *err)
{
	struct codes_release ra, rb;
	*out = NULL;
	const char *vs[2] = { va, vb };
	struct codes_release *rs[2] = { &ra, &rb };
	for (int i = 0; i < 2; i++) {
		int rc = codes_release_find(db, system, vs[i], rs[i], err);
		if (rc == MRT_ENOTFOUND)
			return mrt_err_set(err, MRT_ENOTFOUND, "%s %s is not loaded (see `mrt codes releases`)",
			                   system, vs[i]);
		if (rc)
			return rc;
	}
	json_t *added = json_array(), *deleted = json_array(), *retitled = json_array();
	int rc = run(db, sql_added, ra.id, rb.id, all, 0, added, err);
	if (rc == 0)
		rc = run(db, sql_deleted, ra.id, rb.id, all, 0, deleted, err);
	if (rc == 0)
		rc = run(db, sql_retitled, ra.id, rb.id, all, 1, retitled, err);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:{s:I, s:I, s:I}, s:o, s:o, s:o}", "system", system,
	                      "from", va, "to", vb, "scope", all ? "all" : "billable", "counts", "added",
	                      (json_int_t)json_array_size(added), "deleted",
	                      (json_int_t)json_array_size(deleted), "retitled",
	                      (json_int_t)json_array_size(retitled), "added", added, "deleted", deleted,
	                      "retitled", retitled);
	if (rc || !o) {
		json_decref(o);
		return rc ? rc : mrt_err_set(err, MRT_ENOMEM, "out of memory");
	}
	*out = o;
	return 0;
}
