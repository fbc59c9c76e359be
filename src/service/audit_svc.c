/*
 * The audit trail read back: listing and chain verification. See
 * audit_svc.h; the chain's rules are in privacy/audit.c and the anchor's
 * write side in session.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/str.h"
#include "service/access_svc.h"
#include "service/audit_svc.h"
#include "service/session_int.h"


void audit_svc_row_event(mrt_stmt *st, struct audit_event *e)
{
	e->id = mrt_stmt_int(st, 0);
	e->at = mrt_stmt_text(st, 1);
	e->actor = mrt_stmt_text(st, 2);
	e->on_behalf_of = mrt_stmt_text(st, 3);
	e->role = mrt_stmt_text(st, 4);
	e->action = mrt_stmt_text(st, 5);
	e->object_type = mrt_stmt_text(st, 6);
	e->object_id = mrt_stmt_text(st, 7);
	e->patient_id = mrt_stmt_is_null(st, 8) ? 0 : mrt_stmt_int(st, 8);
	e->purpose = mrt_stmt_text(st, 9);
	e->outcome = mrt_stmt_text(st, 10);
	e->detail = mrt_stmt_text(st, 11);
	e->prev_mac = mrt_stmt_text(st, 12);
	e->mac = mrt_stmt_text(st, 13);
}

static void problem(struct audit_verify_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void problem(struct audit_verify_result *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->problem, sizeof r->problem, fmt, ap);
	va_end(ap);
}

/* Reads the anchor file into set. A last line without its newline (a write
 * cut short by a crash) is ignored; any other bad line is tampering. */
static int read_anchor(const char *path, struct audit_anchor_set *set, struct audit_verify_result *r,
                       mrt_err *err)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		problem(r, "%s: cannot open the audit anchor: %s", path,
		         strerror(errno));
		return 1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int64_t lineno = 0;
	int rc = 0;
	while (rc == 0 && (n = getline(&line, &cap, f)) > 0) {
		lineno++;
		struct audit_anchor a;
		if (line[n - 1] != '\n')
			break;
		if (audit_anchor_parse(&a, line, (size_t)n) != 0) {
			problem(r, "%s:%" PRId64 ": malformed anchor line", path,
			         lineno);
			rc = 1;
		} else if (audit_anchor_set_add(set, &a) != 0) {
			rc = mrt_err_set(err, MRT_ENOMEM, "out of memory reading %s", path);
		}
	}
	free(line);
	fclose(f);
	audit_anchor_set_sort(set);
	r->anchored = (int64_t)set->n;
	return rc;
}

static int walk_chain(mrt_session *s, struct audit_anchor_set *set, struct audit_verify_result *r,
                      mrt_err *err)
{
	static const char sql[] = "SELECT " AUDIT_EVENT_COLS " FROM audit_event ORDER BY id";
	struct audit_verifier v;
	mrt_err terr = { 0 };
	mrt_stmt *st = mrt_db_stmt(s->db, sql, err);
	if (!st)
		return err->code;
	audit_verify_begin(&v, s->key);
	int rc, bad = 0;
	int64_t anchored_top = set->n ? set->v[set->n - 1].id : 0;
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		struct audit_event e;
		audit_svc_row_event(st, &e);
		if (audit_verify_next(&v, &e, &terr) != 0) {
			r->broken_id = v.broken_id;
			bad = 1;
		} else if (audit_anchor_set_match(set, &e, &terr, &r->broken_id) != 0) {
			bad = 1;
		}
		if (bad)
			break;
		if (e.id > anchored_top)
			r->unanchored++;
	}
	mrt_stmt_reset(st);
	r->events = v.count;
	r->head_id = v.last_id;
	memcpy(r->head_mac, v.head, AUDIT_MAC_HEX);
	audit_verify_end(&v);
	if (rc < 0)
		return rc;
	if (!bad && audit_anchor_set_finish(set, &terr, &r->broken_id) != 0)
		bad = 1;
	if (bad)
		mrt_strlcpy(r->problem, terr.msg, sizeof r->problem);
	return bad;
}

static int verify(mrt_session *s, struct audit_verify_result *r, mrt_err *err)
{
	struct audit_anchor_set set = { 0 };
	int rc = 0;
	/* The anchor first: its lines are written after their commit, so every
	 * line read now names a row the database already holds. */
	if (s->anchor_path[0])
		rc = read_anchor(s->anchor_path, &set, r, err);
	if (rc == 0)
		rc = walk_chain(s, &set, r, err);
	if (rc == 0 && s->anchor_path[0] && set.n == 0 && r->events > 0) {
		problem(r, "%s: the anchor file records no event but the "
		         "database holds %" PRId64, s->anchor_path, r->events);
		rc = 1;
	}
	audit_anchor_set_free(&set);
	if (rc < 0)
		return rc;
	r->intact = rc == 0;
	return 0;
}

int audit_svc_access(mrt_session *s, int64_t patient_id, mrt_err *err)
{
	struct access_target t = { .patient_id = patient_id };
	return access_svc_check(s, ACCESS_AUDIT_READ, &t, NULL, err);
}

int audit_svc_day(const char *opt, const char *v, mrt_err *err)
{
	mrt_day day;
	if (v && mrt_date_parse(&day, v) != 0)
		return mrt_err_set(err, MRT_EINVAL, "%s: '%s' is not a date (YYYY-MM-DD)", opt, v);
	return 0;
}

int audit_svc_verify(mrt_session *s, struct audit_verify_result *r, mrt_err *err)
{
	memset(r, 0, sizeof *r);
	int rc = audit_svc_access(s, 0, err);
	return rc ? rc : verify(s, r, err);
}

int audit_svc_log(mrt_session *s, const struct audit_log_filter *f, audit_row_fn fn, void *ctx,
                  mrt_err *err)
{
	static const char sql[] =
		"SELECT " AUDIT_EVENT_COLS " FROM audit_event WHERE (?1 IS NULL OR patient_id = ?1)"
		" AND (?2 IS NULL OR at >= ?2) ORDER BY id DESC LIMIT ?3";
	int rc = audit_svc_day("--since", f->since, err);
	if (rc || (rc = audit_svc_access(s, f->patient_id, err)) != 0)
		return rc;
	char pid[32] = "";
	if (f->patient_id)
		snprintf(pid, sizeof pid, "%" PRId64, f->patient_id);
	struct mrt_audit_rec rec = { .action = "audit.log", .object_type = "audit_event",
	                             .object_id = pid[0] ? pid : NULL, .patient_id = f->patient_id };
	if ((rc = mrt_session_audit(s, &rec, err)) != 0)
		return rc;
	mrt_stmt *st = mrt_db_stmt(s->db, sql, err);
	if (!st)
		return err->code;
	if (f->patient_id)
		mrt_stmt_bind_int(st, 1, f->patient_id);
	mrt_stmt_bind_text(st, 2, f->since);
	mrt_stmt_bind_int(st, 3, f->limit > 0 ? f->limit : -1);
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		struct audit_event e;
		audit_svc_row_event(st, &e);
		if ((rc = fn(ctx, &e)) != 0)
			break;
	}
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}
