/*
 * mrt import fhir (see import_fhir.h): the run - access check, one
 * transaction, every item of the reader mapped and applied under its own
 * savepoint (a data problem undoes that resource only and becomes a
 * reject), the per-encounter coding merge, the audit event and the report.
 */
#include "service/import_fhir.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/str.h"
#include "chart/chart_export.h"
#include "service/import_fhir_int.h"

#define REPORT_REJECTS 100

static const char *const count_names[C_N] = {
    "read", "created", "updated", "unchanged", "rejected", "skipped",
};

static int bump(json_t *obj, const char *key, mrt_err *err)
{
	json_int_t n = json_integer_value(json_object_get(obj, key));
	if (json_object_set_new(obj, key, json_integer(n + 1)) != 0)
		return mrt_err_set(err, MRT_ENOMEM, "import fhir: out of memory");
	return 0;
}

int imp_skip_reason(struct imp *m, const char *reason, mrt_err *err)
{
	return bump(m->reasons, reason, err);
}

/* Keeps a reject row and lists it in the report. */
static int imp_reject(struct imp *m, const struct fhir_item *it, const char *type, const char *id,
		      const char *reason, const void *content, size_t len, mrt_err *err)
{
	char why[400];
	if (type && id)
		snprintf(why, sizeof why, "%s/%s: %s", type, id, reason);
	else
		snprintf(why, sizeof why, "%s", reason);
	int changed = 0;
	int rc = chart_reject_put(m->db, &m->c, "fhir", it->file, it->position, why,
				  content ? content : "", content ? len : 0, &changed, err);
	if (rc || json_array_size(m->rejects) >= REPORT_REJECTS)
		return rc;
	json_t *r = json_pack("{s:s, s:s, s:s?, s:s?, s:s}", "file", it->file, "position",
			      it->position, "type", type, "id", id, "reason", reason);
	if (!r || json_array_append_new(m->rejects, r) != 0)
		return mrt_err_set(err, MRT_ENOMEM, "import fhir: out of memory");
	return 0;
}

static int reject_resource(struct imp *m, const struct fhir_item *it, enum fhir_type t,
			   const char *reason, mrt_err *err)
{
	const char *type = json_string_value(json_object_get(it->resource, "resourceType"));
	const char *id = json_string_value(json_object_get(it->resource, "id"));
	char *dump = json_dumps(it->resource, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!dump)
		return mrt_err_set(err, MRT_ENOMEM, "import fhir: out of memory");
	if (t < FHIR_NTYPES)
		m->cnt[t][C_REJECTED]++;
	int rc = imp_reject(m, it, type, id, reason, dump, strlen(dump), err);
	free(dump);
	return rc;
}

/* Keeps an NDJSON resource whose reference was not found, to try it again
 * once the rest of the input is in (a mixed file may refer forward). */
static int defer(struct imp *m, const struct fhir_item *it, enum fhir_type t, mrt_err *err)
{
	if (m->n_defer == m->cap_defer) {
		size_t cap = m->cap_defer ? m->cap_defer * 2 : 64;
		struct imp_defer *d = realloc(m->defer, cap * sizeof *d);
		if (!d)
			return mrt_err_set(err, MRT_ENOMEM, "import fhir: out of memory");
		m->defer = d;
		m->cap_defer = cap;
	}
	struct imp_defer *d = &m->defer[m->n_defer];
	d->file = mrt_strndup(it->file, strlen(it->file));
	if (!d->file)
		return mrt_err_set(err, MRT_ENOMEM, "import fhir: out of memory");
	d->res = json_incref(it->resource);
	snprintf(d->position, sizeof d->position, "%s", it->position);
	m->n_defer++;
	m->cnt[t][C_READ]--; /* read again when retried */
	m->resources--;
	return 0;
}

static void defer_free(struct imp_defer *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		json_decref(d[i].res);
		free(d[i].file);
	}
	free(d);
}

