/*
 * Internals of the FHIR export: building one resource from a chart row
 * (export_fhir_res.c) for the writer (export_fhir.c).
 */
#ifndef MRT_SERVICE_EXPORT_FHIR_INT_H
#define MRT_SERVICE_EXPORT_FHIR_INT_H

#include <jansson.h>

#include "chart/chart_export.h"

/* The resource for a row of kind (NULL with err set on failure). */
json_t *xp_build(mrt_db *db, enum chart_export_kind kind, json_t *row, mrt_err *err);

#endif
