/*
 * A streaming XML reader (libxml2 xmlTextReader) over an mrt_src, for the
 * release-file readers. It never loads external entities or DTDs and never
 * touches the network, keeps a bounded element stack, and turns libxml2's
 * errors into one line naming the file, line and element.
 */
#ifndef MRT_FORMATS_XMLSRC_H
#define MRT_FORMATS_XMLSRC_H

#include "formats/source.h"

#define XMLSRC_MAX_DEPTH 48

typedef struct xmlsrc xmlsrc;

enum xmlsrc_event { XMLSRC_START = 1, XMLSRC_TEXT = 2, XMLSRC_END = 3 };

int xmlsrc_open(xmlsrc **out, mrt_src *src, mrt_err *err);
void xmlsrc_close(xmlsrc *x);
/* Next event: XMLSRC_START (an empty element gives START then END), TEXT or
 * END; 0 at the end of the document; < 0 on error. */
int xmlsrc_next(xmlsrc *x, mrt_err *err);
/* Name of the element just started or ended; text of a TEXT event. */
const char *xmlsrc_name(const xmlsrc *x);
const char *xmlsrc_text(const xmlsrc *x);
/* Attribute of the element just started (malloc'ed, NULL when absent). */
char *xmlsrc_attr(xmlsrc *x, const char *name);
/* Depth of the current element (root = 0) and the name of its ancestor
 * `up` levels above (0 = itself), or "" above the root. */
int xmlsrc_depth(const xmlsrc *x);
const char *xmlsrc_up(const xmlsrc *x, int up);
unsigned long xmlsrc_line(const xmlsrc *x);
/* Sets err to "<file>:<line>: <element>: <message>" and returns code. */
int xmlsrc_fail(const xmlsrc *x, mrt_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
