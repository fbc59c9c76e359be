/*
 * Release of information (HIPAA 45 CFR 164.508, 164.512, 164.522, 164.528;
 * 42 CFR Part 2): recording a disclosure with the packet that left, the
 * accounting of disclosures a patient may ask for, its temporary
 * suspension at an agency's request, and the tracked request for an
 * accounting (60 days, one 30-day extension).
 *
 * Every call checks access first (access_svc_check: role, labels, agreed
 * restrictions, Part 2 consent, psychotherapy notes), then writes its rows
 * and its audit event in one transaction. Audit details never hold
 * patient data.
 */
#ifndef MRT_SERVICE_DISCLOSE_SVC_H
#define MRT_SERVICE_DISCLOSE_SVC_H

#include <stdint.h>

#include <jansson.h>

#include "base/buf.h"
#include "service/session.h"

struct disclose_new {
	const char *mrn;            /* the patient, by MRN (or patient_id if nonzero) */
	int64_t patient_id;
	const char *recipient;      /* required */
	const char *recipient_address; /* or NULL */
	const char *purpose;        /* privacy/access.h purpose names: treatment, payment, operations,
	                               public_health, legal, research, emergency, patient_request */
	const char *legal_basis;    /* free text, e.g. "45 CFR 164.512(b)"; required for public_health/legal */
	const char *items;          /* comma list: demographics,encounters,diagnoses,procedures,documents,
	                               labels ... (minimum necessary: no default) */
	const char *kind;           /* "request" | "mandated" | "registry" | "law-enforcement" |
	                               "health-oversight" | "research" | ... (NULL: from the purpose) */
	const char *source_ref;     /* e.g. "mandated_report:12", or NULL */
	int64_t authorization_id;   /* 0 if none */
	const char *out_path;       /* where the packet goes, or NULL (packet kept in the DB only) */
	const char *format;         /* "fhir" | "text" (default text) */
	const char *encounter;      /* account: only this encounter's items, or NULL (all) */
};

/* Checks access (access_svc_check with ACCESS_DISCLOSE: restrictions, Part 2 consent,
 * psychotherapy notes), builds the packet of the chosen items, stores the disclosure with its
 * packet (bytes + sha256) and audit event in one transaction, writes out_path if given.
 * A refusal for a restriction names the restriction id in err; a refusal for a missing
 * authorization says what is missing. */
int disclose_svc_new(mrt_session *s, const struct disclose_new *n, int64_t *id, mrt_err *err);

/* One recorded disclosure: {id, patient_id, disclosed_at, recipient, recipient_address,
 * purpose, kind, legal_basis, items, authorization_id, override, packet_sha256,
 * packet_format, packet_bytes, by}. */
int disclose_svc_show(mrt_session *s, int64_t id, json_t **out, mrt_err *err);

/* The stored packet of a disclosure, byte for byte (audited as a read of
 * the patient's record: "disclose.packet"). Free with mrt_buf_free. */
int disclose_svc_packet(mrt_session *s, int64_t id, mrt_buf *out, mrt_err *err);

/* Every disclosure of a patient, exempt ones too, newest first: an array
 * of {id, date, recipient, purpose, kind, items, authorization_id,
 * override_restriction_id, packet_format, packet_sha256, by}. */
int disclose_svc_list(mrt_session *s, const char *mrn, json_t **out, mrt_err *err);

/* The accounting of disclosures (164.528) for a patient: from (YYYY-MM-DD, NULL = six years
 * before today) to now, exempt kinds left out, suspended entries left out until their
 * suspension ends. *out = {"mrn", "from", "to", "entries": [{id, date, recipient,
 * recipient_address, purpose, kind, legal_basis, items, description}], "suspended": n,
 * "answered_requests": [ids]}: producing it answers the patient's open requests for an
 * accounting (marked fulfilled; their work items closed for a him_technician or admin). */
int disclose_svc_accounting(mrt_session *s, const char *mrn, const char *from, json_t **out,
                            mrt_err *err);

/* 164.528(a)(2): an agency's request to suspend the accounting of its disclosures until a
 * date (YYYY-MM-DD); an oral request lasts at most 30 days from today. */
struct disclose_suspend {
	const char *mrn;
	const char *agency;         /* matched against the disclosure's recipient */
	const char *until;          /* YYYY-MM-DD */
	int oral;
	const char *statement;      /* the agency's statement / official, or NULL */
};
int disclose_svc_suspend(mrt_session *s, const struct disclose_suspend *r, int64_t *id,
                         mrt_err *err);

/* The patient's request for an accounting: recorded with its 60-day deadline and put in the
 * him_technician queue. */
int disclose_svc_request(mrt_session *s, const char *mrn, int64_t *id, char due[11],
                         mrt_err *err);
/* One 30-day extension of a request, with the reason given to the patient. */
int disclose_svc_request_extend(mrt_session *s, int64_t request_id, const char *reason,
                                char due[11], mrt_err *err);

#endif
