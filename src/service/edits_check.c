/*
 * `mrt edits check` (edits_svc_check_file): claims read line by line from
 * a JSONL file, each edited and printed in input order - a JSON object or
 * table rows - and a line that cannot be read printed as an error object
 * ({"id", "line", "error"}) while the run goes on. The roles that code or
 * review claims may run it; the run is one audit event with its counts.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "formats/claim_jsonl.h"
#include "privacy/roles.h"
#include "service/edits_svc_int.h"
#include "service/svc_util.h"

#define LINE_MAX_BYTES (1u << 20)

struct check_run {
	const struct edits_check_opts *o;
	const struct edits_ctx *x;
	const char *name;
	struct claim c;
	struct mce_result mr;
	struct tab_result tr;
	long nclaims, nerrors, nedits;
	char buf[1 << 16]; /* one result's JSON, written with one fwrite */
};

/* Writes o as one compact line. */
static void put_json(struct check_run *r, json_t *o)
{
	size_t n = o ? json_dumpb(o, r->buf, sizeof r->buf, JSON_COMPACT) : 0;
	if (n && n <= sizeof r->buf)
		fwrite(r->buf, 1, n, r->o->out);
	else if (o)
		json_dumpf(o, r->o->out, JSON_COMPACT);
	fputc('\n', r->o->out);
	json_decref(o);
}

static void print_error(struct check_run *r, long line, const mrt_err *e)
{
	FILE *out = r->o->out;
	if (r->o->as_json) {
		json_t *o = json_pack("{s:o, s:I, s:s}", "id",
				      r->c.id[0] ? json_string(r->c.id) : json_null(), "line",
				      (json_int_t)line, "error", e->msg);
		put_json(r, o);
	} else {
		fprintf(out, "error: ");
		edits_print_safe(out, e->msg, 0);
		fputc('\n', out);
	}
}

static void one_line(struct check_run *r, const char *text, size_t len, long line)
{
	mrt_err e = {0};
	if (claim_jsonl_blank(text, len))
		return;
	if (len > LINE_MAX_BYTES) {
		r->c.id[0] = 0;
		mrt_err_set(&e, MRT_EPARSE, "%s:%ld: line longer than %u bytes", r->name, line,
			    LINE_MAX_BYTES);
	}
	if (e.code || claim_jsonl_parse(&r->c, text, len, r->name, line, &e)) {
		r->nerrors++;
		print_error(r, line, &e);
		return;
	}
	r->nclaims++;
	edits_ctx_check(r->x, &r->c, &r->mr, &r->tr);
	r->nedits += r->mr.n;
	if (r->o->as_json) {
		put_json(r, edits_result_json(r->x, &r->c, &r->mr, &r->tr));
	} else {
		edits_print_rows(r->o->out, r->x, &r->c, &r->mr, &r->tr);
	}
}

static int run_file(struct check_run *r, mrt_err *err)
{
	FILE *in = strcmp(r->o->path, "-") == 0 ? stdin : fopen(r->o->path, "rb");
	if (!in)
		return mrt_err_set(err, MRT_EIO, "%s: cannot open", r->name);
	char *line = NULL;
	size_t cap = 0;
	long n = 0;
	ssize_t len;
	if (!r->o->as_json)
		edits_print_header(r->o->out);
	while ((len = getline(&line, &cap, in)) >= 0)
		one_line(r, line, (size_t)len, ++n);
	int bad = ferror(in);
	if (line)
		sodium_memzero(line, cap); /* it held claims */
	free(line);
	if (in != stdin)
		fclose(in);
	return bad ? mrt_err_set(err, MRT_EIO, "%s: read error", r->name) : 0;
}

static int may_check(mrt_session *s, mrt_err *err)
{
	const unsigned ok = ROLE_CODER_BIT | ROLE_HIM_BIT | ROLE_ADMIN_BIT | ROLE_AUDITOR_BIT |
			    ROLE_REGISTRAR_BIT | ROLE_PHYSICIAN_BIT;
	if (mrt_session_roles(s) & ok)
		return 0;
	return mrt_session_require(s, MRT_ROLE_CODER, "edits.check", err);
}

int edits_svc_check_file(mrt_session *s, const struct edits_check_opts *o, long *nclaims,
			 long *nerrors, mrt_err *err)
{
	struct edits_ctx *x = NULL;
	struct check_run *r = NULL;
	mrt_db *db = mrt_session_db(s);
	*nclaims = *nerrors = 0;
	int rc = may_check(s, err);
	if (!rc)
		rc = edits_ctx_load(db, o->release, &x, err);
	if (!rc) {
		r = calloc(1, sizeof *r);
		rc = r ? mrt_db_begin(db, err)
		       : mrt_err_set(err, MRT_ENOMEM, "edits: out of memory");
	}
	if (rc)
		goto done;
	r->o = o;
	r->x = x;
	r->name = strcmp(o->path, "-") == 0 ? "stdin" : o->path;
	rc = run_file(r, err);
	char detail[160];
	snprintf(detail, sizeof detail, "claims=%ld errors=%ld edits=%ld release=%s", r->nclaims,
		 r->nerrors, r->nedits, o->release ? o->release : "by-date");
	if (!rc)
		rc = svc_audit(s, "edits.check", "claims_file", 0, 0, NULL, detail, err);
	rc = svc_finish(db, rc, err);
	*nclaims = r->nclaims;
	*nerrors = r->nerrors;
done:
	if (r)
		sodium_memzero(r, sizeof *r); /* the last claim and its JSON */
	free(r);
	edits_ctx_free(x);
	return rc;
}
