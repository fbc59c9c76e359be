/*
 * Users and their roles: add, grant, revoke, list, set a password. Every
 * change needs role admin (a user may change their own password), runs in
 * one transaction with its audit event, and never deletes a row (a revoked
 * grant keeps its row with revoked_at/by).
 */
#ifndef MRT_SERVICE_USER_SVC_H
#define MRT_SERVICE_USER_SVC_H

#include <jansson.h>

#include "service/session.h"

#define USER_MAX_ROLES 16

struct user_new {
	const char *name;
	const char *os_account;  /* or NULL: authenticates by password only */
	const char *full_name;   /* or NULL */
	const char *roles[USER_MAX_ROLES];
	int nroles;
	const char *password;    /* or NULL */
};

/* 1..64 characters of letters, digits, '.', '_', '-', '@', starting with a
 * letter or digit. */
int user_name_valid(const char *name);

/* Looks a user up by name (active_only: skip deactivated users): 1 found
 * (*id set), 0 not found, < 0 error. No access check, no audit event: a
 * helper for the services that name users. */
int user_svc_find(mrt_session *s, const char *name, int active_only, int64_t *id, mrt_err *err);
int user_svc_add(mrt_session *s, const struct user_new *u, int64_t *id, mrt_err *err);
/* *changed = 0 when the user already held the role. */
int user_svc_grant(mrt_session *s, const char *name, const char *role, int *changed, mrt_err *err);
int user_svc_revoke(mrt_session *s, const char *name, const char *role, mrt_err *err);
int user_svc_passwd(mrt_session *s, const char *name, const char *password, mrt_err *err);
/* Array of {id, name, os_account, full_name, roles[], password, active,
 * created_at}; needs admin or privacy. */
int user_svc_list(mrt_session *s, json_t **out, mrt_err *err);

#endif
