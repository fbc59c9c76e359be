/*
 * MCE edits 1-3 and the admitting diagnosis: INVALID_CODE (a diagnosis not
 * billable, or a procedure not in the code set, on the date edited; one
 * per occurrence), INVALID_ADMIT_DX, E_CODE_AS_PDX (an external cause, V-Y,
 * as principal) and DUPLICATE_OF_PDX (each secondary equal to the
 * principal).
 */
#include <string.h>

#include "edits/mce_int.h"

void mce_family_code(const struct mce_env *e, struct mce_result *out)
{
	const struct claim *c = e->c;
	if (!e->pdx_valid)
		mce_hit(out, MCE_INVALID_CODE, CLAIM_AT_PDX, 0);
	if (c->has_admit_dx && !e->admit_valid)
		mce_hit(out, MCE_INVALID_ADMIT_DX, CLAIM_AT_ADMIT, 0);
	for (int i = 0; i < c->nsdx; i++)
		if (!e->sdx_valid[i])
			mce_hit(out, MCE_INVALID_CODE, CLAIM_AT_SDX, i);
	for (int i = 0; i < c->nproc; i++)
		if (!e->proc_valid[i])
			mce_hit(out, MCE_INVALID_CODE, CLAIM_AT_PROC, i);
	char first = c->pdx.code[0];
	if (e->pdx_valid && first >= 'V' && first <= 'Y')
		mce_hit(out, MCE_E_CODE_AS_PDX, CLAIM_AT_PDX, 0);
	for (int i = 0; i < c->nsdx; i++)
		if (strcmp(c->sdx[i].code, c->pdx.code) == 0)
			mce_hit(out, MCE_DUPLICATE_OF_PDX, CLAIM_AT_SDX, i);
}
