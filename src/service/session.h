/*
 * mrt_session: who is acting (the authenticated user, and the administrator
 * behind them when an admin acts as another user), with which roles and for
 * what purpose of use. Every service call takes one; the service layer is
 * the only place that checks access and writes the audit trail.
 */
#ifndef MRT_SERVICE_SESSION_H
#define MRT_SERVICE_SESSION_H

#include <stdint.h>

#include "mrt/error.h"
#include "store/db.h"

typedef struct mrt_session mrt_session;

/* Roles (role_grant.role). An administrator of a new site holds them all. */
#define MRT_ROLE_ADMIN "admin"
#define MRT_ROLE_HIM "him_technician" /* records technician */
#define MRT_ROLE_CODER "coder"
#define MRT_ROLE_REGISTRAR "registrar"   /* cancer registrar */
#define MRT_ROLE_PRIVACY "privacy_officer"
#define MRT_ROLE_AUDITOR "auditor"       /* reads the audit trail, no charts */
#define MRT_ROLE_RESEARCHER "researcher" /* de-identified data only */
#define MRT_ROLE_PHYSICIAN "physician"

struct mrt_session_opts {
	const char *db_path;    /* required */
	const char *as_user;    /* --user / $MRT_USER, or NULL */
	const char *password;   /* from --password-stdin, or NULL */
	const char *purpose;    /* purpose of use, default "operations" */
	int create;             /* mrt init: create the database */
};

/* Opens the database and authenticates the caller (peer: the OS account
 * mapped to an mrt user; an admin may act as --user; others need the
 * password). */
int mrt_session_open(mrt_session **out, const struct mrt_session_opts *o, mrt_err *err);
void mrt_session_close(mrt_session *s);

mrt_db *mrt_session_db(mrt_session *s);
/* The user whose rights apply. */
const char *mrt_session_user(const mrt_session *s);
int64_t mrt_session_user_id(const mrt_session *s);
/* The user actually at the keyboard (differs when an admin acts as another). */
const char *mrt_session_actor(const mrt_session *s);
const char *mrt_session_purpose(const mrt_session *s);
int mrt_session_has_role(const mrt_session *s, const char *role);
/* privacy/roles.h role bits, privacy/access.h label bits granted, and the
 * provider record a physician user is linked to (0 if none). */
unsigned mrt_session_roles(const mrt_session *s);
unsigned mrt_session_label_grants(const mrt_session *s);
int64_t mrt_session_provider_id(const mrt_session *s);

/* What one audit event records; the session supplies who, on whose behalf,
 * role, purpose and time. */
struct mrt_audit_rec {
	const char *action;      /* e.g. "codes.load", "codes.show" */
	const char *object_type; /* e.g. "code_release" */
	const char *object_id;
	int64_t patient_id;      /* 0 when the event concerns no patient */
	const char *outcome;     /* "allow" | "deny" | "break-glass" (NULL = allow) */
	const char *detail;      /* never patient data */
};

/* Appends one audit event. Call it inside the transaction of the change it
 * records (for a read: before the data is returned). */
int mrt_session_audit(mrt_session *s, const struct mrt_audit_rec *rec, mrt_err *err);

/* Checks that the session holds role; if not, records a "deny" audit event
 * for action and returns MRT_EACCESS with a message naming the role. */
int mrt_session_require(mrt_session *s, const char *role, const char *action, mrt_err *err);
/* The same for "role_a or role_b" (role_b may be NULL). A deny event
 * written inside a transaction that the caller then rolls back is lost with
 * it: check access before beginning the transaction. */
int mrt_session_require_either(mrt_session *s, const char *role_a, const char *role_b,
                               const char *action, mrt_err *err);

#endif
