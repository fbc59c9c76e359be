/*
 * Private to the loader (load.c, load_check.c): the release being loaded
 * and the cross-checks of the codes file, addenda and PCS tables against the
 * codes already stored for it.
 */
#ifndef MRT_CODES_LOAD_INT_H
#define MRT_CODES_LOAD_INT_H

#include <stdint.h>

#include "codes/load.h"
#include "formats/cms_order.h"
#include "formats/source.h"
#include "store/db.h"

struct load_rel {
	mrt_db *db;
	int64_t id;
	const char *system;
	const char *version;
};

/* The release's stored codes: value 1 for billable, 0 for headers. */
int load_stored_codes(struct load_rel *r, cms_codeset **out, mrt_err *err);

/* Inserts the codes of an order file / a PCS tables XML into the release. */
int load_codes_order(struct load_rel *r, mrt_src *src, int64_t *rows, mrt_err *err);
int load_codes_tables(struct load_rel *r, mrt_src *src, int64_t *rows, mrt_err *err);
/* Sets code.parent where the tabular loader left it empty. */
int load_fix_parents(struct load_rel *r, mrt_err *err);

/* Cross-checks; each names the file, line and code that disagree. */
int load_check_codes(struct load_rel *r, mrt_src *src, int64_t *rows, mrt_err *err);
int load_check_addenda(struct load_rel *r, mrt_src *src, int order_layout, int64_t *rows,
                       mrt_err *err);
int load_check_tables(struct load_rel *r, mrt_src *src, int64_t *rows, mrt_err *err);

#endif
