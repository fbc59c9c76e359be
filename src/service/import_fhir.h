/*
 * mrt import fhir PATH: FHIR R4 Bundles and Bulk-Data NDJSON (a file or a
 * directory) into the chart - Patient, Practitioner, Encounter, Condition,
 * Procedure, DocumentReference, with meta.security labels. Other resource
 * types are counted as skipped. A resource that cannot be mapped or whose
 * references cannot be resolved is a reject (kept in `reject` with file,
 * position, type/id and reason) and the import goes on; a file that is not
 * JSON is one reject of the whole file.
 *
 * One transaction for the whole import (rolled back whole on a failure that
 * is not a data reject); access admin or him; one audit event "import.fhir"
 * with counts. Conditions and procedures are grouped per encounter and
 * merged into its coding once per import, so a second import of the same
 * input changes nothing.
 */
#ifndef MRT_SERVICE_IMPORT_FHIR_H
#define MRT_SERVICE_IMPORT_FHIR_H

#include <jansson.h>

#include "mrt/error.h"
#include "service/session.h"

/* *report: {"files", "file_rejects", "resources": {Type: {read, created,
 * updated, unchanged, rejected, skipped}}, "skipped": {Type: n},
 * "skipped_reasons": {reason: n}, "rejects": [{file, position, type, id,
 * reason}] (the first 100), "providers_from_references", "labels"}. */
int import_fhir(mrt_session *s, const char *path, json_t **report, mrt_err *err);

#endif
