/*
 * The procedure edits, per occurrence: NON_COVERED (11: list A always; B,
 * a pancreas transplant, without a kidney transplant and without a listed
 * diabetes diagnosis - otherwise it is limited coverage; D with a listed
 * leukemia diagnosis; F over age 60 - or an invalid negative age, as CMS
 * counts it; G with Z302), LIMITED_COVERAGE (17, a
 * procedure that is not also non-covered), QUESTIONABLE_OBSTETRIC_ADMISSION
 * (8B, a delivery without an outcome-of-delivery secondary diagnosis; as
 * principal it does not count) and
 * INCONSISTENT_WITH_LENGTH_OF_STAY (19, ventilation over 96 hours with a
 * stay under 5 days).
 */
#include "edits/mce_int.h"

static int non_covered(const struct mce_env *e, uint32_t l, int *limited)
{
	if (l & ML_BIT(ML_NONCOV_A))
		return 1;
	if (l & ML_BIT(ML_NONCOV_B_PROC)) {
		if (!(e->proc_any & ML_BIT(ML_NONCOV_B_KIDNEY)) &&
		    !(e->dx_any & ML_BIT(ML_NONCOV_B_DX)))
			return 1;
		*limited = 1;
	}
	if ((l & ML_BIT(ML_NONCOV_D_PROC)) && (e->dx_any & ML_BIT(ML_NONCOV_D_DX)))
		return 1;
	if ((l & ML_BIT(ML_NONCOV_F)) && (e->c->age > 60 || e->c->age < 0))
		return 1;
	return (l & ML_BIT(ML_NONCOV_G_PROC)) && (e->dx_any & ML_BIT(ML_NONCOV_G_DX));
}

void mce_family_proc(const struct mce_env *e, struct mce_result *out)
{
	const uint32_t delivery = ML_BIT(ML_CESAREAN) | ML_BIT(ML_VAGINAL);
	int outcome = (e->sdx_any & ML_BIT(ML_OUTCOME_DELIVERY)) != 0;
	for (int i = 0; i < e->c->nproc; i++) {
		uint32_t l = e->proc_lists[i];
		int limited = (l & ML_BIT(ML_LIMITED_A)) != 0;
		if (non_covered(e, l, &limited))
			mce_hit(out, MCE_NON_COVERED, CLAIM_AT_PROC, i);
		else if (limited)
			mce_hit(out, MCE_LIMITED_COVERAGE, CLAIM_AT_PROC, i);
		if ((l & delivery) && !outcome)
			mce_hit(out, MCE_QUESTIONABLE_OBSTETRIC_ADMISSION, CLAIM_AT_PROC, i);
		if ((l & ML_BIT(ML_LOS_VENT)) && e->c->los < 5)
			mce_hit(out, MCE_INCONSISTENT_WITH_LENGTH_OF_STAY, CLAIM_AT_PROC, i);
	}
}
