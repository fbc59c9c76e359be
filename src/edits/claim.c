/*
 * Small helpers over a claim (edits/claim.h).
 */
#include "edits/claim.h"

const char *claim_code_at(const struct claim *c, int where, int pos)
{
	switch (where) {
	case CLAIM_AT_PDX:
		return c->pdx.code;
	case CLAIM_AT_ADMIT:
		return c->admit_dx.code;
	case CLAIM_AT_SDX:
		return pos >= 0 && pos < c->nsdx ? c->sdx[pos].code : "";
	case CLAIM_AT_PROC:
		return pos >= 0 && pos < c->nproc ? c->proc[pos].code : "";
	default:
		return "";
	}
}
