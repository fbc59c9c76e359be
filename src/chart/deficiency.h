/*
 * Chart deficiency analysis, without a database: given one encounter, its
 * current documents and procedures, the rule table of its class and the
 * operative-procedure table, the list of deficiencies, each naming the
 * physician who must fix it. The defaults the rule rows carry follow the
 * CMS Conditions of Participation (docs/chart-analysis.md):
 *   history-physical  an H&P from before_hours before to after_hours after
 *                     admission (42 CFR 482.22(c)(5)(i)): the attending;
 *   hp-update         an update note when that H&P predates admission,
 *                     written by admission + after_hours (482.22(c)(5)(ii));
 *   operative-report  one per operation: operative procedures (the
 *                     operative table) with the same time and surgeon are
 *                     one operation (482.51(b)(6)): the surgeon, else the
 *                     attending;
 *   discharge-summary a discharge summary, or for stays under
 *                     short_stay_hours a final progress note
 *                     (482.24(c)(4)(vii)): the attending;
 *   authentication    every document signed (482.24(c)(1)): its author.
 * Document kinds come from one mapping table (LOINC, HL7 table 0270, title
 * words): dq_doc_kind.
 */
#ifndef MRT_CHART_DEFICIENCY_H
#define MRT_CHART_DEFICIENCY_H

#include <stddef.h>
#include <stdint.h>

#include "base/date.h"

/* Document kinds (dq_doc_kind's answers). */
#define DQ_KIND_HP "history-physical"
#define DQ_KIND_HP_UPDATE "hp-update"
#define DQ_KIND_OPERATIVE "operative-report"
#define DQ_KIND_DISCHARGE "discharge-summary"
#define DQ_KIND_PROGRESS "progress-note"

/* No time known (a missing or unreadable timestamp). */
#define DQ_NO_TIME INT64_MIN

/* The kind of a document from its type code and system (LOINC or HL7
 * table 0270) or, failing that, from words of its title; NULL when none. */
const char *dq_doc_kind(const char *type_system, const char *type, const char *title);

/* "YYYY-MM-DD[THH:MM[:SS[.f]]][Z|+HH:MM|-HH:MM]" as minutes since
 * 1970-01-01 UTC; 0 or -1 when it is not such a time. */
int dq_time_parse(const char *s, int64_t *minutes);

struct dq_rule {
	const char *requirement; /* history-physical | hp-update | ... */
	const char *doc_kind;	 /* the kind that satisfies it (NULL: its default) */
	int before_hours;
	int after_hours;
	int short_stay_hours; /* discharge-summary: 0 = no exception */
	const char *short_stay_kind;
	int delinquent_days;
};

/* An ICD-10-PCS section (1st character) and approach (5th; 0 = any). */
struct dq_op_rule {
	char section;
	char approach;
};

struct dq_doc {
	int64_t id;
	const char *ref;    /* doc_ref: the key of its authentication finding */
	const char *kind;   /* dq_doc_kind, or NULL */
	const char *status; /* in-progress | signed | amended | cancelled */
	int64_t author_id;  /* 0: unknown */
	int64_t written;    /* minutes, or DQ_NO_TIME */
};

struct dq_proc {
	int seq;
	const char *system; /* "ICD-10-PCS" for the operative table */
	const char *code;
	int64_t performed; /* minutes, or DQ_NO_TIME */
	int64_t surgeon_id;
};

struct dq_encounter {
	int64_t admit;	   /* minutes, or DQ_NO_TIME */
	int64_t discharge; /* minutes, or DQ_NO_TIME (not discharged) */
	int64_t attending_id;
};

struct dq_finding {
	char kind[24];	     /* the requirement not met */
	char key[192];	     /* stable identity across runs */
	char detail[200];    /* never patient data */
	int64_t provider_id; /* responsible physician; 0: none known */
	int64_t document_id; /* the document concerned, 0 if none */
};

/* Whether an ICD-10-PCS code needs an operative report. */
int dq_is_operative(const char *code, const struct dq_op_rule *ops, size_t n_ops);

/* The deficiencies of one encounter into out (at most cap); returns how
 * many were found (may exceed cap: only cap are written). */
size_t dq_analyze(const struct dq_encounter *e, const struct dq_doc *docs, size_t n_docs,
		  const struct dq_proc *px, size_t n_px, const struct dq_rule *rules,
		  size_t n_rules, const struct dq_op_rule *ops, size_t n_ops,
		  struct dq_finding *out, size_t cap);

/* The day an incomplete record becomes delinquent: the day after
 * discharge + days (so day 30 after discharge is not, day 31 is). */
mrt_day dq_delinquent_from(mrt_day discharge, int days);
/* The delinquency threshold of a class: the smallest delinquent_days of
 * its rules (30 when it has none). */
int dq_delinquent_days(const struct dq_rule *rules, size_t n_rules);

#endif
