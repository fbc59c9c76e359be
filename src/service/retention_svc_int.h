/*
 * Retention internals shared by retention_svc.c and retention_svc_hold.c:
 * one patient's retention facts as read from the database and the verdict
 * on a purge.
 */
#ifndef MRT_SERVICE_RETENTION_SVC_INT_H
#define MRT_SERVICE_RETENTION_SVC_INT_H

#include "privacy/retention.h"
#include "service/request_svc_int.h"
#include "service/retention_svc.h"

struct retention_rules_set {
	struct retention_rule adult, minor;
	int majority;
};

struct retention_row {
	int64_t patient_id;
	char mrn[128];
	mrt_day last_discharge;
	int open_encounters;
	int holds;                 /* active legal holds */
	struct retention_result r;
};

int retention_rules(mrt_session *s, struct retention_rule *adult, struct retention_rule *minor,
                    int *majority, mrt_err *err);
int retention_load_rules(mrt_session *s, struct retention_rules_set *rules, mrt_err *err);
/* The facts statement, bound (patient_id 0: every patient). */
int retention_facts_stmt(mrt_session *s, int64_t patient_id, mrt_stmt **out, mrt_err *err);
int retention_row_facts(mrt_stmt *st, const struct retention_rules_set *rules,
                        struct retention_row *row);
void retention_row_verdict(const struct retention_row *row, mrt_day today, int *may,
                           const char **why);
json_t *retention_row_json(const struct retention_row *row, mrt_day today);

#endif
