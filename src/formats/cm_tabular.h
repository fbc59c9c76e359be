/*
 * Reader of the ICD-10-CM Tabular List XML (CDC/CMS `icd10cm_tabular_YYYY.xml`):
 * chapters, sections and the `diag` tree with their instructional notes, and
 * the release's codes as the tree defines them (a diag with children is a
 * header; a leaf is billable unless it takes a 7th character, in which case
 * its expansions, padded with the placeholder X, are). Streams through
 * callbacks; knows nothing of the database.
 */
#ifndef MRT_FORMATS_CM_TABULAR_H
#define MRT_FORMATS_CM_TABULAR_H

#include <stddef.h>

#include "formats/source.h"

#define CM_TAB_MAX_CODE 16

/* One instructional note. owner is the undotted code, "chapter:N" or
 * "section:ID"; kind is the element name (inclusionTerm, includes,
 * excludes1, excludes2, codeFirst, useAdditionalCode, codeAlso, notes,
 * sevenChrNote, sevenChrDef); seq counts the owner's notes of that kind;
 * ch is the 7th character of a sevenChrDef extension (else NULL). */
struct cm_tab_note {
	const char *owner;
	const char *kind;
	int seq;
	const char *text;
	const char *ch;
};

/* One code of the release (undotted); parent is the undotted enclosing
 * code or NULL for a category. */
struct cm_tab_code {
	const char *code;
	int billable;
	const char *title;
	const char *parent;
	int placeholder; /* the diag carried placeholder="true" */
	unsigned long line;
};

struct cm_tab_handler {
	void *ctx;
	int (*version)(void *ctx, const char *version, mrt_err *err);
	int (*note)(void *ctx, const struct cm_tab_note *n, mrt_err *err);
	int (*code)(void *ctx, const struct cm_tab_code *c, mrt_err *err); /* may be NULL */
};

struct cm_tab_counts {
	long diags, placeholders, notes, codes, billable, seven_chr_defs;
};

int cm_tabular_read(mrt_src *src, const struct cm_tab_handler *h, struct cm_tab_counts *counts,
		    mrt_err *err);

/* Undots a code ("E11.9" -> "E119", "O09.3-" -> "O093"): copies letters
 * and digits, upper-cased. Returns the length, or -1 when it does not fit. */
int cm_code_undot(char *out, size_t cap, const char *dotted);
/* Finds the code references inside a note's text, e.g. "(E08.-)", "(K50.-)",
 * "(O09.3-)", "(Z79.4)", "(E08-E13)" -> each undotted into refs[i] (at most
 * max). Returns how many were found. */
int cm_note_refs(const char *text, char refs[][CM_TAB_MAX_CODE], int max);

#endif
