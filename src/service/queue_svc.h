/*
 * The generic work queue: work items (a kind, a subject "TYPE:ID", an
 * assignee - a user or a role -, a status and a due date) and their
 * history. Later services put their review and worklist items here with
 * queue_svc_add; every change writes a work_item_history row and an audit
 * event in the same transaction.
 *
 * Who may do what: a supervisor (admin or him) may add items by hand,
 * assign and close any item and list every item; anyone may list the
 * items assigned to them or to a role they hold, take (assign to
 * themselves) an item of such a role, and close an item assigned to them
 * or to a role they hold.
 */
#ifndef MRT_SERVICE_QUEUE_SVC_H
#define MRT_SERVICE_QUEUE_SVC_H

#include <jansson.h>

#include "service/session.h"

struct queue_new {
	const char *kind;          /* e.g. "coding-review"; letters, digits, '-', '_', '.' */
	const char *subject_type;  /* e.g. "encounter" */
	const char *subject_id;
	int64_t patient_id;        /* 0 when the subject concerns no patient */
	const char *title;         /* never patient data */
	const char *assign_user;   /* user name, or NULL */
	const char *assign_role;   /* role, or NULL (not both) */
	const char *due_date;      /* YYYY-MM-DD or NULL */
};

/* Adds an item on behalf of a service that has already checked access. */
int queue_svc_add(mrt_session *s, const struct queue_new *n, int64_t *id, mrt_err *err);
/* `mrt queue add`: the same, for a supervisor (admin or him). */
int queue_svc_add_by_hand(mrt_session *s, const struct queue_new *n, int64_t *id, mrt_err *err);
/* Exactly one of user / role. */
int queue_svc_assign(mrt_session *s, int64_t id, const char *user, const char *role, mrt_err *err);
int queue_svc_done(mrt_session *s, int64_t id, const char *note, mrt_err *err);

struct queue_filter {
	int mine;          /* assigned to the session's user */
	const char *role;  /* assigned to this role */
	const char *status; /* NULL = open and in-progress */
};

/* Array of {id, kind, subject_type, subject_id, title, assigned_user,
 * assigned_role, status, due_date, created_at, history[]}. */
int queue_svc_list(mrt_session *s, const struct queue_filter *f, json_t **out, mrt_err *err);
/* One item as above; MRT_ENOTFOUND if there is none with that id. */
int queue_svc_show(mrt_session *s, int64_t id, json_t **out, mrt_err *err);

#endif
