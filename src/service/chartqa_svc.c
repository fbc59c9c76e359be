/*
 * `mrt chart analyze` (chartqa_svc.h): for each stored encounter in scope,
 * its current documents and procedures through the rules of its class
 * (chart/deficiency.h); a new deficiency is stored with a work item for
 * its physician (the linked user, else the physician role), one no longer
 * found is closed with its work item, one still found stays as it is (a
 * re-run never duplicates), and records incomplete past the delinquency
 * day are marked delinquent. One transaction; one audit event per
 * encounter whose deficiencies changed and one for the run.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "chart/chart.h"
#include "chart/deficiency.h"
#include "service/chartqa_int.h"
#include "service/queue_svc.h"

#define MAX_DOCS 256
#define MAX_PX 200
#define MAX_FIND 300

struct doc_row {
	char ref[160];
	char status[16];
};

struct run {
	mrt_session *s;
	struct cq_rules rules;
	struct dq_doc docs[MAX_DOCS];
	struct doc_row drow[MAX_DOCS];
	struct dq_proc px[MAX_PX];
	char pcode[MAX_PX][8];
	struct dq_finding f[MAX_FIND];
	mrt_day today;
	int opened, closed, delinquent;
};

static int64_t time_of(const char *t)
{
	int64_t m;
	return t && dq_time_parse(t, &m) == 0 ? m : DQ_NO_TIME;
}

static int load_docs(struct run *r, int64_t enc, size_t *n, mrt_err *err)
{
	static const char sql[] =
	    "SELECT id, doc_ref, type_system, type, title, status, author_id, written_at"
	    " FROM document WHERE encounter_id = ? AND superseded_by IS NULL ORDER BY id";
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(r->s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, enc);
	int rc;
	*n = 0;
	while ((rc = mrt_stmt_step(st, err)) == 1 && *n < MAX_DOCS) {
		struct dq_doc *d = &r->docs[*n];
		struct doc_row *w = &r->drow[*n];
		mrt_strlcpy(w->ref, mrt_stmt_text(st, 1) ? mrt_stmt_text(st, 1) : "",
			    sizeof w->ref);
		mrt_strlcpy(w->status, mrt_stmt_text(st, 5), sizeof w->status);
		*d = (struct dq_doc){.id = mrt_stmt_int(st, 0),
				     .ref = w->ref,
				     .status = w->status,
				     .kind = dq_doc_kind(mrt_stmt_text(st, 2), mrt_stmt_text(st, 3),
							 mrt_stmt_text(st, 4)),
				     .author_id = mrt_stmt_int(st, 6),
				     .written = time_of(mrt_stmt_text(st, 7))};
		(*n)++;
	}
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int load_px(struct run *r, int64_t enc, size_t *n, mrt_err *err)
{
	static const char sql[] =
	    "SELECT p.seq, p.system, p.code, p.performed_at, p.surgeon_id FROM procedure p"
	    " JOIN coding c ON c.id = p.coding_id"
	    " WHERE c.encounter_id = ? AND c.superseded_by IS NULL ORDER BY p.seq";
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(r->s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, enc);
	int rc;
	*n = 0;
	while ((rc = mrt_stmt_step(st, err)) == 1 && *n < MAX_PX) {
		const char *sys = mrt_stmt_text(st, 1);
		mrt_strlcpy(r->pcode[*n], mrt_stmt_text(st, 2) ? mrt_stmt_text(st, 2) : "",
			    sizeof r->pcode[*n]);
		r->px[*n] = (struct dq_proc){
		    .seq = (int)mrt_stmt_int(st, 0),
		    .system = sys && strcmp(sys, CHART_SYS_ICD10PCS) == 0 ? "ICD-10-PCS" : "other",
		    .code = r->pcode[*n],
		    .performed = time_of(mrt_stmt_text(st, 3)),
		    .surgeon_id = mrt_stmt_int(st, 4)};
		(*n)++;
	}
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* The user linked to a provider (its name into out), "" when none. */
int cq_provider_user(mrt_session *s, int64_t provider, char *out, size_t cap, int64_t *uid,
		     mrt_err *err)
{
	static const char sql[] = "SELECT id, name FROM app_user WHERE provider_id = ? AND active "
				  "= 1 ORDER BY id LIMIT 1";
	out[0] = 0;
	if (uid)
		*uid = 0;
	if (!provider)
		return 0;
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, provider);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1) {
		if (uid)
			*uid = mrt_stmt_int(st, 0);
		mrt_strlcpy(out, mrt_stmt_text(st, 1), cap);
	}
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int open_item(struct run *r, const struct cq_enc *e, const struct dq_finding *f, int64_t def,
		     const char *due, mrt_err *err)
{
	char user[128], subject[32], title[240];
	int rc = cq_provider_user(r->s, f->provider_id, user, sizeof user, NULL, err);
	if (rc)
		return rc;
	snprintf(subject, sizeof subject, "%" PRId64, def);
	snprintf(title, sizeof title, "chart deficiency: %s", f->detail);
	struct queue_new n = {.kind = "chart-deficiency",
			      .subject_type = "deficiency",
			      .subject_id = subject,
			      .patient_id = e->patient,
			      .title = title,
			      .assign_user = user[0] ? user : NULL,
			      .assign_role = user[0] ? NULL : MRT_ROLE_PHYSICIAN,
			      .due_date = due};
	int64_t item = 0;
	if ((rc = queue_svc_add(r->s, &n, &item, err)) != 0)
		return rc;
	static const char sql[] = "UPDATE deficiency SET work_item_id = ? WHERE id = ?";
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(r->s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, item);
	mrt_stmt_bind_int(st, 2, def);
	return mrt_stmt_run(st, err);
}

