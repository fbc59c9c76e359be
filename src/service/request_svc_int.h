/*
 * Helpers shared by the services of patient requests, mandated reports
 * and retention (request_svc*.c, mandated_svc.c, retention_svc.c): the
 * patient facts their rules need, input checks that name the option,
 * and the access check in two steps (the role before the
 * patient is looked up, so a refused user learns nothing of the MRN).
 */
#ifndef MRT_SERVICE_REQUEST_SVC_INT_H
#define MRT_SERVICE_REQUEST_SVC_INT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/date.h"
#include "privacy/access.h"
#include "service/access_svc.h"
#include "service/session.h"
#include "service/svc_util.h"

struct rq_patient {
	int64_t id;
	char mrn[128];
	int has_birth;
	mrt_day birth;
	int deceased;
	mrt_day death;  /* 0 when unknown */
};

int rq_patient_by_mrn(mrt_session *s, const char *mrn, struct rq_patient *p, mrt_err *err);
int rq_patient_by_id(mrt_session *s, int64_t id, struct rq_patient *p, mrt_err *err);
/* An encounter by account: its id, patient and its date (discharge, else
 * admission; 0 when neither). */
int rq_encounter(mrt_session *s, const char *account, int64_t *id, int64_t *patient,
                 mrt_day *day, mrt_err *err);

/* access_svc_check on t; with role_first, the role alone is checked
 * before (call it so before looking the patient up by MRN, with
 * t->patient_id still 0, and again once it is known). */
int rq_check(mrt_session *s, enum access_op op, const struct access_target *t,
             struct access_decision *d, mrt_err *err);

/* Parses an optional date option: 0 and *out = 0 when v is NULL. */
int rq_date(const char *opt, const char *v, mrt_day *out, mrt_err *err);
/* Checks a text option: present when required, at most max bytes, no
 * control characters. */
int rq_text(const char *opt, const char *v, size_t max, int required, mrt_err *err);

/* The site's age of majority (request_setting). */
int rq_majority_age(mrt_session *s, int *age, mrt_err *err);

/* Today as "YYYY-MM-DD". */
void rq_today(char out[MRT_DATE_LEN]);

#endif
