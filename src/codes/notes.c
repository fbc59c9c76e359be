/*
 * The instructional notes of one code as `mrt codes show` prints them. A
 * note written at a category or subcategory applies to every code below it
 * (the 7th characters of S72 apply to S72.001A), so the code's ancestors are
 * read as well, each note saying where it was written; inclusion terms
 * belong to their own code only. A release without tabular XML borrows the
 * notes of the newest earlier release that has them, only for codes (the
 * code itself or a category above it) present in both releases, and says so.
 */
#include <stdio.h>
#include <string.h>

#include "codes/codetext_int.h"
#include "formats/cm_tabular.h"

static const char *const kind_keys[][2] = {
	{ "inclusionTerm", "inclusion_terms" },
	{ "includes", "includes" },
	{ "excludes1", "excludes1" },
	{ "excludes2", "excludes2" },
	{ "codeFirst", "code_first" },
	{ "useAdditionalCode", "use_additional_code" },
	{ "codeAlso", "code_also" },
	{ "notes", "notes" },
	{ "sevenChrNote", "seventh_character_note" },
	{ "sevenChrDef", "seventh_characters" },
};

static const char *key_of(const char *kind)
{
	for (size_t i = 0; i < sizeof kind_keys / sizeof kind_keys[0]; i++)
		if (strcmp(kind_keys[i][0], kind) == 0)
			return kind_keys[i][1];
	return NULL;
}

static int code_in(mrt_db *db, int64_t release_id, const char *code, int *yes, mrt_err *err)
{
	static const char sql[] = "SELECT 1 FROM code WHERE release_id = ? AND code = ?";
	mrt_stmt *s = mrt_db_stmt(db, sql, err);
	if (!s)
		return MRT_EDB;
	mrt_stmt_bind_int(s, 1, release_id);
	mrt_stmt_bind_text(s, 2, code);
	int rc = mrt_stmt_step(s, err);
	mrt_stmt_reset(s);
	*yes = rc == 1;
	return rc < 0 ? rc : 0;
}

static json_t *note_json(const struct ct_release *src, const char *at, const char *text,
			 const char *ch)
{
	char refs[8][CM_TAB_MAX_CODE], dotted[64];
	int n = cm_note_refs(text, refs, 8);
	json_t *arr = json_array();
	for (int i = 0; arr && i < n; i++) {
		ct_dotted(dotted, sizeof dotted, "icd10cm", refs[i]);
		json_array_append_new(arr, json_string(dotted));
	}
	const char *colon = strchr(at, ':');
	if (colon)
		snprintf(dotted, sizeof dotted, "%s", colon + 1);
	else
		ct_dotted(dotted, sizeof dotted, "icd10cm", at);
	json_t *o = json_pack("{s:s, s:s, s:s}", "text", text, "at", dotted, "release",
			      src->version);
	if (o && colon)
		json_object_set_new(o, "at_level", json_stringn(at, (size_t)(colon - at)));
	if (o && ch)
		json_object_set_new(o, "char", json_string(ch));
	if (o && arr && n)
		json_object_set_new(o, "refs", arr);
	else
		json_decref(arr);
	return o;
}

static int add_notes(mrt_db *db, const struct ct_release *src, const char *at, int own, json_t *out,
		     mrt_err *err)
{
	static const char sql[] = "SELECT kind, text, ch FROM code_note"
				  " WHERE release_id = ? AND code = ? ORDER BY id";
	mrt_stmt *s = mrt_db_stmt(db, sql, err);
	if (!s)
		return MRT_EDB;
	mrt_stmt_bind_int(s, 1, src->id);
	mrt_stmt_bind_text(s, 2, at);
	int rc;
	while ((rc = mrt_stmt_step(s, err)) == 1) {
		const char *kind = mrt_stmt_text(s, 0);
		const char *key = key_of(kind);
		if (!key || (!own && strcmp(kind, "inclusionTerm") == 0))
			continue;
		json_t *arr = json_object_get(out, key);
		if (!arr) {
			arr = json_array();
			if (!arr || json_object_set_new(out, key, arr) < 0)
				return mrt_err_set(err, MRT_ENOMEM, "out of memory");
		}
		json_t *n = note_json(src, at, mrt_stmt_text(s, 1), mrt_stmt_text(s, 2));
		if (!n || json_array_append_new(arr, n) < 0)
			return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	}
	mrt_stmt_reset(s);
	return rc < 0 ? rc : 0;
}

/* "section:A00-A09" / "chapter:A00-B99" owns code when its category lies
 * in the range; *label = "A00-A09". */
