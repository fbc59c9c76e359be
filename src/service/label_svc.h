/*
 * Sensitivity labels set by hand: the privacy officer labels a patient,
 * an encounter or a document (`mrt label add|remove|list`). Codes are
 * those of privacy/access.h (HL7 ActInformationSensitivityPolicy and the
 * privacy-law / note-type codes), stored in the HL7 v3 ActCode system.
 * Each change is one transaction with its audit event; the label code is
 * kept in the label row, not in the audit detail (a label names a
 * condition).
 */
#ifndef MRT_SERVICE_LABEL_SVC_H
#define MRT_SERVICE_LABEL_SVC_H

#include <jansson.h>

#include "service/session.h"

/* object_type: patient (ref = MRN) | encounter (account) | document
 * (doc_ref). *changed = 0 when the label was already so. */
int label_svc_add(mrt_session *s, const char *object_type, const char *ref, const char *code,
                  const char *reason, int *changed, mrt_err *err);
int label_svc_remove(mrt_session *s, const char *object_type, const char *ref, const char *code,
                     const char *reason, int *changed, mrt_err *err);
/* Every label of the patient, ended ones too (privacy officer). */
int label_svc_list(mrt_session *s, const char *mrn, json_t **out, mrt_err *err);

#endif
