/*
 * Codings: each version of an encounter's diagnoses and procedures. A
 * change (replace, merge or keep, per list) is compared with the current
 * coding; only a real difference writes a new version, which supersedes the
 * old one (kept) and gets its findings: every ICD-10-CM and ICD-10-PCS code
 * checked against the release in effect on the discharge date.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "chart/chart_int.h"
#include "codes/release.h"
#include "codes/show.h"

enum { DX_SYS, DX_CODE, DX_DISPLAY, DX_POA, DX_KIND, DX_ONSET, DX_REF, DX_N };
enum { PX_SYS, PX_CODE, PX_DISPLAY, PX_AT, PX_REF, PX_N };
#define ITEM_F 7

struct item {
	char *f[ITEM_F];
	int64_t surgeon;
};

struct list {
	struct item *v;
	size_t n, cap;
};

static void list_free(struct list *l)
{
	for (size_t i = 0; i < l->n; i++)
		for (int j = 0; j < ITEM_F; j++)
			free(l->v[i].f[j]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

static int list_push(struct list *l, const char *const *f, int nf, int64_t surgeon, mrt_err *err)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct item *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return mrt_err_set(err, MRT_ENOMEM, "out of memory");
		l->v = v;
		l->cap = cap;
	}
	struct item *it = &l->v[l->n];
	memset(it, 0, sizeof *it);
	for (int j = 0; j < nf; j++) {
		if (f[j] && *f[j] && !(it->f[j] = strdup(f[j])))
			return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	}
	it->surgeon = surgeon;
	l->n++;
	return 0;
}

static void item_set(struct item *it, const char *const *f, int nf, int64_t surgeon)
{
	for (int j = 0; j < nf; j++) {
		free(it->f[j]);
		it->f[j] = f[j] && *f[j] ? strdup(f[j]) : NULL;
	}
	it->surgeon = surgeon;
}

static int item_eq(const struct item *a, const struct item *b, int nf)
{
	for (int j = 0; j < nf; j++)
		if (!chart_same(a->f[j], b->f[j]))
			return 0;
	return a->surgeon == b->surgeon;
}

static int list_eq(const struct list *a, const struct list *b, int nf)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (!item_eq(&a->v[i], &b->v[i], nf))
			return 0;
	return 1;
}

static int load_current(mrt_db *db, int64_t coding, struct list *dx, struct list *px,
                        mrt_err *err)
{
	static const char dx_sql[] =
		"SELECT system, code, display, poa, kind, onset, source_ref FROM diagnosis"
		" WHERE coding_id = ? ORDER BY seq";
	static const char px_sql[] =
		"SELECT system, code, display, performed_at, source_ref, surgeon_id FROM procedure"
		" WHERE coding_id = ? ORDER BY seq";
	for (int k = 0; k < 2; k++) {
		mrt_stmt *st = mrt_db_stmt(db, k ? px_sql : dx_sql, err);
		if (!st)
			return err->code;
		mrt_stmt_bind_int(st, 1, coding);
		int nf = k ? PX_N : DX_N, rc;
		while ((rc = mrt_stmt_step(st, err)) == 1) {
			const char *f[ITEM_F] = { 0 };
			for (int j = 0; j < nf; j++)
				f[j] = mrt_stmt_text(st, j);
			int64_t surgeon = k && !mrt_stmt_is_null(st, 5) ? mrt_stmt_int(st, 5) : 0;
			if ((rc = list_push(k ? px : dx, f, nf, surgeon, err)) != 0)
				break;
		}
		mrt_stmt_reset(st);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static void dx_fields(const struct chart_dx *d, const char **f)
{
	f[DX_SYS] = d->system;
	f[DX_CODE] = d->code;
	f[DX_DISPLAY] = d->display;
	f[DX_POA] = d->poa;
	f[DX_KIND] = d->kind && *d->kind ? d->kind : "secondary";
	f[DX_ONSET] = d->onset;
	f[DX_REF] = d->source_ref;
}

static void px_fields(const struct chart_px *p, const char **f)
{
	f[PX_SYS] = p->system;
	f[PX_CODE] = p->code;
	f[PX_DISPLAY] = p->display;
	f[PX_AT] = p->performed_at;
	f[PX_REF] = p->source_ref;
}

/* Merge: same source_ref replaces; same key (system, code and kind or
 * date) replaces unless both items carry their own (different)
 * references; otherwise appended. */
