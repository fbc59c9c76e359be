/*
 * Streaming XML over an mrt_src; see xmlsrc.h. libxml2 pulls bytes through
 * a read callback, so a zip member is parsed without being unpacked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "formats/xmlsrc.h"

struct xmlsrc {
	mrt_src *src;
	xmlTextReaderPtr r;
	mrt_err read_err;
	int read_failed;
	char perr[256]; /* first libxml2 error */
	int perr_line;
	int pending_end; /* an empty element: its END comes next */
	int depth;
	char *stack[XMLSRC_MAX_DEPTH];
	const char *text;
	unsigned long line;
};

static int read_cb(void *ctx, char *buf, int len)
{
	struct xmlsrc *x = ctx;
	ssize_t n = mrt_src_read(x->src, buf, (size_t)len, &x->read_err);
	if (n < 0) {
		x->read_failed = 1;
		return -1;
	}
	return (int)n;
}

/* Keeps libxml2's first error (it would otherwise print to stderr). */
static void error_cb(void *ctx, xmlErrorPtr e)
{
	struct xmlsrc *x = ctx;
	if (x->perr[0] || !e || !e->message)
		return;
	snprintf(x->perr, sizeof x->perr, "%s", e->message);
	size_t n = strlen(x->perr);
	while (n && (x->perr[n - 1] == '\n' || x->perr[n - 1] == ' '))
		x->perr[--n] = '\0';
	x->perr_line = e->line;
}

int xmlsrc_open(xmlsrc **out, mrt_src *src, mrt_err *err)
{
	*out = NULL;
	struct xmlsrc *x = calloc(1, sizeof *x);
	if (!x)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	x->src = src;
	x->depth = -1;
	/* No NOENT, no DTDLOAD: entities stay unexpanded and nothing external
	 * is fetched (XXE); NONET as a second lock. */
	x->r = xmlReaderForIO(read_cb, NULL, x, mrt_src_name(src), NULL,
			      XML_PARSE_NONET | XML_PARSE_NOWARNING);
	if (!x->r) {
		free(x);
		return mrt_err_set(err, MRT_ENOMEM, "%s: cannot start the XML reader",
				   mrt_src_name(src));
	}
	xmlTextReaderSetStructuredErrorHandler(x->r, error_cb, x);
	*out = x;
	return 0;
}

void xmlsrc_close(xmlsrc *x)
{
	if (!x)
		return;
	if (x->r)
		xmlFreeTextReader(x->r);
	for (int i = 0; i <= x->depth && i < XMLSRC_MAX_DEPTH; i++)
		free(x->stack[i]);
	free(x);
}

int xmlsrc_fail(const xmlsrc *x, mrt_err *err, int code, const char *fmt, ...)
{
	char msg[320];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	const char *el = x->depth >= 0 ? x->stack[x->depth] : "document";
	return mrt_err_set(err, code, "%s:%lu: <%s>: %s", mrt_src_name(x->src), x->line,
			   el ? el : "?", msg);
}

static int reader_failed(xmlsrc *x, mrt_err *err)
{
	if (x->read_failed) {
		*err = x->read_err;
		return err->code ? err->code : MRT_EIO;
	}
	if (x->perr_line > 0)
		x->line = (unsigned long)x->perr_line;
	return xmlsrc_fail(x, err, MRT_EPARSE, "malformed XML: %s",
			   x->perr[0] ? x->perr : "unreadable document");
}

static int push(xmlsrc *x, mrt_err *err)
{
	const char *name = (const char *)xmlTextReaderConstLocalName(x->r);
	if (x->depth + 1 >= XMLSRC_MAX_DEPTH)
		return xmlsrc_fail(x, err, MRT_EPARSE, "elements nested deeper than %d",
				   XMLSRC_MAX_DEPTH);
	char *copy = strdup(name ? name : "");
	if (!copy)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	x->stack[++x->depth] = copy;
	x->pending_end = xmlTextReaderIsEmptyElement(x->r) == 1;
	return XMLSRC_START;
}

static void pop(xmlsrc *x)
{
	if (x->depth >= 0) {
		free(x->stack[x->depth]);
		x->stack[x->depth--] = NULL;
	}
}

int xmlsrc_next(xmlsrc *x, mrt_err *err)
{
	if (x->pending_end) {
		x->pending_end = 0;
		return XMLSRC_END;
	}
	/* An END event keeps its element on the stack until the next call, so
	 * callers can still ask its name. */
	static const char end_mark[] = "";
	if (x->text == end_mark)
		pop(x);
	x->text = NULL;
	for (;;) {
		int rc = xmlTextReaderRead(x->r);
		if (rc == 0) {
			if (x->read_failed || x->perr[0])
				return reader_failed(x, err);
			return 0;
		}
		if (rc < 0)
			return reader_failed(x, err);
		/* The node's own line (the parser's position may be ahead of
		 * it); libxml2 keeps node lines only up to 65535. */
		xmlNodePtr node = xmlTextReaderCurrentNode(x->r);
		long line = node ? xmlGetLineNo(node) : -1;
		if (line <= 0 || line >= 65535)
			line = xmlTextReaderGetParserLineNumber(x->r);
		if (line > 0)
			x->line = (unsigned long)line;
		switch (xmlTextReaderNodeType(x->r)) {
		case XML_READER_TYPE_ELEMENT:
			return push(x, err);
		case XML_READER_TYPE_END_ELEMENT:
			x->text = end_mark;
			return XMLSRC_END;
		case XML_READER_TYPE_TEXT:
		case XML_READER_TYPE_CDATA:
			x->text = (const char *)xmlTextReaderConstValue(x->r);
			if (!x->text)
				x->text = "";
			return XMLSRC_TEXT;
		case XML_READER_TYPE_ENTITY_REFERENCE:
			return xmlsrc_fail(x, err, MRT_EPARSE, "entity references are not allowed");
		default:
			break;
		}
	}
}

const char *xmlsrc_name(const xmlsrc *x)
{
	return x->depth >= 0 ? x->stack[x->depth] : "";
}

const char *xmlsrc_text(const xmlsrc *x)
{
	return x->text ? x->text : "";
}

char *xmlsrc_attr(xmlsrc *x, const char *name)
{
	return (char *)xmlTextReaderGetAttribute(x->r, (const xmlChar *)name);
}

int xmlsrc_depth(const xmlsrc *x)
{
	return x->depth;
}

const char *xmlsrc_up(const xmlsrc *x, int up)
{
	int i = x->depth - up;
	return i >= 0 ? x->stack[i] : "";
}

unsigned long xmlsrc_line(const xmlsrc *x)
{
	return x->line;
}
