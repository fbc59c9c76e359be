/*
 * Reader for the ICD-10-PCS tables XML (`ICD10PCS.tabular > pcsTable`):
 * streams it with libxml2's xmlTextReader and expands every `pcsRow` (its
 * axes 4-7 under the table's axes 1-3) to the codes it stands for, with a
 * title built from the axis labels. Errors name the file, the element and
 * its line.
 */
#ifndef MRT_FORMATS_PCS_TABLES_H
#define MRT_FORMATS_PCS_TABLES_H

#include "formats/source.h"
#include "mrt/error.h"

struct pcs_tables_item {
	char code[8];      /* the 3-character table, or a 7-character code */
	int valid;         /* 1 for a code, 0 for a table */
	const char *title; /* table: "<body system>, <operation>"; code: built from the labels */
	unsigned long line; /* line of the pcsTable / pcsRow */
};

struct pcs_tables_cb {
	/* Called for each table (before its codes) and each code; a negative
	 * return stops the reader and is returned. */
	int (*item)(void *ctx, const struct pcs_tables_item *it, mrt_err *err);
	void *ctx;
};

/* version receives the file's <version> text ("" when absent). */
int pcs_tables_read(mrt_src *src, const struct pcs_tables_cb *cb, char version[16], mrt_err *err);

#endif
