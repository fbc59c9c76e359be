/*
 * Coding audits, the sample and the list (coding_audit_svc.h): drawing a
 * random sample of one coder's coded encounters (libsodium randombytes,
 * or a stream derived from a given seed for a reproducible draw), a work
 * item per sampled encounter for the reviewer, and the listing of items,
 * which never shows a code. Also the helpers the other coding audit files
 * share (coding_audit_int.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/hash.h"
#include "base/str.h"
#include "service/coding_audit_int.h"
#include "service/queue_svc.h"
#include "service/svc_util.h"

int caudit_own_coder(mrt_session *s, const char *want, const struct caudit_own *o,
		     const char **coder, mrt_err *err)
{
	*coder = want;
	if (svc_is_supervisor(s))
		return 0;
	int rc = mrt_session_require(s, MRT_ROLE_CODER, o->action, err);
	if (rc)
		return rc;
	*coder = mrt_session_user(s);
	if (!want || strcmp(want, *coder) == 0)
		return 0;
	mrt_db *db = mrt_session_db(s);
	mrt_err ignored = {0};
	if (mrt_db_begin(db, &ignored) == 0)
		svc_finish(
		    db, svc_audit(s, o->action, o->object_type, 0, 0, "deny", o->detail, &ignored),
		    &ignored);
	return mrt_err_set(err, MRT_EACCESS, "%s", o->refusal);
}

static const char SQL_USER[] = "SELECT id FROM app_user WHERE name = ?1";

int caudit_user_id(mrt_db *db, const char *name, int64_t *id, mrt_err *err)
{
	mrt_stmt *st = mrt_db_stmt(db, SQL_USER, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, name);
	int rc = mrt_stmt_step(st, err);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return mrt_err_set(err, MRT_ENOTFOUND, "no user %s", name);
	*id = mrt_stmt_int(st, 0);
	mrt_stmt_reset(st);
	return 0;
}

static const char SQL_REVIEWER_ROLE[] =
    "SELECT count(*) FROM role_grant WHERE user_id = ?1 AND revoked_at IS NULL"
    " AND role IN ('coder', 'him_technician', 'admin')";

int caudit_user_may_review(mrt_db *db, int64_t user_id, int *yes, mrt_err *err)
{
	mrt_stmt *st = mrt_db_stmt(db, SQL_REVIEWER_ROLE, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, user_id);
	int rc = mrt_stmt_step(st, err);
	if (rc < 0)
		return rc;
	*yes = mrt_stmt_int(st, 0) > 0;
	mrt_stmt_reset(st);
	return 0;
}

int caudit_date_opt(const char *opt, const char *v, mrt_err *err)
{
	mrt_day d;
	if (v && (strlen(v) != 10 || mrt_date_parse(&d, v) != 0))
		return mrt_err_set(err, MRT_EINVAL, "%s: a date YYYY-MM-DD is expected", opt);
	return 0;
}

/* ---- the draw ---------------------------------------------------------- */

struct cand {
	int64_t enc, patient, coding;
	char account[64];
	char discharge[MRT_DATE_LEN];
};

struct draw {
	struct cand *c;
	size_t n, cap;
};

static const char SQL_CANDIDATES[] =
    "SELECT e.id, e.patient_id, c.id, e.account, substr(coalesce(e.discharge_at, ''), 1, 10)"
    " FROM encounter e JOIN coding c ON c.encounter_id = e.id AND c.superseded_by IS NULL"
    " WHERE e.coding_status IN ('final', 'billed') AND c.created_by = ?1 AND c.source = 'coder'"
    "   AND (?2 IS NULL OR substr(c.created_at, 1, 10) >= ?2)"
    "   AND (?3 IS NULL OR substr(c.created_at, 1, 10) <= ?3)"
    " ORDER BY e.id";

