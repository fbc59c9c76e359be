/*
 * Chart use cases (see chart_svc.h): access check, one transaction, audit
 * events, then the domain work in src/chart.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "chart/chart.h"
#include "service/chart_svc_int.h"
#include "service/chartqa_svc.h"

int chart_svc_coding_status(mrt_session *s, const char *account, const char *status,
                            mrt_err *err)
{
	mrt_db *db = mrt_session_db(s);
	int64_t id = 0, patient = 0;
	struct access_decision d;
	int rc = chart_svc_encounter_access(s, ACCESS_CHART_CODE, "encounter.status", account, NULL,
	                                    &id, &patient, &d, err);
	if (rc || (rc = mrt_db_begin(db, err)) != 0)
		return rc;
	struct chart_ctx c;
	chart_ctx_init(&c, "coder", mrt_session_user_id(s));
	int changed = 0;
	if (status && strcmp(status, "final") == 0)
		rc = pq_svc_hold(db, id, err); /* an open physician query holds final coding */
	if (rc == 0)
		rc = chart_coding_status_set(db, &c, id, status, &changed, err);
	if (rc == 0 && changed)
		rc = svc_audit(s, "encounter.status", "encounter", id, patient,
		                     access_outcome(&d), status, err);
	return svc_finish(db, rc, err);
}
