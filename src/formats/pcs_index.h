/*
 * Readers of the ICD-10-PCS index XML (ICD10PCS.index: mainTerm/term with
 * use, see, codes, tab, code) and definitions XML (ICD10PCS.definitions:
 * section[@code] > axis[@pos] > terms > title, definition, explanation,
 * includes). No database.
 */
#ifndef MRT_FORMATS_PCS_INDEX_H
#define MRT_FORMATS_PCS_INDEX_H

#include "formats/cm_index.h"

int pcs_index_read(mrt_src *src, const struct idx_handler *h, long *terms, mrt_err *err);

struct pcs_def {
	const char *section;    /* section character, e.g. "0" */
	int axis_pos;
	const char *axis_title; /* e.g. "Operation" */
	const char *term;       /* e.g. "Bypass" */
	const char *definition, *explanation, *includes; /* NULL when absent */
	unsigned long line;
};

struct pcs_def_handler {
	void *ctx;
	int (*version)(void *ctx, const char *version, mrt_err *err);
	int (*def)(void *ctx, const struct pcs_def *d, mrt_err *err);
};

int pcs_definitions_read(mrt_src *src, const struct pcs_def_handler *h, long *defs, mrt_err *err);

#endif
