/*
 * Physician query compliance, without a database (AHIMA/ACDIS "Guidelines
 * for Achieving a Compliant Query Practice"): a query is refused when it
 * speaks of payment, DRGs, reimbursement, CC/MCC or quality scores, when it
 * asks a yes/no question about one diagnosis, or when a multiple-choice
 * query offers fewer than two clinically reasonable options. Multiple-
 * choice queries always carry "other" and "clinically undetermined"
 * (added when missing).
 */
#ifndef MRT_CHART_PHYS_QUERY_H
#define MRT_CHART_PHYS_QUERY_H

#include <stddef.h>

#define PQ_MAX_OPTIONS 20
#define PQ_OTHER "Other (please specify)"
#define PQ_UNDETERMINED "Clinically undetermined"

struct pq_option {
	const char *text;
	const char *kind; /* clinical | other | undetermined */
};

/* 0 when the query may be sent, else -1 with the reason in why (one
 * line, naming the rule, never quoting the text). n_opts 0: an open
 * query. */
int pq_check(const char *question, const char *const *opts, size_t n_opts, char *why,
	     size_t why_len);

/* The options as sent: those given (each classed), then "other" and
 * "clinically undetermined" when not among them. Returns the count (at
 * most cap); 0 for an open query. */
size_t pq_options(const char *const *opts, size_t n_opts, struct pq_option *out, size_t cap);

#endif
