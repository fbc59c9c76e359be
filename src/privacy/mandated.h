/*
 * Mandated reports, the pure rules: the kinds the law makes a provider
 * report (HIPAA 164.512(b) public health, (c) abuse, neglect or domestic
 * violence, (f) law enforcement), each with its purpose of use and the
 * default due date a site starts from, the statuses a report goes through
 * and what "the patient was not informed" needs. The service layer
 * (service/mandated_svc.c) stores and audits; this file only decides.
 */
#ifndef MRT_PRIVACY_MANDATED_H
#define MRT_PRIVACY_MANDATED_H

#include "base/date.h"

enum mandated_kind {
	MANDATED_CHILD_ABUSE,
	MANDATED_ELDER_ABUSE,       /* elder or dependent adult */
	MANDATED_DOMESTIC_VIOLENCE,
	MANDATED_DISEASE,           /* reportable (notifiable) disease */
	MANDATED_WOUND,             /* gunshot or stab wound */
	MANDATED_CANCER_REGISTRY,
	MANDATED_KIND_COUNT
};

struct mandated_kind_info {
	const char *name;        /* as typed and stored, e.g. "child-abuse" */
	const char *display;
	const char *purpose;     /* access.h purpose name of the disclosure */
	const char *section;     /* the HIPAA permission it is made under */
	int due_days;            /* default: days after filing (or diagnosis) */
	int due_months;          /* default: months after diagnosis (registry) */
	int from_diagnosis;      /* 1: the clock starts at the diagnosis date */
	const char *due_note;    /* the default in words (for docs and show) */
};
extern const struct mandated_kind_info mandated_kinds[MANDATED_KIND_COUNT];

/* -1 when name is not a kind. */
int mandated_kind_parse(const char *name);

/* A due-date rule: so many months and days after the clock starts. The
 * kind's built-in rule is mandated_kinds[].due_months/due_days; a site may
 * set its own per kind and per jurisdiction (service/mandated_svc_due.c). */
struct mandated_due_rule {
	int days, months;
};

/* The due date under rule r (NULL: the kind's built-in rule) of a report
 * filed on `filed`; `diagnosis` (0 when unknown) starts the clock of kinds
 * that run from diagnosis, else the filing date does. */
mrt_day mandated_due(enum mandated_kind kind, const struct mandated_due_rule *r, mrt_day filed,
                     mrt_day diagnosis);
/* The same under the built-in rule. */
mrt_day mandated_default_due(enum mandated_kind kind, mrt_day filed, mrt_day diagnosis);

/* Adds months to a day (the 31st becomes the month's last day). */
mrt_day mandated_add_months(mrt_day day, int months);

/* NULL when (informed, reason) is acceptable, else a one-line problem:
 * informed is NULL, "yes", "no" or "withheld"; withheld needs a reason
 * (164.512(c)(2): informing would place the patient at risk of serious
 * harm, or would inform a representative believed responsible). */
const char *mandated_check_informed(const char *informed, const char *reason);

/* Statuses: draft -> submitted -> acknowledged. 1 when `from` may move
 * to `to`. */
int mandated_status_next(const char *from, const char *to);

/* 1 when a report in this status, due on `due`, is overdue on `today`
 * (an open - draft - report past its due date). */
int mandated_overdue(const char *status, mrt_day due, mrt_day today);

#endif
