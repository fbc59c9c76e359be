/*
 * Data use agreements (HIPAA 164.514(e)(4)): the condition under which a
 * limited data set may be disclosed. An agreement names its recipient,
 * the purpose (research, public health or health care operations), the
 * permitted uses and disclosures, and an expiry date; it is active from
 * when it is recorded until it expires or is ended. Agreements are never
 * deleted or changed, only ended. The extracts made under one are linked
 * to it (table deid_extract, see export_deid.h).
 *
 * Access: the privacy officer records and ends agreements; the privacy
 * officer and researchers list them. Each call is one audit event (no
 * patient data is involved).
 */
#ifndef MRT_SERVICE_DUA_SVC_H
#define MRT_SERVICE_DUA_SVC_H

#include <stdint.h>

#include <jansson.h>

#include "mrt/error.h"
#include "service/session.h"

#define DUA_TEXT_MAX 500       /* recipient */
#define DUA_LONG_TEXT_MAX 2000 /* purpose, end reason */
#define DUA_USES_MAX 4000      /* permitted uses */

struct dua_new {
	const char *recipient;
	const char *purpose;
	const char *permitted_uses;
	const char *expires;       /* YYYY-MM-DD, after today */
};

/* Records an agreement; *id is its number. */
int dua_svc_add(mrt_session *s, const struct dua_new *n, int64_t *id, mrt_err *err);
/* Ends an agreement (reason may be NULL). Ending an ended one is an error. */
int dua_svc_end(mrt_session *s, int64_t id, const char *reason, mrt_err *err);
/* *out: array of {id, recipient, purpose, permitted_uses, expires, created_at,
 * created_by, ended_at, ended_by, end_reason, status ("active" | "expired" |
 * "ended"), extracts (how many made under it)}; all = 0 lists only active
 * ones. */
int dua_svc_list(mrt_session *s, int all, json_t **out, mrt_err *err);

/* For the limited-data-set export, inside its transaction, no access check
 * or audit: 0 when agreement id is active (not ended, expires on or after
 * today, "YYYY-MM-DD"); otherwise MRT_ENOTFOUND / MRT_EACCESS saying why. */
int dua_check_active(mrt_db *db, int64_t id, const char *today, mrt_err *err);

#endif
