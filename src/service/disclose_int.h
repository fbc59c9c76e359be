/*
 * Internals shared by the release-of-information services
 * (disclose_svc.c, disclose_packet.c, disclose_accounting.c,
 * consent_svc.c): the patient a request names, the
 * authorization and restriction look-ups a disclosure makes, and the
 * packet builder.
 */
#ifndef MRT_SERVICE_DISCLOSE_INT_H
#define MRT_SERVICE_DISCLOSE_INT_H

#include <stdint.h>

#include <jansson.h>

#include "base/buf.h"
#include "privacy/access.h"
#include "privacy/roi.h"
#include "service/access_svc.h"
#include "service/svc_util.h"

/* The role check for op (a refusal audited as action), then the patient
 * by MRN (or by id when id is nonzero: checked to exist); no label check. */
int disclose_patient_find(mrt_session *s, enum access_op op, const char *action,
                          const char *mrn, int64_t id, int64_t *patient,
                          struct access_decision *d, mrt_err *err);
/* The patient by MRN (or by id when id is nonzero: checked to exist).
 * Checks the role for op first (a refusal is audited as action), then the
 * labels of the patient; fills *d. */
int disclose_patient_access(mrt_session *s, enum access_op op, const char *action,
                            const char *mrn, int64_t id, int64_t *patient, unsigned extra_labels,
                            struct access_decision *d, mrt_err *err);
/* A patient's rows for a listing, in one transaction: the access check for
 * op on the patient by MRN, the audit event action on the patient, then
 * sql with ?1 the patient's id (and ?2 flag when flag >= 0), each row made
 * by row(st, arg). */
int disclose_patient_rows(mrt_session *s, enum access_op op, const char *action,
                          const char *mrn, const char *sql, int flag,
                          json_t *(*row)(mrt_stmt *st, const void *arg), const void *arg,
                          json_t **out, mrt_err *err);
/* Starts a read of disclosure id: its patient, the access check (a refusal
 * audited as action), a transaction and the audit event action on the
 * disclosure. On success the caller ends the transaction (svc_finish); on
 * failure none is open. */
int disclose_read_begin(mrt_session *s, int64_t id, const char *action, mrt_err *err);
/* NULL for a blank string, else s. */
const char *disclose_text(const char *s);

/* A valid authorization of the patient that covers the disclosure: the
 * one named (auth_id nonzero) or else the newest that does. *found = 0
 * and why set when there is none (why names what is wrong with the named
 * one). */
int consent_find_authorization(mrt_db *db, int64_t patient_id, int64_t auth_id,
                               const char *recipient, unsigned items, int need_part2,
                               int need_psychotherapy, int64_t *found, char *why, size_t why_size,
                               mrt_err *err);
/* The first agreed, open restriction that matches (0 when none). */
int consent_find_restriction(mrt_db *db, int64_t patient_id, const char *recipient,
                             unsigned items, int64_t encounter_id, int64_t *found, mrt_err *err);
/* The newest open confidential-communication address and phone ("" when
 * none). */
int consent_confidential_contact(mrt_db *db, int64_t patient_id, char *address, size_t asize,
                                 char *phone, size_t psize, mrt_err *err);

/* The packet of a disclosure. */
struct disclose_packet_req {
	int64_t patient_id;
	unsigned items;
	int64_t encounter_id;        /* 0: all the patient's encounters */
	int psychotherapy;           /* include psychotherapy notes */
	int fhir;                    /* FHIR Bundle, else text */
	const char *recipient, *recipient_address, *purpose, *legal_basis;
	const char *disclosed_at;
};
struct disclose_packet {
	mrt_buf bytes;
	unsigned labels;             /* labels of what is in it (incl. the patient's) */
	int part2;                   /* carries the 42 CFR 2.32 notice */
	int withheld;                /* psychotherapy notes left out */
};
/* Labels of what a packet would hold (patient, chosen encounters, their
 * documents; psychotherapy notes counted in *psy_notes), without building it. */
int disclose_packet_labels(mrt_db *db, const struct disclose_packet_req *r, unsigned *labels,
                           int *psy_notes, mrt_err *err);
int disclose_packet_build(mrt_db *db, const struct disclose_packet_req *r,
                          struct disclose_packet *p, mrt_err *err);
void disclose_packet_free(struct disclose_packet *p);

#endif