static int merge_one(struct list *l, const char *const *f, int nf, int keyf, int refi,
                     int64_t surgeon, mrt_err *err)
{
	int has_ref = f[refi] && *f[refi];
	for (size_t i = 0; i < l->n; i++) {
		struct item *it = &l->v[i];
		int same_ref = has_ref && chart_same(it->f[refi], f[refi]);
		/* Two items that each carry their own reference are two items,
		 * even with the same code. */
		int same_key = (!has_ref || !it->f[refi]) && chart_same(it->f[0], f[0]) &&
		               chart_same(it->f[1], f[1]) && chart_same(it->f[keyf], f[keyf]);
		if (same_ref || same_key) {
			item_set(it, f, nf, surgeon);
			return 0;
		}
	}
	return list_push(l, f, nf, surgeon, err);
}

static int build(const struct chart_coding_change *ch, struct list *dx, struct list *px,
                 mrt_err *err)
{
	int rc = 0;
	if (ch->dx_mode == CHART_REPLACE) {
		list_free(dx);
	}
	for (size_t i = 0; rc == 0 && ch->dx_mode != CHART_KEEP && i < ch->n_dx; i++) {
		const char *f[ITEM_F] = { 0 };
		dx_fields(&ch->dx[i], f);
		if (!f[DX_CODE] || !*f[DX_CODE] || !f[DX_SYS] || !*f[DX_SYS])
			return mrt_err_set(err, MRT_EINVAL, "diagnosis %zu: no code or system", i + 1);
		rc = ch->dx_mode == CHART_REPLACE ? list_push(dx, f, DX_N, 0, err)
		                                  : merge_one(dx, f, DX_N, DX_KIND, DX_REF, 0, err);
	}
	if (ch->px_mode == CHART_REPLACE)
		list_free(px);
	for (size_t i = 0; rc == 0 && ch->px_mode != CHART_KEEP && i < ch->n_px; i++) {
		const char *f[ITEM_F] = { 0 };
		px_fields(&ch->px[i], f);
		if (!f[PX_CODE] || !*f[PX_CODE] || !f[PX_SYS] || !*f[PX_SYS])
			return mrt_err_set(err, MRT_EINVAL, "procedure %zu: no code or system", i + 1);
		rc = ch->px_mode == CHART_REPLACE
		             ? list_push(px, f, PX_N, ch->px[i].surgeon_id, err)
		             : merge_one(px, f, PX_N, PX_AT, PX_REF, ch->px[i].surgeon_id, err);
	}
	return rc;
}

static int kind_valid(const char *k)
{
	return strcmp(k, "principal") == 0 || strcmp(k, "secondary") == 0 ||
	       strcmp(k, "admitting") == 0;
}

static int write_items(mrt_db *db, int64_t patient, int64_t enc, int64_t coding,
                       const struct list *dx, const struct list *px, mrt_err *err)
{
	static const char dx_sql[] =
		"INSERT INTO diagnosis (patient_id, encounter_id, coding_id, seq, system, code, display,"
		" poa, kind, onset, source_ref) VALUES (?,?,?,?,?,?,?,?,?,?,?)";
	static const char px_sql[] =
		"INSERT INTO procedure (patient_id, encounter_id, coding_id, seq, system, code, display,"
		" performed_at, source_ref, surgeon_id) VALUES (?,?,?,?,?,?,?,?,?,?)";
	for (int k = 0; k < 2; k++) {
		const struct list *l = k ? px : dx;
		int nf = k ? PX_N : DX_N;
		for (size_t i = 0; i < l->n; i++) {
			if (!k && !kind_valid(l->v[i].f[DX_KIND]))
				return mrt_err_set(err, MRT_EINVAL, "diagnosis %zu: kind must be principal,"
				                   " secondary or admitting", i + 1);
			mrt_stmt *st = mrt_db_stmt(db, k ? px_sql : dx_sql, err);
			if (!st)
				return err->code;
			mrt_stmt_bind_int(st, 1, patient);
			mrt_stmt_bind_int(st, 2, enc);
			mrt_stmt_bind_int(st, 3, coding);
			mrt_stmt_bind_int(st, 4, (int64_t)i + 1);
			for (int j = 0; j < nf; j++)
				chart_bind(st, 5 + j, l->v[i].f[j]);
			if (k)
				chart_bind_id(st, 10, l->v[i].surgeon);
			int rc = mrt_stmt_run(st, err);
			if (rc)
				return mrt_err_prefix(err, "%s %zu", k ? "procedure" : "diagnosis", i + 1);
		}
	}
	return 0;
}

