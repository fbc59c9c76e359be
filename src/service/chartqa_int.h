/*
 * Shared by the chart completion service files (chartqa_svc.c,
 * chartqa_list.c, chartqa_rate.c, pq_svc.c): the rule table in memory, the
 * encounters of a scope, deficiency rows as JSON.
 */
#ifndef MRT_SERVICE_CHARTQA_INT_H
#define MRT_SERVICE_CHARTQA_INT_H

#include "base/date.h"
#include "chart/deficiency.h"
#include "service/chartqa_svc.h"
#include "service/svc_util.h"

#define CQ_MAX_RULES 64

struct cq_rule_row {
	char cls[16];
	char requirement[24];
	char doc_kind[24];
	char short_stay_kind[24];
	struct dq_rule r;
};

struct cq_rules {
	struct cq_rule_row rows[CQ_MAX_RULES];
	size_t n;
	struct dq_op_rule ops[CQ_MAX_RULES];
	size_t n_ops;
};

/* The enabled rows of deficiency_rule and operative_procedure_rule. */
int cq_load_rules(mrt_session *s, struct cq_rules *r, mrt_err *err);
/* The rules of one encounter class into out (CQ_MAX_RULES); the count. */
size_t cq_rules_for(const struct cq_rules *r, const char *cls, struct dq_rule *out);

struct cq_enc {
	int64_t id, patient, attending;
	char cls[16];
	char admit[40];
	char discharge[40];
};

/* --account, or --from/--to both or neither. */
int cq_check_scope(const struct chartqa_scope *sc, mrt_err *err);
/* The encounters of the scope (malloc'd array). */
int cq_encounters(mrt_session *s, const struct chartqa_scope *sc, struct cq_enc **out, size_t *n,
		  mrt_err *err);
/* {"open": n, "deficiencies": [...]}: the open deficiencies of the scope. */
int cq_scope_json(mrt_session *s, const struct chartqa_scope *sc, json_t **out, mrt_err *err);
/* The active user linked to a provider: name (out) and id; "" / 0 when none. */
int cq_provider_user(mrt_session *s, int64_t provider, char *out, size_t cap, int64_t *uid,
		     mrt_err *err);

#endif
