/*
 * Small helpers every service repeats otherwise: the audit event about one
 * row (its int64 id as the object id), ending a transaction on a return
 * code, and rows of a statement as JSON objects. Internal to the service
 * layer.
 */
#ifndef MRT_SERVICE_SVC_UTIL_H
#define MRT_SERVICE_SVC_UTIL_H

#include <stdint.h>

#include <jansson.h>

#include "service/session.h"
#include "store/db.h"

/* One audit event on the row (object_type, object_id) of the patient
 * (0: none); object_id 0 records no object id. */
int svc_audit(mrt_session *s, const char *action, const char *object_type, int64_t object_id,
              int64_t patient_id, const char *outcome, const char *detail, mrt_err *err);

/* Whether the session holds a department supervisor's role (admin or
 * him_technician): the work queue, coding audits. */
int svc_is_supervisor(const mrt_session *s);
/* Rolls db back and returns rc when rc is an error, else commits. */
int svc_finish(mrt_db *db, int rc, mrt_err *err);
/* svc_finish for a read that made *out: on failure (of rc or of the
 * commit) *out is freed and set to NULL. */
int svc_finish_json(mrt_db *db, int rc, json_t **out, mrt_err *err);

/* Column col of the current row: null, an integer or a string. */
json_t *svc_col_json(mrt_stmt *st, int col);
/* The current row as an object keyed by column names (NULL when out of
 * memory). */
json_t *svc_row_json(mrt_stmt *st);
/* Every row of st appended to arr (st is reset). */
int svc_rows_json(mrt_stmt *st, json_t *arr, mrt_err *err);
/* The one row sql (one parameter: id) finds, as svc_row_json makes it;
 * MRT_ENOTFOUND "no WHAT ID" when there is none. */
int svc_row_by_id(mrt_session *s, const char *sql, int64_t id, const char *what, json_t **out,
                  mrt_err *err);
/* The first column of the first row sql (one parameter: id) finds, into
 * *out: 0 when there is no row or the value is NULL. 0 or the error. */
int svc_int_by_id(mrt_db *db, const char *sql, int64_t id, int64_t *out, mrt_err *err);

#endif