/* out->release_id and out->code set: fills status and title. */
static int code_in_release(mrt_db *db, struct chart_code_check *out, mrt_err *err)
{
	static const char sql[] = "SELECT billable, long_title FROM code WHERE release_id = ? AND code = ?";
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, out->release_id);
	mrt_stmt_bind_text(st, 2, out->code);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1) {
		out->status = mrt_stmt_int(st, 0) ? CHART_CODE_OK : CHART_CODE_NOT_BILLABLE;
		mrt_strlcpy(out->title, mrt_stmt_text(st, 1), sizeof out->title);
	} else if (rc == 0) {
		out->status = CHART_CODE_INVALID;
	}
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int chart_code_check(mrt_db *db, const char *system_release, const char *code, mrt_day day,
                     struct chart_code_check *out, mrt_err *err)
{
	memset(out, 0, sizeof *out);
	if (codes_normalize(code, out->code) != 0) {
		out->status = CHART_CODE_MALFORMED;
		return 0;
	}
	int rc = codes_release_id_on(db, system_release, day, &out->release_id, out->release, err);
	if (rc == MRT_ENOTFOUND) {
		out->release_id = 0;
		out->release[0] = 0;
		out->status = CHART_CODE_NO_RELEASE;
		return 0;
	}
	return rc ? rc : code_in_release(db, out, err);
}

int chart_code_children(mrt_db *db, int64_t release_id, const char *code, size_t max,
                        json_t **out, mrt_err *err)
{
	static const char sql[] =
		"SELECT code, long_title FROM code WHERE release_id = ?1 AND code > ?2"
		" AND code < ?2 || '~' AND billable = 1 ORDER BY code LIMIT ?3";
	*out = NULL;
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, release_id);
	mrt_stmt_bind_text(st, 2, code);
	mrt_stmt_bind_int(st, 3, (int64_t)max);
	json_t *a = json_array();
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1)
		json_array_append_new(a, json_pack("{s:s, s:s}", "code", mrt_stmt_text(st, 0), "title",
		                                   mrt_stmt_text(st, 1)));
	mrt_stmt_reset(st);
	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

static const char *sys_label(const char *rel)
{
	return strcmp(rel, "icd10cm") == 0 ? "ICD-10-CM" : "ICD-10-PCS";
}

static int finding(mrt_db *db, int64_t patient, int64_t enc, int64_t coding, const char *item,
                   size_t seq, const char *system, const char *code, const char *problem,
                   const char *msg, mrt_err *err)
{
	static const char sql[] =
		"INSERT INTO coding_finding (patient_id, encounter_id, coding_id, item, seq, system, code,"
		" problem, message) VALUES (?,?,?,?,?,?,?,?,?)";
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, patient);
	mrt_stmt_bind_int(st, 2, enc);
	mrt_stmt_bind_int(st, 3, coding);
	mrt_stmt_bind_text(st, 4, item);
	mrt_stmt_bind_int(st, 5, (int64_t)seq);
	mrt_stmt_bind_text(st, 6, system);
	mrt_stmt_bind_text(st, 7, code);
	mrt_stmt_bind_text(st, 8, problem);
	mrt_stmt_bind_text(st, 9, msg);
	return mrt_stmt_run(st, err);
}

/* The day codes are checked on: discharge, else admission; 0 when none. */
static int coding_day(mrt_db *db, int64_t enc, mrt_day *day, char date[MRT_DATE_LEN],
                      mrt_err *err)
{
	static const char sql[] =
		"SELECT substr(coalesce(discharge_at, admit_at), 1, 10) FROM encounter WHERE id = ?";
	*day = 0;
	date[0] = 0;
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, enc);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1 && mrt_stmt_text(st, 0) && mrt_date_parse(day, mrt_stmt_text(st, 0)) == 0)
		mrt_strlcpy(date, mrt_stmt_text(st, 0), MRT_DATE_LEN);
	else
		*day = 0;
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

