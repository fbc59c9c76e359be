/*
 * The reading side of chart completion (chartqa_svc.h): the rule table in
 * memory, the encounters a run covers, and the deficiency listings
 * (`mrt chart deficiencies`, the analysis's own answer).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/str.h"
#include "service/access_svc.h"
#include "service/chartqa_int.h"

static void copy(char *dst, size_t cap, const char *src)
{
	mrt_strlcpy(dst, src ? src : "", cap);
}

static int load_ops(mrt_session *s, struct cq_rules *r, mrt_err *err)
{
	static const char sql[] = "SELECT section, approach FROM operative_procedure_rule"
				  " WHERE enabled = 1 AND system = 'ICD-10-PCS' ORDER BY id";
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1 && r->n_ops < CQ_MAX_RULES) {
		const char *a = mrt_stmt_text(st, 1);
		r->ops[r->n_ops++] = (struct dq_op_rule){mrt_stmt_text(st, 0)[0], a ? a[0] : 0};
	}
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int cq_load_rules(mrt_session *s, struct cq_rules *r, mrt_err *err)
{
	static const char sql[] =
	    "SELECT class, requirement, doc_kind, before_hours, after_hours, short_stay_hours,"
	    " short_stay_kind, delinquent_days FROM deficiency_rule WHERE enabled = 1 ORDER BY id";
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	int rc;
	r->n = r->n_ops = 0;
	while ((rc = mrt_stmt_step(st, err)) == 1 && r->n < CQ_MAX_RULES) {
		struct cq_rule_row *w = &r->rows[r->n++];
		copy(w->cls, sizeof w->cls, mrt_stmt_text(st, 0));
		copy(w->requirement, sizeof w->requirement, mrt_stmt_text(st, 1));
		copy(w->doc_kind, sizeof w->doc_kind, mrt_stmt_text(st, 2));
		copy(w->short_stay_kind, sizeof w->short_stay_kind, mrt_stmt_text(st, 6));
		w->r = (struct dq_rule){.before_hours = (int)mrt_stmt_int(st, 3),
					.after_hours = (int)mrt_stmt_int(st, 4),
					.short_stay_hours = (int)mrt_stmt_int(st, 5),
					.delinquent_days = (int)mrt_stmt_int(st, 7)};
	}
	mrt_stmt_reset(st);
	return rc < 0 ? rc : load_ops(s, r, err);
}

size_t cq_rules_for(const struct cq_rules *r, const char *cls, struct dq_rule *out)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++) {
		const struct cq_rule_row *w = &r->rows[i];
		if (strcmp(w->cls, cls) != 0)
			continue;
		out[n] = w->r;
		out[n].requirement = w->requirement;
		out[n].doc_kind = w->doc_kind[0] ? w->doc_kind : NULL;
		out[n].short_stay_kind = w->short_stay_kind[0] ? w->short_stay_kind : NULL;
		n++;
	}
	return n;
}

int cq_check_scope(const struct chartqa_scope *sc, mrt_err *err)
{
	mrt_day d;
	if (sc->account && (sc->from || sc->to))
		return mrt_err_set(err, MRT_EINVAL, "--account or --from/--to, not both");
	if (!sc->from != !sc->to)
		return mrt_err_set(err, MRT_EINVAL, "--from and --to go together");
	if (sc->from && mrt_date_parse(&d, sc->from) != 0)
		return mrt_err_set(err, MRT_EINVAL, "--from: not a date (YYYY-MM-DD)");
	if (sc->to && mrt_date_parse(&d, sc->to) != 0)
		return mrt_err_set(err, MRT_EINVAL, "--to: not a date (YYYY-MM-DD)");
	return 0;
}

#define SCOPE_WHERE                                                                                \
	" e.status NOT IN ('merged','cancelled') AND (?1 IS NULL OR e.account = ?1)"               \
	" AND (?2 IS NULL OR substr(e.discharge_at, 1, 10) BETWEEN ?2 AND ?3)"

static void bind_scope(mrt_stmt *st, const struct chartqa_scope *sc)
{
	mrt_stmt_bind_text(st, 1, sc->account);
	mrt_stmt_bind_text(st, 2, sc->from);
	mrt_stmt_bind_text(st, 3, sc->to);
}

int cq_encounters(mrt_session *s, const struct chartqa_scope *sc, struct cq_enc **out, size_t *n,
		  mrt_err *err)
{
	static const char sql[] =
	    "SELECT e.id, e.patient_id, coalesce(e.attending_id, 0), coalesce(e.class, ''),"
	    " e.admit_at, e.discharge_at FROM encounter e WHERE" SCOPE_WHERE " ORDER BY e.id";
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	bind_scope(st, sc);
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		struct cq_enc *g = mrt_grow(*out, &cap, *n + 1, sizeof *g, 64);
		if (!g) {
			rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
			break;
		}
		*out = g;
		struct cq_enc *e = &(*out)[(*n)++];
		e->id = mrt_stmt_int(st, 0);
		e->patient = mrt_stmt_int(st, 1);
		e->attending = mrt_stmt_int(st, 2);
		copy(e->cls, sizeof e->cls, mrt_stmt_text(st, 3));
		copy(e->admit, sizeof e->admit, mrt_stmt_text(st, 4));
		copy(e->discharge, sizeof e->discharge, mrt_stmt_text(st, 5));
	}
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

#define DEF_COLS                                                                                   \
	"SELECT d.id, e.account, d.kind, d.detail, coalesce(p.name, p.ident) AS physician,"        \
	" (SELECT name FROM app_user WHERE provider_id = d.provider_id ORDER BY id LIMIT 1)"       \
	" AS physician_user, d.status, d.opened_at, d.closed_at, d.due_date, d.delinquent_since,"  \
	" d.work_item_id AS work_item, d.patient_id, d.encounter_id FROM deficiency d JOIN encounter e ON e.id = d.encounter_id" \
	" LEFT JOIN provider p ON p.id = d.provider_id WHERE"

/* Deficiencies of the scope (and of provider, when not 0) with status. */
static int def_rows(mrt_session *s, const struct chartqa_scope *sc, int64_t provider,
		    const char *status, json_t *arr, mrt_err *err)
{
	static const char sql[] =
	    DEF_COLS SCOPE_WHERE " AND (?4 = 0 OR d.provider_id = ?4)"
				 " AND (?5 = 'all' OR d.status = ?5) ORDER BY d.id";
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	bind_scope(st, sc);
	mrt_stmt_bind_int(st, 4, provider);
	mrt_stmt_bind_text(st, 5, status);
	return svc_rows_json(st, arr, err);
}