/* An open deficiency's work item still waiting with the physician role
 * goes to the physician's user once one is linked. */
static int reassign(struct run *r, const struct cq_enc *e, const struct dq_finding *f, mrt_err *err)
{
	static const char sql[] =
	    "SELECT w.id FROM deficiency d JOIN work_item w ON w.id = d.work_item_id"
	    " WHERE d.encounter_id = ? AND d.key = ? AND d.status = 'open'"
	    " AND w.status = 'open' AND w.assigned_user IS NULL";
	char user[128];
	int rc = cq_provider_user(r->s, f->provider_id, user, sizeof user, NULL, err);
	if (rc || !user[0])
		return rc;
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(r->s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, e->id);
	mrt_stmt_bind_text(st, 2, f->key);
	rc = mrt_stmt_step(st, err);
	int64_t item = rc == 1 ? mrt_stmt_int(st, 0) : 0;
	mrt_stmt_reset(st);
	if (rc < 0 || !item)
		return rc < 0 ? rc : 0;
	return queue_svc_assign(r->s, item, user, NULL, err);
}

/* Inserts the finding unless it is already open; *added says which. */
static int put_finding(struct run *r, const struct cq_enc *e, const struct dq_finding *f,
		       const char *due, int *added, mrt_err *err)
{
	static const char sql[] =
	    "INSERT INTO deficiency(patient_id, encounter_id, provider_id, kind, key, detail,"
	    " document_id, opened_at, due_date) VALUES (?,?,?,?,?,?,?,?,?)"
	    " ON CONFLICT (encounter_id, key) WHERE status = 'open' DO NOTHING";
	char now[32];
	mrt_now_iso(now);
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(r->s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, e->patient);
	mrt_stmt_bind_int(st, 2, e->id);
	if (f->provider_id)
		mrt_stmt_bind_int(st, 3, f->provider_id);
	mrt_stmt_bind_text(st, 4, f->kind);
	mrt_stmt_bind_text(st, 5, f->key);
	mrt_stmt_bind_text(st, 6, f->detail);
	if (f->document_id)
		mrt_stmt_bind_int(st, 7, f->document_id);
	mrt_stmt_bind_text(st, 8, now);
	mrt_stmt_bind_text(st, 9, due);
	int rc = mrt_stmt_run(st, err);
	*added = rc == 0 && mrt_db_changes(mrt_session_db(r->s)) > 0;
	if (rc || !*added)
		return rc ? rc : reassign(r, e, f, err);
	r->opened++;
	return open_item(r, e, f, mrt_db_last_insert_id(mrt_session_db(r->s)), due, err);
}

static int found(const struct dq_finding *f, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(f[i].key, key) == 0)
			return 1;
	return 0;
}

static int close_item(struct run *r, int64_t item, mrt_err *err)
{
	static const char sql[] = "SELECT status FROM work_item WHERE id = ?";
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(r->s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, item);
	int rc = mrt_stmt_step(st, err);
	int open = rc == 1 && (strcmp(mrt_stmt_text(st, 0), "open") == 0 ||
			       strcmp(mrt_stmt_text(st, 0), "in-progress") == 0);
	mrt_stmt_reset(st);
	if (rc < 0 || !open)
		return rc < 0 ? rc : 0;
	return queue_svc_done(r->s, item, "fixed: found complete by chart analyze", err);
}

/* Closes the open deficiencies of the encounter the run no longer finds. */
static int close_fixed(struct run *r, const struct cq_enc *e, size_t nf, int *closed, mrt_err *err)
{
	static const char sel[] = "SELECT id, key, work_item_id FROM deficiency WHERE encounter_id "
				  "= ? AND status = 'open'";
	static const char upd[] =
	    "UPDATE deficiency SET status = 'closed', closed_at = ? WHERE id = ?";
	int64_t ids[MAX_FIND], items[MAX_FIND];
	size_t n = 0;
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(r->s), sel, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, e->id);
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1 && n < MAX_FIND)
		if (!found(r->f, nf, mrt_stmt_text(st, 1))) {
			ids[n] = mrt_stmt_int(st, 0);
			items[n++] = mrt_stmt_int(st, 2);
		}
	mrt_stmt_reset(st);
	char now[32];
	mrt_now_iso(now);
	for (size_t i = 0; rc >= 0 && i < n; i++) {
		if (!(st = mrt_db_stmt(mrt_session_db(r->s), upd, err)))
			return err->code;
		mrt_stmt_bind_text(st, 1, now);
		mrt_stmt_bind_int(st, 2, ids[i]);
		if ((rc = mrt_stmt_run(st, err)) == 0 && items[i])
			rc = close_item(r, items[i], err);
	}
	*closed = (int)n;
	r->closed += (int)n;
	return rc < 0 ? rc : 0;
}