struct check_state {
	mrt_db *db;
	int64_t patient, enc, coding;
	mrt_day day;
	char date[MRT_DATE_LEN];
	int no_release[2];
	int looked_up[2];   /* the release of each system is found once per coding */
	int64_t release_id[2];
	char release[2][16];
	struct chart_cache *cache; /* the run's code indexes, or NULL */
};

static int lookup_release(struct check_state *cs, int k, const char *rel, mrt_err *err)
{
	if (cs->looked_up[k] || !cs->day)
		return 0;
	int rc = codes_release_id_on(cs->db, rel, cs->day, &cs->release_id[k], cs->release[k], err);
	if (rc && rc != MRT_ENOTFOUND)
		return rc;
	if (rc)
		cs->release_id[k] = 0;
	cs->looked_up[k] = 1;
	return 0;
}

/* The releases the codes of a coding are checked against, before the
 * coding row is written (it records them). */
static int lookup_releases(struct check_state *cs, const struct list *dx, const struct list *px,
                           mrt_err *err)
{
	int rc = 0;
	for (int k = 0; k < 2; k++) {
		const struct list *l = k ? px : dx;
		for (size_t i = 0; rc == 0 && i < l->n; i++) {
			const char *rel = chart_system_release(l->v[i].f[0]);
			if (rel)
				rc = lookup_release(cs, strcmp(rel, "icd10pcs") == 0, rel, err);
		}
	}
	return rc;
}

/* chart_code_check with the release of system k looked up once. */
static int check_cached(struct check_state *cs, int k, const char *rel, const char *code,
                        struct chart_code_check *r, mrt_err *err)
{
	memset(r, 0, sizeof *r);
	if (codes_normalize(code, r->code) != 0) {
		r->status = CHART_CODE_MALFORMED;
		return 0;
	}
	int rc = lookup_release(cs, k, rel, err);
	if (rc)
		return rc;
	if (!cs->release_id[k]) {
		r->status = CHART_CODE_NO_RELEASE;
		return 0;
	}
	r->release_id = cs->release_id[k];
	mrt_strlcpy(r->release, cs->release[k], sizeof r->release);
	if (cs->cache)
		return chart_cache_status(cs->db, cs->cache, r, err);
	return code_in_release(cs->db, r, err);
}

static int check_one(struct check_state *cs, const char *item, size_t seq, const char *system,
                     const char *code, mrt_err *err)
{
	const char *rel = chart_system_release(system);
	if (!rel)
		return 0;
	int k = strcmp(rel, "icd10pcs") == 0;
	char msg[200];
	if (!cs->day) {
		if (cs->no_release[k]++)
			return 0;
		snprintf(msg, sizeof msg, "the encounter has no admission or discharge date: %s codes"
		         " not checked", sys_label(rel));
		return finding(cs->db, cs->patient, cs->enc, cs->coding, item, 0, system, "",
		               "no-date", msg, err);
	}
	struct chart_code_check r;
	int rc = check_cached(cs, k, rel, code, &r, err);
	if (rc)
		return rc;
	const char *problem = NULL;
	switch (r.status) {
	case CHART_CODE_OK:
		return 0;
	case CHART_CODE_NO_RELEASE:
		if (cs->no_release[k]++)
			return 0;
		snprintf(msg, sizeof msg, "no %s release in effect on %s: codes not checked",
		         sys_label(rel), cs->date);
		return finding(cs->db, cs->patient, cs->enc, cs->coding, item, 0, system, "",
		               "no-release", msg, err);
	case CHART_CODE_MALFORMED:
		problem = "malformed";
		snprintf(msg, sizeof msg, "not a well-formed %s code", sys_label(rel));
		break;
	case CHART_CODE_INVALID:
		problem = "invalid";
		snprintf(msg, sizeof msg, "not a valid %s code on %s (release %s)", sys_label(rel),
		         cs->date, r.release);
		break;
	case CHART_CODE_NOT_BILLABLE:
		problem = "not-billable";
		snprintf(msg, sizeof msg, "a header, not a billable %s code on %s (release %s)",
		         sys_label(rel), cs->date, r.release);
		break;
	}
	return finding(cs->db, cs->patient, cs->enc, cs->coding, item, seq, system, code, problem,
	               msg, err);
}

