/*
 * MCE edits 4 and 14: AGE_CONFLICT for each diagnosis (principal or
 * secondary) on an age list whose inclusive band does not hold the age
 * (newborn 0, pediatric 0-17, maternity 9-64, adult 15-124), and
 * INVALID_AGE for an age outside 0-124 (the age lists are still applied).
 */
#include "edits/mce_int.h"

static int conflicts(uint32_t lists, int age)
{
	if ((lists & ML_BIT(ML_NEWBORN)) && age != 0)
		return 1;
	if ((lists & ML_BIT(ML_PEDIATRIC)) && (age < 0 || age > 17))
		return 1;
	if ((lists & ML_BIT(ML_MATERNITY)) && (age < 9 || age > 64))
		return 1;
	return (lists & ML_BIT(ML_ADULT)) && (age < 15 || age > 124);
}

void mce_family_age(const struct mce_env *e, struct mce_result *out)
{
	const struct claim *c = e->c;
	if (c->age < 0 || c->age > 124)
		mce_hit(out, MCE_INVALID_AGE, CLAIM_AT_CLAIM, 0);
	if (conflicts(e->pdx_lists, c->age))
		mce_hit(out, MCE_AGE_CONFLICT, CLAIM_AT_PDX, 0);
	for (int i = 0; i < c->nsdx; i++)
		if (conflicts(e->sdx_lists[i], c->age))
			mce_hit(out, MCE_AGE_CONFLICT, CLAIM_AT_SDX, i);
}
