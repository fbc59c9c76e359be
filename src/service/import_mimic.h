/*
 * `mrt import mimic DIR`: the MIMIC-IV hosp tables (patients, admissions,
 * transfers, services, diagnoses_icd, procedures_icd, provider, drgcodes)
 * into the chart, in one transaction, idempotently. Rows that cannot be
 * read are kept as rejects (kind "mimic") and the import goes on; a file
 * that cannot be read at all rolls everything back and is itself kept
 * whole as a reject. See docs/imports.md.
 */
#ifndef MRT_SERVICE_IMPORT_MIMIC_H
#define MRT_SERVICE_IMPORT_MIMIC_H

#include <jansson.h>

#include "service/session.h"

/* DIR is the MIMIC-IV root (holding hosp/) or hosp/ itself. Access: admin
 * or him. On success *report is {source, dir, tables: {TABLE: {read,
 * created, updated, unchanged, rejected}}, absent: [TABLE], rejected,
 * codings: {created, unchanged}, unmapped: {...}, seconds}. When a file
 * cannot be read the import is rolled back, the file is kept as a reject,
 * *report says so ({failed: {file, reject_id, reason}}) and the error is
 * returned. */
int import_mimic(mrt_session *s, const char *dir, json_t **report, mrt_err *err);

#endif
