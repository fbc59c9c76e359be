/*
 * The audit trail read back: listing, chain verification, and the check
 * of a sealed export (its format: audit_export.c). See audit_svc.h; the
 * chain's rules are in privacy/audit.c and the anchor's write side in
 * session.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/date.h"
#include "base/hash.h"
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

/* ---- checking a sealed export --------------------------------------------------- */

struct checker {
	mrt_session *s;
	struct audit_verify_result *r;
	struct audit_verifier v;
	mrt_sha256 body;
	char before[16];
	int64_t lineno;
	int header_seen;
	json_t *trailer;
};

static int bad(struct checker *c, int64_t row, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int bad(struct checker *c, int64_t row, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->r->problem, sizeof c->r->problem, fmt, ap);
	va_end(ap);
	c->r->broken_id = row;
	return 1;
}

static int check_header(struct checker *c, json_t *j)
{
	const char *fmt = json_string_value(json_object_get(j, "format"));
	const char *db_id = json_string_value(json_object_get(j, "db_id"));
	const char *before = json_string_value(json_object_get(j, "before"));
	if (!fmt || strcmp(fmt, AUDIT_EXPORT_FORMAT) != 0)
		return bad(c, 0, "line 1: not an mrt audit export");
	if (json_integer_value(json_object_get(j, "version")) != AUDIT_EXPORT_VERSION)
		return bad(c, 0, "line 1: unsupported export version");
	if (!db_id || strcmp(db_id, mrt_db_id(c->s->db)) != 0)
		return bad(c, 0, "line 1: exported from another database (id %s)", db_id ? db_id : "?");
	mrt_day day;
	if (!before || mrt_date_parse(&day, before) != 0)
		return bad(c, 0, "line 1: no valid 'before' date");
	mrt_strlcpy(c->before, before, sizeof c->before);
	c->header_seen = 1;
	return 0;
}

static const char *jtext(json_t *j, const char *key, int *ok)
{
	json_t *v = json_object_get(j, key);
	if (json_is_string(v))
		return json_string_value(v);
	if (!json_is_null(v))
		*ok = 0;
	return NULL;
}

static int check_row(struct checker *c, json_t *j)
{
	struct audit_event e;
	int ok = json_is_integer(json_object_get(j, "id"));
	e.id = json_integer_value(json_object_get(j, "id"));
	e.at = jtext(j, "at", &ok);
	e.actor = jtext(j, "actor", &ok);
	e.on_behalf_of = jtext(j, "on_behalf_of", &ok);
	e.role = jtext(j, "role", &ok);
	e.action = jtext(j, "action", &ok);
	e.object_type = jtext(j, "object_type", &ok);
	e.object_id = jtext(j, "object_id", &ok);
	json_t *pid = json_object_get(j, "patient_id");
	ok &= json_is_integer(pid) || json_is_null(pid);
	e.patient_id = json_integer_value(pid);
	e.purpose = jtext(j, "purpose", &ok);
	e.outcome = jtext(j, "outcome", &ok);
	e.detail = jtext(j, "detail", &ok);
	e.prev_mac = jtext(j, "prev_mac", &ok);
	e.mac = jtext(j, "mac", &ok);
	if (!ok || json_object_size(j) != 14)
		return bad(c, c->v.last_id + 1, "line %" PRId64 ": not an audit row (after row %" PRId64 ")",
		           c->lineno, c->v.last_id);
	mrt_err terr = { 0 };
	if (audit_verify_next(&c->v, &e, &terr) != 0)
		return bad(c, c->v.broken_id, "%s", terr.msg);
	return 0;
}

static int check_line(struct checker *c, const char *line, size_t n)
{
	if (c->trailer)
		return bad(c, c->v.last_id + 1, "line %" PRId64 ": text after the trailer", c->lineno);
	json_error_t jerr;
	json_t *j = json_loadb(line, n, 0, &jerr);
	if (!json_is_object(j)) {
		json_decref(j);
		return bad(c, c->v.last_id + 1, "line %" PRId64 ": not JSON (after row %" PRId64 ")",
		           c->lineno, c->v.last_id);
	}
	int rc;
	if (json_object_get(j, "trailer")) {
		c->trailer = j;
		return c->header_seen ? 0 : bad(c, 0, "no header line");
	}
	mrt_sha256_update(&c->body, line, n);
	rc = c->header_seen ? check_row(c, j) : check_header(c, j);
	json_decref(j);
	return rc;
}

static int tfield(json_t *t, const char *key, const char **s, int64_t *i)
{
	json_t *v = json_object_get(t, key);
	if (s) {
		*s = json_string_value(v);
		return *s && strlen(*s) == AUDIT_MAC_HEX - 1;
	}
	*i = json_integer_value(v);
	return json_is_integer(v);
}