static int candidates(mrt_db *db, int64_t coder, const struct caudit_sample_req *r, struct draw *d,
		      mrt_err *err)
{
	mrt_stmt *st = mrt_db_stmt(db, SQL_CANDIDATES, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, coder);
	mrt_stmt_bind_text(st, 2, r->from);
	mrt_stmt_bind_text(st, 3, r->to);
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		struct cand *grown = mrt_grow(d->c, &d->cap, d->n + 1, sizeof *grown, 64);
		if (!grown) {
			mrt_stmt_reset(st);
			return mrt_err_set(err, MRT_ENOMEM, "out of memory");
		}
		d->c = grown;
		struct cand *c = &d->c[d->n++];
		c->enc = mrt_stmt_int(st, 0);
		c->patient = mrt_stmt_int(st, 1);
		c->coding = mrt_stmt_int(st, 2);
		mrt_strlcpy(c->account, mrt_stmt_text(st, 3), sizeof c->account);
		mrt_strlcpy(c->discharge, mrt_stmt_text(st, 4), sizeof c->discharge);
	}
	return rc < 0 ? rc : 0;
}

/* The first k of d shuffled (partial Fisher-Yates) with a stream of
 * 8 bytes a step: ChaCha20 keyed by SHA-256 of the seed. */
static int shuffle(struct draw *d, size_t k, const char *seed, mrt_err *err)
{
	unsigned char key[MRT_SHA256_LEN];
	mrt_sha256_buf(key, seed, strlen(seed));
	_Static_assert(MRT_SHA256_LEN == randombytes_SEEDBYTES, "a SHA-256 is a seed");
	unsigned char *buf = malloc(k * 8 + 1);
	if (!buf)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	randombytes_buf_deterministic(buf, k * 8, key);
	for (size_t i = 0; i < k; i++) {
		uint64_t v = 0;
		for (int b = 0; b < 8; b++)
			v = v << 8 | buf[i * 8 + (size_t)b];
		size_t j = i + (size_t)(v % (uint64_t)(d->n - i));
		struct cand t = d->c[i];
		d->c[i] = d->c[j];
		d->c[j] = t;
	}
	sodium_memzero(key, sizeof key);
	free(buf);
	return 0;
}

static const char SQL_AUDIT_INS[] =
    "INSERT INTO coding_audit (coder_id, reviewer_id, period_from, period_to, n_requested,"
    " n_eligible, n_drawn, seed, seed_given, drawn_by, drawn_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
static const char SQL_ITEM_INS[] =
    "INSERT INTO coding_audit_item (audit_id, seq, patient_id, encounter_id, coding_id)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_ITEM_WORK[] = "UPDATE coding_audit_item SET work_item_id = ?2 WHERE id = ?1";

struct sample_job {
	mrt_session *s;
	const struct caudit_sample_req *r;
	int64_t coder, reviewer, id;
	char seed[80];
	struct draw d;
	size_t k;
};

static int insert_sample(struct sample_job *j, mrt_err *err)
{
	mrt_db *db = mrt_session_db(j->s);
	char now[32];
	mrt_now_iso(now);
	mrt_stmt *st = mrt_db_stmt(db, SQL_AUDIT_INS, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, j->coder);
	if (j->reviewer)
		mrt_stmt_bind_int(st, 2, j->reviewer);
	mrt_stmt_bind_text(st, 3, j->r->from);
	mrt_stmt_bind_text(st, 4, j->r->to);
	mrt_stmt_bind_int(st, 5, j->r->n);
	mrt_stmt_bind_int(st, 6, (int64_t)j->d.n);
	mrt_stmt_bind_int(st, 7, (int64_t)j->k);
	mrt_stmt_bind_text(st, 8, j->seed);
	mrt_stmt_bind_int(st, 9, j->r->seed != NULL);
	mrt_stmt_bind_int(st, 10, mrt_session_user_id(j->s));
	mrt_stmt_bind_text(st, 11, now);
	int rc = mrt_stmt_run(st, err);
	if (rc)
		return rc;
	j->id = mrt_db_last_insert_id(db);
	return svc_audit(j->s, "coding_audit.sample", "coding_audit", j->id, 0, "allow", NULL, err);
}

