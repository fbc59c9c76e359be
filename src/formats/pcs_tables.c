/*
 * ICD-10-PCS tables XML reader (see pcs_tables.h). One pass with
 * xmlTextReader; a table's axes 1-3 and one row's axes 4-7 are all that is
 * held in memory at a time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "base/str.h"
#include "formats/cms_order.h"
#include "formats/pcs_tables.h"

#define MAX_LABELS 64
#define LABEL_MAX 200

struct axis {
	int n;
	char code[MAX_LABELS];
	char text[MAX_LABELS][LABEL_MAX];
};

struct rd {
	mrt_src *src;
	xmlTextReaderPtr r;
	const struct pcs_tables_cb *cb;
	mrt_err *err;
	char xmlmsg[256];
	unsigned long xmlline;
	struct axis ax[8];    /* 1..7 */
	int in_row;
	int cur_axis;         /* pos of the open axis, 0 when none */
	int header_sent;
	long row_codes;
	unsigned long table_line, row_line;
	cms_codeset *seen;
	char title[4 * LABEL_MAX + 64];
};

static int rd_read(void *ctx, char *buf, int len)
{
	struct rd *d = ctx;
	mrt_err e = { 0 };
	ssize_t n = mrt_src_read(d->src, buf, (size_t)len, &e);
	if (n < 0) {
		mrt_strlcpy(d->xmlmsg, e.msg, sizeof d->xmlmsg);
		return -1;
	}
	return (int)n;
}

static void rd_xml_error(void *ctx, const xmlError *e)
{
	struct rd *d = ctx;
	if (d->xmlmsg[0] || !e)
		return;
	mrt_strlcpy(d->xmlmsg, e->message ? e->message : "XML error", sizeof d->xmlmsg);
	mrt_rtrim(d->xmlmsg);
	d->xmlline = (unsigned long)e->line;
}

/* The line of the current node (the parser's own position as a fallback). */
/* libxml2 also reports some input errors (encodings) through its generic
 * handler, which prints to stderr: the reader's own error says it better. */
static void rd_silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static unsigned long rd_line(struct rd *d)
{
	xmlNodePtr n = xmlTextReaderCurrentNode(d->r);
	long l = n ? xmlGetLineNo(n) : -1;
	if (l <= 0)
		l = xmlTextReaderGetParserLineNumber(d->r);
	return l > 0 ? (unsigned long)l : 0;
}

static int rd_fail_at(struct rd *d, unsigned long line, const char *elem, const char *what)
{
	return mrt_err_set(d->err, MRT_EPARSE, "%s:%lu: <%s>: %s", mrt_src_name(d->src), line, elem, what);
}

static int rd_fail(struct rd *d, const char *elem, const char *what)
{
	return rd_fail_at(d, rd_line(d), elem, what);
}

/* Reads the text content of the current element into out (trimmed). */
static void rd_text(struct rd *d, char *out, size_t n)
{
	xmlChar *s = xmlTextReaderReadString(d->r);
	mrt_strlcpy(out, s ? (const char *)s : "", n);
	xmlFree(s);
	mrt_rtrim(out);
}

static int valid_axis_char(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z' && c != 'I' && c != 'O');
}

static int on_axis(struct rd *d)
{
	xmlChar *pos = xmlTextReaderGetAttribute(d->r, (const xmlChar *)"pos");
	int p = 0;
	if (!pos || mrt_parse_int(&p, (const char *)pos) != 0)
		p = 0;
	xmlFree(pos);
	if (p < 1 || p > 7 || (d->in_row ? p < 4 : p > 3))
		return rd_fail(d, "axis", d->in_row ? "pos must be 4-7 inside pcsRow"
		                                     : "pos must be 1-3 directly under pcsTable");
	if (d->ax[p].n)
		return rd_fail(d, "axis", "the same pos appears twice");
	d->cur_axis = p;
	return 0;
}

