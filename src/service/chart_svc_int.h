/*
 * Shared by the chart service files: the access step of an operation on
 * one encounter or patient (the audit event and the transaction's end are
 * svc_util's).
 */
#ifndef MRT_SERVICE_CHART_SVC_INT_H
#define MRT_SERVICE_CHART_SVC_INT_H

#include "chart/chart.h"
#include "service/access_svc.h"
#include "service/chart_svc.h"
#include "service/svc_util.h"

/* Role first (so a user without the role learns nothing, not even whether
 * the account exists), then the encounter, then labels and relation:
 * *id, *patient are the encounter's; d the decision. Denials audited as
 * action. */
int chart_svc_encounter_access(mrt_session *s, enum access_op op, const char *action,
                               const char *account, const struct chart_svc_glass *glass,
                               int64_t *id, int64_t *patient, struct access_decision *d,
                               mrt_err *err);

#endif