static int check_all(struct check_state *cs, const struct list *dx, const struct list *px,
                     mrt_err *err)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < dx->n; i++)
		rc = check_one(cs, "diagnosis", i + 1, dx->v[i].f[DX_SYS], dx->v[i].f[DX_CODE], err);
	for (size_t i = 0; rc == 0 && i < px->n; i++)
		rc = check_one(cs, "procedure", i + 1, px->v[i].f[PX_SYS], px->v[i].f[PX_CODE], err);
	return rc;
}

static int current_coding(mrt_db *db, int64_t enc, int64_t *id, int64_t *version, mrt_err *err)
{
	static const char sql[] =
		"SELECT id, version FROM coding WHERE encounter_id = ? AND superseded_by IS NULL";
	*id = *version = 0;
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, enc);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1) {
		*id = mrt_stmt_int(st, 0);
		*version = mrt_stmt_int(st, 1);
	}
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int new_coding(mrt_db *db, const struct chart_ctx *c, const struct check_state *cs,
                      int64_t old, int64_t version, int64_t *id, mrt_err *err)
{
	static const char ins_sql[] =
		"INSERT INTO coding (patient_id, encounter_id, version, source, created_at, created_by,"
		" supersedes, cm_release_id, pcs_release_id) VALUES (?,?,?,?,?,?,?,?,?)";
	int64_t patient = cs->patient, enc = cs->enc;
	static const char sup_sql[] = "UPDATE coding SET superseded_by = ? WHERE id = ?";
	mrt_stmt *st = mrt_db_stmt(db, ins_sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, patient);
	mrt_stmt_bind_int(st, 2, enc);
	mrt_stmt_bind_int(st, 3, version + 1);
	mrt_stmt_bind_text(st, 4, c->source);
	mrt_stmt_bind_text(st, 5, c->now);
	chart_bind_id(st, 6, c->user_id);
	chart_bind_id(st, 7, old);
	chart_bind_id(st, 8, cs->release_id[0]);
	chart_bind_id(st, 9, cs->release_id[1]);
	int rc = mrt_stmt_run(st, err);
	if (rc)
		return rc;
	*id = mrt_db_last_insert_id(db);
	if (!old)
		return 0;
	st = mrt_db_stmt(db, sup_sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, *id);
	mrt_stmt_bind_int(st, 2, old);
	return mrt_stmt_run(st, err);
}

int chart_coding_apply(mrt_db *db, const struct chart_ctx *c, int64_t patient_id,
                       int64_t encounter_id, const struct chart_coding_change *ch,
                       int64_t *coding_id, int *changed, mrt_err *err)
{
	struct list cur_dx = { 0 }, cur_px = { 0 }, dx = { 0 }, px = { 0 };
	int64_t cur = 0, version = 0;
	*changed = 0;
	*coding_id = 0;
	int rc = current_coding(db, encounter_id, &cur, &version, err);
	if (rc == 0 && cur)
		rc = load_current(db, cur, &cur_dx, &cur_px, err);
	if (rc == 0 && cur)
		rc = load_current(db, cur, &dx, &px, err);
	if (rc == 0)
		rc = build(ch, &dx, &px, err);
	if (rc)
		goto done;
	*coding_id = cur;
	if (list_eq(&dx, &cur_dx, DX_N) && list_eq(&px, &cur_px, PX_N))
		goto done;
	struct check_state cs = { .db = db, .patient = patient_id, .enc = encounter_id,
		                  .cache = c->cache };
	rc = coding_day(db, encounter_id, &cs.day, cs.date, err);
	if (rc == 0)
		rc = lookup_releases(&cs, &dx, &px, err);
	if (rc == 0)
		rc = new_coding(db, c, &cs, cur, version, coding_id, err);
	cs.coding = *coding_id;
	if (rc == 0)
		rc = write_items(db, patient_id, encounter_id, *coding_id, &dx, &px, err);
	if (rc == 0)
		rc = check_all(&cs, &dx, &px, err);
	*changed = rc == 0;
done:
	list_free(&cur_dx);
	list_free(&cur_px);
	list_free(&dx);
	list_free(&px);
	return rc ? mrt_err_prefix(err, "coding") : 0;
}
