/*
 * Reading the chart for export and for import bookkeeping: every current
 * provider, patient, encounter, diagnosis, procedure and document as a row
 * (a JSON object of its columns, with the natural keys of the rows it points
 * at joined in), a patient's identifiers and other names, an object's
 * labels, and existence checks the FHIR import counts with. No access check
 * and no audit: the service layer does those.
 */
#ifndef MRT_CHART_CHART_EXPORT_H
#define MRT_CHART_CHART_EXPORT_H

#include <stdint.h>

#include <jansson.h>

#include "mrt/error.h"
#include "store/db.h"

enum chart_export_kind {
	CHART_X_PROVIDER,
	CHART_X_PATIENT,
	CHART_X_ENCOUNTER,
	CHART_X_DIAGNOSIS,
	CHART_X_PROCEDURE,
	CHART_X_DOCUMENT,
	CHART_X_N
};

/* Called with each row (borrowed for the call); a non-zero return stops. */
typedef int (*chart_export_fn)(void *ctx, json_t *row, mrt_err *err);

/* Rows of kind in id order; since (YYYY-MM-DD or a timestamp prefix, NULL
 * for all): only rows created or updated on or after it (for diagnoses and
 * procedures: their coding version). Columns joined in: patient_ref and
 * patient_mrn (the patient's source_ref and MRN), enc_ref and enc_account,
 * provider columns <role>_system, <role>_ident, <role>_name (role:
 * attending, admitting, surgeon, author). Only current codings and current
 * document versions. */
int chart_export_rows(mrt_db *db, enum chart_export_kind kind, const char *since,
		      chart_export_fn fn, void *ctx, mrt_err *err);

/* A patient's active identifiers (system, type, value) and other names
 * (use, family, given, middle, prefix, suffix), in the order stored. */
int chart_export_idents(mrt_db *db, int64_t patient_id, json_t **out, mrt_err *err);
int chart_export_names(mrt_db *db, int64_t patient_id, json_t **out, mrt_err *err);
/* Open labels (system, code, display) of an object. */
int chart_export_labels(mrt_db *db, const char *object_type, int64_t object_id, json_t **out,
			mrt_err *err);

/* The current coding's items of an encounter in sequence order: diagnoses
 * (system, code, display, poa, kind, onset, source_ref, seq) and procedures
 * (system, code, display, performed_at, source_ref, surgeon_id); empty
 * arrays when the encounter is uncoded. */
int chart_export_coding_items(mrt_db *db, int64_t encounter_id, json_t **dx, json_t **px,
			      mrt_err *err);

/* *exists = 1 when the encounter's current coding holds a diagnosis
 * (procedure when is_px) with that source_ref. */
int chart_export_item_exists(mrt_db *db, int64_t encounter_id, int is_px, const char *source_ref,
			     int *exists, mrt_err *err);
/* *exists = 1 when a document with that doc_ref is stored. */
int chart_export_doc_exists(mrt_db *db, const char *doc_ref, int *exists, mrt_err *err);

#endif
