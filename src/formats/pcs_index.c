/*
 * ICD-10-PCS index and definitions readers; see pcs_index.h. The index has
 * the alphabetic-index shape, so it shares the CM reader; the definitions
 * are a flat list of terms per section and axis.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/str.h"
#include "formats/pcs_index.h"
#include "formats/xmlsrc.h"

#define DEF_MAX (16 * 1024)

int pcs_index_read(mrt_src *src, const struct idx_handler *h, long *terms, mrt_err *err)
{
	return idx_read(src, "ICD10PCS.index", h, terms, err);
}

enum { D_TITLE, D_DEF, D_EXPL, D_INCL, D_AXIS, D_TEXT, ND };

struct defs {
	xmlsrc *x;
	const struct pcs_def_handler *h;
	char section[8];
	int axis_pos;
	int in_terms;
	int seen_root;
	unsigned long line;
	mrt_buf b[ND];
	long n;
};

static const char *opt(const mrt_buf *b)
{
	return b->len ? mrt_buf_str(b) : NULL;
}

static int def_attr(struct defs *d, const char *name, mrt_err *err)
{
	char *v = xmlsrc_attr(d->x, name);
	int rc = 0;
	if (!v)
		return xmlsrc_fail(d->x, err, MRT_EPARSE, "missing @%s", name);
	if (!strcmp(name, "code"))
		snprintf(d->section, sizeof d->section, "%s", v);
	else if (mrt_parse_int(&d->axis_pos, v) != 0 || d->axis_pos < 1 || d->axis_pos > 7)
		rc = xmlsrc_fail(d->x, err, MRT_EPARSE, "bad @pos \"%.8s\"", v);
	free(v);
	return rc;
}

static int def_start(struct defs *d, mrt_err *err)
{
	const char *name = xmlsrc_name(d->x);
	if (!d->seen_root) {
		if (strcmp(name, "ICD10PCS.definitions") != 0)
			return xmlsrc_fail(d->x, err, MRT_EPARSE,
					   "root <%s> where <ICD10PCS.definitions> was expected",
					   name);
		d->seen_root = 1;
		return 0;
	}
	if (!strcmp(name, "section") && !strcmp(xmlsrc_up(d->x, 1), "ICD10PCS.definitions"))
		return def_attr(d, "code", err);
	if (!strcmp(name, "axis") && !strcmp(xmlsrc_up(d->x, 1), "section")) {
		mrt_buf_reset(&d->b[D_AXIS]);
		return def_attr(d, "pos", err);
	}
	if (!strcmp(name, "terms")) {
		for (int i = 0; i < D_AXIS; i++)
			mrt_buf_reset(&d->b[i]);
		d->in_terms = 1;
		d->line = xmlsrc_line(d->x);
	}
	mrt_buf_reset(&d->b[D_TEXT]);
	return 0;
}

static int def_field(const char *name)
{
	if (!strcmp(name, "title"))
		return D_TITLE;
	if (!strcmp(name, "definition"))
		return D_DEF;
	if (!strcmp(name, "explanation"))
		return D_EXPL;
	if (!strcmp(name, "includes"))
		return D_INCL;
	return -1;
}

static int def_end(struct defs *d, mrt_err *err)
{
	const char *name = xmlsrc_name(d->x);
	const char *up = xmlsrc_up(d->x, 1);
	const char *text = mrt_buf_str(&d->b[D_TEXT]);
	int k = def_field(name);
	if (d->in_terms && !strcmp(up, "terms") && k >= 0) {
		if (d->b[k].len && mrt_buf_adds(&d->b[k], "; ") < 0)
			return mrt_err_set(err, MRT_ENOMEM, "definition too long");
		if (mrt_buf_adds(&d->b[k], text) < 0)
			return mrt_err_set(err, MRT_ENOMEM, "definition too long");
	} else if (!strcmp(name, "title") && !strcmp(up, "axis")) {
		if (mrt_buf_adds(&d->b[D_AXIS], text) < 0)
			return mrt_err_set(err, MRT_ENOMEM, "definition too long");
	} else if (!strcmp(name, "version") && !strcmp(up, "ICD10PCS.definitions")) {
		return d->h->version ? d->h->version(d->h->ctx, text, err) : 0;
	} else if (!strcmp(name, "terms")) {
		d->in_terms = 0;
		if (!d->b[D_TITLE].len)
			return xmlsrc_fail(d->x, err, MRT_EPARSE, "terms without a title");
		struct pcs_def def = { d->section, d->axis_pos, mrt_buf_str(&d->b[D_AXIS]),
				       mrt_buf_str(&d->b[D_TITLE]), opt(&d->b[D_DEF]),
				       opt(&d->b[D_EXPL]), opt(&d->b[D_INCL]), d->line };
		d->n++;
		return d->h->def ? d->h->def(d->h->ctx, &def, err) : 0;
	}
	mrt_buf_reset(&d->b[D_TEXT]);
	return 0;
}

int pcs_definitions_read(mrt_src *src, const struct pcs_def_handler *h, long *defs, mrt_err *err)
{
	struct defs *d = calloc(1, sizeof *d);
	if (!d)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	d->h = h;
	for (int i = 0; i < ND; i++)
		mrt_buf_init(&d->b[i], DEF_MAX);
	int rc = xmlsrc_open(&d->x, src, err);
	while (rc == 0) {
		int ev = xmlsrc_next(d->x, err);
		if (ev <= 0) {
			rc = ev;
			break;
		}
		if (ev == XMLSRC_START)
			rc = def_start(d, err);
		else if (ev == XMLSRC_TEXT)
			rc = mrt_buf_adds(&d->b[D_TEXT], xmlsrc_text(d->x)) < 0
				     ? xmlsrc_fail(d->x, err, MRT_ENOMEM, "text too long")
				     : 0;
		else
			rc = def_end(d, err);
	}
	if (rc == 0 && !d->seen_root)
		rc = mrt_err_set(err, MRT_EPARSE, "%s: empty document", mrt_src_name(src));
	*defs = d->n;
	for (int i = 0; i < ND; i++)
		mrt_buf_free(&d->b[i]);
	xmlsrc_close(d->x);
	free(d);
	return rc;
}
