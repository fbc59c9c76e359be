/*
 * The patient's say over disclosures: authorizations (45 CFR 164.508, and
 * 42 CFR Part 2 consents: 2.31), restrictions on disclosures (164.522(a))
 * and confidential communications (164.522(b)). Operation
 * ACCESS_PATIENT_REQUEST (him_technician, privacy_officer); each change is
 * one row and one audit event in one transaction. Nothing is deleted: an
 * authorization is revoked, a restriction ended.
 */
#ifndef MRT_SERVICE_CONSENT_SVC_H
#define MRT_SERVICE_CONSENT_SVC_H

#include <stdint.h>

#include <jansson.h>

#include "service/session.h"

struct consent_auth_new {
	const char *mrn;
	const char *discloser;      /* who may disclose (NULL: this organisation) */
	const char *recipient;
	const char *purpose;        /* purpose of use name (privacy/access.h) */
	const char *purpose_detail; /* the purpose as the form words it, or NULL */
	const char *items;          /* comma list (privacy/roi.h item names) */
	const char *expires;        /* YYYY-MM-DD or an event */
	const char *signed_by;
	const char *signed_on;      /* YYYY-MM-DD, NULL = today */
	const char *representative; /* the representative's authority, or NULL */
	int by_representative;
	int part2;                  /* a 42 CFR Part 2 consent */
	int psychotherapy;          /* covers psychotherapy notes (164.508(a)(2)) */
	int statements_ack;         /* the form carries the required statements */
};
/* Refuses (MRT_EINVAL) a form missing a required element; *missing (when
 * not NULL) is then the array of the missing elements' names. */
int consent_svc_auth_add(mrt_session *s, const struct consent_auth_new *n, int64_t *id,
                         json_t **missing, mrt_err *err);
int consent_svc_auth_revoke(mrt_session *s, int64_t id, const char *reason, mrt_err *err);
/* Array of {id, recipient, discloser, purpose, purpose_detail, items, expires_on,
 * expires_event, signed_by, signed_on, representative, part2, psychotherapy, state
 * (valid|expired|revoked), revoked_at, revoke_reason, created_at}. */
int consent_svc_auth_list(mrt_session *s, const char *mrn, json_t **out, mrt_err *err);

struct consent_restriction_new {
	const char *mrn;
	const char *kind;      /* health-plan-self-pay | other | confidential-communication */
	const char *status;    /* requested | agreed | denied (NULL: agreed) */
	const char *recipient; /* required but for confidential-communication */
	const char *items;     /* NULL: every item */
	const char *encounter; /* account, or NULL: every encounter */
	const char *address;   /* confidential communication */
	const char *phone;
	const char *note;
};
int consent_svc_restriction_add(mrt_session *s, const struct consent_restriction_new *n,
                                int64_t *id, mrt_err *err);
/* A requested restriction agreed or denied (164.522(a)(1)(i): the
 * organisation may deny any but the health-plan self-pay one). */
int consent_svc_restriction_decide(mrt_session *s, int64_t id, const char *status,
                                   const char *note, mrt_err *err);
int consent_svc_restriction_end(mrt_session *s, int64_t id, const char *reason, mrt_err *err);
/* Array of {id, kind, status, recipient, items, encounter, address, phone, note, created_at,
 * ended_at, end_reason, decided_at, decision_note, active}; ended ones too when all. */
int consent_svc_restriction_list(mrt_session *s, const char *mrn, int all, json_t **out,
                                 mrt_err *err);

#endif
