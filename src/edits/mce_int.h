/*
 * Inside the Medicare Code Editor: what one claim is edited against (its
 * release, code sets and the lists of each of its codes, looked up once),
 * the edit families' signature and the helper that records a hit. Each
 * family (mce_code.c, mce_age.c, ...) is a pure function listed in the one
 * table of mce_edits.c.
 */
#ifndef MRT_EDITS_MCE_INT_H
#define MRT_EDITS_MCE_INT_H

#include "edits/mce.h"

struct mce_env {
	const struct claim *c;
	const mce_rel *rel;
	const struct mce_codeset *set; /* NULL when no code set covers the date */
	mrt_day day;		       /* the date edited (the release's first day when forced) */
	uint32_t pdx_lists, admit_lists;
	uint32_t sdx_lists[CLAIM_MAX_SDX];
	uint32_t proc_lists[CLAIM_MAX_PROC];
	uint32_t dx_any;   /* union of the lists of every diagnosis (principal and secondary) */
	uint32_t sdx_any;  /* the same for the secondary diagnoses alone */
	uint32_t proc_any; /* union of the lists of every procedure */
	uint8_t pdx_valid, admit_valid;
	uint8_t sdx_valid[CLAIM_MAX_SDX];
	uint8_t proc_valid[CLAIM_MAX_PROC];
};

typedef void (*mce_family_fn)(const struct mce_env *e, struct mce_result *out);

void mce_hit(struct mce_result *r, enum mce_edit edit, enum claim_where where, int pos);

/* The families, in the order they run. */
void mce_family_code(const struct mce_env *e, struct mce_result *out);
void mce_family_age(const struct mce_env *e, struct mce_result *out);
void mce_family_pdx(const struct mce_env *e, struct mce_result *out);
void mce_family_proc(const struct mce_env *e, struct mce_result *out);
void mce_family_claim(const struct mce_env *e, struct mce_result *out);
void mce_family_dx(const struct mce_env *e, struct mce_result *out);

#endif
