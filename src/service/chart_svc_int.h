/*
 * Shared by the chart service files: the access step of an operation on
 * one encounter or patient, the audit event, the transaction's end.
 */
#ifndef MRT_SERVICE_CHART_SVC_INT_H
#define MRT_SERVICE_CHART_SVC_INT_H

#include "chart/chart.h"
#include "service/access_svc.h"
#include "service/chart_svc.h"

/* Role first (so a user without the role learns nothing, not even whether
 * the account exists), then the encounter, then labels and relation:
 * *id, *patient are the encounter's; d the decision. Denials audited as
 * action. */
int chart_svc_encounter_access(mrt_session *s, enum access_op op, const char *action,
                               const char *account, const struct chart_svc_glass *glass,
                               int64_t *id, int64_t *patient, struct access_decision *d,
                               mrt_err *err);
int chart_svc_audit(mrt_session *s, const char *action, const char *type, int64_t id,
                    int64_t patient, const char *detail, const char *outcome, mrt_err *err);
/* Commits on rc == 0, else rolls back; returns rc or the commit's error. */
int chart_svc_finish(mrt_db *db, int rc, mrt_err *err);

#endif
