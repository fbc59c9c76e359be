/*
 * Mandated reports (HIPAA 164.512(b), (c), (f)): filing, reading,
 * listing, submitting and acknowledging a report, and the overdue sweep
 * that puts an overdue open report in the privacy officer's queue once.
 *
 * A report is a sensitive record (label MANDATED): reading or submitting
 * it needs the privacy officer role or to be its author
 * (access_svc_check with ACCESS_MANDATED_READ); anyone else gets
 * MRT_EACCESS, no content, and a "deny" audit event. Filing needs
 * ACCESS_MANDATED_NEW (him_technician, privacy_officer, physician).
 * Every access is audited in the transaction that reads or writes.
 * Submitting records the disclosure (disclose_svc_new, kind "mandated"),
 * so the report appears in the patient's accounting of disclosures.
 */
#ifndef MRT_SERVICE_MANDATED_SVC_H
#define MRT_SERVICE_MANDATED_SVC_H

#include <stdint.h>

#include <jansson.h>

#include "privacy/mandated.h"
#include "service/session.h"

struct mandated_new {
	const char *mrn;             /* required */
	const char *kind;            /* privacy/mandated.h kind name */
	const char *jurisdiction;
	const char *legal_basis;
	const char *agency;
	const char *agency_address;  /* or NULL */
	const char *items;           /* comma list, minimum necessary (required) */
	const char *encounter;       /* account, or NULL */
	const char *due;             /* YYYY-MM-DD, or NULL for the kind's default */
	const char *informed;        /* yes | no | withheld, or NULL (not yet decided) */
	const char *informed_on;     /* YYYY-MM-DD when informed (default today), or NULL */
	const char *withheld_reason; /* required with withheld */
	const char *objection;       /* the patient's objection, or NULL */
	const char *may_tell;        /* whom the patient agrees may be told, or NULL */
};

int mandated_svc_new(mrt_session *s, const struct mandated_new *n, int64_t *id, char due[11],
                     mrt_err *err);

/* The reports the user may read (privacy officer: all; others: their own)
 * as an array of summaries {id, mrn, kind, jurisdiction, agency, status,
 * due_date, overdue, created_at, author}; overdue = 1: only open reports
 * past their due date, each put in the privacy_officer queue (kind
 * "mandated-overdue") unless it is there already. */
int mandated_svc_list(mrt_session *s, int overdue, json_t **out, mrt_err *err);

/* The whole report. */
int mandated_svc_show(mrt_session *s, int64_t id, json_t **out, mrt_err *err);

/* Records the disclosure and marks the report submitted; out_path gets
 * the packet (or NULL). */
int mandated_svc_submit(mrt_session *s, int64_t id, const char *out_path, const char *format,
                        int64_t *disclosure_id, mrt_err *err);

/* The agency acknowledged receipt (reference: theirs, or NULL). */
int mandated_svc_acknowledge(mrt_session *s, int64_t id, const char *reference, mrt_err *err);

/* Puts every overdue open report in the privacy_officer queue once
 * (privacy officer). *added: the items created now. */
int mandated_svc_sweep(mrt_session *s, int *added, mrt_err *err);

/* --- due-date rules (service/mandated_svc_due.c) --- */

/* The rule for a new report of this kind in this jurisdiction: the site's
 * rule for the jurisdiction (matched without regard to case), else its
 * rule for the kind, else the built-in one (*site = 0). No access check:
 * for mandated_svc_new. */
int mandated_due_rule_find(mrt_session *s, const char *kind, const char *jurisdiction,
                           struct mandated_due_rule *r, int *site, mrt_err *err);

/* Every kind's built-in rule and the site's rules: [{kind, jurisdiction,
 * days, months, from_diagnosis, source: "built-in"|"site", note,
 * updated_at, updated_by}] (anyone who may file a report). */
int mandated_svc_due_rules(mrt_session *s, json_t **out, mrt_err *err);

/* Sets the site's rule for a kind (jurisdiction NULL or "": every
 * jurisdiction without its own rule); privacy officer. The change is
 * kept in schedule_change. */
int mandated_svc_due_set(mrt_session *s, const char *kind, const char *jurisdiction, int days,
                         int months, mrt_err *err);

#endif
