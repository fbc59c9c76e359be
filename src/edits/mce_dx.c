/*
 * The diagnosis-list edits counted per occurrence, principal or secondary:
 * UNSPECIFIED (20, a code with a more specific laterality code) and
 * WRONG_PROCEDURE_PERFORMED (18, Y6551-Y6553).
 */
#include "edits/mce_int.h"

static void one(uint32_t l, enum claim_where where, int pos, struct mce_result *out)
{
	if (l & ML_BIT(ML_UNSPECIFIED))
		mce_hit(out, MCE_UNSPECIFIED, where, pos);
	if (l & ML_BIT(ML_WRONG_PROCEDURE))
		mce_hit(out, MCE_WRONG_PROCEDURE_PERFORMED, where, pos);
}

void mce_family_dx(const struct mce_env *e, struct mce_result *out)
{
	one(e->pdx_lists, CLAIM_AT_PDX, 0, out);
	for (int i = 0; i < e->c->nsdx; i++)
		one(e->sdx_lists[i], CLAIM_AT_SDX, i, out);
}