static int check_trailer(struct checker *c)
{
	json_t *t = json_object_get(c->trailer, "trailer");
	const char *last_mac, *sha, *seal;
	int64_t count, first, last;
	if (!tfield(t, "count", NULL, &count) || !tfield(t, "first_id", NULL, &first) ||
	    !tfield(t, "last_id", NULL, &last) || !tfield(t, "last_mac", &last_mac, NULL) ||
	    !tfield(t, "body_sha256", &sha, NULL) || !tfield(t, "seal", &seal, NULL))
		return bad(c, 0, "the trailer is malformed");
	char body[MRT_SHA256_HEX], want[AUDIT_MAC_HEX];
	unsigned char md[MRT_SHA256_LEN];
	mrt_sha256_end(&c->body, md);
	mrt_hex(body, md, sizeof md);
	struct audit_seal_fields sf = { mrt_db_id(c->s->db), c->before, count, first, last, last_mac,
	                                sha };
	if (audit_seal(want, c->s->key, &sf) != 0 || mrt_memcmp_ct(want, seal, AUDIT_MAC_HEX - 1) != 0)
		return bad(c, 0, "the seal does not match the trailer (trailer altered or another key)");
	if (c->v.last_id < last)
		return bad(c, c->v.last_id + 1, "audit row %" PRId64 ": missing (the export ends at row %"
		           PRId64 ", the trailer says %" PRId64 ": rows removed)", c->v.last_id + 1,
		           c->v.last_id, last);
	if (count != c->v.count || last != c->v.last_id || first != (c->v.count ? 1 : 0))
		return bad(c, last + 1, "audit row %" PRId64 ": not in the sealed range (the trailer "
		           "says %" PRId64 " rows up to %" PRId64 ")", last + 1, count, last);
	if (strcmp(last_mac, c->v.head) != 0)
		return bad(c, last, "audit row %" PRId64 ": MAC differs from the trailer's", last);
	if (strcmp(sha, body) != 0)
		return bad(c, 0, "the body's sha256 differs from the trailer's (a line was reformatted)");
	return 0;
}

/* The database, when it still holds the last exported row, must agree. */
static int check_db(struct checker *c, mrt_err *err)
{
	static const char sql[] = "SELECT mac FROM audit_event WHERE id = ?";
	if (!c->v.last_id)
		return 0;
	mrt_stmt *st = mrt_db_stmt(c->s->db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, c->v.last_id);
	int rc = mrt_stmt_step(st, err);
	int differs = rc == 1 && strcmp(mrt_stmt_text(st, 0), c->v.head) != 0;
	mrt_stmt_reset(st);
	if (rc < 0)
		return rc;
	if (differs)
		return bad(c, c->v.last_id, "audit row %" PRId64 ": the database holds another row than "
		           "the export (one of the two was replaced)", c->v.last_id);
	return 0;
}

static int check_file(struct checker *c, FILE *f, mrt_err *err)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;
	while (rc == 0 && (n = getline(&line, &cap, f)) > 0) {
		c->lineno++;
		if ((size_t)n > AUDIT_EXPORT_LINE_MAX || line[n - 1] != '\n')
			rc = bad(c, c->v.last_id + 1, "line %" PRId64 ": %s", c->lineno,
			         (size_t)n > AUDIT_EXPORT_LINE_MAX ? "too long" : "cut short (no newline)");
		else
			rc = check_line(c, line, (size_t)n);
	}
	free(line);
	if (rc == 0 && ferror(f))
		rc = mrt_err_set(err, MRT_EIO, "read error");
	if (rc == 0 && !c->header_seen)
		rc = bad(c, 0, "empty file: not an mrt audit export");
	if (rc == 0 && !c->trailer)
		rc = bad(c, c->v.last_id + 1, "audit row %" PRId64 ": no trailer after it (the export was "
		         "cut short)", c->v.last_id + 1);
	if (rc == 0)
		rc = check_trailer(c);
	if (rc == 0)
		rc = check_db(c, err);
	return rc;
}

int audit_svc_verify_export(mrt_session *s, const char *path, struct audit_verify_result *r,
                            mrt_err *err)
{
	memset(r, 0, sizeof *r);
	int rc = audit_svc_access(s, 0, err);
	if (rc)
		return rc;
	FILE *f = fopen(path, "rb");
	if (!f)
		return mrt_err_set(err, MRT_EIO, "%s: cannot open: %s", path, strerror(errno));
	struct checker c = { .s = s, .r = r };
	audit_verify_begin(&c.v, s->key);
	mrt_sha256_begin(&c.body);
	rc = check_file(&c, f, err);
	fclose(f);
	json_decref(c.trailer);
	r->events = c.v.count;
	r->head_id = c.v.last_id;
	memcpy(r->head_mac, c.v.head, AUDIT_MAC_HEX);
	audit_verify_end(&c.v);
	if (rc < 0)
		return mrt_err_prefix(err, "%s", path);
	r->intact = rc == 0;
	return 0;
}
