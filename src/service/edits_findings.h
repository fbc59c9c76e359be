/*
 * What a coder reads of the edit runs (`mrt edits findings`): the findings
 * kept by `mrt edits run` (edits_store.h), for one encounter or all, open,
 * closed or both, of one rule or all. Rows of encounters the user may not
 * see are left out and counted.
 */
#ifndef MRT_SERVICE_EDITS_FINDINGS_H
#define MRT_SERVICE_EDITS_FINDINGS_H

#include <jansson.h>

#include "service/session.h"

struct edits_findings_opts {
	const char *account; /* one encounter, or NULL */
	const char *status;  /* open (NULL), closed or all */
	const char *rule;    /* an MCE edit or tabular rule name, or NULL */
};

/* *out: array of {id, account, encounter_id, kind, rule, code, code2,
 * occurrences, severity, message, source, mce_release, status, opened_at,
 * closed_at, first_run, last_run, closed_run, work_item_id}, by account,
 * kind, rule, code; *hidden: encounters left out (restricted). */
int edits_svc_findings(mrt_session *s, const struct edits_findings_opts *o, json_t **out,
		       long *hidden, mrt_err *err);

#endif
