/*
 * Reading the audit trail: listing events (`mrt audit log`) and verifying
 * the chain against the key and the anchor file (`mrt audit verify`). Both
 * need role privacy_officer or admin. Listing is itself audited. Verifying
 * discloses no event's content (only counts, the head MAC and the first
 * broken row), and it writes nothing: so checking a copy of the database
 * placed beside the original (same key, same anchor) leaves both in step.
 * Any other command run on such a copy appends to the shared anchor, and
 * from then on the copy and the original are forks that cannot both verify.
 */
#ifndef MRT_SERVICE_AUDIT_SVC_H
#define MRT_SERVICE_AUDIT_SVC_H

#include <limits.h>
#include <stdint.h>

#include "privacy/audit.h"
#include "service/session.h"

struct audit_verify_result {
	int intact;
	int64_t events;        /* rows checked (up to the first broken one) */
	int64_t anchored;      /* anchor lines read */
	int64_t unanchored;    /* intact rows after the newest anchored one */
	int64_t head_id;
	char head_mac[AUDIT_MAC_HEX];
	int64_t broken_id;     /* first broken row (0 when intact or not a row) */
	char problem[MRT_ERR_MSG_MAX];
};

/* Verifies the whole chain. Returns 0 when the check ran (see r->intact),
 * < 0 when it could not (no access, no key, database error). */
int audit_svc_verify(mrt_session *s, struct audit_verify_result *r, mrt_err *err);

struct audit_log_filter {
	int64_t limit;      /* 0 = all */
	int64_t patient_id; /* 0 = any */
	const char *since;  /* YYYY-MM-DD or NULL */
};

/* Calls fn for each matching event, newest first; fn returning non-zero
 * stops the listing and is returned. */
typedef int (*audit_row_fn)(void *ctx, const struct audit_event *e);
int audit_svc_log(mrt_session *s, const struct audit_log_filter *f, audit_row_fn fn, void *ctx,
                  mrt_err *err);

#endif
