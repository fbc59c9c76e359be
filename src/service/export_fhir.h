/*
 * mrt export fhir --out DIR [--since DATE]: the chart as FHIR R4 Bulk-Data
 * NDJSON - Patient, Encounter, Condition, Procedure, Practitioner and
 * DocumentReference, one file per type that has rows (DIR/<Type>.ndjson,
 * mode 0600: patient data), each written to a temporary file and renamed
 * into place once all are written. Resource ids are stable: the row's
 * source_ref when it is a valid FHIR id, else one derived from the row's
 * natural key, so export -> import into an empty database -> export gives
 * the same resources. References to practitioners are conditional
 * (Practitioner?identifier=system|value), so they resolve on any import.
 *
 * Access: admin or him; one audit event "export.fhir" with the counts.
 */
#ifndef MRT_SERVICE_EXPORT_FHIR_H
#define MRT_SERVICE_EXPORT_FHIR_H

#include <jansson.h>

#include "mrt/error.h"
#include "service/session.h"

/* since: YYYY-MM-DD or NULL. *report: {"out", "since", "files": {name: n},
 * "resources": total}. */
int export_fhir(mrt_session *s, const char *out_dir, const char *since, json_t **report,
		mrt_err *err);

#endif
