/*
 * Code text: what the releases say about their codes besides the titles -
 * the ICD-10-CM tabular notes (excludes, code first, use additional code,
 * 7th characters...), the Alphabetic Index with the Neoplasm and Drug tables
 * and the External Cause index, the ICD-10-PCS index and definitions - and
 * the full-text index over titles and terms used by search.
 */
#ifndef MRT_CODES_CODETEXT_H
#define MRT_CODES_CODETEXT_H

#include <stdint.h>

#include <jansson.h>

#include "formats/source.h"
#include "store/db.h"

/* Each loads one file into an existing release, inside the caller's open
 * transaction (the caller commits or rolls back); *rows = rows stored.
 * Errors name the file and line/element. */
int codetext_load_cm_tabular(mrt_db *db, int64_t release_id, mrt_src *src, int create_codes,
			     int64_t *rows, mrt_err *err); /* create_codes=1: release has no order
			     file (FY2023): also insert its codes (leaf diags + 7th-character expansion) */
int codetext_load_cm_index(mrt_db *db, int64_t release_id,
			   const char *kind /* "index" | "neoplasm" | "drug" | "eindex" */,
			   mrt_src *src, int64_t *rows, mrt_err *err);
int codetext_load_pcs_index(mrt_db *db, int64_t release_id, mrt_src *src, int64_t *rows,
			    mrt_err *err);
int codetext_load_pcs_definitions(mrt_db *db, int64_t release_id, mrt_src *src, int64_t *rows,
				  mrt_err *err);
/* (Re)builds the full-text rows for the release's codes after they are
 * loaded/replaced. */
int codetext_index_release(mrt_db *db, int64_t release_id, mrt_err *err);
/* Drops everything codetext stored for a release (used when a release is
 * replaced), same transaction. */
int codetext_drop_release(mrt_db *db, int64_t release_id, mrt_err *err);
/* The `notes` object of `mrt codes show` for code in release_id (with
 * fallback to the newest earlier release of the same system that has notes,
 * only for codes present in both; each note says the release version it comes
 * from). *out is a new reference (an empty object when none). */
int codetext_notes_json(mrt_db *db, int64_t release_id, const char *code, json_t **out,
			mrt_err *err);


/* Search over the full-text rows of the given releases (one per system):
 * every word of text must match, in any order, as a word prefix. *out is an
 * array of at most limit matches, best first, each {system, version, code,
 * code_dotted, billable, short_title, long_title, matched, match_kind}. */
int codetext_search(mrt_db *db, const int64_t *release_ids, size_t n, const char *text, int limit,
		    json_t **out, mrt_err *err);

/* Navigates the alphabetic index as a coder does: term is a main term,
 * optionally followed by ", subterm, ..." (e.g. "Fracture, femur, neck" or
 * "Neoplasm, breast"); table is "index", "eindex", "neoplasm", "drug" or
 * "pcs", or NULL to choose from the release's system and the term. The
 * index comes from the release or, when it has none, from the newest
 * earlier release that has one (the output says so). *out is the entry
 * (see codes index); when the main term is not found, MRT_ENOTFOUND with
 * *out = {suggestions: [...]}. */
int codetext_index_lookup(mrt_db *db, int64_t release_id, const char *table, const char *term,
			  json_t **out, mrt_err *err);

#endif
