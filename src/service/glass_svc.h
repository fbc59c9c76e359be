/*
 * The privacy officer's review of break-the-glass uses: every use opens a
 * work item (kind break-glass-review, role privacy_officer) when it is
 * made (access_svc.c); here the officer lists the uses and closes each
 * with an outcome. `mrt privacy review`.
 */
#ifndef MRT_SERVICE_GLASS_SVC_H
#define MRT_SERVICE_GLASS_SVC_H

#include <jansson.h>

#include "service/session.h"

/* [{id, user, mrn, category, reason, labels, started_at, expires_at,
 * reads, work_item_id, reviewed_at, reviewed_by, review_outcome,
 * review_note}], unreviewed ones only unless all. */
int glass_svc_list(mrt_session *s, int all, json_t **out, mrt_err *err);
/* outcome: appropriate | inappropriate; closes the work item. */
int glass_svc_review(mrt_session *s, int64_t id, const char *outcome, const char *note,
                     mrt_err *err);

#endif
