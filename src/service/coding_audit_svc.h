/*
 * Measuring the coding itself: coding audits (a random sample of one
 * coder's coded encounters, coded again blind by a reviewer, and agreement
 * reported per coder) and the discharged-not-final-coded (DNFC) turnaround.
 *
 * Who: a supervisor (admin or him_technician) draws samples, lists them
 * and reads every report; the reviewer (a coder or a him_technician, never
 * the audited coder; the one named on the sample when one is) codes each
 * item, with access to its encounter checked (ACCESS_CHART_CODE, or
 * ACCESS_PATIENT_READ for a him_technician who is not a coder); a coder
 * reads their own report and their own DNFC list. The coder's codes are
 * never shown by these calls before the reviewer has coded the item.
 * Every call writes its audit events in its own transaction.
 */
#ifndef MRT_SERVICE_CODING_AUDIT_SVC_H
#define MRT_SERVICE_CODING_AUDIT_SVC_H

#include <stddef.h>

#include <jansson.h>

#include "service/session.h"

struct caudit_sample_req {
	const char *coder;     /* user name, required */
	long n;		       /* items wanted (> 0) */
	const char *from, *to; /* YYYY-MM-DD, the dates the audited codings were made; NULL: open */
	const char *reviewer;  /* user name, or NULL (the item goes to the coder role's queue) */
	const char *seed;      /* any text for a reproducible draw, or NULL (random, kept) */
};
/* Draws min(n, eligible) encounters whose current coding was made by the
 * coder and whose coding status is final or billed; one work item per
 * item. *out: {id, coder, reviewer, from, to, n_requested, n_eligible,
 * n_drawn, seed, items: [{item, account, discharge_date}]}. */
int caudit_svc_sample(mrt_session *s, const struct caudit_sample_req *r, json_t **out,
		      mrt_err *err);

struct caudit_code_req {
	long long item;
	const char *pdx;	/* CODE[:POA], required */
	const char *const *sdx; /* CODE[:POA] each */
	size_t n_sdx;
	const char *const *pcs; /* CODE each */
	size_t n_pcs;
};
/* The reviewer's blind coding of an item, each code checked against the
 * release in effect on the discharge date (as `encounter code` does).
 * Refused codes: MRT_EINVAL, nothing written, *out = {"refused": [...]}.
 * Coded: *out is the item's comparison (as in the report). */
int caudit_svc_code(mrt_session *s, const struct caudit_code_req *r, json_t **out, mrt_err *err);

struct caudit_report_req {
	const char *coder;     /* NULL: every coder (supervisors) */
	const char *from, *to; /* the dates the audited codings were made */
	const char *release;   /* MCE release for every claim (shifted dates), or NULL */
};
/* {from, to, coders: [{coder, items, pdx_agree, pdx_rate, dx_coder,
 * dx_reviewer, dx_both, dx_precision, dx_recall, dx_jaccard,
 * dx_items_agree, poa_diff, px_..., edits_...}], overall: {...},
 * disagreements: [{item, sample, coder, reviewer, account, kind, system,
 * coder_code, reviewer_code, ...}]}. Rates are null when there is
 * nothing to measure. */
int caudit_svc_report(mrt_session *s, const struct caudit_report_req *r, json_t **out,
		      mrt_err *err);

/* [{item, sample, coder, reviewer, account, discharge_date, status,
 * drawn_at, coded_at}]: every item for a supervisor; for others the items
 * they may review or that audit them. Never any code. */
int caudit_svc_list(mrt_session *s, json_t **out, mrt_err *err);

struct caudit_dnfc_req {
	const char *coder; /* NULL: all; "unassigned" is a coder name too */
	const char *as_of; /* YYYY-MM-DD, NULL: today (MRT_TODAY) */
	const char *from;  /* timeliness: finalised on or after; NULL: as_of - 29 days */
};
/* Discharged, not final coded (uncoded or in-progress), discharged on or
 * before as_of: {as_of, overall: {count, mean_days, median_days, max_days,
 * buckets: {"0-3", "4-7", "8-14", "15-30", ">30"}}, coders: [{coder, ...}],
 * encounters: [{account, discharge_date, days, coder, status}] oldest
 * first, timeliness: {from, to, overall: {count, mean_days, median_days,
 * max_days}, coders: [...]}} (days from discharge to final coding of the
 * encounters finalised from..as_of). */
int caudit_svc_dnfc(mrt_session *s, const struct caudit_dnfc_req *r, json_t **out, mrt_err *err);

#endif
