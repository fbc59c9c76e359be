/*
 * Cross-checks of a release's companion files against its stored codes:
 * the codes file must list exactly the billable codes, the addenda's final
 * word on each code must hold, and the PCS tables XML must expand to exactly
 * the valid codes and tables of the order file.
 */
#include <stdio.h>
#include <string.h>

#include "codes/load_int.h"
#include "formats/pcs_tables.h"

struct chk {
	const cms_codeset *stored;
	cms_codeset *seen;
	const char *file;
	int64_t rows, billable;
	int order_layout;
};

static int on_codes_row(void *ctx, const struct cms_order_row *row, mrt_err *err)
{
	struct chk *c = ctx;
	unsigned long b = 0;
	if (!cms_codeset_get(c->stored, row->code, &b) || b != 1)
		return mrt_err_set(err, MRT_EPARSE, "%s:%lu: code %s is not a billable code of the release's "
		                   "order file", c->file, row->lineno, row->code);
	c->rows++;
	return 0;
}

static int count_billable(void *ctx, const char *code, unsigned long v)
{
	struct chk *c = ctx;
	(void)code;
	c->billable += v == 1;
	return 0;
}

int load_check_codes(struct load_rel *r, mrt_src *src, int64_t *rows, mrt_err *err)
{
	cms_codeset *stored = NULL;
	int rc = load_stored_codes(r, &stored, err);
	if (rc)
		return rc;
	struct chk c = { .stored = stored, .file = mrt_src_name(src) };
	rc = cms_codes_read(src, on_codes_row, &c, err);
	cms_codeset_each(stored, count_billable, &c);
	if (rc == 0 && c.rows != c.billable)
		rc = mrt_err_set(err, MRT_EPARSE, "%s: lists %lld codes but the release has %lld billable codes",
		                 c.file, (long long)c.rows, (long long)c.billable);
	cms_codeset_free(stored);
	*rows = c.rows;
	return rc;
}

/* Addenda: value = line << 4 | action << 2 | (billable + 1). */
static int on_addenda_row(void *ctx, const struct cms_addenda_row *row, mrt_err *err)
{
	struct chk *c = ctx;
	unsigned long v = (row->lineno << 4) | ((unsigned long)row->action << 2) |
	                  (unsigned long)(row->billable + 1);
	/* A later line is the final word on a code (Delete then Add = new flag). */
	if (cms_codeset_put(c->seen, row->code, v) < 0)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	c->rows++;
	return 0;
}

struct verdict {
	struct chk *c;
	mrt_err *err;
};

static int judge(void *ctx, const char *code, unsigned long v)
{
	struct verdict *vd = ctx;
	struct chk *c = vd->c;
	unsigned long line = v >> 4;
	int action = (int)((v >> 2) & 3);
	int flag = (int)(v & 3) - 1;
	unsigned long b = 0;
	int present = cms_codeset_get(c->stored, code, &b);
	if (!c->order_layout && present && b != 1)
		present = 0; /* the codes addenda speak of billable codes */
	if (action == CMS_DELETE && present)
		return mrt_err_set(vd->err, MRT_EPARSE, "%s:%lu: the addenda delete %s but the release has it",
		                   c->file, line, code);
	if (action != CMS_DELETE && !present)
		return mrt_err_set(vd->err, MRT_EPARSE, "%s:%lu: the addenda add or revise %s but the release "
		                   "does not have it%s", c->file, line, code,
		                   c->order_layout ? "" : " as a billable code");
	if (action == CMS_ADD && flag >= 0 && (unsigned long)flag != b)
		return mrt_err_set(vd->err, MRT_EPARSE, "%s:%lu: the addenda add %s with flag %d but the "
		                   "order file has %lu", c->file, line, code, flag, b);
	return 0;
}

int load_check_addenda(struct load_rel *r, mrt_src *src, int order_layout, int64_t *rows,
                       mrt_err *err)
{
	cms_codeset *stored = NULL;
	int rc = load_stored_codes(r, &stored, err);
	if (rc)
		return rc;
	struct chk c = { .stored = stored, .seen = cms_codeset_new(), .file = mrt_src_name(src),
	                 .order_layout = order_layout };
	if (!c.seen)
		rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
	if (rc == 0)
		rc = cms_addenda_read(src, order_layout, on_addenda_row, &c, err);
	struct verdict vd = { &c, err };
	if (rc == 0)
		rc = cms_codeset_each(c.seen, judge, &vd);
	cms_codeset_free(c.seen);
	cms_codeset_free(stored);
	*rows = c.rows;
	return rc;
}

static int on_table_check(void *ctx, const struct pcs_tables_item *it, mrt_err *err)
{
	struct chk *c = ctx;
	unsigned long b = 0;
	if (!cms_codeset_get(c->stored, it->code, &b) || b != (unsigned long)it->valid)
		return mrt_err_set(err, MRT_EPARSE, "%s:%lu: the tables give %s %s, which the order file %s",
		                   c->file, it->line, it->valid ? "code" : "table", it->code,
		                   cms_codeset_get(c->stored, it->code, NULL) ? "has with the other flag"
		                                                               : "does not have");
	if (cms_codeset_add(c->seen, it->code, 1, NULL) < 0)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	c->rows++;
	return 0;
}

static int find_missing(void *ctx, const char *code, unsigned long v)
{
	struct verdict *vd = ctx;
	if (cms_codeset_get(vd->c->seen, code, NULL))
		return 0;
	return mrt_err_set(vd->err, MRT_EPARSE, "%s: the order file has %s %s, which no pcsTable/pcsRow gives",
	                   vd->c->file, v ? "code" : "table", code);
}

int load_check_tables(struct load_rel *r, mrt_src *src, int64_t *rows, mrt_err *err)
{
	cms_codeset *stored = NULL;
	int rc = load_stored_codes(r, &stored, err);
	if (rc)
		return rc;
	struct chk c = { .stored = stored, .seen = cms_codeset_new(), .file = mrt_src_name(src) };
	struct pcs_tables_cb cb = { on_table_check, &c };
	char version[16] = "";
	if (!c.seen)
		rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
	if (rc == 0)
		rc = pcs_tables_read(src, &cb, version, err);
	if (rc == 0 && strncmp(version, r->version, 4) != 0)
		rc = mrt_err_set(err, MRT_EPARSE, "%s: <version>%s</version> does not match release %s",
		                 c.file, version, r->version);
	struct verdict vd = { &c, err };
	if (rc == 0)
		rc = cms_codeset_each(stored, find_missing, &vd);
	cms_codeset_free(c.seen);
	cms_codeset_free(stored);
	*rows = c.rows;
	return rc;
}
