/*
 * The access check every service operation on patient data goes through:
 * it gathers the facts privacy/access.c decides on (the user's roles and
 * label grants, the record's labels, the user's relation to the patient,
 * an open break-the-glass) and, on a denial, writes the "deny" audit event
 * and returns MRT_EACCESS with a message that says a restricted record
 * exists without showing any of it. On an allow, the caller writes its
 * own audit event with access_outcome(&d) as the outcome ("allow" or
 * "break-glass").
 *
 * Call it before beginning the transaction of the operation: a deny event
 * written inside a transaction that is then rolled back would be lost.
 */
#ifndef MRT_SERVICE_ACCESS_SVC_H
#define MRT_SERVICE_ACCESS_SVC_H

#include "privacy/access.h"
#include "service/session.h"

struct access_target {
	const char *action;       /* the audit action of a denial (NULL: the
	                             operation's name, e.g. "patient.read") */
	const char *purpose;      /* the purpose of this operation (a
	                             disclosure's own), NULL: the session's */
	int64_t patient_id;       /* 0 for operations on no one patient */
	const char *object_type;  /* "patient" | "encounter" | "document" or NULL:
	                             the labels of that object count with the
	                             patient's own */
	int64_t object_id;
	unsigned extra_labels;    /* labels the caller knows apply (e.g.
	                             LABEL_MANDATED for a mandated report) */
	int restricted;           /* the caller found an agreed restriction
	                             that applies to this disclosure */
	int authorized;           /* an authorization / Part 2 consent covers it */
	int author;               /* the user made the object */
	const char *glass_reason; /* break-the-glass stated now, or NULL */
	const char *glass_category; /* emergency | continuity-of-care |
	                             patient-request | legal | other (NULL: emergency) */
};

/* Decides and audits a denial (see above). d may be NULL. */
int access_svc_check(mrt_session *s, enum access_op op, const struct access_target *t,
                     struct access_decision *d, mrt_err *err);

/* Decides without writing anything (for filtering rows of a list the
 * caller audits as a whole). */
int access_svc_decide(mrt_session *s, enum access_op op, const struct access_target *t,
                      struct access_decision *d, mrt_err *err);

/* The labels (privacy/access.h bits) on one object, or on the patient
 * when object_type is "patient". */
int access_svc_labels(mrt_session *s, int64_t patient_id, const char *object_type,
                      int64_t object_id, unsigned *out, mrt_err *err);

/* Whether the session's user may see an object with these labels for
 * this operation (no audit; for per-row filtering); glass: the user holds
 * an open break-the-glass on the patient. */
int access_svc_covers(mrt_session *s, enum access_op op, int64_t patient_id, unsigned labels,
                      int glass);

/* The session's purpose of use as privacy/access.h enum (operations when
 * unset). */
int access_svc_purpose(const mrt_session *s);

#endif
