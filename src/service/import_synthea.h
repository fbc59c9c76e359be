/*
 * `mrt import synthea DIR`: Synthea's CSV export (patients, encounters,
 * conditions, procedures, providers; organizations and payers for the
 * facility and payer names) into the chart, in one transaction,
 * idempotently, the same way as the MIMIC-IV import. The Synthea patient
 * Id (a UUID) is the MRN and the source reference; the encounter Id is the
 * account. See docs/imports.md.
 */
#ifndef MRT_SERVICE_IMPORT_SYNTHEA_H
#define MRT_SERVICE_IMPORT_SYNTHEA_H

#include <jansson.h>

#include "service/session.h"

/* DIR holds patients.csv (or is the export root holding csv/). Access:
 * admin or him. *report as for import_mimic ({source, dir, tables, absent,
 * rejected, codings, seconds}; {failed: ...} when a file cannot be read). */
int import_synthea(mrt_session *s, const char *dir, json_t **report, mrt_err *err);

#endif
