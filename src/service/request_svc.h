/*
 * Patients' requests and their representatives: access to the record
 * (HIPAA 164.524: 30 days, one 30-day extension with a written reason;
 * completed, or denied on reviewable or unreviewable grounds), amendment
 * (164.526: 60 days, one extension; accepted - the amendment linked to the
 * record - or denied with reasons, then the patient's statement of
 * disagreement and the entity's rebuttal, linked to the record), and
 * personal representatives (164.502(g)): recognised or refused with a
 * reason, valid on a day by the rule in privacy/retention_rep.c.
 *
 * Every call checks ACCESS_PATIENT_REQUEST (him_technician,
 * privacy_officer; labels of the patient apply) and writes its rows and
 * its audit event in one transaction. A new request is a work item in the
 * him_technician queue, due on its deadline; closing the request closes
 * it.
 */
#ifndef MRT_SERVICE_REQUEST_SVC_H
#define MRT_SERVICE_REQUEST_SVC_H

#include <stdint.h>

#include <jansson.h>

#include "service/session.h"

struct request_new {
	const char *mrn;
	const char *kind;       /* "access" | "amendment" */
	const char *received;   /* YYYY-MM-DD, required, not in the future */
	const char *format;     /* access: paper | electronic, or NULL */
	const char *what;       /* amendment: what the patient asks to change */
	const char *encounter;  /* amendment: the encounter concerned (account), or NULL */
	int64_t representative; /* personal_rep id, or 0: the patient asked */
};

/* *due gets the deadline (YYYY-MM-DD). A request made through a
 * representative who is not one on the received date is refused. */
int request_svc_new(mrt_session *s, const struct request_new *n, int64_t *id, char due[11],
                    mrt_err *err);
int request_svc_extend(mrt_session *s, int64_t id, const char *reason, char due[11],
                       mrt_err *err);

/* Closing: "complete" (access given), "accept" (amendment made: note is the
 * amendment text, default the request's), "deny" (reason required; for an
 * access request reviewable = 1 or 0 is required). */
int request_svc_close(mrt_session *s, int64_t id, const char *action, const char *reason,
                      int reviewable, const char *note, mrt_err *err);

/* After a denied amendment: kind "disagreement" (the patient's statement)
 * or "rebuttal" (the entity's, after a disagreement). Each once. */
int request_svc_statement(mrt_session *s, int64_t id, const char *kind, const char *text,
                          mrt_err *err);

struct request_filter {
	const char *mrn;   /* or NULL: every patient */
	int open;          /* only open requests */
	int overdue;       /* only open requests past their deadline */
};
/* Array of {id, mrn, kind, received_date, due_date, extended, status,
 * format, representative_id, overdue, closed_at, ...}. */
int request_svc_list(mrt_session *s, const struct request_filter *f, json_t **out,
                     mrt_err *err);
/* One request with its statements. */
int request_svc_show(mrt_session *s, int64_t id, json_t **out, mrt_err *err);

/* For `patient show` (the caller has checked access to the patient and
 * writes the audit event): the amendment requests of a patient that were
 * accepted or denied, each {id, received_date, what, encounter, status,
 * closed_at, deny_reason, statements: [{kind, text, created_at, by}]}. */
int request_svc_amendments_json(mrt_session *s, int64_t patient_id, json_t **out, mrt_err *err);

/* --- personal representatives --- */
struct rep_new {
	const char *mrn;
	const char *name;
	const char *relation;   /* parent | guardian | healthcare-poa | executor | other */
	const char *authority;  /* the document or law that gives the authority */
	const char *from;       /* YYYY-MM-DD or NULL */
	const char *until;      /* YYYY-MM-DD or NULL */
	const char *exception;  /* parent of a minor: minor-consented | court-authorized |
	                           confidentiality-agreed, or NULL */
	const char *refuse;     /* reason to refuse them (164.502(g)(5)), or NULL */
};
/* Records the decision; *out = {id, decision, valid_today, reason}. */
int request_svc_rep_add(mrt_session *s, const struct rep_new *n, json_t **out, mrt_err *err);
int request_svc_rep_end(mrt_session *s, int64_t id, const char *reason, mrt_err *err);
/* The representatives of a patient, each with valid (on `on`, NULL =
 * today) and the reason. */
int request_svc_rep_list(mrt_session *s, const char *mrn, const char *on, json_t **out,
                         mrt_err *err);
/* Whether representative id acts for patient on day (no access check, no
 * audit: for the services above). *valid and *reason. */
int request_svc_rep_valid(mrt_session *s, int64_t id, int64_t patient, const char *day,
                          int *valid, const char **reason, mrt_err *err);

#endif
