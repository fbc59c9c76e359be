/*
 * Chart completion use cases (docs/chart-analysis.md,
 * docs/physician-queries.md): the deficiency analysis of stored
 * encounters, each deficiency a work item for its physician; the rule
 * table; the delinquency rate; physician queries and the hold they put on
 * final coding.
 *
 * Who may do what: the analysis, the rule changes and the delinquency
 * report are the HIM department's (him_technician; an administrator holds
 * every role) and rule changes also admin's; a physician lists their own
 * deficiencies; coders ask and close queries (ACCESS_CHART_CODE on the
 * encounter), the physician a query was sent to answers it
 * (ACCESS_PATIENT_READ). Every read and write is audited.
 */
#ifndef MRT_SERVICE_CHARTQA_SVC_H
#define MRT_SERVICE_CHARTQA_SVC_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "service/session.h"

struct chartqa_scope {
	const char *account; /* one encounter, or NULL */
	const char *from;    /* discharge dates YYYY-MM-DD, or NULL */
	const char *to;
};

/* {encounters, opened, closed, open, delinquent, deficiencies[]}. */
int chartqa_svc_analyze(mrt_session *s, const struct chartqa_scope *sc, json_t **out, mrt_err *err);

struct chartqa_filter {
	int mine;	       /* the session's linked provider */
	const char *physician; /* a user name or provider identifier */
	const char *status;    /* open (NULL) | closed | all */
};

/* {deficiencies[], open, delinquent, delinquent_records}. */
int chartqa_svc_deficiencies(mrt_session *s, const struct chartqa_filter *f, json_t **out,
			     mrt_err *err);

/* {rules[], operative_procedures[]}. */
int chartqa_svc_rules(mrt_session *s, json_t **out, mrt_err *err);

/* One change of the rule table: a class's requirement (its fields; -1 or
 * NULL: unchanged), or an operative-procedure row (section, approach). */
struct chartqa_rule_set {
	const char *cls;
	const char *requirement;
	const char *doc_kind;
	const char *short_stay_kind;
	int before_hours, after_hours, short_stay_hours, delinquent_days, enabled;
	const char *op_section;	 /* set for an operative-procedure row */
	const char *op_approach; /* one character, or "any" */
};
int chartqa_svc_rule_set(mrt_session *s, const struct chartqa_rule_set *r, mrt_err *err);

/* Per quarter: discharges, average monthly discharges, delinquent records
 * at the quarter's end, the rate and whether it is under the 50 % limit.
 * quarter: "YYYYQn", or from/to dates (whole quarters they touch). */
int chartqa_svc_delinquency(mrt_session *s, const char *from, const char *to, const char *quarter,
			    json_t **out, mrt_err *err);

struct pq_new {
	const char *account;
	const char *question;
	const char *const *options;
	size_t n_options;
	const char *to; /* a physician's user name; NULL: the attending's user */
};
int pq_svc_new(mrt_session *s, const struct pq_new *q, int64_t *id, mrt_err *err);
/* choice: 1-based option number, 0 with text. */
int pq_svc_answer(mrt_session *s, int64_t id, int choice, const char *text, mrt_err *err);
/* Links the current coding as the coding after the answer; *outcome is
 * "code-change" or "no-change". */
int pq_svc_close(mrt_session *s, int64_t id, const char **outcome, mrt_err *err);

struct pq_filter {
	int open;
	int mine;
	const char *account;
};
int pq_svc_list(mrt_session *s, const struct pq_filter *f, json_t **out, mrt_err *err);
int pq_svc_show(mrt_session *s, int64_t id, json_t **out, mrt_err *err);

/* MRT_ECONFLICT-style refusal when an open query holds the encounter out
 * of final coding; 0 when none does. Inside the caller's transaction. */
int pq_svc_hold(mrt_db *db, int64_t encounter_id, mrt_err *err);

#endif
