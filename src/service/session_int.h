/*
 * Session internals shared by the service files that build or extend a
 * session (site.c creates the first administrator's session).
 */
#ifndef MRT_SERVICE_SESSION_INT_H
#define MRT_SERVICE_SESSION_INT_H

#include <limits.h>

#include "base/buf.h"
#include "privacy/audit.h"
#include "service/session.h"

#define SESSION_NAME_MAX 128

/* A pluggable audit sink (service/audit_group.c: group commit for
 * concurrent readers). It receives the event as the session made it (who,
 * role, purpose, action, object, outcome; id, at, prev_mac and mac unset:
 * the sink's writer assigns them) and returns only once the event is
 * durably committed, or an error. Events then leave outside the caller's
 * transaction: install a sink only on sessions that read. */
typedef int (*session_audit_sink)(void *ctx, const struct audit_event *e, mrt_err *err);

struct mrt_session {
	mrt_db *db;
	int64_t user_id;              /* whose rights apply */
	char user[SESSION_NAME_MAX];
	char actor[SESSION_NAME_MAX]; /* who is at the keyboard */
	int acting_as;                /* actor is an admin acting as user */
	unsigned roles;               /* privacy/roles.h bit set of user */
	unsigned label_grants;        /* privacy/access.h label bits granted */
	int64_t provider_id;          /* the user's provider record, or 0 */
	char role_text[96];
	char purpose[64];
	unsigned char key[MRT_HMAC_KEY_LEN];
	char anchor_path[PATH_MAX];   /* "" = no anchor (in-memory database) */
	int anchor_fd;
	mrt_buf pending;              /* anchor lines of the open transaction */
	int head_valid;               /* head_* hold for the open transaction */
	int64_t head_id;
	char head_mac[AUDIT_MAC_HEX];
	session_audit_sink sink;      /* NULL: append on db (see below) */
	void *sink_ctx;
};

/* A session over an open database (taken over: closed with the session),
 * with its audit key loaded and the anchor hook set; no user yet. */
int session_new(mrt_session **out, mrt_db *db, const char *purpose, mrt_err *err);
/* Makes user id/name the acting user (loads the roles). */
int session_set_user(mrt_session *s, int64_t id, const char *name, mrt_err *err);
/* Sends s's audit events to fn (NULL: back to appending on s's own
 * connection). */
void session_set_audit_sink(mrt_session *s, session_audit_sink fn, void *ctx);
/* Inserts one chained audit row as given (id, prev_mac and mac already
 * computed); shared by the session and the group committer. */
int session_audit_insert(mrt_db *db, const struct audit_event *e, mrt_err *err);
/* The OS account running this process (getpwuid(geteuid())). */
void session_os_account(char *out, size_t size);

#endif
