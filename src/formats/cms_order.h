/*
 * Readers for the CMS fixed-width release files of ICD-10-CM and
 * ICD-10-PCS: the order file (order number in columns 1-5, code in 7-13,
 * billable flag in 15, short title in 17-76, long title from 78), the codes
 * file (code in 1-7, long title from 9), and the order/codes addenda
 * (`Add:|Delete:|Revise from:|Revise to:` lines). They stream line by line
 * through a callback; nothing keeps the whole file in memory.
 *
 * Encoding: ASCII or UTF-8; a line that is not valid UTF-8 is read as
 * Windows-1252 and converted. Columns count characters. Line endings must be
 * the same on every line (the first line decides: CRLF or LF). Every error
 * names file:line and what is wrong.
 */
#ifndef MRT_FORMATS_CMS_ORDER_H
#define MRT_FORMATS_CMS_ORDER_H

#include <stddef.h>
#include <stdint.h>

#include "formats/source.h"
#include "mrt/error.h"

#define CMS_CODE_MAX 7

struct cms_order_row {
	unsigned long lineno;
	long order_no;           /* 0 in the codes file */
	char code[CMS_CODE_MAX + 1]; /* undotted, upper case */
	int billable;            /* order file flag; always 1 in the codes file */
	const char *short_title; /* UTF-8, trailing blanks removed ("" in the codes file) */
	const char *long_title;
};

/* Called once per row; a non-zero return stops the reader and is returned. */
typedef int (*cms_order_fn)(void *ctx, const struct cms_order_row *row, mrt_err *err);

int cms_order_read(mrt_src *src, cms_order_fn fn, void *ctx, mrt_err *err);
int cms_codes_read(mrt_src *src, cms_order_fn fn, void *ctx, mrt_err *err);

enum cms_addenda_action { CMS_ADD, CMS_DELETE, CMS_REVISE_FROM, CMS_REVISE_TO };

struct cms_addenda_row {
	unsigned long lineno;
	enum cms_addenda_action action;
	int billable;            /* the flag when the line has one, else -1 */
	char code[CMS_CODE_MAX + 1];
	const char *short_title; /* == long_title when the layout has one title */
	const char *long_title;
};

typedef int (*cms_addenda_fn)(void *ctx, const struct cms_addenda_row *row, mrt_err *err);

/* order_layout = 1 for order addenda (short title in 60 columns, then the
 * long title), 0 for codes addenda (one title). Summary lines are skipped. */
int cms_addenda_read(mrt_src *src, int order_layout, cms_addenda_fn fn, void *ctx, mrt_err *err);

/* A set of codes (up to 7 characters) with one number per code, e.g. the
 * line where it was seen: duplicate detection and set comparison. */
typedef struct cms_codeset cms_codeset;

cms_codeset *cms_codeset_new(void);
void cms_codeset_free(cms_codeset *s);
/* Adds code with value v; returns 1 if added, 0 if it was already there (then
 * *old holds its value when old is not NULL), MRT_ENOMEM on failure. */
int cms_codeset_add(cms_codeset *s, const char *code, unsigned long v, unsigned long *old);
/* Adds code or replaces its value: 0 or MRT_ENOMEM. */
int cms_codeset_put(cms_codeset *s, const char *code, unsigned long v);
/* 1 and *v when present. */
int cms_codeset_get(const cms_codeset *s, const char *code, unsigned long *v);
size_t cms_codeset_count(const cms_codeset *s);
/* Calls fn for every code (unordered); a non-zero return stops. */
int cms_codeset_each(const cms_codeset *s, int (*fn)(void *ctx, const char *code, unsigned long v),
                     void *ctx);

#endif
