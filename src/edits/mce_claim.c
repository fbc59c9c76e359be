/*
 * The claim edits: INVALID_SEX (15: U, M and F are valid), INVALID_DISCHARGE
 * _STATUS (16: the UB-04 statuses valid on the date edited) and, only for
 * a release that still has sex lists (edit 5 was deactivated on
 * 2024-10-01), SEX_CONFLICT per diagnosis or procedure.
 */
#include "edits/mce_int.h"

static int sex_conflict(uint32_t l, char sex)
{
	return ((l & ML_BIT(ML_SEX_FEMALE)) && sex == 'M') ||
	       ((l & ML_BIT(ML_SEX_MALE)) && sex == 'F');
}

static void sex_conflicts(const struct mce_env *e, struct mce_result *out)
{
	const struct claim *c = e->c;
	const uint32_t sexes = ML_BIT(ML_SEX_FEMALE) | ML_BIT(ML_SEX_MALE);
	if (!((e->dx_any | e->proc_any) & sexes))
		return;
	if (sex_conflict(e->pdx_lists, c->sex))
		mce_hit(out, MCE_SEX_CONFLICT, CLAIM_AT_PDX, 0);
	for (int i = 0; i < c->nsdx; i++)
		if (sex_conflict(e->sdx_lists[i], c->sex))
			mce_hit(out, MCE_SEX_CONFLICT, CLAIM_AT_SDX, i);
	for (int i = 0; i < c->nproc; i++)
		if (sex_conflict(e->proc_lists[i], c->sex))
			mce_hit(out, MCE_SEX_CONFLICT, CLAIM_AT_PROC, i);
}

void mce_family_claim(const struct mce_env *e, struct mce_result *out)
{
	char sex = e->c->sex;
	if (sex != 'M' && sex != 'F' && sex != 'U')
		mce_hit(out, MCE_INVALID_SEX, CLAIM_AT_CLAIM, 0);
	if (!mce_rel_status_valid(e->rel, e->c->status, e->day))
		mce_hit(out, MCE_INVALID_DISCHARGE_STATUS, CLAIM_AT_CLAIM, 0);
	sex_conflicts(e, out);
}
