/*
 * The claim reader of the code editor: one line of the project's claim
 * JSONL (the format of the MCE reference claims) into a struct claim.
 * Read with jansson. Diagnosis codes lose their dots; all codes are
 * upper-cased; procedure codes are taken as given (never dotted). An
 * optional admitting diagnosis (`admit_dx` or `admitting_dx`) and optional
 * procedure dates are read too.
 *
 * A line that cannot be read is an error naming the line and the field,
 * never a value: more than 24 secondary diagnoses or 25 procedures, a code
 * longer than 15 characters, a bad date, a missing or mistyped field.
 */
#ifndef MRT_FORMATS_CLAIM_JSONL_H
#define MRT_FORMATS_CLAIM_JSONL_H

#include <stddef.h>

#include "edits/claim.h"
#include "mrt/error.h"

/* Reads text[0..len) (one JSON object) into *out. name and line say where
 * the line comes from in error messages ("claims.jsonl:12: ..."). On error
 * out->id still holds the claim's id when it could be read ("" otherwise). */
int claim_jsonl_parse(struct claim *out, const char *text, size_t len, const char *name, long line,
		      mrt_err *err);

/* Whether a line holds only white space (skipped by readers). */
int claim_jsonl_blank(const char *text, size_t len);

#endif