static int mark_delinquent(struct run *r, const struct cq_enc *e, const char *since, mrt_err *err)
{
	static const char sql[] =
	    "UPDATE deficiency SET delinquent_since = ? WHERE encounter_id = ? AND status = 'open'"
	    " AND delinquent_since IS NULL";
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(r->s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, since);
	mrt_stmt_bind_int(st, 2, e->id);
	return mrt_stmt_run(st, err);
}

static int analyze_one(struct run *r, const struct cq_enc *e, mrt_err *err)
{
	size_t nd = 0, np = 0;
	int rc = load_docs(r, e->id, &nd, err);
	if (rc == 0)
		rc = load_px(r, e->id, &np, err);
	if (rc)
		return rc;
	struct dq_rule rules[CQ_MAX_RULES];
	size_t nr = cq_rules_for(&r->rules, e->cls, rules);
	struct dq_encounter de = {.admit = time_of(e->admit),
				  .discharge = time_of(e->discharge),
				  .attending_id = e->attending};
	size_t nf = dq_analyze(&de, r->docs, nd, r->px, np, rules, nr, r->rules.ops, r->rules.n_ops,
			       r->f, MAX_FIND);
	if (nf > MAX_FIND)
		nf = MAX_FIND;
	char due[MRT_DATE_LEN] = "", since[MRT_DATE_LEN] = "";
	mrt_day dis = 0;
	int days = dq_delinquent_days(rules, nr);
	if (e->discharge[0] && mrt_date_parse_lead(&dis, e->discharge) == 0) {
		mrt_date_format(due, dis + days);
		mrt_date_format(since, dq_delinquent_from(dis, days));
	}
	int opened = 0, closed = 0;
	for (size_t i = 0; rc == 0 && i < nf; i++) {
		int added = 0;
		rc = put_finding(r, e, &r->f[i], due[0] ? due : NULL, &added, err);
		opened += added;
	}
	if (rc == 0)
		rc = close_fixed(r, e, nf, &closed, err);
	if (rc == 0 && since[0] && nf > 0 && r->today >= dq_delinquent_from(dis, days)) {
		r->delinquent++;
		rc = mark_delinquent(r, e, since, err);
	}
	if (rc || (!opened && !closed))
		return rc;
	char detail[96];
	snprintf(detail, sizeof detail, "deficiencies: %d opened, %d closed", opened, closed);
	return svc_audit(r->s, "chart.analyze", "encounter", e->id, e->patient, NULL, detail, err);
}

static int analyze_all(struct run *r, const struct chartqa_scope *sc, json_t **out, mrt_err *err)
{
	struct cq_enc *encs = NULL;
	size_t n = 0;
	int rc = cq_load_rules(r->s, &r->rules, err);
	if (rc == 0)
		rc = cq_encounters(r->s, sc, &encs, &n, err);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = analyze_one(r, &encs[i], err);
	free(encs);
	if (rc == 0 && sc->account && n == 0)
		rc = mrt_err_set(err, MRT_ENOTFOUND, "--account: no encounter with that account");
	char detail[128];
	snprintf(detail, sizeof detail, "%zu encounters: %d opened, %d closed, %d delinquent", n,
		 r->opened, r->closed, r->delinquent);
	if (rc == 0)
		rc = svc_audit(r->s, "chart.analyze", "deficiency", 0, 0, NULL, detail, err);
	if (rc == 0)
		rc = cq_scope_json(r->s, sc, out, err);
	if (rc == 0)
		json_object_update_new(*out,
				       json_pack("{s:I, s:i, s:i}", "encounters", (json_int_t)n,
						 "opened", r->opened, "closed", r->closed));
	return rc;
}

int chartqa_svc_analyze(mrt_session *s, const struct chartqa_scope *sc, json_t **out, mrt_err *err)
{
	*out = NULL;
	int rc = cq_check_scope(sc, err);
	if (rc || (rc = mrt_session_require(s, MRT_ROLE_HIM, "chart.analyze", err)) != 0)
		return rc;
	struct run *r = calloc(1, sizeof *r);
	if (!r)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	r->s = s;
	r->today = mrt_date_today();
	if ((rc = mrt_db_begin(mrt_session_db(s), err)) == 0)
		rc = svc_finish_json(mrt_session_db(s), analyze_all(r, sc, out, err), out, err);
	free(r);
	return rc;
}
