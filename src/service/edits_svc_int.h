/*
 * Inside the edits service: the context's fields, shared by the context
 * (edits_svc.c), the result writers (edits_json.c) and the claims-file
 * check (edits_check.c).
 */
#ifndef MRT_SERVICE_EDITS_SVC_INT_H
#define MRT_SERVICE_EDITS_SVC_INT_H

#include <stdio.h>

#include "base/str.h"
#include "codes/release.h"
#include "service/edits_svc.h"

struct edits_ctx {
	struct codes_release *rels; /* every code-set release */
	codes_lookup **lookups;	    /* one per release (NULL for another system) */
	size_t nrel;
	struct mce_codeset *sets; /* date ranges, ordered */
	size_t nsets;
	mce_tables *mce;
	tabular_tables *tab;
	struct mce_ctx m;
};

/* The rows of one claim in the human table of `mrt edits check`, and a
 * note line when the claim was edited against another release than its
 * date's (before the first, --release) or its date has no code set. */
void edits_print_rows(FILE *out, const struct edits_ctx *x, const struct claim *c,
		      const struct mce_result *mr, const struct tab_result *tr);
/* The header of that table. */
void edits_print_header(FILE *out);
/* A text printed with control characters as visible escapes. */
void edits_print_safe(FILE *out, const char *s, int width);

#endif