static int on_label(struct rd *d)
{
	if (!d->cur_axis)
		return rd_fail(d, "label", "label outside an axis");
	struct axis *a = &d->ax[d->cur_axis];
	xmlChar *code = xmlTextReaderGetAttribute(d->r, (const xmlChar *)"code");
	int ok = code && strlen((const char *)code) == 1 && valid_axis_char(code[0]);
	char c = ok ? (char)code[0] : 0;
	xmlFree(code);
	if (!ok)
		return rd_fail(d, "label", "code must be one character 0-9 or A-Z (not I or O)");
	if (a->n >= MAX_LABELS || (d->cur_axis <= 3 && a->n >= 1))
		return rd_fail(d, "label", d->cur_axis <= 3 ? "axes 1-3 of a table have one label"
		                                            : "too many labels in one axis");
	for (int i = 0; i < a->n; i++)
		if (a->code[i] == c)
			return rd_fail(d, "label", "the same code appears twice in one axis");
	a->code[a->n] = c;
	rd_text(d, a->text[a->n], LABEL_MAX);
	a->n++;
	return 0;
}

static int send(struct rd *d, const char *code, int valid, unsigned long line)
{
	struct pcs_tables_item it = { .valid = valid, .title = d->title, .line = line };
	mrt_strlcpy(it.code, code, sizeof it.code);
	return d->cb->item(d->cb->ctx, &it, d->err);
}

static int send_header(struct rd *d)
{
	for (int p = 1; p <= 3; p++)
		if (d->ax[p].n != 1)
			return rd_fail(d, "pcsTable", "axes 1-3 (one label each) must come before pcsRow");
	char code[4] = { d->ax[1].code[0], d->ax[2].code[0], d->ax[3].code[0], 0 };
	snprintf(d->title, sizeof d->title, "%s, %s", d->ax[2].text[0], d->ax[3].text[0]);
	d->header_sent = 1;
	return send(d, code, 0, d->table_line);
}

static void build_title(struct rd *d, const int k[8])
{
	int n = snprintf(d->title, sizeof d->title, "%s %s", d->ax[3].text[0], d->ax[4].text[k[4]]);
	for (int p = 5; p <= 7 && n > 0 && (size_t)n < sizeof d->title; p++) {
		const char *t = d->ax[p].text[k[p]];
		if (strncmp(t, "No ", 3) == 0 && p > 5)
			continue;
		n += snprintf(d->title + n, sizeof d->title - (size_t)n, ", %s", t);
	}
}

/* Emits every code of the finished row: the product of its axes 4-7. */
static int expand_row(struct rd *d)
{
	long total = 1;
	for (int p = 4; p <= 7; p++) {
		if (d->ax[p].n == 0)
			return rd_fail_at(d, d->row_line, "pcsRow",
			                  "a row needs axes 4, 5, 6 and 7 with at least one label");
		total *= d->ax[p].n;
	}
	if (d->row_codes >= 0 && d->row_codes != total) {
		char msg[96];
		snprintf(msg, sizeof msg, "codes=\"%ld\" but its axes give %ld codes", d->row_codes, total);
		return rd_fail_at(d, d->row_line, "pcsRow", msg);
	}
	int k[8] = { 0 };
	for (long i = 0; i < total; i++) {
		long rest = i;
		char code[8];
		for (int p = 7; p >= 1; p--) {
			if (p >= 4) {
				k[p] = (int)(rest % d->ax[p].n);
				rest /= d->ax[p].n;
			}
			code[p - 1] = d->ax[p].code[k[p]];
		}
		code[7] = '\0';
		unsigned long first = 0;
		int rc = cms_codeset_add(d->seen, code, d->row_line, &first);
		if (rc < 0)
			return mrt_err_set(d->err, MRT_ENOMEM, "out of memory");
		if (rc == 0) {
			char msg[96];
			snprintf(msg, sizeof msg, "code %s is also given by the pcsRow of line %lu", code, first);
			return rd_fail_at(d, d->row_line, "pcsRow", msg);
		}
		build_title(d, k);
		if ((rc = send(d, code, 1, d->row_line)) != 0)
			return rc;
	}
	return 0;
}

