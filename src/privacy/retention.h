/*
 * Clocks and periods of the records office, the pure rules: the deadlines
 * of patients' requests for access (HIPAA 164.524(b)(2): 30 days, one
 * 30-day extension) and amendment (164.526(b)(2): 60 days, one 30-day
 * extension); who is a personal representative on a given day
 * (164.502(g)), including parents of minors and executors; and how long a
 * record is kept under the site's retention schedule. The service layer
 * (service/request_svc.c, service/retention_svc.c) gathers the facts
 * from the database; these functions only decide.
 */
#ifndef MRT_PRIVACY_RETENTION_H
#define MRT_PRIVACY_RETENTION_H

#include "base/date.h"

#define RETENTION_MAJORITY_DEFAULT 18

/* Adds whole years (29 February becomes 28 February). */
mrt_day retention_add_years(mrt_day day, int years);
/* Completed years of age on `on`. */
int retention_age(mrt_day birth, mrt_day on);

/* --- patients' requests --- */
enum request_kind { REQUEST_ACCESS, REQUEST_AMENDMENT };
#define REQUEST_ACCESS_DAYS 30
#define REQUEST_AMENDMENT_DAYS 60
#define REQUEST_EXTENSION_DAYS 30
/* The due date of a request received on `received`, with or without its
 * one extension. */
mrt_day retention_request_due(enum request_kind kind, mrt_day received, int extended);
/* NULL when an extension may be taken now, else the reason why not. */
const char *retention_request_may_extend(int already_extended, const char *reason,
                                         mrt_day due, mrt_day today);

/* The grounds to deny access (164.524(a)): reviewable ones (a licensed
 * professional judged access likely to endanger life or safety, or
 * references another person, or the request is by a representative
 * and access is reasonably likely to cause harm: (a)(3)) give the patient
 * a review by another professional; unreviewable ones ((a)(2):
 * psychotherapy notes, information compiled for litigation, an inmate's
 * request, research the patient agreed to suspend, Privacy Act records,
 * information obtained under a promise of confidentiality) do not. */

/* --- personal representatives --- */
enum rep_relation { REP_PARENT, REP_GUARDIAN, REP_POA, REP_EXECUTOR, REP_OTHER, REP_COUNT };
extern const char *const rep_relation_names[REP_COUNT];
int rep_relation_parse(const char *name);

enum rep_exception { REP_EXC_NONE, REP_EXC_MINOR_CONSENTED, REP_EXC_COURT, REP_EXC_CONFIDENTIAL,
	                 REP_EXC_COUNT };
extern const char *const rep_exception_names[REP_EXC_COUNT]; /* [0] = NULL */
int rep_exception_parse(const char *name);

struct rep_facts {
	enum rep_relation relation;
	enum rep_exception exception;
	int refused;         /* the decision on file refuses them (164.502(g)(5)) */
	int ended;           /* ended on or before `on` */
	mrt_day from, until; /* 0 = open */
	int has_birth;
	mrt_day birth;
	int deceased;
	mrt_day death;       /* 0 when the date is unknown */
	int majority_age;
	mrt_day on;          /* the day in question */
};

struct rep_verdict {
	int valid;
	const char *reason;  /* one line, no patient data */
};

void retention_rep_decide(struct rep_verdict *v, const struct rep_facts *f);

/* --- retention schedule --- */
struct retention_rule {
	int years_after_discharge;
	int years_after_majority; /* minors: kept until majority age + this */
};

struct retention_facts {
	mrt_day last_discharge;  /* 0: no discharge yet (nothing runs) */
	int has_birth;
	mrt_day birth;
	int majority_age;
};

struct retention_result {
	int known;               /* 0: no discharge yet, the clock has not started */
	int minor;               /* a minor at the last discharge */
	int age_assumed;         /* birth date unknown: the adult rule applied */
	mrt_day until;           /* kept until this day (inclusive) */
};

void retention_until(struct retention_result *r, const struct retention_rule *adult,
                     const struct retention_rule *minor, const struct retention_facts *f);

#endif
