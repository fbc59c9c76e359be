/*
 * The principal-diagnosis edits, each at most once: MANIFESTATION_AS_PDX
 * (6), QUESTIONABLE_ADMISSION (8A), UNACCEPTABLE_PDX (9) and REQUIRES_SDX
 * (9, the asterisked code: acceptable only with a secondary diagnosis).
 */
#include "edits/mce_int.h"

void mce_family_pdx(const struct mce_env *e, struct mce_result *out)
{
	uint32_t l = e->pdx_lists;
	if (l & ML_BIT(ML_MANIFESTATION))
		mce_hit(out, MCE_MANIFESTATION_AS_PDX, CLAIM_AT_PDX, 0);
	if (l & ML_BIT(ML_QUESTIONABLE))
		mce_hit(out, MCE_QUESTIONABLE_ADMISSION, CLAIM_AT_PDX, 0);
	if (l & ML_BIT(ML_REQUIRES_SDX)) {
		if (e->c->nsdx == 0)
			mce_hit(out, MCE_REQUIRES_SDX, CLAIM_AT_PDX, 0);
	} else if (l & ML_BIT(ML_UNACCEPTABLE_PDX)) {
		mce_hit(out, MCE_UNACCEPTABLE_PDX, CLAIM_AT_PDX, 0);
	}
}
