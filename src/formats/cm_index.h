/*
 * Reader of the alphabetic index XML files: the ICD-10-CM Index to Diseases
 * and Injuries, its External Cause index, the Table of Neoplasms and the
 * Table of Drugs and Chemicals (ICD10CM.index: mainTerm -> term[@level],
 * title with nemod, code, see, seeAlso, manif, cell[@col], indexHeading),
 * and the ICD-10-PCS index (ICD10PCS.index: use, see, codes, tab, code).
 * Streams one callback per term, in document order; no database.
 */
#ifndef MRT_FORMATS_CM_INDEX_H
#define MRT_FORMATS_CM_INDEX_H

#include "formats/source.h"

#define IDX_MAX_COLS 12
#define IDX_MAX_LEVEL 16

struct idx_cell {
	int col;
	const char *code;
};

/* One line of the index. level 0 = a main term. Any text field may be
 * NULL when absent. code_kind says what code holds: "code", "codes" (a PCS
 * table row prefix), "tab" (a PCS table), "subcat", "seecat". */
struct idx_term {
	int level;
	const char *title;
	const char *nemod;
	const char *code;
	const char *code_kind;
	const char *manif;
	const char *see;
	const char *see_also;
	const char *use;
	int ncells;
	struct idx_cell cells[IDX_MAX_COLS];
	unsigned long line;
};

struct idx_handler {
	void *ctx;
	int (*version)(void *ctx, const char *version, mrt_err *err);
	int (*heading)(void *ctx, int col, const char *name, mrt_err *err); /* may be NULL */
	int (*term)(void *ctx, const struct idx_term *t, mrt_err *err);
};

/* root: "ICD10CM.index" or "ICD10PCS.index" (the document must have it). */
int idx_read(mrt_src *src, const char *root, const struct idx_handler *h, long *terms,
	     mrt_err *err);

#endif