/* One resource under a savepoint. */
static int apply_one(struct imp *m, const struct fhir_item *it, const struct fhir_res *res,
		     mrt_err *err)
{
	int rc = mrt_db_savepoint(m->db, "fhir_resource", err);
	if (rc)
		return rc;
	m->why[0] = '\0';
	m->unresolved = 0;
	mrt_err e = {0};
	rc = imp_apply(m, res, &e);
	if (rc == MRT_EINVAL) /* the chart refused a value */
		rc = imp_why(m, "%s", e.msg);
	if (rc < 0) {
		mrt_err ignored = {0};
		mrt_db_rollback_to(m->db, "fhir_resource", &ignored);
		*err = e;
		return rc;
	}
	if (rc == 0)
		return mrt_db_release(m->db, "fhir_resource", err);
	int rb = mrt_db_rollback_to(m->db, "fhir_resource", err);
	if (rb)
		return rb;
	if (rc == FHIR_MAP_SKIP) {
		m->cnt[res->type][C_SKIPPED]++;
		return 0;
	}
	if (m->deferring && m->unresolved && strncmp(it->position, "line ", 5) == 0)
		return defer(m, it, res->type, err);
	return reject_resource(m, it, res->type, m->why, err);
}

static int one_item(struct imp *m, const struct fhir_item *it, mrt_err *err)
{
	if (it->kind == FHIR_ITEM_FILE_REJECT) {
		m->file_rejects++;
		return imp_reject(m, it, NULL, NULL, it->reason, it->content, it->len, err);
	}
	if (it->kind == FHIR_ITEM_REJECT) {
		m->unreadable++;
		return imp_reject(m, it, NULL, NULL, it->reason, it->content, it->len, err);
	}
	m->resources++;
	mrt_arena_reset(m->a);
	struct fhir_res res;
	char reason[256];
	int rc =
	    fhir_map(it->resource, m->retrying ? NULL : m->r, m->a, &res, reason, sizeof reason);
	if (rc < 0)
		return mrt_err_set(err, MRT_ENOMEM, "import fhir: out of memory");
	if (rc == FHIR_MAP_SKIP) {
		const char *type = json_string_value(json_object_get(it->resource, "resourceType"));
		return bump(m->skipped, type, err);
	}
	if (res.type < FHIR_NTYPES)
		m->cnt[res.type][C_READ]++;
	if (rc == FHIR_MAP_REJECT)
		return reject_resource(m, it, res.type, reason, err);
	return apply_one(m, it, &res, err);
}

/* ---- the coding merge, once per encounter ------------------------------------------- */

