/*
 * Reader for a CMS "Definitions of Medicare Code Edits" text (the MCE
 * manual saved as text: Windows-1252 or UTF-8, CRLF or LF). It streams the
 * file line by line and reports, through callbacks:
 *   - each chapter-1 list membership (list, code), including the codes the
 *     prose names (11B pancreas and kidney transplants, 11G's Z302) and the
 *     asterisked code of edit 9 (also on ML_REQUIRES_SDX);
 *   - each discharge status of edit 16 with its "added" / "valid until" /
 *     "only" dates;
 *   - each chapter-2 change ("codes removed from" / "added to" a list), from
 *     which the previous version's lists can be rebuilt.
 * The version and month come from the title ("v43.1 April 2026"). The table
 * of contents, the index and page headers/footers are ignored; sections
 * marked discontinued or deactivated have no list. Every error names
 * file:line.
 */
#ifndef MRT_FORMATS_MCE_DEFS_H
#define MRT_FORMATS_MCE_DEFS_H

#include "base/date.h"
#include "edits/mce.h"
#include "formats/source.h"
#include "mrt/error.h"

struct mce_defs_head {
	char version[16]; /* "43.1" */
	int major, minor;
	int year, month; /* of the title: April 2026 = 2026, 4 */
	char title[128]; /* "Definitions of Medicare Code Edits v43.1 April 2026" */
};

struct mce_defs_status {
	unsigned long lineno;
	char status[3];	      /* "04" */
	int has_from, has_to; /* open-ended when 0 */
	mrt_day from, to;
	const char *title; /* UTF-8 */
};

struct mce_defs_cb {
	int (*member)(void *ctx, enum mce_list l, const char *code, unsigned long lineno,
		      mrt_err *err);
	int (*status)(void *ctx, const struct mce_defs_status *st, mrt_err *err);
	/* added = 1: the code was added to l in this version; 0: removed. */
	int (*change)(void *ctx, enum mce_list l, const char *code, int added, unsigned long lineno,
		      mrt_err *err);
};

/* Reads the whole source; a non-zero return of a callback stops the reader
 * and is returned. head is filled from the title. */
int mce_defs_read(mrt_src *src, const struct mce_defs_cb *cb, void *ctx, struct mce_defs_head *head,
		  mrt_err *err);

/* The first and last day a definitions version covers: from the first of
 * its title month to the end of that fiscal year (September 30). */
void mce_defs_dates(const struct mce_defs_head *h, mrt_day *from, mrt_day *to);

#endif