/* A deficiency of an encounter or patient whose sensitivity labels the
 * reader is not covered for is listed as a stub: its id, status and dates
 * only, not the account, the document or the physician. */
static int hide_restricted(mrt_session *s, json_t *arr, mrt_err *err)
{
	size_t i;
	json_t *d;
	json_array_foreach(arr, i, d)
	{
		int64_t pid = json_integer_value(json_object_get(d, "patient_id"));
		int64_t eid = json_integer_value(json_object_get(d, "encounter_id"));
		unsigned lp = 0, le = 0;
		int rc = access_svc_labels(s, pid, "patient", pid, &lp, err);
		if (rc == 0)
			rc = access_svc_labels(s, pid, "encounter", eid, &le, err);
		if (rc)
			return rc;
		json_object_del(d, "patient_id");
		json_object_del(d, "encounter_id");
		if (!(lp | le) || access_svc_covers(s, ACCESS_PATIENT_READ, pid, lp | le, 0))
			continue;
		json_t *stub = json_pack("{s:O?, s:s, s:s, s:b, s:O?, s:O?, s:O?, s:O?}", "id",
					 json_object_get(d, "id"), "account", "", "kind",
					 "restricted record", "restricted", 1,
					 "status", json_object_get(d, "status"), "opened_at",
					 json_object_get(d, "opened_at"), "due_date",
					 json_object_get(d, "due_date"), "delinquent_since",
					 json_object_get(d, "delinquent_since"));
		if (!stub)
			return mrt_err_set(err, MRT_ENOMEM, "out of memory");
		json_array_set_new(arr, i, stub);
	}
	return 0;
}