static int cmp_pend(const void *a, const void *b)
{
	const struct imp_pend *x = a, *y = b;
	if (x->enc != y->enc)
		return x->enc < y->enc ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* The current items as chart structs (strings borrowed from the JSON). */
static void current_items(json_t *cdx, json_t *cpx, struct chart_dx *dx, size_t *ndx,
			  struct chart_px *px, size_t *npx)
{
	size_t i;
	json_t *v;
	json_array_foreach(cdx, i, v)
	{
		struct chart_dx *d = &dx[(*ndx)++];
		d->system = json_string_value(json_object_get(v, "system"));
		d->code = json_string_value(json_object_get(v, "code"));
		d->display = json_string_value(json_object_get(v, "display"));
		d->poa = json_string_value(json_object_get(v, "poa"));
		d->kind = json_string_value(json_object_get(v, "kind"));
		d->onset = json_string_value(json_object_get(v, "onset"));
		d->source_ref = json_string_value(json_object_get(v, "source_ref"));
	}
	json_array_foreach(cpx, i, v)
	{
		struct chart_px *x = &px[(*npx)++];
		x->system = json_string_value(json_object_get(v, "system"));
		x->code = json_string_value(json_object_get(v, "code"));
		x->display = json_string_value(json_object_get(v, "display"));
		x->performed_at = json_string_value(json_object_get(v, "performed_at"));
		x->source_ref = json_string_value(json_object_get(v, "source_ref"));
		x->surgeon_id = json_integer_value(json_object_get(v, "surgeon_id"));
	}
}

/* Index of the item with that source_ref among n, else n. */
static size_t find_dx(const struct chart_dx *dx, size_t n, const char *ref)
{
	for (size_t i = 0; i < n; i++)
		if (dx[i].source_ref && strcmp(dx[i].source_ref, ref) == 0)
			return i;
	return n;
}

static size_t find_px(const struct chart_px *px, size_t n, const char *ref)
{
	for (size_t i = 0; i < n; i++)
		if (px[i].source_ref && strcmp(px[i].source_ref, ref) == 0)
			return i;
	return n;
}

/* The new items merged into the current list by source_ref: an item
 * replaces the one with its source_ref (keeping its kind and POA, which
 * FHIR does not carry) or is appended; nothing else is touched. */
static void merge_items(const struct imp_pend *g, size_t n, int *existed, struct chart_dx *dx,
			size_t *ndx, struct chart_px *px, size_t *npx, int *any_dx, int *any_px)
{
	for (size_t i = 0; i < n; i++) {
		if (g[i].is_px) {
			size_t k = find_px(px, *npx, g[i].ref);
			existed[i] = k < *npx;
			px[k] = (struct chart_px){g[i].system, g[i].code, g[i].display,
						  g[i].when,   g[i].ref,  g[i].surgeon};
			*npx += !existed[i];
			*any_px = 1;
			continue;
		}
		size_t k = find_dx(dx, *ndx, g[i].ref);
		existed[i] = k < *ndx;
		const char *kind = g[i].kind ? g[i].kind : existed[i] ? dx[k].kind : "secondary";
		const char *poa = existed[i] ? dx[k].poa : NULL;
		dx[k] = (struct chart_dx){g[i].system, g[i].code, g[i].display, poa,
					  kind,	       g[i].when, g[i].ref};
		*ndx += !existed[i];
		*any_dx = 1;
	}
}

static int merge_group(struct imp *m, const struct imp_pend *g, size_t n, mrt_err *err)
{
	json_t *cdx = NULL, *cpx = NULL;
	int rc = chart_export_coding_items(m->db, g[0].enc, &cdx, &cpx, err);
	if (rc)
		return rc;
	size_t cap_dx = json_array_size(cdx) + n, cap_px = json_array_size(cpx) + n;
	struct chart_dx *dx = calloc(cap_dx, sizeof *dx);
	struct chart_px *px = calloc(cap_px, sizeof *px);
	int *existed = calloc(n, sizeof *existed);
	size_t ndx = 0, npx = 0;
	int any_dx = 0, any_px = 0, changed = 0;
	if (!dx || !px || !existed)
		rc = mrt_err_set(err, MRT_ENOMEM, "import fhir: out of memory");
	if (rc == 0) {
		current_items(cdx, cpx, dx, &ndx, px, &npx);
		merge_items(g, n, existed, dx, &ndx, px, &npx, &any_dx, &any_px);
		struct chart_coding_change ch = {any_dx ? CHART_REPLACE : CHART_KEEP,
						 any_px ? CHART_REPLACE : CHART_KEEP,
						 dx,
						 ndx,
						 px,
						 npx};
		int64_t coding = 0;
		rc = chart_coding_apply(m->db, &m->c, g[0].pat, g[0].enc, &ch, &coding, &changed,
					err);
	}
	for (size_t i = 0; rc == 0 && i < n; i++) {
		enum fhir_type t = g[i].is_px ? FHIR_PROCEDURE : FHIR_CONDITION;
		m->cnt[t][!changed ? C_UNCHANGED : existed[i] ? C_UPDATED : C_CREATED]++;
	}
	free(existed);
	free(dx);
	free(px);
	json_decref(cdx);
	json_decref(cpx);
	return rc;
}

/* One encounter's merge under a savepoint: a list the chart refuses makes
 * its items rejects (kept as "system|code"), the import goes on. */
static int merge_one_group(struct imp *m, const struct imp_pend *g, size_t n, mrt_err *err)
{
	int rc = mrt_db_savepoint(m->db, "fhir_coding", err);
	if (rc)
		return rc;
	mrt_err e = {0};
	rc = merge_group(m, g, n, &e);
	if (rc == 0)
		return mrt_db_release(m->db, "fhir_coding", err);
	mrt_err ignored = {0};
	mrt_db_rollback_to(m->db, "fhir_coding", &ignored);
	if (rc != MRT_EINVAL) {
		*err = e;
		return rc;
	}
	rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		enum fhir_type t = g[i].is_px ? FHIR_PROCEDURE : FHIR_CONDITION;
		char what[600];
		struct fhir_item it = {.file = "coding merge"};
		snprintf(it.position, sizeof it.position, "encounter %lld", (long long)g[i].enc);
		snprintf(what, sizeof what, "%s|%s", g[i].system, g[i].code);
		m->cnt[t][C_REJECTED]++;
		rc =
		    imp_reject(m, &it, fhir_type_name(t), g[i].ref, e.msg, what, strlen(what), err);
	}
	return rc;
}

