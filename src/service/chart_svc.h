/*
 * Chart use cases for the faces: show and find patients, show an
 * encounter, the coder's own coding of an encounter (checked against the
 * code-set release in effect on its discharge date), and coding status.
 * Each checks access, runs in one transaction and
 * writes its audit events (one per patient shown).
 */
#ifndef MRT_SERVICE_CHART_SVC_H
#define MRT_SERVICE_CHART_SVC_H

#include <stddef.h>

#include <jansson.h>

#include "service/session.h"

/* Break-the-glass stated by the user for one read (NULL: none). */
struct chart_svc_glass {
	const char *reason;   /* required, free text (kept for the reviewer) */
	const char *category; /* emergency (default) | continuity-of-care |
	                         patient-request | legal | other */
};

/* A patient record. A record whose labels the user is not granted fails
 * with MRT_EACCESS (audited "deny") unless glass is given or open; then
 * the read is audited "break-glass". Encounters and labels of objects the
 * user may not see are listed as {"account", "restricted": true}. */
int chart_svc_patient_show(mrt_session *s, const char *mrn, const struct chart_svc_glass *glass,
                           json_t **out, mrt_err *err);
/* An array of matches, each with "mrn" (at most limit); a labelled patient
 * the user may not see is only {"mrn", "restricted": true}. */
int chart_svc_patient_find(mrt_session *s, const char *name, const char *birth_date, size_t limit,
                           json_t **out, mrt_err *err);
/* An encounter; labels of the patient and of the encounter decide as for
 * a patient; documents the user may not see are {"doc_ref",
 * "restricted": true}. */
int chart_svc_encounter_show(mrt_session *s, const char *account,
                             const struct chart_svc_glass *glass, json_t **out, mrt_err *err);

struct chart_svc_code_req {
	const char *account;
	const char *pdx;              /* CODE[:POA], required */
	const char *const *sdx;       /* CODE[:POA] each */
	size_t n_sdx;
	const char *admit_dx;         /* CODE (reason for admission), optional */
	const char *const *px;        /* CODE[@YYYY-MM-DD] each */
	size_t n_px;
	const char *status;           /* coding status after: in-progress (default) or final */
};
/* On success *out is the encounter as chart_svc_encounter_show gives it.
 * When a code is refused the call fails with MRT_EINVAL, changes nothing,
 * and *out is {"refused": [{item, code, problem, message, suggestions}]}
 * naming every code refused (the error message names the first). */
int chart_svc_encounter_code(mrt_session *s, const struct chart_svc_code_req *req, json_t **out,
                             mrt_err *err);
/* uncoded | in-progress | final | billed. */
int chart_svc_coding_status(mrt_session *s, const char *account, const char *status,
                            mrt_err *err);

#endif
