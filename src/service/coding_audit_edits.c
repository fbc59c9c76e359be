/*
 * The MCE edits of the two versions of a coding audit item: the claim of
 * the encounter (dates, age, sex, discharge status: edits_claim_load) with
 * the coder's codes, and the same claim with the reviewer's, each edited
 * by the code editor (edits_ctx_check); the edits - name and code - that
 * only one version raises are its disagreements.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/coding_audit_int.h"
#include "service/edits_claim.h"
#include "service/edits_svc.h"

int caudit_edits_load(mrt_db *db, const char *release, struct edits_ctx **out, mrt_err *err)
{
	int rc = edits_ctx_load(db, release, out, err);
	if (rc == MRT_ENOTFOUND && !release) {
		/* No MCE definitions loaded: the report says edits were not compared. */
		*out = NULL;
		return 0;
	}
	return rc;
}

void caudit_edits_free(struct edits_ctx *x)
{
	if (x)
		edits_ctx_free(x);
}

/* The claim's codes replaced by one version's. */
static void set_codes(struct claim *c, const struct cc_coding *v)
{
	struct edits_claim_info info = {0};
	memset(&c->pdx, 0, sizeof c->pdx);
	c->nsdx = 0;
	c->nproc = 0;
	if (v->pdx.code[0])
		edits_claim_add_dx(c, &info, "principal", v->pdx.code, v->pdx.poa);
	for (int i = 0; i < v->nsdx; i++)
		edits_claim_add_dx(c, &info, "secondary", v->sdx[i].code, v->sdx[i].poa);
	for (int i = 0; i < v->npx; i++)
		edits_claim_add_px(c, &info, v->px[i], NULL);
}

#define KEY_LEN (32 + CLAIM_CODE_MAX)

static int key_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* "EDIT CODE" for each edit raised, sorted; returns how many. */
static int edit_keys(const struct edits_ctx *x, const struct claim *c, struct mce_result *mr,
		     char (*keys)[KEY_LEN])
{
	edits_ctx_check(x, c, mr, NULL);
	int n = 0;
	for (int i = 0; i < mr->n; i++) {
		const struct mce_hit *h = &mr->hit[i];
		const char *code = claim_code_at(c, h->where, h->pos);
		snprintf(keys[n++], KEY_LEN, "%s%s%s", mce_edit_info[h->edit].name,
			 *code ? " " : "", code);
	}
	qsort(keys, (size_t)n, KEY_LEN, key_cmp);
	return n;
}

/* The keys of one sorted list missing from the other (as multisets). */
static void only(char (*a)[KEY_LEN], int na, char (*b)[KEY_LEN], int nb, json_t *out)
{
	int i = 0, j = 0;
	while (i < na) {
		int d = j < nb ? strcmp(a[i], b[j]) : -1;
		if (d == 0) {
			i++;
			j++;
		} else if (d < 0) {
			json_array_append_new(out, json_string(a[i++]));
		} else {
			j++;
		}
	}
}

struct edit_job {
	struct claim c;
	struct mce_result mr;
	char kc[MCE_MAX_HITS][KEY_LEN], kr[MCE_MAX_HITS][KEY_LEN];
};

int caudit_edits_item(mrt_db *db, const struct edits_ctx *x, int64_t encounter_id,
		      const struct cc_coding *coder, const struct cc_coding *reviewer, int *edited,
		      int *nc, int *nr, json_t *only_c, json_t *only_r, mrt_err *err)
{
	*edited = *nc = *nr = 0;
	if (!x)
		return 0;
	struct edit_job *j = calloc(1, sizeof *j);
	if (!j)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	struct edits_claim_info info = {0};
	int rc = edits_claim_load(db, encounter_id, &j->c, &info, err);
	if (rc == 0) {
		set_codes(&j->c, coder);
		*nc = edit_keys(x, &j->c, &j->mr, j->kc);
		set_codes(&j->c, reviewer);
		*nr = edit_keys(x, &j->c, &j->mr, j->kr);
		only(j->kc, *nc, j->kr, *nr, only_c);
		only(j->kr, *nr, j->kc, *nc, only_r);
		*edited = 1;
	}
	free(j);
	return rc;
}