static int merge_codings(struct imp *m, mrt_err *err)
{
	if (m->n_pend == 0)
		return 0;
	qsort(m->pend, m->n_pend, sizeof *m->pend, cmp_pend);
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < m->n_pend;) {
		size_t j = i;
		while (j < m->n_pend && m->pend[j].enc == m->pend[i].enc)
			j++;
		rc = merge_one_group(m, &m->pend[i], j - i, err);
		i = j;
	}
	return rc;
}

/* ---- the run ------------------------------------------------------------------------- */

static void progress(const struct imp *m, int last)
{
	if (!isatty(STDERR_FILENO) || (!last && m->resources % 500 != 0))
		return;
	fprintf(stderr, "\rimport fhir: %zu files, %ld resources%s", fhir_reader_files(m->r),
		m->resources, last ? "\n" : "");
}

/* Tries the deferred resources again while each pass resolves some; the
 * last pass (nothing more resolved) makes the rest rejects. */
static int retry_deferred(struct imp *m, mrt_err *err)
{
	int rc = 0;
	m->retrying = 1;
	while (rc == 0 && m->n_defer) {
		struct imp_defer *list = m->defer;
		size_t n = m->n_defer;
		m->defer = NULL;
		m->n_defer = m->cap_defer = 0;
		for (size_t i = 0; rc == 0 && i < n; i++) {
			struct fhir_item it = {.kind = FHIR_ITEM_RESOURCE,
					       .file = list[i].file,
					       .resource = list[i].res};
			snprintf(it.position, sizeof it.position, "%s", list[i].position);
			rc = one_item(m, &it, err);
		}
		defer_free(list, n);
		if (m->n_defer == n)
			m->deferring = 0; /* no progress: the next pass rejects them */
	}
	return rc;
}

static int read_all(struct imp *m, mrt_err *err)
{
	struct fhir_item it;
	size_t files = 0;
	int rc;
	while ((rc = fhir_reader_next(m->r, &it, err)) == 1) {
		if (fhir_reader_files(m->r) != files)
			files = fhir_reader_files(m->r);
		rc = one_item(m, &it, err);
		if (rc)
			return rc;
		progress(m, 0);
	}
	m->files = (long)files;
	if (rc == 0)
		rc = retry_deferred(m, err);
	progress(m, 1);
	return rc < 0 ? rc : merge_codings(m, err);
}