static int insert_item(struct sample_job *j, size_t i, json_t *items, mrt_err *err)
{
	mrt_db *db = mrt_session_db(j->s);
	const struct cand *c = &j->d.c[i];
	mrt_stmt *st = mrt_db_stmt(db, SQL_ITEM_INS, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, j->id);
	mrt_stmt_bind_int(st, 2, (int64_t)i + 1);
	mrt_stmt_bind_int(st, 3, c->patient);
	mrt_stmt_bind_int(st, 4, c->enc);
	mrt_stmt_bind_int(st, 5, c->coding);
	int rc = mrt_stmt_run(st, err);
	if (rc)
		return rc;
	int64_t item = mrt_db_last_insert_id(db), work = 0;
	char sid[32];
	snprintf(sid, sizeof sid, "%" PRId64, item);
	struct queue_new q = {.kind = "coding-audit",
			      .subject_type = "coding_audit_item",
			      .subject_id = sid,
			      .patient_id = c->patient,
			      .title = "blind review of an audited coding",
			      .assign_user = j->r->reviewer,
			      .assign_role = j->r->reviewer ? NULL : MRT_ROLE_CODER};
	if ((rc = queue_svc_add(j->s, &q, &work, err)) != 0)
		return rc;
	if (!(st = mrt_db_stmt(db, SQL_ITEM_WORK, err)))
		return err->code;
	mrt_stmt_bind_int(st, 1, item);
	mrt_stmt_bind_int(st, 2, work);
	if ((rc = mrt_stmt_run(st, err)) != 0)
		return rc;
	rc = svc_audit(j->s, "coding_audit.draw", "coding_audit_item", item, c->patient, "allow",
		       NULL, err);
	json_array_append_new(items,
			      json_pack("{s:I, s:s, s:s}", "item", (json_int_t)item, "account",
					c->account, "discharge_date", c->discharge));
	return rc;
}

static int sample_check(struct sample_job *j, mrt_err *err)
{
	const struct caudit_sample_req *r = j->r;
	mrt_db *db = mrt_session_db(j->s);
	if (!r->coder || !*r->coder)
		return mrt_err_set(err, MRT_EINVAL, "--coder: the audited coder is required");
	if (r->n <= 0 || r->n > 10000)
		return mrt_err_set(err, MRT_EINVAL,
				   "--n: a sample size from 1 to 10000 is expected");
	int rc = caudit_date_opt("--from", r->from, err);
	if (rc == 0)
		rc = caudit_date_opt("--to", r->to, err);
	if (rc == 0 && r->seed && (!*r->seed || strlen(r->seed) >= sizeof j->seed))
		rc =
		    mrt_err_set(err, MRT_EINVAL, "--seed: 1 to %zu characters", sizeof j->seed - 1);
	if (rc == 0)
		rc = caudit_user_id(db, r->coder, &j->coder, err);
	if (rc || !r->reviewer)
		return rc;
	if ((rc = caudit_user_id(db, r->reviewer, &j->reviewer, err)) != 0)
		return rc;
	if (j->reviewer == j->coder)
		return mrt_err_set(err, MRT_EINVAL,
				   "--reviewer: a coder cannot review their own coding");
	int yes = 0;
	if ((rc = caudit_user_may_review(db, j->reviewer, &yes, err)) != 0)
		return rc;
	if (!yes)
		return mrt_err_set(err, MRT_EINVAL,
				   "--reviewer: %s is not a coder or him_technician", r->reviewer);
	return 0;
}

static json_t *sample_json(const struct sample_job *j, json_t *items)
{
	const struct caudit_sample_req *r = j->r;
	return json_pack("{s:I, s:s, s:s?, s:s?, s:s?, s:I, s:I, s:I, s:s, s:b, s:o}", "id",
			 (json_int_t)j->id, "coder", r->coder, "reviewer", r->reviewer, "from",
			 r->from, "to", r->to, "n_requested", (json_int_t)r->n, "n_eligible",
			 (json_int_t)j->d.n, "n_drawn", (json_int_t)j->k, "seed", j->seed,
			 "seed_given", r->seed != NULL, "items", items);
}