static void counts(json_t *o, json_t *arr)
{
	size_t i, open = 0, late = 0, recs = 0;
	json_t *d;
	json_array_foreach(arr, i, d)
	{
		if (strcmp(json_string_value(json_object_get(d, "status")), "open") != 0)
			continue;
		open++;
		if (!json_is_string(json_object_get(d, "delinquent_since")))
			continue;
		late++;
		const char *acc = json_string_value(json_object_get(d, "account"));
		size_t k;
		json_t *o2;
		int seen = 0;
		json_array_foreach(arr, k, o2)
		{
			if (k >= i)
				break;
			seen |=
			    strcmp(json_string_value(json_object_get(o2, "account")), acc) == 0 &&
			    json_is_string(json_object_get(o2, "delinquent_since")) &&
			    strcmp(json_string_value(json_object_get(o2, "status")), "open") == 0;
		}
		recs += !seen;
	}
	json_object_set_new(o, "open", json_integer((json_int_t)open));
	json_object_set_new(o, "delinquent", json_integer((json_int_t)late));
	json_object_set_new(o, "delinquent_records", json_integer((json_int_t)recs));
}

int cq_scope_json(mrt_session *s, const struct chartqa_scope *sc, json_t **out, mrt_err *err)
{
	json_t *arr = json_array();
	int rc = def_rows(s, sc, 0, "open", arr, err);
	*out = json_object();
	counts(*out, arr);
	if (rc == 0)
		rc = hide_restricted(s, arr, err);
	json_object_set_new(*out, "deficiencies", arr);
	return rc;
}

/* The provider a --physician NAME names: a user's linked provider, or a
 * provider identifier. */
static int physician_provider(mrt_session *s, const char *name, int64_t *id, mrt_err *err)
{
	static const char sql[] =
	    "SELECT provider_id FROM app_user WHERE name = ?1 AND provider_id IS NOT NULL"
	    " UNION ALL SELECT id FROM provider WHERE ident = ?1 LIMIT 1";
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, name);
	int rc = mrt_stmt_step(st, err);
	*id = rc == 1 ? mrt_stmt_int(st, 0) : 0;
	mrt_stmt_reset(st);
	if (rc == 0)
		return mrt_err_set(err, MRT_ENOTFOUND,
				   "--physician: no linked user or provider"
				   " identifier by that name");
	return rc < 0 ? rc : 0;
}

static int whose(mrt_session *s, const struct chartqa_filter *f, int64_t *provider, mrt_err *err)
{
	int him = mrt_session_has_role(s, MRT_ROLE_HIM);
	*provider = 0;
	if (f->mine || (!him && !f->physician)) {
		if (!mrt_session_has_role(s, MRT_ROLE_PHYSICIAN) && !him)
			return mrt_session_require(s, MRT_ROLE_HIM, "chart.deficiencies", err);
		*provider = mrt_session_provider_id(s);
		if (!*provider)
			return mrt_err_set(err, MRT_EINVAL,
					   "--mine: your user is not linked to a"
					   " provider (mrt user link)");
		return 0;
	}
	if (!him)
		return mrt_session_require(s, MRT_ROLE_HIM, "chart.deficiencies", err);
	return f->physician ? physician_provider(s, f->physician, provider, err) : 0;
}

int chartqa_svc_deficiencies(mrt_session *s, const struct chartqa_filter *f, json_t **out,
			     mrt_err *err)
{
	*out = NULL;
	const char *status = f->status ? f->status : "open";
	if (strcmp(status, "open") && strcmp(status, "closed") && strcmp(status, "all"))
		return mrt_err_set(err, MRT_EINVAL, "--status: open, closed or all");
	int64_t provider = 0;
	int rc = whose(s, f, &provider, err);
	if (rc)
		return rc;
	mrt_db *db = mrt_session_db(s);
	if ((rc = mrt_db_begin(db, err)) != 0)
		return rc;
	struct chartqa_scope all = {0};
	json_t *arr = json_array(), *late = json_array();
	rc = def_rows(s, &all, provider, status, arr, err);
	if (rc == 0)
		rc = def_rows(s, &all, provider, "open", late, err);
	if (rc == 0)
		rc = hide_restricted(s, arr, err);
	*out = json_object();
	counts(*out, late);
	json_decref(late);
	json_object_set_new(*out, "deficiencies", arr);
	char detail[64];
	snprintf(detail, sizeof detail, "%zu deficiencies (%s)", json_array_size(arr), status);
	if (rc == 0)
		rc = svc_audit(s, "chart.deficiencies", "provider", provider, 0, NULL, detail, err);
	return svc_finish_json(db, rc, out, err);
}