static json_t *build_report(const struct imp *m)
{
	json_t *res = json_object();
	for (int t = 0; res && t < FHIR_NTYPES; t++) {
		json_t *c = json_object();
		for (int k = 0; c && k < C_N; k++)
			json_object_set_new(c, count_names[k], json_integer(m->cnt[t][k]));
		json_object_set_new(res, fhir_type_name((enum fhir_type)t), c);
	}
	return json_pack("{s:I, s:I, s:I, s:o, s:O, s:O, s:O, s:I, s:I}", "files",
			 (json_int_t)m->files, "file_rejects", (json_int_t)m->file_rejects,
			 "unreadable", (json_int_t)m->unreadable, "resources", res, "skipped",
			 m->skipped, "skipped_reasons", m->reasons, "rejects", m->rejects,
			 "providers_from_references", (json_int_t)m->from_refs, "labels",
			 (json_int_t)m->labels);
}

static long total(const struct imp *m, int k)
{
	long n = 0;
	for (int t = 0; t < FHIR_NTYPES; t++)
		n += m->cnt[t][k];
	return n;
}

static int audit(struct imp *m, mrt_err *err)
{
	char detail[320];
	long skipped = total(m, C_SKIPPED);
	const char *k;
	json_t *v;
	json_object_foreach(m->skipped, k, v) skipped += (long)json_integer_value(v);
	snprintf(detail, sizeof detail,
		 "files=%ld resources=%ld created=%ld updated=%ld unchanged=%ld rejected=%ld"
		 " skipped=%ld file_rejects=%ld unreadable=%ld",
		 m->files, m->resources, total(m, C_CREATED), total(m, C_UPDATED),
		 total(m, C_UNCHANGED), total(m, C_REJECTED), skipped, m->file_rejects,
		 m->unreadable);
	struct mrt_audit_rec rec = {
	    .action = "import.fhir", .object_type = "import", .detail = detail};
	return mrt_session_audit(m->s, &rec, err);
}

static void imp_free(struct imp *m)
{
	fhir_reader_close(m->r);
	mrt_arena_free(m->a);
	mrt_arena_free(m->run);
	json_decref(m->ids);
	json_decref(m->kinds);
	json_decref(m->skipped);
	json_decref(m->reasons);
	json_decref(m->rejects);
	free(m->pend);
	defer_free(m->defer, m->n_defer);
	chart_ctx_release(&m->c);
}

static int imp_init(struct imp *m, mrt_session *s, const char *path, mrt_err *err)
{
	memset(m, 0, sizeof *m);
	m->s = s;
	m->db = mrt_session_db(s);
	chart_ctx_init(&m->c, "fhir", mrt_session_user_id(s));
	if (chart_ctx_use_cache(&m->c, err) != 0)
		return err->code;
	m->deferring = 1;
	m->a = mrt_arena_new(64 << 10);
	m->run = mrt_arena_new(256 << 10);
	m->ids = json_object();
	m->kinds = json_object();
	m->skipped = json_object();
	m->reasons = json_object();
	m->rejects = json_array();
	if (!m->a || !m->run || !m->ids || !m->kinds || !m->skipped || !m->reasons || !m->rejects)
		return mrt_err_set(err, MRT_ENOMEM, "import fhir: out of memory");
	return fhir_reader_open(&m->r, path, NULL, err);
}

int import_fhir(mrt_session *s, const char *path, json_t **report, mrt_err *err)
{
	*report = NULL;
	int rc = mrt_session_require_either(s, MRT_ROLE_ADMIN, MRT_ROLE_HIM, "import.fhir", err);
	if (rc)
		return rc;
	struct imp m;
	rc = imp_init(&m, s, path, err);
	if (rc == 0)
		rc = mrt_db_begin(m.db, err);
	if (rc) {
		imp_free(&m);
		return rc;
	}
	rc = read_all(&m, err);
	if (rc == 0)
		rc = audit(&m, err);
	if (rc == 0)
		rc = mrt_db_commit(m.db, err);
	else
		mrt_db_rollback(m.db);
	if (rc == 0) {
		*report = build_report(&m);
		if (!*report)
			rc = mrt_err_set(err, MRT_ENOMEM, "import fhir: out of memory");
	}
	imp_free(&m);
	return rc;
}
