/*
 * Users, their roles and label grants: add, grant, revoke, disable,
 * enable, unlock, link to a provider, list, set a password. Every change
 * runs in one transaction with its audit event and never deletes a row (a
 * revoked grant keeps its row with revoked_at/by; a disabled user keeps
 * theirs, with a user_event row saying who, when and why).
 *
 * Who may: roles, disable, enable, unlock and provider links need admin;
 * sensitivity-label grants (a role_grant row whose role is a label code
 * such as BH) need privacy_officer; a user may change their own password.
 */
#ifndef MRT_SERVICE_USER_SVC_H
#define MRT_SERVICE_USER_SVC_H

#include <jansson.h>

#include "service/session.h"

#define USER_MAX_ROLES 16
#define USER_NAME_MAX 64
#define USER_FULL_NAME_MAX 200
#define USER_REASON_MAX 1000
#define USER_NAME_RULE                                                                  \
	"1-64 letters, digits, '.', '_', '-', '@', starting with a letter or digit"

struct user_new {
	const char *name;
	const char *os_account;  /* or NULL: authenticates by password only */
	const char *full_name;   /* or NULL */
	const char *roles[USER_MAX_ROLES];
	int nroles;
	const char *password;    /* or NULL */
	const char *provider;    /* provider reference (see user_svc_link), or NULL */
};

/* 1..64 characters of letters, digits, '.', '_', '-', '@', starting with a
 * letter or digit. */
int user_name_valid(const char *name);

/* Looks a user up by name (active_only: skip disabled users): 1 found
 * (*id set), 0 not found, < 0 error. No access check, no audit event: a
 * helper for the services that name users. */
int user_svc_find(mrt_session *s, const char *name, int active_only, int64_t *id, mrt_err *err);
int user_svc_add(mrt_session *s, const struct user_new *u, int64_t *id, mrt_err *err);
/* what is a role (admin grants) or a sensitivity label code (privacy
 * officer grants). *changed = 0 when the user already held it. */
int user_svc_grant(mrt_session *s, const char *name, const char *what, int *changed, mrt_err *err);
int user_svc_revoke(mrt_session *s, const char *name, const char *what, mrt_err *err);
int user_svc_passwd(mrt_session *s, const char *name, const char *password, mrt_err *err);
/* Disables a user (they can no longer act; nothing of theirs is removed).
 * reason is required. The last active administrator cannot be disabled. */
int user_svc_disable(mrt_session *s, const char *name, const char *reason, mrt_err *err);
int user_svc_enable(mrt_session *s, const char *name, mrt_err *err);
/* Lifts a lockout and clears the failed sign-in count; *changed = 0 when
 * the user was not locked. */
int user_svc_unlock(mrt_session *s, const char *name, int *changed, mrt_err *err);
/* Links a (physician) user to the provider whose ident or source_ref is
 * ref, or "SYSTEM|IDENT"; refused when none or several match. ref NULL
 * removes the link. */
int user_svc_link(mrt_session *s, const char *name, const char *ref, mrt_err *err);
/* Array of {id, name, os_account, full_name, roles[], labels[], password,
 * active, disabled, disabled_at, disabled_by, disabled_reason, provider
 * {id, system, ident, name} | null, failed_count, locked, locked_until,
 * created_at}; needs admin or privacy. */
int user_svc_list(mrt_session *s, json_t **out, mrt_err *err);

#endif