static int group_has(const char *owner, const char *code, const char **label)
{
	const char *colon = strchr(owner, ':');
	if (!colon)
		return 0;
	const char *r = colon + 1, *dash = strchr(r, '-');
	char lo[4], hi[4];
	if (strlen(r) < 3 || (dash && strlen(dash + 1) < 3))
		return 0;
	snprintf(lo, sizeof lo, "%.3s", r);
	snprintf(hi, sizeof hi, "%.3s", dash ? dash + 1 : r);
	*label = r;
	return strncmp(code, lo, 3) >= 0 && strncmp(code, hi, 3) <= 0;
}

/* The notes written for the code's section and chapter. */
static int add_group_notes(mrt_db *db, const struct ct_release *src, const char *code,
			   json_t *out, mrt_err *err)
{
	static const char sql[] = "SELECT DISTINCT code FROM code_note WHERE release_id = ?"
				  " AND (code LIKE 'section:%' OR code LIKE 'chapter:%')";
	mrt_stmt *s = mrt_db_stmt(db, sql, err);
	if (!s)
		return MRT_EDB;
	mrt_stmt_bind_int(s, 1, src->id);
	char owners[4][80];
	int n = 0, rc;
	while ((rc = mrt_stmt_step(s, err)) == 1) {
		const char *label = NULL;
		const char *owner = mrt_stmt_text(s, 0);
		if (n < 4 && group_has(owner, code, &label))
			snprintf(owners[n++], sizeof owners[0], "%s", owner);
	}
	mrt_stmt_reset(s);
	for (int i = 0; rc >= 0 && i < n; i++)
		rc = add_notes(db, src, owners[i], 0, out, err);
	return rc < 0 ? rc : 0;
}

/* Whether the notes written at `at` may be shown: always in the release
 * itself; when borrowed, only when both releases have that code. */
static int may_borrow(mrt_db *db, const struct ct_release *r, const struct ct_release *src,
		      const char *at, int *yes, mrt_err *err)
{
	*yes = 1;
	if (src->id == r->id)
		return 0;
	int rc = code_in(db, src->id, at, yes, err);
	if (rc == 0 && *yes)
		rc = code_in(db, r->id, at, yes, err);
	return rc;
}

static void say_source(json_t *out, const struct ct_release *r, const struct ct_release *src,
		       const char *code, int own)
{
	json_object_set_new(out, "release", json_string(src->version));
	json_object_set_new(out, "borrowed", json_boolean(src->id != r->id));
	if (src->id == r->id)
		return;
	char msg[300];
	if (own)
		snprintf(msg, sizeof msg, "%s %s has no tabular notes; these are the notes of release %s",
			 r->system, r->version, src->version);
	else
		snprintf(msg, sizeof msg,
			 "%s %s has no tabular notes and release %s has no code %s; these are the "
			 "notes of release %s written at the categories above it that both releases have",
			 r->system, r->version, src->version, code, src->version);
	json_object_set_new(out, "source", json_string(msg));
}

/* A code's own notes, then those of each category above it (a note at a
 * category applies to every code below it), then its section and chapter.
 * A code new since the borrowed release still gets the notes of its
 * categories that both releases have: E11A (new in FY2026) is bound by the
 * Excludes1 notes of E11. */
static int fill(mrt_db *db, const struct ct_release *r, const char *code, json_t *out,
		mrt_err *err)
{
	struct ct_release src;
	int found = 0, own = 0;
	int rc = ct_source_release(db, r, "notes", &src, &found, err);
	if (rc || !found)
		return rc;
	size_t n = strlen(code);
	for (size_t len = n; len >= 3 && rc == 0; len--) {
		char at[CM_TAB_MAX_CODE];
		int yes = 0;
		snprintf(at, sizeof at, "%.*s", (int)len, code);
		if ((rc = may_borrow(db, r, &src, at, &yes, err)) != 0 || !yes)
			continue;
		if (len == n)
			own = 1;
		rc = add_notes(db, &src, at, len == n, out, err);
	}
	if (rc == 0)
		rc = add_group_notes(db, &src, code, out, err);
	if (rc == 0 && json_object_size(out) > 0)
		say_source(out, r, &src, code, own);
	return rc;
}

int codetext_notes_json(mrt_db *db, int64_t release_id, const char *code, json_t **out,
			mrt_err *err)
{
	*out = NULL;
	char norm[CM_TAB_MAX_CODE];
	if (cm_code_undot(norm, sizeof norm, code) < 0)
		return mrt_err_set(err, MRT_EINVAL, "bad code \"%.20s\"", code);
	json_t *o = json_object();
	if (!o)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	struct ct_release r;
	int rc = ct_release_get(db, release_id, &r, err);
	if (rc == 0 && strcmp(r.system, "icd10cm") == 0)
		rc = fill(db, &r, norm, o, err);
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}
