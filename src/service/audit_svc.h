/*
 * Reading the audit trail: listing events (`mrt audit log`), the reports
 * by patient or by user (`mrt audit report`, audit_report.c), the exports
 * (FHIR AuditEvent NDJSON and the sealed retention copy, audit_export.c)
 * and verifying the chain against the key and the anchor file (`mrt audit
 * verify`) or a sealed export against the key. All need the operation
 * ACCESS_AUDIT_READ (privacy_officer, auditor or admin). Listing,
 * reporting and exporting are themselves audited. Verifying
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

/* "Who looked at my record" (by patient) or "what did this user do" (by
 * user: as the actor or as the user an administrator acted for). Exactly
 * one of mrn and user. The report is itself an audit event (action
 * audit.report, with the patient when by patient), written before the
 * rows are read, so it appears in its own report. */
struct audit_report_filter {
	const char *mrn;
	const char *user;
	const char *from; /* YYYY-MM-DD, inclusive, or NULL */
	const char *to;   /* YYYY-MM-DD, inclusive, or NULL */
};
/* Oldest first; mrn is the event's patient's MRN (NULL when none). */
typedef int (*audit_report_fn)(void *ctx, const struct audit_event *e, const char *mrn);
int audit_svc_report(mrt_session *s, const struct audit_report_filter *f, audit_report_fn fn,
                     void *ctx, mrt_err *err);

/* What an export wrote. */
struct audit_export_result {
	int64_t events;
	int64_t first_id, last_id; /* 0 when no event */
	char last_mac[AUDIT_MAC_HEX];
	char body_sha256[MRT_SHA256_HEX];
	char seal[MRT_SHA256_HEX];
};

/* FHIR R4 AuditEvent resources, one per line, of the events (oldest
 * first) matching the filter, written to out_path (through a temporary
 * file renamed once the export's own audit event has committed). */
struct audit_fhir_filter {
	const char *from, *to; /* YYYY-MM-DD inclusive, or NULL */
	const char *mrn;       /* or NULL: every event */
};
int audit_svc_export_fhir(mrt_session *s, const struct audit_fhir_filter *f, const char *out_path,
                          struct audit_export_result *r, mrt_err *err);

/* The sealed copy for off-site retention: every row up to the last one
 * dated before the day `before` (YYYY-MM-DD), so always a prefix of the
 * chain from row 1. The rows stay in the database. See audit_export.c
 * for the file format. */
int audit_svc_export_sealed(mrt_session *s, const char *before, const char *out_path,
                            struct audit_export_result *r, mrt_err *err);

/* Checks a sealed export: its header, every row's link and MAC (with the
 * site's key), the trailer's count, ids, last MAC and body digest, and
 * the seal; and, when the database holds the last exported row, that the
 * database has the same MAC for it. Returns 0 when the check ran (see
 * r->intact; r->broken_id names the first broken row, or 0 when the
 * trailer or header is at fault). */
int audit_svc_verify_export(mrt_session *s, const char *path, struct audit_verify_result *r,
                            mrt_err *err);

/* ---- shared by the audit service files ---------------------------------- */

/* The sealed export's header names its format and version. */
#define AUDIT_EXPORT_FORMAT "mrt-audit-export"
#define AUDIT_EXPORT_VERSION 1
#define AUDIT_EXPORT_LINE_MAX (1u << 20)

#define AUDIT_EVENT_COLS "id, at, actor, on_behalf_of, role, action, object_type, object_id," \
	" patient_id, purpose, outcome, detail, prev_mac, mac"

/* The event of a row selected with AUDIT_EVENT_COLS first (borrowed from st). */
void audit_svc_row_event(mrt_stmt *st, struct audit_event *e);
/* Access to the audit trail (ACCESS_AUDIT_READ), the denial audited. */
int audit_svc_access(mrt_session *s, int64_t patient_id, mrt_err *err);
/* Checks an optional YYYY-MM-DD option value. */
int audit_svc_day(const char *opt, const char *v, mrt_err *err);

#endif