static int on_start(struct rd *d, const char *name, char version[16])
{
	if (strcmp(name, "version") == 0) {
		rd_text(d, version, 16);
	} else if (strcmp(name, "pcsTable") == 0) {
		if (d->in_row)
			return rd_fail(d, name, "pcsTable inside pcsRow");
		memset(d->ax, 0, sizeof d->ax);
		d->header_sent = 0;
		d->table_line = rd_line(d);
	} else if (strcmp(name, "pcsRow") == 0) {
		if (d->in_row)
			return rd_fail(d, name, "pcsRow inside pcsRow");
		if (!d->header_sent) {
			int rc = send_header(d);
			if (rc)
				return rc;
		}
		d->in_row = 1;
		d->row_line = rd_line(d);
		memset(&d->ax[4], 0, sizeof d->ax[4] * 4);
		xmlChar *c = xmlTextReaderGetAttribute(d->r, (const xmlChar *)"codes");
		int64_t v = -1;
		if (c && (mrt_parse_i64(&v, (const char *)c) != 0 || v < 1))
			v = -2;
		xmlFree(c);
		if (v == -2)
			return rd_fail(d, name, "codes must be a positive number");
		d->row_codes = (long)v;
	} else if (strcmp(name, "axis") == 0) {
		return on_axis(d);
	} else if (strcmp(name, "label") == 0) {
		return on_label(d);
	}
	return 0;
}

static int on_end(struct rd *d, const char *name)
{
	if (strcmp(name, "axis") == 0) {
		d->cur_axis = 0;
	} else if (strcmp(name, "pcsRow") == 0 && d->in_row) {
		d->in_row = 0;
		return expand_row(d);
	} else if (strcmp(name, "pcsTable") == 0 && !d->header_sent) {
		return rd_fail(d, name, "table without any pcsRow");
	}
	return 0;
}

static int rd_loop(struct rd *d, char version[16], long *tables)
{
	int rc, seen_root = 0;
	while ((rc = xmlTextReaderRead(d->r)) == 1) {
		int type = xmlTextReaderNodeType(d->r);
		const char *name = (const char *)xmlTextReaderConstName(d->r);
		if (!name)
			continue;
		if (type == XML_READER_TYPE_ELEMENT) {
			if (!seen_root && strcmp(name, "ICD10PCS.tabular") != 0)
				return rd_fail(d, name, "not an ICD-10-PCS tables file (root must be ICD10PCS.tabular)");
			seen_root = 1;
			if (strcmp(name, "pcsTable") == 0)
				(*tables)++;
			int empty = xmlTextReaderIsEmptyElement(d->r);
			if ((rc = on_start(d, name, version)) != 0)
				return rc;
			if (empty && (rc = on_end(d, name)) != 0)
				return rc;
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			if ((rc = on_end(d, name)) != 0)
				return rc;
		}
	}
	if (rc < 0 || d->xmlmsg[0])
		return mrt_err_set(d->err, MRT_EPARSE, "%s:%lu: not well-formed XML: %s", mrt_src_name(d->src),
		                   d->xmlline ? d->xmlline : rd_line(d),
		                   d->xmlmsg[0] ? d->xmlmsg : "read error");
	if (!seen_root)
		return mrt_err_set(d->err, MRT_EPARSE, "%s: empty XML file", mrt_src_name(d->src));
	return 0;
}

int pcs_tables_read(mrt_src *src, const struct pcs_tables_cb *cb, char version[16], mrt_err *err)
{
	struct rd *d = calloc(1, sizeof *d);
	long tables = 0;
	version[0] = '\0';
	if (!d || !(d->seen = cms_codeset_new())) {
		free(d);
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	}
	d->src = src;
	d->cb = cb;
	d->err = err;
	xmlGenericErrorFunc old_fn = xmlGenericError;
	void *old_ctx = xmlGenericErrorContext;
	xmlSetGenericErrorFunc(NULL, rd_silent);
	int rc = 0;
	d->r = xmlReaderForIO(rd_read, NULL, d, mrt_src_name(src), NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS);
	if (!d->r) {
		rc = mrt_err_set(err, MRT_ENOMEM, "%s: cannot start the XML reader", mrt_src_name(src));
	} else {
		xmlTextReaderSetStructuredErrorHandler(d->r, (xmlStructuredErrorFunc)rd_xml_error, d);
		rc = rd_loop(d, version, &tables);
		if (rc == 0 && tables == 0)
			rc = mrt_err_set(err, MRT_EPARSE, "%s: no <pcsTable> elements", mrt_src_name(src));
		xmlFreeTextReader(d->r);
	}
	xmlSetGenericErrorFunc(old_ctx, old_fn);
	cms_codeset_free(d->seen);
	free(d);
	return rc;
}
