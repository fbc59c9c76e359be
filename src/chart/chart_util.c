/*
 * Chart helpers: code-system names, the write context, value binding and
 * merging, row snapshots for history tables.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/str.h"
#include "chart/chart_int.h"

static const struct {
	const char *name, *uri;
} systems[] = {
	{ "I10", CHART_SYS_ICD10CM },       { "I10C", CHART_SYS_ICD10CM },
	{ "ICD10CM", CHART_SYS_ICD10CM },   { "ICD-10-CM", CHART_SYS_ICD10CM },
	{ "ICD10", CHART_SYS_ICD10CM },     { "I10P", CHART_SYS_ICD10PCS },
	{ "ICD10PCS", CHART_SYS_ICD10PCS }, { "ICD-10-PCS", CHART_SYS_ICD10PCS },
	{ "I9", CHART_SYS_ICD9CM },         { "I9C", CHART_SYS_ICD9CM },
	{ "I9CP", CHART_SYS_ICD9CM },       { "ICD9", CHART_SYS_ICD9CM },
	{ "ICD9CM", CHART_SYS_ICD9CM },     { "ICD-9-CM", CHART_SYS_ICD9CM },
	{ "SCT", CHART_SYS_SNOMED },        { "SNM", CHART_SYS_SNOMED },
	{ "SNOMED", CHART_SYS_SNOMED },     { "SNOMEDCT", CHART_SYS_SNOMED },
	{ "SNOMED-CT", CHART_SYS_SNOMED },  { "SNOMED CT", CHART_SYS_SNOMED },
	{ CHART_SYS_ICD10CM, CHART_SYS_ICD10CM },
	{ CHART_SYS_ICD10PCS, CHART_SYS_ICD10PCS },
	{ "http://hl7.org/fhir/sid/icd-10-pcs", CHART_SYS_ICD10PCS },
	{ CHART_SYS_ICD9CM, CHART_SYS_ICD9CM },
	{ CHART_SYS_SNOMED, CHART_SYS_SNOMED },
};

const char *chart_system_uri(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < sizeof systems / sizeof systems[0]; i++)
		if (mrt_strcaseeq(name, systems[i].name))
			return systems[i].uri;
	return NULL;
}

const char *chart_system_release(const char *uri)
{
	if (!uri)
		return NULL;
	const char *u = chart_system_uri(uri);
	if (u && strcmp(u, CHART_SYS_ICD10CM) == 0)
		return "icd10cm";
	if (u && strcmp(u, CHART_SYS_ICD10PCS) == 0)
		return "icd10pcs";
	return NULL;
}

void chart_ctx_init(struct chart_ctx *c, const char *source, int64_t user_id)
{
	memset(c, 0, sizeof *c);
	c->source = source;
	c->user_id = user_id;
	mrt_now_iso(c->now);
}

void chart_bind(mrt_stmt *st, int idx, const char *s)
{
	mrt_stmt_bind_text(st, idx, s && *s ? s : NULL);
}

void chart_bind_id(mrt_stmt *st, int idx, int64_t id)
{
	if (id)
		mrt_stmt_bind_int(st, idx, id);
	else
		mrt_stmt_bind_null(st, idx);
}

int chart_same(const char *a, const char *b)
{
	if (a && !*a)
		a = NULL;
	if (b && !*b)
		b = NULL;
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

int chart_row_load(struct chart_row *r, mrt_stmt *st, int first, int n, mrt_err *err)
{
	memset(r, 0, sizeof *r);
	if (n > (int)(sizeof r->old / sizeof r->old[0]))
		return mrt_err_set(err, MRT_EINVAL, "chart row: too many columns");
	r->n = n;
	for (int i = 0; i < n; i++) {
		const char *v = mrt_stmt_text(st, first + i);
		if (v) {
			r->old[i] = strdup(v);
			if (!r->old[i]) {
				chart_row_free(r);
				return mrt_err_set(err, MRT_ENOMEM, "out of memory");
			}
		}
	}
	return 0;
}

void chart_row_merge(struct chart_row *r, const char *const *given)
{
	r->changed = 0;
	for (int i = 0; i < r->n; i++) {
		if (!given[i]) {
			r->merged[i] = r->old[i];
			continue;
		}
		r->merged[i] = *given[i] ? given[i] : NULL;
		if (!chart_same(r->merged[i], r->old[i]))
			r->changed = 1;
	}
}

void chart_row_free(struct chart_row *r)
{
	for (int i = 0; i < r->n; i++) {
		if (r->old[i]) {
			sodium_memzero(r->old[i], strlen(r->old[i]));
			free(r->old[i]);
		}
		r->old[i] = NULL;
	}
	r->n = 0;
}

char *chart_row_snapshot(mrt_stmt *st)
{
	json_t *o = json_object();
	int n = mrt_stmt_columns(st);
	for (int i = 0; i < n; i++) {
		const char *name = mrt_stmt_column_name(st, i);
		if (mrt_stmt_is_null(st, i))
			json_object_set_new(o, name, json_null());
		else
			json_object_set_new(o, name, json_string(mrt_stmt_text(st, i)));
	}
	char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return s;
}

static int find_id(mrt_db *db, const char *sql, const char *a, const char *b, int64_t *id,
                   int64_t *id2, int unique, mrt_err *err)
{
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, a);
	if (b)
		mrt_stmt_bind_text(st, 2, b);
	int rc = mrt_stmt_step(st, err), more = 0;
	if (rc == 1) {
		if (id)
			*id = mrt_stmt_int(st, 0);
		if (id2)
			*id2 = mrt_stmt_int(st, 1);
		more = unique ? mrt_stmt_step(st, err) : 0;
	}
	mrt_stmt_reset(st);
	if (rc == 0)
		return mrt_err_set(err, MRT_ENOTFOUND, "not found");
	if (rc < 0 || more < 0)
		return rc < 0 ? rc : more;
	return more ? mrt_err_set(err, MRT_EAMBIG, "several rows match") : 0;
}

int chart_find_id(mrt_db *db, const char *sql, const char *a, const char *b, int64_t *id,
                  int64_t *id2, mrt_err *err)
{
	return find_id(db, sql, a, b, id, id2, 0, err);
}

int chart_find_unique(mrt_db *db, const char *sql, const char *a, const char *b, int64_t *id,
                      mrt_err *err)
{
	return find_id(db, sql, a, b, id, NULL, 1, err);
}

int chart_history_put(mrt_db *db, const struct chart_ctx *c, const char *snap_sql,
                      const char *hist_sql, int64_t patient, int64_t id, int64_t version,
                      mrt_err *err)
{
	mrt_stmt *st = mrt_db_stmt(db, snap_sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, id);
	int rc = mrt_stmt_step(st, err);
	char *snap = rc == 1 ? chart_row_snapshot(st) : NULL;
	mrt_stmt_reset(st);
	if (rc < 0)
		return rc;
	if (!snap)
		return mrt_err_set(err, MRT_ENOMEM, "row %" PRId64 ": snapshot failed", id);
	st = mrt_db_stmt(db, hist_sql, err);
	if (!st) {
		free(snap);
		return err->code;
	}
	mrt_stmt_bind_int(st, 1, patient);
	mrt_stmt_bind_int(st, 2, id);
	mrt_stmt_bind_int(st, 3, version);
	mrt_stmt_bind_text(st, 4, snap);
	mrt_stmt_bind_text(st, 5, c->now);
	chart_bind_id(st, 6, c->user_id);
	mrt_stmt_bind_text(st, 7, c->source);
	rc = mrt_stmt_run(st, err);
	sodium_memzero(snap, strlen(snap));
	free(snap);
	return rc;
}

int chart_one_of(const char *s, const char *const *set, size_t n)
{
	if (!s || !*s)
		return 1;
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, set[i]) == 0)
			return 1;
	return 0;
}
