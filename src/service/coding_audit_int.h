/*
 * Shared by the coding audit service files (coding_audit_*.c,
 * coding_dnfc.c): who may do what, users by name, and the two codings of
 * an item read into the comparison's structs.
 */
#ifndef MRT_SERVICE_CODING_AUDIT_INT_H
#define MRT_SERVICE_CODING_AUDIT_INT_H

#include <stdint.h>

#include <jansson.h>

#include "chart/coding_compare.h"
#include "service/coding_audit_svc.h"
#include "store/db.h"

/* What a coder asking for another coder's figures is told: the audit
 * event's action, object type and detail, and the refusal's message. */
struct caudit_own {
	const char *action, *object_type, *detail, *refusal;
};
/* Whose figures the user may read when asking for want's (NULL: every
 * coder's): a supervisor, want's; a coder (the role is required, checked
 * as o->action) only their own, into *coder. Asking for another coder's is
 * audited as a denial (in its own transaction) and refused, MRT_EACCESS. */
int caudit_own_coder(mrt_session *s, const char *want, const struct caudit_own *o,
		     const char **coder, mrt_err *err);
/* The user's id by name; MRT_ENOTFOUND "no user NAME". */
int caudit_user_id(mrt_db *db, const char *name, int64_t *id, mrt_err *err);
/* 1 when the user holds one of the roles coder, him_technician, admin. */
int caudit_user_may_review(mrt_db *db, int64_t user_id, int *yes, mrt_err *err);
/* Checks YYYY-MM-DD (NULL passes); the message names the option. */
int caudit_date_opt(const char *opt, const char *v, mrt_err *err);

/* A coding version's ICD-10-CM diagnoses (principal, secondary) and
 * ICD-10-PCS procedures, in order. */
int caudit_load_coding(mrt_db *db, int64_t coding_id, struct cc_coding *out, mrt_err *err);
/* The reviewer's coding kept on an item (its pdx, pdx_poa, sdx and pcs
 * columns as given). */
int caudit_reviewer_coding(const char *pdx, const char *pdx_poa, const char *sdx_json,
			   const char *pcs_json, struct cc_coding *out, mrt_err *err);

/* The comparison of one item as JSON: {pdx_agree, dx_coder, dx_reviewer,
 * dx_both, poa_diff, px_coder, px_reviewer, px_both, disagreements: [{kind,
 * system, coder_code, reviewer_code, coder_poa?, reviewer_poa?}]}. */
json_t *caudit_result_json(const struct cc_result *r);

/* MCE edits of the two versions of an item (coding_audit_edits.c): the
 * claim built from the encounter with each coding; *nc, *nr the number of
 * edits each raised, names of those only one raised appended to only_c,
 * only_r. x may be NULL (then nothing is edited and *edited = 0). */
struct edits_ctx;
/* The edit tables (edits_ctx_load), or *out = NULL when the code editor
 * has nothing loaded (no MCE release): then no item is edited. */
int caudit_edits_load(mrt_db *db, const char *release, struct edits_ctx **out, mrt_err *err);
void caudit_edits_free(struct edits_ctx *x);
int caudit_edits_item(mrt_db *db, const struct edits_ctx *x, int64_t encounter_id,
		      const struct cc_coding *coder, const struct cc_coding *reviewer, int *edited,
		      int *nc, int *nr, json_t *only_c, json_t *only_r, mrt_err *err);

#endif