int caudit_svc_sample(mrt_session *s, const struct caudit_sample_req *r, json_t **out, mrt_err *err)
{
	*out = NULL;
	int rc =
	    mrt_session_require_either(s, MRT_ROLE_ADMIN, MRT_ROLE_HIM, "coding_audit.sample", err);
	if (rc)
		return rc;
	struct sample_job j = {.s = s, .r = r};
	if ((rc = sample_check(&j, err)) != 0)
		return rc;
	if (r->seed) {
		mrt_strlcpy(j.seed, r->seed, sizeof j.seed);
	} else {
		unsigned char b[16];
		mrt_random_bytes(b, sizeof b);
		mrt_hex(j.seed, b, sizeof b);
	}
	mrt_db *db = mrt_session_db(s);
	if ((rc = mrt_db_begin(db, err)) != 0)
		return rc;
	json_t *items = json_array();
	rc = candidates(db, j.coder, r, &j.d, err);
	j.k = j.d.n < (size_t)r->n ? j.d.n : (size_t)r->n;
	if (rc == 0 && j.d.n == 0)
		rc = mrt_err_set(err, MRT_ENOTFOUND,
				 "%s has no final or billed coding in the period", r->coder);
	if (rc == 0)
		rc = shuffle(&j.d, j.k, j.seed, err);
	if (rc == 0)
		rc = insert_sample(&j, err);
	for (size_t i = 0; rc == 0 && i < j.k; i++)
		rc = insert_item(&j, i, items, err);
	if (rc == 0)
		*out = sample_json(&j, items);
	else
		json_decref(items);
	free(j.d.c);
	return svc_finish_json(db, rc, out, err);
}

/* ---- the list ---------------------------------------------------------- */

static const char SQL_LIST[] =
    "SELECT i.id AS item, a.id AS sample, uc.name AS coder, coalesce(ur.name, ub.name) AS"
    " reviewer, e.account, substr(coalesce(e.discharge_at, ''), 1, 10) AS discharge_date,"
    " i.status, a.drawn_at, i.coded_at"
    " FROM coding_audit_item i JOIN coding_audit a ON a.id = i.audit_id"
    " JOIN encounter e ON e.id = i.encounter_id JOIN app_user uc ON uc.id = a.coder_id"
    " LEFT JOIN app_user ur ON ur.id = a.reviewer_id LEFT JOIN app_user ub ON ub.id = i.coded_by"
    " WHERE ?1 = 1 OR a.coder_id = ?2 OR a.reviewer_id = ?2 OR (a.reviewer_id IS NULL AND ?3 = 1)"
    " ORDER BY a.id, i.seq";

int caudit_svc_list(mrt_session *s, json_t **out, mrt_err *err)
{
	*out = NULL;
	int sup = svc_is_supervisor(s);
	if (!sup) {
		int rc = mrt_session_require(s, MRT_ROLE_CODER, "coding_audit.list", err);
		if (rc)
			return rc;
	}
	mrt_db *db = mrt_session_db(s);
	int rc = mrt_db_begin(db, err);
	if (rc)
		return rc;
	mrt_stmt *st = mrt_db_stmt(db, SQL_LIST, err);
	*out = json_array();
	if (!st) {
		rc = err->code;
	} else {
		mrt_stmt_bind_int(st, 1, sup);
		mrt_stmt_bind_int(st, 2, mrt_session_user_id(s));
		mrt_stmt_bind_int(st, 3, mrt_session_has_role(s, MRT_ROLE_CODER));
		rc = svc_rows_json(st, *out, err);
	}
	char detail[48];
	snprintf(detail, sizeof detail, "%zu items", json_array_size(*out));
	if (rc == 0)
		rc = svc_audit(s, "coding_audit.list", "coding_audit", 0, 0, "allow", detail, err);
	return svc_finish_json(db, rc, out, err);
}
