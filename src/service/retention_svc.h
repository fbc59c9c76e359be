/*
 * The retention schedule and legal holds. The schedule keeps each
 * patient's record for a number of years after the last discharge (class
 * "adult"), and a minor's - a patient under the age of majority at the
 * last discharge - also until that age plus some years (class "minor").
 * The numbers are the site's (retention_class, set with `retention set`);
 * the defaults are starting points, not law. A legal hold stops any purge
 * while it is active (not released, its --until date not passed).
 *
 * mrt purges nothing yet: the product is the `retention due` report and
 * retention_svc_may_purge(), the check any future purge must pass.
 * Everything needs ACCESS_RETENTION (privacy_officer, him_technician) and
 * is audited.
 */
#ifndef MRT_SERVICE_RETENTION_SVC_H
#define MRT_SERVICE_RETENTION_SVC_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "service/session.h"

/* {classes: [{class, years_after_discharge, years_after_majority, note,
 * updated_at, updated_by}], age_of_majority}. */
int retention_svc_list(mrt_session *s, json_t **out, mrt_err *err);

/* Changes a class (cls NULL: only the age) or the age of majority; a
 * value < 0 is left as it is. Every change is kept in schedule_change. */
int retention_svc_set(mrt_session *s, const char *cls, int years_after_discharge,
                      int years_after_majority, int majority_age, mrt_err *err);

/* Patients whose retention has run out by today: [{mrn, last_discharge,
 * class, retain_until, age_assumed, held}] (held: an active hold stops
 * the purge anyway). */
int retention_svc_due(mrt_session *s, json_t **out, mrt_err *err);

/* *may = 1 only when the patient's retention has run out and no legal hold
 * is active; else *may = 0 and why says which (no patient data). */
int retention_svc_may_purge(mrt_session *s, int64_t patient_id, int *may, char *why,
                            size_t why_size, mrt_err *err);
/* The same by MRN, with the facts: {mrn, may_purge, reason, retain_until,
 * class, holds}. */
int retention_svc_check(mrt_session *s, const char *mrn, json_t **out, mrt_err *err);

int retention_svc_hold_add(mrt_session *s, const char *mrn, const char *matter,
                           const char *until, int64_t *id, mrt_err *err);
int retention_svc_hold_release(mrt_session *s, int64_t id, const char *reason, mrt_err *err);
/* Holds of one patient (mrn) or of all; all = 0: only the active ones. */
int retention_svc_hold_list(mrt_session *s, const char *mrn, int all, json_t **out,
                            mrt_err *err);

#endif
